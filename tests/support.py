"""What tests share besides fixtures: a controllable clock, command helpers, store fingerprints."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

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


SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tuoli-2023-2025"


def tuoli_store(url: str, monkeypatch, *extra: list[str]):
    """The Tuoli sample loaded through the CLI into an unsigned store at `url` (then any `extra` commands),
    and the CliRunner that did it, with the store, actor and role in the environment."""
    from click.testing import CliRunner

    from cli import cli

    monkeypatch.setenv("MINEREHAB_STORE", url)
    monkeypatch.setenv("MINEREHAB_ACTOR", "张玉峰")
    monkeypatch.setenv("MINEREHAB_ROLE", "nrb")
    runner = CliRunner()
    for args in (["init", "--unsigned"], ["apply", "--migration", str(SAMPLE / "programme.jsonl")],
                 ["import", "parcels", "--migration", str(SAMPLE / "parcels.csv")],
                 ["import", "plan", "--migration", str(SAMPLE / "plan.csv"), "--programme", "TL-2023-2025",
                  "--on", "2023-03-01"],
                 ["apply", "--migration", str(SAMPLE / "history.jsonl")], *extra):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
    return runner
