"""Stewardship ("谁受益、谁负责"): the restored land is handed to whoever benefits, who keeps it."""

from __future__ import annotations

from datetime import date

from policies.refusals import Refused, subject


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


