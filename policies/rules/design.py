"""Built as designed (按设计施工): quantities delivered, deviations approved, planting survives (R11, R12)."""

from __future__ import annotations

from decimal import Decimal

from policies.registry import rule
from policies.rules.evidence import P, design_basis, pct


@rule("R11", "medium", reads=("complete_works", "submit_design", "approve_design_change", "log_stewardship_inspection"),
      min_quantity_pct=95, min_survival_pct=85)
def quantities_delivered(d, ctx, emit):
    if d.completed and d.completed[3]:
        design, _, quantities, used = design_basis(d, before=d.completed[1])
        short = [(item, planned, d.completed[3].get(item, Decimal(0))) for item, planned in sorted(quantities.items())
                 if planned and pct(d.completed[3].get(item, Decimal(0)), planned) < ctx.settings["min_quantity_pct"]]
        if design is not None and short:
            zh = "；".join(f"{i} 完成 {b}/设计 {p}" for i, p, b in short)
            en = "; ".join(f"{i} built {b} of {p}" for i, p, b in short)
            emit(d.code, d.completed[1], "R11.1", P(d, *used, d.completed[0]), values=(zh, en))
    for v, on, rate in d.inspections:
        if rate is not None and rate < ctx.settings["min_survival_pct"]:
            emit(d.code, on, 'R11.2', P(d, v), values=(rate, ctx.settings['min_survival_pct']))


@rule("R12", "medium", reads=("complete_works", "submit_design", "approve_design_change"), max_deviation_pct=10)
def deviations_approved(d, ctx, emit):
    if d.completed is None:
        return
    design, boundary, quantities, _ = design_basis(d)
    if design is None:
        return
    limit = ctx.settings["max_deviation_pct"]
    off = []
    if abs(pct(d.completed[2] - design[3], design[3])) > limit:
        off.append(("面积", "area"))
    for item, planned in design[4].items():
        built = d.completed[3].get(item)
        if built is not None and planned and abs(pct(built - planned, planned)) > limit:
            off.append((item, item))
    if off and not any(on < d.completed[1] for _, on, *_ in d.changes):
        emit(d.code, d.completed[1], "R12.1", P(d, design[0], d.completed[0]),
             values=("、".join(z for z, _ in off), limit, ", ".join(e for _, e in off)))
