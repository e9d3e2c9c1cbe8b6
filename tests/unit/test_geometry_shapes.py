"""parse(): areas agree with pyproj's Geod, GK input round-trips, bad input is only ever GeometryError."""

import json
import math
from decimal import Decimal

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon

from geometry import GeometryError, parse, zones
from geometry.sample import boundary as sample_boundary
from geometry.shapes import GEOD, ellipsoidal_area

SQUARE = "POLYGON((83.6 45.9, 83.61 45.9, 83.61 45.91, 83.6 45.91, 83.6 45.9))"


def star(lon, lat, radii, turn=0.0):
    n = len(radii)
    ring = [(lon + r * math.cos(turn + 2 * math.pi * i / n) * 0.01,
             lat + r * math.sin(turn + 2 * math.pi * i / n) * 0.01) for i, r in enumerate(radii)]
    return Polygon(ring + ring[:1])


polygons = st.builds(star, st.floats(74, 134), st.floats(4, 53),
                     st.lists(st.floats(0.2, 1.0), min_size=3, max_size=30), st.floats(0, 6.28))


@settings(max_examples=150, deadline=None)
@given(polygons, st.booleans())
def test_area_is_pyprojs_geod_area(poly, clockwise):
    poly = shapely.orient_polygons(poly, exterior_cw=clockwise)
    expected = abs(GEOD.polygon_area_perimeter(*poly.exterior.xy)[0])
    b = parse(shapely.to_wkt(poly, rounding_precision=-1))
    assert b.area_m2 == pytest.approx(expected, rel=1e-12)
    assert b.area_ha == Decimal(expected / 10000).quantize(Decimal("0.0001"), rounding="ROUND_HALF_UP")


def test_holes_subtracted_and_parts_summed_whatever_the_orientation():
    outer = star(83.6, 45.9, [1] * 12)
    hole = star(83.6, 45.9, [0.3] * 12)
    other = star(83.7, 45.9, [0.5] * 7)
    a_outer, a_hole, a_other = (abs(GEOD.polygon_area_perimeter(*p.exterior.xy)[0]) for p in (outer, hole, other))
    for cw in (True, False):
        holed = Polygon(outer.exterior.coords, [hole.exterior.coords])
        holed = shapely.orient_polygons(holed, exterior_cw=cw)
        multi = shapely.MultiPolygon([holed, other])
        assert parse(multi.wkt).area_m2 == pytest.approx(a_outer - a_hole + a_other, rel=1e-12)
        assert parse(json.dumps(shapely.geometry.mapping(multi))).area_m2 == pytest.approx(a_outer - a_hole + a_other, rel=1e-12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(73.6, 135.9), st.floats(18, 53), st.lists(st.floats(0.3, 1.0), min_size=3, max_size=20),
       st.booleans())
def test_gk_round_trip(lon, lat, radii, prefixed):
    poly = star(lon, lat, radii)
    b = parse(poly.wkt)
    code = zones.epsg_for(b.zone, prefixed)
    gk = zones.to_gk(b.shape, b.zone, prefixed)
    again = parse(shapely.to_wkt(gk, rounding_precision=-1), crs=f"EPSG:{code}")
    assert again.area_m2 == pytest.approx(b.area_m2, rel=1e-6)
    assert again.crs == code and again.zone == b.zone


def test_tuoli_zone():
    b = parse(SQUARE)
    assert b.zone == 28 and zones.epsg_for(28) == 4537 and zones.epsg_for(28, prefixed=True) == 4516
    assert zones.central_meridian(28) == 84


def test_geojson_feature_dict_and_text_agree():
    geo = parse(SQUARE).to_geojson()
    feature = {"type": "Feature", "properties": {"名称": "老风口采坑"}, "geometry": geo}
    assert parse(geo).area_m2 == parse(json.dumps(feature)).area_m2 == parse(SQUARE).area_m2
    assert parse(SQUARE).source == SQUARE


def test_geojson_is_counter_clockwise():
    cw = "POLYGON((83.6 45.9, 83.6 45.91, 83.61 45.91, 83.61 45.9, 83.6 45.9))"
    ring = parse(cw).to_geojson()["coordinates"][0]
    assert Polygon(ring).exterior.is_ccw


@pytest.mark.parametrize("crs", [None, "EPSG:4490", "CGCS2000", "epsg:4490", 4490, "urn:ogc:def:crs:EPSG::4490"])
def test_accepted_crs(crs):
    assert parse(SQUARE, crs=crs).crs == 4490


@pytest.mark.parametrize("crs", ["EPSG:4326", "WGS84", "EPSG:3857", "EPSG:4512", "EPSG:4555", "", True])
def test_refused_crs_names_the_accepted(crs):
    with pytest.raises(GeometryError) as err:
        parse(SQUARE, crs=crs)
    assert "4490" in err.value.en and "4513..4554" in err.value.zh


def test_geojson_crs_member_must_agree():
    geo = parse(SQUARE).to_geojson()
    geo["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4490"}}
    assert parse(geo).crs == 4490
    with pytest.raises(GeometryError, match="4537"):
        parse(geo, crs="EPSG:4537")
    geo["crs"] = {"type": "name", "properties": {"name": "EPSG:4326"}}
    with pytest.raises(GeometryError):
        parse(geo)


