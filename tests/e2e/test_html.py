"""The leader's dashboard and the parcel's case file, read as people read them: in headless Chromium
with a CJK font, printed to A4, and as text with no Python reprs and no English ids in Chinese pages."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from cli import cli
from tests.support import tuoli_store
from workflow.ledger import Ledger

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tuoli-2023-2025"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
AS_OF = "2026-11-29"
SHA = "ab" * 32
needs_chromium = pytest.mark.skipif(CHROMIUM is None,
                                    reason="chromium is not installed (Debian package chromium; .ci/run installs it)")


def build(url: str, monkeypatch) -> CliRunner:
    return tuoli_store(url, monkeypatch, ["do", "attach_document", "TL23-05", "--on", "2024-01-05",
                                          "--doc", f"验收照片=IMG-1:{SHA}", "--reason", "补充验收照片"])


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The Tuoli sample's dashboards (zh and en) with their case files, in one folder (SQLite)."""
    folder = tmp_path_factory.mktemp("site")
    with pytest.MonkeyPatch.context() as monkeypatch:
        runner = build(str(folder / "store.db"), monkeypatch)
        for lang, name in (("zh", "总览.html"), ("en", "dashboard.html")):
            result = runner.invoke(cli, ["--lang", lang, "report", "html", str(folder / name), "--as-of", AS_OF])
            assert result.exit_code == 0, result.output
            assert ("case files" if lang == "en" else "份案卷") in result.output
        result = runner.invoke(cli, ["--lang", "zh", "report", "parcel", "TL23-05", "--output",
                                     str(folder / "案卷.html"), "--as-of", AS_OF])
        assert result.exit_code == 0, result.output
        verified = json.loads(runner.invoke(cli, ["verify", "--json"]).output)
    (folder / "verified.json").write_text(json.dumps(verified))
    return folder


class Page(HTMLParser):
    """Ids, links, tags, and the visible words outside codes (<code>, hashes, English notes)."""

    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.sources, self.tags, self.words = set(), [], [], set(), []
        self.stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "src" in attrs:
            self.sources.append(attrs["src"])
        if tag in ("br", "meta", "rect", "line"):
            return
        hidden = tag in ("code", "style", "title") or attrs.get("lang") == "en" or "chain" in (attrs.get("class") or "")
        self.stack.append((tag, hidden or bool(self.stack and self.stack[-1][1])))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]):
            self.words += re.findall(r"(?<![A-Za-z0-9.-])[a-z][a-z_]+(?![A-Za-z0-9-])", data)


