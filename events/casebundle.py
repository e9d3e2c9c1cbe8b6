"""The inspector's case-file bundle (案卷): one parcel's whole evidence in a zip, checked without the store.

Inside: README.txt (how to verify, in Chinese and English), MANIFEST.json (every other file's
path, size, SHA-256 and SM3, canonical JSON), checkpoint.txt (the signed, cosigned C2SP
checkpoint), events/vNNNN.json (each event as canonical JSON, the stored bytes with the
person's signature in them), proofs/vNNNN.tlog-proof (its inclusion under the checkpoint),
case.html (the printable case file), findings.json, documents.json (the documents' recorded
hashes), documents/* (the files, when given), geometry.geojson (when the parcel has one).

`verify` needs only the bundle and the keys: any changed, missing or added file, an event that
is not under the checkpoint, a broken chain between versions, a document whose bytes differ
from the hash its event recorded, or a checkpoint the keys did not sign is a problem naming
the file. The zip is written deterministically (fixed times, sorted names).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from hashlib import sha256
from typing import Iterable

from events import merkle, tlog, tlogproof
from events.canonical import canonical
from events.chain import GENESIS
from events.digests import sha256_hex, sm3_hex
from events.errors import Malformed, Said, zh_of
from events.keys import Verifier
from events.note import NoteError

FORMAT = "minerehab-case/1"
MANIFEST = "MANIFEST.json"
README = "README.txt"
CHECKPOINT = "checkpoint.txt"
MAX_TOTAL = 4 << 30
MAX_MEMBERS = 100_000
_EVENT = re.compile(r"events/v([0-9]{4,})\.json")
_DATE = (1980, 1, 1, 0, 0, 0)

HOW_TO_VERIFY = """\
案卷核验说明 / How to verify this case file
==========================================

本案卷（{subject}）无需数据库即可核验：
  minerehab case verify 本文件.zip --vkey 县日志公钥.vkey [--witness 见证方.vkey … --quorum N]
