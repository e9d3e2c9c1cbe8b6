"""Write-off batches, stewardship, programme and task force."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from policies.guards import stewardship, writeoff
from policies.refusals import Refused
from samples import scenario
from tests.stores import OnStore, on_both_backends
from tests.support import cmd, run, store_bytes

PREF = ("地区自然资源局", "prefecture_nrb")
AREAS = [Decimal("6.1234"), Decimal("3.5"), Decimal("10.25"), Decimal("0.7")]


def b(do, batch, on, data=None, actor=scenario.NRB):
    line = {"do": do, "batch": batch, "actor": actor[0], "role": actor[1], "on": on}
    return {**line, "data": data} if data is not None else line


def p(do, code, on, data=None, actor=scenario.NRB):
    return scenario.command(do, code, date.fromisoformat(on), actor, data)


def accepted(ledger, codes):
    run(ledger, *scenario.programme())
    for i, code in enumerate(codes):
        run(ledger, *scenario.works_life(code, date(2023, 3, 1), AREAS[i], Decimal("100")))
    return codes


@pytest.fixture
def parcels(ledger):
    return accepted(ledger, ["TL-1", "TL-2", "TL-3"])


def test_a_batch_files_and_writes_off_its_members_together(ledger, parcels):
    run(ledger, b("create_batch", "B1", "2023-07-01", {"year": 2023}),
        *[b("add_to_batch", "B1", "2023-07-02", {"parcel": c}) for c in parcels],
        b("submit_batch", "B1", "2023-07-03", {"report_ref": "TZ-1"}),
        b("return_batch", "B1", "2023-07-10", {"reasons": ["缺照片"]}, PREF),
        b("remove_from_batch", "B1", "2023-07-11", {"parcel": "TL-3"}),
        b("submit_batch", "B1", "2023-07-12", {"report_ref": "TZ-2"}))
    [outcome] = run(ledger, b("file_batch", "B1", "2023-07-20", {"filing_ref": "BA-1"}, PREF))
    assert outcome["parcels"] == ["TL-1", "TL-2"]
    assert [ledger.get("parcel", c).state for c in parcels] == ["filed", "filed", "accepted"]
    run(ledger, b("confirm_write_off", "B1", "2023-08-01", {"confirmation_ref": "XH-1", "rejected": ["TL-2"]}, PREF))
    assert [ledger.get("parcel", c).state for c in parcels] == ["written_off", "rectifying", "accepted"]
    batch = ledger.get("batch", "B1")
    assert batch.state == "written_off" and batch.rejected == ["TL-2"] and batch.returns == 1
    assert batch.area_ha == AREAS[0] + AREAS[1]
    last = ledger.history("parcel", "TL-1")[-1]
    assert (last.trigger, last.source, last.dest, last.role) == ("confirm_write_off", "filed", "written_off", "prefecture_nrb")
    assert last.data == {"batch": "B1", "confirmation_ref": "XH-1", "rejected": False}
    # the rejected parcel is rectified, accepted again, and may join a new batch
    run(ledger, p("complete_rectification", "TL-2", "2023-08-20", {"report_ref": "ZG-1"}, ("建安", "contractor")),
        p("accept", "TL-2", "2023-09-01", scenario.works_life("TL-2", date(2023, 3, 1), AREAS[1], Decimal(1))[-1]["data"]),
        b("create_batch", "B2", "2023-09-02", {"year": 2023}), b("add_to_batch", "B2", "2023-09-02", {"parcel": "TL-2"}))
    assert ledger.get("parcel", "TL-2").batch == "B2"


BATCH_REFUSALS = [
    ([b("add_to_batch", "B1", "2023-07-02", {"parcel": "TL-9"})], "parcel TL-9 is unknown"),
    ([b("add_to_batch", "B1", "2023-07-02", {"parcel": "TL-1"}), b("create_batch", "B2", "2023-07-02", {"year": 2023}),
      b("add_to_batch", "B2", "2023-07-03", {"parcel": "TL-1"})], "parcel TL-1 is already in live batch B1"),
    ([b("add_to_batch", "B1", "2023-05-01", {"parcel": "TL-1"})], "is before it was opened on 2023-07-01"),
    ([b("create_batch", "B0", "2023-05-01", {"year": 2023}), b("add_to_batch", "B0", "2023-05-10", {"parcel": "TL-1"})],
     "add_to_batch on 2023-05-10 is before parcel TL-1 was accepted on 2023-05-31"),
    ([b("submit_batch", "B1", "2023-07-03", {"report_ref": "TZ"})], "the batch is empty"),
    ([b("file_batch", "B1", "2023-07-03", {"filing_ref": "BA"}, PREF)], "file_batch is not allowed from open; allowed moves: add_to_batch"),
    ([b("add_to_batch", "B1", "2023-07-02", {"parcel": "TL-1"}), b("submit_batch", "B1", "2023-07-03", {"report_ref": "T"}),
      b("file_batch", "B1", "2023-07-04", {"filing_ref": "BA"})], "role nrb may not file_batch; allowed roles: prefecture_nrb"),
    ([b("add_to_batch", "B1", "2023-07-02", {"parcel": "TL-1"}), b("submit_batch", "B1", "2023-07-03", {"report_ref": "T"}),
      b("file_batch", "B1", "2023-07-04", {"filing_ref": "BA"}, PREF),
      b("confirm_write_off", "B1", "2023-07-05", {"confirmation_ref": "X", "rejected": ["TL-2"]}, PREF)],
     "rejected parcel TL-2 is not a member"),
    ([b("remove_from_batch", "B1", "2023-07-02", {"parcel": "TL-2"})], "parcel TL-2 is not a member"),
    ([b("create_batch", "B1", "2023-07-02", {"year": 2023})], "batch B1 already exists"),
    ([b("add_to_batch", "B9", "2023-07-02", {"parcel": "TL-1"})], "batch B9: unknown batch; create_batch it first"),
]


@pytest.mark.parametrize("lines,message", BATCH_REFUSALS, ids=[m for _, m in BATCH_REFUSALS])
def test_refused_batch_commands_change_no_aggregate(ledger, store_url, parcels, lines, message):
    run(ledger, b("create_batch", "B1", "2023-07-01", {"year": 2023}))
    *ok, bad = lines
    run(ledger, *ok)
    before = store_bytes(store_url)
    snapshot = {c: ledger.get("parcel", c) for c in parcels}
    with pytest.raises(Refused, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(ledger, bad)
    assert store_bytes(store_url) == before
    assert {c: ledger.get("parcel", c) for c in parcels} == snapshot


def test_filing_a_parcel_directly_is_refused_with_the_batch_command(ledger, parcels):
    with pytest.raises(Refused, match="moves parcels only through a write-off batch"):
        run(ledger, p("file_batch", "TL-1", "2023-07-01", actor=PREF))


def test_a_batch_guard_is_a_plain_function():
    class Batch:
        key, state, members = "B1", "open", {}

    with pytest.raises(Refused, match="the batch is empty"):
        writeoff.check_submit(Batch())


def test_stewardship_from_designation_to_close(ledger, parcels):
    code = "TL-1"
    steward = ("庙尔沟镇人民政府", "steward")
    with pytest.raises(Refused, match="close_stewardship is not allowed from accepted"):
        run(ledger, p("close_stewardship", code, "2023-07-01"))
    with pytest.raises(Refused, match="hand_over needs a designated steward"):
        run(ledger, p("hand_over", code, "2023-07-01", {"handover_ref": "YJ"}, steward))
    run(ledger, p("designate_steward", code, "2023-07-02", {"steward": "庙尔沟镇人民政府", "kind": "township",
                                                            "agreement_ref": "GH-1", "period_years": 1}),
        b("create_batch", "B1", "2023-07-03", {"year": 2023}), b("add_to_batch", "B1", "2023-07-03", {"parcel": code}),
        b("submit_batch", "B1", "2023-07-04", {"report_ref": "T"}),
        b("file_batch", "B1", "2023-07-05", {"filing_ref": "BA"}, PREF),
        b("confirm_write_off", "B1", "2023-07-06", {"confirmation_ref": "XH"}, PREF))
    with pytest.raises(Refused, match="needs a steward who has taken the parcel over"):
        run(ledger, p("close_stewardship", code, "2025-01-01"))
    with pytest.raises(Refused, match="role nrb may not hand_over; allowed roles: steward"):
        run(ledger, p("hand_over", code, "2023-07-10", {"handover_ref": "YJ"}))
    run(ledger, p("hand_over", code, "2023-07-10", {"handover_ref": "YJ"}, steward),
        p("log_stewardship_inspection", code, "2024-01-10", {"condition": "良好", "survival_rate": "88"}, steward),
        p("report_damage", code, "2024-06-01", {"description": "冲沟"}, steward))
    with pytest.raises(Refused, match="before the stewardship period ends on 2024-07-10"):
        run(ledger, p("close_stewardship", code, "2024-07-09"))
    with pytest.raises(Refused, match="with open damage D1"):
        run(ledger, p("close_stewardship", code, "2024-07-10"))
    with pytest.raises(Refused, match="damage D9 is not open; open: D1"):
        run(ledger, p("resolve_damage", code, "2024-07-01", {"damage": "D9"}, steward))
    run(ledger, p("resolve_damage", code, "2024-07-01", {"action": "回填"}, steward),
        p("close_stewardship", code, "2024-07-10"))
    parcel = ledger.get("parcel", code)
    assert parcel.state == "closed" and parcel.open_damages == []
    assert stewardship.stewardship_ends(parcel) == date(2024, 7, 10)


def test_designating_a_steward_before_acceptance_makes_no_sense(ledger):
    run(ledger, *scenario.programme(), *scenario.works_life("TL-1", date(2023, 3, 1), AREAS[0], Decimal(1))[:3])
    with pytest.raises(Refused, match="designate_steward makes no sense in state surveying; allowed in: accepted"):
        run(ledger, p("designate_steward", "TL-1", "2023-04-01", {"steward": "s", "kind": "k", "agreement_ref": "a",
                                                                  "period_years": 1}))


def test_a_parcel_is_planned_only_into_an_approved_programme_and_one_of_its_years(ledger):
    register, plan = scenario.works_life("TL-1", date(2023, 3, 1), AREAS[0], Decimal(1))[:2]
    create, approve = scenario.programme()
    run(ledger, register)
    with pytest.raises(Refused, match="programme TL-2023-2025 is unknown"):
        run(ledger, plan)
    run(ledger, create)
    with pytest.raises(Refused, match="programme TL-2023-2025 is drafted; only an approved programme"):
        run(ledger, plan)
    with pytest.raises(Refused, match="role nrb may not approve_programme; allowed roles: county_gov"):
        run(ledger, {**approve, "role": "nrb"})
    run(ledger, approve)
    with pytest.raises(Refused, match="year 2026 is not in programme TL-2023-2025; years: 2023, 2024, 2025"):
        run(ledger, {**plan, "data": {**plan["data"], "year": 2026}})
    run(ledger, plan)
    run(ledger, {"do": "include_in_budget", "programme": "TL-2023-2025", "actor": "张志坚", "role": "finance",
                 "on": "2023-02-01", "data": {"year": 2023, "amount": "1500.5"}})
    prog = ledger.get("programme", "TL-2023-2025")
    assert prog.budgets == {2023: Decimal("1500.5")}
    assert prog.planned_area_ha == Decimal("211.2978")


def test_the_task_force_answers_who_was_on_it_on_a_date(ledger):
    def tf(do, on, **data):
        return {"do": do, "taskforce": "TF-654224", "actor": "金勇", "role": "county_gov", "on": on, "data": data}

    run(ledger, tf("appoint_member", "2023-01-05", person="金勇", unit="county_gov", position="组长"),
        tf("appoint_member", "2023-01-05", person="郑旭山", unit="wrb", position="成员"),
        tf("remove_member", "2023-09-01", person="郑旭山"),
        tf("appoint_member", "2023-09-01", person="新局长", unit="wrb", position="成员"))
    force = ledger.get("taskforce", "TF-654224")
    assert [m["person"] for m in force.members_on(date(2023, 8, 31))] == ["金勇", "郑旭山"]
    assert [m["person"] for m in force.members_on(date(2023, 9, 1))] == ["金勇", "新局长"]
    assert force.members_on(date(2023, 1, 4)) == []
    with pytest.raises(Refused, match="郑旭山 is not a current member"):
        run(ledger, tf("remove_member", "2023-10-01", person="郑旭山"))
    with pytest.raises(Refused, match="金勇 is already a member"):
        run(ledger, tf("appoint_member", "2023-10-01", person="金勇", unit="county_gov", position="组长"))


CODES = ["TL-1", "TL-2", "TL-3", "TL-4"]
BATCHES = ["B1", "B2"]


class BatchMachine(OnStore, RuleBasedStateMachine):
    """Random batch commands over accepted parcels: membership, filing and write-off stay consistent."""

    def __init__(self):
        super().__init__()
        self.open_store()
        accepted(self.ledger, CODES)
        self.day = date(2023, 7, 1)

    def teardown(self):
        self.close_store()

    def _run(self, line):
        before = store_bytes(self.path)
        records = {c: self.ledger.find("parcel", c) for c in CODES} | {k: self.ledger.find("batch", k) for k in BATCHES}
        try:
            self.ledger.execute([cmd(line)])
        except Refused:
            assert store_bytes(self.path) == before
            assert records == {c: self.ledger.find("parcel", c) for c in CODES} | {
                k: self.ledger.find("batch", k) for k in BATCHES}

    def _on(self, step):
        self.day += timedelta(days=step)
        return self.day.isoformat()

    @rule(batch=st.sampled_from(BATCHES), step=st.integers(0, 3))
    def create(self, batch, step):
        self._run(b("create_batch", batch, self._on(step), {"year": 2023}))

    @rule(batch=st.sampled_from(BATCHES), code=st.sampled_from(CODES), remove=st.booleans())
    def membership(self, batch, code, remove):
        self._run(b("remove_from_batch" if remove else "add_to_batch", batch, self._on(1), {"parcel": code}))

    @rule(batch=st.sampled_from(BATCHES), do=st.sampled_from(["submit_batch", "return_batch", "file_batch"]),
          wrong_role=st.sampled_from([False, False, False, True]))
    def advance(self, batch, do, wrong_role):
        role = scenario.NRB if (do == "submit_batch") != wrong_role else PREF
        data = {"submit_batch": {"report_ref": "T"}, "return_batch": {"reasons": ["补充"]},
                "file_batch": {"filing_ref": "BA"}}[do]
        self._run(b(do, batch, self._on(1), data, role))

    @rule(batch=st.sampled_from(BATCHES), rejected=st.lists(st.sampled_from(CODES), max_size=2, unique=True))
    def confirm(self, batch, rejected):
        self._run(b("confirm_write_off", batch, self._on(1), {"confirmation_ref": "XH", "rejected": rejected}, PREF))

    @rule(batch=st.sampled_from(BATCHES), data=st.data())
    def happy_path(self, batch, data):
        """One step along the ordinary path, so random runs reach filing and write-off."""
        record = self.ledger.find("batch", batch)
        state = record.state if record else "new"
        free = [c for c in CODES if (parcel := self.ledger.get("parcel", c)).state == "accepted" and parcel.batch is None]
        if state in ("new", "written_off"):
            self.create(batch, 1)
        elif state == "open" and free and (not record.members or data.draw(st.booleans())):
            self.membership(batch, data.draw(st.sampled_from(free)), False)
        elif state == "open":
            self.advance(batch, "submit_batch", False)
        elif state == "submitted":
            self.advance(batch, "file_batch", False)
        else:
            self.confirm(batch, data.draw(st.lists(st.sampled_from(sorted(record.members)), max_size=1)))

    @rule(code=st.sampled_from(CODES))
    def reaccept(self, code):
        self._run(p("complete_rectification", code, self._on(1), {"report_ref": "ZG"}, ("建安", "contractor")))
        self._run(p("accept", code, self._on(1), scenario.works_life(code, date(2023, 3, 1), Decimal(1), Decimal(1))[-1]["data"]))

    @invariant()
    def no_parcel_in_two_live_batches(self):
        live = [(code, key) for key, batch in self.ledger.records("batch").items() if batch.is_live
                for code in batch.members]
        codes = [code for code, _ in live]
        assert len(codes) == len(set(codes))
        for code, key in live:
            assert self.ledger.get("parcel", code).batch == key

    @invariant()
    def written_off_only_through_a_filed_batch(self):
        for code in CODES:
            for event in self.ledger.history("parcel", code):
                if getattr(event, "dest", None) in ("filed", "written_off"):
                    batch_events = self.ledger.history("batch", event.data["batch"])
                    moved = {"filed": "file_batch", "written_off": "confirm_write_off"}[event.dest]
                    assert any(e.trigger == moved and e.on == event.on for e in batch_events)
                    if event.dest == "written_off":
                        assert any(e.trigger == "file_batch" for e in batch_events)

    @invariant()
    def batch_area_is_the_sum_of_measured_areas(self):
        """Each member counts with the measured area its parcel had when it joined this batch."""
        for key, batch in self.ledger.records("batch").items():
            measured = []
            for code in batch.members:
                joined = [e.originator_version for e in self.ledger.history("parcel", code)
                          if getattr(e, "fact", None) == "add_to_batch" and e.data["batch"] == key][-1]
                parcel = self.ledger.view("parcel", code, version=joined)
                measured.append(parcel.steps["accept"]["measured_area_ha"])
                if batch.is_live:
                    assert self.ledger.get("parcel", code).steps["accept"] == parcel.steps["accept"]
            assert batch.area_ha == sum(measured, Decimal(0))


TestBatchesSQLite, TestBatchesPostgres = on_both_backends(BatchMachine, examples=12, steps=30, pg_examples=6)


def test_accepted_area_is_one_figure_for_the_batch_the_progress_report_and_r19(ledger):
    """Accepted without a measurement: the registered area counts everywhere, never the as-built claim."""
    from audit import engine
    from reports.progress import progress

    life = scenario.works_life("TL-1", date(2023, 3, 1), Decimal("6.5"), Decimal("100"), year=2023)
    accept = next(x for x in life if x["do"] == "accept")
    del accept["data"]["measured_area_ha"]
    next(x for x in life if x["do"] == "complete_works")["data"]["as_built_area_ha"] = Decimal("7.9")
    run(ledger, *scenario.programme(), *life,
        {"do": "create_batch", "batch": "B1", "actor": "张玉峰", "role": "nrb", "on": "2024-01-02", "data": {"year": 2023}},
        {"do": "add_to_batch", "batch": "B1", "actor": "张玉峰", "role": "nrb", "on": "2024-01-02",
         "data": {"parcel": "TL-1"}})
    batch_area = ledger.get("batch", "B1").area_ha
    report = progress(ledger.each("parcel"), ledger.get("programme", "TL-2023-2025"), date(2024, 12, 31))
    audit = engine.Audit(date(2024, 12, 31))
    audit.read(ledger.raw.events_by_aggregate())
    index = audit.index()
    assert batch_area == report["total"]["accepted_total_ha"] == index.totals[("TL-2023-2025", 2023)] == Decimal("6.5")
