"""c2sp.org/tlog-proof@v1: an offline proof that an entry is in a signed checkpoint's tree.

Text form (spec text read from C2SP/C2SP tlog-proof.md): the line "c2sp.org/tlog-proof@v1",
optionally "extra <base64>", then "index <decimal>", then the RFC 6962 inclusion path, one
base64 SHA-256 hash a line from the leaf's sibling up, an empty line, and the checkpoint note
verbatim. Verification is the note's signatures plus RFC 9162 inclusion (events.merkle).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from events import merkle
from events.keys import Verifier
from events.note import (
    Checkpoint,
    Note,
    NoteError,
    _b64,
    _unb64,
    parse_checkpoint,
    parse_note,
    verify_note,
)

HEADER = "c2sp.org/tlog-proof@v1"
MAX_PATH = 64
MAX_PROOF_BYTES = 1_100_000
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


class ProofError(NoteError):
    """A proof that is malformed or does not prove inclusion (one line)."""


@dataclass(frozen=True)
class Proof:
    index: int
    path: tuple[bytes, ...]
    note_text: str
    note: Note
    checkpoint: Checkpoint
    extra: bytes | None = None


def write(index: int, path: Iterable[bytes], note_text: str, extra: bytes | None = None) -> str:
    """The proof text; `note_text` is the signed checkpoint note, copied verbatim."""
    path = list(path)
    if not 0 <= index < 2**63 or len(path) > MAX_PATH or any(len(h) != 32 for h in path):
        raise ProofError("a proof needs an index in 0..2^63-1 and at most 64 32-byte hashes",
                         "证明的序号须在 0..2^63-1 之间，至多 64 个 32 字节哈希")
    if extra is not None and not extra:
        raise ProofError("extra data, when given, is not empty", "附加数据若给出则不得为空")
    parse_checkpoint(parse_note(note_text).body)
    lines = [HEADER]
    if extra is not None:
        lines.append(f"extra {_b64(extra)}")
    lines.append(f"index {index}")
    lines += [_b64(h) for h in path]
    return "\n".join(lines) + "\n\n" + note_text


def parse(text: str) -> Proof:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_PROOF_BYTES:
        raise ProofError("a proof is at most 1.1 MB", "证明至多 1.1 MB")
    head, sep, note_text = text.partition("\n\n")
    if not sep:
        raise ProofError("a proof has no empty line before its checkpoint", "证明在检查点之前没有空行")
    lines = head.split("\n")
    if lines[0] != HEADER:
        raise ProofError(f"a proof starts with the line {HEADER}", f"证明须以 {HEADER} 一行开头")
    lines = lines[1:]
    extra = None
    if lines and lines[0].startswith("extra "):
        extra = _unb64(lines.pop(0)[len("extra "):], "the extra data")
        if not extra:
            raise ProofError("the extra line is empty", "附加行为空")
    if not lines or not lines[0].startswith("index "):
        raise ProofError("a proof has an index line after its header", "证明在首行之后须有序号行")
    index = lines.pop(0)[len("index "):]
    if not _DECIMAL.fullmatch(index) or int(index) >= 2**63:
        raise ProofError("the index is not a decimal without leading zeros", "序号不是无前导零的十进制数")
    if len(lines) > MAX_PATH:
        raise ProofError(f"an inclusion path has at most {MAX_PATH} hashes", f"包含路径至多 {MAX_PATH} 个哈希")
    path = tuple(_unb64(line, "an inclusion path hash") for line in lines)
    if any(len(h) != 32 for h in path):
        raise ProofError("an inclusion path hash is not 32 bytes", "包含路径中的哈希不是 32 字节")
    note = parse_note(note_text)
    return Proof(int(index), path, note_text, note, parse_checkpoint(note.body), extra)


def verify(proof: Proof | str, leaf_hash: bytes, origin: str, verifiers: Iterable[Verifier | str]) -> list[str]:
    """The names that signed a checkpoint of `origin` whose tree holds leaf_hash at the proof's
    index; ProofError (or NoteError for signatures) otherwise. leaf_hash is the RFC 6962 leaf
    hash, as events.merkle takes it."""
    if isinstance(proof, str):
        proof = parse(proof)
    if proof.checkpoint.origin != origin:
        raise ProofError(f"the checkpoint is of {proof.checkpoint.origin!r}, not {origin!r}",
                         f"检查点属于 {proof.checkpoint.origin!r}，而不是 {origin!r}")
    names = verify_note(proof.note, verifiers)
    c = proof.checkpoint
    if not merkle.verify_inclusion(leaf_hash, proof.index, c.size, list(proof.path), c.root):
        raise ProofError(f"entry {proof.index} is not proven to be in the tree of size {c.size}",
                         f"未能证明第 {proof.index} 项在大小为 {c.size} 的树中")
    return names
