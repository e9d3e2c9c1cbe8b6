"""Offline maps of the parcels as SVG text: no tiles, no network, nothing but the recorded boundaries.

`county_map` draws every parcel coloured by its state with audit findings marked (or, when the
boundaries are confidential survey results, only a dot at each parcel's centre); `parcel_overlay`
draws one parcel's registered, design, as-built and measured boundaries over each other. Both
project onto the 3° Gauss-Krüger plane of the parcels' zone, so shapes and the scale bar are true
in metres. They return SVG text for a page (reports.html) or a file; they write nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import shapely

from geometry import stored, zones
from workflow.boundaries import of_parcel
from workflow.vocabulary import STATES, label

STAGE_COLOURS = {
    "identified": "#bdbdbd", "planned": "#9ecae1", "surveying": "#6baed6", "surveyed": "#6baed6",
    "design_review": "#4292c6", "design_approved": "#4292c6", "contracted": "#fdae6b",
    "under_construction": "#fd8d3c", "suspended": "#d94801", "works_completed": "#a1d99b", "rectifying": "#e6550d",
    "recovering": "#c7e9c0", "accepted": "#41ab5d", "filed": "#238b45", "written_off": "#006d2c", "closed": "#00441b",
}
"""Grey for registered, blues through design, oranges on site, greens once accepted; red-orange for trouble."""

OVERLAY = (("boundary", "#636363", "6 3", ("登记图斑", "registered parcel")),
           ("design_boundary", "#2171b5", "", ("设计范围", "design")),
           ("as_built_boundary", "#e6550d", "8 4", ("竣工范围", "as built")),
           ("measured_boundary", "#31a354", "2 3", ("验收实测范围", "measured")))
"""Boundary kind, stroke colour, dash pattern, legend names (zh, en)."""

LEGEND_WIDTH = 170
"""Pixels kept free on the right of the county map for its legend."""

SEVERITY_COLOURS = {"high": "#cb181d", "medium": "#fd8d3c", "low": "#fed976"}


@dataclass(frozen=True)
class Placed:
    """One parcel to draw: its code, state, boundary (a geometry.shapes.Boundary, or None) and centre."""

    code: str
    state: str
    boundary: object | None
    centre: tuple[float, float] | None


def placed(parcel) -> Placed:
    """A ledger Parcel as the map needs it: the registered boundary, else the recorded lon/lat."""
    b = stored.read_or_none(parcel.attributes.get("boundary"))
    if b is not None:
        return Placed(parcel.code, parcel.state, b, b.centroid)
    lon, lat = parcel.attributes.get("lon"), parcel.attributes.get("lat")
    centre = (float(lon), float(lat)) if lon is not None and lat is not None else None
    return Placed(parcel.code, parcel.state, None, centre)


class Frame:
    """GK-plane metres of one zone fitted into a width × height picture (y up on the ground, down in SVG)."""

    def __init__(self, bounds, zone: int, width: int, height: int, margin: int = 40, right: int = 0):
        self.zone, self.width, self.height = zone, width, height
        minx, miny, maxx, maxy = bounds
        span = max(maxx - minx, maxy - miny, 50.0)
        w, h = max(maxx - minx, span * 0.2), max(maxy - miny, span * 0.2)   # a lone thin parcel is not stretched
        room_w, room_h = width - 2 * margin - right, height - 2 * margin - 40
        self.scale = min(room_w / w, room_h / h)
        self.ox = margin + (room_w - (maxx - minx) * self.scale) / 2 - minx * self.scale
        self.oy = margin + 20 + (room_h - (maxy - miny) * self.scale) / 2 + maxy * self.scale

    @classmethod
    def around(cls, geometries, points, width, height, right: int = 0):
        """The frame holding every geometry and point (lon/lat), on the zone of their middle."""
        lons = [g.centroid.x for g in geometries] + [p[0] for p in points]
        if not lons:
            return None
        zone = zones.zone_of(float(np.median(lons)))
        plane = list(zones.to_gk(list(geometries), zone)) if geometries else []
        if points:
            plane += list(zones.to_gk(shapely.points(np.array(points, dtype=float)), zone))
        return cls(shapely.GeometryCollection(plane).bounds, zone, width, height, right=right)

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return self.ox + x * self.scale, self.oy - y * self.scale

    def path(self, shape) -> str:
        """SVG path data of a lon/lat polygon or multipolygon, holes included (fill-rule evenodd)."""
        plane = zones.to_gk(shape, self.zone)
        parts = []
        for polygon in getattr(plane, "geoms", [plane]):
            for ring in (polygon.exterior, *polygon.interiors):
                pts = [self.xy(x, y) for x, y in ring.coords[:-1]]
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
        return "".join(parts)

    def drawn_size(self, shape) -> float:
        """The larger side of a lon/lat geometry's bounding box, in pixels."""
        minx, miny, maxx, maxy = zones.to_gk(shape, self.zone).bounds
        return max(maxx - minx, maxy - miny) * self.scale

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        p = zones.to_gk(shapely.Point(lon, lat), self.zone)
        return self.xy(p.x, p.y)

    def scale_bar(self, lang: str) -> str:
        """A bar of a round length near a fifth of the width, with its length in metres or kilometres."""
        target = self.width / 5 / self.scale
        length = 10 ** math.floor(math.log10(target))
        for step in (5, 2, 1):
            if step * length <= target:
                length *= step
                break
        px = length * self.scale
        x, y = 20, self.height - 20
        km, m = ("千米", "米") if lang == "zh" else (" km", " m")
        text = f"{length / 1000:g}{km}" if length >= 1000 else f"{length:g}{m}"
        return (f'<g class="scale"><path d="M{x},{y - 6}V{y}H{x + px:.1f}V{y - 6}" fill="none" stroke="#333" '
                f'stroke-width="2"/><text x="{x + px / 2:.1f}" y="{y - 10}" text-anchor="middle">{escape(text)}</text>'
                f'</g>')


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" font-family="sans-serif" font-size="12">'
            f'<title>{escape(title)}</title><rect width="100%" height="100%" fill="#fbfbf8"/>'
            + "".join(body) + "</svg>")


