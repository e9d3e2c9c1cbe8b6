"""The log in order, checked a stretch at a time: each chain hash a leaf of the Merkle tree, each log-wide link
against the one before, each event's recorded time against the log and the checkpoints.

A stretch of notification ids is checked on its own, by whichever process takes it, as if nothing came before
it; `join` puts the stretches together where they meet (the tree's subtrees, the link across each seam, the
latest time before each), so the answer is one pass's.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from events import merkle
from events.chain import log_hash
from events.problems import Problem, checkpoint_name, name_zh
from events.rawlog import recorded_at

CLOCK_SKEW = timedelta(minutes=5)
"""How far an event's recorded_at may fall behind one before it in the log: a writer stamps its events
before it waits for the write lock, and machines' clocks drift a little. Back-dating beyond it is named."""


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


def _utc(when: datetime) -> str:
    """A recorded time as a problem shows it (compared as it is: an aware time in any zone)."""
    return when.astimezone(timezone.utc).isoformat()


@dataclass
class Stretch:
    """The chain entries with notification ids in (after, upto], the first of them at `begin` in the Merkle tree
    and `rows` of them as the caller counted: one share of the log-order pass."""

    after: float  # the first stretch: -inf, every id below its end (ids below 1 are only ever written by hand)
    upto: int
    begin: int
    rows: int | None = None  # not counted: the whole log, read by the caller alone


