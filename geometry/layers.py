"""The national 图斑 layer in and out: Shapefile, GeoJSON and KML, national or project field names.

Reading reports every bad row (a county's layer is fixed in one pass, not one error at a time);
writing keeps numbers exact (Decimals as their digits) so a layer survives a round trip unchanged.
"""

from __future__ import annotations

import codecs
import logging
import math
import re
import struct
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyproj
import shapefile
import shapely

from geometry import jsontext, shapes, tbbh, zones
from geometry.errors import GeometryError

MAX_LAYER = 256 * 1024 * 1024     # bytes of one GeoJSON/KML/DBF file
MAX_ROWS = 1_000_000
KML_NS = "http://www.opengis.net/kml/2.2"


@dataclass
class Row:
    """One feature of a layer: its 1-based number, project-named attributes, boundary, and every problem found."""

    number: int
    attributes: dict
    boundary: shapes.Boundary | None = None
    problems: list[GeometryError] = field(default_factory=list)


# --- the one mapping table ---------------------------------------------------------------------------
# national name, project name, kind, codes {national code: (project value, Chinese label)}

TBSX = {"1": ("pit", "采场"), "2": ("transfer_yard", "中转场"), "3": ("waste_dump", "固废堆场"),
        "4": ("buildings", "矿山建筑"), "5": ("collapse_pit", "塌陷坑"), "6": ("shaft_entrance", "井口/硐口"),
        "7": ("other", "其他")}
KCFS = {"A": ("open_pit", "露天开采"), "B": ("underground", "地下开采"), "C": ("combined", "联合开采")}
NXFFS = {"1": ("natural_recovery", "自然恢复"), "2": ("assisted_regeneration", "辅助再生"),
         "3": ("ecological_reconstruction", "生态重建"), "4": ("conversion", "转型利用")}
HFZLQK = {"A": ("untreated", "未治理"), "B": ("treated", "已治理")}

FIELDS = [
    ("TBBH", "code", "text", None),
    ("TBMJ", "area_ha", "m2", None),          # national m², project hectares: TBMJ / 10000 exactly
    ("TBDL", "category", "text", None),
    ("TBXL", "subclass", "text", None),
    ("TBSX", "feature", "code", TBSX),
    ("KZ", "mineral", "text", None),
    ("KCFS", "mining_method", "code", KCFS),
    ("GBND", "closure_year", "int", None),
    ("SDDL", "land_class", "text", None),
    ("NXFFS", "planned_mode", "code", NXFFS),
    ("NXFFX", "direction", "text", None),
    ("HFZLQK", "restoration_status", "code", HFZLQK),
    ("KFX", "lon", "decimal", None),
    ("KFY", "lat", "decimal", None),
]
BY_NATIONAL = {f[0]: f for f in FIELDS}
BY_PROJECT = {f[1]: f for f in FIELDS}


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not finite")
        return Decimal(repr(value))
    d = Decimal(value.strip() if isinstance(value, str) else value)
    if not d.is_finite():
        raise ValueError("not finite")
    return d


def _convert(spec, value, national: bool):
    nat, proj, kind, codes = spec
    if kind == "text":
        return value if isinstance(value, str) else str(value)
    if kind == "int":
        d = _decimal(value)
        if d != d.to_integral_value():
            raise ValueError("not a whole number")
        return int(d)
    if kind == "decimal":
        return _decimal(value)
    if kind == "m2":
        d = _decimal(value)
        return d.scaleb(-4) if national else d
    key = str(value).strip()
    if key in codes:
        return codes[key][0]
    for project_value, label in codes.values():
        if key in (project_value, label):
            return project_value
    raise ValueError(f"not one of {', '.join(codes)}")


