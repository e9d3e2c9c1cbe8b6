"""Import of the county's tables: the parcel inventory and the target decomposition (目标分解计划表).

Both come as .csv or .xlsx with English or Chinese headers. Every row is checked before
anything is written; problems are reported by row and column, and one bad row writes nothing.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Callable

from events.errors import BadInput, Said, zh_of
from workflow import fields as f
from workflow.commands import Command
from workflow.specs import PARCEL_SPECS
from workflow.vocabulary import ATTRIBUTES, VALUE_LABELS, choice_hint, header_key, near

MAX_PROBLEMS = 20
MAX_CELL = 131_072
"""The longest cell read (the csv module's own default limit): no field of a parcel is anywhere near it."""
MAX_XLSX_BYTES = 50 * 1024 * 1024
"""The most a workbook may inflate to (all its parts uncompressed): a county table is a few MB at most."""


Problem = Said
"""One problem of a table in English, with its Chinese (`zh`) beside it."""


class ImportProblems(BadInput):
    """Everything wrong with a table, in one line: how many problems, then each (the first MAX_PROBLEMS)."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_PROBLEMS]
        rest = len(problems) - len(shown)
        if len(problems) == 1:
            super().__init__(f"{path}: {problems[0]}", f"{path}：{zh_of(problems[0])}")
        else:
            body = "; ".join(shown) + (f"; … and {rest} more" if rest else "")
            body_zh = "；".join(zh_of(p) for p in shown) + (f"；……另有 {rest} 处" if rest else "")
            super().__init__(f"{path}: {len(problems)} problems: {body}", f"{path}：{len(problems)} 处问题：{body_zh}")


@dataclass
class Table:
    path: Path
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)


def read_table(path: Path) -> Table:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportProblems(path, [NOT_FOUND])
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    raise ImportProblems(path, [Problem(f"unsupported format {suffix or '(none)'}; allowed: .csv, .xlsx",
                                        f"不支持的格式：{path.name}；可用：.csv、.xlsx")])


NOT_FOUND = Problem("file not found", "文件不存在")


def _read_csv(path: Path) -> Table:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GB18030
        try:
            text = path.read_text(encoding=encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportProblems(path, [Problem("not UTF-8 or GB18030 text", "不是 UTF-8 或 GB18030 文本")])
    reader = csv.reader(text.splitlines())
    try:
        lines = list(reader)
    except csv.Error as error:
        raise ImportProblems(path, [_csv_problem(text, reader.line_num, error)]) from None
    if not lines:
        raise ImportProblems(path, [Problem("the file is empty", "文件为空")])
    problems = [Problem(f"row {n}, column {_header(lines[0], i)}: holds a NUL byte (\\x00); a table cell is text",
                        f"第 {n} 行 第 {_header(lines[0], i)} 列：含空字节（\\x00）；表格单元格应为文本")
                for n, row in enumerate(lines, start=1) for i, c in enumerate(row) if "\x00" in c]
    if problems:
        raise ImportProblems(path, problems)
    return Table(path, lines[0], [(n, row) for n, row in enumerate(lines[1:], start=2) if any(c.strip() for c in row)])


def _header(headers: list[str], index: int) -> str:
    return f"{index + 1} {headers[index]!r}" if index < len(headers) else str(index + 1)


def _csv_problem(text: str, row: int, error: csv.Error) -> Problem:
    """The csv module's refusal as a problem naming the row (and, for an oversized cell, its column)."""
    if "field larger than field limit" not in str(error):
        return Problem(f"row {row}: not a readable CSV row ({error})", f"第 {row} 行：不是可读的 CSV 行")
    old = csv.field_size_limit(len(text) + 1)
    try:
        lines = list(csv.reader(text.splitlines()))
    except csv.Error:
        lines = []
    finally:
        csv.field_size_limit(old)
    for number, cells in enumerate(lines, start=1):
        for index, value in enumerate(cells):
            if len(value) > MAX_CELL:
                return Problem(f"row {number}, column {_header(lines[0], index)}: a cell of {len(value)} characters "
                               f"(at most {MAX_CELL})", f"第 {number} 行 第 {_header(lines[0], index)} 列：单元格有 "
                               f"{len(value)} 个字符（至多 {MAX_CELL} 个）")
    return Problem(f"row {row}: a cell of more than {MAX_CELL} characters", f"第 {row} 行：单元格超过 {MAX_CELL} 个字符")


def _read_xlsx(path: Path) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportProblems(path, [_unreadable(error)]) from None
    if inflated > MAX_XLSX_BYTES:
        mb, most = inflated // 1024 // 1024, MAX_XLSX_BYTES // 1024 // 1024
        raise ImportProblems(path, [Problem(f"the workbook inflates to {mb} MB (at most {most} MB); is it really a "
                                            "county table?", f"工作簿解压后有 {mb} MB（至多 {most} MB）；这真是县里的表格吗？")])
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a file that is not a workbook
        raise ImportProblems(path, [_unreadable(error)]) from None
    sheet = book.worksheets[0]
    rows = [(n, [displayed(c) for c in row]) for n, row in enumerate(sheet.iter_rows(), start=1)]
    book.close()
    if not rows:
        raise ImportProblems(path, [Problem("the first sheet is empty", "第一个工作表为空")])
    headers = ["" if c is None else str(c) for c in rows[0][1]]
    body = [(n, row) for n, row in rows[1:] if any(c not in (None, "") for c in row)]
    return Table(path, headers, body)


def _unreadable(error: Exception) -> Problem:
    return Problem(f"not a readable .xlsx workbook ({type(error).__name__})", "不是可读的 .xlsx 工作簿")


FIXED = re.compile(r"0(?:\.(0+))?(?![0#?])")
"""The digits of a fixed number format ("0.0000", "#,##0.00"): a group of zeros after the point."""
EXCEL_DIGITS = 15
"""Significant digits Excel keeps: what a cell in the General format shows at most."""


def displayed(xlsx_cell) -> Any:
    """A workbook cell as the person typing it saw it: a number as the decimal its format displays (not
    the binary float stored, 0.30000000000000004), a date cell as a date."""
    value = getattr(xlsx_cell, "value", None)
    if isinstance(value, datetime):
        return value.date()  # Excel has only date-times: a date was meant
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        fixed = FIXED.search(getattr(xlsx_cell, "number_format", None) or "")
        if fixed and "%" not in xlsx_cell.number_format and "E" not in xlsx_cell.number_format.upper():
            places = len(fixed.group(1) or "")
            return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        exact = Decimal(format(value, f".{EXCEL_DIGITS}g"))
        return exact.quantize(Decimal(1)) if exact == exact.to_integral_value() else exact.normalize()
    return value


def cell(value: Any) -> Any:
    """A cell as a loose value the fields can parse: spreadsheet floats become exact decimals."""
    if isinstance(value, float):
        return Decimal(format(value, f".{EXCEL_DIGITS}g")).normalize() if value != int(value) else Decimal(int(value))
    if isinstance(value, str):
        value = value.strip()
        return VALUE_LABELS.get(value, value)
    if hasattr(value, "date") and not isinstance(value, date):
        return value.date()  # datetime cells: a date was meant
    return value


def _columns(table: Table, allowed: dict[str, f.Field], required: list[str], problems: list[str]) -> list[str | None]:
    keys = []
    for number, header in enumerate(table.headers, start=1):
        key = header_key(header) if header else None
        if header and (key is None or key not in allowed):
            problems.append(unknown_header(number, header, [k for k in allowed if k in ATTRIBUTES]))
        keys.append(key if key in allowed else None)
    for key in required:
        if key not in keys:
            problems.append(Problem(f"column {key} ({ATTRIBUTES[key][0]}) is missing",
                                    f"缺少 {ATTRIBUTES[key][0]} 列；请加一列，表头为 {ATTRIBUTES[key][0]}"))
    return keys


def unknown_header(number: int, header: str, allowed: list[str]) -> Problem:
    """A header that names no column this table takes: the nearest one (difflib over the ids and both
    languages' names), shown in each language, and the allowed headers in each."""
    guess = near(ATTRIBUTES, header, allowed)
    hint_en = f" (did you mean {guess} ({ATTRIBUTES[guess][1]})?)" if guess else ""
    hint_zh = f"（是否想输入 {ATTRIBUTES[guess][0]}？）" if guess else ""
    return Problem(f"column {number} {header!r}: unknown header{hint_en}; allowed: "
                   + ", ".join(f"{k} ({ATTRIBUTES[k][1]})" for k in allowed),
                   f"第 {number} 列 {header!r}：不认识的表头{hint_zh}；可用："
                   + "、".join(ATTRIBUTES[k][0] for k in allowed))


def _records(table: Table, allowed: dict[str, f.Field], required: list[str],
             problems: list[str]) -> list[tuple[int, dict]]:
    """Rows as typed dicts; every problem found is added to `problems`, each once, for the caller to refuse
    together with what it checks itself (a table reports every bad row, not only the first)."""
    keys = _columns(table, allowed, required, problems)
    records = []
    for number, row in table.rows:
        record, bad = {}, set()
        for key, header, value in zip(keys, table.headers, row):
            value = cell(value)
            if key is None or value in (None, ""):
                continue
            try:
                record[key] = allowed[key].parse(value)
            except f.BadValue as error:
                bad.add(key)
                hint_en, hint_zh = choice_hint(allowed[key].parse, value)
                problems.append(Problem(f"row {number}, column {header} ({key}): {shown(value)} is not {error}{hint_en}",
                                        f"第 {number} 行 {header} 列（{key}）：{shown(value)} 应为{error.zh}{hint_zh}"))
        for key in required:
            if key in keys and key not in record and key not in bad:
                header = table.headers[keys.index(key)]
                problems.append(Problem(f"row {number}, column {header} ({key}): missing; it is required",
                                        f"第 {number} 行 {header} 列（{key}）：为空；此项必填"))
        records.append((number, record))
    return records


def _keys(table: Table, allowed: dict[str, f.Field]) -> set[str]:
    return {key for key in (header_key(h) for h in table.headers if h) if key in allowed}


def shown(value: Any) -> str:
    """A cell's value as the table holds it: text quoted, numbers and dates as written."""
    return repr(value) if isinstance(value, str) else str(value)


def _no_repeats(records: list[tuple[int, dict]], problems: list[str]) -> None:
    seen: dict[str, int] = {}
    for number, record in records:
        code = record.get("code")
        if code is None:
            continue
        if code in seen:
            problems.append(Problem(f"row {number}, column code: {code} repeats row {seen[code]}; codes are unique",
                                    f"第 {number} 行 图斑编号列：{code} 与第 {seen[code]} 行重复；编号不得重复"))
        seen.setdefault(code, number)


def parcel_commands(path: Path, actor: str, role: str, on: date | None) -> list[Command]:
    """`register` commands for an inventory table; `on` is the default registration date."""
    register = PARCEL_SPECS["register"]
    allowed = {"code": f.Field("code", f.text), "on": f.Field("on", f.iso_date),
               **{field.name: field for field in register.fields}}
    table = read_table(path)
    problems: list[str] = []
    records = _records(table, allowed, ["code", *register.required], problems)
    _no_repeats(records, problems)
    if on is None and "on" not in _keys(table, allowed):
        problems.append(Problem("no registration date: give --on or a column on (登记日期)",
                                "没有登记日期：请给出 --on 或 登记日期 列"))
    elif on is None:
        problems += [Problem(f"row {number}, column on (登记日期): empty; give the date, or --on for rows without one",
                             f"第 {number} 行 登记日期列：为空；请填写日期，或用 --on 给出")
                     for number, r in records if "on" not in r and not any(p.startswith(f"row {number}, column")
                                                                           and "(on)" in p for p in problems)]
    if problems:
        raise ImportProblems(table.path, problems)
    return [Command(do="register", target=r.pop("code"), actor=actor, role=role, on=r.pop("on", on),
                    data=r, line=number) for number, r in records]


def plan_commands(path: Path, programme: str, actor: str, role: str, on: date,
                  parcel_of: Callable[[str], object | None]) -> list[Command]:
    """`plan` commands for a target decomposition table; each row's area must be its parcel's area.
    `parcel_of(code)` is the registered parcel or None: only the table's parcels are read, not the store's."""
    plan = PARCEL_SPECS["plan"]
    allowed = {"code": f.Field("code", f.text), "area_ha": f.Field("area_ha", f.positive),
               **{field.name: field for field in plan.fields if field.name != "programme"}}
    table = read_table(path)
    problems: list[str] = []
    records = _records(table, allowed, ["code", "year", "planned_investment"], problems)
    _no_repeats(records, problems)
    for number, record in records:
        parcel = parcel_of(record["code"]) if "code" in record else False
        if parcel is False:
            continue
        if parcel is None:
            problems.append(Problem(f"row {number}, column code: parcel {record['code']} is not registered",
                                    f"第 {number} 行 图斑编号列：图斑 {record['code']} 尚未登记"))
        elif "area_ha" in record and record["area_ha"] != parcel.area_ha:
            problems.append(Problem(f"row {number}, column area_ha: {record['area_ha']} differs from parcel "
                                    f"{record['code']}'s registered area {parcel.area_ha}",
                                    f"第 {number} 行 面积列：{record['area_ha']} 与图斑 {record['code']} 的登记面积 "
                                    f"{parcel.area_ha} 不符"))
    if problems:
        raise ImportProblems(table.path, problems)
    return [Command(do="plan", target=r["code"], actor=actor, role=role, on=on, line=number,
                    data={"programme": programme, "mode": r.get("mode", "ecological_reconstruction"),
                          **{k: v for k, v in r.items() if k not in ("code", "area_ha", "mode")}})
            for number, r in records]
