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
from itertools import zip_longest
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workflow import scenario  # noqa: E402
from workflow.commands import from_json  # noqa: E402
from workflow.ledger import Ledger  # noqa: E402

TOWNSHIPS = ["托里镇", "庙尔沟镇", "铁厂沟镇", "多拉特乡", "乌雪特乡", "库甫乡", "阿克别里斗乡"]
INSPECTED_UNTIL = date(2026, 6, 30)
"""Stewards inspect about every 170 days until this date; the audit benchmark runs as of 2026-01-01."""
CONTRACTOR, SUPERVISOR, TOWNSHIP = ("托里县建安公司", "contractor"), ("塔城监理公司", "supervisor"), ("镇", "township")


def parcel_life(code: str, rng: random.Random) -> list[dict]:
    start = date(2023, 1, 2) + timedelta(days=rng.randint(0, 500))
    area = Decimal(rng.randint(50, 3000)) / 100
    life = scenario.works_life(code, start, area, (area * 22).quantize(Decimal("0.01")), year=start.year)
    register = life[0]["data"]
    register.update(township=rng.choice(TOWNSHIPS), pit_depth_m=Decimal(rng.randint(2, 40)),
                    near_road=rng.random() < 0.2, verification_id=f"HC-{code}")
    begun = date.fromisoformat(next(x for x in life if x["do"] == "start_construction")["on"])
    extra = [scenario.command("log_patrol", code, begun + timedelta(days=d), TOWNSHIP, {"findings": "无隐患"})
             for d in (10, 14, 21, 28)]
    extra += [scenario.command("log_supervision", code, begun + timedelta(days=12), SUPERVISOR, {"findings": "按设计施工"}),
              scenario.command("survey_elevation", code, start + timedelta(days=20), ("七大队", "survey_unit"),
                               {"pre_min_m": Decimal(1000)}),
              scenario.command("survey_elevation", code, begun + timedelta(days=25), ("七大队", "survey_unit"),
                               {"post_min_m": Decimal(1000) + rng.randint(0, 3)})]
    breach = rng.random()
    if breach < 0.04:
        extra.append(scenario.command("move_material", code, begun + timedelta(days=3), CONTRACTOR,
                                      {"volume_m3": Decimal(1500), "destination": "off_site"}))
    elif breach < 0.08:
        extra.append(scenario.command("make_payment", code, start + timedelta(days=15), ("张志坚", "finance"), {
            "amount": Decimal(5), "payee": "托里县建安公司", "account": "other", "stage": "advance"}))
    elif breach < 0.12:
        life[-1]["data"]["experts"] = ["赵专家"]
    accepted = date.fromisoformat(life[-1]["on"])
    extra += scenario.settlement(code, accepted + timedelta(days=3), scenario.contract_of(life))
    handed = accepted + timedelta(days=20)
    extra += scenario.stewardship(code, handed, years=3)[:2]
    keeper = ("庙尔沟镇人民政府", "steward")
    extra += [scenario.command("log_stewardship_inspection", code, handed + timedelta(days=days), keeper,
                               {"condition": "植被长势良好", "survival_rate": Decimal(rng.randint(86, 95))})
              for days in range(120, (INSPECTED_UNTIL - handed).days, 170)]
    extra.append(scenario.command("attach_document", code, accepted + timedelta(days=2), scenario.NRB, {"note": "竣工资料"},
                                  documents=[{"title": "竣工报告", "ref": f"WG-{code}.pdf"}]))
    return life + extra


def interleaved(lives: list[list[dict]]) -> list[dict]:
    """One command of each parcel in turn, each parcel's own order kept: a log where parcels' events mix."""
    return [line for turn in zip_longest(*lives) for line in turn if line is not None]


def accepted_by_month(lives: dict[str, list[dict]]) -> dict[date, list[str]]:
    """Parcels grouped by the month of their acceptance: "完成一批核销一批", one batch a month."""
    months: dict[date, list[str]] = {}
    for code, life in lives.items():
        accepted = date.fromisoformat(next(x for x in life if x["do"] == "accept")["on"])
        months.setdefault(accepted.replace(day=1), []).append(code)
    return months


def build(store: str, parcels: int, chunk: int, seed: int = 1) -> tuple[int, float]:
    rng = random.Random(seed)
    Ledger(store, create=True).close()
    ledger = Ledger(store)
    years = {str(y): {"parcels": parcels, "area_ha": Decimal(parcels) * 20} for y in (2023, 2024)}
    head = scenario.programme(years=years, target_ha=Decimal(parcels) * 30) + scenario.taskforce()
    started, events = time.perf_counter(), 0

    def run(lines: list[dict]) -> None:
        commands = [from_json(line) for line in lines]
        for c in commands:
            c.migrated = True
        ledger.execute(commands)

    run(head)
    for first in range(0, parcels, chunk):
        codes = [f"P{n:06d}" for n in range(first, min(parcels, first + chunk))]
        lives = {code: parcel_life(code, rng) for code in codes}
        lines = interleaved(list(lives.values()))
        for month, members in sorted(accepted_by_month(lives).items()):
            batch_on = (month + timedelta(days=32)).replace(day=1)  # batched on the first of the next month
            lines += scenario.write_off(f"B{first // chunk:05d}-{month:%Y%m}", members, batch_on, month.year)
        run(lines)
        events += len(lines) + 2 * len(codes)  # a batch move also writes on each member
    ledger.close()
    return events, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=10000)
    parser.add_argument("--store", default="bench/out/generated.db")
    parser.add_argument("--chunk", type=int, default=250)
    args = parser.parse_args()
    if "://" not in args.store:
        Path(args.store).parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(args.store + suffix).unlink(missing_ok=True)
    events, seconds = build(args.store, args.parcels, args.chunk)
    print(f"built {args.parcels} parcels, about {events} events, in {seconds:.1f} s ({events / seconds:,.0f} events/s)"
          f" -> {args.store}")


if __name__ == "__main__":
    main()
