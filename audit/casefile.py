"""Gather one parcel's case-file bundle (案卷) from the store: its events with their receipts under a
checkpoint, its audit findings, its documents' hashes (and files), its geometry. The printable
case file (HTML) is made by the reports layer and handed in as bytes; events.casebundle packs
and checks the zip.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from events import casebundle, tlog
from events.digests import file_digests
from events.errors import BadInput
from events.ids import aggregate_id


def _documents(entries: list[tuple[int, dict | None]]) -> list[dict]:
    docs = []
    for version, event in entries:
        for doc in (event or {}).get("documents") or []:
            if isinstance(doc, dict) and "sha256" in doc:
                docs.append({"version": version, "title": doc.get("title"), "ref": doc.get("ref"),
                             "sha256": doc["sha256"]})
    return docs


def _document_files(docs: list[dict], folder: Path) -> tuple[dict[str, bytes], list[str]]:
    """documents/<name> -> bytes for each recorded document found in `folder` (by ref, then by file
    name); a found file whose bytes differ from the recorded hash is refused, not packed."""
    files, missing = {}, []
    for doc in docs:
        ref = str(doc["ref"] or "")
        name = ref.replace("\\", "/").rsplit("/", 1)[-1]
        found = next((p for p in (folder / ref, folder / name) if name and p.is_file()), None)
        if found is None:
            missing.append(ref)
            continue
        sha, _sm3 = file_digests(found)
        if sha != doc["sha256"]:
            raise BadInput(f"{found}: differs from the SHA-256 recorded in version {doc['version']}; not packed",
                           f"{found}：与第 {doc['version']} 版记录的 SHA-256 不符，未打包")
        files[f"documents/{name}"] = found.read_bytes()
    return files, missing


def _geometry(key: str, entries: list[tuple[int, dict | None]]) -> bytes | None:
    shape = None
    for _version, event in entries:
        data = (event or {}).get("data")
        if isinstance(data, dict) and isinstance(data.get("geometry"), dict):
            shape = data["geometry"]
    if shape is None:
        return None
    feature = {"type": "Feature", "properties": {"parcel": key}, "geometry": shape}
    return (json.dumps(feature, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def build(ledger, key: str, signed: tlog.Signed, html: bytes, as_of: date, documents: Path | None = None,
          kind: str = "parcel") -> tuple[bytes, dict]:
    """(the zip's bytes, a summary). Every event of the parcel must be under the checkpoint."""
    from audit import service

    ledger.history(kind, key)  # an unknown parcel is refused here, in one line
    oid = aggregate_id(kind, key).hex
    receipts = tlog.Receipts(ledger.raw, signed)
    rows = sorted((r for r in ledger.raw.events_by_aggregate() if r[0] == oid), key=lambda r: r[1])
    late = [r[1] for r in rows if not receipts.covers(oid, r[1])]
    if late:
        span = f"{late[0]}–{late[-1]}" if len(late) > 1 else f"{late[0]}"
        raise BadInput(f"{kind} {key}: version {span} recorded after the checkpoint "
                       f"({signed.size} events); make and cosign a new checkpoint first",
                       f"{kind} {key}：第 {span} 版记录于检查点（{signed.size} 条）之后；"
                       "请先生成并联署新的检查点")
    subject = f"{kind}:{key}"
    files: dict[str, bytes] = {"case.html": html}
    entries: list[tuple[int, dict | None]] = []
    for oid_, version, _nid, topic, state in rows:
        data = receipts.entry(subject, oid_, version, topic, state)
        files[casebundle.event_path(version)] = data
        files[casebundle.proof_path(version)] = receipts.proof(oid_, version).encode("utf-8")
        entries.append((version, tlog.read_entry(data).event))
    outcome = service.run(ledger, as_of, subject=key)
    files["findings.json"] = (json.dumps({"as_of": as_of.isoformat(), "findings": [f.as_dict() for f in outcome.findings]},
                                         ensure_ascii=False, indent=1, default=str) + "\n").encode("utf-8")
    docs = _documents(entries)
    files["documents.json"] = (json.dumps(docs, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    found: dict[str, bytes] = {}
    missing: list[str] = []
    if documents is not None:
        found, missing = _document_files(docs, documents)
        files.update(found)
    geometry = _geometry(key, entries)
    if geometry is not None:
        files["geometry.geojson"] = geometry
    data = casebundle.pack(files, subject, signed, len(rows))
    return data, {"subject": subject, "events": len(rows), "findings": len(outcome.findings),
                  "documents": len(docs), "document_files": len(found),
                  "missing_documents": missing, "geometry": geometry is not None}
