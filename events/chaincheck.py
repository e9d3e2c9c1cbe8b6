"""The chain check of the readers that must not give a clean bill of an edited log (the audit, a re-audit's
appended events): each aggregate's chain recomputed as its events stream past, Tampered naming what differs.
`verify` says precisely how each row differs and checks the whole log; this says that a read one does."""

from __future__ import annotations

import struct
from hashlib import sha256

from events.chain import GENESIS, as_bytes, chain_hash, topic_bytes
from events.errors import Tampered
from events.problems import Problem

PACK = struct.Struct(">Q").pack
TOPICS: dict = {}
"""A topic's chained bytes by topic (`chain.topic_bytes`), shared by every reader that recomputes links."""


def chained(rows, heads, links_total, exact):
    """The events of `rows` as they come, each aggregate's hash chain recomputed on the way and its head compared
    with the chain's; at the end, Tampered naming what differs. For readers (the audit) that must not give a
    clean bill of an edited log.

    `rows` are (originator_id, version, notification_id, topic, state) in aggregate and version order; `heads`
    the chain table's last entry per aggregate, (originator_id, version, hash), in the same order. A head is a
    digest of every event before it, so an event edited, swapped, inserted or deleted anywhere in an aggregate
    changes it (or its version); an aggregate whose events are all gone leaves a head no aggregate matched, and
    `links_total()` (read in the same snapshot) must equal the events read. One head per aggregate instead of a
    join on every event: 2 s less at 3.5 million events. The link is `chain.chain_hash`, inlined (this runs once
    per event of every audit). Only when something is off does `exact()` merge the two tables again to name
    every problem; `verify` says precisely how a row differs, this says that it does."""
    clean, count, current, previous, prefix, last = True, 0, None, GENESIS, b"", 0
    pack, topics = PACK, TOPICS
    heads = iter(heads)
    head = next(heads, None)

    def closes(oid, last, previous):
        """Advance the heads past `oid`: whether its head is the one recomputed, and none was skipped."""
        nonlocal head
        ok = True
        while head is not None and head[0] < oid:  # a chained aggregate with no events left
            ok, head = False, next(heads, None)
        if head is None or head[0] != oid:
            return False
        ok = ok and head[1] == last and bytes(head[2]) == previous
        head = next(heads, None)
        return ok

    for row in rows:
        oid, version, nid, topic, state = row
        if oid != current:
            if current is not None and not closes(current, last, previous):
                clean = False
            previous, prefix, current = GENESIS, oid.encode(), oid
        encoded = topics.get(topic) or topics.setdefault(topic, topic_bytes(topic))
        previous = sha256(previous + prefix + pack(version) + encoded
                          + (state if type(state) is bytes else as_bytes(state))).digest()
        last, count = version, count + 1
        yield row
    if current is not None and not closes(current, last, previous):
        clean = False
    if clean and head is None and count == links_total():
        return
    problems = exact()
    if problems:
        raise tampered(problems)


def named_problems(rows, links, names: dict) -> list[Problem]:
    """Every event of `rows` that differs from, lacks or outlived its chain entry in `links`, by name (both
    streams ordered by aggregate and version): what `chained` reports once it knows something is off."""
    problems: list[Problem] = []
    links = iter(links)
    link = next(links, None)
    previous, at = GENESIS, None
    for oid, version, _nid, topic, state in rows:
        while link is not None and (link[0] < oid or (link[0] == oid and link[1] < version)):
            problems.append(Problem("deleted", names.get(link[0], link[0]), link[1], "the event is gone", "事件已不在"))
            previous, at, link = bytes(link[2]), (link[0], link[1]), next(links, None)
        if link is None or link[1] != version or link[0] != oid:
            problems.append(Problem("inserted", names.get(oid, oid), version, "an event with no chain entry",
                                    "没有链条目的事件"))
            continue
        if version == 1 or at is None or at[0] != oid:
            previous = GENESIS
        head = bytes(link[2])
        if chain_hash(previous, oid, version, topic, as_bytes(state)) != head:
            problems.append(Problem("edited", names.get(oid, oid), version, "differs from what was recorded",
                                    "与记录时不同"))
        previous, at, link = head, (oid, version), next(links, None)
    while link is not None:
        problems.append(Problem("deleted", names.get(link[0], link[0]), link[1], "the event is gone", "事件已不在"))
        link = next(links, None)
    return problems


def check_appended(rows, link, names: dict) -> None:
    """Events appended since a kept audit (in log order), each against its chain entry: Tampered if any differs."""
    heads, problems = {}, []
    for oid, version, _nid, topic, state in rows:
        oid = str(oid).replace("-", "")
        previous = GENESIS if version == 1 else heads.get(oid) or link(oid, version - 1) or GENESIS
        own = link(oid, version)
        if own is None:
            problems.append(Problem("inserted", names.get(oid, oid), version, "an event with no chain entry",
                                    "没有链条目的事件"))
        elif chain_hash(previous, oid, version, topic, as_bytes(state)) != own:
            problems.append(Problem("edited", names.get(oid, oid), version, "differs from what was recorded",
                                        "与记录时不同"))
        heads[oid] = own
    if problems:
        raise tampered(problems)


def tampered(problems: list[Problem]) -> Tampered:
    more = "; …" if len(problems) > 3 else ""
    shown = "; ".join(str(p) for p in problems[:3]) + more
    shown_zh = "；".join(p.text("zh") for p in problems[:3]) + more.replace("; ", "；")
    error = Tampered(f"TAMPERED: the stored history differs from its hash chains ({len(problems)} problems: {shown}); "
                     "nothing was audited; `minerehab verify` names every one",
                     f"已被篡改：存储的历史与其哈希链不符（{len(problems)} 处：{shown_zh}）；未做审计；"
                     "`minerehab verify` 逐一列出")
    error.problems = problems  # a share of a split read reports them, to be said once with the others'
    return error
