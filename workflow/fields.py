"""Typed fields of commands: each kind parses loose input (CLI strings, JSON) into exact values.

Money (万元) and areas (ha) are `Decimal`; a float never gets in, because JSON is read
with `parse_float=Decimal` and a Python float is refused here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, Callable

from events import jsontext
from events.clock import BadDate, parse_date
from workflow.vocabulary import ROLES, VALUES, lookup


class BadValue(ValueError):
    """A value that does not fit its field; the message says what is allowed (`zh`: the same in Chinese)."""

    def __init__(self, en: str, zh: str | None = None):
        super().__init__(en)
        self.zh = zh or en


NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")
INTEGER_DIGITS, DECIMAL_PLACES = 15, 8
"""Bounds of a recorded figure: far beyond any area in ha or sum in 万元, far below what breaks arithmetic."""


def as_decimal(value: Any) -> Decimal:
    """Digits with one optional decimal point (full-width digits read as digits). A comma is refused, never
    dropped: 6,1234 may be a decimal comma (6.1234) or a thousands separator (61234), and guessing wrong
    records a figure ten thousand times too large."""
    if isinstance(value, bool) or isinstance(value, float):
        raise BadValue("an exact decimal (write it as a string or JSON number)", "精确的小数（请写作文本或 JSON 数字）")
    if isinstance(value, (int, Decimal)):
        result = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().translate(FULL_WIDTH)
        if "," in text or "，" in text:
            raise BadValue("a number without a comma: write 6.1234 with a decimal point, and no thousands "
                           "separators (6,1234 could mean 6.1234 or 61234)",
                           "不带逗号的数：小数请用小数点写作 6.1234，也不要千位分隔符（6,1234 可能是 6.1234，也可能是 61234）")
        if not NUMBER.fullmatch(text):
            raise BadValue("a decimal number such as 6.1234", "数字，例如 6.1234")
        result = Decimal(text)
    else:
        raise BadValue("a decimal number", "数字")
    if not result.is_finite():
        raise BadValue("a finite decimal number", "有限的数")
    sign, digits, exponent = result.as_tuple()
    if len(digits) + exponent > INTEGER_DIGITS or -exponent > DECIMAL_PLACES:
        raise BadValue(f"a number of at most {INTEGER_DIGITS} digits before the point and {DECIMAL_PLACES} after",
                       f"整数部分至多 {INTEGER_DIGITS} 位、小数部分至多 {DECIMAL_PLACES} 位的数")
    return result


def positive(value: Any) -> Decimal:
    result = as_decimal(value)
    if result <= 0:
        raise BadValue("a number > 0", "大于 0 的数")
    return result


def non_negative(value: Any) -> Decimal:
    result = as_decimal(value)
    if result < 0:
        raise BadValue("a number ≥ 0", "大于或等于 0 的数")
    return result


def percent(value: Any) -> Decimal:
    result = as_decimal(value)
    if not 0 <= result <= 100:
        raise BadValue("a percentage from 0 to 100", "0 到 100 之间的百分数")
    return result


def bounded(low: int, high: int) -> Callable[[Any], Decimal]:
    def parse(value: Any) -> Decimal:
        result = as_decimal(value)
        if not low <= result <= high:
            raise BadValue(f"a number from {low} to {high}", f"{low} 到 {high} 之间的数")
        return result

    parse.__name__ = f"decimal {low}..{high}"
    return parse


def text(value: Any) -> str:
    if type(value) is str:  # the common case, first
        stripped = value.strip()
        if stripped:
            return stripped
        raise BadValue("non-empty text", "非空文本")
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise BadValue("non-empty text", "非空文本")
    return value.strip()


def texts(value: Any) -> list[str]:
    """A list of names; on the command line a comma-separated string."""
    if isinstance(value, str):
        value = [part for part in re.split(r"[,，、]", value) if part.strip()]
    if not isinstance(value, list):
        raise BadValue("a list of texts", "文本列表")
    return [text(item) for item in value]


def iso_date(value: Any) -> date:
    """A date in any spelling `events.clock` reads (the one owner of date parsing)."""
    if isinstance(value, date) or isinstance(value, str):
        try:
            return parse_date(value)
        except BadDate as error:
            raise BadValue(f"a date ({error.problem[0]})", f"日期（{error.problem[1]}）") from None
    raise BadValue("a date such as 2023-02-20", "日期，例如 2023-02-20")


def year(value: Any) -> int:
    try:
        result = int(as_decimal(value))
    except BadValue:
        raise BadValue("a year such as 2023", "年份，例如 2023") from None
    if not 1949 <= result <= 2100 or Decimal(result) != as_decimal(value):
        raise BadValue("a year such as 2023", "年份，例如 2023")
    return result


def count(value: Any) -> int:
    result = as_decimal(value)
    if result != result.to_integral_value() or result <= 0:
        raise BadValue("a whole number > 0", "大于 0 的整数")
    return int(result)


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "是", "y"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "no", "0", "否", "n"):
        return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise BadValue("true or false", "是或否")


def choice(*allowed: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if value not in allowed:
            from workflow.vocabulary import field_kind

            raise BadValue("one of " + ", ".join(allowed), field_kind(parse, "zh"))
        return value

    parse.choices = allowed  # type: ignore[attr-defined]
    return parse


def role_id(value: Any) -> str:
    """A role's id, or its Chinese or English name (自然资源局 for nrb)."""
    return _ROLE(lookup(ROLES, value) or value)


