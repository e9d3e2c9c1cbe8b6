"""Evidence that stands outside the county, end to end: C2SP checkpoints, witnesses, receipts, case bundles.

What the commands write is read back here by hand (hashlib, cryptography's Ed25519, openssl for
SM2, RFC 6962 by its definition, sqlite3 for the store's own rows), not by the product's code.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import sqlite3
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import cli
from events import casebundle, tlog
from tests.unit.test_keys import OPENSSL, SM2_ARGS, needs_sm2_openssl
from tests.unit.test_witness import independent_verify, mth

REPO = Path(__file__).resolve().parents[2]
SM2_TYPE = b"\xff" + b"minerehab/sm2-sm3/v1" + b"\x00"


def run(*args, code=0):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def county(tmp_path, monkeypatch):
    """A SQLite trial store holding the demo parcel (TL-2023-01, 24 events), a log key and two witnesses."""
    monkeypatch.chdir(tmp_path)
    for name in ("MINEREHAB_KEY", "MINEREHAB_SIGNER", "MINEREHAB_KEY_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MINEREHAB_STORE", str(tmp_path / "county.db"))
    run("init", "--unsigned")
    run("apply", REPO / "examples/demo-parcel.jsonl")
    run("keygen", "--out", "county.key", "--name", "tuoli.example/minerehab")
    run("keygen", "--out", "audit.key", "--name", "审计局")
    run("keygen", "--out", "jiwei.key", "--name", "jiwei.example")
    return tmp_path


def store_rows(db: Path):
    con = sqlite3.connect(db)
    origin = con.execute("SELECT value FROM store_info WHERE name='origin'").fetchone()[0]
    chain = [bytes(h) for (h,) in con.execute("SELECT hash FROM event_chain ORDER BY notification_id")]
    con.close()
    return origin, chain


def vkey_by_hand(path: Path) -> tuple[str, bytes, bytes]:
    name, kid, blob = path.read_text().strip().split("+", 2)
    raw = base64.b64decode(blob)
    assert hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex() == kid
    return name, raw[:1] if raw[0] != 0xff else raw[:len(SM2_TYPE)], raw[1:] if raw[0] != 0xff else raw[len(SM2_TYPE):]


def patrol(day: str, parcel: str = "TL-2023-01"):
    run("do", "log_patrol", parcel, "--on", day, "--actor", "镇", "--role", "township", "--set", "findings=ok")


def test_checkpoint_is_a_byte_exact_c2sp_note(county):
    run("checkpoint", "--key", "county.key", "--out", "cp")
    text = Path("cp").read_text()
    origin, chain = store_rows(county / "county.db")
    body = f"{origin}\n{len(chain)}\n{base64.b64encode(mth(chain)).decode()}\n"
    assert text.startswith(body + "\n— tuoli.example/minerehab ") and text.count("\n") == 5
    name, kind, public = vkey_by_hand(Path("county.key.vkey"))
    assert (name, kind) == ("tuoli.example/minerehab", b"\x01")
    assert independent_verify(text, name, public, 1) == 0
    ok = json.loads(run("verify", "--checkpoint", "cp", "--vkey", "county.key.vkey", "--json"))
    assert ok["ok"] and ok["checkpoint_signature_checked"] and ok["checkpoint_format"] == "c2sp"
    assert json.loads(run("verify", "--checkpoint", "cp", "--pubkey", "county.key.pub", "--json"))["ok"]
    assert "NOT its signature" in run("verify", "--checkpoint", "cp", code=1)
    assert "no signature by a known key" in run("verify", "--checkpoint", "cp", "--vkey", "audit.key.vkey", code=1)
    forged = text.replace(f"\n{len(chain)}\n", f"\n{len(chain) - 1}\n")
    Path("forged").write_text(forged)
    assert "does not verify" in run("verify", "--checkpoint", "forged", "--vkey", "county.key.vkey", code=1)


@needs_sm2_openssl
def test_sm2_checkpoints_sign_under_0xff_and_openssl_verifies_them(county):
    run("keygen", "--out", "gm.key", "--algorithm", "sm2", "--name", "tuoli-sm2")
    run("checkpoint", "--key", "gm.key", "--out", "cp")
    text = Path("cp").read_text()
    name, kind, public = vkey_by_hand(Path("gm.key.vkey"))
    assert kind == SM2_TYPE and len(public) == 65
    body, _, line = text.rpartition("\n\n")
    raw = base64.b64decode(line.split(" ")[2])
    assert raw[:4] == hashlib.sha256(name.encode() + b"\n" + SM2_TYPE + public).digest()[:4]
    (county / "body").write_bytes((body + "\n").encode())
    (county / "sig").write_bytes(raw[4:])
    checked = subprocess.run([OPENSSL, "pkeyutl", "-verify", "-pubin", "-inkey", "gm.key.pub", "-in", "body",
                              "-sigfile", "sig", *SM2_ARGS], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert json.loads(run("verify", "--checkpoint", "cp", "--vkey", "gm.key.vkey", "--json"))["ok"]
    # a standard (Ed25519-only) verifier finds no line it knows: the SM2 line is skipped, not misread
    assert independent_verify(text, name, public[:32], 1) is None


def test_witnesses_cosign_extensions_refuse_a_fork_and_verify_counts_the_quorum(county):
    run("checkpoint", "--key", "county.key", "--out", "cp1")
    run("cosign", "cp1", "--key", "audit.key")
    shutil.copy(county / "county.db", county / "fork.db")  # the same origin, before what follows
    patrol("2024-01-01")
    run("checkpoint", "--key", "county.key", "--out", "cp2")
    run("consistency", "cp1", "cp2")
    Path("c12.json").write_text(run("consistency", "cp1", "cp2"))
    run("--store", "", "cosign", "cp2", "--key", "audit.key", "--proof", "c12.json")
    text = Path("cp2").read_text()
    name, _, public = vkey_by_hand(Path("audit.key.vkey"))
    assert independent_verify(text, name, public, 4) > 1_700_000_000
    both = ["verify", "--checkpoint", "cp2", "--vkey", "county.key.vkey", "--witness", "audit.key.vkey",
            "--witness", "jiwei.key.vkey"]
    assert "1 of the witnesses given cosigned (审计局); 2 are required" in run(*both, code=1)
    run(*both, "--quorum", "1")
    run("cosign", "cp2", "--key", "jiwei.key", "--vkey", "county.key.vkey")
    run(*both)
    # the county rewrites its history from a copy: same origin, more events, another past
    run("--store", county / "fork.db", "do", "log_patrol", "TL-2023-01", "--on", "2024-01-02", "--actor", "镇",
        "--role", "township", "--set", "findings=all fine")
    patrol("2024-02-01")  # the real store grows too: sizes alike, histories not
    run("--store", county / "fork.db", "do", "log_patrol", "TL-2023-01", "--on", "2024-02-02", "--actor", "镇",
        "--role", "township", "--set", "findings=ok")
    run("--store", county / "fork.db", "checkpoint", "--key", "county.key", "--out", "forked")
    before = Path("forked").read_bytes(), Path("audit.key.state").read_bytes()
    said = run("--store", county / "fork.db", "cosign", "forked", "--key", "audit.key", code=1)
    assert "refuses to cosign" in said and "history rewritten" in said
    assert (Path("forked").read_bytes(), Path("audit.key.state").read_bytes()) == before
    # a rollback to a checkpoint before the one cosigned is refused too
    assert "rolled back" in run("cosign", "cp1", "--key", "jiwei.key", code=1)
    assert "1 of the witnesses" in run("verify", "--checkpoint", "cp1", "--vkey", "county.key.vkey",
                                       "--witness", "audit.key.vkey", "--witness", "jiwei.key.vkey", code=1)


def test_a_witness_needs_a_proof_when_it_has_no_store(county):
    run("checkpoint", "--key", "county.key", "--out", "cp1")
    run("cosign", "cp1", "--key", "audit.key", "--state", "w.json")
    patrol("2024-01-01")
    run("checkpoint", "--key", "county.key", "--out", "cp2")
    assert "consistency proof from" in run("--store", "", "cosign", "cp2", "--key", "audit.key", "--state", "w.json",
                                           code=2)
    Path("c.json").write_text(run("consistency", "cp1", "cp2").replace('"old_size": ', '"old_size": 1'))
    assert "the witness needs" in run("--store", "", "cosign", "cp2", "--key", "audit.key", "--state", "w.json",
                                      "--proof", "c.json", code=2)
    run("cosign", "cp2", "--key", "audit.key", "--state", "w.json")  # from the store this time
    assert json.loads(Path("w.json").read_text())["logs"]


def test_receipts_are_tlog_proofs_that_carry_the_event(county):
    run("checkpoint", "--key", "county.key", "--out", "cp")
    run("cosign", "cp", "--key", "audit.key")
    proof = run("prove", "TL-2023-01", "3", "--checkpoint", "cp")
    Path("p.tlog-proof").write_text(proof)
    head, _, note_text = proof.partition("\n\n")
    assert note_text == Path("cp").read_text()
    lines = head.split("\n")
    assert lines[0] == "c2sp.org/tlog-proof@v1" and lines[1].startswith("extra ") and lines[2].startswith("index ")
    event = json.loads(base64.b64decode(lines[1][6:]))
    index = int(lines[2][6:])
    _, chain = store_rows(county / "county.db")
    topic = event["topic"].encode()
    by_hand = hashlib.sha256(bytes.fromhex(event["previous"]) + event["originator_id"].encode()
                             + struct.pack(">Q", 3) + struct.pack(">I", len(topic)) + topic
                             + event["stored"].encode()).digest()
    assert by_hand == chain[index] and event["event"]["trigger"] == "commission_survey"
    said = run("check-proof", "p.tlog-proof", "--vkey", "county.key.vkey", "--witness", "audit.key.vkey")
    assert said.startswith("valid: parcel:TL-2023-01 version 3") and "cosigned by 审计局" in said
    run("check-proof", "p.tlog-proof", "--vkey", "county.key.vkey", "--witness", "jiwei.key.vkey", code=1)
    Path("other.tlog-proof").write_text(proof.replace(f"index {index}\n", f"index {index + 1}\n"))
    assert "INVALID" in run("check-proof", "other.tlog-proof", "--vkey", "county.key.vkey", code=1)
    assert "--vkey" in run("check-proof", "p.tlog-proof", code=2)


@pytest.fixture
def bundle(county):
    docs = county / "scans"
    docs.mkdir()
    (docs / "YS-1.pdf").write_bytes(b"%PDF acceptance opinion")
    run("do", "attach_document", "TL-2023-01", "--on", "2023-06-01", "--actor", "a", "--role", "nrb",
        "--doc", f"验收意见={docs / 'YS-1.pdf'}")
    run("checkpoint", "--key", "county.key", "--out", "cp")
    run("cosign", "cp", "--key", "audit.key")
    said = run("case", "export", "TL-2023-01", "--checkpoint", "cp", "--output", "case.zip", "--documents", docs)
    assert "25 events" in said and "1 files packed" in said
    (county / "county.db").rename(county / "elsewhere.db")  # verifying needs no store
    return county / "case.zip"


def test_a_case_bundle_verifies_without_the_store(bundle):
    names = zipfile.ZipFile(bundle).namelist()
    assert {"MANIFEST.json", "README.txt", "checkpoint.txt", "case.html", "findings.json", "documents.json",
            "documents/YS-1.pdf", "events/v0001.json", "proofs/v0025.tlog-proof"} <= set(names)
    manifest = json.loads(zipfile.ZipFile(bundle).read("MANIFEST.json"))
    for row in manifest["files"]:
        data = zipfile.ZipFile(bundle).read(row["path"])
        assert row["sha256"] == hashlib.sha256(data).hexdigest() and row["size"] == len(data)
    if OPENSSL and subprocess.run([OPENSSL, "dgst", "-sm3", "/dev/null"], capture_output=True).returncode == 0:
        row = next(r for r in manifest["files"] if r["path"] == "documents/YS-1.pdf")
        (bundle.parent / "doc").write_bytes(zipfile.ZipFile(bundle).read(row["path"]))
        said = subprocess.run([OPENSSL, "dgst", "-sm3", "-r", bundle.parent / "doc"], capture_output=True, text=True)
        assert said.stdout.split()[0] == row["sm3"]  # the manifest's SM3, as OpenSSL computes it
    readme = zipfile.ZipFile(bundle).read("README.txt").decode()
    assert "案卷核验说明" in readme and "How to verify" in readme
    said = run("case", "verify", bundle, "--vkey", "county.key.vkey", "--witness", "audit.key.vkey")
    assert said.startswith("valid: parcel:TL-2023-01: 25 events") and "cosigned by 审计局" in said
    assert "2 are required" in run("case", "verify", bundle, "--vkey", "county.key.vkey", "--witness",
                                   "audit.key.vkey", "--witness", "jiwei.key.vkey", code=1)


def rezip(bundle: Path, change) -> bytes:
    """The bundle with its members passed through change(name, data) -> data or None (dropped)."""
    out = io.BytesIO()
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = change(name, src.read(name))
            if data is not None:
                dst.writestr(name, data)
        extra = change("extra.txt", None)
        if extra is not None:
            dst.writestr("extra.txt", extra)
    return out.getvalue()


def verified(data: bytes, folder: Path):
    keys = [tlog.load_verifier(folder / "county.key.vkey")]
    return casebundle.verify(data, keys, [tlog.load_verifier(folder / "audit.key.vkey")], 1)


def test_missing_added_and_forged_files_are_named(bundle):
    folder = bundle.parent
    gone = verified(rezip(bundle, lambda n, d: None if n == "events/v0003.json" else d), folder)
    assert "events/v0003.json: missing (listed in MANIFEST.json)" in gone.problems
    added = verified(rezip(bundle, lambda n, d: b"x" if n == "extra.txt" else d), folder)
    assert added.problems == ["extra.txt: added (not in MANIFEST.json)"]
    # a forger who rewrites an event and then the manifest too is still caught: it is not under the checkpoint
    with zipfile.ZipFile(bundle) as z:
        files = {n: z.read(n) for n in z.namelist() if n not in ("MANIFEST.json", "README.txt", "checkpoint.txt")}
        signed = tlog.parse(z.read("checkpoint.txt"))
    record = json.loads(files["events/v0003.json"])
    record["stored"] = record["stored"].replace("commission_survey", "commission_surveY")
    record["event"] = json.loads(record["stored"])
    from events.canonical import canonical

    files["events/v0003.json"] = canonical(record)
    forged = verified(casebundle.pack(files, "parcel:TL-2023-01", signed, 25), folder)
    assert any(p.startswith("events/v0003.json: not under the checkpoint") for p in forged.problems)
    assert "events/v0004.json: does not chain to version 3" in forged.problems
    Path("forged.zip").write_bytes(casebundle.pack(files, "parcel:TL-2023-01", signed, 25))
    assert "not under the checkpoint" in run("case", "verify", "forged.zip", "--vkey", folder / "county.key.vkey",
                                             code=1)


def test_a_key_without_a_vkey_signs_under_its_file_name_if_that_can_be_a_name(county):
    shutil.copy("county.key", "a+b.pem")
    assert "cannot name a signature" in run("checkpoint", "--key", "a+b.pem", "--out", "x", code=2)
    shutil.copy("county.key", "plain.pem")
    run("checkpoint", "--key", "plain.pem", "--out", "x")
    assert "\n— plain.pem " in Path("x").read_text()
    sm2 = run("keygen", "--out", "gm.key", "--algorithm", "sm2")
    assert sm2 and "Ed25519 keys only" in run("cosign", "x", "--key", "gm.key", code=2)


def test_export_refuses_events_after_the_checkpoint_and_unknown_parcels(county):
    run("checkpoint", "--key", "county.key", "--out", "cp")
    patrol("2024-01-01")
    assert "version 25 recorded after the checkpoint" in run("case", "export", "TL-2023-01", "--checkpoint", "cp",
                                                             "--output", "c.zip", code=2)
    assert "unknown parcel" in run("case", "export", "TL-9", "--checkpoint", "cp", "--output", "c.zip", code=2)
    assert not Path("c.zip").exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(0, 10_000), position=st.integers(0, 10**9), delta=st.integers(1, 255))
def test_any_changed_byte_of_any_bundle_file_is_detected_offline(bundle, which, position, delta):
    folder = bundle.parent
    names = sorted(zipfile.ZipFile(bundle).namelist())
    target = names[which % len(names)]

    def change(name, data):
        if name != target or data is None:
            return data
        if not data:
            return b"\x00"
        i = position % len(data)
        return data[:i] + bytes([data[i] ^ delta]) + data[i + 1:]

    result = verified(rezip(bundle, change), folder)
    assert not result.ok
    assert any(target in p for p in result.problems), (target, result.problems)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(0, 10**9), delta=st.integers(1, 255))
def test_any_changed_byte_of_the_zip_itself_is_detected_or_harmless(bundle, position, delta):
    data = bundle.read_bytes()
    i = position % len(data)
    damaged = data[:i] + bytes([data[i] ^ delta]) + data[i + 1:]
    result = verified(damaged, bundle.parent)
    if result.ok:  # only bytes no reader looks at (zip metadata such as times or comments) may change
        with zipfile.ZipFile(io.BytesIO(damaged)) as z:
            assert {n: z.read(n) for n in z.namelist()} == {n: zipfile.ZipFile(bundle).read(n)
                                                            for n in zipfile.ZipFile(bundle).namelist()}


def test_the_whole_round_on_each_backend(tmp_path, monkeypatch, fresh_url):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MINEREHAB_STORE", fresh_url)
    run("init", "--unsigned")
    run("apply", REPO / "examples/demo-parcel.jsonl")
    run("keygen", "--out", "k", "--algorithm", "sm2")
    run("keygen", "--out", "w")
    run("checkpoint", "--key", "k", "--out", "cp")
    run("cosign", "cp", "--key", "w")
    assert "(cosigned by w)" in run("verify", "--checkpoint", "cp", "--vkey", "k.vkey", "--witness", "w.vkey")
    Path("p").write_text(run("prove", "TL-2023-01", "5", "--checkpoint", "cp"))
    assert run("check-proof", "p", "--vkey", "k.vkey").startswith("valid: parcel:TL-2023-01 version 5")
    run("case", "export", "TL-2023-01", "--checkpoint", "cp", "--output", "c.zip")
    assert "24 events" in run("case", "verify", "c.zip", "--vkey", "k.vkey", "--witness", "w.vkey")
    run("witness", "record", "cp", "--vkey", "k.vkey", "--witness", "w.vkey", "--actor", "张三", "--role", "nrb")
    assert [r["witness"] for r in json.loads(run("witness", "list", "--json"))] == ["w"]
    assert "1 recorded cosignature rechecked (w@38)" in run("verify")
    result = CliRunner().invoke(cli, ["--lang", "zh", "verify"])
    assert result.exit_code == 0 and "已复核 1 个已记录的见证联署（w@38）" in result.output


HOSTILE = {"garbage": b"garbage", "not-utf8": b"\xff\xfe\x00", "empty": b"", "json-list": b"[1, 2]",
           "half-note": b"origin\n3\n\n\xe2\x80\x94 k AAAA\n"}


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_files_are_one_line_and_change_nothing(county, body):
    from tests.stores import fingerprint

    run("checkpoint", "--key", "county.key", "--out", "cp")
    Path("bad").write_bytes(body)
    url = str(county / "county.db")
    for args, code in [(["cosign", "bad", "--key", "audit.key"], 2),
                       (["cosign", "cp", "--key", "audit.key", "--state", "bad"], 2),
                       (["verify", "--checkpoint", "bad", "--vkey", "county.key.vkey"], 2),
                       (["verify", "--checkpoint", "cp", "--vkey", "bad"], 2),
                       (["prove", "TL-2023-01", "1", "--checkpoint", "bad"], 2),
                       (["check-proof", "bad", "--vkey", "county.key.vkey"], 2),
                       (["case", "export", "TL-2023-01", "--checkpoint", "bad", "--output", "x.zip"], 2),
                       (["case", "verify", "bad", "--vkey", "county.key.vkey"], 1),
                       (["case", "verify", "cp", "--vkey", "bad"], 2)]:
        before = fingerprint(url), Path("cp").read_bytes()
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == code, (args, result.output)
        assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception,
                                                                                              SystemExit), args
        lines = [x for x in result.output.splitlines() if x.strip()]
        assert 1 <= len(lines) <= 2, (args, result.output)
        assert (fingerprint(url), Path("cp").read_bytes()) == before
        assert not Path("x.zip").exists()


def test_consistency_gives_each_problem_in_chinese_beside_the_english(county):
    """Scripts read `problems`; an official with --lang zh reads `problems_zh`, the same problems in the same order."""
    from tests.e2e.test_zh import english_words

    run("checkpoint", "--key", "county.key", "--out", "cp1")
    patrol("2024-01-01")
    run("checkpoint", "--key", "county.key", "--out", "cp2")
    assert json.loads(run("consistency", "cp1", "cp2"))["problems_zh"] == []
    out = json.loads(run("--lang", "zh", "consistency", "cp2", "cp1", "--vkey", "audit.key.vkey", code=1))
    assert out["consistent"] is False and len(out["problems_zh"]) == len(out["problems"]) == 3
    old, new = tlog.read("cp1").size, tlog.read("cp2").size
    assert out["problems"][0] == f"sizes {new} → {old} do not fit a store of {new}"
    assert out["problems_zh"][0] == f"大小 {new} → {old} 与存有 {new} 条事件的存储不符"
    assert out["problems"][1:] == [f"the {w} checkpoint's signature does not verify" for w in ("old", "new")]
    assert [english_words(p) for p in out["problems_zh"]] == [[], [], []]
