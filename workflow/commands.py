"""A command as officials script it: one JSONL line or one `minerehab do`.

Parsing here only checks shape (which keys, which types); whether the command may
happen is for the workflow and its guards.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator

from events.metadata import SHA256
from policies.refusals import Refused
from workflow import fields as f
from workflow import vocabulary

TARGETS = ("parcel", "batch", "programme", "taskforce", "person", "witnessing")
SIGNED = ("store", "version", "signature")
"""What `minerehab sign` adds to a line: the store and version it was signed for, and the signature."""
KEYS = {"do", "actor", "role", "on", "data", "reason", "documents", *TARGETS, *SIGNED}


@dataclass
class Command:
    do: str
    target: str
    actor: str
    role: str
    on: date
    kind: str = "parcel"
    data: dict = field(default_factory=dict)
    reason: str | None = None
    documents: list = field(default_factory=list)
    migrated: bool = False
    line: int | None = None
    version: int | None = None  # the version its event takes, as signed
    store: str | None = None  # the store it was signed for
    signature: dict | None = None  # {algorithm, key, sig} from `minerehab sign`
    signer: Any = None  # signs as it applies (`do --key`, `apply --key`); never stored
    genesis: bool = False  # the store's first administrator, named at `init`: the root of trust
    signed_by: str | None = None  # the signer's name when it is not the actor (backfilled history)


def document(value: Any) -> dict:
    """A document reference {title, ref, sha256?}; sha256 is 64 lowercase hex digits."""
    if not isinstance(value, dict) or not {"title", "ref"} <= set(value) or set(value) - {"title", "ref", "sha256"}:
        raise f.BadValue("documents as [{title, ref, sha256}]")
    doc = {"title": f.text(value["title"]), "ref": f.text(value["ref"])}
    sha = value.get("sha256")
    if sha is not None:
        if not isinstance(sha, str) or not SHA256.fullmatch(sha.lower()):
            raise f.BadValue("a sha256 of 64 hexadecimal digits")
        doc["sha256"] = sha.lower()
    return doc


def parse_doc_option(raw: str) -> dict:
    """`--doc title=ref[:sha256]`; when ref names a readable file, its sha256 is computed."""
    title, sep, rest = raw.partition("=")
    if not sep:
        raise f.BadValue("--doc as title=ref[:sha256]")
    ref, _, sha = rest.rpartition(":") if SHA256.fullmatch(rest.rpartition(":")[2].lower()) else (rest, "", "")
    if not sha and Path(ref).is_file():
        sha = hashlib.sha256(Path(ref).read_bytes()).hexdigest()
    return document({"title": title, "ref": ref, **({"sha256": sha} if sha else {})})


_ACTIONS = {**vocabulary.TRIGGERS, **vocabulary.FACTS}


def trigger_id(name: str) -> str:
    """The trigger or fact a name means: its id, or its Chinese or English name (列入计划 for plan)."""
    return vocabulary.lookup(_ACTIONS, name) or name


def build(do: Any, kind: str, target: Any, actor: Any, role: Any, on: Any, data: Any = None,
          reason: Any = None, documents: Any = None, migrated: bool = False, line: int | None = None) -> Command:
    """A command from loose values; a malformed one is refused naming the key at fault."""

    def need(name: str, parse, value):
        if value is None or value == "":
            raise Refused(f"{name} is missing", line, f"缺少 {name}")
        try:
            return parse(value if f.sound(value) else f.plain(value, name))
        except f.BadValue as error:
            if parse is f.role_id:
                guess = vocabulary.near(vocabulary.ROLES, value)
                raise Refused(f"role {value!r} is not one of {', '.join(vocabulary.ROLES)}"
                              + (f" (did you mean {guess}?)" if guess else ""), line,
                              vocabulary.unknown(vocabulary.ROLES, value, "role", "角色")[1]) from None
            raise Refused(f"{name} {value!r} is not {error}"[:300], line,
                          f"{name} {value!r} 不是{getattr(error, 'zh', None) or vocabulary.field_kind(parse, 'zh')}"[:300]) \
                from None

    command = Command(
        do=trigger_id(need("do", f.text, do)), kind=kind, target=need(kind, f.text, target),
        actor=need("actor", f.text, actor), role=need("role", f.role_id, role), on=need("on", f.iso_date, on),
        migrated=migrated, line=line,
    )
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise Refused("data must be a JSON object", line, "data 必须是 JSON 对象")
    try:
        f.plain(data)
    except f.BadValue as error:
        raise Refused(f"data must be {error}", line, f"data 必须{getattr(error, 'zh', None) or error}") from None
    command.data = data
    if reason is not None:
        command.reason = need("reason", f.text, reason)
    if documents:
        if not isinstance(documents, list):
            raise Refused("documents must be a list of {title, ref, sha256}", line,
                          "documents 必须是 {title, ref, sha256} 的列表")
        command.documents = [need("documents", document, d) for d in documents]
    return command


def from_json(obj: Any, line: int | None = None, migrated: bool = False) -> Command:
    if not isinstance(obj, dict):
        raise Refused("a command must be a JSON object", line, "命令必须是 JSON 对象")
    unknown = set(obj) - KEYS
    if unknown:
        raise Refused(f"unknown key {sorted(unknown)[0]!r}; allowed: {', '.join(sorted(KEYS))}", line,
                      f"没有键 {sorted(unknown)[0]!r}；可用：{'、'.join(sorted(KEYS))}")
    named = [t for t in TARGETS if t in obj]
    if len(named) != 1:
        raise Refused(f"name exactly one target: one of {', '.join(TARGETS)}", line,
                      f"只能给出一个对象：{'、'.join(TARGETS)} 之一")
    kind = named[0]
    command = build(obj.get("do"), kind, obj[kind], obj.get("actor"), obj.get("role"), obj.get("on"),
                    obj.get("data"), obj.get("reason"), obj.get("documents"), migrated, line)
    if "signature" in obj:
        command.signature = signature_block(obj["signature"], line)
        command.version = obj.get("version")
        command.store = obj.get("store")
        if type(command.version) is not int or command.version < 1 or not isinstance(command.store, str):
            raise Refused("a signed line needs the store and version it was signed for (minerehab sign)", line,
                          "签名的行须包含签名时的存储和版本（minerehab sign）")
    return command


def signature_block(value: Any, line: int | None = None) -> dict:
    """{algorithm, key, sig}: the shape only; whether it is right is the ledger's to check."""
    if not isinstance(value, dict) or not {"algorithm", "key", "sig"} <= set(value) <= {"algorithm", "key", "sig",
                                                                                       "signer"} or \
            not all(isinstance(v, str) and 0 < len(v) <= 512 for v in value.values()):
        raise Refused("signature must be {algorithm, key, sig} as written by minerehab sign", line,
                      "signature 必须是 minerehab sign 写出的 {algorithm, key, sig}")
    return dict(value)


