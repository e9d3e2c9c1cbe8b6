"""Procurement and review (招投标与评审): open tenders above the thresholds, no one judging their own work (R08, R23)."""

from __future__ import annotations

from decimal import Decimal

from policies.registry import rule
from policies.rules.evidence import P


@rule("R08", "medium", reads=("award_contract", "commission_survey", "submit_design"), works_tender_wan=400, services_tender_wan=100)
def public_tender(d, ctx, emit):
    if d.contract:
        v, on, amount, method, contractor, supervisor = d.contract
        if amount >= Decimal(ctx.settings["works_tender_wan"]) and method != "public_tender":
            emit(d.code, on, 'R08.1', P(d, v), values=(amount, method))
        if contractor == supervisor:
            emit(d.code, on, 'R08.2', P(d, v), values=(contractor,))
    for v, on, kind, amount, method in d.service_contracts:
        if method and amount >= Decimal(ctx.settings["services_tender_wan"]) and method != "public_tender":
            zh = "勘察" if kind == "survey" else "设计"
            emit(d.code, on, 'R08.3', P(d, v), values=(zh, amount, method, kind))


@rule("R23", "high", reads=("submit_design", "approve_design", "reject_design"))
def reviewers_not_authors(d, ctx, emit):
    for v, on, experts, design in d.reviews:
        if design is None:
            continue
        both = sorted(set(experts) & set(design[6]))
        if both:
            emit(d.code, on, 'R23.1', P(d, design[0], v), values=('、'.join(both), ', '.join(both)))
