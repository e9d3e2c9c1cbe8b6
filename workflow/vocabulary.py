"""The product's vocabulary: every id (roles, states, triggers, facts) with its Chinese and English name.

Ids are a public interface (scripts and auditors depend on them); labels live here
and nowhere else, so that output in either language reads from one table.
"""

ROLES = {
    "county_gov": ("县人民政府", "County People's Government"),
    "nrb": ("自然资源局", "Natural Resources Bureau"),
    "eeb": ("生态环境局", "Ecology and Environment Bureau"),
    "drc": ("发展改革委员会", "Development and Reform Commission"),
    "wrb": ("水利局", "Water Resources Bureau"),
    "finance": ("财政局", "Finance Bureau"),
    "prefecture_nrb": ("地区自然资源局", "Prefecture Natural Resources Bureau"),
    "survey_unit": ("勘察单位", "Survey unit"),
    "design_unit": ("设计单位", "Design unit"),
    "expert": ("专家", "Expert"),
    "contractor": ("施工单位", "Contractor"),
    "supervisor": ("监理单位", "Supervisor"),
    "township": ("乡镇", "Township"),
    "steward": ("管护责任主体", "Steward"),
}

STATES = {
    "new": ("未登记", "not registered"),
    "identified": ("已登记", "identified"),
    "planned": ("已列入计划", "planned"),
    "surveying": ("勘察中", "surveying"),
    "surveyed": ("已勘察", "surveyed"),
    "design_review": ("方案评审中", "design under review"),
    "design_approved": ("方案已批复", "design approved"),
    "contracted": ("已招标签约", "contracted"),
    "under_construction": ("施工中", "under construction"),
    "suspended": ("已停工", "suspended"),
    "works_completed": ("已完工", "works completed"),
    "rectifying": ("整改中", "rectifying"),
    "recovering": ("自然恢复中", "recovering naturally"),
    "accepted": ("已验收", "accepted"),
    "filed": ("已备案", "filed"),
    "written_off": ("已核销", "written off"),
    "closed": ("管护期满", "closed"),
    # write-off batch
    "open": ("编组中", "open"),
    "submitted": ("已报送", "submitted"),
    # programme and task force
    "drafted": ("已编制", "drafted"),
    "approved": ("已批准", "approved"),
    "active": ("在任", "active"),
    "revoked": ("已撤销", "revoked"),
}

TRIGGERS = {
    "register": ("登记图斑", "register parcel"),
    "plan": ("列入计划", "plan"),
    "commission_survey": ("委托勘察", "commission survey"),
    "deliver_survey": ("提交勘察报告", "deliver survey"),
    "submit_design": ("报送修复方案", "submit design"),
    "approve_design": ("批复方案", "approve design"),
    "reject_design": ("退回方案", "reject design"),
    "award_contract": ("确定中标签约", "award contract"),
    "start_construction": ("开工", "start construction"),
    "suspend": ("停工", "suspend works"),
    "resume": ("复工", "resume works"),
    "complete_works": ("完工", "complete works"),
    "accept": ("初步验收合格", "accept"),
    "fail_acceptance": ("验收不合格", "fail acceptance"),
    "complete_rectification": ("整改完成", "complete rectification"),
    "start_natural_recovery": ("启动自然恢复", "start natural recovery"),
    "file_batch": ("批次备案", "file batch"),
    "confirm_write_off": ("确认核销", "confirm write-off"),
    "close_stewardship": ("管护期满结束", "close stewardship"),
    # write-off batch
    "create_batch": ("创建核销批次", "create batch"),
    "add_to_batch": ("加入批次", "add to batch"),
    "remove_from_batch": ("移出批次", "remove from batch"),
    "submit_batch": ("报送批次", "submit batch"),
    "return_batch": ("退回批次", "return batch"),
    # programme and task force
    "create_programme": ("编制修复方案", "create programme"),
    "approve_programme": ("审批修复方案", "approve programme"),
    "include_in_budget": ("纳入年度预算", "include in budget"),
    "appoint_member": ("任命专班成员", "appoint member"),
    "remove_member": ("调整专班成员", "remove member"),
    "add_person": ("登记人员", "register person"),
    "revoke_person": ("撤销人员", "revoke person"),
}

