"""A parcel's ordinary life as JSONL commands: the demo, the tests and the benchmarks share it.

The dates advance from `start`; amounts are exact decimals. Nothing here breaks a
compliance rule: histories with rule breaks are written on purpose elsewhere.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

NRB = ("张玉峰", "nrb")


def command(do: str, code: str, on: date, actor: tuple[str, str], data: dict | None = None, **extra) -> dict:
    line = {"do": do, "parcel": code, "actor": actor[0], "role": actor[1], "on": on.isoformat()}
    if data:
        line["data"] = data
    line.update(extra)
    return line


def attributes(code: str, area: Decimal, township: str = "庙尔沟镇") -> dict:
    return {"name": f"{code} 采坑", "township": township, "county_code": "654224", "area_ha": area,
            "verified_area_ha": area, "category": "10", "subclass": "11", "feature": "pit",
            "mining_method": "open_pit", "planned_mode": "ecological_reconstruction", "direction": "0404"}


def programme(name: str = "TL-2023-2025", years: dict | None = None, on: date = date(2023, 1, 10),
              target_ha: Decimal = Decimal("195.45"), investment: Decimal = Decimal("4647.75")) -> list[dict]:
    """Create and approve a programme; by default the seed's 2023–2025 decomposition."""
    years = years or {"2023": {"parcels": 13, "area_ha": Decimal("76.7378")},
                      "2024": {"parcels": 12, "area_ha": Decimal("65.7")},
                      "2025": {"parcels": 3, "area_ha": Decimal("68.86")}}
    first = {"do": "create_programme", "programme": name, "actor": "张玉峰", "role": "nrb", "on": on.isoformat(),
             "data": {"name": "新疆托里县历史遗留矿山生态修复方案（2023—2025年）", "county_code": "654224",
                      "period": "2023-2025", "target_ha": target_ha, "years": years, "planned_investment": investment}}
    approve = {"do": "approve_programme", "programme": name, "actor": "金勇", "role": "county_gov",
               "on": (on + timedelta(days=5)).isoformat(), "data": {"evaluation_ref": "托政函〔2023〕12号"}}
    return [first, approve]


def works_life(code: str, start: date, area: Decimal, investment: Decimal, year: int | None = None,
               programme: str = "TL-2023-2025") -> list[dict]:
    """Registration to acceptance, with the facts a sound project records on the way."""
    days = iter(range(0, 10_000, 7))

    def on() -> date:
        return start + timedelta(days=next(days))

    contract = (investment * Decimal("0.9")).quantize(Decimal("0.01"))
    design = (area * Decimal("0.98")).quantize(Decimal("0.0001"))
    return [
        command("register", code, on(), NRB, attributes(code, area)),
        command("plan", code, on(), NRB, {"programme": programme, "year": year or start.year,
                                          "mode": "ecological_reconstruction", "planned_investment": investment}),
        command("commission_survey", code, on(), NRB, {"survey_unit": "新疆第七地质大队", "contract_ref": f"KC-{code}"}),
        command("deliver_survey", code, on(), ("新疆第七地质大队", "survey_unit"), {"report_ref": f"KCBG-{code}"}),
        command("submit_design", code, on(), ("塔城设计院", "design_unit"), {
            "design_ref": f"SJ-{code}", "design_date": (start + timedelta(days=30)).isoformat(),
            "boundary_area_ha": area, "budget": investment, "authors": ["王工", "李工"],
            "quantities": {"earthwork_m3": Decimal(1200), "planting_ha": design},
            "earth_balance": {"generated": Decimal(5000), "reused": Decimal(4000), "surplus": Decimal(1000)}}),
        command("approve_design", code, on(), NRB, {"experts": ["赵专家", "钱专家", "孙专家"],
                                                    "review_ref": f"PS-{code}", "approved_budget": investment}),
        command("award_contract", code, on(), NRB, {"contractor": "托里县建安公司", "supervisor": "塔城监理公司",
                                                    "contract_amount": contract, "method": "public_tender",
                                                    "bidders": ["托里县建安公司", "克拉玛依路桥", "额敏建工"]}),
        command("allocate_funds", code, on(), ("张志坚", "finance"), {"amount": contract, "source": "county_fiscal"}),
        command("start_construction", code, on(), ("托里县建安公司", "contractor"), {"start_report_ref": f"KG-{code}"}),
        command("log_patrol", code, on(), ("庙尔沟镇", "township"), {"findings": "无隐患", "hazard": False}),
        command("certify_progress", code, on(), ("塔城监理公司", "supervisor"), {"percent": Decimal(50)}),
        command("make_payment", code, on(), ("张志坚", "finance"), {
            "amount": (contract / 2).quantize(Decimal("0.01"), ROUND_DOWN), "payee": "托里县建安公司",
            "account": "special", "stage": "progress"}),
        command("complete_works", code, on(), ("托里县建安公司", "contractor"), {
            "as_built_area_ha": area, "completion_report_ref": f"WG-{code}",
            "quantities": {"earthwork_m3": Decimal(1200), "planting_ha": design}}),
        command("accept", code, on(), NRB, {
            "group": [{"name": "张玉峰", "unit": "nrb"}, {"name": "乌来别克·马丁", "unit": "eeb"},
                      {"name": "张志坚", "unit": "finance"}],
            "experts": ["赵专家", "钱专家", "孙专家"], "measured_area_ha": area,
            "sign_in_sheet": f"QD-{code}", "photos": [f"IMG-{code}-1", f"IMG-{code}-2"]},
            documents=[{"title": "初步验收意见", "ref": f"YS-{code}"}]),
    ]


