"""The Tuoli sample, the county-table imports and the progress report."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from cli import cli
from reports.progress import progress
from tests.support import store_bytes
from workflow.vocabulary import ATTRIBUTES

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tuoli-2023-2025"


def load_sample_module():
    spec = importlib.util.spec_from_file_location("make_sample", SAMPLE / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def runner(fresh_url, monkeypatch):
    monkeypatch.setenv("MINEREHAB_STORE", fresh_url)
    monkeypatch.setenv("MINEREHAB_ACTOR", "张玉峰")
    monkeypatch.setenv("MINEREHAB_ROLE", "nrb")
    r = CliRunner()
    assert r.invoke(cli, ["init", "--unsigned"]).exit_code == 0
    assert r.invoke(cli, ["apply", "--migration", str(SAMPLE / "programme.jsonl")]).exit_code == 0
    return r


@pytest.fixture
def loaded(runner):
    for args in (["import", "parcels", "--migration", str(SAMPLE / "parcels.csv")],
                 ["import", "plan", "--migration", str(SAMPLE / "plan.csv"), "--programme", "TL-2023-2025",
                  "--on", "2023-03-01"],
                 ["apply", "--migration", str(SAMPLE / "history.jsonl")]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    return runner


def test_the_sample_files_are_what_the_generator_writes():
    for name, text in load_sample_module().files().items():
        assert (SAMPLE / name).read_text(encoding="utf-8") == text, name


def test_the_sample_matches_the_seed_exactly():
    rows = list(csv.DictReader(io.StringIO((SAMPLE / "plan.csv").read_text(encoding="utf-8"))))
    by_year = defaultdict(lambda: [0, Decimal(0)])
    for row in rows:
        by_year[row["年度"]][0] += 1
        by_year[row["年度"]][1] += Decimal(row["图斑面积"])
    assert dict(by_year) == {"2023": [13, Decimal("76.7378")], "2024": [12, Decimal("65.7")], "2025": [3, Decimal("68.86")]}
    assert sum(Decimal(r["图斑面积"]) for r in rows) == Decimal("211.2978")
    assert sum(Decimal(r["计划投入资金"]) for r in rows) == Decimal("4647.75")
    assert "illustrative" in (SAMPLE / "README.md").read_text(encoding="utf-8")


def test_the_progress_report_shows_the_seed_figures(loaded):
    report = json.loads(loaded.invoke(cli, ["report", "progress", "--format", "json"]).output)
    total = report["total"]
    assert total["planned_ha"] == "211.2978" and total["planned_pct_of_target"] == "108.1"
    assert total["planned_wan"] == "4647.75" and total["parcels"] == 28
    assert [y["cumulative_planned_pct"] for y in report["years"]] == ["39.3", "72.9", "108.1"]
    assert [y["planned_ha"] for y in report["years"]] == ["76.7378", "65.70", "68.86"]
    assert report["target_ha"] == "195.45" and report["programme_area_ha"] == "211.2978"
    text = loaded.invoke(cli, ["report", "progress"]).output
    assert "211.2978" in text and "108.1" in text


def test_report_totals_equal_a_direct_sum_over_the_events(loaded, fresh_url):
    from workflow.ledger import Ledger

    ledger = Ledger(fresh_url)
    sums = defaultdict(Decimal)
    states, areas = {}, {}
    for event in ledger.all_events():
        name = getattr(event, "trigger", None) or event.fact
        data = event.data
        if name == "register":
            areas[event.originator_id] = data["area_ha"]
        if name in ("allocate_funds", "make_payment"):
            sums[name] += data["amount"]
        if name == "deposit_revenue" and data["account"] == "treasury":
            sums[name] += data["amount"]
        if name == "award_contract":
            sums[name] += data["contract_amount"]
        if name == "plan":
            sums[name] += data["planned_investment"]
        if name == "include_in_budget":
            sums[name] += data["amount"]
        if hasattr(event, "dest") and event.originator_id in areas:
            states[event.originator_id] = event.dest
    ledger.close()
    total = json.loads(loaded.invoke(cli, ["report", "progress", "--format", "json"]).output)["total"]
    assert Decimal(total["allocated_wan"]) == sums["allocate_funds"]
    assert Decimal(total["paid_wan"]) == sums["make_payment"]
    assert Decimal(total["deposited_wan"]) == sums["deposit_revenue"]
    assert Decimal(total["contracted_wan"]) == sums["award_contract"]
    assert Decimal(total["planned_wan"]) == sums["plan"]
    assert Decimal(total["budgeted_wan"]) == sums["include_in_budget"]
    written_off = sum(areas[i] for i, s in states.items() if s == "written_off")
    assert Decimal(total["state_written_off_ha"]) == written_off
    assert total["state_written_off_parcels"] == sum(1 for s in states.values() if s == "written_off")


def test_the_report_as_of_a_date(loaded):
    report = json.loads(loaded.invoke(cli, ["report", "progress", "--as-of", "2023-03-05", "--format", "json"]).output)
    assert report["total"]["state_planned_parcels"] == 28 and report["total"]["accepted_total_ha"] == "0"
    early = json.loads(loaded.invoke(cli, ["report", "progress", "--as-of", "2023-02-21", "--format", "json"]).output)
    assert early["total"]["state_unplanned_parcels"] == 28 and early["total"]["planned_ha"] == "0"


def test_report_formats(loaded, tmp_path):
    rows = list(csv.DictReader(io.StringIO(loaded.invoke(cli, ["report", "progress", "--format", "csv"]).output)))
    assert [r["year"] for r in rows] == ["2023", "2024", "2025", "total"] and rows[-1]["planned_ha"] == "211.2978"
    md = loaded.invoke(cli, ["report", "progress", "--format", "md"]).output
    assert md.startswith("| year | parcels | planned_ha |") and "| total | 28 | 211.2978 |" in md
    out = tmp_path / "progress.xlsx"
    assert loaded.invoke(cli, ["report", "progress", "--format", "xlsx", "--output", str(out)]).exit_code == 0
    book = load_workbook(out)
    values = list(book["Progress"].iter_rows(values_only=True))
    assert values[0][0].endswith("(TL-2023-2025)") and values[4][:3] == ("year", "parcels", "planned ha (ha)")
    assert values[5][0] == 2023 and values[-1][0] == "total" and values[-1][1] == 28
    missing = loaded.invoke(cli, ["report", "progress", "--format", "xlsx"])
    assert missing.exit_code == 2 and "--format xlsx needs --output" in missing.output


ENGLISH = ["code", "name", "township", "area_ha", "verified_area_ha", "near_road", "planned_mode", "on"]
ROWS = [["TL-A", "一号坑", "托里镇", "6.5", "6.4", "是", "生态重建", "2023-02-01"],
        ["TL-B", "二号坑", "库甫乡", "3.25", "", "false", "natural_recovery", "2023-02-02"]]


def write(path: Path, header: list[str], rows: list[list]) -> Path:
    if path.suffix == ".csv":
        path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    else:
        book = Workbook()
        for row in [header, *rows]:
            book.active.append([Decimal(c) if c.replace(".", "").isdigit() and "." in c else c or None for c in row])
        book.save(path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_good_inventory_imports_in_both_formats_and_languages(runner, tmp_path, suffix, language):
    header = ENGLISH if language == "en" else [ATTRIBUTES[k][0] for k in ENGLISH]
    result = runner.invoke(cli, ["import", "parcels", str(write(tmp_path / f"p{suffix}", header, ROWS))])
    assert result.exit_code == 0, result.output
    a = json.loads(runner.invoke(cli, ["show", "TL-A", "--json"]).output)
    assert a["attributes"]["area_ha"] == "6.5" and a["attributes"]["near_road"] is True
    assert a["attributes"]["planned_mode"] == "ecological_reconstruction" and a["registered_on"] == "2023-02-01"
    b = json.loads(runner.invoke(cli, ["show", "TL-B", "--json"]).output)
    assert b["attributes"]["area_ha"] == "3.25" and "verified_area_ha" not in b["attributes"]


BROKEN = [
    (ROWS[:1] + [["TL-B", "二号坑", "库甫乡", "-3", "", "", "", "2023-02-02"]],
     "row 3, column {area_ha} (area_ha): '-3' is not a number > 0"),
    (ROWS[:1] + [["TL-B", "二号坑", "", "3", "", "", "", "2023-02-02"]], "row 3, column {township} (township): missing"),
    (ROWS[:1] + [["TL-B", "二号坑", "库甫乡", "3", "", "maybe", "", "2023-02-02"]],
     "row 3, column {near_road} (near_road): 'maybe' is not true or false"),
    (ROWS + [["TL-A", "重复", "库甫乡", "3", "", "", "", "2023-02-02"]], "row 4, column code: TL-A repeats row 2"),
    (ROWS[:1] + [["TL-B", "二号坑", "库甫乡", "3", "", "", "", "2099-01-01"]], "line 3: parcel TL-B (state new): register dated 2099-01-01 is in the future"),
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("rows,message", BROKEN, ids=[m[:30] for _, m in BROKEN])
def test_a_broken_inventory_writes_nothing(runner, tmp_path, fresh_url, suffix, rows, message):
    header = [ATTRIBUTES[k][0] for k in ENGLISH]
    path = write(tmp_path / f"bad{suffix}", header, rows)
    before = store_bytes(fresh_url)
    result = runner.invoke(cli, ["import", "parcels", str(path)])
    assert result.exit_code == 2
    assert message.format(**{k: ATTRIBUTES[k][0] for k in ENGLISH}) in result.output
    assert "Traceback" not in result.output
    assert store_bytes(fresh_url) == before


def test_unknown_headers_and_formats_are_named(runner, tmp_path):
    path = write(tmp_path / "p.csv", ["code", "colour", "name"], [["TL-A", "red", "x"]])
    result = runner.invoke(cli, ["import", "parcels", str(path), "--on", "2023-01-01"])
    assert result.exit_code == 2
    assert "column 2 'colour': unknown header" in result.output
    assert "column township (乡镇) is missing" in result.output
    odd = tmp_path / "p.txt"
    odd.write_text("x")
    assert "unsupported format .txt; allowed: .csv, .xlsx" in runner.invoke(cli, ["import", "parcels", str(odd)]).output


def test_plan_import_checks_areas_against_the_registered_parcels(runner, tmp_path):
    runner.invoke(cli, ["import", "parcels", str(write(tmp_path / "p.csv", ENGLISH, ROWS))])
    bad = write(tmp_path / "plan.csv", ["年度", "图斑编号", "图斑面积", "计划投入资金"],
                [["2023", "TL-A", "6.6", "140"], ["2023", "TL-C", "1", "20"]])
    result = runner.invoke(cli, ["import", "plan", str(bad), "--programme", "TL-2023-2025", "--on", "2023-03-01"])
    assert result.exit_code == 2
    assert "row 2, column area_ha: 6.6 differs from parcel TL-A's registered area 6.5" in result.output
    assert "row 3, column code: parcel TL-C is not registered" in result.output
    good = write(tmp_path / "plan2.csv", ["year", "code", "area_ha", "planned_investment"], [["2024", "TL-B", "3.25", "70.5"]])
    result = runner.invoke(cli, ["import", "plan", str(good), "--programme", "TL-2023-2025", "--on", "2023-03-01"])
    assert result.exit_code == 0, result.output
    shown = json.loads(runner.invoke(cli, ["show", "TL-B", "--json"]).output)
    assert shown["state"] == "planned" and shown["steps"]["plan"]["year"] == 2024


class FakeParcel:
    def __init__(self, year, area, state, investment):
        self.plan = {"year": year, "planned_investment": investment, "programme": "P"}
        self.area_ha, self.state, self.steward = area, state, None
        self.steps, self.money = {}, {"allocated": Decimal(0), "paid": Decimal(0), "deposited": Decimal(0)}


areas = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("500"), places=4)
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999"), places=2)


@given(st.lists(st.tuples(st.sampled_from([2023, 2024, 2025, 2026]), areas, money,
                          st.sampled_from(["planned", "surveying", "under_construction", "accepted", "written_off"])),
                min_size=1, max_size=40))
@settings(max_examples=150, deadline=None)
def test_per_year_sums_add_up_exactly_to_the_total(plan):
    parcels = {f"P{i}": FakeParcel(*row[:2], row[3], row[2]) for i, row in enumerate(plan)}
    report = progress(parcels.values())
    total = report["total"]
    for key in ("parcels", "planned_ha", "planned_wan", "accepted_total_ha", "state_accepted_ha",
                "state_written_off_parcels"):
        assert sum((y[key] for y in report["years"]), Decimal(0)) == total[key]
    assert total["planned_ha"] == sum((row[1] for row in plan), Decimal(0))
    assert total["planned_wan"] == sum((row[2] for row in plan), Decimal(0))
    assert all(isinstance(y["planned_ha"], Decimal) for y in report["years"])


def test_the_audit_finds_the_samples_deliberate_problems(loaded):
    result = loaded.invoke(cli, ["audit", "--format", "json", "--as-of", "2026-11-29"])
    assert result.exit_code == 1  # high findings
    report = json.loads(result.output)
    assert set(report) == {"as_of", "findings", "summary"} and report["as_of"] == "2026-11-29"
    found = {(f["rule"], f["subject"]) for f in report["findings"]}
    for expected in [("R10", "TL23-03"), ("R06", "TL23-05"), ("R01", "TL23-06"), ("R03", "TL23-08"),
                     ("R17", "TL23-08"), ("R13", "TL23-04"), ("R07", "TL24-05"), ("R04", "TL24-06"),
                     ("R23", "TL24-02"), ("R09", "TL24-07"), ("R24", "store"),  # a trial store: unsigned
                     ("R25", "TL24-10"), ("R25", "TL25-03"), ("R26", "TL23-10"), ("R27", "TL23-06")]:
        assert expected in found, expected
    assert not any(f["rule"] == "R18" for f in report["findings"])  # all of it was loaded as migrated
    assert report["summary"]["migrated_events"] > 0
    first = next(f for f in report["findings"] if f["evidence"])
    assert set(first) == {"rule", "severity", "subject", "message", "evidence", "on"}
    assert set(first["message"]) == {"zh", "en"} and first["evidence"][0]["aggregate"].count(":") == 1


def test_audit_exit_codes_and_filters(loaded, tmp_path):
    assert loaded.invoke(cli, ["audit", "--rule", "R20"]).exit_code == 0  # low findings only
    assert loaded.invoke(cli, ["audit", "--rule", "R20", "--fail-on", "low"]).exit_code == 1
    one = json.loads(loaded.invoke(cli, ["audit", "--subject", "TL23-08", "--format", "json"]).output)
    assert {f["subject"] for f in one["findings"]} == {"TL23-08"}
    assert loaded.invoke(cli, ["audit", "--rule", "R99"]).exit_code == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("[R12]\nspeed = 1\n", encoding="utf-8")
    result = loaded.invoke(cli, ["audit", "--config", str(bad)])
    assert result.exit_code == 2 and "has no setting 'speed'" in result.output
    rows = list(csv.DictReader(io.StringIO(loaded.invoke(cli, ["audit", "--rule", "R03", "--format", "csv"]).output)))
    assert rows and {r["rule"] for r in rows} == {"R03"} and rows[0]["message_zh"]
    text = loaded.invoke(cli, ["audit", "--rule", "R03"]).output
    assert "findings (high" in text and "TL23-08" in text
    zh = loaded.invoke(cli, ["--lang", "zh", "audit", "--rule", "R03"]).output
    assert "条问题（" not in zh and "条问题 (高" in zh and "未经公共资源交易平台" in zh


def test_rules_lists_every_rule(runner):
    rules = json.loads(runner.invoke(cli, ["rules", "--json"]).output)
    assert len(rules) == 28 and rules[0]["rule"] == "R01" and rules[0]["title_zh"] and "move_material" in rules[0]["reads"]
    assert {"area_tolerance_pct": 5} == next(r for r in rules if r["rule"] == "R02")["thresholds"]
    assert "R13 [medium]" in runner.invoke(cli, ["rules"]).output


def test_audit_can_show_only_the_serious(loaded):
    everything = json.loads(loaded.invoke(cli, ["audit", "--json", "--as-of", "2026-11-29"]).output)
    high = json.loads(loaded.invoke(cli, ["audit", "--json", "--as-of", "2026-11-29", "--severity", "high"]).output)
    assert {f["severity"] for f in high["findings"]} == {"high"}
    assert high["findings"] == [f for f in everything["findings"] if f["severity"] == "high"]
    assert high["summary"]["findings"] == everything["summary"]["by_severity"]["high"]
    assert high["summary"]["events_read"] == everything["summary"]["events_read"]


def test_audit_through_a_state_file_prints_what_a_full_audit_prints(loaded, tmp_path):
    state = str(tmp_path / "audit-state.db")
    full = loaded.invoke(cli, ["audit", "--json", "--as-of", "2026-11-29"])
    first = loaded.invoke(cli, ["audit", "--json", "--as-of", "2026-11-29", "--state", state])
    again = loaded.invoke(cli, ["audit", "--json", "--as-of", "2026-11-29", "--state", state])
    assert full.exit_code == first.exit_code == again.exit_code == 1
    assert full.output == first.output == again.output
    if "://" not in os.environ["MINEREHAB_STORE"]:  # the SQLite store itself is no place for the state
        store = loaded.invoke(cli, ["audit", "--state", os.environ["MINEREHAB_STORE"]])
        assert store.exit_code == 2 and "holds other tables" in store.output and "\n" not in store.output.strip()
    one = json.loads(loaded.invoke(cli, ["audit", "--json", "--as-of", "2026-11-29", "--subject", "TL23-08"]).output)
    kept = json.loads(loaded.invoke(cli, ["audit", "--json", "--as-of", "2026-11-29", "--subject", "TL23-08",
                                          "--state", state]).output)
    assert kept["findings"] == one["findings"] and {f["subject"] for f in one["findings"]} == {"TL23-08"}
    assert kept["summary"]["by_rule"] == one["summary"]["by_rule"]


@pytest.mark.parametrize("as_of", [date(2023, 6, 30), date(2024, 6, 30), None])
def test_streamed_records_are_each_parcels_own_replay(loaded, as_of):
    """`report progress` reads parcels one at a time (Ledger.each); each must be what a replay of it says."""
    from workflow.ledger import Ledger

    ledger = Ledger(os.environ["MINEREHAB_STORE"])
    try:
        streamed = {p.code: p.summary() for p in ledger.each("parcel", as_of=as_of)}
        codes = {p.code for p in ledger.each("parcel")}
        replayed = {code: view.summary() for code in codes
                    if (view := ledger.view("parcel", code, as_of=as_of)) is not None}
        assert streamed == replayed and len(codes) == 28
        latest = {p.code: p.summary() for p in ledger.each("parcel")}
        assert (streamed == latest) == (as_of is None)  # a past date shows parcels as they were then
    finally:
        ledger.close()


def test_the_sample_boundaries_measure_the_sample_areas():
    """Illustrative boundaries whose ellipsoidal areas are the parcels' areas to 4 decimals (so the totals hold)."""
    from geometry import stored

    rows = list(csv.DictReader(io.StringIO((SAMPLE / "parcels.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 28
    areas = [stored.read(r["图斑边界"]).area_ha for r in rows]
    assert areas == [Decimal(r["图斑面积"]).quantize(Decimal("0.0001")) for r in rows]
    assert sum(areas) == Decimal("211.2978")
    for r in rows:
        lon, lat = stored.read(r["图斑边界"]).centroid
        assert 83.5 < lon < 84.3 and 45.8 < lat < 46.2


def test_only_the_seeded_spatial_problems_are_found(loaded):
    result = loaded.invoke(cli, ["audit", "--rule", "R25,R26,R27,R28", "--format", "json", "--as-of", "2026-11-29"])
    found = sorted((f["rule"], f["subject"]) for f in json.loads(result.output)["findings"])
    assert found == [("R25", "TL24-10"), ("R25", "TL25-03"), ("R26", "TL23-10"), ("R27", "TL23-06"),
                     ("R27", "TL23-06")]


def test_history_shows_a_boundary_by_its_size_in_either_language(loaded):
    """A history line says how large a boundary is; its coordinates are in `--json` and the case file's map."""
    english = loaded.invoke(cli, ["history", "TL23-06"]).output
    assert "boundary=boundary (12 vertices, ellipsoidal area 7.6500 ha)" in english and "POLYGON" not in english
    chinese = loaded.invoke(cli, ["--lang", "zh", "history", "TL23-06"]).output
    assert "竣工范围=边界（20 个顶点，椭球面积" in chinese and "POLYGON" not in chinese
    assert "POLYGON" in loaded.invoke(cli, ["history", "TL23-06", "--json"]).output  # the text as recorded
