"""The audit as a user runs it: the log folded in shares side by side, the rules across subjects once.

Aggregates are independent until the rules across subjects run, so the per-aggregate phase (read,
chain check, fold, the rules of one subject) splits by aggregate id: this process folds the first
share and a worker process (`events.workers`) each of the others, in the caller's snapshot
(PostgreSQL exports it; on SQLite each worker takes its own, bounded by the caller's last
notification id, so what a writer appends meanwhile is read by nobody). A worker sends its parcels'
summaries and findings as it closes them, so it holds little; they are merged in id order, which
is the order a single pass reads them in, so the findings and their order are that pass's. A worker
that fails leaves its share to this process. An edited log is Tampered, every share's problems
named at once.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

from audit.engine import Audit
from events.errors import Tampered
from events.rawlog import Span, spans
from events.verify import tampered
from events.workers import Worker, cores, locked
from policies.catalogue import Config
from policies.dossiers import name
from policies.registry import Finding
from workflow.ledger import Ledger

PARALLEL_FROM = 50_000
"""Events from which the audit is split: below it a worker's start-up (its imports, ≈ 0.5 s) costs more than
it saves."""

CHUNK = 2_000
"""Parcels a worker sends at a time: what it holds of its share's summaries before they reach the caller."""


def run(ledger, as_of: date, config: Config | None = None, rules: Iterable[str] | None = None,
        subject: str | None = None, tick=None, jobs: int | None = None) -> tuple[list[Finding], dict]:
    """(findings, summary) of the log as of a business date; `jobs` processes fold it (default: one per core,
    at most 4, for a log of PARALLEL_FROM events or more; an audit of one subject is one process)."""
    audit = Audit(as_of, config, rules, subject)
    raw = ledger.raw
    with raw.snapshot():
        audit.know_people(raw)
        last = raw.last_id()
        if jobs is None:
            jobs = cores() if last >= PARALLEL_FROM else 1
        if jobs <= 1 or subject is not None:
            audit.read(raw.verified_events(), tick)  # an edited log is Tampered, never a clean bill
        else:
            _fold_shares(audit, ledger, spans(last, jobs), tick)
    findings = audit.findings()
    return findings, audit.summary(findings)


def _fold_shares(audit: Audit, ledger, shares: list[Span], tick) -> None:
    token = ledger.raw.export_snapshot()
    workers = [Worker("audit.shares:share", (ledger.store, token, audit.as_of, audit.config, audit.chosen, span), tick)
               for span in shares[1:]]
    tick = locked(tick)
    try:
        problems = _folded(audit, ledger.raw, shares[0], tick)
        for worker, span in zip(workers, shares[1:]):
            sent = worker.results()
            problems += _folded(audit, ledger.raw, span, tick) if sent is None else _merged(audit, sent)
    finally:
        for worker in workers:
            worker.stop()
    if problems:
        raise tampered(problems)


def _folded(audit: Audit, raw, span: Span, tick) -> list:
    """Fold one share here; the chain problems it found (the audit is void if there are any)."""
    try:
        audit.read(raw.verified_events(span), tick)
    except Tampered as error:
        return error.problems
    return []


def _merged(audit: Audit, sent: list) -> list:
    """A worker's share added to the audit as if this process had folded it; its chain problems."""
    for what, *values in sent:
        if what == "tampered":
            return values[0]
        if what == "closed":
            parcels, found = values
            for code, summary in parcels.items():  # one string object per code and state, as a fold makes them
                summary.code, summary.state = name(code), name(summary.state)
                audit.parcels[summary.code] = summary
            audit.checks.found += found
        elif what == "subjects":
            subjects, events, migrated = values
            for kind, dossiers in subjects.items():
                audit.subjects[kind].update(dossiers)
            audit.events += events
            audit.migrated += migrated
    return []


def share(store, token: str | None, as_of: date, config: Config, rules, span: Span, send, tick) -> None:
    """A worker's job: fold one share in the caller's snapshot, sending the parcels' summaries and the findings
    as they close, then the other subjects and the counts (or the chain problems, if any)."""
    ledger = Ledger(store)
    try:
        with ledger.raw.snapshot(imported=token):
            audit = Audit(as_of, config, rules)
            audit.know_people(ledger.raw, span.upto)
            try:
                audit.read(_sending(audit, ledger.raw.verified_events(span), send), tick)
            except Tampered as error:
                send(("tampered", error.problems))
                return
            _send_closed(audit, send)
            send(("subjects", audit.subjects, audit.events, audit.migrated))
    finally:
        ledger.close()


def _sending(audit: Audit, rows, send):
    """The rows as they come; between aggregates, a full chunk of closed parcels is sent on."""
    for row in rows:
        if len(audit.parcels) >= CHUNK:
            _send_closed(audit, send)
        yield row


def _send_closed(audit: Audit, send) -> None:
    send(("closed", audit.parcels, audit.checks.found))
    audit.parcels, audit.checks.found = {}, []

