"""Benchmark: `minerehab verify` as a user runs it, against its floor (read every row + SHA-256), in one run.

Usage: python bench/verify_floor.py STORE [--repeat 3] [--code CHECKOUT]
STORE is a SQLite file or a postgresql:// URL. verify is a whole process minus its start-up
(`verify --help`), in wall and CPU seconds as bench/audit_formats.py measures the audit; the floor reads
every stored state and hashes it once with SHA-256, in this process. On a signed store the
signatures are checked too; the per-event cost of that is stated against bench/signing.py.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import struct
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audit_formats import ROOT, measured, scan  # noqa: E402
from audit_formats import floor as read_floor  # noqa: E402

from events.rawlog import STAMP  # noqa: E402  (how verify finds a recorded time in a state's bytes)


def floor(store: str) -> tuple[float, float]:
    """(CPU, wall) seconds to SELECT every state and SHA-256 it."""
    return read_floor(store, lambda state: hashlib.sha256(state).digest())


LEAST = ("SELECT c.notification_id, c.originator_id, c.originator_version, c.content, c.hash, c.log_hash, e.topic, "
         "e.state FROM {chain} c JOIN {events} e ON e.{nid} = c.notification_id ORDER BY c.notification_id")


def least(store: str) -> tuple[float, int]:
    """(CPU seconds, mismatches) of the least any verify can do, written here apart from minerehab: one read of
    the chain joined to the events in log order, and for each event every digest the formats make verify
    compute (the state's, its chain link, its Merkle leaf and the nodes it closes, its log link) and its
    recorded time, each compared and nothing more (no problem named, no second read, no progress, one
    process). verify's own CPU divided by the cores it has can come no closer to the floor than this."""
    pack, heads, topics, stack, size, log = struct.Struct(">Q").pack, {}, {}, [], 0, bytes(32)
    sha, genesis, mismatches = hashlib.sha256, bytes(32), 0
    started = time.process_time()
    with scan(store, LEAST) as rows:
        for nid, oid, version, content, head, link, topic, state in rows:
            head = bytes(head)
            if sha(state).digest() != content:
                mismatches += 1
            encoded = topics.get(topic)
            if encoded is None:
                encoded = topics[topic] = struct.pack(">I", len(topic.encode())) + topic.encode()
            if sha(heads.get(oid, genesis) + oid.encode() + pack(version) + encoded + state).digest() != head:
                mismatches += 1
            heads[oid] = head
            node, height, index = sha(b"\x00" + head).digest(), 0, size
            size += 1
            while index & 1 and stack and stack[-1][0] == height:
                node, height, index = sha(b"\x01" + stack.pop()[1] + node).digest(), height + 1, index >> 1
            stack.append((height, node))
            log = sha(log + pack(nid) + head).digest()
            if link is not None and log != link:
                mismatches += 1
            found = STAMP.findall(state)
            if len(found) != 1 or datetime.fromisoformat(found[0].decode()) is None:
                mismatches += 1
    return time.process_time() - started, mismatches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, help="Pass --jobs N to verify (default: its own choice).")
    parser.add_argument("--code", type=Path, default=ROOT, help="The checkout to run (to compare two versions).")
    args = parser.parse_args()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    floors, startups, runs, leasts = [], [], [], []
    for _ in range(args.repeat):
        floors.append(floor(args.store))
        leasts.append(least(args.store)[0])
        startups.append(measured(["verify", "--help"], args.store, args.code))
        run = measured(["verify", *jobs], args.store, args.code)
        if "Traceback" in run.stderr:
            sys.exit(f"verify failed: {run.stderr[-500:]}")
        runs.append(run)
    cpu, wall = min(c for c, _ in floors), min(w for _, w in floors)
    c = min(r.cpu for r in runs) - min(r.cpu for r in startups)
    w = min(r.wall for r in runs) - min(r.wall for r in startups)
    print(f"code {args.code}; store {args.store}; {' '.join(jobs) or 'default jobs'}; floor (read + SHA-256) best "
          f"{cpu:.2f} s CPU, {wall:.2f} s wall")
    print(f"  verify  {w:6.2f} s wall = {w / wall:.2f}x   {c:6.2f} s CPU = {c / cpu:.2f}x   peak "
          f"{max(r.peak for r in runs) / 2**20:.0f} MB (all processes at once {max(r.tree for r in runs) / 2**20:.0f} MB)")
    bound, cores = min(leasts), os.cpu_count() or 1
    print(f"  least any verify can do (one pass, every digest, nothing named) {bound:6.2f} s CPU = {bound / cpu:.2f}x: "
          f"on {cores} cores at best {bound / cores / wall:.2f}x wall")


if __name__ == "__main__":
    main()
