"""Benchmark: the hash chain's cost on insert, and `verify` per 100k events, as ratios measured in one run.

Usage: python bench/chain.py [--parcels 7200] [--repeat 3]
- insert: `apply` of the same commands with the chained recorder vs eventsourcing's plain one;
- verify: full verification vs the floor of reading every row and hashing each state once.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apply import commands, time_apply  # noqa: E402

from events.verify import verify  # noqa: E402
from workflow.ledger import Ledger  # noqa: E402


def floor(path: Path) -> float:
    started = time.perf_counter()
    with closing(sqlite3.connect(path)) as conn:
        for (state,) in conn.execute("SELECT state FROM stored_events"):
            hashlib.sha256(state).digest()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=7200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    jsonl = commands(args.parcels)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain = min(time_apply(jsonl, folder / f"plain{i}.db", False) for i in range(args.repeat))
        chained = min(time_apply(jsonl, folder / f"chained{i}.db", True) for i in range(args.repeat))
        store = folder / "chained0.db"
        ledger = Ledger(str(store))
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            report = verify(ledger.raw)
            runs.append(time.perf_counter() - started)
        ledger.close()
        base = min(floor(store) for _ in range(args.repeat))
    n = len(jsonl)
    per_100k = min(runs) * 100_000 / report.events
    print(f"events              {report.events} ({n} commands)")
    print(f"apply, plain        {plain:.3f} s")
    print(f"apply, chained      {chained:.3f} s   ratio {chained / plain:.2f}x (+{(chained / plain - 1) * 100:.0f} %)")
    print(f"verify              {min(runs):.3f} s   ({per_100k:.2f} s per 100k events), ok={report.ok}")
    print(f"read+sha256 floor   {base:.3f} s   ratio verify/floor {min(runs) / base:.1f}x")


if __name__ == "__main__":
    main()
