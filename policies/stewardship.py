"""Stewardship ("谁受益、谁负责"): the restored land is handed to whoever benefits, who keeps it."""

from __future__ import annotations

from datetime import date

from workflow.errors import Refused, subject


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def stewardship_ends(parcel) -> date | None:
    steward = parcel.steward
    if not steward or not steward.get("handed_over_on"):
        return None
    return _add_years(steward["handed_over_on"], steward["period_years"])


def check_fact(parcel, fact: str, data: dict) -> None:
    where = subject("parcel", parcel.code, parcel.state)
    if fact in ("hand_over", "log_stewardship_inspection") and parcel.steward is None:
        raise Refused(f"{where}: {fact} needs a designated steward; allowed: designate_steward first")
    if fact == "hand_over" and parcel.steward.get("handed_over_on"):
        raise Refused(f"{where}: hand_over already recorded on {parcel.steward['handed_over_on']}")
    if fact == "resolve_damage":
        damage = data.get("damage")
        if not parcel.open_damages:
            raise Refused(f"{where}: resolve_damage but no damage is open; allowed: report_damage first")
        if damage is not None and damage not in parcel.open_damages:
            raise Refused(f"{where}: damage {damage} is not open; open: {', '.join(parcel.open_damages)}")


def check_close(parcel, on: date) -> None:
    """close_stewardship needs a hand-over, the period elapsed by business date, and no open damage."""
    where = subject("parcel", parcel.code, parcel.state)
    ends = stewardship_ends(parcel)
    if ends is None:
        raise Refused(f"{where}: close_stewardship needs a steward who has taken the parcel over (hand_over)")
    if on < ends:
        raise Refused(f"{where}: close_stewardship on {on} is before the stewardship period ends on {ends}")
    if parcel.open_damages:
        raise Refused(f"{where}: close_stewardship with open damage {', '.join(parcel.open_damages)}; resolve it first")


# --- checks over histories (R13) --------------------------------------------

from policies.evidence import P, after  # noqa: E402
from policies.rules import rule  # noqa: E402


@rule("R13", "medium", reads=("accept", "designate_steward", "hand_over", "log_stewardship_inspection", "report_damage",
             "resolve_damage", "plan"),
      designate_days=30, handover_days=30, inspection_gap_days=180, damage_days=90)
def stewardship_kept(d, ctx, emit):
    s = ctx.settings
    if d.acceptance is not None:
        due = after(d.acceptance[1], s["designate_days"])
        if (d.steward and d.steward[1] > due) or (d.steward is None and due < ctx.as_of):
            emit(d.code, due, 'R13.3', P(d, d.acceptance[0], d.steward and d.steward[0]), values=(s['designate_days'],))
    if d.steward is None:
        return
    if d.plan and d.plan[3] == "conversion" and d.steward[3] not in (d.plan[5], "sponsor"):
        emit(d.code, d.steward[1], 'R13.1', P(d, d.plan[0], d.steward[0]), values=(d.steward[2], d.plan[5]))
    due = after(d.steward[1], s["handover_days"])
    if (d.handover and d.handover[1] > due) or (d.handover is None and due < ctx.as_of):
        emit(d.code, due, 'R13.2', P(d, d.steward[0], d.handover and d.handover[0]), values=(s['handover_days'],))
    if d.handover:
        visits = [(d.handover[0], d.handover[1])] + sorted(((v, on) for v, on, _ in d.inspections), key=lambda x: x[1])
        end = [(None, ctx.as_of)] if d.state != "closed" else []
        for (v1, a), (v2, b) in zip(visits, visits[1:] + end):
            if (b - a).days > s["inspection_gap_days"]:
                emit(d.code, after(a, s['inspection_gap_days']), 'R13.5', P(d, v1, v2), values=((b - a).days,))
    for v, on, damage, fixed_v, fixed_on in d.damages:
        due = after(on, s["damage_days"])
        if (fixed_on and fixed_on > due) or (fixed_on is None and due < ctx.as_of):
            emit(d.code, due, 'R13.4', P(d, v, fixed_v), values=(damage, s['damage_days']))
