"""Least privilege on PostgreSQL: writers SELECT and INSERT only, readers SELECT only.

The schema is created by `init` as the superuser (the owner); two fresh login roles get the
grants `minerehab grants` prints. Writers are serialised by an advisory lock, not by
eventsourcing's table lock (which would need UPDATE, DELETE or TRUNCATE): a reader tailing the
log while four writers commit sees notification ids only ever as a prefix of the final log.
"""

from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from click.testing import CliRunner

from cli import cli
from events.grants import grants_sql
from events.pgchain import ChainedPostgresRecorder, advisory_key
from events.store import StoreError, resolve
from events.verify import verify
from samples import scenario
from tests.stores import PG_BASE, drop, pg_unavailable
from tests.support import cmd
from workflow.ledger import Ledger

pytestmark = pytest.mark.skipif(bool(pg_unavailable()), reason=f"PostgreSQL not reachable: {pg_unavailable()}")

TABLES = ("minerehab_events", "event_chain", "checkpoints", "store_info")


def as_role(url: str, role: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, f"{role}@{host}", parts.path, parts.query, ""))


def connect(url: str) -> psycopg.Connection:
    pg = resolve(url).postgres
    return psycopg.connect(host=pg["host"], port=pg["port"], user=pg["user"], dbname=pg["dbname"], autocommit=True)


@pytest.fixture(scope="module")
def roles():
    with granted_store() as urls:
        yield urls


@contextmanager
def granted_store():
    """(owner URL, writer URL, reader URL, schema): a store made by init, two login roles granted as printed."""
    schema = f"priv_{uuid.uuid4().hex[:10]}"
    owner = f"{PG_BASE}?schema={schema}"
    writer, reader = f"mr_w_{uuid.uuid4().hex[:8]}", f"mr_r_{uuid.uuid4().hex[:8]}"
    assert CliRunner().invoke(cli, ["--store", owner, "init", "--unsigned"]).exit_code == 0
    printed = CliRunner().invoke(cli, ["--store", owner, "grants", "--writer", writer, "--reader", reader])
    assert printed.exit_code == 0 and printed.output == grants_sql(schema, writer, reader)
    with resolve(owner).connect() as conn:
        conn.execute(f'CREATE ROLE "{writer}" LOGIN')
        conn.execute(f'CREATE ROLE "{reader}" LOGIN')
        conn.execute(printed.output)
    try:
        yield owner, as_role(owner, writer), as_role(owner, reader), schema
    finally:
        drop(owner)
        with resolve(owner).connect() as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{writer}"')
            conn.execute(f'DROP ROLE IF EXISTS "{reader}"')


def life(code: str) -> list:
    return [cmd(line) for line in scenario.works_life(code, date(2023, 3, 1), Decimal(5), Decimal(80))]


def test_the_writer_records_checkpoints_and_verifies(roles, tmp_path):
    _, writer, _, _ = roles
    ledger = Ledger(writer)
    ledger.execute([cmd(x) for x in scenario.programme()])
    ledger.execute(life("PRIV-1"))
    assert ledger.get("parcel", "PRIV-1").state == "accepted"
    assert verify(ledger.raw).ok
    ledger.close()
    runner = CliRunner()
    key = tmp_path / "a.key"
    assert runner.invoke(cli, ["keygen", "--out", str(key)]).exit_code == 0
    signed = runner.invoke(cli, ["--store", writer, "checkpoint", "--key", str(key), "--out", str(tmp_path / "c.json")])
    assert signed.exit_code == 0, signed.output
    done = runner.invoke(cli, ["--store", writer, "do", "log_patrol", "PRIV-1", "--on", "2024-01-05",
                               "--actor", "镇", "--role", "township", "--set", "findings=ok"])
    assert done.exit_code == 0, done.output
    checked = runner.invoke(cli, ["--store", writer, "verify", "--pubkey", f"{key}.pub", "--checkpoint", str(tmp_path / "c.json")])
    assert checked.exit_code == 0, checked.output


