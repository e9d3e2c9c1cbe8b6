"""Boundaries as the ledger keeps them: the text exactly as given, read back (and measured) on demand.

A recorded boundary is one string: GeoJSON (a geometry or Feature, its `crs` member naming a
Gauss-Krüger zone if it is not CGCS2000 lon/lat) or WKT, optionally EWKT-prefixed `SRID=4527;`
to name the zone. The text is what the event stores; everything derived from it (the lon/lat
shape, the ellipsoidal area) is computed again whenever it is read, never trusted from input.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import shapely

from geometry import shapes, zones
from geometry.errors import GeometryError

_SRID = re.compile(r"^\s*SRID\s*=\s*([0-9]{1,6})\s*;", re.I)


def split_srid(text: str) -> tuple[int | None, str]:
    """`SRID=4527;POLYGON(...)` → (4527, 'POLYGON(...)'); other text → (None, text)."""
    m = _SRID.match(text)
    if not m:
        return None, text
    return int(m.group(1)), text[m.end():]


def check(value, crs=None, extent=None) -> shapes.Boundary:
    """A Boundary from text as a user gives it (GeoJSON, WKT or EWKT) or a GeoJSON dict; GeometryError if not one.

    crs: a coordinate system the user names for it (an EPSG code or name); it must agree with an SRID prefix.
    """
    if isinstance(value, str):
        srid, body = split_srid(value)
        if srid is not None:
            if crs is not None and shapes.crs_code(crs) != shapes.crs_code(srid):
                raise GeometryError(f"the text says SRID={srid} but {crs} was given",
                                    f"文本声明 SRID={srid}，与给定的 {crs} 不一致")
            crs = srid
            boundary = shapes.parse(body, crs=crs, extent=extent)
            return shapes.Boundary(source=value, shape=boundary.shape, area_m2=boundary.area_m2,
                                   area_ha=boundary.area_ha, centroid=boundary.centroid, zone=boundary.zone,
                                   crs=boundary.crs)
    return shapes.parse(value, crs=crs, extent=extent)


@lru_cache(maxsize=4096)
def read(text: str) -> shapes.Boundary:
    """A recorded boundary read back with every check of the door (cached: the same texts are read many times)."""
    return check(text)


def _recorded(text: str):
    """(oriented lon/lat shape, ellipsoidal area m², EPSG code) of a recorded WKT text read without the door's checks;
    None when the text needs the full reader (GeoJSON, too long, or something the quick path cannot vouch for)."""
    srid, body = split_srid(text)
    if body.lstrip()[:1] == "{" or len(body) > shapes.MAX_TEXT:
        return None
    try:
        shape = shapely.from_wkt(body)
    except shapely.errors.ShapelyError:
        return None     # the full reader words the reason
    if shape is None or shape.geom_type not in ("Polygon", "MultiPolygon") or shape.is_empty:
        return None
    code = shapes.crs_code(srid) if srid is not None else zones.GEOGRAPHIC
    if code != zones.GEOGRAPHIC:
        shape = zones.from_projected(shape, code)
    shape = shapely.orient_polygons(shapely.force_2d(shape), exterior_cw=False)
    area = abs(shapes._signed_area(shape))
    if not (area > 0 and math.isfinite(area)):
        return None
    return shape, area, code


@lru_cache(maxsize=4096)
def measure(text: str) -> shapes.Boundary:
    """A recorded WKT boundary re-measured without the door's checks again (they passed when it was recorded):
    the shape and its ellipsoidal area, a few times faster than `read`; GeoJSON goes through `read`."""
    quick = _recorded(text)
    if quick is None:
        return read(text)
    shape, area, code = quick
    c = shape.centroid
    return shapes.Boundary(source=text, shape=shape, area_m2=area, area_ha=shapes.hectares(area),
                           centroid=(c.x, c.y), zone=zones.zone_of(c.x), crs=code)


UNREADABLE = (GeometryError, ValueError, TypeError, ArithmeticError)
"""What reading a recorded boundary back may raise: on replay it is skipped, never a crash."""


def area_m2(text) -> float | None:
    """The ellipsoidal area (m²) of a recorded boundary, None if there is none or it no longer reads: what R28 asks
    of every registered boundary once, so neither the centre, the zone nor a cache entry is made for it."""
    if not isinstance(text, str) or not text:
        return None
    try:
        quick = _recorded(text)
        return quick[1] if quick is not None else read(text).area_m2
    except UNREADABLE:
        return None


def read_or_none(text) -> shapes.Boundary | None:
    """A recorded boundary, or None when there is none or it no longer reads (a record is never refused on replay)."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return measure(text)
    except UNREADABLE:
        return None
