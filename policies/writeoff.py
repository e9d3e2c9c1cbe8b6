"""Write-off ("完成一批核销一批"): parcels are filed and written off only through a batch."""

from __future__ import annotations

from workflow.errors import Refused, subject


def check_not_direct(spec, parcel) -> None:
    if spec.batch_only:
        raise Refused(
            f"{subject('parcel', parcel.code, parcel.state)}: {spec.name} moves parcels only through a write-off "
            f"batch; use `minerehab do {spec.name} --batch BATCH` (\"batch\" in JSONL)"
        )
