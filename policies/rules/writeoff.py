"""Write-off rules over histories: batches, double write-offs and filing on time (R05, R21)."""

from __future__ import annotations

from policies.guards.writeoff import LIVE_BATCH_STATES as LIVE
from policies.registry import rule
from policies.rules.evidence import P, after


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
