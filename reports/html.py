"""The leader's dashboard: one self-contained page that prints on a few A4 pages.

Headline cards first (the target, what is planned and accepted against it, high findings,
funds), then a chart that keeps its numbers on paper, what needs attention now, how many
parcels stand in each state, breakdowns by year and township, and the findings grouped by
severity and rule with the cited events written out. The footer ties the page to the
ledger: the data source, the generation time and the log's Merkle root.

Parcel histories are not on it: each parcel links to its own case file (reports.casefile).
The parcels are read one at a time; at national scale the parcel list and the findings
are summarised (counts and the first few of each), so the page stays small.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from audit import shares as auditing
from events.clock import BUSINESS_TZ
from policies.catalogue import RULES
from reports.pagekit import e, h, shell, t, w
from reports.people import citations, describe, human
from reports.progress import (
    ACCEPTED_STATES,
    GROUP_OF,
    GROUP_STATES,
    accepted_area_of,
    percent,
    progress,
)
from workflow.vocabulary import COLUMNS, GROUPS, SEVERITY, STATES

LIST_LIMIT = 300
"""Above this many parcels the dashboard lists none of them, only counts."""
PER_RULE = 8
"""Findings shown per rule (the rest are counted); every one is in `minerehab audit`."""
PER_LIST = 10
"""Parcels shown per needs-attention list."""
ZERO = Decimal(0)
WORKS_OPEN = ("planned", "surveying", "surveyed", "design_review", "design_approved", "contracted",
              "under_construction", "suspended", "rectifying", "recovering")


@dataclass
class Survey:
    """What one pass over the parcels gathers for the dashboard (bounded whatever their number)."""

    as_of: date
    count: int = 0
    states: Counter = field(default_factory=Counter)
    towns: dict = field(default_factory=dict)
    rows: list | None = field(default_factory=list)
    attention: dict = field(default_factory=lambda: {k: [] for k in ("overdue works", "unpaid", "no steward")})
    attention_counts: Counter = field(default_factory=Counter)
    codes: set = field(default_factory=set)
    highs: Counter = field(default_factory=Counter)
    """High findings by parcel, counted into each parcel's township."""

    def see(self, p) -> None:
        self.count += 1
        self.codes.add(p.code)
        self.states[p.state] += 1
        town = self.towns.setdefault(p.attributes.get("township") or "", Counter())
        town["parcels"] += 1
        town["area"] += p.area_ha
        town["high"] += self.highs.get(p.code, 0)
        if p.state in ACCEPTED_STATES:
            town["accepted"] += 1
            town["accepted_ha"] += accepted_area_of(p)
        year = p.plan.get("year")
        if p.state in WORKS_OPEN and year is not None and int(year) < self.as_of.year:
            self.flag("overdue works", p, f"{year}")
        contract = p.steps.get("award_contract", {}).get("contract_amount")
        if p.state in ACCEPTED_STATES and contract is not None and p.money["paid"] < contract:
            self.flag("unpaid", p, f"{human(contract - p.money['paid'], 'en')}")
        if p.state in ACCEPTED_STATES and p.state != "closed" and not p.steward:
            self.flag("no steward", p, "")
        if self.rows is not None:
            self.rows.append((p.code, p.attributes.get("name"), p.attributes.get("township"), year, p.area_ha, p.state))
            if len(self.rows) > LIST_LIMIT:
                self.rows = None

    def flag(self, key: str, p, detail: str) -> None:
        """Count the parcel and keep it if it is among the first PER_LIST by (plan year, code)."""
        self.attention_counts[key] += 1
        kept = self.attention[key]
        kept.append((str(p.plan.get("year", "")), p.code, p.attributes.get("name"), p.state, detail))
        if len(kept) > 4 * PER_LIST:
            kept.sort()
            del kept[PER_LIST:]

    def parcels(self, ledger, as_of):
        for p in ledger.each("parcel", as_of=as_of):
            self.see(p)
            yield p


def case_href(folder: str, code: str, version: int | None = None) -> str:
    from urllib.parse import quote

    from reports.casefile import file_href

    return f"{quote(folder)}/{file_href(code, version)}"


