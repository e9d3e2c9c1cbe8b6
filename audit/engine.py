"""The compliance audit: one pass over the log, one aggregate at a time, rules as each closes.

The log is read in aggregate order, so a parcel's full dossier is built, checked by every
rule that reads only that parcel, and dropped; what is kept is its `ParcelSummary`. When
the pass ends, the rules that look across subjects (a parcel in two batches, a programme's
accepted area, key areas first in a township, the task force on a date) run over the
summaries through an `Index`. Memory therefore grows with the number of subjects, by a few
hundred bytes each, and not with the number of events. `audit.kept` keeps the same
state between runs so that a re-audit reads only the new events.
"""

from __future__ import annotations

import gc
from collections import Counter
from contextlib import contextmanager
from datetime import date, datetime
from typing import Iterable, Iterator

from audit.overlaps import Overlaps, footprint_of
from events import logreader
from events.clock import BUSINESS_TZ
from events.ids import KINDS
from events.logreader import day
from policies.catalogue import Config, load_config
from policies.dossiers import (
    DOSSIERS,
    Late,
    ParcelSummary,
    Registration,
    Unattributable,
    name,
)
from policies.identity import signer_problem, validity, who_signs
from policies.registry import RULES, Finding, Rule
from policies.rules.programme import accepted_area_of, plain_year_of
from policies.texts import FINDINGS
from workflow.corrections import CORRECT, patched_states
from workflow.person import EVENTS as PERSON_EVENTS

CONTEXT = ("register", "plan")
"""What an audit of one parcel still reads of the others: rules compare registrations and plans across parcels."""


@contextmanager
def acyclic():
    """The cycle collector off while the log is folded: decoded states, records and slotted dossiers make no
    cycles, yet each full collection walks every summary kept so far (2.3 s of a 100,000-parcel audit). What
    earlier work left for the collector is collected first, or it would stay for the whole pass. Inside another `acyclic` (a fold in shares) it does nothing: a collection
    per share would walk every summary again."""
    if not gc.isenabled():
        yield
        return
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def kind_of(topic: str) -> str:
    """'workflow.parcel:Parcel.Opened' -> 'parcel'."""
    return KINDS[topic[topic.index(":") + 1:topic.rindex(".")]]


_VALUES: dict[str, tuple] = {}
SHARED_VALUES = 65_536
"""Distinct findings' values given one shared tuple each (a quarter of the finding-heavy store's findings have
values of their own; the rest repeat them, sums computed by the rules included)."""


def _shared(values: Iterable) -> tuple:
    """One tuple per findings' values as written out (the key is their repr, so Decimal('1.0') and
    Decimal('1.00'), 1 and True stay apart), their texts one string each."""
    values = tuple(values)
    key = repr(values)
    found = _VALUES.get(key)
    if found is None:
        found = tuple([name(v) for v in values])
        if len(_VALUES) < SHARED_VALUES:
            _VALUES[key] = found
    return found


class Index:
    """What rules across subjects look up, built from every summary once the pass is over."""

    def __init__(self, config: Config):
        self.r20 = config["R20"]
        self.first: dict[str, Registration] = {}
        self.batches: dict = {}
        self.joined: dict[str, str | tuple] = {}  # a batch key, or a tuple of them for a parcel in several
        self.totals: Counter = Counter()
        self.towns: dict[str, Counter] = {}
        self.taskforces: dict = {}
        self.overlaps = Overlaps({})

    def add_parcel(self, s: ParcelSummary, sign: int = 1) -> None:
        """Add (or with sign -1 take back) a parcel's share of the programme totals and township plans."""
        share = accepted_area_of(s)
        if share:
            self.totals[(share.programme, share.year)] += sign * share.area_ha
        plain = plain_year_of(s, self.r20)
        if plain:
            self.towns.setdefault(plain.township, Counter())[plain.year] += sign

    def add_batch(self, b) -> None:
        self.batches[b.key] = b
        joined = self.joined
        for code in b.ever:  # most parcels join one batch: its key, not a list (9 MB at 100,000 parcels)
            before = joined.get(code)
            joined[code] = b.key if before is None else (*((before,) if type(before) is str else before), b.key)

    # --- what rules call ------------------------------------------------------

    def batches_of(self, code: str) -> list:
        """Every batch the parcel was ever a member of, by batch key."""
        keys = self.joined.get(code, ())
        return [self.batches[key] for key in sorted({keys} if type(keys) is str else set(keys))]

    def first_registration(self, verification_id: str) -> Registration | None:
        """The parcel that registered this verification id first, if more than one parcel did."""
        return self.first.get(verification_id)

    def accepted_area(self, programme: str, year: int):
        return self.totals[(programme, year)]

    def earliest_plain_year(self, town: str) -> int | None:
        years = [y for y, n in self.towns.get(town, {}).items() if n > 0]
        return min(years) if years else None

    def overlaps_of(self, code: str) -> list[tuple]:
        """The live parcels whose registered boundaries overlap this one's (R25)."""
        return self.overlaps.of(code)

    def members_on(self, on: date) -> set[str] | None:
        """Names on any task force on a date, or None when no task force was ever recorded."""
        if not self.taskforces:
            return None
        return {t.person for tf in self.taskforces.values() for t in tf.terms
                if t.since <= on and (t.until is None or t.until > on)}