FACTS = {
    "grant_role": ("授予角色", "grant role"),
    "add_key": ("添加密钥", "add key"),
    "log_patrol": ("巡查记录", "hazard patrol"),
    "log_supervision": ("现场监督记录", "site supervision"),
    "allocate_funds": ("下达资金", "allocate funds"),
    "certify_progress": ("监理确认进度", "certify progress"),
    "make_payment": ("支付款项", "make payment"),
    "move_material": ("土石方外运/调配", "move earth/stone"),
    "appraise_surplus": ("富余土石料评估", "appraise surplus"),
    "publish_disclosure": ("信息公示", "publish disclosure"),
    "sell_surplus": ("出售富余土石料", "sell surplus"),
    "deposit_revenue": ("收入缴库", "deposit revenue"),
    "approve_design_change": ("批准设计变更", "approve design change"),
    "survey_elevation": ("高程测量", "elevation survey"),
    "designate_steward": ("明确管护责任主体", "designate steward"),
    "hand_over": ("移交接收", "hand over"),
    "log_stewardship_inspection": ("管护巡查", "stewardship inspection"),
    "report_damage": ("报告损毁", "report damage"),
    "resolve_damage": ("损毁已修复", "resolve damage"),
    "attach_document": ("附加文件", "attach document"),
    "correct": ("更正", "correct"),
}


def label(table: dict, key: str, lang: str = "en") -> str:
    """The name of `key` in `lang` ("zh" or "en"); the id itself when unknown."""
    names = table.get(key)
    if names is None:
        return key
    return names[0] if lang == "zh" else names[1]

ATTRIBUTES = {
    "code": ("图斑编号", "parcel code"),
    "name": ("图斑名称", "name"),
    "county_code": ("县级行政区代码", "county code"),
    "township": ("乡镇", "township"),
    "lon": ("经度", "longitude"),
    "lat": ("纬度", "latitude"),
    "area_ha": ("图斑面积", "area (ha)"),
    "verified_area_ha": ("核实面积", "verified area (ha)"),
    "verification_id": ("核查编号", "verification id"),
    "category": ("图斑大类", "category"),
    "subclass": ("图斑小类", "subclass"),
    "feature": ("损毁类型", "feature"),
    "mineral": ("矿种", "mineral"),
    "mining_method": ("开采方式", "mining method"),
    "closure_year": ("闭坑年份", "closure year"),
    "land_class": ("三调地类", "land class"),
    "pit_depth_m": ("采坑深度", "pit depth (m)"),
    "near_road": ("临近道路", "near a road"),
    "near_settlement": ("临近居民点", "near a settlement"),
    "contiguous_group": ("集中连片", "contiguous group"),
    "planned_mode": ("拟修复模式", "planned mode"),
    "direction": ("修复方向", "restoration direction"),
    "geometry": ("空间范围", "geometry"),
    "on": ("登记日期", "registered on"),
    # target decomposition table (目标分解计划表)
    "year": ("年度", "year"),
    "planned_investment": ("计划投入资金", "planned investment (万元)"),
    "mode": ("修复模式", "mode"),
    "sponsor": ("牵头单位", "sponsor"),
    "new_use": ("利用方向", "new use"),
}

HEADER_ALIASES = {"面积": "area_ha", "编号": "code", "名称": "name", "乡（镇）": "township", "乡镇名称": "township",
                  "计划投资": "planned_investment", "投资": "planned_investment", "计划资金": "planned_investment"}
"""Other spellings of column headers seen in county tables."""

VALUE_LABELS = {
    # planned modes
    "自然恢复": "natural_recovery", "辅助再生": "assisted_regeneration", "人工辅助修复": "assisted_regeneration",
    "生态重建": "ecological_reconstruction", "工程修复": "ecological_reconstruction", "转型利用": "conversion",
    # features
    "采坑": "pit", "中转场地": "transfer_yard", "废石堆": "waste_dump", "工业广场": "buildings",
    "塌陷坑": "collapse_pit", "井口": "shaft_entrance", "其他": "other",
    # mining methods
    "露天开采": "open_pit", "地下开采": "underground", "联合开采": "combined",
}
"""Chinese values accepted on import for the enumerated attributes."""


