"""National 图斑编号 (TBBH): check its pattern before it becomes a parcel's permanent code.

C  + 22-digit licence digits + 3-digit sequence                       (licensed mines, 26 chars)
CT + 6-digit county + 4-digit year + 6-digit serial + 3-digit sequence  (no licence, 21 chars)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geometry.errors import GeometryError

_LICENSED = re.compile(r"C([0-9]{22})([0-9]{3})")
_UNLICENSED = re.compile(r"CT([0-9]{6})([0-9]{4})([0-9]{6})([0-9]{3})")
_COUNTY = re.compile(r"[0-9]{6}")


@dataclass(frozen=True)
class Tbbh:
    code: str
    licensed: bool
    licence: str | None = None     # "C" + 22 digits, the mining licence number
    county: str | None = None      # 6-digit administrative code (CT codes only)
    year: int | None = None
    serial: str | None = None
    sequence: str = ""


def check(tbbh, county_code: str | None = None) -> Tbbh:
    """The parts of a TBBH; GeometryError if the pattern is wrong or a CT code's county is not county_code."""
    if not isinstance(tbbh, str):
        raise GeometryError("图斑编号 (TBBH) must be text", "图斑编号（TBBH）必须为文本", "code")
    shown = tbbh[:40]
    if county_code is not None and not (isinstance(county_code, str) and _COUNTY.fullmatch(county_code)):
        raise GeometryError(f"county code {str(county_code)[:20]!r} is not 6 digits",
                            f"县级行政区代码 {str(county_code)[:20]!r} 不是 6 位数字", "county")
    if m := _LICENSED.fullmatch(tbbh):
        return Tbbh(code=tbbh, licensed=True, licence="C" + m.group(1), sequence=m.group(2))
    if m := _UNLICENSED.fullmatch(tbbh):
        county, year, serial, seq = m.groups()
        if county_code is not None and county != county_code:
            raise GeometryError(f"TBBH {shown} is for county {county}, not {county_code}",
                                f"图斑编号 {shown} 属于县 {county}，而不是 {county_code}", "code")
        return Tbbh(code=tbbh, licensed=False, county=county, year=int(year), serial=serial, sequence=seq)
    raise GeometryError(
        f"TBBH {shown!r} is neither C + 25 digits (licensed, 26 chars) nor CT + 19 digits (21 chars)",
        f"图斑编号 {shown!r} 既不是 C + 25 位数字（有证，26 位）也不是 CT + 19 位数字（无证，21 位）", "code")
