"""Benchmark: `minerehab audit` as a user runs it, in each output format, against the floor of the same run.

Usage: python bench/audit_formats.py STORE [--repeat 3] [--formats table,json,csv] [--as-of 2026-01-01] [--jobs N]
STORE is a SQLite file or a postgresql:// URL (built by bench/generate.py, e.g. with --fault-rate 3/4).
The audit is a whole process (`python cli.py audit --format F`, output to /dev/null) minus its
start-up (`python cli.py audit --help`); the floor reads every stored state with the plain
driver and decodes it with plain `json.loads` (psycopg's server-side cursor in binary on PostgreSQL), in
this process. Both are timed in wall seconds (what a user waits; the audit splits a large log
between processes, `--jobs`) and in CPU seconds (user + system of the audit's process and the
workers it waited for: what it costs the machine, and less moved by other jobs on it); best of
--repeat each. Memory: the audit process's maximum resident set, and the most its process and
workers held at once (sampled). On PostgreSQL the server's own CPU is not counted on either side.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent


class Run(NamedTuple):
    cpu: float     # seconds, user + system, of the process and the workers it waited for
    wall: float    # seconds
    peak: int      # bytes: the largest process's maximum resident set
    tree: int      # bytes: the most the process and its workers held at once (sampled every 20 ms)
    stderr: str


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and its descendants now (Linux /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry))
            except OSError:
                pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
        todo += parents.get(p, [])
    return total


def measured(args: list[str], store: str, code: Path = ROOT) -> Run:
    """One CLI process of the checkout `code`, its output thrown away."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(code / "cli.py"), *args], cwd=code, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, env={**os.environ, "MINEREHAB_STORE": store})
    most, done = [0], threading.Event()

    def sample():
        while not done.wait(0.02):
            most[0] = max(most[0], tree_rss(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = child.stderr.read().decode(errors="replace")
    _pid, _status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss * 1024, max(most[0], usage.ru_maxrss * 1024),
               stderr)


@contextmanager
def scan(store: str, query: str) -> Iterator[Iterable[tuple]]:
    """The cursor over the rows of `query` ({events}, {chain} and {nid} standing for the events table, the chain
    table and the events' notification id on the store's backend), iterated by the caller itself (a generator
    between would slow the floor by a third): sqlite3's, or psycopg's server-side cursor in binary (bytes as they
    are, as the audit's own scans read them; until session 6 the floor read hex text)."""
    if "://" in store:
        from events.store import TABLE_PG, resolve

        where = resolve(store)
        sql = query.format(events=where.table(TABLE_PG), chain=where.table("event_chain"), nid="notification_id")
        with closing(where.connect()) as conn, conn.transaction():
            with conn.cursor(name="scan", binary=True) as c:
                c.itersize = 2000
                c.execute(sql)
                yield c
    else:
        with closing(sqlite3.connect(store)) as conn:
            yield conn.execute(query.format(events="stored_events", chain="event_chain", nid="rowid"))


def floor(store: str, work=json.loads) -> tuple[float, float]:
    """(CPU, wall) seconds to SELECT every state and pass it to `work` (json.loads: the audit's floor)."""
    started, wall = time.process_time(), time.perf_counter()
    with scan(store, "SELECT state FROM {events}") as rows:
        for (state,) in rows:
            work(state)
    return time.process_time() - started, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="table,json,csv")
    parser.add_argument("--as-of", default="2026-01-01")
    parser.add_argument("--jobs", type=int, help="Pass --jobs N to the audit (default: its own choice).")
    parser.add_argument("--code", type=Path, default=ROOT, help="The checkout to run (to compare two versions).")
    args = parser.parse_args()
    formats = args.formats.split(",")
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    floors, startups = [], []
    runs: dict[str, list[Run]] = {f: [] for f in formats}
    for _ in range(args.repeat):
        floors.append(floor(args.store))
        startups.append(measured(["audit", "--help"], args.store, args.code))
        for fmt in formats:
            run = measured(["audit", "--as-of", args.as_of, "--format", fmt, *jobs], args.store, args.code)
            if "Traceback" in run.stderr or "Error" in run.stderr:  # exit 1 means high findings, as expected
                sys.exit(f"audit --format {fmt} failed: {run.stderr[-500:]}")
            runs[fmt].append(run)
    cpu, wall = min(c for c, _ in floors), min(w for _, w in floors)
    start_cpu, start_wall = min(r.cpu for r in startups), min(r.wall for r in startups)
    print(f"code {args.code}; store {args.store}; {' '.join(jobs) or 'default jobs'}; floor (SELECT + json.loads) "
          f"best {cpu:.2f} s CPU, {wall:.2f} s wall; start-up {start_cpu:.2f} s CPU, {start_wall:.2f} s wall")
    for fmt in formats:
        c = min(r.cpu for r in runs[fmt]) - start_cpu
        w = min(r.wall for r in runs[fmt]) - start_wall
        peak, tree = (max(getattr(r, k) for r in runs[fmt]) / 2**20 for k in ("peak", "tree"))
        print(f"  audit --format {fmt:5}  {w:6.2f} s wall = {w / wall:.2f}x   {c:6.2f} s CPU = {c / cpu:.2f}x   "
              f"peak {peak:.0f} MB (all processes at once {tree:.0f} MB)")


if __name__ == "__main__":
    main()
