"""What the rules know about each subject: small dossiers folded from its events.

The audit reads the log one aggregate at a time, so a parcel's full dossier lives only
until its rules have run; what the rules over many subjects still need is its
`ParcelSummary` (a few hundred bytes). Events arrive as plain `json.loads` output: a
fold converts only the fields it keeps (`events.logreader.typed`, with one date object per
day) and interns repeated names, which is what keeps the kept state small.
"""

from __future__ import annotations

import sys
from datetime import date
from functools import lru_cache

from events.logreader import typed


def name(value):
    """A repeated name (a unit, an account, a township): one string object however often it recurs."""
    return sys.intern(value) if type(value) is str else value


def names(values) -> tuple:
    return tuple(sys.intern(v) for v in values or ())


_SHARED: dict[tuple, tuple] = {}


def shared(group: tuple) -> tuple:
    """One tuple object for an acceptance group however many parcels it accepted."""
    return _SHARED.setdefault(group, group)


ATTRS = ("category", "subclass", "direction", "area_ha", "verified_area_ha", "verification_id", "township",
         "near_road", "near_settlement", "pit_depth_m")
KEPT_ATTRS = ("area_ha", "verification_id", "township", "near_road", "near_settlement", "pit_depth_m")
"""Registration attributes the rules over many parcels read (R05, R19, R20)."""


@lru_cache(maxsize=None)
def slots(cls: type) -> tuple[str, ...]:
    return tuple(s for c in reversed(cls.__mro__) for s in c.__dict__.get("__slots__", ()))


class ParcelSummary:
    """What rules across parcels read of one parcel, kept for every parcel while the audit runs."""

    __slots__ = ("code", "attrs", "registered", "plan", "acceptance", "write_offs", "batches", "state", "late",
                 "registered_at")

    def __init__(self, code: str):
        self.code, self.attrs, self.state = code, {}, "new"
        self.registered = self.plan = self.acceptance = self.registered_at = None
        self.write_offs = self.batches = self.late = ()

    @property
    def key(self) -> str:
        """Every dossier answers to `key`; the rules call a parcel's its code."""
        return self.code

    def __getstate__(self):
        """A plain tuple in slot order (base class first): the state file keeps 100,000 of these."""
        return tuple(getattr(self, s) for s in slots(type(self)))

    def __setstate__(self, values):
        for slot, value in zip(slots(type(self)), values):
            setattr(self, slot, value)


class ParcelDossier(ParcelSummary):
    """Everything the per-parcel rules read: (version, on, …) tuples, nothing more."""

    __slots__ = ("design", "reviews", "approval", "contract", "service_contracts", "started", "completed", "changes",
                 "moves", "elevation", "failures", "rectifications", "appraisals", "disclosures", "sales", "deposits",
                 "allocations", "payments", "progress", "patrols", "steward", "handover", "inspections", "damages")

    def __init__(self, code: str):
        super().__init__(code)
        self.design = self.approval = self.contract = self.started = self.completed = None
        self.steward = self.handover = None
        self.reviews = self.service_contracts = self.changes = self.moves = self.failures = self.rectifications = ()
        self.appraisals = self.disclosures = self.sales = self.deposits = self.allocations = self.payments = ()
        self.progress = self.patrols = self.inspections = self.damages = ()
        self.elevation = {}

    def observe(self, event: str, v: int, on: date, data: dict, dest: str | None) -> None:
        if dest:
            self.state = dest
        fold = PARCEL_FOLDS.get(event)
        if fold is not None:
            fold(self, v, on, data, dest)

    def summary(self) -> ParcelSummary:
        kept = ParcelSummary(self.code)
        for slot in ParcelSummary.__slots__:
            setattr(kept, slot, getattr(self, slot))
        kept.attrs = {k: self.attrs[k] for k in KEPT_ATTRS if self.attrs.get(k)}
        if self.acceptance:
            v, on, group, _experts, measured, _sheet, _photos = self.acceptance
            kept.acceptance = (v, on, shared(group), (), measured, None, ())
        return kept