_ROLE = choice(*ROLES)


def role_ids(value: Any) -> list[str]:
    """Roles granted to a person; on the command line `nrb,expert`."""
    return [role_id(v) for v in texts(value)]


def public_key(value: Any) -> dict:
    """A person's public key: {algorithm, public (base64 of the raw key)}, or its PEM or signed-note text."""
    import base64

    from events.keys import KeyFileError, PublicKey, public_from_text

    try:
        if isinstance(value, dict) and set(value) <= {"algorithm", "public", "fingerprint"}:
            key = PublicKey(text(value["algorithm"]), base64.b64decode(text(value["public"]), validate=True))
        elif isinstance(value, str):
            key = public_from_text(value)
        else:
            raise BadValue("a public key {algorithm, public} (or its PEM text)", "公钥 {algorithm, public}（或其 PEM 文本）")
    except (KeyFileError, ValueError, KeyError) as error:
        raise BadValue(f"a public key ({error})", "公钥（无法读取）") from None
    return {"algorithm": key.algorithm, "public": base64.b64encode(key.raw).decode(), "fingerprint": key.fingerprint}


def quantities(value: Any) -> dict[str, Decimal]:
    """Work quantities {item: qty}; on the command line `item:qty,item:qty`."""
    if isinstance(value, str):
        pairs = [p.split(":", 1) for p in value.split(",") if p.strip()]
        if any(len(p) != 2 for p in pairs):
            raise BadValue("item:quantity pairs such as earthwork_m3:1200,planting_ha:3.5",
                           "“项目:数量”对，例如 earthwork_m3:1200,planting_ha:3.5")
        value = {k.strip(): v for k, v in pairs}
    if not isinstance(value, dict) or not value:
        raise BadValue("an object {item: quantity}", "对象 {项目: 数量}")
    return {text(k): non_negative(v) for k, v in value.items()}


def earth_balance(value: Any) -> dict[str, Decimal]:
    result = quantities(value)
    if set(result) != {"generated", "reused", "surplus"}:
        raise BadValue("an object {generated, reused, surplus} in m³", "对象 {generated, reused, surplus}（立方米）")
    return result


def group(value: Any) -> list[dict[str, str]]:
    """Acceptance group [{name, unit}]; unit is a role id."""
    if not isinstance(value, list):
        raise BadValue("a list of {name, unit} where unit is a role id", "{name, unit} 列表，unit 为角色 id")
    members = []
    for item in value:
        if not isinstance(item, dict) or set(item) - {"name", "unit"} or "name" not in item:
            raise BadValue("a list of {name, unit} where unit is a role id", "{name, unit} 列表，unit 为角色 id")
        members.append({"name": text(item["name"]), "unit": role_id(item.get("unit"))})
    return members


