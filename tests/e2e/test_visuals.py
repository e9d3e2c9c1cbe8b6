"""What people see: diagrams, languages, aligned tables."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from cli import cli
from console.common import width
from reports import diagrams
from samples import scenario
from workflow.commands import to_jsonl
from workflow.vocabulary import FACTS, ROLES, STATES, TRIGGERS, default_lang


@pytest.fixture
def runner(fresh_url, monkeypatch):
    monkeypatch.setenv("MINEREHAB_STORE", fresh_url)
    monkeypatch.delenv("MINEREHAB_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    r = CliRunner()
    r.invoke(cli, ["init", "--unsigned"])
    life = scenario.works_life("TL-1", date(2023, 3, 1), Decimal("6"), Decimal("100"))
    r.invoke(cli, ["apply", "-"], input="".join(to_jsonl(x) + "\n" for x in scenario.programme() + life))
    return r


def test_mermaid_marks_the_current_state_and_the_path_taken(runner):
    result = runner.invoke(cli, ["diagram", "--parcel", "TL-1"])
    assert result.exit_code == 0
    text = result.output
    assert text.startswith("---\ntitle: parcel TL-1 lifecycle\n---\nstateDiagram-v2\n  direction TB\n")
    assert "class accepted s_active" in text
    assert "class works_completed s_previous" in text and "class identified s_previous" in text
    assert "class filed s_default" in text  # not yet reached
    assert 'state "works completed" as works_completed' in text
    assert "[*] --> new\n" in text and "[*] --> accepted" not in text  # the first state, not the current one
    steps = re.findall(r"--> (\w+): ([\u2460-\u2473]+) ", text)
    assert [dest for dest, _ in steps][:2] == ["identified", "planned"] and steps[-1][0] == "accepted"
    assert [mark for _, mark in steps] == [chr(0x2460 + i) for i in range(len(steps))]  # the route, in order
    assert "legend:" in text and "end note" in text


def test_mermaid_of_the_whole_lifecycle_has_no_marks(runner):
    text = runner.invoke(cli, ["diagram"]).output
    assert text.startswith("---\ntitle: minerehab parcel lifecycle\n---") and "direction LR" in text
    assert "s_active" not in text.split("classDef s_active")[1] and "note" not in text
    assert "[*] --> new" in text


@pytest.mark.skipif(not diagrams.graphviz_available(), reason="Graphviz's dot is not installed")
def test_format_from_the_extension_and_no_png_on_a_terminal(runner, tmp_path, monkeypatch):
    for name, start in (("d.svg", b"<?xml"), ("d.png", b"\x89PNG"), ("d.mmd", b"---\ntitle:")):
        out = tmp_path / name
        assert runner.invoke(cli, ["diagram", "--parcel", "TL-1", "--output", str(out)]).exit_code == 0
        assert out.read_bytes().startswith(start), name
    unknown = runner.invoke(cli, ["diagram", "--output", str(tmp_path / "d.txt")])
    assert unknown.exit_code == 2 and ".svg" in unknown.output
    import console.reporting

    monkeypatch.setattr(console.reporting, "on_terminal", lambda: True)
    tty = runner.invoke(cli, ["diagram", "--format", "png"])
    assert tty.exit_code == 2 and "--output" in tty.output


@pytest.mark.skipif(not diagrams.graphviz_available(), reason="Graphviz's dot is not installed")
def test_graphviz_speaks_chinese_on_every_edge_and_draws_one_parcel_top_to_bottom(runner, tmp_path):
    out = tmp_path / "life.svg"
    assert runner.invoke(cli, ["--lang", "zh", "diagram", "--parcel", "TL-1", "--output", str(out)]).exit_code == 0
    svg = out.read_text(encoding="utf-8")
    words = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert words and not [w for w in words if re.search(r"[a-z]{2,}_|_[a-z]{2,}", w)]
    assert "① 登记图斑" in words and "初步验收合格" in " ".join(words) and "图例：红色 = 当前状态" in words
    width, height = (float(x) for x in re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups())
    assert height > 2 * width  # top to bottom: one column that fits a page


def test_diagrams_speak_chinese(runner):
    text = runner.invoke(cli, ["--lang", "zh", "diagram", "--batch", "B9"]).output
    assert "批次 B9 不存在" in text
    text = runner.invoke(cli, ["--lang", "zh", "diagram"]).output
    assert 'state "已核销" as written_off' in text and "filed --> written_off: 确认核销" in text


@pytest.mark.skipif(not diagrams.graphviz_available(), reason="Graphviz's dot is not installed")
def test_svg_and_png_through_graphviz(runner, tmp_path):
    out = tmp_path / "life.svg"
    assert runner.invoke(cli, ["diagram", "--parcel", "TL-1", "--format", "svg", "--output", str(out)]).exit_code == 0
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<svg" in svg and "works completed" in svg and "darksalmon" in svg
    png = tmp_path / "life.png"
    assert runner.invoke(cli, ["diagram", "--format", "png", "--output", str(png)]).exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_graphviz_one_line_says_how_to_install_it(runner, monkeypatch):
    monkeypatch.setattr(diagrams.shutil, "which", lambda name: None)
    result = runner.invoke(cli, ["diagram", "--format", "svg"])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "apt-get install graphviz" in result.output and "--format mermaid" in result.output


def test_language_comes_from_the_locale():
    assert default_lang({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert default_lang({"LANG": "en_US.UTF-8"}) == "en"
    assert default_lang({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US"}) == "zh"
    assert default_lang({"MINEREHAB_LANG": "en", "LC_ALL": "zh_CN"}) == "en"
    assert default_lang({}) == "en"


def test_chinese_output_from_the_locale(runner, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    listed = runner.invoke(cli, ["list"]).output
    assert listed.startswith("图斑") and "已验收" in listed
    history = runner.invoke(cli, ["history", "TL-1"]).output
    assert "初步验收合格" in history and "已完工 → 已验收" in history and "(自然资源局)" in history
    nxt = runner.invoke(cli, ["next", "TL-1"]).output
    assert "明确管护责任主体" in nxt
    assert json.loads(runner.invoke(cli, ["list", "--json"]).output)[0]["state"] == "accepted"  # ids stay ids


def test_every_label_has_both_languages():
    for table in (ROLES, STATES, TRIGGERS, FACTS):
        for key, (zh, en) in table.items():
            assert zh and en and any("\u4e00" <= ch <= "\u9fff" for ch in zh), key


def test_wide_characters_line_up(runner):
    lines = runner.invoke(cli, ["--lang", "zh", "list"]).output.splitlines()
    header, rule, row = lines[0], lines[1], lines[2]
    assert width(header.split("  ")[0]) <= width(rule.split("  ")[0])
    column = header.index("状态")
    assert width(header[:column]) == width(row[:row.index("已验收")])


def test_progress_bars_show_only_on_a_terminal(monkeypatch):
    import io
    import sys

    from console.common import Ticker

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with Ticker(10, "applying") as tick:
        for _ in range(10):
            tick()
    assert "applying" in screen.getvalue() and "100%" in screen.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with Ticker(10, "applying") as tick:
        assert tick is None


def test_shell_completion_completes_commands_and_options(runner, monkeypatch):
    monkeypatch.setenv("_MINEREHAB_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", "minerehab au")
    monkeypatch.setenv("COMP_CWORD", "1")
    result = runner.invoke(cli, [], prog_name="minerehab")
    assert "plain,audit" in result.output
    monkeypatch.setenv("COMP_WORDS", "minerehab audit --fa")
    monkeypatch.setenv("COMP_CWORD", "2")
    assert "plain,--fail-on" in runner.invoke(cli, [], prog_name="minerehab").output


def test_json_everywhere_a_command_reads(runner):
    for args in (["show", "TL-1"], ["history", "TL-1"], ["list"], ["next", "TL-1"], ["rules"], ["verify"],
                 ["audit", "--fail-on", "low"], ["report", "progress"], ["batch", "list"],
                 ["programme", "show", "TL-2023-2025"]):
        result = runner.invoke(cli, [*args, "--json"])
        assert result.exit_code in (0, 1), (args, result.output)
        json.loads(result.output)


def test_minerehab_alone_prints_its_help(runner):
    result = runner.invoke(cli, [])
    assert result.exit_code == 0 and result.output.startswith("Usage: ") and "Commands:" in result.output
