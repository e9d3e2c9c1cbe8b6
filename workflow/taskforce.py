"""The task force (工作专班): who sat on it when, so acceptance groups can be checked against it."""

from __future__ import annotations

from datetime import date

from workflow.record import Record


class TaskForce(Record):
    TOPIC = "workflow.taskforce:TaskForce"  # pinned: every stored event names it

    def __init__(self) -> None:
        super().__init__()
        self.terms: list[dict] = []

    def on_opened(self, event: Record.Opened) -> None:
        self._appoint(event)

    def on_transitioned(self, event: Record.Transitioned) -> None:
        if event.trigger == "appoint_member":
            self._appoint(event)
        elif event.trigger == "remove_member":
            for term in self.terms:
                if term["person"] == event.data["person"] and term["until"] is None:
                    term["until"] = event.on

    def _appoint(self, event) -> None:
        self.terms.append({**event.data, "since": event.on, "until": None})

    def current(self, person: str) -> dict | None:
        return next((t for t in self.terms if t["person"] == person and t["until"] is None), None)

    def members_on(self, day: date) -> list[dict]:
        """Members on a date: appointed on or before it, and not removed by then."""
        return [t for t in self.terms if t["since"] <= day and (t["until"] is None or t["until"] > day)]

    def summary(self) -> dict:
        return {"taskforce": self.key, "state": self.state, "version": self.version,
                "members": [t for t in self.terms if t["until"] is None], "terms": self.terms}
