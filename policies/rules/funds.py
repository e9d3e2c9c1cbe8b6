"""Money (资金): restoration funds only for eligible parcels, paid by progress from the special account (R04, R09)."""

from __future__ import annotations

from decimal import Decimal

from policies.registry import rule
from policies.rules.evidence import P, after


@rule("R04", "high", reads=("register", "allocate_funds"), eligible_categories=["10"], eligible_subclasses=["11", "12"],
      construction_land_prefixes=["05", "06", "07", "08", "09", "1001", "1002", "1003", "1004", "1005", "1007",
                                  "1008", "1009", "1109", "1201"])
def eligible_funding(d, ctx, emit):
    category, subclass = d.attrs.get("category"), d.attrs.get("subclass")
    if d.allocations and category is not None and subclass is not None and (
            category not in ctx.settings["eligible_categories"] or subclass not in ctx.settings["eligible_subclasses"]):
        first = min(d.allocations, key=lambda a: (a.on, a.v))
        emit(d.code, first.on, 'R04.1', P(d, d.registered.v, first.v), values=(category, subclass))
    central = [a for a in d.allocations if a.source == "central" and a.line]
    if len({a.line for a in central}) > 1:
        lines = sorted({a.line for a in central})
        emit(d.code, max(a.on for a in central), "R04.2", P(d, *[a.v for a in central]),
             values=("、".join(lines), len(lines), ", ".join(lines)))
    direction = d.attrs.get("direction")
    if direction and any(str(direction).startswith(p) for p in ctx.settings["construction_land_prefixes"]):
        emit(d.code, d.registered.on, 'R04.3', P(d, d.registered.v), values=(direction,))


@rule("R09", "high", reads=("make_payment", "certify_progress", "award_contract", "allocate_funds"),
      unpaid_days=365)
def payments_by_progress(d, ctx, emit):
    payments = sorted(d.payments, key=lambda p: (p.on, p.v))
    contract = d.contract
    paid = Decimal(0)
    for p in payments:
        paid += p.amount
        if p.account != "special":
            emit(d.code, p.on, 'R09.1', P(d, p.v), values=(p.amount,))
        if contract is None:
            continue
        certified = [c for c in d.progress if c.on <= p.on]
        percent = max(certified, key=lambda c: (c.on, c.v)).percent if certified else Decimal(0)
        limit = contract.amount * percent / 100
        if paid > limit:
            emit(d.code, p.on, 'R09.2', P(d, contract.v, *[c.v for c in certified[-1:]], p.v),
                 values=(paid, contract.amount, percent, limit))
    allocated = Decimal(0)
    for a in sorted(d.allocations, key=lambda a: (a.on, a.v)):
        allocated += a.amount
        due = after(a.on, ctx.settings["unpaid_days"])
        if due <= ctx.as_of and sum((p.amount for p in payments if p.on <= due), Decimal(0)) < allocated:
            emit(d.code, due, 'R09.3', P(d, a.v), values=(ctx.settings['unpaid_days'], a.on), severity_override='low')
            return
