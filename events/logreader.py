"""The global log reader: every stored event in log order, decoded straight from its JSON.

The audit reads the whole log; going through eventsourcing's mapper would build a frozen
dataclass, resolve a topic and parse a UUID per event. This reader decodes the stored
bytes once with an object hook for the transcoded types and nothing more.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Iterator
from uuid import UUID

from events.ids import KINDS

DECODERS = {"decimal_str": Decimal, "date_iso": date.fromisoformat, "datetime_iso": datetime.fromisoformat,
            "uuid_hex": UUID}


def _hook(obj: dict):
    kind = obj.get("_type_")
    if kind is not None and len(obj) == 2:
        decode = DECODERS.get(kind)
        if decode is not None:
            return decode(obj["_data_"])
    return obj


decoder = json.JSONDecoder(object_hook=_hook)


def rows(raw_log) -> Iterator[tuple[str, str, int, str, dict]]:
    """(kind, originator_id, version, event class name, decoded state) in log order."""
    for _nid, oid, version, topic, state in raw_log.events_in_log_order():
        cls = topic.rpartition(":")[2]
        kind, _, name = cls.partition(".")
        yield KINDS.get(kind, kind), oid, version, name, decoder.decode(bytes(state).decode())
