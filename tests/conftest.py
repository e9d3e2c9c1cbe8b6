"""Shared fixtures: an initialised SQLite store per test, a controllable clock, command helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.stores import BACKENDS, drop, new_url, pg_unavailable
from tests.support import Clock
from workflow.ledger import Ledger


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    if request.param == "postgresql" and pg_unavailable():
        pytest.skip(f"PostgreSQL not reachable: {pg_unavailable()}")
    return request.param


@pytest.fixture
def fresh_url(backend: str, tmp_path: Path):
    """Where a store may be created, on each backend; dropped afterwards."""
    url = new_url(backend, tmp_path)
    yield url
    drop(url)


@pytest.fixture
def store_url(fresh_url: str):
    """An initialised store on each backend."""
    Ledger(fresh_url, create=True).close()
    return fresh_url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ledger(store_url: str, clock: Clock):
    app = Ledger(store_url, clock=clock)
    yield app
    app.close()


