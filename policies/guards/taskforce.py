"""Task-force membership (工作专班): changes are reported for the record (备案), one current term per person."""

from __future__ import annotations

from policies.refusals import Refused, subject


def check_change(taskforce, trigger: str, data: dict) -> None:
    if taskforce is None:
        return
    where = subject("taskforce", taskforce.key, taskforce.state)
    current = taskforce.current(data["person"])
    if trigger == "appoint_member" and current is not None:
        raise Refused(f"{where}: appoint_member: {data['person']} is already a member ({current['position']}); "
                      f"remove_member first to change the position",
                      zh=f"{where}：任命专班成员：{data['person']} 已是成员（{current['position']}）；调整职务须先调整专班成员"
                         f"（remove_member）")
    if trigger == "remove_member" and current is None:
        raise Refused(f"{where}: remove_member: {data['person']} is not a current member",
                      zh=f"{where}：调整专班成员：{data['person']} 不是现任成员")
