"""Earth and stone (土石方): what may leave the site, and how surplus may be sold (R01, R02, R03, R17).

Illegal earth/stone sales are the discipline problem the seed plan warns about by name.
"""

from __future__ import annotations

from decimal import Decimal

from policies.registry import rule
from policies.rules.evidence import P, after, approved_design, design_basis


@rule("R01", "high", reads=("move_material", "submit_design", "approve_design"), surplus_tolerance_pct=0)
def off_site_within_surplus(d, ctx, emit):
    off = sorted((m for m in d.moves if m[3] == "off_site"), key=lambda m: (m[1], m[0]))
    approval = d.approval
    for v, on, volume, _ in off:
        if approval is None or on < approval[1]:
            emit(d.code, on, 'R01.1', P(d, v, approval and approval[0]), values=(volume,))
    design = approved_design(d)
    if design is None or design[5] is None:
        return
    limit = design[5] * (1 + Decimal(ctx.settings["surplus_tolerance_pct"]) / 100)
    total = Decimal(0)
    for v, on, volume, _ in off:
        total += volume
        if total > limit:
            emit(d.code, on, 'R01.2', P(d, design[0], v), values=(total, design[5]))
            return


@rule("R02", "high", reads=("survey_elevation", "complete_works", "submit_design", "approve_design_change"), area_tolerance_pct=5)
def elevation_and_boundary(d, ctx, emit):
    pre, post = d.elevation.get("pre_min_m"), d.elevation.get("post_min_m")
    if pre and post and post[2] < pre[2]:
        emit(d.code, post[1], 'R02.1', P(d, pre[0], post[0]), values=(post[2], pre[2]))
    if d.completed is None:
        return
    design, boundary, _, used = design_basis(d, before=d.completed[1])
    if design is None:
        return
    limit = boundary * (1 + Decimal(ctx.settings["area_tolerance_pct"]) / 100)
    if d.completed[2] > limit:
        emit(d.code, d.completed[1], 'R02.2', P(d, *used, d.completed[0]), values=(d.completed[2], boundary, limit))


def _is_county(seller: str, words: list[str]) -> bool:
    return any(word.lower() in seller.lower() for word in words)


@rule("R03", "high", reads=("sell_surplus", "appraise_surplus", "deposit_revenue"), deposit_days=30,
      county_seller_words=["县人民政府", "县政府", "county government"])
def surplus_sales(d, ctx, emit):
    sales = sorted(d.sales, key=lambda s: (s[1], s[0]))
    for v, on, volume, material, price, seller, platform in sales:
        if not _is_county(seller, ctx.settings["county_seller_words"]):
            emit(d.code, on, 'R03.1', P(d, v), values=(seller,))
        if not platform:
            emit(d.code, on, 'R03.2', P(d, v))
        appraised = [a for a in d.appraisals if a[2] == material and a[1] <= on]
        if appraised:
            a = max(appraised, key=lambda a: (a[1], a[0]))
            if price < a[3]:
                emit(d.code, on, 'R03.5', P(d, a[0], v), values=(material, price, a[3]))
    revenue = Decimal(0)
    treasury = sorted((x for x in d.deposits if x[3] == "treasury"), key=lambda x: x[1])
    for v, on, volume, _material, price, _seller, _platform in sales:
        revenue += volume * price / 10000
        deadline = after(on, ctx.settings["deposit_days"])
        if deadline > ctx.as_of:
            continue
        paid_in = sum((x[2] for x in treasury if x[1] <= deadline), Decimal(0))
        if paid_in < revenue:
            emit(d.code, deadline, 'R03.3', P(d, v, *[x[0] for x in treasury if x[1] <= deadline]), values=(deadline, revenue, paid_in))
    for v, on, amount, account in d.deposits:
        if account != "treasury" and d.sales:
            emit(d.code, on, 'R03.4', P(d, v), values=(amount,))


@rule("R17", "medium", reads=("sell_surplus", "publish_disclosure"))
def disclosed_before_sale(d, ctx, emit):
    for v, on, *_ in d.sales:
        if not any(x[1] <= on for x in d.disclosures):
            emit(d.code, on, 'R17.1', P(d, v))
