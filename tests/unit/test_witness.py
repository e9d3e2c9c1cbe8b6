"""Witnesses cosign only extensions of what they cosigned; a quorum counts only real cosignatures.

The checkpoints, cosignature lines and Merkle trees the witnesses see are checked against an
independent implementation written here (hashlib, cryptography's Ed25519, RFC 6962 by its
recursive definition), not the product's code.
"""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from events import keys, merkle, note, tlog, witness
from events.errors import BadInput
from events.note import NoteError

# transparency-dev/formats log/note_test.go: a real sum.golang.org checkpoint and its key.
SUMDB_VKEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
SUMDB_NOTE = ("go.sum database tree\n6476701\nmb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n\n"
              "— sum.golang.org Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nPRYfvimWEPWL+o3GeoWwOoAw=\n")
# the same file's log signer key
LOG_SKEY = "PRIVATE+KEY+Log+2271c621+AdEIq9FLRQni54Wg68T96VJO+iayOaulswav2DUMKgvQ"
LOG_VKEY = "Log+2271c621+AemuH5ooBpEPcr+W8onrjA1NfuzBVHdezakU81Ekarvs"


# -- an independent implementation -------------------------------------------------------------

def mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 §2.1 by its definition, over raw entries."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def independent_verify(text: str, name: str, public: bytes, kind: int) -> int | None:
    """Check one signature line by hand; the cosignature's timestamp (or 0 for a plain signature)."""
    body, _, lines = text.rpartition("\n\n")
    body += "\n"
    kid = hashlib.sha256(name.encode() + b"\n" + bytes([kind]) + public).digest()[:4]
    for line in lines.splitlines():
        who, blob = line.removeprefix("— ").split(" ")
        raw = base64.b64decode(blob)
        if who != name or raw[:4] != kid:
            continue
        if kind == 4:
            t = int.from_bytes(raw[4:12], "big")
            Ed25519PublicKey.from_public_bytes(public).verify(raw[12:], f"cosignature/v1\ntime {t}\n".encode()
                                                              + body.encode())
            return t
        Ed25519PublicKey.from_public_bytes(public).verify(raw[4:], body.encode())
        return 0
    return None


def test_a_real_sumdb_checkpoint_reads_and_verifies():
    signed = tlog.parse(SUMDB_NOTE)
    assert (signed.checkpoint.origin, signed.size) == ("go.sum database tree", 6476701)
    assert note.verify_note(signed.note, [SUMDB_VKEY]) == ["sum.golang.org"]
    with pytest.raises(NoteError):
        note.verify_note(SUMDB_NOTE.replace("6476701", "6476702"), [SUMDB_VKEY])


def test_our_checkpoint_and_cosignature_match_the_independent_bytes():
    name, key = note.parse_signer_key(LOG_SKEY)
    assert keys.verifier_key(name, key.public) == LOG_VKEY
    entries = [f"event {i}".encode() for i in range(7)]
    body = note.checkpoint_body("minerehab/test", 7, merkle.root([merkle.leaf_hash(e) for e in entries]))
    assert body == "minerehab/test\n7\n" + base64.b64encode(mth(entries)).decode() + "\n"
    text = note.sign_note(body, name, key)
    assert independent_verify(text, "Log", key.public.raw, 1) == 0
    w = keys.generate("ed25519")
    cosigned, seen, added = witness.cosign(text, "audit.example", w, {}, None, 1_700_000_000, [LOG_VKEY])
    assert added and cosigned.startswith(text)
    assert independent_verify(cosigned, "audit.example", w.public.raw, 4) == 1_700_000_000
    assert witness.check_quorum(note.parse_note(cosigned), [keys.verifier("audit.example", w.public)], 1) \
        == ["audit.example"]
    assert seen["minerehab/test"] == witness.Seen(7, mth(entries))


def test_a_witness_checks_the_logs_signature_when_given_its_key():
    name, key = note.parse_signer_key(LOG_SKEY)
    text = note.sign_note(note.checkpoint_body("o", 1, mth([b"x"])), name, key)
    other = keys.generate("ed25519")
    with pytest.raises(witness.Refused):
        witness.cosign(text, "w", keys.generate("ed25519"), {}, None, 1, [keys.verifier("Log", other.public)])


