"""With --lang zh every word a user reads is Chinese: each command's help, click's usage errors, refusals.

The checker drops what is not prose (option names, ids of the vocabulary and the specs, codes,
file names, URLs, program names in examples) and fails on any ASCII word left; it is itself
tested on the English help, where it must find words.
"""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from cli import COMMANDS, cli
from policies.catalogue import RULES, load_config
from workflow import specs, vocabulary

IDS = {
    *vocabulary.ROLES, *vocabulary.STATES, *vocabulary.TRIGGERS, *vocabulary.FACTS, *vocabulary.ATTRIBUTES,
    *vocabulary.SEVERITY, *COMMANDS,
    *(f.name for table in (specs.PARCEL_SPECS, specs.BATCH_SPECS, specs.PROGRAMME_SPECS, specs.TASKFORCE_SPECS,
                           specs.PERSON_SPECS, specs.WITNESSING_SPECS) for s in table.values() for f in s.fields),
    *specs.PLANNED_MODES, *specs.FUND_SOURCES, *specs.TENDER_METHODS,
}
IDS |= {key for rule in RULES for key in load_config()[rule]} | {event for r in RULES.values() for event in r.reads}
"""Ids are a public interface: scripts and config files (thresholds) type them, so they stay as they are."""
NAMES = {
    "minerehab", "zh", "en", "x",  # the program, the --lang values, the x of click's ranges (1949<=x<=2100)
    "JSON", "JSONL", "CSV", "csv", "xlsx", "md", "json", "text", "html", "svg", "png", "dot", "SQLite", "PostgreSQL",
    "SQL", "SELECT", "INSERT", "HTML", "TOML", "ISO", "UTC", "Merkle", "RFC", "SHA256", "sha256", "Ed25519", "SM2",
    "SM3", "ed25519", "sm2", "psql", "cat", "mr_writer", "mr_reader", "parcel", "batch", "programme", "taskforce",
    "table", "mermaid", "BOM", "Excel", "zip", "vkey", "tlog", "shp", "GeoJSON", "KML", "kml", "geojson", "EPSG",
    "GBK", "CT", "C2SP", "SM3", "A4",
}
"""Formats, standards, algorithms and programs are named as they are; kinds of record are ids."""
OPTION = re.compile(r"^-{1,2}[a-z][a-z0-9-]*$")
CODE = re.compile(r"^[A-Z]{1,3}\d*(-[0-9A-Za-z]+)+$|^[A-Z]+\d+[-0-9]*$")
FILE = re.compile(r"[./\\]|://")
ENVVAR = re.compile(r"^MINEREHAB_[A-Z_]+$")
QUOTED = re.compile(r"'[^'\n]*'")
"""What the user typed, echoed back in quotes ('frob' in "没有命令 'frob'")."""


def english_words(text: str) -> list[str]:
    """The ASCII words of `text` that are neither ids, codes, option names, file names nor named things."""
    found = []
    text = QUOTED.sub(" ", text)
    for token in re.split(r"[\s，。；：、（）【】「」\"'`|,;()\[\]{}<>]+", text):
        token = token.strip(".:!?…")
        if not token or token in IDS or OPTION.match(token) or FILE.search(token) or CODE.match(token) \
                or ENVVAR.match(token):
            continue
        for part in token.split("="):
            if CODE.match(part) or FILE.search(part):
                continue
            for word in re.findall(r"[A-Za-z][A-Za-z0-9_]*", part):
                if word in IDS or word in NAMES or any(ch.isdigit() for ch in word) or word.upper() in ("TL", "TF"):
                    continue
                found.append(word)
    return found


def command_paths() -> list[list[str]]:
    ctx = click.Context(cli, info_name="minerehab")
    paths = [[]]

    def walk(group, path):
        for name in group.list_commands(ctx):
            sub = group.get_command(ctx, name)
            paths.append([*path, name])
            if isinstance(sub, click.Group):
                walk(sub, [*path, name])

    walk(cli, [])
    return paths