核验内容：MANIFEST.json 列出的每个文件的大小、SHA-256 与 SM3（国密）摘要；checkpoint.txt
是否由日志密钥签名、由见证方联署（C2SP tlog-checkpoint / tlog-cosignature）；events/ 中每个事件
（含经办人签名的原始存储字节）是否由 proofs/ 中对应的 tlog-proof 证明包含在该检查点之下，
相邻版本的哈希链是否连续；documents/ 中的文件是否与事件记录的 SHA-256 一致。
任何文件被改动、缺失或增加，或有事件不在检查点之下，核验即失败（退出码 1）并指出文件。
也可用任何 C2SP 工具独立核对 checkpoint.txt 与 proofs/*.tlog-proof；事件叶子为
SHA-256(0x00 ‖ 链哈希)，链哈希见 events/*.json 的 stored 字段与 previous 字段。

This case file ({subject}) can be checked without the store:
  minerehab case verify this.zip --vkey county-log.vkey [--witness witness.vkey … --quorum N]
It checks each file listed in MANIFEST.json (size, SHA-256, SM3); that checkpoint.txt is signed
by the log's key and cosigned by the witnesses (C2SP tlog-checkpoint, tlog-cosignature); that
every event in events/ (the exact stored bytes, with the official's signature) is proven by
its proofs/*.tlog-proof to lie under that checkpoint, and that consecutive versions chain;
that files in documents/ match the SHA-256 their events recorded. Any changed, missing or
added file, or an event not under the checkpoint, fails (exit 1) naming the file. Any C2SP
tool can check checkpoint.txt and the proofs independently: an event's leaf is
SHA-256(0x00 || chain hash), the chain hash computed from its `previous` and `stored` fields.
"""


def event_path(version: int) -> str:
    return f"events/v{version:04d}.json"


def proof_path(version: int) -> str:
    return f"proofs/v{version:04d}.tlog-proof"


def manifest(files: dict[str, bytes], subject: str, signed: tlog.Signed, events: int) -> bytes:
    rows = [{"path": path, "size": len(data), "sha256": sha256_hex(data), "sm3": sm3_hex(data)}
            for path, data in sorted(files.items())]
    return canonical({"format": FORMAT, "subject": subject, "origin": signed.checkpoint.origin,
                      "tree_size": signed.size, "events": events, "files": rows})


def pack(files: dict[str, bytes], subject: str, signed: tlog.Signed, events: int) -> bytes:
    """The zip of `files` (path -> bytes) with README.txt, checkpoint.txt and MANIFEST.json added."""
    files = {**files, README: HOW_TO_VERIFY.format(subject=subject).encode("utf-8"),
             CHECKPOINT: signed.text.encode("utf-8")}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in [(MANIFEST, manifest(files, subject, signed, events)), *sorted(files.items())]:
            info = zipfile.ZipInfo(path, _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()


# -- verification ----------------------------------------------------------------------------

@dataclass
class Result:
    subject: str | None = None
    events: int = 0
    tree_size: int | None = None
    signers: list[str] = field(default_factory=list)
    cosigners: list[str] = field(default_factory=list)
    documents: int = 0
    problems: list[Said] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, en: str, zh: str) -> None:
        """A problem naming the file, in English (what scripts read) with its Chinese beside it."""
        self.problems.append(Said(en, zh))


def _why(error: Exception) -> str:
    """Why a part could not be read, in Chinese: our own reasons are bilingual; a parser's own (json, utf-8)
    is summed up."""
    return getattr(error, "zh", None) or ("不是 UTF-8 文本" if isinstance(error, UnicodeDecodeError) else "格式不对")


def _members(data: bytes, result: Result) -> dict[str, bytes] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as error:  # noqa: BLE001 - whatever a damaged archive makes zipfile raise is a finding
        result.add(f"the bundle is not a readable zip archive ({type(error).__name__}: {error})",
                   "案卷不是可读的 zip 压缩包")
        return None
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_TOTAL:
        result.add("the bundle holds too many files or too many bytes", "案卷的文件数或字节数过多")
        return None
    members: dict[str, bytes] = {}
    for info in infos:
        name = info.filename
        if name in members:
            result.add(f"{name}: is in the archive twice", f"{name}：在压缩包中出现两次")
            continue
        if name.startswith("/") or ".." in name.split("/") or "\\" in name:
            result.add(f"{name}: an unsafe path", f"{name}：不安全的路径")
            continue
        try:
            members[name] = archive.read(info)
        except Exception as error:  # noqa: BLE001 - CRC, inflate, header, version: damaged either way
            result.add(f"{name}: damaged in the archive ({error})", f"{name}：在压缩包中已损坏")
            members[name] = b""
    return members


def _manifest(members: dict[str, bytes], result: Result) -> dict | None:
    raw = members.get(MANIFEST)
    if raw is None:
        result.add(f"{MANIFEST}: missing", f"{MANIFEST}：缺失")
        return None
    try:
        found = json.loads(raw.decode("utf-8"))
        if canonical(found) != raw:
            raise Malformed("not in canonical form", "不是规范形式")
        if found.get("format") != FORMAT or not isinstance(found.get("files"), list):
            raise Malformed(f"not a {FORMAT} manifest", f"不是 {FORMAT} 清单")
        if set(found) != {"format", "subject", "origin", "tree_size", "events", "files"}:
            raise Malformed("unexpected or missing fields", "字段多出或缺失")
        for row in found["files"]:
            if set(row) != {"path", "size", "sha256", "sm3"} or not isinstance(row["path"], str):
                raise Malformed("a file entry is malformed", "有一个文件条目格式不对")
    except (UnicodeDecodeError, ValueError, TypeError, AttributeError) as error:
        result.add(f"{MANIFEST}: unreadable ({error})", f"{MANIFEST}：无法读取（{_why(error)}）")
        return None
    return found


def _files(members: dict[str, bytes], listed: dict, result: Result) -> None:
    paths = [row["path"] for row in listed["files"]]
    if len(set(paths)) != len(paths):
        result.add(f"{MANIFEST}: lists a file twice", f"{MANIFEST}：同一文件列出两次")
    for row in listed["files"]:
        data = members.get(row["path"])
        if data is None:
            result.add(f"{row['path']}: missing (listed in {MANIFEST})", f"{row['path']}：缺失（{MANIFEST} 中列有）")
        elif (len(data), sha256_hex(data), sm3_hex(data)) != (row["size"], row["sha256"], row["sm3"]):
            result.add(f"{row['path']}: changed (its size, SHA-256 or SM3 differs from {MANIFEST})",
                       f"{row['path']}：被改动（大小、SHA-256 或 SM3 与 {MANIFEST} 不符）")
    for name in sorted(set(members) - set(paths) - {MANIFEST}):
        result.add(f"{name}: added (not in {MANIFEST})", f"{name}：被添加（{MANIFEST} 中没有）")


def _checkpoint(members, listed, vkeys, witnesses, quorum, result: Result) -> tlog.Signed | None:
    from events import witness

    raw = members.get(CHECKPOINT)
    if raw is None:
        return None
    try:
        signed = tlog.parse(raw, CHECKPOINT)
    except Exception as error:  # BadInput: one line
        result.add(str(error), zh_of(error))
        return None
    result.tree_size = signed.size
    if (listed["origin"], listed["tree_size"]) != (signed.checkpoint.origin, signed.size):
        result.add(f"{MANIFEST}: names another checkpoint than {CHECKPOINT}", f"{MANIFEST}：所列检查点与 {CHECKPOINT} 不同")
    names, problem = tlog.log_signers(signed, vkeys)
    if problem:
        result.add(f"{CHECKPOINT}: {problem}", f"{CHECKPOINT}：{zh_of(problem)}")
    result.signers = names
    try:
        result.cosigners = witness.check_quorum(signed.note, witnesses, quorum)
    except NoteError as error:
        result.add(f"{CHECKPOINT}: {error}", f"{CHECKPOINT}：{error.zh}")
    return signed


def _events(members, listed, signed: tlog.Signed | None, result: Result) -> list[tlog.Entry]:
    entries: list[tlog.Entry] = []
    versions = sorted(int(m.group(1)) for m in map(_EVENT.fullmatch, members) if m)
    result.events = len(versions)
    if versions != list(range(1, len(versions) + 1)) or len(versions) != listed["events"]:
        result.add(f"events/: versions {versions[:5]}… are not 1..{listed['events']}",
                   f"events/：版本 {versions[:5]}… 不是 1..{listed['events']}")
    previous = None
    for version in versions:
        path = event_path(version)
        try:
            e = tlog.read_entry(members[path], path)
        except ValueError as error:
            result.add(str(error), zh_of(error))
            previous = None
            continue
        if e.version != version or e.subject != listed["subject"]:
            result.add(f"{path}: is {e.subject} version {e.version}", f"{path}：是 {e.subject} 的版本 {e.version}")
        if entries and e.originator_id != entries[0].originator_id:
            result.add(f"{path}: belongs to another aggregate", f"{path}：属于另一个对象")
        expected = GENESIS if version == 1 else previous
        if expected is not None and e.previous != expected:
            result.add(f"{path}: does not chain to version {version - 1}", f"{path}：未与版本 {version - 1} 相链")
        previous = e.chain_hash
        entries.append(e)
        _proof(members, version, e, signed, result)
    return entries


def _proof(members, version: int, e: tlog.Entry, signed: tlog.Signed | None, result: Result) -> None:
    path = proof_path(version)
    raw = members.get(path)
    if raw is None:
        result.add(f"{path}: missing; {event_path(version)} is not shown to be under the checkpoint",
                   f"{path}：缺失；无法表明 {event_path(version)} 在检查点之下")
        return
    try:
        proof = tlogproof.parse(raw.decode("utf-8"))
    except (UnicodeDecodeError, NoteError) as error:
        result.add(f"{path}: unreadable ({error})", f"{path}：无法读取（{_why(error)}）")
        return
    if signed is None or proof.note.body != signed.note.body:
        result.add(f"{path}: is not under {CHECKPOINT}", f"{path}：不在 {CHECKPOINT} 之下")
        return
    c = signed.checkpoint
    if not merkle.verify_inclusion(e.leaf, proof.index, c.size, list(proof.path), c.root):
        result.add(f"{event_path(version)}: not under the checkpoint ({path} does not lead to its root)",
                   f"{event_path(version)}：不在检查点之下（{path} 推不出其根）")


def _documents(members, entries: list[tlog.Entry], result: Result) -> None:
    recorded: dict[str, list[tuple[int, str]]] = {}
    for e in entries:
        for doc in (e.event or {}).get("documents") or []:
            if isinstance(doc, dict) and isinstance(doc.get("sha256"), str):
                name = str(doc.get("ref", "")).replace("\\", "/").rsplit("/", 1)[-1]
                recorded.setdefault(name, []).append((e.version, doc["sha256"]))
    raw = members.get("documents.json")
    if raw is not None:
        try:
            listed = json.loads(raw.decode("utf-8"))
            for doc in listed:
                name = str(doc["ref"]).replace("\\", "/").rsplit("/", 1)[-1]
                if (doc["version"], doc["sha256"]) not in recorded.get(name, []):
                    result.add(f"documents.json: {doc['ref']} (version {doc['version']}) is not what "
                               "the events recorded", f"documents.json：{doc['ref']}（版本 {doc['version']}）与事件记录的不符")
        except (UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError) as error:
            result.add(f"documents.json: unreadable ({error})", f"documents.json：无法读取（{_why(error)}）")
    for name, data in sorted(members.items()):
        if not name.startswith("documents/"):
            continue
        result.documents += 1
        base = name[len("documents/"):]
        digest = sha256(data).hexdigest()
        wanted = recorded.get(base)
        if not wanted:
            result.add(f"{name}: no event recorded this document", f"{name}：没有事件记录过这份文件")
        elif all(h != digest for _, h in wanted):
            result.add(f"{name}: differs from the SHA-256 recorded in version {wanted[-1][0]}",
                       f"{name}：与版本 {wanted[-1][0]} 记录的 SHA-256 不符")


def verify(data: bytes, vkeys: Iterable[Verifier], witnesses: Iterable[Verifier] = (), quorum: int = 0) -> Result:
    """Check a bundle completely from its bytes and the keys; never touches a store."""
    result = Result()
    members = _members(data, result)
    if members is None:
        return result
    listed = _manifest(members, result)
    if listed is None:
        return result
    result.subject = listed["subject"]
    _files(members, listed, result)
    signed = _checkpoint(members, listed, list(vkeys), list(witnesses), quorum, result)
    entries = _events(members, listed, signed, result)
    _documents(members, entries, result)
    return result
