"""Signed notes against the Go reference vectors and an independent re-implementation."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from events import keys, note
from events.note import NoteError

# golang.org/x/mod/sumdb/note, note.go package doc and note_test.go.
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
PETER_LINE = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
ENOCH_LINE = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
# transparency-dev/formats note_cosigv1_test.go: a type-0x01 vkey whose base64 holds a '+',
# a native 0x04 vkey, and a cosignature whose timestamp is 1727964367.
PLUS_VKEY = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"
COSIG_VKEY = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
COSIG_B64 = "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA=="


def test_go_reference_note_signs_and_verifies_byte_for_byte():
    name, key = note.parse_signer_key(PETER_SKEY)
    assert note.verifier_key(name, key.public) == PETER_VKEY
    assert note.sign_note(TEXT, name, key) == TEXT + "\n" + PETER_LINE
    assert note.verify_note(TEXT + "\n" + PETER_LINE, [PETER_VKEY]) == ["PeterNeumann"]
    both = TEXT + "\n" + PETER_LINE + ENOCH_LINE
    assert note.verify_note(both, [PETER_VKEY, ENOCH_VKEY]) == ["PeterNeumann", "EnochRoot"]
    assert note.verify_note(both, [ENOCH_VKEY]) == ["EnochRoot"]  # unknown signers are skipped
    with pytest.raises(NoteError):
        note.verify_note((TEXT + "\n" + PETER_LINE).replace("cryptography", "cryptographY"), [PETER_VKEY])


def test_verifier_keys_from_transparency_dev():
    assert note.parse_verifier_key(PLUS_VKEY).kind == "ed25519"
    v = note.parse_verifier_key(COSIG_VKEY)
    assert (v.kind, v.key_id.hex()) == ("cosignature/v1", "da77ade7")
    # the same Ed25519 key as a cosigner gets the 0x04 key id, computed as the spec says
    plus = note.parse_verifier_key(PLUS_VKEY)
    assert note.verifier_key("TEST", plus.public, cosignature=True).split("+")[1] == \
        hashlib.sha256(b"TEST\n\x04" + plus.public.raw).digest()[:4].hex()
    sig = note.parse_note("a\n\n— w " + COSIG_B64 + "\n").signatures[0]
    assert (sig.key_id.hex(), note.cosignature_timestamp(sig)) == ("646846b9", 1727964367)
    for bad in ["PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                "PeterNeumann+c74f20a3+AhpcZ2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                "PeterNeumann+c74f20a3", "rekor.sigstore.dev+12345678+AwEB"]:
        with pytest.raises(ValueError):
            note.parse_verifier_key(bad)


# -- an independent implementation: hashlib, base64 and cryptography only ----------------------

def indep_key_id(name: str, type_and_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + type_and_key).digest()[:4]


def indep_sign(body: str, name: str, seed: bytes) -> str:
    sk = Ed25519PrivateKey.from_private_bytes(seed)
    pub = sk.public_key().public_bytes_raw()
    blob = indep_key_id(name, b"\x01" + pub) + sk.sign(body.encode())
    return body + "\n" + "\u2014 " + name + " " + base64.b64encode(blob).decode() + "\n"


def indep_cosign(body: str, name: str, seed: bytes, t: int) -> str:
    sk = Ed25519PrivateKey.from_private_bytes(seed)
    pub = sk.public_key().public_bytes_raw()
    msg = b"cosignature/v1\ntime " + str(t).encode() + b"\n" + body.encode()
    blob = indep_key_id(name, b"\x04" + pub) + t.to_bytes(8, "big") + sk.sign(msg)
    return body + "\n" + "\u2014 " + name + " " + base64.b64encode(blob).decode() + "\n"


SEED = bytes(range(32))
ROOT = hashlib.sha256(b"root").digest()


def test_checkpoint_and_signatures_match_the_independent_bytes():
    body = note.checkpoint_body("tuoli.example/ledger", 20852163, ROOT)
    assert body == "tuoli.example/ledger\n20852163\n" + base64.b64encode(ROOT).decode() + "\n"
    key = keys.PrivateKey("ed25519", SEED)
    assert note.sign_note(body, "tuoli.example/ledger", key) == indep_sign(body, "tuoli.example/ledger", SEED)
    assert note.cosign(body, "witness.example/w1", key, 1679315147) == \
        indep_cosign(body, "witness.example/w1", SEED, 1679315147)
    cosigner = note.verifier_key("witness.example/w1", key.public, cosignature=True)
    signed = note.add_signature(note.sign_note(body, "tuoli.example/ledger", key),
                                note.cosignature_line(body, "witness.example/w1", key, 1679315147))
    log = note.verifier_key("tuoli.example/ledger", key.public)
    assert note.verify_note(signed, [log, cosigner]) == ["tuoli.example/ledger", "witness.example/w1"]
    # a cosignature is not a plain signature by the same key, nor the reverse
    with pytest.raises(NoteError):
        note.verify_note(note.cosign(body, "w", key, 5), [note.verifier_key("w", key.public)])


def test_sm2_lines_verify_here_and_are_skipped_by_standard_verifiers():
    body = note.checkpoint_body("tuoli.example/ledger", 3, ROOT)
    sm2 = keys.generate("sm2")
    ed = keys.PrivateKey("ed25519", SEED)
    text = note.add_signature(note.sign_note(body, "tuoli.example/ledger", ed),
                              note.signature_line(body, "official.example/li", sm2))
    vkey = note.verifier_key("official.example/li", sm2.public)
    blob = base64.b64decode(vkey.split("+", 2)[2])
    assert blob == b"\xff" + b"minerehab/sm2-sm3/v1\x00" + sm2.public.raw
    assert vkey.split("+")[1] == indep_key_id("official.example/li", blob).hex()
    assert note.verify_note(text, [vkey]) == ["official.example/li"]
    ed_vkey = "tuoli.example/ledger+" + indep_key_id("tuoli.example/ledger", b"\x01" + ed.public.raw).hex() + \
        "+" + base64.b64encode(b"\x01" + ed.public.raw).decode()
    assert note.verify_note(text, [ed_vkey]) == ["tuoli.example/ledger"]


@pytest.mark.parametrize("text", [
    "no blank line\n— a AAAAAAA=\n",
    "body\n\n",
    "body\n\n— a AAAAAAA=",
    "body\n\n- a AAAAAAA=\n",
    "body\n\n— a+b AAAAAAA=\n",
    "body\n\n— a AAAA\n",
    "body\n\n— a AAAAAAB=\n",  # non-canonical base64
    "body\twith tab\n\n— a AAAAAAA=\n",
    "body\r\n\n— a AAAAAAA=\n",
    "body\n\n— a AAAAAAA= \n",
])
def test_malformed_notes_are_refused(text):
    with pytest.raises(NoteError):
        note.parse_note(text)


def test_limits():
    assert len(note.parse_note("b\n\n" + "— a AAAAAAA=\n" * 100).signatures) == 100
    with pytest.raises(NoteError, match="more than 100"):
        note.parse_note("b\n\n" + "— a AAAAAAA=\n" * 101)
    with pytest.raises(NoteError, match="at most"):
        note.parse_note("x" * 1_000_000 + "\n\n— a AAAAAAA=\n")
    with pytest.raises(NoteError, match="UTF-8"):
        note.parse_note(b"b\xff\n\n\xe2\x80\x94 a AAAAAAA=\n")


@pytest.mark.parametrize("body", [
    "o\n01\n" + base64.b64encode(ROOT).decode() + "\n",
    "o\n-1\n" + base64.b64encode(ROOT).decode() + "\n",
    "o\n1\n" + base64.b64encode(ROOT[:31]).decode() + "\n",
    "\n1\n" + base64.b64encode(ROOT).decode() + "\n",
    "o\n1\n" + base64.b64encode(ROOT).decode() + "\n\n",
    "o\n1\n" + base64.b64encode(ROOT).decode(),
    "o\n１\n" + base64.b64encode(ROOT).decode() + "\n",
    "o\n9223372036854775808\n" + base64.b64encode(ROOT).decode() + "\n",
])
def test_checkpoint_bodies_are_parsed_strictly(body):
    with pytest.raises(NoteError):
        note.parse_checkpoint(body)


def test_checkpoint_round_trip_with_extensions():
    body = note.checkpoint_body("o", 0, ROOT, ["ext one"])
    assert note.parse_checkpoint(body) == note.Checkpoint("o", 0, ROOT, ("ext one",))


SIGNED = note.add_signature(
    note.sign_note(note.checkpoint_body("tuoli.example/ledger", 7, ROOT), "tuoli.example/ledger",
                   keys.PrivateKey("ed25519", SEED)),
    note.cosignature_line(note.checkpoint_body("tuoli.example/ledger", 7, ROOT), "w.example",
                          keys.PrivateKey("ed25519", bytes(32)), 1700000000)).encode()
VERIFIERS = [note.verifier_key("tuoli.example/ledger", keys.PrivateKey("ed25519", SEED).public),
             note.verifier_key("w.example", keys.PrivateKey("ed25519", bytes(32)).public, cosignature=True)]


SINGLE = note.sign_note(note.checkpoint_body("tuoli.example/ledger", 7, ROOT), "tuoli.example/ledger",
                       keys.PrivateKey("ed25519", SEED)).encode()


def mutate(data: bytes, position: int, delta: int) -> bytes:
    changed = bytearray(data)
    changed[position % len(data)] = (changed[position % len(data)] + delta) % 256
    return bytes(changed)


@settings(max_examples=300)
@given(st.integers(0, 10_000), st.integers(1, 255))
def test_any_changed_byte_of_a_signed_note_breaks_verification_or_parsing(position, delta):
    assert note.verify_note(SINGLE.decode(), VERIFIERS[:1]) == ["tuoli.example/ledger"]
    with pytest.raises(NoteError):
        note.verify_note(note.parse_note(mutate(SINGLE, position, delta)), VERIFIERS[:1])


@settings(max_examples=300)
@given(st.integers(0, 10_000), st.integers(1, 255))
def test_a_changed_byte_never_keeps_both_signatures_of_a_cosigned_note(position, delta):
    # Renaming one signer leaves the other's (valid) signature: the spec skips unknown lines.
    assert note.verify_note(SIGNED.decode(), VERIFIERS) == ["tuoli.example/ledger", "w.example"]
    try:
        names = note.verify_note(note.parse_note(mutate(SIGNED, position, delta)), VERIFIERS)
    except NoteError:
        return
    assert len(names) == 1
