"""Boundaries on events: kept exactly as given, checked at the door, measured when read (show --json)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
import shapely

from geometry.sample import boundary as sample_boundary
from geometry.shapes import GEOD
from policies.refusals import Refused
from samples import scenario
from tests.support import run, store_bytes
from workflow.boundaries import FIELDS

CODE = "TL-2023-01"
CENTRE = (83.6, 45.9)
AREA = Decimal("6.1234")


@pytest.fixture(autouse=True)
def programme(ledger):
    run(ledger, *scenario.programme("P", on=date(2022, 12, 1)))


def with_boundaries(life, texts: dict) -> list[dict]:
    """The life's commands, each boundary field set on the trigger that carries it."""
    out = []
    for line in life:
        name = FIELDS.get(line["do"])
        if name and line["do"] in texts:
            line = {**line, "data": {**line.get("data", {}), name: texts[line["do"]]}}
        out.append(line)
    return out


def test_each_trigger_keeps_its_boundary_exactly_and_show_measures_it(ledger):
    poly = sample_boundary(CENTRE, AREA, seed=1)
    wkt = shapely.to_wkt(poly, rounding_precision=-1)
    geojson = json.dumps(shapely.geometry.mapping(poly))
    texts = {"register": wkt, "submit_design": geojson, "complete_works": "  " + wkt, "accept": geojson}
    run(ledger, *with_boundaries(scenario.works_life(CODE, date(2023, 3, 1), AREA, Decimal("120.50"),
                                                     programme="P"), texts))
    history = {getattr(e, "trigger", None): e for e in ledger.history("parcel", CODE)}
    for trigger, text in texts.items():
        assert history[trigger].data[FIELDS[trigger]] == text           # stored as given, not re-written
    summary = ledger.get("parcel", CODE).summary()
    found = summary["boundaries"]
    assert set(found) == {"boundary", "design_boundary", "as_built_boundary", "measured_boundary"}
    expected = abs(GEOD.geometry_area_perimeter(poly)[0])
    for kind, described in found.items():
        assert described["area_ha"] == AREA, kind
        assert described["area_m2"] == pytest.approx(expected, abs=0.01)
        assert described["geojson"]["type"] == "Polygon"


def test_a_design_change_replaces_the_design_boundary(ledger):
    life = scenario.works_life(CODE, date(2023, 3, 1), AREA, Decimal("120.50"), programme="P")
    first = shapely.to_wkt(sample_boundary(CENTRE, AREA, seed=1), rounding_precision=-1)
    later = shapely.to_wkt(sample_boundary(CENTRE, Decimal("5.5"), seed=2), rounding_precision=-1)
    run(ledger, *with_boundaries(life[:6], {"submit_design": first}))
    run(ledger, scenario.command("approve_design_change", CODE, date(2023, 5, 1), scenario.NRB,
                                 {"change_ref": "BG-1", "experts": ["赵专家"], "design_boundary": later}))
    assert ledger.get("parcel", CODE).summary()["boundaries"]["design_boundary"]["area_ha"] == Decimal("5.5000")


SELF_CROSSING = "POLYGON((83.6 45.9, 83.61 45.91, 83.61 45.9, 83.6 45.91, 83.6 45.9))"


@pytest.mark.parametrize("text, reason", [
    (SELF_CROSSING, "self-intersection at 83.605000, 45.905000"),
    ("POLYGON((3.6 45.9, 3.61 45.9, 3.61 45.91, 3.6 45.91, 3.6 45.9))", "outside China"),
    ("SRID=3857;POLYGON((500000 5000000, 500100 5000000, 500100 5000100, 500000 5000100, 500000 5000000))",
     "'3857' is not accepted"),
    ('{"type": "Point", "coordinates": [83.6, 45.9]}', "not a Polygon"),
    ('{"type": "Polygon", "coordinates": ' + "[" * 40 + "1" + "]" * 40 + "}", "nested deeper"),
    ("POLYGON((" + ", ".join(f"83.{i:06d} 45.9" for i in range(100_002)) + "))", "more than 100000 vertices"),
])
def test_bad_boundaries_are_refused_with_the_reason_and_change_nothing(ledger, store_url, text, reason):
    before = store_bytes(store_url)
    line = scenario.command("register", CODE, date(2023, 3, 1), scenario.NRB,
                            {**scenario.attributes(CODE, AREA), "boundary": text})
    with pytest.raises(Refused) as refused:
        run(ledger, line)
    message = refused.value.text("en")
    assert reason in message and len(message) < 400 and "\n" not in message
    assert refused.value.text("zh") != message
    assert store_bytes(store_url) == before


def test_a_gauss_kruger_boundary_is_converted_when_named():
    from workflow.boundaries import boundary, described

    text = "SRID=4538;POLYGON((500000 5000000, 500100 5000000, 500100 5000100, 500000 5000100, 500000 5000000))"
    assert boundary(text) == text
    shown = described(text)
    assert shown["area_ha"] == Decimal("1.0000") and shown["given_in"] == "EPSG:4538"
    lon, lat = shown["centre"]
    assert 86.9 < lon < 87.1 and 45 < lat < 45.3


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.floats(74, 134), st.floats(18, 53), st.decimals(Decimal("0.01"), Decimal("50"), places=4),
       st.integers(0, 10**6), st.sampled_from([None, False, True]))
def test_the_audits_quick_measure_equals_the_full_read(lon, lat, area, seed, gk):
    """What the audit re-measures of a recorded text is what the door measured, and pyproj's Geod area."""
    from geometry import stored, zones

    poly = sample_boundary((lon, lat), area, seed=seed)
    text = shapely.to_wkt(poly, rounding_precision=-1)
    if gk is not None:
        zone = zones.zone_of(poly.centroid.x)
        text = f"SRID={zones.epsg_for(zone, gk)};" + shapely.to_wkt(zones.to_gk(poly, zone, gk), rounding_precision=-1)
    full, quick = stored.check(text), stored.measure(text)
    assert quick.area_m2 == pytest.approx(full.area_m2, rel=1e-12) and quick.area_ha == full.area_ha
    assert quick.zone == full.zone and quick.crs == full.crs
    assert stored.area_m2(text) == quick.area_m2    # R28's area-only reading
    if gk is None:
        assert full.area_ha == area and quick.area_m2 == pytest.approx(abs(GEOD.geometry_area_perimeter(poly)[0]),
                                                                        rel=1e-12)
