"""The registry of people as the ledger's users meet it: founding a signed store, finding a key's owner,
signing a batch of commands as one official, and writing signed JSONL for `apply`."""

from __future__ import annotations

import base64
from datetime import date

from events.errors import BadInput
from policies.refusals import Refused
from workflow.commands import Command, build


def public_entry(public) -> dict:
    return {"algorithm": public.algorithm, "public": base64.b64encode(public.raw).decode()}


def found_store(ledger, admin: str, unit: str, pubkey_path: str, since: date | None, today: date | None = None) -> None:
    """The store's first event: its first administrator, the root every signature leads back to. Recorded
    today (or on `since`), valid from `since`, or for the whole record when no date is given."""
    from events.keys import load_public
    from workflow.specs import ADMINS

    if unit not in ADMINS:
        raise BadInput(f"init: --unit {unit!r}: the first administrator's unit must be one of {', '.join(ADMINS)}",
                       f"init：--unit {unit!r}：首位管理员的单位须为 {'、'.join(ADMINS)} 之一")
    public = load_public(pubkey_path)
    command = build("add_person", "person", admin, admin, unit, since or today or date.today(),
                    {"unit": unit, "roles": [unit], "public_key": public_entry(public),
                     "since": since or date.min},
                    "the store's first administrator, named when it was created")
    command.genesis = True
    ledger.execute([command])
    ledger.raw.set_info("genesis", admin)


def person_with_key(ledger, fingerprint: str):
    return next((p for p in ledger.each("person") if fingerprint in p.keys), None)


def signing_actor(ledger, signer, actor: str | None) -> str:
    """Who acts: the key's registered person; an --actor that differs is refused, never believed."""
    if signer is None:
        if not actor:
            raise BadInput("give --key FILE (or MINEREHAB_KEY) to sign, or --actor for an unsigned trial store",
                           "请用 --key 私钥文件（或 MINEREHAB_KEY）签名；试用存储可用 --actor 指定操作人")
        return actor
    person = person_with_key(ledger, signer.public.fingerprint)
    if person is None:
        raise BadInput(f"key {signer.public.fingerprint} belongs to no registered person; an administrator adds it "
                       "with `minerehab person add`",
                       f"密钥 {signer.public.fingerprint} 不属于任何已登记人员；请管理员用 minerehab person add 登记")
    if actor and actor != person.key:
        raise BadInput(f"--actor {actor} is not the key's person ({person.key}); a key signs only for its owner",
                       f"--actor {actor} 与密钥持有人（{person.key}）不符；密钥只能为其持有人签名")
    return person.key


def sign_with(ledger, signer, commands: list) -> list:
    """Each unsigned line signed as it is applied; a line naming another actor is refused."""
    owner = signing_actor(ledger, signer, None)
    for command in commands:
        if isinstance(command, Command) and command.signature is None:
            command.signed_by = owner
            if command.actor != owner and not command.migrated:
                return [Refused(f"actor {command.actor} is not the key's person ({owner}); a key signs only for "
                                "its owner", command.line,
                                zh=f"操作人 {command.actor} 与密钥持有人（{owner}）不符；密钥只能为其持有人签名")]
            command.signer = signer
    return commands


def signed_lines(ledger, signer, lines: list[tuple[dict, Command]]) -> list[dict]:
    """The lines of a JSONL file with the store, version and signature each needs to be applied later.

    The commands run in a unit of work that is never committed, so each gets exactly the version
    its event will take, however many lines touch the same parcel or batch."""
    owner = signing_actor(ledger, signer, None)
    signed = []
    for raw, command in lines:
        command.signed_by = owner
        if command.actor != owner and not command.migrated:
            raise Refused(f"actor {command.actor} is not the key's person ({owner})", command.line,
                          zh=f"操作人 {command.actor} 与密钥持有人（{owner}）不符")
        command.signer = signer
    outcomes, uow = ledger.dry_run([command for _, command in lines])
    for (raw, command), outcome in zip(lines, outcomes):
        record = uow.load(command.kind, command.target)
        event = next(e for e in record.pending_events if e.originator_version == outcome["version"])
        signed.append({**raw, "store": ledger.origin, "version": outcome["version"], "signature": event.signature})
    return signed
