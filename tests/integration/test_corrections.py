"""Corrections (更正): the record replays as if the corrected value had been recorded in the first place,
the history keeps both, and R29 names money or an area corrected after something relied on it."""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from audit import kept as reaudit
from audit import shares
from policies.refusals import Refused
from samples import scenario
from tests.stores import drop, new_url
from tests.support import Clock, cmd
from workflow.ledger import Ledger

CODE = "TL23-05"
AS_OF = date(2025, 6, 1)
LIFE = scenario.works_life(CODE, date(2023, 3, 1), Decimal("6.1234"), Decimal("120")) + \
    scenario.settlement(CODE, date(2023, 8, 1), Decimal("108.00"))
FIGURES = [(i, key) for i, line in enumerate(LIFE) for key, value in (line.get("data") or {}).items()
           if isinstance(value, Decimal)]
"""Every figure the life records: (line, field), e.g. the registered area or a payment's amount."""


def fresh(folder: Path, backend: str = "sqlite") -> tuple[Ledger, str]:
    url = new_url(backend, folder)
    Ledger(url, create=True).close()
    return Ledger(url, clock=Clock()), url


def record(ledger: Ledger, lines: list[dict]) -> None:
    ledger.execute([cmd(x) for x in scenario.programme() + scenario.taskforce() + lines])


def correction(line: dict, version: int, key: str, value: Decimal, on: date = date(2024, 5, 6)) -> dict:
    return {"do": "correct", "parcel": CODE, "actor": line["actor"], "role": line["role"], "on": on.isoformat(),
            "data": {"corrects": version, "fields": {key: str(value)}}, "reason": "录入错误"}


def comparable(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k not in ("version", "corrections")}


def findings(ledger: Ledger, as_of: date = AS_OF, besides: int | None = None) -> list[dict]:
    """The findings, but R29 and those about the correction event `besides` itself (e.g. R18: entered late)."""
    found, _ = shares.run(ledger, as_of)
    return [f.as_dict() for f in found if f.rule != "R29" and ("parcel", CODE, besides) not in f.evidence]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(figure=st.sampled_from(FIGURES), value=st.decimals(Decimal("0.0001"), Decimal("99999"), places=4),
       as_of=st.sampled_from([date(2023, 6, 1), date(2024, 1, 1), AS_OF]))
def test_a_correction_replays_as_if_the_value_had_been_recorded_first(figure, value, as_of):
    index, key = figure
    folder = Path(tempfile.mkdtemp())
    right = [dict(line, data=dict(line["data"])) if "data" in line else line for line in LIFE]
    right[index]["data"][key] = value
    first, first_url = fresh(folder)
    second, second_url = fresh(folder)
    try:
        try:
            record(second, right)
        except Refused:
            assume(False)  # a value today's guards refuse had it been recorded at first: nothing to compare
        record(first, LIFE)
        version = index + 1  # the parcel's events are its life's lines, in order
        first.execute([cmd(correction(LIFE[index], version, key, value))])
        corrected = first.view("parcel", CODE, as_of=as_of)
        assert comparable(corrected.summary()) == comparable(second.view("parcel", CODE, as_of=as_of).summary())
        assert findings(first, as_of, len(LIFE) + 1) == findings(second, as_of)
        assert [comparable(p.summary()) for p in first.each("parcel", as_of)] == \
            [comparable(p.summary()) for p in second.each("parcel", as_of)]
        history = first.history("parcel", CODE)
        assert history[index].data[key] == LIFE[index]["data"][key]  # the original stays
        assert history[-1].fact == "correct" and history[-1].data["fields"] == {key: value}
        assert history[-1].data["was"] == {key: LIFE[index]["data"][key]}
        marks = corrected.summary()["corrections"]
        assert [(m["version"], m["field"], m["now"]) for m in marks] == [(version, key, value)]
    finally:
        for ledger, url in ((first, first_url), (second, second_url)):
            ledger.close()
            drop(url)
        shutil.rmtree(folder, ignore_errors=True)


