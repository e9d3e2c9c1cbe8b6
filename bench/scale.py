"""Benchmark at scale: audit vs the floor of reading every event, its peak memory, the re-audit after k new
events, one parcel's history (in process and as a whole `minerehab history`), and CLI start-up; each against
a baseline of the same run.

Usage: python bench/scale.py --parcels 10000 [--store bench/out/10k.db]   (builds the store if missing)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from apply import best  # noqa: E402
from generate import build  # noqa: E402

from audit import kept as reaudit
from audit import shares as audit
from samples import scenario  # noqa: E402
from workflow.commands import from_json  # noqa: E402
from workflow.ledger import Ledger  # noqa: E402

MINEREHAB = ROOT / ".venv" / "bin" / "minerehab"


def floor(store: str) -> None:
    with closing(sqlite3.connect(store)) as conn:
        for (state,) in conn.execute("SELECT state FROM stored_events"):
            json.loads(state)


def child_peak_mb(code: str) -> float:
    """Peak resident memory of a fresh interpreter running `code`, in MB, as the child itself reports it."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec
    report = "; print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
    out = subprocess.run([sys.executable, "-c", code + report], check=True, cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
    return int(out.split()[-1]) / 1024


def process(args: list[str]) -> float:
    return best(lambda: subprocess.run(args, check=True, capture_output=True, cwd=ROOT), 5)


def inspections(k: int, rng: random.Random, parcels: int) -> list:
    """k stewardship inspections on random parcels: what a county records between two audits."""
    keeper = ("庙尔沟镇人民政府", "steward")
    return [from_json(json.loads(json.dumps(scenario.command(
        "log_stewardship_inspection", f"P{rng.randrange(parcels):06d}", date(2025, 12, 15), keeper,
        {"condition": "良好", "survival_rate": rng.randint(80, 95)}), default=str))) for _ in range(k)]


def reaudits(ledger, state: str, as_of: date, parcels: int) -> dict:
    """Build the state once (a full audit that keeps it), then re-audit after k = 1 and k = 100 new events."""
    kept = reaudit.Kept(state)
    started = time.perf_counter()
    reaudit.update(ledger, kept, as_of)
    figures = {"build": time.perf_counter() - started}
    rng = random.Random(7)
    for k in (1, 100):
        times = []
        for _ in range(5):
            ledger.execute(inspections(k, rng, parcels))
            started = time.perf_counter()
            assert reaudit.update(ledger, kept, as_of) == k
            kept.summary()
            times.append(time.perf_counter() - started)
        figures[k] = min(times)
    started = time.perf_counter()
    figures["listed"] = len(kept.findings())
    figures["list"] = time.perf_counter() - started
    kept.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=10000)
    parser.add_argument("--store")
    args = parser.parse_args()
    store = args.store or str(ROOT / "bench" / "out" / f"{args.parcels}.db")
    if not Path(store).exists():
        Path(store).parent.mkdir(parents=True, exist_ok=True)
        events, seconds = build(store, args.parcels, 250)
        print(f"built {args.parcels} parcels ({events} events) in {seconds:.0f} s")
    ledger = Ledger(store)
    as_of = date(2026, 1, 1)
    audited = best(lambda: audit.run(ledger, as_of), 2)
    read = best(lambda: floor(store), 2)
    code = "P000123"
    history = best(lambda: ledger.history("parcel", code), 20)
    again = reaudits(ledger, store + ".audit-state", as_of, args.parcels)
    events = ledger.recorder.max_notification_id()
    ledger.close()
    idle = child_peak_mb("from datetime import date; from workflow.ledger import Ledger; from audit import shares as audit")
    peak = child_peak_mb(f"from datetime import date; from workflow.ledger import Ledger; from audit import shares as audit; "
                         f"audit.run(Ledger({store!r}), date(2026, 1, 1))")
    imports = process([sys.executable, "-c", "import eventsourcing, transitions, click"])
    whole = process([str(MINEREHAB), "--store", store, "history", code])
    helps = process([str(MINEREHAB), "--help"])
    print(f"parcels {args.parcels}, events {events}")
    print(f"full audit            {audited:.2f} s   floor (SELECT + json.loads) {read:.2f} s   ratio {audited / read:.2f}x")
    print(f"audit peak memory     {peak:.0f} MB (interpreter and imports alone {idle:.0f} MB)")
    print(f"re-audit, state kept  k=1 {again[1] * 1000:.0f} ms   k=100 {again[100] * 1000:.0f} ms   "
          f"(full audit {audited:.1f} s: k=1 is {audited / again[1]:.0f}x faster; building the state "
          f"{again['build']:.1f} s; listing its {again['listed']} findings {again['list'] * 1000:.0f} ms)")
    print(f"history, in process   {history * 1000:.1f} ms")
    print(f"`minerehab history`   {whole * 1000:.0f} ms   import eventsourcing,transitions,click {imports * 1000:.0f} ms   "
          f"ratio {whole / imports:.2f}x")
    print(f"`minerehab --help`    {helps * 1000:.0f} ms   ratio {helps / imports:.2f}x")


if __name__ == "__main__":
    main()