def test_a_back_dated_append_by_an_insert_only_writer_is_named(tmp_path):
    """He cannot rewrite history, so he appends a payment whose recorded_at claims 2024, after a 2026
    checkpoint: its log position says it came later, and verify says so, with the file or without it."""
    with granted_store() as (_, writer, _, _):
        back_dated_append(writer, tmp_path)


def back_dated_append(writer: str, tmp_path) -> None:
    from datetime import datetime, timezone

    from tests.support import Clock

    honest = Ledger(writer)
    honest.execute([cmd(x) for x in scenario.programme()])
    honest.execute(life("PRIV-2"))
    honest.close()
    runner = CliRunner()
    key, kept = tmp_path / "a.key", tmp_path / "c.json"
    assert runner.invoke(cli, ["keygen", "--out", str(key)]).exit_code == 0
    assert runner.invoke(cli, ["--store", writer, "checkpoint", "--key", str(key), "--out", str(kept)]).exit_code == 0
    forger = Ledger(writer, clock=Clock(datetime(2024, 5, 1, tzinfo=timezone.utc)))
    forger.execute([cmd(scenario.command("make_payment", "PRIV-2", date(2024, 5, 1), ("李会计", "finance"),
                                         {"amount": "30", "payee": "某公司", "account": "other", "stage": "尾款"}))])
    forger.close()
    for extra in ([], ["--checkpoint", str(kept), "--pubkey", f"{key}.pub"]):
        checked = runner.invoke(cli, ["--store", writer, "verify", *extra])
        assert checked.exit_code == 1, checked.output
        assert "backdated: parcel:PRIV-2@" in checked.output and "2024-05-01" in checked.output
    with_file = runner.invoke(cli, ["--store", writer, "verify", "--checkpoint", str(kept), "--pubkey", f"{key}.pub"])
    assert "that does not cover it" in with_file.output


@pytest.mark.parametrize("statement", [
    "UPDATE {t} SET {c} = {c}", "DELETE FROM {t}", "TRUNCATE {t}", "LOCK TABLE {t} IN EXCLUSIVE MODE",
])
@pytest.mark.parametrize("table", ["minerehab_events", "event_chain", "checkpoints", "store_info"])
def test_the_writer_can_neither_rewrite_nor_wipe_history(roles, statement, table):
    _, writer, _, schema = roles
    column = {"minerehab_events": "topic", "event_chain": "hash", "checkpoints": "root", "store_info": "value"}[table]
    denied = pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied")
    with connect(writer) as conn, denied, conn.transaction():
        conn.execute(statement.format(t=f'"{schema}".{table}', c=column))


def test_the_writer_cannot_move_the_notification_sequence(roles):
    _, writer, _, schema = roles
    with connect(writer) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(f"SELECT setval('\"{schema}\".minerehab_events_notification_id_seq', 1)")


def test_the_reader_reads_and_is_refused_writes_in_one_line(roles, tmp_path):
    owner, writer, reader, schema = roles
    ledger = Ledger(writer)
    ledger.execute([cmd(x) for x in scenario.programme(name="TL-R")] if ledger.find("programme", "TL-R") is None else [])
    ledger.close()
    with connect(reader) as conn:
        for table in TABLES:
            conn.execute(f'SELECT count(*) FROM "{schema}".{table}').fetchone()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f'INSERT INTO "{schema}".checkpoints VALUES (0, \'\', \'\', \'\', \'\')')
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f'DELETE FROM "{schema}".minerehab_events')
    before = verify_count(owner)
    ledger = Ledger(reader)
    assert ledger.get("programme", "TL-R") is not None
    with pytest.raises(StoreError, match="permission denied for table minerehab_events"):
        ledger.execute(life("PRIV-R"))
    ledger.close()
    runner = CliRunner()
    refused = runner.invoke(cli, ["--store", reader, "do", "register", "PRIV-R2", "--on", "2023-03-01",
                                  "--actor", "张玉峰", "--role", "nrb", "--set", "name=x", "--set", "township=y",
                                  "--set", "area_ha=1"])
    assert refused.exit_code == 2
    assert refused.output.startswith("minerehab: store: permission denied for table minerehab_events"), refused.output
    assert "Traceback" not in refused.output
    key = tmp_path / "r.key"
    runner.invoke(cli, ["keygen", "--out", str(key)])
    unsigned = runner.invoke(cli, ["--store", reader, "checkpoint", "--key", str(key)])
    assert unsigned.exit_code == 2 and "permission denied for table checkpoints" in unsigned.output
    assert runner.invoke(cli, ["--store", reader, "verify"]).exit_code == 0
    assert verify_count(owner) == before  # nothing was written, not even half a command


