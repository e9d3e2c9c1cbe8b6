"""Cosignatures as the ledger records them (events.witness.Cosignature): read from a cosigned checkpoint only
after every signature in it is checked, and checked again from their own fields, so that no field of a
record can be changed without the record failing. Signatures are checked by hand here too (the
independent verifier of test_witness), not only by the product's code."""

from __future__ import annotations

import base64
import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events import keys, note, witness
from events.errors import BadInput
from tests.unit.test_witness import LOG_SKEY, LOG_VKEY, independent_verify, mth

ORIGIN = "minerehab/unit"
ENTRIES = [f"event {i}".encode() for i in range(5)]
WITNESSES = {name: keys.generate("ed25519") for name in ("审计局", "jiwei.example")}


def cosigned(entries=ENTRIES, names=tuple(WITNESSES), origin=ORIGIN, extensions=()) -> str:
    name, key = note.parse_signer_key(LOG_SKEY)
    text = note.sign_note(note.checkpoint_body(origin, len(entries), mth(entries), extensions), name, key)
    for i, who in enumerate(names):
        text = note.add_signature(text, note.cosignature_line(note.parse_note(text).body, who, WITNESSES[who],
                                                              1_700_000_000 + i))
    return text


def vkey(name: str) -> keys.Verifier:
    return keys.verifier(name, WITNESSES[name].public)  # the keygen .vkey (type 0x01): as_witness makes it 0x04


def test_each_cosignature_is_read_with_its_exact_line_and_fields():
    text = cosigned()
    found = witness.cosignatures(text, [LOG_VKEY], [vkey("审计局"), vkey("jiwei.example")])
    assert [c.witness for c in found] == ["审计局", "jiwei.example"]
    for c in found:
        assert c.line + "\n" in text.split("\n\n", 1)[1]
        assert (c.origin, c.size, c.root) == (ORIGIN, 5, mth(ENTRIES))
        public = WITNESSES[c.witness].public.raw
        assert c.key_id == hashlib.sha256(c.witness.encode() + b"\n\x04" + public).digest()[:4]
        assert c.timestamp == independent_verify(text, c.witness, public, 4)
        data = c.data()
        assert base64.b64decode(data["root"]) == mth(ENTRIES) and data["key_id"] == c.key_id.hex()
        assert data["witness_key"].startswith(f"{c.witness}+{c.key_id.hex()}+")
        assert witness.recorded(ORIGIN, data) == c


def test_nothing_in_the_file_is_trusted():
    text = cosigned(names=("审计局",))
    other_log = keys.verifier("Log", keys.generate("ed25519").public)
    for log_keys, given_witnesses, said in [
        ([other_log], [vkey("审计局")], "the log's signature does not verify"),
        ([], [vkey("审计局")], "--vkey"),
        ([LOG_VKEY], [vkey("jiwei.example")], "has not cosigned"),
        ([LOG_VKEY], [], "--witness"),
        ([LOG_VKEY], [keys.verifier("审计局", keys.generate("sm2").public)], "Ed25519 keys only"),
    ]:
        with pytest.raises(BadInput, match=said):
            witness.cosignatures(text, log_keys, given_witnesses)
    forged = text.replace("\n5\n", "\n6\n", 1)
    with pytest.raises(BadInput, match="does not verify"):  # the log's signature breaks first
        witness.cosignatures(forged, [LOG_VKEY], [vkey("审计局")])
    # a witness line over another body: the log signs again, the witness line stays the old one's
    name, key = note.parse_signer_key(LOG_SKEY)
    body = note.checkpoint_body(ORIGIN, 6, mth(ENTRIES + [b"x"]))
    moved = note.sign_note(body, name, key) + text.splitlines(keepends=True)[-1]
    with pytest.raises(BadInput, match="cosignature of witness 审计局 does not verify"):
        witness.cosignatures(moved, [LOG_VKEY], [vkey("审计局")])
    with pytest.raises(BadInput, match="extension lines"):
        witness.cosignatures(cosigned(names=("审计局",), extensions=("ext",)), [LOG_VKEY], [vkey("审计局")])


def test_sm2_witness_keys_are_refused_in_both_languages():
    with pytest.raises(BadInput) as refused:
        witness.as_witness(keys.verifier("w", keys.generate("sm2").public))
    assert "Ed25519 keys only" in refused.value.en and "仅适用于 Ed25519" in refused.value.zh


RECORD = witness.cosignatures(cosigned(names=("审计局",)), [LOG_VKEY], [vkey("审计局")])[0]


def changed(data: dict, name: str, value) -> dict:
    return {**data, name: value}


@given(st.sampled_from(sorted(RECORD.data())), st.data())
def test_no_field_of_a_record_changes_without_it_failing(name, draw):
    data = RECORD.data()
    value = data[name]
    if isinstance(value, int):
        other = draw.draw(st.integers(0, 2**63 - 1).filter(lambda v: v != value))
    else:
        i = draw.draw(st.integers(0, len(value) - 1))
        ch = draw.draw(st.characters(codec="utf-8", exclude_characters="\n").filter(lambda c: c != value[i]))
        other = value[:i] + ch + value[i + 1:]
    with pytest.raises(ValueError):
        witness.recorded(ORIGIN, changed(data, name, other))


def test_a_record_of_another_origin_or_missing_fields_fails():
    with pytest.raises(ValueError):
        witness.recorded("minerehab/other", RECORD.data())
    for name in RECORD.data():
        with pytest.raises(ValueError):
            witness.recorded(ORIGIN, {k: v for k, v in RECORD.data().items() if k != name})


def test_a_log_contradicts_a_cosignature_when_its_root_differs_or_it_holds_fewer():
    assert witness.contradicted(RECORD, {5: mth(ENTRIES)}, 5) is None
    assert witness.contradicted(RECORD, {5: mth(ENTRIES)}, 9) is None
    en, zh = witness.contradicted(RECORD, {5: mth([b"rewritten"] + ENTRIES[1:])}, 7)
    assert "审计局" in en and "5 events" in en and "rewritten" in en and "审计局" in zh and "5" in zh
    en, _ = witness.contradicted(RECORD, {}, 4)
    assert "cosigned 5 events; the log holds 4" in en
