"""Programme rules: a parcel is planned only into an approved programme and one of its years."""

from __future__ import annotations

from policies.refusals import Refused, subject


def check_plan(programme, data: dict, where: str) -> None:
    name, year = data["programme"], data["year"]
    if programme is None:
        raise Refused(f"{where}: plan: programme {name} is unknown; create and approve it first",
                      zh=f"{where}：列入计划：修复方案 {name} 不存在；请先编制并审批")
    if programme.state != "approved":
        raise Refused(f"{where}: plan: programme {name} is {programme.state}; only an approved programme takes parcels",
                      zh=f"{where}：列入计划：修复方案 {name} 为«state:{programme.state}»；只有已批准的修复方案可纳入图斑")
    if str(year) not in programme.years:
        raise Refused(f"{where}: plan: year {year} is not in programme {name}; years: {', '.join(programme.years)}",
                      zh=f"{where}：列入计划：修复方案 {name} 没有 {year} 年度；年度：{'、'.join(programme.years)}")


def check_budget(programme, data: dict) -> None:
    if str(data["year"]) not in programme.years:
        raise Refused(f"{subject('programme', programme.key, programme.state)}: include_in_budget: year {data['year']} "
                      f"is not in the programme; years: {', '.join(programme.years)}",
                      zh=f"{subject('programme', programme.key, programme.state)}：纳入年度预算：修复方案没有 "
                         f"{data['year']} 年度；年度：{'、'.join(programme.years)}")


