"""Benchmark: `minerehab verify` as a user runs it, against its floor (read every row + SHA-256), in one run.

Usage: python bench/verify_floor.py STORE [--repeat 3] [--code CHECKOUT]
STORE is a SQLite file or a postgresql:// URL. verify is a whole process minus its start-up
(`verify --help`), in wall and CPU seconds as bench/audit_formats.py measures the audit; the floor reads
every stored state and hashes it once with SHA-256, in this process. On a signed store the
signatures are checked too; the per-event cost of that is stated against bench/signing.py.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audit_formats import ROOT, measured  # noqa: E402
from audit_formats import floor as scan  # noqa: E402


def floor(store: str) -> tuple[float, float]:
    """(CPU, wall) seconds to SELECT every state and SHA-256 it."""
    return scan(store, lambda state: hashlib.sha256(state).digest())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, help="Pass --jobs N to verify (default: its own choice).")
    parser.add_argument("--code", type=Path, default=ROOT, help="The checkout to run (to compare two versions).")
    args = parser.parse_args()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    floors, startups, runs = [], [], []
    for _ in range(args.repeat):
        floors.append(floor(args.store))
        startups.append(measured(["verify", "--help"], args.store, args.code))
        run = measured(["verify", *jobs], args.store, args.code)
        if "Traceback" in run.stderr:
            sys.exit(f"verify failed: {run.stderr[-500:]}")
        runs.append(run)
    cpu, wall = min(c for c, _ in floors), min(w for _, w in floors)
    c = min(r.cpu for r in runs) - min(r.cpu for r in startups)
    w = min(r.wall for r in runs) - min(r.wall for r in startups)
    print(f"code {args.code}; store {args.store}; {' '.join(jobs) or 'default jobs'}; floor (read + SHA-256) best "
          f"{cpu:.2f} s CPU, {wall:.2f} s wall")
    print(f"  verify  {w:6.2f} s wall = {w / wall:.2f}x   {c:6.2f} s CPU = {c / cpu:.2f}x   peak "
          f"{max(r.peak for r in runs) / 2**20:.0f} MB (all processes at once {max(r.tree for r in runs) / 2**20:.0f} MB)")


if __name__ == "__main__":
    main()
