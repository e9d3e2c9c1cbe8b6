"""This ledger's checkpoints as C2SP signed notes (c2sp.org/tlog-checkpoint), and the receipts of
its events as c2sp.org/tlog-proof files, made with the store and checked without it.

A checkpoint names the store's origin (its stable identity, `minerehab/<uuid>`, fixed at init),
the tree size and the base64 RFC 6962 root over the events' chain hashes. The log's key signs
it under the key's name (the name in its `.vkey`); witnesses add tlog-cosignature lines
(events.witness). The first release's JSON checkpoints are still read: `read` returns either.

An event's receipt carries, as the proof's `extra` data, the event itself (`entry`): its
aggregate, version, topic, previous chain hash and the exact stored bytes, from which the
leaf is recomputed; the stored JSON also holds the person's signature of the command.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from events import merkle, note, tlogproof
from events.canonical import canonical
from events.chain import GENESIS, as_bytes, chain_hash
from events.errors import BadInput, Malformed, Said
from events.keys import (
    PublicKey,
    Verifier,
    load_public,
    parse_verifier_key,
    valid_name,
    verifier,
)
from events.note import NoteError

MAX_FILE = 1_100_000


@dataclass(frozen=True)
class Signed:
    """A checkpoint note as read from a file: its exact text, the note and the checkpoint."""

    text: str
    note: note.Note
    checkpoint: note.Checkpoint

    @property
    def size(self) -> int:
        return self.checkpoint.size

    def record(self, timestamp: str = "") -> dict:
        """The shape the store's checkpoint table and the first release's verify read."""
        return {"origin": self.checkpoint.origin, "tree_size": self.checkpoint.size,
                "root": self.checkpoint.root.hex(), "timestamp": timestamp or "c2sp-note",
                "signature": "".join(self.text[len(self.note.body) + 1:])}


def parse(text: str | bytes, where: str = "checkpoint") -> Signed:
    """A C2SP checkpoint note, or BadInput in one line naming `where`."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        parsed = note.parse_note(text)
        return Signed(text, parsed, note.parse_checkpoint(parsed.body))
    except UnicodeDecodeError:
        raise BadInput(f"{where}: not UTF-8 text", f"{where}：不是 UTF-8 文本") from None
    except NoteError as error:
        raise BadInput(f"{where}: not a C2SP checkpoint ({error})", f"{where}：不是 C2SP 检查点（{error.zh}）") from None


def _read_bytes(path: str | Path, what: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE + 1)
    except OSError as problem:
        raise BadInput(f"{path}: not a readable {what} ({problem.strerror})",
                       f"{path}：无法读取{what}（{problem.strerror}）") from None
    if len(data) > MAX_FILE:
        raise BadInput(f"{path}: too large for a {what}", f"{path}：文件过大，不是{what}")
    return data


def is_json(data: bytes) -> bool:
    return data.lstrip()[:1] in (b"{", b"[") or not data.strip()


def read(path: str | Path) -> Signed | dict:
    """A checkpoint file: a C2SP signed note (Signed) or a first-release JSON checkpoint (dict)."""
    from events import checkpoint as checkpoints

    data = _read_bytes(path, "checkpoint")
    if is_json(data):
        return checkpoints.read(path)
    return parse(data, str(path))


def as_record(checkpoint: Signed | dict) -> dict:
    return checkpoint.record() if isinstance(checkpoint, Signed) else checkpoint


# -- keys ----------------------------------------------------------------------------------

def load_verifier(path: str | Path) -> Verifier:
    """A verifier from a `.vkey` file (a signed-note verifier key)."""
    data = _read_bytes(path, "verifier key")
    try:
        return parse_verifier_key(data.decode("utf-8").strip())
    except (UnicodeDecodeError, ValueError) as error:
        raise BadInput(f"{path}: not a signed-note verifier key ({error})",
                       f"{path}：不是签名笔记验证密钥" + (f"（{error.zh}）" if hasattr(error, "zh") else "")) from None


def key_name(key_path: str | Path, public: PublicKey) -> str:
    """The name a key signs notes under: that of its `.vkey` beside it (written by keygen), when the
    `.vkey` holds this very key; otherwise the key file's name, keygen's default."""
    path = Path(key_path)
    candidates = [path.with_name(path.name + ".vkey")]
    if path.name.endswith(".pub"):
        candidates.append(path.with_name(path.name[:-4] + ".vkey"))
    for candidate in candidates:
        if candidate.is_file():
            v = load_verifier(candidate)
            if v.public == public:
                return v.name
    name = path.name[:-4] if path.name.endswith(".pub") else path.name
    if not valid_name(name):
        raise BadInput(f"{path}: {name!r} cannot name a signature (no spaces, no '+'); write a .vkey beside the key "
                       "(`minerehab keygen --name`) or rename it",
                       f"{path}：{name!r} 不能作签名名称（不得含空格或“+”）；请在密钥旁放置 .vkey 或改名")
    return name


