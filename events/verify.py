"""Verification: recompute every chain and the log's Merkle root, and say exactly what differs.

Without a checkpoint, `verify` catches any row edited, deleted, inserted or moved by
someone who did not also rewrite the chain. Against a signed checkpoint kept elsewhere,
it also catches a rewritten chain or a truncated tail within the history it covers.
"""

from __future__ import annotations

import importlib
import itertools
from dataclasses import dataclass, field
from datetime import datetime
from hashlib import sha256
from pathlib import Path

from events import checkpoint as checkpoints
from events import logorder
from events.chain import (
    GENESIS,
    as_bytes,
    chain_hash,
    checkpoint_digest,
    content_digest,
    topic_bytes,
)
from events.chaincheck import PACK, TOPICS
from events.errors import zh_of
from events.problems import Problem
from events.problems import checkpoint_name as _name
from events.rawlog import spans
from events.workers import Dispenser, Worker, finished, locked, processes, share_count


@dataclass
class Report:
    events: int = 0
    aggregates: int = 0
    tree_size: int = 0
    root: bytes = b""
    problems: list[Problem] = field(default_factory=list)
    witnessed: list = field(default_factory=list)  # the recorded cosignatures that still hold (events.witness)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_aggregate(oid: str, name: str, events: dict, chain: dict, report: Report) -> None:
    """Each of one aggregate's events against its chain entry, by version: every way they differ, named."""
    contents = {v: row[3] for v, row in chain.items()}
    previous = GENESIS
    for version in sorted(set(events) | set(chain)):
        stored, link = events.get(version), chain.get(version)
        if stored is None:
            report.problems.append(Problem("deleted", name, version, "the event is gone; its chain entry remains",
                                               "事件已不在；其链条目仍在"))
            previous = bytes(link[4])
            continue
        _, _, nid, topic, state = stored
        if link is None:
            report.problems.append(Problem("inserted", name, version, "an event with no chain entry", "没有链条目的事件"))
            continue
        digest = content_digest(topic, as_bytes(state))
        if digest != bytes(link[3]):
            others = [v for v, c in contents.items() if v != version and bytes(c) == digest]
            if others:
                report.problems.append(Problem("reordered", name, version, f"holds the event recorded as version {others[0]}",
                                                   f"存放的是记录为版本 {others[0]} 的事件"))
            else:
                report.problems.append(Problem("edited", name, version, "the stored event differs from what was recorded",
                                                   "存储的事件与记录时不同"))
        elif chain_hash(previous, oid, version, topic, as_bytes(state)) != bytes(link[4]):
            report.problems.append(Problem("edited", name, version, "the event's topic or its chain entry was changed",
                                           "事件的类型或其链条目被改动"))
        if nid != link[2]:
            report.problems.append(Problem("moved", name, version, f"at log position {nid}, recorded at {link[2]}",
                                           f"在日志第 {nid} 位，记录时在第 {link[2]} 位"))
        previous = bytes(link[4])


def _merge(events, chain):
    """Pair the two tables aggregate by aggregate (both are ordered by id), streaming."""
    e_groups = itertools.groupby(events, key=lambda r: r[0])
    c_groups = itertools.groupby(chain, key=lambda r: r[0])
    e, c = next(e_groups, None), next(c_groups, None)
    while e is not None or c is not None:
        if c is None or (e is not None and e[0] < c[0]):
            yield e[0], {r[1]: r for r in e[1]}, {}
            e = next(e_groups, None)
        elif e is None or c[0] < e[0]:
            yield c[0], {}, {r[1]: r for r in c[1]}
            c = next(c_groups, None)
        else:
            yield e[0], {r[1]: r for r in e[1]}, {r[1]: r for r in c[1]}
            e, c = next(e_groups, None), next(c_groups, None)


