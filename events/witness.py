"""Witnesses: bodies independent of the county (the discipline commission's stationed group, the
audit bureau, the prefecture's bureau) cosign the ledger's checkpoints (c2sp.org/tlog-cosignature),
each only after checking that the new checkpoint extends the last one it cosigned for that log.
A later rewrite of history then contradicts their signatures.

A witness keeps a small state file of its own: per log origin, the size and root it last
cosigned (JSON: {"format": "minerehab-witness/1", "logs": {origin: {"size": n, "root": base64}}}).
The consistency proof it checks comes from whoever holds the store (`minerehab consistency OLD
NEW` prints it) or is computed from a store the witness can read; either way the witness trusts
only the arithmetic of RFC 6962 against the two roots, never the store.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Iterable

from events import merkle, note
from events.errors import BadInput, Said, Tampered, zh_of
from events.keys import Verifier, verifier
from events.note import Note, NoteError

FORMAT = "minerehab-witness/1"


class Refused(Tampered):
    """The witness will not cosign: the checkpoint does not extend what it cosigned before."""


def as_witness(v: Verifier) -> Verifier:
    """The cosignature/v1 verifier of a witness, from its keygen `.vkey` (type 0x01) or a 0x04 one."""
    if v.kind == "cosignature/v1":
        return v
    if v.public.algorithm != "ed25519":
        raise BadInput(f"witness {v.name}: cosignature/v1 is defined for Ed25519 keys only",
                       f"见证方 {v.name}：cosignature/v1 仅适用于 Ed25519 密钥")
    return verifier(v.name, v.public, cosignature=True)


# -- state -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Seen:
    size: int
    root: bytes


def read_state(data: bytes | None, where: str = "witness state") -> dict[str, Seen]:
    """The witness's state (empty when it has none yet); a damaged state is BadInput, never a reset."""
    if data is None:
        return {}
    try:
        state = json.loads(data.decode("utf-8"))
        if state.get("format") != FORMAT or not isinstance(state.get("logs"), dict):
            raise ValueError("not a witness state file")
        seen = {}
        for origin, item in state["logs"].items():
            root = base64.b64decode(item["root"], validate=True)
            size = item["size"]
            if type(size) is not int or not 0 <= size < 2**63 or len(root) != 32:
                raise ValueError(f"the entry of {origin} is malformed")
            seen[origin] = Seen(size, root)
        return seen
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise BadInput(f"{where}: not a witness state file ({error})", f"{where}：见证状态文件已损坏") from None


def state_text(seen: dict[str, Seen]) -> str:
    logs = {o: {"size": s.size, "root": base64.b64encode(s.root).decode()} for o, s in sorted(seen.items())}
    return json.dumps({"format": FORMAT, "logs": logs}, ensure_ascii=False, indent=2) + "\n"


# -- cosigning -------------------------------------------------------------------------------

def extends(last: Seen | None, size: int, root: bytes, proof) -> Said | None:
    """Why a checkpoint (size, root) is not an extension of `last`, or None when it is. `proof` is the
    consistency proof, or a function (old size, new size) -> proof or None, asked only when needed."""
    if last is None or last.size == 0:
        return None
    if size < last.size:
        return Said(f"it covers {size} events, fewer than the {last.size} already cosigned (rolled back)",
                    f"它只涵盖 {size} 条事件，少于已联署的 {last.size} 条（被回滚）")
    if size == last.size:
        return None if root == last.root else Said(f"it gives another root for the same {size} events (a fork)",
                                                   f"同样 {size} 条事件却给出另一个根（分叉）")
    if callable(proof):
        proof = proof(last.size, size)
    if proof is None:
        raise BadInput(f"a consistency proof from {last.size} to {size} events is needed "
                       "(give --proof FILE from `minerehab consistency`, or a store to compute it)",
                       f"需要从 {last.size} 到 {size} 条事件的一致性证明（用 --proof 给出 `minerehab consistency` "
                       "的输出，或给出可读取的存储）")
    if not merkle.verify_consistency(last.size, size, last.root, root, list(proof)):
        return Said(f"it does not extend the {last.size} events cosigned before (history rewritten)",
                    f"它没有接续此前联署的 {last.size} 条事件（历史被改写）")
    return None


def cosign(text: str, name: str, key, seen: dict[str, Seen], proof, now: int,
           log_keys: Iterable[Verifier] = ()) -> tuple[str, dict[str, Seen], bool]:
    """(the note with this witness's cosignature line, the new state, whether a line was added).
    Refused (exit 1) when the checkpoint is not an extension of the last one cosigned."""
    try:
        parsed = note.parse_note(text)
        cp = note.parse_checkpoint(parsed.body)
    except NoteError as error:
        raise BadInput(f"not a C2SP checkpoint ({error})", f"不是 C2SP 检查点（{error.zh}）") from None
    log_keys = list(log_keys)
    if log_keys:
        try:
            note.verify_note(parsed, log_keys)
        except NoteError as error:
            raise Refused(f"the log's signature does not verify ({error})", f"日志签名验证失败（{error.zh}）") from None
    why = extends(seen.get(cp.origin), cp.size, cp.root, proof)
    if why:
        raise Refused(f"witness {name} refuses to cosign {cp.origin} at {cp.size}: {why}",
                      f"见证方 {name} 拒绝联署 {cp.origin}（{cp.size} 条）：{zh_of(why)}")
    try:
        mine = verifier(name, key.public, cosignature=True)
        line = note.cosignature_line(parsed.body, name, key, now)
    except (NoteError, ValueError) as error:
        raise BadInput(f"witness key: {error}", f"见证密钥：{zh_of(error)}") from None
    new_seen = {**seen, cp.origin: Seen(cp.size, cp.root)}
    if any(s.name == name and s.key_id == mine.key_id for s in parsed.signatures):
        return text, new_seen, False
    return note.add_signature(text, line), new_seen, True


def check_quorum(parsed: Note, witnesses: Iterable[Verifier], quorum: int) -> list[str]:
    """The witnesses (of those given) whose cosignatures verify; NoteError when one of them fails
    or fewer than `quorum` cosigned."""
    table = {}
    for v in witnesses:
        w = as_witness(v)
        table[(w.name, w.key_id)] = w
    body = parsed.body.encode("utf-8")
    names: list[str] = []
    for sig in parsed.signatures:
        w = table.get((sig.name, sig.key_id))
        if w is None:
            continue
        if not note._verify_one(w, body, sig.payload):
            raise NoteError(f"the cosignature of witness {sig.name} does not verify",
                            f"见证方 {sig.name} 的联署核验不通过")
        if sig.name not in names:
            names.append(sig.name)
    if len(names) < quorum:
        raise NoteError(f"{len(names)} of the witnesses given cosigned ({', '.join(names) or 'none'}); "
                        f"{quorum} are required",
                        f"给出的见证方中有 {len(names)} 个联署（{'、'.join(names) or '无'}）；需要 {quorum} 个")
    return names
