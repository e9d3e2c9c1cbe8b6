"""Business days and how dates are written: one owner for China Standard Time and date parsing.

A county office's "today" is its own calendar day (UTC+8), whatever the machine's zone.
Dates are accepted as 2023-02-20, 2023/2/20, 2023年2月20日 or 20230220, everywhere alike.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, datetime, timedelta, timezone

from events.errors import BadInput

BUSINESS_TZ = timezone(timedelta(hours=8), "CST")

_DATE = re.compile(r"\s*(\d{4})(?:-(\d{1,2})-(\d{1,2})|/(\d{1,2})/(\d{1,2})|年(\d{1,2})月(\d{1,2})日?|(\d{2})(\d{2}))\s*")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９－／：", "0123456789-/:")


def now() -> datetime:
    return datetime.now(timezone.utc)


def business_today(moment: datetime | None = None) -> date:
    return (moment or now()).astimezone(BUSINESS_TZ).date()


def local(moment: datetime) -> datetime:
    """A recorded time as a county office reads it."""
    return moment.astimezone(BUSINESS_TZ)


class BadDate(BadInput):
    """A date that cannot be read; `problem` says why without naming the field (en, zh)."""

    def __init__(self, what: str, value, problem: tuple[str, str]):
        self.problem = problem
        super().__init__(f"{what} {value!r}: {problem[0]}", f"{what} {value!r}：{problem[1]}")


def parse_date(value: str, what: str = "date") -> date:
    """A calendar date from any of the accepted spellings; a wrong month or day is named as such."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if type(value) is str and len(value) == 10 and value.isascii() and value[4] == value[7] == "-":
        try:  # the spelling nearly every command uses, read in C; a wrong month or day is named below
            return date.fromisoformat(value)
        except ValueError:
            pass
    text = str(value).translate(_FULL_WIDTH)
    match = _DATE.fullmatch(text)
    if not match:
        raise BadDate(what, value, ("not a date; write it as 2023-02-20 (or 2023/2/20, 2023年2月20日)",
                                    "不是日期，请写作 2023-02-20（或 2023/2/20、2023年2月20日）"))
    year, *parts = match.groups()
    month, day = [int(p) for p in parts if p is not None]
    year = int(year)
    if not 1 <= month <= 12:
        raise BadDate(what, value, (f"month {month} is not 1–12", f"月份 {month} 不在 1–12 之间"))
    last = monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= last or year < 1:
        raise BadDate(what, value, (f"{year}-{month:02d} has no day {day} (1–{last})",
                                    f"{year}年{month}月没有 {day} 日（1–{last}）"))
    return date(year, month, day)


def parse_timestamp(value: str, what: str = "time") -> datetime:
    """An ISO timestamp; without an offset it is China Standard Time."""
    try:
        moment = datetime.fromisoformat(str(value).translate(_FULL_WIDTH).strip())
    except ValueError:
        raise BadInput(f"{what} {value!r} is not a time such as 2024-03-01T12:00:00+08:00",
                       f"{what} {value!r} 不是时间，例如 2024-03-01T12:00:00+08:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=BUSINESS_TZ)
