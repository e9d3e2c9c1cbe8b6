"""Re-audit: the audit's per-subject state kept in a file, so that the next run reads only new events.

A national store is audited again and again while counties keep recording. The state file
(SQLite, local even when the store is PostgreSQL) keeps every subject's dossier, its
findings of both phases, the cross-subject index (first registration of each verification
id, batch memberships, programme totals, township plans, the task forces) and the last
notification id read. A re-audit folds only the events recorded since into the dossiers
they touch and re-runs the rules for those subjects and for the ones whose cross-subject
facts moved. The result equals a full audit (tests/test_reaudit.py checks it with
hypothesis); when it could not (another store, other thresholds or rules, an earlier as-of
date, events dated after the last as-of date) the re-audit is a full audit that rewrites
the state. A later as-of date re-runs every rule over the kept state without reading the log:
time-based rules can change for any subject on any day.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sqlite3
from collections import Counter
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterable, NamedTuple

from audit.engine import Audit, Index, by_sort_key, kind_of
from audit.overlaps import Overlaps, footprint_of
from events import logreader
from events.chaincheck import check_appended
from events.errors import BadInput
from events.ids import aggregate_id
from policies.catalogue import Config, load_config
from policies.dossiers import DOSSIERS, ParcelSummary, Registration
from policies.registry import Finding
from policies.rules.programme import accepted_area_of
from workflow.corrections import CORRECT, patched_states
from workflow.person import EVENTS as PERSON_EVENTS

FORMAT = 7
SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB);
CREATE TABLE subject (oid TEXT PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, town TEXT, dossier BLOB NOT NULL);
CREATE INDEX subject_town ON subject (town);
CREATE TABLE finding (oid TEXT NOT NULL, across INTEGER NOT NULL, subject TEXT NOT NULL, rule TEXT NOT NULL,
                      severity TEXT NOT NULL, body BLOB NOT NULL);
CREATE INDEX finding_oid ON finding (oid, across);
CREATE INDEX finding_rule ON finding (rule, severity);
CREATE INDEX finding_subject ON finding (subject);
CREATE TABLE registration (verification_id TEXT PRIMARY KEY, code TEXT NOT NULL, version INTEGER NOT NULL);
CREATE TABLE joined (code TEXT NOT NULL, batch TEXT NOT NULL, PRIMARY KEY (code, batch));
CREATE TABLE footprint (code TEXT PRIMARY KEY, version INTEGER NOT NULL, day BLOB NOT NULL, boundary TEXT NOT NULL,
                        minx REAL, miny REAL, maxx REAL, maxy REAL);
CREATE INDEX footprint_box ON footprint (minx, maxx);
"""


def box_of(text: str):
    """The lon/lat bounding box of a recorded boundary, or None when it does not read."""
    from geometry import stored

    b = stored.read_or_none(text)
    return b.shape.bounds if b is not None else None


def _meets(a, b) -> bool:
    return bool(a) and a[0] <= b[2] and a[2] >= b[0] and a[1] <= b[3] and a[3] >= b[1]


def oid_of(kind: str, key: str) -> str:
    return aggregate_id(kind, key).hex


