"""A store made by release 0.1 (before any module moved) still loads, replays, verifies and audits.

Stored topics are module paths; aggregates pin theirs (`TOPIC`), and these tests fail if a
stored topic ever stops resolving or a class starts writing another topic.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from eventsourcing.utils import get_topic, resolve_topic

from audit import shares
from events.verify import verify
from workflow.batch import WriteOffBatch
from workflow.ledger import Ledger
from workflow.parcel import Parcel
from workflow.programme import Programme
from workflow.record import EVENTS
from workflow.taskforce import TaskForce

DUMP = Path(__file__).resolve().parents[1] / "fixtures" / "release-0.1.sql"


def release_store(folder: Path) -> str:
    path = folder / "release-0.1.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(DUMP.read_text(encoding="utf-8"))
    return str(path)


def stored_topics(path: str) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {topic for (topic,) in conn.execute("SELECT DISTINCT topic FROM stored_events")}


def test_every_stored_topic_resolves_to_the_class_that_writes_it(tmp_path):
    topics = stored_topics(release_store(tmp_path))
    assert len(topics) >= 7
    for topic in topics:
        assert get_topic(resolve_topic(topic)) == topic


@pytest.mark.parametrize("cls", [Parcel, WriteOffBatch, Programme, TaskForce])
def test_topics_are_pinned_not_derived_from_module_paths(cls):
    assert cls.__dict__["TOPIC"].endswith(":" + cls.__name__)
    for name in EVENTS:
        assert get_topic(getattr(cls, name)) == f"{cls.TOPIC}.{name}"


def test_release_store_replays_verifies_and_audits(tmp_path):
    path = release_store(tmp_path)
    ledger = Ledger(path)
    try:
        parcels = list(ledger.each("parcel"))
        assert len(parcels) == 28
        assert sum(p.area_ha for p in parcels) == Decimal("211.2978")
        assert ledger.get("parcel", "TL23-01").state == "closed"
        for kind in ("batch", "programme", "taskforce"):
            assert ledger.records(kind)
        report = verify(ledger.raw)
        assert report.ok, report.problems
        assert report.events == 485
        findings, summary = shares.run(ledger, date(2025, 12, 31))
        assert summary["events_read"] == 485
        assert {f.rule for f in findings} >= {"R01", "R03", "R06", "R09", "R23"}
    finally:
        ledger.close()


def test_release_store_copies_to_postgresql_and_replays_there(tmp_path, backend):
    from tests.stores import drop, new_url

    source = release_store(tmp_path)
    target = new_url(backend, tmp_path)
    origin, destination = Ledger(source), Ledger(target, create=True)
    try:
        assert destination.raw.load_copy(origin.raw, None) == 485
        assert verify(destination.raw).ok
        assert {p.code: p.state for p in destination.each("parcel")} == {p.code: p.state for p in origin.each("parcel")}
    finally:
        origin.close()
        destination.close()
        drop(target)
