"""Built as designed (按设计施工): quantities delivered, deviations approved, planting survives (R11, R12)."""

from __future__ import annotations

from decimal import Decimal

from policies.registry import rule
from policies.rules.evidence import P, design_basis, pct


@rule("R11", "medium", reads=("complete_works", "submit_design", "approve_design_change", "log_stewardship_inspection"),
      min_quantity_pct=95, min_survival_pct=85)
def quantities_delivered(d, ctx, emit):
    done = d.completed
    if done and done.quantities:
        design, _, quantities, used = design_basis(d, before=done.on)
        short = [(item, planned, done.quantities.get(item, Decimal(0))) for item, planned in sorted(quantities.items())
                 if planned and pct(done.quantities.get(item, Decimal(0)), planned) < ctx.settings["min_quantity_pct"]]
        if design is not None and short:
            zh = "；".join(f"{i} 完成 {b}/设计 {p}" for i, p, b in short)
            en = "; ".join(f"{i} built {b} of {p}" for i, p, b in short)
            emit(d.code, done.on, "R11.1", P(d, *used, done.v), values=(zh, en))
    for i in d.inspections:
        if i.survival_rate is not None and i.survival_rate < ctx.settings["min_survival_pct"]:
            emit(d.code, i.on, 'R11.2', P(d, i.v), values=(i.survival_rate, ctx.settings['min_survival_pct']))


@rule("R12", "medium", reads=("complete_works", "submit_design", "approve_design_change"), max_deviation_pct=10)
def deviations_approved(d, ctx, emit):
    done = d.completed
    if done is None:
        return
    design, boundary, quantities, _ = design_basis(d)
    if design is None:
        return
    limit = ctx.settings["max_deviation_pct"]
    off = []
    if abs(pct(done.as_built_ha - design.boundary_ha, design.boundary_ha)) > limit:
        off.append(("面积", "area"))
    for item, planned in design.quantities.items():
        built = done.quantities.get(item)
        if built is not None and planned and abs(pct(built - planned, planned)) > limit:
            off.append((item, item))
    if off and not any(change.on < done.on for change in d.changes):
        emit(d.code, done.on, "R12.1", P(d, design.v, done.v),
             values=("、".join(z for z, _ in off), limit, ", ".join(e for _, e in off)))
