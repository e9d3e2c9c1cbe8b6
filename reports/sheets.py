"""Spreadsheets Excel users can trust: named sheets, headers in the reader's language, title rows,
exact decimals shown with the places they were recorded with, whole-number years, a frozen header.

An Excel number is a double of 15 significant digits, which holds every area (ha, four
places) and sum of money (万元, a few places) this product records exactly; the cell's
number format (`0.00` for 65.70) shows it with the places it was recorded with, where
the General format would show 65.7.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from reports.people import human, word
from reports.progress import FUNDS, GROUP_STATES
from workflow.vocabulary import COLUMNS, GROUPS, REPORT, label

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Sheet:
    """One worksheet: its name, the title lines above the table, the headers and the rows (cell values)."""

    name: str
    titles: list[str]
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def number_format(value: Decimal) -> str:
    """'0.00' for 65.70, '0' for 12, '0.0000' for 3.8877: the places the value was recorded with."""
    places = -value.as_tuple().exponent if isinstance(value.as_tuple().exponent, int) else 0
    return "0" if places <= 0 else "0." + "0" * places


def inert(value):
    """Text that a spreadsheet would run as a formula gets a leading quote."""
    import re

    if isinstance(value, str) and value.startswith(FORMULA_START) and not re.fullmatch(r"-?\d+(\.\d+)?", value):
        return "'" + value
    return value


def cell(value, lang: str):
    """What goes into a cell: numbers and dates as themselves, everything else as text for people."""
    if isinstance(value, bool) or value is None:
        return human(value, lang) if value is not None else None
    if isinstance(value, (int, Decimal, date)):
        return value
    return inert(human(value, lang))


def workbook(sheets: list[Sheet], lang: str) -> bytes:
    """The xlsx bytes of these sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF4EE")
    for spec in sheets:
        ws = book.create_sheet(spec.name)
        for i, title in enumerate(spec.titles):
            ws.append([inert(title)])
            ws.cell(row=i + 1, column=1).font = Font(bold=i == 0, size=13 if i == 0 else 11)
        head = len(spec.titles) + 1
        ws.append([inert(h) for h in spec.headers])
        for col in range(1, len(spec.headers) + 1):
            c = ws.cell(row=head, column=col)
            c.font, c.fill = bold, fill
            c.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [display_width(h) for h in spec.headers]
        for r, row in enumerate(spec.rows, start=head + 1):
            for col, value in enumerate(row, start=1):
                c = ws.cell(row=r, column=col, value=cell(value, lang))
                if isinstance(value, Decimal):
                    c.number_format = number_format(value)
                elif isinstance(value, date):
                    c.number_format = "yyyy-mm-dd"
                elif isinstance(value, int) and not isinstance(value, bool):
                    c.number_format = "0"
                widths[col - 1] = max(widths[col - 1], display_width(human(value, lang)))
        ws.freeze_panes = ws.cell(row=head + 1, column=1)
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 6), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def display_width(text) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def sheet_name(key: str, lang: str) -> str:
    """进展 / Progress, 台账 / Parcels, 问题 / Findings."""
    return label(REPORT, key, lang)


# --- the progress report's columns -------------------------------------------------------------------------

