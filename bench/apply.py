"""Benchmark: `apply` of N generated commands vs a raw sqlite3 `executemany` of N rows, in the same run.

Usage: python bench/apply.py [--parcels 300] [--repeat 3]
Prints the best of `repeat` runs for each and their ratio (apply / raw): this machine is
noisy, so only the ratio measured in one run means anything.
"""

from __future__ import annotations

import argparse
import io
import sqlite3
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from events import store as stores  # noqa: E402
from workflow import scenario  # noqa: E402
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
    n = len(jsonl)
    print(f"commands            {n}")
    print(f"apply               {applied:.3f} s  ({n / applied:,.0f} commands/s)")
    print(f"raw executemany     {raw:.3f} s  ({n / raw:,.0f} rows/s)")
    print(f"ratio apply/raw     {applied / raw:.1f}x   (throughput {raw / applied:.3f} of raw)")


if __name__ == "__main__":
    main()
