"""Write-off ("完成一批核销一批"): parcels are filed and written off only through a batch."""

from __future__ import annotations

from workflow.errors import Refused, subject


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


# --- checks over histories (R05, R21) ---------------------------------------

from policies.evidence import P, after  # noqa: E402
from policies.rules import rule  # noqa: E402

LIVE = ("open", "submitted", "filed")


@rule("R05", "high", reads=("add_to_batch", "remove_from_batch", "confirm_write_off", "register"),
      others=("batch", "parcel"))
def counted_once(d, ctx, emit):
    held = [(b.key, *b.members[d.code]) for b in ctx.batches_of(d.code) if b.state in LIVE and d.code in b.members]
    if len(held) > 1:
        emit(d.code, max(on for _, _, on in held), 'R05.2', [("batch", key, v) for key, v, _ in held],
             values=(len(held),))
    if len(d.write_offs) > 1:
        emit(d.code, d.write_offs[1][1], 'R05.3', P(d, *[w[0] for w in d.write_offs]), values=(len(d.write_offs),))
    verification = d.attrs.get("verification_id")
    first = verification and d.registered and ctx.first_registration(verification)
    if first and first[0] != d.code:
        emit(d.code, d.registered[1], 'R05.1', [('parcel', first[0], first[1]), ('parcel', d.code, d.registered[0])],
             values=(verification, first[0]))


@rule("R21", "low", reads=("accept", "add_to_batch", "submit_batch"), others=("batch",), submit_days=60)
def batched_promptly(d, ctx, emit):
    if d.acceptance is None:
        return
    accepted = d.acceptance[1]
    due = after(accepted, ctx.settings["submit_days"])
    if due >= ctx.as_of:
        return
    submitted = [(b.key, v, on) for b in ctx.batches_of(d.code) for v, on, members in b.submitted
                 if d.code in members and on >= accepted]
    if not any(on <= due for _, _, on in submitted):
        late = min(submitted, key=lambda s: (s[2], s[0], s[1])) if submitted else None
        emit(d.code, due, 'R21.1', P(d, d.acceptance[0]) + ([('batch', late[0], late[1])] if late else []),
             values=(ctx.settings['submit_days'],))
