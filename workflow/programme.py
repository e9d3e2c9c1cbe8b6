"""The programme (修复方案 and 目标分解计划表): the county's target, decomposed by year, approved by the county."""

from __future__ import annotations

from decimal import Decimal

from workflow.record import Record


class Programme(Record):
    TOPIC = "workflow.programme:Programme"  # pinned: every stored event names it

    def __init__(self) -> None:
        super().__init__()
        self.plan: dict = {}
        self.budgets: dict[int, Decimal] = {}
        self.evaluation_ref: str | None = None

    def on_opened(self, event: Record.Opened) -> None:
        self.plan = dict(event.data)

    def on_transitioned(self, event: Record.Transitioned) -> None:
        if event.trigger == "approve_programme":
            self.evaluation_ref = event.data["evaluation_ref"]
        elif event.trigger == "include_in_budget":
            year = event.data["year"]
            self.budgets[year] = self.budgets.get(year, Decimal(0)) + event.data["amount"]

    @property
    def years(self) -> dict[str, dict]:
        return self.plan.get("years", {})

    @property
    def planned_area_ha(self) -> Decimal:
        return sum((y["area_ha"] for y in self.years.values()), Decimal(0))

    def summary(self) -> dict:
        return {"programme": self.key, "state": self.state, "version": self.version, **self.plan,
                "planned_area_ha": self.planned_area_ha, "evaluation_ref": self.evaluation_ref,
                "budgets": self.budgets}