def fingerprint(config: Config, rules: Iterable[str] | None) -> str:
    """What the kept findings depend on besides the log: thresholds, severities and the chosen rules."""
    text = json.dumps([FORMAT, config.thresholds, config.severities, sorted(rules or [])], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _dump(value) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


TABLES = {"meta", "subject", "finding", "registration", "joined", "footprint"}
LOCK_TIMEOUT = 10.0
"""Seconds to wait for another audit that is writing the same state file."""


class StateError(BadInput):
    """A --state path that is not (and cannot become) an audit state file."""


class Kept:
    """The state file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT)
            tables = {name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            self.db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error as error:
            raise StateError(f"{path}: cannot open it as an audit state file ({error}); "
                             "allowed: a new file or one an earlier `audit --state` wrote") from None
        if not tables <= TABLES:
            self.db.close()
            raise StateError(f"{path}: holds other tables ({', '.join(sorted(tables - TABLES))}); "
                             "allowed: a new file or one an earlier `audit --state` wrote")

    def close(self) -> None:
        self.db.close()

    def meta(self) -> dict | None:
        try:
            rows = self.db.execute("SELECT name, value FROM meta").fetchall()
        except sqlite3.DatabaseError:
            return None
        try:
            return {name: pickle.loads(value) for name, value in rows} or None
        except (pickle.UnpicklingError, ImportError, AttributeError, EOFError, ValueError, TypeError):
            return None  # written by another release, whose classes lived elsewhere: audit in full and rewrite it

    def reset(self) -> None:
        """Start over, inside the caller's transaction: a full audit writes everything again."""
        for (table,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            self.db.execute(f"DROP TABLE {table}")
        for statement in SCHEMA.split(";"):
            if statement.strip():
                self.db.execute(statement)

    @contextmanager
    def locked(self):
        """One re-audit of this file at a time: what it reads, folds and writes is one transaction."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        self.db.commit()

    def dossier(self, oid: str):
        row = self.db.execute("SELECT dossier FROM subject WHERE oid = ?", (oid,)).fetchone()
        return pickle.loads(row[0]) if row else None

    def all_subjects(self):
        for oid, kind, blob in self.db.execute("SELECT oid, kind, dossier FROM subject"):
            yield oid, kind, pickle.loads(blob)

    def parcels_in(self, town: str) -> list[str]:
        return [key for (key,) in self.db.execute("SELECT key FROM subject WHERE town = ? AND kind = 'parcel'", (town,))]

    def parcel_codes(self) -> set[str]:
        codes = {key for (key,) in self.db.execute("SELECT key FROM subject WHERE kind = 'parcel'")}
        return codes | {code for (code,) in self.db.execute("SELECT code FROM joined")}

    def footprints_near(self, box) -> dict:
        """code → (version, date, boundary text) of the kept footprints whose boxes meet box (minx, miny, maxx, maxy)."""
        minx, miny, maxx, maxy = box
        rows = self.db.execute("SELECT code, version, day, boundary FROM footprint WHERE minx <= ? AND maxx >= ? "
                               "AND miny <= ? AND maxy >= ?", (maxx, minx, maxy, miny))
        return {code: (v, pickle.loads(day), text) for code, v, day, text in rows}

    def footprint(self, code: str):
        row = self.db.execute("SELECT version, day, boundary FROM footprint WHERE code = ?", (code,)).fetchone()
        return (row[0], pickle.loads(row[1]), row[2]) if row else None

    def save_footprints(self, changed: dict) -> None:
        """Replace the footprints of these parcels (None: it has none, or is no longer live), with their boxes."""
        self.db.executemany("DELETE FROM footprint WHERE code = ?", [(code,) for code in changed])
        rows = []
        for code, f in changed.items():
            box = f is not None and box_of(f[2])
            if box:
                rows.append((code, f[0], _dump(f[1]), f[2], *box))
        self.db.executemany("INSERT INTO footprint VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def save_subjects(self, rows: list[tuple]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO subject VALUES (?, ?, ?, ?, ?)", rows)

    def save_findings(self, oid: str, across: bool, found: list[Finding]) -> None:
        self.db.execute("DELETE FROM finding WHERE oid = ? AND across = ?", (oid, across))
        self.add_findings(oid, across, found)

    def add_findings(self, oid: str, across: bool, found: list[Finding]) -> None:
        """Findings as plain tuples: a dataclass unpickles ten times slower, and a national audit lists many."""
        if found:
            self.db.executemany("INSERT INTO finding VALUES (?, ?, ?, ?, ?, ?)",
                                [(oid, across, f.subject, f.rule, f.severity, _dump((f.rule, f.severity, f.subject, f.message, f.values, f.evidence, f.on))) for f in found])

    def save_meta(self, **values) -> None:
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [(k, _dump(v)) for k, v in values.items()])

    def findings(self) -> list[Finding]:
        found = [Finding(*pickle.loads(body)) for (body,) in self.db.execute("SELECT body FROM finding")]
        return by_sort_key(found)

    def summary(self) -> dict:
        """The audit's summary counted in the state file, without reading the findings themselves."""
        by_rule, by_severity = Counter(), Counter()
        for rule, severity, n in self.db.execute("SELECT rule, severity, count(*) FROM finding GROUP BY rule, severity"):
            by_rule[rule] += n
            by_severity[severity] += n
        subjects = self.db.execute("SELECT count(DISTINCT subject) FROM finding").fetchone()[0]
        events, migrated = self.meta()["counts"]
        return {"findings": sum(by_rule.values()), "by_severity": {s: by_severity.get(s, 0) for s in ("high", "medium", "low")},
                "by_rule": dict(sorted(by_rule.items())), "subjects": subjects,
                "events_read": events, "migrated_events": migrated}


class StateWriter:
    """Writes a full audit's state as it goes: every dossier and finding, the newest event read."""

    def __init__(self, kept: Kept):
        self.kept, self.rows, self.deferred = kept, [], False
        self.last_id = 0  # the newest event this audit read: one recorded while it ran is the next one's

    def observed(self, nid: int, counted: bool) -> None:
        self.deferred = self.deferred or not counted
        self.last_id = max(self.last_id, nid)

    def checked(self, kind, key, across, found, dossier=None, oid=None) -> None:
        oid = oid or oid_of(kind, key)
        if dossier is not None:
            town = dossier.attrs.get("township") if kind == "parcel" else None
            self.rows.append((oid, kind, key, town, _dump(dossier)))
            if len(self.rows) >= 2000:
                self.kept.save_subjects(self.rows)
                self.rows = []
        self.kept.add_findings(oid, across, found)

    def finish(self, audit: Audit, origin: str) -> None:
        self.kept.save_subjects(self.rows)
        self.kept.db.executemany("INSERT INTO registration VALUES (?, ?, ?)",
                                 [(vid, first.code, first.v) for vid, first in audit.first_registrations().items()])
        self.kept.db.executemany("INSERT OR IGNORE INTO joined VALUES (?, ?)",
                                 [(code, b.key) for b in audit.subjects["batch"].values() for code in b.ever])
        self.kept.save_footprints(audit.footprints())
        index = audit.checks.index
        self.kept.save_meta(format=FORMAT, origin=origin, last_id=self.last_id, as_of=audit.as_of,
                            fingerprint=fingerprint(audit.config, audit.chosen), deferred=self.deferred,
                            counts=(audit.events, audit.migrated), totals=index.totals, towns=index.towns,
                            taskforces=audit.subjects["taskforce"])


class KeptIndex(Index):
    """The cross-subject index read from the state file as the rules ask, with this run's changes on top."""

    def __init__(self, config: Config, kept: Kept, meta: dict, touched: dict):
        super().__init__(config)
        self.kept, self.touched = kept, touched
        self.totals, self.towns, self.taskforces = meta["totals"], meta["towns"], meta["taskforces"]
        self.joins: list[tuple] = []
        self.loaded: dict[str, object] = {}  # batches and programmes read once per run, however many parcels ask
        self.changed: dict = {}  # code → this run's footprint (None: none, or no longer live), R25

    @property
    def overlaps(self):
        """R25's lookups against the state file: only the footprints near the parcel asked about are read."""
        return self

    @overlaps.setter
    def overlaps(self, value) -> None:
        """Index.__init__ sets an empty Overlaps; a kept index answers from the state file instead."""

    def now(self, code: str):
        """A parcel's footprint as it now stands: this run's change, else the state file's."""
        return self.changed[code] if code in self.changed else self.kept.footprint(code)

    def near(self, box, changed: bool = True) -> dict:
        """Footprints whose boxes meet box: the state file's, with this run's changes on top unless changed=False."""
        found = self.kept.footprints_near(box)
        if changed:
            for code, f in self.changed.items():
                found.pop(code, None)
                if f is not None and _meets(box_of(f[2]), box):
                    found[code] = f
        return found

    def of(self, code: str) -> list[tuple]:
        f = self.now(code)
        box = f and box_of(f[2])
        if not box:
            return []
        return [row for row in Overlaps(self.near(box)).of(code)]

    def codes_touching(self, codes: set) -> set:
        """The parcels whose footprints met any of codes' footprints before this run, or meet them now."""
        found = set(codes)
        for code in codes:
            for f, changed in ((self.kept.footprint(code), False), (self.now(code), True)):
                box = f and box_of(f[2])
                if box:
                    near = self.near(box, changed)
                    near[code] = f
                    found.update(other for other, *_ in Overlaps(near).of(code))
        return found

    def footprint_moved(self, code: str, old: ParcelSummary | None, new: ParcelSummary) -> None:
        """Note a parcel whose footprint (or liveness) this run changed."""
        before, after = old and footprint_of(old), footprint_of(new)
        if before != after:
            self.changed[code] = after

    def subject(self, kind: str, key: str):
        oid = oid_of(kind, key)
        if oid in self.touched:
            return self.touched[oid].dossier
        if kind == "parcel":
            return self.kept.dossier(oid)
        if oid not in self.loaded:
            self.loaded[oid] = self.kept.dossier(oid)
        return self.loaded[oid]

    def batches_of(self, code: str) -> list:
        keys = {b for (b,) in self.kept.db.execute("SELECT batch FROM joined WHERE code = ?", (code,))}
        keys |= {batch for c, batch in self.joins if c == code}
        return [b for b in (self.subject("batch", key) for key in sorted(keys)) if b is not None]

    def first_registration(self, verification_id: str) -> Registration | None:
        row = self.kept.db.execute("SELECT code, version FROM registration WHERE verification_id = ?",
                                   (verification_id,)).fetchone()
        return Registration(*row) if row else None

    def move(self, old: ParcelSummary | None, new: ParcelSummary) -> tuple[set, set]:
        """Replace a parcel's share of the totals; the programmes and townships whose figures moved."""
        towns = {x.attrs.get("township") for x in (old, new) if x is not None} - {None}
        before = {town: self.earliest_plain_year(town) for town in towns}
        shares = {share.programme for share in (old and accepted_area_of(old), accepted_area_of(new)) if share}
        if old is not None:
            self.add_parcel(old, -1)
        self.add_parcel(new)
        return shares, {t for t in towns if self.earliest_plain_year(t) != before[t]}


def run(ledger, as_of: date, path: str | Path, config: Config | None = None, rules: Iterable[str] | None = None,
        tick=None) -> tuple[list[Finding], dict, int | None]:
    """The audit through a state file: findings, summary, and how many new events were read (None: a full audit)."""
    kept = Kept(path)
    try:
        new = update(ledger, kept, as_of, config, rules, tick)
        return kept.findings(), kept.summary(), new
    except sqlite3.OperationalError as error:  # another audit holds the file, or the disk is full
        raise StateError(f"{path}: {error}; nothing in it was changed, try again") from None
    finally:
        kept.close()


def update(ledger, kept: Kept, as_of: date, config: Config | None = None, rules: Iterable[str] | None = None,
           tick=None) -> int | None:
    """Bring the state file up to date; the number of new events read, or None after a full audit."""
    config = config or load_config()
    with kept.locked():
        meta, origin, last_id = kept.meta(), ledger.raw.origin(), ledger.recorder.max_notification_id() or 0
        reusable = (meta is not None and meta.get("format") == FORMAT and meta["origin"] == origin
                    and meta["fingerprint"] == fingerprint(config, rules) and meta["last_id"] <= last_id
                    and (as_of == meta["as_of"] or (as_of > meta["as_of"] and not meta["deferred"])))
        rows = list(ledger.raw.events_after(meta["last_id"])) if reusable else []
        if not reusable or any(topic.startswith(PERSON_EVENTS) or _recorrects_registry(raw) for _, _, _, topic, raw in rows):
            # a change to the registry can change any event's attribution (R24): read everything again
            kept.reset()
            writer = StateWriter(kept)
            audit = Audit(as_of, config, rules, keeper=writer)
            with ledger.raw.snapshot():
                audit.know_people(ledger.raw)
                audit.read(ledger.raw.verified_events(), tick)
            audit.findings()
            writer.finish(audit, origin)
            return None
        check_appended(rows, ledger.raw.link, ledger.raw.keys())  # what was read before was checked then
        if rows or as_of != meta["as_of"]:
            refresh = Refresh(kept, meta, as_of, config, rules, ledger.raw.events_of_aggregate)
            refresh.audit.know_people(ledger.raw)
            refresh.run(rows, everything=as_of != meta["as_of"])
        return len(rows)


def _recorrects_registry(raw) -> bool:
    """A correction of a parcel's verification id: which parcel registered an id first (R05) is kept
    store-wide, so the re-audit reads everything again."""
    if b'"correct"' not in bytes(raw):
        return False
    state = logreader.loads(raw)
    return state.get("fact") == CORRECT and "verification_id" in state["data"]["fields"]


class Touched(NamedTuple):
    """A subject a re-audit loaded: its dossier, and for a parcel its summary as the state file had it."""
    kind: str
    dossier: object
    before: ParcelSummary | None


class Refresh:
    """One re-audit: fold the new events, re-run the rules where something moved, write the changes back."""

    def __init__(self, kept: Kept, meta: dict, as_of: date, config: Config, rules, events_of=None):
        """`events_of(oid)`: every stored row of one aggregate, to fold a corrected parcel again from the start."""
        self.kept, self.meta, self.rules, self.events_of = kept, meta, rules, events_of
        self.audit = Audit(as_of, config, rules)
        self.audit.events, self.audit.migrated = meta["counts"]
        self.touched: dict[str, Touched] = {}
        self.folded: set[str] = set()  # the subjects new events changed: only their dossiers are written back
        self.index = KeptIndex(self.audit.config, kept, meta, self.touched)
        self.audit.checks.use(self.index)

    def load(self, oid: str, kind: str, key: str):
        entry = self.touched.get(oid)
        if entry is None:
            stored = self.kept.dossier(oid)
            before = stored.summary() if kind == "parcel" and stored is not None else None
            entry = self.touched[oid] = Touched(kind, stored or DOSSIERS[kind](key), before)
        return entry.dossier

    def run(self, rows: list[tuple], everything: bool) -> None:
        """Fold the new rows; with `everything` (a later as-of date) every kept subject is checked again too."""
        deferred, last_id = self.meta["deferred"], self.meta["last_id"]
        if everything:
            for oid, kind, dossier in self.kept.all_subjects():
                self.touched[oid] = Touched(kind, dossier, dossier.summary() if kind == "parcel" else None)
        rows = [(oid, version, nid, topic, logreader.loads(raw)) for oid, version, nid, topic, raw in rows]
        corrected = {oid for oid, _, _, topic, state in rows if state.get("fact") == CORRECT and kind_of(topic) == "parcel"}
        for oid, version, nid, topic, state in rows:
            if oid in corrected:
                continue
            kind = kind_of(topic)
            dossier = self.load(oid, kind, state.get("key") or oid)
            self.folded.add(oid)
            if not self.audit.observe(kind, dossier, version, nid, state):
                deferred = True
            last_id = max(last_id, nid)
        for oid in corrected:
            deferred |= self.refold(oid)
            last_id = max(last_id, *(nid for o, _, nid, _, _ in rows if o == oid))
        self.recheck(everything)
        self.kept.save_meta(last_id=last_id, as_of=self.audit.as_of, deferred=deferred,
                            counts=(self.audit.events, self.audit.migrated),
                            totals=self.index.totals, towns=self.index.towns, taskforces=self.index.taskforces)

    def refold(self, oid: str) -> bool:
        """A parcel with a new correction, folded again from its first event with the corrected values: its old
        dossier was folded from the values as first recorded. True if an event was left for a later as-of date."""
        events = patched_states([(v, nid, logreader.loads(raw)) for _, v, nid, _, raw in self.events_of(oid)])
        entry = self.touched.get(oid)
        if entry is None:
            stored = self.kept.dossier(oid)
            before = stored.summary() if stored is not None else None
        else:
            before = entry.before
        dossier = DOSSIERS["parcel"](events[0][2].get("key") or oid)
        self.touched[oid] = Touched("parcel", dossier, before)
        self.folded.add(oid)
        deferred = False
        for version, nid, state in events:
            new = nid > self.meta["last_id"]
            if not self.audit.observe("parcel", dossier, version, nid, state, count=new) and new:
                deferred = True
        return deferred

    def recheck(self, everything: bool) -> None:
        """Both phases for the touched subjects; the cross-subject phase for those whose lookups moved."""
        parcels, programmes, others, taskforces = set(), set(), [], False
        subjects = []
        for oid, (kind, dossier, before) in self.touched.items():
            key = dossier.key
            self.kept.save_findings(oid, False, self.audit.checks.check(kind, dossier, across=False))
            town = None
            if kind == "parcel":
                town = dossier.attrs.get("township")
                summary = dossier.summary()
                moved_programmes, moved_towns = self.index.move(before, summary)
                self.index.footprint_moved(key, before, summary)
                programmes |= moved_programmes
                for t in moved_towns:
                    parcels.update(self.kept.parcels_in(t))
                parcels.add(key)
                if dossier.registered and (before is None or before.registered is None):
                    self.register(dossier)
            else:
                others.append((kind, key, dossier))
                if kind == "batch":
                    parcels |= dossier.ever
                    self.index.joins += [(code, key) for code in dossier.ever]
                elif kind == "programme":
                    programmes.add(key)
                elif kind == "taskforce":  # people and witnessing sit on no task force
                    taskforces = True
                    self.index.taskforces[key] = dossier
            if oid in self.folded:
                subjects.append((oid, kind, key, town, _dump(dossier)))
        if taskforces or everything:
            parcels |= self.kept.parcel_codes()
        if self.index.changed:  # R25: the parcels that overlapped a moved footprint, or overlap it now
            moved = set(self.index.changed)
            parcels |= self.index.codes_touching(moved)
        for code in parcels:
            summary = self.summary_of(code)
            self.kept.save_findings(oid_of("parcel", code), True, self.audit.checks.check("parcel", summary, across=True))
        for key in programmes:
            programme = self.index.subject("programme", key)
            if programme is not None:
                self.kept.save_findings(oid_of("programme", key), True,
                                        self.audit.checks.check("programme", programme, across=True))
        for kind, key, dossier in others:
            if kind != "programme":
                self.kept.save_findings(oid_of(kind, key), True, self.audit.checks.check(kind, dossier, across=True))
        self.kept.save_subjects(subjects)
        self.kept.save_footprints(self.index.changed)
        self.kept.db.executemany("INSERT OR IGNORE INTO joined VALUES (?, ?)", self.index.joins)

    def register(self, dossier) -> None:
        """A new parcel's verification id: the first to register it is the one later parcels are compared with."""
        vid = dossier.attrs.get("verification_id")
        if vid and self.index.first_registration(vid) is None:
            self.kept.db.execute("INSERT INTO registration VALUES (?, ?, ?)", (vid, dossier.code, dossier.registered.v))

    def summary_of(self, code: str) -> ParcelSummary:
        dossier = self.index.subject("parcel", code)
        return dossier.summary() if dossier is not None else ParcelSummary(code)
