"""Corrections (更正): a fact recorded wrongly is put right by a later event, never by editing the log.

A correction names the version of the event it corrects, the fields it sets and (kept beside them)
what they said before; it needs a reason and is signed like any command. The original stays in the
history. Every view and the audit replay a parcel as if the corrected values had been recorded in
the first place: `patched` rewrites the corrected events' data before they are applied.

What cannot be corrected, and why: the trigger and the state it led to (the lifecycle's own
compensating moves undo a wrong move: reject_design, suspend/resume, fail_acceptance,
remove_from_batch); who acted, in which role, on which date, and the signature (they are what
makes the event attributable, and are its evidence); a correction itself (correct the original
again: the later correction wins); the fields that link to other records or choose the path the
parcel took (FIXED); events a batch command caused on its member parcels.
"""

from __future__ import annotations

import copy
from typing import Any, Iterable

from policies.refusals import Refused
from workflow import fields as f

CORRECT = "correct"
FIXED = {"plan": {"programme", "mode", "sponsor"}}
"""Fields that choose the parcel's path or link it to another record: corrected by the lifecycle, not here."""


def changes(value: Any) -> dict:
    """The new values of a correction, {field: value}; each is checked later with its own field's parser."""
    if not isinstance(value, dict) or not value:
        raise f.BadValue("an object {field: new value}", "对象 {字段: 新值}")
    return {f.text(k): v for k, v in value.items()}


def is_correction(event) -> bool:
    return getattr(event, "fact", None) == CORRECT


def patched(events: list, corrections: list | None = None) -> list:
    """The events with every corrected event's data as corrected (later corrections win, field by field).
    `corrections`: where to find the corrections when not among the events (an as-of view applies the
    corrections recorded since its date: they say what the facts of that date were)."""
    fixes: dict[int, dict] = {}
    for event in events if corrections is None else corrections:
        if is_correction(event):
            fixes.setdefault(event.data["corrects"], {}).update(event.data["fields"])
    if not fixes:
        return events
    out = []
    for event in events:
        fix = fixes.get(event.originator_version)
        if fix and not is_correction(event):
            event = copy.copy(event)
            object.__setattr__(event, "data", {**event.data, **fix})
        out.append(event)
    return out


def marks(events: Iterable) -> list[dict]:
    """What `show` marks: each corrected field, the version and event it belongs to, what it said, what it
    says now, and the correction that changed it."""
    return [{"version": e.data["corrects"], "event": e.data["event"], "field": k, "was": e.data["was"].get(k),
             "now": v, "by": e.originator_version, "on": e.on, "reason": e.reason}
            for e in events if is_correction(e) for k, v in e.data["fields"].items()]


def patched_states(rows: list[tuple]) -> list[tuple]:
    """The same for stored states as the audit reads them: rows (version, …, state dict)."""
    fixes: dict[int, dict] = {}
    for row in rows:
        state = row[-1]
        if state.get("fact") == CORRECT:
            fixes.setdefault(state["data"]["corrects"], {}).update(state["data"]["fields"])
    if not fixes:
        return rows
    out = []
    for row in rows:
        fix, state = fixes.get(row[0]), row[-1]
        if fix and state.get("fact") != CORRECT:
            row = (*row[:-1], {**state, "data": {**state["data"], **fix}})
        out.append(row)
    return out


def correction_data(parcel, history: list, data: dict, where: str) -> tuple[dict, tuple]:
    """The correction's data as recorded: {corrects, event, fields (typed), was}; and the roles that may give
    it (those that may record the original). Refused: a version that does not exist, a correction, a field
    the original's command does not take, one that may not be corrected, a value its field refuses."""
    from workflow.specs import PARCEL_SPECS, parse_fields

    version, fields = data["corrects"], data["fields"]
    last = parcel.version
    if version >= last + 1 or version < 1:
        raise Refused(f"{where}: correct: version {version} does not exist (1–{last})",
                      zh=f"{where}：更正：不存在版本 {version}（1–{last}）")
    original = next(e for e in history if e.originator_version == version)
    name = getattr(original, "trigger", None) or original.fact
    if name == CORRECT:
        raise Refused(f"{where}: correct: version {version} is itself a correction; correct version "
                      f"{original.data['corrects']} again instead",
                      zh=f"{where}：更正：版本 {version} 本身是更正；请再次更正版本 {original.data['corrects']}")
    spec = PARCEL_SPECS.get(name)
    caused = (original.signature or {}).get("via") if hasattr(original, "signature") else None
    allowed = [] if spec is None or caused else [x.name for x in spec.fields if x.name not in FIXED.get(name, ())]
    wrong = sorted(set(fields) - set(allowed))
    if wrong:
        why = (f"allowed: {', '.join(allowed)}" if allowed else "it has no fields that can be corrected",
               f"可更正：{', '.join(allowed)}" if allowed else "该记录没有可更正的字段")
        raise Refused(f"{where}: correct: version {version} ({name}) has no correctable field {wrong[0]!r}; {why[0]}",
                      zh=f"{where}：更正：版本 {version}（{name}）没有可更正的字段 {wrong[0]!r}；{why[1]}")
    current = patched(history)[version - 1].data  # as it stands after earlier corrections
    merged = parse_fields(spec, {**current, **fields}, f"{where}: correct v{version}")
    typed = {k: merged[k] for k in fields}
    was = {k: current[k] for k in fields if k in current}
    if all(k in current and current[k] == v for k, v in typed.items()):
        raise Refused(f"{where}: correct: version {version} ({name}) already says {typed}; nothing to correct",
                      zh=f"{where}：更正：版本 {version}（{name}）已是 {typed}；无需更正")
    return {"corrects": version, "event": name, "fields": typed, "was": was}, spec.roles