def read(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def pages(site: Path) -> list[Path]:
    return [site / "总览.html", site / "dashboard.html", site / "案卷.html", *sorted((site / "总览-parcels").glob("*.html"))]


def test_every_link_resolves_to_a_file_and_an_anchor_and_nothing_is_fetched(site):
    for path in pages(site):
        html = path.read_text(encoding="utf-8")
        page = read(path)
        assert not ({"script", "link", "img", "iframe"} & page.tags) and not page.sources, path
        assert "@import" not in html and "url(" not in html
        for href in page.hrefs:
            target, _, anchor = unquote(href).partition("#")
            file = (path.parent / target) if target else path
            assert file.is_file(), (path.name, href)
            if anchor:
                assert anchor in read(file).ids, (path.name, href)
    dashboard = read(site / "总览.html")
    cites = [h for h in dashboard.hrefs if "#v" in h]
    assert "总览-parcels/TL23-05.html#v14" in [unquote(h) for h in cites]  # R06's evidence: the very event
    assert len(cites) >= 50


def test_no_python_reprs_and_no_english_ids_in_chinese_pages(site):
    for path in pages(site):
        html = path.read_text(encoding="utf-8")
        for repr_ in ("Decimal(", "True", "False", "None", "['", "{'", "datetime."):
            assert repr_ not in html, (path.name, repr_)
    for path in [p for p in pages(site) if p.name != "dashboard.html"]:
        words = set(read(path).words) - {"ha"}  # hectares, as the audit's own messages write them
        words -= {"contractor"}  # R10's message names the role id of an interested unit (policies.rules.acceptance)
        assert not words, (path.name, sorted(words))


def test_the_dashboard_holds_the_headline_figures_and_ties_itself_to_the_log(site):
    html = (site / "总览.html").read_text(encoding="utf-8")
    card = re.search(r'id="card-accepted-pct">([^<]*)<b>([^<]*)</b>', html)
    assert card and card.group(1) == "验收面积占目标" and card.group(2) == "54.0 %"
    assert "195.45 公顷" in html and "211.2978 公顷" in html and "105.5878" in html
    assert 'id="by-year"' in html and 'id="by-township"' in html and 'id="flow"' in html and 'id="attention"' in html
    assert html.count("累计计划占目标%") == 1 and html.count("累计验收占目标%") == 1
    verified = json.loads((site / "verified.json").read_text())
    assert f'<code id="root">{verified["root"]}</code>' in html
    assert f"（{verified['tree_size']} 事件数）" in html
    # findings by severity, then by rule: every high finding comes before every medium one
    assert html.index('id="severity-high"') < html.index('id="severity-medium"') < html.index('id="severity-low"')
    assert "TL23-05-v14" not in html and "<h3>TL23-05</h3>" not in html  # the histories left the page


def test_the_case_file_has_every_event_with_its_place_in_the_chain_and_documents(site):
    html = (site / "案卷.html").read_text(encoding="utf-8")
    page = read(site / "案卷.html")
    ledger = Ledger(str(site / "store.db"))
    try:
        from events.ids import aggregate_id

        chain = ledger.raw.chain_of(aggregate_id("parcel", "TL23-05").hex)
        history = ledger.history("parcel", "TL23-05")
    finally:
        ledger.close()
    assert {f"v{e.originator_version}" for e in history} <= page.ids
    for version, position, digest in chain:
        assert f"日志序号 {position} · 链哈希 {digest.hex()}" in html
    assert f"sha256 {SHA}" in html and "补充验收照片" in html
    assert "合同金额" in html and "76.96" in html and "监理确认进度" in html
    assert 'id="case-findings"' in html and "R06" in html and "实测面积(公顷)：4.2377" in html


def test_a_case_file_on_each_backend(fresh_url, monkeypatch, tmp_path):
    runner = build(fresh_url, monkeypatch)
    out = tmp_path / "TL23-08.html"
    result = runner.invoke(cli, ["report", "parcel", "TL23-08", "--output", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.count('<tr id="v') == 24 and "log position" in html and "sell surplus" in html
    assert runner.invoke(cli, ["report", "parcel", "TL99-99", "--output", str(out)]).exit_code == 2
    assert runner.invoke(cli, ["report", "parcel", "TL23-08", "--output", str(tmp_path / "x.txt")]).exit_code == 2


def test_case_files_take_a_map(site):
    from reports.casefile import case_file

    ledger = Ledger(str(site / "store.db"))
    try:
        data = case_file(ledger, "TL23-05", "zh", map_svg='<svg id="boundary"></svg>')
    finally:
        ledger.close()
    html = data.decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<figure id="map"><svg id="boundary"></svg></figure>' in html
    assert html.index('id="map"') < html.index('id="timeline"')


def chromium(*args, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, timeout=120)


@needs_chromium
def test_chromium_renders_the_dashboard_and_a_case_file_with_chinese_glyphs(site, tmp_path):
    for source, shot in ((site / "总览.html", tmp_path / "dashboard.png"), (site / "案卷.html", tmp_path / "case.png")):
        chromium(f"--screenshot={shot}", "--window-size=1200,1800", source.as_uri(), profile=tmp_path / "p")
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000, shot
    dom = chromium("--dump-dom", (site / "总览.html").as_uri(), profile=tmp_path / "p").stdout.decode()
    assert 'id="card-accepted-pct"' in dom and "54.0 %" in dom


@needs_chromium
def test_the_dashboard_prints_on_at_most_six_a4_pages(site, tmp_path):
    for name in ("总览.html", "dashboard.html"):
        pdf = tmp_path / f"{name}.pdf"
        chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", (site / name).as_uri(), profile=tmp_path / "p")
        count = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
        assert 1 <= count <= 6, (name, count)


def test_the_dashboard_takes_a_map(site):
    from datetime import date

    from reports.html import dashboard

    ledger = Ledger(str(site / "store.db"))
    try:
        made = dashboard(ledger, date(2026, 11, 29), "zh", map_svg='<svg id="parcels-map"></svg>')
    finally:
        ledger.close()
    assert '<figure id="map"><svg id="parcels-map"></svg></figure>' in made.html
    assert made.html.index('id="map"') < made.html.index('id="attention"')
