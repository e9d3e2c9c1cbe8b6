"""The product's vocabulary: every id (roles, states, triggers, facts) with its Chinese and English name.

Ids are a public interface (scripts and auditors depend on them); labels live here
and nowhere else, so that output in either language reads from one table.
"""

import sys

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
    # witnessing
    "witnessed": ("已见证", "witnessed"),
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
    "record_cosignature": ("记录见证联署", "record cosignature"),
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
    "boundary": ("图斑边界", "boundary"),
    "design_boundary": ("设计范围", "design boundary"),
    "as_built_boundary": ("竣工范围", "as-built boundary"),
    "measured_boundary": ("实测范围", "measured boundary"),
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


VALUES = {
    # planned modes
    "natural_recovery": ("自然恢复", "natural recovery"), "assisted_regeneration": ("辅助再生", "assisted regeneration"),
    "ecological_reconstruction": ("生态重建", "ecological reconstruction"), "conversion": ("转型利用", "conversion"),
    # features
    "pit": ("采坑", "pit"), "transfer_yard": ("中转场地", "transfer yard"), "waste_dump": ("废石堆", "waste dump"),
    "buildings": ("工业广场", "buildings"), "collapse_pit": ("塌陷坑", "collapse pit"),
    "shaft_entrance": ("井口", "shaft entrance"), "other": ("其他", "other"),
    # mining methods
    "open_pit": ("露天开采", "open pit"), "underground": ("地下开采", "underground"), "combined": ("联合开采", "combined"),
    # fund sources, tender methods, accounts, destinations
    "county_fiscal": ("县级财政", "county fiscal"), "prefecture": ("地区资金", "prefecture"),
    "central": ("中央资金", "central"), "social_capital": ("社会资本", "social capital"),
    "project_reuse": ("项目统筹", "project reuse"),
    "public_tender": ("公开招标", "public tender"), "invited_tender": ("邀请招标", "invited tender"),
    "direct": ("直接委托", "direct award"),
    "special": ("专户", "special account"), "treasury": ("国库", "treasury"),
    "on_site": ("场内调配", "on site"), "off_site": ("外运", "off site"),
    # payment stages; steward kinds
    "advance": ("预付款", "advance"), "progress": ("进度款", "progress"), "final": ("尾款", "final"),
    "township": ("乡镇", "township"), "village": ("村", "village"), "enterprise": ("企业", "enterprise"),
}
"""Enumerated field values (modes, features, sources…): Chinese and English names, accepted as the id."""


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
    "chains checked": ("哈希链已核验", "hash chains checked"),
    "recorded": ("录入", "recorded"), "history": ("图斑履历", "parcel histories"), "signed": ("签名", "signed"),
    "audit findings": ("审计发现问题", "audit findings"),
    "fact": ("事实记录", "fact"), "transition": ("状态变更", "transition"), "register": ("登记", "register"),
}
KINDS = {"parcel": ("图斑", "parcel"), "batch": ("批次", "batch"), "programme": ("修复方案", "programme"),
         "taskforce": ("工作专班", "task force"), "person": ("人员", "person"), "witnessing": ("见证", "witnessing")}
SEVERITY = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}


