"""Boundary fields of the parcel commands: which trigger carries which boundary, and how one is checked.

Registration carries the parcel's boundary, the design (and an approved change) the design
boundary, completion the as-built boundary, acceptance the independently measured one. Each
is kept as the text given (GeoJSON or WKT, CGCS2000 lon/lat or a named Gauss-Krüger zone) and
refused at the door when it is not a valid polygon in China; its area is derived, never typed.
"""

from __future__ import annotations

from typing import Any

from geometry.errors import GeometryError
from workflow.fields import BadValue

FIELDS = {"register": "boundary", "submit_design": "design_boundary", "approve_design_change": "design_boundary",
          "complete_works": "as_built_boundary", "accept": "measured_boundary"}
"""Trigger → the boundary field it may carry."""

KINDS = ("boundary", "design_boundary", "as_built_boundary", "measured_boundary")
"""Every boundary field, in the order of the works."""

MAX_FILE = 4 * 1024 * 1024
"""The largest `--set FIELD=@FILE` read: twice the longest boundary text accepted."""


class BadBoundary(BadValue):
    """A boundary refused: the reason in English and Chinese."""

    def __init__(self, error: GeometryError):
        super().__init__(f"a valid boundary ({error.en})")
        self.zh = f"有效的边界（{error.zh}）"


def boundary(value: Any) -> str:
    """GeoJSON (object or text) or WKT (`SRID=45xx;` names a Gauss-Krüger zone): the text as it will be kept."""
    from geometry import stored

    try:
        return stored.check(value).source
    except GeometryError as error:
        raise BadBoundary(error) from None


def read_file(name: str, path: str) -> str:
    """The text of `--set NAME=@PATH`: UTF-8, at most MAX_FILE bytes."""
    from pathlib import Path

    file = Path(path)
    try:
        if not file.is_file():
            raise BadValue(f"a boundary file (@{path}: no such file)")
        if file.stat().st_size > MAX_FILE:
            raise BadValue(f"a boundary file of at most {MAX_FILE} bytes (@{path} is larger)")
        return file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadValue(f"a UTF-8 boundary file (@{path} is not UTF-8)") from None
    except OSError as error:
        raise BadValue(f"a readable boundary file (@{path}: {error.strerror or error})") from None


def described(text) -> dict | None:
    """What `show` prints of a recorded boundary: GeoJSON (CGCS2000 lon/lat), ellipsoidal area, centre, zone."""
    from geometry import stored

    b = stored.read_or_none(text)
    if b is None:
        return None if not text else {"unreadable": True}
    return {"geojson": b.to_geojson(), "area_ha": b.area_ha, "area_m2": round(b.area_m2, 2),
            "centre": [round(b.centroid[0], 7), round(b.centroid[1], 7)], "gk_zone": b.zone,
            "given_in": f"EPSG:{b.crs}"}


def of_parcel(parcel) -> dict:
    """A parcel's current boundaries by kind: registered, latest design (or approved change), as built, measured."""
    out = {}
    if parcel.attributes.get("boundary"):
        out["boundary"] = parcel.attributes["boundary"]
    design = parcel.design_boundary if hasattr(parcel, "design_boundary") else None
    if design:
        out["design_boundary"] = design
    for trigger, name in (("complete_works", "as_built_boundary"), ("accept", "measured_boundary")):
        text = parcel.steps.get(trigger, {}).get(name)
        if text:
            out[name] = text
    return out
