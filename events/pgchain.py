"""The hash chain on PostgreSQL: eventsourcing's recorder, plus chain rows in the same transaction.

Inserts already take an EXCLUSIVE lock on the events table (eventsourcing serialises
writers so that notification ids commit in order), so reading the previous chain head
inside the transaction is safe.
"""

from __future__ import annotations

from typing import Any, Sequence

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder

from events.chain import CHAIN_TABLE, CHECKPOINT_TABLE, Chainer


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    def qualified(self, table: str) -> str:
        return f'"{self.datastore.schema}"."{table}"'

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(f"CREATE TABLE IF NOT EXISTS {self.qualified(CHAIN_TABLE)} (originator_id text, "
                         "originator_version bigint, notification_id bigint, content bytea, hash bytea, subject text, "
                         "PRIMARY KEY (originator_id, originator_version))")
            curs.execute(f"CREATE INDEX IF NOT EXISTS event_chain_notification ON {self.qualified(CHAIN_TABLE)} "
                         "(notification_id)")
            curs.execute(f"CREATE TABLE IF NOT EXISTS {self.qualified(CHECKPOINT_TABLE)} (tree_size bigint, root text, "
                         "timestamp text, origin text, signature text)")

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if not stored_events:
            return []
        chain = self.qualified(CHAIN_TABLE)
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_stored_events(curs, stored_events, **kwargs)
            notification_ids = [row["notification_id"] for row in curs.fetchall()]

            def previous(oid: str, version: int) -> bytes | None:
                curs.execute(f"SELECT hash FROM {chain} WHERE originator_id = %s AND originator_version = %s",
                             (oid, version))
                row = curs.fetchone()
                return bytes(row["hash"]) if row else None

            rows = Chainer(previous).rows(stored_events, notification_ids)
            curs.executemany(f"INSERT INTO {chain} VALUES (%s, %s, %s, %s, %s, %s)", rows)
        return notification_ids
