"""Bad figures and dates, end to end: each is refused in one line of the chosen language, exit 2, and the
store is byte-for-byte unchanged, on both backends; imports report every bad row, each once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from cli import cli
from samples import scenario
from tests.e2e.test_zh import english_words
from tests.support import store_bytes

CODE = "TL23-05"
HEADERS = ["图斑编号", "图斑名称", "乡镇", "图斑面积", "登记日期"]


def xlsx(path: Path, rows: list[list], formats: dict[str, str] | None = None) -> str:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    book.save(path)
    return str(path)


def csv(path: Path, rows: list[list]) -> str:
    path.write_text("\n".join(",".join(f'"{c}"' for c in row) for row in [HEADERS, *rows]) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def store(fresh_url, monkeypatch, tmp_path):
    monkeypatch.setenv("MINEREHAB_STORE", fresh_url)
    monkeypatch.delenv("MINEREHAB_ACTOR", raising=False)
    monkeypatch.delenv("MINEREHAB_ROLE", raising=False)
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--unsigned"]).exit_code == 0
    lines = scenario.programme() + scenario.works_life(CODE, datetime(2023, 3, 1).date(), scenario.Decimal("6.1234"),
                                                         scenario.Decimal("120"))[:3]
    result = runner.invoke(cli, ["apply", "-"], input="\n".join(json.dumps(x, default=str, ensure_ascii=False)
                                                                 for x in lines))
    assert result.exit_code == 0, result.output
    return runner, fresh_url, tmp_path


WHO = ["--actor", "张玉峰", "--role", "nrb"]


@dataclass
class Case:
    name: str
    args: Callable[[Path], list[str]]
    en: str  # a fragment the English line holds
    zh: str  # a fragment the Chinese line holds


CASES = [
    Case("comma-in-set", lambda d: ["do", "register", "X-1", "--on", "2023-03-01", *WHO, "--set", "name=a",
                                    "--set", "township=t", "--set", "area_ha=6,1234"], "6,1234 could mean", "可能是 6.1234"),
    Case("comma-in-budget", lambda d: ["do", "register", "X-2", "--on", "2023-03-01", *WHO, "--set", "name=a",
                                       "--set", "township=t", "--set", "area_ha=120,98"], "decimal point", "小数点"),
    Case("full-width-comma", lambda d: ["do", "register", "X-3", "--on", "2023-03-01", *WHO, "--set", "name=a",
                                        "--set", "township=t", "--set", "area_ha=６，１"], "comma", "逗号"),
    Case("comma-in-jsonl", lambda d: ["apply", _jsonl(d, {"do": "register", "parcel": "X-4", "actor": "张玉峰",
                                                          "role": "nrb", "on": "2023-03-01",
                                                          "data": {"name": "a", "township": "t", "area_ha": "8,1"}})],
         "comma", "逗号"),
    Case("invalid-month", lambda d: ["do", "register", "X-5", "--on", "2023-13-01", *WHO, "--set", "name=a",
                                     "--set", "township=t", "--set", "area_ha=1"], "month 13", "月份 13"),
    Case("comma-in-csv", lambda d: ["import", "parcels", csv(d / "p.csv", [["X-6", "a", "t", "8,1234", "2023/2/20"]]),
                                    *WHO], "row 2, column 图斑面积", "第 2 行 图斑面积 列"),
    Case("month-in-xlsx", lambda d: ["import", "parcels", xlsx(d / "m.xlsx", [["X-7", "a", "t", 1.5, "2023-13-01"]]),
                                     *WHO], "month 13 is not 1–12", "月份 13 不在 1–12 之间"),
    Case("excel-dates-and-a-comma", lambda d: ["import", "parcels", xlsx(d / "e.xlsx", [
        ["X-8", "a", "t", 1.5, datetime(2023, 2, 20)], ["X-9", "a", "t", "8,1234", datetime(2023, 2, 21)]]), *WHO],
         "row 3, column 图斑面积 (area_ha): '8,1234'", "第 3 行 图斑面积 列（area_ha）：'8,1234'"),
    Case("excel-date-in-the-area", lambda d: ["import", "parcels", xlsx(d / "a.xlsx", [
        ["X-10", "a", "t", datetime(2023, 2, 20), datetime(2023, 2, 20)]]), *WHO],
         "row 2, column 图斑面积 (area_ha): 2023-02-20 is not a decimal number",
         "第 2 行 图斑面积 列（area_ha）：2023-02-20 应为数字"),
    Case("excel-number-for-a-date", lambda d: ["import", "parcels", xlsx(d / "n.xlsx", [["X-11", "a", "t", 1.5, 44977]]),
                                               *WHO],
         "row 2, column 登记日期 (on): 44977 is not a date", "第 2 行 登记日期 列（on）：44977 应为日期"),
    Case("unknown-enum-in-a-table", lambda d: ["import", "parcels", _table(d / "mode.csv", [
        [*HEADERS, "拟修复模式"], ["X-16", "a", "t", "1.5", "2023-02-20", "生态重见"]]), *WHO],
         "row 2, column 拟修复模式 (planned_mode): '生态重见' is not one of",
         "'生态重见' 应为自然恢复|辅助再生|生态重建|转型利用（是否想输入 生态重建？）"),
    Case("mistyped-enum-id-in-a-table", lambda d: ["import", "parcels", _table(d / "feature.csv", [
        [*HEADERS, "损毁类型"], ["X-17", "a", "t", "1.5", "2023-02-20", "pitt"]]), *WHO],
         "'pitt' is not one of pit, transfer_yard, waste_dump, buildings, collapse_pit, shaft_entrance, other "
         "(did you mean pit?)", "'pitt' 应为采坑|中转场地|废石堆|工业广场|塌陷坑|井口|其他（是否想输入 采坑？）"),
    Case("slashed-date", lambda d: ["do", "register", "X-12", "--on", "2023/2/30", *WHO, "--set", "name=a",
                                    "--set", "township=t", "--set", "area_ha=1"], "has no day 30", "没有 30 日"),
    Case("chinese-date", lambda d: ["do", "register", "X-13", "--on", "2023年13月1日", *WHO, "--set", "name=a",
                                    "--set", "township=t", "--set", "area_ha=1"], "month 13", "月份 13"),
    Case("full-width-date", lambda d: ["do", "register", "X-14", "--on", "２０２３－１３－０１", *WHO, "--set", "name=a",
                                       "--set", "township=t", "--set", "area_ha=1"], "month 13", "月份 13"),
    Case("full-width-digits-with-a-letter", lambda d: ["do", "register", "X-15", "--on", "2023-03-01", *WHO, "--set",
                                                       "name=a", "--set", "township=t", "--set", "area_ha=６.１x"],
         "a decimal number such as 6.1234", "数字，例如 6.1234"),
    Case("correct-version-overflow", lambda d: ["correct", CODE, "99999999999999999999", "--set", "area_ha=6.2",
                                                "--on", "2024-01-02", "--reason", "typo", *WHO],
         "version 99999999999999999999 does not exist (1–3)", "不存在版本 99999999999999999999"),
    Case("correct-with-a-comma", lambda d: ["correct", CODE, "1", "--set", "area_ha=6,2", "--on", "2024-01-02",
                                            "--reason", "typo", *WHO], "comma", "逗号"),
    Case("correct-without-reason", lambda d: ["correct", CODE, "1", "--set", "area_ha=6.2", "--on", "2024-01-02",
                                              *WHO], "--reason", "--reason"),
    Case("correct-the-state", lambda d: ["correct", CODE, "2", "--set", "dest=new", "--on", "2024-01-02",
                                         "--reason", "typo", *WHO], "no correctable field 'dest'", "没有可更正的字段 'dest'"),
]


def _table(path: Path, lines: list[list[str]]) -> str:
    path.write_text("\n".join(",".join(line) for line in lines) + "\n", encoding="utf-8")
    return str(path)


def _jsonl(folder: Path, line: dict) -> str:
    path = folder / "bad.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_bad_figure_or_date_is_one_line_exit_2_and_writes_nothing(store, case, lang):
    runner, url, folder = store
    args = case.args(folder)
    before = store_bytes(url)
    result = runner.invoke(cli, ["--lang", lang, *args])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert (case.zh if lang == "zh" else case.en) in lines[0], lines[0]
    assert lang == "en" or english_words(lines[0]) == [], lines[0]
    assert "Traceback" not in result.output
    assert store_bytes(url) == before


MANY = [  # one of each: a table reports every bad row, not only the first
    ["Y-1", "a", "t", "8,1234", datetime(2023, 2, 20)],  # comma
    ["Y-2", "a", "t", 2.5, "2023-13-01"],  # month
    ["Y-3", "a", "t", None, "2023年2月20日"],  # missing area
    ["Y-1", "a", "t", 1, "2023/2/20"],  # repeated code
    ["Y-5", "a", "t", "1e3", "20230230"],  # not a decimal, no 30 February
]


EVERY_ROW = {  # language: (the count, where a row is named, what each bad row of MANY says, rows named twice)
    "en": ("6 problems", "row {}, column", [(2, "could mean"), (3, "month 13"), (4, "missing; it is required"),
                                            (5, "repeats row 2"), (6, "a decimal number"), (6, "has no day 30")], 1),
    "zh": ("6 处问题", "第 {} 行", [(2, "可能是 6.1234"), (3, "月份 13"), (4, "为空；此项必填"), (5, "与第 2 行重复"),
                                 (6, "应为数字"), (6, "没有 30 日")], 2),  # row 2 once, and named by row 5
}


@pytest.mark.parametrize("language", EVERY_ROW)
def test_an_import_reports_every_bad_row_once(store, language):
    count, where, said, twice = EVERY_ROW[language]
    runner, url, folder = store
    path = xlsx(folder / "many.xlsx", MANY)
    before = store_bytes(url)
    result = runner.invoke(cli, ["--lang", language, "import", "parcels", path, *WHO])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert count in line and line.count("\n") == 0, line
    for row, text in said:
        assert where.format(row) in line and text in line, (row, text, line)
    assert line.count(where.format(2)) == twice and line.count(where.format(4)) == 1
    assert language == "en" or english_words(line) == [], line
    assert store_bytes(url) == before


def test_spreadsheet_cells_arrive_as_they_display(store):
    """Float noise is not a figure: 0.1+0.2 displayed as 0.3000 is 0.3000; Excel dates are dates."""
    runner, url, folder = store
    path = xlsx(folder / "ok.xlsx", [
        ["Z-1", "a", "t", 0.1 + 0.2, datetime(2023, 2, 20)],
        ["Z-2", "a", "t", 6.1234, "2023/2/21"],
        ["Z-3", "a", "t", 12.345600000000001, "2023年2月22日"],
        ["Z-4", "a", "t", "８.５", "20230223"],
    ], formats={"D2": "0.0000"})
    result = runner.invoke(cli, ["import", "parcels", path, *WHO])
    assert result.exit_code == 0, result.output
    shown = {}
    for code in ("Z-1", "Z-2", "Z-3", "Z-4"):
        out = json.loads(runner.invoke(cli, ["show", code, "--json"]).output)
        shown[code] = (out["attributes"]["area_ha"], out["registered_on"])
    assert shown == {"Z-1": ("0.3000", "2023-02-20"), "Z-2": ("6.1234", "2023-02-21"),
                     "Z-3": ("12.3456", "2023-02-22"), "Z-4": ("8.5", "2023-02-23")}


