"""The JSON the commands print: streamed findings read exactly as the whole document would."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from console.common import json_chunks, json_text

values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.text() | st.dates()
    | st.decimals(allow_nan=False, allow_infinity=False, places=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10)


@settings(max_examples=300)
@given(head=st.dictionaries(st.text(max_size=5), values, max_size=3), items=st.lists(values, max_size=5),
       tail=st.dictionaries(st.text(max_size=5), values, max_size=2))
def test_streamed_json_is_the_same_text_as_the_whole(head, items, tail):
    whole = {**head, "findings": items, **{k: v for k, v in tail.items() if k != "findings"}}
    streamed = {**whole, "findings": iter(items)}
    assert b"".join(json_chunks(streamed, "findings")).decode() == json_text(whole)


def test_json_is_indented_for_people_with_exact_decimals_and_iso_dates():
    text = json_text({"area_ha": Decimal("65.70"), "on": date(2024, 3, 1), "names": ["王工", "李工"], 3: None})
    assert json.loads(text) == {"area_ha": "65.70", "on": "2024-03-01", "names": ["王工", "李工"], "3": None}
    assert text.startswith('{\n  "area_ha": "65.70",') and "王工" in text  # not \\u-escaped
