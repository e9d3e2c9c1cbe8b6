"""Exports Excel users trust, opened as Excel would (openpyxl): named sheets, headers in the reader's
language, title rows, recorded decimals shown with their places, whole-number years; and --output
honoured by every format, CSV files with a BOM, formula-leading text neutralised."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli import cli
from tests.support import tuoli_store

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tuoli-2023-2025"


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    with pytest.MonkeyPatch.context() as monkeypatch:
        r = tuoli_store(str(folder / "store.db"), monkeypatch,
                        ["do", "register", "ZZ-01", "--on", "2024-03-01", "--set", "name==HYPERLINK(\"x\")",
                         "--set", "township=库甫乡", "--set", "area_ha=65.70"])
        yield r, folder


def sheet(path: Path):
    book = load_workbook(path)
    assert len(book.sheetnames) == 1
    return book, book[book.sheetnames[0]]


def header_row(ws) -> int:
    """The first row with a value in its second column: the titles above it fill only the first."""
    return next(r for r in range(1, 12) if ws.cell(row=r, column=2).value is not None)


@pytest.mark.parametrize("lang, name, year, planned", [("zh", "进展", "年度", "计划面积 (公顷)"),
                                                       ("en", "Progress", "year", "planned ha (ha)")])
def test_progress_workbook(runner, lang, name, year, planned):
    r, folder = runner
    out = folder / f"progress-{lang}.xlsx"
    result = r.invoke(cli, ["--lang", lang, "report", "progress", "--as-of", "2026-11-29", "--format", "xlsx",
                            "--output", str(out)])
    assert result.exit_code == 0, result.output
    book, ws = sheet(out)
    assert book.sheetnames == [name]
    head = header_row(ws)
    assert head == 5 and "TL-2023-2025" in ws["A1"].value and "2026-11-29" in ws["A2"].value and "195.45" in ws["A3"].value
    headers = [c.value for c in ws[head]]
    assert headers[0] == year and headers[2] == planned and len(set(headers)) == len(headers)
    assert not any("_" in h for h in headers)  # no snake_case ids
    assert ws.freeze_panes == f"A{head + 1}"
    years = {ws.cell(row=r, column=1).value: r for r in range(head + 1, ws.max_row + 1)}
    assert {2023, 2024, 2025} <= set(years) and all(isinstance(y, int) for y in (2023, 2024, 2025))
    row = years[2024]
    cell = ws.cell(row=row, column=3)  # planned ha in 2024: 65.70 as the county's tables sum it
    assert isinstance(cell.value, float) and cell.value == 65.7 and cell.number_format == "0.00"
    assert ws.cell(row=years[2023], column=3).number_format == "0.0000"
    assert ws.column_dimensions["A"].width >= 6


@pytest.mark.parametrize("lang, name, state", [("zh", "台账", "状态"), ("en", "Parcels", "state")])
def test_list_workbook_is_the_countys_ledger(runner, lang, name, state):
    r, folder = runner
    out = folder / f"list-{lang}.xlsx"
    assert r.invoke(cli, ["--lang", lang, "list", "--format", "xlsx", "--output", str(out)]).exit_code == 0
    book, ws = sheet(out)
    assert book.sheetnames == [name]
    head = header_row(ws)
    assert [c.value for c in ws[head]][3] == state
    rows = {ws.cell(row=r, column=1).value: [c for c in ws[r]] for r in range(head + 1, ws.max_row + 1)}
    zz = rows["ZZ-01"]
    assert zz[5].value == 65.7 and zz[5].number_format == "0.00"  # recorded as 65.70, shown as 65.70
    assert zz[1].value.startswith("'=")  # a name that would run as a formula is text
    assert isinstance(rows["TL23-05"][4].value, int) and rows["TL23-05"][4].value == 2023
    assert rows["TL23-05"][3].value == ("已核销" if lang == "zh" else "written off")


@pytest.mark.parametrize("lang, name, severity", [("zh", "问题", "严重程度"), ("en", "Findings", "severity")])
def test_audit_workbook(runner, lang, name, severity):
    r, folder = runner
    out = folder / f"audit-{lang}.xlsx"
    result = r.invoke(cli, ["--lang", lang, "audit", "--as-of", "2026-11-29", "--format", "xlsx", "--output", str(out)])
    assert result.exit_code == 1 and ("wrote" if lang == "en" else "已写入") in result.output  # high findings: exit 1, the file is written
    book, ws = sheet(out)
    assert book.sheetnames == [name]
    head = header_row(ws)
    assert [c.value for c in ws[head]][1] == severity
    severities = {ws.cell(row=r, column=2).value for r in range(head + 1, ws.max_row + 1)}
    assert severities == ({"高", "中", "低"} if lang == "zh" else {"high", "medium", "low"})


def test_output_is_honoured_by_every_format_and_csv_files_carry_a_bom(runner):
    r, folder = runner
    for command in (["report", "progress", "--as-of", "2026-11-29"], ["list"], ["audit", "--as-of", "2026-11-29"]):
        for fmt in ("json", "csv", "table"):
            out = folder / f"{command[0]}.{fmt}"
            result = r.invoke(cli, [*command, "--format", fmt, "--output", str(out)])
            assert result.exit_code in (0, 1) and result.output.strip() == f"wrote {out}", (command, fmt, result.output)
            data = out.read_bytes()
            assert data.startswith(b"\xef\xbb\xbf") == (fmt == "csv"), (command, fmt)
            if fmt == "json":
                json.loads(data)
            if fmt == "csv":
                rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
                assert len(rows) > 2 and "\ufeff" not in rows[0][0]
    piped = r.invoke(cli, ["list", "--format", "csv"]).output
    assert piped.startswith("parcel,") and "\ufeff" not in piped  # a pipe gets no BOM
    assert ',"\'=HYPERLINK' in piped


def test_xlsx_without_output_is_one_clear_line(runner):
    r, _ = runner
    for command in (["list"], ["audit"], ["report", "progress"]):
        result = r.invoke(cli, [*command, "--format", "xlsx"])
        assert result.exit_code == 2 and result.output.count("\n") == 1 and "--output" in result.output
