"""What each command does to the aggregates it touches, after its guards have passed.

A handler validates everything first and only then triggers events, so a refused
command leaves every aggregate as it was; the unit of work commits all of them in
one transaction (batch filing moves every member parcel at once).
"""

from __future__ import annotations

from typing import NamedTuple

from policies.areas import accepted_area
from policies.guards import dates, roles, stewardship, writeoff
from policies.guards import programme as programme_rules
from policies.guards import taskforce as taskforce_rules
from policies.refusals import Refused, names, subject
from workflow import lifecycle
from workflow.batch import WriteOffBatch
from workflow.commands import Command
from workflow.parcel import Parcel
from workflow.person import Person
from workflow.programme import Programme
from workflow.specs import (
    BATCH_SPECS,
    PARCEL_SPECS,
    PERSON_SPECS,
    PROGRAMME_SPECS,
    TASKFORCE_SPECS,
    WITNESSING_SPECS,
    Spec,
    parse_fields,
)
from workflow.taskforce import TaskForce
from workflow.witnessing import OtherHistory, Witnessing

TABLES = {
    "parcel": (Parcel, lifecycle.PARCEL, PARCEL_SPECS),
    "batch": (WriteOffBatch, lifecycle.BATCH, BATCH_SPECS),
    "programme": (Programme, lifecycle.PROGRAMME, PROGRAMME_SPECS),
    "taskforce": (TaskForce, lifecycle.TASKFORCE, TASKFORCE_SPECS),
    "person": (Person, lifecycle.PERSON, PERSON_SPECS),
    "witnessing": (Witnessing, lifecycle.WITNESSING, WITNESSING_SPECS),
}


def allowed_now(state: str, kind: str = "parcel") -> list[str]:
    """Triggers and facts that could be recorded in `state` (batch-only moves excluded)."""
    _, machine, specs = TABLES[kind]
    moves = [t for t in lifecycle.triggers_from(machine, state) if not specs[t].batch_only]
    if state == "new" or kind != "parcel":
        return moves
    facts = [s.name for s in specs.values() if s.kind == "fact" and (s.states is None or state in s.states)]
    return moves + facts


class Checked(NamedTuple):
    """A command that passed the checks every command passes, and what they found."""

    cls: type  # the aggregate class
    record: object  # the aggregate as it stands, None if the command opens it
    spec: Spec
    state: str  # where the record stands ("new" if it does not exist yet)
    dest: str | None  # where the command moves it (None for a fact)
    data: dict  # the command's typed fields
    where: str  # how a refusal names the subject


def prepare(uow, command: Command) -> Checked:
    """The checks every command passes: known trigger and subject, table move, role, fields, dates."""
    kind = command.kind
    cls, machine, specs = TABLES[kind]
    record = uow.load(kind, command.target)
    state = record.state if record else "new"
    where = subject(kind, command.target, state)
    spec: Spec | None = specs.get(command.do)
    if spec is None:
        from difflib import get_close_matches

        now = allowed_now(state, kind)
        guess = next(iter(get_close_matches(command.do, [*now, *specs], n=1, cutoff=0.6)), None)
        raise Refused(f"{where}: unknown trigger {command.do!r}" + (f" (did you mean {guess}?)" if guess else "")
                      + f"; allowed now: {', '.join(now)}",
                      zh=f"{where}：没有操作 {command.do!r}" + (f"（是否想输入 {guess}（«trigger:{guess}»）？）" if guess else "")
                      + f"；现在可执行：{names('trigger', now)}")
    opens = lifecycle.destination(machine, spec.name, "new") is not None
    if record is not None and opens and state != "new" and lifecycle.destination(machine, spec.name, state) is None:
        raise Refused(f"{where}: register: code {command.target} is already registered; codes are unique"
                      if kind == "parcel" else f"{where}: {spec.name}: {kind} {command.target} already exists",
                      zh=f"{where}：编号 {command.target} 已登记；编号不能重复" if kind == "parcel"
                      else f"{where}：«trigger:{spec.name}»：«kind:{kind}» {command.target} 已存在")
    if record is None and not opens:
        raise Refused(f"{kind} {command.target}: unknown {kind}; " + (
            "register it first" if kind == "parcel" else f"{next(iter(specs))} it first"),
            zh=f"«kind:{kind}» {command.target} 不存在；请先«trigger:{next(iter(specs))}»")
    dest = None
    if spec.kind != "fact":
        flags = frozenset({"rejected"}) if command.data.get("rejected") else frozenset()
        dest = lifecycle.destination(machine, spec.name, state, flags)
        if dest is None:
            moves = [t for t in allowed_now(state, kind) if specs[t].kind != "fact"]
            raise Refused(f"{where}: {spec.name} is not allowed from {state}; allowed moves: "
                          f"{', '.join(moves) or 'none'}" + (" (facts: see `minerehab next`)" if kind == "parcel" else ""),
                          zh=f"{where}：在«state:{state}»状态下不能«trigger:{spec.name}»；可执行的状态变更："
                          f"{names('trigger', moves)}" + ("（可记录的事实见 `minerehab next`）" if kind == "parcel" else ""))
    elif spec.states is not None and state not in spec.states:
        raise Refused(f"{where}: {spec.name} makes no sense in state {state}; allowed in: {', '.join(spec.states)}",
                      zh=f"{where}：«state:{state}»状态下不能记录«trigger:{spec.name}»；可在：{names('state', spec.states)}")
    if record is not None and kind == "parcel":
        writeoff.check_not_direct(spec, record)
    roles.check_role(spec, command.role, kind, command.target, state)
    data = parse_fields(spec, command.data, where)
    if spec.reason_required and not command.reason:
        raise Refused(f"{where}: {spec.name} needs a reason (--reason)", zh=f"{where}：«trigger:{spec.name}»须说明原因（--reason）")
    dates.check_on(command.on, uow.today, kind, command.target, state, spec.name)
    if record is not None:
        dates.check_after_opening(command.on, record, kind, spec.name, spec.kind == "transition")
    return Checked(cls, record, spec, state, dest, data, where)


