"""The parcel (图斑): one abandoned-mine site, from registration to the end of stewardship."""

from __future__ import annotations

from decimal import Decimal

from events.ids import aggregate_id  # noqa: F401  (re-exported: ids are part of the parcel's identity)
from workflow import boundaries
from workflow.record import Record

MONEY_FACTS = {"allocate_funds": "allocated", "make_payment": "paid"}


class Parcel(Record):
    TOPIC = "workflow.parcel:Parcel"  # pinned: every stored event names it

    def __init__(self) -> None:
        super().__init__()
        self.attributes: dict = {}
        self.steps: dict[str, dict] = {}
        self.facts: dict[str, int] = {}
        self.money = {"allocated": Decimal(0), "paid": Decimal(0), "deposited": Decimal(0),
                      "deposited_elsewhere": Decimal(0)}
        self.progress = Decimal(0)
        self.batch: str | None = None
        self.steward: dict | None = None
        self.open_damages: list[str] = []
        self.design_boundary: str | None = None

    @property
    def code(self) -> str:
        return self.key

    def on_opened(self, event: Record.Opened) -> None:
        self.attributes = dict(event.data)

    def on_transitioned(self, event: Record.Transitioned) -> None:
        self.steps[event.trigger] = {**event.data, "on": event.on}
        if event.trigger == "submit_design" and event.data.get("design_boundary"):
            self.design_boundary = event.data["design_boundary"]
        if event.trigger == "confirm_write_off":
            self.batch = None

    def on_fact(self, event: Record.FactRecorded) -> None:
        fact, data = event.fact, event.data
        self.facts[fact] = self.facts.get(fact, 0) + 1
        if fact in MONEY_FACTS:
            self.money[MONEY_FACTS[fact]] += data["amount"]
        elif fact == "deposit_revenue":
            account = "deposited" if data["account"] == "treasury" else "deposited_elsewhere"
            self.money[account] += data["amount"]
        elif fact == "approve_design_change" and data.get("design_boundary"):
            self.design_boundary = data["design_boundary"]
        elif fact == "certify_progress":
            self.progress = data["percent"]
        elif fact == "add_to_batch":
            self.batch = data["batch"]
        elif fact == "remove_from_batch":
            self.batch = None
        elif fact == "designate_steward":
            self.steward = {**data, "designated_on": event.on, "handed_over_on": None}
        elif fact == "hand_over" and self.steward is not None:
            self.steward = {**self.steward, "handed_over_on": event.on}
        elif fact == "report_damage":
            self.open_damages.append(data.get("damage") or f"D{self.facts[fact]}")
        elif fact == "resolve_damage" and self.open_damages:
            damage = data.get("damage")
            self.open_damages.remove(damage if damage in self.open_damages else self.open_damages[0])

    @property
    def area_ha(self) -> Decimal:
        return self.attributes["area_ha"]

    @property
    def plan(self) -> dict:
        return self.steps.get("plan", {})

    def summary(self) -> dict:
        """What `show` prints: the state and everything the record currently says."""
        return {
            "parcel": self.code,
            "state": self.state,
            "version": self.version,
            "registered_on": self.opened_on,
            "last_transition_on": self.last_move_on,
            "attributes": self.attributes,
            "steps": self.steps,
            "facts": dict(sorted(self.facts.items())),
            "money": self.money,
            "certified_progress": self.progress,
            "batch": self.batch,
            "steward": self.steward,
            "open_damages": self.open_damages,
            "boundaries": {kind: boundaries.described(text) for kind, text in boundaries.of_parcel(self).items()},
            "corrections": self.corrections,
        }
