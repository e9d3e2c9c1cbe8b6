"""Benchmark: the audit with the spatial rules (R25–R28) against the audit without them, same store.

Usage: python bench/spatial.py STORE [--repeat 3]
       python bench/spatial.py --synthetic 100000   (the spatial work alone on N boundaries, no store)
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
    from audit import shares as auditing
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
            found = None  # the last repeat's findings are not held while this one runs (the peak is one audit's)
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


def synthetic(n: int) -> None:
    """The spatial rules' own work on n boundaries, without a store: re-measuring n recorded WKT texts (R28,
    and every rule's reading), the overlap pairs of n live footprints (R25), n design/as-built comparisons
    (R26/R27, each as-built 2 % smaller and shifted 3 m). One parcel in 200 overlaps its neighbour."""
    import numpy as np
    import shapely

    from geometry import compare, stored
    from geometry.shapes import GEOD

    rng = np.random.default_rng(1)
    cols = 400
    rows, col = np.divmod(np.arange(n), cols)
    lon0, lat0 = 80.0, 36.0
    lat = lat0 + rows * 2000 / 110_950
    lon = lon0 + col * 2000 / (111_320 * np.cos(np.radians(lat)))
    lon[7::200] -= 1700 / (111_320 * np.cos(np.radians(lat[7::200])))          # drawn over the neighbour
    radius = np.sqrt(rng.uniform(0.5, 30, n) * 10_000 / np.pi)
    angles = np.linspace(0, 2 * np.pi, 13)[:-1]

    def ring(scale, shift):
        dx = (radius[:, None] * scale * np.cos(angles) + shift) / (111_320 * np.cos(np.radians(lat[:, None])))
        dy = radius[:, None] * scale * np.sin(angles) / 110_950
        coords = np.stack([lon[:, None] + dx, lat[:, None] + dy], axis=-1)
        return shapely.polygons(np.concatenate([coords, coords[:, :1]], axis=1))

    design, built = ring(1.0, 0.0), ring(0.99, 3.0)
    texts = shapely.to_wkt(design, rounding_precision=-1)
    built_texts = shapely.to_wkt(built, rounding_precision=-1)
    stored.measure.cache_clear()
    started = time.process_time()
    measured = [stored.measure(t) for t in texts]
    read_s = time.process_time() - started
    started = time.process_time()
    pairs = compare.overlaps([(i, b) for i, b in enumerate(measured)])
    overlap_s = time.process_time() - started
    others = [stored.measure(t) for t in built_texts]
    started = time.process_time()
    for a, b in zip(measured, others):
        compare.compare(a, b, hausdorff=False)
    compare_s = time.process_time() - started
    check = abs(GEOD.geometry_area_perimeter(design[0])[0]) - measured[0].area_m2
    print(f"{n} boundaries: re-measure {read_s:.2f} s ({read_s / n * 1e6:.0f} µs each); overlaps (R25) "
          f"{overlap_s:.2f} s, {len(pairs)} pairs; compare design/as-built (R26/R27) {compare_s:.2f} s "
          f"({compare_s / n * 1e6:.0f} µs each); Geod check {check:.2e} m²; "
          f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", nargs="?")
    parser.add_argument("--synthetic", type=int, metavar="N", help="The spatial work alone on N boundaries.")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=["floor", "without", "with"])
    args = parser.parse_args()
    if args.synthetic:
        synthetic(args.synthetic)
        return
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