def test_state_files_round_trip_and_damage_is_refused():
    seen = {"a": witness.Seen(3, bytes(32)), "日志": witness.Seen(0, bytes(range(32)))}
    assert witness.read_state(witness.state_text(seen).encode()) == seen
    for bad in [b"{}", b"[", b'{"format": "minerehab-witness/1", "logs": {"a": {"size": -1, "root": ""}}}', b"\xff"]:
        with pytest.raises(BadInput):
            witness.read_state(bad)


def test_sm2_witness_keys_are_refused_in_one_line():
    sm2 = keys.generate("sm2")
    with pytest.raises(BadInput):
        witness.as_witness(keys.verifier("w", sm2.public))


class Witnessing(RuleBasedStateMachine):
    """A log that grows and sometimes rewrites its history; three witnesses cosign what they may."""

    def __init__(self):
        super().__init__()
        self.log_name, self.log_key = note.parse_signer_key(LOG_SKEY)
        self.entries: list[bytes] = []
        self.names = ["jiwei", "audit", "prefecture"]
        self.keys = {n: keys.generate("ed25519") for n in self.names}
        self.seen = {n: {} for n in self.names}
        self.cosigned: dict[str, tuple[int, bytes]] = {}  # witness -> (size, mth) it last cosigned
        self.note = None
        self.signers: set[str] = set()
        self.now = 1_700_000_000

    def checkpoint_text(self) -> str:
        body = note.checkpoint_body("minerehab/machine", len(self.entries),
                                    merkle.root([merkle.leaf_hash(e) for e in self.entries]))
        return note.sign_note(body, self.log_name, self.log_key)

    @rule(count=st.integers(1, 5), seed=st.binary(min_size=1, max_size=4))
    def append(self, count, seed):
        self.entries += [seed + bytes([len(self.entries) % 256, i]) for i in range(count)]

    @rule()
    def checkpoint(self):
        self.note, self.signers = self.checkpoint_text(), set()
        self.signed_entries = list(self.entries)  # the tree the checkpoint was made of

    @precondition(lambda self: self.entries)
    @rule(position=st.integers(0, 10_000))
    def rewrite(self, position):
        i = position % len(self.entries)
        self.entries[i] = b"rewritten " + self.entries[i]

    @precondition(lambda self: self.note is not None)
    @rule(who=st.sampled_from(["jiwei", "audit", "prefecture"]))
    def cosign(self, who):
        self.now += 1
        cp = note.parse_checkpoint(note.parse_note(self.note).body)
        last = self.cosigned.get(who)
        tree = [merkle.leaf_hash(e) for e in self.signed_entries]

        def proof(old, new):  # the log proves from the tree it signed, rewritten or not
            return merkle.consistency_proof(tree[:new], old)

        # the independent model: the signed tree begins with the one this witness cosigned last
        extends = last is None or last[0] == 0 or (
            cp.size >= last[0] and mth(self.signed_entries[:last[0]]) == last[1])
        before = dict(self.seen[who])
        try:
            text, seen, added = witness.cosign(self.note, who, self.keys[who], self.seen[who], proof, self.now)
        except witness.Refused:
            assert not extends, f"{who} refused an extension"
            assert self.seen[who] == before
            return
        assert extends, f"{who} cosigned a checkpoint that rewrites what it cosigned at {last}"
        self.note, self.seen[who] = text, seen
        self.cosigned[who] = (cp.size, cp.root)
        self.signers.add(who)
        assert independent_verify(text, who, self.keys[who].public.raw, 4) == self.now or not added

    @precondition(lambda self: self.note is not None)
    @invariant()
    def quorum_counts_only_real_cosignatures(self):
        parsed = note.parse_note(self.note)
        vs = [keys.verifier(n, self.keys[n].public) for n in self.names]
        assert set(witness.check_quorum(parsed, vs, len(self.signers))) == self.signers
        with pytest.raises(NoteError):
            witness.check_quorum(parsed, vs, len(self.signers) + 1)


TestWitnessing = Witnessing.TestCase
TestWitnessing.settings = settings(max_examples=60, stateful_step_count=30, deadline=None,
                                   suppress_health_check=[HealthCheck.too_slow])