def _register(d, v, on, data, dest):
    d.registered = (v, on)
    d.attrs = {k: typed(data.get(k)) for k in ATTRS}
    for k in ("category", "subclass", "direction", "township"):
        d.attrs[k] = name(d.attrs[k])


def _plan(d, v, on, data, dest):
    d.plan = (v, on, data["year"], name(data["mode"]), name(data["programme"]), name(data.get("sponsor")))


def _commission_survey(d, v, on, data, dest):
    if "contract_amount" in data:
        d.service_contracts += ((v, on, "survey", typed(data["contract_amount"]), name(data.get("method"))),)


def _submit_design(d, v, on, data, dest):
    d.design = (v, on, typed(data["design_date"]), typed(data["boundary_area_ha"]), typed(data.get("quantities") or {}),
                typed((data.get("earth_balance") or {}).get("surplus")), names(data["authors"]))
    if "contract_amount" in data:
        d.service_contracts += ((v, on, "design", typed(data["contract_amount"]), name(data.get("method"))),)


def _review(d, v, on, data, dest):
    d.reviews += ((v, on, names(data["experts"]), d.design),)


def _approve_design(d, v, on, data, dest):
    _review(d, v, on, data, dest)
    d.approval = (v, on)


def _award_contract(d, v, on, data, dest):
    d.contract = (v, on, typed(data["contract_amount"]), name(data["method"]), name(data["contractor"]),
                  name(data["supervisor"]))


def _start_construction(d, v, on, data, dest):
    d.started = (v, on)


def _complete_works(d, v, on, data, dest):
    d.completed = (v, on, typed(data["as_built_area_ha"]), typed(data.get("quantities") or {}))


def _approve_design_change(d, v, on, data, dest):
    d.changes += ((v, on, typed(data.get("boundary_area_ha")), typed(data.get("quantities") or {})),)


def _move_material(d, v, on, data, dest):
    d.moves += ((v, on, typed(data["volume_m3"]), name(data["destination"])),)


def _survey_elevation(d, v, on, data, dest):
    for key in ("pre_min_m", "post_min_m"):
        if key in data:
            d.elevation = {**d.elevation, key: (v, on, typed(data[key]))}


def _accept(d, v, on, data, dest):
    d.acceptance = (v, on, tuple((name(m["name"]), name(m["unit"])) for m in data["group"]), names(data["experts"]),
                    typed(data.get("measured_area_ha")), data.get("sign_in_sheet"), tuple(data.get("photos") or ()))


def _fail_acceptance(d, v, on, data, dest):
    d.failures += ((v, on, typed(data["deadline"])),)


def _complete_rectification(d, v, on, data, dest):
    d.rectifications += ((v, on),)


def _appraise_surplus(d, v, on, data, dest):
    d.appraisals += ((v, on, name(data["material"]), typed(data["unit_price"])),)


def _publish_disclosure(d, v, on, data, dest):
    d.disclosures += ((v, on),)


def _sell_surplus(d, v, on, data, dest):
    d.sales += ((v, on, typed(data["volume_m3"]), name(data["material"]), typed(data["unit_price"]),
                 name(data["seller"]), data.get("platform_ref")),)


def _deposit_revenue(d, v, on, data, dest):
    d.deposits += ((v, on, typed(data["amount"]), name(data["account"])),)


def _allocate_funds(d, v, on, data, dest):
    d.allocations += ((v, on, typed(data["amount"]), name(data["source"]), name(data.get("line"))),)


def _make_payment(d, v, on, data, dest):
    d.payments += ((v, on, typed(data["amount"]), name(data["account"])),)


def _certify_progress(d, v, on, data, dest):
    d.progress += ((v, on, typed(data["percent"])),)


def _log_patrol(d, v, on, data, dest):
    d.patrols += ((v, on),)


def _designate_steward(d, v, on, data, dest):
    d.steward = (v, on, name(data["steward"]), name(data["kind"]))


