"""Tamper evidence: chains and checkpoints catch and locate every edit, deletion, insertion and swap."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date
from decimal import Decimal
from hashlib import sha256
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import cli
from events import checkpoint as checkpoints
from events import merkle
from events.verify import verify
from samples import scenario
from tests.stores import drop, new_url
from tests.support import Clock, cmd
from workflow.ledger import Ledger

# --- an independent RFC 6962 construction ---------------------------------------

def mth(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) exactly as RFC 6962 §2.1 defines it, over raw leaf data."""
    n = len(leaves)
    if n == 0:
        return sha256(b"").digest()
    if n == 1:
        return sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def rfc_path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return rfc_path(m, leaves[:k]) + [mth(leaves[k:])]
    return rfc_path(m - k, leaves[k:]) + [mth(leaves[:k])]


def rfc_proof(m: int, leaves: list[bytes], complete: bool = True) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [mth(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return rfc_proof(m, leaves[:k], complete) + [mth(leaves[k:])]
    return rfc_proof(m - k, leaves[k:], False) + [mth(leaves[:k])]


data_leaves = st.lists(st.binary(min_size=1, max_size=8), min_size=1, max_size=40)


@given(data_leaves, st.data())
@settings(max_examples=200)
def test_merkle_root_paths_and_proofs_match_rfc_6962(raw, data):
    hashed = [merkle.leaf_hash(x) for x in raw]
    assert merkle.root(hashed) == mth(raw)
    index = data.draw(st.integers(0, len(raw) - 1))
    path = merkle.inclusion_path(hashed, index)
    assert path == rfc_path(index, raw)
    assert merkle.verify_inclusion(hashed[index], index, len(raw), path, mth(raw))
    assert not merkle.verify_inclusion(merkle.leaf_hash(b"forged"), index, len(raw), path, mth(raw))
    old = data.draw(st.integers(1, len(raw)))
    proof = merkle.consistency_proof(hashed, old)
    assert proof == rfc_proof(old, raw)
    assert merkle.verify_consistency(old, len(raw), mth(raw[:old]), mth(raw), proof)
    assert not merkle.verify_consistency(old, len(raw), sha256(b"another root").digest(), mth(raw), proof)


# --- a store to tamper with, on each backend ------------------------------------------

def build(url: str, parcels: int = 2) -> str:
    Ledger(url, create=True).close()
    ledger = Ledger(url, clock=Clock())
    lines = scenario.programme()
    for i in range(parcels):
        lines += scenario.works_life(f"TL-{i}", date(2023, 3, 1), Decimal("6.5") + i, Decimal("100"))
    ledger.execute([cmd(x) for x in lines])
    ledger.close()
    return url


class DB:
    """Direct access to the store's tables, as a database administrator has it."""

    def __init__(self, url: str):
        self.url = url
        self.pg = url.startswith("postgresql://")
        if self.pg:
            from events.store import resolve

            schema = resolve(url).postgres["schema"]
            self.names = {"events": f'"{schema}".minerehab_events', "chain": f'"{schema}".event_chain',
                          "id": "notification_id"}
        else:
            self.names = {"events": "stored_events", "chain": "event_chain", "id": "rowid"}

    def __call__(self, statement: str, params=()):
        statement = statement.format(**self.names)
        if self.pg:
            from events.store import resolve

            with resolve(self.url).connect() as conn:
                cursor = conn.execute(statement.replace("?", "%s"), params)
                rows = cursor.fetchall() if cursor.description else []
            return [tuple(bytes(x) if isinstance(x, memoryview) else (x.hex if hasattr(x, "hex") and not
                          isinstance(x, (bytes, str)) else x) for x in row) for row in rows]
        with closing(sqlite3.connect(self.url)) as conn:
            rows = conn.execute(statement, params).fetchall()
            conn.commit()
        return rows


@pytest.fixture
def tampered(backend, tmp_path):
    url = build(new_url(backend, tmp_path))
    yield url
    drop(url)


def check(url: str, checkpoint=None, key=None):
    ledger = Ledger(url)
    try:
        return verify(ledger.raw, checkpoint, key)
    finally:
        ledger.close()


def located(report) -> set[tuple[str, str, int]]:
    return {(p.kind, p.subject, p.version) for p in report.problems}


def test_a_clean_store_verifies(tampered):
    report = check(tampered)
    assert report.ok and report.events == 2 + 2 * 14 and report.tree_size == report.events


PARCEL_ROWS = "SELECT {id}, originator_id, originator_version FROM {events} WHERE topic LIKE ? ORDER BY {id}"
PARCEL = ("%Parcel.%",)


@given(st.data())
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_row_mutation_is_detected_and_located(backend, tmp_path_factory, data):
    url = build(new_url(backend, tmp_path_factory.mktemp("mutant")))
    sql = DB(url)
    rows = sql(PARCEL_ROWS, PARCEL)
    rowid, oid, version = data.draw(st.sampled_from(rows))
    name = "parcel:TL-0" if oid == rows[0][1] else "parcel:TL-1"
    mutation = data.draw(st.sampled_from(["edit", "delete", "insert", "swap", "move"]))
    if mutation == "edit":
        [(state,)] = sql("SELECT state FROM {events} WHERE {id}=?", (rowid,))
        state = bytearray(state)
        at = data.draw(st.integers(0, len(state) - 1))
        state[at] = (state[at] + data.draw(st.integers(1, 255))) % 256
        sql("UPDATE {events} SET state=? WHERE {id}=?", (bytes(state), rowid))
        expected = {("edited", name, version)}
    elif mutation == "delete":
        sql("DELETE FROM {events} WHERE {id}=?", (rowid,))
        expected = {("deleted", name, version)}
    elif mutation == "insert":
        sql("INSERT INTO {events} (originator_id, originator_version, topic, state) "
            "SELECT originator_id, 99, topic, state FROM {events} WHERE {id}=?", (rowid,))
        expected = {("inserted", name, 99)}
    elif mutation == "swap":
        other = data.draw(st.sampled_from([r for r in rows if r[1] == oid and r[2] != version]))
        a, b = [sql("SELECT state FROM {events} WHERE {id}=?", (r,))[0][0] for r in (rowid, other[0])]
        sql("UPDATE {events} SET state=? WHERE {id}=?", (b, rowid))
        sql("UPDATE {events} SET state=? WHERE {id}=?", (a, other[0]))
        expected = {("reordered", name, version), ("reordered", name, other[2])}
    else:  # move the event to the end of the log
        sql("UPDATE {events} SET {id}=(SELECT max({id})+1 FROM {events}) WHERE {id}=?", (rowid,))
        expected = {("moved", name, version)}
    report = check(url)
    drop(url)
    assert not report.ok
    assert located(report) == expected


def test_a_byte_flipped_in_the_sqlite_file_itself_is_located(tmp_path):
    """SQLite only: the file is the store, so a byte changed on disk is an edit."""
    path = build(str(tmp_path / "store.db"))
    raw = bytearray(Path(path).read_bytes())
    marker = "KC-TL-1".encode()  # the survey contract ref of TL-1 (version 3), stored once in the file
    at = raw.find(marker)
    assert at > 0 and raw.find(marker, at + 1) == -1
    raw[at + 3] ^= 0x01
    Path(path).write_bytes(bytes(raw))
    assert located(check(path)) == {("edited", "parcel:TL-1", 3)}


def signed_checkpoint(url):
    key = checkpoints.Ed25519PrivateKey.generate()
    ledger = Ledger(url)
    leaves = [merkle.leaf_hash(h) for h, _, _ in ledger.raw.leaves()]
    signed = checkpoints.make(ledger.raw.origin(), len(leaves), merkle.root(leaves), key)
    ledger.close()
    return signed, key, len(leaves)


def test_a_rewritten_chain_is_caught_by_the_checkpoint(tampered):
    """A DBA who edits an event and recomputes its chain fools the chains, not the signed root."""
    from events.chain import chain_hash, content_digest

    sql = DB(tampered)
    signed, key, _ = signed_checkpoint(tampered)
    rowid, oid, version = sql(PARCEL_ROWS, PARCEL)[-1]
    [(topic, state)] = sql("SELECT topic, state FROM {events} WHERE {id}=?", (rowid,))
    forged = state.replace(b"TL-1", b"TL-9")
    assert forged != state
    [(prev,)] = sql("SELECT hash FROM {chain} WHERE originator_id=? AND originator_version=?", (oid, version - 1))
    sql("UPDATE {events} SET state=? WHERE {id}=?", (forged, rowid))
    sql("UPDATE {chain} SET content=?, hash=? WHERE originator_id=? AND originator_version=?",
        (content_digest(topic, forged), chain_hash(bytes(prev), oid, version, topic, forged), oid, version))
    assert check(tampered).ok  # the chains alone cannot tell
    report = check(tampered, signed, key.public_key())
    assert [p.kind for p in report.problems] == ["rewritten"]


def test_truncating_the_tail_after_a_checkpoint_is_detected(tampered):
    sql = DB(tampered)
    signed, key, size = signed_checkpoint(tampered)
    sql("DELETE FROM {events} WHERE {id}=(SELECT max({id}) FROM {events})")
    sql("DELETE FROM {chain} WHERE notification_id=(SELECT max(notification_id) FROM {chain})")
    assert check(tampered).ok
    report = check(tampered, signed, key.public_key())
    assert [(p.kind, p.detail) for p in report.problems] == [
        ("truncated", f"it covers {size} events; the store holds {size - 1}")]
    other = checkpoints.Ed25519PrivateKey.generate().public_key()
    assert "signature" in [p.kind for p in check(tampered, signed, other).problems]


# --- the command line ----------------------------------------------------------------

@pytest.fixture
def runner(tmp_path, monkeypatch, tampered):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MINEREHAB_STORE", tampered)
    return CliRunner()


def test_keygen_checkpoint_verify_prove_and_consistency(runner, tmp_path):
    assert runner.invoke(cli, ["keygen", "--out", "a.key"]).exit_code == 0
    assert oct(Path("a.key").stat().st_mode)[-3:] == "600"
    assert runner.invoke(cli, ["checkpoint", "--key", "a.key", "--out", "c1.json", "--format", "json"]).exit_code == 0
    first = json.loads(Path("c1.json").read_text())
    assert set(first) == {"origin", "tree_size", "root", "timestamp", "signature"} and first["tree_size"] == 30
    assert first["origin"].startswith("minerehab/")
    ok = runner.invoke(cli, ["verify", "--checkpoint", "c1.json", "--pubkey", "a.key.pub", "--json"])
    assert ok.exit_code == 0 and json.loads(ok.output)["ok"] is True

    proof = runner.invoke(cli, ["prove", "TL-1", "14", "--checkpoint", "c1.json"])
    assert proof.exit_code == 0, proof.output
    Path("p.json").write_text(proof.output)
    checked = runner.invoke(cli, ["check-proof", "p.json", "--pubkey", "a.key.pub"])
    assert checked.exit_code == 0 and "valid: parcel:TL-1 version 14" in checked.output
    forged = json.loads(proof.output)
    forged["state"] = forged["state"][:-4] + "AAA="
    Path("f.json").write_text(json.dumps(forged))
    bad = runner.invoke(cli, ["check-proof", "f.json"])
    assert bad.exit_code == 1 and "do not give the leaf's chain hash" in bad.output

    runner.invoke(cli, ["do", "log_patrol", "TL-1", "--on", "2024-01-01", "--actor", "镇", "--role", "township",
                        "--set", "findings=ok"])
    runner.invoke(cli, ["checkpoint", "--key", "a.key", "--out", "c2.json", "--format", "json"])
    grew = runner.invoke(cli, ["consistency", "c1.json", "c2.json", "--pubkey", "a.key.pub"])
    assert grew.exit_code == 0 and json.loads(grew.output)["consistent"] is True
    backwards = runner.invoke(cli, ["consistency", "c2.json", "c1.json"])
    assert backwards.exit_code == 1
    assert runner.invoke(cli, ["prove", "TL-1", "15", "--checkpoint", "c1.json"]).exit_code == 2


def test_verify_names_tampering_and_exits_1(runner, tampered):
    DB(tampered)("DELETE FROM {events} WHERE {id}=5")
    result = runner.invoke(cli, ["verify"])
    assert result.exit_code == 1
    assert result.output.startswith("deleted: parcel:TL-0@3: the event is gone")
    assert "TAMPERED: 1 problems" in result.output


def test_documents_are_hashed_and_rechecked(runner, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "YS-1.pdf").write_bytes(b"%PDF acceptance opinion")
    result = runner.invoke(cli, ["do", "attach_document", "TL-1", "--on", "2023-06-01", "--actor", "a", "--role", "nrb",
                                 "--doc", f"验收意见={folder / 'YS-1.pdf'}"])
    assert result.exit_code == 0, result.output
    doc = json.loads(runner.invoke(cli, ["history", "TL-1", "--json"]).output)[-1]["documents"][0]
    assert doc["sha256"] == sha256(b"%PDF acceptance opinion").hexdigest()
    assert runner.invoke(cli, ["verify", "--documents", str(folder)]).exit_code == 0
    (folder / "YS-1.pdf").write_bytes(b"%PDF a different opinion")
    changed = runner.invoke(cli, ["verify", "--documents", str(folder)])
    assert changed.exit_code == 1 and "differs from the sha256 recorded" in changed.output


def test_bad_keys_and_checkpoints_are_one_line(runner, tmp_path):
    Path("junk").write_text("not a key")
    result = runner.invoke(cli, ["checkpoint", "--key", "junk"])
    assert result.exit_code == 2 and "not a usable private key" in result.output
    Path("cp.json").write_text("{}")
    result = runner.invoke(cli, ["verify", "--checkpoint", "cp.json"])
    assert result.exit_code == 2 and "a checkpoint needs origin, root, signature, timestamp, tree_size" in result.output


def test_a_checkpoint_without_its_key_is_said_to_be_unchecked_and_does_not_pass(runner, tmp_path):
    """Anyone can write a checkpoint of the store as it is now: unsigned, it proves nothing."""
    assert runner.invoke(cli, ["keygen", "--out", "x.key"]).exit_code == 0
    assert runner.invoke(cli, ["checkpoint", "--key", "x.key", "--out", "x.json"]).exit_code == 0
    result = runner.invoke(cli, ["verify", "--checkpoint", "x.json"])
    assert result.exit_code == 1 and "NOT its signature" in result.output
    assert runner.invoke(cli, ["verify", "--checkpoint", "x.json", "--unsigned-ok"]).exit_code == 0
    assert runner.invoke(cli, ["verify", "--checkpoint", "x.json", "--pubkey", "x.key.pub"]).exit_code == 0
