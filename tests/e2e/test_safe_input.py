"""Chinese in, Chinese out, and no silent wrong answers, on both backends.

Bad input is one line in the chosen language, exit 2, the store byte for byte unchanged; Chinese
names are accepted wherever ids are; a code differing only by case or padding is a typo.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import cli
from samples import scenario
from tests.e2e.test_zh import english_words
from tests.support import store_bytes

CODE = "TL24-08"
REGISTER = ["do", "register", CODE, "--on", "2024-03-01", "--actor", "张玉峰", "--role", "nrb",
            "--set", "name=老风口采坑", "--set", "township=庙尔沟镇", "--set", "area_ha=6.1234"]
PLAN = ["--on", "2024-03-02", "--actor", "张玉峰", "--set", "programme=TL-2023-2025", "--set", "year=2024",
        "--set", "planned_investment=120.5"]


@pytest.fixture
def runner(fresh_url, monkeypatch):
    monkeypatch.setenv("MINEREHAB_STORE", fresh_url)
    for name in ("MINEREHAB_ACTOR", "MINEREHAB_ROLE", "MINEREHAB_LANG"):
        monkeypatch.delenv(name, raising=False)
    r = CliRunner()
    assert r.invoke(cli, ["init", "--unsigned"]).exit_code == 0
    lines = "\n".join(json.dumps(x, ensure_ascii=False, default=str) for x in scenario.programme()) + "\n"
    assert r.invoke(cli, ["apply", "-"], input=lines).exit_code == 0
    assert r.invoke(cli, REGISTER).exit_code == 0
    return r


def run(runner, lang, args):
    return runner.invoke(cli, ["--lang", lang, *args], prog_name="minerehab")


BAD = [
    # (what, args, English, Chinese)
    ("unknown state", ["list", "--state", "identfied"], "unknown state 'identfied' (did you mean identified?)",
     "没有这个状态：'identfied'（是否想输入 identified（已登记）？）"),
    ("unknown Chinese state", ["list", "--state", "已登陆"], "did you mean identified?", "已登记"),
    ("unknown role", ["do", "plan", CODE, "--role", "natural", *PLAN, "--set", "mode=conversion"],
     "role 'natural' is not one of", "没有这个角色：'natural'"),
    ("unknown Chinese role", ["do", "plan", CODE, "--role", "自然资源", *PLAN, "--set", "mode=conversion"],
     "(did you mean nrb?)", "是否想输入 nrb（自然资源局）"),
    ("mistyped trigger", ["do", "aprove_design", CODE, "--on", "2024-03-02", "--actor", "a", "--role", "nrb"],
     "unknown trigger 'aprove_design' (did you mean approve_design?)", "没有操作 'aprove_design'（是否想输入 approve_design（批复方案）？）"),
    ("mistyped field", ["do", "register", "TL24-09", "--on", "2024-03-01", "--actor", "a", "--role", "nrb",
                        "--set", "townshp=x"], "has no field 'townshp' (did you mean township?)",
     "没有字段 'townshp'（是否想输入 township？）"),
    ("unknown mode", ["do", "plan", CODE, "--role", "nrb", *PLAN, "--set", "mode=生态重见"],
     "field mode='生态重见' is not one of", "不是自然恢复|辅助再生|生态重建|转型利用（是否想输入 生态重建？）"),
    ("move not allowed", ["do", "approve_design", CODE, "--on", "2024-03-02", "--actor", "a", "--role", "nrb"],
     "approve_design is not allowed from identified; allowed moves: plan", "在已登记状态下不能批复方案；可执行的状态变更：列入计划"),
    ("role may not", ["do", "plan", CODE, "--role", "finance", *PLAN, "--set", "mode=conversion"],
     "role finance may not plan; allowed roles: nrb", "财政局不能列入计划；可执行的角色：自然资源局"),
    ("wrong case code", ["next", "tl24-08"], "(did you mean TL24-08?)", "（是否想输入 TL24-08？）"),
    ("unpadded code", ["do", "register", "TL24-8", "--on", "2024-03-01", "--actor", "a", "--role", "nrb",
                       "--set", "name=x", "--set", "township=y", "--set", "area_ha=1"],
     "TL24-08 is recorded and differs only by case or zero padding", "已有 TL24-08，两者只差大小写或补零"),
    ("unknown code", ["history", "TL24-80"], "parcel TL24-80: unknown parcel", "图斑 TL24-80 不存在"),
    ("version overflow", ["show", CODE, "--version", "999"], "has 1 version; --version 999 does not exist",
     "图斑 TL24-08 只有 1 个版本；不存在版本 999"),
    ("future date", ["do", "plan", CODE, "--role", "nrb", "--on", "2099-01-01", *PLAN[2:], "--set", "mode=conversion",
                     "--set", "sponsor=drc", "--set", "new_use=x"], "is in the future", "在未来"),
]


@pytest.mark.parametrize("what,args,en,zh", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_one_line_in_the_users_language_and_changes_nothing(runner, fresh_url, what, args, en, zh):
    before = store_bytes(fresh_url)
    english, chinese = run(runner, "en", args), run(runner, "zh", args)
    assert english.exit_code == 2 and chinese.exit_code == 2, (english.output, chinese.output)
    assert english.output.count("\n") == 1 and chinese.output.count("\n") == 1
    assert en in english.output, english.output
    assert zh in chinese.output, chinese.output
    assert english_words(chinese.output) == [], chinese.output
    assert store_bytes(fresh_url) == before


@pytest.mark.parametrize("args", [
    ["do", "列入计划", CODE, "--role", "自然资源局", *PLAN, "--set", "mode=生态重建"],
    ["do", "plan", CODE, "--role", "Natural Resources Bureau", *PLAN, "--set", "mode=ecological reconstruction"],
    ["do", "plan", CODE, "--role", "nrb", "--on", "2024-03-02", "--actor", "张玉峰", "--set", "programme=TL-2023-2025",
     "--set", "年度=2024", "--set", "修复模式=生态重建", "--set", "计划投入资金=120.5"],
], ids=["chinese", "english names", "chinese field names"])
def test_chinese_names_are_accepted_where_ids_are(runner, args):
    result = run(runner, "zh", args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"图斑 {CODE}：列入计划 已登记 → 已列入计划（版本 2）")
    step = json.loads(run(runner, "en", ["history", CODE, "--json"]).output)[-1]
    assert step["event"] == "plan" and step["role"] == "nrb" and step["data"]["mode"] == "ecological_reconstruction"


def test_chinese_values_in_jsonl_and_booleans(runner):
    line = {"do": "巡查记录", "parcel": CODE, "actor": "李", "role": "乡镇", "on": "2024-03-05",
            "data": {"findings": "无", "hazard": "否"}}
    result = runner.invoke(cli, ["--lang", "zh", "apply", "-"], input=json.dumps(line, ensure_ascii=False) + "\n")
    assert result.exit_code == 0 and result.output.startswith("已执行 1 条命令"), result.output
    event = json.loads(run(runner, "en", ["history", CODE, "--json"]).output)[-1]
    assert (event["event"], event["role"], event["data"]["hazard"]) == ("log_patrol", "township", False)


def test_english_plurals(runner):
    assert run(runner, "en", ["list"]).output.splitlines()[-1] == "1 parcel, 6.1234 ha"
    line = {"do": "log_patrol", "parcel": CODE, "actor": "李", "role": "township", "on": "2024-03-05",
            "data": {"findings": "ok"}}
    result = runner.invoke(cli, ["apply", "-"], input=json.dumps(line) + "\n")
    assert result.output.startswith("applied 1 command [")


def test_next_says_roles_fields_and_a_command_in_chinese(runner):
    text = run(runner, "zh", ["next", CODE]).output
    assert "plan  列入计划  → 已列入计划" in text and "角色：自然资源局 (nrb)" in text
    assert "mode 修复模式（自然恢复|辅助再生|生态重建|转型利用）" in text
    assert "选填：sponsor 牵头单位（发展改革委员会|水利局）；new_use 利用方向（文本）" in text
    assert "planned_investment 计划投入资金（大于 0 的数，万元）" in text
    assert f"$ minerehab do plan {CODE} --on " in text and "--set planned_investment=…" in text
    assert english_words(text) == [], text
    english = json.loads(run(runner, "en", ["next", CODE, "--json"]).output)
    plan = next(r for r in english["allowed"] if r["trigger"] == "plan")
    assert plan["to"] == "planned" and {"sponsor", "new_use"} <= {f["name"] for f in plan["fields"] if not f["required"]}


def test_show_history_and_list_in_chinese(runner):
    assert run(runner, "zh", ["do", "log_patrol", CODE, "--on", "2024-03-05", "--actor", "李", "--role", "乡镇",
                              "--set", "findings=无", "--set", "hazard=是"]).exit_code == 0
    for args in (["show", CODE], ["history", CODE], ["list"], ["log"], ["rules"]):
        text = run(runner, "zh", args).output
        assert english_words(text) == [], (args, text)
    shown = run(runner, "zh", ["show", CODE]).output
    assert "状态                      已登记" in shown and "图斑面积=6.1234 公顷" in shown
    assert "有隐患=是" in run(runner, "zh", ["history", CODE]).output


def test_show_of_a_parcel_with_a_boundary_reads_in_either_language(runner):
    """A boundary by its size and place, not its coordinates; Chinese words only in Chinese, and no JSON in English."""
    square = "POLYGON((83.6 45.9, 83.6014 45.9, 83.6014 45.901, 83.6 45.901, 83.6 45.9))"
    assert run(runner, "en", ["do", "register", "TL24-09", "--on", "2024-03-01", "--actor", "张玉峰", "--role", "nrb",
                              "--set", "name=西沟", "--set", "township=庙尔沟镇", "--set", "area_ha=1.2076",
                              "--set", f"boundary={square}"]).exit_code == 0
    chinese = run(runner, "zh", ["show", "TL24-09"]).output
    assert english_words(chinese.replace("EPSG:4490", "")) == [], chinese
    assert "图斑边界=椭球面积 1.2076 公顷，中心 83.6007, 45.9005，高斯-克吕格 3° 第 28 带" in chinese
    english = run(runner, "en", ["show", "TL24-09"]).output
    assert "{" not in english and "83.6014" not in english, english
    assert "area_ha=1.2076 ha" in english and "boundary=1.2076 ha (ellipsoidal), centre 83.6007, 45.9005" in english


def test_history_since_and_log_between_audits(runner):
    run(runner, "en", ["do", "log_patrol", CODE, "--on", "2024-03-05", "--actor", "李", "--role", "township",
                       "--set", "findings=ok"])
    since = json.loads(run(runner, "en", ["history", CODE, "--since", "2024-03-02", "--json"]).output)
    assert [r["event"] for r in since] == ["log_patrol"]
    everything = json.loads(run(runner, "en", ["log", "--json"]).output)
    assert [(r["kind"], r["key"], r["version"]) for r in everything[-2:]] == [("parcel", CODE, 1), ("parcel", CODE, 2)]
    middle = everything[-2]["recorded_at"]
    after = json.loads(run(runner, "en", ["log", "--recorded-after", middle, "--json"]).output)
    assert [(r["key"], r["event"]) for r in after] == [(CODE, "log_patrol")]
    assert json.loads(run(runner, "en", ["log", "--since", "2024-03-05", "--json"]).output) == after
    assert run(runner, "en", ["log", "--since", "2024-03-06"]).output == "0 events\n"
    bad = run(runner, "zh", ["log", "--since", "2024-13-01"])
    assert bad.exit_code == 2 and bad.output.count("\n") == 1


def test_completion_reads_codes_from_the_store(runner, monkeypatch):
    def complete(words):
        monkeypatch.setenv("_MINEREHAB_COMPLETE", "bash_complete")
        monkeypatch.setenv("COMP_WORDS", words)
        monkeypatch.setenv("COMP_CWORD", str(len(words.split()) - 1))
        return runner.invoke(cli, [], prog_name="minerehab").output.split()

    assert complete("minerehab next tl2") == [f"plain,{CODE}"]
    assert "plain,approve_design" in complete("minerehab do appr")
    assert complete("minerehab do 列入") == ["plain,列入计划"]
    assert complete("minerehab list --state identi") == ["plain,identified"]
    assert complete("minerehab do plan TL --role fin") == ["plain,finance"]


def test_version():
    result = CliRunner().invoke(cli, ["--version"], prog_name="minerehab")
    assert result.exit_code == 0 and result.output.startswith("minerehab 0.")
