"""Tamper evidence: chains and checkpoints catch and locate every edit, deletion, insertion and swap."""

from __future__ import annotations

import gc
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
from events.errors import Tampered
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
                          "checkpoints": f'"{schema}".checkpoints', "id": "notification_id"}
        else:
            self.names = {"events": "stored_events", "chain": "event_chain", "checkpoints": "checkpoints", "id": "rowid"}

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


def tamper(sql: DB, mutation: str, rowid: int, other: int | None = None, forge=None) -> None:
    """One DBA's change to the event stored at `rowid`: its state forged (`edit`, `forge(state)`), the row deleted,
    a copy inserted as version 99, its state swapped with the row at `other`'s, or the row moved to the log's end."""
    if mutation == "edit":
        [(state,)] = sql("SELECT state FROM {events} WHERE {id}=?", (rowid,))
        sql("UPDATE {events} SET state=? WHERE {id}=?", (forge(bytes(state)), rowid))
    elif mutation == "delete":
        sql("DELETE FROM {events} WHERE {id}=?", (rowid,))
    elif mutation == "insert":
        sql("INSERT INTO {events} (originator_id, originator_version, topic, state) "
            "SELECT originator_id, 99, topic, state FROM {events} WHERE {id}=?", (rowid,))
    elif mutation == "swap":
        a, b = [sql("SELECT state FROM {events} WHERE {id}=?", (r,))[0][0] for r in (rowid, other)]
        sql("UPDATE {events} SET state=? WHERE {id}=?", (b, rowid))
        sql("UPDATE {events} SET state=? WHERE {id}=?", (a, other))
    elif mutation == "move":
        sql("UPDATE {events} SET {id}=(SELECT max({id})+1 FROM {events}) WHERE {id}=?", (rowid,))
    else:
        raise ValueError(mutation)


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
    mutation = data.draw(st.sampled_from(["edit", "delete", "insert", "swap", "move", "drop"]))
    if mutation == "drop":  # every event of the parcel gone, its chain left behind
        sql("DELETE FROM {events} WHERE originator_id=?", (oid,))
        expected = {("deleted", name, v) for _, o, v in rows if o == oid}
    else:
        at, by = data.draw(st.integers(0, 10**6)), data.draw(st.integers(1, 255))
        other = data.draw(st.sampled_from([r for r in rows if r[1] == oid and r[2] != version]))

        def forge(state: bytes) -> bytes:  # one byte anywhere changed
            state = bytearray(state)
            state[at % len(state)] = (state[at % len(state)] + by) % 256
            return bytes(state)

        tamper(sql, mutation, rowid, other[0], forge)
        expected = {"edit": {("edited", name, version)}, "delete": {("deleted", name, version)},
                    "insert": {("inserted", name, 99)}, "move": {("moved", name, version)},
                    "swap": {("reordered", name, version), ("reordered", name, other[2])}}[mutation]
    report = check(url)
    ledger = Ledger(url)
    try:  # the audit reads by aggregate: any change to what an aggregate holds stops it (a move is verify's to name)
        with ledger.raw.snapshot():
            if mutation == "move":
                list(ledger.raw.verified_events())
            else:
                with pytest.raises(Tampered):
                    list(ledger.raw.verified_events())
    finally:
        ledger.close()
    drop(url)
    assert not report.ok
    assert located(report) == expected


def test_a_topic_edited_into_a_blob_with_its_state_is_named_not_a_crash(tampered):
    """SQLite lets a DBA store any type in any column: verify names the edit (its quick loop hands the aggregate
    to the one that names problems instead of encoding a topic that is no longer text)."""
    if tampered.startswith("postgresql"):
        pytest.skip("PostgreSQL's columns keep their types")
    sql = DB(tampered)
    rowid, oid, version = sql(PARCEL_ROWS, PARCEL)[3]
    sql("UPDATE {events} SET topic=CAST(topic AS BLOB), state=X'7b7d' WHERE {id}=?", (rowid,))
    report = check(tampered)
    assert not report.ok and ("edited", "parcel:TL-0", version) in located(report)


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
    ledger.raw.record_checkpoint(signed)  # as `minerehab checkpoint` does: the store remembers what it signed
    ledger.close()
    return signed, key, len(leaves)


def relink(sql) -> None:
    """What a DBA who rewrites history must also do: recompute every log-wide link from the start."""
    from events.chain import log_hash

    previous = None
    for nid, head in sql("SELECT notification_id, hash FROM {chain} ORDER BY notification_id"):
        previous = log_hash(previous, nid, bytes(head))
        sql("UPDATE {chain} SET log_hash=? WHERE notification_id=?", (previous, nid))


