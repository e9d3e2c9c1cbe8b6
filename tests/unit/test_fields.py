"""Numbers as officials type them: exact decimals in, a comma refused (never dropped), bounded size."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow import fields as f
from workflow.fields import BadValue, as_decimal

DECIMALS = st.decimals(min_value=Decimal("-999999999999999"), max_value=Decimal("999999999999999"), places=4,
                       allow_nan=False, allow_infinity=False)


@given(DECIMALS)
def test_a_decimal_written_out_reads_back_exactly(value):
    assert as_decimal(format(value, "f")) == value


@given(DECIMALS, st.integers(0, 12), st.sampled_from([",", "，"]))
def test_a_comma_anywhere_is_refused_with_why(value, at, comma):
    text = format(value, "f")
    at = min(at, len(text))
    with pytest.raises(BadValue, match="comma"):
        as_decimal(text[:at] + comma + text[at:])


@pytest.mark.parametrize("text,expected", [("６．１２３４", Decimal("6.1234")), (" 7.50 ", Decimal("7.50"))])
def test_full_width_digits_and_spaces_are_read(text, expected):
    assert as_decimal(text) == expected


@pytest.mark.parametrize("bad", ["1e999999999", "NaN", "Infinity", "1" * 5000, "0." + "1" * 9, "1.", ".5", "1_000",
                                 Decimal("1E+999999999"), 1.5, True])
def test_huge_inexact_and_odd_numbers_are_refused(bad):
    with pytest.raises(BadValue):
        as_decimal(bad)


def walked(value, where="data", depth=0):
    """`plain` as first written, a call for every key and value: the oracle for the one that passes leaves over."""
    if depth > f.MAX_DEPTH:
        raise f.BadValue(f"nested at most {f.MAX_DEPTH} levels deep ({where})", f"嵌套至多 {f.MAX_DEPTH} 层（{where}）")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise f.BadValue(f"UTF-8 text ({where} holds a lone surrogate)", f"UTF-8 文本（{where} 含孤立代理字符）") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in f.ENVELOPE_KEYS:
                raise f.BadValue(f"free of the reserved keys _type_ and _data_ ({where} has {key!r})",
                                 f"不含保留键 _type_ 和 _data_（{where} 含 {key!r}）")
            walked(key, where, depth + 1)
            walked(item, f"{where}.{key}", depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            walked(item, where, depth + 1)
    return value


leaves = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.decimals(allow_nan=False)
          | st.text(max_size=4) | st.sampled_from(["_type_", "_data_", "\ud800", "界\udfff"]))
trees = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3) | st.lists(inner, max_size=2).map(tuple)
                     | st.dictionaries(leaves.filter(lambda k: isinstance(k, (str, int))), inner, max_size=3),
                     max_leaves=12)


def nested(value, depth: int):
    for i in range(depth):
        value = {f"k{i}": value} if i % 2 else [value]
    return value


@settings(max_examples=400)
@given(trees, st.integers(0, 36))
def test_plain_refuses_exactly_what_the_full_walk_refuses(tree, depth):
    """Passing leaves over changes nothing: the same values pass, the same are refused with the same words."""
    value = nested(tree, depth)

    def outcome(check):
        try:
            return "ok", check(value)
        except f.BadValue as error:
            return str(error), error.zh

    assert outcome(f.plain) == outcome(walked)


@given(st.text("0123456789", min_size=4, max_size=4) | st.text("0123456789W+T: ", min_size=4, max_size=4),
       st.text("0123456789", min_size=2, max_size=2) | st.text("0123456789W+T: ", min_size=2, max_size=2),
       st.text("0123456789", min_size=2, max_size=2) | st.text("0123456789W+T: ", min_size=2, max_size=2))
def test_an_iso_date_reads_as_its_other_spellings_do(year, month, day):
    """The ISO spelling is read in C; spelled with full-width dashes it takes the general reader: both give the
    same date, or refuse with the same words (month 13, 2023-02-29, year 0000, 2023-W7-1, 2023-02-2T)."""
    from events.clock import BadDate, parse_date

    def read(text):
        try:
            return parse_date(text)
        except BadDate as error:
            return error.problem

    assert read(f"{year}-{month}-{day}") == read(f"{year}－{month}－{day}")


@pytest.mark.parametrize("text", ["2023-W07-1", "2023-02-2x", "２０２３-02-20", " 2023-02-20", "2023-0220"])
def test_the_iso_fast_path_takes_nothing_else(text):
    """Week dates and other spellings Python's fromisoformat knows are not minerehab's dates."""
    from events.clock import BadDate, parse_date

    if text.strip() == "2023-02-20" or text == "２０２３-02-20":
        assert parse_date(text).isoformat() == "2023-02-20"
    else:
        with pytest.raises(BadDate):
            parse_date(text)
