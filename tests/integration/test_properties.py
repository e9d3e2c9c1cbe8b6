"""Invariants over random command sequences: replay equals the live state, refusals change nothing,
versions are contiguous, and past views equal the state the record had then."""

from __future__ import annotations

import copy
from datetime import date, timedelta

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from policies.refusals import Refused
from samples import scenario
from tests.data import GUARDED, VALID_DATA
from tests.stores import OnStore, on_both_backends
from tests.support import cmd, store_bytes
from workflow.handlers import allowed_now
from workflow.ledger import UnitOfWork
from workflow.specs import PARCEL_SPECS
from workflow.vocabulary import ROLES

CODES = ["TL-01", "TL-02", "TL-03"]
TRIGGERS = sorted(set(PARCEL_SPECS) - {"correct"})
"""A correction changes what past views say by design: tests/integration/test_corrections.py has its own machine."""
START = date(2023, 1, 1)


class LedgerMachine(OnStore, RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.open_store()
        self.ledger.execute([cmd(line) for line in scenario.programme("P", on=date(2022, 12, 1))])
        self.live: dict = {}
        self.snapshots: dict[str, dict[int, dict]] = {code: {} for code in CODES}
        self.day: dict[str, date] = {code: START for code in CODES}
        self.refused = self.accepted = 0

    def teardown(self):
        self.close_store()

    @rule(code=st.sampled_from(CODES), trigger=st.sampled_from(TRIGGERS), role=st.sampled_from(sorted(ROLES)),
          step=st.integers(-5, 40), breakage=st.sampled_from([None, None, None, "drop", "junk", "extra"]))
    def fire(self, code, trigger, role, step, breakage):
        self._fire(code, trigger, role, step, breakage)

    @rule(code=st.sampled_from(CODES), data=st.data())
    def fire_something_allowed(self, code, data):
        """Most random commands are refused; this one picks from what the table allows now."""
        state = self.live[code].state if code in self.live else "new"
        trigger = data.draw(st.sampled_from([t for t in allowed_now(state) if t in TRIGGERS]))
        roles = PARCEL_SPECS[trigger].roles or tuple(ROLES)
        self._fire(code, trigger, data.draw(st.sampled_from(roles)), data.draw(st.integers(0, 30)), None)

    def _fire(self, code, trigger, role, step, breakage):
        spec = PARCEL_SPECS[trigger]
        payload = copy.deepcopy(VALID_DATA[trigger])
        if breakage == "drop" and spec.required:
            payload.pop(spec.required[0])
        elif breakage == "junk" and payload:
            payload[next(iter(payload))] = {"not": "valid"}
        elif breakage == "extra":
            payload["colour"] = "red"
        else:
            breakage = None
        on = self.day[code] + timedelta(days=step)
        line = {"do": trigger, "parcel": code, "actor": "someone", "role": role, "on": on.isoformat(),
                "data": payload, "reason": "测试"}
        before_bytes = store_bytes(self.path)
        before = copy.deepcopy(self.live.get(code))
        state = before.state if before else "new"
        uow = UnitOfWork(self.ledger)
        try:
            self.ledger.handle(uow, cmd(line))
            uow.commit()
        except Refused as refusal:
            self.refused += 1
            assert "\n" not in str(refusal)
            assert store_bytes(self.path) == before_bytes
            assert self.ledger.find("parcel", code) == before
            expected_ok = (
                breakage is None and trigger in allowed_now(state) and trigger not in GUARDED
                and (not spec.roles or role in spec.roles) and on <= date(2025, 6, 1)
                and (before is None or (on >= before.opened_on and (spec.kind == "fact" or on >= before.last_move_on)))
            )
            assert not expected_ok, f"refused a valid command: {refusal}"
            return
        self.accepted += 1
        assert breakage is None and (not spec.roles or role in spec.roles)
        parcel = uow.loaded[next(iter(uow.loaded))]
        self.live[code] = parcel
        self.snapshots[code][parcel.version] = copy.deepcopy(parcel.summary())
        self.day[code] = max(self.day[code], on)

    @invariant()
    def replay_equals_live_state(self):
        for code, live in self.live.items():
            assert self.ledger.get("parcel", code) == live

    @invariant()
    def versions_are_contiguous(self):
        for code in self.live:
            versions = [e.originator_version for e in self.ledger.history("parcel", code)]
            assert versions == list(range(1, len(versions) + 1))

    @invariant()
    def past_views_equal_the_state_the_record_had(self):
        for code in self.live:
            events = self.ledger.history("parcel", code)
            for i, event in enumerate(events):
                version = event.originator_version
                snapshot = self.snapshots[code][version]
                assert self.ledger.view("parcel", code, version=version).summary() == snapshot
                assert self.ledger.view("parcel", code, known_at=event.recorded_at).summary() == snapshot
                is_prefix = all(e.on <= event.on for e in events[:i]) and all(e.on > event.on for e in events[i + 1:])
                if is_prefix:
                    assert self.ledger.view("parcel", code, as_of=event.on).summary() == snapshot


TestLedgerSQLite, TestLedgerPostgres = on_both_backends(LedgerMachine, examples=20, steps=25, pg_examples=10)
