"""Rules over every event's timing and attribution: nothing before approval and contract (R07), on time (R14),
entered late (R18), signed by whom it names (R24)."""

from __future__ import annotations

from policies.registry import rule
from policies.rules.evidence import P, year_end


@rule("R07", "high", reads=("start_construction", "complete_works", "make_payment", "move_material", "approve_design", "award_contract"))
def nothing_before_approval(d, ctx, emit):
    approval, contract = d.approval, d.contract
    acts = [(d.started.v, d.started.on, "开工", "works started")] if d.started else []
    acts += [(d.completed.v, d.completed.on, "完工", "works completed")] if d.completed else []
    acts += [(p.v, p.on, f"支付 {p.amount} 万元", f"payment of {p.amount}") for p in d.payments]
    acts += [(m.v, m.on, f"调运土石方 {m.volume_m3} m³", f"{m.volume_m3} m³ of material moved") for m in d.moves]
    for v, on, zh, en in sorted(acts, key=lambda act: (act[1], act[0])):
        missing = [(z, e) for gate, z, e in ((approval, "方案批复", "design approval"), (contract, "合同签订", "contract"))
                   if gate is None or on < gate.on]
        if missing:
            versions = sorted({x.v for x in (approval, contract) if x} | {v})
            emit(d.code, on, "R07.1", P(d, *versions),
                 values=(zh, "和".join(z for z, _ in missing), en, " and ".join(e for _, e in missing)))
    for review in d.reviews:
        design = review.design
        if review.v == (approval and approval.v) and design and review.on < design.design_date:
            emit(d.code, review.on, 'R07.2', P(d, design.v, review.v), values=(review.on, design.design_date))


@rule("R14", "medium", reads=("plan", "complete_works", "fail_acceptance", "complete_rectification"))
def on_time(d, ctx, emit):
    plan = d.plan
    if plan and plan.mode not in ("natural_recovery", "assisted_regeneration"):
        end = year_end(plan.year)
        if end < ctx.as_of and (d.completed is None or d.completed.on > end):
            emit(d.code, end, 'R14.1', P(d, plan.v, d.completed and d.completed.v), values=(plan.year, end))
    for failure in d.failures:
        deadline = failure.deadline
        rectified = next((r for r in d.rectifications if r.v > failure.v), None)
        if (rectified and rectified.on > deadline) or (not rectified and deadline < ctx.as_of):
            emit(d.code, deadline, 'R14.2', P(d, failure.v, rectified and rectified.v), values=(deadline,))


@rule("R24", "high", reads=("*",), subject="any")
def attributable(d, ctx, emit):
    for kind, key, version, on, why_en, why_zh in d.unattributable:
        emit(key, on, "R24.1", [(kind, key, version)], values=(why_zh, why_en))


@rule("R18", "low", reads=("*",), subject="any", late_days=15)
def entered_late(d, ctx, emit):
    for late in d.late:
        emit(late.key, late.on, 'R18.1', [(late.kind, late.key, late.v)], values=(late.on, late.days))
