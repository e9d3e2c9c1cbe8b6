"""Design against survey, and parcel against parcel, measured on the design's Gauss-Krüger plane.

Set operations on lon/lat degrees give areas in square degrees; on the GK plane of the
zone they are m² (scale error ≤ ~3e-4 at a zone's edge), which is what a reviewer compares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Iterable

import numpy as np
import shapely
from shapely import STRtree

from geometry import zones
from geometry.errors import GeometryError


@dataclass(frozen=True)
class Comparison:
    """design_m2/other_m2 are GK-plane areas; extra_m2 is the part of other lying outside design."""

    design_m2: float
    other_m2: float
    ratio: float          # other_m2 / design_m2
    iou: float            # area(design ∩ other) / area(design ∪ other)
    extra_m2: float       # area(other − design)
    extra_ratio: float    # extra_m2 / design_m2
    hausdorff_m: float    # densified Hausdorff distance between the two boundaries


def _shape(value):
    shape = getattr(value, "shape", value)    # a Boundary or a shapely geometry
    if not isinstance(shape, shapely.Geometry) or shape.geom_type not in ("Polygon", "MultiPolygon"):
        raise GeometryError("expected a Boundary or a CGCS2000 Polygon/MultiPolygon",
                            "应为 Boundary 或 CGCS2000 Polygon/MultiPolygon")
    return shape


def compare(design, other, densify: float = 0.1, hausdorff: bool = True) -> Comparison:
    """How other (a survey, an as-built) differs from design, on design's GK zone.

    One overlay (the intersection) gives every area: union = a + b − a∩b, extra = b − a∩b.
    hausdorff=False leaves hausdorff_m NaN (the costliest figure; an audit screening thousands needs it rarely).
    """
    a, b = _shape(design), _shape(other)
    zone = getattr(design, "zone", None) or zones.zone_of(a.centroid.x)
    ga, gb = zones.to_gk([a, b], zone)
    design_m2, other_m2 = ga.area, gb.area
    if not design_m2 > 0:
        raise GeometryError("design boundary has no area", "设计边界面积为零")
    inter = min(shapely.intersection(ga, gb).area, design_m2, other_m2)
    union = design_m2 + other_m2 - inter
    extra = max(other_m2 - inter, 0.0)
    return Comparison(design_m2=design_m2, other_m2=other_m2, ratio=other_m2 / design_m2,
                      iou=inter / union if union else 0.0, extra_m2=extra, extra_ratio=extra / design_m2,
                      hausdorff_m=float(shapely.hausdorff_distance(ga, gb, densify=densify)) if hausdorff
                      else float("nan"))


def _order(key):
    return (type(key).__name__, key)


def overlaps(items: Iterable[tuple[Hashable, object]], min_m2: float = 0.0) -> list[tuple]:
    """Every pair of parcels whose areas overlap by more than min_m2.

    Returns (key_a, key_b, overlap_m2, share_of_smaller) with key_a < key_b, sorted by keys;
    each pair is measured on key_a's GK zone, so the result does not depend on input order.
    """
    pairs = list(items)
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise GeometryError("parcel keys repeat", "图斑键重复")
    order = sorted(range(len(keys)), key=lambda i: _order(keys[i]))
    keys = [keys[i] for i in order]
    shapes = np.array([_shape(pairs[i][1]) for i in order], dtype=object)
    if len(shapes) < 2:
        return []
    tree = STRtree(shapes)
    left, right = tree.query(shapes, predicate="intersects")
    keep = left < right              # positions follow key order: left is key_a
    left, right = left[keep], right[keep]
    if not len(left):
        return []
    centroids = shapely.get_x(shapely.centroid(shapes[left]))
    pair_zone = np.array([zones.zone_of(x) for x in centroids])
    overlap = np.zeros(len(left))
    small = np.zeros(len(left))
    for zone in np.unique(pair_zone):
        sel = np.flatnonzero(pair_zone == zone)
        needed = np.unique(np.concatenate([left[sel], right[sel]]))
        plane = dict(zip(needed.tolist(), zones.to_gk(shapes[needed], int(zone))))
        ga = np.array([plane[i] for i in left[sel].tolist()], dtype=object)
        gb = np.array([plane[i] for i in right[sel].tolist()], dtype=object)
        overlap[sel] = shapely.area(shapely.intersection(ga, gb))
        small[sel] = np.minimum(shapely.area(ga), shapely.area(gb))
    result = [(keys[i], keys[j], float(o), min(1.0, float(o / s)) if s else 0.0)   # ≤ 1 despite rounding
              for i, j, o, s in zip(left.tolist(), right.tolist(), overlap, small) if o > min_m2]
    result.sort(key=lambda r: (_order(r[0]), _order(r[1])))
    return result