class Context:
    """What a rule sees besides its subject: the date, its thresholds, and (across subjects) the index."""

    def __init__(self, as_of: date, settings: dict, index: Index | None = None):
        self.as_of, self.settings, self.index = as_of, settings, index

    def __getattr__(self, lookup: str):
        if self.index is None:
            raise AttributeError(f"{lookup}: only rules declared with others= may look across subjects")
        return getattr(self.index, lookup)


class Checks:
    """Every chosen rule with its context and emitter; findings go to `found`, which callers may swap."""

    def __init__(self, as_of: date, config: Config, rules: Iterable[str] | None):
        self.as_of, self.config = as_of, config
        self.found: list[Finding] = []
        # where the emitters put a check's findings, held apart from the checks: an emitter holding the checks made
        # a cycle, which kept the index and every summary alive after the audit until a full collection walked them
        # all (11 s of CPU while a 100,000-parcel audit's CSV was written)
        self._into: list[list | None] = [None]
        self.rules: list[Rule] = [RULES[r] for r in (rules or sorted(RULES))]
        self.index: Index | None = None
        self.local = {kind: self._of(kind, False) for kind in DOSSIERS}
        self.across = {kind: self._of(kind, True) for kind in DOSSIERS}

    def _of(self, kind: str, across: bool) -> list:
        return [(r, Context(self.as_of, self.config[r.id]), self._emitter(r)) for r in self.rules
                if r.subject_kind in (kind, "any") and bool(r.others) == across]

    def _emitter(self, rule: Rule):
        severity, into = self.config.severities[rule.id], self._into

        def emit(subject: str, on: date | None, key: str, evidence: Iterable[tuple] = (), values: tuple = (),
                 severity_override: str | None = None) -> None:
            if key not in FINDINGS:
                raise KeyError(f"{rule.id}: no message {key} in workflow.vocabulary.FINDINGS")
            # names and texts one string object each, however many findings repeat them (the finding-heavy
            # 100,000-parcel audit: 12 MB less); a finding keeps its own parcel's evidence as versions alone
            subject = name(subject)
            into[0].append(Finding(rule.id, severity_override or severity, subject, key, _shared(values),
                                   [(name(kind), subject if code == subject else name(code), version)
                                    for kind, code, version in evidence], on))

        return emit

    def use(self, index: Index) -> None:
        self.index = index
        for checks in self.across.values():
            for _rule, ctx, _emit in checks:
                ctx.index = index

    def check(self, kind: str, subject, across: bool) -> list[Finding]:
        """Run the rules of one phase over one subject; its findings are added to `found` and returned."""
        new = self._into[0] = []
        for rule, ctx, emit in (self.across if across else self.local)[kind]:
            rule.check(subject, ctx, emit)
        self._into[0] = None
        self.found.extend(new)
        return new


