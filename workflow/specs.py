"""What every parcel command takes: who may give it and which fields it carries (docs/reference.md).

This table is data the CLI (`next`), the guards and the tests all read, so the
role table and the field lists exist exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
from functools import cached_property

from workflow import fields as f
from workflow.boundaries import boundary
from workflow.corrections import changes
from workflow.fields import Field, opt, req

PLANNED_MODES = ("natural_recovery", "assisted_regeneration", "ecological_reconstruction", "conversion")
FUND_SOURCES = ("county_fiscal", "prefecture", "central", "social_capital", "project_reuse")
TENDER_METHODS = ("public_tender", "invited_tender", "direct")


@dataclass(frozen=True)
class Spec:
    """A command: `kind` is register, transition or fact; `states` limits where a fact makes sense."""

    name: str
    kind: str
    roles: tuple[str, ...]
    fields: tuple[Field, ...] = ()
    reason_required: bool = False
    batch_only: bool = False
    states: tuple[str, ...] | None = None

    @property
    def required(self) -> list[str]:
        return [field.name for field in self.fields if field.required]

    @cached_property
    def names(self) -> frozenset[str]:
        return frozenset(field.name for field in self.fields)


ATTRIBUTES = (
    req("name", f.text),
    req("township", f.text),
    req("area_ha", f.positive),
    opt("county_code", f.text),
    opt("lon", f.bounded(-180, 180)),
    opt("lat", f.bounded(-90, 90)),
    opt("verified_area_ha", f.positive),
    opt("verification_id", f.text),
    opt("category", f.text),
    opt("subclass", f.text),
    opt("feature", f.choice("pit", "transfer_yard", "waste_dump", "buildings", "collapse_pit", "shaft_entrance", "other")),
    opt("mineral", f.text),
    opt("mining_method", f.choice("open_pit", "underground", "combined")),
    opt("closure_year", f.year),
    opt("land_class", f.text),
    opt("pit_depth_m", f.non_negative),
    opt("near_road", f.flag),
    opt("near_settlement", f.flag),
    opt("contiguous_group", f.text),
    opt("planned_mode", f.choice(*PLANNED_MODES)),
    opt("direction", f.text),
    opt("boundary", boundary),
)

ACCEPTANCE = (
    req("group", f.group),
    req("experts", f.texts),
    opt("measured_area_ha", f.positive),
    opt("sign_in_sheet", f.text),
    opt("photos", f.texts),
    opt("measured_boundary", boundary),
)

STEWARDSHIP_STATES = ("accepted", "filed", "written_off")

PARCEL_SPECS: dict[str, Spec] = {
    s.name: s
    for s in (
        Spec("register", "register", ("nrb",), ATTRIBUTES),
        Spec("plan", "transition", ("nrb",), (
            req("programme", f.text), req("year", f.year), req("mode", f.choice(*PLANNED_MODES)),
            req("planned_investment", f.positive),
            opt("sponsor", f.choice("drc", "wrb")), opt("new_use", f.text),
        )),
        Spec("commission_survey", "transition", ("nrb",), (
            req("survey_unit", f.text), req("contract_ref", f.text),
            opt("contract_amount", f.positive), opt("method", f.choice(*TENDER_METHODS)),
        )),
        Spec("deliver_survey", "transition", ("survey_unit",), (
            req("report_ref", f.text), opt("hazards", f.texts),
        )),
        Spec("submit_design", "transition", ("design_unit", "nrb"), (
            req("design_ref", f.text), req("design_date", f.iso_date), req("boundary_area_ha", f.positive),
            req("budget", f.positive), req("authors", f.texts),
            opt("quantities", f.quantities), opt("earth_balance", f.earth_balance),
            opt("design_unit", f.text), opt("contract_amount", f.positive), opt("method", f.choice(*TENDER_METHODS)),
            opt("design_boundary", boundary),
        )),
        Spec("approve_design", "transition", ("nrb",), (
            req("experts", f.texts), req("review_ref", f.text), req("approved_budget", f.positive),
        )),
        Spec("reject_design", "transition", ("nrb",), (req("experts", f.texts), req("reasons", f.texts))),
        Spec("award_contract", "transition", ("nrb",), (
            req("contractor", f.text), req("supervisor", f.text), req("contract_amount", f.positive),
            req("method", f.choice(*TENDER_METHODS)), opt("bidders", f.texts), opt("contract_ref", f.text),
        )),
        Spec("start_construction", "transition", ("contractor",), (req("start_report_ref", f.text),)),
        Spec("suspend", "transition", ("nrb", "eeb", "supervisor"), reason_required=True),
        Spec("resume", "transition", ("nrb",), reason_required=True),
        Spec("complete_works", "transition", ("contractor",), (
            req("as_built_area_ha", f.positive), req("completion_report_ref", f.text), opt("quantities", f.quantities),
            opt("as_built_boundary", boundary),
        )),
        Spec("accept", "transition", ("nrb",), ACCEPTANCE),
        Spec("fail_acceptance", "transition", ("nrb",), (
            req("group", f.group), req("experts", f.texts), req("issues", f.texts), req("deadline", f.iso_date),
        )),
        Spec("complete_rectification", "transition", ("contractor",), (req("report_ref", f.text),)),
        Spec("start_natural_recovery", "transition", ("nrb",), (
            req("assessment_ref", f.text), req("notice_start", f.iso_date),
        )),
        Spec("file_batch", "transition", ("prefecture_nrb",), batch_only=True),
        Spec("confirm_write_off", "transition", ("prefecture_nrb",), batch_only=True),
        Spec("close_stewardship", "transition", ("nrb",), (opt("closure_ref", f.text),)),
        # facts: recorded without changing state
        Spec("log_patrol", "fact", ("township", "nrb"), (req("findings", f.text), opt("hazard", f.flag))),
        Spec("log_supervision", "fact", ("nrb", "eeb", "expert", "supervisor"), (
            req("findings", f.text), opt("experts", f.texts),
        )),
        Spec("allocate_funds", "fact", ("finance",), (
            req("amount", f.positive), req("source", f.choice(*FUND_SOURCES)), opt("line", f.text), opt("year", f.year),
        )),
        Spec("certify_progress", "fact", ("supervisor",), (req("percent", f.percent),)),
        Spec("make_payment", "fact", ("finance",), (
            req("amount", f.positive), req("payee", f.text), req("account", f.choice("special", "other")),
            req("stage", f.text),
        )),
        Spec("move_material", "fact", ("contractor", "supervisor"), (
            req("volume_m3", f.positive), req("destination", f.choice("on_site", "off_site")), opt("material", f.text),
        )),
        Spec("appraise_surplus", "fact", ("county_gov", "nrb"), (
            req("material", f.text), req("unit_price", f.positive), opt("appraisal_ref", f.text),
        )),
        Spec("publish_disclosure", "fact", ("nrb",), (req("ref", f.text), opt("subject", f.text))),
        Spec("sell_surplus", "fact", ("county_gov",), (
            req("volume_m3", f.positive), req("material", f.text), req("unit_price", f.positive),
            req("seller", f.text), opt("platform_ref", f.text), opt("buyer", f.text),
        )),
        Spec("deposit_revenue", "fact", ("finance",), (
            req("amount", f.positive), req("account", f.choice("treasury", "other")),
        )),
        Spec("approve_design_change", "fact", ("nrb",), (
            req("change_ref", f.text), req("experts", f.texts),
            opt("boundary_area_ha", f.positive), opt("quantities", f.quantities), opt("design_boundary", boundary),
        )),
        Spec("survey_elevation", "fact", ("survey_unit", "supervisor"), (
            opt("pre_min_m", f.as_decimal), opt("post_min_m", f.as_decimal),
        )),
        Spec("designate_steward", "fact", ("county_gov", "nrb"), (
            req("steward", f.text), req("kind", f.text), req("agreement_ref", f.text), req("period_years", f.count),
        ), states=STEWARDSHIP_STATES),
        Spec("hand_over", "fact", ("steward",), (req("handover_ref", f.text),), states=STEWARDSHIP_STATES),
        Spec("log_stewardship_inspection", "fact", ("steward", "nrb"), (
            req("condition", f.text), opt("survival_rate", f.percent),
        ), states=STEWARDSHIP_STATES),
        Spec("report_damage", "fact", ("steward", "nrb", "township"), (
            req("description", f.text), opt("damage", f.text),
        ), states=STEWARDSHIP_STATES),
        Spec("resolve_damage", "fact", ("steward", "nrb"), (
            opt("damage", f.text), opt("action", f.text),
        ), states=STEWARDSHIP_STATES),
        Spec("attach_document", "fact", (), (opt("note", f.text),)),
        Spec("correct", "fact", (), (req("corrects", f.count), req("fields", changes)), reason_required=True),
    )
}
"""`attach_document` names no roles: any role may attach a document. `correct` (更正) may be given by the roles
that may record the event it corrects (workflow.corrections)."""


def year_plan(value) -> dict[str, dict]:
    """Per-year decomposition {"2023": {parcels, area_ha}, …}."""
    if not isinstance(value, dict) or not value:
        raise f.BadValue('an object {"2023": {"parcels": 13, "area_ha": 76.7378}, …}')
    plan = {}
    for year, row in value.items():
        if not isinstance(row, dict) or set(row) - {"parcels", "area_ha", "investment"} or "area_ha" not in row:
            raise f.BadValue('an object {"2023": {"parcels": 13, "area_ha": 76.7378}, …}')
        plan[str(f.year(year))] = {k: (f.count(v) if k == "parcels" else f.positive(v)) for k, v in row.items()}
    return plan


def _specs(*specs: Spec) -> dict[str, Spec]:
    return {s.name: s for s in specs}


BATCH_SPECS = _specs(
    Spec("create_batch", "transition", ("nrb",), (req("year", f.year),)),
    Spec("add_to_batch", "transition", ("nrb",), (req("parcel", f.text),)),
    Spec("remove_from_batch", "transition", ("nrb",), (req("parcel", f.text),)),
    Spec("submit_batch", "transition", ("nrb",), (req("report_ref", f.text),)),
    Spec("return_batch", "transition", ("prefecture_nrb",), (req("reasons", f.texts),)),
    Spec("file_batch", "transition", ("prefecture_nrb",), (req("filing_ref", f.text),)),
    Spec("confirm_write_off", "transition", ("prefecture_nrb",), (
        req("confirmation_ref", f.text), opt("rejected", f.texts),
    )),
)

PROGRAMME_SPECS = _specs(
    Spec("create_programme", "transition", ("nrb",), (
        req("name", f.text), req("county_code", f.text), req("period", f.text), req("target_ha", f.positive),
        req("years", year_plan), req("planned_investment", f.positive),
    )),
    Spec("approve_programme", "transition", ("county_gov",), (req("evaluation_ref", f.text),)),
    Spec("include_in_budget", "transition", ("finance",), (req("year", f.year), req("amount", f.positive))),
)

TASKFORCE_SPECS = _specs(
    Spec("appoint_member", "transition", ("nrb", "county_gov"), (
        req("person", f.text), req("unit", f.role_id), req("position", f.text),
    )),
    Spec("remove_member", "transition", ("nrb", "county_gov"), (req("person", f.text),)),
)


ADMINS = ("nrb", "county_gov")
"""Who registers people, grants roles and revokes (their own signatures, like any command)."""

PERSON_SPECS = _specs(
    Spec("add_person", "transition", ADMINS, (
        req("unit", f.role_id), req("roles", f.role_ids), req("public_key", f.public_key), opt("since", f.iso_date),
    )),
    Spec("grant_role", "fact", ADMINS, (req("roles", f.role_ids),), states=("active",)),
    Spec("add_key", "fact", ADMINS, (req("public_key", f.public_key),), states=("active",)),
    Spec("revoke_person", "transition", ADMINS, (), reason_required=True),
)

WITNESSING_SPECS = _specs(
    Spec("record_cosignature", "transition", (), (
        req("size", f.count), req("root", f.text), req("witness", f.text), req("key_id", f.text),
        req("cosigned_at", f.count), req("cosignature", f.text), req("witness_key", f.text),
    )),
)
"""A witness's cosignature (见证联署) of this log's checkpoint, keyed by the log's origin. Any role may record
it: what it says is checked against the log itself and the witness's signature (workflow.handlers), not
believed because of who records it."""


def parse_fields(spec: Spec, data: dict, where: str) -> dict:
    """The command's data as exact typed values; an unknown, missing or malformed field is refused.
    Field names may be given by their Chinese names (乡镇) and enumerated values by theirs (生态重建)."""
    from policies.refusals import Refused
    from workflow import vocabulary as v

    if not data.keys() <= spec.names:
        data = {(k if k in spec.names else v.header_key(k) if v.header_key(k) in spec.names else k): value
                for k, value in data.items()}
    unknown = sorted(data.keys() - spec.names)
    if unknown:
        allowed = ", ".join(field.name for field in spec.fields) or "no fields"
        guess = next(iter(get_close_matches(unknown[0], sorted(spec.names), n=1, cutoff=0.6)), None)
        raise Refused(f"{where}: {spec.name} has no field {unknown[0]!r}" + (f" (did you mean {guess}?)" if guess else "")
                      + f"; allowed: {allowed}",
                      zh=f"{where}：«trigger:{spec.name}» 没有字段 {unknown[0]!r}" + (f"（是否想输入 {guess}？）" if guess else "")
                      + f"；可用字段：{'、'.join(field.name for field in spec.fields) or '无'}")
    parsed = {}
    for field in spec.fields:
        value = data.get(field.name)
        if value is None or value == "":
            if field.required:
                raise Refused(f"{where}: {spec.name} needs {field.name} ({field.kind}); required: {', '.join(spec.required)}",
                              zh=f"{where}：«trigger:{spec.name}» 需要字段 {field.name}（{v.field_kind(field.parse, 'zh')}）；"
                                 f"必填：{'、'.join(spec.required)}")
            continue
        table = field.names_table
        if table is not None and isinstance(value, str):
            value = v.lookup(table, value, field.parse.choices) or value
        try:
            parsed[field.name] = field.parse(value)
        except f.BadValue as error:
            shown = repr(value) if len(repr(value)) <= 120 else repr(value)[:100] + "…"
            hint_en, hint_zh = v.choice_hint(field.parse, value)
            raise Refused(f"{where}: {spec.name} field {field.name}={shown} is not {error}{hint_en}",
                          zh=f"{where}：«trigger:{spec.name}» 的字段 {field.name}={shown} 不是"
                             f"{getattr(error, 'zh', None) or v.field_kind(field.parse, 'zh')}{hint_zh}") from None
    return parsed
