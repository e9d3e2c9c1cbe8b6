"""Benchmark: the audit with the spatial rules (R25–R28) against the audit without them, same store.

Usage: python bench/spatial.py STORE [--repeat 3]
STORE is best built with `bench/generate.py --boundaries`. Each variant runs in its own process
(so its peak memory is its own), CPU time best of N; the floor is SELECT of every row + json.loads.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SPATIAL = ("R25", "R26", "R27", "R28")
AS_OF = date(2026, 1, 1)


def child(store: str, variant: str, repeat: int) -> dict:
    from audit import engine as auditing
    from policies.catalogue import RULES, load_config
    from workflow.ledger import Ledger

    load_config()
    rules = None if variant == "with" else [r for r in sorted(RULES) if r not in SPATIAL]
    if variant == "floor":
        def work():
            with closing(sqlite3.connect(store)) as conn:
                for (state,) in conn.execute("SELECT state FROM stored_events"):
                    json.loads(state)
        found = None
    else:
        ledger = Ledger(store)

        def work():
            nonlocal found
            found = auditing.run(ledger, AS_OF, rules=rules)[0]
        found = None
    times = []
    for _ in range(repeat):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    spatial = None if found is None else {r: sum(1 for f in found if f.rule == r) for r in SPATIAL}
    return {"cpu": min(times), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "findings": None if found is None else len(found), "spatial": spatial}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=["floor", "without", "with"])
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.store, args.child, args.repeat)))
        return
    results = {}
    for variant in ("floor", "without", "with"):
        out = subprocess.run([sys.executable, __file__, args.store, "--repeat", str(args.repeat), "--child", variant],
                             check=True, capture_output=True, text=True).stdout
        results[variant] = json.loads(out)
    floor, without, with_ = results["floor"]["cpu"], results["without"]["cpu"], results["with"]["cpu"]
    with closing(sqlite3.connect(args.store)) as conn:
        events = conn.execute("SELECT count(*) FROM stored_events").fetchone()[0]
    print(f"{events} events; floor {floor:.2f} s; audit without R25–R28 {without:.2f} s ({without / floor:.2f}× floor, "
          f"peak {results['without']['peak_mb']:.0f} MB); with them {with_:.2f} s ({with_ / floor:.2f}× floor, "
          f"+{(with_ / without - 1) * 100:.0f} %, peak {results['with']['peak_mb']:.0f} MB); "
          f"spatial findings {results['with']['spatial']}")


if __name__ == "__main__":
    main()