def record_step(uow, checked: Checked, command: Command):
    """Trigger the one event of this command on its own subject; the subject as it now stands."""
    if checked.record is None:
        return uow.open(checked.cls, command.kind, command, checked.dest, checked.data)
    if checked.spec.kind == "fact":
        uow.note(checked.record, command, checked.data)
    else:
        uow.move(checked.record, command, checked.state, checked.dest, checked.data)
    return checked.record


def handle_parcel(uow, command: Command) -> dict:
    checked = prepare(uow, command)
    parcel, spec, state, data, where = checked.record, checked.spec, checked.state, checked.data, checked.where
    if spec.name == "plan":
        if data["mode"] == "conversion" and not {"sponsor", "new_use"} <= set(data):
            raise Refused(f"{where}: plan with mode conversion needs sponsor (drc|wrb) and new_use",
                          zh=f"{where}：修复模式为转型利用的计划须给出 sponsor（发展改革委员会|水利局）和 new_use")
        programme_rules.check_plan(uow.load("programme", data["programme"]), data, where)
    if spec.kind == "fact":
        stewardship.check_fact(parcel, spec.name, data)
    if spec.name == "close_stewardship":
        stewardship.check_close(parcel, command.on)
    if spec.name == "start_natural_recovery" and parcel.plan.get("mode") not in ("natural_recovery", "assisted_regeneration"):
        raise Refused(f"{where}: start_natural_recovery needs a plan in mode natural_recovery or assisted_regeneration",
                      zh=f"{where}：启动自然恢复须计划的修复模式为自然恢复或辅助再生")
    if spec.name == "correct":
        checked = checked._replace(data=correcting(uow, checked, command))
    parcel = record_step(uow, checked, command)
    if spec.name == "correct":
        uow.refresh("parcel", command.target)
    return {"from": state, "to": parcel.state, "version": parcel.version}


def correcting(uow, checked: Checked, command: Command) -> dict:
    """A correction's data, checked against the event it corrects; its roles are those of that event."""
    from workflow.corrections import correction_data

    data, allowed = correction_data(checked.record, uow.history("parcel", command.target), checked.data, checked.where)
    if allowed and command.role not in allowed:
        raise Refused(f"{checked.where}: role {command.role} may not correct {data['event']}; allowed roles: "
                      f"{', '.join(allowed)}", zh=f"{checked.where}：角色 {command.role} 不能更正 {data['event']}；"
                      f"可更正的角色：{', '.join(allowed)}")
    return data


