"""A read split into shares by worker processes (the audit, verify) says exactly what one pass says."""

from __future__ import annotations

import copy
import re
import shutil
import sys
import uuid
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import shares
from events.errors import Tampered
from events.rawlog import spans
from events.workers import Dispenser
from tests.integration.test_audit import EXTRAS, START, base, fact, line, parcel_plan
from tests.integration.test_identity import signed_store  # noqa: F401  (a fixture)
from tests.integration.test_tamper import DB, build, tamper
from tests.stores import drop, new_url
from tests.support import Clock
from workflow.ledger import Ledger

AS_OF = date(2024, 3, 1)


@given(st.integers(0, 2**128 - 1), st.integers(1, 9))
def test_the_shares_cover_every_id_once_in_order(number, parts):
    oid = f"{number:032x}"
    cut = spans(10, parts)
    assert [s.upto for s in cut] == [10] * parts and cut[0].lo == "0" * 32 and cut[-1].hi is None
    assert all(a.hi == b.lo for a, b in zip(cut, cut[1:]))
    assert sum(s.lo <= oid and (s.hi is None or oid < s.hi) for s in cut) == 1


@given(st.integers(1, 40), st.lists(st.booleans(), max_size=60))
def test_the_dispenser_gives_every_share_once_the_callers_a_prefix(count, takers):
    dispenser, caller, workers = Dispenser(count), [], []
    for worker in takers + [False] * count:
        got = dispenser.last() if worker else dispenser.first()
        if got is not None:
            (workers if worker else caller).append(got)
    assert caller == list(range(len(caller))) and dispenser.front == len(caller)
    assert sorted(caller + workers) == list(range(count)) and workers == sorted(workers, reverse=True)


