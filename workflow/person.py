"""A registered person: name, unit, the roles granted and the public keys, each with its period.

People are recorded like everything else, as signed events by administrators; the first
administrator is named in the store's first event when it is created.
"""

from __future__ import annotations

from datetime import date

from workflow.record import Record


class Person(Record):
    TOPIC = "workflow.person:Person"  # pinned: every stored event names it

    def __init__(self) -> None:
        super().__init__()
        self.unit: str | None = None
        self.roles: dict[str, date] = {}
        self.keys: dict[str, dict] = {}
        self.revoked_on: date | None = None

    def on_opened(self, event: Record.Opened) -> None:
        data = event.data
        since = data.get("since", event.on)  # the first administrator holds from the start of the record
        self.unit = data["unit"]
        self.roles = {role: since for role in data["roles"]}
        self._add_key(data["public_key"], since)

    def on_transitioned(self, event: Record.Transitioned) -> None:
        if event.trigger == "revoke_person":
            self.revoked_on = event.on

    def on_fact(self, event: Record.FactRecorded) -> None:
        if event.fact == "grant_role":
            for role in event.data["roles"]:
                self.roles.setdefault(role, event.on)
        elif event.fact == "add_key":
            self._add_key(event.data["public_key"], event.on)

    def _add_key(self, entry: dict, on: date) -> None:
        self.keys[entry["fingerprint"]] = {**entry, "valid_from": on}

    def holds(self, role: str, on: date) -> bool:
        since = self.roles.get(role)
        return since is not None and since <= on and (self.revoked_on is None or on < self.revoked_on)

    def summary(self) -> dict:
        return {"person": self.key, "state": self.state, "unit": self.unit, "version": self.version,
                "roles": {role: since for role, since in sorted(self.roles.items())},
                "keys": [{"fingerprint": fp, "algorithm": k["algorithm"], "valid_from": k["valid_from"],
                          "valid_until": self.revoked_on} for fp, k in self.keys.items()],
                "revoked_on": self.revoked_on}


EVENTS = Person.TOPIC + "."
"""The prefix of every stored topic of a person's events (the registry, read apart from the rest)."""