def chart(report: dict, lang: str) -> str:
    """Cumulative planned and accepted hectares per year against the target: an SVG bar chart with a
    y axis, grid lines and the value written on each bar, so that it reads the same on paper."""
    years = [y for y in report["years"] if y["year"] != "unplanned"]
    target = report["target_ha"] or ZERO
    top = max([target] + [y["cumulative_planned_ha"] for y in years] + [Decimal(1)])
    step = nice_step(float(top) / 5)
    ymax = step * (int(float(top) / step) + 1)
    width, height, left, right, topm, bottom = 680, 300, 64, 16, 34, 46
    plot_h = height - topm - bottom
    y0 = height - bottom

    def y_of(v) -> float:
        return y0 - float(v) / ymax * plot_h

    band = (width - left - right) / max(len(years), 1)
    ha = "公顷" if lang == "zh" else "ha"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{t(COLUMNS, "planned ha", lang)} / {t(COLUMNS, "accepted ha", lang)}" '
             f'font-size="12" font-family="inherit">']
    tick = 0.0
    while tick <= ymax + 1e-9:
        ty = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="#444">{tick:g}</text>')
        tick += step
    parts.append(f'<line x1="{left}" y1="{topm - 6}" x2="{left}" y2="{y0}" stroke="#333"/>'
                 f'<line x1="{left}" y1="{y0}" x2="{width - right}" y2="{y0}" stroke="#333"/>'
                 f'<text x="{left - 6}" y="{topm - 12}" text-anchor="end" fill="#444">{ha}</text>')
    if target:
        ty = y_of(target)
        parts.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="#b00020" '
                     f'stroke-width="1.5" stroke-dasharray="6 4"/><text x="{left + 6}" y="{ty - 5:.1f}" '
                     f'fill="#b00020">{t(COLUMNS, "target", lang)} {e(human(target, lang))} {ha}</text>')
    colours = (("#8fb996", "cumulative_planned_ha", "planned ha"), ("#2e6b3f", "cumulative_accepted_ha", "accepted ha"))
    for i, y in enumerate(years):
        x = left + i * band + band * 0.18
        bw = band * 0.3
        for j, (colour, key, _) in enumerate(colours):
            value = y[key]
            top_y = y_of(value)
            parts.append(f'<rect x="{x + j * bw:.1f}" y="{top_y:.1f}" width="{bw - 4:.1f}" height="{y0 - top_y:.1f}" '
                         f'fill="{colour}"/><text x="{x + j * bw + (bw - 4) / 2:.1f}" y="{top_y - 4:.1f}" '
                         f'text-anchor="middle" fill="#222">{e(human(value, lang))}</text>')
        parts.append(f'<text x="{x + bw:.1f}" y="{y0 + 16}" text-anchor="middle" font-weight="bold">{e(y["year"])}</text>'
                     f'<text x="{x + bw:.1f}" y="{y0 + 32}" text-anchor="middle" fill="#444">'
                     f'{e(human(y["cumulative_planned_pct"], lang))}% / {e(human(y["cumulative_accepted_pct"], lang))}%'
                     f'</text>')
    cumulative = w("cumulative", lang)
    for j, (colour, _, name) in enumerate(colours):
        lx = left + 10 + j * 220
        parts.append(f'<rect x="{lx}" y="6" width="12" height="12" fill="{colour}"/><text x="{lx + 16}" y="16">'
                     f'{t(COLUMNS, name, lang)}（{cumulative}）</text>' if lang == "zh" else
                     f'<rect x="{lx}" y="6" width="12" height="12" fill="{colour}"/><text x="{lx + 16}" y="16">'
                     f'{t(COLUMNS, name, lang)} ({cumulative})</text>')
    parts.append("</svg>")
    return "".join(parts)


def nice_step(raw: float) -> float:
    """A round tick step (1, 2 or 5 × 10^n) near `raw`."""
    import math

    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def cards(report: dict, summary: dict, lang: str) -> str:
    total = report["total"]
    target = report["target_ha"]
    ha = "公顷" if lang == "zh" else "ha"
    allocated, paid = total["allocated_wan"], total["paid_wan"]
    rate = percent(paid, allocated)
    items = [
        ("card", "target", t(COLUMNS, "target", lang), f"{h(target, lang)} {ha}", ""),
        ("card", "planned", t(COLUMNS, "planned ha", lang), f"{h(total['planned_ha'], lang)} {ha}",
         f"{h(total['planned_pct_of_target'], lang)} %"),
        ("card key", "accepted-pct", w("accepted pct", lang), f"{h(total['accepted_pct_of_target'], lang)} %",
         f"{h(total['accepted_total_ha'], lang)} {ha}"),
        ("card alarm" if summary["by_severity"].get("high") else "card", "high", w("high findings", lang),
         e(summary["by_severity"].get("high", 0)), f"{e(summary['findings'])} {t(COLUMNS, 'audit findings', lang)}"),
        ("card", "funds", w("allocated/paid", lang), f"{h(allocated, lang)} / {h(paid, lang)}",
         t(COLUMNS, "funds", lang)),
        ("card", "payment-rate", w("payment rate", lang), f"{h(rate, lang)} %" if rate is not None else "—", ""),
    ]
    return '<div class="cards">' + "".join(
        f'<div class="{cls}" id="card-{key}">{name}<b>{value}</b><small>{note}</small></div>'
        for cls, key, name, value, note in items) + "</div>"


