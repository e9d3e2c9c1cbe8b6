"""The ledger's transcoder writes exactly the bytes eventsourcing's own would: the chain hashes them."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, TranscodingNotRegisteredError
from hypothesis import given
from hypothesis import strategies as st

from events import codecs
from events.logreader import _AMOUNTS, SHARED_AMOUNTS, amount

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(), st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(), st.uuids(), st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(timezones=st.just(timezone(timedelta(hours=8)))))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=20)


def registered(transcoder):
    """The transcodings the ledger registers: eventsourcing's defaults and ours."""
    Application.register_transcodings(None, transcoder)
    codecs.register(transcoder)
    return transcoder


def reference() -> JSONTranscoder:
    return registered(JSONTranscoder())


def ours() -> codecs.StoredJSON:
    return registered(codecs.StoredJSON())


@given(st.dictionaries(st.text(max_size=10), values, max_size=6))
def test_same_bytes_as_eventsourcings_transcoder(state):
    expected = reference().encode(state)
    assert ours().encode(state) == expected
    assert ours().decode(expected) == reference().decode(expected)


def test_an_unknown_type_is_refused_as_eventsourcing_refuses_it():
    with pytest.raises(TranscodingNotRegisteredError, match="complex"):
        ours().encode({"x": 1j})


def test_the_ledger_writes_with_it(ledger):
    assert isinstance(ledger.mapper.transcoder, codecs.StoredJSON)
    stamp = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    state = {"on": date(2025, 1, 2), "timestamp": stamp, "id": uuid.UUID(int=7), "data": {"名称": "托里"}}
    assert ledger.mapper.transcoder.encode(state) == reference().encode(state)


@given(st.decimals(allow_nan=True, allow_infinity=True), st.sampled_from(["", "0", "00"]))
def test_a_shared_amount_is_exactly_the_decimal_its_text_gives(value, pad):
    """Sharing one Decimal per text keeps every digit and exponent (1.0 and 1.00 stay apart)."""
    text = str(value) + (pad if value.is_finite() and "E" not in str(value) and "." in str(value) else "")
    first, again = amount(text), amount(text)
    assert str(first) == str(Decimal(text)) and first.as_tuple() == Decimal(text).as_tuple()
    assert again is first or len(_AMOUNTS) >= SHARED_AMOUNTS  # one object, while there is room
