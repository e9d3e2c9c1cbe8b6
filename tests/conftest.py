"""Shared fixtures: an initialised SQLite store per test, a controllable clock, command helpers."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from workflow import commands
from stores import BACKENDS, drop, fingerprint, new_url, pg_unavailable
from workflow.ledger import Ledger


class Clock:
    """The system clock for tests: starts at a fixed instant and ticks one second per reading."""

    def __init__(self, start: datetime = datetime(2025, 6, 1, 4, 0, tzinfo=timezone.utc)):
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def store_bytes(url) -> tuple:
    """What 'the store is unchanged' means, on either backend (see stores.fingerprint)."""
    return fingerprint(str(url))


def cmd(line: dict, number: int | None = None) -> commands.Command:
    return commands.from_json(json.loads(json.dumps(line, default=str)), number)


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


def run(ledger: Ledger, *lines: dict):
    return ledger.execute([cmd(line) for line in lines])


TODAY = date(2025, 6, 1)
