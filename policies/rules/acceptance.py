"""Acceptance (验收): measured honestly, by a proper group, of task-force members (R06, R10, R22).

Fake acceptance is what discipline inspectors look for first.
"""

from __future__ import annotations

from policies.registry import rule
from policies.rules.evidence import P

TASKFORCE_UNITS = ("county_gov", "eeb", "drc", "wrb", "finance")
INTERESTED_UNITS = ("contractor", "supervisor", "design_unit")


@rule("R06", "high", reads=("register", "complete_works", "accept"))
def areas_in_order(d, ctx, emit):
    registered = d.attrs.get("verified_area_ha") or d.attrs.get("area_ha")
    measured = d.acceptance.measured_ha if d.acceptance else None
    built = d.completed.as_built_ha if d.completed else None
    if measured is not None and built is not None and measured > built:
        emit(d.code, d.acceptance.on, 'R06.1', P(d, d.completed.v, d.acceptance.v), values=(measured, built))
    if built is not None and registered is not None and built > registered:
        emit(d.code, d.completed.on, 'R06.2', P(d, d.registered.v, d.completed.v), values=(built, registered))


@rule("R10", "medium", reads=("accept", "award_contract", "submit_design"),
      min_other_units=2, min_experts=3)
def acceptance_group(d, ctx, emit):
    if d.acceptance is None:
        return
    a = d.acceptance
    units = {unit for _, unit in a.group}
    names = {name for name, _ in a.group} | set(a.experts)
    problems, evidence = [], [a.v]
    if "nrb" not in units:
        problems.append(("无自然资源局人员", "no one from the natural resources bureau"))
    others = units & set(TASKFORCE_UNITS)
    if len(others) < ctx.settings["min_other_units"]:
        problems.append((f"其他专班成员单位仅 {len(others)} 个", f"only {len(others)} other task-force units"))
    if len(a.experts) < ctx.settings["min_experts"]:
        problems.append((f"专家仅 {len(a.experts)} 名", f"only {len(a.experts)} experts"))
    interested = units & set(INTERESTED_UNITS)
    if d.contract and names & {d.contract.contractor, d.contract.supervisor}:
        interested |= names & {d.contract.contractor, d.contract.supervisor}
        evidence.append(d.contract.v)
    if d.design and names & set(d.design.authors):
        interested |= names & set(d.design.authors)
        evidence.append(d.design.v)
    if interested:
        problems.append((f"验收组含利害关系方：{'、'.join(sorted(interested))}",
                         f"interested parties in the group: {', '.join(sorted(interested))}"))
    missing = [(zh, en) for value, zh, en in ((a.sign_in_sheet, "签到表", "sign-in sheet"), (a.photos, "照片", "photos"),
                                              (a.measured_ha, "实测面积", "measured area")) if not value]
    if missing:
        problems.append(("缺少" + "、".join(z for z, _ in missing), "missing " + ", ".join(e for _, e in missing)))
    if problems:
        emit(d.code, a.on, "R10.1", P(d, *sorted(set(evidence))),
             values=("；".join(z for z, _ in problems), "; ".join(e for _, e in problems)))


@rule("R22", "medium", reads=("accept", "appoint_member", "remove_member"), others=("taskforce",))
def group_on_task_force(d, ctx, emit):
    if d.acceptance is None:
        return
    a = d.acceptance
    members = ctx.members_on(a.on)
    if members is None:
        return
    strangers = sorted({name for name, _ in a.group} - members)
    if strangers:
        emit(d.code, a.on, "R22.1", P(d, a.v), values=("、".join(strangers), a.on, ", ".join(strangers)))
