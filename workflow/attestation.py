"""Every event's signature checked from the stored log alone, against the registry as it stood.

Read in log order: a person's registration, roles and revocation count from where they stand in
the log, and validity is judged by each event's business date. Nothing but the store is needed,
so an insider who edits an event (and recomputes the hash chain) is named without any checkpoint.
"""

from __future__ import annotations

import json

from eventsourcing.persistence import StoredEvent

from events.clock import BUSINESS_TZ
from events.ids import KINDS
from events.logreader import typed
from events.verify import Problem
from policies.identity import command_bytes, judge
from workflow.record import apply


def _kind(topic: str) -> str:
    return KINDS.get(topic[topic.index(":") + 1:topic.rindex(".")], "?")


def check(ledger, tick=None) -> tuple[int, list[Problem]]:
    """(events whose signature was checked, problems): each problem names the event and why."""
    if not ledger.signed:
        return 0, []
    registry: dict[str, object] = {}
    names = ledger.raw.keys()
    signed_batches: dict[str, dict] = {}  # "batch:KEY@V" -> (actor, role, on) of signed batch events
    problems, checked, caused, genesis = [], 0, [], ledger.raw.info("genesis")
    for nid, oid, version, topic, state in ledger.raw.events_in_log_order():
        oid = str(oid).replace("-", "")
        event = typed(json.loads(bytes(state)))
        kind = _kind(topic)
        key = event.get("key") or names.get(oid, "?:?").split(":", 1)[1]
        trigger = event.get("trigger") or event.get("fact")
        block = event.get("signature")
        where = f"{kind}:{key}"
        if tick:
            tick(1)
        if block is None:
            if not (kind == "person" and version == 1 and key == genesis):  # the first administrator, named at init
                problems.append(Problem("signature", where, version, f"event {nid} ({trigger}) is not signed",
                                        f"事件 {nid}（{trigger}）没有签名"))
        elif "via" in block:  # checked once the whole log is read: one transaction may store it before its cause
            caused.append((block["via"], (event["actor"], event["role"], event["on"]), where, version, nid, trigger))
        else:
            checked += 1
            problem = _signature_problem(registry, ledger.origin, kind, key, version, trigger, event, block)
            if problem:
                problems.append(Problem("signature", where, version, f"event {nid} ({trigger}): {problem[0]}",
                                        f"事件 {nid}（{trigger}）：{problem[1]}"))
            elif kind == "batch":
                signed_batches[f"batch:{key}@{version}"] = (event["actor"], event["role"], event["on"])
        if kind == "person":
            stored = StoredEvent(oid, version, topic, bytes(state))
            registry[key] = apply(registry.get(key), ledger.mapper.to_domain_event(stored))
    for via, who, where, version, nid, trigger in caused:
        if signed_batches.get(via) != who:
            problems.append(Problem("signature", where, version,
                                    f"event {nid} ({trigger}) claims to follow {via}, which did not sign it",
                                    f"事件 {nid}（{trigger}）自称随 {via} 而来，但 {via} 没有签署它"))
    return checked, problems


def _signature_problem(registry, store, kind, key, version, trigger, event, block) -> tuple[str, str] | None:
    """Why the signature does not hold, in English and Chinese, or None."""
    message = command_bytes(store, kind, key, version, trigger, event["actor"], event["role"], event["on"],
                            event["data"], event["reason"], event["documents"])
    _, problem = judge(block, message, event["actor"], event["role"], event["on"], event["migrated"],
                       event["timestamp"].astimezone(BUSINESS_TZ).date(), registry.get)
    return problem or None
