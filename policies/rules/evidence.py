"""Small helpers the checks share: evidence tuples, the design in force, date arithmetic."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal


def P(dossier, *versions: int | None) -> list[tuple[str, str, int]]:
    """Evidence on a parcel: its aggregate and the versions that show the breach."""
    return [("parcel", dossier.code, v) for v in versions if v is not None]


def approved_design(d):
    """The design (a `Design`) the approval approved, or None."""
    if d.approval is None:
        return None
    for review in reversed(d.reviews):
        if review.v == d.approval.v:
            return review.design
    return None


def design_basis(d, before: date | None = None):
    """Boundary area and quantities in force: the approved design as changed by approved design changes."""
    design = approved_design(d)
    if design is None:
        return None, None, {}, []
    boundary, quantities, used = design.boundary_ha, dict(design.quantities), [design.v]
    for change in d.changes:
        if before is None or change.on < before:
            boundary = change.boundary_ha or boundary
            quantities.update(change.quantities)
            used.append(change.v)
    return design, boundary, quantities, used


def pct(part: Decimal, whole: Decimal) -> Decimal:
    return part * 100 / whole


def year_end(year: int) -> date:
    return date(year, 12, 31)


def after(day: date, days: int) -> date:
    return day + timedelta(days=days)