def stretches(log, last: int, parts: int) -> list[Stretch]:
    """The log cut into `parts` stretches of ids, each knowing where it begins in the tree (counted first)."""
    below = float("-inf")
    if parts == 1:
        return [Stretch(below, last, 0)]
    width = max(1, -(-last // parts))
    counts, found, begin = log.chain_counts(width, last), [], 0
    for k in range(parts):
        if k * width >= last and found:
            break
        found.append(Stretch(below if k == 0 else k * width, min((k + 1) * width, last), begin, counts.get(k, 0)))
        begin += counts.get(k, 0)
    return found


@dataclass
class LogPart:
    """What a stretch of the log says, for the caller to join in order: its subtrees (`tree`, and at each size
    asked for within it `roots`), the log chain inside it, and its times as if nothing came before."""

    tree: merkle.CompactRange
    roots: dict[int, merkle.CompactRange]
    leading: int  # rows without a log link before its first linked one: problems if a linked one came before it
    unlinked: list[Problem]  # those rows named, when the part was read knowing that one had
    first: tuple | None  # (nid, chain hash, link, oid, version) of its first linked row, checked at the seam
    last: bytes | None  # its last link
    problems: list[Problem]
    late: list[Problem]  # its time problems
    lowest: datetime | None  # the earliest readable time in it
    latest: tuple | None  # (time, nid) of the latest, the first to reach it


def log_part(log, stretch: Stretch, names, sizes: set[int], bounds: list, latest: tuple | None = None,
              started: bool = False, tick=None) -> LogPart:
    """One stretch in log order: each chain hash a leaf of the tree, each log link against the one before, each
    event's recorded_at against the log and the checkpoints (from `latest`, the time to beat, if known; `started`:
    a linked row came before it). Rows from before the log chain are only counted unless `started`: a store
    older than the chain holds millions. `tick(n)`: n more rows read, a page at a time."""
    tree, roots = merkle.CompactRange(stretch.begin), {}
    part = LogPart(tree, roots, 0, [], None, None, [], [], None, None)
    timeline = Timeline(bounds, part.late, latest)
    see, previous, heads, position = timeline.see, None, [], stretch.begin

    def grow() -> None:
        """The tree grows a page at a time."""
        tree.add_data(heads)
        if tick and heads:
            tick(len(heads))
        heads.clear()

    for nid, oid, version, head, linked, state in log.log_rows(stretch.after, stretch.upto):
        head = bytes(head)
        heads.append(head)
        position += 1
        if position in sizes or len(heads) == 4096:
            grow()
            if position in sizes:
                roots[position] = tree.copy()
        if linked is None:
            if part.first is None:
                part.leading += 1
            if part.first is not None or started:
                (part.problems if part.first is not None else part.unlinked).append(
                    Problem("log", names.get(oid, oid), version, f"event {nid} has no log link after linked ones",
                            f"事件 {nid} 在已链接的事件之后却没有日志链接"))
        else:
            linked = bytes(linked)
            if part.first is None:
                part.first = (nid, head, linked, oid, version)
            elif not _links(linked, previous, nid, head):
                part.problems.append(broken(names.get(oid, oid), version, nid))
            previous = linked
        if state is not None:  # an event gone from the events table is named by the aggregate pass
            when = recorded_at(bytes(state))
            see(position, nid, oid, version, when if when is None or when.tzinfo else _aware(when), names)
    grow()
    part.last, part.lowest = previous, timeline.lowest
    part.latest = None if timeline.latest is None else (timeline.latest, timeline.latest_nid)
    return part


def _links(linked: bytes, previous: bytes | None, nid, head: bytes) -> bool:
    """Whether `linked` is the log-wide link of the row at `nid` after `previous` (an id no writer gives is not)."""
    try:
        return linked == log_hash(previous, nid, head)
    except (struct.error, TypeError):
        return False


def broken(subject: str, version: int, nid: int) -> Problem:
    return Problem("log", subject, version, f"the log chain breaks before event {nid}: an event before it was removed "
                   "from both tables, or the log was reordered",
                   f"日志链在事件 {nid} 之前断开：之前有事件从两张表中被删除，或日志顺序被改动")


def join(parts: list, log, names, sizes: set[int], bounds: list, problems: list[Problem], late: list[Problem]):
    """The stretches' parts joined in log order: the tree and its roots at `sizes`, the log chain across each
    seam, and the times. A part that cannot be joined as it was read (its rows not as counted, an event that may
    fall behind the latest time before it, unlinked rows after linked ones) is read here again from what came
    before it: rare, so the common case costs nothing twice."""
    tree, roots = merkle.CompactRange(), {}
    if 0 in sizes:
        roots[0] = tree.root()
    previous, started, latest = None, False, None
    for stretch, part in parts:
        counted = part.tree.begin == tree.size and stretch.rows in (None, part.tree.size - part.tree.begin)
        behind = latest is not None and part.lowest is not None and part.lowest < latest[0] - CLOCK_SKEW
        if not counted or behind or (started and part.leading):
            # read here again, knowing what came before it: rows not as counted (another snapshot, a worker's own on
            # SQLite, changed by a hand meanwhile; ids no count foresaw, a hand's 10.5), an event that may fall
            # behind the latest time before it, or rows without a log link after linked ones (rare, all of them)
            stretch = Stretch(stretch.after, stretch.upto, tree.size)
            part = log_part(log, stretch, names, sizes, bounds, latest, started)
        for size, inner in part.roots.items():
            joined = tree.copy()
            joined.extend(inner)
            roots[size] = joined.root()
        tree.extend(part.tree)
        problems += part.unlinked  # named only by a part read knowing that a linked row came before it
        if part.first is not None:
            nid, head, linked, oid, version = part.first
            if not _links(linked, previous, nid, head):
                problems.append(broken(names.get(oid, oid), version, nid))
            previous, started = part.last, True
        problems += part.problems
        late += part.late
        if part.latest is not None and (latest is None or part.latest[0] > latest[0]):
            latest = part.latest
    return tree, roots


def checkpoint_bounds(checkpoints: list[dict], problems: list[Problem]) -> list[tuple]:
    """(tree size, time, name) of each checkpoint with a time, by size; one without is named."""
    bounds = []
    for c in checkpoints:
        try:
            bounds.append((c["tree_size"], datetime.fromisoformat(c["timestamp"]), checkpoint_name(c)))
        except ValueError:
            problems.append(Problem("checkpoint", checkpoint_name(c), None, "its timestamp is not a time", "其时间戳不是时间"))
    return sorted(bounds, key=lambda b: b[0])


class Timeline:
    """In log order recorded_at does not run backwards; a checkpoint's time bounds the events it covers (none
    recorded after it) and every later one (none recorded before it): a back-dated append is named. `latest`:
    (time, nid) of the latest event before the first one seen, if known."""

    def __init__(self, bounds: list[tuple], problems: list[Problem], latest: tuple | None = None):
        self.bounds, self.problems = bounds, problems
        # covering[i]: the earliest checkpoint among bounds[i:], which all cover positions up to bounds[i]'s size
        self.covering, earliest = [None] * len(bounds), None
        for i in range(len(bounds) - 1, -1, -1):
            if earliest is None or bounds[i][1] < earliest[1]:
                earliest = bounds[i]
            self.covering[i] = earliest
        self.passed, self.i = None, 0  # the latest checkpoint that no longer covers the position
        self.latest, self.latest_nid = latest or (None, None)
        self.lowest = None

    def see(self, position: int, nid: int, oid: str, version: int, when: datetime | None, names) -> None:
        """The event at tree `position` (1-based), recorded at `when` (None: unreadable)."""
        bounds, problems = self.bounds, self.problems
        while self.i < len(bounds) and bounds[self.i][0] < position:
            if self.passed is None or bounds[self.i][1] > self.passed[1]:
                self.passed = bounds[self.i]
            self.i += 1
        if when is None:
            problems.append(Problem("time", names.get(oid, oid), version, f"event {nid} has no readable recorded_at",
                                    f"事件 {nid} 没有可读的记录时间"))
            return
        if self.lowest is None or when < self.lowest:
            self.lowest = when
        latest = self.latest
        if latest is not None and when < latest - CLOCK_SKEW:
            problems.append(Problem("backdated", names.get(oid, oid), version,
                                    f"event {nid} claims recorded_at {_utc(when)}, before event "
                                    f"{self.latest_nid} earlier in the log ({_utc(latest)})",
                                    f"事件 {nid} 自称记录于 {_utc(when)}，早于日志中在它之前的事件 "
                                    f"{self.latest_nid}（{_utc(latest)}）"))
        elif latest is None or when > latest:
            self.latest, self.latest_nid = when, nid
        if self.passed is not None and when < self.passed[1] - CLOCK_SKEW:
            problems.append(Problem("backdated", names.get(oid, oid), version,
                                    f"event {nid} claims recorded_at {_utc(when)}, before {self.passed[2]} "
                                    "that does not cover it",
                                    f"事件 {nid} 自称记录于 {_utc(when)}，早于未涵盖它的{name_zh(self.passed[2])}"))
        if self.i < len(bounds) and when > self.covering[self.i][1] + CLOCK_SKEW:
            problems.append(Problem("postdated", names.get(oid, oid), version,
                                    f"event {nid} claims recorded_at {_utc(when)}, after {self.covering[self.i][2]} "
                                    "that covers it",
                                    f"事件 {nid} 自称记录于 {_utc(when)}，晚于涵盖它的{name_zh(self.covering[self.i][2])}"))
