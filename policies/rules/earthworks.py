"""Earth and stone (土石方): what may leave the site, and how surplus may be sold (R01, R02, R03, R17).

Illegal earth/stone sales are the discipline problem the seed plan warns about by name.
"""

from __future__ import annotations

from decimal import Decimal

from policies.registry import rule
from policies.rules.evidence import P, after, approved_design, design_basis


@rule("R01", "high", reads=("move_material", "submit_design", "approve_design"), surplus_tolerance_pct=0)
def off_site_within_surplus(d, ctx, emit):
    off = sorted((m for m in d.moves if m.destination == "off_site"), key=lambda m: (m.on, m.v))
    approval = d.approval
    for m in off:
        if approval is None or m.on < approval.on:
            emit(d.code, m.on, 'R01.1', P(d, m.v, approval and approval.v), values=(m.volume_m3,))
    design = approved_design(d)
    if design is None or design.surplus is None:
        return
    limit = design.surplus * (1 + Decimal(ctx.settings["surplus_tolerance_pct"]) / 100)
    total = Decimal(0)
    for m in off:
        total += m.volume_m3
        if total > limit:
            emit(d.code, m.on, 'R01.2', P(d, design.v, m.v), values=(total, design.surplus))
            return


@rule("R02", "high", reads=("survey_elevation", "complete_works", "submit_design", "approve_design_change"), area_tolerance_pct=5)
def elevation_and_boundary(d, ctx, emit):
    pre, post = d.elevation.get("pre_min_m"), d.elevation.get("post_min_m")
    if pre and post and post.level_m < pre.level_m:
        emit(d.code, post.on, 'R02.1', P(d, pre.v, post.v), values=(post.level_m, pre.level_m))
    done = d.completed
    if done is None:
        return
    design, boundary, _, used = design_basis(d, before=done.on)
    if design is None:
        return
    limit = boundary * (1 + Decimal(ctx.settings["area_tolerance_pct"]) / 100)
    if done.as_built_ha > limit:
        emit(d.code, done.on, 'R02.2', P(d, *used, done.v), values=(done.as_built_ha, boundary, limit))


def _is_county(seller: str, words: list[str]) -> bool:
    return any(word.lower() in seller.lower() for word in words)


@rule("R03", "high", reads=("sell_surplus", "appraise_surplus", "deposit_revenue"), deposit_days=30,
      county_seller_words=["县人民政府", "县政府", "county government"])
def surplus_sales(d, ctx, emit):
    sales = sorted(d.sales, key=lambda s: (s.on, s.v))
    for s in sales:
        if not _is_county(s.seller, ctx.settings["county_seller_words"]):
            emit(d.code, s.on, 'R03.1', P(d, s.v), values=(s.seller,))
        if not s.platform_ref:
            emit(d.code, s.on, 'R03.2', P(d, s.v))
        appraised = [a for a in d.appraisals if a.material == s.material and a.on <= s.on]
        if appraised:
            a = max(appraised, key=lambda a: (a.on, a.v))
            if s.unit_price < a.unit_price:
                emit(d.code, s.on, 'R03.5', P(d, a.v, s.v), values=(s.material, s.unit_price, a.unit_price))
    revenue = Decimal(0)
    treasury = sorted((x for x in d.deposits if x.account == "treasury"), key=lambda x: x.on)
    for s in sales:
        revenue += s.volume_m3 * s.unit_price / 10000
        deadline = after(s.on, ctx.settings["deposit_days"])
        if deadline > ctx.as_of:
            continue
        paid = [x for x in treasury if x.on <= deadline]
        paid_in = sum((x.amount for x in paid), Decimal(0))
        if paid_in < revenue:
            emit(d.code, deadline, 'R03.3', P(d, s.v, *[x.v for x in paid]), values=(deadline, revenue, paid_in))
    for x in d.deposits:
        if x.account != "treasury" and d.sales:
            emit(d.code, x.on, 'R03.4', P(d, x.v), values=(x.amount,))


@rule("R17", "medium", reads=("sell_surplus", "publish_disclosure"))
def disclosed_before_sale(d, ctx, emit):
    for s in d.sales:
        if not any(x.on <= s.on for x in d.disclosures):
            emit(d.code, s.on, 'R17.1', P(d, s.v))
