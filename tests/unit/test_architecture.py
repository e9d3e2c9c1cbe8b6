"""The layering holds: each package imports only the layers below it, no cycles, a thin root CLI,
and the user's reference is the one the code generates."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RANK = {"events": 0, "geometry": 0, "policies": 1, "workflow": 2, "audit": 3, "reports": 4, "console": 5, "cli": 6}
"""Lowest first: a module may import its own package and any package of a lower rank."""
PROJECT = set(RANK) | {"samples", "tests", "bench"}


def modules():
    for package in RANK:
        path = ROOT / f"{package}.py"
        files = [path] if path.exists() else sorted((ROOT / package).rglob("*.py"))
        for file in files:
            yield package, file


def imported(file: Path) -> set[str]:
    """Top-level project packages a module imports, at any depth (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & PROJECT


@pytest.mark.parametrize("package,file", list(modules()), ids=lambda x: str(x).replace(str(ROOT) + "/", ""))
def test_imports_point_only_down(package, file):
    upward = {name for name in imported(file) if name != package and RANK.get(name, 99) >= RANK[package]}
    assert not upward, f"{file.relative_to(ROOT)} imports {sorted(upward)} (layer {package})"


def test_no_cycle_between_packages():
    edges = {p: set() for p in RANK}
    for package, file in modules():
        edges[package] |= {n for n in imported(file) if n in RANK and n != package}

    def reaches(start, goal, seen=()):
        return any(n == goal or (n not in seen and reaches(n, goal, (*seen, n))) for n in edges[start])

    assert not [p for p in RANK if reaches(p, p)]


def test_the_root_cli_is_thin():
    assert len((ROOT / "cli.py").read_text(encoding="utf-8").splitlines()) <= 300


def test_nothing_refers_to_files_users_do_not_have():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    offenders = [name for name in tracked if (ROOT / name).is_file() and not name.endswith((".db", ".sql"))
                 and any(word in (ROOT / name).read_text(encoding="utf-8", errors="ignore")
                         for word in ("DOMAIN" + ".md", "DESIGN" + ".md"))]
    assert offenders == []


def test_committed_reference_is_the_generated_one():
    generated = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "rules", "--format", "md"],
                               cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert (ROOT / "docs" / "reference.md").read_text(encoding="utf-8") == generated, \
        "docs/reference.md is stale: run `minerehab rules --format md > docs/reference.md`"
