"""The stored log read as rows, below eventsourcing: for verification, proofs and copying.

Reads go through the recorder's own datastore, so the same code serves SQLite and
PostgreSQL; only the placeholder style and table names differ.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager, nullcontext
from typing import Iterator

from events.chain import CHAIN_TABLE, CHECKPOINT_TABLE, hex_id
from events.store import denied

INFO_TABLE = "store_info"


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

    @contextmanager
    def cursor(self, commit: bool = False):
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
            while page := raw.fetchmany(2000):
                for row in page:
                    row = tuple(row.values()) if isinstance(row, dict) else tuple(row)
                    yield tuple(hex_id(x) if isinstance(x, uuid.UUID) else x for x in row)

    @staticmethod
    def _server_side(c):
        from psycopg.rows import tuple_row

        return c.connection.cursor(name=f"minerehab_scan_{uuid.uuid4().hex[:12]}", row_factory=tuple_row)

    def events_by_aggregate(self) -> Iterator[tuple]:
        """(originator_id, version, notification_id, topic, state) ordered by aggregate and version."""
        nid = "rowid" if self.sqlite else "notification_id"
        return self._fast(f"SELECT originator_id, originator_version, {nid}, topic, state FROM {self.events_table} "
                          "ORDER BY originator_id, originator_version")

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

    def events_of(self, topic_prefix: str) -> Iterator[tuple]:
        """Like events_by_aggregate, for the aggregates whose topics start with `topic_prefix` only."""
        nid = "rowid" if self.sqlite else "notification_id"
        return self._fast(f"SELECT originator_id, originator_version, {nid}, topic, state FROM {self.events_table} "
                          "WHERE topic LIKE ? ORDER BY originator_id, originator_version", (topic_prefix + "%",))

    def _fast(self, sql: str, params: tuple = ()) -> Iterator[tuple]:
        """The audit's hot path: SQLite rows as they come (ids are already text); other backends through _rows."""
        if not self.sqlite:
            yield from self._rows(sql, params, stream=True)
            return
        with self.cursor() as c:
            c.execute(sql, params)
            raw = c.sqlite_cursor
            raw.row_factory = None
            while page := raw.fetchmany(5000):
                yield from page

    def chain_by_aggregate(self) -> Iterator[tuple]:
        """(originator_id, version, notification_id, content, hash) ordered by aggregate and version."""
        yield from self._rows(f"SELECT originator_id, originator_version, notification_id, content, hash "
                              f"FROM {self.chain_table} ORDER BY originator_id, originator_version", stream=True)

    def leaf_hashes(self) -> list[bytes]:
        """The Merkle tree's leaves as RFC 6962 leaf hashes, in log order, without keeping the rows they came from."""
        from events.merkle import leaf_hash

        return [leaf_hash(bytes(h)) for (h,) in self._rows(f"SELECT hash FROM {self.chain_table} ORDER BY notification_id",
                                                             stream=True)]

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
        with self.cursor(commit=True) as c:
            c.execute(f"INSERT INTO {self.checkpoint_table} VALUES ({', '.join([self.mark] * 5)})",
                      (checkpoint["tree_size"], checkpoint["root"], checkpoint["timestamp"], checkpoint["origin"],
                       checkpoint["signature"]))

    def checkpoints(self) -> list[dict]:
        return [{"tree_size": n, "root": r, "timestamp": t, "origin": o, "signature": s} for n, r, t, o, s in
                self._rows(f"SELECT tree_size, root, timestamp, origin, signature FROM {self.checkpoint_table} "
                           "ORDER BY tree_size")]

    # --- copying between stores ---------------------------------------------------

    def events_in_log_order(self) -> Iterator[tuple]:
        nid = "rowid" if self.sqlite else "notification_id"
        return self._fast(f"SELECT {nid}, originator_id, originator_version, topic, state FROM {self.events_table} "
                          f"ORDER BY {nid}")

    def chain_rows(self) -> Iterator[tuple]:
        yield from self._rows(f"SELECT originator_id, originator_version, notification_id, content, hash, subject "
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
                if len(page) == 1000:
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
            c.executemany(f"INSERT INTO {self.chain_table} VALUES ({', '.join([m] * 6)})",
                          [(o, v, n, bytes(ct), bytes(h), s) for o, v, n, ct, h, s in source.chain_rows()])
            c.executemany(f"INSERT INTO {self.checkpoint_table} VALUES ({', '.join([m] * 5)})",
                          [(x["tree_size"], x["root"], x["timestamp"], x["origin"], x["signature"])
                           for x in source.checkpoints()])
            for name, value in source.info_rows():
                c.execute(f"DELETE FROM {self.info_table} WHERE name = {m}", (name,))
                c.execute(f"INSERT INTO {self.info_table} VALUES ({m}, {m})", (name, value))
            if not self.sqlite:
                c.execute(f"SELECT setval(pg_get_serial_sequence('{self.events_table}', 'notification_id'), "
                          f"GREATEST((SELECT max(notification_id) FROM {self.events_table}), 1))")
        return count
