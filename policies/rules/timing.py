"""Timing rules over histories: nothing before approval and contract (R07), on time (R14), entered late (R18)."""

from __future__ import annotations

from policies.registry import rule
from policies.rules.evidence import P, year_end


@rule("R07", "high", reads=("start_construction", "complete_works", "make_payment", "move_material", "approve_design", "award_contract"))
def nothing_before_approval(d, ctx, emit):
    approval, contract = d.approval, d.contract
    acts = [(v, on, "开工", "works started") for v, on in ([d.started] if d.started else [])]
    acts += [(d.completed[0], d.completed[1], "完工", "works completed")] if d.completed else []
    acts += [(v, on, f"支付 {amount} 万元", f"payment of {amount}") for v, on, amount, _ in d.payments]
    acts += [(v, on, f"调运土石方 {vol} m³", f"{vol} m³ of material moved") for v, on, vol, _ in d.moves]
    for v, on, zh, en in sorted(acts, key=lambda a: (a[1], a[0])):
        missing = [(z, e) for gate, z, e in ((approval, "方案批复", "design approval"), (contract, "合同签订", "contract"))
                   if gate is None or on < gate[1]]
        if missing:
            versions = sorted({x[0] for x in (approval, contract) if x} | {v})
            emit(d.code, on, "R07.1", P(d, *versions),
                 values=(zh, "和".join(z for z, _ in missing), en, " and ".join(e for _, e in missing)))
    for v, on, _experts, design in d.reviews:
        if v == (approval and approval[0]) and design and on < design[2]:
            emit(d.code, on, 'R07.2', P(d, design[0], v), values=(on, design[2]))


@rule("R14", "medium", reads=("plan", "complete_works", "fail_acceptance", "complete_rectification"))
def on_time(d, ctx, emit):
    if d.plan and d.plan[3] not in ("natural_recovery", "assisted_regeneration"):
        end = year_end(d.plan[2])
        if end < ctx.as_of and (d.completed is None or d.completed[1] > end):
            emit(d.code, end, 'R14.1', P(d, d.plan[0], d.completed and d.completed[0]), values=(d.plan[2], end))
    for v, on, deadline in d.failures:
        done = [r for r in d.rectifications if r[0] > v]
        if (done and done[0][1] > deadline) or (not done and deadline < ctx.as_of):
            emit(d.code, deadline, 'R14.2', P(d, v, done[0][0] if done else None), values=(deadline,))


@rule("R18", "low", reads=("*",), subject="any", late_days=15)
def entered_late(d, ctx, emit):
    for kind, key, version, on, late in d.late:
        emit(key, on, 'R18.1', [(kind, key, version)], values=(on, late))
