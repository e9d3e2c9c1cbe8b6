"""The national 图斑 layer: exact round trips through shp/GeoJSON/KML, every bad row reported."""

import json
from decimal import Decimal

import numpy as np
import pyproj
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon

from geometry import GeometryError, layers, parse, zones
from geometry.sample import boundary, layout

CENTRE = (83.6, 45.9)


def _rows():
    shapes = layout(["6.1234", "4.2377", "20.469"], CENTRE, seed=7)
    # the third: a MultiPolygon with a hole, to cover parts and rings
    big = shapes[2]
    hole = shapely.affinity.scale(big, 0.3, 0.3)
    holed = Polygon(big.exterior.coords, [hole.exterior.coords[::-1]])
    shapes[2] = MultiPolygon([holed, boundary((83.7, 45.95), "0.5", seed=9)])
    rows = []
    for i, shape in enumerate(shapes):
        b = parse(shapely.to_wkt(shape, rounding_precision=-1))
        rows.append(layers.Row(i + 1, {
            "code": f"CT654224202300001{i}001", "area_ha": b.area_ha, "category": "采矿用地", "subclass": "露天采场",
            "feature": ["pit", "waste_dump", "collapse_pit"][i], "mineral": "石灰岩", "mining_method": "open_pit",
            "closure_year": 2012 + i, "land_class": "0602", "planned_mode": "ecological_reconstruction",
            "direction": "草地", "restoration_status": "untreated",
            "lon": Decimal("83.612345"), "lat": Decimal("45.901234"),
            "name": ["老风口采坑", "庙尔沟镇废渣堆", "铁厂沟塌陷坑"][i], "township": "庙尔沟镇",
        }, b))
    return rows


def _coords(b):
    return shapely.get_coordinates(b.shape)


@pytest.mark.parametrize("fmt, suffix, encoding", [("shp", ".shp", "GBK"), ("shp", ".shp", "UTF-8"),
                                                   ("geojson", ".geojson", None), ("kml", ".kml", None)])
def test_round_trip_is_exact(tmp_path, fmt, suffix, encoding):
    rows = _rows()
    kw = {"encoding": encoding} if encoding else {}
    path = layers.write(tmp_path / f"tuban{suffix}", fmt, rows, **kw)
    back = layers.read(path)
    assert len(back) == len(rows)
    for original, row in zip(rows, back):
        assert row.problems == []
        assert row.attributes == original.attributes
        assert np.array_equal(_coords(row.boundary), _coords(original.boundary))
        assert row.boundary.area_m2 == original.boundary.area_m2
        assert row.boundary.area_ha == original.boundary.area_ha


def test_shapefile_rings_and_files(tmp_path):
    import shapefile
    path = layers.write(tmp_path / "t.shp", "shp", _rows())
    assert (tmp_path / "t.cpg").read_text() == "GBK"
    assert pyproj.CRS.from_wkt((tmp_path / "t.prj").read_text()).to_epsg() == 4490
    with shapefile.Reader(str(path), encoding="gbk") as r:
        assert all(len(f[0]) <= 10 for f in r.fields if f[0] != "DeletionFlag")
        assert r.record(0)["name"] == "老风口采坑" and r.record(0)["TBMJ"] == 61234
        shape = r.shape(2)
        rings = [shape.points[a:b] for a, b in zip(shape.parts, list(shape.parts[1:]) + [len(shape.points)])]
        assert [shapefile.is_cw(ring) for ring in rings] == [True, False, True]   # outer, hole, outer
    assert (tmp_path / "t.dbf").read_bytes().find("老风口采坑".encode("gbk")) > 0


def test_geojson_is_rfc7946_oriented(tmp_path):
    layers.write(tmp_path / "t.geojson", "geojson", _rows())
    fc = json.loads((tmp_path / "t.geojson").read_text("utf-8"))
    for feature in fc["features"]:
        polys = feature["geometry"]["coordinates"]
        polys = polys if feature["geometry"]["type"] == "MultiPolygon" else [polys]
        for poly in polys:
            assert Polygon(poly[0]).exterior.is_ccw
            assert all(not Polygon(h).exterior.is_ccw for h in poly[1:])
    assert fc["features"][0]["properties"]["TBMJ"] == 61234 and fc["features"][0]["properties"]["TBSX"] == "1"


def test_gk_prj_is_converted_and_other_prj_refused(tmp_path):
    rows = _rows()
    gk = [(r.attributes, zones.to_gk(r.boundary.shape, 28)) for r in rows]
    path = layers.write(tmp_path / "gk.shp", "shp", gk)
    (tmp_path / "gk.prj").write_text(pyproj.CRS.from_epsg(4537).to_wkt("WKT1_ESRI"))
    back = layers.read(path)
    for original, row in zip(rows, back):
        assert row.problems == [] and row.boundary.crs == 4537
        assert row.boundary.area_m2 == pytest.approx(original.boundary.area_m2, rel=1e-6)
    (tmp_path / "gk.prj").write_text(pyproj.CRS.from_epsg(4326).to_wkt("WKT1_ESRI"))
    with pytest.raises(GeometryError, match="4513..4554"):
        layers.read(path)
    (tmp_path / "gk.prj").unlink()
    with pytest.raises(GeometryError, match="prj is missing"):
        layers.read(path)
    assert layers.read(path, crs="EPSG:4537")[0].boundary.crs == 4537


def test_missing_cpg_means_gbk(tmp_path):
    path = layers.write(tmp_path / "t.shp", "shp", _rows())
    (tmp_path / "t.cpg").unlink()
    assert layers.read(path)[1].attributes["name"] == "庙尔沟镇废渣堆"