def settlement(code: str, on: date, contract: Decimal) -> list[dict]:
    """After acceptance: the supervisor certifies 100 % and finance pays the rest of the contract."""
    first = (contract / 2).quantize(Decimal("0.01"), ROUND_DOWN)
    return [command("certify_progress", code, on, ("塔城监理公司", "supervisor"), {"percent": Decimal(100)}),
            command("make_payment", code, on + timedelta(days=10), ("张志坚", "finance"), {
                "amount": contract - first, "payee": "托里县建安公司", "account": "special", "stage": "final"})]


def contract_of(life: list[dict]) -> Decimal:
    return next(line for line in life if line["do"] == "award_contract")["data"]["contract_amount"]


def taskforce(name: str = "TF-654224", on: date = date(2023, 1, 5)) -> list[dict]:
    """The seed's task force (工作专班): leader, deputies and member units."""
    members = [("金勇", "county_gov", "组长"), ("殷成赋", "nrb", "副组长"), ("张玉峰", "nrb", "副组长兼办公室主任"),
               ("乌来别克·马丁", "eeb", "成员"), ("蒋学喜", "drc", "成员"), ("郑旭山", "wrb", "成员"),
               ("张志坚", "finance", "成员")]
    return [{"do": "appoint_member", "taskforce": name, "actor": "金勇", "role": "county_gov", "on": on.isoformat(),
             "data": {"person": person, "unit": unit, "position": position}} for person, unit, position in members]


def write_off(batch: str, codes: list[str], on: date, year: int) -> list[dict]:
    """Batch the accepted parcels, file them with the prefecture and have them written off."""
    pref = ("地区自然资源局", "prefecture_nrb")

    def step(do: str, days: int, data: dict, actor=NRB) -> dict:
        return {"do": do, "batch": batch, "actor": actor[0], "role": actor[1],
                "on": (on + timedelta(days=days)).isoformat(), "data": data}

    return [step("create_batch", 0, {"year": year}),
            *[step("add_to_batch", 0, {"parcel": code}) for code in codes],
            step("submit_batch", 2, {"report_ref": f"托自然资报〔{year}〕{batch}"}),
            step("file_batch", 10, {"filing_ref": f"塔地自然资备〔{year}〕{batch}"}, pref),
            step("confirm_write_off", 30, {"confirmation_ref": f"塔地自然资销〔{year}〕{batch}"}, pref)]


def stewardship(code: str, on: date, steward: str = "庙尔沟镇人民政府", years: int = 1) -> list[dict]:
    """Designate the steward, hand over, inspect through the period, then close ("谁受益、谁负责")."""
    keeper = (steward, "steward")
    return [
        command("designate_steward", code, on, NRB, {"steward": steward, "kind": "township",
                                                    "agreement_ref": f"GH-{code}", "period_years": years}),
        command("hand_over", code, on + timedelta(days=14), keeper, {"handover_ref": f"YJ-{code}"}),
        command("log_stewardship_inspection", code, on + timedelta(days=120), keeper,
                {"condition": "植被长势良好", "survival_rate": Decimal(91)}),
        command("log_stewardship_inspection", code, on + timedelta(days=290), keeper,
                {"condition": "无损毁", "survival_rate": Decimal(89)}),
        command("close_stewardship", code, on + timedelta(days=14 + 366 * years), NRB, {"closure_ref": f"GB-{code}"}),
    ]


def whole_life(code: str = "TL-2023-01") -> list[dict]:
    """What `make demo` shows: one parcel from registration to the end of its stewardship."""
    start = date(2023, 3, 1)
    life = works_life(code, start, Decimal("6.1234"), Decimal("134.72"))
    accepted = date.fromisoformat(life[-1]["on"])
    return [*programme(), *taskforce(), *life, *settlement(code, accepted + timedelta(days=3), contract_of(life)),
            *write_off("B2023-1", [code], accepted + timedelta(days=5), 2023),
            *stewardship(code, accepted + timedelta(days=10))]
