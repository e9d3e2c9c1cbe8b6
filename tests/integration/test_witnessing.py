"""Witnessing in the ledger, on both backends: a cosignature is recorded only if it covers this log's own
history, and once recorded, any rewrite of the history it covers (by a database administrator who also
recomputes every hash chain and the log-wide links) makes `verify` fail naming the witness and the size,
while appends keep it passing."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from events import keys, merkle, note, witness
from events.chain import GENESIS, chain_hash, content_digest
from events.verify import verify
from policies.refusals import Refused
from tests.integration.test_tamper import DB, relink
from tests.stores import OnStore, on_both_backends
from tests.support import cmd
from workflow.commands import build
from workflow.ledger import Ledger
from workflow.witnessing import OtherHistory, claims

LOG_NAME = "county.example/log"
LOG_KEY = keys.generate("ed25519")
LOG_VKEY = keys.verifier(LOG_NAME, LOG_KEY.public)
WITNESSES = {name: keys.generate("ed25519") for name in ("审计局", "jiwei")}


def register(code: str) -> dict:
    return {"do": "register", "parcel": code, "actor": "张三", "role": "nrb", "on": "2023-03-01",
            "data": {"name": "采坑", "township": "庙尔沟镇", "area_ha": "1.5"}}


def checkpoint(ledger: Ledger, size: int | None = None) -> str:
    """The log's checkpoint (of its first `size` events), signed by the log's key."""
    leaves = ledger.raw.leaf_hashes()
    size = len(leaves) if size is None else size
    return note.sign_note(note.checkpoint_body(ledger.origin, size, merkle.root(leaves[:size])), LOG_NAME, LOG_KEY)


def cosign(text: str, who: str, at: int = 1_750_000_000) -> str:
    return note.add_signature(text, note.cosignature_line(note.parse_note(text).body, who, WITNESSES[who], at))


def record_commands(ledger: Ledger, text: str, *who: str) -> list:
    found = witness.cosignatures(text, [LOG_VKEY], [keys.verifier(w, WITNESSES[w].public) for w in who])
    return [build("record_cosignature", "witnessing", c.origin, "张三", "nrb", date(2025, 6, 1), c.data())
            for c in found]


def checked(ledger: Ledger):
    with ledger.raw.snapshot():
        return verify(ledger.raw, witnessed=claims(ledger.raw))


def rewrite(url: str, position: int) -> None:
    """What an insider does: change the event at `position` in the log, recompute its aggregate's chain from
    there on, and relink the whole log; nothing but a witness's signature can tell."""
    sql = DB(url)
    rows = sql("SELECT notification_id, originator_id, originator_version FROM {chain} ORDER BY notification_id")
    nid, oid, version = rows[position]
    [(state,)] = sql("SELECT state FROM {events} WHERE {id}=?", (nid,))
    sql("UPDATE {events} SET state=? WHERE {id}=?", (bytes(state).replace(b"{", b"{ ", 1), nid))
    later = [r for r in rows if r[1] == oid and r[2] >= version]
    [(previous,)] = sql("SELECT hash FROM {chain} WHERE originator_id=? AND originator_version=?",
                        (oid, version - 1)) if version > 1 else [(GENESIS,)]
    previous = bytes(previous)
    for nid_v, _, v in sorted(later, key=lambda r: r[2]):
        [(topic, stored)] = sql("SELECT topic, state FROM {events} WHERE {id}=?", (nid_v,))
        stored = bytes(stored)
        head = chain_hash(previous, str(oid).replace("-", ""), v, topic, stored)
        sql("UPDATE {chain} SET content=?, hash=? WHERE originator_id=? AND originator_version=?",
            (content_digest(topic, stored), head, oid, v))
        previous = head
    relink(sql)


def test_a_recorded_cosignature_is_rechecked_and_a_rewrite_names_the_witness(ledger, store_url):
    ledger.execute([cmd(register(f"TL-{i}")) for i in range(3)])
    text = cosign(cosign(checkpoint(ledger), "审计局"), "jiwei", 1_750_000_100)
    [one, two] = ledger.execute(record_commands(ledger, text, "审计局", "jiwei"))
    assert (one["version"], two["version"]) == (1, 2)
    record = ledger.get("witnessing", ledger.origin)
    assert [c["witness"] for c in record.summary()["cosignatures"]] == ["jiwei", "审计局"]  # the latest first
    report = checked(ledger)
    assert report.ok and [(c.witness, c.size) for c in report.witnessed] == [("审计局", 3), ("jiwei", 3)]
    ledger.execute([cmd(register("TL-9"))])
    assert checked(ledger).ok  # an append extends what they cosigned
    rewrite(store_url, 1)
    problems = checked(ledger).problems
    assert {(p.kind, p.subject) for p in problems} == {("witnessed", "witness 审计局"), ("witnessed", "witness jiwei")}
    assert all("first 3 events" in p.detail for p in problems)