@pytest.fixture
def workers_take_the_rest(monkeypatch):
    """The caller folds the first half of the shares only, whatever the workers' start-up (a small log's shares
    would all be folded before a worker has started): the workers' path is tested too."""

    def first(self):
        with self.lock:
            half = self.__dict__.setdefault("half", (self.back + 1) // 2)
            if self.front >= half or self.front > self.back:
                return None
            self.front += 1
            return self.front - 1

    monkeypatch.setattr(Dispenser, "first", first)


def store_of(url: str, plans) -> Ledger:
    """A store of the union test's random parcels (faults drawn by hypothesis)."""
    from tests.integration.test_audit import Store

    Ledger(url, create=True).close()
    ledger = Ledger(url, clock=Clock())
    store = Store(ledger)
    for n, (length, extras, township, depth, verification) in enumerate(plans):
        code = f"TL-{n}"
        lines = copy.deepcopy(base(code))[:length]
        register = line(lines, "register", code)["data"]
        register.update(township=township, pit_depth_m=depth)
        if verification:
            register["verification_id"] = verification
        for which, day in extras:
            do, actor, data = EXTRAS[which]
            lines.append(fact(do, START + timedelta(days=day), data, actor, code))
        store.load(lines)
    return ledger


@given(st.lists(parcel_plan, min_size=1, max_size=6), st.integers(2, 4), st.sampled_from([date(2023, 6, 20), AS_OF]))
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
def test_an_audit_in_shares_finds_what_one_pass_finds_in_its_order(backend, tmp_path_factory, workers_take_the_rest,
                                                                    plans, jobs, as_of):
    url = new_url(backend, tmp_path_factory.mktemp("shares"))
    ledger = store_of(url, plans)
    try:
        ticks = []
        one = shares.run(ledger, as_of, jobs=1)
        many = shares.run(ledger, as_of, jobs=jobs, tick=ticks.append)
        assert many == one  # every finding, in order, and the summary's counts
        assert sum(ticks) == ledger.raw.last_id()  # every share's progress reaches the caller's bar
    finally:
        ledger.close()
        drop(url)


def _aggregates(url: str) -> list[str]:
    return sorted({oid for (oid,) in DB(url)("SELECT originator_id FROM {events}")})


@pytest.mark.parametrize("mutation", ["edit", "delete", "drop", "tail"])
def test_an_edited_log_is_tampered_in_shares_naming_what_one_pass_names(backend, tmp_path, workers_take_the_rest,
                                                                        mutation):
    """A row of every aggregate changed, so every share has problems: the audit is void, and every problem of
    every share is named, in one pass's order."""
    url = build(new_url(backend, tmp_path), parcels=10)
    sql = DB(url)
    if mutation == "tail":  # the newest events, whoever's they are: the bound of every share must still see them
        sql("DELETE FROM {events} WHERE {id} > (SELECT max({id}) - 40 FROM {events})")
    for oid in _aggregates(url) if mutation != "tail" else ():
        [(rowid, state)] = sql("SELECT {id}, state FROM {events} WHERE originator_id = ? AND originator_version = 1",
                               (oid,))
        if mutation == "edit":
            sql("UPDATE {events} SET state=? WHERE {id}=?", (bytes(state).replace(b'"on"', b'"on" ', 1), rowid))
        elif mutation == "delete":
            sql("DELETE FROM {events} WHERE {id}=?", (rowid,))
        else:
            sql("DELETE FROM {events} WHERE originator_id=?", (oid,))
    ledger = Ledger(url)
    try:
        with pytest.raises(Tampered) as one:
            shares.run(ledger, AS_OF, jobs=1)
        with pytest.raises(Tampered) as many:
            shares.run(ledger, AS_OF, jobs=3)
    finally:
        ledger.close()
        drop(url)
    assert len({p.subject for p in one.value.problems}) >= (10 if mutation != "tail" else 2)
    assert many.value.problems == one.value.problems and str(many.value) == str(one.value)


def test_a_worker_that_fails_leaves_its_share_to_the_caller(tampered, monkeypatch):
    ledger = Ledger(tampered)
    try:
        one = shares.run(ledger, AS_OF, jobs=1)
        monkeypatch.setattr(sys, "executable", "/bin/false")  # every worker exits 1 at once
        assert shares.run(ledger, AS_OF, jobs=3) == one
    finally:
        ledger.close()


def _audited(ledger, jobs: int):
    return shares.run(ledger, AS_OF, jobs=jobs)


def _verified_counts(ledger, jobs: int):
    from events.verify import verify

    report = verify(ledger.raw, owner=ledger, jobs=jobs)
    return report.ok, report.events, report.aggregates, report.tree_size, report.root


@pytest.mark.parametrize("read", [_audited, _verified_counts])
def test_what_a_writer_appends_after_a_read_began_is_read_by_no_share(tampered, workers_take_the_rest, monkeypatch,
                                                                      read):
    """A worker takes its snapshot after the caller's (on SQLite it cannot take the caller's): every share is
    bounded by the caller's last notification id, so parcels registered meanwhile are in no share. verify's
    shares count their chain entries without that bound (from an index alone): entries appended since are
    counted then, and the share is read again apart, bounded, finding nothing wrong."""
    ledger = Ledger(tampered)
    try:
        before = read(ledger, 1)
        last = ledger.raw.last_id(chained=True)
    finally:
        ledger.close()
    build_more(tampered)
    ledger = Ledger(tampered)
    try:
        assert read(ledger, 1) != before
        monkeypatch.setattr(type(ledger.raw), "last_id", lambda self, chained=False: last)  # as if they came later
        assert read(ledger, 2) == before
    finally:
        ledger.close()


def build_more(url: str) -> None:
    from samples import scenario
    from tests.support import cmd

    ledger = Ledger(url, clock=Clock())
    try:
        ledger.execute([cmd(x) for x in scenario.works_life("TL-9", date(2023, 3, 1), 7, 100)])
    finally:
        ledger.close()


@pytest.fixture
def tampered(backend, tmp_path):
    url = build(new_url(backend, tmp_path), parcels=4)
    yield url
    drop(url)


@pytest.mark.parametrize("lang,words", [("en", "Invalid value for '--jobs': 0 is not in the range x>=1"),
                                        ("zh", "'--jobs' 的值无效：0 不在范围 x>=1 内")])
def test_jobs_on_the_command_line(tampered, tmp_path, monkeypatch, workers_take_the_rest, lang, words):
    """`--jobs N` gives the same report whatever N; 0 is one line naming the option, exit 2, nothing written."""
    from click.testing import CliRunner

    from cli import cli
    from tests.stores import fingerprint

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MINEREHAB_STORE", tampered)
    runner = CliRunner()
    outputs = {runner.invoke(cli, ["--lang", lang, "audit", "--as-of", "2024-03-01", "--format", "json", "--jobs", n]).output
               for n in ("1", "2", "3")}
    assert len(outputs) == 1 and '"findings"' in outputs.pop()
    before = fingerprint(tampered)
    bad = runner.invoke(cli, ["--lang", lang, "audit", "--jobs", "0"])
    assert bad.exit_code == 2 and words in bad.output and "Traceback" not in bad.output
    assert fingerprint(tampered) == before


# --- verify in shares: the log in stretches, the aggregates in shares -------------------------------------------------

def _verified(url: str, jobs: int, tick=None):
    from events.verify import verify

    ledger = Ledger(url)
    try:
        return verify(ledger.raw, tick=tick, owner=ledger, jobs=jobs)
    finally:
        ledger.close()


@pytest.mark.parametrize("mutation", ["none", "edit", "delete", "insert", "swap", "move", "drop", "tail"])
def test_verify_in_shares_names_what_one_pass_names(backend, tmp_path, workers_take_the_rest, mutation):
    """Stretches of the log and shares of the aggregates checked by workers and here: every problem, in one
    pass's order, the same counts and the same Merkle root, whatever was done to the rows."""
    url = build(new_url(backend, tmp_path), parcels=10)
    sql = DB(url)
    ids = _aggregates(url)
    [(rowid,)] = sql("SELECT {id} FROM {events} WHERE originator_id = ? AND originator_version = 2", (ids[-1],))
    [(first,)] = sql("SELECT {id} FROM {events} WHERE originator_id = ? AND originator_version = 1", (ids[-1],))
    if mutation == "edit":  # every aggregate's second event: problems in every share
        for (edited,) in sql("SELECT {id} FROM {events} WHERE originator_version = 2"):
            tamper(sql, "edit", edited, forge=lambda state: state.replace(b'"on"', b'"on" ', 1))
    elif mutation in ("delete", "insert", "swap", "move"):
        tamper(sql, mutation, rowid, first)
    elif mutation == "drop":
        sql("DELETE FROM {events} WHERE originator_id=?", (ids[0],))
    elif mutation == "tail":
        sql("DELETE FROM {events} WHERE {id} > (SELECT max({id}) - 20 FROM {events})")
    ticks = []
    try:
        one, many = _verified(url, 1), _verified(url, 3, ticks.append)
    finally:
        drop(url)
    assert (many.ok, many.events, many.aggregates, many.tree_size, many.root) == \
        (one.ok, one.events, one.aggregates, one.tree_size, one.root)
    assert many.problems == one.problems and one.ok == (mutation == "none")
    assert sum(ticks) == one.events + one.tree_size  # each event in its chain and in the log, whoever read it


def test_verify_does_a_failed_workers_shares_itself(tampered, monkeypatch):
    one = _verified(tampered, 1)
    monkeypatch.setattr(sys, "executable", "/bin/false")
    many = _verified(tampered, 3)
    assert (many.problems, many.events, many.aggregates, many.root) == (one.problems, one.events, one.aggregates,
                                                                        one.root)


def test_a_signed_store_audited_in_shares_judges_each_signer_as_one_pass(signed_store, workers_take_the_rest):  # noqa: F811
    """Each worker replays the registry as the caller's snapshot has it: who could sign what, and when (R24),
    is judged alike in every share (an expert's supervisions signed before a revocation dated back before them)."""
    from tests.integration.test_identity import build as command
    from tests.integration.test_identity import register

    url, ledger, made = signed_store
    for i in range(8):
        signed = register(f"TL-{i}", on=date(2023, 3, 1 + i))
        signed.signer = made["张玉峰"]
        ledger.execute([signed])
        supervision = command("log_supervision", "parcel", f"TL-{i}", "赵专家", "expert", date(2023, 5, 1),
                              {"findings": "无"})
        supervision.signer = made["赵专家"]
        ledger.execute([supervision])
    revoke = command("revoke_person", "person", "赵专家", "张玉峰", "nrb", date(2023, 4, 1), {}, "资格已于4月取消")
    revoke.signer = made["张玉峰"]
    ledger.execute([revoke])
    one = shares.run(ledger, AS_OF, jobs=1)
    assert sum(f.rule == "R24" for f in one[0]) >= 8
    assert shares.run(ledger, AS_OF, jobs=3) == one


@pytest.fixture(scope="module")
def small_log(tmp_path_factory):
    """A SQLite store of three parcels' lives, copied afresh for every example that tampers with it."""
    return build(str(tmp_path_factory.mktemp("log") / "log.db"), parcels=3)


STAMPED = re.compile(rb'("timestamp":\{"_type_":"datetime_iso","_data_":")([^"]*)(")')

row_changes = st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(
    ["earlier", "much earlier", "later", "unreadable", "unlinked", "relinked", "gone", "far below", "between"])),
    max_size=6)