def verifiers_for(checkpoint: Signed, public: PublicKey) -> list[Verifier]:
    """Verifiers for a bare public key (a `.pub` file): under every name that signed the note."""
    found = []
    for sig in checkpoint.note.signatures:
        try:
            v = verifier(sig.name, public)
        except ValueError:
            continue
        if v.key_id == sig.key_id and v not in found:
            found.append(v)
    return found


def log_signers(checkpoint: Signed, vkeys: Iterable[Verifier]) -> tuple[list[str], Said | None]:
    """(names whose signatures verify, the problem in both languages or None) for the log's keys."""
    vkeys = list(vkeys)
    try:
        return note.verify_note(checkpoint.note, vkeys), None
    except NoteError as error:
        return [], Said(str(error), error.zh)


# -- making checkpoints ----------------------------------------------------------------------

def sign_log(log, signer, name: str, keep=None, now: datetime | None = None) -> Signed:
    """Sign the log's current tree as a C2SP checkpoint note, hand the text to `keep` (e.g. write
    the file; a refusal there records nothing), then remember it in the store."""
    leaves = log.leaf_hashes()
    body = note.checkpoint_body(log.origin(), len(leaves), merkle.root(leaves))
    text = note.sign_note(body, name, signer)
    signed = parse(text)
    if keep is not None:
        keep(text)
    log.record_checkpoint(signed.record((now or datetime.now(timezone.utc)).isoformat(timespec="seconds")))
    return signed


# -- event receipts ----------------------------------------------------------------------------

def entry(subject: str, originator_id: str, version: int, topic: str, previous: bytes, state: bytes) -> bytes:
    """An event as canonical JSON (RFC 8785): what was stored, exactly (`stored`), and, when canonical
    JSON can carry it (no floats), the same parsed for reading (`event`)."""
    record = {"subject": subject, "originator_id": originator_id, "version": version, "topic": topic,
              "previous": previous.hex()}
    try:
        text = state.decode("utf-8")
        event = json.loads(text)
    except (UnicodeDecodeError, ValueError):
        return canonical({**record, "stored_base64": base64.b64encode(state).decode()})
    try:
        return canonical({**record, "stored": text, "event": event})
    except (TypeError, ValueError):
        return canonical({**record, "stored": text})


@dataclass(frozen=True)
class Entry:
    subject: str
    originator_id: str
    version: int
    topic: str
    previous: bytes
    state: bytes
    event: dict | None

    @property
    def chain_hash(self) -> bytes:
        return chain_hash(self.previous, self.originator_id, self.version, self.topic, self.state)

    @property
    def leaf(self) -> bytes:
        return merkle.leaf_hash(self.chain_hash)


def read_entry(data: bytes, where: str = "event", where_zh: str | None = None) -> Entry:
    """An entry back from its bytes: canonical JSON whose readable `event` is its `stored` text.
    Anything else is a ValueError naming what differs."""
    zh_where = where_zh or where
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Malformed(f"{where}: not JSON", f"{zh_where}：不是 JSON") from None
    if not isinstance(record, dict):
        raise Malformed(f"{where}: not a JSON object", f"{zh_where}：不是 JSON 对象")
    try:
        if canonical(record) != data:
            raise Malformed(f"{where}: not in canonical form (RFC 8785)", f"{zh_where}：不是规范形式（RFC 8785）")
    except TypeError:
        raise Malformed(f"{where}: holds a value canonical JSON cannot carry",
                        f"{zh_where}：含有规范 JSON 无法表示的值") from None
    fields = {"subject": str, "originator_id": str, "version": int, "topic": str, "previous": str}
    for name, kind in fields.items():
        if type(record.get(name)) is not kind:
            raise Malformed(f"{where}: {name} is missing or not {kind.__name__}",
                            f"{zh_where}：{name} 缺失或不是{'文本' if kind is str else '整数'}")
    try:
        previous = bytes.fromhex(record["previous"])
    except ValueError:
        raise Malformed(f"{where}: previous is not hexadecimal", f"{zh_where}：previous 不是十六进制") from None
    if len(previous) != 32 or record["version"] < 1:
        raise Malformed(f"{where}: previous is not 32 bytes or version is below 1",
                        f"{zh_where}：previous 不是 32 字节，或 version 小于 1")
    event = None
    if "stored" in record:
        if not isinstance(record["stored"], str):
            raise Malformed(f"{where}: stored is not text", f"{zh_where}：stored 不是文本")
        state = record["stored"].encode("utf-8")
        try:
            event = json.loads(record["stored"])
        except ValueError:
            raise Malformed(f"{where}: stored is not JSON", f"{zh_where}：stored 不是 JSON") from None
        if "event" in record and record["event"] != event:
            raise Malformed(f"{where}: the readable event differs from the stored bytes",
                            f"{zh_where}：可读的 event 与存储的字节不符")
        if not set(record) <= {*fields, "stored", "event"}:
            extra = sorted(set(record) - {*fields, 'stored', 'event'})
            raise Malformed(f"{where}: unexpected fields {extra}", f"{zh_where}：多出的字段 {extra}")
    elif isinstance(record.get("stored_base64"), str):
        try:
            state = base64.b64decode(record["stored_base64"], validate=True)
        except ValueError:
            raise Malformed(f"{where}: stored_base64 is not base64", f"{zh_where}：stored_base64 不是 base64") from None
        if set(record) != {*fields, "stored_base64"}:
            raise Malformed(f"{where}: unexpected fields", f"{zh_where}：有多出的字段")
    else:
        raise Malformed(f"{where}: holds no stored event", f"{zh_where}：没有存储的事件")
    return Entry(record["subject"], record["originator_id"], record["version"], record["topic"], previous, state, event)


