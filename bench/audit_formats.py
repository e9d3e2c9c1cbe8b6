"""Benchmark: `minerehab audit` as a user runs it, in each output format, against the floor of the same run.

Usage: python bench/audit_formats.py STORE [--repeat 3] [--formats table,json,csv] [--as-of 2026-01-01]
STORE is a SQLite file or a postgresql:// URL (built by bench/generate.py, e.g. with --fault-rate 3/4).
The audit is a whole process (`python cli.py audit --format F`, output to /dev/null) minus its
start-up (`python cli.py audit --help`); the floor reads every stored state with the plain
driver and decodes it with plain `json.loads` (psycopg's server-side cursor on PostgreSQL), in
this process. Times are CPU seconds (user + system, the audit's process and the floor's), so that
other jobs on the machine move the ratio little; best of --repeat each; the peak memory is the
audit process's maximum resident set. On PostgreSQL the server's own CPU is not counted on
either side.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent


def measured(args: list[str], store: str, code: Path = ROOT) -> tuple[float, int, str]:
    """(CPU seconds, peak RSS in bytes, stderr) of one CLI process of the checkout `code`, its output thrown away."""
    child = subprocess.Popen([sys.executable, str(code / "cli.py"), *args], cwd=code, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, env={**os.environ, "MINEREHAB_STORE": store})
    stderr = child.stderr.read().decode(errors="replace")
    _pid, _status, usage = os.wait4(child.pid, 0)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, stderr


def floor(store: str, work=json.loads) -> float:
    """CPU seconds to SELECT every state and pass it to `work` (json.loads: the audit's floor)."""
    started = time.process_time()
    if "://" in store:
        from events.store import TABLE_PG, resolve

        where = resolve(store)
        with closing(where.connect()) as conn, conn.transaction():
            with conn.cursor(name="floor") as c:
                c.itersize = 2000
                c.execute(f"SELECT state FROM {where.table(TABLE_PG)}")
                for (state,) in c:
                    work(state)
    else:
        with closing(sqlite3.connect(store)) as conn:
            for (state,) in conn.execute("SELECT state FROM stored_events"):
                work(state)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="table,json,csv")
    parser.add_argument("--as-of", default="2026-01-01")
    parser.add_argument("--code", type=Path, default=ROOT, help="The checkout to run (to compare two versions).")
    args = parser.parse_args()
    formats = args.formats.split(",")
    floors, startups = [], []
    runs: dict[str, list[tuple[float, int]]] = {f: [] for f in formats}
    for _ in range(args.repeat):
        floors.append(floor(args.store))
        startups.append(measured(["audit", "--help"], args.store, args.code)[0])
        for fmt in formats:
            seconds, peak, stderr = measured(["audit", "--as-of", args.as_of, "--format", fmt], args.store, args.code)
            if "Traceback" in stderr:  # exit 1 means high findings, as expected
                sys.exit(f"audit --format {fmt} failed: {stderr[-500:]}")
            runs[fmt].append((seconds, peak))
    base, start = min(floors), min(startups)
    print(f"code {args.code}; store {args.store}; floor (SELECT + json.loads) best {base:.2f} s CPU; start-up {start:.2f} s CPU")
    for fmt in formats:
        seconds = min(s for s, _ in runs[fmt]) - start
        peak = max(p for _, p in runs[fmt]) / 2**20
        print(f"  audit --format {fmt:5}  {seconds:7.2f} s CPU   {seconds / base:.2f}x the floor   peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
