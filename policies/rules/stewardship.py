"""Stewardship rules over histories ("谁受益、谁负责"): steward, hand-over, inspections, damage (R13, R11)."""

from __future__ import annotations

from policies.dossiers import Step
from policies.registry import rule
from policies.rules.evidence import P, after


@rule("R13", "medium", reads=("accept", "designate_steward", "hand_over", "log_stewardship_inspection", "report_damage",
             "resolve_damage", "plan"),
      designate_days=30, handover_days=30, inspection_gap_days=180, damage_days=90)
def stewardship_kept(d, ctx, emit):
    s = ctx.settings
    steward, handover = d.steward, d.handover
    if d.acceptance is not None:
        due = after(d.acceptance.on, s["designate_days"])
        if (steward and steward.on > due) or (steward is None and due < ctx.as_of):
            emit(d.code, due, 'R13.3', P(d, d.acceptance.v, steward and steward.v), values=(s['designate_days'],))
    if steward is None:
        return
    if d.plan and d.plan.mode == "conversion" and steward.kind not in (d.plan.sponsor, "sponsor"):
        emit(d.code, steward.on, 'R13.1', P(d, d.plan.v, steward.v), values=(steward.steward, d.plan.sponsor))
    due = after(steward.on, s["handover_days"])
    if (handover and handover.on > due) or (handover is None and due < ctx.as_of):
        emit(d.code, due, 'R13.2', P(d, steward.v, handover and handover.v), values=(s['handover_days'],))
    if handover:
        visits = [handover] + sorted((Step(i.v, i.on) for i in d.inspections), key=lambda x: x.on)
        end = [Step(None, ctx.as_of)] if d.state != "closed" else []
        for a, b in zip(visits, visits[1:] + end):
            gap = (b.on - a.on).days
            if gap > s["inspection_gap_days"]:
                emit(d.code, after(a.on, s['inspection_gap_days']), 'R13.5', P(d, a.v, b.v), values=(gap,))
    for x in d.damages:
        due = after(x.on, s["damage_days"])
        if (x.resolved_on and x.resolved_on > due) or (x.resolved_on is None and due < ctx.as_of):
            emit(d.code, due, 'R13.4', P(d, x.v, x.resolved_v), values=(x.damage, s['damage_days']))
