"""The ledger's C2SP checkpoints and receipts: tree levels, event entries, reading either checkpoint form."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events import keys, merkle, note, tlog, tlogproof
from events.chain import GENESIS
from events.errors import BadInput

hashes = st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=70)


@given(hashes)
def test_paths_from_levels_are_rfc6962_paths(leaves):
    tree = tlog.levels(leaves)
    assert tree[-1] == [merkle.root(leaves)]
    for i in range(len(leaves)):
        path = tlog.inclusion_path(tree, i)
        assert path == merkle.inclusion_path(leaves, i)
        assert merkle.verify_inclusion(leaves[i], i, len(leaves), path, tree[-1][0])


STATE = '{"actor":"张玉峰","on":{"_type_":"date_iso","_data_":"2023-03-01"},"data":{"x":1.5},"signature":null}'


@given(st.text(max_size=40), st.integers(1, 2**40), st.binary(max_size=64))
def test_entries_round_trip_exactly(topic, version, state):
    data = tlog.entry("parcel:TL-1", "ab" * 16, version, topic, GENESIS, state)
    back = tlog.read_entry(data)
    assert (back.version, back.topic, back.state, back.previous) == (version, topic, state, GENESIS)


def test_an_entry_keeps_the_stored_bytes_and_a_readable_copy_that_must_agree():
    data = tlog.entry("parcel:TL-1", "ab" * 16, 1, "t", GENESIS, STATE.encode())
    record = json.loads(data)
    assert record["stored"] == STATE and "event" not in record  # a float: canonical JSON cannot carry it
    plain = STATE.replace("1.5", "15")
    record = json.loads(tlog.entry("parcel:TL-1", "ab" * 16, 1, "t", GENESIS, plain.encode()))
    assert record["event"]["actor"] == "张玉峰"
    record["event"]["actor"] = "李四"
    from events.canonical import canonical

    with pytest.raises(ValueError, match="readable event differs"):
        tlog.read_entry(canonical(record))
    with pytest.raises(ValueError, match="canonical"):
        tlog.read_entry(json.dumps(record, indent=1).encode())


def test_reading_a_checkpoint_file_of_either_form(tmp_path):
    key = keys.generate("ed25519")
    text = note.sign_note(note.checkpoint_body("minerehab/x", 1, merkle.root([merkle.leaf_hash(b"a")])), "k", key)
    (tmp_path / "cp").write_text(text)
    assert isinstance(tlog.read(tmp_path / "cp"), tlog.Signed)
    (tmp_path / "cp.json").write_text("{}")
    with pytest.raises(BadInput, match="a checkpoint needs"):
        tlog.read(tmp_path / "cp.json")
    (tmp_path / "bad").write_text("minerehab/x\n1\nnot base64\n\n— k AAAAAAA=\n")
    with pytest.raises(BadInput, match="not a C2SP checkpoint"):
        tlog.read(tmp_path / "bad")


def test_a_receipt_without_its_event_or_for_another_event_fails():
    key = keys.generate("ed25519")
    entries = [tlog.entry("parcel:P", "cd" * 16, v, "t", GENESIS, b"{}") for v in (1, 2, 3)]
    leaves = [tlog.read_entry(e).leaf for e in entries]
    text = note.sign_note(note.checkpoint_body("o", 3, merkle.root(leaves)), "k", key)
    v = keys.verifier("k", key.public)
    proof = tlogproof.write(1, merkle.inclusion_path(leaves, 1), text, entries[1])
    assert tlog.check_receipt(proof, [v])[0].version == 2
    with pytest.raises(ValueError):
        tlog.check_receipt(tlogproof.write(1, merkle.inclusion_path(leaves, 1), text, entries[2]), [v])
    with pytest.raises(ValueError):
        tlog.check_receipt(tlogproof.write(1, merkle.inclusion_path(leaves, 1), text), [v])
