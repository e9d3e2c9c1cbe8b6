"""Which area counts as accepted: the one owner of a figure the batch, the progress report and R19 all use."""

from __future__ import annotations

from decimal import Decimal


def accepted_area(measured: Decimal | None, registered: Decimal | None) -> Decimal:
    """What acceptance measured; where nothing was measured, the registered (verified) area.

    Never the contractor's as-built claim: that is the figure "报大建小" inflates."""
    return measured or registered or Decimal(0)