def default_lang(environ) -> str:
    """zh when the locale (MINEREHAB_LANG, LC_ALL, LC_MESSAGES, LANG) is Chinese, else en."""
    for key in ("MINEREHAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(key)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def lookup(table: dict, value, among=None) -> str | None:
    """The id a user meant: the id itself, or its Chinese or English name (any case); None if none is.
    `among` limits the ids (the choices of one field)."""
    if not isinstance(value, str):
        return None
    wanted = value.strip()
    low = wanted.lower()
    keys = table if among is None else [k for k in among]
    if wanted in keys:
        return wanted
    for key in keys:
        names = table.get(key, ())
        if wanted in names or low == key.lower() or low in (n.lower() for n in names):
            return key
    return None


def near(table: dict, value, among=None) -> str | None:
    """The id nearest to a mistyped value (difflib over ids and names), or None."""
    from difflib import get_close_matches

    keys = list(table if among is None else among)
    candidates = [*keys, *(n for k in keys for n in table.get(k, ()))]
    found = get_close_matches(str(value).strip(), candidates, n=1, cutoff=0.6)
    return next((k for k in keys if found and (found[0] == k or found[0] in table.get(k, ()))), None)


def choice_hint(parse, value) -> tuple[str, str]:
    """' (did you mean …?)' in each language for a value a choice field refused (its nearest choice, by id or
    either language's name; the Chinese hint in the name the user may type), or two empty strings."""
    choices = getattr(parse, "choices", None)
    if not choices:
        return "", ""
    table = VALUES if set(choices) <= set(VALUES) else ROLES
    guess = near(table, value, choices)
    return (f" (did you mean {guess}?)", f"（是否想输入 {label(table, guess, 'zh')}？）") if guess else ("", "")


def unknown(table: dict, value, what: str, what_zh: str, among=None) -> tuple[str, str]:
    """The English and Chinese line for a value that names nothing: did you mean, and what is allowed."""
    keys = list(table if among is None else among)
    guess = near(table, value, keys)
    hint_en = f" (did you mean {guess}?)" if guess else ""
    hint_zh = f"（是否想输入 {guess}（{label(table, guess, 'zh')}）？）" if guess else ""
    return (f"unknown {what} {value!r}{hint_en}; allowed: {', '.join(keys)}",
            f"没有这个{what_zh}：{value!r}{hint_zh}；可选：{'、'.join(label(table, k, 'zh') for k in keys)}")


def resolve(table: dict, value: str, what: str, what_zh: str) -> str:
    """The id a user meant: the id itself, or its Chinese or English name (any case); an unknown value is an
    error that suggests the nearest and lists what is allowed, never an empty answer."""
    from events.errors import BadInput

    found = lookup(table, value)
    if found is None:
        raise BadInput(*unknown(table, value, what, what_zh))
    return found


# --- reports: the names of fields and enumerated values, and the words of the dashboard and case file ---

FIELDS = {
    "account": ("账户", "account"), "action": ("措施", "action"), "agreement_ref": ("管护协议编号", "agreement ref"),
    "amount": ("金额(万元)", "amount (万元)"), "appraisal_ref": ("评估报告编号", "appraisal ref"),
    "approved_budget": ("批复预算(万元)", "approved budget (万元)"), "as_built_area_ha": ("竣工面积(公顷)", "as-built area (ha)"),
    "assessment_ref": ("评估编号", "assessment ref"), "authors": ("编制人", "authors"), "batch": ("批次", "batch"),
    "bidders": ("投标单位", "bidders"), "boundary_area_ha": ("红线面积(公顷)", "boundary area (ha)"),
    "budget": ("预算(万元)", "budget (万元)"), "buyer": ("买受人", "buyer"), "change_ref": ("变更批文编号", "change ref"),
    "closure_ref": ("管护期满文号", "closure ref"), "completion_report_ref": ("完工报告编号", "completion report ref"),
    "condition": ("状况", "condition"), "confirmation_ref": ("核销确认文号", "confirmation ref"),
    "contract_amount": ("合同金额(万元)", "contract amount (万元)"), "contract_ref": ("合同编号", "contract ref"),
    "contractor": ("施工单位", "contractor"), "damage": ("损毁编号", "damage"), "deadline": ("期限", "deadline"),
    "description": ("说明", "description"), "design_date": ("设计日期", "design date"), "design_ref": ("设计编号", "design ref"),
    "design_unit": ("设计单位", "design unit"), "destination": ("去向", "destination"),
    "earth_balance": ("土石方平衡(立方米)", "earth balance (m³)"), "earthwork_m3": ("土方量(立方米)", "earthwork (m³)"),
    "evaluation_ref": ("评价编号", "evaluation ref"), "experts": ("专家", "experts"), "filing_ref": ("备案文号", "filing ref"),
    "findings": ("巡查结果", "findings"), "generated": ("产生", "generated"), "group": ("验收组", "acceptance group"),
    "handover_ref": ("移交文号", "handover ref"), "hazard": ("存在隐患", "hazard"), "hazards": ("隐患", "hazards"),
    "issues": ("问题", "issues"), "kind": ("类别", "kind"), "line": ("行", "line"), "material": ("材料", "material"),
    "measured_area_ha": ("实测面积(公顷)", "measured area (ha)"), "method": ("方式", "method"), "note": ("备注", "note"),
    "notice_start": ("公示开始", "notice start"), "parcel": ("图斑", "parcel"), "payee": ("收款单位", "payee"),
    "percent": ("进度%", "percent"), "period": ("期间", "period"), "period_years": ("管护年限", "period (years)"),
    "person": ("姓名", "person"), "photos": ("照片", "photos"), "planting_ha": ("植被面积(公顷)", "planting (ha)"),
    "platform_ref": ("平台公示编号", "platform ref"), "position": ("职务", "position"),
    "post_min_m": ("修复后最低高程(米)", "lowest after (m)"), "pre_min_m": ("修复前最低高程(米)", "lowest before (m)"),
    "programme": ("规划", "programme"), "public_key": ("公钥", "public key"), "reasons": ("原因", "reasons"),
    "ref": ("文号", "ref"), "rejected": ("退回", "rejected"), "report_ref": ("报告编号", "report ref"),
    "review_ref": ("评审编号", "review ref"), "reused": ("回用", "reused"), "review": ("评审", "review"),
    "roles": ("角色", "roles"), "seller": ("出售单位", "seller"), "sign_in_sheet": ("签到表", "sign-in sheet"),
    "since": ("起", "since"), "source": ("资金来源", "source"), "stage": ("支付阶段", "stage"),
    "start_report_ref": ("开工报告编号", "start report ref"), "steward": ("管护责任主体", "steward"),
    "subject": ("对象", "subject"), "supervisor": ("监理单位", "supervisor"), "surplus": ("富余", "surplus"),
    "survey_unit": ("勘察单位", "survey unit"), "survival_rate": ("成活率", "survival rate"),
    "target_ha": ("目标面积(公顷)", "target (ha)"), "unit": ("单位", "unit"), "unit_price": ("单价(万元)", "unit price (万元)"),
    "volume_m3": ("方量(立方米)", "volume (m³)"), "years": ("年度", "years"), "designated_on": ("明确日期", "designated on"),
    "handed_over_on": ("移交日期", "handed over on"), "quantities": ("工程量", "quantities"),
    "parcels": ("图斑数", "parcels"), "planned_area_ha": ("计划面积(公顷)", "planned area (ha)"),
    "size": ("树大小(条)", "tree size"), "root": ("根", "root"), "witness": ("见证方", "witness"),
    "key_id": ("密钥标识", "key id"), "cosigned_at": ("联署时间", "cosigned at"), "cosignature": ("联署签名", "cosignature"),
    "witness_key": ("见证方公钥", "witness key"),
}
"""Event data fields by name; attributes are named in ATTRIBUTES."""

REPORT = {
    "dashboard": ("进展总览", "Progress dashboard"), "case file": ("图斑案卷", "Parcel case file"),
    "accepted pct": ("验收面积占目标", "accepted, % of target"), "high findings": ("高风险问题", "high findings"),
    "allocated/paid": ("资金下达 / 支付", "funds allocated / paid"), "payment rate": ("支付率", "payment rate"),
    "needs attention": ("需要立即处理", "Needs attention now"), "overdue works": ("逾期未完工", "works overdue"),
    "unpaid": ("验收后未付清", "unpaid after acceptance"), "no steward": ("未明确管护主体", "no steward designated"),
    "batches waiting": ("待处理核销批次", "batches waiting"), "flow": ("各状态图斑", "Parcels by state"),
    "by year": ("分年度", "By year"), "by township": ("分乡镇", "By township"), "generated": ("生成时间", "generated"),
    "source": ("数据来源", "data source"), "root": ("日志根哈希", "log root hash"), "events": ("事件数", "events"),
    "cum. planned %": ("累计计划占目标%", "cum. planned %"), "cum. accepted %": ("累计验收占目标%", "cum. accepted %"),
    "cumulative": ("累计", "cumulative"), "more": ("另有", "and more"), "none": ("无", "none"),
    "attributes": ("基本信息", "Attributes"), "timeline": ("办理经过", "Timeline"), "money": ("资金", "Money"),
    "certified": ("监理确认进度", "certified progress"), "contract": ("合同金额", "contract"),
    "documents": ("文件", "documents"), "reason": ("理由", "reason"), "who": ("经办人", "who"),
    "position": ("哈希链位置", "chain position"), "log position": ("日志序号", "log position"),
    "chain hash": ("链哈希", "chain hash"), "cited": ("所引事件", "cited events"), "map": ("位置图", "Map"),
    "pages": ("页", "page"), "parcel list": ("图斑清单", "Parcels"), "summary only": ("图斑较多，仅列汇总",
                                                                                "many parcels: summary only"),
    "yes": ("是", "yes"), "no": ("否", "no"), "data": ("内容", "data"), "version": ("版本", "version"),
    "font note": ("若汉字显示为方框，请安装中文字体（Debian/Ubuntu：fonts-noto-cjk）",
                  "If Chinese shows as boxes, install a CJK font (Debian/Ubuntu: fonts-noto-cjk)"),
    "progress": ("进展", "Progress"), "ledger": ("台账", "Parcels"), "problems": ("问题", "Findings"),
    "unit ha": ("面积单位：公顷；资金单位：万元", "areas in ha; money in 万元"),
    "programme": ("规划", "programme"), "findings count": ("问题数", "findings"), "severity order": ("按严重程度", ""),
    "route": ("已走过的路径", "path taken"), "current": ("当前状态", "current state"),
    "other moves": ("其他可能的操作", "other possible moves"), "legend": ("图例", "legend"),
    "steps": ("环节", "steps"), "facts": ("记录", "facts"), "progress pct": ("进度", "progress"),
    "outstanding": ("未付(万元)", "outstanding (万元)"), "lifecycle": ("生命周期", "lifecycle"),
}
COLUMNS["event at version"] = ("版本对应的事件", "the event at version")
COLUMNS.update({"tree size": ("树大小", "tree size"), "witness": ("见证方", "witness"),
                "cosigned at": ("联署时间", "cosigned at"), "root": ("根", "root"),
                "recorded by": ("记录人", "recorded by")})
COLUMNS["cum. planned %"] = ("累计计划%", "cum. planned %")
COLUMNS["cum. accepted %"] = ("累计验收%", "cum. accepted %")
"""Words of the dashboard, the case file and the exports' title rows."""


FIELD_KINDS = {
    "text": ("文本", "text"), "texts": ("文本列表（逗号分隔）", "texts, comma-separated"),
    "as_decimal": ("数", "a number"), "positive": ("大于 0 的数", "a number > 0"),
    "non_negative": ("不小于 0 的数", "a number ≥ 0"), "percent": ("0–100 的百分数", "a percentage 0–100"),
    "iso_date": ("日期，如 2023-02-20", "a date such as 2023-02-20"), "year": ("年份，如 2023", "a year such as 2023"),
    "count": ("正整数", "a whole number > 0"), "flag": ("是/否", "yes/no"),
    "quantities": ("工程量，如 earthwork_m3:1200", "quantities such as earthwork_m3:1200"),
    "earth_balance": ("土方平衡 {generated, reused, surplus}", "earth balance {generated, reused, surplus}"),
    "group": ("验收组 [{name, unit}]", "acceptance group [{name, unit}]"), "geometry": ("GeoJSON 几何", "GeoJSON geometry"),
    "role_id": ("角色", "a role"), "role_ids": ("角色列表（逗号分隔）", "roles, comma-separated"),
    "public_key": ("公钥", "a public key"), "year_plan": ("分年度计划", "a plan by year"),
}
"""How a field is written, in words, by the name of its parser (`next` and refusals say it)."""


def field_kind(parse, lang: str = "en") -> str:
    """A field's kind in words: choices by their names in `lang` (ids in English), bounds as a range."""
    choices = getattr(parse, "choices", None)
    if choices:
        return "|".join(label(VALUES if c in VALUES else ROLES, c, "zh") for c in choices) if lang == "zh" \
            else "|".join(choices)
    name = parse.__name__
    if name.startswith("decimal "):
        low, _, high = name.split(" ")[1].partition("..")
        return f"{low} 到 {high} 的数" if lang == "zh" else f"a number from {low} to {high}"
    return label(FIELD_KINDS, name, lang) if name in FIELD_KINDS else name


def register_labels() -> None:
    """Give the refusals (a layer below) the names of ids, for their Chinese templates."""
    from policies import refusals

    refusals.LABELS.update({"state": STATES, "role": ROLES, "trigger": {**TRIGGERS, **FACTS}, "kind": KINDS,
                            "value": VALUES, "column": COLUMNS})


if "policies.refusals" in sys.modules:  # else the command line registers them before it writes a refusal:
    register_labels()                   # `history` and `--help` start without the policies