def test_national_and_project_names_and_every_bad_row(tmp_path):
    good = parse(boundary(CENTRE, "2", seed=1).wkt).to_geojson()
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"TBBH": "CT6542242023000001001", "TBMJ": 61234.5, "TBSX": 1,
                                           "KCFS": "B", "HFZLQK": "B", "township": "庙尔沟镇"}, "geometry": good},
        {"type": "Feature", "properties": {"code": "CT6542242023000002001", "area_ha": 2.5, "feature": "井口/硐口",
                                           "mining_method": "combined"}, "geometry": good},
        {"type": "Feature", "properties": {"TBBH": "CT65422", "TBSX": 9, "GBND": "20x5"},
         "geometry": {"type": "Polygon", "coordinates": [[[83.6, 45.9], [83.61, 45.91], [83.61, 45.9], [83.6, 45.91], [83.6, 45.9]]]}},
        {"type": "Feature", "properties": {"TBBH": "CT6542242023000004001", "code": "CT6542242023000005001"}, "geometry": None},
        {"type": "Feature", "properties": {"TBBH": "CT6542212023000006001"}, "geometry": good},
    ]}
    (tmp_path / "in.geojson").write_text(json.dumps(fc, ensure_ascii=False), "utf-8")
    rows = layers.read(tmp_path / "in.geojson", county_code="654224")
    a = rows[0].attributes
    assert a == {"code": "CT6542242023000001001", "area_ha": Decimal("6.12345"), "feature": "pit",
                 "mining_method": "underground", "restoration_status": "treated", "township": "庙尔沟镇"}
    assert rows[1].attributes["feature"] == "shaft_entrance" and rows[1].attributes["area_ha"] == Decimal("2.5")
    assert rows[0].problems == rows[1].problems == []
    fields = {p.field for p in rows[2].problems}
    assert fields == {"code", "feature", "closure_year", "boundary"}
    assert any("自相交" in p.zh for p in rows[2].problems)
    assert {p.field for p in rows[3].problems} == {"code", "boundary"}   # contradiction + no geometry
    assert [p.field for p in rows[4].problems] == ["code"]               # another county
    assert rows[2].boundary is None and rows[4].boundary is not None


def test_kml_refuses_dtd_and_reads_plain_data(tmp_path):
    bomb = '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaa">]><kml>&a;</kml>'
    (tmp_path / "b.kml").write_text(bomb)
    with pytest.raises(GeometryError, match="DTD"):
        layers.read(tmp_path / "b.kml")
    plain = ('<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>'
             '<ExtendedData><Data name="TBBH"><value>CT6542242023000001001</value></Data>'
             '<Data name="TBMJ"><value>1234.5</value></Data></ExtendedData>'
             '<Polygon><outerBoundaryIs><LinearRing><coordinates>83.6,45.9,0 83.61,45.9,0 83.61,45.91,0 83.6,45.9,0'
             '</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>'
             '<Placemark><Point><coordinates>83.6,45.9</coordinates></Point></Placemark></Document></kml>')
    (tmp_path / "p.kml").write_text(plain)
    rows = layers.read(tmp_path / "p.kml")
    assert rows[0].attributes == {"code": "CT6542242023000001001", "area_ha": Decimal("0.12345")}
    assert rows[0].problems == [] and rows[1].problems[0].field == "boundary"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["t.shp", "t.dbf", "t.shx", "t.geojson", "t.kml"]), st.binary(max_size=400),
       st.integers(0, 2000))
def test_damaged_files_only_raise_geometry_error(tmp_path_factory, which, junk, at):
    d = tmp_path_factory.mktemp("junk")
    rows = _rows()
    layers.write(d / "t.shp", "shp", rows)
    layers.write(d / "t.geojson", "geojson", rows)
    layers.write(d / "t.kml", "kml", rows)
    target = d / which
    data = bytearray(target.read_bytes())
    at = min(at, len(data))
    target.write_bytes(bytes(data[:at]) + junk + bytes(data[at + len(junk):]))
    suffix = ".shp" if which.startswith("t.s") or which.endswith(".dbf") else target.suffix
    try:
        for row in layers.read(d / f"t{suffix}"):
            assert all(isinstance(p, GeometryError) for p in row.problems)
    except GeometryError:
        pass


def test_write_refuses_what_it_cannot_store_exactly(tmp_path):
    row = _rows()[0]
    with pytest.raises(GeometryError, match="15 digits"):
        layers.write(tmp_path / "t.shp", "shp", [({**row.attributes, "lon": Decimal("83.12345678901234567")}, row.boundary)])
    with pytest.raises(GeometryError, match="10 ASCII"):
        layers.write(tmp_path / "t.shp", "shp", [({**row.attributes, "township_name": "x"}, row.boundary)])
    with pytest.raises(GeometryError, match="GBK|gbk"):
        layers.write(tmp_path / "t.shp", "shp", [({**row.attributes, "name": "🙂"}, row.boundary)])
    with pytest.raises(GeometryError):
        layers.write(tmp_path / "t.x", "gpkg", [row])


def test_dbf_claiming_billions_of_records_is_refused_at_once(tmp_path):
    import struct
    import time
    path = layers.write(tmp_path / "t.shp", "shp", _rows())
    data = bytearray((tmp_path / "t.dbf").read_bytes())
    data[4:8] = struct.pack("<I", 0x7F000003)
    (tmp_path / "t.dbf").write_bytes(bytes(data))
    start = time.perf_counter()
    with pytest.raises(GeometryError, match="declares 2130706435 records"):
        layers.read(path)
    assert time.perf_counter() - start < 1
