"""Procurement and review (招投标与评审): open tenders above the thresholds, no one judging their own work (R08, R23)."""

from __future__ import annotations

from decimal import Decimal

from policies.registry import rule
from policies.rules.evidence import P


@rule("R08", "medium", reads=("award_contract", "commission_survey", "submit_design"), works_tender_wan=400, services_tender_wan=100)
def public_tender(d, ctx, emit):
    c = d.contract
    if c:
        if c.amount >= Decimal(ctx.settings["works_tender_wan"]) and c.method != "public_tender":
            emit(d.code, c.on, 'R08.1', P(d, c.v), values=(c.amount, c.method))
        if c.contractor == c.supervisor:
            emit(d.code, c.on, 'R08.2', P(d, c.v), values=(c.contractor,))
    for s in d.service_contracts:
        if s.method and s.amount >= Decimal(ctx.settings["services_tender_wan"]) and s.method != "public_tender":
            zh = "勘察" if s.kind == "survey" else "设计"
            emit(d.code, s.on, 'R08.3', P(d, s.v), values=(zh, s.amount, s.method, s.kind))


@rule("R23", "high", reads=("submit_design", "approve_design", "reject_design"))
def reviewers_not_authors(d, ctx, emit):
    for review in d.reviews:
        design = review.design
        if design is None:
            continue
        both = sorted(set(review.experts) & set(design.authors))
        if both:
            emit(d.code, review.on, 'R23.1', P(d, design.v, review.v), values=('、'.join(both), ', '.join(both)))