@given(row_changes, st.integers(0, 10**6), st.integers(-3, 3), st.integers(2, 6))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_log_in_stretches_joins_into_what_one_pass_finds(small_log, tmp_path, changes, size, days, jobs):
    """The log-order pass cut into stretches (here, all in this process) and joined at the seams: the same Merkle
    roots, the same log-chain breaks and the same times named, in the same order, whatever was done to the rows:
    times moved back (a stretch whose events fall behind an earlier stretch's latest is checked again from it) or
    forward, made unreadable, log links dropped or changed, rows gone from both tables or moved to ids no stretch
    was counted for; against a checkpoint of any size and time."""
    from events.verify import verify

    url = str(tmp_path / f"copy-{uuid.uuid4().hex}.db")
    shutil.copy(small_log, url)
    sql = DB(url)
    rows = sql("SELECT {id}, state FROM {events} ORDER BY {id}")
    for at, change in changes:
        nid, state = rows[at % len(rows)]
        if change in ("earlier", "much earlier", "later", "unreadable"):
            when = datetime.fromisoformat(STAMPED.search(state)[2].decode())
            moved = {"earlier": when - timedelta(hours=1), "much earlier": when - timedelta(days=400),
                     "later": when + timedelta(days=30)}.get(change)
            text = b"not a time" if moved is None else moved.isoformat().encode()
            sql("UPDATE {events} SET state=? WHERE {id}=?", (STAMPED.sub(lambda m: m[1] + text + m[3], state), nid))
        elif change == "unlinked":
            sql("UPDATE {chain} SET log_hash=NULL WHERE notification_id=?", (nid,))
        elif change == "relinked":
            sql("UPDATE {chain} SET log_hash=? WHERE notification_id=?", (bytes(32), nid))
        elif change == "far below":  # moved in both tables below every id a stretch could be cut at
            low = -(1 << 62) - nid
            sql("UPDATE {events} SET {id}=? WHERE {id}=?", (low, nid))
            sql("UPDATE {chain} SET notification_id=? WHERE notification_id=?", (low, nid))
        elif change == "between":  # an id no count foresees: between two others
            sql("UPDATE {chain} SET notification_id=? WHERE notification_id=?", (nid + 0.5, nid))
        else:
            sql("DELETE FROM {events} WHERE {id}=?", (nid,))
            sql("DELETE FROM {chain} WHERE notification_id=?", (nid,))
    first = datetime.fromisoformat(STAMPED.search(rows[0][1])[2].decode())
    checkpoint = {"origin": "elsewhere", "tree_size": size % (len(rows) + 3), "root": "00" * 32,
                  "timestamp": (first + timedelta(days=days * 200)).isoformat(), "previous": None}
    ledger = Ledger(url)
    try:
        one = verify(ledger.raw, checkpoint, jobs=1)
        many = verify(ledger.raw, checkpoint, jobs=jobs)
    finally:
        ledger.close()
    assert (many.tree_size, many.root, many.events) == (one.tree_size, one.root, one.events)
    assert many.problems == one.problems


