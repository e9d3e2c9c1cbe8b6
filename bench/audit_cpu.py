"""Benchmark: the audit's CPU time against the floor's (SELECT + json.loads), best of N, in one process.

Usage: python bench/audit_cpu.py STORE [--repeat 5]
CPU time (time.process_time) instead of wall-clock, so another job on the machine does not
move the ratio much; used to compare two versions of the code on the same store.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import sys
import time
from contextlib import closing
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workflow.ledger import Ledger  # noqa: E402

try:
    from audit import shares as auditing  # noqa: E402
except ImportError:  # the layout before the audit had a package of its own
    from workflow import audit as auditing  # noqa: E402


def cpu(fn) -> float:
    started = time.process_time()
    fn()
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    def floor():
        with closing(sqlite3.connect(args.store)) as conn:
            for (state,) in conn.execute("SELECT state FROM stored_events"):
                json.loads(state)

    ledger = Ledger(args.store)
    audits, floors = [], []
    for _ in range(args.repeat):
        floors.append(cpu(floor))
        audits.append(cpu(lambda: auditing.run(ledger, date(2026, 1, 1))))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"audit CPU best {min(audits):.2f} s (median {sorted(audits)[len(audits) // 2]:.2f})   floor best "
          f"{min(floors):.2f} s   ratio {min(audits) / min(floors):.2f}x   peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
