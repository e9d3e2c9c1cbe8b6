"""Build a store of N parcels with realistic, varied histories through the application itself.

Usage: python bench/generate.py --parcels 10000 --store bench/out/10k.db
About 35 events a parcel: works from registration to acceptance, weekly patrols, money,
elevation surveys, write-off in monthly batches, stewardship with inspections; about one
parcel in eight (--fault-rate) breaks a rule on purpose. Commands go in bulk transactions of --chunk
parcels, the parcels' events interleaved as in a real log; the history is marked migrated,
as a backfilled national inventory would be.

With --boundaries every parcel also carries a boundary (an illustrative polygon whose ellipsoidal
area is its area, on a 2 km grid across 80°E–90°E, 36°N–41°N) and its works carry design, as-built
and measured boundaries; a few parcels break the spatial rules on purpose (R25–R28).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from samples import scenario, synthetic  # noqa: E402
from workflow.commands import from_json  # noqa: E402
from workflow.ledger import Ledger  # noqa: E402

INSPECTED_UNTIL = date(2026, 6, 30)
"""Stewards inspect about every 170 days until this date; the audit benchmark runs as of 2026-01-01."""


GRID_M, COLUMNS, ORIGIN = 2000.0, 400, (80.0, 36.0)
"""Where --boundaries puts parcel n: a 2 km grid, COLUMNS wide, from ORIGIN (lon, lat)."""
BOUNDARY_FIELDS = {"submit_design": "design_boundary", "complete_works": "as_built_boundary",
                   "accept": "measured_boundary"}


def centre_of(n: int) -> tuple[float, float]:
    from geometry.shapes import GEOD

    row, col = divmod(n, COLUMNS)
    lon, lat, _ = GEOD.fwd(*ORIGIN, 0, row * GRID_M)
    lon, lat, _ = GEOD.fwd(lon, lat, 90, col * GRID_M)
    return lon, lat


def draw(lines: list[dict], first: int) -> None:
    """Give each parcel of a chunk its boundaries (in place). Seeded breaks: every 200th parcel is drawn
    over its neighbour (R25), every 100th measured at 85 % of its design (R26), every 150th built 40 m
    beyond its design (R27), every 97th registered 3 % larger than its boundary (R28)."""
    import shapely

    from geometry import sample

    def wkt(shape) -> str:
        return shapely.to_wkt(shape, rounding_precision=-1)

    texts: dict[str, dict] = {}
    for line in lines:
        if line.get("do") != "register":
            continue
        code, data = line["parcel"], line["data"]
        n = int(code[1:])
        area = data["area_ha"]
        lon, lat = centre_of(n)
        if n % 200 == 7 and n % COLUMNS:
            lon, lat = centre_of(n - 1)[0] + 0.004, lat          # ≈ 300 m from the neighbour's centre
        shape = sample.boundary((lon, lat), area, seed=n)
        design = built = measured = wkt(shape)
        if n % 100 == 3:
            measured = wkt(sample.boundary((lon, lat), (area * Decimal("0.85")).quantize(Decimal("0.0001")), seed=n))
        if n % 150 == 11:
            east = max(shape.exterior.coords, key=lambda c: c[0])
            built = measured = wkt(shapely.union(shape, sample.boundary((east[0] + 0.0004, east[1]), Decimal("0.5"))))
        if n % 97 == 5:
            data["area_ha"] = (area * Decimal("1.03")).quantize(Decimal("0.01"))
        data["boundary"] = design
        texts[code] = {"submit_design": design, "complete_works": built, "accept": measured}
    for line in lines:
        name = BOUNDARY_FIELDS.get(line.get("do"))
        if name and line.get("parcel") in texts:
            line["data"] = {**line["data"], name: texts[line["parcel"]][line["do"]]}


def build(store: str, parcels: int, chunk: int, seed: int = 1, signed: str | None = None,
          boundaries: bool = False, fault_rate: float = synthetic.FAULT_RATE) -> tuple[int, float]:
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
        lines = synthetic.chunk(codes, rng, f"B{first // chunk:05d}", INSPECTED_UNTIL, fault_rate)
        if boundaries:
            draw(lines, first)
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
    parser.add_argument("--boundaries", action="store_true",
                        help="Parcels and works carry boundaries, a few breaking R25–R28 on purpose.")
    parser.add_argument("--fault-rate", type=Fraction, default=Fraction(1, 8), metavar="RATE",
                        help="The share of parcels that break a rule on purpose, e.g. 1/8 (default) or 3/4.")
    args = parser.parse_args()
    if "://" not in args.store:
        Path(args.store).parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(args.store + suffix).unlink(missing_ok=True)
    events, seconds = build(args.store, args.parcels, args.chunk, signed=args.signed, boundaries=args.boundaries,
                            fault_rate=float(args.fault_rate))
    print(f"built {args.parcels} parcels, about {events} events, in {seconds:.1f} s ({events / seconds:,.0f} events/s)"
          f" -> {args.store}")


if __name__ == "__main__":
    main()
