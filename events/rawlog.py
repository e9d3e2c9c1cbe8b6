"""The stored log read as rows, below eventsourcing: for verification, proofs and copying.

Reads go through the recorder's own datastore, so the same code serves SQLite and
PostgreSQL; only the placeholder style and table names differ.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from typing import Iterator

from events.chain import CHAIN_TABLE, CHECKPOINT_TABLE, hex_id

INFO_TABLE = "store_info"


class RawLog:
    def __init__(self, recorder):
        self.recorder = recorder
        self.events_table = recorder.events_table_name
        self.mark = "?" if type(recorder).__module__.startswith("eventsourcing.sqlite") or "SQLite" in type(
            recorder).__name__ else "%s"

    @contextmanager
    def cursor(self, commit: bool = False):
        with self.recorder.datastore.transaction(commit=commit) as cursor:
            yield cursor

    def _rows(self, sql: str, params: tuple = ()) -> Iterator[tuple]:
        """Rows streamed a page at a time; aggregate ids as 32 hex digits whatever the backend's type."""
        with self.cursor() as c:
            c.execute(sql.replace("?", self.mark), params)
            raw = getattr(c, "sqlite_cursor", c)  # eventsourcing's SQLite wrapper has no fetchmany
            while True:
                page = raw.fetchmany(2000)
                if not page:
                    return
                for row in page:
                    row = tuple(row.values()) if isinstance(row, dict) else tuple(row)
                    yield tuple(hex_id(x) if isinstance(x, uuid.UUID) else x for x in row)

    def events_by_aggregate(self) -> Iterator[tuple]:
        """(originator_id, version, notification_id, topic, state) ordered by aggregate and version."""
        nid = "rowid" if self.mark == "?" else "notification_id"
        yield from self._rows(f"SELECT originator_id, originator_version, {nid}, topic, state FROM {self.events_table} "
                              "ORDER BY originator_id, originator_version")

    def chain_by_aggregate(self) -> Iterator[tuple]:
        """(originator_id, version, notification_id, content, hash) ordered by aggregate and version."""
        yield from self._rows(f"SELECT originator_id, originator_version, notification_id, content, hash "
                              f"FROM {CHAIN_TABLE} ORDER BY originator_id, originator_version")

    def leaves(self) -> list[tuple[bytes, str, int]]:
        """(chain hash, originator_id, version) in log order: the Merkle tree's leaves."""
        return [(bytes(h), str(o), v) for h, o, v in self._rows(
            f"SELECT hash, originator_id, originator_version FROM {CHAIN_TABLE} ORDER BY notification_id")]

    def keys(self) -> dict[str, str]:
        """originator_id -> 'kind:key', as recorded beside the chain when each aggregate was opened."""
        return {oid: subject for oid, subject in self._rows(
            f"SELECT originator_id, subject FROM {CHAIN_TABLE} WHERE originator_version = 1") if subject}

    def origin(self) -> str:
        rows = list(self._rows(f"SELECT value FROM {INFO_TABLE} WHERE name = ?", ("origin",)))
        return rows[0][0] if rows else "minerehab"

    def ensure_origin(self) -> None:
        """Give a new store its identity, which every checkpoint of it names."""
        with self.cursor(commit=True) as c:
            c.execute(f"CREATE TABLE IF NOT EXISTS {INFO_TABLE} (name TEXT PRIMARY KEY, value TEXT)")
            c.execute(f"SELECT value FROM {INFO_TABLE} WHERE name = {self.mark}", ("origin",))
            if not c.fetchall():
                c.execute(f"INSERT INTO {INFO_TABLE} VALUES ({self.mark}, {self.mark})",
                          ("origin", f"minerehab/{uuid.uuid4()}"))

    def record_checkpoint(self, checkpoint: dict) -> None:
        with self.cursor(commit=True) as c:
            c.execute(f"INSERT INTO {CHECKPOINT_TABLE} VALUES ({', '.join([self.mark] * 5)})",
                      (checkpoint["tree_size"], checkpoint["root"], checkpoint["timestamp"], checkpoint["origin"],
                       checkpoint["signature"]))

    def checkpoints(self) -> list[dict]:
        return [{"tree_size": n, "root": r, "timestamp": t, "origin": o, "signature": s} for n, r, t, o, s in
                self._rows(f"SELECT tree_size, root, timestamp, origin, signature FROM {CHECKPOINT_TABLE} "
                           "ORDER BY tree_size")]
