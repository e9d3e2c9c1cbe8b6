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
        first = min(d.allocations, key=lambda a: (a[1], a[0]))
        emit(d.code, first[1], 'R04.1', P(d, d.registered[0], first[0]), values=(category, subclass))
    central = [a for a in d.allocations if a[3] == "central" and a[4]]
    if len({a[4] for a in central}) > 1:
        lines = sorted({a[4] for a in central})
        emit(d.code, max(a[1] for a in central), "R04.2", P(d, *[a[0] for a in central]),
             values=("、".join(lines), len(lines), ", ".join(lines)))
    direction = d.attrs.get("direction")
    if direction and any(str(direction).startswith(p) for p in ctx.settings["construction_land_prefixes"]):
        emit(d.code, d.registered[1], 'R04.3', P(d, d.registered[0]), values=(direction,))


@rule("R09", "high", reads=("make_payment", "certify_progress", "award_contract", "allocate_funds"),
      unpaid_days=365)
def payments_by_progress(d, ctx, emit):
    payments = sorted(d.payments, key=lambda p: (p[1], p[0]))
    paid = Decimal(0)
    for v, on, amount, account in payments:
        paid += amount
        if account != "special":
            emit(d.code, on, 'R09.1', P(d, v), values=(amount,))
        if d.contract is None:
            continue
        certified = [c for c in d.progress if c[1] <= on]
        percent = max(certified, key=lambda c: (c[1], c[0]))[2] if certified else Decimal(0)
        limit = d.contract[2] * percent / 100
        if paid > limit:
            emit(d.code, on, 'R09.2', P(d, d.contract[0], *[c[0] for c in certified[-1:]], v), values=(paid, d.contract[2], percent, limit))
    allocated = Decimal(0)
    for v, on, amount, *_ in sorted(d.allocations, key=lambda a: (a[1], a[0])):
        allocated += amount
        due = after(on, ctx.settings["unpaid_days"])
        if due <= ctx.as_of and sum((p[2] for p in payments if p[1] <= due), Decimal(0)) < allocated:
            emit(d.code, due, 'R09.3', P(d, v), values=(ctx.settings['unpaid_days'], on), severity_override='low')
            return