def test_r29_names_an_area_corrected_after_acceptance_not_one_corrected_before(ledger):
    record(ledger, LIFE[:3])
    ledger.execute([cmd(correction(LIFE[0], 1, "area_ha", Decimal("6.2"), date(2023, 3, 20)))])
    assert not [f for f in shares.run(ledger, AS_OF)[0] if f.rule == "R29"]  # nothing relied on it yet
    ledger.execute([cmd(x) for x in LIFE[3:]])
    accept = next(e for e in ledger.history("parcel", CODE) if getattr(e, "trigger", None) == "accept")
    ledger.execute([cmd(correction(LIFE[0], 1, "area_ha", Decimal("6.3"), date(2024, 5, 6)))])
    r29 = [f for f in shares.run(ledger, AS_OF)[0] if f.rule == "R29"]
    assert len(r29) == 1 and r29[0].on == date(2024, 5, 6)
    assert "area_ha" in r29[0].message_en and "approval" in r29[0].message_en  # the first decision on it
    assert r29[0].evidence[0] == ("parcel", CODE, 1)
    assert accept.originator_version < ledger.find("parcel", CODE).version
    assert not [f for f in shares.run(ledger, date(2024, 5, 5))[0] if f.rule == "R29"]  # not yet corrected then


def test_a_re_audit_reads_a_correction_as_a_full_audit_does(ledger, tmp_path):
    state = tmp_path / "state.db"
    record(ledger, LIFE)
    assert reaudit.run(ledger, AS_OF, state)[2] is None
    payment = next(i for i, line in enumerate(LIFE) if line["do"] == "make_payment")
    ledger.execute([cmd(correction(LIFE[payment], payment + 1, "amount", Decimal("99"), date(2025, 5, 1)))])
    kept, summary, new = reaudit.run(ledger, AS_OF, state)
    full, full_summary = shares.run(ledger, AS_OF)
    assert new == 1
    assert [f.as_dict() for f in kept] == [f.as_dict() for f in full] and summary == full_summary
    assert any(f.rule == "R29" for f in full) and any(f.rule == "R09" for f in full)  # paid above progress now


def test_what_cannot_be_corrected_is_refused_naming_why(ledger):
    record(ledger, LIFE[:3])
    plan = LIFE[1]
    for data, why in [({"corrects": 2, "fields": {"programme": "X"}}, "no correctable field 'programme'"),
                      ({"corrects": 1, "fields": {"area_ha": "6.1234"}}, "nothing to correct"),
                      ({"corrects": 9, "fields": {"area_ha": "1"}}, "version 9 does not exist"),
                      ({"corrects": 1, "fields": {"area_ha": "-1"}}, "a number > 0")]:
        line = {**correction(plan, 1, "x", Decimal(1)), "data": data}
        with pytest.raises(Refused, match=why):
            ledger.execute([cmd(line)])
    with pytest.raises(Refused, match="needs a reason"):
        ledger.execute([cmd({**correction(LIFE[0], 1, "area_ha", Decimal(7)), "reason": None})])
    with pytest.raises(Refused, match="may not correct register"):
        ledger.execute([cmd({**correction(LIFE[0], 1, "area_ha", Decimal(7)), "role": "finance"})])


def test_a_signed_store_signs_and_verifies_a_correction(tmp_path):
    """`correct` is signed like any command, and `verify`'s signature check accepts it."""
    from click.testing import CliRunner

    from cli import cli

    url = str(tmp_path / "signed.db")
    runner = CliRunner()
    key = tmp_path / "zyf.key"
    assert runner.invoke(cli, ["keygen", "--out", str(key)]).exit_code == 0
    base = ["--store", url]
    assert runner.invoke(cli, [*base, "init", "--admin", "张玉峰", "--unit", "nrb", "--pubkey", f"{key}.pub"]).exit_code == 0
    line = json.dumps(LIFE[0], default=str, ensure_ascii=False)
    result = runner.invoke(cli, [*base, "apply", "--key", str(key), "-"], input=line)
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, [*base, "correct", CODE, "1", "--set", "area_ha=6.2", "--on", "2024-05-06",
                                 "--reason", "录入错误", "--role", "nrb", "--key", str(key)])
    assert result.exit_code == 0, result.output
    assert "6.1234 → 6.2" in result.output
    result = runner.invoke(cli, [*base, "verify"])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(cli, [*base, "show", CODE]).output
    assert "corrected" in shown and "6.1234 → 6.2" in shown
