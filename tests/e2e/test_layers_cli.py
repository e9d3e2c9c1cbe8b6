"""The national 图斑 layer through the command line: import every format, export, and back again exactly."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import shapely
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import cli
from geometry import layers, sample
from tests.support import store_bytes

COUNTY = "654224"
TOWNS = ["托里镇", "庙尔沟镇", "铁厂沟镇", "乌雪特乡"]
NAMES = st.text(alphabet="采坑石料厂砂场东西南北一二三矿区", min_size=1, max_size=8)


def code(i: int) -> str:
    return f"CT{COUNTY}2023{i:06d}001"


def invoke(runner, *args, ok=True):
    result = runner.invoke(cli, list(args))
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def store(tmp_path, monkeypatch):
    def fresh(name="s"):
        url = f"sqlite:///{tmp_path / (name + '.db')}"
        monkeypatch.setenv("MINEREHAB_STORE", url)
        invoke(CliRunner(), "init", "--unsigned")
        return url
    return fresh


def parcels_of(runner) -> dict:
    out = {}
    for row in json.loads(invoke(runner, "list", "--json").output):
        out[row["parcel"]] = json.loads(invoke(runner, "show", row["parcel"], "--json").output)
    return out


def layer_rows(areas, names, towns, seed):
    rows = []
    for i, (area, name, town) in enumerate(zip(areas, names, towns), 1):
        poly = sample.boundary((83.5 + 0.03 * i, 45.9 + 0.01 * (i % 3)), area, seed=seed + i)
        rows.append(({"code": code(i), "area_ha": area, "name": name, "township": town, "feature": "pit",
                      "mining_method": "open_pit", "closure_year": 1998 + i, "mineral": "石灰岩"}, poly))
    return rows


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(st.lists(st.decimals(Decimal("0.05"), Decimal("30"), places=4), min_size=1, max_size=4),
       st.lists(NAMES, min_size=4, max_size=4), st.lists(st.sampled_from(TOWNS), min_size=4, max_size=4),
       st.sampled_from(["shp", "geojson", "kml"]), st.integers(0, 10_000))
def test_export_then_import_gives_geometry_and_attributes_back(store, tmp_path, areas, names, towns, fmt, seed):
    """GBK names included: a shapefile is written in GBK by default and read back by its .cpg."""
    runner = CliRunner()
    run = uuid.uuid4().hex[:8]  # tmp_path outlives the examples: each gets stores and files of its own
    source = tmp_path / f"in-{run}.{fmt}"
    layers.write(source, fmt, layer_rows(areas, names, towns, seed))
    store(f"a{run}")
    invoke(runner, "import", "parcels", str(source), "--on", "2023-02-20", "--actor", "张玉峰", "--county", COUNTY)
    first = parcels_of(runner)
    out = tmp_path / f"out-{run}.{fmt}"
    invoke(runner, "export", "parcels", "--format", fmt, "--output", str(out))
    store(f"b{run}")
    invoke(runner, "import", "parcels", str(out), "--on", "2023-02-20", "--actor", "张玉峰", "--county", COUNTY)
    second = parcels_of(runner)
    assert set(first) == set(second) == {code(i) for i in range(1, len(areas) + 1)}
    for key, a in first.items():
        b = second[key]
        for name in ("name", "township", "feature", "mining_method", "closure_year", "mineral"):
            assert a["attributes"][name] == b["attributes"][name], name
        assert Decimal(a["attributes"]["area_ha"]) == Decimal(b["attributes"]["area_ha"])
        ga = shapely.geometry.shape(a["boundaries"]["boundary"]["geojson"])
        gb = shapely.geometry.shape(b["boundaries"]["boundary"]["geojson"])
        assert shapely.equals_exact(shapely.normalize(ga), shapely.normalize(gb), tolerance=0), key
        assert a["boundaries"]["boundary"]["area_ha"] == b["boundaries"]["boundary"]["area_ha"]


def test_the_shapefile_is_the_national_one(store, tmp_path):
    runner = CliRunner()
    source = tmp_path / "in.geojson"
    layers.write(source, "geojson", layer_rows([Decimal("6.1234"), Decimal("2.5")], ["老风口采坑", "西沟"], TOWNS, 1))
    store()
    invoke(runner, "import", "parcels", str(source), "--on", "2023-02-20", "--actor", "张玉峰")
    invoke(runner, "export", "parcels", "--format", "shp", "--output", str(tmp_path / "out.shp"))
    import shapefile

    assert (tmp_path / "out.cpg").read_text() == "GBK"
    assert "CGCS_2000" in (tmp_path / "out.prj").read_text() or "CGCS2000" in (tmp_path / "out.prj").read_text()
    with shapefile.Reader(str(tmp_path / "out"), encoding="gbk") as r:
        names = [f[0] for f in r.fields[1:]]
        assert names[:2] == ["TBBH", "TBMJ"] and "HFZLQK" in names
        rec = r.record(0)
        assert rec["TBBH"] == code(1) and rec["name"] == "老风口采坑" and Decimal(str(rec["TBMJ"])) == Decimal("61234")
        ring = r.shape(0).points
        assert shapely.LinearRing(ring).is_ccw is False                      # outer rings clockwise
    raw = (tmp_path / "out.dbf").read_bytes()
    assert "老风口采坑".encode("gbk") in raw


def test_every_bad_row_is_reported_and_nothing_written(store, tmp_path):
    runner = CliRunner()
    rows = layer_rows([Decimal("1.5"), Decimal("2"), Decimal("3")], ["a", "b", "c"], TOWNS, 3)
    rows[0][0]["code"] = "CT65422520230000010001"                 # wrong length
    rows[1][0]["code"] = "CT6542252023000002001"                  # another county
    bad = shapely.Polygon([(83.6, 45.9), (83.61, 45.91), (83.61, 45.9), (83.6, 45.91)])
    rows[2] = (rows[2][0], bad)
    source = tmp_path / "bad.geojson"
    layers.write(source, "geojson", rows)
    url = store()
    before = store_bytes(url)
    result = invoke(runner, "import", "parcels", str(source), "--on", "2023-02-20", "--actor", "a",
                    "--county", COUNTY, ok=False)
    assert result.exit_code == 2
    line = result.output.strip()
    assert "3 problems" in line and "row 1" in line and "row 2" in line and "row 3" in line
    assert "self-intersection" in line and "654225" in line and "\n" not in line
    assert store_bytes(url) == before


def test_a_table_under_national_names_is_mapped(store, tmp_path):
    runner = CliRunner()
    poly = sample.boundary((83.6, 45.9), Decimal("1.2345"), seed=5)
    table = tmp_path / "national.csv"
    table.write_text("TBBH,TBMJ,TBSX,KCFS,name,township,boundary\n"
                     f'{code(7)},12345,1,A,东沟,托里镇,"{shapely.to_wkt(poly, rounding_precision=-1)}"\n', "utf-8")
    store()
    invoke(runner, "import", "parcels", str(table), "--on", "2023-02-20", "--actor", "a")
    shown = json.loads(invoke(runner, "show", code(7), "--json").output)
    assert shown["attributes"]["area_ha"] == "1.2345" and shown["attributes"]["feature"] == "pit"
    assert shown["attributes"]["mining_method"] == "open_pit"
    assert shown["boundaries"]["boundary"]["area_ha"] == "1.2345"


def test_the_notice_workbook_has_decimal_cells(store, tmp_path):
    from openpyxl import load_workbook

    runner = CliRunner()
    source = tmp_path / "in.geojson"
    layers.write(source, "geojson", layer_rows([Decimal("6.1234"), Decimal("2.5")], ["老风口采坑", "西沟"], TOWNS, 1))
    store()
    invoke(runner, "import", "parcels", str(source), "--on", "2023-02-20", "--actor", "a")
    invoke(runner, "--lang", "zh", "export", "parcels", "--format", "xlsx", "--output", str(tmp_path / "n.xlsx"))
    sheet = load_workbook(tmp_path / "n.xlsx").active
    assert sheet["B2"].value == "图斑编号" and sheet["F2"].value == "图斑面积（公顷）"
    assert sheet["B3"].value == code(1) and sheet["F3"].value == pytest.approx(6.1234)
    assert sheet["F3"].data_type == "n" and sheet["F3"].number_format == "0.0000"
    assert sheet["G3"].value == pytest.approx(6.1234)


def test_export_refuses_an_unknown_batch_and_a_wrong_suffix(store, tmp_path):
    runner = CliRunner()
    store()
    r = invoke(runner, "export", "parcels", "--format", "shp", "--output", str(tmp_path / "x.geojson"), ok=False)
    assert r.exit_code == 2 and ".shp" in r.output
    r = invoke(runner, "export", "parcels", "--format", "geojson", "--output", str(tmp_path / "x.geojson"),
               "--batch", "B9", ok=False)
    assert r.exit_code == 2 and "B9" in r.output
    assert not Path(tmp_path / "x.geojson").exists()


@pytest.mark.parametrize("value", [
    '{"type": "Polygon", "coordinates": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "POLYGON((" + ", ".join(f"83.{i:06d} 45.9" for i in range(150_000)) + "))",
    "POLYGON((83.6 45.9, 83.61 45.91, 83.61 45.9, 83.6 45.91, 83.6 45.9))",
    "SRID=32644;POLYGON((500000 5000000, 500100 5000000, 500100 5000100, 500000 5000000))",
    "@/nonexistent/boundary.geojson",
])
def test_a_hostile_boundary_is_one_line_exit_2_and_changes_nothing(store, value):
    runner = CliRunner()
    url = store()
    before = store_bytes(url)
    result = invoke(runner, "do", "register", code(1), "--on", "2023-02-20", "--actor", "a", "--role", "nrb",
                    "--set", "name=x", "--set", "township=t", "--set", "area_ha=1", "--set", f"boundary={value}",
                    ok=False)
    assert result.exit_code == 2 and result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.output.strip().splitlines()) == 1 and len(result.output) < 600
    assert store_bytes(url) == before


def test_a_shapefile_pyshp_reads_leniently_gets_our_one_line_only(tmp_path):
    """A header whose declared size is off and rings wound the wrong way: pyshp warns on the console; the user
    sees the import's own line and nothing of the library's (a real process, as a county official runs it)."""
    import os
    import subprocess
    import sys

    import shapefile

    with shapefile.Writer(str(tmp_path / "t"), shapeType=shapefile.POLYGON) as w:
        w.field("TBBH", "C")
        w.poly([[(83.6, 45.9), (83.61, 45.9), (83.61, 45.91), (83.6, 45.9)]])   # counter-clockwise: a "hole"
        w.record("x")
    with open(tmp_path / "t.shp", "ab") as f:
        f.write(b"junkjunk")
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "MINEREHAB_STORE": f"sqlite:///{tmp_path / 's.db'}", "PYTHONPATH": str(root)}

    def run(*args):
        return subprocess.run([sys.executable, "-c", "import cli; cli.main()", *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)

    assert run("init", "--unsigned").returncode == 0
    result = run("import", "parcels", "t.shp", "--on", "2024-01-01", "--actor", "张玉峰", "--crs", "EPSG:4490")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("minerehab: t.shp: ") and "TBBH 'x'" in lines[0], result.stderr
