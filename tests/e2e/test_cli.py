"""The command line as officials and auditors use it, through click's CliRunner."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from cli import cli
from samples import scenario
from tests.support import cmd, store_bytes

CODE = "TL-2023-01"


@pytest.fixture
def runner(fresh_url, monkeypatch):
    monkeypatch.setenv("MINEREHAB_STORE", fresh_url)
    monkeypatch.delenv("MINEREHAB_ACTOR", raising=False)
    monkeypatch.delenv("MINEREHAB_ROLE", raising=False)
    r = CliRunner()
    assert r.invoke(cli, ["init", "--unsigned"]).exit_code == 0
    assert r.invoke(cli, ["apply", "-"], input=jsonl(scenario.programme())).exit_code == 0
    return r


def jsonl(lines) -> str:
    return "\n".join(json.dumps(line, ensure_ascii=False, default=str) for line in lines) + "\n"


LIFE = scenario.works_life(CODE, date(2023, 3, 1), Decimal("6.1234"), Decimal("120.50"))

REGISTER = ["do", "register", CODE, "--on", "2023-03-01", "--actor", "张玉峰", "--role", "nrb",
            "--set", "name=老风口采坑", "--set", "township=庙尔沟镇", "--set", "area_ha=6.1234"]


def test_do_records_and_prints_the_move(runner):
    result = runner.invoke(cli, REGISTER)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"parcel {CODE}: register new → identified (version 1) [unsigned trial store]"


def test_actor_and_role_from_the_environment(runner, monkeypatch):
    runner.invoke(cli, REGISTER)
    monkeypatch.setenv("MINEREHAB_ACTOR", "张玉峰")
    monkeypatch.setenv("MINEREHAB_ROLE", "nrb")
    result = runner.invoke(cli, ["do", "plan", CODE, "--on", "2023-03-08", "--data",
                                 '{"programme": "TL-2023-2025", "year": 2023, "mode": "ecological_reconstruction", '
                                 '"planned_investment": 120.50}', "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["to"] == "planned"
    event = json.loads(runner.invoke(cli, ["history", CODE, "--json"]).output)[-1]
    assert event["actor"] == "张玉峰" and event["data"]["planned_investment"] == "120.50"


def test_refusal_is_one_line_with_exit_2_and_no_write(runner, fresh_url):
    runner.invoke(cli, REGISTER)
    before = store_bytes(fresh_url)
    result = runner.invoke(cli, ["do", "approve_design", CODE, "--on", "2023-03-02", "--actor", "x", "--role", "nrb"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert result.output.startswith(
        f"minerehab: refused: parcel {CODE} (state identified): approve_design is not allowed from identified")
    assert store_bytes(fresh_url) == before


@pytest.mark.parametrize("args,message", [
    (["do", "register", CODE, "--on", "yesterday", "--actor", "a", "--role", "nrb"], "on 'yesterday' is not a date"),
    (["do", "register", CODE, "--on", "2023-01-01", "--actor", "a", "--role", "boss"], "role 'boss' is not one of"),
    (["do", "register", CODE, "--on", "2023-01-01", "--actor", "a"], "Missing option '--role'"),
    (["do", "register", CODE, "--on", "2023-01-01", "--actor", "a", "--role", "nrb", "--set", "oops"],
     "--set 'oops' is not KEY=VALUE"),
    (["do", "register", CODE, "--on", "2023-01-01", "--actor", "a", "--role", "nrb", "--data", "{nope"],
     "--data is not valid JSON"),
    (["do", "register", CODE, "--on", "2023-01-01", "--actor", "a", "--role", "nrb", "--doc", "no-ref"],
     "--doc 'no-ref': expected --doc as title=ref[:sha256]"),
    (["show", CODE, "--as-of", "2023-13-01"], "--as-of '2023-13-01': month 13 is not 1–12"),
    (["show", "TL-404"], "parcel TL-404: unknown parcel"),
    (["history", "TL-404"], "parcel TL-404: unknown parcel"),
    (["frobnicate"], "No such command 'frobnicate'"),
])
def test_bad_input_is_one_line_and_exit_2(runner, args, message):
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert result.output.count("\n") == 1
    assert "Traceback" not in result.output


def test_a_store_is_never_created_implicitly(tmp_path):
    missing = tmp_path / "missing.db"
    result = CliRunner().invoke(cli, ["--store", str(missing), "list"])
    assert result.exit_code == 2
    assert "does not exist; create it with `minerehab init`" in result.output
    assert not missing.exists()


def test_in_memory_stores_are_refused(tmp_path):
    result = CliRunner().invoke(cli, ["--store", ":memory:", "init", "--unsigned"])
    assert result.exit_code == 2 and "in-memory store would lose the ledger" in result.output


def test_apply_is_all_or_nothing_and_names_the_line(runner, fresh_url):
    lines = list(LIFE)
    lines[3] = {**lines[3], "role": "nrb"}  # deliver_survey is the survey unit's
    before = store_bytes(fresh_url)
    result = runner.invoke(cli, ["apply", "-"], input=jsonl(lines))
    assert result.exit_code == 2
    assert result.output.startswith("minerehab: refused: line 4: parcel TL-2023-01 (state surveying): role nrb")
    assert store_bytes(fresh_url) == before


def test_apply_reads_numbers_as_exact_decimals(runner):
    result = runner.invoke(cli, ["apply", "-"], input=jsonl(LIFE[:2]).replace('"6.1234"', "6.1234"))
    assert result.exit_code == 0, result.output
    shown = json.loads(runner.invoke(cli, ["show", CODE, "--json"]).output)
    assert shown["attributes"]["area_ha"] == "6.1234"


def test_apply_each_reports_every_failure(runner, tmp_path):
    path = tmp_path / "day.jsonl"
    lines = list(LIFE[:4]) + [{"do": "nonsense"}]
    lines[1] = {**lines[1], "on": "2099-01-01"}
    path.write_text(jsonl(lines) + "not json\n", encoding="utf-8")
    result = runner.invoke(cli, ["apply", "--each", str(path), "--json"])
    assert result.exit_code == 2
    report = json.loads(result.output)
    assert report["applied"] == 1 and report["refused"] == 5
    assert [r["line"] for r in report["refusals"]] == [2, 3, 4, 5, 6]
    assert "in the future" in report["refusals"][0]["message"]
    assert "not valid JSON" in report["refusals"][-1]["message"]


def test_show_history_list_next(runner):
    assert runner.invoke(cli, ["apply", "-"], input=jsonl(LIFE)).exit_code == 0
    shown = json.loads(runner.invoke(cli, ["show", CODE, "--json"]).output)
    assert shown["state"] == "accepted" and shown["version"] == len(LIFE)
    past = json.loads(runner.invoke(cli, ["show", CODE, "--as-of", "2023-03-20", "--json"]).output)
    assert past["state"] == "surveying" and past["version"] == 3
    v5 = json.loads(runner.invoke(cli, ["show", CODE, "--version", "5", "--json"]).output)
    assert v5["state"] == "design_review"
    early = runner.invoke(cli, ["show", CODE, "--known-at", "2000-01-01T00:00:00"])
    assert early.exit_code == 2 and "nothing was recorded for it by then" in early.output

    rows = json.loads(runner.invoke(cli, ["history", CODE, "--json"]).output)
    assert [r["version"] for r in rows] == list(range(1, len(LIFE) + 1))
    assert rows[0]["from"] == "new" and rows[0]["to"] == "identified"
    assert rows[7]["event"] == "allocate_funds" and rows[7]["to"] is None
    assert set(rows[0]) >= {"version", "recorded_at", "on", "actor", "role", "event", "from", "to", "data",
                            "documents", "reason"}
    text = runner.invoke(cli, ["history", CODE]).output
    assert "works completed → accepted" in text and "document: 初步验收意见 YS-TL-2023-01" in text

    listed = json.loads(runner.invoke(cli, ["list", "--state", "accepted", "--year", "2023", "--json"]).output)
    assert [r["parcel"] for r in listed] == [CODE]
    assert json.loads(runner.invoke(cli, ["list", "--township", "别处", "--json"]).output) == []

    nxt = json.loads(runner.invoke(cli, ["next", CODE, "--json"]).output)
    assert nxt["state"] == "accepted"
    triggers = {row["trigger"]: row for row in nxt["allowed"]}
    assert "file_batch" not in triggers
    assert triggers["designate_steward"]["required"] == ["steward:text", "kind:text", "agreement_ref:text",
                                                         "period_years:count"]


def test_list_aligns_chinese_text(runner):
    runner.invoke(cli, REGISTER)
    lines = runner.invoke(cli, ["list"]).output.splitlines()
    from console.common import width
    assert width(lines[0]) >= width(lines[2].rstrip()) or lines[2].index("identified") > 0
    header, row = lines[0], lines[2]
    assert width(header[:header.index("state")]) == width(row[:row.index("identified")])


def test_batches_programmes_and_task_forces_from_the_command_line(runner):
    demo = open("examples/demo-parcel.jsonl", encoding="utf-8").read().splitlines()
    body = [line for line in demo if '"create_programme"' not in line and '"approve_programme"' not in line]
    result = runner.invoke(cli, ["apply", "-"], input="\n".join(body) + "\n")
    assert result.exit_code == 0, result.output
    assert json.loads(runner.invoke(cli, ["show", CODE, "--json"]).output)["state"] == "closed"

    batch = json.loads(runner.invoke(cli, ["batch", "show", "B2023-1", "--json"]).output)
    assert batch["state"] == "written_off" and batch["members"] == [CODE] and batch["area_ha"] == "6.1234"
    filed = json.loads(runner.invoke(cli, ["batch", "show", "B2023-1", "--as-of", "2023-06-20", "--json"]).output)
    assert filed["state"] == "filed"
    assert [r["event"] for r in json.loads(runner.invoke(cli, ["batch", "history", "B2023-1", "--json"]).output)] == [
        "create_batch", "add_to_batch", "submit_batch", "file_batch", "confirm_write_off"]
    assert json.loads(runner.invoke(cli, ["batch", "list", "--json"]).output)[0]["members"] == 1

    programme = json.loads(runner.invoke(cli, ["programme", "show", "TL-2023-2025", "--json"]).output)
    assert programme["state"] == "approved" and programme["planned_area_ha"] == "211.2978"
    assert len(json.loads(runner.invoke(cli, ["programme", "history", "TL-2023-2025", "--json"]).output)) == 2

    members = json.loads(runner.invoke(cli, ["taskforce", "show", "TF-654224", "--on", "2023-01-05", "--json"]).output)
    assert len(members["members"]) == 7 and members["members"][0]["person"] == "金勇"
    assert json.loads(runner.invoke(cli, ["taskforce", "show", "TF-654224", "--on", "2023-01-04", "--json"])
                      .output)["members"] == []

    created = runner.invoke(cli, ["do", "create_batch", "--batch", "B2024-1", "--on", "2024-07-01", "--actor", "张玉峰",
                                  "--role", "nrb", "--set", "year=2024"])
    assert created.exit_code == 0 and "batch B2024-1: create_batch new → open" in created.output
    refused = runner.invoke(cli, ["do", "add_to_batch", "--batch", "B2024-1", "--on", "2024-07-02", "--actor", "张玉峰",
                                  "--role", "nrb", "--set", f"parcel={CODE}"])
    assert refused.exit_code == 2 and f"parcel {CODE} is closed; only accepted parcels may join" in refused.output
    both = runner.invoke(cli, ["do", "create_batch", "X", "--batch", "B9", "--on", "2024-07-01", "--actor", "a",
                               "--role", "nrb"])
    assert both.exit_code == 2 and "name one target" in both.output


def walk(group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from walk(command, (*path, name))


def test_every_command_and_subcommand_help_has_an_example(runner):
    for path, _ in walk(cli):
        assert "Example:" in runner.invoke(cli, [*path, "--help"]).output, path


IMPORTS = """
import sys
sys.argv = ["minerehab", *sys.argv[1:]]
import cli
try:
    cli.main()