class Audit:
    """Fold the log into dossiers one aggregate at a time; check each as it closes; then across subjects."""

    def __init__(self, as_of: date, config: Config | None = None, rules: Iterable[str] | None = None,
                 focus: str | None = None, keeper=None):
        """`keeper` (audit.kept.StateWriter) is told of every event read and every subject's findings."""
        self.keeper = keeper
        self.config = config or load_config()
        self.as_of, self.focus, self.chosen = as_of, focus, list(rules) if rules else None
        self.checks = Checks(as_of, self.config, self.chosen)
        self.late_days = self.config["R18"]["late_days"]
        self.parcels: dict[str, ParcelSummary] = {}
        self.subjects: dict[str, dict] = {kind: {} for kind in DOSSIERS if kind != "parcel"}
        self.events = self.migrated = 0
        self.signed, self.genesis, self.people, self.windows = False, None, {}, {}

    def know_people(self, log, upto: int | None = None) -> None:
        """A signed store's registry, read before the pass so each event's signer is judged as it is read (R24);
        `upto`: as the log stood at that notification id (a share read in another snapshot)."""
        self.signed = log.info("signing") == "required"
        self.genesis = log.info("genesis")
        if self.signed:
            for oid, version, nid, topic, raw in log.events_of(PERSON_EVENTS, upto):
                state = logreader.loads(raw)
                person = self.people.get(oid) or self.people.setdefault(oid, DOSSIERS["person"](state.get("key")))
                person.observe(state.get("trigger") or state["fact"], version, day(state["on"]["_data_"]),
                               state["data"], state.get("dest"))
            self.people = {p.key: p for p in self.people.values()}

    def attribute(self, kind: str, dossier, version: int, on: date, state: dict) -> None:
        """Note an event whose signature leads to nobody who could give it then (R24)."""
        block = state.get("signature")
        if block is None:
            if not (kind == "person" and version == 1 and dossier.key == self.genesis):
                dossier.unattributable += (Unattributable(kind, dossier.key, version, on, "the event is not signed",
                                                          "记录未签名"),)
            return
        if "via" in block:  # caused by a signed batch command; `verify` checks the link
            return
        migrated = state["migrated"]
        recorded = (datetime.fromisoformat(state["timestamp"]["_data_"]).astimezone(BUSINESS_TZ).date()
                    if migrated else on)
        name, roles, when = who_signs(state["actor"], state["role"], on, migrated, block.get("signer"), recorded)
        window = (name, block.get("key"), roles)
        valid = self.windows.get(window)
        if valid is None:
            valid = self.windows[window] = validity(self.people.get(name), block.get("key"), roles)
        if not valid[0] <= when < valid[1]:
            why = signer_problem(self.people.get(name), block.get("key", ""), roles, when) or (
                "the signer could not sign then", "签名人当时无权签署")
            dossier.unattributable += (Unattributable(kind, dossier.key, version, on, *why),)

    def read(self, rows: Iterator[tuple], tick=None) -> None:
        """Rows (originator_id, version, notification_id, topic, state JSON) in aggregate order."""
        with acyclic():
            self._read(rows, tick)

    def _read(self, rows: Iterator[tuple], tick=None) -> None:
        loads, observe, keeper = logreader.loads, self.observe, self.keeper
        current = dossier = kind = None
        events: list[tuple] = []  # the aggregate's events so far, folded again if a correction comes
        corrected = False
        for oid, version, nid, topic, raw in rows:
            if tick:
                tick()
            state = loads(raw)
            if oid != current:
                if dossier is not None:
                    self.close(kind, self.refold(kind, dossier, events) if corrected else dossier, current)
                current, kind, events, corrected = oid, kind_of(topic), [], False
                dossier = DOSSIERS[kind](state.get("key") or oid)
            events.append((version, nid, state))
            corrected = corrected or state.get("fact") == CORRECT
            counted = observe(kind, dossier, version, nid, state)
            if keeper is not None:
                keeper.observed(nid, counted)
        if dossier is not None:
            self.close(kind, self.refold(kind, dossier, events) if corrected else dossier, current)

    def refold(self, kind: str, dossier, events: list[tuple]):
        """A parcel with corrections, folded again from its first event with the corrected values (the
        events were counted as they were read)."""
        if kind != "parcel":
            return dossier
        fresh = DOSSIERS[kind](dossier.key)
        for version, nid, state in patched_states(events):
            self.observe(kind, fresh, version, nid, state, count=False)
        return fresh

    def observe(self, kind: str, dossier, version: int, nid: int, state: dict, count: bool = True) -> bool:
        """Fold one decoded event into its dossier; False when the audit does not count it (after the as-of date,
        or another parcel's event that an audit of one parcel does not need). `count`: False when folding again
        an event already counted (a re-audit replaying a corrected parcel)."""
        on = day(state["on"]["_data_"])
        if on > self.as_of:
            return False
        event = state.get("trigger") or state["fact"]
        if self.focus is not None and kind == "parcel" and dossier.code != self.focus and event not in CONTEXT:
            return False
        if count:
            self.events += 1
        if state["migrated"]:
            self.migrated += count
        else:
            late = (datetime.fromisoformat(state["timestamp"]["_data_"]).astimezone(BUSINESS_TZ).date() - on).days
            if late > self.late_days:
                dossier.late += (Late(kind, dossier.key, version, on, late),)
        if self.signed:
            self.attribute(kind, dossier, version, on, state)
        dossier.observe(event, version, on, state["data"], state.get("dest"))
        if event == "register" and kind == "parcel":
            dossier.registered_at = nid
        return True

    def close(self, kind: str, dossier, oid: str | None = None) -> None:
        """The aggregate's events are all read: run the rules that read only it, keep what others need."""
        key = dossier.key
        if kind != "parcel" or self.focus is None or key == self.focus:
            self.checked(kind, key, False, self.checks.check(kind, dossier, across=False), dossier, oid)
        if kind == "parcel":
            self.parcels[key] = dossier.summary()
        else:
            self.subjects[kind][key] = dossier

    def checked(self, kind: str, key: str, across: bool, found: list[Finding], dossier=None, oid=None) -> None:
        """Each subject's findings of each phase, for the keeper of a state file to keep."""
        if self.keeper is not None:
            self.keeper.checked(kind, key, across, found, dossier, oid)

    def index(self) -> Index:
        index = Index(self.config)
        for s in self.parcels.values():
            index.add_parcel(s)
        index.first = self.first_registrations(repeated_only=True)
        for b in self.subjects["batch"].values():
            index.add_batch(b)
        index.taskforces = self.subjects["taskforce"]
        index.overlaps = Overlaps(self.footprints())
        return index

    def footprints(self) -> dict:
        """code → (version, date, boundary text) of every live parcel registered with a boundary."""
        return {code: f for code, f in ((c, footprint_of(s)) for c, s in self.parcels.items()) if f is not None}

    def first_registrations(self, repeated_only: bool = False) -> dict[str, Registration]:
        """verification id -> the parcel that registered it first in log order; with `repeated_only`, just the
        ids registered more than once (all R05 needs, a fraction of the memory)."""

        def registered():
            for s in self.parcels.values():
                vid = s.attrs.get("verification_id")
                if vid and s.registered:
                    yield s.registered_at or 0, vid, s.code, s.registered.v

        repeated = None
        if repeated_only:  # adjacent in sorted order, rather than a count of every id (4 MB at 100,000 parcels)
            ids = sorted(vid for _, vid, _, _ in registered())
            repeated = {a for a, b in zip(ids, ids[1:]) if a == b}
            del ids
        first: dict[str, Registration] = {}
        for _nid, vid, code, v in sorted((nid, vid, code, v) for nid, vid, code, v in registered()
                                         if repeated is None or vid in repeated):
            first.setdefault(vid, Registration(code, v))
        return first

    def findings(self) -> list[Finding]:
        self.checks.use(self.index())
        for b in self.subjects["batch"].values():  # members written into a batch by other means than the ledger
            for code in b.members:
                self.parcels.setdefault(code, ParcelSummary(code))
        for code, s in self.parcels.items():
            if self.focus is None or code == self.focus:
                self.checked("parcel", code, True, self.checks.check("parcel", s, across=True))
        for kind, subjects in self.subjects.items():
            for key, dossier in subjects.items():
                self.checked(kind, key, True, self.checks.check(kind, dossier, across=True))
        found = self.checks.found
        if self.focus is not None:
            found = [f for f in found if f.subject == self.focus]
        return by_sort_key(found)

    def summary(self, findings: list[Finding]) -> dict:
        return {**counted(findings), "events_read": self.events, "migrated_events": self.migrated}


def by_sort_key(found: list[Finding]) -> list[Finding]:
    """Findings in `Finding.sort_key` order, sorted in place by one part at a time (stable sorts, last part first)
    so that no key tuple is made per finding (5 MB at 70,000 findings), and their evidence only where it decides."""
    found.sort(key=lambda f: f.on or date.min)
    found.sort(key=lambda f: f.rule)
    found.sort(key=lambda f: f.subject)
    start, size = 0, len(found)
    while start < size:  # the evidence, last in the key, decides only among findings alike in the rest
        first, end = found[start], start + 1
        while end < size and found[end].subject == first.subject and found[end].rule == first.rule \
                and (found[end].on or date.min) == (first.on or date.min):
            end += 1
        if end - start > 1:
            found[start:end] = sorted(found[start:end], key=lambda f: f.evidence)
        start = end
    return found


def counted(findings: list[Finding]) -> dict:
    """The summary's counts of a list of findings."""
    by_severity = Counter(f.severity for f in findings)
    return {"findings": len(findings), "by_severity": {s: by_severity.get(s, 0) for s in ("high", "medium", "low")},
            "by_rule": dict(sorted(Counter(f.rule for f in findings).items())), "subjects": len({f.subject for f in findings})}