def test_only_this_logs_history_is_recorded_and_nothing_twice(ledger, store_url, tmp_path):
    ledger.execute([cmd(register(f"TL-{i}")) for i in range(2)])
    text = cosign(checkpoint(ledger), "审计局")
    ledger.execute(record_commands(ledger, text, "审计局"))
    with pytest.raises(Refused, match="already recorded"):
        ledger.execute(record_commands(ledger, text, "审计局"))
    # the same origin, another history: a checkpoint whose root is not this log's at its size
    leaves = ledger.raw.leaf_hashes()
    other = note.sign_note(note.checkpoint_body(ledger.origin, 2, merkle.root(leaves[1:3])), LOG_NAME, LOG_KEY)
    longer = note.sign_note(note.checkpoint_body(ledger.origin, len(leaves) + 5, merkle.root(leaves)), LOG_NAME,
                            LOG_KEY)
    for forged in (other, longer):
        with pytest.raises(OtherHistory, match="not this log's history") as refused:
            ledger.execute(record_commands(ledger, cosign(forged, "jiwei"), "jiwei"))
        assert refused.value.exit_code == 1
    foreign = note.sign_note(note.checkpoint_body("minerehab/elsewhere", 2, merkle.root(leaves[:2])), LOG_NAME,
                             LOG_KEY)
    with pytest.raises(Refused, match="this store's log is") as refused:
        ledger.execute(record_commands(ledger, cosign(foreign, "jiwei"), "jiwei"))
    assert refused.value.exit_code == 2
    # a line whose fields were changed on the way (a JSONL line by hand) is refused, not recorded
    [command] = record_commands(ledger, cosign(checkpoint(ledger), "jiwei"), "jiwei")
    command.data["cosigned_at"] += 1
    with pytest.raises(Refused, match="record_cosignature"):
        ledger.execute([command])
    assert len(ledger.get("witnessing", ledger.origin).cosignatures) == 1


def test_a_recorded_cosignature_edited_in_the_store_is_named(ledger, store_url):
    ledger.execute([cmd(register("TL-1"))])
    ledger.execute(record_commands(ledger, cosign(checkpoint(ledger), "审计局"), "审计局"))
    sql = DB(store_url)
    [(nid, state)] = sql("SELECT {id}, state FROM {events} WHERE topic LIKE ?", ("%Witnessing.%",))
    forged = re.sub(rb'"size":(\d+)', lambda m: b'"size":%d' % (int(m[1]) - 1), bytes(state))
    assert forged != bytes(state)
    sql("UPDATE {events} SET state=? WHERE {id}=?", (forged, nid))
    kinds = {(p.kind, p.version) for p in checked(ledger).problems}
    assert ("witnessed", 1) in kinds and ("edited", 1) in kinds  # an edit the chains see, and a claim that fails


def test_the_audit_and_the_history_read_witnessing_like_any_record(ledger):
    from audit.shares import run

    ledger.execute([cmd(register("TL-1"))])
    ledger.execute(record_commands(ledger, cosign(checkpoint(ledger), "审计局"), "审计局"))
    findings, summary = run(ledger, date(2025, 6, 1))
    assert summary["events_read"] == 2 and not [f for f in findings if "witness" in f.subject]
    [event] = ledger.history("witnessing", ledger.origin)
    assert event.trigger == "record_cosignature" and event.data["witness"] == "审计局"


class RewritesAfterWitnessing(OnStore, RuleBasedStateMachine):
    """The log grows, witnesses' cosignatures are recorded, an insider rewrites events: `verify` fails naming
    exactly the witnesses whose cosigned history was rewritten after they cosigned it."""

    @initialize()
    def start(self):
        self.open_store()
        self.codes = 0
        self.recorded: dict[tuple[str, int, bytes], bool] = {}  # (witness, size, root) -> still holds
        self.now = 1_750_000_000
        self.append(1)

    def teardown(self):
        self.close_store()

    @rule(n=st.integers(1, 3))
    def append(self, n):
        self.ledger.execute([cmd(register(f"TL-{self.codes + i}")) for i in range(n)])
        self.codes += n

    @rule(who=st.sampled_from(sorted(WITNESSES)))
    def witness(self, who):
        self.now += 1
        text = cosign(checkpoint(self.ledger), who, self.now)
        cp = note.parse_checkpoint(note.parse_note(text).body)
        key = (who, cp.size, cp.root)
        if key in self.recorded:  # the same witness, size and root: recorded once only
            with pytest.raises(Refused, match="already recorded"):
                self.ledger.execute(record_commands(self.ledger, text, who))
            return
        self.ledger.execute(record_commands(self.ledger, text, who))
        self.recorded[key] = True

    @rule(position=st.integers(0, 10_000))
    def rewrite(self, position):
        at = position % len(self.ledger.raw.leaf_hashes())
        rewrite(self.path, at)
        for key in self.recorded:
            if key[1] > at:
                self.recorded[key] = False

    @invariant()
    def verify_names_exactly_the_witnesses_contradicted(self):
        report = checked(self.ledger)
        assert {p.kind for p in report.problems} <= {"witnessed"}, report.problems
        named = sorted((p.subject.removeprefix("witness "), int(p.detail.split("first ")[1].split(" ")[0]))
                       for p in report.problems)
        assert named == sorted((w, n) for (w, n, _), holds in self.recorded.items() if not holds)
        assert sorted((c.witness, c.size) for c in report.witnessed) == \
            sorted((w, n) for (w, n, _), holds in self.recorded.items() if holds)


TestRewritesAfterWitnessing, TestRewritesAfterWitnessingOnPostgres = on_both_backends(
    RewritesAfterWitnessing, examples=25, steps=12, pg_examples=5)
