"""Stewardship rules over histories ("谁受益、谁负责"): steward, hand-over, inspections, damage (R13, R11)."""

from __future__ import annotations

from policies.registry import rule
from policies.rules.evidence import P, after


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
