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


class ImportProblems(BadInput):
    """Everything wrong with a table, one line per problem."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_PROBLEMS]
        more = f"\n{path}: … and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        super().__init__("\n".join(f"{path}: {p}" for p in shown) + more)


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
    lines = list(csv.reader(text.splitlines()))
    if not lines:
        raise ImportProblems(path, ["the file is empty"])
    return Table(path, lines[0], [(n, row) for n, row in enumerate(lines[1:], start=2) if any(c.strip() for c in row)])


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

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