@given(st.data())
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_an_event_deleted_from_both_tables_is_named_without_any_checkpoint(backend, tmp_path_factory, data):
    url = build(new_url(backend, tmp_path_factory.mktemp("both")))
    sql = DB(url)
    rows = sql("SELECT notification_id, originator_id, originator_version FROM {chain} ORDER BY notification_id")
    nid, oid, version = data.draw(st.sampled_from(rows[:-1]))  # the newest row's removal needs a checkpoint
    sql("DELETE FROM {events} WHERE {id}=?", (nid,))
    sql("DELETE FROM {chain} WHERE notification_id=?", (nid,))
    report = check(url)
    drop(url)
    after = rows[rows.index((nid, oid, version)) + 1]
    assert ("log", after[2]) in {(p.kind, p.version) for p in report.problems}, report.problems
    assert f"before event {after[0]}" in " ".join(p.detail for p in report.problems)


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
    assert {p.kind for p in check(tampered).problems} == {"log", "rewritten"}
    relink(sql)  # he recomputes the log-wide chain too
    assert [p.kind for p in check(tampered).problems] == ["rewritten"]  # the store's own checkpoint tells
    sql("DELETE FROM {checkpoints}")
    assert check(tampered).ok  # once he wipes that too, the chains alone cannot tell
    report = check(tampered, signed, key.public_key())
    assert [p.kind for p in report.problems] == ["rewritten", "forgotten"]  # the kept one can


def test_truncating_the_tail_after_a_checkpoint_is_detected(tampered):
    sql = DB(tampered)
    signed, key, size = signed_checkpoint(tampered)
    sql("DELETE FROM {events} WHERE {id}=(SELECT max({id}) FROM {events})")
    sql("DELETE FROM {chain} WHERE notification_id=(SELECT max(notification_id) FROM {chain})")
    assert [p.kind for p in check(tampered).problems] == ["truncated"]  # the store's own checkpoint
    sql("DELETE FROM {checkpoints}")
    assert check(tampered).ok
    report = check(tampered, signed, key.public_key())
    assert [(p.kind, p.detail) for p in report.problems] == [
        ("truncated", f"it covers {size} events; the store holds {size - 1}"),
        ("forgotten", "the store no longer remembers this checkpoint it signed")]
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
    assert "TAMPERED: 1 problem:" in result.output


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


def test_verify_documents_reads_nothing_outside_the_folder(runner, tmp_path):
    folder, outside = tmp_path / "docs", tmp_path / "private"
    folder.mkdir()
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(b"not the county's")
    (folder / "link.pdf").symlink_to(outside / "secret.pdf")
    for ref in (str(outside / "secret.pdf"), "../private/secret.pdf", "link.pdf"):
        done = runner.invoke(cli, ["do", "attach_document", "TL-1", "--on", "2023-06-01", "--actor", "a", "--role", "nrb",
                                   "--doc", f"x={ref}:{sha256(b'other').hexdigest()}"])
        assert done.exit_code == 0, done.output
    result = runner.invoke(cli, ["verify", "--documents", str(folder)])
    assert result.exit_code == 1
    assert result.output.count("points outside") == 3 and "differs" not in result.output, result.output


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


# --- the audit reads only a log whose chains hold ---------------------------------------

def forge_last_parcel_event(url: str) -> str:
    """A DBA's edit of one stored event (not its chain): the audit must not read it as history."""
    sql = DB(url)
    rowid, _oid, version = sql(PARCEL_ROWS, PARCEL)[-1]
    [(state,)] = sql("SELECT state FROM {events} WHERE {id}=?", (rowid,))
    forged = bytes(state).replace(b'"_data_":"20', b'"_data_":"19', 1)  # its business date, a century back
    assert forged != bytes(state)
    sql("UPDATE {events} SET state=? WHERE {id}=?", (forged, rowid))
    return f"parcel:TL-1@{version}"


@pytest.mark.parametrize("lang,word", [("en", "TAMPERED"), ("zh", "已被篡改")])
def test_the_audit_of_an_edited_log_is_exit_1_naming_the_edit_never_a_clean_bill(runner, tampered, lang, word):
    assert "hash chains checked" in runner.invoke(cli, ["audit"]).output
    where = forge_last_parcel_event(tampered)
    for extra in ([], ["--format", "json"], ["--subject", "TL-1"]):
        result = runner.invoke(cli, ["--lang", lang, "audit", *extra])
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and word in lines[0] and where in lines[0] and "Traceback" not in result.output
    assert gc.isenabled()  # the audit folds with the cycle collector off, and turns it back on when it stops


