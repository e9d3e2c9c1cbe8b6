"""Earth and stone (土石方): what may leave the site, and how surplus may be sold (R01, R02, R03, R17).

Illegal earth/stone sales are the discipline problem the seed plan warns about by name.
"""

from __future__ import annotations

from decimal import Decimal

from policies.evidence import P, after, approved_design, design_basis
from policies.rules import rule


@rule("R01", "high", "土石方外运不超过批复方案富余量，方案批复前不得外运",
      "Off-site earth/stone within the approved design's surplus; none before design approval",
      reads=("move_material", "submit_design", "approve_design"), surplus_tolerance_pct=0)
def off_site_within_surplus(d, ctx, emit):
    off = sorted((m for m in d.moves if m[3] == "off_site"), key=lambda m: (m[1], m[0]))
    approval = d.approval
    for v, on, volume, _ in off:
        if approval is None or on < approval[1]:
            emit(d.code, on, f"方案批复前外运土石方 {volume} m³", f"{volume} m³ moved off site before design approval",
                 P(d, v, approval and approval[0]))
    design = approved_design(d)
    if design is None or design[5] is None:
        return
    limit = design[5] * (1 + Decimal(ctx.settings["surplus_tolerance_pct"]) / 100)
    total = Decimal(0)
    for v, on, volume, _ in off:
        total += volume
        if total > limit:
            emit(d.code, on, f"累计外运 {total} m³，超过方案富余量 {design[5]} m³",
                 f"{total} m³ moved off site in all, above the design's surplus of {design[5]} m³", P(d, design[0], v))
            return


@rule("R02", "high", "修复后坑底高程不低于修复前最低点；竣工面积不超过设计范围5%",
      "Post-restoration bottom elevation ≥ pre-restoration minimum; as-built area ≤ design boundary + 5 %",
      reads=("survey_elevation", "complete_works", "submit_design", "approve_design_change"), area_tolerance_pct=5)
def elevation_and_boundary(d, ctx, emit):
    pre, post = d.elevation.get("pre_min_m"), d.elevation.get("post_min_m")
    if pre and post and post[2] < pre[2]:
        emit(d.code, post[1], f"修复后坑底高程 {post[2]} m 低于修复前最低点 {pre[2]} m（超挖）",
             f"bottom elevation after restoration {post[2]} m is below the pre-restoration minimum {pre[2]} m",
             P(d, pre[0], post[0]))
    if d.completed is None:
        return
    design, boundary, _, used = design_basis(d, before=d.completed[1])
    if design is None:
        return
    limit = boundary * (1 + Decimal(ctx.settings["area_tolerance_pct"]) / 100)
    if d.completed[2] > limit:
        emit(d.code, d.completed[1], f"竣工面积 {d.completed[2]} ha 超过设计范围 {boundary} ha 的允许上限 {limit} ha",
             f"as-built area {d.completed[2]} ha exceeds the design boundary {boundary} ha + tolerance ({limit} ha)",
             P(d, *used, d.completed[0]))


def _is_county(seller: str, words: list[str]) -> bool:
    return any(word.lower() in seller.lower() for word in words)


@rule("R03", "high", "富余土石料由县政府经交易平台按不低于评估价出售，收入30日内缴入国库",
      "Surplus sold only by the county government on a trading platform at ≥ the appraised price; "
      "revenue in the treasury within 30 days",
      reads=("sell_surplus", "appraise_surplus", "deposit_revenue"), deposit_days=30,
      county_seller_words=["县人民政府", "县政府", "county government"])
def surplus_sales(d, ctx, emit):
    sales = sorted(d.sales, key=lambda s: (s[1], s[0]))
    for v, on, volume, material, price, seller, platform in sales:
        if not _is_county(seller, ctx.settings["county_seller_words"]):
            emit(d.code, on, f"富余土石料由 {seller} 出售，而非县人民政府", f"surplus sold by {seller}, not the county government",
                 P(d, v))
        if not platform:
            emit(d.code, on, "出售富余土石料未经公共资源交易平台", "surplus sold without a trading-platform reference", P(d, v))
        appraised = [a for a in d.appraisals if a[2] == material and a[1] <= on]
        if appraised:
            a = max(appraised, key=lambda a: (a[1], a[0]))
            if price < a[3]:
                emit(d.code, on, f"{material} 成交单价 {price} 元/m³ 低于评估价 {a[3]} 元/m³",
                     f"{material} sold at {price} yuan/m³, below the appraised {a[3]} yuan/m³", P(d, a[0], v))
    revenue = Decimal(0)
    treasury = sorted((x for x in d.deposits if x[3] == "treasury"), key=lambda x: x[1])
    for v, on, volume, _material, price, _seller, _platform in sales:
        revenue += volume * price / 10000
        deadline = after(on, ctx.settings["deposit_days"])
        if deadline > ctx.as_of:
            continue
        paid_in = sum((x[2] for x in treasury if x[1] <= deadline), Decimal(0))
        if paid_in < revenue:
            emit(d.code, deadline, f"截至 {deadline} 出售收入 {revenue} 万元，仅缴入国库 {paid_in} 万元",
                 f"by {deadline} revenue was {revenue} (10k yuan) but only {paid_in} was deposited to the treasury",
                 P(d, v, *[x[0] for x in treasury if x[1] <= deadline]))
    for v, on, amount, account in d.deposits:
        if account != "treasury" and d.sales:
            emit(d.code, on, f"出售收入 {amount} 万元未缴入国库", f"revenue of {amount} (10k yuan) deposited outside the treasury",
                 P(d, v))


@rule("R17", "medium", "富余土石料出售前应公示", "Surplus sold only after a public disclosure",
      reads=("sell_surplus", "publish_disclosure"))
def disclosed_before_sale(d, ctx, emit):
    for v, on, *_ in d.sales:
        if not any(x[1] <= on for x in d.disclosures):
            emit(d.code, on, "出售富余土石料前未公示", "surplus sold with no public disclosure on or before the sale",
                 P(d, v))