def verify(log, checkpoint: dict | None = None, public_key=None, tick=None, witnessed=(), owner=None,
           jobs: int | None = None) -> Report:
    """Read in one snapshot (the caller may hold a wider one) so that writers going on are not tampering.

    `witnessed`: (version, data) of the cosignatures recorded in the ledger (workflow.witnessing.claims, read
    in the same snapshot); each must still verify and its root be the log's at its size. `owner`: what `log`
    belongs to (a ledger: `owner.store`, and its class opens that store again with `.raw` and `.close()`), so
    that worker processes can share the work (`jobs`; default one per core, at most 4, from 50,000 events):
    the log in stretches of notification ids (the Merkle tree, the log chain, the recorded times) and the
    aggregates in shares of ids (each chain), joined here in order into what one pass finds (without `owner`,
    this process does every share). `tick(n)` counts each event twice: once in its chain, once in the log."""
    with log.snapshot():
        report, late = Report(), []  # late: the recorded times' problems, said after the rest
        names = log.keys()
        last = log.last_id(chained=True)
        jobs = processes(last, jobs)
        parts = share_count(last, jobs) if jobs > 1 else 1
        remembered = log.checkpoints()
        claims = _claims(witnessed, log.origin(), report)
        sizes = {c["tree_size"] for c in remembered} | {c.size for c in claims} | (
            {checkpoint["tree_size"]} if checkpoint is not None else set())
        timed = [checkpoint] if checkpoint and _is_time(checkpoint["timestamp"]) else []  # a C2SP note has no
        bounds = logorder.checkpoint_bounds([*remembered, *timed], late)  # time: the store's record of it has
        tasks = _alternate(logorder.stretches(log, last, parts), spans(last, parts) if parts > 1 else [None])
        dispenser = Dispenser(len(tasks))
        workers = []
        if jobs > 1 and owner is not None:
            job = (owner.store, log.export_snapshot(), f"{type(owner).__module__}:{type(owner).__qualname__}", tasks,
                   sizes, bounds)
            workers = [Worker("events.verify:shares", job, tick, dispenser.last) for _ in range(jobs - 1)]
        ticked = locked(tick) if workers else tick
        done = {}
        try:
            while (i := dispenser.first()) is not None:
                done[i] = _share(log, tasks[i], names, sizes, bounds, ticked)
            sent = finished(workers)
            for i, task in enumerate(tasks):
                if i not in done:  # a worker's share, or its failed worker's, done here
                    done[i] = sent[i][0][1] if i in sent else _share(log, task, names, sizes, bounds, ticked)
        finally:
            for worker in workers:
                worker.stop()
        stretches = [(t, done[i]) for i, t in enumerate(tasks) if isinstance(t, logorder.Stretch)]
        checked = [done[i] for i, t in enumerate(tasks) if not isinstance(t, logorder.Stretch)]  # in id order
        tree, roots = logorder.join(stretches, log, names, sizes, bounds, report.problems, late)
        report.events, report.aggregates = sum(p.events for p in checked), sum(p.aggregates for p in checked)
        report.problems[:0] = [p for part in checked for p in part.problems]  # each aggregate's first, as one pass
        report.tree_size, report.root = tree.size, tree.root()
        if checkpoint is not None:
            _against_checkpoint(checkpoint, tree.size, roots, log.origin(), public_key, report)
            if not any(c["tree_size"] == checkpoint["tree_size"] and c["root"] == checkpoint["root"] for c in remembered):
                report.problems.append(Problem("forgotten", _name(checkpoint), None,
                                               "the store no longer remembers this checkpoint it signed",
                                               "存储已不记得它签过的这个检查点"))
        _remembered(remembered, tree.size, log.origin(), report, roots)
        _witnessed(claims, roots, tree.size, report)
        named = {(p.subject, p.version) for p in report.problems}
        report.problems += [p for p in late if (p.subject, p.version) not in named]  # an edit is said once
    return report


def _alternate(first: list, second: list) -> list:
    """first[0], second[0], first[1], …: the caller takes shares from the front and workers from the back, so each
    does some of both kinds."""
    return [task for i in range(max(len(first), len(second))) for task in (*first[i:i + 1], *second[i:i + 1])]


def _share(log, task, names, sizes: set[int], bounds: list, tick):
    """One share's work: a stretch of the log in log order (a LogPart), or a span of aggregates (a Report)."""
    if isinstance(task, logorder.Stretch):
        return logorder.log_part(log, task, names, sizes, bounds, tick=tick)
    part = Report()
    _check_aggregates(log, task, names, part, tick)
    return part


