"""What the rules know about each subject: small dossiers folded from its events.

The audit reads the log one aggregate at a time, so a parcel's full dossier lives only
until its rules have run; what the rules over many subjects still need is its
`ParcelSummary` (a few hundred bytes). Events arrive as plain `json.loads` output: a
fold converts only the fields it keeps (`events.logreader.typed`, with one date object per
day) and interns repeated names, which is what keeps the kept state small.

Each fact a dossier keeps is a named record (`typing.NamedTuple`): a tuple in memory, read
by field name (`d.plan.sponsor`, `d.acceptance.measured_ha`). Every record starts with the
event's version `v` and business date `on`. In the state file a parcel's records are kept
as plain tuples (`ParcelSummary.__getstate__`): a record pickles with a reference to its
class, which would cost every one of 100,000 dossiers a few hundred bytes.
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

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


# --- the records ------------------------------------------------------------------------------------------------


class Step(NamedTuple):
    """An event that matters only by when it happened: registration, approval, start, hand-over, a patrol, a
    disclosure, a rectification, a batch membership, a programme's creation."""
    v: int
    on: date


class Plan(NamedTuple):
    v: int
    on: date
    year: int
    mode: str
    programme: str
    sponsor: str | None


class ServiceContract(NamedTuple):
    """A survey or design contract (`kind` is "survey" or "design")."""
    v: int
    on: date
    kind: str
    amount: Decimal
    method: str | None


class Design(NamedTuple):
    v: int
    on: date
    design_date: date
    boundary_ha: Decimal
    quantities: dict
    surplus: Decimal | None
    authors: tuple[str, ...]


class Review(NamedTuple):
    """An approval or rejection of `design`, the design submitted at the time (None if none was)."""
    v: int
    on: date
    experts: tuple[str, ...]
    design: Design | None


class Contract(NamedTuple):
    v: int
    on: date
    amount: Decimal
    method: str
    contractor: str
    supervisor: str


class Completion(NamedTuple):
    v: int
    on: date
    as_built_ha: Decimal
    quantities: dict


class Change(NamedTuple):
    """An approved design change: a new boundary area (None: unchanged) and changed quantities."""
    v: int
    on: date
    boundary_ha: Decimal | None
    quantities: dict


class Move(NamedTuple):
    v: int
    on: date
    volume_m3: Decimal
    destination: str


class Elevation(NamedTuple):
    v: int
    on: date
    level_m: Decimal


class Acceptance(NamedTuple):
    """`group` is a tuple of (name, unit) pairs."""
    v: int
    on: date
    group: tuple[tuple[str, str], ...]
    experts: tuple[str, ...]
    measured_ha: Decimal | None
    sign_in_sheet: object
    photos: tuple


class Failure(NamedTuple):
    """A failed acceptance and the deadline to rectify by."""
    v: int
    on: date
    deadline: date


class Appraisal(NamedTuple):
    v: int
    on: date
    material: str
    unit_price: Decimal


class Sale(NamedTuple):
    v: int
    on: date
    volume_m3: Decimal
    material: str
    unit_price: Decimal
    seller: str
    platform_ref: str | None


class Deposit(NamedTuple):
    v: int
    on: date
    amount: Decimal
    account: str


class Allocation(NamedTuple):
    v: int
    on: date
    amount: Decimal
    source: str
    line: str | None


class Payment(NamedTuple):
    v: int
    on: date
    amount: Decimal
    account: str


class Progress(NamedTuple):
    """A certified percentage of the works done."""
    v: int
    on: date
    percent: Decimal


class Steward(NamedTuple):
    v: int
    on: date
    steward: str
    kind: str


class Inspection(NamedTuple):
    v: int
    on: date
    survival_rate: Decimal | None


class Damage(NamedTuple):
    """Reported damage and, once resolved, the resolving event's version and date."""
    v: int
    on: date
    damage: str
    resolved_v: int | None
    resolved_on: date | None


class Membership(NamedTuple):
    """A parcel added to a batch, or written off with it."""
    v: int
    on: date
    batch: str


class Late(NamedTuple):
    """An event recorded `days` after its business date (R18)."""
    kind: str
    key: str
    v: int
    on: date
    days: int


class Submission(NamedTuple):
    """A batch submitted with these members."""
    v: int
    on: date
    members: frozenset


class Term(NamedTuple):
    """A person's term on a task force; `until` is None while it lasts."""
    person: str
    unit: str
    since: date
    until: date | None


