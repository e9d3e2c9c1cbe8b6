"""What every event records besides its data: who, in which role, on which business date, why, with which documents.

`recorded_at` is the event's own timestamp, set by the ledger's clock when the event
is created; callers never supply it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Meta:
    """Fields shared by every event of every aggregate."""

    actor: str
    role: str
    on: date
    reason: str | None
    documents: list
    migrated: bool
    signature: dict | None = field(default=None, kw_only=True)
    """{algorithm, key (fingerprint), sig (base64)} over the command's canonical bytes; for an event a
    batch command caused on a member parcel, {via: "batch:KEY@VERSION"}; None in an unsigned store."""

    @property
    def recorded_at(self) -> datetime:
        return self.timestamp  # type: ignore[attr-defined]
