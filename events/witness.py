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
from events.keys import Verifier, verifier, verifier_key
from events.note import Note, NoteError

FORMAT = "minerehab-witness/1"


class Refused(Tampered):
    """The witness will not cosign: the checkpoint does not extend what it cosigned before."""


def ed25519_only(name: str, public) -> None:
    """cosignature/v1 has no SM2 form: an SM2 witness key is refused (exit 2) in both languages."""
    if public.algorithm != "ed25519":
        raise BadInput(f"witness {name}: cosignature/v1 is defined for Ed25519 keys only; an SM2 key cannot "
                       "cosign (make the witness an Ed25519 key: `minerehab keygen`)",
                       f"见证方 {name}：cosignature/v1 仅适用于 Ed25519 密钥；SM2 密钥不能联署"
                       "（请用 `minerehab keygen` 生成 Ed25519 见证密钥）")


def as_witness(v: Verifier) -> Verifier:
    """The cosignature/v1 verifier of a witness, from its keygen `.vkey` (type 0x01) or a 0x04 one."""
    if v.kind == "cosignature/v1":
        return v
    ed25519_only(v.name, v.public)
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


def _checkpoint_note(text: str):
    """(the signed note, its checkpoint) of a file that must be a C2SP checkpoint; BadInput naming why not."""
    try:
        parsed = note.parse_note(text)
        return parsed, note.parse_checkpoint(parsed.body)
    except NoteError as error:
        raise BadInput(f"not a C2SP checkpoint ({error})", f"不是 C2SP 检查点（{zh_of(error)}）") from None


def cosign(text: str, name: str, key, seen: dict[str, Seen], proof, now: int,
           log_keys: Iterable[Verifier] = ()) -> tuple[str, dict[str, Seen], bool]:
    """(the note with this witness's cosignature line, the new state, whether a line was added).
    Refused (exit 1) when the checkpoint is not an extension of the last one cosigned."""
    parsed, cp = _checkpoint_note(text)
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
    names = note.signers(parsed, table, lambda sig: NoteError(f"the cosignature of witness {sig.name} does not verify",
                                                              f"见证方 {sig.name} 的联署核验不通过"))
    if len(names) < quorum:
        raise NoteError(f"{len(names)} of the witnesses given cosigned ({', '.join(names) or 'none'}); "
                        f"{quorum} are required",
                        f"给出的见证方中有 {len(names)} 个联署（{'、'.join(names) or '无'}）；需要 {quorum} 个")
    return names


# -- cosignatures recorded in the ledger (见证联署记录) ------------------------------------------

@dataclass(frozen=True)
class Cosignature:
    """One witness's cosignature of one checkpoint, as the ledger records it: enough to check it again
    from the store alone (the checkpoint body is rebuilt from origin, size and root; the witness's key
    is kept with it), so a later rewrite of the history it covers contradicts a signature nobody in the
    county can forge."""

    origin: str
    size: int
    root: bytes
    witness: str
    key_id: bytes
    timestamp: int
    line: str  # the signature line as the witness wrote it, without its newline
    witness_key: str  # the witness's cosignature/v1 verifier key (name+id+base64)

    def data(self) -> dict:
        """The fields of its event (workflow.specs: record_cosignature)."""
        return {"size": self.size, "root": base64.b64encode(self.root).decode(), "witness": self.witness,
                "key_id": self.key_id.hex(), "cosigned_at": self.timestamp, "cosignature": self.line,
                "witness_key": self.witness_key}


def _unchecked(origin: str, size: int, root: bytes, sig: note.Signature, w: Verifier) -> Cosignature:
    line = note.DASH + sig.name + " " + base64.b64encode(sig.key_id + sig.payload).decode()
    return Cosignature(origin, size, root, sig.name, sig.key_id, note.cosignature_timestamp(sig), line,
                       verifier_key(w.name, w.public, cosignature=True))


