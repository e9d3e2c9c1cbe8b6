"""RFC 8785 (JCS) canonical bytes of a JSON value: the exact bytes a signature covers.

Only str, int (within ±(2**53 - 1), so every JSON reader sees the same number), bool, None,
list/tuple and dict with str keys are accepted. Callers turn decimals, dates and amounts into
strings before signing: floats and Decimals are refused with TypeError, so nothing inexact or
locale-dependent is ever signed. The serialisation is the `rfc8785` package's; for values whose
object keys hold no character beyond U+FFFF (where UTF-16 and code-point order agree) the standard
library's encoder writes the same bytes several times faster (a property test compares the two).
"""

from __future__ import annotations

import json

import rfc8785

_MAX_DEPTH = 64
_LIMIT = 2**53 - 1
_ASTRAL = "\U00010000"
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode


def _check(value: object, depth: int = 0) -> bool:
    """Refuse what cannot be signed; True when some object key holds a character beyond U+FFFF."""
    if depth > _MAX_DEPTH:
        raise ValueError(f"JSON value nested deeper than {_MAX_DEPTH} levels")
    if value is None or isinstance(value, (str, bool)):
        return False
    if isinstance(value, int):
        if not -_LIMIT <= value <= _LIMIT:
            raise ValueError(f"integer {value} is beyond ±(2**53 - 1): write it as a string")
        return False
    if isinstance(value, (list, tuple)):
        astral = False
        for item in value:
            astral |= _check(item, depth + 1)
        return astral
    if isinstance(value, dict):
        astral = False
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be str, not {type(key).__name__}")
            astral |= (bool(key) and max(key) >= _ASTRAL) | _check(item, depth + 1)
        return astral
    raise TypeError(f"{type(value).__name__} cannot be signed: pass decimals, dates and amounts as strings")


def canonical(value: object) -> bytes:
    """The RFC 8785 UTF-8 bytes of value; TypeError for floats and non-JSON types, ValueError
    for integers beyond ±(2**53 - 1) and strings holding lone surrogates."""
    if _check(value):
        return rfc8785.dumps(value)
    try:
        return _encode(value).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("a string holds a lone surrogate, which JSON text cannot carry") from None
