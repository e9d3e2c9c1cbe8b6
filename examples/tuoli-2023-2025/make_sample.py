"""Writes the illustrative Tuoli sample: parcels.csv, plan.csv, programme.jsonl and history.jsonl.

The real parcel list is not public. These 28 parcels are invented, but their per-year
counts and areas, total area and total investment equal the seed plan exactly. The
history carries a handful of deliberate compliance problems for the audit to find.
Run: python examples/tuoli-2023-2025/make_sample.py  (a test checks the files match).
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from geometry import sample as shapes  # noqa: E402
from geometry.shapes import GEOD  # noqa: E402
from samples import scenario  # noqa: E402
from workflow.commands import to_jsonl  # noqa: E402

INVESTMENT = Decimal("4647.75")
AREAS = {
    2023: ["12.3456", "8.1234", "6.5", "4.2311", "3.8877", "7.65", "5.1", "2.9", "6.0", "4.5", "3.3", "5.5", "6.7"],
    2024: ["9.8", "7.2", "6.35", "5.15", "4.6", "3.9", "6.8", "5.5", "4.25", "3.75", "4.4", "4.0"],
    2025: ["32.5", "21.36", "15.0"],
}
TOWNSHIPS = ["托里镇", "庙尔沟镇", "铁厂沟镇", "多拉特乡", "乌雪特乡", "库甫乡", "阿克别里斗乡"]
MINERALS = ["建筑用砂石", "花岗岩", "石灰岩", "砖瓦用黏土", "铬铁矿", "金矿"]
PREF = ("地区自然资源局", "prefecture_nrb")
HEADERS = ["图斑编号", "图斑名称", "县级行政区代码", "乡镇", "经度", "纬度", "图斑面积", "核实面积", "核查编号",
           "图斑大类", "图斑小类", "损毁类型", "矿种", "开采方式", "闭坑年份", "三调地类", "采坑深度", "临近道路",
           "临近居民点", "拟修复模式", "修复方向", "登记日期", "图斑边界"]
OVERLAPPING = ("TL25-03", "TL24-10")
"""Seeded for R25: TL24-10 is drawn inside TL25-03, the same ground under two codes."""


def parcels() -> list[dict]:
    total_area = sum(Decimal(a) for areas in AREAS.values() for a in areas)
    rows, allotted = [], Decimal(0)
    for year, areas in AREAS.items():
        for i, area in enumerate(areas, start=1):
            n = len(rows)
            code = f"TL{year % 100}-{i:02d}"
            share = (Decimal(area) * INVESTMENT / total_area).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if n == 27:
                share = INVESTMENT - allotted
            allotted += share
            rows.append({"code": code, "name": f"{TOWNSHIPS[n % 7]}{MINERALS[n % 6]}废弃采坑{i}号", "year": year,
                         "county_code": "654224", "township": TOWNSHIPS[n % 7],
                         "lon": Decimal("83.6") + Decimal(n) / 50, "lat": Decimal("45.9") + Decimal(n % 9) / 40,
                         "area_ha": Decimal(area), "verified_area_ha": Decimal(area), "verification_id": f"HC-{n + 1:04d}",
                         "category": "10", "subclass": "11" if n % 5 else "12", "feature": "采坑",
                         "mineral": MINERALS[n % 6], "mining_method": "露天开采", "closure_year": 2005 + n % 12,
                         "land_class": "0404" if n % 3 else "0307", "pit_depth_m": Decimal(4 + (n * 7) % 29),
                         "near_road": "是" if n % 4 == 0 and (n < 13 or n == 16) else "否",
                         "near_settlement": "是" if n % 6 == 1 and n < 13 else "否",
                         "planned_mode": "生态重建", "direction": "0404" if n % 3 else "0307",
                         "on": "2023-02-20", "investment": share})
    by_code = {r["code"]: r for r in rows}
    big, small = (by_code[c] for c in OVERLAPPING)
    lon, lat, _ = GEOD.fwd(float(big["lon"]), float(big["lat"]), 45, 60)
    small["lon"], small["lat"] = Decimal(f"{lon:.6f}"), Decimal(f"{lat:.6f}")
    for n, r in enumerate(rows):
        r["n"], r["boundary"] = n, wkt(outline(r, n))
    return rows


def outline(row: dict, n: int, area=None):
    """An illustrative boundary around the parcel's point whose ellipsoidal area is its area to 4 decimals."""
    return shapes.boundary((float(row["lon"]), float(row["lat"])), area or row["area_ha"], seed=654224 + n)


