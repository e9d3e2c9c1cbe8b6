"""One self-contained HTML page for officials and inspectors: progress, parcels, findings, lifecycle, funds.

No scripts, fonts or images are fetched: the chart is inline SVG, the diagram is inline
SVG (or its Mermaid source when Graphviz is absent), and every finding links to the
history of its parcel further down the same page.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape

from audit import engine as auditing
from reports import diagrams
from reports.progress import progress
from workflow.vocabulary import COLUMNS, FACTS, ROLES, SEVERITY, STATES, TRIGGERS, label

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;max-width:1200px}
.warn{background:#fde2e1;border-left:4px solid #c0392b;padding:.5em}
h1{font-size:1.5em}h2{border-bottom:2px solid #4a7c59;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left}
th{background:#eef4ee}td.n{text-align:right;font-variant-numeric:tabular-nums}
.high{color:#b00020;font-weight:bold}.medium{color:#b36b00}.low{color:#555}
.figures{display:flex;gap:2em;flex-wrap:wrap}.figure{background:#f5f8f5;padding:.6em 1em;border-radius:6px}
.figure b{display:block;font-size:1.6em}pre{background:#f7f7f7;padding:1em;overflow:auto}
section.history{margin-top:1.5em}svg{max-width:100%;height:auto}
"""


def _t(table: dict, key, lang: str) -> str:
    return escape(label(table, key, lang)) if key is not None else ""


def _n(value) -> str:
    return "" if value is None else escape(str(value))


def chart(report: dict, lang: str) -> str:
    """Planned and accepted hectares per year against the target: an inline SVG bar chart."""
    years = [y for y in report["years"] if y["year"] != "unplanned"]
    target = report["target_ha"] or Decimal(0)
    top = max([target] + [y["cumulative_planned_ha"] for y in years] + [Decimal(1)])
    width, height, left, bottom = 640, 320, 60, 40
    scale = (height - bottom - 50) / float(top)
    band = (width - left - 20) / max(len(years), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(label(COLUMNS, "planned ha", lang))}">']
    y0 = height - bottom
    parts.append(f'<line x1="{left}" y1="{y0}" x2="{width - 10}" y2="{y0}" stroke="#333"/>')
    if target:
        ty = y0 - float(target) * scale
        parts.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{width - 10}" y2="{ty:.1f}" stroke="#b00020" '
                     f'stroke-dasharray="6 4"/><text x="{left + 4}" y="{ty - 4:.1f}" font-size="12" fill="#b00020">'
                     f'{escape(label(COLUMNS, "target", lang))} {target} ha</text>')
    for i, y in enumerate(years):
        x = left + i * band + band * 0.15
        w = band * 0.33
        for j, (value, colour) in enumerate(((y["cumulative_planned_ha"], "#8fb996"), (y["cumulative_accepted_ha"], "#2e6b3f"))):
            h = float(value) * scale
            parts.append(f'<rect x="{x + j * w:.1f}" y="{y0 - h:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{colour}">'
                         f'<title>{escape(y["year"])}: {value} ha</title></rect>')
        parts.append(f'<text x="{x + w:.1f}" y="{y0 + 16}" font-size="13" text-anchor="middle">{escape(y["year"])}</text>')
        parts.append(f'<text x="{x + w:.1f}" y="{y0 + 32}" font-size="11" text-anchor="middle">'
                     f'{_n(y["cumulative_planned_pct"])}% / {_n(y["cumulative_accepted_pct"])}%</text>')
    parts.append(f'<rect x="{left}" y="6" width="12" height="12" fill="#8fb996"/><text x="{left + 16}" y="16" '
                 f'font-size="12">{escape(label(COLUMNS, "planned ha", lang))} (cum.)</text>')
    parts.append(f'<rect x="{left + 180}" y="6" width="12" height="12" fill="#2e6b3f"/><text x="{left + 196}" y="16" '
                 f'font-size="12">{escape(label(COLUMNS, "accepted ha", lang))} (cum.)</text></svg>')
    return "".join(parts)