def verify_count(url: str) -> tuple:
    with resolve(url).connect() as conn:
        return tuple(conn.execute(f"SELECT count(*) FROM {resolve(url).table(t)}").fetchone()[0] for t in TABLES)


def test_the_lock_is_an_advisory_lock_keyed_on_the_qualified_table():
    assert advisory_key("a", "minerehab_events") != advisory_key("b", "minerehab_events")
    assert advisory_key("a", "minerehab_events") == advisory_key("a", "minerehab_events")
    assert -2 ** 63 <= advisory_key("a", "minerehab_events") < 2 ** 63
    from eventsourcing.postgres import PostgresDatastore

    url = urlsplit(PG_BASE)
    datastore = PostgresDatastore(url.path.lstrip("/"), url.hostname, url.port or 5432, url.username or "", "",
                                  schema="tuoli", lock_timeout=7)
    try:
        recorder = ChainedPostgresRecorder(datastore, events_table_name="minerehab_events")
        with psycopg.connect(PG_BASE) as conn:
            text = [s.as_string(conn) for s in recorder.lock_table_statements]
    finally:
        datastore.close()
    assert text == ["SET LOCAL lock_timeout = '7s'",
                    f"SELECT pg_advisory_xact_lock({advisory_key('tuoli', 'minerehab_events')})"]


WRITERS, EACH = 4, 50


def test_concurrent_writers_commit_notification_ids_in_order(roles):
    """Four writer-role ledgers, 50 commits each on their own parcels, while a reader tails the log: every
    snapshot the reader takes is a prefix of the final log (no id ever appears below one already seen)."""
    _, writer, reader, schema = roles
    start = Ledger(writer)
    start.execute([cmd(x) for x in scenario.programme(name="TL-C")])
    start.close()
    errors: list[BaseException] = []
    snapshots: list[list[int]] = []
    writing = threading.Event()
    writing.set()

    def write(n: int) -> None:
        ledger = Ledger(writer)
        try:
            code = f"CONC-{n}"
            ledger.execute([cmd(scenario.command("register", code, date(2023, 3, 1), scenario.NRB,
                                                 scenario.attributes(code, Decimal(3))))])
            for i in range(EACH - 1):
                ledger.execute([cmd(scenario.command("log_patrol", code, date(2023, 4, 1) + timedelta(days=i),
                                                     ("镇", "township"), {"findings": f"w{n}-{i}"}))])
        except BaseException as error:  # noqa: BLE001 (reported by the main thread)
            errors.append(error)
        finally:
            ledger.close()

    def tail() -> None:
        with connect(reader) as conn:
            while writing.is_set():
                snapshots.append([r[0] for r in conn.execute(
                    f'SELECT notification_id FROM "{schema}".minerehab_events ORDER BY notification_id')])

    tailer = threading.Thread(target=tail)
    tailer.start()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    writing.clear()
    tailer.join(timeout=10)
    assert not errors, errors
    with connect(reader) as conn:
        final = [r[0] for r in conn.execute(
            f'SELECT notification_id FROM "{schema}".minerehab_events ORDER BY notification_id')]
        chained = [r[0] for r in conn.execute(
            f'SELECT notification_id FROM "{schema}".event_chain ORDER BY notification_id')]
    assert chained == final
    assert len(snapshots) > 10
    for seen in snapshots:  # readers never pass over an id that a later commit fills in
        assert seen == final[:len(seen)]
    ledger = Ledger(reader)
    try:
        for n in range(WRITERS):
            assert len(ledger.history("parcel", f"CONC-{n}")) == EACH
        report = verify(ledger.raw)
    finally:
        ledger.close()
    assert report.ok, report.problems
