"""Short phrases the commands print, in the user's language: success lines, counts, progress labels.

Plurals are right in English (1 parcel, 2 parcels); Chinese counts with a measure word.
"""

from __future__ import annotations

from console.common import lang

PROGRESS = {"applying": "执行中", "auditing": "审计中", "verifying": "校验中", "checking signatures": "核对签名",
            "registering parcels": "登记图斑", "planning parcels": "列入计划", "copying": "复制中"}

NOUNS = {
    # English singular: (English plural, Chinese measure word and noun)
    "parcel": ("parcels", "个图斑"), "command": ("commands", "条命令"), "row": ("rows", "行"),
    "event": ("events", "个事件"), "finding": ("findings", "条问题"),
}


def pick(en: str, zh: str) -> str:
    return zh if lang() == "zh" else en


def count(n: int, noun: str) -> str:
    """`1 parcel`, `2 parcels`, `2 个图斑`."""
    plural, zh = NOUNS[noun]
    return f"{n} {zh}" if lang() == "zh" else f"{n} {noun if n == 1 else plural}"


def said(line) -> str:
    """A finding in the user's language: a verify.Problem, or a line or error with its Chinese beside it (`zh`)."""
    from events.errors import in_lang

    text = getattr(line, "text", None)
    return text(lang()) if callable(text) else in_lang(line, lang())


def progress(label: str) -> str:
    return PROGRESS.get(label, label) if lang() == "zh" else label


def trial() -> str:
    """What a line about a write to a trial store ends with."""
    return pick(" [unsigned trial store]", "［未签名的试用存储］")


FIELDS = {
    "parcel": "图斑", "batch": "批次", "programme": "修复方案", "taskforce": "工作专班", "person": "姓名",
    "state": "状态", "version": "版本", "registered_on": "登记日期", "opened_on": "建立日期",
    "last_transition_on": "最近状态变更", "attributes": "属性", "steps": "各环节", "facts": "事实记录",
    "money": "资金", "certified_progress": "监理确认进度(%)", "steward": "管护责任主体", "open_damages": "未修复损毁",
    "year": "年度", "members": "图斑", "area_ha": "面积", "planned_area_ha": "计划面积", "refs": "文号",
    "rejected": "退回的图斑", "returns": "退回", "budgets": "年度预算", "evaluation_ref": "评审文号", "terms": "任期",
    "unit": "单位", "roles": "角色", "keys": "密钥", "revoked_on": "撤销日期", "valid_from": "生效", "valid_until": "失效",
    "algorithm": "算法", "fingerprint": "指纹", "name": "名称", "period": "期限", "target_ha": "目标面积",
    "years": "分年度目标", "planned_investment": "计划投资", "county_code": "县级行政区代码",
    "witnessing": "见证", "cosignatures": "见证联署", "boundaries": "边界",
}
"""The names `show` prints in Chinese for what a record says (the JSON keeps the ids)."""
MONEY = {"amount", "planned_investment", "budget", "approved_budget", "contract_amount", "allocated", "paid",
         "deposited", "deposited_elsewhere", "investment"}
"""Fields in 万元."""
KEYS = {"on": "日期", "programme": "修复方案", "allocated": "已下达", "paid": "已支付", "deposited": "收入缴库",
        "deposited_elsewhere": "缴入其他账户", "amount": "金额", "source": "资金来源", "findings": "情况",
        "hazard": "有隐患", "percent": "进度(%)", "account": "账户", "payee": "收款人", "stage": "阶段",
        "parcels": "图斑数", "investment": "投资"}
"""Names of the keys inside a record's steps and facts where they are not attributes."""


def key_name(key: str) -> str:
    from workflow import vocabulary

    return KEYS.get(key) or vocabulary.label(vocabulary.ATTRIBUTES, key, "zh")


def unit(name: str) -> str:
    if name.endswith("_ha") or name == "area_ha":
        return " 公顷" if lang() == "zh" else " ha"
    return " 万元" if name in MONEY else ""


def shown(name: str, value) -> str:
    """One value of a record as `show` prints it, in the user's language: name=value pairs rather than JSON,
    yes/no, units, a boundary by its size; in Chinese, enumerated ids and keys by their Chinese names."""
    from console.common import cell_text, safe, say
    from workflow import vocabulary

    zh = lang() == "zh"
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if name == "boundaries" and isinstance(value, dict):
        return "  ".join(f"{safe(key_name(k) if zh else k)}={placed(v)}" for k, v in value.items() if v)
    if isinstance(value, dict):
        return "  ".join(f"{safe(key_name(k) if zh else k)}={nested(k, v) if isinstance(v, dict) else shown(k, v)}"
                         for k, v in value.items() if v not in (None, "", [], {}))
    if isinstance(value, list):
        return ("、" if zh else ", ").join(nested(name, v) if isinstance(v, dict) else shown(name, v) for v in value)
    if name == "state":  # in English the id, as scripts read it
        return say("STATES", value) if zh else cell_text(value)
    if isinstance(value, str):
        from reports.people import BOUNDARIES, boundary_text

        if name in BOUNDARIES:
            return boundary_text(value, "zh" if zh else "en")
    if zh and isinstance(value, str) and value in vocabulary.VALUES:
        return vocabulary.label(vocabulary.VALUES, value, "zh")
    if zh and name in ("unit", "roles") and isinstance(value, str) and value in vocabulary.ROLES:
        return say("ROLES", value)
    return cell_text(value) + unit(name)


def nested(name: str, value: dict) -> str:
    """A value inside a value, in brackets, its pairs joined by commas: quantities=(earthwork_m3=1200, …)."""
    inner = shown(name, value)
    return f"（{inner.replace('  ', '，')}）" if lang() == "zh" else f"({inner.replace('  ', ', ')})"


def placed(boundary: dict) -> str:
    """A described boundary (workflow.boundaries.described) where it lies, for the text view; its GeoJSON is in
    `show --json` and the case file's map."""
    from console.common import cell_text

    if boundary.get("unreadable") or "area_ha" not in boundary:
        return pick("unreadable", "无法读取")
    lon, lat = boundary["centre"]
    area = cell_text(boundary["area_ha"])
    return pick(f"{area} ha (ellipsoidal), centre {lon}, {lat}, Gauss-Krüger 3° zone {boundary['gk_zone']}, "
                f"given in {boundary['given_in']}",
                f"椭球面积 {area} 公顷，中心 {lon}, {lat}，高斯-克吕格 3° 第 {boundary['gk_zone']} 带，"
                f"原坐标系 {boundary['given_in']}")