def decoded(raw: str | bytes, number: int) -> str:
    """One JSONL line as text: bytes must be UTF-8 (a BOM on the first line is dropped)."""
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as error:
        raise Refused(f"not UTF-8 text (byte {error.start + 1})", number, f"不是 UTF-8 文本（第 {error.start + 1} 个字节）") \
            from None


def read_jsonl(lines: Iterable[str | bytes], migrated: bool = False) -> Iterator[Command | Refused]:
    """Commands of a JSONL stream (text, or bytes decoded line by line); a bad line yields its refusal
    instead, so `--each` can go on."""
    for number, raw in enumerate(lines, start=1):
        try:
            raw = decoded(raw, number)
        except Refused as refusal:
            yield refusal
            continue
        if not raw.strip():
            continue
        try:
            yield from_json(f.loads(raw), number, migrated)
        except json.JSONDecodeError as error:
            yield Refused(f"not valid JSON ({error.msg} at column {error.colno})", number,
                          f"不是有效的 JSON（第 {error.colno} 列）")
        except Refused as refusal:
            yield refusal


_DECIMAL = "\u0000decimal:"


def to_jsonl(line: dict) -> str:
    """One command as a JSONL line, decimals written as exact JSON numbers and dates as ISO text."""

    def default(value):
        if isinstance(value, Decimal):
            return f"{_DECIMAL}{value}"
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(f"cannot write {type(value).__name__} to JSONL")

    raw = json.dumps(line, ensure_ascii=False, default=default)
    return re.sub(r'"\\u0000decimal:([^"]*)"', r"\1", raw)