def _covered(log, signed: Signed) -> list[tuple[bytes, str, int]]:
    from events.proofs import ProofError

    leaves = log.leaves()
    size = signed.size
    if signed.checkpoint.origin != log.origin():
        raise ProofError(f"the checkpoint is of {signed.checkpoint.origin}, this store is {log.origin()}")
    if size > len(leaves):
        raise ProofError(f"the checkpoint covers {size} events but the store holds {len(leaves)}: truncated")
    if merkle.root([merkle.leaf_hash(h) for h, _, _ in leaves[:size]]) != signed.checkpoint.root:
        raise ProofError("the store's first events no longer have the checkpoint's root: run `minerehab verify`")
    return leaves[:size]


def levels(hashed: list[bytes]) -> list[list[bytes]]:
    """Every level of the RFC 6962 tree over leaf hashes, bottom up, an odd last node carried up
    unchanged (the same tree as events.merkle.root): built once, any path is then O(log n)."""
    out = [list(hashed)]
    while len(out[-1]) > 1:
        level = out[-1]
        up = [merkle.node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            up.append(level[-1])
        out.append(up)
    return out


def inclusion_path(tree: list[list[bytes]], index: int) -> list[bytes]:
    """PATH(index) of RFC 6962 from the levels: each level's sibling, skipping levels where the
    node is an odd last one carried up."""
    path = []
    for level in tree[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            path.append(level[sibling])
        index //= 2
    return path


class Receipts:
    """tlog-proofs of events under one checkpoint, from the store (the tree is built once)."""

    def __init__(self, log, signed: Signed):
        self.log, self.signed = log, signed
        self.leaves = _covered(log, signed)
        self.hashed = [merkle.leaf_hash(h) for h, _, _ in self.leaves]
        self.tree = levels(self.hashed)
        if self.hashed and self.tree[-1][0] != signed.checkpoint.root:
            raise AssertionError("the tree's levels disagree with its root")
        self.index = {(o, v): i for i, (_, o, v) in enumerate(self.leaves)}
        self.heads = {(o, v): h for h, o, v in self.leaves}

    def entry(self, subject: str, oid: str, version: int, topic: str, state) -> bytes:
        previous = GENESIS if version == 1 else self.heads.get((oid, version - 1), GENESIS)
        return entry(subject, oid, version, topic, previous, as_bytes(state))

    def covers(self, oid: str, version: int) -> bool:
        return (oid, version) in self.index

    def proof(self, oid: str, version: int, extra: bytes | None = None) -> str:
        i = self.index[(oid, version)]
        return tlogproof.write(i, inclusion_path(self.tree, i), self.signed.text, extra)


def prove(log, kind: str, key: str, version: int, signed: Signed) -> str:
    """The tlog-proof of one event, carrying the event as its extra data."""
    from events.ids import aggregate_id
    from events.proofs import ProofError

    oid = aggregate_id(kind, key).hex
    receipts = Receipts(log, signed)
    if not receipts.covers(oid, version):
        raise ProofError(f"{kind} {key} version {version} is not among the {len(receipts.leaves)} events "
                         "the checkpoint covers")
    row = next(r for r in log.events_by_aggregate() if r[0] == oid and r[1] == version)
    return receipts.proof(oid, version, receipts.entry(f"{kind}:{key}", oid, version, row[3], row[4]))


def check_receipt(text: str, vkeys: Iterable[Verifier], witnesses: Iterable[Verifier] = (),
                  quorum: int = 0) -> tuple[Entry, list[str], list[str]]:
    """Check a tlog-proof that carries its event: (the entry, log signers, witnesses), or
    NoteError/ValueError saying what fails. Needs no store."""
    from events import witness as witnesses_

    proof = tlogproof.parse(text)
    if proof.extra is None:
        raise tlogproof.ProofError("the proof carries no event (no extra line)")
    found = read_entry(proof.extra, "the proof's event", "证明所附的事件")
    signers = tlogproof.verify(proof, found.leaf, proof.checkpoint.origin, list(vkeys))
    cosigners = witnesses_.check_quorum(proof.note, witnesses, quorum)
    return found, signers, cosigners


def load_keys(paths: Iterable[str], signed: Signed | None = None) -> list[Verifier]:
    """Verifiers from `.vkey` files, or from `.pub` files matched by key id to the note's lines."""
    out: list[Verifier] = []
    for path in paths:
        data = _read_bytes(path, "key")
        if data.lstrip().startswith(b"-----BEGIN"):
            public = load_public(path)
            if signed is not None:
                out += verifiers_for(signed, public)
            continue
        out.append(load_verifier(path))
    return out
