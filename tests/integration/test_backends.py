"""Both backends under load: concurrent writers, crashes mid-write, and copying the log across."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cli import cli
from events.store import resolve
from events.verify import verify
from samples import scenario
from tests.stores import drop, new_url, pg_unavailable
from tests.support import cmd
from workflow.commands import to_jsonl
from workflow.ledger import Ledger

MINEREHAB = [sys.executable, "-c", "import cli; cli.main()"]
ROOT = Path(__file__).resolve().parents[2]


def minerehab(url: str, *args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "MINEREHAB_STORE": url, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([*MINEREHAB, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **popen)


def setup_store(url: str, codes: list[str]) -> None:
    Ledger(url, create=True).close()
    ledger = Ledger(url)
    lines = scenario.programme()
    for code in codes:
        lines += scenario.works_life(code, date(2023, 3, 1), Decimal("5"), Decimal("80"))
    commands = [cmd(x) for x in lines]
    for c in commands:
        c.migrated = True
    ledger.execute(commands)
    ledger.close()


def test_postgres_stores_are_not_created_on_read_and_name_the_problem(backend, fresh_url):
    result = CliRunner().invoke(cli, ["--store", fresh_url, "list"])
    assert result.exit_code == 2
    assert "not initialised; run `minerehab init`" in result.output or "does not exist" in result.output
    if backend == "postgresql":
        schema = resolve(fresh_url).postgres["schema"]
        with resolve(fresh_url).connect() as conn:
            assert conn.execute("SELECT to_regclass(%s)", (f'"{schema}".minerehab_events',)).fetchone()[0] is None


def test_postgres_settings_come_from_the_url_or_the_pg_environment(monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "from-env")
    monkeypatch.setenv("PGUSER", "auditor")
    store = resolve("postgresql://db.example:6543/province?schema=tuoli")
    assert store.postgres == {"host": "db.example", "port": "6543", "user": "auditor", "password": "from-env",
                              "dbname": "province", "schema": "tuoli"}
    explicit = resolve("postgresql://mr:s%40cret@db.example/province")
    assert explicit.postgres["user"] == "mr" and explicit.postgres["password"] == "s@cret"
    assert explicit.postgres["schema"] == "public" and explicit.printable == "postgresql://mr:***@db.example/province"
    env = explicit.env()
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.postgres" and env["CREATE_TABLE"] == "n"


def test_an_unreachable_server_is_one_line():
    result = CliRunner().invoke(cli, ["--store", "postgresql://127.0.0.1:1/none", "list"])
    assert result.exit_code == 2 and result.output.startswith("minerehab: store postgresql://127.0.0.1:1/none: cannot connect")


# --- concurrency ---------------------------------------------------------------------

CODES = ["TL-A", "TL-B", "TL-C"]
PER_PROCESS = 150


def workload(process: int, rng: random.Random) -> list[dict]:
    """Mostly facts on three parcels, plus moves that only one process can win."""
    lines = []
    for n in range(PER_PROCESS):
        code = rng.choice(CODES)
        tag = f"p{process}-{n}"
        day = date(2023, 6, 1) + timedelta(days=rng.randint(0, 30))
        if n % 50 == 7:
            line = scenario.command("designate_steward", code, day, scenario.NRB,
                                    {"steward": f"镇{process}", "kind": "township", "agreement_ref": tag, "period_years": 1})
        elif n % 50 == 8:
            line = {"do": "create_batch", "batch": f"B-{process}", "actor": "张玉峰", "role": "nrb",
                    "on": "2023-07-01", "data": {"year": 2023}}
        elif n % 50 == 9:
            line = {"do": "add_to_batch", "batch": f"B-{process}", "actor": "张玉峰", "role": "nrb",
                    "on": "2023-07-02", "data": {"parcel": code}}
        else:
            line = scenario.command("log_patrol", code, day, ("镇", "township"), {"findings": tag})
        line["reason"] = tag
        lines.append(line)
    return lines


def workload_files(folder) -> list:
    """Four writers' JSONL files, one workload each."""
    files = []
    for p in range(4):
        path = folder / f"w{p}.jsonl"
        path.write_text("".join(to_jsonl(x) + "\n" for x in workload(p, random.Random(p))), encoding="utf-8")
        files.append(path)
    return files


