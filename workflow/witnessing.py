"""Witnessing (见证): the cosignatures independent witnesses gave this log's checkpoints, recorded in the
ledger itself, one aggregate per log origin, one event per witness and checkpoint.

A cosignature is recorded only after it has been checked against this store's own log (the handler), and
`verify` checks every recorded one again: a history rewritten after a witness cosigned it contradicts a
signature the county cannot forge, and is named with the witness and the size.
"""

from __future__ import annotations

import json

from events.errors import EXIT_FINDINGS
from events.logreader import typed
from policies.refusals import Refused
from workflow.record import Record

RECORD = "record_cosignature"


class OtherHistory(Refused):
    """A cosigned checkpoint that is not of this log's history (another root at its size, or more events
    than the log holds): evidence against the store, so exit 1 like any tampering."""

    exit_code = EXIT_FINDINGS


class Witnessing(Record):
    TOPIC = "workflow.witnessing:Witnessing"  # pinned: every stored event names it

    def __init__(self) -> None:
        super().__init__()
        self.cosignatures: list[dict] = []

    def on_opened(self, event: Record.Opened) -> None:
        self._add(event)

    def on_transitioned(self, event: Record.Transitioned) -> None:
        self._add(event)

    def _add(self, event) -> None:
        self.cosignatures.append({**event.data, "version": event.originator_version, "actor": event.actor,
                                  "role": event.role, "on": event.on, "recorded_at": event.timestamp})

    def holds(self, witness: str, key_id: str, size: int, root: str) -> bool:
        return any((c["witness"], c["key_id"], c["size"], c["root"]) == (witness, key_id, size, root)
                   for c in self.cosignatures)

    def summary(self) -> dict:
        return {"witnessing": self.key, "state": self.state, "version": self.version,
                "cosignatures": newest_first(self.cosignatures)}


def newest_first(rows: list[dict]) -> list[dict]:
    """Largest tree size first; at one size, the latest cosignature first."""
    return sorted(rows, key=lambda c: (-c["size"], -c["cosigned_at"], c["witness"]))


def claims(log) -> list[tuple[int, dict]]:
    """(version, data) of every recorded cosignature, read from the raw rows (in the reader's snapshot), so
    that `verify` checks them even where an edited row would not replay. Only this log's origin is ever
    recorded (the handler), so each is checked as a cosignature of this log."""
    found = []
    for _oid, version, _nid, _topic, raw in log.events_of(Witnessing.TOPIC + "."):
        try:
            data = typed(json.loads(bytes(raw))).get("data")
        except (ValueError, TypeError, AttributeError):
            data = None
        found.append((version, data if isinstance(data, dict) else {}))
    return found