def to_project(raw: dict, county_code: str | None = None) -> tuple[dict, list[GeometryError]]:
    """National or project-named attributes → project names and values, with every problem found."""
    out, problems, origin = {}, [], {}
    for name, value in raw.items():
        if _blank(value):
            continue
        spec = BY_NATIONAL.get(str(name).upper()) or BY_PROJECT.get(name)
        if spec is None:
            out[name] = value          # other project attributes (name, township, ...) pass through
            continue
        national = spec is BY_NATIONAL.get(str(name).upper())
        try:
            converted = _convert(spec, value, national)
        except (ValueError, ArithmeticError, InvalidOperation) as exc:
            shown = str(value)[:40]
            problems.append(GeometryError(f"{name} = {shown!r} is not valid ({exc})",
                                          f"{name} = {shown!r} 无效（{exc}）", spec[1]))
            continue
        if spec[1] in out and out[spec[1]] != converted:
            problems.append(GeometryError(
                f"{name} = {str(value)[:40]!r} contradicts {origin[spec[1]]}",
                f"{name} = {str(value)[:40]!r} 与 {origin[spec[1]]} 矛盾", spec[1]))
            continue
        out[spec[1]], origin[spec[1]] = converted, name
    if "code" in out:
        try:
            tbbh.check(out["code"], county_code)
        except GeometryError as exc:
            problems.append(exc)
    return out, problems


def to_national(attributes: dict) -> dict:
    """Project attributes → national field names and codes (area_ha → TBMJ in m², exactly)."""
    out = {}
    for name, value in attributes.items():
        spec = BY_PROJECT.get(name)
        if spec is None:
            out[name] = value
            continue
        nat, _, kind, codes = spec
        if value is None:
            out[nat] = None
        elif kind == "m2":
            out[nat] = _decimal(value).scaleb(4)
        elif kind == "code":
            out[nat] = next((c for c, (v, _) in codes.items() if v == value), value)
        else:
            out[nat] = value
    return out


# --- reading -------------------------------------------------------------------------------------------

