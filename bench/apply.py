"""Benchmark: `apply` of N generated commands vs a raw sqlite3 `executemany` of N rows, in the same run.

Usage: python bench/apply.py [--parcels 300] [--repeat 3]
Prints the best of `repeat` runs for each and their ratio (apply / raw): this machine is
noisy, so only the ratio measured in one run means anything. A third figure places the
floor that the architecture sets: eventsourcing's own `save` of as many bare events
(no command parsing, no guards, no hash chain) into the same kind of SQLite store.
"""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventsourcing.application import Application  # noqa: E402
from eventsourcing.domain import Aggregate  # noqa: E402

from events import store as stores  # noqa: E402
from samples import scenario  # noqa: E402
from workflow.commands import read_jsonl, to_jsonl  # noqa: E402
from workflow.ledger import Ledger  # noqa: E402


def commands(parcels: int) -> list[str]:
    lines = [*scenario.programme()]
    for i in range(parcels):
        lines += scenario.works_life(f"TL-{i:05d}", date(2023, 3, 1), Decimal("3.25") + i % 7, Decimal("88.5"))
    return [to_jsonl(line) + "\n" for line in lines]


def time_apply(jsonl: list[str], path: Path, chained: bool = True) -> float:
    """`execute` of every command in one transaction into a new store at PATH; without the chain if asked."""
    original = stores.Store.env

    def env(self, create=False):
        settings = original(self, create)
        if not chained:
            settings["APPLICATION_RECORDER_TOPIC"] = "eventsourcing.sqlite:SQLiteApplicationRecorder"
        return settings

    stores.Store.env = env
    try:
        Ledger(str(path), create=True).close()
        ledger = Ledger(str(path))
        started = time.perf_counter()
        ledger.execute(read_jsonl(io.StringIO("".join(jsonl))))
        elapsed = time.perf_counter() - started
        ledger.close()
    finally:
        stores.Store.env = original
    return elapsed


def best(fn, repeat: int = 3) -> float:
    """The fastest of `repeat` runs: the least disturbed by whatever else the machine is doing."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return min(runs)


def time_raw(jsonl: list[str], folder: Path) -> float:
    """The floor: the same number of rows, of the same size, in one executemany transaction (WAL, as the store)."""
    path = folder / f"raw-{time.perf_counter_ns()}.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, topic TEXT, "
                 "state BLOB, PRIMARY KEY (originator_id, originator_version))")
    rows = [(f"{i:032x}", i, "workflow.parcel:Parcel.Transitioned", line.encode()) for i, line in enumerate(jsonl)]
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO stored_events VALUES (?,?,?,?)", rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


class Bare(Aggregate):
    """The least an eventsourcing aggregate can be: one event class that changes nothing."""

    class Noted(Aggregate.Event):
        actor: str
        role: str
        data: dict

    def apply(self, event) -> None:
        pass


def time_eventsourcing(events: int, folder: Path) -> float:
    """eventsourcing alone: bare aggregates, events of the same data, one `save`."""
    app = Application(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                           "SQLITE_DBNAME": str(folder / f"bare-{time.perf_counter_ns()}.db")})
    data = {"contract_amount": Decimal("88.5"), "method": "public_tender", "contractor": "托里县建安公司"}
    started = time.perf_counter()
    aggregates = [Bare() for _ in range(max(1, events // 14))]
    for i in range(events - len(aggregates)):
        aggregates[i % len(aggregates)].trigger_event(Bare.Noted, actor="张玉峰", role="nrb", data=dict(data))
    app.save(*aggregates)
    return time.perf_counter() - started


def time_least(jsonl: list[str], folder: Path) -> float:
    """The least any apply can do, written here apart from minerehab: read each line with plain json.loads and
    save one bare event carrying its actor, role and data through minerehab's chained recorder (the hash chain
    and the log link in the same transaction) — no field parsed, no role, guard, date or state machine checked."""
    app = Application(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                           "SQLITE_DBNAME": str(folder / f"least-{time.perf_counter_ns()}.db"),
                           "APPLICATION_RECORDER_TOPIC": "events.chain:ChainedSQLiteRecorder"})
    started = time.perf_counter()
    aggregates = [Bare() for _ in range(max(1, len(jsonl) // 14))]
    for i, line in enumerate(jsonl[len(aggregates):]):
        command = json.loads(line)
        aggregates[i % len(aggregates)].trigger_event(Bare.Noted, actor=command["actor"], role=command["role"],
                                                      data=command.get("data") or {})
    app.save(*aggregates)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    jsonl = commands(args.parcels)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        applied = min(time_apply(jsonl, folder / f"apply{i}.db") for i in range(args.repeat))
        raw = min(time_raw(jsonl, folder) for _ in range(args.repeat))
        bare = min(time_eventsourcing(len(jsonl), folder) for _ in range(args.repeat))
        least = min(time_least(jsonl, folder) for _ in range(args.repeat))
    n = len(jsonl)
    print(f"commands            {n}")
    print(f"apply               {applied:.3f} s  ({n / applied:,.0f} commands/s)")
    print(f"raw executemany     {raw:.3f} s  ({n / raw:,.0f} rows/s)")
    print(f"eventsourcing alone {bare:.3f} s  (throughput {raw / bare:.3f} of raw: the floor of any apply built on it)")
    print(f"ratio apply/raw     {applied / raw:.1f}x   (throughput {raw / applied:.3f} of raw)")
    print(f"apply against eventsourcing's own save: throughput {bare / applied:.2f} of it")
    print(f"least any apply can do (json.loads + bare events, chained) {least:.3f} s: throughput {bare / least:.2f} "
          f"of eventsourcing's save; apply takes {applied / least:.1f}x the least")


if __name__ == "__main__":
    main()
