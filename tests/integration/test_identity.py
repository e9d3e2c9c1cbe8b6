"""Accountable identity: every command signed by a registered person; forgeries refused, insiders named.

The stateful machine fires signed commands and forgeries (wrong key, revoked key, missing role,
altered field, replayed signature, another store's signature, unsigned) in random order on both
backends: each forgery is refused with the store unchanged, and every accepted event verifies.
"""

from __future__ import annotations

import base64
import copy
import random
import sys
from datetime import date, timedelta

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from events import keys
from events.verify import verify
from policies.identity import command_bytes, encode
from policies.refusals import Refused
from tests.stores import OnStore, drop, fingerprint, new_url, on_both_backends
from tests.support import Clock
from workflow import attestation
from workflow.commands import build
from workflow.ledger import Ledger
from workflow.registry import found_store, public_entry, signed_lines

START = date(2023, 1, 2)
PEOPLE = {  # name: (unit, roles, algorithm, revoked on)
    "张志坚": ("finance", ["finance"], "sm2", None),
    "赵专家": ("expert", ["expert"], "ed25519", None),
    "王五": ("nrb", ["nrb"], "ed25519", date(2023, 6, 1)),
}


def people(ledger: Ledger, folder) -> dict[str, keys.PrivateKey]:
    """A signed store's registry: the administrator 张玉峰 (at init) and PEOPLE, each with a fresh key."""
    made = {"张玉峰": keys.generate("ed25519")}
    keys.write_keypair(folder / "admin.key", made["张玉峰"])
    found_store(ledger, "张玉峰", "nrb", str(folder / "admin.key.pub"), START)
    for name, (unit, roles, algorithm, revoked) in PEOPLE.items():
        made[name] = keys.generate(algorithm)
        add = build("add_person", "person", name, "张玉峰", "nrb", START,
                    {"unit": unit, "roles": roles, "public_key": public_entry(made[name].public)})
        add.signer = made["张玉峰"]
        ledger.execute([add])
        if revoked:
            revoke = build("revoke_person", "person", name, "张玉峰", "nrb", revoked, {}, "调离")
            revoke.signer = made["张玉峰"]
            ledger.execute([revoke])
    return made


def register(code: str, actor: str = "张玉峰", role: str = "nrb", on: date = date(2023, 3, 1)):
    return build("register", "parcel", code, actor, role, on, {"name": "采坑", "township": "庙尔沟镇", "area_ha": "6.5"})


def signed(ledger: Ledger, command, key) -> dict:
    """The JSONL line `minerehab sign` would write for this command."""
    raw = {"do": command.do, "parcel": command.target, "actor": command.actor, "role": command.role,
           "on": command.on.isoformat(), "data": dict(command.data)}
    [line] = signed_lines(ledger, key, [(raw, command)])
    return line


def from_line(line: dict):
    from workflow.commands import from_json

    return from_json(copy.deepcopy(line))


@pytest.fixture
def signed_store(backend, tmp_path):
    url = new_url(backend, tmp_path)
    ledger = Ledger(url, create=True, signing="required", clock=Clock())
    made = people(ledger, tmp_path)
    yield url, ledger, made
    ledger.close()
    drop(url)


def test_a_trial_store_takes_unsigned_commands_and_verify_says_so(fresh_url):
    ledger = Ledger(fresh_url, create=True)
    ledger.execute([register("TL-1")])
    assert not ledger.signed and attestation.check(ledger) == (0, [])
    ledger.close()


def test_signed_commands_are_recorded_with_their_signature_and_verify(signed_store):
    url, ledger, made = signed_store
    command = register("TL-1")
    command.signer = made["张玉峰"]
    ledger.execute([command])
    block = ledger.history("parcel", "TL-1")[0].signature
    assert block["key"] == made["张玉峰"].public.fingerprint and block["signer"] == "张玉峰"
    checked, problems = attestation.check(ledger)
    assert problems == [] and checked == 1 + len(PEOPLE) + 1  # people, the revocation, the parcel


REASONS = {"unsigned": "not signed", "wrong_key": "does not match", "revoked": "was revoked on 2023-06-01",
           "missing_role": "does not hold role nrb", "altered": "does not match", "replayed": "does not match",
           "other_store": "does not match", "actor_not_signer": "signed by 张玉峰"}