def read(path, crs=None, county_code: str | None = None, extent=None) -> list[Row]:
    """Rows of a layer (.shp, .geojson/.json, .kml), every bad row reported in its Row.problems.

    A layer refused as a whole (unknown coordinate system, unreadable file) raises GeometryError.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".shp" or suffix == "":
            return _read_shp(path, crs, county_code, extent)
        if suffix in (".geojson", ".json"):
            return _read_geojson(path, crs, county_code, extent)
        if suffix == ".kml":
            return _read_kml(path, crs, county_code, extent)
    except GeometryError:
        raise
    except OSError as exc:
        raise GeometryError(f"cannot read {path.name}: {exc.strerror or exc}",
                            f"无法读取 {path.name}：{exc.strerror or exc}") from None
    except Exception as exc:  # third-party readers of a damaged file raise anything at all
        msg = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
        raise GeometryError(f"{path.name} is damaged or not a layer: {msg}",
                            f"{path.name} 已损坏或不是图层：{msg}") from None
    raise GeometryError(f"{path.name}: layers are .shp, .geojson or .kml",
                        f"{path.name}：图层须为 .shp、.geojson 或 .kml")


def _row(number: int, raw: dict, geometry, crs, county_code, extent) -> Row:
    attributes, problems = to_project(raw, county_code)
    boundary = None
    if geometry is None:
        problems.append(GeometryError("row has no geometry", "该行没有几何", "boundary"))
    elif isinstance(geometry, GeometryError):
        problems.append(geometry)
    else:
        try:
            boundary = shapes.parse(geometry, crs=crs, extent=extent)
        except GeometryError as exc:
            exc.field = "boundary"
            problems.append(exc)
    return Row(number, attributes, boundary, problems)


def _read_text(path: Path) -> str:
    if path.stat().st_size > MAX_LAYER:
        raise GeometryError(f"{path.name} is larger than {MAX_LAYER} bytes", f"{path.name} 超过 {MAX_LAYER} 字节")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GeometryError(f"{path.name} is not UTF-8", f"{path.name} 不是 UTF-8 编码") from None


def _agree(found: int | None, given) -> int:
    code = shapes.crs_code(given) if given is not None else None
    if found is not None and code is not None and found != code:
        raise GeometryError(f"the layer says EPSG:{found} but EPSG:{code} was given",
                            f"图层声明坐标系 EPSG:{found}，与给定的 EPSG:{code} 不一致")
    return found or code or zones.GEOGRAPHIC


def _read_geojson(path, crs, county_code, extent) -> list[Row]:
    obj = jsontext.loads(_read_text(path), max_depth=32, exact=True)
    if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection" or not isinstance(obj.get("features"), list):
        raise GeometryError(f"{path.name} is not a GeoJSON FeatureCollection",
                            f"{path.name} 不是 GeoJSON FeatureCollection")
    layer = _agree(shapes._geojson_crs(obj["crs"]) if obj.get("crs") is not None else None, crs)
    rows = []
    for n, feature in enumerate(obj["features"], 1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            rows.append(Row(n, {}, None, [GeometryError(f"feature {n} is not a Feature", f"第 {n} 个要素不是 Feature")]))
            continue
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        geometry = feature.get("geometry")
        if feature.get("crs") is not None:
            try:
                if shapes._geojson_crs(feature["crs"]) != layer:
                    geometry = GeometryError("feature crs differs from the layer's", "要素坐标系与图层不一致", "boundary")
            except GeometryError as exc:
                geometry = exc
        rows.append(_row(n, props, geometry, layer, county_code, extent))
    return rows


_CODECS = {"936": "gbk", "cp936": "gbk", "gb2312": "gbk", "65001": "utf-8", "utf8": "utf-8"}


def _shp_encoding(base: Path) -> str:
    cpg = base.with_suffix(".cpg")
    if not cpg.exists():
        return "gbk"
    name = cpg.read_text("ascii", "replace").strip().lower()
    name = _CODECS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise GeometryError(f"{cpg.name} names an unknown encoding {name[:30]!r}",
                            f"{cpg.name} 中的编码 {name[:30]!r} 无法识别") from None


def _shp_crs(base: Path, crs) -> int:
    prj = base.with_suffix(".prj")
    if not prj.exists():
        if crs is None:
            raise GeometryError(f"{base.name}.prj is missing: give the coordinate system ({shapes.ACCEPTED})",
                                f"缺少 {base.name}.prj：请给出坐标系（{shapes.ACCEPTED_ZH}）")
        return shapes.crs_code(crs)
    try:
        found = pyproj.CRS.from_wkt(prj.read_text("utf-8", "replace")).to_epsg(min_confidence=70)
    except pyproj.exceptions.CRSError:
        found = None
    if found is None:
        raise GeometryError(f"{prj.name} is not a coordinate system I recognise: use {shapes.ACCEPTED}",
                            f"无法识别 {prj.name} 中的坐标系：请使用 {shapes.ACCEPTED_ZH}")
    return _agree(shapes.crs_code(found), crs)


def _check_counts(base: Path):
    """Refuse a DBF whose header claims more records than the files can hold: a damaged count
    would otherwise have the reader report billions of unreadable rows one by one."""
    dbf, shp = base.with_suffix(".dbf"), base.with_suffix(".shp")
    size = dbf.stat().st_size
    if size > MAX_LAYER:
        raise GeometryError(f"{dbf.name} is larger than {MAX_LAYER} bytes", f"{dbf.name} 超过 {MAX_LAYER} 字节")
    with dbf.open("rb") as f:
        head = f.read(12)
    if len(head) < 12:
        raise GeometryError(f"{dbf.name} has no header", f"{dbf.name} 缺少文件头")
    count, header_len, record_len = struct.unpack("<IHH", head[4:12])
    shapes_max = max(0, shp.stat().st_size - 100) // 12      # the smallest shape record is 12 bytes
    if record_len == 0 or header_len + count * record_len > size + 1 or count > shapes_max or count > MAX_ROWS:
        raise GeometryError(f"{dbf.name} declares {count} records, more than the files hold",
                            f"{dbf.name} 声明 {count} 条记录，超过文件实际容量")


# pyshp speaks to the console about files it reads leniently (a header whose declared size is off, rings
# wound the wrong way): the import says what is wrong with a file in one line of its own, in either language.
logging.getLogger("shapefile").addHandler(logging.NullHandler())
logging.getLogger("shapefile").propagate = False


def _read_shp(path: Path, crs, county_code, extent) -> list[Row]:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module="shapefile")
        return _read_shp_rows(path, crs, county_code, extent)


def _read_shp_rows(path: Path, crs, county_code, extent) -> list[Row]:
    base = path.with_suffix("")
    code = _shp_crs(base, crs)
    encoding = _shp_encoding(base)
    _check_counts(base)
    rows = []
    with shapefile.Reader(str(base), encoding=encoding) as reader:
        fields = [f for f in reader.fields if f[0] != "DeletionFlag"]
        for i in range(len(reader)):
            n = i + 1
            try:
                record = reader.record(i)
                values = list(record)
            except Exception as exc:  # an undecodable or damaged record is this row's problem only
                msg = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
                rows.append(Row(n, {}, None, [GeometryError(f"record {n} unreadable: {msg}", f"第 {n} 条记录无法读取：{msg}")]))
                continue
            raw = {}
            for (name, kind, _size, decimals), value in zip(fields, values):
                if isinstance(value, float) and str(kind) in ("N", "F", "FieldType.N", "FieldType.F"):
                    value = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals)) if decimals else Decimal(repr(value))
                raw[name] = value
            try:
                shape = reader.shape(i)
                if shape.shapeType == shapefile.NULL:
                    geometry = None
                elif shape.shapeType not in (shapefile.POLYGON, shapefile.POLYGONZ, shapefile.POLYGONM):
                    geometry = GeometryError(f"shape type {shape.shapeTypeName} is not a polygon",
                                             f"几何类型 {shape.shapeTypeName} 不是面", "boundary")
                else:
                    geometry = shape.__geo_interface__
            except Exception as exc:
                msg = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
                geometry = GeometryError(f"shape {n} unreadable: {msg}", f"第 {n} 个几何无法读取：{msg}", "boundary")
            rows.append(_row(n, raw, geometry, code, county_code, extent))
    return rows


_REFUSED_XML = re.compile(r"<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.I)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _kml_coords(text: str) -> list:
    ring = []
    for token in (text or "").split():
        parts = token.split(",")
        if not 2 <= len(parts) <= 3:
            raise GeometryError(f"KML coordinate {token[:40]!r} is not lon,lat[,alt]",
                                f"KML 坐标 {token[:40]!r} 不是 经度,纬度[,高程]", "boundary")
        try:
            ring.append([Decimal(parts[0]), Decimal(parts[1])])
        except InvalidOperation:
            raise GeometryError(f"KML coordinate {token[:40]!r} is not numbers",
                                f"KML 坐标 {token[:40]!r} 不是数值", "boundary") from None
    return ring


def _kml_geometry(placemark):
    polygons, others = [], []
    for el in placemark.iter():
        name = _local(el.tag)
        if name == "Polygon":
            rings = []
            for boundary in el:
                kind = _local(boundary.tag)
                if kind in ("outerBoundaryIs", "innerBoundaryIs"):
                    for lr in boundary:
                        if _local(lr.tag) == "LinearRing":
                            coords = next((c for c in lr if _local(c.tag) == "coordinates"), None)
                            ring = _kml_coords(coords.text if coords is not None else "")
                            rings.insert(0, ring) if kind == "outerBoundaryIs" else rings.append(ring)
            polygons.append(rings)
        elif name in ("Point", "LineString", "Model", "Track", "MultiTrack"):
            others.append(name)
    if others:
        return GeometryError(f"KML {others[0]} is not a polygon", f"KML {others[0]} 不是面", "boundary")
    if not polygons:
        return None
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


_KML_TYPES = {"int": int, "uint": int, "short": int, "ushort": int,
              "float": Decimal, "double": Decimal, "bool": lambda t: t.strip().lower() in ("1", "true")}


def _read_kml(path, crs, county_code, extent) -> list[Row]:
    text = _read_text(path)
    if _REFUSED_XML.search(text):
        raise GeometryError(f"{path.name} declares a DTD or entities, which are refused",
                            f"{path.name} 含有 DTD 或实体声明，已拒绝")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise GeometryError(f"{path.name} is not well-formed XML: {exc}", f"{path.name} 不是格式正确的 XML：{exc}") from None
    code = shapes.crs_code(crs)
    schemas = {}
    for schema in root.iter():
        if _local(schema.tag) == "Schema":
            types = {f.get("name"): _KML_TYPES.get(f.get("type", "string"), str)
                     for f in schema if _local(f.tag) == "SimpleField"}
            for key in (schema.get("id"), schema.get("name")):
                if key:
                    schemas[key] = types
    rows = []
    placemarks = [el for el in root.iter() if _local(el.tag) == "Placemark"]
    for n, placemark in enumerate(placemarks, 1):
        raw, problems = {}, []
        for el in placemark.iter():
            tag = _local(el.tag)
            if tag == "Data" and el.get("name"):
                value = next((v.text for v in el if _local(v.tag) == "value"), None)
                raw[el.get("name")] = value if value is not None else None
            elif tag == "SchemaData":
                types = schemas.get((el.get("schemaUrl") or "").lstrip("#"), {})
                for simple in el:
                    if _local(simple.tag) == "SimpleData" and simple.get("name"):
                        name, value = simple.get("name"), simple.text or ""
                        try:
                            raw[name] = types.get(name, str)(value) if value.strip() else None
                        except (ValueError, InvalidOperation):
                            problems.append(GeometryError(f"{name} = {value[:40]!r} is not its declared type",
                                                          f"{name} = {value[:40]!r} 与声明类型不符", name))
        try:
            geometry = _kml_geometry(placemark)
        except GeometryError as exc:
            geometry = exc
        row = _row(n, raw, geometry, code, county_code, extent)
        row.problems[:0] = problems
        rows.append(row)
    return rows


# --- writing -------------------------------------------------------------------------------------------

def _items(rows):
    for row in rows:
        if isinstance(row, Row):
            yield to_national(row.attributes), row.boundary
        else:
            attributes, boundary = row
            yield to_national(attributes), boundary


def _shape_of(boundary):
    if boundary is None:
        return None
    return getattr(boundary, "shape", boundary)


def write(path, format: str, rows, encoding: str = "GBK") -> Path:
    """Write rows (Row or (attributes, boundary)) as a national layer: format 'shp', 'geojson' or 'kml'.

    encoding applies to the shapefile's DBF (GBK by default, as most county software expects).
    """
    items = list(_items(rows))
    path = Path(path)
    if format == "shp":
        return _write_shp(path, items, encoding)
    if format == "geojson":
        return _write_geojson(path, items)
    if format == "kml":
        return _write_kml(path, items)
    raise GeometryError(f"unknown layer format {format!r}: shp, geojson or kml",
                        f"未知图层格式 {format!r}：应为 shp、geojson 或 kml")


def _columns(items) -> list[str]:
    seen = {}
    for attributes, _ in items:
        for name in attributes:
            seen.setdefault(name, None)
    order = [f[0] for f in FIELDS if f[0] in seen]
    return order + [n for n in seen if n not in BY_NATIONAL]


def _places(d: Decimal) -> int:
    return max(0, -d.as_tuple().exponent)


def _shp_field(name: str, values: list, encoding: str):
    if not name.isascii() or not 1 <= len(name) <= 10:
        raise GeometryError(f"shapefile field name {name!r} must be 1..10 ASCII characters",
                            f"Shapefile 字段名 {name!r} 须为 1..10 个 ASCII 字符", name)
    present = [v for v in values if v is not None]
    if all(isinstance(v, bool) for v in present) and present:
        return (name, "L", 1, 0)
    if present and all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in present):
        decimals = [_decimal(v) for v in present]
        for d in decimals:
            if len(d.as_tuple().digits) > 15:
                raise GeometryError(f"{name} = {d} has more than 15 digits, too many to store exactly",
                                    f"{name} = {d} 超过 15 位有效数字，无法精确存储", name)
        places = max(_places(d) for d in decimals)
        width = max(len(format(d, f".{places}f")) for d in decimals)
        if width > 20:
            raise GeometryError(f"{name} values are too wide for a shapefile number", f"{name} 数值过宽", name)
        return (name, "N", max(width, 1), places)
    texts = [v if isinstance(v, str) else str(v) for v in present]
    width = max([len(t.encode(encoding)) for t in texts] or [1])
    if width > 254:
        raise GeometryError(f"{name} text is longer than 254 bytes", f"{name} 文本超过 254 字节", name)
    return (name, "C", max(width, 1), 0)


def _write_shp(path: Path, items, encoding: str) -> Path:
    base = path.with_suffix("")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise GeometryError(f"unknown encoding {encoding!r}", f"未知编码 {encoding!r}") from None
    columns = _columns(items)
    try:
        specs = [_shp_field(c, [a.get(c) for a, _ in items], encoding) for c in columns]
    except UnicodeEncodeError as exc:
        raise GeometryError(f"text cannot be written in {encoding}: {exc.object[exc.start:exc.end]!r}",
                            f"文本无法以 {encoding} 编码写出：{exc.object[exc.start:exc.end]!r}") from None
    with shapefile.Writer(str(base), shapeType=shapefile.POLYGON, encoding=encoding) as w:
        for spec in specs:
            w.field(*spec)
        for attributes, boundary in items:
            shape = _shape_of(boundary)
            if shape is None:
                w.null()
            else:
                shape = shapely.orient_polygons(shape, exterior_cw=True)   # the shapefile spec: outer rings clockwise
                parts = []
                for polygon in getattr(shape, "geoms", [shape]):
                    parts.append([list(c) for c in polygon.exterior.coords])
                    parts.extend([list(c) for c in hole.coords] for hole in polygon.interiors)
                w.poly(parts)
            record = []
            for (name, kind, _size, places), column in zip(specs, columns):
                value = attributes.get(column)
                if value is not None and kind == "N":
                    value = _decimal(value) if places else int(_decimal(value))
                elif value is not None and kind == "C" and not isinstance(value, str):
                    value = str(value)
                record.append(value)
            w.record(*record)
    base.with_suffix(".prj").write_text(pyproj.CRS.from_epsg(zones.GEOGRAPHIC).to_wkt("WKT1_ESRI"), "ascii")
    base.with_suffix(".cpg").write_text(encoding.upper(), "ascii")
    return base.with_suffix(".shp")


def _write_geojson(path: Path, items) -> Path:
    features = []
    for attributes, boundary in items:
        shape = _shape_of(boundary)
        geometry = None
        if shape is not None:
            geometry = shapes._lists(shapely.geometry.mapping(shapely.orient_polygons(shape, exterior_cw=False)))
        features.append({"type": "Feature", "properties": {k: v for k, v in attributes.items()},
                         "geometry": geometry})
    # RFC 7946 drops `crs`; the legacy member is kept so GIS software does not take the datum for WGS 84
    layer = {"type": "FeatureCollection",
             "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4490"}},
             "features": features}
    path.write_text(jsontext.dumps(layer) + "\n", "utf-8")
    return path


def _kml_type(values) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "bool"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int"
    if present and all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in present):
        return "double"
    return "string"


def _kml_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return jsontext.number_text(value)
    return str(value)


def _write_kml(path: Path, items) -> Path:
    ET.register_namespace("", KML_NS)
    q = lambda tag: f"{{{KML_NS}}}{tag}"   # noqa: E731
    root = ET.Element(q("kml"))
    doc = ET.SubElement(root, q("Document"))
    columns = _columns(items)
    schema = ET.SubElement(doc, q("Schema"), name="tuban", id="tuban")
    for c in columns:
        ET.SubElement(schema, q("SimpleField"), name=c, type=_kml_type([a.get(c) for a, _ in items]))
    for attributes, boundary in items:
        pm = ET.SubElement(doc, q("Placemark"))
        if attributes.get("TBBH") is not None:
            ET.SubElement(pm, q("name")).text = str(attributes["TBBH"])
        data = ET.SubElement(ET.SubElement(pm, q("ExtendedData")), q("SchemaData"), schemaUrl="#tuban")
        for c in columns:
            if attributes.get(c) is not None:
                ET.SubElement(data, q("SimpleData"), name=c).text = _kml_text(attributes[c])
        shape = _shape_of(boundary)
        if shape is None:
            continue
        shape = shapely.orient_polygons(shape, exterior_cw=False)
        polygons = list(getattr(shape, "geoms", [shape]))
        parent = ET.SubElement(pm, q("MultiGeometry")) if len(polygons) > 1 else pm
        for polygon in polygons:
            el = ET.SubElement(parent, q("Polygon"))
            for kind, ring in [("outerBoundaryIs", polygon.exterior)] + [("innerBoundaryIs", h) for h in polygon.interiors]:
                lr = ET.SubElement(ET.SubElement(el, q(kind)), q("LinearRing"))
                ET.SubElement(lr, q("coordinates")).text = " ".join(f"{x!r},{y!r}" for x, y in ring.coords)
    ET.indent(root)
    path.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    return path
