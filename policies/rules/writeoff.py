"""Write-off rules over histories: batches, double write-offs and filing on time (R05, R21)."""

from __future__ import annotations

from policies.guards.writeoff import LIVE_BATCH_STATES as LIVE
from policies.registry import rule
from policies.rules.evidence import P, after


@rule("R05", "high", reads=("add_to_batch", "remove_from_batch", "confirm_write_off", "register"),
      others=("batch", "parcel"))
def counted_once(d, ctx, emit):
    held = [(b.key, b.members[d.code]) for b in ctx.batches_of(d.code) if b.state in LIVE and d.code in b.members]
    if len(held) > 1:
        emit(d.code, max(added.on for _, added in held), 'R05.2', [("batch", key, added.v) for key, added in held],
             values=(len(held),))
    if len(d.write_offs) > 1:
        emit(d.code, d.write_offs[1].on, 'R05.3', P(d, *[w.v for w in d.write_offs]), values=(len(d.write_offs),))
    verification = d.attrs.get("verification_id")
    first = verification and d.registered and ctx.first_registration(verification)
    if first and first.code != d.code:
        emit(d.code, d.registered.on, 'R05.1', [('parcel', first.code, first.v), ('parcel', d.code, d.registered.v)],
             values=(verification, first.code))


@rule("R21", "low", reads=("accept", "add_to_batch", "submit_batch"), others=("batch",), submit_days=60)
def batched_promptly(d, ctx, emit):
    if d.acceptance is None:
        return
    accepted = d.acceptance.on
    due = after(accepted, ctx.settings["submit_days"])
    if due >= ctx.as_of:
        return
    submitted = [(b.key, s) for b in ctx.batches_of(d.code) for s in b.submitted
                 if d.code in s.members and s.on >= accepted]
    if not any(s.on <= due for _, s in submitted):
        evidence = P(d, d.acceptance.v)
        if submitted:
            batch, late = min(submitted, key=lambda x: (x[1].on, x[0], x[1].v))
            evidence.append(('batch', batch, late.v))
        emit(d.code, due, 'R21.1', evidence, values=(ctx.settings['submit_days'],))
