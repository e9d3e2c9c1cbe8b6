"""Business dates: nothing in the future, nothing before the subject existed, moves in date order.

Facts may be dated before the last move (a payment entered late); the audit judges
their order. Transitions may not, so that the state on any business date is defined.
"""

from __future__ import annotations

from datetime import date

from policies.refusals import Refused, subject


def check_on(on: date, today: date, kind: str, key: str, state: str | None, trigger: str) -> None:
    """`today` is the business day of the unit of work (business_today of its clock reading)."""
    if on > today:
        raise Refused(f"{subject(kind, key, state)}: {trigger} dated {on} is in the future; allowed: on or before {today}",
                      zh=f"{subject(kind, key, state)}：«trigger:{trigger}»的日期 {on} 在未来；可用：{today} 当日或之前")


def check_after_opening(on: date, record, kind: str, trigger: str, is_move: bool) -> None:
    """Refuse a date before the subject was opened, or a move dated before the last move."""
    if on < record.opened_on:
        raise Refused(
            f"{subject(kind, record.key, record.state)}: {trigger} dated {on} is before it was opened on "
            f"{record.opened_on}; allowed: on or after {record.opened_on}",
            zh=f"{subject(kind, record.key, record.state)}：«trigger:{trigger}»的日期 {on} 早于其建立日期 "
               f"{record.opened_on}；可用：{record.opened_on} 当日或之后",
        )
    if is_move and on < record.last_move_on:
        raise Refused(
            f"{subject(kind, record.key, record.state)}: {trigger} dated {on} is before its last move on "
            f"{record.last_move_on}; allowed: on or after {record.last_move_on}",
            zh=f"{subject(kind, record.key, record.state)}：«trigger:{trigger}»的日期 {on} 早于上一次状态变更 "
               f"{record.last_move_on}；可用：{record.last_move_on} 当日或之后",
        )


