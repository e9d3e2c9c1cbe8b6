"""Every compliance rule: a history that breaks it and one that keeps it by a narrow margin."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal

import pytest

from audit import shares as auditing
from audit.engine import Audit
from policies.catalogue import RULES, ConfigError, load_config
from policies.dossiers import DOSSIERS
from samples import scenario
from tests.support import cmd

CODE = "TL-1"
START = date(2023, 3, 1)
AS_OF = date(2023, 6, 20)
CONTRACTOR = ("托里县建安公司", "contractor")
COUNTY = ("金勇", "county_gov")
FINANCE = ("张志坚", "finance")


def base(code=CODE, area=Decimal("6.0")) -> list[dict]:
    """A clean parcel life: designed, built, patrolled weekly, accepted, paid in full."""
    life = scenario.works_life(code, START, area, Decimal("100"))
    patrols = [scenario.command("log_patrol", code, date(2023, 5, d), ("庙尔沟镇", "township"), {"findings": "无隐患"})
               for d in (10, 17)]
    return life + patrols + scenario.settlement(code, date(2023, 6, 3), scenario.contract_of(life))


def line(lines, do, code=CODE):
    return next(x for x in lines if x["do"] == do and x.get("parcel") == code)


def fact(do, on, data, actor=scenario.NRB, code=CODE):
    return scenario.command(do, code, on, actor, data)


class Store:
    def __init__(self, ledger):
        self.ledger = ledger
        self.load(scenario.programme() + scenario.taskforce())

    def load(self, lines, migrated=True):
        commands = [cmd(x) for x in lines]
        for c in commands:
            c.migrated = migrated
        self.ledger.execute(commands)
        return self

    def v(self, do, code=CODE, nth=-1):
        """Version of the nth event of that name on a parcel (its evidence in a finding)."""
        events = [e for e in self.ledger.history("parcel", code) if (getattr(e, "trigger", None) or e.fact) == do]
        return events[nth].originator_version

    def audit(self, rule, as_of=AS_OF, config=None):
        findings, _ = auditing.run(self.ledger, as_of, config, [rule])
        return [(f.subject, [(k, key, v) for k, key, v in f.evidence]) for f in findings]


@pytest.fixture
def store(ledger):
    return Store(ledger)


def ev(*versions, code=CODE):
    return [("parcel", code, v) for v in versions]


def test_the_clean_life_breaks_no_rule(store):
    store.load(base())
    findings, summary = auditing.run(store.ledger, AS_OF)
    assert [(f.rule, f.subject) for f in findings] == []
    assert summary["migrated_events"] == summary["events_read"] == 9 + len(base())


# R01 -----------------------------------------------------------------------

def test_r01_off_site_equal_to_the_surplus_is_kept(store):
    store.load(base() + [fact("move_material", date(2023, 4, 27), {"volume_m3": "1000", "destination": "off_site"},
                              CONTRACTOR)])
    assert store.audit("R01") == []


def test_r01_off_site_above_the_surplus(store):
    store.load(base() + [fact("move_material", date(2023, 4, 27), {"volume_m3": "1000.5", "destination": "off_site"},
                              CONTRACTOR)])
    assert store.audit("R01") == [(CODE, ev(store.v("submit_design"), store.v("move_material")))]


def test_r01_off_site_before_design_approval(store):
    store.load(base() + [fact("move_material", date(2023, 4, 4), {"volume_m3": "10", "destination": "off_site"},
                              CONTRACTOR)])
    assert store.audit("R01") == [(CODE, ev(store.v("move_material"), store.v("approve_design")))]


# R02 -----------------------------------------------------------------------

def with_as_built(area):
    lines = copy.deepcopy(base())
    line(lines, "complete_works")["data"]["as_built_area_ha"] = area
    return lines


def test_r02_kept_at_the_tolerance(store):
    store.load(with_as_built("6.3") + [fact("survey_elevation", date(2023, 5, 25), {"pre_min_m": "1000", "post_min_m": "1000"},
                                            ("七大队", "survey_unit"))])
    assert store.audit("R02") == []


def test_r02_broken_by_over_excavation_and_area(store):
    store.load(with_as_built("6.31") + [
        fact("survey_elevation", date(2023, 3, 20), {"pre_min_m": "1000"}, ("七大队", "survey_unit")),
        fact("survey_elevation", date(2023, 5, 25), {"post_min_m": "999.99"}, ("七大队", "survey_unit"))])
    assert store.audit("R02") == [
        (CODE, ev(store.v("submit_design"), store.v("complete_works"))),
        (CODE, ev(store.v("survey_elevation", nth=0), store.v("survey_elevation"))),
    ]


# R03, R17 ------------------------------------------------------------------

def sale(price="38", seller="托里县人民政府", platform="JY-1", day=date(2023, 6, 5)):
    data = {"volume_m3": "600", "material": "砂石", "unit_price": price, "seller": seller}
    if platform:
        data["platform_ref"] = platform
    return fact("sell_surplus", day, data, COUNTY)


def sold(price="38", seller="托里县人民政府", platform="JY-1", deposit_day=30, disclosed=date(2023, 6, 5)):
    s = sale(price, seller, platform)
    revenue = Decimal(600) * Decimal(price) / 10000
    return base() + [fact("appraise_surplus", date(2023, 6, 1), {"material": "砂石", "unit_price": "38"}, COUNTY),
                     fact("publish_disclosure", disclosed, {"ref": "GS-1"}), s,
                     fact("deposit_revenue", date(2023, 6, 5) + timedelta(days=deposit_day),
                          {"amount": str(revenue), "account": "treasury"}, FINANCE)]


def test_r03_kept_at_the_appraised_price_and_the_30th_day(store):
    store.load(sold())
    assert store.audit("R03", as_of=date(2023, 8, 1)) == []


def test_r03_below_the_appraised_price(store):
    store.load(sold(price="37.99"))
    assert store.audit("R03", as_of=date(2023, 8, 1)) == [
        (CODE, ev(store.v("appraise_surplus"), store.v("sell_surplus")))]


def test_r03_deposited_a_day_late(store):
    store.load(sold(deposit_day=31))
    assert store.audit("R03", as_of=date(2023, 8, 1)) == [(CODE, ev(store.v("sell_surplus")))]


def test_r03_sold_by_the_contractor_off_platform(store):
    store.load(sold(seller="托里县建安公司", platform=None))
    assert store.audit("R03", as_of=date(2023, 8, 1)) == [(CODE, ev(store.v("sell_surplus")))] * 2


def test_r17_disclosed_the_same_day_is_kept(store):
    store.load(sold())
    assert store.audit("R17") == []


def test_r17_disclosed_a_day_after_the_sale(store):
    store.load(sold(disclosed=date(2023, 6, 6)))
    assert store.audit("R17", as_of=date(2023, 8, 1)) == [(CODE, ev(store.v("sell_surplus")))]


# R04 -----------------------------------------------------------------------

def funded(subclass="12", lines=("中央预算内投资", "中央预算内投资"), direction="0404"):
    history = copy.deepcopy(base())
    line(history, "register")["data"].update(subclass=subclass, direction=direction)
    return history + [fact("allocate_funds", date(2023, 5, 1), {"amount": "1", "source": "central", "line": l}, FINANCE)
                      for l in lines]


def test_r04_kept_with_one_central_line(store):
    store.load(funded())
    assert store.audit("R04") == []


def test_r04_ineligible_double_funded_towards_construction_land(store):
    store.load(funded(subclass="20", lines=("中央预算内投资", "重点生态修复资金"), direction="0602"))
    assert store.audit("R04") == [
        (CODE, ev(1)),
        (CODE, ev(1, store.v("allocate_funds", nth=0))),
        (CODE, ev(store.v("allocate_funds", nth=-2), store.v("allocate_funds"))),
    ]


# R05 -----------------------------------------------------------------------

def test_r05_kept_when_a_parcel_moves_between_batches(store):
    store.load(base() + scenario.write_off("B1", [CODE], date(2023, 6, 5), 2023)[:2] + [
        {"do": "remove_from_batch", "batch": "B1", "actor": "张玉峰", "role": "nrb", "on": "2023-06-06",
         "data": {"parcel": CODE}}] + scenario.write_off("B2", [CODE], date(2023, 6, 7), 2023)[:2])
    assert store.audit("R05") == []


def test_r05_same_verification_id_under_two_codes(store):
    first, second = base(), base("TL-2")
    line(first, "register")["data"]["verification_id"] = "HC-9"
    line(second, "register", "TL-2")["data"]["verification_id"] = "HC-9"
    store.load(first + second)
    assert store.audit("R05") == [("TL-2", [("parcel", CODE, 1), ("parcel", "TL-2", 1)])]


def fold(audit, kind, key, events):
    """Close one aggregate built from (name, version, on, data, dest) tuples, as the log reader would."""
    dossier = DOSSIERS[kind](key)
    for name, v, on, data, dest in events:
        dossier.observe(name, v, on, data, dest)
    audit.close(kind, dossier)


def test_r05_two_live_batches_and_two_write_offs_written_by_other_means():
    """A store edited outside minerehab can hold what the ledger refuses; the audit still sees it."""
    audit = Audit(AS_OF, rules=["R05"])
    day = date(2023, 6, 1)
    for b in ("B1", "B2"):
        fold(audit, "batch", b, [("create_batch", 1, day, {"year": 2023}, "open"),
                                 ("add_to_batch", 2, day, {"parcel": CODE, "area_ha": Decimal(1)}, "open")])
    fold(audit, "parcel", "TL-9", [("confirm_write_off", v, day, {"batch": "B1"}, "written_off") for v in (1, 2)])
    assert [(f.subject, f.evidence) for f in audit.findings()] == [
        (CODE, (("batch", "B1", 2), ("batch", "B2", 2))), ("TL-9", (("parcel", "TL-9", 1), ("parcel", "TL-9", 2)))]


# R06 -----------------------------------------------------------------------

def test_r06_kept_when_all_three_areas_are_equal(store):
    store.load(base())
    assert store.audit("R06") == []


def test_r06_measured_above_built_above_verified(store):
    lines = with_as_built("6.0001")
    line(lines, "accept")["data"]["measured_area_ha"] = "6.0002"
    store.load(lines)
    assert store.audit("R06") == [(CODE, ev(1, store.v("complete_works"))),
                                  (CODE, ev(store.v("complete_works"), store.v("accept")))]


# R07 -----------------------------------------------------------------------

def test_r07_kept_when_paid_on_the_contract_day_and_approved_on_the_design_date(store):
    lines = copy.deepcopy(base())
    line(lines, "submit_design")["data"]["design_date"] = "2023-04-05"
    store.load(lines + [fact("make_payment", date(2023, 4, 12), {"amount": "1", "payee": "x", "account": "special",
                                                                 "stage": "advance"}, FINANCE)])
    assert store.audit("R07") == []


def test_r07_paid_the_day_before_the_contract_and_approved_before_the_design_date(store):
    lines = copy.deepcopy(base())
    line(lines, "submit_design")["data"]["design_date"] = "2023-04-06"
    store.load(lines + [fact("make_payment", date(2023, 4, 11), {"amount": "1", "payee": "x", "account": "special",
                                                                 "stage": "advance"}, FINANCE)])
    assert store.audit("R07") == [
        (CODE, ev(store.v("submit_design"), store.v("approve_design"))),
        (CODE, ev(store.v("approve_design"), store.v("award_contract"), store.v("make_payment"))),
    ]


# R08 -----------------------------------------------------------------------

def contracted(amount, method="invited_tender", supervisor="塔城监理公司"):
    lines = copy.deepcopy(base())
    line(lines, "award_contract")["data"].update(contract_amount=amount, method=method, supervisor=supervisor)
    return lines


def test_r08_kept_just_under_the_threshold(store):
    store.load(contracted("399.99"))
    assert store.audit("R08") == []


def test_r08_at_the_threshold_without_a_public_tender_and_self_supervised(store):
    store.load(contracted("400", supervisor="托里县建安公司"))
    assert store.audit("R08") == [(CODE, ev(store.v("award_contract")))] * 2


# R09 -----------------------------------------------------------------------

def test_r09_kept_paying_exactly_contract_times_progress(store):
    store.load(base())
    assert store.audit("R09", as_of=date(2025, 1, 1)) == []


def test_r09_paid_a_cent_over_progress_and_from_another_account(store):
    lines = copy.deepcopy(base()[:-2])  # no final settlement
    line(lines, "make_payment")["data"].update(amount="45.01", account="other")
    store.load(lines)
    assert store.audit("R09") == [(CODE, ev(store.v("award_contract"), store.v("certify_progress"),
                                            store.v("make_payment"))),
                                  (CODE, ev(store.v("make_payment")))]


def test_r09_allocated_funds_unpaid_for_a_year(store):
    store.load(base()[:-1])
    assert store.audit("R09", as_of=date(2024, 4, 17)) == []
    assert store.audit("R09", as_of=date(2024, 4, 18)) == [(CODE, ev(store.v("allocate_funds")))]
    [finding] = auditing.run(store.ledger, date(2024, 4, 18), rules=["R09"])[0]
    assert finding.severity == "low"


# R10, R22 ------------------------------------------------------------------

def test_r10_kept_with_the_minimum_group(store):
    store.load(base())
    assert store.audit("R10") == []


@pytest.mark.parametrize("change,extra", [
    ({"experts": ["赵专家", "钱专家"]}, []),
    ({"group": [{"name": "张玉峰", "unit": "nrb"}, {"name": "张志坚", "unit": "finance"}]}, []),
    ({"group": [{"name": "张玉峰", "unit": "nrb"}, {"name": "乌来别克·马丁", "unit": "eeb"},
                {"name": "张志坚", "unit": "finance"}, {"name": "托里县建安公司", "unit": "contractor"}]}, ["award_contract"]),
    ({"sign_in_sheet": None}, []),
])
def test_r10_broken(store, change, extra):
    lines = copy.deepcopy(base())
    data = line(lines, "accept")["data"]
    data.update(change)
    line(lines, "accept")["data"] = {k: v for k, v in data.items() if v is not None}
    store.load(lines)
    assert store.audit("R10") == [(CODE, ev(*sorted([store.v("accept")] + [store.v(x) for x in extra])))]


def test_r22_group_members_must_sit_on_the_task_force_that_day(store):
    store.load(base())
    assert store.audit("R22") == []
    store.ledger.execute([cmd({"do": "remove_member", "taskforce": "TF-654224", "actor": "金勇", "role": "county_gov",
                               "on": "2023-05-31", "data": {"person": "张志坚"}})])
    assert store.audit("R22") == [(CODE, ev(store.v("accept")))]


# R11, R12 ------------------------------------------------------------------

def built(earthwork="1200", area="6.0"):
    lines = copy.deepcopy(base())
    line(lines, "complete_works")["data"].update(as_built_area_ha=area)
    line(lines, "complete_works")["data"]["quantities"]["earthwork_m3"] = earthwork
    return lines


def test_r11_kept_at_95_percent_and_85_percent_survival(store):
    store.load(built("1140") + [fact("designate_steward", date(2023, 6, 5), {"steward": "镇", "kind": "township",
                                     "agreement_ref": "G", "period_years": 3}),
                                fact("hand_over", date(2023, 6, 6), {"handover_ref": "Y"}, ("镇", "steward")),
                                fact("log_stewardship_inspection", date(2023, 6, 7), {"condition": "可", "survival_rate": "85"},
                                     ("镇", "steward"))])
    assert store.audit("R11") == []


def test_r11_short_quantities_and_low_survival(store):
    store.load(built("1139.99") + [fact("designate_steward", date(2023, 6, 5), {"steward": "镇", "kind": "township",
                                        "agreement_ref": "G", "period_years": 3}),
                                   fact("hand_over", date(2023, 6, 6), {"handover_ref": "Y"}, ("镇", "steward")),
                                   fact("log_stewardship_inspection", date(2023, 6, 7),
                                        {"condition": "差", "survival_rate": "84.9"}, ("镇", "steward"))])
    assert store.audit("R11") == [(CODE, ev(store.v("submit_design"), store.v("complete_works"))),
                                  (CODE, ev(store.v("log_stewardship_inspection")))]


def test_r12_kept_at_ten_percent_off(store):
    store.load(built(area="6.6"))
    assert store.audit("R12") == []


def test_r12_over_ten_percent_needs_a_change_before_completion(store):
    store.load(built(area="6.61"))
    assert store.audit("R12") == [(CODE, ev(store.v("submit_design"), store.v("complete_works")))]


def test_r12_kept_with_an_approved_change(store):
    store.load(built(area="6.61") + [fact("approve_design_change", date(2023, 5, 23),
                                          {"change_ref": "BG-1", "experts": ["赵专家"], "boundary_area_ha": "6.7"})])
    assert store.audit("R12") == []


# R13 -----------------------------------------------------------------------

def stewarded(designate_after=30, handover_after=30, gap=180):
    accepted = date(2023, 5, 31)
    designated = accepted + timedelta(days=designate_after)
    handed = designated + timedelta(days=handover_after)
    keeper = ("镇政府", "steward")
    return base() + [
        fact("designate_steward", designated, {"steward": "镇政府", "kind": "township", "agreement_ref": "G",
                                               "period_years": 3}),
        fact("hand_over", handed, {"handover_ref": "Y"}, keeper),
        fact("log_stewardship_inspection", handed + timedelta(days=gap), {"condition": "良"}, keeper)]


def test_r13_kept_at_every_limit(store):
    store.load(stewarded())
    assert store.audit("R13", as_of=date(2023, 5, 31) + timedelta(days=60 + 180 + 180)) == []


def test_r13_a_day_late_everywhere(store):
    store.load(stewarded(31, 31, 181))
    as_of = date(2023, 5, 31) + timedelta(days=62 + 181)
    assert store.audit("R13", as_of=as_of) == [
        (CODE, ev(store.v("accept"), store.v("designate_steward"))),
        (CODE, ev(store.v("designate_steward"), store.v("hand_over"))),
        (CODE, ev(store.v("hand_over"), store.v("log_stewardship_inspection"))),
    ]


# R14 -----------------------------------------------------------------------

def test_r14_completion_by_the_end_of_the_planned_year(store):
    store.load(base()[:12])
    assert store.audit("R14", as_of=date(2023, 12, 31)) == []
    assert store.audit("R14", as_of=date(2024, 1, 1)) == [(CODE, ev(store.v("plan")))]


def rectified(day):
    failed = scenario.command("fail_acceptance", CODE, date(2023, 5, 31), scenario.NRB, {
        "group": [{"name": "张玉峰", "unit": "nrb"}], "experts": ["赵专家"], "issues": ["覆土不足"], "deadline": "2023-07-01"})
    return base()[:13] + [failed, fact("complete_rectification", day, {"report_ref": "ZG"}, CONTRACTOR)]


def test_r14_rectification_on_its_deadline(store):
    store.load(rectified(date(2023, 7, 1)))
    assert store.audit("R14", as_of=date(2023, 8, 1)) == []


def test_r14_rectification_a_day_late(store):
    store.load(rectified(date(2023, 7, 2)))
    assert store.audit("R14", as_of=date(2023, 8, 1)) == [
        (CODE, ev(store.v("fail_acceptance"), store.v("complete_rectification")))]


# R16 -----------------------------------------------------------------------

def test_r16_weekly_patrols_are_kept(store):
    store.load(base())
    assert store.audit("R16") == []


def test_r16_a_fortnight_without_patrol(store):
    lines = [x for x in base() if not (x["do"] == "log_patrol" and x["on"] == "2023-05-10")]
    store.load(lines)
    assert store.audit("R16") == [(CODE, ev(store.v("log_patrol", nth=0), store.v("log_patrol")))]


# R18 -----------------------------------------------------------------------

def test_r18_entered_15_days_late_is_kept_16_is_not(store, clock):
    today = clock.now.date()
    store.load(base()[:1])
    store.load([fact("log_patrol", today - timedelta(days=15), {"findings": "无"}, ("镇", "township"))], migrated=False)
    assert store.audit("R18", as_of=today) == []
    store.load([fact("log_patrol", today - timedelta(days=16), {"findings": "无"}, ("镇", "township"))], migrated=False)
    assert store.audit("R18", as_of=today) == [(CODE, ev(store.v("log_patrol")))]


# R19 -----------------------------------------------------------------------

def programme(target, area_2023):
    years = {"2023": {"parcels": 1, "area_ha": area_2023}}
    return scenario.programme("P1", years, on=date(2023, 1, 10), target_ha=Decimal(target))


def test_r19_kept_when_planned_equals_the_target_and_the_year_is_met(store):
    lines = copy.deepcopy(base())
    line(lines, "plan")["data"]["programme"] = "P1"
    store.load(programme("6.0", "6.0") + lines)
    assert [f for f in store.audit("R19", as_of=date(2024, 1, 1)) if f[0] == "P1"] == []


def test_r19_target_above_the_plan_and_the_year_short(store):
    lines = copy.deepcopy(base())
    line(lines, "plan")["data"]["programme"] = "P1"
    store.load(programme("6.0002", "6.0001") + lines)
    findings = auditing.run(store.ledger, date(2024, 1, 1), rules=["R19"])[0]
    assert [(f.subject, f.severity, f.evidence) for f in findings if f.subject == "P1"] == [
        ("P1", "high", (("programme", "P1", 1),)), ("P1", "medium", (("programme", "P1", 1),))]


# R20 -----------------------------------------------------------------------

def two_parcels(depth, key_year):
    ordinary, key = copy.deepcopy(base("TL-O")), copy.deepcopy(base("TL-K"))
    line(key, "register", "TL-K")["data"]["pit_depth_m"] = depth
    line(key, "plan", "TL-K")["data"]["year"] = key_year
    return ordinary + key


def test_r20_kept_just_under_the_deep_pit_threshold(store):
    store.load(two_parcels("29.99", 2024))
    assert store.audit("R20") == []


def test_r20_a_deep_pit_planned_after_ordinary_ones(store):
    store.load(two_parcels("30", 2024))
    assert store.audit("R20") == [("TL-K", ev(2, code="TL-K"))]


# R21 -----------------------------------------------------------------------

def batched(days_after_acceptance):
    return base() + scenario.write_off("B1", [CODE], date(2023, 5, 31) + timedelta(days=days_after_acceptance - 2),
                                       2023)[:3]


def test_r21_submitted_on_the_60th_day(store):
    store.load(batched(60))
    assert store.audit("R21", as_of=date(2023, 9, 1)) == []


def test_r21_submitted_on_the_61st_day(store):
    store.load(batched(61))
    assert store.audit("R21", as_of=date(2023, 9, 1)) == [(CODE, ev(store.v("accept")) + [("batch", "B1", 3)])]


# R23 -----------------------------------------------------------------------

def test_r23_an_author_on_the_review_panel(store):
    lines = copy.deepcopy(base())
    line(lines, "approve_design")["data"]["experts"] = ["赵专家", "钱专家", "李工"]
    store.load(lines)
    assert store.audit("R23") == [(CODE, ev(store.v("submit_design"), store.v("approve_design")))]


def test_r23_kept_with_independent_reviewers(store):
    store.load(base())
    assert store.audit("R23") == []


# configuration and coverage --------------------------------------------------

def test_every_domain_rule_is_implemented_with_names_and_reads():
    load_config()
    assert sorted(RULES) == [f"R{n:02d}" for n in range(1, 30) if n != 15]
    for r in RULES.values():
        assert r.title_zh and r.title_en and r.reads and r.severity in ("low", "medium", "high")


def test_thresholds_come_from_toml(store, tmp_path):
    store.load(built(area="6.61"))
    config = tmp_path / "rules.toml"
    config.write_text("[R12]\nmax_deviation_pct = 11\n[severity]\nR12 = \"high\"\n", encoding="utf-8")
    assert store.audit("R12", config=load_config(config)) == []
    config.write_text("[R12]\nmax_deviation_pct = 10\n[severity]\nR12 = \"high\"\n", encoding="utf-8")
    [finding] = auditing.run(store.ledger, AS_OF, load_config(config), ["R12"])[0]
    assert finding.severity == "high"


@pytest.mark.parametrize("text,message", [
    ("[R99]\nx = 1\n", "unknown section [R99]"),
    ("[R12]\nspeed = 1\n", "[R12] has no setting 'speed'; allowed: max_deviation_pct"),
    ("[R12]\nmax_deviation_pct = \"ten\"\n", "must be like 10"),
    ("[severity]\nR12 = \"urgent\"\n", "one of low, medium, high"),
    ("[R12\n", "cannot read TOML"),
])
def test_bad_configs_are_named(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(path)


# the whole store and its parcels one at a time ---------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.stores import drop, new_url  # noqa: E402
from tests.support import Clock  # noqa: E402
from workflow.ledger import Ledger  # noqa: E402

EXTRAS = [
    ("move_material", CONTRACTOR, {"volume_m3": "700", "destination": "off_site"}),
    ("make_payment", FINANCE, {"amount": "30", "payee": "x", "account": "other", "stage": "advance"}),
    ("sell_surplus", COUNTY, {"volume_m3": "100", "material": "砂石", "unit_price": "20", "seller": "建安公司"}),
    ("allocate_funds", FINANCE, {"amount": "10", "source": "central", "line": "线A"}),
    ("allocate_funds", FINANCE, {"amount": "10", "source": "central", "line": "线B"}),
    ("log_patrol", ("镇", "township"), {"findings": "滑坡隐患", "hazard": True}),
    ("survey_elevation", ("七大队", "survey_unit"), {"pre_min_m": "1000", "post_min_m": "999"}),
]

parcel_plan = st.tuples(st.integers(2, 18), st.lists(st.tuples(st.sampled_from(range(len(EXTRAS))), st.integers(0, 120)),
                                                      max_size=4), st.sampled_from(["庙尔沟镇", "托里镇"]),
                        st.sampled_from(["5", "31"]), st.sampled_from([None, "HC-1"]))


@given(st.lists(parcel_plan, min_size=1, max_size=4), st.sampled_from([date(2023, 6, 20), date(2024, 3, 1)]))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
def test_the_audit_of_a_store_is_the_union_of_its_parcels_audits(backend, tmp_path_factory, plans, as_of):
    path = new_url(backend, tmp_path_factory.mktemp("union"))
    Ledger(path, create=True).close()
    ledger = Ledger(path, clock=Clock())
    store = Store(ledger)
    codes = []
    for n, (length, extras, township, depth, verification) in enumerate(plans):
        code = f"TL-{n}"
        codes.append(code)
        lines = copy.deepcopy(base(code))[:length]
        register = line(lines, "register", code)["data"]
        register.update(township=township, pit_depth_m=depth)
        if verification:
            register["verification_id"] = verification
        if n % 2 and len(lines) > 1:
            line(lines, "plan", code)["data"]["year"] = 2024
        for which, day in extras:
            do, actor, data = EXTRAS[which]
            lines.append(fact(do, START + timedelta(days=day), data, actor, code))
        store.load(lines)
    full, _ = auditing.run(ledger, as_of)
    union = []
    for code in codes:
        alone, _ = auditing.run(ledger, as_of, subject=code)
        assert alone == [f for f in full if f.subject == code]
        union += alone
    assert sorted(union + [f for f in full if f.subject not in codes], key=lambda f: f.sort_key) == full
    ledger.close()
    drop(path)


def test_the_documented_config_holds_the_defaults():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / "rules.toml"
    assert load_config(path).thresholds == load_config().thresholds


def test_an_audit_folds_without_holding_what_the_last_one_left(store):
    """An audit's checks make no cycle (their emitters once held them): dropped, an audit goes at once with its
    index and every summary, not at a full collection that walks them all. The fold runs with the cycle collector
    off, and what an earlier pass did leave in a cycle is collected before it; the collector is on again after."""
    import gc
    import weakref

    store.load(base())
    first = Audit(AS_OF)
    with store.ledger.raw.snapshot():
        first.read(store.ledger.raw.verified_events())
    first.findings()
    left, summaries = weakref.ref(first.checks), weakref.ref(first.checks.index)
    gc.disable()
    try:
        del first
        assert left() is None and summaries() is None  # no collection ran: nothing held them in a cycle
    finally:
        gc.enable()
    class Left:
        pass

    leftover = Left()
    leftover.itself = leftover  # a cycle, which only the collector frees
    left = weakref.ref(leftover)
    del leftover
    seen = []

    def rows():
        for row in store.ledger.raw.verified_events():
            seen.append(left())
            yield row

    with store.ledger.raw.snapshot():
        Audit(AS_OF).read(rows())
    assert seen and seen[0] is None and gc.isenabled()
