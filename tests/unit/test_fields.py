"""Numbers as officials type them: exact decimals in, a comma refused (never dropped), bounded size."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
