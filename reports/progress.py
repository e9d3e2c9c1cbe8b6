"""Progress against the prefecture target: parcels and hectares by year and state group, and funds.

Every figure is an exact decimal summed from the records; percentages are rounded half
up to one decimal only at the end, as the county's tables print them.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from policies.areas import accepted_area

GROUP_STATES = {
    "unplanned": ("identified",),
    "planned": ("planned",),
    "survey_design": ("surveying", "surveyed", "design_review", "design_approved"),
    "construction": ("contracted", "under_construction", "suspended", "recovering"),
    "completed": ("works_completed", "rectifying"),
    "accepted": ("accepted",),
    "filed": ("filed",),
    "written_off": ("written_off",),
    "closed": ("closed",),
}
GROUP_OF = {state: group for group, states in GROUP_STATES.items() for state in states}
ACCEPTED_STATES = ("accepted", "filed", "written_off", "closed")
FUNDS = ("planned", "budgeted", "allocated", "contracted", "paid", "deposited")
ZERO = Decimal(0)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def accepted_area_of(parcel) -> Decimal:
    return accepted_area(parcel.steps.get("accept", {}).get("measured_area_ha"), parcel.area_ha)


def in_stewardship(parcel) -> bool:
    """Handed over to its steward and not yet closed."""
    return bool(parcel.steward and parcel.steward.get("handed_over_on")) and parcel.state != "closed"


def blank_row(year: str) -> dict:
    row = {"year": year, "parcels": 0, "planned_ha": ZERO}
    for group in [*GROUP_STATES, "in_stewardship"]:
        row[f"state_{group}_parcels"] = 0
        row[f"state_{group}_ha"] = ZERO
    row["accepted_total_ha"] = ZERO
    for fund in FUNDS:
        row[f"{fund}_wan"] = ZERO
    return row


def add_parcel(row: dict, parcel) -> None:
    area = parcel.area_ha
    group = GROUP_OF.get(parcel.state, "unplanned")
    row["parcels"] += 1
    if group != "unplanned":
        row["planned_ha"] += area
    row[f"state_{group}_parcels"] += 1
    row[f"state_{group}_ha"] += area
    if in_stewardship(parcel):
        row["state_in_stewardship_parcels"] += 1
        row["state_in_stewardship_ha"] += area
    if parcel.state in ACCEPTED_STATES:
        row["accepted_total_ha"] += accepted_area_of(parcel)
    row["planned_wan"] += parcel.plan.get("planned_investment", ZERO)
    row["allocated_wan"] += parcel.money["allocated"]
    row["contracted_wan"] += parcel.steps.get("award_contract", {}).get("contract_amount", ZERO)
    row["paid_wan"] += parcel.money["paid"]
    row["deposited_wan"] += parcel.money["deposited"]


def finish(row: dict, target: Decimal) -> None:
    row["planned_pct_of_target"] = percent(row["planned_ha"], target)
    row["accepted_pct_of_target"] = percent(row["accepted_total_ha"], target)
    row["planned_wan_per_ha"] = (row["planned_wan"] / row["planned_ha"]).quantize(Decimal("0.01"),
                                                                                   ROUND_HALF_UP) if row["planned_ha"] else None


def progress(parcels: Iterable, programme=None, as_of: date | None = None) -> dict:
    """The progress report over parcel records (already taken as of the date, one at a time will do)
    and their programme."""
    on = as_of or date.today()
    target = programme.plan["target_ha"] if programme is not None else ZERO
    years: dict[str, dict] = {}
    for parcel in parcels:
        if programme is not None and parcel.plan.get("programme") not in (None, programme.key):
            continue
        year = str(parcel.plan.get("year", "unplanned"))
        add_parcel(years.setdefault(year, blank_row(year)), parcel)
    budgets = programme.budgets if programme is not None else {}
    for year, amount in budgets.items():
        years.setdefault(str(year), blank_row(str(year)))["budgeted_wan"] += amount
    ordered = [years[y] for y in sorted(years, key=lambda y: (y == "unplanned", y))]
    total = blank_row("total")
    cumulative_planned = cumulative_accepted = ZERO
    for row in ordered:
        for key, value in row.items():
            if key != "year":
                total[key] += value
        finish(row, target)
        if row["year"] != "unplanned":
            cumulative_planned += row["planned_ha"]
            cumulative_accepted += row["accepted_total_ha"]
            row["cumulative_planned_ha"] = cumulative_planned
            row["cumulative_planned_pct"] = percent(cumulative_planned, target)
            row["cumulative_accepted_ha"] = cumulative_accepted
            row["cumulative_accepted_pct"] = percent(cumulative_accepted, target)
    finish(total, target)
    header = {"as_of": on, "target_ha": target}
    if programme is not None:
        header.update(programme=programme.key, name=programme.plan["name"],
                      programme_area_ha=programme.planned_area_ha,
                      programme_investment_wan=programme.plan["planned_investment"])
    return {**header, "years": ordered, "total": total}


def choose_programme(programmes: dict, wanted: str | None):
    """The programme a report is about: the one named, or the only one; several without a name is an error."""
    from events.errors import BadInput

    if wanted:
        if wanted not in programmes:
            known = ", ".join(sorted(programmes)) or "none"
            raise BadInput(f"programme {wanted}: unknown programme; known: {known}",
                           f"规划 {wanted}：没有这个规划；已有：{known if programmes else '无'}")
        return programmes[wanted]
    if len(programmes) > 1:
        raise BadInput(f"several programmes; choose one with --programme: {', '.join(sorted(programmes))}",
                       f"有多个规划，请用 --programme 选择：{', '.join(sorted(programmes))}")
    return next(iter(programmes.values()), None)