PATHS = command_paths()
IDS |= {name for path in PATHS for name in path}


def choices() -> set[str]:
    """The values of every choice option: ids that scripts type (--format xlsx, --map centres)."""
    ctx = click.Context(cli, info_name="minerehab")
    found = set()
    for path in PATHS:
        command = cli
        for name in path:
            command = command.get_command(ctx, name)
        found |= {c for p in command.params if isinstance(p.type, click.Choice) for c in p.type.choices}
    return found


IDS |= choices()


@pytest.fixture
def runner(monkeypatch):
    for name in ("MINEREHAB_LANG", "MINEREHAB_ACTOR", "MINEREHAB_ROLE", "MINEREHAB_STORE"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "minerehab")
def test_every_help_is_chinese(runner, path):
    result = runner.invoke(cli, prog_name="minerehab", args=["--lang", "zh", *path, "--help"])
    assert result.exit_code == 0, result.output
    assert "用法" in result.output and "选项" in result.output
    assert english_words(result.output) == [], result.output


def test_the_checker_finds_english_in_the_english_help(runner):
    """The checker must be able to fail: the English help of `do` is full of words it reports."""
    result = runner.invoke(cli, prog_name="minerehab", args=["do", "--help"])
    words = english_words(result.output)
    assert {"Usage", "Options", "Record", "Business", "date"} <= set(words)
    assert english_words("minerehab do register TL-2023-01 --on 2023-03-01 --set area_ha=6.1 a.csv") == []
    assert english_words("拒绝：图斑 TL-2023-01 不在 planned") == []
    assert english_words("refused: 图斑") == ["refused"]


def test_help_in_chinese_leaves_the_english_help_english(runner):
    assert "显示本帮助" in runner.invoke(cli, prog_name="minerehab", args=["--lang", "zh", "do", "--help"]).output
    english = runner.invoke(cli, prog_name="minerehab", args=["--lang", "en", "do", "--help"]).output
    assert "Show this message and exit." in english and "Usage:" in english and "显示" not in english


def test_the_environment_chooses_chinese_too(runner, monkeypatch):
    monkeypatch.setenv("MINEREHAB_LANG", "zh_CN.UTF-8")
    result = runner.invoke(cli, prog_name="minerehab", args=["do", "--help"])
    assert "用法" in result.output and english_words(result.output) == []


@pytest.mark.parametrize("args,en,zh", [
    (["frob"], "No such command 'frob'", "没有命令 'frob'"),
    (["do", "register", "X", "--on", "2023-01-01"], "Missing option '--role'. Or set the environment variable "
     "MINEREHAB_ROLE.", "缺少选项 '--role'。也可设置环境变量 MINEREHAB_ROLE。"),
    (["list", "--year", "3000"], "Invalid value for '--year'", "'--year' 的值无效"),
    (["show"], "Missing argument 'PARCEL'", "缺少参数 '图斑'"),
    (["do", "register", "X", "--on", "2023-01-01", "--rol", "nrb"], "No such option '--rol'", "没有选项 '--rol'"),
    (["audit", "--fail-on", "severe"], "'severe' is not one of", "'severe' 不是以下之一"),
    (["apply", "/no/such/file.jsonl"], "No such file or directory", "没有该文件或目录"),
])
def test_usage_errors_in_both_languages(runner, args, en, zh):
    english = runner.invoke(cli, prog_name="minerehab", args=["--lang", "en", *args])
    chinese = runner.invoke(cli, prog_name="minerehab", args=["--lang", "zh", *args])
    assert english.exit_code == chinese.exit_code == 2
    assert en in english.output and english.output.count("\n") == 1, english.output
    assert zh in chinese.output and chinese.output.count("\n") == 1, chinese.output
    assert english_words(chinese.output) == [], chinese.output
