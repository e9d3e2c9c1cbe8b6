"""Test stores on both backends: a SQLite file, or a fresh schema in the local PostgreSQL.

PostgreSQL tests skip with the reason when no server answers; `.ci/run` starts the server,
so CI always runs them. MINEREHAB_TEST_PG overrides the server URL.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from functools import lru_cache
from pathlib import Path

BACKENDS = ["sqlite", "postgresql"]
PG_BASE = os.environ.get("MINEREHAB_TEST_PG", "postgresql://127.0.0.1:5432/test")
PG_TABLES = ("minerehab_events", "event_chain", "checkpoints", "store_info")


@lru_cache(maxsize=1)
def pg_unavailable() -> str | None:
    """None when the test server answers, else why not."""
    from events.store import StoreError, resolve

    try:
        resolve(PG_BASE).connect().close()
    except StoreError as error:
        return str(error)
    return None


def new_url(backend: str, folder: Path) -> str:
    if backend == "sqlite":
        return str(folder / f"store-{uuid.uuid4().hex[:8]}.db")
    return f"{PG_BASE}?schema=t_{uuid.uuid4().hex[:12]}"


def drop(url: str) -> None:
    if url.startswith("postgresql://"):
        from events.store import resolve

        store = resolve(url)
        with store.connect() as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{store.postgres["schema"]}" CASCADE')


def fingerprint(url: str) -> tuple:
    """What 'the store is unchanged' means: the SQLite file and its WAL byte for byte, or every
    row of every table and the notification sequence in PostgreSQL."""
    if not url.startswith("postgresql://"):
        parts = []
        for suffix in ("", "-wal"):
            p = Path(url + suffix)
            parts.append(hashlib.sha256(p.read_bytes()).digest() if p.exists() else b"")
        return tuple(parts)
    from events.store import resolve

    store = resolve(url)
    schema = store.postgres["schema"]
    digest = hashlib.sha256()
    with store.connect() as conn:
        for table in PG_TABLES:
            for row in conn.execute(f'SELECT * FROM "{schema}"."{table}" ORDER BY 1, 2'):
                digest.update(repr(tuple(bytes(x) if isinstance(x, memoryview) else x for x in row)).encode())
        seq = conn.execute(f'SELECT last_value, is_called FROM "{schema}".minerehab_events_notification_id_seq').fetchone()
    return digest.digest(), seq


class OnStore:
    """For stateful machines: a fresh store on `backend` per run, a ledger with a test clock, cleaned up after."""

    backend = "sqlite"

    def open_store(self) -> None:
        import tempfile

        from tests.support import Clock
        from workflow.ledger import Ledger

        self.dir = Path(tempfile.mkdtemp())
        self.path = new_url(self.backend, self.dir)
        Ledger(self.path, create=True).close()
        self.ledger = Ledger(self.path, clock=Clock())

    def close_store(self) -> None:
        import shutil

        self.ledger.close()
        drop(self.path)
        shutil.rmtree(self.dir, ignore_errors=True)


def on_both_backends(machine, examples: int, steps: int, pg_examples: int) -> tuple:
    """A stateful machine's TestCase on SQLite and, when the test server answers, on PostgreSQL."""
    import pytest
    from hypothesis import HealthCheck, settings

    machine.TestCase.settings = settings(max_examples=examples, stateful_step_count=steps, deadline=None,
                                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    on_pg = type(f"Postgres{machine.__name__}", (machine,), {"backend": "postgresql", "__module__": machine.__module__})
    on_pg.TestCase.settings = settings(machine.TestCase.settings, max_examples=pg_examples)
    reason = f"PostgreSQL: {pg_unavailable()}"
    return machine.TestCase, pytest.mark.skipif(bool(pg_unavailable()), reason=reason)(on_pg.TestCase)