@pytest.mark.parametrize("forgery", sorted(REASONS))
def test_every_forgery_is_refused_and_leaves_the_store_unchanged(signed_store, forgery):
    url, ledger, made = signed_store
    good = register("TL-1")
    line = signed(ledger, good, made["张玉峰"])
    ledger.execute([from_line(line)])
    before = fingerprint(url)
    command = register("TL-2")
    if forgery == "wrong_key":  # the administrator's key named, the expert's signature over the same bytes
        line2 = signed(ledger, command, made["张玉峰"])
        message = command_bytes(ledger.origin, "parcel", "TL-2", 1, "register", "张玉峰", "nrb", date(2023, 3, 1),
                                {"name": "采坑", "township": "庙尔沟镇", "area_ha": "6.5"}, None, [])
        command = from_line({**line2, "signature": {**line2["signature"], "sig": encode(made["赵专家"].sign(message))}})
    elif forgery == "revoked":
        command = register("TL-2", "王五", "nrb", date(2023, 7, 1))
        command.signer = made["王五"]
    elif forgery == "missing_role":
        command = register("TL-2", "张志坚", "nrb")
        command.signer = made["张志坚"]
    elif forgery == "altered":
        forged = signed(ledger, command, made["张玉峰"])
        forged["data"]["area_ha"] = "65"
        command = from_line(forged)
    elif forgery == "replayed":  # the signed registration of TL-1, brought back as a patrol's signature
        patrol = build("log_patrol", "parcel", "TL-1", "张玉峰", "nrb", date(2023, 3, 2), {"findings": "无"})
        line2 = signed(ledger, patrol, made["张玉峰"])
        command = from_line({**line2, "signature": line["signature"]})
    elif forgery == "other_store":
        message = command_bytes("minerehab/another-county", "parcel", "TL-2", 1, "register", "张玉峰", "nrb",
                                date(2023, 3, 1), {"name": "采坑", "township": "庙尔沟镇", "area_ha": "6.5"}, None, [])
        command.signature = {"algorithm": "ed25519", "key": made["张玉峰"].public.fingerprint,
                             "sig": encode(made["张玉峰"].sign(message))}
        command.version, command.store = 1, ledger.origin
    elif forgery == "actor_not_signer":
        forged = signed(ledger, command, made["张玉峰"])
        command = from_line({**forged, "actor": "王五"})
    with pytest.raises(Refused, match=REASONS[forgery]):
        ledger.execute([command])
    assert fingerprint(url) == before


def test_the_insider_who_edits_an_event_and_rechains_it_is_named_without_a_checkpoint(signed_store):
    """A DBA edits the last event of a parcel and recomputes its chain: the chains pass, the signature does not."""
    from events.chain import chain_hash, content_digest
    from tests.integration.test_tamper import DB, relink

    url, ledger, made = signed_store
    for code in ("TL-1", "TL-2"):
        command = register(code)
        command.signer = made["张玉峰"]
        ledger.execute([command])
    sql = DB(url)
    [(rowid, oid, version)] = sql("SELECT {id}, originator_id, originator_version FROM {events} "
                                  "WHERE originator_id=? AND originator_version=1",
                                  (ledger.history("parcel", "TL-2")[0].originator_id.hex
                                   if not sql.pg else str(ledger.history("parcel", "TL-2")[0].originator_id),))
    [(topic, state)] = sql("SELECT topic, state FROM {events} WHERE {id}=?", (rowid,))
    forged = state.replace(b'"6.5"', b'"65.0"')
    assert forged != state
    sql("UPDATE {events} SET state=? WHERE {id}=?", (forged, rowid))
    oid_hex = oid if isinstance(oid, str) else oid.hex
    sql("UPDATE {chain} SET content=?, hash=? WHERE originator_id=? AND originator_version=?",
        (content_digest(topic, forged), chain_hash(bytes(32), oid_hex.replace("-", ""), version, topic, forged),
         oid, version))
    relink(sql)  # and the log-wide chain after it
    reopened = Ledger(url)
    try:
        assert verify(reopened.raw).ok  # the hash chains alone cannot tell
        _, problems = attestation.check(reopened)
        assert [(p.subject, p.version) for p in problems] == [("parcel:TL-2", 1)]
        assert "does not match" in problems[0].detail
    finally:
        reopened.close()
    from click.testing import CliRunner

    from cli import cli

    result = CliRunner().invoke(cli, ["--store", url, "verify"])
    assert result.exit_code == 1 and "signature: parcel:TL-2@1" in result.output


