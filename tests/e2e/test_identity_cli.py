"""Signing from the command line, as officials do it: keys, init, the registry, do/apply/sign, verify.

Each refusal is one line with exit 2 and leaves the store byte for byte as it was.
"""

from __future__ import annotations

import json
import stat
import sys
import textwrap

import pytest
from click.testing import CliRunner

from cli import cli
from tests.stores import fingerprint

REGISTER = ["do", "register", "TL-1", "--on", "2023-03-01", "--role", "nrb",
            "--set", "name=老风口采坑", "--set", "township=庙尔沟镇", "--set", "area_ha=6.1234"]


@pytest.fixture
def county(tmp_path, monkeypatch, fresh_url):
    """A signed store founded by 张玉峰, with the finance director 张志坚 (SM2) registered."""
    monkeypatch.chdir(tmp_path)
    for name in ("MINEREHAB_KEY", "MINEREHAB_SIGNER", "MINEREHAB_KEY_PASSPHRASE", "MINEREHAB_ACTOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MINEREHAB_STORE", fresh_url)
    run = CliRunner().invoke
    assert run(cli, ["keygen", "--out", "admin.key"]).exit_code == 0
    assert run(cli, ["keygen", "--out", "fin.key", "--algorithm", "sm2"]).exit_code == 0
    assert run(cli, ["init", "--admin", "张玉峰", "--unit", "nrb", "--pubkey", "admin.key.pub", "--on", "2023-01-01"]
               ).exit_code == 0
    result = run(cli, ["person", "add", "张志坚", "--unit", "finance", "--role", "finance", "--pubkey", "fin.key.pub",
                       "--on", "2023-01-02", "--key", "admin.key"])
    assert result.exit_code == 0, result.output
    return fresh_url, tmp_path


def refused(args, url, code=2, env=None):
    before = fingerprint(url)
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == code, result.output
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert fingerprint(url) == before
    return lines[0]


def test_keygen_writes_a_private_key_0600_and_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["keygen", "--out", "k.key"])
    assert result.exit_code == 0 and "BEGIN" not in result.output
    assert stat.S_IMODE((tmp_path / "k.key").stat().st_mode) == 0o600
    assert (tmp_path / "k.key.pub").exists() and (tmp_path / "k.key.vkey").exists()
    before = (tmp_path / "k.key").read_bytes()
    again = CliRunner().invoke(cli, ["keygen", "--out", "k.key"])
    assert again.exit_code == 2 and (tmp_path / "k.key").read_bytes() == before
    (tmp_path / "target").write_text("precious")
    (tmp_path / "link.key").symlink_to(tmp_path / "target")
    assert CliRunner().invoke(cli, ["keygen", "--out", "link.key", "--force"]).exit_code == 2
    assert (tmp_path / "target").read_text() == "precious"


def test_init_needs_an_administrator_or_says_trial(tmp_path, monkeypatch, fresh_url):
    monkeypatch.setenv("MINEREHAB_STORE", fresh_url)
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 2 and "--admin" in result.output and "--unsigned" in result.output
    result = CliRunner().invoke(cli, ["init", "--unsigned"])
    assert result.exit_code == 0 and "UNSIGNED" in result.output
    verified = CliRunner().invoke(cli, ["verify"])
    assert "UNSIGNED" in verified.output


def test_do_signs_with_the_key_and_the_actor_comes_from_it(county):
    url, folder = county
    result = CliRunner().invoke(cli, [*REGISTER, "--key", "admin.key"])
    assert result.exit_code == 0, result.output
    history = json.loads(CliRunner().invoke(cli, ["history", "TL-1", "--json"]).output)
    assert history[0]["actor"] == "张玉峰" and history[0]["signature"]["signer"] == "张玉峰"
    assert "signatures checked" in CliRunner().invoke(cli, ["verify"]).output


@pytest.mark.parametrize("args,message", [
    (REGISTER, "give --key FILE"),
    ([*REGISTER, "--actor", "张玉峰"], "is not signed"),
    ([*REGISTER, "--key", "fin.key"], "does not hold role nrb"),
    ([*REGISTER, "--key", "admin.key", "--actor", "张志坚"], "is not the key's person"),
    ([*REGISTER, "--key", "missing.key"], "missing.key"),
])
def test_unsigned_and_unauthorised_commands_are_refused_in_one_line(county, args, message):
    url, _ = county
    assert message in refused(args, url)


def test_sign_then_apply_and_replays_and_edits_are_refused(county):
    url, folder = county
    (folder / "day.jsonl").write_text(json.dumps(
        {"do": "register", "parcel": "TL-2", "actor": "张玉峰", "role": "nrb", "on": "2023-03-02",
         "data": {"name": "采坑", "township": "庙尔沟镇", "area_ha": 2.5}}, ensure_ascii=False) + "\n", encoding="utf-8")
    signed = CliRunner().invoke(cli, ["sign", "day.jsonl", "--key", "admin.key"])
    assert signed.exit_code == 0, signed.output
    (folder / "signed.jsonl").write_text(signed.stdout, encoding="utf-8")
    edited = signed.stdout.replace("2.5", "25")
    (folder / "edited.jsonl").write_text(edited, encoding="utf-8")
    assert "does not match" in refused(["apply", "edited.jsonl"], url)
    assert CliRunner().invoke(cli, ["apply", "signed.jsonl"]).exit_code == 0
    assert "refused" in refused(["apply", "signed.jsonl"], url)
    assert "is not the key's person" in refused(["apply", "--key", "fin.key", "day.jsonl"], url)


