"""Transcodings the stored events need beyond eventsourcing's defaults (it has none for `date`)."""

from __future__ import annotations

from datetime import date

from eventsourcing.persistence import JSONTranscoder, Transcoding


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def register(transcoder: JSONTranscoder) -> None:
    """Register every transcoding minerehab's events use, on an application's transcoder."""
    transcoder.register(DateAsISO())
