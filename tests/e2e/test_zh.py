"""With --lang zh every word a user reads is Chinese: each command's help, click's usage errors, refusals.

The checker drops what is not prose (option names, ids of the vocabulary and the specs, codes,
file names, URLs, program names in examples) and fails on any ASCII word left; it is itself
tested on the English help, where it must find words.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli import COMMANDS, cli
from events.problems import KINDS
from geometry import layers
from policies.catalogue import RULES, load_config
from tests.e2e.test_evidence_cli import bundle, county, rezip  # noqa: F401 - the signed county and its case file
from tests.integration.test_tamper import DB, PARCEL, PARCEL_ROWS, tamper
from tests.integration.test_tamper import build as tampered_store
from tests.support import store_bytes
from workflow import specs, vocabulary

IDS = {
    *vocabulary.ROLES, *vocabulary.STATES, *vocabulary.TRIGGERS, *vocabulary.FACTS, *vocabulary.ATTRIBUTES,
    *vocabulary.SEVERITY, *COMMANDS,
    *(f.name for table in (specs.PARCEL_SPECS, specs.BATCH_SPECS, specs.PROGRAMME_SPECS, specs.TASKFORCE_SPECS,
                           specs.PERSON_SPECS, specs.WITNESSING_SPECS) for s in table.values() for f in s.fields),
    *specs.PLANNED_MODES, *specs.FUND_SOURCES, *specs.TENDER_METHODS,
}
IDS |= {key for rule in RULES for key in load_config()[rule]} | {event for r in RULES.values() for event in r.reads}
IDS |= set(layers.BY_NATIONAL)  # the national layer's field names (TBBH, TBMJ…), as the layers carry them
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


# --- findings and refusals of whole files are Chinese too ----------------------------------------

REPO = Path(__file__).resolve().parents[2]


def chinese(runner, *args):
    return runner.invoke(cli, prog_name="minerehab", args=["--lang", "zh", *map(str, args)])


def test_every_kind_of_problem_made_has_a_chinese_name():
    """A kind added at a creation site without its Chinese name would print in English under --lang zh."""
    made = set()
    for path in [*REPO.glob("events/*.py"), *REPO.glob("workflow/*.py"), *REPO.glob("console/*.py")]:
        made |= set(re.findall(r'\bProblem\("([a-z]+)"', path.read_text(encoding="utf-8")))
    assert {"edited", "deleted", "backdated", "signature", "witness", "document"} <= made
    assert made <= set(KINDS), made - set(KINDS)
    assert all(english_words(name) == [] for name in KINDS.values())


def mutate(url: str, mutation: str) -> None:
    """One DBA's change to the SQLite store (tests/integration/test_tamper.py's); an edit sets a business date a
    century back."""
    rows = DB(url)(PARCEL_ROWS, PARCEL)

    def forge(state: bytes) -> bytes:
        forged = state.replace(b'"_data_":"20', b'"_data_":"19', 1)
        assert forged != state
        return forged

    tamper(DB(url), mutation, rows[3][0], rows[4][0], forge)


@pytest.mark.parametrize("mutation,kind", [("edit", "edited"), ("delete", "deleted"), ("insert", "inserted"),
                                           ("swap", "reordered"), ("move", "moved")])
def test_verify_of_a_tampered_store_says_every_problem_in_chinese(runner, tmp_path, monkeypatch, mutation, kind):
    url = tampered_store(str(tmp_path / "store.db"))
    mutate(url, mutation)
    monkeypatch.setenv("MINEREHAB_STORE", url)
    result = chinese(runner, "verify")
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith(f"{KINDS[kind]}：parcel:TL-") and lines[-1].startswith("已被篡改："), result.output
    assert english_words(result.output) == [], result.output
    found = json.loads(chinese(runner, "verify", "--json").output)["problems"]  # ids stay English for scripts
    assert kind in {p["kind"] for p in found}
    assert all(english_words(p["detail_zh"]) == [] and p["detail"] != p["detail_zh"] for p in found), found
    english = runner.invoke(cli, ["--lang", "en", "verify"]).output  # English stays English
    assert english.startswith(f"{kind}: parcel:TL-") and "TAMPERED" in english_words(english), english


def test_the_audit_of_an_edited_log_is_refused_in_chinese(runner, tmp_path, monkeypatch):
    url = tampered_store(str(tmp_path / "store.db"))
    mutate(url, "edit")
    monkeypatch.setenv("MINEREHAB_STORE", url)
    result = chinese(runner, "audit")
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert "被改动：parcel:TL-" in result.output and english_words(result.output) == [], result.output


def test_a_checkpoint_signed_by_no_key_given_or_cosigned_too_little_is_said_in_chinese(county):  # noqa: F811
    runner = CliRunner()
    assert runner.invoke(cli, ["checkpoint", "--key", "county.key", "--out", "cp"]).exit_code == 0
    for args, said in [(["--vkey", "audit.key.vkey"], "没有已知密钥的签名"),
                       (["--vkey", "county.key.vkey", "--witness", "audit.key.vkey"], "给出的见证方中有 0 个联署")]:
        result = chinese(runner, "verify", "--checkpoint", "cp", *args)
        assert result.exit_code == 1 and said in result.output, result.output
        assert english_words(result.output) == [], result.output


def forged_event(name: str, data: bytes | None) -> bytes | None:
    """An event's readable bytes changed (its manifest row no longer matches, nor its chain to the next)."""
    return data.replace(b"commission_survey", b"commission_surveY") if name == "events/v0003.json" else data


