"""Sample boundaries hit their area to 4 decimals, deterministically, without overlapping."""

from decimal import Decimal

import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geometry import parse
from geometry.compare import overlaps
from geometry.sample import boundary, layout

TUOLI = (83.6, 45.9)
AREAS = ["6.1234", "4.2377", "20.469", "0.8123", "12.0005", "3.3333", "1.0001", "7.7777", "15.5",
         "2.0649", "9.9999", "0.0525", "5.4321", "11.1111", "18.2468", "0.3001", "4.4444", "6.6667",
         "13.579", "8.0808", "2.7183", "3.1416", "19.999", "1.4142", "10.0", "0.9876", "16.1803", "7.0007"]


def test_28_tuoli_parcels_hit_their_areas_and_do_not_overlap():
    assert len(AREAS) == 28
    shapes = layout(AREAS, TUOLI, seed=2023)
    for area, shape in zip(AREAS, shapes):
        b = parse(shapely.to_wkt(shape, rounding_precision=-1), extent=(82.5, 45.0, 85.0, 47.0))
        assert b.area_ha == Decimal(area).quantize(Decimal("0.0001"))
        assert b.zone == 28
    assert overlaps(list(enumerate(shapes))) == []
    assert [s.wkt for s in layout(AREAS, TUOLI, seed=2023)] == [s.wkt for s in shapes]   # deterministic


def test_overlap_only_when_asked():
    shapes = layout(AREAS[:6], TUOLI, seed=1, overlapping=[(0, 1), (3, 4)])
    assert [(a, b) for a, b, *_ in overlaps(list(enumerate(shapes)))] == [(0, 1), (3, 4)]


@settings(max_examples=40, deadline=None)
@given(st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("500"), places=4),
       st.integers(0, 10**6), st.floats(74, 135), st.floats(18, 53))
def test_any_area_anywhere(area, seed, lon, lat):
    shape = boundary((lon, lat), area, seed=seed)
    assert shape.is_valid
    assert parse(shapely.to_wkt(shape, rounding_precision=-1)).area_ha == area