@pytest.mark.parametrize("text, en, zh", [
    ("POLYGON((83.6 45.9, 83.61 45.91, 83.61 45.9, 83.6 45.91, 83.6 45.9))",
     "self-intersection at 83.605000, 45.905000", "边界自相交，位置 83.605000, 45.905000"),
    ('{"type":"Polygon","coordinates":[[[83.6,45.9],[83.61,45.9],[83.61,45.91],[83.6,45.91]]]}', "not closed", "未闭合"),
    ('{"type":"Polygon","coordinates":[[[83.6,45.9],[83.61,45.9],[83.6,45.9]]]}', "at least 4 points", "至少需要 4 个点"),
    ("POLYGON((0 0, 1 0, 1 1, 0 0))", "outside China", "超出我国范围"),
    ('{"type":"Point","coordinates":[83.6,45.9]}', "not a Polygon", "不是 Polygon"),
    ("LINESTRING(83.6 45.9, 83.7 45.9)", "not a Polygon", "不是 Polygon"),
    ('{"type":"Polygon","coordinates":[[[83.6,45.9],[NaN,45.9],[83.61,45.91],[83.6,45.9]]]}', "not valid JSON", "JSON"),
    ('{"type":"Polygon","coordinates":[[[83.6,45.9],[1e999,45.9],[83.61,45.91],[83.6,45.9]]]}', "not finite", "有限数"),
    ("[" * 100000 + "]" * 100000, "not a Polygon", "不是"),
    ('{"a":' * 5000 + "1" + "}" * 5000, "nested deeper", "嵌套"),
    ("POLYGON" + "(" * 5000 + ")" * 5000, "nested too deeply", "嵌套过深"),
    ("x" * (2 * 1024 * 1024 + 1), "longer than", "超过"),
])
def test_refusals_say_why_in_both_languages(text, en, zh):
    with pytest.raises(GeometryError) as err:
        parse(text)
    assert en in err.value.en and zh in err.value.zh


def test_vertex_limit():
    poly = sample_boundary((83.6, 45.9), "5", vertices=100_001)
    with pytest.raises(GeometryError, match="100000 vertices"):
        parse(shapely.to_wkt(poly))
    with pytest.raises(GeometryError, match="100000 vertices"):
        parse(shapely.geometry.mapping(poly))


def test_county_extent():
    parse(SQUARE, extent=(83.0, 45.5, 84.5, 46.5))
    with pytest.raises(GeometryError, match="expected extent"):
        parse(SQUARE, extent=(84.0, 45.5, 84.5, 46.5))


def test_area_ha_rounds_half_up():
    from geometry.shapes import hectares
    assert hectares(61234.5) == Decimal("6.1235")   # 6.12345 exactly representable → up
    assert hectares(61234.49999) == Decimal("6.1234")


# hostile input -----------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda kids: st.lists(kids, max_size=5) | st.dictionaries(st.text(max_size=8), kids, max_size=5),
    max_leaves=30)
positions = st.lists(st.one_of(st.floats(), st.integers(), st.text(max_size=3), st.none(), st.booleans()),
                     max_size=4)
geojsonish = st.fixed_dictionaries(
    {"type": st.sampled_from(["Polygon", "MultiPolygon", "Feature", "Point", 7, None])},
    optional={"coordinates": st.one_of(json_values, st.lists(st.lists(positions, max_size=6), max_size=3),
                                       st.lists(st.lists(st.lists(positions, max_size=6), max_size=2), max_size=2)),
              "geometry": json_values,
              "crs": json_values})
wktish = st.builds(lambda head, body: head + body,
                   st.sampled_from(["POLYGON", "MULTIPOLYGON", "POLYGON Z", "GEOMETRYCOLLECTION", "POINT", ""]),
                   st.text(alphabet="()0123456789., -eEnaNinfZ", max_size=120))


def _only_geometry_error(value, **kw):
    try:
        parse(value, **kw)
    except GeometryError as exc:
        assert exc.en and exc.zh and "\n" not in exc.en and "\n" not in exc.zh


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.binary(), json_values, geojsonish, wktish,
                 geojsonish.map(json.dumps), st.integers(), st.lists(st.integers())))
def test_hostile_input_only_raises_geometry_error(value):
    _only_geometry_error(value)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=30), st.integers(), st.floats()),
       st.one_of(st.none(), st.tuples(*[st.floats()] * 4), st.just("abcd")))
def test_hostile_options_only_raise_geometry_error(crs, extent):
    _only_geometry_error(SQUARE, crs=crs, extent=extent)


@settings(max_examples=60, deadline=None)
@given(polygons, st.booleans())
def test_ring_by_ring_area_is_geometry_area_perimeter(poly, clockwise):
    """The array-based sum gives pyproj's own geometry_area_perimeter on an oriented shape."""
    hole = shapely.affinity.scale(poly, 0.2, 0.2)
    holed = shapely.orient_polygons(Polygon(poly.exterior.coords, [hole.exterior.coords]), exterior_cw=False)
    assert ellipsoidal_area(shapely.orient_polygons(holed, exterior_cw=clockwise)) == pytest.approx(
        GEOD.geometry_area_perimeter(holed)[0], rel=1e-12)