def flow(states: Counter, lang: str) -> str:
    """How many parcels stand in each group of states, in lifecycle order."""
    steps = []
    for group, members in GROUP_STATES.items():
        n = sum(states[s] for s in members)
        steps.append(f'<span class="step">{t(GROUPS, group, lang)}<b>{n}</b></span>')
    detail = "、" if lang == "zh" else ", "
    inside = [f"{t(STATES, s, lang)} {n}" for s, n in sorted(states.items(), key=lambda kv: list(GROUP_OF).index(kv[0])
                                                               if kv[0] in GROUP_OF else 99)]
    return ('<div class="flow" id="flow">' + '<span class="arrow">→</span>'.join(steps) + "</div>"
            f'<p class="meta">{detail.join(inside)}</p>')


def attention(survey: Survey, batches: dict, folder: str, lang: str) -> str:
    out = ['<div class="cols" id="attention">']
    for key, column in (("overdue works", t(COLUMNS, "year", lang)), ("unpaid", w("outstanding", lang)),
                        ("no steward", "")):
        count = survey.attention_counts[key]
        items = "".join(f'<li><a href="{case_href(folder, code)}">{e(code)}</a> {e(name)} · {t(STATES, state, lang)}'
                        + (f" · {column} {e(detail)}" if detail else "") + "</li>"
                        for _, code, name, state, detail in sorted(survey.attention[key])[:PER_LIST])
        more = count - min(PER_LIST, len(survey.attention[key]))
        out.append(f"<div><h3>{w(key, lang)}（{count}）</h3>" if lang == "zh" else f"<div><h3>{w(key, lang)} ({count})</h3>")
        out.append(f'<ul class="findings">{items}</ul>' if items else f"<p class=meta>{w('none', lang)}</p>")
        if more > 0:
            out.append(f"<p class=meta>{w('more', lang)} {more}</p>")
        out.append("</div>")
    waiting = [(k, b) for k, b in sorted(batches.items()) if b.state in ("open", "submitted")]
    out.append(f"<div><h3>{w('batches waiting', lang)}（{len(waiting)}）</h3>" if lang == "zh" else
               f"<div><h3>{w('batches waiting', lang)} ({len(waiting)})</h3>")
    out.append('<ul class="findings">' + "".join(
        f"<li>{e(k)} · {t(STATES, b.state, lang)} · {e(len(b.members))} {t(COLUMNS, 'parcels', lang)} · "
        f"{h(b.area_ha, lang)} {'公顷' if lang == 'zh' else 'ha'}</li>" for k, b in waiting[:PER_LIST]) + "</ul>"
        if waiting else f"<p class=meta>{w('none', lang)}</p>")
    out.append("</div></div>")
    return "".join(out)


def year_table(report: dict, lang: str) -> str:
    heads = ["year", "parcels", "planned ha", "% target", "cum. planned %", "accepted ha", "% target",
             "cum. accepted %", "planned", "budgeted", "allocated", "contracted", "paid", "deposited"]
    from workflow.vocabulary import REPORT

    def head(key):
        return w(key, lang) if key in REPORT else t(COLUMNS, key, lang)

    rows = []
    for y in [*report["years"], report["total"]]:
        year = y["year"]
        year = t(GROUPS, "unplanned", lang) if year == "unplanned" else ("合计" if lang == "zh" else "total") \
            if year == "total" else e(year)
        cells = [y["parcels"], y["planned_ha"], y["planned_pct_of_target"], y.get("cumulative_planned_pct"),
                 y["accepted_total_ha"], y["accepted_pct_of_target"], y.get("cumulative_accepted_pct"),
                 y["planned_wan"], y["budgeted_wan"], y["allocated_wan"], y["contracted_wan"], y["paid_wan"],
                 y["deposited_wan"]]
        rows.append(f"<tr><td>{year}</td>" + "".join(f'<td class="n">{h(c, lang)}</td>' for c in cells) + "</tr>")
    return ('<table id="by-year"><tr>' + "".join(f'<th{"" if i == 0 else " class=n"}>{head(k)}</th>'
                                                 for i, k in enumerate(heads)) + "</tr>" + "".join(rows) + "</table>"
            f'<p class="meta">{w("unit ha", lang)}</p>')


