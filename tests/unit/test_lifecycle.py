"""The lifecycle table says exactly what the reference says, and is used as a table only."""

from __future__ import annotations

import pytest

from workflow import lifecycle
from workflow.specs import PARCEL_SPECS
from workflow.vocabulary import FACTS, ROLES, STATES, TRIGGERS

REFERENCE_TABLE = [
    ("register", "new", "identified"), ("plan", "identified", "planned"),
    ("commission_survey", "planned", "surveying"), ("deliver_survey", "surveying", "surveyed"),
    ("submit_design", "surveyed", "design_review"), ("approve_design", "design_review", "design_approved"),
    ("reject_design", "design_review", "surveyed"), ("award_contract", "design_approved", "contracted"),
    ("start_construction", "contracted", "under_construction"), ("suspend", "under_construction", "suspended"),
    ("resume", "suspended", "under_construction"), ("complete_works", "under_construction", "works_completed"),
    ("accept", "works_completed", "accepted"), ("fail_acceptance", "works_completed", "rectifying"),
    ("complete_rectification", "rectifying", "works_completed"), ("start_natural_recovery", "planned", "recovering"),
    ("accept", "recovering", "accepted"), ("file_batch", "accepted", "filed"),
    ("confirm_write_off", "filed", "written_off"), ("close_stewardship", "written_off", "closed"),
]


@pytest.mark.parametrize("trigger,source,dest", REFERENCE_TABLE)
def test_every_row_of_the_domain_table_is_in_the_machine(trigger, source, dest):
    assert lifecycle.destination(lifecycle.PARCEL, trigger, source) == dest


def test_rejected_write_off_goes_back_to_rectifying():
    assert lifecycle.destination(lifecycle.PARCEL, "confirm_write_off", "filed", frozenset({"rejected"})) == "rectifying"


def test_nothing_else_is_allowed():
    allowed = {(t, s) for t, s, _ in REFERENCE_TABLE}
    for state in lifecycle.PARCEL_STATES:
        for trigger in TRIGGERS:
            if (trigger, state) not in allowed:
                assert lifecycle.destination(lifecycle.PARCEL, trigger, state) is None, (trigger, state)


def test_machine_has_no_auto_transitions_and_no_models():
    assert not any(t.startswith("to_") for t in lifecycle.PARCEL.events)
    assert lifecycle.PARCEL.models == []


def test_batch_only_moves_are_marked():
    assert {s.name for s in PARCEL_SPECS.values() if s.batch_only} == {"file_batch", "confirm_write_off"}


def test_every_id_has_chinese_and_english_names():
    for spec in PARCEL_SPECS.values():
        table = FACTS if spec.kind == "fact" else TRIGGERS
        assert spec.name in table, spec.name
        for role in spec.roles:
            assert role in ROLES
    for state in lifecycle.PARCEL_STATES + lifecycle.BATCH_STATES:
        zh, en = STATES[state]
        assert zh and en and zh != en