def shares(store, token: str | None, opener: str, tasks: list, sizes: set[int], bounds: list, send, tick,
           ask) -> None:
    """A worker's job (`events.workers`): each share it is given, in the caller's snapshot (on SQLite its own,
    bounded by the caller's newest id), what it found sent back."""
    module, name = opener.split(":")
    owner = getattr(importlib.import_module(module), name)(store)
    try:
        log = owner.raw
        with log.snapshot(imported=token):
            names = log.keys()
            while (i := ask("share")) is not None:
                send(("share", _share(log, tasks[i], names, sizes, bounds, tick)))
                send(("done", i))
    finally:
        owner.close()


def _check_aggregates(log, span, names: dict, report: Report, tick) -> None:
    """Every aggregate of `span` (all of them for None): its events against its chain entries. One read of the
    events beside their chain entries says whether all is as recorded; only when something is off are the two
    tables read apart, aggregate by aggregate, to name each problem."""
    rows = log.events_with_chain(span)
    try:
        events, aggregates = _untouched(rows, tick)
    finally:
        rows.close()
    # the count is unbounded (read from an index alone): a worker's own snapshot may count entries a writer
    # appended since the caller's, and then reads the tables apart, bounded, as when something is off
    if events is not None and events == log.chain_size(span, bounded=False):
        report.events, report.aggregates = report.events + events, report.aggregates + aggregates
        return
    for oid, stored, links in _merge(log.events_by_aggregate(span), log.chain_by_aggregate(span)):
        report.events += len(stored)
        report.aggregates += 1
        _check_aggregate(oid, names.get(oid, oid), stored, links, report)


def _untouched(rows, tick) -> tuple[int | None, int]:
    """(events, aggregates) of `rows` (events_with_chain's) when every event has its chain entry, its state's
    digest, its chain link from the entry before it and its log position as recorded; (None, 0) at the first that
    has not (`_check_aggregate` names the problems). Ticks every event either way."""
    current, previous, prefix, events, aggregates, ticked = None, GENESIS, b"", 0, 0, 0
    topics, pack, digest = TOPICS, PACK, sha256
    for oid, version, nid, topic, state, position, content, head in rows:
        if oid != current:
            current, previous, prefix, aggregates = oid, GENESIS, oid.encode(), aggregates + 1
        events += 1
        if type(state) is not bytes:
            state = as_bytes(state)
        if head is None or nid != position or type(topic) is not str or digest(state).digest() != content:
            break  # a topic edited into a BLOB by hand, too, is for the loop that names problems
        encoded = topics.get(topic) or topics.setdefault(topic, topic_bytes(topic))
        if digest(previous + prefix + pack(version) + encoded + state).digest() != head:
            break
        previous = head if type(head) is bytes else bytes(head)
        if tick and events - ticked >= 1000:
            tick(events - ticked)
            ticked = events
    else:
        if tick and events > ticked:
            tick(events - ticked)
        return events, aggregates
    if tick:
        tick(events - ticked + sum(1 for _ in rows))  # the rest of the share, read (and ticked) once here
    return None, 0


def _is_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
        return True
    except (TypeError, ValueError):
        return False


def _claims(witnessed, origin: str, report: Report) -> list:
    """The recorded cosignatures, each checked again on its own (its line under the witness key kept with
    it): one edited in the store, even with its chain recomputed, is named, never believed."""
    from events import witness

    found = []
    for version, data in witnessed:
        try:
            found.append(witness.recorded(origin, data))
        except ValueError as error:
            report.problems.append(Problem("witnessed", f"witnessing:{origin}", version,
                                           f"the recorded cosignature does not verify: {error}",
                                           f"记录的联署无法验证：{zh_of(error)}"))
    return found


def _witnessed(claims: list, roots: dict[int, bytes], size: int, report: Report) -> None:
    """Every recorded cosignature's root must still be the log's at its size: a history rewritten after a
    witness cosigned it is named with the witness and the size."""
    from events import witness

    for c in claims:
        why = witness.contradicted(c, roots, size)
        if why:
            report.problems.append(Problem("witnessed", f"witness {c.witness}", None, *why))
        else:
            report.witnessed.append(c)