def town_table(survey: Survey, lang: str) -> str:
    rows = "".join(
        f"<tr><td>{e(town)}</td><td class=n>{c['parcels']}</td><td class=n>{h(c['area'] or ZERO, lang)}</td>"
        f"<td class=n>{c['accepted']}</td><td class=n>{h(c['accepted_ha'] or ZERO, lang)}</td>"
        f"<td class=n>{c['high']}</td></tr>"
        for town, c in sorted(survey.towns.items()))
    return (f'<table id="by-township"><tr><th>{t(COLUMNS, "township", lang)}</th><th class=n>{t(COLUMNS, "parcels", lang)}'
            f'</th><th class=n>{t(COLUMNS, "area_ha", lang)}</th><th class=n>{t(GROUPS, "accepted", lang)}</th>'
            f'<th class=n>{t(COLUMNS, "accepted ha", lang)}</th><th class=n>{w("high findings", lang)}</th></tr>'
            f"{rows}</table>")


def parcel_table(survey: Survey, counts: Counter, folder: str, lang: str) -> str:
    if survey.rows is None:
        return f"<p class=meta>{w('summary only', lang)}（{survey.count}）</p>"
    rows = "".join(
        f'<tr><td><a href="{case_href(folder, code)}">{e(code)}</a></td><td>{e(name)}</td><td>{e(town)}</td>'
        f"<td>{e(year)}</td><td class=n>{h(area, lang)}</td><td>{t(STATES, state, lang)}</td>"
        f"<td class=n>{counts.get(code, '')}</td></tr>"
        for code, name, town, year, area, state in sorted(survey.rows))
    return (f'<table id="parcels"><tr><th>{t(COLUMNS, "parcel", lang)}</th><th>{t(COLUMNS, "name", lang)}</th>'
            f'<th>{t(COLUMNS, "township", lang)}</th><th>{t(COLUMNS, "year", lang)}</th>'
            f'<th class=n>{t(COLUMNS, "area_ha", lang)}</th><th>{t(COLUMNS, "state", lang)}</th>'
            f'<th class=n>{w("findings count", lang)}</th></tr>{rows}</table>')


def finding_groups(findings: list, cite, folder: str, parcels: set, lang: str) -> str:
    """Findings by severity, then by rule; each with its message and the cited events written out."""
    out = ['<div id="findings">']
    for severity in ("high", "medium", "low"):
        of_severity = [f for f in findings if f.severity == severity]
        if not of_severity:
            continue
        out.append(f'<h3 class="{severity}" id="severity-{severity}">{t(SEVERITY, severity, lang)}'
                   f'{"（" if lang == "zh" else " ("}{len(of_severity)}{"）" if lang == "zh" else ")"}</h3>')
        by_rule: dict[str, list] = {}
        for f in of_severity:
            by_rule.setdefault(f.rule, []).append(f)
        for rule, items in sorted(by_rule.items()):
            known = RULES.get(rule)
            title = (known.title_zh if lang == "zh" else known.title_en) if known else ""
            out.append(f'<h4 id="rule-{e(rule)}"><code>{e(rule)}</code> {e(title)} ({len(items)})</h4><ul class="findings">')
            for f in sorted(items, key=lambda f: (f.on or date.min, f.subject))[:PER_RULE]:
                subject = (f'<a href="{case_href(folder, f.subject)}">{e(f.subject)}</a>' if f.subject in parcels
                           else e(f.subject))
                cited = []
                for kind, key, version in f.evidence:
                    event = cite(kind, key, version)
                    text = e(describe(event, lang)) if event is not None else f"{e(key)} v{version}"
                    link = (f'<a class="cite" href="{case_href(folder, key, version)}">{e(key)} v{version}</a>'
                            if kind == "parcel" and key in parcels else f"{e(key)} v{version}")
                    cited.append(f"<br><span class=evidence>{link}: {text}</span>")
                out.append(f"<li>{subject} {e(f.on or '')} {e(f.message_zh if lang == 'zh' else f.message_en)}"
                           f"{''.join(cited)}</li>")
            more = len(items) - PER_RULE
            if more > 0:
                out.append(f"<li class=meta>{w('more', lang)} {more}</li>")
            out.append("</ul>")
    out.append("</div>")
    return "".join(out)


UNSIGNED = ("未签名的试用存储：记录无法归属到具体责任人", "UNSIGNED trial store: nothing in it is attributable to a person")


@dataclass
class Dashboard:
    """The page and what it links to: the parcels whose case files it needs."""

    html: str
    linked: set
    findings: list


MAP_LIMIT = 2000
"""Parcels beyond which the dashboard draws no county map (its page would grow with every parcel)."""


