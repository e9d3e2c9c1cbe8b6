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
        raise Refused(f"{where}: {fact} needs a designated steward; allowed: designate_steward first",
                      zh=f"{where}：«trigger:{fact}»须先明确管护责任主体（designate_steward）")
    if fact == "hand_over" and parcel.steward.get("handed_over_on"):
        raise Refused(f"{where}: hand_over already recorded on {parcel.steward['handed_over_on']}",
                      zh=f"{where}：已于 {parcel.steward['handed_over_on']} 记录移交接收")
    if fact == "resolve_damage":
        damage = data.get("damage")
        if not parcel.open_damages:
            raise Refused(f"{where}: resolve_damage but no damage is open; allowed: report_damage first",
                          zh=f"{where}：没有未修复的损毁；请先报告损毁（report_damage）")
        if damage is not None and damage not in parcel.open_damages:
            raise Refused(f"{where}: damage {damage} is not open; open: {', '.join(parcel.open_damages)}",
                          zh=f"{where}：损毁 {damage} 不是未修复的损毁；未修复：{'、'.join(parcel.open_damages)}")


def check_close(parcel, on: date) -> None:
    """close_stewardship needs a hand-over, the period elapsed by business date, and no open damage."""
    where = subject("parcel", parcel.code, parcel.state)
    ends = stewardship_ends(parcel)
    if ends is None:
        raise Refused(f"{where}: close_stewardship needs a steward who has taken the parcel over (hand_over)",
                      zh=f"{where}：管护期满结束须管护责任主体已移交接收（hand_over）")
    if on < ends:
        raise Refused(f"{where}: close_stewardship on {on} is before the stewardship period ends on {ends}",
                      zh=f"{where}：管护期满结束的日期 {on} 早于管护期满日 {ends}")
    if parcel.open_damages:
        raise Refused(f"{where}: close_stewardship with open damage {', '.join(parcel.open_damages)}; resolve it first",
                      zh=f"{where}：仍有未修复的损毁 {'、'.join(parcel.open_damages)}；请先修复")


