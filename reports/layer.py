"""The parcels as the national 图斑 layer (变更核查/销号 submissions) and as the public-notice (公示) table.

The layer carries the national field names (TBBH, TBMJ in m², TBSX, KCFS, …) through
`geometry.layers`, in CGCS2000 lon/lat (EPSG:4490); the notice is a workbook whose areas are
Decimal cells. Both are built in memory and handed back as bytes, so the caller writes them
through the one safe writer.
"""

from __future__ import annotations

import io
import tempfile
from decimal import Decimal
from pathlib import Path

from geometry import layers, stored

DONE = ("accepted", "filed", "written_off", "closed")
"""States in which a parcel counts as treated (HFZLQK = B)."""

WHICH = ("registered", "latest")
"""Which boundary a parcel is exported with: the registered 图斑, or the latest (measured, as built, design)."""

EXPORTED = ("category", "subclass", "feature", "mineral", "mining_method", "closure_year", "land_class",
            "planned_mode", "direction", "lon", "lat", "name", "township")


def boundary_of(parcel, which: str = "registered") -> str | None:
    """The text of the boundary a parcel is exported with."""
    if which == "latest":
        for trigger, name in (("accept", "measured_boundary"), ("complete_works", "as_built_boundary")):
            text = parcel.steps.get(trigger, {}).get(name)
            if text:
                return text
        if getattr(parcel, "design_boundary", None):
            return parcel.design_boundary
    return parcel.attributes.get("boundary")


def layer_rows(parcels, which: str = "registered") -> list[tuple[dict, object]]:
    """(project attributes, Boundary or None) per parcel, in code order: what `geometry.layers.write` takes."""
    rows = []
    for p in sorted(parcels, key=lambda p: p.code):
        attributes = {"code": p.code, "area_ha": p.area_ha}
        attributes.update({k: p.attributes[k] for k in EXPORTED if p.attributes.get(k) is not None})
        attributes["restoration_status"] = "treated" if p.state in DONE else "untreated"
        rows.append((attributes, stored.read_or_none(boundary_of(p, which))))
    return rows


def layer_files(fmt: str, rows, encoding: str = "GBK") -> dict[str, bytes]:
    """The files of a layer by suffix ('.shp', '.shx', '.dbf', '.prj', '.cpg'; or '.geojson', '.kml')."""
    with tempfile.TemporaryDirectory(prefix="minerehab-layer-") as folder:
        suffix = {"shp": ".shp", "geojson": ".geojson", "kml": ".kml"}[fmt]
        layers.write(Path(folder) / f"layer{suffix}", fmt, rows, encoding=encoding)
        return {f.suffix.lower(): f.read_bytes() for f in sorted(Path(folder).iterdir())}


NOTICE = [
    ("序号", "No."), ("图斑编号", "parcel code (TBBH)"), ("图斑名称", "name"), ("乡镇", "township"),
    ("矿种", "mineral"), ("图斑面积（公顷）", "area (ha)"), ("边界椭球面积（公顷）", "boundary ellipsoidal area (ha)"),
    ("修复模式", "restoration mode"), ("修复方向", "restoration direction"), ("验收面积（公顷）", "accepted area (ha)"),
    ("治理情况", "restoration status"), ("核销批次", "write-off batch"), ("中心点经度", "centre longitude"),
    ("中心点纬度", "centre latitude"),
]
"""The public-notice (公示) columns, Chinese then English."""

AREA_FORMAT = "0.0000"


def notice_rows(parcels, which: str = "registered", batches: dict | None = None) -> list[list]:
    """One row per parcel under NOTICE: areas as Decimals, centres to 6 decimals."""
    rows = []
    for n, p in enumerate(sorted(parcels, key=lambda p: p.code), 1):
        b = stored.read_or_none(boundary_of(p, which))
        accepted = p.steps.get("accept", {}).get("measured_area_ha")
        mode = p.plan.get("mode") or p.attributes.get("planned_mode")
        rows.append([n, p.code, p.attributes.get("name"), p.attributes.get("township"), p.attributes.get("mineral"),
                     p.area_ha, b.area_ha if b else None, mode, p.attributes.get("direction"), accepted,
                     "已治理" if p.state in DONE else "未治理", (batches or {}).get(p.code) or p.batch,
                     Decimal(f"{b.centroid[0]:.6f}") if b else p.attributes.get("lon"),
                     Decimal(f"{b.centroid[1]:.6f}") if b else p.attributes.get("lat")])
    return rows


def notice_xlsx(rows: list[list], title: str, lang: str = "zh") -> bytes:
    """The public-notice workbook: a title row, the header, then the rows; Decimal cells kept as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "公示" if lang == "zh" else "notice"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(NOTICE))
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([zh if lang == "zh" else en for zh, en in NOTICE])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([v if not isinstance(v, str) else _inert(v) for v in row])
    for r in sheet.iter_rows(min_row=3):
        for cell in r:
            if isinstance(cell.value, Decimal):
                cell.number_format = AREA_FORMAT if cell.column in (6, 7, 10) else "0.000000"
    for i, width in enumerate((6, 24, 18, 12, 10, 14, 16, 22, 12, 14, 10, 12, 12, 12), 1):
        sheet.column_dimensions[chr(64 + i)].width = width
    sheet.freeze_panes = "A3"
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _inert(text: str) -> str:
    """A cell never starts a formula: '=…' would run in the reader's spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
