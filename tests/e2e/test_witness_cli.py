"""`minerehab witness record|list` and `verify` over recorded cosignatures, end to end through the CLI:
cosign → witness record → witness list → verify, until an insider rewrites what the witnesses cosigned."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from tests.e2e import test_evidence_cli
from tests.e2e.test_evidence_cli import HOSTILE, patrol, run
from tests.e2e.test_zh import english_words
from tests.integration.test_witnessing import rewrite
from tests.stores import fingerprint

county = test_evidence_cli.county  # the same store, keys and witnesses as the evidence tests

RECORD = ("witness", "record", "cp", "--vkey", "county.key.vkey", "--actor", "张三", "--role", "nrb")


def cosigned(*keys: str, out: str = "cp", state: str | None = None) -> None:
    run("checkpoint", "--key", "county.key", "--out", out)
    for key in keys:
        run("cosign", out, "--key", key, *(["--state", state + key] if state else []))


def test_cosign_record_list_and_verify_until_history_is_rewritten(county):
    cosigned("audit.key", "jiwei.key")
    said = run(*RECORD, "--witness", "audit.key.vkey", "--witness", "jiwei.key.vkey", "--reason", "年终审计")
    assert said.count("recorded witness ") == 2 and "at 38 events" in said and "[unsigned trial store]" in said
    assert "already recorded: witness 审计局's cosignature of 38 events" in run(*RECORD, "--witness", "audit.key.vkey")
    patrol("2024-01-01")  # the 41st event, after the two records
    cosigned("audit.key", out="cp")  # the audit bureau cosigns the extension too
    run(*RECORD, "--witness", "audit.key.vkey")
    rows = json.loads(run("witness", "list", "--json"))
    assert [(r["witness"], r["size"]) for r in rows] == [("审计局", 41), ("jiwei.example", 38), ("审计局", 38)]  # later first
    assert rows[2]["actor"] == "张三" and rows[2]["role"] == "nrb" and rows[2]["witness_key"].startswith("审计局+")
    assert rows[2]["cosignature"].startswith("— 审计局 ")
    assert rows[2]["cosignature"] + "\n" not in Path("cp").read_text()  # that line was over the 38-event checkpoint
    listed = run("witness", "list").splitlines()
    assert listed[0].split() == ["tree", "size", "witness", "cosigned", "at", "root", "recorded", "by", "on"]
    assert listed[2].split()[:2] == ["41", "审计局"] and "张三 (nrb)" in listed[2]
    assert base64.b64decode(rows[0]["root"]).hex()[:16] + "…" in listed[2] and " UTC " in listed[2]
    zh = run("--lang", "zh", "witness", "list")
    assert zh.startswith("树大小") and "张三（自然资源局）" in zh and not english_words(zh)
    said = run("verify")
    assert said.startswith("ok:") and "3 recorded cosignatures rechecked (审计局@38, jiwei.example@38, 审计局@41)" in said
    patrol("2024-02-01")  # appends keep it passing
    assert run("verify").startswith("ok:")
    rewrite(str(county / "county.db"), 40)  # the 41st event: only the cosignature of 41 events covers it
    said = run("verify", code=1)
    assert "witnessed: witness 审计局: the first 41 events no longer have the root witness 审计局 cosigned" in said
    assert "first 38 events" not in said
    rewrite(str(county / "county.db"), 3)
    said = run("verify", "--json", code=1)
    named = {(p["subject"], p["detail"].split(" events")[0]) for p in json.loads(said)["problems"]
             if p["kind"] == "witnessed"}
    assert named == {("witness 审计局", "the first 41"), ("witness 审计局", "the first 38"),
                     ("witness jiwei.example", "the first 38")}


def test_a_checkpoint_of_another_history_is_exit_1_and_changes_nothing(county):
    shutil.copy(county / "county.db", county / "fork.db")  # the same origin, then another history
    patrol("2024-01-01")
    fork = ["--store", str(county / "fork.db")]
    run(*fork, "do", "log_patrol", "TL-2023-01", "--on", "2024-03-03", "--actor", "镇", "--role", "township",
        "--set", "findings=另一段历史")
    run(*fork, "checkpoint", "--key", "county.key", "--out", "cp")
    run(*fork, "cosign", "cp", "--key", "audit.key", "--state", "fork.state")
    url = str(county / "county.db")
    before = fingerprint(url)
    said = run(*RECORD, "--witness", "audit.key.vkey", code=1)
    assert "not this log's history" in said and "审计局" in said and "39 events" in said
    zh = run("--lang", "zh", *RECORD, "--witness", "audit.key.vkey", code=1)
    assert "不是本日志的历史" in zh and not english_words(zh)
    for _ in range(2):
        run(*fork, "do", "log_patrol", "TL-2023-01", "--on", "2024-03-04", "--actor", "镇", "--role", "township",
            "--set", "findings=更长")
    run(*fork, "checkpoint", "--key", "county.key", "--out", "cp")
    run(*fork, "cosign", "cp", "--key", "audit.key", "--state", "fork.state")
    assert "the log holds 39" in run(*RECORD, "--witness", "audit.key.vkey", code=1)
    assert fingerprint(url) == before


def test_bad_files_and_sm2_witness_keys_are_exit_2_and_change_nothing(county):
    run("keygen", "--out", "gm.key", "--algorithm", "sm2", "--name", "国密见证")
    run("checkpoint", "--key", "county.key", "--format", "json", "--out", "old.json")
    cosigned("audit.key")
    url = str(county / "county.db")
    before = fingerprint(url)
    for body in HOSTILE.values():
        Path("bad").write_bytes(body)
        run(*RECORD[:2], "bad", *RECORD[3:], "--witness", "audit.key.vkey", code=2)
        run(*RECORD, "--witness", "bad", code=2)
    assert "carries no cosignatures" in run(*RECORD[:2], "old.json", *RECORD[3:], "--witness", "audit.key.vkey", code=2)
    assert "log's signature does not verify" in run(*RECORD[:3], "--vkey", "audit.key.vkey", *RECORD[5:],
                                                    "--witness", "audit.key.vkey", code=2)
    assert "jiwei.example" in run(*RECORD, "--witness", "audit.key.vkey", "--witness", "jiwei.key.vkey", code=2)
    assert "Ed25519 keys only" in run(*RECORD, "--witness", "gm.key.vkey", code=2)
    assert "Ed25519 keys only" in run("cosign", "cp", "--key", "gm.key", code=2)
    for args in ([*RECORD, "--witness", "gm.key.vkey"], ["cosign", "cp", "--key", "gm.key"]):
        zh = run("--lang", "zh", *args, code=2)
        assert "仅适用于 Ed25519" in zh and not english_words(zh), zh
    forged = Path("cp").read_text().replace("— 审计局 ", "— 审计局 A", 1)
    Path("forged").write_text(forged)
    run(*RECORD[:2], "forged", *RECORD[3:], "--witness", "audit.key.vkey", code=2)
    assert fingerprint(url) == before and "cosigned" not in run("witness", "list")


def test_a_hand_made_line_is_checked_like_the_command(county):
    cosigned("audit.key")
    run(*RECORD, "--witness", "audit.key.vkey")
    [row] = json.loads(run("witness", "list", "--json"))
    data = {k: row[k] for k in ("size", "root", "witness", "key_id", "cosigned_at", "cosignature", "witness_key")}
    line = {"do": "record_cosignature", "witnessing": row["origin"], "actor": "张三", "role": "nrb", "on": row["on"]}
    Path("moved.jsonl").write_text(json.dumps({**line, "data": {**data, "cosigned_at": data["cosigned_at"] + 1}},
                                              ensure_ascii=False) + "\n")
    assert "the witness, key id or time recorded are not those of the cosignature line" in run(
        "apply", "moved.jsonl", code=2)
    zh = run("--lang", "zh", "apply", "moved.jsonl", code=2)
    assert "联署无法核验" in zh and not english_words(zh), zh
    Path("again.jsonl").write_text(json.dumps({**line, "data": data}, ensure_ascii=False) + "\n")
    assert "already recorded" in run("apply", "again.jsonl", code=2)
    assert len(json.loads(run("witness", "list", "--json"))) == 1


@pytest.fixture
def signed_county(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("MINEREHAB_KEY", "MINEREHAB_SIGNER", "MINEREHAB_KEY_PASSPHRASE", "MINEREHAB_ACTOR", "MINEREHAB_ROLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MINEREHAB_STORE", str(tmp_path / "county.db"))
    run("keygen", "--out", "admin.key")
    run("init", "--admin", "张玉峰", "--unit", "nrb", "--pubkey", "admin.key.pub", "--on", "2023-01-01")
    run("keygen", "--out", "county.key", "--name", "tuoli.example/minerehab")
    run("keygen", "--out", "audit.key", "--name", "审计局")
    return tmp_path


def test_in_a_signed_store_the_record_is_signed_like_any_command(signed_county):
    cosigned("audit.key")
    url = str(signed_county / "county.db")
    before = fingerprint(url)
    base = ["witness", "record", "cp", "--vkey", "county.key.vkey", "--witness", "audit.key.vkey", "--role", "nrb"]
    assert "not signed" in run(*base, "--actor", "张玉峰", code=2)
    assert "is not the key's person" in run(*base, "--actor", "王五", "--key", "admin.key", code=2)
    assert fingerprint(url) == before
    said = run(*base, "--key", "admin.key", "--on", "2024-12-31")
    assert said.startswith("recorded witness 审计局's cosignature") and "trial" not in said
    [row] = json.loads(run("witness", "list", "--json"))
    assert (row["actor"], row["on"]) == ("张玉峰", "2024-12-31")
    report = json.loads(run("verify", "--json"))
    assert report["ok"] and report["signatures_checked"] == 1 and report["witnessed"] == [{"witness": "审计局",
                                                                                           "size": 1}]


def test_the_kept_audit_and_the_log_read_witnessing_like_any_record(county):
    def audited(*args):
        result = CliRunner().invoke(cli, ["audit", *args])
        assert result.exit_code in (0, 1) and result.exception is None or isinstance(result.exception, SystemExit)
        return result.exit_code, result.output.splitlines()[-1]

    audited("--state", "kept.db")
    cosigned("audit.key")
    zh = run("--lang", "zh", *RECORD, "--witness", "audit.key.vkey")
    assert zh.startswith("已记录见证方 审计局 对 ") and "前 38 条事件的联署" in zh and not english_words(zh), zh
    zh = run("--lang", "zh", *RECORD, "--witness", "audit.key.vkey")
    assert "此前已记录：见证方 审计局 对 38 条事件的联署" in zh and not english_words(zh), zh
    again, whole = audited("--state", "kept.db"), audited()  # a re-audit reads the witnessing event like any other
    assert again == whole and "39 events" in whole[1]
    assert "witnessing " in run("log").splitlines()[-2]
    zh = run("--lang", "zh", "log")
    assert "见证 " in zh and "记录见证联署" in zh and not english_words(zh)
