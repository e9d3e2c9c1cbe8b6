"""Hash chains over the stored bytes, written in the same transaction as the events.

hash_v = sha256(hash_{v-1} ‖ aggregate id ‖ version ‖ topic ‖ stored state). Hashing the
stored (encoded) bytes means upcasting old events when reading never changes a hash.
The chain table also keeps each event's log position and a digest of its content, so
`verify` can say whether a row was edited, deleted, inserted or moved.
"""

from __future__ import annotations

import json
import struct
from hashlib import sha256
from typing import Any, Sequence
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder

from events.ids import KINDS

GENESIS = bytes(32)
CHAIN_TABLE = "event_chain"
CHECKPOINT_TABLE = "checkpoints"
CHECKPOINT_COLUMNS = ("tree_size", "root", "timestamp", "origin", "signature")


def checkpoint_digest(row: dict) -> str:
    """What the next remembered checkpoint names as its previous: its fields and its own link, so the
    table's history is a chain (a row deleted, inserted or edited in the middle breaks the next link)."""
    fields = {k: row[k] for k in (*CHECKPOINT_COLUMNS, "previous")}
    return sha256(json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def content_digest(topic: str, state: bytes) -> bytes:
    """The digest of the state alone: a state found under another version shows the rows were swapped."""
    return sha256(bytes(state)).digest()


def chain_hash(previous: bytes, originator_id: str, version: int, topic: str, state: bytes) -> bytes:
    return sha256(previous + originator_id.encode() + struct.pack(">Q", version) + topic_bytes(topic)
                  + bytes(state)).digest()


def topic_bytes(topic: str) -> bytes:
    """The topic as the chain hashes it, length first; a topic a DBA stored as a BLOB hashes as its bytes."""
    encoded = topic.encode() if isinstance(topic, str) else bytes(topic)
    return struct.pack(">I", len(encoded)) + encoded


def as_bytes(value) -> bytes:
    """Stored bytes; a value edited into TEXT by hand (sqlite3's replace()) is compared as its UTF-8."""
    return value.encode() if isinstance(value, str) else bytes(value)


def hex_id(originator_id: UUID | str) -> str:
    return originator_id.hex if isinstance(originator_id, UUID) else str(originator_id)


def log_hash(previous: bytes | None, notification_id: int, chain_head: bytes) -> bytes:
    """One link of the log-wide chain: each event's chain hash bound to its position and to every event
    before it in the log, so a row deleted from both tables breaks the next link (only the newest rows'
    removal needs a checkpoint to show)."""
    return sha256((previous or GENESIS) + struct.pack(">Q", notification_id) + chain_head).digest()


class Chainer:
    """Computes chain rows for a batch of stored events, given a way to read the previous head.

    `log_head` reads the newest row's log-wide link under the write lock; None for a store made before
    the log chain, whose rows then carry no link."""

    def __init__(self, previous, log_head=None):
        self.previous = previous  # (originator_id, version) -> bytes | None
        self.heads: dict[str, bytes] = {}
        self.log_head = log_head

    def rows(self, stored_events: Sequence[StoredEvent], notification_ids: Sequence[int]) -> list[tuple]:
        rows = []
        linked = self.log_head is not None
        last = self.log_head() if linked else None
        for stored, notification_id in zip(stored_events, notification_ids):
            oid, version = hex_id(stored.originator_id), stored.originator_version
            prev = self.heads.get(oid)
            if prev is None:
                prev = GENESIS if version == 1 else (self.previous(oid, version - 1) or GENESIS)
            digest = chain_hash(prev, oid, version, stored.topic, stored.state)
            self.heads[oid] = digest
            row = (oid, version, notification_id, content_digest(stored.topic, stored.state), digest,
                   subject_of(stored) if version == 1 else None)
            if linked:
                last = log_hash(last, notification_id, digest)
                row += (last,)
            rows.append(row)
        return rows


def subject_of(stored: StoredEvent) -> str | None:
    """'parcel:TL-01' from an opening event, kept beside the chain so a mangled event can still be named."""
    try:
        key = json.loads(as_bytes(stored.state))["key"]
    except (ValueError, KeyError, TypeError):
        return None
    kind = stored.topic.split(":")[-1].split(".")[0]
    return f"{KINDS.get(kind, kind)}:{key}"


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    """eventsourcing's SQLite recorder, plus the chain row of every event in the same transaction."""

    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + [
            f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (originator_id TEXT, originator_version INTEGER, "
            "notification_id INTEGER, content BLOB, hash BLOB, subject TEXT, log_hash BLOB, "
            "PRIMARY KEY (originator_id, originator_version))",
            f"CREATE INDEX IF NOT EXISTS event_chain_notification ON {CHAIN_TABLE} (notification_id)",
            f"CREATE TABLE IF NOT EXISTS {CHECKPOINT_TABLE} (tree_size INTEGER, root TEXT, timestamp TEXT, "
            "origin TEXT, signature TEXT, previous TEXT)",
        ]

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        notification_ids = super()._insert_events(c, stored_events, **kwargs)

        def previous(oid: str, version: int) -> bytes | None:
            c.execute(f"SELECT hash FROM {CHAIN_TABLE} WHERE originator_id=? AND originator_version=?", (oid, version))
            row = c.fetchone()
            return bytes(row[0]) if row else None

        def log_head() -> bytes | None:
            c.execute(f"SELECT log_hash FROM {CHAIN_TABLE} ORDER BY notification_id DESC LIMIT 1")
            row = c.fetchone()
            return bytes(row[0]) if row and row[0] is not None else None

        linked = self._linked(c)
        rows = Chainer(previous, log_head if linked else None).rows(stored_events, notification_ids)
        c.executemany(f"INSERT INTO {CHAIN_TABLE} VALUES (?,?,?,?,?,?{',?' if linked else ''})", rows)
        return notification_ids

    def _linked(self, c) -> bool:
        """Whether the chain table has the log-wide link column (stores made since it came)."""
        if not hasattr(self, "_has_log_hash"):
            c.execute(f"SELECT name FROM pragma_table_info('{CHAIN_TABLE}')")
            self._has_log_hash = "log_hash" in {row[0] for row in c.fetchall()}
        return self._has_log_hash
