"""CGCS2000 3° Gauss-Krüger zones: which zone a parcel is in, and its coordinates there in metres.

Overlaps, IoU and distances are measured on the zone's plane, where metres are metres
(scale error ≤ ~3e-4 at a zone's edge) rather than on lon/lat degrees.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pyproj
import shapely

from geometry.errors import GeometryError

GEOGRAPHIC = 4490          # CGCS2000 lon/lat
FIRST_ZONE, LAST_ZONE = 25, 45
ZONE_PREFIXED = range(4513, 4534)   # "3-degree Gauss-Kruger zone N": false easting N*1e6 + 500 km
CENTRAL_MERIDIAN = range(4534, 4555)  # "3-degree Gauss-Kruger CM xxE": false easting 500 km


def zone_of(lon: float) -> int:
    """The 3° zone whose central meridian (3 × zone) is nearest; halves go east, for determinism."""
    if not math.isfinite(lon):
        raise GeometryError(f"longitude {lon} is not a finite number", f"经度 {lon} 不是有限数")
    zone = math.floor(lon / 3 + 0.5)
    if zone == FIRST_ZONE - 1 and lon >= 73.0:
        zone = FIRST_ZONE   # China's westernmost sliver (73°E..73.5°E) is mapped in zone 25
    if not FIRST_ZONE <= zone <= LAST_ZONE:
        raise GeometryError(
            f"longitude {lon:.6f} is outside China's 3° zones 25..45 (73.5°E..136.5°E)",
            f"经度 {lon:.6f} 不在我国 3° 分带 25..45 带范围内（73.5°E..136.5°E）")
    return zone


def central_meridian(zone: int) -> int:
    return 3 * zone


def epsg_for(zone: int, prefixed: bool = False) -> int:
    """EPSG code of a zone: the CM family (4534..4554) by default, the zone-prefixed one (4513..4533) if asked."""
    if not FIRST_ZONE <= zone <= LAST_ZONE:
        raise GeometryError(f"no CGCS2000 3° zone {zone} (25..45)", f"没有 CGCS2000 3° 第 {zone} 带（25..45）")
    return (ZONE_PREFIXED if prefixed else CENTRAL_MERIDIAN)[zone - FIRST_ZONE]


def zone_of_epsg(code: int) -> tuple[int, bool]:
    """(zone, prefixed) of a GK EPSG code; GeometryError for any other code."""
    if code in ZONE_PREFIXED:
        return FIRST_ZONE + code - ZONE_PREFIXED.start, True
    if code in CENTRAL_MERIDIAN:
        return FIRST_ZONE + code - CENTRAL_MERIDIAN.start, False
    raise GeometryError(f"EPSG:{code} is not a CGCS2000 3° Gauss-Krüger zone (4513..4554)",
                        f"EPSG:{code} 不是 CGCS2000 3° 高斯-克吕格投影带（4513..4554）")


@lru_cache(maxsize=None)
def _transformer(source: int, target: int) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def _apply(transformer: pyproj.Transformer, geometry):
    def move(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])
    return shapely.transform(geometry, move)


def to_gk(shape, zone: int, prefixed: bool = False):
    """A CGCS2000 lon/lat geometry (or array of them) on zone's GK plane, in metres."""
    return _apply(_transformer(GEOGRAPHIC, epsg_for(zone, prefixed)), shape)


def from_projected(shape, code: int):
    """A geometry in GK EPSG code back to CGCS2000 lon/lat."""
    zone_of_epsg(code)
    return _apply(_transformer(code, GEOGRAPHIC), shape)
