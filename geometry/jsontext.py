"""JSON in and out with exact numbers: Decimals are written as their own digits, never via float,
and nesting is measured before any recursive parser sees the text."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal

import numpy as np

from geometry.errors import GeometryError

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)


def depth(text: str, opens: str = "[{", closes: str = "]}") -> int:
    """Deepest bracket nesting of text, brackets inside JSON strings not counted (linear time)."""
    stripped = _STRING.sub('""', text) if '"' in text else text
    data = np.frombuffer(stripped.encode("utf-8", "replace"), dtype=np.uint8)
    step = np.zeros(len(data), dtype=np.int64)
    for ch in opens:
        step[data == ord(ch)] = 1
    for ch in closes:
        step[data == ord(ch)] = -1
    return int(np.cumsum(step).max(initial=0))


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def loads(text: str, max_depth: int, exact: bool = False):
    """json.loads for untrusted text: bounded nesting, no NaN/Infinity; Decimals for fractions if exact."""
    if depth(text) > max_depth:
        raise GeometryError(f"JSON nested deeper than {max_depth} levels",
                            f"JSON 嵌套超过 {max_depth} 层")
    try:
        return json.loads(text, parse_constant=_refuse_constant,
                          parse_float=Decimal if exact else float)
    except (ValueError, RecursionError) as exc:
        raise GeometryError(f"not valid JSON: {_short(exc)}", f"不是有效的 JSON：{_short(exc)}") from None


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]


def number_text(value) -> str:
    """A number as JSON text: Decimals digit for digit (no exponent), floats by shortest repr."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise GeometryError(f"{value} is not a finite number", f"{value} 不是有限数")
        return format(value, "f")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise GeometryError(f"{value} is not a finite number", f"{value} 不是有限数")
        return repr(value)
    return str(int(value))


def dumps(value, indent: int | None = None, _level: int = 0) -> str:
    """json.dumps that keeps Decimals exact; keys and strings as json.dumps writes them (UTF-8, not escaped)."""
    if _level > 64:
        raise GeometryError("value nested too deeply to write", "数据嵌套过深，无法写出")
    pad = "" if indent is None else "\n" + " " * (indent * (_level + 1))
    end = "" if indent is None else "\n" + " " * (indent * _level)
    sep = "," if indent is None else ","
    colon = ":" if indent is None else ": "
    if value is None or isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (bool, int, float, Decimal)):
        return number_text(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (json.dumps(str(k), ensure_ascii=False) + colon + dumps(v, indent, _level + 1)
                 for k, v in value.items())
        return "{" + pad + (sep + pad).join(items) + end + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[" + pad + (sep + pad).join(dumps(v, indent, _level + 1) for v in value) + end + "]"
    raise GeometryError(f"cannot write a {type(value).__name__} as JSON",
                        f"无法将 {type(value).__name__} 写为 JSON")
