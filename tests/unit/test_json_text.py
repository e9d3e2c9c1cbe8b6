"""The JSON the commands print: streamed findings read exactly as the whole document would."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from itertools import accumulate

from hypothesis import given, settings
from hypothesis import strategies as st

from console.common import json_chunks, json_text
from events.jsontext import too_deep

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


STRING = re.compile(r'"(?:[^"\\]|\\.|\\$)*(?:"|$)', re.S)


def nesting(raw: str) -> int:
    """How deep `raw`'s brackets nest outside strings, found another way: strings cut out first, then the running
    depth (a string left open runs to the end)."""
    bare = STRING.sub("", raw)
    return max(accumulate((1 if c in "[{" else -1 if c in "]}" else 0) for c in bare), default=0)


@settings(max_examples=500)
@given(st.text(alphabet='[]{}"\\a:,', max_size=60), st.integers(0, 12))
def test_nesting_is_refused_exactly_beyond_the_limit(raw, limit):
    """The count of brackets that spares a command's line the walk never lets deeper nesting through."""
    found = too_deep(raw, limit)
    assert (found is None) == (nesting(raw) <= limit)
    if found is not None:
        assert nesting(raw[:found + 1]) == limit + 1 and raw[found] in "[{"