except SystemExit:
    pass
print("MODULES:", " ".join(sorted({m.split(".")[0] for m in sys.modules})))
"""


def loaded_modules(*args: str, env: dict | None = None) -> set[str]:
    """Top-level modules a fresh `minerehab ARGS` process has imported by the time it exits."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", IMPORTS, *args], capture_output=True, text=True, cwd=root,
                          env={**os.environ, **(env or {}), "PYTHONPATH": str(root)}, timeout=60)
    return set(done.stdout.rsplit("MODULES:", 1)[-1].split())


def test_help_and_history_start_without_what_they_do_not_need(fresh_url, ledger):
    """--help imports click and the CLI only; history reads rows with the bare driver (issue 8: start-up)."""
    heavy = {"eventsourcing", "transitions", "openpyxl", "psycopg", "cryptography", "graphviz", "policies"}
    assert loaded_modules("--help") & (heavy | {"workflow", "events"}) == set()
    if "://" in fresh_url:
        pytest.skip("history on PostgreSQL needs psycopg, of course")
    life = scenario.works_life("TL-1", date(2023, 3, 1), Decimal(3), Decimal(50))[:2]
    ledger.execute([cmd(x) for x in scenario.programme() + life])
    assert loaded_modules("--store", fresh_url, "history", "TL-1") & heavy == set()