@pytest.mark.parametrize("change,said", [
    (lambda n, d: b"%PDF forged" if n == "documents/YS-1.pdf" else d, "与版本 25 记录的 SHA-256 不符"),
    (lambda n, d: None if n == "events/v0003.json" else d, "events/v0003.json：缺失（MANIFEST.json 中列有）"),
    (lambda n, d: b"x" if n == "extra.txt" else d, "extra.txt：被添加（MANIFEST.json 中没有）"),
    (forged_event, "events/v0003.json：被改动"),
    (lambda n, d: None if n == "proofs/v0002.tlog-proof" else d, "无法表明 events/v0002.json 在检查点之下"),
], ids=["document", "missing", "added", "forged", "no-proof"])
def test_case_verify_of_a_tampered_bundle_says_every_problem_in_chinese(bundle, change, said):  # noqa: F811
    bundle.with_name("tampered.zip").write_bytes(rezip(bundle, change))
    result = chinese(CliRunner(), "case", "verify", bundle.with_name("tampered.zip"), "--vkey", "county.key.vkey",
                     "--witness", "audit.key.vkey")
    assert result.exit_code == 1, result.output
    assert said in result.output and result.output.strip().splitlines()[-1].startswith("核验失败："), result.output
    assert english_words(result.output) == [], result.output
    english = CliRunner().invoke(cli, ["case", "verify", str(bundle.with_name("tampered.zip")), "--vkey",
                                       "county.key.vkey", "--json"])
    found = json.loads(english.output)
    assert len(found["problems"]) == len(found["problems_zh"]) and found["problems"] != found["problems_zh"]


def test_case_verify_with_too_few_witnesses_or_the_wrong_key_says_so_in_chinese(bundle):  # noqa: F811
    for args, said in [(["--vkey", "county.key.vkey", "--witness", "audit.key.vkey", "--witness", "jiwei.key.vkey"],
                        "需要 2 个"), (["--vkey", "audit.key.vkey"], "没有已知密钥的签名")]:
        result = chinese(CliRunner(), "case", "verify", bundle, *args)
        assert result.exit_code == 1 and said in result.output, result.output
        assert english_words(result.output) == [], result.output


@pytest.fixture
def import_store(fresh_url, monkeypatch, tmp_path):
    monkeypatch.setenv("MINEREHAB_STORE", fresh_url)
    for name in ("MINEREHAB_ACTOR", "MINEREHAB_ROLE", "MINEREHAB_LANG"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--unsigned"]).exit_code == 0
    return runner, fresh_url, tmp_path


WHO = ["--actor", "张玉峰", "--role", "nrb"]
IMPORTS = [
    # (what, file name, its bytes, command, English, Chinese)
    ("unknown header", "p.csv", "图斑编号,图斑名称,乡镇,图斑面级,登记日期\nX-1,a,t,1.5,2023-02-20\n", ["parcels"],
     "column 4 '图斑面级': unknown header (did you mean area_ha", "第 4 列 '图斑面级'：不认识的表头（是否想输入 图斑面积？）"),
    ("English unknown header", "e.csv", "code,name,township,area,on\nX-1,a,t,1.5,2023-02-20\n", ["parcels"],
     "unknown header (did you mean area_ha", "第 4 列 'area'：不认识的表头（是否想输入 图斑面积？）"),
    ("missing column", "m.csv", "图斑编号,图斑名称,图斑面积,登记日期\nX-1,a,1.5,2023-02-20\n", ["parcels"],
     "column township (乡镇) is missing", "缺少 乡镇 列"),
    ("missing plan column", "plan.csv", "图斑编号,年度\nX-1,2024\n", ["plan", "--programme", "TL-2023-2025",
                                                                   "--on", "2024-03-01"],
     "column planned_investment (计划投入资金) is missing", "缺少 计划投入资金 列"),
    ("unreadable workbook", "b.xlsx", "not a workbook", ["parcels"], "not a readable .xlsx workbook",
     "不是可读的 .xlsx 工作簿"),
    ("empty file", "z.csv", "", ["parcels"], "the file is empty", "文件为空"),
    ("wrong format", "p.txt", "x", ["parcels"], "unsupported format .txt", "不支持的格式：p.txt"),
    ("empty layer", "l.geojson", '{"type": "FeatureCollection", "features": []}', ["parcels"],
     "the layer has no features", "图层中没有要素"),
    ("layer row without a code", "r.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"TBMJ": 12000}, "geometry": {
            "type": "Polygon", "coordinates": [[[88.1, 46.1], [88.2, 46.1], [88.2, 46.2], [88.1, 46.1]]]}}]}),
     ["parcels", "--on", "2024-03-01"], "row 1: no 图斑编号", "第 1 行：没有图斑编号"),
]