class SignedCommands(OnStore, RuleBasedStateMachine):
    """Random signed commands and forgeries against one signed store."""

    def open_store(self) -> None:
        import tempfile
        from pathlib import Path

        self.dir = Path(tempfile.mkdtemp())
        self.path = new_url(self.backend, self.dir)
        self.ledger = Ledger(self.path, create=True, signing="required", clock=Clock())
        self.made = people(self.ledger, self.dir)

    @initialize()
    def start(self):
        self.open_store()
        self.codes: list[str] = []
        self.accepted_lines: list[dict] = []

    def teardown(self):
        if hasattr(self, "ledger"):
            self.close_store()

    def _refused(self, command) -> None:
        before = fingerprint(self.path)
        try:
            self.ledger.execute([command])
        except Refused:
            assert fingerprint(self.path) == before
            return
        raise AssertionError(f"a forgery was recorded: {command}")

    @rule(n=st.integers(0, 10_000), days=st.integers(0, 300))
    def register_signed(self, n, days):
        code = f"TL-{n}"
        command = register(code, on=date(2023, 3, 1) + timedelta(days=days))
        line = signed(self.ledger, command, self.made["张玉峰"]) if code not in self.codes else None
        if line is None:
            return
        self.ledger.execute([from_line(line)])
        self.codes.append(code)
        self.accepted_lines.append(line)

    @precondition(lambda self: self.codes)
    @rule(data=st.data(), who=st.sampled_from(["张玉峰", "赵专家"]))
    def patrol_signed(self, data, who):
        code = data.draw(st.sampled_from(self.codes))
        role = "nrb" if who == "张玉峰" else "expert"
        fact = "log_patrol" if role == "nrb" else "log_supervision"
        command = build(fact, "parcel", code, who, role, date(2024, 1, 1), {"findings": "无"})
        command.signer = self.made[who]
        self.ledger.execute([command])

    @rule(who=st.sampled_from(["张志坚", "赵专家", "王五"]), n=st.integers(20_000, 30_000))
    def forged_role_or_revoked(self, who, n):
        command = register(f"TL-{n}", who, "nrb", date(2023, 8, 1))
        command.signer = self.made[who]
        self._refused(command)

    @precondition(lambda self: self.accepted_lines)
    @rule(data=st.data())
    def replayed(self, data):
        self._refused(from_line(data.draw(st.sampled_from(self.accepted_lines))))

    @rule(n=st.integers(30_000, 40_000), field=st.sampled_from(["area_ha", "name", "township"]),
          bit=st.integers(0, 7))
    def altered(self, n, field, bit):
        line = signed(self.ledger, register(f"TL-{n}"), self.made["张玉峰"])
        value = str(line["data"][field])
        line["data"][field] = value[:-1] + chr(ord(value[-1]) ^ (1 << bit) or 0x31)
        if line["data"][field] == value:
            return
        self._refused(from_line(line))

    @rule(n=st.integers(40_000, 50_000), flip=st.integers(0, 63))
    def corrupted_signature(self, n, flip):
        line = signed(self.ledger, register(f"TL-{n}"), self.made["张玉峰"])
        sig = bytearray(base64.b64decode(line["signature"]["sig"]))
        sig[flip % len(sig)] ^= 0x01
        line["signature"] = {**line["signature"], "sig": base64.b64encode(bytes(sig)).decode()}
        self._refused(from_line(line))

    @rule(n=st.integers(50_000, 60_000))
    def unsigned(self, n):
        self._refused(register(f"TL-{n}"))

    @invariant()
    def every_accepted_event_verifies(self):
        if hasattr(self, "ledger"):
            _, problems = attestation.check(self.ledger)
            assert problems == []


TestSignedCommandsSQLite, TestSignedCommandsPostgres = on_both_backends(SignedCommands, examples=12, steps=8,
                                                                        pg_examples=4)


def test_r24_flags_events_whose_signer_was_revoked_by_then_and_names_a_trial_store(signed_store, fresh_url):
    """A revocation entered later but dated earlier makes what that person signed meanwhile unattributable."""
    from audit import service

    url, ledger, made = signed_store
    command = register("TL-1", "赵专家", "expert")
    command.signer = made["赵专家"]
    with pytest.raises(Refused, match="may not register"):
        ledger.execute([command])
    patrol = register("TL-1")
    patrol.signer = made["张玉峰"]
    ledger.execute([patrol])
    supervision = build("log_supervision", "parcel", "TL-1", "赵专家", "expert", date(2023, 5, 1), {"findings": "无"})
    supervision.signer = made["赵专家"]
    ledger.execute([supervision])
    assert [f.rule for f in service.run(ledger, date(2025, 1, 1), rules="R24").findings] == []
    revoke = build("revoke_person", "person", "赵专家", "张玉峰", "nrb", date(2023, 4, 1), {}, "资格已于4月取消")
    revoke.signer = made["张玉峰"]
    ledger.execute([revoke])
    [finding] = service.run(ledger, date(2025, 1, 1), rules="R24").findings
    assert (finding.rule, finding.subject, finding.evidence) == ("R24", "TL-1", (("parcel", "TL-1", 2),))
    assert "revoked on 2023-04-01" in finding.message_en
    trial = Ledger(fresh_url, create=True)
    trial.execute([register("TL-1")])
    [store] = service.run(trial, date(2025, 1, 1), rules="R24").findings
    assert (store.subject, store.severity, store.message) == ("store", "high", "R24.2")
    trial.close()