def cosignatures(text: str, log_keys: Iterable[Verifier], witnesses: Iterable[Verifier]) -> list[Cosignature]:
    """The cosignatures of the given witnesses on a checkpoint note, each checked, and the log's own
    signature first: nothing in the file is trusted. A note the log did not sign, a witness given who did
    not cosign it, or a line that does not verify is BadInput (exit 2) naming it."""
    parsed, cp = _checkpoint_note(text)
    log_keys = list(log_keys)
    if not log_keys:
        raise BadInput("give --vkey LOG.vkey: a checkpoint proves nothing without the log's key",
                       "请给出 --vkey 日志公钥：没有日志公钥，检查点什么也证明不了")
    try:
        note.verify_note(parsed, log_keys)
    except NoteError as error:
        raise BadInput(f"the log's signature does not verify ({error})", f"日志签名验证失败（{error}）") from None
    if cp.extensions:
        raise BadInput("a checkpoint with extension lines is not one this ledger writes; it is not recorded",
                       "带扩展行的检查点不是本台账生成的；不予记录")
    found, body = [], parsed.body.encode("utf-8")
    for given in witnesses:
        w = as_witness(given)
        sig = next((s for s in parsed.signatures if (s.name, s.key_id) == (w.name, w.key_id)), None)
        if sig is None:
            raise BadInput(f"witness {w.name} ({w.key_id.hex()}) has not cosigned this checkpoint",
                           f"见证方 {w.name}（{w.key_id.hex()}）未联署此检查点")
        if not note._verify_one(w, body, sig.payload):
            raise BadInput(f"the cosignature of witness {w.name} does not verify",
                           f"见证方 {w.name} 的联署签名验证失败")
        if all(c.key_id != w.key_id or c.witness != w.name for c in found):
            found.append(_unchecked(cp.origin, cp.size, cp.root, sig, w))
    if not found:
        raise BadInput("give --witness W.vkey: whose cosignatures to record", "请给出 --witness 见证方公钥：记录谁的联署")
    return found


def recorded(origin: str, data: dict) -> Cosignature:
    """A recorded cosignature checked again from its own fields: the line verifies under the kept key over the
    checkpoint (origin, size, root), and the name, key id and time it states are the line's. ValueError
    (NoteError) saying what does not hold."""
    try:
        size, root_text, line, vkey = data["size"], data["root"], data["cosignature"], data["witness_key"]
    except (KeyError, TypeError):
        raise NoteError("the record lacks size, root, cosignature or witness_key") from None
    if not all(isinstance(v, str) for v in (root_text, line, vkey)) or type(size) is not int:
        raise NoteError("the record's fields are not of their kinds")
    root = note._unb64(root_text, "the root")
    body = note.checkpoint_body(origin, size, root)
    [sig] = note.parse_note(body + "\n" + line + "\n").signatures
    w = as_witness(note.parse_verifier_key(vkey))
    if (sig.name, sig.key_id) != (w.name, w.key_id):
        raise NoteError(f"the cosignature line is by {sig.name} ({sig.key_id.hex()}), not by the key kept with it")
    if not note._verify_one(w, body.encode("utf-8"), sig.payload):
        raise NoteError(f"the cosignature of {sig.name} does not verify over {origin} at {size} events")
    found = _unchecked(origin, size, root, sig, w)
    stated = (data.get("witness"), data.get("key_id"), data.get("cosigned_at"))
    if stated != (found.witness, found.key_id.hex(), found.timestamp):
        raise NoteError("the witness, key id or time recorded are not those of the cosignature line")
    return found


def contradicted(cosignature: Cosignature, roots: dict[int, bytes], size: int) -> tuple[str, str] | None:
    """Why the log no longer holds what a witness cosigned (en, zh), or None: `roots` are the log's roots at
    the sizes cosigned, `size` how many events it holds."""
    name, at = cosignature.witness, cosignature.size
    if at > size:
        return (f"witness {name} cosigned {at} events; the log holds {size} (truncated, or another history)",
                f"见证方 {name} 联署了 {at} 条事件；日志只有 {size} 条（被截断，或是另一段历史）")
    if roots.get(at) != cosignature.root:
        return (f"the first {at} events no longer have the root witness {name} cosigned (history rewritten "
                "after the witness cosigned)",
                f"前 {at} 条事件的根已不是见证方 {name} 联署的根（见证后历史被改写）")
    return None