def _north(width: int) -> str:
    x = width - 30
    return (f'<g class="north"><path d="M{x},20L{x - 7},40L{x},35L{x + 7},40Z" fill="#333"/>'
            f'<text x="{x}" y="54" text-anchor="middle">N</text></g>')


def _legend(items: list[tuple[str, str]], x: int, y: int) -> str:
    out = ['<g class="legend">']
    for i, (colour, text) in enumerate(items):
        out.append(f'<rect x="{x}" y="{y + i * 18}" width="12" height="12" fill="{colour}" stroke="#555"/>'
                   f'<text x="{x + 18}" y="{y + i * 18 + 10}">{escape(text)}</text>')
    return "".join(out) + "</g>"


def county_map(parcels, findings=(), centres_only: bool = False, width: int = 900, height: int = 700,
               lang: str = "en", title: str | None = None) -> str:
    """Every parcel coloured by state; parcels with findings ringed by their gravest severity.

    parcels: ledger Parcels (or `Placed`); findings: audit Findings (their subject and severity are read).
    centres_only: draw a dot at each parcel's centre instead of its boundary (confidential survey results).
    """
    items = [p if isinstance(p, Placed) else placed(p) for p in parcels]
    worst: dict[str, str] = {}
    rules: dict[str, list[str]] = {}
    order = list(SEVERITY_COLOURS)
    for f in findings:
        if f.subject in worst and order.index(worst[f.subject]) <= order.index(f.severity):
            rules[f.subject].append(f.rule)
            continue
        worst[f.subject] = f.severity
        rules.setdefault(f.subject, []).append(f.rule)
    title = title or ("图斑分布图" if lang == "zh" else "Parcels by state")
    shapes_ = [p.boundary.shape for p in items if p.boundary is not None and not centres_only]
    points = [p.centre for p in items if p.centre is not None and (centres_only or p.boundary is None)]
    frame = Frame.around(shapes_, points, width, height, right=LEGEND_WIDTH)
    if frame is None:
        empty = "没有可绘制的图斑（无边界或坐标）" if lang == "zh" else "no parcel has a boundary or a point to draw"
        return _svg(width, height, title, [f'<text x="20" y="40">{escape(empty)}</text>'])
    body = [f'<text x="20" y="24" font-size="16" font-weight="bold">{escape(title)}</text>']
    marks = []
    for p in sorted(items, key=lambda p: p.code):
        colour = STAGE_COLOURS.get(p.state, "#969696")
        state = label(STATES, p.state, lang)
        tip = f"{p.code} · {state}" + (f" · {p.boundary.area_ha}{_ha(lang)}" if p.boundary is not None else "")
        if p.code in rules:
            tip += " · " + ", ".join(sorted(set(rules[p.code])))
        if p.boundary is not None and not centres_only:
            body.append(f'<path class="parcel" data-code={quoteattr(p.code)} d="{frame.path(p.boundary.shape)}" '
                        f'fill="{colour}" fill-opacity="0.75" stroke="#333" stroke-width="0.8" fill-rule="evenodd">'
                        f'<title>{escape(tip)}</title></path>')
            if frame.drawn_size(p.boundary.shape) < 4:   # smaller than a few pixels at county scale: a dot as well
                x, y = frame.point(*p.centre)
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}" stroke="#333" stroke-width="0.6"/>')
        elif p.centre is not None:
            x, y = frame.point(*p.centre)
            body.append(f'<circle class="parcel" data-code={quoteattr(p.code)} cx="{x:.1f}" cy="{y:.1f}" r="5" '
                        f'fill="{colour}" stroke="#333"><title>{escape(tip)}</title></circle>')
        else:
            continue
        if p.code in worst and p.centre is not None:
            x, y = frame.point(*p.centre)
            marks.append(f'<g class="finding" data-code={quoteattr(p.code)}><circle cx="{x:.1f}" cy="{y:.1f}" r="9" '
                         f'fill="none" stroke="{SEVERITY_COLOURS[worst[p.code]]}" stroke-width="3"/>'
                         f'<text x="{x + 11:.1f}" y="{y - 8:.1f}" fill="{SEVERITY_COLOURS[worst[p.code]]}" '
                         f'font-weight="bold">!</text><title>{escape(tip)}</title></g>')
    present = sorted({p.state for p in items}, key=lambda s: list(STAGE_COLOURS).index(s) if s in STAGE_COLOURS else 99)
    legend = [(STAGE_COLOURS.get(s, "#969696"), label(STATES, s, lang)) for s in present]
    if worst:
        legend.append((SEVERITY_COLOURS["high"], "审计发现问题" if lang == "zh" else "audit findings"))
    body += marks
    body.append(_legend(legend, width - LEGEND_WIDTH, 70))
    body.append(frame.scale_bar(lang))
    body.append(_north(width))
    return _svg(width, height, title, body)


