"""Write-off ("完成一批核销一批"): parcels are filed and written off only through a batch."""

from __future__ import annotations

from policies.refusals import Refused, subject

LIVE_BATCH_STATES = ("open", "submitted", "filed")
"""A batch holds its parcels until the prefecture has confirmed it: no parcel may be in two such batches."""


def check_not_direct(spec, parcel) -> None:
    if spec.batch_only:
        raise Refused(
            f"{subject('parcel', parcel.code, parcel.state)}: {spec.name} moves parcels only through a write-off "
            f"batch; use `minerehab do {spec.name} --batch BATCH` (\"batch\" in JSONL)"
        )


def check_add(batch, code: str, parcel, on) -> None:
    """Only accepted parcels, in no other live batch, and not before they were accepted."""
    where = subject("batch", batch.key, batch.state)
    if parcel is None:
        raise Refused(f"{where}: add_to_batch: parcel {code} is unknown")
    if parcel.state != "accepted":
        raise Refused(f"{where}: add_to_batch: parcel {code} is {parcel.state}; only accepted parcels may join a batch")
    if parcel.batch is not None:
        raise Refused(f"{where}: add_to_batch: parcel {code} is already in live batch {parcel.batch}")
    if on < parcel.last_move_on:
        raise Refused(f"{where}: add_to_batch on {on} is before parcel {code} was accepted on {parcel.last_move_on}")


def check_remove(batch, code: str) -> None:
    if code not in batch.members:
        raise Refused(f"{subject('batch', batch.key, batch.state)}: remove_from_batch: parcel {code} is not a member; "
                      f"members: {', '.join(sorted(batch.members)) or 'none'}")


def check_submit(batch) -> None:
    if not batch.members:
        raise Refused(f"{subject('batch', batch.key, batch.state)}: submit_batch: the batch is empty; add accepted parcels first")


def check_members_movable(batch, parcels: dict, trigger: str, expected: str, on) -> None:
    """Filing and confirmation move every member at once; each must be where the batch expects it."""
    where = subject("batch", batch.key, batch.state)
    for code, parcel in parcels.items():
        if parcel is None or parcel.state != expected:
            raise Refused(f"{where}: {trigger}: member {code} is {parcel.state if parcel else 'unknown'}, not {expected}")
        if on < parcel.last_move_on:
            raise Refused(f"{where}: {trigger} on {on} is before member {code}'s last move on {parcel.last_move_on}")


def check_rejected(batch, rejected: list[str]) -> None:
    strangers = sorted(set(rejected) - set(batch.members))
    if strangers:
        raise Refused(f"{subject('batch', batch.key, batch.state)}: confirm_write_off: rejected parcel "
                      f"{strangers[0]} is not a member; members: {', '.join(sorted(batch.members))}")


