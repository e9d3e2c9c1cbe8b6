"""Transcodings the stored events need beyond eventsourcing's defaults (it has none for `date`),
and the transcoder that writes them.

`StoredJSON` writes exactly the bytes eventsourcing's `JSONTranscoder` writes (the hash
chain and every reader depend on them; tests/test_codecs.py checks it), but keeps one C
encoder instead of building a new one per event, and finds each value's transcoding in
one dictionary lookup: `apply` encodes every event it records.
"""

from __future__ import annotations

import json.encoder
from datetime import date
from typing import Any

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


class StoredJSON(JSONTranscoder):
    def __init__(self) -> None:
        super().__init__()
        self._tagged: dict[type, tuple[str, Any]] = {}
        # the arguments json.JSONEncoder(separators=(",", ":"), ensure_ascii=False) passes, less the circular check
        self._encode = json.encoder.c_make_encoder(
            None, self._encode_obj, json.encoder.encode_basestring, None, ":", ",", False, False, True)

    def register(self, transcoding: Transcoding) -> None:
        super().register(transcoding)
        self._tagged[transcoding.type] = (transcoding.name, transcoding.encode)

    def encode(self, obj: Any) -> bytes:
        return "".join(self._encode(obj, 0)).encode("utf8")

    def _encode_obj(self, o: Any) -> dict[str, Any]:
        found = self._tagged.get(type(o))
        if found is None:
            return super()._encode_obj(o)  # its error names the type
        return {"_type_": found[0], "_data_": found[1](o)}