def lifecycle_figure(lang: str) -> str:
    if diagrams.graphviz_available():
        svg = diagrams.rendered("parcel", "svg", lang).decode()
        return svg[svg.index("<svg"):]
    return f"<pre>{escape(diagrams.mermaid('parcel', lang))}</pre>"


def history_section(code: str, events, lang: str) -> str:
    rows = []
    for e in events:
        name = getattr(e, "trigger", None) or e.fact
        move = (f"{_t(STATES, getattr(e, 'source', 'new'), lang)} → {_t(STATES, e.dest, lang)}"
                if hasattr(e, "dest") else "")
        docs = "; ".join(escape(f"{d['title']} {d['ref']}") for d in e.documents)
        data = "; ".join(escape(f"{k}={v}") for k, v in e.data.items())
        rows.append(f'<tr id="parcel-{escape(code)}-v{e.originator_version}"><td class="n">{e.originator_version}</td>'
                    f"<td>{e.on}</td><td>{_t(FACTS if hasattr(e, 'fact') else TRIGGERS, name, lang)}</td><td>{move}</td>"
                    f"<td>{escape(e.actor)} ({_t(ROLES, e.role, lang)})</td><td>{data}</td><td>{docs}</td>"
                    f"<td>{escape(e.reason or '')}</td></tr>")
    return (f'<section class="history" id="parcel-{escape(code)}"><h3>{escape(code)}</h3><table><tr><th>v</th>'
            f"<th>{_t(COLUMNS, 'on', lang)}</th><th>{_t(COLUMNS, 'trigger', lang)}</th><th>{_t(COLUMNS, 'state', lang)}</th>"
            f"<th>{_t(COLUMNS, 'roles', lang)}</th><th>data</th><th>documents</th><th>reason</th></tr>"
            + "".join(rows) + "</table></section>")


UNSIGNED = ("未签名的试用存储：记录无法归属到具体责任人", "UNSIGNED trial store: nothing in it is attributable to a person")


