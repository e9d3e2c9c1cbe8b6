"""Signed commands at the ledger's door: sign with the official's key, or check a signature made elsewhere.

Either way the bytes are the command as it will be recorded (typed data, the version its event
takes, this store's identity), and the signer must be a registered person holding the role on
the business date with a key valid then (`policies.identity`).
"""

from __future__ import annotations

import base64
import binascii

from policies.identity import (
    command_bytes,
    encode,
    public_key,
    signer_problem,
    who_signs,
)
from policies.refusals import Refused, subject


def payload(uow, command, version: int, data: dict) -> bytes:
    return command_bytes(uow.ledger.origin, command.kind, command.target, version, command.do, command.actor,
                         command.role, command.on, data, command.reason, command.documents)


def identity_check(uow, command, version: int, data: dict) -> dict:
    """The signature block the event keeps; a missing, forged, replayed or unauthorised one is refused."""
    where = subject(command.kind, command.target, None)
    message = payload(uow, command, version, data)
    if command.signer is not None:
        block = {"algorithm": command.signer.public.algorithm, "key": command.signer.public.fingerprint,
                 "sig": encode(command.signer.sign(message)), "signer": command.signed_by or command.actor}
    elif command.signature is not None:
        block = command.signature
        if command.store != uow.ledger.origin:
            raise Refused(f"{where}: {command.do} was signed for another store ({command.store}); this is "
                          f"{uow.ledger.origin}", zh=f"{where}：{command.do} 的签名是为另一个存储（{command.store}）所签；"
                          f"本存储为 {uow.ledger.origin}")
        if command.version != version:
            raise Refused(f"{where}: {command.do} was signed for version {command.version}, but its event would be "
                          f"version {version}; sign it again (minerehab sign)",
                          zh=f"{where}：{command.do} 签名时的版本为 {command.version}，现应为 {version}；请重新签名")
    else:
        raise Refused(f"{where}: {command.do} is not signed; this store records only signed commands: give --key FILE "
                      "(or MINEREHAB_KEY), or sign the file with `minerehab sign`",
                      zh=f"{where}：{command.do} 未签名；本存储只接受签名的命令：请用 --key 私钥文件（或 MINEREHAB_KEY），"
                      "或先用 minerehab sign 签名")
    name, roles, on = who_signs(command.actor, command.role, command.on, command.migrated, block.get("signer"),
                                uow.today)
    if not command.migrated and block.get("signer", name) != name:
        raise Refused(f"{where}: {command.do} names actor {command.actor} but is signed by {block['signer']}",
                      zh=f"{where}：{command.do} 的操作人为 {command.actor}，签名人却是 {block['signer']}")
    person = uow.load("person", name)
    problem = signer_problem(person, block["key"], roles, on)
    if problem:
        raise Refused(f"{where}: {command.do} signed by {name} as {'|'.join(roles)}: {problem[0]}",
                      zh=f"{where}：{name} 以 {'|'.join(roles)} 身份签署 {command.do}：{problem[1]}")
    block = {**block, "signer": name}
    entry = person.keys[block["key"]]
    try:
        signature = base64.b64decode(block["sig"], validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    made_here = command.signer is not None  # our own fresh signature (an external signer's is checked as it returns)
    if entry["algorithm"] != block["algorithm"] or not (made_here or public_key(entry).verify(message, signature)):
        raise Refused(f"{where}: {command.do} by {command.actor}: the signature does not match the command "
                      "(altered, or signed by another key)",
                      zh=f"{where}：{command.actor} 的 {command.do}：签名与命令不符（被改动，或为他人密钥所签）")
    return block