def test_a_store_without_boundaries_is_audited_and_reported_without_the_geometry_libraries(fresh_url, ledger, tmp_path):
    """shapely, pyproj and numpy (≈ 60 MB, 0.35 s) load when a boundary is read or a map drawn, not before."""
    geometry = {"shapely", "pyproj", "numpy"}
    life = scenario.works_life("TL-1", date(2023, 3, 1), Decimal(3), Decimal(50))
    ledger.execute([cmd(x) for x in scenario.programme() + life])
    assert loaded_modules("--store", fresh_url, "audit", "--format", "json") & geometry == set()
    page = tmp_path / "d.html"
    assert loaded_modules("--store", fresh_url, "report", "html", str(page), "--map", "none") & geometry == set()
    assert page.exists()
    assert loaded_modules("--store", fresh_url, "report", "html", str(page)) & geometry == geometry  # a map: drawn


def test_a_comma_in_an_area_is_refused_not_read_as_ten_thousand_times_more(runner, fresh_url):
    before = store_bytes(fresh_url)
    args = [*REGISTER[:-1], "area_ha=6,1234"] if REGISTER[-1].startswith("area_ha=") else None
    assert args is not None
    result = runner.invoke(cli, args)
    assert result.exit_code == 2 and "comma" in result.output and len(result.output.strip().splitlines()) == 1
    assert store_bytes(fresh_url) == before


def test_no_silent_wrong_answers_for_unknown_states_and_versions(runner):
    assert runner.invoke(cli, REGISTER).exit_code == 0
    typo = runner.invoke(cli, ["list", "--state", "identfied"])
    assert typo.exit_code == 2 and "did you mean identified" in typo.output
    assert "0 parcels" not in typo.output
    chinese = runner.invoke(cli, ["list", "--state", "已登记", "--json"])
    assert chinese.exit_code == 0 and [r["parcel"] for r in json.loads(chinese.output)] == [CODE]
    beyond = runner.invoke(cli, ["show", CODE, "--version", "999"])
    assert beyond.exit_code == 2 and "1–1" in beyond.output