class Unattributable(NamedTuple):
    """An event whose signature does not lead to a person holding its role with a key valid then (R24)."""
    kind: str
    key: str
    v: int
    on: date
    why_en: str
    why_zh: str


class Outline(NamedTuple):
    """A boundary as recorded (GeoJSON or WKT text, read and measured only by the spatial rules)."""
    v: int
    on: date
    text: str


class Correction(NamedTuple):
    """A correction (更正) of the fields of the event `corrects` (named `event`)."""
    v: int
    on: date
    corrects: int
    event: str
    fields: tuple[str, ...]


class Registration(NamedTuple):
    """The parcel that registered a verification id first."""
    code: str
    v: int


# --- how a parcel's records are kept in the state file ----------------------------------------------------------

ONE, MANY, BY_KEY = "one", "many", "by key"
SHAPES = {
    "registered": (ONE, Step), "plan": (ONE, Plan), "acceptance": (ONE, Acceptance), "write_offs": (MANY, Membership),
    "batches": (MANY, Membership), "late": (MANY, Late), "unattributable": (MANY, Unattributable), "design": (ONE, Design), "reviews": (MANY, Review),
    "approval": (ONE, Step), "contract": (ONE, Contract), "service_contracts": (MANY, ServiceContract),
    "started": (ONE, Step), "completed": (ONE, Completion), "changes": (MANY, Change), "moves": (MANY, Move),
    "elevation": (BY_KEY, Elevation), "failures": (MANY, Failure), "rectifications": (MANY, Step),
    "appraisals": (MANY, Appraisal), "disclosures": (MANY, Step), "sales": (MANY, Sale), "deposits": (MANY, Deposit),
    "allocations": (MANY, Allocation), "payments": (MANY, Payment), "progress": (MANY, Progress),
    "patrols": (MANY, Step), "steward": (ONE, Steward), "handover": (ONE, Step), "inspections": (MANY, Inspection),
    "damages": (MANY, Damage), "footprint": (ONE, Outline), "outlines": (BY_KEY, Outline),
    "corrections": (MANY, Correction),
}
"""Each parcel slot that holds records: one record (or None), a tuple of them, or a dict of them."""

_new = tuple.__new__


def _plain(record: tuple, cls: type, designs: dict) -> tuple:
    """A record as a plain tuple. A design is referred to by the dossier and by its reviews: one plain tuple for
    it, so that pickle keeps it once."""
    if cls is Review:
        return record[:3] + (record.design and _plain(record.design, Design, designs),)
    if cls is Design:
        plain = designs.get(id(record))
        if plain is None:
            plain = designs[id(record)] = tuple(record)
        return plain
    return tuple(record)


def _record(plain: tuple, cls: type, designs: dict) -> tuple:
    """A plain tuple from the state file as its record again, the designs shared as they were."""
    if cls is Review:
        return _new(Review, plain[:3] + (plain[3] and _record(plain[3], Design, designs),))
    if cls is Design:
        record = designs.get(id(plain))
        if record is None:
            record = designs[id(plain)] = _new(Design, plain)
        return record
    return _new(cls, plain)


def _flatten(shape, value, designs: dict):
    if shape is None or not value:
        return value
    kind, cls = shape
    if kind is ONE:
        return _plain(value, cls, designs)
    if kind is MANY:
        return tuple([_plain(x, cls, designs) for x in value])
    return {k: _plain(x, cls, designs) for k, x in value.items()}


def _unflatten(shape, value, designs: dict):
    if shape is None or not value:
        return value
    kind, cls = shape
    if kind is ONE:
        return _record(value, cls, designs)
    if kind is MANY:
        return tuple([_record(x, cls, designs) for x in value])
    return {k: _record(x, cls, designs) for k, x in value.items()}


# --- the dossiers -----------------------------------------------------------------------------------------------

ATTRS = ("category", "subclass", "direction", "area_ha", "verified_area_ha", "verification_id", "township",
         "near_road", "near_settlement", "pit_depth_m")
KEPT_ATTRS = ("area_ha", "verification_id", "township", "near_road", "near_settlement", "pit_depth_m")
"""Registration attributes the rules over many parcels read (R05, R19, R20)."""


