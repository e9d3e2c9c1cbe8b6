"""The stored log read as rows, below eventsourcing: for verification, proofs and copying.

Reads go through the recorder's own datastore, so the same code serves SQLite and
PostgreSQL; only the placeholder style and table names differ.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import uuid
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

from events.chain import (
    CHAIN_TABLE,
    CHECKPOINT_COLUMNS,
    CHECKPOINT_TABLE,
    checkpoint_digest,
    hex_id,
)
from events.chaincheck import chained, named_problems
from events.store import denied

INFO_TABLE = "store_info"
PAGE, FAST_PAGE = 2000, 5000
"""Rows fetched at a time: scans of a whole table page through it."""

COPY_PAGE = 1000
"""Rows a copy writes at a time: a national log's 3.5 million rows are never in memory at once."""


STAMP = re.compile(rb'"timestamp":\{"_type_":"datetime_iso","_data_":"([^"]{1,40})"\}')


def recorded_at(state: bytes) -> datetime | None:
    """An event's recorded_at from its stored bytes; the full decode only when the fast pattern is not certain."""
    found = STAMP.findall(state)
    try:
        if len(found) == 1:
            return datetime.fromisoformat(found[0].decode())
        stamp = json.loads(state)["timestamp"]
        return datetime.fromisoformat(stamp["_data_"] if isinstance(stamp, dict) else stamp)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def in_link_order(rows: list[dict]) -> list[dict]:
    """Checkpoints as they were remembered: the unlinked ones of an older store first, then each linked
    one after the one it names (two taken in the same second at the same size are told apart);
    rows that link to nothing come last, where verify names them."""
    unlinked = [r for r in rows if r["previous"] is None]
    waiting = [r for r in rows if r["previous"] is not None]
    ordered = list(unlinked)
    while waiting:
        after = checkpoint_digest(ordered[-1]) if ordered else ""
        follower = next((r for r in waiting if r["previous"] == after), None)
        if follower is None:
            return ordered + waiting
        ordered.append(follower)
        waiting.remove(follower)
    return ordered


@dataclass(frozen=True)
class Span:
    """The aggregates whose ids (32 hex digits) lie in [lo, hi) (hi None: to the end), as the log stood at
    notification id `upto`: one share of a read split between processes. Bounding every query by `upto`
    keeps what a writer appends meanwhile out of a share whose process took its snapshot later."""

    lo: str
    hi: str | None
    upto: int


def _beside(events: Iterator[tuple], chain: Iterator[tuple]) -> Iterator[tuple]:
    """Each event row with its chain entry's (notification id, content, hash), or three Nones: both streams in
    aggregate and version order."""
    link = next(chain, None)
    for row in events:
        oid, version = row[0], row[1]
        while link is not None and (link[0] < oid or (link[0] == oid and link[1] < version)):
            link = next(chain, None)
        if link is not None and link[0] == oid and link[1] == version:
            yield row[0], version, row[2], row[3], row[4], link[2], link[3], link[4]
            link = next(chain, None)
        else:
            yield row[0], version, row[2], row[3], row[4], None, None, None


def spans(upto: int, parts: int) -> list[Span]:
    """The id space cut into `parts` equal ranges: aggregate ids are uuids, spread evenly over it."""
    cuts = [f"{(i << 128) // parts:032x}" for i in range(parts)]
    return [Span(lo, hi, upto) for lo, hi in zip(cuts, [*cuts[1:], None])]


@functools.cache
def _hex_ids():
    """psycopg's loader of a binary uuid column as 32 hex digits, as the chain and SQLite hold ids (made on first
    use: psycopg is imported only for PostgreSQL)."""
    from psycopg.adapt import Loader
    from psycopg.pq import Format

    class HexIds(Loader):
        format = Format.BINARY  # the 16 bytes themselves

        def load(self, data) -> str:
            return bytes(data).hex()

    return HexIds


