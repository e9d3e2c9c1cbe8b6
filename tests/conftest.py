"""Shared fixtures: an initialised SQLite store per test, a controllable clock, command helpers."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from workflow import commands
from workflow.ledger import Ledger


class Clock:
    """The system clock for tests: starts at a fixed instant and ticks one second per reading."""

    def __init__(self, start: datetime = datetime(2025, 6, 1, 4, 0, tzinfo=timezone.utc)):
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def store_bytes(path: Path) -> tuple[bytes, ...]:
    """Hash of the SQLite file and its WAL: what 'the store is unchanged' means byte for byte."""
    parts = []
    for suffix in ("", "-wal"):
        p = Path(str(path) + suffix)
        parts.append(hashlib.sha256(p.read_bytes()).digest() if p.exists() else b"")
    return tuple(parts)


def cmd(line: dict, number: int | None = None) -> commands.Command:
    return commands.from_json(json.loads(json.dumps(line, default=str)), number)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "minerehab.db"
    Ledger(str(path), create=True).close()
    return path


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ledger(store_path: Path, clock: Clock):
    app = Ledger(str(store_path), clock=clock)
    yield app
    app.close()


def run(ledger: Ledger, *lines: dict):
    return ledger.execute([cmd(line) for line in lines])


TODAY = date(2025, 6, 1)
