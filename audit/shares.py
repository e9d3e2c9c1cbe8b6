"""The audit as a user runs it: the log folded in shares side by side, the rules across subjects once.

Aggregates are independent until the rules across subjects run, so the per-aggregate phase (read,
chain check, fold, the rules of one subject) splits by aggregate id into shares of about
`events.workers.SHARE_EVENTS` events. This process folds shares from the first on, worker processes
(`events.workers`) ask for shares from the last back, until they meet: nobody waits on a slow
start or a heavy share, and this process's shares are a prefix it folds straight into the audit.
Everything is read in the caller's snapshot (PostgreSQL exports it; on SQLite each worker takes its
own, bounded by the caller's last notification id, so what a writer appends meanwhile is read by
nobody). A worker sends its parcels' summaries and findings as it closes them, so it holds little;
shares are merged in id order, the order a single pass reads them in, so the findings and their
order are that pass's. A share whose worker failed is folded here. An edited log is Tampered,
every share's problems named at once.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

from audit.engine import Audit, acyclic
from events.chaincheck import tampered
from events.errors import Tampered
from events.rawlog import Span, spans
from events.workers import Dispenser, Worker, finished, locked, processes, share_count
from policies.catalogue import Config
from policies.dossiers import name
from policies.registry import Finding
from workflow.ledger import Ledger

CHUNK = 2_000
"""Parcels a worker sends at a time: what it holds of its share's summaries before they reach the caller."""


def run(ledger, as_of: date, config: Config | None = None, rules: Iterable[str] | None = None,
        subject: str | None = None, tick=None, jobs: int | None = None) -> tuple[list[Finding], dict]:
    """(findings, summary) of the log as of a business date; `jobs` processes fold it (default: one per core,
    at most 4, for a log of 50,000 events or more; an audit of one subject is one process)."""
    audit = Audit(as_of, config, rules, subject)
    raw = ledger.raw
    with raw.snapshot():
        audit.know_people(raw)
        last = raw.last_id(chained=True)
        jobs = processes(last, jobs)
        if jobs <= 1 or subject is not None:
            audit.read(raw.verified_events(), tick)  # an edited log is Tampered, never a clean bill
        else:
            _fold_shares(audit, ledger, spans(last, share_count(last, jobs)), jobs - 1, tick)
    findings = audit.findings()
    return findings, audit.summary(findings)


def _fold_shares(audit: Audit, ledger, shares: list[Span], workers: int, tick) -> None:
    token, dispenser = ledger.raw.export_snapshot(), Dispenser(len(shares))
    job = (ledger.store, token, audit.as_of, audit.config, audit.chosen, shares)
    started = [Worker("audit.shares:share", job, tick, dispenser.last) for _ in range(workers)]
    tick, problems = locked(tick), []
    try:
        with acyclic():  # once for every share: a collection per share would walk every summary again
            while (i := dispenser.first()) is not None:
                problems += _folded(audit, ledger.raw, shares[i], tick)
            sent = finished(started)
            for i in range(dispenser.front, len(shares)):  # the workers' shares, in id order
                problems += _merged(audit, sent[i]) if i in sent else _folded(audit, ledger.raw, shares[i], tick)
    finally:
        for worker in started:
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


def share(store, token: str | None, as_of: date, config: Config, rules, shares: list[Span], send, tick, ask) -> None:
    """A worker's job: fold the shares it is given (asking for the next until there is none) in the caller's
    snapshot, sending each share's parcels' summaries and findings as they close, then its other subjects and
    counts (or its chain problems), then ("done", share)."""
    ledger = Ledger(store)
    try:
        with ledger.raw.snapshot(imported=token), acyclic():
            people = Audit(as_of, config, rules)
            people.know_people(ledger.raw, shares[0].upto)
            while (i := ask("share")) is not None:
                audit = Audit(as_of, config, rules)
                audit.signed, audit.genesis, audit.people = people.signed, people.genesis, people.people
                try:
                    audit.read(_sending(audit, ledger.raw.verified_events(shares[i]), send), tick)
                except Tampered as error:
                    send(("tampered", error.problems))
                else:
                    _send_closed(audit, send)
                    send(("subjects", audit.subjects, audit.events, audit.migrated))
                send(("done", i))
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
