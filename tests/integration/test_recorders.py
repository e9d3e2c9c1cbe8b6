"""eventsourcing's own contract tests for application recorders, run against both chained recorders.

The hash chain is written in the same transaction as each event; these tests show the recorders
still behave exactly as eventsourcing's do (inserts, selects, notification ids, concurrency).
"""

from __future__ import annotations

import unittest
import uuid

import pytest
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests.persistence import ApplicationRecorderTestCase

from events.chain import ChainedSQLiteRecorder
from tests.stores import PG_BASE, pg_unavailable

SKIPPED = "timed by eventsourcing itself; speed is measured under bench/, not in tests"


class Untimed:
    """eventsourcing's own timing tests are left out."""

    @unittest.skip(SKIPPED)
    def test_performance(self) -> None: ...

    @unittest.skip(SKIPPED)
    def test_concurrent_throughput(self) -> None: ...


class TestChainedSQLiteRecorder(Untimed, ApplicationRecorderTestCase):
    def setUp(self) -> None:
        import tempfile

        self.folder = tempfile.TemporaryDirectory()
        super().setUp()

    def tearDown(self) -> None:
        super().tearDown()
        self.folder.cleanup()

    def create_recorder(self):
        datastore = SQLiteDatastore(f"{self.folder.name}/{uuid.uuid4().hex}.db")
        recorder = ChainedSQLiteRecorder(datastore, events_table_name="minerehab_events")
        recorder.create_table()
        return recorder


@pytest.mark.skipif(bool(pg_unavailable()), reason=f"PostgreSQL not reachable: {pg_unavailable()}")
class TestChainedPostgresRecorder(Untimed, ApplicationRecorderTestCase):
    EXPECT_CONTIGUOUS_NOTIFICATION_IDS = False  # PostgreSQL sequences may leave gaps

    def setUp(self) -> None:
        self.schema = f"rec_{uuid.uuid4().hex[:10]}"
        self.datastores = []
        super().setUp()

    def tearDown(self) -> None:
        super().tearDown()
        for datastore in self.datastores:
            datastore.close()
        import psycopg

        with psycopg.connect(PG_BASE.split("?")[0], autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')

    def create_recorder(self):
        from urllib.parse import urlsplit

        from eventsourcing.postgres import PostgresDatastore

        from events.pgchain import ChainedPostgresRecorder

        url = urlsplit(PG_BASE)
        import psycopg

        with psycopg.connect(PG_BASE.split("?")[0], autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
        datastore = PostgresDatastore(url.path.lstrip("/"), url.hostname, url.port or 5432, url.username or "postgres",
                                      url.password or "", schema=self.schema, pool_size=4, max_overflow=4)
        self.datastores.append(datastore)
        recorder = ChainedPostgresRecorder(datastore, events_table_name="minerehab_events")
        recorder.create_table()
        return recorder
