"""Corrections (更正): money or an area put right after something was decided on the wrong figure (R29).

A correction is how a ledger that never forgets fixes a typing error; it is also how a figure could be
changed after a payment was made or works accepted on it. The second is what an inspector wants to see.
"""

from __future__ import annotations

from policies.registry import rule
from policies.rules.evidence import P

RELIED = {
    "approve_design": ("批复方案", "design approval", lambda d: [d.approval] if d.approval else []),
    "award_contract": ("签订合同", "contract award", lambda d: [d.contract] if d.contract else []),
    "certify_progress": ("确认进度", "progress certification", lambda d: list(d.progress)),
    "make_payment": ("支付", "payment", lambda d: list(d.payments)),
    "accept": ("验收", "acceptance", lambda d: [d.acceptance] if d.acceptance else []),
    "add_to_batch": ("编入核销批次", "inclusion in a write-off batch", lambda d: list(d.batches)),
    "confirm_write_off": ("核销", "write-off", lambda d: list(d.write_offs)),
}
"""What relies on a recorded figure: the decisions taken on it, with their names in Chinese and English."""


@rule("R29", "high", reads=("correct", *RELIED),
      fields=["area_ha", "verified_area_ha", "boundary_area_ha", "as_built_area_ha", "measured_area_ha",
              "planned_investment", "contract_amount", "budget", "approved_budget", "amount", "unit_price"],
      relied_upon=list(RELIED))
def corrected_after_reliance(d, ctx, emit):
    watched = set(ctx.settings["fields"])
    for c in d.corrections:
        changed = [f for f in c.fields if f in watched]
        if not changed:
            continue
        relied = [(step.on, step.v, event) for event in ctx.settings["relied_upon"] if event in RELIED
                  for step in RELIED[event][2](d) if c.corrects < step.v < c.v and step.on <= c.on]
        if not relied:
            continue
        on, v, event = min(relied)
        zh, en, _ = RELIED[event]
        emit(d.code, c.on, "R29.1", P(d, c.corrects, v, c.v),
             values=(c.corrects, c.event, "、".join(changed), zh, v, on, en, ", ".join(changed)))
