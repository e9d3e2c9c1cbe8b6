"""Recording and refusing: what the ledger takes, what it refuses, and that a refusal changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from policies.refusals import Refused
from samples import scenario
from tests.support import cmd, run, store_bytes
from workflow.specs import PARCEL_SPECS

CODE = "TL-2023-01"
START = date(2023, 3, 1)


def life():
    return scenario.works_life(CODE, START, Decimal("6.1234"), Decimal("120.50"), programme="P")


@pytest.fixture(autouse=True)
def programme(ledger):
    run(ledger, *scenario.programme("P", on=date(2022, 12, 1)))


def test_a_whole_works_life_is_recorded(ledger):
    outcomes = run(ledger, *life())
    parcel = ledger.get("parcel", CODE)
    assert parcel.state == "accepted"
    assert parcel.version == len(life()) == outcomes[-1]["version"]
    assert parcel.area_ha == Decimal("6.1234")
    assert parcel.money["allocated"] == Decimal("108.45")
    assert parcel.money["paid"] == Decimal("54.22")
    assert parcel.progress == Decimal(50)


def test_every_event_carries_its_metadata(ledger, clock):
    run(ledger, *life())
    events = ledger.history("parcel", CODE)
    assert [e.originator_version for e in events] == list(range(1, len(events) + 1))
    accept = events[-1]
    assert (accept.trigger, accept.source, accept.dest) == ("accept", "works_completed", "accepted")
    assert accept.actor == "张玉峰" and accept.role == "nrb" and accept.on == START + timedelta(days=7 * 13)
    assert accept.documents == [{"title": "初步验收意见", "ref": f"YS-{CODE}"}]
    assert accept.recorded_at <= clock.now and accept.recorded_at.tzinfo is not None
    fact = events[7]
    assert fact.fact == "allocate_funds" and not hasattr(fact, "trigger") and fact.data["amount"] == Decimal("108.45")


def test_decimals_and_dates_survive_the_store_exactly(ledger):
    run(ledger, *life())
    submitted = ledger.history("parcel", CODE)[4]
    assert submitted.data["design_date"] == START + timedelta(days=30)
    assert submitted.data["earth_balance"]["surplus"] == Decimal(1000)
    assert isinstance(submitted.data["boundary_area_ha"], Decimal)


def first(trigger):
    return next(line for line in life() if line["do"] == trigger)


def at(trigger, **changes):
    line = dict(first(trigger))
    data = changes.pop("data", None)
    line.update(changes)
    if data is not None:
        line["data"] = {**line.get("data", {}), **data}
        line["data"] = {k: v for k, v in line["data"].items() if v is not None}
    return line


REFUSALS = [
    ("wrong state", at("approve_design"), "approve_design is not allowed from planned; allowed moves: commission_survey"),
    ("wrong role", at("commission_survey", role="finance"), "role finance may not commission_survey; allowed roles: nrb"),
    ("missing field", at("commission_survey", data={"contract_ref": None}), "commission_survey needs contract_ref (text); required: survey_unit, contract_ref"),
    ("unknown field", at("commission_survey", data={"colour": "red"}), "has no field 'colour'"),
    ("malformed", at("commission_survey", data={"contract_amount": "lots"}), "contract_amount='lots' is not a decimal"),
    ("non-positive amount", at("allocate_funds", data={"amount": "0"}), "amount='0' is not a number > 0"),
    ("non-positive area", at("register", parcel="TL-X", data={"area_ha": "-3"}), "area_ha='-3' is not a number > 0"),
    ("future date", at("commission_survey", on="2025-06-03"), "is in the future; allowed: on or before 2025-06-01"),
    ("before registration", at("log_patrol", on="2023-02-01"), "is before it was opened on 2023-03-01"),
    ("before last move", at("commission_survey", on="2023-03-02"), "is before its last move on 2023-03-08"),
    ("unknown parcel", at("commission_survey", parcel="TL-404"), "parcel TL-404: unknown parcel"),
    ("duplicate code", at("register"), "code TL-2023-01 is already registered"),
    ("unknown trigger", at("commission_survey", do="bulldoze"), "unknown trigger 'bulldoze'"),
    ("batch only", at("commission_survey", do="file_batch", role="prefecture_nrb"), "file_batch is not allowed"),
    ("conversion without sponsor", at("plan", parcel="TL-X", data={"mode": "conversion"}), "unknown parcel"),
]


@pytest.mark.parametrize("name,line,message", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_name_the_problem_and_change_nothing(ledger, store_url, name, line, message):
    run(ledger, *life()[:2])
    before = store_bytes(store_url)
    with pytest.raises(Refused) as refusal:
        run(ledger, line)
    text = str(refusal.value)
    assert message in text
    assert "\n" not in text
    if "unknown parcel" not in message:
        assert text.startswith(f"parcel {line['parcel']} (state ")
    assert store_bytes(store_url) == before
    assert ledger.get("parcel", CODE).version == 2


def test_a_batch_only_move_from_its_source_state_names_the_batch_commands(ledger):
    run(ledger, *life())
    with pytest.raises(Refused, match=r"file_batch moves parcels only through a write-off batch; use `minerehab do"):
        run(ledger, at("commission_survey", do="file_batch", role="prefecture_nrb", on="2023-06-30", data={}))


def test_a_rule_breaking_fact_is_recorded_not_refused(ledger):
    """Paying before any contract breaks R07, but the record must show what happened."""
    run(ledger, *life()[:2])
    run(ledger, at("make_payment", on="2023-03-09"))
    assert ledger.get("parcel", CODE).money["paid"] == Decimal("54.22")


def test_conversion_needs_a_sponsor_and_a_new_use(ledger):
    run(ledger, life()[0])
    with pytest.raises(Refused, match="plan with mode conversion needs sponsor"):
        run(ledger, at("plan", data={"mode": "conversion"}))
    run(ledger, at("plan", data={"mode": "conversion", "sponsor": "wrb", "new_use": "蓄水池"}))
    assert ledger.get("parcel", CODE).plan["sponsor"] == "wrb"


def test_natural_recovery_branch(ledger):
    run(ledger, life()[0], at("plan", data={"mode": "natural_recovery"}))
    run(ledger, scenario.command("start_natural_recovery", CODE, date(2023, 4, 1), scenario.NRB,
                                 {"assessment_ref": "PG-1", "notice_start": "2023-04-01"}))
    run(ledger, {**at("accept"), "on": "2024-05-01"})
    assert ledger.get("parcel", CODE).state == "accepted"


def test_natural_recovery_needs_a_natural_plan(ledger):
    run(ledger, *life()[:2])
    with pytest.raises(Refused, match="needs a plan in mode natural_recovery"):
        run(ledger, scenario.command("start_natural_recovery", CODE, date(2023, 4, 1), scenario.NRB,
                                     {"assessment_ref": "PG-1", "notice_start": "2023-04-01"}))


def test_suspend_and_resume_need_a_reason(ledger):
    run(ledger, *life()[:9])
    suspend = scenario.command("suspend", CODE, date(2023, 6, 1), ("生态环境局", "eeb"))
    with pytest.raises(Refused, match="suspend needs a reason"):
        run(ledger, suspend)
    run(ledger, {**suspend, "reason": "扬尘超标"})
    run(ledger, scenario.command("resume", CODE, date(2023, 6, 9), scenario.NRB, reason="整改到位"))
    assert ledger.get("parcel", CODE).state == "under_construction"


def test_all_or_nothing_names_the_line_and_writes_nothing(ledger, store_url):
    before = store_bytes(store_url)
    lines = life()
    lines[5] = {**lines[5], "role": "contractor"}
    with pytest.raises(Refused) as refusal:
        ledger.execute([cmd(line, n) for n, line in enumerate(lines, start=1)])
    assert str(refusal.value).startswith("line 6: parcel TL-2023-01 (state design_review): role contractor")
    assert store_bytes(store_url) == before
    assert ledger.find("parcel", CODE) is None


def test_each_commits_line_by_line(ledger):
    lines = life()
    lines[5] = {**lines[5], "role": "contractor"}
    results = list(ledger.execute_each([cmd(line, n) for n, line in enumerate(lines, start=1)]))
    refused = [r for r in results if isinstance(r, Refused)]
    # the moves after the refused approval fail too; the facts between them are still recorded
    assert [r.line for r in refused] == [6, 7, 9, 13, 14]
    parcel = ledger.get("parcel", CODE)
    assert parcel.state == "design_review"
    assert parcel.facts == {"allocate_funds": 1, "log_patrol": 1, "certify_progress": 1, "make_payment": 1}


def test_every_spec_role_is_enforced(ledger):
    """For each trigger, a role outside its list is refused with the allowed roles named."""
    for spec in PARCEL_SPECS.values():
        if spec.roles and "township" not in spec.roles:
            with pytest.raises(Refused, match="may not|not allowed|unknown parcel|already registered|makes no sense"):
                run(ledger, {"do": spec.name, "parcel": CODE, "actor": "x", "role": "township", "on": "2023-03-01"})
