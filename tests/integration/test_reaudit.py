"""The re-audit through a state file equals a full audit, whatever was recorded in between."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from audit import kept as reaudit
from audit import shares as audit
from policies.dossiers import ParcelSummary
from samples import scenario, synthetic
from tests.stores import OnStore, drop, new_url, on_both_backends
from tests.support import cmd

INSPECTED_UNTIL = date(2025, 5, 1)
"""Before the test clock's today (2025-06-01): nothing in the script is dated in the future."""


def same(ledger, as_of: date, path) -> int | None:
    """Audit through the state file and in full; they must agree. How many new events the re-audit read."""
    kept, summary, new = reaudit.run(ledger, as_of, path)
    full, full_summary = audit.run(ledger, as_of)
    assert [f.as_dict() for f in kept] == [f.as_dict() for f in full]
    assert summary == full_summary
    return new


class ReauditMachine(OnStore, RuleBasedStateMachine):
    """Record a varied script a few commands at a time, with cross-subject twists, re-auditing after each step."""

    @initialize(seed=st.integers(0, 2**16), parcels=st.integers(2, 5), migrated=st.booleans())
    def start(self, seed, parcels, migrated):
        self.open_store()
        self.state = self.dir / "audit-state.db"
        self.run(scenario.programme() + scenario.taskforce(), migrated=True)
        codes = [f"P{seed}-{n}" for n in range(parcels)]
        self.script = synthetic.chunk(codes, random.Random(seed), "B", INSPECTED_UNTIL)
        self.migrated, self.as_of, self.codes, self.extra = migrated, date(2025, 6, 1), codes, 0

    def teardown(self):
        self.close_store()

    def run(self, lines, migrated=None):
        commands = [cmd(line) for line in lines]
        for c in commands:
            c.migrated = self.migrated if migrated is None else migrated
        self.ledger.execute(commands)

    @precondition(lambda self: self.script)
    @rule(n=st.integers(1, 40))
    def record(self, n):
        lines, self.script = self.script[:n], self.script[n:]
        self.run(lines)

    @rule()
    def register_twice(self):
        """A new parcel under another code with a verification id already registered (R05.1)."""
        self.extra += 1
        code = f"DUP-{self.extra}"
        life = scenario.works_life(code, date(2024, 3, 1), Decimal("3.5"), Decimal("50"))[:2]
        life[0]["data"]["verification_id"] = f"HC-{self.codes[0]}"
        self.run(life)

    @rule(key_area=st.booleans(), year=st.sampled_from([2023, 2024]))
    def plan_parcel(self, key_area, year):
        """A parcel planned in 庙尔沟镇: a key area planned after an ordinary one breaks R20 (another parcel's finding)."""
        self.extra += 1
        code = f"T-{self.extra}"
        area = Decimal("12") if key_area else Decimal("2")
        life = scenario.works_life(code, date(2023, 2, 1), area, Decimal("30"), year=year)[:2]
        life[0]["data"].update(township="庙尔沟镇", pit_depth_m=Decimal(5), near_road=False)
        self.run(life)

    @rule(person=st.sampled_from(["张志坚", "乌来别克·马丁", "蒋学喜"]))
    def change_task_force(self, person):
        """Membership moves, so acceptance groups may no longer be on the task force (R22)."""
        members = {t["person"] for t in self.ledger.view("taskforce", "TF-654224").summary()["members"]}
        do = "remove_member" if person in members else "appoint_member"
        data = {"person": person} if do == "remove_member" else {"person": person, "unit": "finance", "position": "成员"}
        self.run([{"do": do, "taskforce": "TF-654224", "actor": "金勇", "role": "county_gov", "on": "2024-01-15",
                   "data": data}])

    @rule(pick=st.integers(0, 10_000), factor=st.sampled_from([Decimal("0.5"), Decimal("1.1"), Decimal(3)]))
    def correct_a_figure(self, pick, factor):
        """A figure recorded wrongly and corrected (更正): the parcel is folded again with the right value."""
        from workflow.specs import PARCEL_SPECS

        figures = []
        for code in self.codes:
            if self.ledger.find("parcel", code) is None:
                continue
            for e in self.ledger.history("parcel", code):
                name = getattr(e, "trigger", None) or e.fact
                spec = PARCEL_SPECS.get(name)
                if spec is None or (e.signature or {}).get("via"):
                    continue
                figures += [(code, e, k) for k, v in e.data.items()
                            if isinstance(v, Decimal) and k in spec.names and k != "percent"]
        if not figures:
            return
        code, event, key = figures[pick % len(figures)]
        from policies.refusals import Refused

        try:  # a value out of its field's bounds is refused and writes nothing
            self.run([{"do": "correct", "parcel": code, "actor": event.actor, "role": event.role, "on": "2025-05-20",
                       "data": {"corrects": event.originator_version, "fields": {key: str(event.data[key] * factor)}},
                       "reason": "录入错误"}])
        except Refused:
            pass

    @rule(days=st.integers(-30, 400))
    def move_as_of(self, days):
        self.as_of = min(date(2025, 6, 1), self.as_of + timedelta(days=days))

    @invariant()
    def reaudit_equals_full_audit(self):
        if hasattr(self, "state"):
            same(self.ledger, self.as_of, self.state)