class KeptAttrs:
    """A summary's registration attributes (KEPT_ATTRS) as slots, read like the dossier's dict (`get`, `[]`):
    100,000 dicts of four entries held 10 MB more than these."""

    __slots__ = KEPT_ATTRS

    def __init__(self, attrs: dict):
        for k in KEPT_ATTRS:
            setattr(self, k, attrs.get(k) or None)

    def get(self, k: str, default=None):
        value = getattr(self, k, None) if k in KEPT_ATTRS else None
        return default if value is None else value

    def __getitem__(self, k: str):
        value = self.get(k)
        if value is None:
            raise KeyError(k)
        return value

    def __eq__(self, other) -> bool:
        return isinstance(other, KeptAttrs) and self.__getstate__() == other.__getstate__()

    def __repr__(self) -> str:
        return f"KeptAttrs({ {k: v for k in KEPT_ATTRS if (v := self.get(k)) is not None} })"

    def __getstate__(self):
        return tuple(getattr(self, k) for k in KEPT_ATTRS)

    def __setstate__(self, values) -> None:
        for k, v in zip(KEPT_ATTRS, values):
            setattr(self, k, v)


@lru_cache(maxsize=None)
def slots(cls: type) -> tuple[str, ...]:
    return tuple(s for c in reversed(cls.__mro__) for s in c.__dict__.get("__slots__", ()))


@lru_cache(maxsize=None)
def shapes(cls: type) -> tuple[tuple[str, tuple | None], ...]:
    return tuple((s, SHAPES.get(s)) for s in slots(cls))


GONE = frozenset({"written_off", "closed"})
"""States in which a parcel has left the programme (no longer live for the rules over many parcels)."""


class ParcelSummary:
    """What rules across parcels read of one parcel, kept for every parcel while the audit runs."""

    __slots__ = ("code", "attrs", "registered", "plan", "acceptance", "write_offs", "batches", "state", "late",
                 "registered_at", "unattributable", "footprint")

    def __init__(self, code: str):
        # interned, as batches intern their members' codes: one string per parcel however many batches name it
        self.code, self.attrs, self.state = name(code), {}, "new"
        self.registered = self.plan = self.acceptance = self.registered_at = self.footprint = None
        self.write_offs = self.batches = self.late = self.unattributable = ()

    @property
    def key(self) -> str:
        """Every dossier answers to `key`; the rules call a parcel's its code."""
        return self.code

    def __getstate__(self):
        """A plain tuple in slot order (base class first), its records as plain tuples: the state file keeps
        100,000 of these."""
        designs: dict = {}
        return tuple([_flatten(shape, getattr(self, slot), designs) for slot, shape in shapes(type(self))])

    def __setstate__(self, values):
        designs: dict = {}
        for (slot, shape), value in zip(shapes(type(self)), values):
            setattr(self, slot, _unflatten(shape, value, designs))


class ParcelDossier(ParcelSummary):
    """Everything the per-parcel rules read: records of its events, nothing more."""

    __slots__ = ("design", "reviews", "approval", "contract", "service_contracts", "started", "completed", "changes",
                 "moves", "elevation", "failures", "rectifications", "appraisals", "disclosures", "sales", "deposits",
                 "allocations", "payments", "progress", "patrols", "steward", "handover", "inspections", "damages",
                 "outlines", "corrections")

    def __init__(self, code: str):
        super().__init__(code)
        self.design = self.approval = self.contract = self.started = self.completed = None
        self.steward = self.handover = None
        self.reviews = self.service_contracts = self.changes = self.moves = self.failures = self.rectifications = ()
        self.appraisals = self.disclosures = self.sales = self.deposits = self.allocations = self.payments = ()
        self.progress = self.patrols = self.inspections = self.damages = self.corrections = ()
        self.elevation = {}
        self.outlines = {}  # "design", "as_built", "measured" → Outline (R26, R27)

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
        kept.attrs = KeptAttrs(self.attrs)
        kept.state = name(self.state)  # one string per state name, not one per parcel (6 MB at 100,000 parcels)
        if self.state in GONE:
            kept.footprint = None  # a written-off parcel overlaps nobody in R25: its boundary need not be kept
        a = self.acceptance
        if a:
            kept.acceptance = Acceptance(a.v, a.on, shared(a.group), (), a.measured_ha, None, ())
        return kept


def _register(d, v, on, data, dest):
    d.registered = Step(v, on)
    d.attrs = {k: typed(data.get(k)) for k in ATTRS}
    for k in ("category", "subclass", "direction", "township"):
        d.attrs[k] = name(d.attrs[k])
    if data.get("boundary"):
        d.footprint = Outline(v, on, data["boundary"])


def _outline(d, kind, v, on, text):
    if text:
        d.outlines = {**d.outlines, kind: Outline(v, on, text)}


def _plan(d, v, on, data, dest):
    d.plan = Plan(v, on, data["year"], name(data["mode"]), name(data["programme"]), name(data.get("sponsor")))