def geometry(value: Any) -> dict:
    if not isinstance(value, dict) or "type" not in value:
        raise BadValue("a GeoJSON geometry object", "GeoJSON 几何对象")
    return value


@dataclass(frozen=True)
class Field:
    """One named field of a command: how to parse it and whether it must be given."""

    name: str
    parse: Callable[[Any], Any]
    required: bool = True

    @property
    def kind(self) -> str:
        """How the field is written, for `next` and error lines."""
        choices = getattr(self.parse, "choices", None)
        return "|".join(choices) if choices else self.parse.__name__

    @cached_property
    def names_table(self) -> dict | None:
        """Where a choice's Chinese and English names are looked up (values or roles), None for other fields:
        found once per field, not once per command."""
        choices = getattr(self.parse, "choices", None)
        if not choices:
            return None
        return VALUES if set(choices) <= set(VALUES) else ROLES


def req(name: str, parse: Callable[[Any], Any]) -> Field:
    return Field(name, parse, True)


def opt(name: str, parse: Callable[[Any], Any]) -> Field:
    return Field(name, parse, False)


def _integer(digits: str) -> int | Decimal:
    """A JSON integer; one too long for Python's int conversion (4300 digits) stays an exact Decimal, to be
    refused by its field's bounds rather than crash the reader."""
    return int(digits) if len(digits) <= 100 else Decimal(digits)


_DECIMAL_JSON = json.JSONDecoder(parse_float=Decimal, parse_int=_integer)
MAX_DEPTH = jsontext.MAX_DEPTH
ENVELOPE_KEYS = frozenset({"_type_", "_data_"})
"""Keys of the event store's transcoding envelope: a stored dict holding one would be read back as
something else (or not at all), so no recorded value may carry them."""


def loads(raw: str) -> Any:
    """JSON with numbers read as exact decimals (integers stay integers); one decoder for every line.
    Nesting deeper than MAX_DEPTH is refused before the decoder recurses into it."""
    jsontext.check_depth(raw)
    return _DECIMAL_JSON.decode(raw)


def plain(value: Any, where: str = "data", depth: int = 0) -> Any:
    """Refuse (BadValue) what must never be recorded however it arrived: nesting deeper than MAX_DEPTH,
    a dict with the store's envelope keys (_type_, _data_), text with a lone surrogate (not UTF-8).
    Every command's data passes here: a leaf that cannot be at fault (a number, ASCII text) is passed over
    without a call or its place's name being made."""
    if depth > MAX_DEPTH:
        raise BadValue(f"nested at most {MAX_DEPTH} levels deep ({where})", f"嵌套至多 {MAX_DEPTH} 层（{where}）")
    deeper = depth + 1 <= MAX_DEPTH  # a leaf one level down is within bounds: it may be passed over
    if isinstance(value, str):
        if not value.isascii():  # ASCII holds no surrogate
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise BadValue(f"UTF-8 text ({where} holds a lone surrogate)", f"UTF-8 文本（{where} 含孤立代理字符）") \
                    from None
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in ENVELOPE_KEYS:
                raise BadValue(f"free of the reserved keys _type_ and _data_ ({where} has {key!r})",
                               f"不含保留键 _type_ 和 _data_（{where} 含 {key!r}）")
            if not (deeper and sound(key)):
                plain(key, where, depth + 1)
            if not (deeper and sound(item)):
                plain(item, f"{where}.{key}", depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            if not (deeper and sound(item)):
                plain(item, where, depth + 1)
    return value


_LEAVES = frozenset({int, float, bool, type(None), Decimal})


def sound(value: Any) -> bool:
    """A leaf `plain` would pass: a number, a boolean, None, ASCII text."""
    kind = type(value)
    return kind in _LEAVES or (kind is str and value.isascii())


def cli_value(raw: str) -> Any:
    """A `--set key=value` value: JSON objects and lists are parsed, the rest stays text."""
    stripped = raw.strip()
    if stripped[:1] in ("[", "{"):
        try:
            return loads(stripped)
        except json.JSONDecodeError:
            raise BadValue("valid JSON", "有效的 JSON") from None
    return raw