def test_a_kept_audit_checks_the_events_it_reads_since(runner, tampered, tmp_path):
    state = str(tmp_path / "audit-state.db")
    assert runner.invoke(cli, ["audit", "--state", state]).exit_code in (0, 1)
    ledger = Ledger(tampered)
    ledger.execute([cmd(scenario.command("log_patrol", "TL-1", date(2024, 1, 5), ("镇", "township"), {"findings": "ok"}))])
    ledger.close()
    where = forge_last_parcel_event(tampered)
    result = runner.invoke(cli, ["audit", "--state", state])
    assert result.exit_code == 1 and "TAMPERED" in result.output and where in result.output, result.output


# --- the store's own checkpoints are a chain ----------------------------------------------

def remember_checkpoints(url: str, count: int, grow: bool = True) -> list[dict]:
    key = checkpoints.Ed25519PrivateKey.generate()
    ledger = Ledger(url)
    kept = []
    for n in range(count):
        if n and grow:
            ledger.execute([cmd(scenario.command("log_patrol", "TL-0", date(2024, 1, n), ("镇", "township"),
                                                 {"findings": f"p{n}"}))])
        kept.append(checkpoints.sign_log(ledger.raw, key))
    ledger.close()
    return kept


@pytest.mark.parametrize("mutation", ["delete a middle row", "insert a row", "edit a row", "delete the newest row"])
def test_the_checkpoint_table_is_a_chain(tampered, mutation):
    kept = remember_checkpoints(tampered, 4)
    sql = DB(tampered)
    assert check(tampered).ok
    middle = kept[1]
    if mutation == "delete a middle row":
        sql("DELETE FROM {checkpoints} WHERE tree_size = ?", (middle["tree_size"],))
    elif mutation == "insert a row":  # a fake one whose root is even right: it does not link
        sql("INSERT INTO {checkpoints} VALUES (?, ?, ?, ?, ?, ?)", (middle["tree_size"], middle["root"],
            middle["timestamp"], middle["origin"], "forged", kept[0]["signature"]))
    elif mutation == "edit a row":
        sql("UPDATE {checkpoints} SET signature = ? WHERE tree_size = ?", ("forged", middle["tree_size"]))
    else:
        sql("DELETE FROM {checkpoints} WHERE tree_size = ?", (kept[-1]["tree_size"],))
    found = check(tampered)
    if mutation == "delete the newest row":  # nothing follows it: only the file kept outside tells
        assert found.ok
        assert [p.kind for p in check(tampered, kept[-1]).problems] == ["forgotten"]
    else:
        assert found.problems and {p.kind for p in found.problems} == {"checkpoints"}, found.problems


def test_a_store_made_before_linked_checkpoints_links_its_new_ones(tmp_path):
    from tests.integration.test_release_fixture import release_store

    path = release_store(tmp_path)
    remember_checkpoints(path, 3, grow=False)  # in one second, at one size: told apart by their links
    ledger = Ledger(path)
    remembered = ledger.raw.checkpoints()
    ledger.close()
    assert len(remembered) == 3 and all(c["previous"] is None for c in remembered)  # no link column in 0.1
    assert check(path).ok


def test_checkpoints_taken_in_one_second_at_one_size_keep_their_order(tampered):
    kept = remember_checkpoints(tampered, 4, grow=False)
    ledger = Ledger(tampered)
    remembered = ledger.raw.checkpoints()
    ledger.close()
    assert [c["signature"] for c in remembered] == [c["signature"] for c in kept]
    assert check(tampered).ok


def test_a_topic_stored_as_a_blob_of_the_same_bytes_neither_crashes_the_audit_nor_verify(tampered):
    """SQLite keeps what a DBA casts: the same bytes as a BLOB are the same history to the chains."""
    if tampered.startswith("postgresql"):
        pytest.skip("PostgreSQL's columns keep their types")
    sql = DB(tampered)
    rowid, _oid, _version = sql(PARCEL_ROWS, PARCEL)[3]
    sql("UPDATE {events} SET topic=CAST(topic AS BLOB) WHERE {id}=?", (rowid,))
    assert check(tampered).ok
    ledger = Ledger(tampered)
    try:
        with ledger.raw.snapshot():
            assert len(list(ledger.raw.verified_events())) == 2 + 2 * 14
    finally:
        ledger.close()
