"""What the dashboard and the case file share: the page shell, its print stylesheet and font stack.

Pages are self-contained (no scripts, fonts or images fetched) so that they open offline
and print the same everywhere. The font stack names a CJK face on each system: YaHei on
Windows, PingFang on macOS, Noto CJK on Linux (Debian package fonts-noto-cjk).
"""

from __future__ import annotations

from html import escape

from reports.people import human, word
from workflow.vocabulary import label

FONTS = ('"Microsoft YaHei","微软雅黑","PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Noto Sans SC",'
         '"Source Han Sans SC","WenQuanYi Micro Hei",sans-serif')

STYLE = """
*{box-sizing:border-box}
body{font-family:%(fonts)s;margin:1.5em auto;color:#222;max-width:1100px;padding:0 1em;line-height:1.45;
     -webkit-print-color-adjust:exact;print-color-adjust:exact}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;border-bottom:2px solid #4a7c59;padding-bottom:.15em;margin:1.4em 0 .5em}
h3{font-size:1.05em;margin:1em 0 .3em}h4{font-size:.95em;margin:.7em 0 .2em}
.meta{color:#555;font-size:.85em}.meta code{font-size:.95em;word-break:break-all}
.warn{background:#fde2e1;border-left:4px solid #c0392b;padding:.4em .6em}
table{border-collapse:collapse;margin:.4em 0;font-size:.85em;width:100%%}
th,td{border:1px solid #ccc;padding:.2em .45em;text-align:left;vertical-align:top}
th{background:#eef4ee}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.high{color:#b00020;font-weight:bold}.medium{color:#b36b00}.low{color:#555}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:.6em}
.card{background:#f3f7f3;border:1px solid #cfe0cf;border-radius:6px;padding:.5em .7em}
.card b{display:block;font-size:1.3em;overflow-wrap:anywhere}.card small{color:#555}.card.key{background:#2e6b3f;color:#fff}
.card.key small{color:#e6f0e6}.card.alarm b{color:#b00020}
.flow{display:flex;flex-wrap:wrap;gap:.3em;align-items:center;font-size:.85em}
.flow span.step{border:1px solid #8fb996;border-radius:4px;padding:.2em .5em;background:#f5f8f5}
.flow span.step b{margin-left:.3em}.flow span.arrow{color:#888}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1em}
ul.findings{margin:.2em 0;padding-left:1.2em;font-size:.85em}ul.findings li{margin:.15em 0}
.evidence{color:#444;font-size:.92em}.evidence a{color:#1a5d8f}
.chain{font-family:monospace;font-size:.8em;word-break:break-all;color:#555}
#timeline td:nth-child(3){min-width:7em}#timeline td:nth-child(4){min-width:7em}
#timeline td:nth-child(2){white-space:nowrap}#attributes{table-layout:fixed}#attributes th{width:13%%}
.fontnote{color:#888;font-size:.75em;margin-top:2em}
svg{max-width:100%%;height:auto}a{color:#1a5d8f}
.pair{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}.pair>section{flex:1 1 22em;min-width:0}
@page{size:A4;margin:14mm 12mm}
@media print{
  body{margin:0;max-width:none;padding:0;font-size:8.5pt;line-height:1.35}
  svg{max-height:62mm;width:auto}#map svg{max-height:52mm}#map{margin:0}
  .evidence{font-size:.85em}ul.findings li{margin:.05em 0}
  table{font-size:.9em}th,td{padding:.1em .35em}
  h2{break-after:avoid;margin-top:1em}h3,h4{break-after:avoid}
  table,ul.findings li,.card{break-inside:avoid}
  tr{break-inside:avoid}
  a{color:inherit;text-decoration:none}
  .screen-only{display:none}
}
""" % {"fonts": FONTS}


def e(value) -> str:
    return escape(str(value)) if value is not None else ""


def t(table: dict, key, lang: str) -> str:
    """A vocabulary label, escaped."""
    return escape(label(table, key, lang)) if key is not None else ""


def h(value, lang: str, field: str | None = None) -> str:
    """A value for people, escaped."""
    return escape(human(value, lang, field))


def w(key: str, lang: str) -> str:
    """A report word, escaped."""
    return escape(word(key, lang))


def shell(title: str, lang: str, body: str) -> str:
    """The whole page: head, style, body and the note about Chinese fonts (in both languages, since a
    reader without a CJK font cannot read the Chinese one)."""
    note = (f'<p class="fontnote">{w("font note", "zh")}<br><span lang="en">{w("font note", "en")}</span></p>'
            if lang == "zh" else "")
    return (f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>\n{body}\n{note}</body></html>\n")
