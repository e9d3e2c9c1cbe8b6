"""Varied histories of many parcels, for the benchmarks at scale and the re-audit's property tests.

Each parcel lives from registration through works, money, acceptance, a monthly write-off
batch and stewardship; about one in eight (or `fault_rate`) breaks a rule on purpose (material off site,
an advance paid from the wrong account, too few acceptance experts).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from itertools import zip_longest

from samples.scenario import (
    NRB,
    command,
    contract_of,
    settlement,
    stewardship,
    works_life,
    write_off,
)

TOWNSHIPS = ["托里镇", "庙尔沟镇", "铁厂沟镇", "多拉特乡", "乌雪特乡", "库甫乡", "阿克别里斗乡"]
CONTRACTOR, SUPERVISOR, TOWNSHIP = ("托里县建安公司", "contractor"), ("塔城监理公司", "supervisor"), ("镇", "township")


FAULT_RATE = 0.125
"""One parcel in eight breaks a rule; an inspector's county with real problems may see three in four."""


def parcel_life(code: str, rng: random.Random, inspected_until: date, fault_rate: float = FAULT_RATE) -> list[dict]:
    """Registration to stewardship with patrols, money and surveys; `fault_rate` of the parcels break a rule,
    a third each way."""
    start = date(2023, 1, 2) + timedelta(days=rng.randint(0, 500))
    area = Decimal(rng.randint(50, 3000)) / 100
    life = works_life(code, start, area, (area * 22).quantize(Decimal("0.01")), year=start.year)
    register = life[0]["data"]
    register.update(township=rng.choice(TOWNSHIPS), pit_depth_m=Decimal(rng.randint(2, 40)),
                    near_road=rng.random() < 0.2, verification_id=f"HC-{code}")
    begun = date.fromisoformat(next(x for x in life if x["do"] == "start_construction")["on"])
    extra = [command("log_patrol", code, begun + timedelta(days=d), TOWNSHIP, {"findings": "无隐患"})
             for d in (10, 14, 21, 28)]
    extra += [command("log_supervision", code, begun + timedelta(days=12), SUPERVISOR, {"findings": "按设计施工"}),
              command("survey_elevation", code, start + timedelta(days=20), ("七大队", "survey_unit"),
                               {"pre_min_m": Decimal(1000)}),
              command("survey_elevation", code, begun + timedelta(days=25), ("七大队", "survey_unit"),
                               {"post_min_m": Decimal(1000) + rng.randint(0, 3)})]
    breach = rng.random() / fault_rate * 0.125  # 0.04, 0.08, 0.12 of 1/8 scaled to the rate
    if breach < 0.04:
        extra.append(command("move_material", code, begun + timedelta(days=3), CONTRACTOR,
                                      {"volume_m3": Decimal(1500), "destination": "off_site"}))
    elif breach < 0.08:
        extra.append(command("make_payment", code, start + timedelta(days=15), ("张志坚", "finance"), {
            "amount": Decimal(5), "payee": "托里县建安公司", "account": "other", "stage": "advance"}))
    elif breach < 0.12:
        life[-1]["data"]["experts"] = ["赵专家"]
    accepted = date.fromisoformat(life[-1]["on"])
    extra += settlement(code, accepted + timedelta(days=3), contract_of(life))
    handed = accepted + timedelta(days=20)
    extra += stewardship(code, handed, years=3)[:2]
    keeper = ("庙尔沟镇人民政府", "steward")
    extra += [command("log_stewardship_inspection", code, handed + timedelta(days=days), keeper,
                               {"condition": "植被长势良好", "survival_rate": Decimal(rng.randint(86, 95))})
              for days in range(120, (inspected_until - handed).days, 170)]
    extra.append(command("attach_document", code, accepted + timedelta(days=2), NRB, {"note": "竣工资料"},
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


def chunk(codes: list[str], rng: random.Random, batch_prefix: str, inspected_until: date,
          fault_rate: float = FAULT_RATE) -> list[dict]:
    """Commands for some parcels, their events interleaved, then one write-off batch per month of acceptance."""
    lives = {code: parcel_life(code, rng, inspected_until, fault_rate) for code in codes}
    lines = interleaved(list(lives.values()))
    for month, members in sorted(accepted_by_month(lives).items()):
        batch_on = (month + timedelta(days=32)).replace(day=1)  # batched on the first of the next month
        lines += write_off(f"{batch_prefix}-{month:%Y%m}", members, batch_on, month.year)
    return lines