def handle_batch(uow, command: Command) -> dict:
    checked = prepare(uow, command)
    batch, spec, state, data = checked.record, checked.spec, checked.state, checked.data
    follow = []  # (parcel, trigger, kind, data) to record on member parcels once the batch's own event is in
    if spec.name == "add_to_batch":
        code = data["parcel"]
        parcel = uow.load("parcel", code)
        writeoff.check_add(batch, code, parcel, command.on)
        data["area_ha"] = accepted_area(parcel.steps.get("accept", {}).get("measured_area_ha"), parcel.area_ha)
        follow.append((parcel, "add_to_batch", "fact", {"batch": batch.key}))
    elif spec.name == "remove_from_batch":
        writeoff.check_remove(batch, data["parcel"])
        follow.append((uow.load("parcel", data["parcel"]), "remove_from_batch", "fact", {"batch": batch.key}))
    elif spec.name == "submit_batch":
        writeoff.check_submit(batch)
    elif spec.name in ("file_batch", "confirm_write_off"):
        members = {code: uow.load("parcel", code) for code in sorted(batch.members)}
        expected = "accepted" if spec.name == "file_batch" else "filed"
        writeoff.check_members_movable(batch, members, spec.name, expected, command.on)
        rejected = set(data.get("rejected", []))
        writeoff.check_rejected(batch, sorted(rejected))
        for code, parcel in members.items():
            step = {"batch": batch.key, **{k: v for k, v in data.items() if k != "rejected"}}
            if spec.name == "confirm_write_off":
                step["rejected"] = code in rejected
            follow.append((parcel, spec.name, "transition", step))
    record_step(uow, checked, command)
    for parcel, trigger, kind, step in follow:
        if kind == "fact":
            uow.note(parcel, command, step, fact=trigger)
        else:
            flags = frozenset({"rejected"}) if step.get("rejected") else frozenset()
            target = lifecycle.destination(lifecycle.PARCEL, trigger, parcel.state, flags)
            uow.move(parcel, command, parcel.state, target, step)
    batch = uow.load("batch", command.target)
    return {"from": state, "to": batch.state, "version": batch.version, "parcels": [p.code for p, *_ in follow]}


def handle_programme(uow, command: Command) -> dict:
    checked = prepare(uow, command)
    if checked.spec.name == "include_in_budget":
        programme_rules.check_budget(checked.record, checked.data)
    programme = record_step(uow, checked, command)
    return {"from": checked.state, "to": programme.state, "version": programme.version}


def handle_taskforce(uow, command: Command) -> dict:
    checked = prepare(uow, command)
    taskforce_rules.check_change(checked.record, checked.spec.name, checked.data)
    taskforce = record_step(uow, checked, command)
    return {"from": checked.state, "to": taskforce.state, "version": taskforce.version}


def handle_person(uow, command: Command) -> dict:
    checked = prepare(uow, command)
    person = record_step(uow, checked, command)
    return {"from": checked.state, "to": person.state, "version": person.version}


def handle_witnessing(uow, command: Command) -> dict:
    """A witness's cosignature, recorded only if it verifies and covers this very log's history."""
    from events import witness

    checked = prepare(uow, command)
    where, origin = checked.where, uow.ledger.origin
    if command.target != origin:
        raise Refused(f"{where}: record_cosignature: this store's log is {origin}; a cosignature of another log is "
                      "not recorded here", zh=f"{where}：«trigger:record_cosignature»：本存储的日志为 {origin}；"
                      "其他日志的联署不在此记录")
    try:
        cosignature = witness.recorded(origin, checked.data)
    except ValueError as error:
        raise Refused(f"{where}: record_cosignature: {error}",
                      zh=f"{where}：«trigger:record_cosignature»：联署无法核验：联署行、见证方公钥与所记的树大小、根、"
                      "见证方、密钥标识和联署时间不一致") from None
    data = checked.data
    if checked.record is not None and checked.record.holds(data["witness"], data["key_id"], data["size"], data["root"]):
        raise Refused(f"{where}: witness {data['witness']}'s cosignature of {data['size']} events is already recorded",
                      zh=f"{where}：见证方 {data['witness']} 对 {data['size']} 条事件的联署已记录")
    held, root = uow.log_root(cosignature.size)
    why = witness.contradicted(cosignature, {cosignature.size: root}, held)
    if why:
        raise OtherHistory(f"{where}: record_cosignature: not this log's history: {why[0]}",
                           zh=f"{where}：«trigger:record_cosignature»：不是本日志的历史：{why[1]}")
    record = record_step(uow, checked, command)
    return {"from": checked.state, "to": record.state, "version": record.version}


HANDLERS = {"person": handle_person, "parcel": handle_parcel, "batch": handle_batch, "programme": handle_programme,
            "taskforce": handle_taskforce, "witnessing": handle_witnessing}
