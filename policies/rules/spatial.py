"""Spatial rules (空间核查): the ground itself, from the recorded boundaries (R25–R28).

Boundaries are read from the text each event kept and measured here, never taken from typed
figures: areas on the CGCS2000 ellipsoid, overlaps, IoU and distances on the parcel's 3°
Gauss-Krüger plane (`geometry.compare`). A boundary that no longer reads is skipped, not a crash.
The geometry libraries are imported by the rules that read a boundary: stores without boundaries,
and every command that only names the rules, do without shapely, pyproj and numpy (≈ 60 MB).
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from functools import lru_cache

from policies.registry import rule
from policies.rules.evidence import P

LIVE_STATES = frozenset({"identified", "planned", "surveying", "surveyed", "design_review", "design_approved",
                         "contracted", "under_construction", "suspended", "works_completed", "rectifying",
                         "recovering", "accepted", "filed"})
"""Parcels still in the programme: registered and not yet written off or closed (dossiers.GONE)."""

KIND_NAMES = {"as_built": ("竣工范围", "as-built boundary"), "measured": ("验收实测范围", "measured boundary")}


def ha(m2: float) -> Decimal:
    return (Decimal(repr(m2)) / 10000).quantize(Decimal("0.0001"))


def m2(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def pct(value: float) -> Decimal:
    return (Decimal(repr(value)) * 100).quantize(Decimal("0.01"))


def ratio(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.0001"))


def metres(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"))


@rule("R25", "high", reads=("register",), others=("parcel",), min_overlap_m2=1.0, min_overlap_pct=0.5)
def same_ground_once(d, ctx, emit):
    """Two live parcels overlapping: the same ground under two codes or two programmes."""
    if d.footprint is None or d.state not in LIVE_STATES:
        return
    s = ctx.settings
    for other, other_v, overlap, share in ctx.overlaps_of(d.code):
        if overlap >= s["min_overlap_m2"] and share * 100 >= s["min_overlap_pct"]:
            emit(d.code, max(d.footprint.on, other_v[1]),
                 "R25.1", sorted([("parcel", d.code, d.footprint.v), ("parcel", other, other_v[0])]),
                 values=(other, m2(overlap), ha(overlap), pct(share)))


def _pairs(d):
    """(kind, design outline, other outline, Comparison) for the as-built and measured boundaries that read.
    A boundary recorded as the very text of the design is the design: nothing to measure."""
    design = d.outlines.get("design")
    if design is None:
        return
    for kind in ("as_built", "measured"):
        other = d.outlines.get(kind)
        if other is None or other.text == design.text:
            continue
        c = compared(design.text, other.text)
        if c is not None:
            yield kind, design, other, c


@lru_cache(maxsize=64)
def compared(design: str, other: str):
    """The comparison of two recorded boundaries (R26 and R27 ask for the same pairs); None if one does not read."""
    from geometry import compare, stored

    a, b = stored.read_or_none(design), stored.read_or_none(other)
    if a is None or b is None:
        return None
    return compare.compare(a, b, hausdorff=False)


@rule("R26", "high", reads=("submit_design", "approve_design_change", "complete_works", "accept"),
      min_area_pct=95.0, min_iou=0.9)
def built_as_large_as_designed(d, ctx, emit):
    """报大建小: the as-built or measured boundary falls short of the design (area ratio or IoU)."""
    s = ctx.settings
    for kind, design, other, c in _pairs(d):
        if c.ratio * 100 < s["min_area_pct"] or c.iou < s["min_iou"]:
            zh, en = KIND_NAMES[kind]
            emit(d.code, other.on, "R26.1", P(d, design.v, other.v),
                 values=(zh, m2(c.other_m2), ha(c.other_m2), m2(c.design_m2), ha(c.design_m2), pct(c.ratio),
                         ratio(c.iou), en, s["min_area_pct"], s["min_iou"]))


def reach_outside(design, other) -> float:
    """How far (m) the other boundary reaches outside the design, on the design's GK plane: the largest
    distance from the design of any point of the part outside it (edges densified to 1 m)."""
    import shapely

    from geometry import zones

    zone = design.zone
    a, b = zones.to_gk([design.shape, other.shape], zone)
    extra = shapely.difference(b, a)
    if extra.is_empty:
        return 0.0
    points = shapely.points(shapely.get_coordinates(shapely.segmentize(extra, 1.0)))
    return float(shapely.distance(a, points).max())


@rule("R27", "high", reads=("submit_design", "approve_design_change", "complete_works", "accept"),
      max_extra_m2=100.0, max_reach_m=5.0)
def built_inside_the_design(d, ctx, emit):
    """Works outside the designed boundary (over-digging feeds illegal earth and stone sales)."""
    s = ctx.settings
    for kind, design, other, c in _pairs(d):
        if c.extra_m2 <= s["max_extra_m2"]:
            continue
        from geometry import compare, stored

        a, b = stored.measure(design.text), stored.measure(other.text)
        reach = reach_outside(a, b)
        if reach > s["max_reach_m"]:
            zh, en = KIND_NAMES[kind]
            hausdorff = compare.compare(a, b).hausdorff_m
            emit(d.code, other.on, "R27.1", P(d, design.v, other.v),
                 values=(zh, m2(c.extra_m2), ha(c.extra_m2), metres(reach), metres(hausdorff), en,
                         s["max_extra_m2"], s["max_reach_m"]))


@rule("R28", "medium", reads=("register",), max_difference_pct=1.0)
def declared_area_is_the_grounds(d, ctx, emit):
    """The registered 图斑面积 against the ellipsoidal area of the registered boundary."""
    if d.footprint is None or not d.attrs.get("area_ha"):
        return
    from geometry import shapes, stored

    area = stored.area_m2(d.footprint.text)
    if area is None:
        return
    declared, measured = d.attrs["area_ha"], shapes.hectares(area)
    # against the 图斑面积 as tabled (4 decimals); a boundary under 0.5 m² tables as 0.0000 ha: against its m².
    # Precision for any ratio the door lets through (15-digit hectares over a sliver of ≈ 1e-19 m²: ≈ 1e40 %).
    with localcontext(prec=80):
        off = abs(declared - measured) / (measured or Decimal(repr(area)) / 10000) * 100
        if off > Decimal(repr(ctx.settings["max_difference_pct"])):
            emit(d.code, d.footprint.on, "R28.1", P(d, d.footprint.v),
                 values=(declared, measured, off.quantize(Decimal("0.01")), ctx.settings["max_difference_pct"]))
