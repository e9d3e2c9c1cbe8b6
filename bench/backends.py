"""Benchmark: apply, audit and history on SQLite and PostgreSQL, each as a ratio to its raw driver in one run.

Usage: python bench/backends.py [--parcels 1000] [--repeat 3] [--backend sqlite|postgresql|both]
Baselines: for apply, one executemany of as many rows of the same size; for audit, SELECT of
every row plus json.loads of each state; for history, SELECT of one aggregate's rows.
"""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
import sys
import tempfile
import time
import uuid
from contextlib import closing
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apply import best, commands  # noqa: E402

from audit import shares as audit  # noqa: E402
from events.ids import aggregate_id  # noqa: E402
from events.store import resolve  # noqa: E402
from workflow.commands import read_jsonl  # noqa: E402
from workflow.ledger import Ledger  # noqa: E402

PG = "postgresql://127.0.0.1:5432/test"


class Raw:
    """The driver alone, on a scratch table of the store's shape."""

    def __init__(self, url: str):
        self.pg = url.startswith("postgresql://")
        self.url = url

    def connect(self):
        return resolve(self.url).connect() if self.pg else sqlite3.connect(self.url, isolation_level=None)

    def insert(self, rows: list[tuple]) -> None:
        with closing(self.connect()) as conn:
            table = f"raw_{uuid.uuid4().hex[:8]}"
            mark = "%s" if self.pg else "?"
            conn.execute(f"CREATE TABLE {table} (originator_id TEXT, originator_version INTEGER, topic TEXT, "
                         f"state {'bytea' if self.pg else 'BLOB'}, PRIMARY KEY (originator_id, originator_version))")
            if self.pg:
                with conn.transaction(), conn.cursor() as c:
                    c.executemany(f"INSERT INTO {table} VALUES ({mark},{mark},{mark},{mark})", rows)
            else:
                conn.execute("BEGIN")
                conn.executemany(f"INSERT INTO {table} VALUES ({mark},{mark},{mark},{mark})", rows)
                conn.execute("COMMIT")
            conn.execute(f"DROP TABLE {table}")

    def scan(self, table: str) -> int:
        with closing(self.connect()) as conn:
            return sum(1 for (state,) in conn.execute(f"SELECT state FROM {table}") if json.loads(bytes(state)))

    def one(self, table: str, oid) -> int:
        """One aggregate's rows on a connection kept open, as the ledger's pool keeps one."""
        mark = "%s" if self.pg else "?"
        if not hasattr(self, "kept"):
            self.kept = self.connect()
        return len(self.kept.execute(f"SELECT * FROM {table} WHERE originator_id = {mark}", (oid,)).fetchall())


def run(backend: str, parcels: int, repeat: int, folder: Path) -> list[tuple]:
    url = str(folder / "bench.db") if backend == "sqlite" else f"{PG}?schema=bench_{uuid.uuid4().hex[:8]}"
    jsonl = commands(parcels)
    rows = [(f"{i:032x}", 1, "workflow.parcel:Parcel.Transitioned", line.encode()) for i, line in enumerate(jsonl)]
    raw = Raw(url)
    Ledger(url, create=True).close()
    ledger = Ledger(url)
    started = time.perf_counter()
    ledger.execute(read_jsonl(io.StringIO("".join(jsonl))))
    applied = time.perf_counter() - started
    raw_insert = best(lambda: raw.insert(rows), repeat)
    table = "stored_events" if backend == "sqlite" else f'"{resolve(url).postgres["schema"]}".minerehab_events'
    audited = best(lambda: audit.run(ledger, date(2026, 1, 1)), repeat)
    raw_scan = best(lambda: raw.scan(table), repeat)
    code = f"TL-{parcels // 2:05d}"
    oid = aggregate_id("parcel", code)
    historied = best(lambda: ledger.history("parcel", code), repeat * 10)
    raw_one = best(lambda: raw.one(table, oid.hex if backend == "sqlite" else oid), repeat * 10)
    raw.kept.close()
    ledger.close()
    if backend == "postgresql":
        with resolve(url).connect() as conn:
            conn.execute(f'DROP SCHEMA "{resolve(url).postgres["schema"]}" CASCADE')
    return [(backend, "apply", len(jsonl), applied, raw_insert), (backend, "audit", len(jsonl), audited, raw_scan),
            (backend, "history", 14, historied, raw_one)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    print(f"{'backend':<11} {'workload':<8} {'events':>7} {'minerehab':>10} {'raw driver':>11} {'ratio':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            for name, workload, n, ours, base in run(backend, args.parcels, args.repeat, Path(tmp)):
                print(f"{name:<11} {workload:<8} {n:>7} {ours:>9.4f}s {base:>10.4f}s {ours / base:>6.1f}x")


if __name__ == "__main__":
    main()