def test_a_stretch_read_in_another_snapshot_is_read_again_here(small_log, tmp_path):
    """On SQLite a worker reads its own snapshot: a stretch whose rows a hand changed after the caller counted
    them is read again in the caller's snapshot, so the tree, its roots and the log chain are the caller's."""
    from events import logorder, merkle
    from events.verify import verify

    here, there = str(tmp_path / "here.db"), str(tmp_path / "there.db")
    shutil.copy(small_log, here)
    shutil.copy(small_log, there)
    ledger, other = Ledger(here), Ledger(there)
    try:
        last = ledger.raw.last_id(chained=True)
        cut = logorder.stretches(ledger.raw, last, 4)
        gone = cut[1].after + 2  # a row of the second stretch, gone from both tables in the other snapshot
        DB(there)("DELETE FROM {events} WHERE {id}=?", (gone,))
        DB(there)("DELETE FROM {chain} WHERE notification_id=?", (gone,))
        names, sizes = ledger.raw.keys(), {cut[2].begin + 1, last}
        parts = [(s, logorder.log_part((other if i == 1 else ledger).raw, s, names, sizes, [])) for i, s in enumerate(cut)]
        assert parts[1][1].tree.size - parts[1][1].tree.begin == cut[1].rows - 1
        problems, late = [], []
        tree, roots = logorder.join(parts, ledger.raw, names, sizes, [], problems, late)
        one, leaves = verify(ledger.raw, jobs=1), ledger.raw.leaf_hashes()
    finally:
        ledger.close()
        other.close()
    assert (tree.size, tree.root()) == (one.tree_size, one.root) and problems == [] and one.ok
    assert roots == {n: merkle.root(leaves[:n]) for n in sizes}
