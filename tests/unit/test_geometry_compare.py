"""compare() and overlaps(): measured on the GK plane, symmetric, independent of input order."""

import random

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import affinity

from geometry import GeometryError, parse, zones
from geometry.compare import compare, overlaps
from geometry.sample import boundary, layout

CENTRE = (83.6, 45.9)


def test_identical_boundaries():
    b = parse(boundary(CENTRE, "6.1234", seed=3).wkt)
    c = compare(b, b)
    assert c.iou == pytest.approx(1.0) and c.ratio == 1.0 and c.extra_m2 == pytest.approx(0, abs=1e-6)
    assert c.hausdorff_m < 1e-6
    # the GK-plane area is the ellipsoidal one up to the zone's scale (≤ ~3e-4)
    assert c.design_m2 == pytest.approx(b.area_m2, rel=5e-4)


def test_shifted_boundary_in_metres():
    design = boundary(CENTRE, "4", seed=1)
    plane = zones.to_gk(design, 28)
    moved = zones.from_projected(affinity.translate(plane, xoff=10.0), 4537)
    c = compare(design, moved)
    assert c.hausdorff_m == pytest.approx(10.0, rel=1e-6)
    assert 0 < c.extra_m2 < c.design_m2 and c.ratio == pytest.approx(1.0, rel=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.lists(st.integers(1, 200).map(float), min_size=2, max_size=5, unique=True))
def test_growing_the_survey_is_monotone(seed, distances):
    """The further the survey grows past the design, the lower IoU and the higher extra area and Hausdorff."""
    design = boundary(CENTRE, "6.1234", seed=seed)
    plane = zones.to_gk(design, 28)
    results = [compare(design, zones.from_projected(plane.buffer(d, 4), 4537)) for d in sorted(distances)]
    for a, b in zip(results, results[1:]):
        assert b.iou < a.iou and b.extra_m2 > a.extra_m2 and b.ratio > a.ratio
        assert b.extra_ratio > a.extra_ratio and b.hausdorff_m > a.hausdorff_m


def test_compare_refuses_non_polygons():
    with pytest.raises(GeometryError):
        compare(shapely.Point(83.6, 45.9), boundary(CENTRE, "1"))


def _sample_items(seed, n=12):
    areas = [round(random.Random(seed + i).uniform(0.5, 20), 4) for i in range(n)]
    shapes = layout(areas, CENTRE, seed=seed, overlapping=[(0, 1), (2, 3), (4, 5), (5, 6)])
    return [(f"TL-{i:02d}", s) for i, s in enumerate(shapes)]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 1000), st.randoms(use_true_random=False))
def test_overlaps_symmetric_and_order_independent(seed, rnd):
    items = _sample_items(seed)
    expected = overlaps(items)
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert overlaps(shuffled) == expected
    assert {(a, b) for a, b, *_ in expected} >= {("TL-00", "TL-01"), ("TL-02", "TL-03"), ("TL-04", "TL-05")}
    for a, b, area, share in expected:
        assert a < b and area > 0 and 0 < share <= 1
        # symmetric: the same numbers whichever of the two is the design
        pair = dict(items)
        inter = zones.to_gk(pair[a], 28).intersection(zones.to_gk(pair[b], 28)).area
        assert area == pytest.approx(inter, rel=1e-9)


def test_touching_is_not_overlapping_and_keys_must_be_unique():
    a = parse("POLYGON((83.6 45.9, 83.61 45.9, 83.61 45.91, 83.6 45.91, 83.6 45.9))")
    b = parse("POLYGON((83.61 45.9, 83.62 45.9, 83.62 45.91, 83.61 45.91, 83.61 45.9))")
    assert overlaps([("a", a), ("b", b)]) == []
    with pytest.raises(GeometryError):
        overlaps([("a", a), ("a", b)])