def header_key(header: str) -> str | None:
    """The attribute id of a column header written in English or Chinese."""
    header = header.strip()
    if header in ATTRIBUTES:
        return header
    for key, (zh, en) in ATTRIBUTES.items():
        if header in (zh, en):
            return key
    return HEADER_ALIASES.get(header)

GROUPS = {
    "unplanned": ("未列入计划", "not planned"),
    "planned": ("已列入计划", "planned"),
    "survey_design": ("勘察设计", "survey and design"),
    "construction": ("施工/恢复中", "under construction"),
    "completed": ("已完工待验收", "completed"),
    "accepted": ("已验收", "accepted"),
    "filed": ("已备案", "filed"),
    "written_off": ("已核销", "written off"),
    "closed": ("管护期满", "stewardship closed"),
    "in_stewardship": ("管护中", "in stewardship"),
}

COLUMNS = {
    "parcel": ("图斑", "parcel"), "name": ("名称", "name"), "township": ("乡镇", "township"),
    "state": ("状态", "state"), "year": ("年度", "year"), "area_ha": ("面积(公顷)", "area (ha)"), "v": ("版本", "v"),
    "trigger": ("操作", "trigger"), "kind": ("类别", "kind"), "roles": ("角色", "roles"),
    "required": ("必填字段", "required fields"), "rule": ("规则", "rule"), "severity": ("严重程度", "severity"),
    "subject": ("对象", "subject"), "on": ("业务日期", "on"), "message": ("说明", "message"),
    "evidence": ("证据", "evidence"), "batch": ("批次", "batch"), "members": ("图斑数", "members"),
    "person": ("姓名", "person"), "unit": ("单位", "unit"), "position": ("职务", "position"),
    "since": ("起", "since"), "until": ("止", "until"), "parcels": ("图斑数", "parcels"),
    "planned ha": ("计划面积", "planned ha"), "% target": ("占目标%", "% target"), "cum. %": ("累计%", "cum. %"),
    "accepted ha": ("验收面积", "accepted ha"), "planned": ("计划投资", "planned"), "budgeted": ("纳入预算", "budgeted"),
    "allocated": ("已下达", "allocated"), "contracted": ("合同额", "contracted"), "paid": ("已支付", "paid"),
    "deposited": ("收入缴库", "deposited"), "planned/ha": ("每公顷计划投资", "planned/ha"),
    "as of": ("截至", "as of"), "target": ("地区下达目标", "prefecture target"),
    "by state": ("各状态图斑数 / 面积(公顷)", "parcels / ha by state"), "funds": ("资金（万元）", "funds (万元)"),
    "findings": ("条问题", "findings"), "events read": ("条事件", "events"), "migrated": ("条补录迁移", "migrated"),
    "recorded": ("录入", "recorded"), "history": ("图斑履历", "parcel histories"), "signed": ("签名", "signed"),
    "audit findings": ("审计发现问题", "audit findings"),
    "fact": ("事实记录", "fact"), "transition": ("状态变更", "transition"), "register": ("登记", "register"),
}
SEVERITY = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}


def default_lang(environ) -> str:
    """zh when the locale (MINEREHAB_LANG, LC_ALL, LC_MESSAGES, LANG) is Chinese, else en."""
    for key in ("MINEREHAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(key)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def resolve(table: dict, value: str, what: str, what_zh: str) -> str:
    """The id a user meant: the id itself, or its Chinese or English name (any case); an unknown value is an
    error that suggests the nearest and lists what is allowed, never an empty answer."""
    from difflib import get_close_matches

    from events.errors import BadInput

    wanted = value.strip()
    for key, names in table.items():
        if wanted == key or wanted in names or wanted.lower() in (key.lower(), *(n.lower() for n in names)):
            return key
    candidates = [*table, *(n for names in table.values() for n in names)]
    near = get_close_matches(wanted, candidates, n=1, cutoff=0.6)
    near_id = next((k for k, names in table.items() if near and (near[0] == k or near[0] in names)), None)
    hint_en = f" (did you mean {near_id}?)" if near_id else ""
    hint_zh = f"（是否想输入 {near_id}（{table[near_id][0]}）？）" if near_id else ""
    raise BadInput(f"unknown {what} {value!r}{hint_en}; allowed: {', '.join(table)}",
                   f"没有这个{what_zh}：{value!r}{hint_zh}；可选：{'、'.join(names[0] for names in table.values())}")
