"""Procurement and review (招投标与评审): open tenders above the thresholds, no one judging their own work (R08, R23)."""

from __future__ import annotations

from decimal import Decimal

from policies.evidence import P
from policies.rules import rule


@rule("R08", "medium", "施工合同≥400万元、勘察设计合同≥100万元须公开招标；施工与监理不得为同一单位",
      "Works contracts ≥ 400 万元 (survey/design ≥ 100 万元) by public tender; contractor ≠ supervisor",
      reads=("award_contract", "commission_survey", "submit_design"), works_tender_wan=400, services_tender_wan=100)
def public_tender(d, ctx, emit):
    if d.contract:
        v, on, amount, method, contractor, supervisor = d.contract
        if amount >= Decimal(ctx.settings["works_tender_wan"]) and method != "public_tender":
            emit(d.code, on, f"施工合同 {amount} 万元未公开招标（{method}）",
                 f"works contract of {amount} (10k yuan) awarded by {method}, not public tender", P(d, v))
        if contractor == supervisor:
            emit(d.code, on, f"施工单位与监理单位同为 {contractor}", f"contractor and supervisor are both {contractor}", P(d, v))
    for v, on, kind, amount, method in d.service_contracts:
        if method and amount >= Decimal(ctx.settings["services_tender_wan"]) and method != "public_tender":
            zh = "勘察" if kind == "survey" else "设计"
            emit(d.code, on, f"{zh}合同 {amount} 万元未公开招标（{method}）",
                 f"{kind} contract of {amount} (10k yuan) awarded by {method}, not public tender", P(d, v))


@rule("R23", "high", "方案评审专家不得为方案编制人", "Design reviewers are not the design's authors",
      reads=("submit_design", "approve_design", "reject_design"))
def reviewers_not_authors(d, ctx, emit):
    for v, on, experts, design in d.reviews:
        if design is None:
            continue
        both = sorted(set(experts) & set(design[6]))
        if both:
            emit(d.code, on, f"评审专家 {'、'.join(both)} 是方案编制人", f"reviewers who wrote the design: {', '.join(both)}",
                 P(d, design[0], v))
