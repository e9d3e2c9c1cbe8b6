"""One parcel boundary from GeoJSON or WKT: refused with a reason, or measured on the CGCS2000 ellipsoid.

The text is kept exactly as given (what the ledger stores); the shape is always CGCS2000
lon/lat (EPSG:4490) so every area and comparison starts from the same datum.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

import numpy as np
import pyproj
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

from geometry import jsontext, zones
from geometry.errors import GeometryError

MAX_TEXT = 2 * 1024 * 1024
MAX_VERTICES = 100_000
MAX_DEPTH = 16           # a Feature's MultiPolygon needs 6; properties may add a few
CHINA = (73.0, 3.0, 136.0, 54.0)
GEOD = pyproj.Geod(a=6378137, rf=298.257222101)   # the CGCS2000 ellipsoid
HECTARE = Decimal("0.0001")

ACCEPTED = "CGCS2000 lon/lat (EPSG:4490) or a CGCS2000 3° Gauss-Krüger zone (EPSG:4513..4554)"
ACCEPTED_ZH = "CGCS2000 经纬度（EPSG:4490）或 CGCS2000 3° 高斯-克吕格投影带（EPSG:4513..4554）"


@dataclass(frozen=True)
class Boundary:
    """A checked parcel boundary: the source text, its CGCS2000 shape and its ellipsoidal area."""

    source: str
    shape: Polygon | MultiPolygon = field(repr=False)
    area_m2: float
    area_ha: Decimal
    centroid: tuple[float, float]
    zone: int
    crs: int = zones.GEOGRAPHIC     # the EPSG code the source was written in

    def to_geojson(self) -> dict:
        """RFC 7946 geometry: outer rings counter-clockwise, holes clockwise, lon/lat."""
        return _lists(mapping(self.shape))


def _lists(value):
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value


def ellipsoidal_area(shape) -> float:
    """Area in m² on the CGCS2000 ellipsoid; holes subtracted, parts summed, whatever the ring order."""
    oriented = shapely.orient_polygons(shape, exterior_cw=False)
    return abs(_signed_area(oriented))


def _signed_area(oriented) -> float:
    """pyproj's Geod.geometry_area_perimeter area, ring by ring on numpy arrays (its shapely `.xy` path
    is the slow part): counter-clockwise outer rings count positive, clockwise holes negative."""
    total = 0.0
    for polygon in getattr(oriented, "geoms", [oriented]):
        for ring in (polygon.exterior, *polygon.interiors):
            xy = shapely.get_coordinates(ring)
            total += GEOD.polygon_area_perimeter(xy[:, 0], xy[:, 1])[0]
    return total


def hectares(area_m2: float) -> Decimal:
    """m² to hectares, 4 decimals, half up: the precision of 图斑面积 in the tables."""
    with localcontext() as ctx:
        ctx.prec = 60
        return (Decimal(area_m2) / 10000).quantize(HECTARE, rounding=ROUND_HALF_UP)


_EPSG = re.compile(r"^(?:urn:ogc:def:crs:)?epsg:{1,2}(?:[0-9.]*:)?([0-9]{1,6})$", re.I)
_CGCS = {"cgcs2000", "cgcs 2000", "china geodetic coordinate system 2000", "cgcs2000 lon/lat"}


def crs_code(crs) -> int:
    """EPSG code of an accepted coordinate system name; GeometryError naming the accepted ones otherwise."""
    if crs is None:
        return zones.GEOGRAPHIC
    code = None
    if isinstance(crs, int) and not isinstance(crs, bool):
        code = crs
    elif isinstance(crs, str):
        text = crs.strip()
        if text.lower() in _CGCS:
            code = zones.GEOGRAPHIC
        elif text.isdigit() and len(text) <= 6:
            code = int(text)
        elif m := _EPSG.match(text):
            code = int(m.group(1))
    if code == zones.GEOGRAPHIC or code in zones.ZONE_PREFIXED or code in zones.CENTRAL_MERIDIAN:
        return code
    shown = str(crs)[:80]
    raise GeometryError(f"coordinate system {shown!r} is not accepted: use {ACCEPTED}",
                        f"不接受坐标系 {shown!r}：请使用 {ACCEPTED_ZH}")


def _geojson_crs(member) -> int:
    """The EPSG code an old-style GeoJSON `crs` member names ({"type":"name"|"EPSG","properties":…})."""
    if isinstance(member, dict) and isinstance(member.get("properties"), dict):
        props = member["properties"]
        if member.get("type") == "name" and isinstance(props.get("name"), str):
            return crs_code(props["name"])
        if member.get("type") == "EPSG" and isinstance(props.get("code"), (int, str)):
            return crs_code(f"EPSG:{props['code']}")
    raise GeometryError("GeoJSON crs member is not understood", "无法识别 GeoJSON 的 crs 成员")


def parse(value, crs: str | int | None = None, extent: tuple[float, float, float, float] | None = None) -> Boundary:
    """A Boundary from GeoJSON (geometry or Feature, dict or text) or WKT; GeometryError if it is not one.

    crs: the coordinate system of value (default CGCS2000 lon/lat); GK coordinates are converted.
    extent: (minlon, minlat, maxlon, maxlat) the boundary must lie within, e.g. a county's.
    """
    try:
        return _parse(value, crs, extent)
    except GeometryError:
        raise
    except (ValueError, TypeError, ArithmeticError, RecursionError, MemoryError, shapely.errors.ShapelyError) as exc:
        # a last net: anything the checks above did not foresee is still a refusal, not a crash
        msg = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
        raise GeometryError(f"cannot read the boundary: {msg}", f"无法读取边界：{msg}") from None


def _parse(value, crs, extent) -> Boundary:
    declared = crs_code(crs) if crs is not None else None
    if isinstance(value, (bytes, bytearray)):
        if len(value) > MAX_TEXT:
            raise _too_long()
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise GeometryError("boundary text is not UTF-8", "边界文本不是 UTF-8 编码") from None
    if isinstance(value, str):
        source = value
        if len(value) > MAX_TEXT or len(value.encode("utf-8", "surrogatepass")) > MAX_TEXT:
            raise _too_long()
        text = value.strip()
        if text.startswith("{"):
            obj = jsontext.loads(text, MAX_DEPTH)
            geometry, found = _from_geojson(obj)
        else:
            geometry, found = _from_wkt(text), None
    elif isinstance(value, dict):
        try:
            source = jsontext.dumps(value)
        except (RecursionError, ValueError, TypeError):
            raise GeometryError("GeoJSON object cannot be written back as JSON",
                                "GeoJSON 对象无法写回为 JSON") from None
        geometry, found = _from_geojson(value)
    else:
        raise GeometryError(f"a boundary must be GeoJSON or WKT text, not {type(value).__name__}",
                            f"边界须为 GeoJSON 或 WKT 文本，而不是 {type(value).__name__}")

    if found is not None and declared is not None and found != declared:
        raise GeometryError(f"the GeoJSON says EPSG:{found} but EPSG:{declared} was given",
                            f"GeoJSON 声明坐标系 EPSG:{found}，与给定的 EPSG:{declared} 不一致")
    code = found or declared or zones.GEOGRAPHIC
    shape = _to_geographic(geometry, code)
    _check_extent(shape, CHINA, "China's extent", "我国范围")
    if extent is not None:
        _check_extent(shape, tuple(float(v) for v in extent), "the expected extent", "预期范围")
    _check_valid(shape)
    shape = shapely.orient_polygons(shape, exterior_cw=False)
    area = abs(_signed_area(shape))
    if not area > 0:
        raise GeometryError("boundary encloses no area", "边界面积为零")
    c = shape.centroid
    return Boundary(source=source, shape=shape, area_m2=area, area_ha=hectares(area),
                    centroid=(c.x, c.y), zone=zones.zone_of(c.x), crs=code)


def _too_long() -> GeometryError:
    return GeometryError(f"boundary text is longer than {MAX_TEXT} bytes",
                         f"边界文本超过 {MAX_TEXT} 字节")


# --- GeoJSON ---------------------------------------------------------------------------------------

def _from_geojson(obj) -> tuple[Polygon | MultiPolygon, int | None]:
    if not isinstance(obj, dict):
        raise GeometryError("GeoJSON must be an object", "GeoJSON 必须是对象")
    found = _geojson_crs(obj["crs"]) if obj.get("crs") is not None else None
    kind = obj.get("type")
    if kind == "Feature":
        geometry = obj.get("geometry")
        if not isinstance(geometry, dict):
            raise GeometryError("Feature has no geometry", "要素没有几何")
        if geometry.get("crs") is not None:
            inner = _geojson_crs(geometry["crs"])
            if found is not None and inner != found:
                raise GeometryError("Feature and its geometry name different crs",
                                    "要素与其几何声明的坐标系不一致")
            found = inner
        obj, kind = geometry, geometry.get("type")
    coords = obj.get("coordinates")
    count = [0]
    if kind == "Polygon":
        return _polygon(coords, count, "polygon"), found
    if kind == "MultiPolygon":
        if not isinstance(coords, (list, tuple)) or not coords:
            raise GeometryError("MultiPolygon has no polygons", "MultiPolygon 没有多边形")
        return MultiPolygon([_polygon(p, count, f"polygon {i + 1}") for i, p in enumerate(coords)]), found
    shown = str(kind)[:40]
    raise GeometryError(f"geometry type {shown!r} is not a Polygon or MultiPolygon",
                        f"几何类型 {shown!r} 不是 Polygon 或 MultiPolygon")


def _polygon(rings, count: list, where: str) -> Polygon:
    if not isinstance(rings, (list, tuple)) or not rings:
        raise GeometryError(f"{where} has no rings", f"{_zh(where)}没有环")
    arrays = [_ring(r, count, f"{where} ring {i + 1}") for i, r in enumerate(rings)]
    return Polygon(arrays[0], arrays[1:])


def _ring(ring, count: list, where: str) -> np.ndarray:
    if not isinstance(ring, (list, tuple)) or len(ring) < 4:
        raise GeometryError(f"{where} needs at least 4 points (first = last)",
                            f"{_zh(where)}至少需要 4 个点（首尾相同）")
    count[0] += len(ring)
    if count[0] > MAX_VERTICES:
        raise GeometryError(f"more than {MAX_VERTICES} vertices", f"顶点超过 {MAX_VERTICES} 个")
    out = np.empty((len(ring), 2))
    for i, p in enumerate(ring):
        if not isinstance(p, (list, tuple)) or not 2 <= len(p) <= 3 or not all(_is_number(v) for v in p):
            raise GeometryError(f"{where} point {i + 1} is not [lon, lat] numbers",
                                f"{_zh(where)}第 {i + 1} 个点不是 [经度, 纬度] 数值")
        x, y = float(p[0]), float(p[1])
        if not (math.isfinite(x) and math.isfinite(y)):
            raise GeometryError(f"{where} point {i + 1} is not finite", f"{_zh(where)}第 {i + 1} 个点不是有限数")
        out[i] = x, y
    if not np.array_equal(out[0], out[-1]):
        raise GeometryError(f"{where} is not closed (first point ≠ last point)",
                            f"{_zh(where)}未闭合（首点与末点不同）")
    return out


def _is_number(v) -> bool:
    return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)


def _zh(where: str) -> str:
    """'polygon 2 ring 1' → '第 2 个多边形第 1 个环'."""
    out = where.replace("polygon", "多边形").replace("ring", "环")
    out = re.sub(r"(多边形|环) (\d+)", r"第 \2 个\1", out)
    return out.replace(" ", "")


# --- WKT -------------------------------------------------------------------------------------------

_WKT_HEAD = re.compile(r"^\s*(MULTIPOLYGON|POLYGON)\s*(Z\s*)?\(", re.I)


def _from_wkt(text: str):
    head = _WKT_HEAD.match(text)
    if not head:
        word = re.match(r"^\s*([A-Za-z]{1,30})", text)
        shown = word.group(1).upper() if word else text[:20]
        raise GeometryError(f"not a Polygon or MultiPolygon (GeoJSON or WKT): {shown!r}",
                            f"不是 Polygon 或 MultiPolygon（GeoJSON 或 WKT）：{shown!r}")
    if jsontext.depth(text, "(", ")") > 3:
        raise GeometryError("WKT nested too deeply", "WKT 嵌套过深")
    if text.count(",") + text.count("(") > MAX_VERTICES + 1:
        raise GeometryError(f"more than {MAX_VERTICES} vertices", f"顶点超过 {MAX_VERTICES} 个")
    try:
        shape = shapely.from_wkt(text)
    except shapely.errors.ShapelyError as exc:
        msg = (str(exc).splitlines() or ["?"])[0][:160]
        if "closed" in msg:
            raise GeometryError("a ring is not closed (first point ≠ last point)", "存在未闭合的环（首点与末点不同）") from None
        if "Invalid number of points" in msg or "must be 0 or >=" in msg:
            raise GeometryError("a ring needs at least 4 points (first = last)", "环至少需要 4 个点（首尾相同）") from None
        raise GeometryError(f"not valid WKT: {msg}", f"不是有效的 WKT：{msg}") from None
    if shape is None or shape.is_empty:
        raise GeometryError("boundary is empty", "边界为空")
    if shape.geom_type not in ("Polygon", "MultiPolygon"):
        raise GeometryError(f"{shape.geom_type} is not a Polygon or MultiPolygon",
                            f"{shape.geom_type} 不是 Polygon 或 MultiPolygon")
    if shapely.get_num_coordinates(shape) > MAX_VERTICES:
        raise GeometryError(f"more than {MAX_VERTICES} vertices", f"顶点超过 {MAX_VERTICES} 个")
    shape = shapely.force_2d(shape)
    xy = shapely.get_coordinates(shape)
    if not np.isfinite(xy).all():
        raise GeometryError("a coordinate is not a finite number", "存在非有限数坐标")
    return shape


# --- checks ----------------------------------------------------------------------------------------

def _to_geographic(shape, code: int):
    if code == zones.GEOGRAPHIC:
        return shape
    moved = zones.from_projected(shape, code)
    if not np.isfinite(shapely.get_coordinates(moved)).all():
        raise GeometryError(f"coordinates are not valid in EPSG:{code}", f"坐标在 EPSG:{code} 中无效")
    return moved


def _check_extent(shape, box, en: str, zh: str):
    minx, miny, maxx, maxy = box
    xy = shapely.get_coordinates(shape)
    outside = ~((xy[:, 0] >= minx) & (xy[:, 0] <= maxx) & (xy[:, 1] >= miny) & (xy[:, 1] <= maxy))
    if outside.any():
        x, y = xy[np.argmax(outside)]
        raise GeometryError(
            f"point {x:.6f}, {y:.6f} is outside {en} (lon {minx:g}..{maxx:g}, lat {miny:g}..{maxy:g})",
            f"点 {x:.6f}, {y:.6f} 超出{zh}（经度 {minx:g}..{maxx:g}，纬度 {miny:g}..{maxy:g}）")


_REASONS = {
    "Self-intersection": ("self-intersection", "边界自相交"),
    "Ring Self-intersection": ("ring self-intersection", "环自相交"),
    "Hole lies outside shell": ("hole outside its outer ring", "内环位于外环之外"),
    "Holes are nested": ("nested holes", "内环相互嵌套"),
    "Interior is disconnected": ("interior disconnected by holes", "内环将多边形分割为不连通部分"),
    "Nested shells": ("one polygon inside another", "多边形相互嵌套"),
    "Duplicate Rings": ("duplicate rings", "存在重复的环"),
    "Too few points in geometry component": ("too few points", "点数过少"),
    "Invalid Coordinate": ("invalid coordinate", "坐标无效"),
    "Ring is not closed": ("ring not closed", "环未闭合"),
}


def _check_valid(shape):
    reason = shapely.is_valid_reason(shape)
    if reason == "Valid Geometry":
        return
    m = re.match(r"^(.*?)\s*\[\s*([-0-9.eE+]+)\s+([-0-9.eE+]+)", reason or "")
    name = m.group(1) if m else (reason or "invalid")
    en, zh = _REASONS.get(name, (name.lower(), f"几何无效（{name}）"))
    if m:
        x, y = float(m.group(2)), float(m.group(3))
        raise GeometryError(f"boundary is invalid: {en} at {x:.6f}, {y:.6f}", f"{zh}，位置 {x:.6f}, {y:.6f}")
    raise GeometryError(f"boundary is not valid: {en}", f"边界无效：{zh}")
