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


def check_on(on: date, today: date, kind: str, key: str, state: str | None, trigger: str) -> None:
    """`today` is the business day of the unit of work (business_today of its clock reading)."""
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


# --- checks over histories (R07, R14, R18) ---------------------------------

from policies.evidence import P, year_end  # noqa: E402
from policies.rules import rule  # noqa: E402


@rule("R07", "high", reads=("start_construction", "complete_works", "make_payment", "move_material", "approve_design", "award_contract"))
def nothing_before_approval(d, ctx, emit):
    approval, contract = d.approval, d.contract
    acts = [(v, on, "开工", "works started") for v, on in ([d.started] if d.started else [])]
    acts += [(d.completed[0], d.completed[1], "完工", "works completed")] if d.completed else []
    acts += [(v, on, f"支付 {amount} 万元", f"payment of {amount}") for v, on, amount, _ in d.payments]
    acts += [(v, on, f"调运土石方 {vol} m³", f"{vol} m³ of material moved") for v, on, vol, _ in d.moves]
    for v, on, zh, en in sorted(acts, key=lambda a: (a[1], a[0])):
        missing = [(z, e) for gate, z, e in ((approval, "方案批复", "design approval"), (contract, "合同签订", "contract"))
                   if gate is None or on < gate[1]]
        if missing:
            versions = sorted({x[0] for x in (approval, contract) if x} | {v})
            emit(d.code, on, "R07.1", P(d, *versions),
                 values=(zh, "和".join(z for z, _ in missing), en, " and ".join(e for _, e in missing)))
    for v, on, _experts, design in d.reviews:
        if v == (approval and approval[0]) and design and on < design[2]:
            emit(d.code, on, 'R07.2', P(d, design[0], v), values=(on, design[2]))


@rule("R14", "medium", reads=("plan", "complete_works", "fail_acceptance", "complete_rectification"))
def on_time(d, ctx, emit):
    if d.plan and d.plan[3] not in ("natural_recovery", "assisted_regeneration"):
        end = year_end(d.plan[2])
        if end < ctx.as_of and (d.completed is None or d.completed[1] > end):
            emit(d.code, end, 'R14.1', P(d, d.plan[0], d.completed and d.completed[0]), values=(d.plan[2], end))
    for v, on, deadline in d.failures:
        done = [r for r in d.rectifications if r[0] > v]
        if (done and done[0][1] > deadline) or (not done and deadline < ctx.as_of):
            emit(d.code, deadline, 'R14.2', P(d, v, done[0][0] if done else None), values=(deadline,))


@rule("R18", "low", reads=("*",), subject="any", late_days=15)
def entered_late(d, ctx, emit):
    for kind, key, version, on, late in d.late:
        emit(key, on, 'R18.1', [(kind, key, version)], values=(on, late))
