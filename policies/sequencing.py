"""Business dates: nothing in the future, nothing before the subject existed, moves in date order.

Facts may be dated before the last move (a payment entered late); the audit judges
their order. Transitions may not, so that the state on any business date is defined.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from workflow.errors import Refused, subject

BUSINESS_TZ = timezone(timedelta(hours=8), "CST")
"""Dates are China Standard Time: 'today' for a county office is its own calendar day."""


def business_today(now: datetime) -> date:
    return now.astimezone(BUSINESS_TZ).date()


def check_on(on: date, now: datetime, kind: str, key: str, state: str | None, trigger: str) -> None:
    today = business_today(now)
    if on > today:
        raise Refused(f"{subject(kind, key, state)}: {trigger} dated {on} is in the future; allowed: on or before {today}")


def check_after_opening(on: date, record, kind: str, trigger: str, is_move: bool) -> None:
    """Refuse a date before the subject was opened, or a move dated before the last move."""
    if on < record.opened_on:
        raise Refused(
            f"{subject(kind, record.key, record.state)}: {trigger} dated {on} is before it was opened on "
            f"{record.opened_on}; allowed: on or after {record.opened_on}"
        )
    if is_move and on < record.last_move_on:
        raise Refused(
            f"{subject(kind, record.key, record.state)}: {trigger} dated {on} is before its last move on "
            f"{record.last_move_on}; allowed: on or after {record.last_move_on}"
        )