class Names:
    """originator_id -> 'kind:key', read only when first asked: a scan names aggregates only for its problems,
    and at national scale the whole map is tens of megabytes."""

    def __init__(self, log: "RawLog"):
        self.log, self.names = log, None

    def get(self, oid: str, default=None):
        if self.names is None:
            self.names = self.log.keys()
        return self.names.get(oid, default)


class RawLog:
    def __init__(self, recorder):
        self.recorder = recorder
        schema = getattr(recorder.datastore, "schema", None)
        self.sqlite = schema is None
        self.mark = "?" if self.sqlite else "%s"
        prefix = "" if self.sqlite else f'"{schema}".'
        self.events_table = prefix + recorder.events_table_name
        self.chain_table, self.checkpoint_table, self.info_table = (
            prefix + CHAIN_TABLE, prefix + CHECKPOINT_TABLE, prefix + INFO_TABLE)
        self._pinned = None

    @contextmanager
    def snapshot(self, imported: str | None = None):
        """Every read inside sees the store as of one instant, while writers go on.

        Events and chain rows are read by separate queries; in separate transactions a writer
        committing between them makes an untouched store look tampered. One read transaction
        (REPEATABLE READ on PostgreSQL; SQLite's WAL gives a reader its snapshot) pins them."""
        if self._pinned is not None:
            yield self
            return
        with self.cursor() as c:
            if not self.sqlite:
                c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                if imported is not None:  # another process's snapshot, exactly (export_snapshot)
                    if not re.fullmatch(r"[0-9A-Fa-f-]{1,64}", imported):
                        raise ValueError(f"not a snapshot id: {imported!r}")
                    c.execute(f"SET TRANSACTION SNAPSHOT '{imported}'")  # SET takes no parameters
                c.execute("SET LOCAL jit = off")  # streamed scans: compiling each share's query cost more than it saved
            self._pinned = c
            try:
                yield self
            finally:
                self._pinned = None

    def _pinned_cursor(self):
        pinned = self._pinned
        if self.sqlite:
            return type(pinned)(pinned.sqlite_cursor.connection.cursor())
        return pinned.connection.cursor(row_factory=pinned.row_factory)

    @contextmanager
    def cursor(self, commit: bool = False):
        if self._pinned is not None and not commit:
            # a cursor of its own in the pinned transaction: two scans read side by side (verify's merge)
            yield self._pinned_cursor()
            return
        try:
            with self.recorder.datastore.transaction(commit=commit) as cursor:
                yield cursor
        except Exception as error:
            refusal = denied(error)
            if refusal:
                raise refusal from None
            raise

    def _rows(self, sql: str, params: tuple = (), stream: bool = False) -> Iterator[tuple]:
        """Rows a page at a time; aggregate ids as 32 hex digits whatever the backend's type.

        `stream` is for scans of a whole table: on PostgreSQL a plain cursor would first copy every
        row of the result into this process (433 MB for 356,000 events), a server-side one pages."""
        with self.cursor() as c, self._server_side(c) if stream and not self.sqlite else nullcontext() as named:
            raw = named or getattr(c, "sqlite_cursor", c)  # eventsourcing's SQLite wrapper has no fetchmany
            raw.execute(sql.replace("?", self.mark), params)
            if self.sqlite:
                raw.row_factory = None
            if self.sqlite or named:  # plain tuples, ids already text (a scan's loads them as hex): as they come
                while page := raw.fetchmany(PAGE):
                    yield from page
                return
            while page := raw.fetchmany(PAGE):
                for row in page:
                    row = tuple(row.values()) if isinstance(row, dict) else tuple(row)
                    yield tuple(hex_id(x) if isinstance(x, uuid.UUID) else x for x in row)

    @staticmethod
    def _server_side(c):
        """A server-side cursor of plain tuples, in binary (a state's bytes as they are, not in hex text: half the
        transfer), whose uuids load as 32 hex digits: no row is converted again in Python (a third of a national
        scan's time on PostgreSQL went to it)."""
        from psycopg.rows import tuple_row

        cursor = c.connection.cursor(name=f"minerehab_scan_{uuid.uuid4().hex[:12]}", row_factory=tuple_row,
                                     binary=True)
        cursor.adapters.register_loader("uuid", _hex_ids())
        return cursor

    def events_by_aggregate(self, span: Span | None = None) -> Iterator[tuple]:
        """(originator_id, version, notification_id, topic, state) ordered by aggregate and version; with a
        span, that share of them."""
        nid = "rowid" if self.sqlite else "notification_id"
        where, params = self._within(span, nid, events=True)
        return self._fast(f"SELECT originator_id, originator_version, {nid}, topic, state FROM {self.events_table} "
                          f"{where} ORDER BY originator_id, originator_version", params)

    def _within(self, span: Span | None, nid: str | None, events: bool = False, table: str = "") -> tuple[str, tuple]:
        """A WHERE clause keeping a span's rows (the events table's ids are uuids on PostgreSQL, text elsewhere),
        of the table named `table` in a join; up to the span's last notification id in column `nid`, if named."""
        if span is None:
            return "", ()
        as_id, oid = uuid.UUID if events and not self.sqlite else str, f"{table}originator_id"
        clause, params = f"WHERE {oid} >= ?", (as_id(span.lo),)
        if nid is not None:
            # `+ 0`: the bound filters the rows of the id range (its index, in its order); as an indexed condition
            # of its own, PostgreSQL ANDed a bitmap of nearly the whole notification index into every share's scan
            clause, params = clause + f" AND {table}{nid} + 0 <= ?", (*params, span.upto)
        if span.hi is not None:
            clause, params = clause + f" AND {oid} < ?", (*params, as_id(span.hi))
        return clause, params

    def events_after(self, notification_id: int) -> Iterator[tuple]:
        """(originator_id, version, notification_id, topic, state) recorded after a notification id, in log order."""
        nid = "rowid" if self.sqlite else "notification_id"
        return self._fast(f"SELECT originator_id, originator_version, {nid}, topic, state FROM {self.events_table} "
                          f"WHERE {nid} > ? ORDER BY {nid}", (notification_id,))

    def events_of_aggregate(self, originator_id: str) -> list[tuple]:
        """Like events_by_aggregate, for one aggregate (its id as 32 hex digits)."""
        nid = "rowid" if self.sqlite else "notification_id"
        ident = originator_id if self.sqlite else uuid.UUID(originator_id)
        return list(self._fast(f"SELECT originator_id, originator_version, {nid}, topic, state FROM {self.events_table} "
                               "WHERE originator_id = ? ORDER BY originator_version", (ident,)))

    def events_of(self, topic_prefix: str, upto: int | None = None) -> Iterator[tuple]:
        """Like events_by_aggregate, for the aggregates whose topics start with `topic_prefix` only (up to a
        notification id)."""
        nid = "rowid" if self.sqlite else "notification_id"
        bound, params = (f" AND {nid} <= ?", (upto,)) if upto is not None else ("", ())
        return self._fast(f"SELECT originator_id, originator_version, {nid}, topic, state FROM {self.events_table} "
                          f"WHERE topic LIKE ?{bound} ORDER BY originator_id, originator_version",
                          (topic_prefix + "%", *params))

    def _fast(self, sql: str, params: tuple = ()) -> Iterator[tuple]:
        """The audit's hot path: SQLite rows as they come (ids are already text); other backends through _rows."""
        if not self.sqlite:
            yield from self._rows(sql, params, stream=True)
            return
        with self.cursor() as c:
            c.execute(sql, params)
            raw = c.sqlite_cursor
            raw.row_factory = None
            while page := raw.fetchmany(FAST_PAGE):
                yield from page

    def events_with_chain(self, span: Span | None = None) -> Iterator[tuple]:
        """events_by_aggregate's rows, each with its chain entry's notification id, content digest and hash beside
        it (three Nones when it has none): what verify checks each aggregate's chain against when nothing is off
        (chain entries with no event are found by counting them, `chain_size`). SQLite joins them; PostgreSQL
        planned the join as an index probe per event (and compiled it, JIT), slower than the two ordered scans
        merged here."""
        if not self.sqlite:
            yield from _beside(self.events_by_aggregate(span), self.chain_by_aggregate(span))
            return
        where, params = self._within(span, "rowid", events=True, table="e.")
        yield from self._fast(
            f"SELECT e.originator_id, e.originator_version, e.rowid, e.topic, e.state, c.notification_id, c.content, "
            f"c.hash FROM {self.events_table} e LEFT JOIN {self.chain_table} c ON c.originator_id = e.originator_id "
            f"AND c.originator_version = e.originator_version {where} ORDER BY e.originator_id, e.originator_version",
            params)

    def chain_by_aggregate(self, span: Span | None = None) -> Iterator[tuple]:
        """(originator_id, version, notification_id, content, hash) ordered by aggregate and version (of a span)."""
        where, params = self._within(span, "notification_id")
        return self._fast(f"SELECT originator_id, originator_version, notification_id, content, hash "
                          f"FROM {self.chain_table} {where} ORDER BY originator_id, originator_version", params)

    def chain_links(self, span: Span | None = None) -> Iterator[tuple]:
        """(originator_id, version, hash) ordered by aggregate and version: what `chained` checks against."""
        where, params = self._within(span, "notification_id")
        return self._fast(f"SELECT originator_id, originator_version, hash FROM {self.chain_table} {where} "
                          "ORDER BY originator_id, originator_version", params)

    def verified_events(self, span: Span | None = None) -> Iterator[tuple]:
        """events_by_aggregate, each row checked against its chain on the way (chaincheck.chained); Tampered at the
        end. Read inside `snapshot()` so that a writer committing meanwhile is not taken for tampering."""

        def exact():
            return named_problems(self.events_by_aggregate(span), self.chain_links(span), Names(self))

        return chained(self.events_by_aggregate(span), self.chain_heads(span), lambda: self.chain_size(span), exact)

    def chain_heads(self, span: Span | None = None) -> Iterator[tuple]:
        """(originator_id, version, hash) of each aggregate's last chain entry, in chain_links' order."""
        where, params = self._within(span, "notification_id")
        if self.sqlite:  # the bare column takes the row of max(): SQLite's documented behaviour
            return self._fast(f"SELECT originator_id, max(originator_version), hash FROM {self.chain_table} {where} "
                              "GROUP BY originator_id ORDER BY originator_id", params)
        return self._fast(f"SELECT DISTINCT ON (originator_id) originator_id, originator_version, hash "
                          f"FROM {self.chain_table} {where} ORDER BY originator_id, originator_version DESC", params)

    def chain_size(self, span: Span | None = None, bounded: bool = True) -> int:
        """How many chain entries there are (in a span). Not `bounded` by the span's last notification id, the
        count is read from the primary key's index alone (a tenth of the time): entries a writer appended after
        the caller's snapshot may be counted then."""
        where, params = self._within(span, "notification_id" if bounded else None)
        return next(iter(self._rows(f"SELECT COUNT(*) FROM {self.chain_table} {where}", params)))[0]

    def link(self, originator_id: str, version: int) -> bytes | None:
        """One event's chain hash, or None."""
        rows = list(self._rows(f"SELECT hash FROM {self.chain_table} WHERE originator_id = ? AND originator_version = ?",
                               (hex_id(originator_id).replace("-", ""), version)))
        return bytes(rows[0][0]) if rows else None

    def log_rows(self, after: int, upto: int) -> Iterator[tuple]:
        """(notification id, originator id, version, chain hash, log-wide link or None, the stored state or None)
        of the chain entries with ids in (after, upto], in log order: each beside the event stored at its id (none
        when it is gone), so that one read serves the Merkle tree, the log chain and the recorded times."""
        link = "c.log_hash" if self._log_linked() else "NULL"
        nid = "rowid" if self.sqlite else "notification_id"
        # the bounds on both sides: PostgreSQL's merge join otherwise reads the events' index from its start
        return self._fast(f"SELECT c.notification_id, c.originator_id, c.originator_version, c.hash, {link}, e.state "
                          f"FROM {self.chain_table} c LEFT JOIN {self.events_table} e ON e.{nid} = c.notification_id "
                          f"AND e.{nid} > ? AND e.{nid} <= ? WHERE c.notification_id > ? AND c.notification_id <= ? "
                          "ORDER BY c.notification_id", (after, upto, after, upto))

    def chain_counts(self, width: int, upto: int) -> dict[int, int]:
        """How many chain entries each stretch of `width` notification ids holds, by its number (ids 1..width
        the first; ids below 1, only ever written by hand, count with it), up to id `upto`: where each stretch
        begins in the Merkle tree, counted in one pass over the index."""
        return dict(self._rows(f"SELECT CASE WHEN notification_id > 1 THEN (notification_id - 1) / ? ELSE 0 END, "
                               f"COUNT(*) FROM {self.chain_table} WHERE notification_id <= ? GROUP BY 1", (width, upto)))

    def _log_linked(self) -> bool:
        if not hasattr(self, "_has_log_hash"):
            self._has_log_hash = "log_hash" in self._columns(CHAIN_TABLE)
        return self._has_log_hash

    def _columns(self, table: str) -> set[str]:
        if self.sqlite:
            return {name for (name,) in self._rows(f"SELECT name FROM pragma_table_info('{table}')")}
        return {name for (name,) in self._rows("SELECT column_name FROM information_schema.columns "
                                               "WHERE table_schema = ? AND table_name = ?",
                                               (self.recorder.datastore.schema, table))}

    def chain_of(self, originator_id: str) -> list[tuple[int, int, bytes]]:
        """(version, notification_id, hash) of one aggregate's events: where each stands in its chain and the log."""
        return [(v, n, bytes(h)) for v, n, h in self._rows(
            f"SELECT originator_version, notification_id, hash FROM {self.chain_table} "
            f"WHERE originator_id = ? ORDER BY originator_version", (originator_id,))]

    def leaf_hashes(self) -> list[bytes]:
        """The Merkle tree's leaves as RFC 6962 leaf hashes, in log order, without keeping the rows they came from."""
        from events.merkle import leaf_hash

        return [leaf_hash(bytes(h)) for (h,) in self._rows(f"SELECT hash FROM {self.chain_table} ORDER BY notification_id",
                                                             stream=True)]

    def current_root(self) -> tuple[int, bytes]:
        """(events, Merkle root) of the log as it stands, streamed: what `checkpoint` would sign."""
        from events.merkle import leaf_hash, streamed_root

        return streamed_root(leaf_hash(bytes(h)) for (h,) in self._rows(
            f"SELECT hash FROM {self.chain_table} ORDER BY notification_id", stream=True))

    def leaves(self) -> list[tuple[bytes, str, int]]:
        """(chain hash, originator_id, version) in log order: the Merkle tree's leaves."""
        return [(bytes(h), str(o), v) for h, o, v in self._rows(
            f"SELECT hash, originator_id, originator_version FROM {self.chain_table} ORDER BY notification_id",
            stream=True)]

    def keys(self) -> dict[str, str]:
        """originator_id -> 'kind:key', as recorded beside the chain when each aggregate was opened."""
        return {oid: subject for oid, subject in self._rows(
            f"SELECT originator_id, subject FROM {self.chain_table} WHERE originator_version = 1") if subject}

    def origin(self) -> str:
        return self.info("origin") or "minerehab"

    def info(self, name: str) -> str | None:
        """A fact about the store itself (its origin, whether commands must be signed)."""
        rows = list(self._rows(f"SELECT value FROM {self.info_table} WHERE name = ?", (name,)))
        return rows[0][0] if rows else None

    def info_rows(self) -> list[tuple[str, str]]:
        return list(self._rows(f"SELECT name, value FROM {self.info_table} ORDER BY name"))

    def set_info(self, name: str, value: str) -> None:
        with self.cursor(commit=True) as c:
            c.execute(f"DELETE FROM {self.info_table} WHERE name = {self.mark}", (name,))
            c.execute(f"INSERT INTO {self.info_table} VALUES ({self.mark}, {self.mark})", (name, value))

    def ensure_origin(self) -> None:
        """Give a new store its identity, which every checkpoint of it names."""
        with self.cursor(commit=True) as c:
            c.execute(f"CREATE TABLE IF NOT EXISTS {self.info_table} (name TEXT PRIMARY KEY, value TEXT)")
            c.execute(f"SELECT value FROM {self.info_table} WHERE name = {self.mark}", ("origin",))
            if not c.fetchall():
                c.execute(f"INSERT INTO {self.info_table} VALUES ({self.mark}, {self.mark})",
                          ("origin", f"minerehab/{uuid.uuid4()}"))

    def record_checkpoint(self, checkpoint: dict) -> None:
        """Remember a checkpoint, linked to the one before (stores made before the link column: unlinked)."""
        with self.cursor(commit=True) as c:
            columns, values = list(CHECKPOINT_COLUMNS), [checkpoint[k] for k in CHECKPOINT_COLUMNS]
            if self._linked():
                before = self.checkpoints()
                columns.append("previous")
                values.append(checkpoint_digest(before[-1]) if before else "")
            c.execute(f"INSERT INTO {self.checkpoint_table} ({', '.join(columns)}) "
                      f"VALUES ({', '.join([self.mark] * len(values))})", values)

    def _linked(self) -> bool:
        """Whether this store's checkpoint table has the `previous` column (every store made since it came)."""
        if not hasattr(self, "_has_previous"):
            self._has_previous = "previous" in self._columns(CHECKPOINT_TABLE)
        return self._has_previous

    def checkpoints(self) -> list[dict]:
        """The checkpoints the store remembers, oldest first; `previous` is None in an unlinked table."""
        link = "previous" if self._linked() else "NULL"
        rows = [{"tree_size": n, "root": r, "timestamp": t, "origin": o, "signature": s, "previous": p}
                for n, r, t, o, s, p in self._rows(
                    f"SELECT tree_size, root, timestamp, origin, signature, {link} FROM {self.checkpoint_table} "
                    "ORDER BY tree_size, timestamp")]
        return in_link_order(rows)

    # --- copying between stores ---------------------------------------------------

    def events_in_log_order(self, after: int = 0, upto: int | None = None) -> Iterator[tuple]:
        """(notification_id, originator_id, version, topic, state) in log order; with `after`/`upto`, that stretch."""
        nid = "rowid" if self.sqlite else "notification_id"
        within = f"WHERE {nid} > ?" + (f" AND {nid} <= ?" if upto is not None else "")
        return self._fast(f"SELECT {nid}, originator_id, originator_version, topic, state FROM {self.events_table} "
                          f"{within} ORDER BY {nid}", (after,) if upto is None else (after, upto))

    def last_id(self, chained: bool = False) -> int:
        """The newest notification id in this snapshot (0 for an empty log); `chained`: of the events or their
        chain entries, which bounds a share read in another snapshot (`Span`) so that the entries of events
        deleted from the end of the log are still read, and named."""
        nid = "rowid" if self.sqlite else "notification_id"
        newest = next(iter(self._rows(f"SELECT COALESCE(MAX({nid}), 0) FROM {self.events_table}")))[0]
        if not chained:
            return newest
        return max(newest, next(iter(self._rows(f"SELECT COALESCE(MAX(notification_id), 0) FROM {self.chain_table}")))[0])

    def export_snapshot(self) -> str | None:
        """A token another process passes to `snapshot(imported=…)` to read exactly this snapshot (PostgreSQL's
        pg_export_snapshot; None on SQLite, whose readers bound themselves by `last_id` instead)."""
        if self.sqlite or self._pinned is None:
            return None
        with self.cursor() as c:  # the exporting transaction waits, idle, while the importers work
            c.execute("SET LOCAL idle_in_transaction_session_timeout = 0")
        return next(iter(self._rows("SELECT pg_export_snapshot()")))[0]

    def chain_rows(self, with_links: bool = False) -> Iterator[tuple]:
        link = ", log_hash" if with_links else ""
        yield from self._rows(f"SELECT originator_id, originator_version, notification_id, content, hash, subject{link} "
                              f"FROM {self.chain_table} ORDER BY notification_id", stream=True)

    def is_empty(self) -> bool:
        return not list(self._rows(f"SELECT 1 FROM {self.events_table} LIMIT 1"))

    def load_copy(self, source: "RawLog", tick=None) -> int:
        """Write another store's whole log here, keeping ids, versions, bytes, hashes, checkpoints and origin."""
        m = self.mark
        nid = "rowid" if self.sqlite else "notification_id"
        count = 0
        with self.cursor(commit=True) as c:
            page = []
            for row in source.events_in_log_order():
                oid = row[1] if self.sqlite else uuid.UUID(row[1])
                page.append((row[0], oid, row[2], row[3], bytes(row[4])))
                if len(page) == COPY_PAGE:
                    c.executemany(f"INSERT INTO {self.events_table} ({nid}, originator_id, originator_version, topic, "
                                  f"state) VALUES ({m}, {m}, {m}, {m}, {m})", page)
                    count += len(page)
                    if tick:
                        tick(len(page))
                    page = []
            if page:
                c.executemany(f"INSERT INTO {self.events_table} ({nid}, originator_id, originator_version, topic, state) "
                              f"VALUES ({m}, {m}, {m}, {m}, {m})", page)
                count += len(page)
            if self._log_linked():  # a log linked or not, copied as it is (its links are its own)
                rows = ((o, v, n, bytes(ct), bytes(h), s, bytes(rest[0]) if rest and rest[0] is not None else None)
                        for o, v, n, ct, h, s, *rest in source.chain_rows(with_links=source._log_linked()))
                width = 7
            else:
                rows = ((o, v, n, bytes(ct), bytes(h), s) for o, v, n, ct, h, s in source.chain_rows())
                width = 6
            for page in iter(lambda: list(itertools.islice(rows, COPY_PAGE)), []):
                c.executemany(f"INSERT INTO {self.chain_table} VALUES ({', '.join([m] * width)})", page)
            columns = [*CHECKPOINT_COLUMNS, *(["previous"] if self._linked() else [])]
            c.executemany(f"INSERT INTO {self.checkpoint_table} ({', '.join(columns)}) "
                          f"VALUES ({', '.join([m] * len(columns))})",
                          [tuple(x[k] for k in columns) for x in source.checkpoints()])
            for name, value in source.info_rows():
                c.execute(f"DELETE FROM {self.info_table} WHERE name = {m}", (name,))
                c.execute(f"INSERT INTO {self.info_table} VALUES ({m}, {m})", (name, value))
            if not self.sqlite:
                c.execute(f"SELECT setval(pg_get_serial_sequence('{self.events_table}', 'notification_id'), "
                          f"GREATEST((SELECT max(notification_id) FROM {self.events_table}), 1))")
        if not self.sqlite:  # statistics of the tables as copied, or the planner guesses a scan's size from nothing
            with self.cursor(commit=True) as c:
                c.execute(f"ANALYZE {self.events_table}")
                c.execute(f"ANALYZE {self.chain_table}")
        return count