def test_revoked_people_sign_nothing_from_that_date(county):
    url, _ = county
    revoke = CliRunner().invoke(cli, ["person", "revoke", "张志坚", "--on", "2024-01-01", "--key", "admin.key"])
    assert revoke.exit_code == 0, revoke.output
    shown = json.loads(CliRunner().invoke(cli, ["person", "show", "张志坚", "--json"]).output)
    assert shown["state"] == "revoked" and shown["revoked_on"] == "2024-01-01"
    assert CliRunner().invoke(cli, [*REGISTER, "--key", "admin.key"]).exit_code == 0
    pay = ["do", "allocate_funds", "TL-1", "--role", "finance", "--key", "fin.key", "--set", "amount=10",
           "--set", "source=central"]
    assert CliRunner().invoke(cli, [*pay, "--on", "2023-12-31"]).exit_code == 0
    assert "revoked on 2024-01-01" in refused([*pay, "--on", "2024-01-02"], url)


def test_an_external_signer_signs_without_the_key_reaching_minerehab(county):
    url, folder = county
    (folder / "ukey.py").write_text(textwrap.dedent("""
        import base64, sys
        sys.path.insert(0, %r)
        from events.keys import load_private
        print(base64.b64encode(load_private(%r).sign(sys.stdin.buffer.read())).decode())
    """ % (str(__import__("pathlib").Path(__file__).resolve().parents[2]), str(folder / "admin.key"))))
    env = {"MINEREHAB_SIGNER": f"{sys.executable} {folder / 'ukey.py'}"}
    result = CliRunner().invoke(cli, [*REGISTER, "--key", "admin.key.pub"], env=env)
    assert result.exit_code == 0, result.output
    assert "signatures checked" in CliRunner().invoke(cli, ["verify"]).output


def test_an_encrypted_key_is_used_with_its_passphrase(county, monkeypatch):
    url, folder = county
    monkeypatch.setenv("MINEREHAB_KEY_PASSPHRASE", "口令-2023")
    monkeypatch.setattr("events.keys.PBKDF2_ITERATIONS", 1000, raising=False)
    assert CliRunner().invoke(cli, ["keygen", "--out", "locked.key"]).exit_code == 0
    assert b"ENCRYPTED" in (folder / "locked.key").read_bytes()
    monkeypatch.setenv("MINEREHAB_KEY_PASSPHRASE", "wrong")
    assert "locked.key" in refused(["person", "add", "x", "--unit", "nrb", "--role", "nrb", "--pubkey",
                                    "locked.key.pub", "--key", "locked.key"], url)


def test_a_trial_store_says_so_in_every_output_people_read(tmp_path, monkeypatch, fresh_url):
    monkeypatch.setenv("MINEREHAB_STORE", fresh_url)
    run = CliRunner().invoke
    assert "UNSIGNED" in run(cli, ["init", "--unsigned"]).output
    assert "unsigned trial store" in run(cli, [*REGISTER, "--actor", "张玉峰"]).output
    assert "UNSIGNED" in run(cli, ["report", "progress"]).output
    assert "UNSIGNED" in run(cli, ["verify"]).output
    audit = json.loads(run(cli, ["audit", "--json", "--rule", "R24"]).output)
    assert [(f["rule"], f["subject"], f["severity"]) for f in audit["findings"]] == [("R24", "store", "high")]
    page = tmp_path / "page.html"
    assert run(cli, ["report", "html", str(page)]).exit_code == 0
    assert "UNSIGNED trial store" in page.read_text(encoding="utf-8")


def test_the_first_administrator_may_enter_past_work_when_init_names_no_date(tmp_path, monkeypatch, fresh_url):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MINEREHAB_STORE", fresh_url)
    run = CliRunner().invoke
    assert run(cli, ["keygen", "--out", "a.key"]).exit_code == 0
    assert run(cli, ["keygen", "--out", "f.key"]).exit_code == 0
    assert run(cli, ["init", "--admin", "张玉峰", "--unit", "nrb", "--pubkey", "a.key.pub"]).exit_code == 0
    added = run(cli, ["person", "add", "张志坚", "--unit", "finance", "--role", "finance", "--pubkey", "f.key.pub",
                      "--on", "2023-01-05", "--key", "a.key"])
    assert added.exit_code == 0, added.output
    assert run(cli, [*REGISTER, "--key", "a.key"]).exit_code == 0
    assert "signatures checked" in run(cli, ["verify"]).output
    assert json.loads(run(cli, ["audit", "--json", "--rule", "R24"]).output)["findings"] == []
