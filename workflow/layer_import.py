"""Import of the national 图斑 layer (Shapefile, GeoJSON, KML) and of tables under national field names.

`geometry.layers` reads the file and maps the national attribute names (TBBH, TBMJ in m², TBSX, …)
to the project's; here each row becomes a `register` command whose boundary is kept as read.
Every bad row is reported (by row and field) before anything is written; one bad row writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from geometry import jsontext, layers, tbbh, zones
from geometry.errors import GeometryError
from workflow import fields as f
from workflow.commands import Command
from workflow.inventory import NOT_FOUND, ImportProblems, Problem, read_table
from workflow.specs import PARCEL_SPECS
from workflow.vocabulary import ATTRIBUTES

LAYER_SUFFIXES = (".shp", ".geojson", ".json", ".kml")


@dataclass
class Imported:
    """Register commands, with what the importer did that the user should know."""

    commands: list[Command]
    ignored: list[str] = field(default_factory=list)   # columns that are not register fields
    county_checked: str | None = None                    # the county code TBBH were checked against


def national_headers(headers) -> bool:
    """Whether a table is written under the national field names (TBBH, TBMJ, …)."""
    return any(str(h).strip().upper() in layers.BY_NATIONAL for h in headers if h)


def _kept_text(boundary) -> str:
    """The boundary as the event keeps it: as read, with its coordinate system named when it is not lon/lat."""
    if boundary.crs == zones.GEOGRAPHIC or boundary.source.lstrip()[:5].upper() == "SRID=":
        return boundary.source
    obj = json.loads(boundary.source) if boundary.source.lstrip().startswith("{") else None
    if obj is None:
        return f"SRID={boundary.crs};{boundary.source}"
    obj["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{boundary.crs}"}}
    return jsontext.dumps(obj)


def _command(number: int, attributes: dict, boundary, problems: list[str], ignored: set, actor: str, role: str,
             on: date | None, allowed: dict) -> Command | None:
    data, code, when = {}, attributes.get("code"), on
    for name, value in attributes.items():
        if name == "code":
            continue
        if name == "on":
            try:
                when = f.iso_date(value)
            except f.BadValue as error:
                problems.append(Problem(f"row {number}, field on: {str(value)[:40]!r} is not {error}",
                                        f"第 {number} 行 登记日期：{str(value)[:40]!r} 应为{error.zh}"))
            continue
        spec = allowed.get(name)
        if spec is None:
            ignored.add(name)
            continue
        try:
            data[name] = spec.parse(value)
        except f.BadValue as error:
            problems.append(Problem(f"row {number}, field {name}: {str(value)[:40]!r} is not {error}",
                                    f"第 {number} 行 {_zh(name)}：{str(value)[:40]!r} 应为{error.zh}"))
    if boundary is not None:
        data["boundary"] = _kept_text(boundary)
    if not code:
        problems.append(Problem(f"row {number}: no 图斑编号 (TBBH or code)", f"第 {number} 行：没有图斑编号（TBBH 或 code）"))
    data.setdefault("name", code)                       # a national layer has no name: the code names it
    for name in PARCEL_SPECS["register"].required:
        if name not in data:
            problems.append(Problem(f"row {number}, field {name}: missing; it is required",
                                    f"第 {number} 行 {_zh(name)}：为空；此项必填"))
    if when is None:
        problems.append(Problem(f"row {number}: no registration date: give --on or a field on (登记日期)",
                                f"第 {number} 行：没有登记日期：请给出 --on 或 登记日期 字段"))
    if not code:
        return None
    return Command(do="register", target=str(code), actor=actor, role=role, on=when, data=data, line=number)


def _zh(name: str) -> str:
    """A field's Chinese name (the id when it has none)."""
    return ATTRIBUTES.get(name, (name,))[0]


def layer_commands(path: Path, actor: str, role: str, on: date | None, county: str | None = None,
                   crs=None) -> Imported:
    """`register` commands for a layer or a table under national names; every bad row in one ImportProblems.

    county: the 6-digit county code TBBH of unlicensed (CT) parcels must carry (None: the pattern only).
    crs: the coordinate system of a layer that does not name one (a Gauss-Krüger zone, EPSG 4513..4554).
    """
    if not path.is_file():
        raise ImportProblems(path, [NOT_FOUND])
    try:
        if path.suffix.lower() in LAYER_SUFFIXES:
            rows = [(r.number, r.attributes, r.boundary, r.problems) for r in layers.read(path, crs, county)]
        else:
            rows = _table_rows(path, county, crs)
    except GeometryError as error:
        raise ImportProblems(path, [Problem(error.en, error.zh)]) from None
    if not rows:
        raise ImportProblems(path, [Problem("the layer has no features", "图层中没有要素")])
    register = PARCEL_SPECS["register"]
    allowed = {spec.name: spec for spec in register.fields if spec.name != "boundary"}
    problems, ignored, commands, seen = [], set(), [], {}
    for number, attributes, boundary, found in rows:
        for problem in found:
            where, where_zh = (f", field {problem.field}", f" {_zh(problem.field)}") if problem.field else ("", "")
            problems.append(Problem(f"row {number}{where}: {problem.en}", f"第 {number} 行{where_zh}：{problem.zh}"))
        command = _command(number, attributes, boundary, problems, ignored, actor, role, on, allowed)
        if command is None:
            continue
        if command.target in seen:
            problems.append(Problem(f"row {number}, field code: {command.target} repeats row {seen[command.target]}; "
                                    "codes are unique", f"第 {number} 行 图斑编号：{command.target} 与第 "
                                    f"{seen[command.target]} 行重复；编号不得重复"))
        seen.setdefault(command.target, number)
        commands.append(command)
    if problems:
        raise ImportProblems(path, problems)
    return Imported(commands, sorted(ignored), county)


def _table_rows(path: Path, county: str | None, crs) -> list[tuple]:
    """A .csv/.xlsx under national names: rows mapped like a layer's, the boundary from a `boundary` (WKT) column."""
    from geometry import stored
    from workflow.inventory import cell

    table = read_table(path)
    rows = []
    for number, cells in table.rows:
        raw = {h: cell(c) for h, c in zip(table.headers, cells) if h}
        text = next((raw.pop(h) for h in list(raw) if h.strip().lower() in ("boundary", "图斑边界", "wkt")), None)
        attributes, problems = layers.to_project(raw, county)
        boundary = None
        if text not in (None, ""):
            try:
                boundary = stored.check(str(text), crs=crs)
            except GeometryError as error:
                error.field = "boundary"
                problems.append(error)
        rows.append((number, attributes, boundary, problems))
    return rows


def county_of(programmes) -> str | None:
    """The store's county: the one county code its programmes name, or None when they name none or several."""
    codes = {p.plan.get("county_code") for p in programmes} - {None}
    return codes.pop() if len(codes) == 1 else None


def check_county(code: str) -> str:
    """A 6-digit county code for TBBH checks, or GeometryError."""
    tbbh.check("CT" + code + "2023000001001", code)
    return code