def _hand_over(d, v, on, data, dest):
    d.handover = (v, on)


def _log_stewardship_inspection(d, v, on, data, dest):
    d.inspections += ((v, on, typed(data.get("survival_rate"))),)


def _report_damage(d, v, on, data, dest):
    d.damages += ((v, on, data.get("damage") or f"D{len(d.damages) + 1}", None, None),)


def _resolve_damage(d, v, on, data, dest):
    open_ = [i for i, x in enumerate(d.damages) if x[3] is None]
    match = [i for i in open_ if d.damages[i][2] == data.get("damage")] or open_[:1]
    if match:
        i = match[0]
        d.damages = d.damages[:i] + (d.damages[i][:3] + (v, on),) + d.damages[i + 1:]


def _add_to_batch(d, v, on, data, dest):
    d.batches += ((v, on, name(data["batch"])),)


def _confirm_write_off(d, v, on, data, dest):
    if dest == "written_off":
        d.write_offs += ((v, on, name(data["batch"])),)


PARCEL_FOLDS = {
    "register": _register, "plan": _plan, "commission_survey": _commission_survey, "submit_design": _submit_design,
    "approve_design": _approve_design, "reject_design": _review, "award_contract": _award_contract,
    "start_construction": _start_construction, "complete_works": _complete_works,
    "approve_design_change": _approve_design_change, "move_material": _move_material,
    "survey_elevation": _survey_elevation, "accept": _accept, "fail_acceptance": _fail_acceptance,
    "complete_rectification": _complete_rectification, "appraise_surplus": _appraise_surplus,
    "publish_disclosure": _publish_disclosure, "sell_surplus": _sell_surplus, "deposit_revenue": _deposit_revenue,
    "allocate_funds": _allocate_funds, "make_payment": _make_payment, "certify_progress": _certify_progress,
    "log_patrol": _log_patrol, "designate_steward": _designate_steward, "hand_over": _hand_over,
    "log_stewardship_inspection": _log_stewardship_inspection, "report_damage": _report_damage,
    "resolve_damage": _resolve_damage, "add_to_batch": _add_to_batch, "confirm_write_off": _confirm_write_off,
}


class BatchDossier:
    __slots__ = ("key", "state", "members", "submitted", "ever", "late")

    def __init__(self, key: str):
        self.key, self.state, self.members, self.submitted, self.ever, self.late = key, "new", {}, [], set(), ()

    def observe(self, event: str, v: int, on: date, data: dict, dest: str | None) -> None:
        self.state = dest or self.state
        if event == "add_to_batch":
            code = name(data["parcel"])
            self.members[code] = (v, on)
            self.ever.add(code)
        elif event == "remove_from_batch":
            self.members.pop(data["parcel"], None)
        elif event == "submit_batch":
            self.submitted.append((v, on, frozenset(self.members)))


class ProgrammeDossier:
    __slots__ = ("key", "created", "target", "years", "late")

    def __init__(self, key: str):
        self.key, self.created, self.target, self.years, self.late = key, None, None, {}, ()

    def observe(self, event: str, v: int, on: date, data: dict, dest: str | None) -> None:
        if event == "create_programme":
            self.created = (v, on)
            self.target = typed(data["target_ha"])
            self.years = {int(y): typed(row["area_ha"]) for y, row in data["years"].items()}


class TaskForceDossier:
    __slots__ = ("key", "terms", "late")

    def __init__(self, key: str):
        self.key, self.terms, self.late = key, [], ()

    def observe(self, event: str, v: int, on: date, data: dict, dest: str | None) -> None:
        if event == "appoint_member":
            self.terms.append([name(data["person"]), name(data["unit"]), on, None])
        elif event == "remove_member":
            for term in self.terms:
                if term[0] == data["person"] and term[3] is None:
                    term[3] = on


DOSSIERS = {"parcel": ParcelDossier, "batch": BatchDossier, "programme": ProgrammeDossier,
            "taskforce": TaskForceDossier}
