"""The write-off batch ("完成一批核销一批"): accepted parcels filed with, and written off by, the prefecture."""

from __future__ import annotations

from decimal import Decimal

from policies.guards.writeoff import LIVE_BATCH_STATES
from workflow.record import Record


class WriteOffBatch(Record):
    TOPIC = "workflow.batch:WriteOffBatch"  # pinned: every stored event names it

    def __init__(self) -> None:
        super().__init__()
        self.year: int | None = None
        self.members: dict[str, Decimal] = {}
        self.refs: dict[str, str] = {}
        self.rejected: list[str] = []
        self.returns = 0

    def on_opened(self, event: Record.Opened) -> None:
        self.year = event.data["year"]

    def on_transitioned(self, event: Record.Transitioned) -> None:
        data = event.data
        if event.trigger == "add_to_batch":
            self.members[data["parcel"]] = data["area_ha"]
        elif event.trigger == "remove_from_batch":
            self.members.pop(data["parcel"], None)
        elif event.trigger == "return_batch":
            self.returns += 1
        elif event.trigger == "confirm_write_off":
            self.rejected = list(data.get("rejected", []))
        for ref in ("report_ref", "filing_ref", "confirmation_ref"):
            if ref in data:
                self.refs[ref] = data[ref]

    @property
    def is_live(self) -> bool:
        """A batch still holds its parcels until the prefecture has confirmed it."""
        return self.state in LIVE_BATCH_STATES

    @property
    def area_ha(self) -> Decimal:
        return sum(self.members.values(), Decimal(0))

    def summary(self) -> dict:
        return {"batch": self.key, "state": self.state, "version": self.version, "year": self.year,
                "opened_on": self.opened_on, "last_transition_on": self.last_move_on,
                "members": sorted(self.members), "area_ha": self.area_ha, "refs": self.refs,
                "rejected": self.rejected, "returns": self.returns}
