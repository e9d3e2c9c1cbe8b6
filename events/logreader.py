"""Stored event JSON turned back into Python values, without eventsourcing's mapper.

The audit and `minerehab history` read rows straight from the store; going through the
mapper would build a frozen dataclass, resolve a topic and parse a UUID per event. The
audit decodes to plain JSON values and converts only the fields it keeps (`typed`);
the history decoder converts everything with an object hook.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from orjson import loads as _orjson_loads

_DAYS: dict[str, date] = {}


def day(iso: str) -> date:
    """One shared date object per calendar day: there are thousands of days and millions of events."""
    found = _DAYS.get(iso)
    if found is None:
        found = _DAYS[iso] = date.fromisoformat(iso)
    return found


_AMOUNTS: dict[str, Decimal] = {}
SHARED_AMOUNTS = 65_536
"""Distinct amount texts given one shared Decimal each (104 bytes a Decimal; beyond it, each read makes its own)."""


def amount(text: str) -> Decimal:
    """One shared Decimal per amount's text (the same text, the same digits and exponent: sharing is exact), as
    days are shared: a national log repeats its areas and sums in every summary and finding."""
    found = _AMOUNTS.get(text)
    if found is None:
        found = Decimal(text)
        if len(_AMOUNTS) < SHARED_AMOUNTS:
            _AMOUNTS[text] = found
    return found


DECODERS = {"decimal_str": amount, "date_iso": day, "datetime_iso": datetime.fromisoformat, "uuid_hex": UUID}


def typed(value):
    """A stored JSON value with eventsourcing's transcoded types ({"_type_": …, "_data_": …}) turned back."""
    if type(value) is dict:
        kind = value.get("_type_")
        if kind is not None and len(value) == 2:
            return DECODERS[kind](value["_data_"])
        return {k: typed(v) for k, v in value.items()}
    if type(value) is list:
        return [typed(v) for v in value]
    return value


def _hook(obj: dict):
    kind = obj.get("_type_")
    if kind is not None and len(obj) == 2:
        decode = DECODERS.get(kind)
        if decode is not None:
            return decode(obj["_data_"])
    return obj


decoder = json.JSONDecoder(object_hook=_hook)


def loads(raw: bytes) -> dict:
    """A stored state as plain JSON values: orjson (about twice as fast as `json.loads` on stored states);
    what it will not read (integers beyond 64 bits) goes through `json.loads`, which gives the same values."""
    try:
        return _orjson_loads(raw)
    except ValueError:
        return json.loads(raw)
