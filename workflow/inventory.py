"""Import of the county's tables: the parcel inventory and the target decomposition (目标分解计划表).

Both come as .csv or .xlsx with English or Chinese headers. Every row is checked before
anything is written; problems are reported by row and column, and one bad row writes nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from events.errors import BadInput
from workflow import fields as f
from workflow.commands import Command
from workflow.specs import PARCEL_SPECS
from workflow.vocabulary import ATTRIBUTES, VALUE_LABELS, header_key

MAX_PROBLEMS = 20
MAX_CELL = 131_072
"""The longest cell read (the csv module's own default limit): no field of a parcel is anywhere near it."""
MAX_XLSX_BYTES = 50 * 1024 * 1024
"""The most a workbook may inflate to (all its parts uncompressed): a county table is a few MB at most."""


class ImportProblems(BadInput):
    """Everything wrong with a table, in one line: how many problems, then each (the first MAX_PROBLEMS)."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_PROBLEMS]
        more = f"; … and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        if len(problems) == 1:
            super().__init__(f"{path}: {problems[0]}", f"{path}：{problems[0]}")
        else:
            body = "; ".join(shown) + more
            super().__init__(f"{path}: {len(problems)} problems: {body}", f"{path}：{len(problems)} 处问题：{body}")


@dataclass
class Table:
    path: Path
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)


def read_table(path: Path) -> Table:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportProblems(path, ["file not found"])
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    raise ImportProblems(path, [f"unsupported format {suffix or '(none)'}; allowed: .csv, .xlsx"])


def _read_csv(path: Path) -> Table:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GB18030
        try:
            text = path.read_text(encoding=encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportProblems(path, ["not UTF-8 or GB18030 text"])
    reader = csv.reader(text.splitlines())
    try:
        lines = list(reader)
    except csv.Error as error:
        raise ImportProblems(path, [_csv_problem(text, reader.line_num, error)]) from None
    if not lines:
        raise ImportProblems(path, ["the file is empty"])
    problems = [f"row {n}, column {_header(lines[0], i)}: holds a NUL byte (\\x00); a table cell is text"
                for n, row in enumerate(lines, start=1) for i, c in enumerate(row) if "\x00" in c]
    if problems:
        raise ImportProblems(path, problems)
    return Table(path, lines[0], [(n, row) for n, row in enumerate(lines[1:], start=2) if any(c.strip() for c in row)])


def _header(headers: list[str], index: int) -> str:
    return f"{index + 1} {headers[index]!r}" if index < len(headers) else str(index + 1)


def _csv_problem(text: str, row: int, error: csv.Error) -> str:
    """The csv module's refusal as a problem naming the row (and, for an oversized cell, its column)."""
    if "field larger than field limit" not in str(error):
        return f"row {row}: not a readable CSV row ({error})"
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
                return (f"row {number}, column {_header(lines[0], index)}: a cell of {len(value)} characters "
                        f"(at most {MAX_CELL})")
    return f"row {row}: a cell of more than {MAX_CELL} characters"


def _read_xlsx(path: Path) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportProblems(path, [f"not a readable .xlsx workbook ({type(error).__name__})"]) from None
    if inflated > MAX_XLSX_BYTES:
        raise ImportProblems(path, [f"the workbook inflates to {inflated // 1024 // 1024} MB "
                                    f"(at most {MAX_XLSX_BYTES // 1024 // 1024} MB); is it really a county table?"])
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a file that is not a workbook
        raise ImportProblems(path, [f"not a readable .xlsx workbook ({type(error).__name__})"]) from None
    sheet = book.worksheets[0]
    rows = [(n, list(row)) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    book.close()
    if not rows:
        raise ImportProblems(path, ["the first sheet is empty"])
    headers = ["" if c is None else str(c) for c in rows[0][1]]
    body = [(n, row) for n, row in rows[1:] if any(c not in (None, "") for c in row)]
    return Table(path, headers, body)


def cell(value: Any) -> Any:
    """A cell as a loose value the fields can parse: spreadsheet floats become exact decimals."""
    if isinstance(value, float):
        return Decimal(repr(value)).normalize() if value != int(value) else Decimal(int(value))
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
            names = ", ".join(f"{k} ({ATTRIBUTES[k][0]})" for k in allowed if k in ATTRIBUTES)
            problems.append(f"column {number} {header!r}: unknown header; allowed: {names}")
        keys.append(key if key in allowed else None)
    for key in required:
        if key not in keys:
            problems.append(f"column {key} ({ATTRIBUTES[key][0]}) is missing")
    return keys


def _records(table: Table, allowed: dict[str, f.Field], required: list[str]) -> list[tuple[int, dict]]:
    """Rows as typed dicts; every problem found is collected before anything is refused."""
    problems: list[str] = []
    keys = _columns(table, allowed, required, problems)
    records = []
    for number, row in table.rows:
        record = {}
        for key, header, value in zip(keys, table.headers, row):
            value = cell(value)
            if key is None or value in (None, ""):
                continue
            try:
                record[key] = allowed[key].parse(value)
            except f.BadValue as error:
                problems.append(f"row {number}, column {header} ({key}): {value!r} is not {error}")
        for key in required:
            if key in keys and key not in record:
                problems.append(f"row {number}, column {ATTRIBUTES[key][0]} ({key}): missing; it is required")
        records.append((number, record))
    if problems:
        raise ImportProblems(table.path, problems)
    return records


def _no_repeats(table: Table, records: list[tuple[int, dict]]) -> None:
    seen: dict[str, int] = {}
    problems = []
    for number, record in records:
        code = record["code"]
        if code in seen:
            problems.append(f"row {number}, column code: {code} repeats row {seen[code]}; codes are unique")
        seen.setdefault(code, number)
    if problems:
        raise ImportProblems(table.path, problems)


def parcel_commands(path: Path, actor: str, role: str, on: date | None) -> list[Command]:
    """`register` commands for an inventory table; `on` is the default registration date."""
    register = PARCEL_SPECS["register"]
    allowed = {"code": f.Field("code", f.text), "on": f.Field("on", f.iso_date),
               **{field.name: field for field in register.fields}}
    table = read_table(path)
    records = _records(table, allowed, ["code", *register.required])
    _no_repeats(table, records)
    if on is None and any("on" not in r for _, r in records):
        raise ImportProblems(table.path, ["no registration date: give --on or a column on (登记日期)"])
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
    records = _records(table, allowed, ["code", "year", "planned_investment"])
    _no_repeats(table, records)
    problems = []
    for number, record in records:
        parcel = parcel_of(record["code"])
        if parcel is None:
            problems.append(f"row {number}, column code: parcel {record['code']} is not registered")
        elif "area_ha" in record and record["area_ha"] != parcel.area_ha:
            problems.append(f"row {number}, column area_ha: {record['area_ha']} differs from parcel "
                            f"{record['code']}'s registered area {parcel.area_ha}")
    if problems:
        raise ImportProblems(table.path, problems)
    return [Command(do="plan", target=r["code"], actor=actor, role=role, on=on, line=number,
                    data={"programme": programme, "mode": r.get("mode", "ecological_reconstruction"),
                          **{k: v for k, v in r.items() if k not in ("code", "area_ha", "mode")}})
            for number, r in records]
