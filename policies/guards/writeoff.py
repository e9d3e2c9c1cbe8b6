"""Write-off ("完成一批核销一批"): parcels are filed and written off only through a batch."""

from __future__ import annotations

from policies.refusals import Refused, subject

LIVE_BATCH_STATES = ("open", "submitted", "filed")
"""A batch holds its parcels until the prefecture has confirmed it: no parcel may be in two such batches."""


def check_not_direct(spec, parcel) -> None:
    if spec.batch_only:
        raise Refused(
            f"{subject('parcel', parcel.code, parcel.state)}: {spec.name} moves parcels only through a write-off "
            f"batch; use `minerehab do {spec.name} --batch BATCH` (\"batch\" in JSONL)",
            zh=f"{subject('parcel', parcel.code, parcel.state)}：«trigger:{spec.name}»只能通过核销批次进行；"
               f"请用 `minerehab do {spec.name} --batch 批次编号`（JSONL 中为 \"batch\"）",
        )


def check_add(batch, code: str, parcel, on) -> None:
    """Only accepted parcels, in no other live batch, and not before they were accepted."""
    where = subject("batch", batch.key, batch.state)
    if parcel is None:
        raise Refused(f"{where}: add_to_batch: parcel {code} is unknown", zh=f"{where}：加入批次：图斑 {code} 不存在")
    if parcel.state != "accepted":
        raise Refused(f"{where}: add_to_batch: parcel {code} is {parcel.state}; only accepted parcels may join a batch",
                      zh=f"{where}：加入批次：图斑 {code} 为«state:{parcel.state}»；只有已验收的图斑可加入批次")
    if parcel.batch is not None:
        raise Refused(f"{where}: add_to_batch: parcel {code} is already in live batch {parcel.batch}",
                      zh=f"{where}：加入批次：图斑 {code} 已在未结束的批次 {parcel.batch} 中")
    if on < parcel.last_move_on:
        raise Refused(f"{where}: add_to_batch on {on} is before parcel {code} was accepted on {parcel.last_move_on}",
                      zh=f"{where}：加入批次的日期 {on} 早于图斑 {code} 的验收日期 {parcel.last_move_on}")


def check_remove(batch, code: str) -> None:
    if code not in batch.members:
        raise Refused(f"{subject('batch', batch.key, batch.state)}: remove_from_batch: parcel {code} is not a member; "
                      f"members: {', '.join(sorted(batch.members)) or 'none'}",
                      zh=f"{subject('batch', batch.key, batch.state)}：移出批次：图斑 {code} 不在批次中；"
                         f"批次图斑：{'、'.join(sorted(batch.members)) or '无'}")


def check_submit(batch) -> None:
    if not batch.members:
        raise Refused(f"{subject('batch', batch.key, batch.state)}: submit_batch: the batch is empty; add accepted parcels first",
                      zh=f"{subject('batch', batch.key, batch.state)}：报送批次：批次为空；请先加入已验收的图斑")


def check_members_movable(batch, parcels: dict, trigger: str, expected: str, on) -> None:
    """Filing and confirmation move every member at once; each must be where the batch expects it."""
    where = subject("batch", batch.key, batch.state)
    for code, parcel in parcels.items():
        if parcel is None or parcel.state != expected:
            raise Refused(f"{where}: {trigger}: member {code} is {parcel.state if parcel else 'unknown'}, not {expected}",
                          zh=f"{where}：«trigger:{trigger}»：批次图斑 {code} 为"
                             f"{'«state:' + parcel.state + '»' if parcel else '不存在'}，而非«state:{expected}»")
        if on < parcel.last_move_on:
            raise Refused(f"{where}: {trigger} on {on} is before member {code}'s last move on {parcel.last_move_on}",
                          zh=f"{where}：«trigger:{trigger}»的日期 {on} 早于批次图斑 {code} 上一次状态变更 {parcel.last_move_on}")


def check_rejected(batch, rejected: list[str]) -> None:
    strangers = sorted(set(rejected) - set(batch.members))
    if strangers:
        raise Refused(f"{subject('batch', batch.key, batch.state)}: confirm_write_off: rejected parcel "
                      f"{strangers[0]} is not a member; members: {', '.join(sorted(batch.members))}",
                      zh=f"{subject('batch', batch.key, batch.state)}：确认核销：退回的图斑 {strangers[0]} 不在批次中；"
                         f"批次图斑：{'、'.join(sorted(batch.members))}")


