"""The parcel's case file (案卷): one printable document an inspector can file or hand over.

Attributes, money (contract, allocated, certified, paid), the audit's findings with the
events they cite written out, and a timeline of every event: who in which role, the
business date, the reason, the documents with their sha256, and where the event stands
in the parcel's hash chain and in the log. `case_file` returns the bytes of one
self-contained HTML page, so a case bundle can embed it as it is; a map of the parcel
(SVG, drawn elsewhere) is inserted when given.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote

from events.clock import BUSINESS_TZ
from events.ids import aggregate_id
from policies.catalogue import RULES
from reports.pagekit import e, h, shell, t, w
from reports.people import (
    citations,
    data_text,
    describe,
    event_name,
    field_name,
    move_text,
    who,
)
from workflow.boundaries import of_parcel
from workflow.vocabulary import COLUMNS, REPORT, SEVERITY, STATES, label

HIDDEN_ATTRIBUTES = ("geometry",)


def file_name(code: str) -> str:
    """The case file's name in a folder: the code itself when it is letters, digits, - and _ (TL23-05.html),
    else its UTF-8 in hex, so that no code can name a path outside the folder."""
    import re

    return f"{code}.html" if re.fullmatch(r"[\w\-]{1,100}", code) and not code.startswith("-") else \
        f"parcel-{code.encode().hex()}.html"


def file_href(code: str, version: int | None = None) -> str:
    return quote(file_name(code)) + (f"#v{version}" if version else "")
"""Attributes too long for a table; the map shows the boundary."""


def _attributes(parcel, lang: str) -> str:
    rows = [(t(COLUMNS, "state", lang), t(STATES, parcel.state, lang)),
            (w("version", lang), e(parcel.version))]
    rows += [(e(field_name(k, lang)), h(v, lang, k)) for k, v in parcel.attributes.items()
             if k not in HIDDEN_ATTRIBUTES and v not in (None, "")]
    plan = parcel.plan
    rows += [(e(field_name(k, lang)), h(v, lang, k)) for k, v in plan.items() if k != "on"]
    if parcel.batch:
        rows.append((t(COLUMNS, "batch", lang), e(parcel.batch)))
    if parcel.steward:
        rows.append((e(field_name("steward", lang)), h({k: v for k, v in parcel.steward.items() if v is not None},
                                                        lang)))
    pairs = [rows[i:i + 2] for i in range(0, len(rows), 2)]  # two to a line: the page stays short
    cells = "".join("<tr>" + "".join(f"<th>{k}</th><td>{v}</td>" for k, v in pair) + "</tr>" for pair in pairs)
    return f'<table id="attributes">{cells}</table>'


def _money(parcel, lang: str) -> str:
    contract = parcel.steps.get("award_contract", {}).get("contract_amount")
    paid = parcel.money["paid"]
    rows = [(w("contract", lang), h(contract, lang)), (t(COLUMNS, "allocated", lang), h(parcel.money["allocated"], lang)),
            (w("certified", lang), f"{h(parcel.progress, lang)} %"), (t(COLUMNS, "paid", lang), h(paid, lang)),
            (w("outstanding", lang), h(contract - paid, lang) if contract is not None else ""),
            (t(COLUMNS, "deposited", lang), h(parcel.money["deposited"], lang))]
    return ('<table id="money"><tr>' + "".join(f"<th class=n>{k}</th>" for k, _ in rows) + "</tr><tr>"
            + "".join(f"<td class=n>{v}</td>" for _, v in rows) + f'</tr></table><p class="meta">{w("unit ha", lang)}</p>')


def _cited(code: str, kind: str, key: str, version: int, siblings, lang: str) -> str:
    """A cited event's name, linked to it: in this file, or in a sibling case file of the same folder."""
    name = f"{e(key)} v{version}"
    if kind == "parcel" and key == code:
        return f'<a class="cite" href="#v{version}">{name}</a>'
    if kind == "parcel" and key in siblings:
        return f'<a class="cite" href="{file_href(key, version)}">{name}</a>'
    return name


def _findings(code: str, findings: list, cite, siblings, lang: str) -> str:
    if not findings:
        return f"<p class=meta>{w('none', lang)}</p>"
    order = {"high": 0, "medium": 1, "low": 2}
    items = []
    for f in sorted(findings, key=lambda f: (order[f.severity], f.rule, f.on or date.min)):
        known = RULES.get(f.rule)
        title = (known.title_zh if lang == "zh" else known.title_en) if known else ""
        cited = "".join(
            f"<br><span class=evidence>{_cited(code, kind, key, v, siblings, lang)}: "
            f"{e(describe(ev, lang)) if (ev := cite(kind, key, v)) is not None else ''}</span>"
            for kind, key, v in f.evidence)
        items.append(f'<li><span class="{f.severity}">{t(SEVERITY, f.severity, lang)}</span> <code>{e(f.rule)}</code> '
                     f"{e(title)} · {e(f.on or '')} · {e(f.message_zh if lang == 'zh' else f.message_en)}{cited}</li>")
    return f'<ul class="findings" id="case-findings">{"".join(items)}</ul>'


