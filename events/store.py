"""Where the ledger lives: a store URL becomes eventsourcing's persistence settings.

SQLite (a file, no server) is the default; nothing is ever silently kept in memory,
and a store is created only by `minerehab init`, never implicitly on read.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

DEFAULT_STORE = "./minerehab.db"
ENV_VAR = "MINEREHAB_STORE"
TABLE = "stored_events"


class StoreError(Exception):
    """The store named cannot be used as asked (missing, not initialised, unknown scheme)."""


@dataclass(frozen=True)
class Store:
    """A resolved store: its kind, a printable location, and eventsourcing's settings."""

    kind: str
    location: str

    def env(self, create: bool = False) -> dict[str, str]:
        if self.kind == "sqlite":
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": self.location,
                "SQLITE_LOCK_TIMEOUT": "30",
                "CREATE_TABLE": "y" if create else "n",
                "APPLICATION_RECORDER_TOPIC": "events.chain:ChainedSQLiteRecorder",
            }
        raise StoreError(f"store {self.location}: the {self.kind} backend is not available")

    def check_ready(self) -> None:
        """Refuse to open a store that `init` has not created (a read must never create one)."""
        if self.kind == "sqlite":
            path = Path(self.location)
            if not path.is_file():
                raise StoreError(f"store {self.location} does not exist; create it with `minerehab init`")
            try:
                # read-write on purpose: a read-only connection leaves -wal/-shm files behind it
                with closing(sqlite3.connect(path)) as conn:
                    found = conn.execute(
                        "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (TABLE,)
                    ).fetchone()
            except sqlite3.DatabaseError as error:
                raise StoreError(f"store {self.location} is not a minerehab SQLite store ({error})") from None
            if not found:
                raise StoreError(f"store {self.location} is not initialised; run `minerehab init`")


def resolve(url: str | None = None) -> Store:
    """`--store URL`, else $MINEREHAB_STORE, else ./minerehab.db; plain paths and sqlite:/// URLs are SQLite."""
    url = url or os.environ.get(ENV_VAR) or DEFAULT_STORE
    if url.startswith(("postgresql://", "postgres://")):
        return Store("postgresql", url)
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///"):] or DEFAULT_STORE
    elif "://" in url:
        raise StoreError(f"store {url}: unknown scheme; use a file path, sqlite:///PATH or postgresql://…")
    if ":memory:" in url or "mode=memory" in url:
        raise StoreError("store: an in-memory store would lose the ledger; name a file")
    return Store("sqlite", url)