def _remembered(checkpoints: list[dict], size: int, origin: str, report: Report, roots: dict) -> None:
    """Every checkpoint the store keeps must still match the log: a row deleted from both the event
    and the chain table within the history one covers changes its root."""
    for before, c in zip([None, *checkpoints], checkpoints):  # linked rows follow the store's older, unlinked ones
        if c["previous"] is None and before is not None and before["previous"] is not None:
            report.problems.append(Problem("checkpoints", _name(c), None, "an unlinked checkpoint among linked ones",
                                               "已链接的检查点中有一个未链接"))
        elif c["previous"] is not None and c["previous"] != (checkpoint_digest(before) if before else ""):
            report.problems.append(Problem("checkpoints", _name(c), None, "does not follow the checkpoint before it "
                                           "in the store: one was removed, inserted or changed",
                                           "未接续存储中的前一个检查点：有检查点被删除、插入或改动"))
    for c in checkpoints:
        if c["origin"] != origin:
            report.problems.append(Problem("origin", _name(c), None, f"the store keeps a checkpoint of {c['origin']}",
                                               f"存储保存的是 {c['origin']} 的检查点"))
        elif c["tree_size"] > size:
            report.problems.append(Problem("truncated", _name(c), None,
                                           f"the store's own checkpoint covers {c['tree_size']} events; it holds {size}",
                                           f"存储自己的检查点涵盖 {c['tree_size']} 条事件；存储只有 {size} 条"))
        elif roots[c["tree_size"]].hex() != c["root"]:
            report.problems.append(Problem("rewritten", _name(c), None,
                                           f"the first {c['tree_size']} events no longer have the root the store kept",
                                           f"前 {c['tree_size']} 条事件的根已不是存储保存的根"))


def _against_checkpoint(checkpoint: dict, held: int, roots: dict, origin: str, public_key, report: Report) -> None:
    subject = _name(checkpoint)
    if public_key is not None and not checkpoints.signature_ok(checkpoint, public_key):
        report.problems.append(Problem("signature", subject, None, "the checkpoint's signature does not verify",
                                       "检查点的签名核验不通过"))
    if checkpoint["origin"] != origin:
        report.problems.append(Problem("origin", subject, None, f"it is of {checkpoint['origin']}, this store is {origin}",
                                       f"它属于 {checkpoint['origin']}，本存储是 {origin}"))
    size = checkpoint["tree_size"]
    if size > held:
        report.problems.append(Problem("truncated", subject, None,
                                       f"it covers {size} events; the store holds {held}",
                                       f"它涵盖 {size} 条事件；存储只有 {held} 条"))
    elif roots[size].hex() != checkpoint["root"]:
        report.problems.append(Problem("rewritten", subject, None,
                                       f"the first {size} events no longer have the root it signed",
                                       f"前 {size} 条事件的根已不是它签署的根"))


def inside(folder: Path, ref: str) -> Path | None:
    """FOLDER/ref if it stays inside FOLDER once resolved (no absolute path, `..` or symlink out), else None."""
    root = folder.resolve()
    try:
        path = (root / ref).resolve()
    except (OSError, ValueError):
        return None
    return path if path.is_relative_to(root) and path != root else None


def verify_documents(ledger, names: dict, folder: Path) -> list[Problem]:
    """Recheck every document with a recorded sha256 whose file is found in FOLDER (by ref or file name)."""
    problems = []
    for event in ledger.all_events():
        for doc in event.documents:
            if "sha256" not in doc:
                continue
            candidates = [inside(folder, doc["ref"]), inside(folder, Path(doc["ref"]).name)]
            found = next((p for p in candidates if p is not None and p.is_file()), None)
            subject = names.get(event.originator_id.hex, event.originator_id.hex)
            if found is None:
                outside = "; its path points outside the folder and was not followed" if candidates[0] is None else ""
                problems.append(Problem("document", subject, event.originator_version,
                                        f"{doc['ref']} not found in {folder}{outside}",
                                        f"{folder} 中没有 {doc['ref']}" + ("；其路径指向文件夹之外，未予跟随" if outside else "")))
            elif sha256(found.read_bytes()).hexdigest() != doc["sha256"]:
                problems.append(Problem("document", subject, event.originator_version,
                                        f"{doc['ref']} differs from the sha256 recorded",
                                        f"{doc['ref']} 与记录的 sha256 不符"))
    return problems