def test_four_writers_at_once_lose_nothing_and_apply_nothing_twice(backend, tmp_path):
    url = new_url(backend, tmp_path)
    setup_store(url, CODES)
    files = workload_files(tmp_path)
    procs = [minerehab(url, "apply", "--each", "--json", str(f)) for f in files]
    accepted = Counter()
    for p, (proc, path) in enumerate(zip(procs, files)):
        out, err = proc.communicate(timeout=300)
        report = json.loads(out)
        assert report["applied"] + report["refused"] == PER_PROCESS, err
        refused = {r["line"] for r in report["refusals"]}
        assert all("conflict: the records kept changing" not in r["message"] for r in report["refusals"])
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines, start=1):
            if n not in refused:
                accepted[json.loads(line)["reason"]] += 1
    ledger = Ledger(url)
    recorded = Counter()
    for event in ledger.all_events():
        if event.reason and event.reason.startswith("p"):
            recorded[event.reason] += 1 if not (getattr(event, "fact", None) == "add_to_batch" and
                                               type(event).__qualname__.startswith("Parcel")) else 0
    assert recorded == accepted  # exactly the accepted commands, each once
    assert sum(accepted.values()) > 3 * PER_PROCESS  # most commands went through
    for code in CODES:  # a parcel joined at most one live batch, and versions are contiguous
        versions = [e.originator_version for e in ledger.history("parcel", code)]
        assert versions == list(range(1, len(versions) + 1))
        members = [b for b in ledger.records("batch").values() if code in b.members]
        assert len(members) <= 1
    report = verify(ledger.raw)
    ledger.close()
    drop(url)
    assert report.ok, report.problems


def test_verify_while_four_writers_append_raises_no_false_alarm(backend, tmp_path):
    """Events and chain rows are read in one snapshot: a commit between the two reads is not tampering."""
    url = new_url(backend, tmp_path)
    setup_store(url, CODES)
    files = workload_files(tmp_path)
    procs = [minerehab(url, "apply", "--each", str(f)) for f in files]
    ledger = Ledger(url)
    sizes, start = [], ledger.recorder.max_notification_id()
    try:
        while ledger.recorder.max_notification_id() == start:  # until the writers are writing
            time.sleep(0.05)
        while any(proc.poll() is None for proc in procs) and len(sizes) < 60:  # as long as they write
            with ledger.raw.snapshot():
                report = verify(ledger.raw)
            assert report.ok, (len(sizes), report.problems[:5])
            sizes.append(report.tree_size)
            time.sleep(0.05)
    finally:
        ledger.close()
        for proc in procs:
            proc.communicate(timeout=300)
        drop(url)
    assert len(set(sizes)) >= 3  # the log grew between runs: they did overlap the writers


# --- crashes -------------------------------------------------------------------------

KILLS = 20


def crash_file(path: Path, round_: int) -> None:
    codes = [f"K{round_}-{i}" for i in range(6)]
    lines = []
    for code in codes:
        lines += scenario.works_life(code, date(2023, 3, 1), Decimal("4"), Decimal("60"))
    lines += scenario.write_off(f"KB{round_}", codes, date(2023, 7, 1), 2023)
    for n, line in enumerate(lines):
        line["reason"] = f"r{round_}-{n}"
    path.write_text("".join(to_jsonl(x) + "\n" for x in lines), encoding="utf-8")