def _documents(documents, lang: str) -> str:
    return "<br>".join(
        f"{e(d.get('title', ''))} {e(d.get('ref', ''))}"
        + (f' <span class="chain">sha256 {e(d["sha256"])}</span>' if d.get("sha256") else "") for d in documents)


def _timeline(code: str, events: list, chain: dict, lang: str) -> str:
    heads = [w("version", lang), t(COLUMNS, "on", lang), t(COLUMNS, "trigger", lang), w("who", lang), w("data", lang)]
    rows = []
    for ev in events:
        v = ev.originator_version
        position, digest = chain.get(v, (None, None))
        move = move_text(ev, lang)
        recorded = ev.timestamp.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M:%S") if ev.timestamp else ""
        content = [e(data_text(ev.data, lang))]
        if ev.reason:
            content.append(f"{w('reason', lang)}：{e(ev.reason)}" if lang == "zh" else f"{w('reason', lang)}: {e(ev.reason)}")
        if ev.documents:
            content.append(f"{w('documents', lang)}：{_documents(ev.documents, lang)}" if lang == "zh"
                           else f"{w('documents', lang)}: {_documents(ev.documents, lang)}")
        content.append(f'<span class="chain">{w("log position", lang)} {e(position)} · {w("chain hash", lang)} '
                       f'{e(digest.hex() if digest else "")} · {t(COLUMNS, "recorded", lang)} {e(recorded)}</span>')
        rows.append(
            f'<tr id="v{v}"><td class=n>{v}</td><td class=n>{e(ev.on)}</td><td>{e(event_name(ev, lang))}'
            + (f"<br><small>{e(move)}</small>" if move else "") + f"</td><td>{e(who(ev, lang))}</td>"
            f"<td>{'<br>'.join(c for c in content if c)}</td></tr>")
    return (f'<table id="timeline"><tr>{"".join(f"<th>{x}</th>" for x in heads)}</tr>{"".join(rows)}</table>')


def case_file(ledger, code: str, lang: str = "en", *, as_of: date | None = None, findings: list | None = None,
              map_svg: str | None = None, siblings=frozenset(), now: datetime | None = None) -> bytes:
    """The case file of one parcel as the bytes of a self-contained HTML page.

    `findings`: the parcel's audit findings when the caller has them (else the audit runs for
    this parcel); `map_svg`: an SVG of the parcel's boundary, inserted as its own section; `siblings`: the
    parcels whose case files sit in the same folder (cited events of theirs link there)."""
    events = [ev for ev in ledger.history("parcel", code) if as_of is None or ev.on <= as_of]
    parcel = ledger.view("parcel", code, as_of=as_of)
    if findings is None:
        from audit import shares
        from events.clock import business_today

        findings, _ = shares.run(ledger, as_of or business_today(), subject=code)
    chain = {v: (n, digest) for v, n, digest in ledger.raw.chain_of(aggregate_id("parcel", code).hex)}
    cite = citations(ledger, {("parcel", code): {ev.originator_version: ev for ev in events}})

    name = parcel.attributes.get("name", "") if parcel else ""
    title = f"{label(REPORT, 'case file', lang)} {code} {name}".strip()
    now = (now or datetime.now(BUSINESS_TZ)).astimezone(BUSINESS_TZ)
    body = [f"<h1>{e(title)}</h1>",
            f'<p class="meta">{t(COLUMNS, "as of", lang)} {e(as_of or now.date())} · {w("generated", lang)} '
            f'{now:%Y-%m-%d %H:%M} (UTC+8) · {w("source", lang)} <code>{e(ledger.store.printable)}</code></p>']
    if map_svg is None and parcel is not None and of_parcel(parcel):
        # shapely and pyproj only when a map is drawn
        from reports.maps import parcel_overlay

        map_svg = parcel_overlay(parcel, lang=lang)  # registered, design, as-built and measured, over each other
    if map_svg:
        body.append(f'<h2>{w("map", lang)}</h2><figure id="map">{map_svg}</figure>')
    if parcel is not None:
        body.append(f"<h2>{w('attributes', lang)}</h2>{_attributes(parcel, lang)}")
        body.append(f"<h2>{w('money', lang)}</h2>{_money(parcel, lang)}")
    body.append(f"<h2>{t(COLUMNS, 'audit findings', lang)}</h2>{_findings(code, findings, cite, siblings, lang)}")
    body.append(f"<h2>{w('timeline', lang)}</h2>{_timeline(code, events, chain, lang)}")
    return shell(title, lang, "\n".join(body)).encode("utf-8")
