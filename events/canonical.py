"""RFC 8785 (JCS) canonical bytes of a JSON value: the exact bytes a signature covers.

Only str, int (within ±(2**53 - 1), so every JSON reader sees the same number), bool, None,
list/tuple and dict with str keys are accepted. Callers turn decimals, dates and amounts into
strings before signing: floats and Decimals are refused with TypeError, so nothing inexact or
locale-dependent is ever signed. The serialisation itself is the `rfc8785` package's.
"""

from __future__ import annotations

import rfc8785

_MAX_DEPTH = 64


def _check(value: object, depth: int = 0) -> None:
    if depth > _MAX_DEPTH:
        raise ValueError(f"JSON value nested deeper than {_MAX_DEPTH} levels")
    if value is None or isinstance(value, (str, bool)):
        return
    if isinstance(value, int):
        return  # the range is rfc8785's IntegerDomainError (a ValueError)
    if isinstance(value, (list, tuple)):
        for item in value:
            _check(item, depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be str, not {type(key).__name__}")
            _check(item, depth + 1)
        return
    raise TypeError(f"{type(value).__name__} cannot be signed: pass decimals, dates and amounts as strings")


def canonical(value: object) -> bytes:
    """The RFC 8785 UTF-8 bytes of value; TypeError for floats and non-JSON types, ValueError
    for integers beyond ±(2**53 - 1) and strings holding lone surrogates."""
    _check(value)
    return rfc8785.dumps(value)