def test_kill_9_mid_apply_leaves_whole_transactions_that_verify(backend, tmp_path):
    url = new_url(backend, tmp_path)
    setup_store(url, [])
    rng = random.Random(7)
    for round_ in range(KILLS):
        path = tmp_path / f"crash{round_}.jsonl"
        crash_file(path, round_)
        proc = minerehab(url, "apply", "--each", str(path))
        time.sleep(rng.uniform(0.4, 1.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        ledger = Ledger(url)
        report = verify(ledger.raw)
        assert report.ok, (round_, report.problems)
        tags = [e.reason for e in ledger.all_events() if e.reason and e.reason.startswith(f"r{round_}-")]
        batch = ledger.find("batch", f"KB{round_}")
        ledger.close()
        # --each commits line by line, in order: what is stored is a prefix of the file, whole commands only
        lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
        applied = sorted({int(t.split("-")[1]) for t in tags})
        assert applied == list(range(len(applied)))
        if batch is not None and batch.state in ("filed", "written_off"):
            filing = next(n for n, x in enumerate(lines) if x["do"] == "file_batch")
            assert tags.count(f"r{round_}-{filing}") == 1 + len(batch.members)  # batch and every member, together
    drop(url)


# --- copy ----------------------------------------------------------------------------

@pytest.mark.skipif(bool(pg_unavailable()), reason=f"PostgreSQL: {pg_unavailable()}")
def test_copy_sqlite_to_postgres_and_back_keeps_everything(tmp_path, monkeypatch):
    monkeypatch.setattr("events.rawlog.COPY_PAGE", 7)  # events and chain rows written in many pages, as at scale
    first = str(tmp_path / "county.db")
    setup_store(first, ["TL-1", "TL-2"])
    runner = CliRunner()
    keys = tmp_path / "a.key"
    runner.invoke(cli, ["keygen", "--out", str(keys)])
    signed = tmp_path / "c.json"
    assert runner.invoke(cli, ["--store", first, "checkpoint", "--key", str(keys), "--out", str(signed)]).exit_code == 0
    middle = new_url("postgresql", tmp_path)
    last = str(tmp_path / "back.db")
    for source, target in ((first, middle), (middle, last)):
        result = runner.invoke(cli, ["copy", "--from", source, "--to", target])
        assert result.exit_code == 0, result.output
        assert "target verifies: ok" in result.output
    rows = []
    for url in (first, middle, last):
        ledger = Ledger(url)
        rows.append((list(ledger.raw.events_in_log_order()), list(ledger.raw.chain_rows()), ledger.raw.checkpoints(),
                     ledger.raw.origin()))
        ledger.close()
    normal = [([(n, o, v, t, bytes(s)) for n, o, v, t, s in ev], [tuple(bytes(x) if isinstance(x, memoryview) else x
              for x in c) for c in ch], cp, origin) for ev, ch, cp, origin in rows]
    assert normal[0] == normal[1] == normal[2]
    ok = runner.invoke(cli, ["--store", last, "verify", "--checkpoint", str(signed), "--pubkey", f"{keys}.pub"])
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(cli, ["copy", "--from", first, "--to", last])
    assert again.exit_code == 2 and "already holds events" in again.output
    # the copy is a working store: it takes new commands on top of the copied history
    assert runner.invoke(cli, ["--store", middle, "do", "log_patrol", "TL-1", "--on", "2024-01-01", "--actor", "镇",
                               "--role", "township", "--set", "findings=ok"]).exit_code == 0
    drop(middle)


def test_stale_writes_are_reloaded_and_revalidated(store_url):
    """Two ledgers hold the same parcel; the second writer's command is checked again on top of the first's."""
    a, b = Ledger(store_url), Ledger(store_url)
    a.execute([cmd(x) for x in scenario.programme() + scenario.works_life("TL-1", date(2023, 3, 1), Decimal(5),
                                                                            Decimal(80))[:2]])
    from workflow.ledger import UnitOfWork

    stale = UnitOfWork(b)
    stale.load("parcel", "TL-1")  # b has read version 2
    a.execute([cmd(scenario.works_life("TL-1", date(2023, 3, 1), Decimal(5), Decimal(80))[2])])  # now version 3
    survey = cmd(scenario.works_life("TL-1", date(2023, 3, 1), Decimal(5), Decimal(80))[2])
    from policies.refusals import Refused

    with pytest.raises(Refused, match="commission_survey is not allowed from surveying"):
        b.execute([survey])
    patrol = cmd(scenario.command("log_patrol", "TL-1", date(2023, 3, 20), ("镇", "township"), {"findings": "ok"}))
    b.execute([patrol])
    assert b.get("parcel", "TL-1").version == 4
    a.close()
    b.close()


@pytest.mark.skipif(bool(pg_unavailable()), reason=f"PostgreSQL: {pg_unavailable()}")
def test_whole_log_scans_on_postgresql_page_through_a_server_side_cursor(tmp_path):
    """A plain psycopg cursor copies the whole result into the process first: a national audit would not fit."""
    url = new_url("postgresql", tmp_path)
    Ledger(url, create=True).close()
    ledger = Ledger(url)
    try:
        ledger.execute([cmd(x) for x in scenario.programme() + scenario.taskforce()])
        rows = ledger.raw.events_by_aggregate()
        first = next(rows)
        with resolve(url).connect() as other:
            running = [q for (q,) in other.execute("SELECT query FROM pg_stat_activity WHERE query LIKE %s",
                                                   ("%minerehab_scan_%",))]
        rest = list(rows)
        assert any(q.startswith(("DECLARE", "FETCH")) for q in running), running
        assert [first, *rest] == list(ledger.raw._rows(
            f"SELECT originator_id, originator_version, notification_id, topic, state FROM {ledger.raw.events_table} "
            "ORDER BY originator_id, originator_version"))
        assert len(rest) + 1 == ledger.recorder.max_notification_id()
    finally:
        ledger.close()
        drop(url)


def test_scans_read_side_by_side_in_one_snapshot_over_many_pages(backend, tmp_path, monkeypatch):
    """verify and the audit merge two scans in one read transaction: each keeps a cursor of its own
    (on one shared cursor the second scan's query cut the first short after its first page)."""
    from events import rawlog
    from events.chaincheck import chained, named_problems
    from events.errors import Tampered

    monkeypatch.setattr(rawlog, "PAGE", 3)
    monkeypatch.setattr(rawlog, "FAST_PAGE", 3)
    url = new_url(backend, tmp_path)
    setup_store(url, CODES)
    ledger = Ledger(url)
    try:
        with ledger.raw.snapshot():
            report = verify(ledger.raw)
            rows = list(ledger.raw.verified_events())
            heads = list(ledger.raw.chain_heads())
        assert report.ok and report.events == len(rows) == ledger.recorder.max_notification_id() > 20
        assert len(heads) == len({r[0] for r in rows}) and [h[0] for h in heads] == sorted({r[0] for r in rows})
        edited = [(*r[:4], b"{}") if i == len(rows) // 2 else r for i, r in enumerate(rows)]
        with ledger.raw.snapshot(), pytest.raises(Tampered) as caught:  # an edit in the middle pages is still found
            list(chained(iter(edited), ledger.raw.chain_heads(), ledger.raw.chain_size,
                         lambda: named_problems(iter(edited), ledger.raw.chain_links(), {})))
        assert "edited" in str(caught.value)
    finally:
        ledger.close()
        drop(url)


@pytest.mark.skipif(bool(pg_unavailable()), reason=f"PostgreSQL: {pg_unavailable()}")
@given(st.lists(st.uuids(), min_size=1, max_size=5))
@settings(max_examples=25, deadline=None)
def test_a_scan_reads_uuids_as_the_hex_ids_a_plain_read_gives(ids):
    """The server-side scan loads uuid columns as 32 hex digits itself: the same values as converting each row."""
    url = new_url("postgresql", Path("."))
    Ledger(url, create=True).close()
    ledger = Ledger(url)
    try:
        values = ", ".join(f"('{u}'::uuid, {i}, NULL::uuid)" for i, u in enumerate(ids))
        sql = f"SELECT * FROM (VALUES {values}) AS v (id, n, nothing) ORDER BY n"
        with ledger.raw.snapshot():
            scanned, plain = list(ledger.raw._rows(sql, stream=True)), list(ledger.raw._rows(sql))
    finally:
        ledger.close()
        drop(url)
    assert scanned == plain == [(u.hex, i, None) for i, u in enumerate(ids)]
