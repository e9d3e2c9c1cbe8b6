"""The compliance audit: one streaming pass over the global log, small dossiers per subject, rules at the end.

The log is read once in order. Each event updates the dossier of its subject (only the
fields the rules read, as tuples), so memory grows with the number of subjects and not
with the number of events. Then every rule of policies/ runs over every dossier.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Iterator

from events import logreader
from policies.rules import RULES, Config, Finding, load_config
from workflow.vocabulary import FINDINGS

CST = timezone(timedelta(hours=8))


class ParcelDossier:
    """What the rules need to know about one parcel: (version, on, …) tuples, nothing more."""

    __slots__ = (
        "code", "attrs", "registered", "plan", "design", "reviews", "approval", "contract", "service_contracts",
        "started", "completed", "changes", "moves", "elevation", "acceptance", "failures", "rectifications",
        "appraisals", "disclosures", "sales", "deposits", "allocations", "payments", "progress", "patrols",
        "steward", "handover", "inspections", "damages", "joins", "write_offs", "state",
    )

    def __init__(self, code: str):
        self.code = code
        self.attrs: dict = {}
        self.registered = self.plan = self.design = self.approval = self.contract = None
        self.started = self.completed = self.acceptance = self.steward = self.handover = None
        self.state = "new"
        self.reviews, self.service_contracts, self.changes, self.moves = [], [], [], []
        self.elevation: dict = {}
        self.failures, self.rectifications, self.appraisals, self.disclosures = [], [], [], []
        self.sales, self.deposits, self.allocations, self.payments, self.progress = [], [], [], [], []
        self.patrols, self.inspections, self.damages, self.joins, self.write_offs = [], [], [], [], []

    def observe(self, name: str, v: int, on: date, data: dict, dest: str | None) -> None:
        if dest:
            self.state = dest
        if name == "register":
            self.registered = (v, on)
            self.attrs = {k: data.get(k) for k in (
                "category", "subclass", "direction", "area_ha", "verified_area_ha", "verification_id", "township",
                "near_road", "near_settlement", "pit_depth_m")}
        elif name == "plan":
            self.plan = (v, on, data["year"], data["mode"], data["programme"], data.get("sponsor"))
        elif name == "commission_survey" and "contract_amount" in data:
            self.service_contracts.append((v, on, "survey", data["contract_amount"], data.get("method")))
        elif name == "submit_design":
            self.design = (v, on, data["design_date"], data["boundary_area_ha"], data.get("quantities") or {},
                           (data.get("earth_balance") or {}).get("surplus"), tuple(data["authors"]))
            if "contract_amount" in data:
                self.service_contracts.append((v, on, "design", data["contract_amount"], data.get("method")))
        elif name in ("approve_design", "reject_design"):
            self.reviews.append((v, on, tuple(data["experts"]), self.design))
            if name == "approve_design":
                self.approval = (v, on)
        elif name == "award_contract":
            self.contract = (v, on, data["contract_amount"], data["method"], data["contractor"], data["supervisor"])
        elif name == "start_construction":
            self.started = (v, on)
        elif name == "complete_works":
            self.completed = (v, on, data["as_built_area_ha"], data.get("quantities") or {})
        elif name == "approve_design_change":
            self.changes.append((v, on, data.get("boundary_area_ha"), data.get("quantities") or {}))
        elif name == "move_material":
            self.moves.append((v, on, data["volume_m3"], data["destination"]))
        elif name == "survey_elevation":
            for key in ("pre_min_m", "post_min_m"):
                if key in data:
                    self.elevation[key] = (v, on, data[key])
        elif name == "accept":
            self.acceptance = (v, on, tuple((m["name"], m["unit"]) for m in data["group"]), tuple(data["experts"]),
                               data.get("measured_area_ha"), data.get("sign_in_sheet"), tuple(data.get("photos") or ()))
        elif name == "fail_acceptance":
            self.failures.append((v, on, data["deadline"]))
        elif name == "complete_rectification":
            self.rectifications.append((v, on))
        elif name == "appraise_surplus":
            self.appraisals.append((v, on, data["material"], data["unit_price"]))
        elif name == "publish_disclosure":
            self.disclosures.append((v, on))
        elif name == "sell_surplus":
            self.sales.append((v, on, data["volume_m3"], data["material"], data["unit_price"], data["seller"],
                               data.get("platform_ref")))
        elif name == "deposit_revenue":
            self.deposits.append((v, on, data["amount"], data["account"]))
        elif name == "allocate_funds":
            self.allocations.append((v, on, data["amount"], data["source"], data.get("line")))
        elif name == "make_payment":
            self.payments.append((v, on, data["amount"], data["account"]))
        elif name == "certify_progress":
            self.progress.append((v, on, data["percent"]))
        elif name == "log_patrol":
            self.patrols.append((v, on))
        elif name == "designate_steward":
            self.steward = (v, on, data["steward"], data["kind"])
        elif name == "hand_over":
            self.handover = (v, on)
        elif name == "log_stewardship_inspection":
            self.inspections.append((v, on, data.get("survival_rate")))
        elif name == "report_damage":
            self.damages.append([v, on, data.get("damage") or f"D{len(self.damages) + 1}", None, None])
        elif name == "resolve_damage":
            open_ = [d for d in self.damages if d[3] is None]
            match = [d for d in open_ if d[2] == data.get("damage")] or open_[:1]
            if match:
                match[0][3], match[0][4] = v, on
        elif name == "add_to_batch":
            self.joins.append((v, on, data["batch"]))
        elif name == "confirm_write_off" and dest == "written_off":
            self.write_offs.append((v, on, data["batch"]))


class BatchDossier:
    __slots__ = ("key", "state", "members", "submitted", "history")

    def __init__(self, key: str):
        self.key, self.state, self.members, self.submitted = key, "new", {}, []
        self.history: list = []

    def observe(self, name: str, v: int, on: date, data: dict, dest: str | None) -> None:
        self.state = dest or self.state
        if name == "add_to_batch":
            self.members[data["parcel"]] = (v, on)
        elif name == "remove_from_batch":
            self.members.pop(data["parcel"], None)
        elif name == "submit_batch":
            self.submitted.append((v, on, tuple(self.members)))


class ProgrammeDossier:
    __slots__ = ("key", "created", "target", "years")

    def __init__(self, key: str):
        self.key, self.created, self.target, self.years = key, None, None, {}

    def observe(self, name: str, v: int, on: date, data: dict, dest: str | None) -> None:
        if name == "create_programme":
            self.created = (v, on)
            self.target = data["target_ha"]
            self.years = {int(y): row["area_ha"] for y, row in data["years"].items()}


class TaskForceDossier:
    __slots__ = ("key", "terms")

    def __init__(self, key: str):
        self.key, self.terms = key, []

    def observe(self, name: str, v: int, on: date, data: dict, dest: str | None) -> None:
        if name == "appoint_member":
            self.terms.append([data["person"], data["unit"], on, None])
        elif name == "remove_member":
            for term in self.terms:
                if term[0] == data["person"] and term[3] is None:
                    term[3] = on


DOSSIERS = {"parcel": ParcelDossier, "batch": BatchDossier, "programme": ProgrammeDossier,
            "taskforce": TaskForceDossier}


@dataclass
class Context:
    """What a rule sees besides its dossier: the date, its thresholds, and the few cross-subject facts."""

    as_of: date
    config: Config
    audit: "Audit"
    settings: dict = field(default_factory=dict)

    def members_on(self, day: date) -> set[str] | None:
        """Names on any task force on a date, or None when no task force was ever recorded."""
        if not self.audit.taskforces:
            return None
        return {t[0] for tf in self.audit.taskforces.values() for t in tf.terms
                if t[2] <= day and (t[3] is None or t[3] > day)}

    def units(self) -> set[str]:
        return {t[1] for tf in self.audit.taskforces.values() for t in tf.terms}


@dataclass
class Event:
    """A stored event reduced to what the audit reads."""

    kind: str
    key: str
    name: str
    version: int
    on: date
    recorded_at: datetime
    migrated: bool
    data: dict
    dest: str | None


class Audit:
    """Fold events into dossiers; then run the rules. `observe` can continue after `findings`."""

    def __init__(self, as_of: date, config: Config | None = None, rules: Iterable[str] | None = None):
        self.config = config or load_config()
        self.as_of = as_of
        self.rules = [RULES[r] for r in (rules or sorted(RULES))]
        self.subjects: dict[str, dict] = {kind: {} for kind in DOSSIERS}
        self.late: list[tuple] = []
        self.verification: dict[str, tuple[str, int]] = {}
        self.duplicates: list[tuple] = []
        self.counts: Counter = Counter()

    @property
    def parcels(self) -> dict[str, ParcelDossier]:
        return self.subjects["parcel"]

    @property
    def taskforces(self) -> dict[str, TaskForceDossier]:
        return self.subjects["taskforce"]

    def observe(self, event: Event) -> None:
        if event.on > self.as_of:
            return
        self.counts["events"] += 1
        if event.migrated:
            self.counts["migrated"] += 1
        else:
            late = (event.recorded_at.astimezone(CST).date() - event.on).days
            if late > self.config["R18"]["late_days"]:
                self.late.append((event.kind, event.key, event.version, event.on, late))
        dossiers = self.subjects[event.kind]
        dossier = dossiers.get(event.key)
        if dossier is None:
            dossier = dossiers[event.key] = DOSSIERS[event.kind](event.key)
        dossier.observe(event.name, event.version, event.on, event.data, event.dest)
        if event.name == "register" and event.data.get("verification_id"):
            first = self.verification.setdefault(event.data["verification_id"], (event.key, event.version))
            if first[0] != event.key:
                self.duplicates.append((event.key, event.version, event.on, event.data["verification_id"], first))

    def findings(self) -> list[Finding]:
        found: list[Finding] = []
        for rule in self.rules:
            ctx = Context(self.as_of, self.config, self, self.config[rule.id])
            severity = self.config.severities[rule.id]

            def emit(subject: str, on: date | None, key: str, evidence: Iterable[tuple] = (), values: tuple = (),
                     severity_override: str | None = None, rule=rule, severity=severity) -> None:
                zh, en = (template.format(*values) for template in FINDINGS[key])
                found.append(Finding(rule.id, severity_override or severity, subject, zh, en, tuple(evidence), on))

            if rule.subject_kind == "store":
                rule.check(ctx, emit)
            else:
                for dossier in self.subjects[rule.subject_kind].values():
                    rule.check(dossier, ctx, emit)
        return sorted(found, key=lambda f: f.sort_key)

    def summary(self, findings: list[Finding]) -> dict:
        return {**counted(findings), "events_read": self.counts["events"], "migrated_events": self.counts["migrated"]}


def counted(findings: list[Finding]) -> dict:
    """The summary's counts of a list of findings."""
    by_severity = Counter(f.severity for f in findings)
    return {"findings": len(findings), "by_severity": {s: by_severity.get(s, 0) for s in ("high", "medium", "low")},
            "by_rule": dict(sorted(Counter(f.rule for f in findings).items())), "subjects": len({f.subject for f in findings})}


def events_of(ledger) -> Iterator[Event]:
    """The global log as audit events, in log order, decoded straight from the stored JSON."""
    keys: dict = {}
    for kind, oid, version, _cls, state in logreader.rows(ledger.raw):
        if "key" in state:
            keys[oid] = state["key"]
        yield Event(kind, keys[oid], state.get("trigger") or state["fact"], version, state["on"], state["timestamp"],
                    state["migrated"], state["data"], state.get("dest"))


CONTEXT = ("register", "plan")
"""What an audit of one parcel still reads of the others: rules compare registrations and plans across parcels."""


def run(ledger, as_of: date, config: Config | None = None, rules: Iterable[str] | None = None,
        subject: str | None = None, tick=None) -> tuple[list[Finding], dict]:
    audit = Audit(as_of, config, rules)
    for event in events_of(ledger):
        if tick:
            tick()
        if subject and event.kind == "parcel" and event.key != subject and event.name not in CONTEXT:
            continue
        audit.observe(event)
    findings = audit.findings()
    if subject:
        findings = [f for f in findings if f.subject == subject]
    return findings, audit.summary(findings)