def page(ledger, as_of: date, lang: str = "en") -> str:
    parcels = ledger.records("parcel", as_of=as_of)
    programmes = ledger.records("programme", as_of=as_of)
    programme = next(iter(programmes.values()), None) if len(programmes) == 1 else None
    report = progress(parcels.values(), programme, as_of)
    findings, summary = auditing.run(ledger, as_of)
    total = report["total"]
    title = report.get("name", "minerehab")
    out = [f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
           f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
           f"<h1>{escape(title)}</h1><p>{_t(COLUMNS, 'as of', lang)} {as_of}</p>",
           "" if ledger.signed else f"<p class=warn><strong>{escape(UNSIGNED[lang == 'en'])}</strong></p>",
           '<div class="figures">']
    for key, value in (("target", f"{report['target_ha']} ha"), ("planned ha", f"{total['planned_ha']} ha"),
                       ("% target", f"{total['planned_pct_of_target']} %"),
                       ("accepted ha", f"{total['accepted_total_ha']} ha"),
                       ("audit findings", f"{summary['findings']}")):
        out.append(f'<div class="figure" id="figure-{key.replace(" ", "-").replace("%", "pct")}">'
                   f"{_t(COLUMNS, key, lang)}<b>{escape(value)}</b></div>")
    out.append("</div>")
    out.append(f"<h2>{_t(COLUMNS, 'planned ha', lang)} / {_t(COLUMNS, 'accepted ha', lang)}</h2>{chart(report, lang)}")
    out.append(f'<table id="progress"><tr><th>{_t(COLUMNS, "year", lang)}</th><th>{_t(COLUMNS, "parcels", lang)}</th>'
               f'<th>{_t(COLUMNS, "planned ha", lang)}</th><th>{_t(COLUMNS, "cum. %", lang)}</th>'
               f'<th>{_t(COLUMNS, "accepted ha", lang)}</th><th>{_t(COLUMNS, "cum. %", lang)}</th></tr>')
    for y in [*report["years"], total]:
        out.append(f'<tr><td>{escape(y["year"])}</td><td class="n">{y["parcels"]}</td><td class="n">{y["planned_ha"]}</td>'
                   f'<td class="n">{_n(y.get("cumulative_planned_pct", y["planned_pct_of_target"]))}</td>'
                   f'<td class="n">{y["accepted_total_ha"]}</td>'
                   f'<td class="n">{_n(y.get("cumulative_accepted_pct", y["accepted_pct_of_target"]))}</td></tr>')
    out.append("</table>")
    out.append(f"<h2>{_t(COLUMNS, 'parcel', lang)}</h2><table id=\"parcels\"><tr><th>{_t(COLUMNS, 'parcel', lang)}</th>"
               f"<th>{_t(COLUMNS, 'name', lang)}</th><th>{_t(COLUMNS, 'township', lang)}</th><th>{_t(COLUMNS, 'year', lang)}</th>"
               f"<th>{_t(COLUMNS, 'area_ha', lang)}</th><th>{_t(COLUMNS, 'state', lang)}</th></tr>")
    for code, p in sorted(parcels.items()):
        out.append(f'<tr><td><a href="#parcel-{escape(code)}">{escape(code)}</a></td><td>{_n(p.attributes.get("name"))}</td>'
                   f'<td>{_n(p.attributes.get("township"))}</td><td>{_n(p.plan.get("year"))}</td>'
                   f'<td class="n">{p.area_ha}</td><td>{_t(STATES, p.state, lang)}</td></tr>')
    out.append("</table>")
    out.append(f"<h2>{_t(COLUMNS, 'findings', lang)} ({summary['findings']})</h2><table id=\"findings\"><tr>"
               f"<th>{_t(COLUMNS, 'rule', lang)}</th><th>{_t(COLUMNS, 'severity', lang)}</th>"
               f"<th>{_t(COLUMNS, 'subject', lang)}</th><th>{_t(COLUMNS, 'on', lang)}</th>"
               f"<th>{_t(COLUMNS, 'message', lang)}</th><th>{_t(COLUMNS, 'evidence', lang)}</th></tr>")
    for f in findings:
        subject = (f'<a href="#parcel-{escape(f.subject)}">{escape(f.subject)}</a>' if f.subject in parcels
                   else escape(f.subject))
        evidence = " ".join(f'<a href="#parcel-{escape(key)}-v{v}">{escape(key)}@{v}</a>' if kind == "parcel"
                            else escape(f"{kind}:{key}@{v}") for kind, key, v in f.evidence)
        out.append(f'<tr class="{f.severity}"><td>{f.rule}</td><td class="{f.severity}">{_t(SEVERITY, f.severity, lang)}</td>'
                   f"<td>{subject}</td><td>{_n(f.on)}</td><td>{escape(f.message_zh if lang == 'zh' else f.message_en)}</td>"
                   f"<td>{evidence}</td></tr>")
    out.append("</table>")
    out.append(f"<h2>{_t(TRIGGERS, 'register', lang)} → {_t(STATES, 'closed', lang)}</h2>{lifecycle_figure(lang)}")
    out.append(f"<h2>{_t(COLUMNS, 'funds', lang)}</h2><table id=\"funds\"><tr><th>{_t(COLUMNS, 'year', lang)}</th>"
               + "".join(f"<th>{_t(COLUMNS, k, lang)}</th>" for k in ("planned", "budgeted", "allocated", "contracted",
                                                                      "paid", "deposited")) + "</tr>")
    for y in [*report["years"], total]:
        out.append(f"<tr><td>{escape(y['year'])}</td>" + "".join(
            f'<td class="n">{y[k + "_wan"]}</td>' for k in ("planned", "budgeted", "allocated", "contracted", "paid",
                                                           "deposited")) + "</tr>")
    out.append("</table>")
    out.append(f"<h2>{_t(COLUMNS, 'history', lang)}</h2>")
    for code in sorted(parcels):
        out.append(history_section(code, [e for e in ledger.history("parcel", code) if e.on <= as_of], lang))
    out.append("</body></html>")
    return "\n".join(out)
