"""Programme rules: a parcel is planned only into an approved programme and one of its years."""

from __future__ import annotations

from workflow.errors import Refused, subject


def check_plan(programme, data: dict, where: str) -> None:
    name, year = data["programme"], data["year"]
    if programme is None:
        raise Refused(f"{where}: plan: programme {name} is unknown; create and approve it first")
    if programme.state != "approved":
        raise Refused(f"{where}: plan: programme {name} is {programme.state}; only an approved programme takes parcels")
    if str(year) not in programme.years:
        raise Refused(f"{where}: plan: year {year} is not in programme {name}; years: {', '.join(programme.years)}")


def check_budget(programme, data: dict) -> None:
    if str(data["year"]) not in programme.years:
        raise Refused(f"{subject('programme', programme.key, programme.state)}: include_in_budget: year {data['year']} "
                      f"is not in the programme; years: {', '.join(programme.years)}")


# --- checks over histories (R19, R20) ---------------------------------------

from decimal import Decimal  # noqa: E402

from policies.evidence import year_end  # noqa: E402
from policies.rules import rule  # noqa: E402


@rule("R19", "high", reads=("create_programme", "plan", "accept"), subject="programme")
def target_met(p, ctx, emit):
    if p.created is None:
        return
    evidence = [("programme", p.key, p.created[0])]
    planned = sum(p.years.values(), Decimal(0))
    if planned < p.target:
        emit(p.key, p.created[1], 'R19.1', evidence, values=(planned, p.target))
    for year, area in sorted(p.years.items()):
        end = year_end(year)
        if end >= ctx.as_of:
            continue
        accepted = [d for d in ctx.audit.parcels.values() if d.plan and d.plan[4] == p.key and d.plan[2] == year
                    and d.acceptance and d.acceptance[1] <= end]
        total = sum((d.acceptance[4] or d.attrs["area_ha"] for d in accepted), Decimal(0))
        if total < area:
            emit(p.key, end, 'R19.2', evidence, values=(year, total, area), severity_override='medium')


def is_key_area(d, settings) -> bool:
    a = d.attrs
    return bool(a.get("near_road") or a.get("near_settlement")
                or (a.get("pit_depth_m") or 0) >= settings["deep_pit_m"]
                or (a.get("area_ha") or 0) >= settings["large_area_ha"])


@rule("R20", "low", reads=("register", "plan"), subject="store", deep_pit_m=30, large_area_ha=10)
def key_areas_first(ctx, emit):
    earliest: dict[str, int] = {}
    planned = [d for d in ctx.audit.parcels.values() if d.plan and d.attrs.get("township")]
    for d in planned:
        if not is_key_area(d, ctx.settings):
            town = d.attrs["township"]
            earliest[town] = min(earliest.get(town, d.plan[2]), d.plan[2])
    for d in planned:
        town = d.attrs["township"]
        if is_key_area(d, ctx.settings) and town in earliest and d.plan[2] > earliest[town]:
            emit(d.code, d.plan[1], 'R20.1', [('parcel', d.code, d.plan[0])], values=(d.plan[2], town, earliest[town]))