@pytest.mark.parametrize("seed,jobs", [(1, 2), (2, 3), (3, 2)])
def test_the_log_checked_in_stretches_by_several_processes_says_what_one_pass_says(signed_store, seed, jobs):
    """Each worker replays the registry up to its stretch and reads the caller's snapshot: the signatures checked
    and every problem, in order, are those of one pass, whatever the stretches (edits and a late revocation)."""
    from tests.integration.test_tamper import DB

    url, ledger, made = signed_store
    for i, who in enumerate(["张玉峰", "张玉峰", "赵专家", "张玉峰"]):
        command = register(f"TL-{i}") if who == "张玉峰" else build(
            "log_supervision", "parcel", "TL-0", who, "expert", date(2023, 5, 1), {"findings": "无"})
        command.signer = made[who]
        ledger.execute([command])
    revoke = build("revoke_person", "person", "赵专家", "张玉峰", "nrb", date(2023, 4, 1), {}, "资格已于4月取消")
    revoke.signer = made["张玉峰"]
    ledger.execute([revoke])
    sql = DB(url)
    rows = sql("SELECT {id}, state FROM {events} ORDER BY {id}")
    for rowid, state in random.Random(seed).sample(rows, seed):  # edited in place: their signatures fail
        sql("UPDATE {events} SET state=? WHERE {id}=?", (bytes(state).replace(b'"nrb"', b'"xyz"', 1), rowid))
    reopened = Ledger(url)
    try:
        with reopened.raw.snapshot():
            one = attestation.check(reopened, jobs=1)
            many = attestation.check(reopened, jobs=jobs)
    finally:
        reopened.close()
    assert one[1] and many == one  # the revocation alone makes the expert's supervision a problem


def _stretch_store(signed_store):
    url, ledger, made = signed_store
    for i in range(6):
        command = register(f"TL-{i}")
        command.signer = made["张玉峰"]
        ledger.execute([command])
    return url


def test_a_row_edited_while_workers_read_is_judged_as_the_snapshot_has_it(signed_store):
    """On SQLite a worker reads its own snapshot: a row edited in place after the caller's began differs, the
    caller's digest of the stretch says so, and it checks that stretch itself."""
    from tests.integration.test_tamper import DB

    url = _stretch_store(signed_store)
    sql = DB(url)
    reopened = Ledger(url)
    try:
        with reopened.raw.snapshot():
            one = attestation.check(reopened, jobs=1)
            [(rowid, state)] = sql("SELECT {id}, state FROM {events} ORDER BY {id} DESC LIMIT 1")
            sql("UPDATE {events} SET state=? WHERE {id}=?", (bytes(state).replace(b'"nrb"', b'"xyz"', 1), rowid))
            assert attestation.check(reopened, jobs=2) == one == (one[0], [])
    finally:
        reopened.close()


def test_a_worker_that_fails_leaves_its_stretch_to_the_caller(signed_store, monkeypatch):
    url = _stretch_store(signed_store)
    reopened = Ledger(url)
    try:
        with reopened.raw.snapshot():
            one = attestation.check(reopened, jobs=1)
            monkeypatch.setattr(sys, "executable", "/bin/false")  # every worker exits 1 at once
            assert attestation.check(reopened, jobs=3) == one
    finally:
        reopened.close()


def test_the_exporting_transaction_waits_for_its_importers(signed_store):
    """PostgreSQL ends a transaction idle for 5 s (eventsourcing's setting), and with it the snapshot the
    workers import: the exporting one lifts that limit for itself."""
    url, ledger, _made = signed_store
    if not url.startswith("postgresql"):
        pytest.skip("SQLite has no snapshot to export")
    with ledger.raw.snapshot():
        assert ledger.raw.export_snapshot()
        [(timeout,)] = list(ledger.raw._rows("SHOW idle_in_transaction_session_timeout"))
    assert timeout == "0"
