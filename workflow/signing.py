"""Signed commands at the ledger's door: sign with the official's key, or check a signature made elsewhere.

Either way the bytes are the command as it will be recorded (typed data, the version its event
takes, this store's identity), and the signer must be a registered person holding the role on
the business date with a key valid then (`policies.identity`).
"""

from __future__ import annotations

from policies.identity import command_bytes, encode, judge
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
    name, problem = judge(block, message, command.actor, command.role, command.on, command.migrated, uow.today,
                          lambda who: uow.load("person", who),
                          check_signature=command.signer is None)  # our own fresh signature needs no check
    if problem:
        raise Refused(f"{where}: {command.do} {problem[0]}", zh=f"{where}：{command.do}：{problem[1]}")
    return {**block, "signer": name}
