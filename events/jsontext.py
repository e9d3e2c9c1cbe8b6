"""JSON text from outside, read within bounds: the one owner of the nesting check done before decoding.

Python's json module recurses once per level; text nested thousands deep ends in RecursionError
(a traceback, or a stored value that no later read can load). `too_deep` finds such nesting by
counting brackets outside strings, so it is refused before the decoder starts.
"""

from __future__ import annotations

import json
from pathlib import Path

from events.errors import BadInput

MAX_DEPTH = 32
"""How deeply JSON may nest: far beyond any GeoJSON geometry or proof, far below the recursion limit."""
MAX_FILE = 16 * 1024 * 1024
"""The largest JSON file (checkpoint, proof) read whole."""


def too_deep(raw: str, limit: int = MAX_DEPTH) -> int | None:
    """The index where `raw`'s brackets nest deeper than `limit` (strings skipped), or None."""
    if raw.count("[") + raw.count("{") <= limit:  # it cannot nest deeper than it has brackets: a command's line
        return None  # is judged without a character-by-character walk
    depth, in_string, escaped = 0, False, False
    for index, ch in enumerate(raw):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return index
        elif ch in "]}":
            depth -= 1
    return None


def check_depth(raw: str, limit: int = MAX_DEPTH) -> None:
    """Raise json.JSONDecodeError (as the decoder would) when `raw` nests deeper than `limit`."""
    deep = too_deep(raw, limit)
    if deep is not None:
        raise json.JSONDecodeError(f"nested deeper than {limit} levels", raw, deep)


def read_file(path: str | Path, what: str, error=BadInput):
    """A whole JSON file (UTF-8, at most MAX_FILE bytes, nesting bounded) or `error` in one line naming it."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE + 1)
    except OSError as problem:
        raise error(f"{path}: not a readable {what} ({problem.strerror})") from None
    if len(data) > MAX_FILE:
        raise error(f"{path}: too large for a {what} (more than {MAX_FILE // 1024 // 1024} MB)")
    try:
        text = data.decode("utf-8")
        check_depth(text)
        return json.loads(text)
    except UnicodeDecodeError as problem:
        raise error(f"{path}: not a readable {what} (not UTF-8 at byte {problem.start + 1})") from None
    except ValueError as problem:
        raise error(f"{path}: not a readable {what} ({str(problem).splitlines()[0][:200]})") from None
