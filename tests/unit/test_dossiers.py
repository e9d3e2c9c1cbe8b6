"""Dossiers keep named records, and the state file keeps them as plain tuples that come back as the same records."""

from __future__ import annotations

import pickle
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from audit.engine import by_sort_key
from policies import dossiers
from policies.dossiers import (
    Acceptance,
    Damage,
    Design,
    Elevation,
    ParcelDossier,
    Review,
    Step,
    TaskForceDossier,
)
from policies.registry import Finding

DESIGN = {"design_date": "2023-02-01", "boundary_area_ha": "6.1", "quantities": {"soil_m3": "1200"},
          "earth_balance": {"surplus": "300"}, "authors": ["王工"]}


def parcel() -> ParcelDossier:
    d = ParcelDossier("TL-01")
    events = [
        ("register", {"category": "06", "subclass": "0602", "area_ha": "6.1", "township": "庙尔沟镇"}),
        ("plan", {"year": 2023, "mode": "conversion", "programme": "P1", "sponsor": "wrb"}),
        ("submit_design", DESIGN),
        ("reject_design", {"experts": ["甲", "乙"]}),
        ("submit_design", {**DESIGN, "boundary_area_ha": "6.0"}),
        ("approve_design", {"experts": ["甲", "丙"]}),
        ("survey_elevation", {"pre_min_m": "1510.2"}),
        ("accept", {"group": [{"name": "张玉峰", "unit": "nrb"}], "experts": ["甲"], "measured_area_ha": "5.9",
                    "sign_in_sheet": "s.pdf", "photos": ["1.jpg"]}),
        ("report_damage", {"damage": "D1"}),
        ("report_damage", {"damage": "D2"}),
        ("resolve_damage", {"damage": "D2"}),
        ("make_payment", {"amount": "10", "account": "special"}),
    ]
    for v, (event, data) in enumerate(events, 1):
        d.observe(event, v, date(2023, 1, v), data, None)
    return d


def test_folds_into_named_records():
    d = parcel()
    assert d.registered == Step(1, date(2023, 1, 1)) and type(d.registered) is Step
    assert d.plan.sponsor == "wrb" and d.plan.year == 2023
    assert type(d.design) is Design and str(d.design.boundary_ha) == "6.0" and d.design.authors == ("王工",)
    first, second = d.reviews
    assert type(first) is Review and first.design.v == 3 and second.design is d.design
    assert d.approval.v == 6
    assert type(d.elevation["pre_min_m"]) is Elevation
    assert type(d.acceptance) is Acceptance and d.acceptance.group == (("张玉峰", "nrb"),)
    assert [(x.damage, x.resolved_v) for x in d.damages] == [("D1", None), ("D2", 11)]
    assert all(type(x) is Damage for x in d.damages)
    assert d.payments[0].account == "special"


def test_state_file_keeps_plain_tuples_and_gives_back_records():
    d = parcel()
    blob = pickle.dumps(d, protocol=pickle.HIGHEST_PROTOCOL)
    for record in ("Step", "Plan", "Design", "Review", "Acceptance", "Damage", "Payment", "Elevation"):
        assert record.encode() not in blob
    back = pickle.loads(blob)
    for slot in dossiers.slots(ParcelDossier):
        value, kept = getattr(d, slot), getattr(back, slot)
        assert kept == value, slot
        if isinstance(value, tuple) and value and isinstance(value[0], tuple):
            assert [type(x) for x in kept] == [type(x) for x in value], slot
        elif isinstance(value, dict):
            assert {k: type(x) for k, x in kept.items()} == {k: type(x) for k, x in value.items()}, slot
        else:
            assert type(kept) is type(value), slot
    assert back.reviews[1].design is back.design and type(back.reviews[0].design) is Design
    assert pickle.dumps(back, protocol=pickle.HIGHEST_PROTOCOL) == blob


def test_summary_shares_acceptance_groups():
    a, b = parcel(), parcel()
    assert a.summary().acceptance.group is b.summary().acceptance.group
    assert a.summary().acceptance.measured_ha == a.acceptance.measured_ha


def test_task_force_terms_end_on_removal():
    tf = TaskForceDossier("TF")
    tf.observe("appoint_member", 1, date(2023, 1, 1), {"person": "张", "unit": "nrb"}, None)
    tf.observe("appoint_member", 2, date(2023, 1, 2), {"person": "李", "unit": "eeb"}, None)
    tf.observe("remove_member", 3, date(2023, 3, 1), {"person": "张"}, None)
    assert [(t.person, t.since, t.until) for t in tf.terms] == [
        ("张", date(2023, 1, 1), date(2023, 3, 1)), ("李", date(2023, 1, 2), None)]


_evidence = st.lists(st.tuples(st.sampled_from(["parcel", "batch"]), st.sampled_from(["P1", "P2", "B1"]),
                               st.integers(1, 4)), max_size=3).map(tuple)
_findings = st.lists(st.builds(Finding, st.sampled_from(["R01", "R09", "R14"]), st.just("high"),
                               st.sampled_from(["P1", "P2", "B1"]), st.just("R01.1"), st.just(()), _evidence,
                               st.none() | st.dates(date(2023, 1, 1), date(2023, 1, 9))), max_size=40)


@given(_findings)
def test_findings_sorted_part_by_part_are_in_sort_key_order(found):
    """The audit sorts its findings one part at a time (no key tuple per finding): the same order as sort_key."""
    expected = sorted(found, key=lambda f: f.sort_key)
    assert by_sort_key(list(found)) == expected


@given(st.sampled_from(["P1", "P2", "B1"]), _evidence)
def test_a_finding_gives_back_the_evidence_it_was_given(subject, evidence):
    """A finding keeps its own parcel's evidence as versions alone: what it gives back, says and sends to another
    process is the evidence as given, whoever it cites."""
    found = Finding("R01", "high", subject, "R01.1", (), evidence, None)
    assert found.evidence == evidence
    assert found.evidence_text == " ".join(f"{kind}:{key}@{v}" for kind, key, v in evidence)
    again = pickle.loads(pickle.dumps(found))
    assert again == found == Finding("R01", "high", subject, "R01.1", (), list(evidence), None)
    assert again.evidence == evidence


_values = st.lists(st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=2), st.integers(0, 3),
                             st.booleans(), st.sampled_from(["1", "托里镇", "1.0"]), st.dates()), max_size=4)


@given(_values, _values)
def test_findings_share_their_values_only_when_written_out_alike(first, second):
    """Findings' values are shared by their repr: Decimal('1.0') and Decimal('1.00'), 1, True and '1' stay
    apart, and what is shared is written out as given."""
    from audit import engine

    a, b = engine._shared(first), engine._shared(second)
    assert repr(a) == repr(tuple(first)) and repr(b) == repr(tuple(second))
    if repr(a) != repr(b):
        assert a is not b
    else:  # shared while fewer than SHARED_VALUES are kept
        assert a is b or len(engine._VALUES) >= engine.SHARED_VALUES
