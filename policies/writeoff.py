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


@rule("R05", "high", reads=("add_to_batch", "remove_from_batch", "confirm_write_off", "register"), subject="store")
def counted_once(ctx, emit):
    batches: dict[str, list] = {}
    for b in ctx.audit.subjects["batch"].values():
        if b.state in LIVE:
            for code, (v, on) in b.members.items():
                batches.setdefault(code, []).append(("batch", b.key, v, on))
    for code, held in sorted(batches.items()):
        if len(held) > 1:
            emit(code, max((h[3] for h in held)), 'R05.2', [(k, key, v) for k, key, v, _ in held], values=(len(held),))
    for d in ctx.audit.parcels.values():
        if len(d.write_offs) > 1:
            emit(d.code, d.write_offs[1][1], 'R05.3', P(d, *[w[0] for w in d.write_offs]), values=(len(d.write_offs),))
    for code, v, on, verification, (first, first_v) in ctx.audit.duplicates:
        emit(code, on, 'R05.1', [('parcel', first, first_v), ('parcel', code, v)], values=(verification, first))


@rule("R21", "low", reads=("accept", "add_to_batch", "submit_batch"), submit_days=60)
def batched_promptly(d, ctx, emit):
    if d.acceptance is None:
        return
    accepted = d.acceptance[1]
    due = after(accepted, ctx.settings["submit_days"])
    if due >= ctx.as_of:
        return
    submitted = [(b.key, v, on) for b in ctx.audit.subjects["batch"].values()
                 for v, on, members in b.submitted if d.code in members and on >= accepted]
    if not any(on <= due for _, _, on in submitted):
        late = min(submitted, key=lambda s: s[2]) if submitted else None
        emit(d.code, due, 'R21.1', P(d, d.acceptance[0]) + ([('batch', late[0], late[1])] if late else []), values=(ctx.settings['submit_days'],))
