"""What each command does to the aggregates it touches, after its guards have passed.

A handler validates everything first and only then triggers events, so a refused
command leaves every aggregate as it was.
"""

from __future__ import annotations

from policies import roles, sequencing, stewardship, writeoff
from workflow import lifecycle
from workflow.commands import Command
from workflow.errors import Refused, subject
from workflow.parcel import Parcel
from workflow.specs import PARCEL_SPECS, parse_fields


def handle_parcel(uow, command: Command) -> dict:
    spec = PARCEL_SPECS.get(command.do)
    parcel: Parcel | None = uow.load("parcel", command.target)
    state = parcel.state if parcel else "new"
    where = subject("parcel", command.target, state)
    if spec is None:
        raise Refused(f"{where}: unknown trigger {command.do!r}; allowed now: {', '.join(allowed_now(state))}")
    if spec.kind == "register":
        if parcel is not None:
            raise Refused(f"{where}: register: code {command.target} is already registered; codes are unique")
    elif parcel is None:
        raise Refused(f"parcel {command.target}: unknown parcel; register it first")

    flags = frozenset({"rejected"}) if command.data.get("rejected") else frozenset()
    dest = None
    if spec.kind in ("register", "transition"):
        dest = lifecycle.destination(lifecycle.PARCEL, spec.name, state, flags)
        if dest is None:
            moves = [t for t in allowed_now(state) if PARCEL_SPECS[t].kind != "fact"]
            raise Refused(f"{where}: {spec.name} is not allowed from {state}; allowed moves: "
                          f"{', '.join(moves) or 'none'} (facts: see `minerehab next`)")
    elif spec.states is not None and state not in spec.states:
        raise Refused(f"{where}: {spec.name} makes no sense in state {state}; allowed in: {', '.join(spec.states)}")
    if parcel is not None:
        writeoff.check_not_direct(spec, parcel)
    roles.check_role(spec, command.role, "parcel", command.target, state)
    data = parse_fields(spec, command.data, where)
    if spec.reason_required and not command.reason:
        raise Refused(f"{where}: {spec.name} needs a reason (--reason)")
    if spec.name == "plan" and data["mode"] == "conversion" and not {"sponsor", "new_use"} <= set(data):
        raise Refused(f"{where}: plan with mode conversion needs sponsor (drc|wrb) and new_use")
    sequencing.check_on(command.on, uow.now, "parcel", command.target, state, spec.name)
    if parcel is not None:
        sequencing.check_after_opening(command.on, parcel, "parcel", spec.name, spec.kind == "transition")
    if spec.kind == "fact":
        stewardship.check_fact(parcel, spec.name, data)
    if spec.name == "close_stewardship":
        stewardship.check_close(parcel, command.on)
    if spec.name == "start_natural_recovery" and parcel.plan.get("mode") not in ("natural_recovery", "assisted_regeneration"):
        raise Refused(f"{where}: start_natural_recovery needs a plan in mode natural_recovery or assisted_regeneration")

    if spec.kind == "register":
        parcel = uow.open(Parcel, "parcel", command, dest, data)
    elif spec.kind == "transition":
        uow.move(parcel, command, state, dest, data)
    else:
        uow.note(parcel, command, data)
    return {"from": state, "to": parcel.state, "version": parcel.version}


def allowed_now(state: str) -> list[str]:
    """Triggers and facts that could be recorded in `state` (batch-only moves excluded)."""
    moves = [t for t in lifecycle.triggers_from(lifecycle.PARCEL, state) if not PARCEL_SPECS[t].batch_only]
    if state == "new":
        return moves
    facts = [s.name for s in PARCEL_SPECS.values() if s.kind == "fact" and (s.states is None or state in s.states)]
    return moves + facts


HANDLERS = {"parcel": handle_parcel}
