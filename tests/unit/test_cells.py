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


@settings(max_examples=200)
@given(st.lists(st.fixed_dictionaries({"a": texts, "b": st.integers() | st.none() | texts}), max_size=12),
       st.integers(1, 5), st.booleans())
def test_csv_written_a_part_at_a_time_is_the_whole_csv(rows, every, bom):
    """However the rows are cut into parts, the bytes are those of one CSV of every row (header, BOM, cells)."""
    import csv
    import io

    from console.common import BOM, cell_text, csv_chunks, inert

    whole = io.StringIO()
    if rows:
        whole.write(BOM if bom else "")
        writer = csv.writer(whole, lineterminator="\n")
        writer.writerow(list(rows[0]))
        writer.writerows([inert(cell_text(v)) for v in row.values()] for row in rows)
    assert b"".join(csv_chunks(iter(rows), bom, every)) == whole.getvalue().encode()
