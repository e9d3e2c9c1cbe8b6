"""The hash chain on PostgreSQL: eventsourcing's recorder, plus chain rows in the same transaction.

Writers are serialised, as eventsourcing does it, so that notification ids commit in the
order they were issued and a reader tailing the log never passes over a gap filled later;
so reading the previous chain head inside the transaction is safe too. eventsourcing takes
`LOCK TABLE … IN EXCLUSIVE MODE` for that, which PostgreSQL grants only to roles that may
also UPDATE, DELETE or TRUNCATE the table: every writer could then wipe history. Here the
same serialisation is a transaction-scoped advisory lock instead, keyed on the
schema-qualified events table, so writers need only SELECT and INSERT (events/grants.py).
"""

from __future__ import annotations

import hashlib
from typing import Any, Sequence

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg.sql import SQL

from events.chain import CHAIN_TABLE, CHECKPOINT_TABLE, Chainer
from events.store import denied


def advisory_key(schema: str, table: str) -> int:
    """The advisory lock's key for one events table: a signed 64-bit number from its schema-qualified name."""
    name = f'"{schema}"."{table}"'.encode()
    return int.from_bytes(hashlib.blake2b(name, digest_size=8, person=b"minerehab-lock").digest(), "big", signed=True)


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        # Replaces eventsourcing's LOCK TABLE … IN EXCLUSIVE MODE (see its _lock_table): held until commit
        # or rollback, waited for at most lock_timeout like the table lock was.
        self.lock_key = advisory_key(datastore.schema, events_table_name)
        self.lock_table_statements = [
            SQL("SET LOCAL lock_timeout = '{0}s'").format(self.datastore.lock_timeout),
            SQL("SELECT pg_advisory_xact_lock({0})").format(SQL(str(int(self.lock_key)))),
        ]

    def qualified(self, table: str) -> str:
        return f'"{self.datastore.schema}"."{table}"'

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(f"CREATE TABLE IF NOT EXISTS {self.qualified(CHAIN_TABLE)} (originator_id text, "
                         "originator_version bigint, notification_id bigint, content bytea, hash bytea, subject text, log_hash bytea, "
                         "PRIMARY KEY (originator_id, originator_version))")
            curs.execute(f"CREATE INDEX IF NOT EXISTS event_chain_notification ON {self.qualified(CHAIN_TABLE)} "
                         "(notification_id)")
            curs.execute(f"CREATE TABLE IF NOT EXISTS {self.qualified(CHECKPOINT_TABLE)} (tree_size bigint, root text, "
                         "timestamp text, origin text, signature text, previous text)")

    def _linked(self, curs) -> bool:
        """Whether the chain table has the log-wide link column (stores made since it came)."""
        if not hasattr(self, "_has_log_hash"):
            curs.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
                         "AND table_name = %s", (self.datastore.schema, CHAIN_TABLE))
            self._has_log_hash = "log_hash" in {row["column_name"] for row in curs.fetchall()}
        return self._has_log_hash

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if not stored_events:
            return []
        chain = self.qualified(CHAIN_TABLE)
        try:
            with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
                self._insert_stored_events(curs, stored_events, **kwargs)
                notification_ids = [row["notification_id"] for row in curs.fetchall()]

                def previous(oid: str, version: int) -> bytes | None:
                    curs.execute(f"SELECT hash FROM {chain} WHERE originator_id = %s AND originator_version = %s",
                                 (oid, version))
                    row = curs.fetchone()
                    return bytes(row["hash"]) if row else None

                def log_head() -> bytes | None:
                    curs.execute(f"SELECT log_hash FROM {chain} ORDER BY notification_id DESC LIMIT 1")
                    row = curs.fetchone()
                    return bytes(row["log_hash"]) if row and row["log_hash"] is not None else None

                linked = self._linked(curs)
                rows = Chainer(previous, log_head if linked else None).rows(stored_events, notification_ids)
                curs.executemany(f"INSERT INTO {chain} VALUES (%s, %s, %s, %s, %s, %s{', %s' if linked else ''})", rows)
        except Exception as error:
            refusal = denied(error)
            if refusal:
                raise refusal from None
            raise
        return notification_ids
