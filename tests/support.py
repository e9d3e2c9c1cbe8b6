"""What tests share besides fixtures: a controllable clock, command helpers, store fingerprints."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from tests.stores import fingerprint
from workflow import commands
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


def run(ledger: Ledger, *lines: dict):
    return ledger.execute([cmd(line) for line in lines])


TODAY = date(2025, 6, 1)