TestReauditSQLite, TestReauditPostgres = on_both_backends(ReauditMachine, examples=25, steps=12, pg_examples=8)


def test_a_new_event_is_all_a_re_audit_reads(ledger, tmp_path):
    state = tmp_path / "state.db"
    ledger.execute([cmd(x) for x in scenario.programme() + scenario.taskforce()
                    + synthetic.chunk(["A", "B", "C"], random.Random(3), "B", INSPECTED_UNTIL)])
    as_of = date(2025, 6, 1)
    assert same(ledger, as_of, state) is None  # the first run is a full audit
    assert same(ledger, as_of, state) == 0
    ledger.execute([cmd(scenario.command("make_payment", "A", date(2025, 5, 20), ("张志坚", "finance"), {
        "amount": "7", "payee": "x", "account": "other", "stage": "final"}))])
    assert same(ledger, as_of, state) == 1
    kept, _, _ = reaudit.run(ledger, as_of, state)
    assert any(f.rule == "R09" and f.subject == "A" and f.on == date(2025, 5, 20) for f in kept)


def test_a_state_file_of_another_store_or_other_thresholds_means_a_full_audit(ledger, tmp_path, backend):
    from policies.catalogue import load_config
    from workflow.ledger import Ledger

    state = tmp_path / "state.db"
    ledger.execute([cmd(x) for x in scenario.programme() + synthetic.chunk(["A"], random.Random(1), "B", INSPECTED_UNTIL)])
    as_of = date(2025, 6, 1)
    assert same(ledger, as_of, state) is None
    config = tmp_path / "rules.toml"
    config.write_text("[R16]\nmax_gap_days = 3\n")
    assert reaudit.run(ledger, as_of, state, load_config(config))[2] is None
    assert same(ledger, as_of, state) is None  # back to the defaults: the kept state was for 3 days
    other_url = new_url(backend, tmp_path)
    Ledger(other_url, create=True).close()
    other = Ledger(other_url)
    try:
        assert same(other, as_of, state) is None
        assert same(other, as_of, state) == 0
        assert same(other, as_of - timedelta(days=1), state) is None  # an earlier date: events may be after it
    finally:
        other.close()
        drop(other_url)


def test_a_state_file_another_audit_is_writing_is_left_alone(ledger, tmp_path, monkeypatch):
    import sqlite3

    state = tmp_path / "state.db"
    ledger.execute([cmd(x) for x in scenario.programme()])
    assert same(ledger, date(2025, 6, 1), state) is None
    before = state.read_bytes()
    monkeypatch.setattr(reaudit, "LOCK_TIMEOUT", 0.05)
    other = sqlite3.connect(state)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(reaudit.StateError, match="locked; nothing in it was changed"):
            reaudit.run(ledger, date(2025, 6, 2), state)
    finally:
        other.rollback()
        other.close()
    assert state.read_bytes() == before
    assert same(ledger, date(2025, 6, 2), state) == 0


def test_an_event_recorded_as_the_full_audit_starts_is_read_once(ledger, tmp_path, monkeypatch):
    """The state remembers the newest event the audit read, not the newest there was when it was asked."""
    state = tmp_path / "state.db"
    ledger.execute([cmd(x) for x in scenario.programme() + synthetic.chunk(["A"], random.Random(2), "B", INSPECTED_UNTIL)])
    scan = ledger.raw.events_by_aggregate

    def recorded_just_before_the_scan(span=None):
        ledger.execute([cmd(scenario.command("make_payment", "A", date(2025, 5, 20), ("张志坚", "finance"), {
            "amount": "7", "payee": "x", "account": "other", "stage": "final"}))])
        return scan(span)

    monkeypatch.setattr(ledger.raw, "events_by_aggregate", recorded_just_before_the_scan)
    kept, summary, new = reaudit.run(ledger, date(2025, 6, 1), state)
    monkeypatch.undo()
    # the audit reads one snapshot, taken before the payment committed: the next one reads it, once
    assert new is None and not any(f.rule == "R09" and f.on == date(2025, 5, 20) for f in kept)
    assert same(ledger, date(2025, 6, 1), state) == 1
    assert any(f.rule == "R09" and f.on == date(2025, 5, 20) for f in reaudit.run(ledger, date(2025, 6, 1), state)[0])
    assert same(ledger, date(2025, 6, 1), state) == 0  # and not a second time


def test_a_state_file_written_by_another_release_is_rebuilt_not_a_traceback(ledger, tmp_path):
    """Its pickles name classes where an older release kept them (workflow.dossiers): a full audit rewrites it."""
    import pickle
    import sqlite3

    state = tmp_path / "state.db"
    ledger.execute([cmd(x) for x in scenario.programme()])
    as_of = date(2025, 6, 1)
    assert same(ledger, as_of, state) is None
    old = pickle.dumps(ParcelSummary("X")).replace(b"policies.dossiers", b"workflow.dossiers")
    with sqlite3.connect(state) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE name = 'towns'", (old,))
    assert same(ledger, as_of, state) is None  # not reusable: audited in full, the file rewritten
    assert same(ledger, as_of, state) == 0
