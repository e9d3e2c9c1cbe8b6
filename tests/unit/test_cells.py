"""What a table or CSV cell shows: control characters escaped, CJK measured as two columns."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from console.common import CONTROLS, safe, width

texts = st.text(st.characters(codec="utf-8")) | st.text(st.sampled_from("托里县建安公司a1 -=\x1b\n\t\x85\x7f（）"))


@settings(max_examples=500)
@given(texts)
def test_a_cell_escapes_exactly_the_control_characters(text):
    """The fast path (no control character found) and the escaping agree with escaping every character."""
    shown = safe(text)
    assert shown == text.translate(CONTROLS)
    assert not any(ch in shown for ch in map(chr, CONTROLS))


@settings(max_examples=500)
@given(texts)
def test_a_cell_is_as_wide_as_its_characters(text):
    assert width(text) == sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