def dashboard(ledger, as_of: date, lang: str = "en", folder: str = "parcels", now: datetime | None = None,
              map_svg: str | None = None, map_mode: str = "boundaries") -> Dashboard:
    """The dashboard over the ledger as of a business date; case files are linked under `folder`.
    The map: parcels by state with findings ringed (`map_mode` boundaries, or centres only where
    boundaries are confidential, or none), unless `map_svg` brings one drawn elsewhere."""
    findings, summary = auditing.run(ledger, as_of)  # first: its peak memory is passed before the survey's grows
    survey = Survey(as_of, highs=Counter(f.subject for f in findings if f.severity == "high"))
    programmes = ledger.records("programme", as_of=as_of)
    programme = next(iter(programmes.values()), None) if len(programmes) == 1 else None
    report = progress(survey.parcels(ledger, as_of), programme, as_of)
    batches = ledger.records("batch", as_of=as_of)
    size, root = ledger.raw.current_root()
    if map_svg is None and map_mode != "none" and len(survey.codes) <= MAP_LIMIT:
        # shapely and pyproj only when a map is drawn
        from reports.maps import county_map

        map_svg = county_map(ledger.records("parcel", as_of=as_of).values(), findings,
                             centres_only=map_mode == "centres", lang=lang)
    counts = Counter(f.subject for f in findings)
    listed = {row[0] for row in survey.rows or ()}
    linked = set(listed) | {code for rows in survey.attention.values() for _, code, *_ in sorted(rows)[:PER_LIST]}
    shown = {id(f) for rule_items in _shown(findings) for f in rule_items}
    for f in findings:
        if id(f) in shown:
            linked.add(f.subject)
            linked.update(key for kind, key, _ in f.evidence if kind == "parcel")
    cite = citations(ledger)

    existing = linked & survey.codes
    title = report.get("name") or w("dashboard", lang)
    now = (now or datetime.now(BUSINESS_TZ)).astimezone(BUSINESS_TZ)
    body = [f"<h1>{e(title)}</h1>",
            f'<p class="meta">{w("dashboard", lang)} · {t(COLUMNS, "as of", lang)} {as_of} · '
            f'{w("generated", lang)} {now:%Y-%m-%d %H:%M} (UTC+8)</p>',
            "" if ledger.signed else f"<p class=warn><strong>{e(UNSIGNED[lang == 'en'])}</strong></p>",
            cards(report, summary, lang),
            '<div class="pair">'  # the chart and the map side by side: one printed page holds both
            f"<section><h2>{t(COLUMNS, 'planned ha', lang)} / {t(COLUMNS, 'accepted ha', lang)}</h2>"
            f"{chart(report, lang)}</section>"
            + (f'<section><h2>{w("map", lang)}</h2><figure id="map">{map_svg}</figure></section>' if map_svg else "")
            + "</div>",
            f"<h2>{w('needs attention', lang)}</h2>{attention(survey, batches, folder, lang)}",
            f"<h2>{w('flow', lang)}</h2>{flow(survey.states, lang)}",
            f"<h2>{w('by year', lang)}</h2>{year_table(report, lang)}",
            f"<h2>{w('by township', lang)}</h2>{town_table(survey, lang)}",
            f"<h2>{t(COLUMNS, 'audit findings', lang)}（{summary['findings']}）</h2>" if lang == "zh" else
            f"<h2>{t(COLUMNS, 'audit findings', lang)} ({summary['findings']})</h2>",
            finding_groups(findings, cite, folder, survey.codes, lang),
            f"<h2>{w('parcel list', lang)}</h2>{parcel_table(survey, counts, folder, lang)}",
            f'<p class="meta" id="provenance">{w("source", lang)}：<code>{e(ledger.store.printable)}</code><br>'
            f'{w("root", lang)}（{size} {w("events", lang)}）：<code id="root">{root.hex()}</code><br>'
            f"{w('generated', lang)} {now:%Y-%m-%d %H:%M:%S} (UTC+8)</p>"]
    return Dashboard(shell(title, lang, "\n".join(body)), existing, findings)


def _shown(findings: list):
    """The findings the page writes out: the first PER_RULE of each rule."""
    by_rule: dict = {}
    for f in findings:
        by_rule.setdefault((f.severity, f.rule), []).append(f)
    for items in by_rule.values():
        yield sorted(items, key=lambda f: (f.on or date.min, f.subject))[:PER_RULE]


def page(ledger, as_of: date, lang: str = "en") -> str:
    """The dashboard's HTML alone (its case-file links under parcels/)."""
    return dashboard(ledger, as_of, lang).html