def wkt(shape) -> str:
    """WKT with every digit of the coordinates, so the area read back is the one the boundary was made for."""
    import shapely

    return shapely.to_wkt(shape, rounding_precision=-1)


def csv_text(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def parcels_csv(rows: list[dict]) -> str:
    keys = ["code", "name", "county_code", "township", "lon", "lat", "area_ha", "verified_area_ha", "verification_id",
            "category", "subclass", "feature", "mineral", "mining_method", "closure_year", "land_class", "pit_depth_m",
            "near_road", "near_settlement", "planned_mode", "direction", "on", "boundary"]
    return csv_text(HEADERS, [[r[k] for k in keys] for r in rows])


def plan_csv(rows: list[dict]) -> str:
    return csv_text(["年度", "图斑编号", "图斑面积", "计划投入资金", "修复模式"],
                    [[r["year"], r["code"], r["area_ha"], r["investment"], "生态重建"] for r in rows])


SHORT = "TL23-10"
"""Seeded for R26 (报大建小): completed as designed on paper, the acceptance survey measures 85 % of it."""
OUTSIDE = "TL23-06"
"""Seeded for R27: dug beyond the design on its east side (the parcel whose earth left the site, R01)."""


def boundaries(row: dict) -> dict[str, str]:
    """The design, as-built and measured boundaries of a parcel's works, by the trigger that records each."""
    import shapely

    design = row["boundary"]
    built = measured = design
    if row["code"] == SHORT:
        measured = wkt(outline(row, row["n"], (row["area_ha"] * Decimal("0.85")).quantize(Decimal("0.0001"))))
    if row["code"] == OUTSIDE:
        shape = shapely.from_wkt(design)
        east = max(shape.exterior.coords, key=lambda c: c[0])
        built = measured = wkt(shapely.union(shape, shapes.boundary(east, Decimal("0.3"), seed=7)))
    return {"submit_design": ("design_boundary", design), "complete_works": ("as_built_boundary", built),
            "accept": ("measured_boundary", measured)}


def works(row: dict, start: date, stop: str | None = None) -> list[dict]:
    """The works life after registration and planning (those come from the imports), up to `stop`."""
    life = scenario.works_life(row["code"], start, row["area_ha"], row["investment"], year=row["year"])[2:]
    if stop:
        life = life[:[line["do"] for line in life].index(stop) + 1]
    drawn = boundaries(row)
    for line in life:
        if line["do"] in drawn:
            name, text = drawn[line["do"]]
            line["data"] = {**line["data"], name: text}
    return life


def edit(life: list[dict], do: str, **data) -> dict:
    line = next(line for line in life if line["do"] == do)
    line["data"] = {**line["data"], **data}
    return line


def history(rows: list[dict]) -> list[dict]:
    y23 = [r for r in rows if r["year"] == 2023]
    y24 = [r for r in rows if r["year"] == 2024]
    lines: list[dict] = []
    for i, row in enumerate(y23):
        life = works(row, date(2023, 3, 13) + timedelta(days=3 * i))
        if i == 2:  # R10: the contractor sits in the acceptance group, and only two experts
            edit(life, "accept", group=[{"name": "张玉峰", "unit": "nrb"}, {"name": "托里县建安公司", "unit": "contractor"}],
                 experts=["赵专家", "钱专家"])
        if i == 4:  # R06: measured area larger than what was built
            edit(life, "accept", measured_area_ha=row["area_ha"] + Decimal("0.35"))
        if i == 5:  # R01: more earth moved off site than the design's surplus
            lines.append(scenario.command("move_material", row["code"], date(2023, 5, 20), ("托里县建安公司", "contractor"),
                                          {"volume_m3": Decimal(1600), "destination": "off_site", "material": "砂石"}))
        lines += life + scenario.settlement(row["code"], date.fromisoformat(life[-1]["on"]) + timedelta(days=3),
                                            scenario.contract_of(life))
    accepted = {r["code"]: date.fromisoformat(works(r, date(2023, 3, 13) + timedelta(days=3 * i))[-1]["on"])
                for i, r in enumerate(y23)}
    first, second = [r["code"] for r in y23[:8]], [r["code"] for r in y23[8:]]
    lines += scenario.write_off("B2023-1", first, date(2023, 9, 1), 2023)
    batch2 = scenario.write_off("B2023-2", second, date(2023, 11, 1), 2023)
    batch2[-1]["data"]["rejected"] = [second[0]]  # the prefecture rejects one: it goes back to rectifying
    lines += batch2
    contractor = ("托里县建安公司", "contractor")
    lines += [scenario.command("complete_rectification", second[0], date(2024, 4, 20), contractor,
                               {"report_ref": f"ZG-{second[0]}"}),
              {**works(y23[8], date(2023, 3, 13))[-1], "on": "2024-05-06"}]
    for n, code in enumerate(first + second[1:]):
        steward_on = accepted[code] + timedelta(days=45 if n == 3 else 12)  # R13: one designated late
        lines += scenario.stewardship(code, steward_on, years=1 if n < 2 else 3)[: 5 if n < 2 else 4]
    # surplus earth sold: R03/R17 on the second sale (no platform, below the appraised price, before disclosure)
    sold = y23[6]["code"]
    county = ("金勇", "county_gov")
    lines += [scenario.command("appraise_surplus", sold, date(2023, 8, 1), county, {"material": "砂石", "unit_price": Decimal(38)}),
              scenario.command("publish_disclosure", sold, date(2023, 8, 5), scenario.NRB, {"ref": "GS-2023-07", "subject": "富余砂石出让"}),
              scenario.command("sell_surplus", sold, date(2023, 8, 20), county, {
                  "volume_m3": Decimal(600), "material": "砂石", "unit_price": Decimal(40), "seller": "托里县人民政府",
                  "platform_ref": "XJGGZY-2023-0815", "buyer": "托里县恒通建材"}),
              scenario.command("deposit_revenue", sold, date(2023, 9, 5), ("张志坚", "finance"),
                               {"amount": Decimal("2.4"), "account": "treasury"}),
              scenario.command("sell_surplus", y23[7]["code"], date(2023, 8, 25), county, {
                  "volume_m3": Decimal(400), "material": "砂石", "unit_price": Decimal(25), "seller": "托里县建安公司"})]
    # 2024: parcels at every stage, one paid before its contract (R07) and one paid from the wrong account (R09)
    stops = ["accept"] * 4 + ["start_construction"] * 2 + ["certify_progress", "submit_design", "submit_design",
                                                           "deliver_survey", "commission_survey", "start_construction"]
    for i, (row, stop) in enumerate(zip(y24, stops)):
        life = works(row, date(2024, 3, 4) + timedelta(days=4 * i), stop)
        if i == 4:
            payment = scenario.command("make_payment", row["code"], date(2024, 3, 20), ("张志坚", "finance"), {
                "amount": Decimal(30), "payee": "托里县建安公司", "account": "special", "stage": "advance"})
            life.insert(1, payment)
        if i == 1:  # R23: a design author sits on the review panel
            edit(life, "approve_design", experts=["王工", "赵专家", "钱专家"])
        if i == 5:  # R04: one parcel funded by two central lines
            edit(life, "allocate_funds", source="central", line="重点生态保护修复治理资金")
            extra = dict(next(line for line in life if line["do"] == "allocate_funds"))
            life.append({**extra, "data": {**extra["data"], "line": "中央预算内投资"}})
        lines += life
        if stop == "accept":
            lines += scenario.stewardship(row["code"], date.fromisoformat(life[-1]["on"]) + timedelta(days=20), years=3)[:2]
        if i == 11:
            lines.append(scenario.command("suspend", row["code"], date.fromisoformat(life[-1]["on"]) + timedelta(days=10),
                                          ("乌来别克·马丁", "eeb"), reason="扬尘治理不到位，责令停工整改"))
    lines += scenario.write_off("B2024-1", [y23[8]["code"]] + [r["code"] for r in y24[:4]], date(2024, 7, 1), 2024)[:-1]
    lines.append(scenario.command("make_payment", y24[6]["code"], date(2024, 6, 10), ("张志坚", "finance"), {
        "amount": Decimal(12), "payee": "托里县建安公司", "account": "other", "stage": "progress"}))
    return lines


def budgets() -> list[dict]:
    """The finance bureau puts part of each year's planned funds into the county budget."""
    return [{"do": "include_in_budget", "programme": "TL-2023-2025", "actor": "张志坚", "role": "finance",
             "on": f"{year - 1}-12-20" if year > 2023 else "2023-01-20", "data": {"year": year, "amount": Decimal(amount)}}
            for year, amount in ((2023, "1200"), (2024, "1000"), (2025, "800"))]


def files() -> dict[str, str]:
    rows = parcels()
    return {
        "parcels.csv": parcels_csv(rows),
        "plan.csv": plan_csv(rows),
        "programme.jsonl": "".join(to_jsonl(line) + "\n" for line in scenario.programme() + budgets() + scenario.taskforce()),
        "history.jsonl": "".join(to_jsonl(line) + "\n" for line in history(rows)),
    }


if __name__ == "__main__":
    for name, text in files().items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"wrote {HERE / name}")
