"""Lifecycles as data: one module-level `transitions` Machine per lifecycle, used as a table.

The machines are never bound to aggregates (binding costs memory per aggregate and breaks snapshots): a command asks for the
destination of its trigger from the current state and fails before any event exists
when there is none. Conditions named here are flags of the command, never run by
`transitions`; replay only applies recorded destinations.
"""

from __future__ import annotations

from functools import lru_cache

from transitions import Machine

PARCEL_STATES = [
    "new", "identified", "planned", "surveying", "surveyed", "design_review", "design_approved",
    "contracted", "under_construction", "suspended", "works_completed", "rectifying", "recovering",
    "accepted", "filed", "written_off", "closed",
]

PARCEL_TRANSITIONS = [
    {"trigger": "register", "source": "new", "dest": "identified"},
    {"trigger": "plan", "source": "identified", "dest": "planned"},
    {"trigger": "commission_survey", "source": "planned", "dest": "surveying"},
    {"trigger": "deliver_survey", "source": "surveying", "dest": "surveyed"},
    {"trigger": "submit_design", "source": "surveyed", "dest": "design_review"},
    {"trigger": "approve_design", "source": "design_review", "dest": "design_approved"},
    {"trigger": "reject_design", "source": "design_review", "dest": "surveyed"},
    {"trigger": "award_contract", "source": "design_approved", "dest": "contracted"},
    {"trigger": "start_construction", "source": "contracted", "dest": "under_construction"},
    {"trigger": "suspend", "source": "under_construction", "dest": "suspended"},
    {"trigger": "resume", "source": "suspended", "dest": "under_construction"},
    {"trigger": "complete_works", "source": "under_construction", "dest": "works_completed"},
    {"trigger": "accept", "source": "works_completed", "dest": "accepted"},
    {"trigger": "fail_acceptance", "source": "works_completed", "dest": "rectifying"},
    {"trigger": "complete_rectification", "source": "rectifying", "dest": "works_completed"},
    {"trigger": "start_natural_recovery", "source": "planned", "dest": "recovering"},
    {"trigger": "accept", "source": "recovering", "dest": "accepted"},
    {"trigger": "file_batch", "source": "accepted", "dest": "filed"},
    {"trigger": "confirm_write_off", "source": "filed", "dest": "written_off", "unless": "rejected"},
    {"trigger": "confirm_write_off", "source": "filed", "dest": "rectifying", "conditions": "rejected"},
    {"trigger": "close_stewardship", "source": "written_off", "dest": "closed"},
]

BATCH_STATES = ["new", "open", "submitted", "filed", "written_off"]

BATCH_TRANSITIONS = [
    {"trigger": "create_batch", "source": "new", "dest": "open"},
    {"trigger": "add_to_batch", "source": "open", "dest": "open"},
    {"trigger": "remove_from_batch", "source": "open", "dest": "open"},
    {"trigger": "submit_batch", "source": "open", "dest": "submitted"},
    {"trigger": "return_batch", "source": "submitted", "dest": "open"},
    {"trigger": "file_batch", "source": "submitted", "dest": "filed"},
    {"trigger": "confirm_write_off", "source": "filed", "dest": "written_off"},
]

PROGRAMME_STATES = ["new", "drafted", "approved"]

PROGRAMME_TRANSITIONS = [
    {"trigger": "create_programme", "source": "new", "dest": "drafted"},
    {"trigger": "approve_programme", "source": "drafted", "dest": "approved"},
    {"trigger": "include_in_budget", "source": "approved", "dest": "approved"},
]

TASKFORCE_STATES = ["new", "active"]

TASKFORCE_TRANSITIONS = [
    {"trigger": "appoint_member", "source": ["new", "active"], "dest": "active"},
    {"trigger": "remove_member", "source": "active", "dest": "active"},
]

PERSON_STATES = ["new", "active", "revoked"]

PERSON_TRANSITIONS = [
    {"trigger": "add_person", "source": "new", "dest": "active"},
    {"trigger": "revoke_person", "source": "active", "dest": "revoked"},
]

WITNESSING_STATES = ["new", "witnessed"]

WITNESSING_TRANSITIONS = [
    {"trigger": "record_cosignature", "source": ["new", "witnessed"], "dest": "witnessed"},
]


def _table(states: list[str], transitions: list[dict]) -> Machine:
    return Machine(model=None, states=states, transitions=transitions, initial="new",
                   auto_transitions=False, send_event=False)


PARCEL = _table(PARCEL_STATES, PARCEL_TRANSITIONS)
BATCH = _table(BATCH_STATES, BATCH_TRANSITIONS)
PROGRAMME = _table(PROGRAMME_STATES, PROGRAMME_TRANSITIONS)
TASKFORCE = _table(TASKFORCE_STATES, TASKFORCE_TRANSITIONS)
PERSON = _table(PERSON_STATES, PERSON_TRANSITIONS)
WITNESSING = _table(WITNESSING_STATES, WITNESSING_TRANSITIONS)


@lru_cache(maxsize=None)
def destination(machine: Machine, trigger: str, state: str, flags: frozenset[str] = frozenset()) -> str | None:
    """Where `trigger` leads from `state` given the command's flags, or None if it is not allowed.

    Cached: the tables never change at run time, and this is on every command's path."""
    for transition in machine.get_transitions(trigger=trigger, source=state):
        if all(c.func in flags for c in transition.conditions if c.target) and not any(
            c.func in flags for c in transition.conditions if not c.target
        ):
            return transition.dest
    return None


def triggers_from(machine: Machine, state: str) -> list[str]:
    """Triggers the table allows from `state`, in table order."""
    return machine.get_triggers(state)
