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


@settings(max_examples=300)
@given(st.lists(st.text(st.sampled_from("托里县建安公司a1 -=（）")), min_size=1, max_size=4).flatmap(
    lambda headers: st.tuples(st.just(headers), st.lists(st.lists(texts | st.integers() | st.none(), min_size=1,
                                                                   max_size=len(headers)), max_size=8))))
def test_a_table_pads_every_column_to_its_widest_cell(table_of):
    """Each line is its cells in order, each padded to the widest cell of its column as it shows (CJK two columns),
    two spaces apart, the line's end trimmed: columns measured in C where all ASCII say what measuring each does."""
    import click
    from click.testing import CliRunner

    from console.common import cell_text, table

    headers, rows = table_of

    @click.command()
    def show():
        table(headers, rows)

    texts_of = [headers, *([cell_text(v) for v in row] for row in rows)]  # headers are the vocabulary's words
    widths = [max(width(row[i]) for row in texts_of if i < len(row)) for i in range(len(headers))]
    lines = CliRunner().invoke(show).output.split("\n")[:-1]
    expected = [texts_of[0], ["-" * w for w in widths], *texts_of[1:]]
    assert lines == ["  ".join(t + " " * (w - width(t)) for t, w in zip(row, widths)).rstrip() for row in expected]