def _ha(lang: str) -> str:
    return " 公顷" if lang == "zh" else " ha"


def parcel_overlay(parcel, width: int = 600, height: int = 500, lang: str = "en") -> str:
    """One parcel's registered, design, as-built and measured boundaries drawn over each other, with their areas."""
    texts = of_parcel(parcel)
    drawn = [(kind, colour, dash, names, stored.read_or_none(texts.get(kind))) for kind, colour, dash, names in OVERLAY]
    drawn = [d for d in drawn if d[4] is not None]
    title = f"{parcel.code} " + ("边界对照" if lang == "zh" else "boundaries")
    frame = Frame.around([d[4].shape for d in drawn], [], width, height)
    if frame is None:
        empty = "该图斑没有记录边界" if lang == "zh" else "no boundary recorded for this parcel"
        return _svg(width, height, title, [f'<text x="20" y="40">{escape(empty)}</text>'])
    body = [f'<text x="20" y="24" font-size="16" font-weight="bold">{escape(title)}</text>']
    legend = []
    for kind, colour, dash, names, b in drawn:
        name = names[0] if lang == "zh" else names[1]
        fill = colour if kind == "design_boundary" else "none"
        body.append(f'<path class="{kind}" d="{frame.path(b.shape)}" fill="{fill}" fill-opacity="0.12" '
                    f'stroke="{colour}" stroke-width="2.5" stroke-dasharray="{dash}" fill-rule="evenodd">'
                    f'<title>{escape(f"{name}: {b.area_ha}{_ha(lang)}")}</title></path>')
        legend.append((colour, f"{name} {b.area_ha}{_ha(lang)}"))
    body.append(_legend(legend, 20, 44))
    body.append(frame.scale_bar(lang))
    body.append(_north(width))
    return _svg(width, height, title, body)
