"""TBBH patterns: C + 25 digits (licensed), CT + county + year + serial + sequence (unlicensed)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geometry import GeometryError
from geometry.tbbh import check


def test_unlicensed_parts_and_county():
    t = check("CT6542242023000017001", county_code="654224")
    assert (t.licensed, t.county, t.year, t.serial, t.sequence) == (False, "654224", 2023, "000017", "001")
    with pytest.raises(GeometryError) as err:
        check("CT6542242023000017001", county_code="654221")
    assert "654221" in err.value.en and "654221" in err.value.zh


def test_licensed_only_pattern_checked():
    code = "C6500002009061120022345" + "001"
    assert len(code) == 26
    t = check(code, county_code="654224")
    assert t.licensed and t.licence == code[:23] and t.sequence == "001"


@pytest.mark.parametrize("bad", ["", "C123", "CT654224202300001700", "CT65422420230000170011", "ct6542242023000017001",
                                 "CT65422420230000170O1", "C650000200906112002234500", "CT６５４２２４2023000017001",
                                 " CT6542242023000017001", None, 123])
def test_bad_patterns(bad):
    with pytest.raises(GeometryError) as err:
        check(bad)
    assert err.value.zh


@given(st.one_of(st.text(), st.integers(), st.none()), st.one_of(st.none(), st.text(max_size=8), st.integers()))
def test_only_geometry_error(value, county):
    try:
        check(value, county)
    except GeometryError:
        pass
