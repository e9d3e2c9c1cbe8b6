"""Illustrative boundaries for examples and tests: made-up shapes whose CGCS2000 ellipsoidal area
is exactly a given 图斑面积 to 4 decimals, so sample data passes the same checks as real data.

They are not survey data: the outline is a random star-shaped polygon, deterministic from a seed.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal
from typing import Iterable

from shapely.geometry import Polygon

from geometry.errors import GeometryError
from geometry.shapes import GEOD, ellipsoidal_area, hectares

_M_PER_DEG_LAT = 111_320.0


def _outline(seed: int, vertices: int) -> list[tuple[float, float]]:
    """A star-shaped (so simple, valid) irregular outline: jittered angles keep every gap under π,
    radii 0.65..1, so the centre is well inside (an inscribed circle of radius ≥ ~0.55)."""
    rng = random.Random(seed)
    step = 2 * math.pi / vertices
    angles = [step * (i + rng.uniform(-0.35, 0.35)) for i in range(vertices)]
    return [(math.cos(a) * r, math.sin(a) * r) for a, r in ((a, rng.uniform(0.65, 1.0)) for a in angles)]


def _place(outline, centre, scale) -> Polygon:
    lon, lat = centre
    per_lon = _M_PER_DEG_LAT * math.cos(math.radians(lat))
    ring = [(lon + x * scale / per_lon, lat + y * scale / _M_PER_DEG_LAT) for x, y in outline]
    return Polygon(ring + ring[:1])


def boundary(centre: tuple[float, float], area_ha, seed: int = 0, vertices: int = 11) -> Polygon:
    """A polygon around centre (lon, lat) whose ellipsoidal area rounds (half up) to area_ha at 4 decimals."""
    target = Decimal(str(area_ha))
    if not target > 0:
        raise GeometryError(f"area {area_ha} ha must be positive", f"面积 {area_ha} 公顷须为正数")
    goal = float(target) * 10_000
    outline = _outline(seed, vertices)
    scale = math.sqrt(goal)                       # a first guess; area ∝ scale²
    for _ in range(60):                           # Newton on scale² converges in a handful of steps
        shape = _place(outline, centre, scale)
        area = ellipsoidal_area(shape)
        if hectares(area) == target.quantize(Decimal("0.0001")) and abs(area - goal) < 0.01:
            return shape
        scale *= math.sqrt(goal / area)
    raise GeometryError(f"could not reach {area_ha} ha", f"无法生成 {area_ha} 公顷的示例边界")


def radius_m(area_ha) -> float:
    """Upper bound of a sample boundary's reach from its centre, in metres: the outline holds a
    circle of radius ≥ 0.55 × its reach, so reach ≤ sqrt(area / π) / 0.55."""
    return math.sqrt(float(area_ha) * 10_000 / math.pi) / 0.55


def layout(areas: Iterable, centre: tuple[float, float], seed: int = 0,
           overlapping: Iterable[tuple[int, int]] = ()) -> list[Polygon]:
    """One boundary per area on a square grid around centre, none overlapping,
    except each pair (i, j) in overlapping: j's centre is put well inside i, so they overlap."""
    areas = list(areas)
    if not areas:
        return []
    cell = 2.05 * max(radius_m(a) for a in areas)
    side = math.ceil(math.sqrt(len(areas)))
    lon0, lat0 = centre
    centres = []
    for i in range(len(areas)):
        row, col = divmod(i, side)
        dx, dy = (col - (side - 1) / 2) * cell, ((side - 1) / 2 - row) * cell
        lon, lat, _ = GEOD.fwd(lon0, lat0, 90, dx)
        lon, lat, _ = GEOD.fwd(lon, lat, 0, dy)
        centres.append((lon, lat))
    for i, j in overlapping:
        lon, lat, _ = GEOD.fwd(*centres[i], 45, math.sqrt(float(areas[i]) * 10_000 / math.pi) * 0.25)
        centres[j] = (lon, lat)
    return [boundary(c, a, seed=seed * 1000 + k) for k, (c, a) in enumerate(zip(centres, areas))]
