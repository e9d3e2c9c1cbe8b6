"""Hazard patrols (群测群防): townships watch active sites at least weekly (R16)."""

from __future__ import annotations

from policies.registry import rule
from policies.rules.evidence import P


@rule("R16", "low", reads=("start_construction", "complete_works", "log_patrol"), max_gap_days=7)
def weekly_patrols(d, ctx, emit):
    if d.started is None:
        return
    end = d.completed[1] if d.completed else ctx.as_of
    points = [(d.started[0], d.started[1])] + sorted((p for p in d.patrols if d.started[1] <= p[1] <= end),
                                                     key=lambda p: p[1]) + [(d.completed[0] if d.completed else None, end)]
    gaps = [(a, b) for a, b in zip(points, points[1:]) if (b[1] - a[1]).days > ctx.settings["max_gap_days"]]
    if gaps:
        longest = max((b[1] - a[1]).days for a, b in gaps)
        versions = sorted({v for gap in gaps for v, _ in gap if v})
        emit(d.code, gaps[0][0][1], "R16.1", P(d, *versions), values=(len(gaps), ctx.settings["max_gap_days"], longest))
