"""Money (资金): restoration funds only for eligible parcels, paid by progress from the special account (R04, R09)."""

from __future__ import annotations

from decimal import Decimal

from policies.evidence import P, after
from policies.rules import rule


@rule("R04", "high", "修复资金仅用于历史遗留（10类、11/12小类）图斑；不得重复申报中央资金；不得改为建设用地",
      "Restoration funds only for category 10 / subclass 11–12 parcels; no parcel funded by two central lines; "
      "direction never construction land",
      reads=("register", "allocate_funds"), eligible_categories=["10"], eligible_subclasses=["11", "12"],
      construction_land_prefixes=["05", "06", "07", "08", "09", "1001", "1002", "1003", "1004", "1005", "1007",
                                  "1008", "1009", "1109", "1201"])
def eligible_funding(d, ctx, emit):
    category, subclass = d.attrs.get("category"), d.attrs.get("subclass")
    if d.allocations and category is not None and subclass is not None and (
            category not in ctx.settings["eligible_categories"] or subclass not in ctx.settings["eligible_subclasses"]):
        first = min(d.allocations, key=lambda a: (a[1], a[0]))
        emit(d.code, first[1], f"图斑类别 {category}/{subclass} 不属历史遗留，不应使用修复资金",
             f"category {category}/{subclass} is not a legacy parcel and may not receive restoration funds",
             P(d, d.registered[0], first[0]))
    central = [a for a in d.allocations if a[3] == "central" and a[4]]
    if len({a[4] for a in central}) > 1:
        emit(d.code, max(a[1] for a in central), f"同一图斑获得多个中央资金渠道：{'、'.join(sorted({a[4] for a in central}))}",
             f"funded by {len({a[4] for a in central})} central lines: {', '.join(sorted({a[4] for a in central}))}",
             P(d, *[a[0] for a in central]))
    direction = d.attrs.get("direction")
    if direction and any(str(direction).startswith(p) for p in ctx.settings["construction_land_prefixes"]):
        emit(d.code, d.registered[1], f"修复方向 {direction} 为建设用地", f"restoration direction {direction} is construction land",
             P(d, d.registered[0]))


@rule("R09", "high", "按合同额×监理确认进度支付，仅从专户支付；资金下达超12个月未支付",
      "Payments ≤ contract amount × certified progress, only from the special account; allocated funds unpaid "
      "> 12 months [low]", reads=("make_payment", "certify_progress", "award_contract", "allocate_funds"),
      unpaid_days=365)
def payments_by_progress(d, ctx, emit):
    payments = sorted(d.payments, key=lambda p: (p[1], p[0]))
    paid = Decimal(0)
    for v, on, amount, account in payments:
        paid += amount
        if account != "special":
            emit(d.code, on, f"支付 {amount} 万元未从专户支出", f"payment of {amount} (10k yuan) not from the special account",
                 P(d, v))
        if d.contract is None:
            continue
        certified = [c for c in d.progress if c[1] <= on]
        percent = max(certified, key=lambda c: (c[1], c[0]))[2] if certified else Decimal(0)
        limit = d.contract[2] * percent / 100
        if paid > limit:
            emit(d.code, on, f"累计支付 {paid} 万元超过合同额 {d.contract[2]} 万元 × 确认进度 {percent}% = {limit} 万元",
                 f"{paid} paid in all, above contract {d.contract[2]} × certified {percent} % = {limit} (10k yuan)",
                 P(d, d.contract[0], *[c[0] for c in certified[-1:]], v))
    allocated = Decimal(0)
    for v, on, amount, *_ in sorted(d.allocations, key=lambda a: (a[1], a[0])):
        allocated += amount
        due = after(on, ctx.settings["unpaid_days"])
        if due <= ctx.as_of and sum((p[2] for p in payments if p[1] <= due), Decimal(0)) < allocated:
            emit(d.code, due, f"资金下达后超过 {ctx.settings['unpaid_days']} 天仍未支付完毕",
                 f"funds allocated on {on} still unpaid after {ctx.settings['unpaid_days']} days", P(d, v),
                 severity_override="low")
            return
