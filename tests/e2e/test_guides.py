"""The user guides in docs/ are worked sessions: every `$ minerehab …` line is run here, in order, and
the output shown under it must appear (in order; `…` skips lines), so the guides never go stale."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli

ROOT = Path(__file__).resolve().parents[2]
GUIDES = sorted(g for g in (ROOT / "docs").glob("*.md") if g.stem != "reference")  # the reference is generated


def steps(text: str):
    """(command, expected lines, exit code) for every `$ ` line of the console blocks."""
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        current = None
        for line in block.splitlines():
            if line.startswith("$ "):
                if current:
                    yield current
                command, _, comment = line[2:].partition("  # ")
                code = int(re.search(r"exits (\d)", comment).group(1)) if "exits" in comment else 0
                current = (command.strip(), [], code)
            elif current and line.strip():
                current[1].append(line.strip())
        if current:
            yield current


def in_order(expected: list[str], output: str) -> str | None:
    """None when every expected line (bar `…`) is found in the output, in order; else the first one missing."""
    lines = [x.strip() for x in output.splitlines()]
    at = 0
    for want in expected:
        if want == "…":
            continue
        while at < len(lines) and want not in lines[at]:
            at += 1
        if at == len(lines):
            return want
        at += 1
    return None


def test_there_is_a_guide_for_each_user():
    assert {g.stem for g in GUIDES} >= {"auditor", "inspector", "official"}


@pytest.mark.parametrize("guide", GUIDES, ids=[g.stem for g in GUIDES])
def test_guide_sessions_run_as_written(guide, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    for key in ("MINEREHAB_STORE", "MINEREHAB_ACTOR", "MINEREHAB_ROLE", "MINEREHAB_KEY", "MINEREHAB_SIGNER",
                "MINEREHAB_KEY_PASSPHRASE", "MINEREHAB_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    ran = 0
    for command, expected, code in steps(guide.read_text(encoding="utf-8")):
        words = shlex.split(command)
        if words[0] == "export":
            for assignment in words[1:]:
                name, _, value = assignment.partition("=")
                monkeypatch.setenv(name, value)
            continue
        assert words[0] == "minerehab", command
        target = None
        if ">" in words:  # `minerehab sign a.jsonl > b.jsonl`: the shell's redirection, as a user types it
            target, words = words[words.index(">") + 1], words[:words.index(">")]
        result = CliRunner().invoke(cli, words[1:])
        if target:
            (tmp_path / target).write_text(result.stdout, encoding="utf-8")
        assert result.exit_code == code, f"{command}\n{result.output}"
        missing = in_order(expected, result.output)
        assert missing is None, f"{command}\nexpected: {missing}\ngot:\n{result.output}"
        ran += 1
    assert ran >= 5
