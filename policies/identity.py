"""Accountable identity: what a command's signature covers, and whether its signer could give it.

A signature covers canonical bytes (RFC 8785) binding the store, the target and the version
the new event takes, the trigger, actor, role, business date, data, reason and documents,
so a signed command cannot be replayed at another position, into another store, or altered.
The same bytes are rebuilt from a stored event alone, so `verify` checks every event later.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

CONTEXT = "minerehab/command/v1"
ADMIN_ROLES = ("nrb", "county_gov")
"""Administrators: they register people, grant roles and revoke."""

DERIVED = {"add_to_batch": ("area_ha",)}
"""Data a handler adds to what was signed (the batch keeps each member's area): not covered."""


def plain(value):
    """Exact values as JSON text: decimals as written, dates in ISO; the same from a command or a stored event."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def command_bytes(store: str, kind: str, key: str, version: int, trigger: str, actor: str, role: str, on,
                  data: dict, reason: str | None, documents: list) -> bytes:
    from events.canonical import canonical  # imported when signing, not by every audit
    covered = {k: v for k, v in data.items() if k not in DERIVED.get(trigger, ())}
    return canonical({"context": CONTEXT, "store": store, "kind": kind, "key": key, "version": version,
                      "do": trigger, "actor": actor, "role": role, "on": plain(on), "data": plain(covered),
                      "reason": reason, "documents": plain(documents or [])})


def encode(signature: bytes) -> str:
    return base64.b64encode(signature).decode()


def public_key(entry: dict):
    return _public_key(entry["algorithm"], entry["public"])


@lru_cache(maxsize=1024)
def _public_key(algorithm: str, public: str):
    from events.keys import (
        PublicKey,  # the crypto libraries load only where signatures are checked
    )

    return PublicKey(algorithm, base64.b64decode(public))


def who_signs(actor: str, role: str, on: date, migrated: bool, signer: str | None, recorded_on: date):
    """(person, role, date) the signature is judged by. A command is signed by its actor, in its role, on its
    business date; backfilled history (migrated) by the official who migrates it, as an administrator, on
    the day it was entered, while the actor stays the one the old record names."""
    if migrated:
        return signer or actor, ADMIN_ROLES, recorded_on
    return actor, (role,), on


def signer_problem(person, fingerprint: str, roles, on: date) -> tuple[str, str] | None:
    """Why `person` could not sign in one of `roles` on `on` with that key (en, zh); None when they could."""
    roles = (roles,) if isinstance(roles, str) else tuple(roles)
    role = "|".join(roles)
    if person is None:
        return "the signer is not a registered person", "签名人不是已登记人员"
    entry = person.keys.get(fingerprint)
    if entry is None:
        return (f"key {fingerprint} is not a key of {person.key}", f"密钥 {fingerprint} 不属于 {person.key}")
    if on < entry["valid_from"]:
        return (f"key {fingerprint} of {person.key} is valid only from {entry['valid_from']}",
                f"{person.key} 的密钥 {fingerprint} 自 {entry['valid_from']} 起才有效")
    if person.revoked_on is not None and on >= person.revoked_on:
        return (f"{person.key} was revoked on {person.revoked_on}", f"{person.key} 已于 {person.revoked_on} 撤销")
    if not any(person.holds(r, on) for r in roles):
        held = ", ".join(sorted(person.roles)) or "none"
        return (f"{person.key} does not hold role {role} on {on}; holds: {held}",
                f"{person.key} 在 {on} 不具有角色 {role}；具有：{held}")
    return None


def judge(block: dict, message: bytes, actor: str, role: str, on: date, migrated: bool, recorded_on: date,
          person_of, check_signature: bool = True) -> tuple[str, tuple[str, str] | None]:
    """(who signed, why the event is not attributable to them (en, zh), or None): the one judgement the
    ledger makes of a command as it arrives and `verify` makes of a stored event."""
    name, roles, when = who_signs(actor, role, on, migrated, block.get("signer"), recorded_on)
    if not migrated and block.get("signer", name) != name:
        return name, (f"names actor {actor} but is signed by {block['signer']}",
                      f"操作人为 {actor}，签名人却是 {block['signer']}")
    person = person_of(name)
    problem = signer_problem(person, block.get("key", ""), roles, when)
    if problem:
        return name, (f"signed by {name} as {'|'.join(roles)}: {problem[0]}",
                      f"{name} 以 {'|'.join(roles)} 身份签署：{problem[1]}")
    if not check_signature:
        return name, None
    entry = person.keys[block["key"]]
    try:
        signature = base64.b64decode(block.get("sig", ""), validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if entry["algorithm"] != block.get("algorithm") or not public_key(entry).verify(message, signature):
        return name, ("has a signature that does not match what was signed (altered, or signed by another key)",
                      "签名与所签内容不符（被改动，或为他人密钥所签）")
    return name, None


def validity(person, fingerprint: str, roles: tuple[str, ...]) -> tuple[date, date]:
    """The business dates [from, until) on which `person` could sign with that key in one of `roles`;
    an empty window when never (the audit judges millions of events against a few such windows)."""
    never = (date.max, date.min)
    entry = person.keys.get(fingerprint) if person is not None else None
    since = [person.roles[r] for r in roles if r in person.roles] if entry else []
    if not since:
        return never
    return max(entry["valid_from"], min(since)), person.revoked_on or date.max
