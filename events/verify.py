"""Verification: recompute every chain and the log's Merkle root, and say exactly what differs.

Without a checkpoint, `verify` catches any row edited, deleted, inserted or moved by
someone who did not also rewrite the chain. Against a signed checkpoint kept elsewhere,
it also catches a rewritten chain or a truncated tail within the history it covers.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path

from events import checkpoint as checkpoints
from events import merkle
from events.chain import GENESIS, as_bytes, chain_hash, content_digest


@dataclass
class Problem:
    kind: str  # edited, deleted, inserted, reordered, moved, chain, truncated, rewritten, signature, document
    subject: str
    version: int | None
    detail: str

    def __str__(self) -> str:
        where = f"{self.subject}@{self.version}" if self.version is not None else self.subject
        return f"{self.kind}: {where}: {self.detail}"


@dataclass
class Report:
    events: int = 0
    aggregates: int = 0
    tree_size: int = 0
    root: bytes = b""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_aggregate(oid: str, name: str, events: dict, chain: dict, report: Report) -> None:
    contents = {v: row[3] for v, row in chain.items()}
    previous = GENESIS
    for version in sorted(set(events) | set(chain)):
        stored, link = events.get(version), chain.get(version)
        if stored is None:
            report.problems.append(Problem("deleted", name, version, "the event is gone; its chain entry remains"))
            previous = bytes(link[4])
            continue
        _, _, nid, topic, state = stored
        if link is None:
            report.problems.append(Problem("inserted", name, version, "an event with no chain entry"))
            continue
        digest = content_digest(topic, as_bytes(state))
        if digest != bytes(link[3]):
            others = [v for v, c in contents.items() if v != version and bytes(c) == digest]
            if others:
                report.problems.append(Problem("reordered", name, version, f"holds the event recorded as version {others[0]}"))
            else:
                report.problems.append(Problem("edited", name, version, "the stored event differs from what was recorded"))
        elif chain_hash(previous, oid, version, topic, as_bytes(state)) != bytes(link[4]):
            report.problems.append(Problem("edited", name, version, "the event's topic or its chain entry was changed"))
        if nid != link[2]:
            report.problems.append(Problem("moved", name, version, f"at log position {nid}, recorded at {link[2]}"))
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


def verify(log, checkpoint: dict | None = None, public_key=None, tick=None) -> Report:
    report = Report()
    names = log.keys()
    for oid, stored, links in _merge(log.events_by_aggregate(), log.chain_by_aggregate()):
        if tick:
            tick(len(stored))
        report.events += len(stored)
        report.aggregates += 1
        _check_aggregate(oid, names.get(oid, oid), stored, links, report)
    leaves = log.leaf_hashes()
    report.tree_size = len(leaves)
    report.root = merkle.root(leaves)
    if checkpoint is not None:
        _against_checkpoint(checkpoint, leaves, log.origin(), public_key, report)
    return report


def _against_checkpoint(checkpoint: dict, leaves: list[bytes], origin: str, public_key, report: Report) -> None:
    subject = f"checkpoint {checkpoint['tree_size']}@{checkpoint['timestamp']}"
    if public_key is not None and not checkpoints.signature_ok(checkpoint, public_key):
        report.problems.append(Problem("signature", subject, None, "the checkpoint's signature does not verify"))
    if checkpoint["origin"] != origin:
        report.problems.append(Problem("origin", subject, None, f"it is of {checkpoint['origin']}, this store is {origin}"))
    size = checkpoint["tree_size"]
    if size > len(leaves):
        report.problems.append(Problem("truncated", subject, None,
                                       f"it covers {size} events; the store holds {len(leaves)}"))
    elif merkle.root(leaves[:size]).hex() != checkpoint["root"]:
        report.problems.append(Problem("rewritten", subject, None,
                                       f"the first {size} events no longer have the root it signed"))


def verify_documents(ledger, names: dict, folder: Path) -> list[Problem]:
    """Recheck every document with a recorded sha256 whose file is found in FOLDER (by ref or file name)."""
    problems = []
    for event in ledger.all_events():
        for doc in event.documents:
            if "sha256" not in doc:
                continue
            candidates = [folder / doc["ref"], folder / Path(doc["ref"]).name]
            found = next((p for p in candidates if p.is_file()), None)
            subject = names.get(event.originator_id.hex, event.originator_id.hex)
            if found is None:
                problems.append(Problem("document", subject, event.originator_version, f"{doc['ref']} not found in {folder}"))
            elif sha256(found.read_bytes()).hexdigest() != doc["sha256"]:
                problems.append(Problem("document", subject, event.originator_version,
                                        f"{doc['ref']} differs from the sha256 recorded"))
    return problems
