"""tlog-proof@v1 receipts over trees built with events.merkle."""

from __future__ import annotations

import base64
import hashlib

import pytest

from events import keys, merkle, note, tlogproof
from events.note import NoteError

KEY = keys.PrivateKey("ed25519", bytes(range(32)))
ORIGIN = "tuoli.example/ledger"
VKEY = note.verifier_key(ORIGIN, KEY.public)
LEAVES = [hashlib.sha256(f"event {i}".encode()).digest() for i in range(13)]


def signed_checkpoint(size: int) -> str:
    return note.sign_note(note.checkpoint_body(ORIGIN, size, merkle.root(LEAVES[:size])), ORIGIN, KEY)


@pytest.mark.parametrize("size", [1, 2, 7, 8, 13])
def test_every_leaf_is_proven_and_no_other(size):
    checkpoint = signed_checkpoint(size)
    for index in range(size):
        text = tlogproof.write(index, merkle.inclusion_path(LEAVES[:size], index), checkpoint)
        assert tlogproof.verify(text, LEAVES[index], ORIGIN, [VKEY]) == [ORIGIN]
        with pytest.raises(tlogproof.ProofError):
            tlogproof.verify(text, LEAVES[(index + 1) % 13], ORIGIN, [VKEY])


def test_layout_is_the_spec_text_and_round_trips():
    path = merkle.inclusion_path(LEAVES[:5], 4)
    checkpoint = signed_checkpoint(5)
    text = tlogproof.write(4, path, checkpoint, extra=b"parcel TL-07")
    expected = ("c2sp.org/tlog-proof@v1\nextra " + base64.b64encode(b"parcel TL-07").decode() + "\nindex 4\n"
                + "".join(base64.b64encode(h).decode() + "\n" for h in path) + "\n" + checkpoint)
    assert text == expected
    proof = tlogproof.parse(text)
    assert (proof.index, list(proof.path), proof.extra, proof.note_text) == (4, path, b"parcel TL-07", checkpoint)
    assert proof.checkpoint.size == 5


def test_wrong_origin_unknown_key_and_tampered_checkpoint_are_refused():
    text = tlogproof.write(0, merkle.inclusion_path(LEAVES[:3], 0), signed_checkpoint(3))
    with pytest.raises(tlogproof.ProofError, match="not 'other.example/log'"):
        tlogproof.verify(text, LEAVES[0], "other.example/log", [VKEY])
    with pytest.raises(NoteError):
        tlogproof.verify(text, LEAVES[0], ORIGIN, [note.verifier_key(ORIGIN, keys.generate("ed25519").public)])
    forged = text.replace("\n3\n", "\n4\n")
    with pytest.raises(NoteError):
        tlogproof.verify(forged, LEAVES[0], ORIGIN, [VKEY])


@pytest.mark.parametrize("mangle", [
    lambda t: t.replace("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2"),
    lambda t: t.replace("index 2", "index 02"),
    lambda t: t.replace("index 2", "index -2"),
    lambda t: t.replace("index 2\n", ""),
    lambda t: t.replace("index 2\n", "index 2\nextra AAAA\n"),
    lambda t: t.replace("index 2\n", "index 2\nAAAA\n"),
    lambda t: t.replace("\n\n", "\n", 1),
    lambda t: "c2sp.org/tlog-proof@v1\nindex 2\n" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n" * 65 + "\n" + t.split("\n\n", 1)[1],
])
def test_malformed_proofs_are_refused(mangle):
    text = tlogproof.write(2, merkle.inclusion_path(LEAVES[:6], 2), signed_checkpoint(6))
    with pytest.raises(NoteError):
        tlogproof.parse(mangle(text))


def test_a_path_for_another_tree_size_does_not_verify():
    path = merkle.inclusion_path(LEAVES[:8], 3)
    text = tlogproof.write(3, path, signed_checkpoint(9))
    with pytest.raises(tlogproof.ProofError):
        tlogproof.verify(text, LEAVES[3], ORIGIN, [VKEY])
