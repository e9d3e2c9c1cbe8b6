"""Programme rules over histories: the target met and each year's plan accepted (R19), key areas first (R20)."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from policies.areas import accepted_area
from policies.registry import rule
from policies.rules.evidence import year_end


class Share(NamedTuple):
    """The accepted area a parcel adds to its programme's year."""
    programme: str
    year: int
    area_ha: Decimal


class PlainYear(NamedTuple):
    """A planned parcel that is not a key area: its township and planned year."""
    township: str
    year: int


def accepted_area_of(s) -> Share | None:
    """What a parcel adds to its programme year: its area if accepted by the end of its planned year."""
    if s.plan and s.acceptance and s.acceptance.on <= year_end(s.plan.year):
        return Share(s.plan.programme, s.plan.year, accepted_area(s.acceptance.measured_ha, s.attrs.get("area_ha")))
    return None


@rule("R19", "high", reads=("create_programme", "plan", "accept"), subject="programme", others=("parcel",))
def target_met(p, ctx, emit):
    if p.created is None:
        return
    evidence = [("programme", p.key, p.created.v)]
    planned = sum(p.years.values(), Decimal(0))
    if planned < p.target:
        emit(p.key, p.created.on, 'R19.1', evidence, values=(planned, p.target))
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


def plain_year_of(s, settings) -> PlainYear | None:
    """A planned parcel that is not a key area: R20's yardstick for its township."""
    town = s.attrs.get("township")
    if s.plan and town and not is_key_area(s, settings):
        return PlainYear(town, s.plan.year)
    return None


@rule("R20", "low", reads=("register", "plan"), others=("parcel",), deep_pit_m=30, large_area_ha=10)
def key_areas_first(d, ctx, emit):
    town = d.attrs.get("township")
    if not (d.plan and town and is_key_area(d, ctx.settings)):
        return
    earliest = ctx.earliest_plain_year(town)
    if earliest is not None and d.plan.year > earliest:
        emit(d.code, d.plan.on, 'R20.1', [('parcel', d.code, d.plan.v)], values=(d.plan.year, town, earliest))
