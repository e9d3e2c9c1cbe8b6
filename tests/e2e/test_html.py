"""The HTML report: one self-contained page, checked in headless Chromium when it is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from reports import diagrams

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tuoli-2023-2025"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


@pytest.fixture
def page(fresh_url, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("MINEREHAB_STORE", fresh_url)
    monkeypatch.setenv("MINEREHAB_ACTOR", "张玉峰")
    monkeypatch.setenv("MINEREHAB_ROLE", "nrb")
    runner = CliRunner()
    for args in (["init", "--unsigned"], ["apply", "--migration", str(SAMPLE / "programme.jsonl")],
                 ["import", "parcels", "--migration", str(SAMPLE / "parcels.csv")],
                 ["import", "plan", "--migration", str(SAMPLE / "plan.csv"), "--programme", "TL-2023-2025",
                  "--on", "2023-03-01"],
                 ["apply", "--migration", str(SAMPLE / "history.jsonl")]):
        assert runner.invoke(cli, args).exit_code == 0
    out = tmp_path / "report.html"
    result = runner.invoke(cli, ["report", "html", str(out), "--as-of", "2026-11-29"])
    assert result.exit_code == 0, result.output
    return out


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.sources, self.tags = set(), [], [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "src" in attrs:
            self.sources.append(attrs["src"])


def test_the_page_is_self_contained_and_its_links_resolve(page):
    html = page.read_text(encoding="utf-8")
    links = Links()
    links.feed(html)
    assert not ({"script", "link", "img", "iframe"} & links.tags) and not links.sources
    assert "@import" not in html and "url(" not in html
    assert all(h.startswith("#") for h in links.hrefs)
    missing = [h for h in links.hrefs if h[1:] not in links.ids]
    assert missing == []
    assert "#parcel-TL23-05-v14" in links.hrefs  # R06's evidence links to the very event


def test_the_page_holds_the_figures(page):
    html = page.read_text(encoding="utf-8")
    assert "211.2978 ha" in html and "108.1 %" in html and "195.45 ha" in html
    if diagrams.graphviz_available():
        assert html.count("<svg") >= 2  # the chart and the lifecycle
    else:
        assert html.count("<svg") >= 1 and "stateDiagram" in html  # the chart, and the lifecycle's Mermaid source
    assert re.search(r'<tr class="high"><td>R06</td>', html)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package chromium; .ci/run installs it)")
def test_chromium_renders_the_page(page, tmp_path):
    profile = tmp_path / "profile"
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    assert 'id="figure-planned-ha"' in dom and "211.2978 ha" in dom and "108.1 %" in dom
    assert "TL23-05" in dom and "R06" in dom and 'id="parcel-TL23-05-v14"' in dom
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}", "--window-size=1280,1600",
                    page.as_uri()], capture_output=True, timeout=120)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
