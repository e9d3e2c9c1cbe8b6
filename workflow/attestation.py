"""Every event's signature checked from the stored log alone, against the registry as it stood.

Read in log order: a person's registration, roles and revocation count from where they stand in
the log, and validity is judged by each event's business date. Nothing but the store is needed,
so an insider who edits an event (and recomputes the hash chain) is named without any checkpoint.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from eventsourcing.persistence import StoredEvent

from events.clock import BUSINESS_TZ
from events.ids import KINDS
from events.logreader import typed
from events.problems import Problem
from events.workers import Worker, processes
from policies.identity import command_bytes, judge
from workflow import person
from workflow.record import apply


def _kind(topic: str) -> str:
    return KINDS.get(topic[topic.index(":") + 1:topic.rindex(".")], "?")


@dataclass
class Part:
    """What one stretch of the log says: signatures checked, problems in log order, the batch events it saw
    signed, and the events that claim a signed batch command as their cause (judged once every part is in)."""

    checked: int = 0
    digest: bytes = b""    # of the rows read (`_rows_digest`)
    problems: list = field(default_factory=list)
    signed_batches: dict = field(default_factory=dict)
    caused: list = field(default_factory=list)


def check(ledger, tick=None, jobs: int | None = None) -> tuple[int, list[Problem]]:
    """(events whose signature was checked, problems): each problem names the event and why. Read inside the
    caller's snapshot; a large log is split into `jobs` stretches (default: one per core, at most 4) checked
    side by side by worker processes. Each worker's rows are confirmed against the caller's snapshot (a digest
    of every row it read), and a stretch whose worker failed or read other rows (a writer editing in place
    meanwhile, on SQLite) is checked here instead: the answer is always the caller's snapshot's."""
    if not ledger.signed:
        return 0, []
    last = ledger.raw.last_id()
    jobs = processes(last, jobs)
    if jobs <= 1 or last < 2 * jobs:
        return _finish([_check_part(ledger, 0, last, tick)])
    bounds = [last * i // jobs for i in range(jobs + 1)]
    token = ledger.raw.export_snapshot()
    stretches = list(zip(bounds, bounds[1:]))
    workers = [Worker("workflow.attestation:stretch", (ledger.store, lo, hi, token), tick) for lo, hi in stretches]
    try:
        ours = [_rows_digest(ledger.raw.events_in_log_order(lo, hi)) for lo, hi in stretches]  # while they work
        parts = [(w.results() or [None])[0] for w in workers]
    finally:
        for w in workers:
            w.stop()
    return _finish([part if isinstance(part, Part) and part.digest == digest else _check_part(ledger, lo, hi)
                    for part, digest, (lo, hi) in zip(parts, ours, stretches)])


def _rows_digest(rows) -> bytes:
    """SHA-256 over each row's notification id and stored bytes, in log order: the rows a stretch was read from."""
    digest = hashlib.sha256()
    for _ in _digesting(rows, digest):
        pass
    return digest.digest()


def _digesting(rows, digest):
    """The rows as they come, each added to `digest` (one coding for the worker's digest and the caller's)."""
    for row in rows:
        digest.update(row[0].to_bytes(8, "big"))
        digest.update(bytes(row[4]))
        yield row


def stretch(store, after: int, upto: int, token: str | None, send, tick, ask=None) -> None:
    """A worker's job (`events.workers.Worker`): the caller's snapshot where the database can share it
    (PostgreSQL's exported one; on SQLite its own, bounded by `upto` and confirmed by the caller's digest),
    one stretch, its Part sent back."""
    from workflow.ledger import Ledger

    ledger = Ledger(store)
    try:
        with ledger.raw.snapshot(imported=token):
            send(_check_part(ledger, after, upto, tick))
    finally:
        ledger.close()


def _finish(parts: list[Part]) -> tuple[int, list[Problem]]:
    problems = [p for part in parts for p in part.problems]
    signed_batches = {k: v for part in parts for k, v in part.signed_batches.items()}
    for via, who, where, version, nid, trigger in (c for part in parts for c in part.caused):
        if signed_batches.get(via) != who:
            problems.append(Problem("signature", where, version,
                                    f"event {nid} ({trigger}) claims to follow {via}, which did not sign it",
                                    f"事件 {nid}（{trigger}）自称随 {via} 而来，但 {via} 没有签署它"))
    return sum(part.checked for part in parts), problems


def _check_part(ledger, after: int, upto: int, tick=None) -> Part:
    """The events after `after` up to `upto`, in log order, against the registry as it stood at each: the
    registry's events before the stretch are replayed first."""
    part, registry = Part(), {}
    names = ledger.raw.keys()
    genesis = ledger.raw.info("genesis")

    def learn(oid, version, topic, state, key) -> None:
        """A person's event applied to the registry, as the log stood after it."""
        stored = StoredEvent(oid, version, topic, bytes(state))
        registry[key] = apply(registry.get(key), ledger.mapper.to_domain_event(stored))

    if after:
        people = sorted((nid, oid, version, topic, state) for oid, version, nid, topic, state  # as the pass judges
                        in ledger.raw.events_of(person.EVENTS) if nid <= after and _kind(topic) == "person")
        for _nid, oid, version, topic, state in people:
            oid = str(oid).replace("-", "")
            learn(oid, version, topic, state, _key(json.loads(bytes(state)), oid, names))
    seen, digest = 0, hashlib.sha256()
    for nid, oid, version, topic, state in _digesting(ledger.raw.events_in_log_order(after, upto), digest):
        oid = str(oid).replace("-", "")
        event = typed(json.loads(bytes(state)))
        kind = _kind(topic)
        key = _key(event, oid, names)
        trigger = event.get("trigger") or event.get("fact")
        block = event.get("signature")
        where = f"{kind}:{key}"
        seen += 1
        if tick and seen % 1000 == 0:
            tick(1000)
        if block is None:
            if not (kind == "person" and version == 1 and key == genesis):  # the first administrator, named at init
                part.problems.append(Problem("signature", where, version, f"event {nid} ({trigger}) is not signed",
                                             f"事件 {nid}（{trigger}）没有签名"))
        elif "via" in block:  # checked once the whole log is read: one transaction may store it before its cause
            part.caused.append((block["via"], (event["actor"], event["role"], event["on"]), where, version, nid,
                                trigger))
        else:
            part.checked += 1
            problem = _signature_problem(registry, ledger.origin, kind, key, version, trigger, event, block)
            if problem:
                part.problems.append(Problem("signature", where, version, f"event {nid} ({trigger}): {problem[0]}",
                                             f"事件 {nid}（{trigger}）：{problem[1]}"))
            elif kind == "batch":
                part.signed_batches[f"batch:{key}@{version}"] = (event["actor"], event["role"], event["on"])
        if kind == "person":
            learn(oid, version, topic, state, key)
    if tick and seen % 1000:
        tick(seen % 1000)
    part.digest = digest.digest()
    return part


def _key(event: dict, oid: str, names: dict) -> str:
    """The record's key: the event's own, else the one its aggregate was registered under."""
    return event.get("key") or names.get(oid, "?:?").split(":", 1)[1]


def _signature_problem(registry, store, kind, key, version, trigger, event, block) -> tuple[str, str] | None:
    """Why the signature does not hold, in English and Chinese, or None."""
    message = command_bytes(store, kind, key, version, trigger, event["actor"], event["role"], event["on"],
                            event["data"], event["reason"], event["documents"])
    _, problem = judge(block, message, event["actor"], event["role"], event["on"], event["migrated"],
                       event["timestamp"].astimezone(BUSINESS_TZ).date(), registry.get)
    return problem or None
