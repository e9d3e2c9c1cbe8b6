"""Offline SVG maps: every parcel drawn by state with findings marked, centres only when asked, and a
parcel's boundaries overlaid; rendered in headless chromium and looked at by colour."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
import shapely

from geometry import sample
from policies.registry import Finding
from reports import maps
from samples import scenario
from tests.support import run

SVG = "{http://www.w3.org/2000/svg}"
CENTRE = (83.6, 45.9)


def wkt(poly) -> str:
    return shapely.to_wkt(poly, rounding_precision=-1)


@pytest.fixture
def parcels(ledger):
    run(ledger, *scenario.programme())
    lines = []
    for i, area in enumerate(["6.1234", "2.5", "4.0"]):
        poly = sample.boundary((CENTRE[0] + 0.02 * i, CENTRE[1]), Decimal(area), seed=i)
        code = f"M{i}"
        life = scenario.works_life(code, date(2023, 3, 1), Decimal(area), Decimal("100"))[: 14 if i == 0 else 1 + i]
        life[0]["data"]["boundary"] = wkt(poly)
        for line in life:
            if line["do"] == "submit_design":
                line["data"]["design_boundary"] = wkt(poly)
            if line["do"] == "complete_works":
                line["data"]["as_built_boundary"] = wkt(sample.boundary(CENTRE, Decimal("5"), seed=0))
            if line["do"] == "accept":
                line["data"]["measured_boundary"] = wkt(sample.boundary(CENTRE, Decimal("5.5"), seed=0))
        lines += life
    run(ledger, *lines)
    return {p.code: p for p in ledger.each("parcel")}


def finding(subject, severity="high", rule="R26"):
    return Finding(rule, severity, subject, "R28.1", (1, 2, 3, 4), (("parcel", subject, 1),), date(2023, 5, 1))


def test_county_map_draws_every_parcel_in_its_state_colour(parcels):
    svg = maps.county_map(parcels.values(), [finding("M0"), finding("M0", "low", "R20")])
    root = ET.fromstring(svg)
    drawn = {p.get("data-code"): p for p in root.iter(SVG + "path") if p.get("class") == "parcel"}
    assert set(drawn) == {"M0", "M1", "M2"}
    for code, path in drawn.items():
        assert path.get("fill") == maps.STAGE_COLOURS[parcels[code].state]
    marks = [g for g in root.iter(SVG + "g") if g.get("class") == "finding"]
    assert [g.get("data-code") for g in marks] == ["M0"]
    assert marks[0].find(SVG + "circle").get("stroke") == maps.SEVERITY_COLOURS["high"]   # the gravest
    assert "R20" in marks[0].find(SVG + "title").text and "R26" in marks[0].find(SVG + "title").text


def test_centres_only_publishes_no_boundary(parcels):
    svg = maps.county_map(parcels.values(), centres_only=True, lang="zh")
    root = ET.fromstring(svg)
    assert not [p for p in root.iter(SVG + "path") if p.get("class") == "parcel"]
    assert len([c for c in root.iter(SVG + "circle") if c.get("class") == "parcel"]) == 3
    coordinates = "".join(p.get("d", "") for p in root.iter(SVG + "path"))
    assert coordinates.count("L") < 10            # only the scale bar and the north arrow
    assert "图斑分布图" in svg


def test_overlay_draws_each_recorded_boundary_with_its_area(parcels):
    root = ET.fromstring(maps.parcel_overlay(parcels["M0"]))
    kinds = {p.get("class"): p for p in root.iter(SVG + "path") if p.get("class", "").endswith("boundary")}
    assert set(kinds) == {"boundary", "design_boundary", "as_built_boundary", "measured_boundary"}
    legend = " ".join(t.text for t in root.iter(SVG + "text") if t.text)
    assert "design 6.1234 ha" in legend and "as built 5.0000 ha" in legend and "measured 5.5000 ha" in legend
    empty = maps.parcel_overlay(type("P", (), {"code": "X", "attributes": {}, "steps": {}, "design_boundary": None})())
    assert "no boundary recorded" in empty


def png_colours(data: bytes) -> set[tuple[int, int, int]]:
    """The RGB colours of an 8-bit RGB or RGBA PNG (what chromium writes), without an imaging library."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour = header[:4]
    assert depth == 8 and colour in (2, 6)
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, previous = zlib.decompress(b"".join(chunks)), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        previous = line
    return {tuple(row[i:i + 3]) for row in rows for i in range(0, stride, bpp)}


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed")
def test_the_maps_render_in_a_browser(parcels, tmp_path):
    page = tmp_path / "maps.html"
    page.write_text("<html><body style='margin:0'>" + maps.parcel_overlay(parcels["M0"], 600, 500)
                    + "</body></html>", "utf-8")
    png = tmp_path / "maps.png"
    subprocess.run(["chromium", "--headless", "--no-sandbox", f"--screenshot={png}", "--window-size=600,500",
                    str(page)], check=True, capture_output=True, timeout=60)
    present = png_colours(png.read_bytes())

    def near(hexcode):
        r, g, b = (int(hexcode[i:i + 2], 16) for i in (1, 3, 5))
        return any(abs(r - x) + abs(g - y) + abs(b - z) < 40 for x, y, z in present)

    assert near("#2171b5") and near("#e6550d") and near("#31a354")     # design, as built, measured strokes