def _commission_survey(d, v, on, data, dest):
    if "contract_amount" in data:
        d.service_contracts += (ServiceContract(v, on, "survey", typed(data["contract_amount"]), name(data.get("method"))),)


def _submit_design(d, v, on, data, dest):
    d.design = Design(v, on, typed(data["design_date"]), typed(data["boundary_area_ha"]),
                      typed(data.get("quantities") or {}), typed((data.get("earth_balance") or {}).get("surplus")),
                      names(data["authors"]))
    _outline(d, "design", v, on, data.get("design_boundary"))
    if "contract_amount" in data:
        d.service_contracts += (ServiceContract(v, on, "design", typed(data["contract_amount"]), name(data.get("method"))),)


def _review(d, v, on, data, dest):
    d.reviews += (Review(v, on, names(data["experts"]), d.design),)


def _approve_design(d, v, on, data, dest):
    _review(d, v, on, data, dest)
    d.approval = Step(v, on)


def _award_contract(d, v, on, data, dest):
    d.contract = Contract(v, on, typed(data["contract_amount"]), name(data["method"]), name(data["contractor"]),
                          name(data["supervisor"]))


def _start_construction(d, v, on, data, dest):
    d.started = Step(v, on)


def _complete_works(d, v, on, data, dest):
    d.completed = Completion(v, on, typed(data["as_built_area_ha"]), typed(data.get("quantities") or {}))
    _outline(d, "as_built", v, on, data.get("as_built_boundary"))


def _approve_design_change(d, v, on, data, dest):
    d.changes += (Change(v, on, typed(data.get("boundary_area_ha")), typed(data.get("quantities") or {})),)
    _outline(d, "design", v, on, data.get("design_boundary"))


def _move_material(d, v, on, data, dest):
    d.moves += (Move(v, on, typed(data["volume_m3"]), name(data["destination"])),)


def _survey_elevation(d, v, on, data, dest):
    for key in ("pre_min_m", "post_min_m"):
        if key in data:
            d.elevation = {**d.elevation, key: Elevation(v, on, typed(data[key]))}


def _accept(d, v, on, data, dest):
    d.acceptance = Acceptance(v, on, tuple((name(m["name"]), name(m["unit"])) for m in data["group"]),
                              names(data["experts"]), typed(data.get("measured_area_ha")), data.get("sign_in_sheet"),
                              tuple(data.get("photos") or ()))
    _outline(d, "measured", v, on, data.get("measured_boundary"))


def _fail_acceptance(d, v, on, data, dest):
    d.failures += (Failure(v, on, typed(data["deadline"])),)


def _complete_rectification(d, v, on, data, dest):
    d.rectifications += (Step(v, on),)


def _appraise_surplus(d, v, on, data, dest):
    d.appraisals += (Appraisal(v, on, name(data["material"]), typed(data["unit_price"])),)


def _publish_disclosure(d, v, on, data, dest):
    d.disclosures += (Step(v, on),)


def _sell_surplus(d, v, on, data, dest):
    d.sales += (Sale(v, on, typed(data["volume_m3"]), name(data["material"]), typed(data["unit_price"]),
                     name(data["seller"]), data.get("platform_ref")),)


def _deposit_revenue(d, v, on, data, dest):
    d.deposits += (Deposit(v, on, typed(data["amount"]), name(data["account"])),)


def _allocate_funds(d, v, on, data, dest):
    d.allocations += (Allocation(v, on, typed(data["amount"]), name(data["source"]), name(data.get("line"))),)


def _make_payment(d, v, on, data, dest):
    d.payments += (Payment(v, on, typed(data["amount"]), name(data["account"])),)


def _certify_progress(d, v, on, data, dest):
    d.progress += (Progress(v, on, typed(data["percent"])),)


def _log_patrol(d, v, on, data, dest):
    d.patrols += (Step(v, on),)


def _designate_steward(d, v, on, data, dest):
    d.steward = Steward(v, on, name(data["steward"]), name(data["kind"]))


def _hand_over(d, v, on, data, dest):
    d.handover = Step(v, on)


def _log_stewardship_inspection(d, v, on, data, dest):
    d.inspections += (Inspection(v, on, typed(data.get("survival_rate"))),)


def _report_damage(d, v, on, data, dest):
    d.damages += (Damage(v, on, data.get("damage") or f"D{len(d.damages) + 1}", None, None),)