@pytest.mark.parametrize("what,name,text,command,en,zh", IMPORTS, ids=[i[0] for i in IMPORTS])
def test_an_import_refused_for_its_file_says_so_in_one_chinese_line_and_writes_nothing(import_store, what, name, text,
                                                                                       command, en, zh):
    runner, url, folder = import_store
    (folder / name).write_text(text, encoding="utf-8")
    args = ["import", command[0], str(folder / name), *command[1:], *WHO]
    before = store_bytes(url)
    english = runner.invoke(cli, ["--lang", "en", *args], prog_name="minerehab")
    result = chinese(runner, *args)
    assert english.exit_code == 2 and result.exit_code == 2, (english.output, result.output)
    assert english.output.count("\n") == 1 and en in english.output, english.output
    assert result.output.count("\n") == 1 and zh in result.output, result.output
    assert str(folder / name) in result.output and english_words(result.output) == [], result.output
    assert store_bytes(url) == before


def test_a_witness_refusing_a_rolled_back_checkpoint_says_why_in_chinese(county):  # noqa: F811
    import base64

    runner = CliRunner()
    assert runner.invoke(cli, ["checkpoint", "--key", "county.key", "--out", "cp"]).exit_code == 0
    origin, size = Path("cp").read_text().splitlines()[:2]
    state = {"format": "minerehab-witness/1",
             "logs": {origin: {"size": int(size) + 5, "root": base64.b64encode(b"\x01" * 32).decode()}}}
    Path("audit.key.state").write_text(json.dumps(state), encoding="utf-8")
    result = chinese(runner, "cosign", "cp", "--key", "audit.key")
    assert result.exit_code == 1 and "被回滚" in result.output and result.output.count("\n") == 1, result.output
    assert english_words(result.output) == [], result.output
    assert "rolled back" in runner.invoke(cli, ["cosign", "cp", "--key", "audit.key"]).output


def test_a_receipt_is_checked_in_chinese(county):  # noqa: F811
    runner = CliRunner()
    assert runner.invoke(cli, ["checkpoint", "--key", "county.key", "--out", "cp"]).exit_code == 0
    assert runner.invoke(cli, ["cosign", "cp", "--key", "audit.key"]).exit_code == 0
    proof = runner.invoke(cli, ["prove", "TL-2023-01", "3", "--checkpoint", "cp"]).output
    Path("p.tlog-proof").write_text(proof)
    index = next(line for line in proof.splitlines() if line.startswith("index "))
    Path("moved.tlog-proof").write_text(proof.replace(f"{index}\n", f"index {int(index[6:]) + 1}\n"))
    for args, code, said in [
        (["p.tlog-proof", "--vkey", "county.key.vkey", "--witness", "audit.key.vkey"], 0, "有效：parcel:TL-2023-01 的版本 3"),
        (["p.tlog-proof", "--vkey", "county.key.vkey", "--witness", "jiwei.key.vkey"], 1, "需要 1 个"),
        (["moved.tlog-proof", "--vkey", "county.key.vkey"], 1, "未能证明第"),
        (["p.tlog-proof", "--vkey", "audit.key.vkey"], 1, "没有已知密钥的签名"),
    ]:
        result = chinese(runner, "check-proof", *args)
        assert result.exit_code == code and said in result.output, result.output
        assert english_words(result.output) == [], result.output