def progress_header(key: str, lang: str) -> str:
    """The header of one progress column (`state_accepted_ha` → 已验收 面积(公顷))."""
    ha, wan, n = ("公顷", "万元", "图斑数") if lang == "zh" else ("ha", "万元", "parcels")
    if key.startswith("state_"):
        group, _, unit = key[len("state_"):].rpartition("_")
        return f"{label(GROUPS, group, lang)} {n if unit == 'parcels' else f'({ha})'}"
    fixed = {"year": label(COLUMNS, "year", lang), "parcels": label(COLUMNS, "parcels", lang),
             "planned_ha": f"{label(COLUMNS, 'planned ha', lang)} ({ha})",
             "accepted_total_ha": f"{label(COLUMNS, 'accepted ha', lang)} ({ha})",
             "planned_pct_of_target": f"{label(COLUMNS, 'planned ha', lang)} {label(COLUMNS, '% target', lang)}",
             "accepted_pct_of_target": f"{label(COLUMNS, 'accepted ha', lang)} {label(COLUMNS, '% target', lang)}",
             "cumulative_planned_ha": f"{word('cumulative', lang)} {label(COLUMNS, 'planned ha', lang)} ({ha})",
             "cumulative_planned_pct": word("cum. planned %", lang),
             "cumulative_accepted_ha": f"{word('cumulative', lang)} {label(COLUMNS, 'accepted ha', lang)} ({ha})",
             "cumulative_accepted_pct": word("cum. accepted %", lang),
             "planned_wan_per_ha": f"{label(COLUMNS, 'planned/ha', lang)} ({wan}/{ha})"}
    if key in fixed:
        return fixed[key]
    if key.endswith("_wan") and key[:-4] in FUNDS:
        return f"{label(COLUMNS, key[:-4], lang)} ({wan})"
    return key


def progress_columns() -> list[str]:
    """Every column of a progress row, in a reading order."""
    cols = ["year", "parcels", "planned_ha", "planned_pct_of_target", "cumulative_planned_ha", "cumulative_planned_pct",
            "accepted_total_ha", "accepted_pct_of_target", "cumulative_accepted_ha", "cumulative_accepted_pct"]
    for group in [*GROUP_STATES, "in_stewardship"]:
        cols += [f"state_{group}_parcels", f"state_{group}_ha"]
    cols += [f"{fund}_wan" for fund in FUNDS] + ["planned_wan_per_ha"]
    return cols


def year_cell(year: str, lang: str):
    """A year as a whole number; the rows without one by name."""
    if year.isdigit():
        return int(year)
    if year == "unplanned":
        return label(GROUPS, "unplanned", lang)
    return "合计" if lang == "zh" and year == "total" else year


def progress_sheet(result: dict, lang: str) -> Sheet:
    cols = progress_columns()
    titles = [f"{result.get('name', '')} ({result['programme']})" if "programme" in result else word("progress", lang),
              f"{label(COLUMNS, 'as of', lang)} {result['as_of']}",
              f"{label(COLUMNS, 'target', lang)} {human(result['target_ha'], lang)} {'公顷' if lang == 'zh' else 'ha'}",
              word("unit ha", lang)]
    rows = [[year_cell(row["year"], lang) if c == "year" else row.get(c) for c in cols]
            for row in [*result["years"], result["total"]]]
    return Sheet(sheet_name("progress", lang), titles, [progress_header(c, lang) for c in cols], rows)


def parcels_sheet(rows: list[dict], lang: str, title: str) -> Sheet:
    """The county's ledger of parcels (台账): one row per parcel, states by name."""
    from workflow.vocabulary import STATES

    total = sum((r["area_ha"] for r in rows), Decimal(0))
    titles = [title, f"{label(COLUMNS, 'parcels', lang)} {len(rows)}; {label(COLUMNS, 'area_ha', lang)} {human(total, lang)}",
              word("unit ha", lang)]
    headers = [label(COLUMNS, k, lang) for k in ("parcel", "name", "township", "state", "year", "area_ha", "v")]
    body = [[r["parcel"], r["name"], r["township"], label(STATES, r["state"], lang), r["year"], r["area_ha"], r["version"]]
            for r in rows]
    return Sheet(sheet_name("ledger", lang), titles, headers, body)


def findings_sheet(rows: list[dict], lang: str, title: str) -> Sheet:
    """The audit's findings (问题): rule, severity by name, subject, date, message in the reader's language."""
    from workflow.vocabulary import SEVERITY

    headers = [label(COLUMNS, k, lang) for k in ("rule", "severity", "subject", "on", "message", "evidence")]
    body = [[r["rule"], label(SEVERITY, r["severity"], lang), r["subject"], r["on"], r["message"][lang],
             " ".join(f"{e['aggregate']}@{e['version']}" for e in r["evidence"])] for r in rows]
    return Sheet(sheet_name("problems", lang), [title], headers, body)