def _resolve_damage(d, v, on, data, dest):
    open_ = [i for i, x in enumerate(d.damages) if x.resolved_v is None]
    match = [i for i in open_ if d.damages[i].damage == data.get("damage")] or open_[:1]
    if match:
        i = match[0]
        d.damages = d.damages[:i] + (d.damages[i]._replace(resolved_v=v, resolved_on=on),) + d.damages[i + 1:]


def _add_to_batch(d, v, on, data, dest):
    d.batches += (Membership(v, on, name(data["batch"])),)


def _confirm_write_off(d, v, on, data, dest):
    if dest == "written_off":
        d.write_offs += (Membership(v, on, name(data["batch"])),)


def _correct(d, v, on, data, dest):
    """The corrected values are already in the events they correct (the audit reads them patched)."""
    d.corrections += (Correction(v, on, data["corrects"], name(data["event"]), names(data["fields"])),)


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
    "correct": _correct,
}


class BatchDossier:
    __slots__ = ("key", "state", "members", "submitted", "ever", "late", "unattributable")

    def __init__(self, key: str):
        self.key, self.state, self.members, self.submitted, self.ever, self.late = key, "new", {}, [], set(), ()
        self.unattributable = ()

    def observe(self, event: str, v: int, on: date, data: dict, dest: str | None) -> None:
        self.state = name(dest) or self.state
        if event == "add_to_batch":
            code = name(data["parcel"])
            self.members[code] = Step(v, on)
            self.ever.add(code)
        elif event == "remove_from_batch":
            self.members.pop(data["parcel"], None)
        elif event == "submit_batch":
            self.submitted.append(Submission(v, on, frozenset(self.members)))


class ProgrammeDossier:
    __slots__ = ("key", "created", "target", "years", "late", "unattributable")

    def __init__(self, key: str):
        self.key, self.created, self.target, self.years, self.late = key, None, None, {}, ()
        self.unattributable = ()

    def observe(self, event: str, v: int, on: date, data: dict, dest: str | None) -> None:
        if event == "create_programme":
            self.created = Step(v, on)
            self.target = typed(data["target_ha"])
            self.years = {int(y): typed(row["area_ha"]) for y, row in data["years"].items()}


class TaskForceDossier:
    __slots__ = ("key", "terms", "late", "unattributable")

    def __init__(self, key: str):
        self.key, self.terms, self.late, self.unattributable = key, [], (), ()

    def observe(self, event: str, v: int, on: date, data: dict, dest: str | None) -> None:
        if event == "appoint_member":
            self.terms.append(Term(name(data["person"]), name(data["unit"]), on, None))
        elif event == "remove_member":
            for i, term in enumerate(self.terms):
                if term.person == data["person"] and term.until is None:
                    self.terms[i] = term._replace(until=on)


class PersonDossier:
    """A registered person as the registry stands: unit, roles since when, keys since when, revocation."""

    __slots__ = ("key", "unit", "roles", "keys", "revoked_on", "late", "unattributable")

    def __init__(self, key: str):
        self.key, self.unit, self.roles, self.keys, self.revoked_on = key, None, {}, {}, None
        self.late = self.unattributable = ()

    def observe(self, event: str, v: int, on: date, data: dict, dest: str | None) -> None:
        if event == "add_person":
            on = typed(data["since"]) if "since" in data else on  # the first administrator: the whole record
            self.unit = data["unit"]
            self.roles = {role: on for role in data["roles"]}
        if event in ("add_person", "add_key"):
            self.keys[data["public_key"]["fingerprint"]] = {**data["public_key"], "valid_from": on}
        elif event == "grant_role":
            for role in data["roles"]:
                self.roles.setdefault(role, on)
        elif event == "revoke_person":
            self.revoked_on = on

    def holds(self, role: str, on: date) -> bool:
        since = self.roles.get(role)
        return since is not None and since <= on and (self.revoked_on is None or on < self.revoked_on)


class WitnessingDossier:
    """The witnesses' cosignatures recorded for the log: no compliance rule reads them (`verify` checks them);
    the audit reads them like every event, for lateness and signatures."""

    __slots__ = ("key", "late", "unattributable")

    def __init__(self, key: str):
        self.key, self.late, self.unattributable = key, (), ()

    def observe(self, event: str, v: int, on: date, data: dict, dest: str | None) -> None:
        pass


DOSSIERS = {"person": PersonDossier, "parcel": ParcelDossier, "batch": BatchDossier, "programme": ProgrammeDossier,
            "taskforce": TaskForceDossier, "witnessing": WitnessingDossier}
