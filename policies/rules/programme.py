"""Programme rules over histories: the target met and each year's plan accepted (R19), key areas first (R20)."""

from __future__ import annotations

from decimal import Decimal

from policies.registry import rule
from policies.rules.evidence import year_end


def accepted_area_of(s) -> tuple | None:
    """(programme, year, area) a parcel adds to its programme year: accepted by the end of its planned year."""
    if s.plan and s.acceptance and s.acceptance[1] <= year_end(s.plan[2]):
        return s.plan[4], s.plan[2], s.acceptance[4] or s.attrs.get("area_ha") or Decimal(0)
    return None


@rule("R19", "high", reads=("create_programme", "plan", "accept"), subject="programme", others=("parcel",))
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
        total = ctx.accepted_area(p.key, year)
        if total < area:
            emit(p.key, end, 'R19.2', evidence, values=(year, total, area), severity_override='medium')


def is_key_area(d, settings) -> bool:
    a = d.attrs
    return bool(a.get("near_road") or a.get("near_settlement")
                or (a.get("pit_depth_m") or 0) >= settings["deep_pit_m"]
                or (a.get("area_ha") or 0) >= settings["large_area_ha"])


def plain_year_of(s, settings) -> tuple[str, int] | None:
    """(township, year) of a planned parcel that is not a key area: R20's yardstick for its township."""
    town = s.attrs.get("township")
    if s.plan and town and not is_key_area(s, settings):
        return town, s.plan[2]
    return None


@rule("R20", "low", reads=("register", "plan"), others=("parcel",), deep_pit_m=30, large_area_ha=10)
def key_areas_first(d, ctx, emit):
    town = d.attrs.get("township")
    if not (d.plan and town and is_key_area(d, ctx.settings)):
        return
    earliest = ctx.earliest_plain_year(town)
    if earliest is not None and d.plan[2] > earliest:
        emit(d.code, d.plan[1], 'R20.1', [('parcel', d.code, d.plan[0])], values=(d.plan[2], town, earliest))
