"""Build a store of N parcels with realistic, varied histories through the application itself.

Usage: python bench/generate.py --parcels 10000 --store bench/out/10k.db
About 35 events a parcel: works from registration to acceptance, weekly patrols, money,
elevation surveys, write-off in monthly batches, stewardship with inspections; about one
parcel in eight breaks a rule on purpose. Commands go in bulk transactions of --chunk
parcels, the parcels' events interleaved as in a real log; the history is marked migrated,
as a backfilled national inventory would be.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from samples import scenario, synthetic  # noqa: E402
from workflow.commands import from_json  # noqa: E402
from workflow.ledger import Ledger  # noqa: E402

INSPECTED_UNTIL = date(2026, 6, 30)
"""Stewards inspect about every 170 days until this date; the audit benchmark runs as of 2026-01-01."""


def build(store: str, parcels: int, chunk: int, seed: int = 1, signed: str | None = None) -> tuple[int, float]:
    """With `signed` (ed25519 or sm2) the store requires signatures: an administrator founds it and signs the
    whole backfill, as the official who migrates a national inventory would."""
    rng = random.Random(seed)
    Ledger(store, create=True, signing="required" if signed else "unsigned").close()
    ledger = Ledger(store)
    signer = None
    if signed:
        import tempfile

        from events import keys
        from workflow.registry import found_store

        signer = keys.generate(signed)
        folder = Path(tempfile.mkdtemp())
        keys.write_keypair(folder / "admin.key", signer)
        found_store(ledger, "张玉峰", "nrb", str(folder / "admin.key.pub"), date(2023, 1, 1))
    years = {str(y): {"parcels": parcels, "area_ha": Decimal(parcels) * 20} for y in (2023, 2024)}
    head = scenario.programme(years=years, target_ha=Decimal(parcels) * 30) + scenario.taskforce()
    started, events = time.perf_counter(), 0

    def run(lines: list[dict]) -> None:
        commands = [from_json(line) for line in lines]
        for c in commands:
            c.migrated = True
            c.signer, c.signed_by = signer, "张玉峰"
        ledger.execute(commands)

    run(head)
    for first in range(0, parcels, chunk):
        codes = [f"P{n:06d}" for n in range(first, min(parcels, first + chunk))]
        lines = synthetic.chunk(codes, rng, f"B{first // chunk:05d}", INSPECTED_UNTIL)
        run(lines)
        events += len(lines) + 2 * len(codes)  # a batch move also writes on each member
    ledger.close()
    return events, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=10000)
    parser.add_argument("--store", default="bench/out/generated.db")
    parser.add_argument("--chunk", type=int, default=250)
    parser.add_argument("--signed", choices=["ed25519", "sm2"], help="A signed store (the backfill signed by its admin).")
    args = parser.parse_args()
    if "://" not in args.store:
        Path(args.store).parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(args.store + suffix).unlink(missing_ok=True)
    events, seconds = build(args.store, args.parcels, args.chunk, signed=args.signed)
    print(f"built {args.parcels} parcels, about {events} events, in {seconds:.1f} s ({events / seconds:,.0f} events/s)"
          f" -> {args.store}")


if __name__ == "__main__":
    main()
