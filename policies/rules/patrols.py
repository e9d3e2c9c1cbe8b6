"""Hazard patrols (群测群防): townships watch active sites at least weekly (R16)."""

from __future__ import annotations

from policies.dossiers import Step
from policies.registry import rule
from policies.rules.evidence import P


@rule("R16", "low", reads=("start_construction", "complete_works", "log_patrol"), max_gap_days=7)
def weekly_patrols(d, ctx, emit):
    if d.started is None:
        return
    end = Step(d.completed.v, d.completed.on) if d.completed else Step(None, ctx.as_of)
    points = [d.started] + sorted((p for p in d.patrols if d.started.on <= p.on <= end.on), key=lambda p: p.on) + [end]
    gaps = [(a, b) for a, b in zip(points, points[1:]) if (b.on - a.on).days > ctx.settings["max_gap_days"]]
    if gaps:
        longest = max((b.on - a.on).days for a, b in gaps)
        versions = sorted({step.v for gap in gaps for step in gap if step.v})
        first, _ = gaps[0]
        emit(d.code, first.on, "R16.1", P(d, *versions), values=(len(gaps), ctx.settings["max_gap_days"], longest))
