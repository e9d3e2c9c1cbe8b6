"""Codes that look alike: `tl24-08` or `TL24-8` for the registered TL24-08 is a typo, never a new parcel.

A code differing from a recorded one only by case, spaces or zero padding is refused with the
recorded code ("did you mean"), so that `next` does not offer `register` for a parcel that exists
and `do register` does not make its duplicate. One read of the recorded keys per command line.
"""

from __future__ import annotations

import re
from difflib import get_close_matches

from console.common import safe, say


def shape(key: str) -> str:
    """What stays of a code when case, spaces and leading zeros of its numbers are ignored."""
    return re.sub(r"[0-9]+", lambda m: m.group().lstrip("0") or "0", re.sub(r"\s+", "", str(key)).upper())


def look_alike(keys, key: str) -> str | None:
    """The recorded key that `key` differs from only by case, spaces or padding (None if it is itself recorded)."""
    if key in keys:
        return None
    wanted = shape(key)
    return next((k for k in keys if shape(k) == wanted), None)


def refuse_look_alikes(store, targets) -> None:
    """Refuse the first (kind, key, line) whose key is a look-alike of a recorded one of its kind."""
    from events.reader import subjects
    from policies.refusals import Refused

    targets = [t for t in targets if t[1]]
    if not targets:
        return
    exact: set[tuple[str, str]] = set()
    shapes: dict[tuple[str, str], str] = {}
    for kind, key in (s.split(":", 1) for s in subjects(store).values()):
        exact.add((kind, key))
        shapes[kind, shape(key)] = key
    for kind, key, line in targets:
        found = None if (kind, key) in exact else shapes.get((kind, shape(key)))
        if found:
            what = say("KINDS", kind)
            key = safe(key)
            raise Refused(f"{kind} {key}: {found} is recorded and differs only by case or zero padding "
                          f"(did you mean {found}?)", line,
                          f"{what} {key}：已有 {found}，两者只差大小写或补零（是否想输入 {found}？）")


def unknown(store, kind: str, key: str):
    """Refuse a key nothing was recorded for, suggesting the nearest recorded one."""
    from events.errors import BadInput
    from events.reader import keys

    known = keys(store, kind)
    near = look_alike(known, key) or next(iter(get_close_matches(key, known, n=1, cutoff=0.75)), None)
    what, key = say("KINDS", kind), safe(key)
    raise BadInput(f"{kind} {key}: unknown {kind}" + (f" (did you mean {near}?)" if near else ""),
                   f"{what} {key} 不存在" + (f"（是否想输入 {near}？）" if near else ""))
