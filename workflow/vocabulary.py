"""The product's vocabulary: every id of DOMAIN.md with its Chinese and English name.

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
}

FACTS = {
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
    "recorded": ("录入", "recorded"), "history": ("图斑履历", "parcel histories"),
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

RULE_TITLES = {
    'R01': ('土石方外运不超过批复方案富余量，方案批复前不得外运',
            "Off-site earth/stone within the approved design's surplus; none before design approval"),
    'R02': ('修复后坑底高程不低于修复前最低点；竣工面积不超过设计范围5%',
            'Post-restoration bottom elevation ≥ pre-restoration minimum; as-built area ≤ design boundary + 5 %'),
    'R03': ('富余土石料由县政府经交易平台按不低于评估价出售，收入30日内缴入国库',
            'Surplus sold only by the county government on a trading platform at ≥ the appraised price; revenue in the treasury within 30 days'),
    'R04': ('修复资金仅用于历史遗留（10类、11/12小类）图斑；不得重复申报中央资金；不得改为建设用地',
            'Restoration funds only for category 10 / subclass 11–12 parcels; no parcel funded by two central lines; direction never construction land'),
    'R05': ('同一图斑不得同时在两个批次、重复核销，或以不同编号重复登记',
            'No parcel in two live batches, written off twice, or registered twice under another code with the same verification id'),
    'R06': ('验收实测面积 ≤ 竣工面积 ≤ 核实（登记）面积',
            'Accepted measured area ≤ as-built area ≤ verified (or registered) area'),
    'R07': ('方案批复和签订合同前不得施工、付款、调运土石方；批复日期不得早于所批文件',
            'By business date: no works, payments or material moves before design approval and contract; an approval is dated after the document it approves'),
    'R08': ('施工合同≥400万元、勘察设计合同≥100万元须公开招标；施工与监理不得为同一单位',
            'Works contracts ≥ 400 万元 (survey/design ≥ 100 万元) by public tender; contractor ≠ supervisor'),
    'R09': ('按合同额×监理确认进度支付，仅从专户支付；资金下达超12个月未支付',
            'Payments ≤ contract amount × certified progress, only from the special account; allocated funds unpaid > 12 months [low]'),
    'R10': ('验收组含自然资源局、至少2个其他专班成员单位和3名专家，不含施工、监理和设计人员，资料齐全',
            'Acceptance group has nrb, ≥ 2 other task-force units and ≥ 3 experts; no contractor, supervisor or design author; sign-in sheet, photos and measured area present'),
    'R11': ('竣工工程量不低于设计的95%；管护期植被成活率不低于85%',
            'As-built quantities ≥ 95 % of design per item; stewardship survival rate ≥ 85 %'),
    'R12': ('竣工面积或工程量偏离设计超过10%须在完工前批准设计变更',
            'As-built area or quantities off design by > 10 % need an approved design change dated before completion'),
    'R13': ('验收后30日内明确受益管护主体，30日内移交；管护巡查间隔≤180天；损毁90日内修复',
            'Steward designated ≤ 30 days after acceptance and is the beneficiary; hand-over ≤ 30 days after designation; inspections ≤ 180 days apart; damage resolved ≤ 90 days'),
    'R14': ('计划年度12月31日前完工；整改在期限内完成',
            'Works completed by 31 December of the planned year; rectification done by its deadline'),
    'R16': ('施工期间巡查间隔不超过7天',
            'During construction, hazard patrols ≤ 7 days apart'),
    'R17': ('富余土石料出售前应公示',
            'Surplus sold only after a public disclosure'),
    'R18': ('补录：记录晚于业务日期15天以上录入',
            'Record entered more than 15 days after its business date (补录)'),
    'R19': ('方案计划面积不低于地区下达目标；各年度年底验收面积不低于计划面积',
            "The programme's planned area ≥ the prefecture target; by year end, each year's accepted area ≥ its planned area [medium]"),
    'R20': ('重点区域图斑（临路、临居民点、深坑、大面积）不得晚于同乡镇一般图斑安排',
            'Key-area parcels (near road or settlement, pit ≥ 30 m deep, area ≥ 10 ha) not planned later than ordinary ones in the same township'),
    'R21': ('验收合格图斑60日内编入批次报送',
            'Accepted parcels filed in a submitted batch ≤ 60 days after acceptance'),
    'R22': ('验收组成员应为验收当日的专班成员',
            'Acceptance group members are task-force members on the acceptance date'),
    'R23': ('方案评审专家不得为方案编制人',
            "Design reviewers are not the design's authors"),
}

FINDINGS = {
    'R06.1': ('验收实测面积 {0} ha 大于竣工面积 {1} ha',
              'measured area at acceptance {0} ha exceeds the as-built area {1} ha'),
    'R06.2': ('竣工面积 {0} ha 大于核实面积 {1} ha',
              'as-built area {0} ha exceeds the verified area {1} ha'),
    'R10.1': ('验收不规范：{0}',
              'irregular acceptance: {1}'),
    'R22.1': ('验收组成员 {0} 在验收当日不是专班成员',
              'group members not on the task force on {1}: {2}'),
    'R11.1': ('工程量不足：{0}',
              'quantities short of design: {1}'),
    'R11.2': ('植被成活率 {0}% 低于 {1}%',
              'survival rate {0} % below {1} %'),
    'R12.1': ('{0}偏离设计超过{1}%，完工前未批准设计变更',
              '{2} off design by more than {1} % with no design change approved before completion'),
    'R01.1': ('方案批复前外运土石方 {0} m³',
              '{0} m³ moved off site before design approval'),
    'R01.2': ('累计外运 {0} m³，超过方案富余量 {1} m³',
              "{0} m³ moved off site in all, above the design's surplus of {1} m³"),
    'R02.1': ('修复后坑底高程 {0} m 低于修复前最低点 {1} m（超挖）',
              'bottom elevation after restoration {0} m is below the pre-restoration minimum {1} m'),
    'R02.2': ('竣工面积 {0} ha 超过设计范围 {1} ha 的允许上限 {2} ha',
              'as-built area {0} ha exceeds the design boundary {1} ha + tolerance ({2} ha)'),
    'R03.1': ('富余土石料由 {0} 出售，而非县人民政府',
              'surplus sold by {0}, not the county government'),
    'R03.2': ('出售富余土石料未经公共资源交易平台',
              'surplus sold without a trading-platform reference'),
    'R03.3': ('截至 {0} 出售收入 {1} 万元，仅缴入国库 {2} 万元',
              'by {0} revenue was {1} (10k yuan) but only {2} was deposited to the treasury'),
    'R03.4': ('出售收入 {0} 万元未缴入国库',
              'revenue of {0} (10k yuan) deposited outside the treasury'),
    'R03.5': ('{0} 成交单价 {1} 元/m³ 低于评估价 {2} 元/m³',
              '{0} sold at {1} yuan/m³, below the appraised {2} yuan/m³'),
    'R17.1': ('出售富余土石料前未公示',
              'surplus sold with no public disclosure on or before the sale'),
    'R04.1': ('图斑类别 {0}/{1} 不属历史遗留，不应使用修复资金',
              'category {0}/{1} is not a legacy parcel and may not receive restoration funds'),
    'R04.2': ('同一图斑获得多个中央资金渠道：{0}',
              'funded by {1} central lines: {2}'),
    'R04.3': ('修复方向 {0} 为建设用地',
              'restoration direction {0} is construction land'),
    'R09.1': ('支付 {0} 万元未从专户支出',
              'payment of {0} (10k yuan) not from the special account'),
    'R09.2': ('累计支付 {0} 万元超过合同额 {1} 万元 × 确认进度 {2}% = {3} 万元',
              '{0} paid in all, above contract {1} × certified {2} % = {3} (10k yuan)'),
    'R09.3': ('资金下达后超过 {0} 天仍未支付完毕',
              'funds allocated on {1} still unpaid after {0} days'),
    'R16.1': ('施工期间 {0} 次巡查间隔超过 {1} 天，最长 {2} 天',
              '{0} gaps over {1} days between patrols during construction, longest {2}'),
    'R08.1': ('施工合同 {0} 万元未公开招标（{1}）',
              'works contract of {0} (10k yuan) awarded by {1}, not public tender'),
    'R08.2': ('施工单位与监理单位同为 {0}',
              'contractor and supervisor are both {0}'),
    'R08.3': ('{0}合同 {1} 万元未公开招标（{2}）',
              '{3} contract of {1} (10k yuan) awarded by {2}, not public tender'),
    'R23.1': ('评审专家 {0} 是方案编制人',
              'reviewers who wrote the design: {1}'),
    'R19.1': ('计划修复面积 {0} ha 低于目标 {1} ha',
              'planned area {0} ha is below the target {1} ha'),
    'R19.2': ('{0} 年底验收面积 {1} ha，低于计划 {2} ha',
              'by the end of {0}, {1} ha accepted against {2} ha planned'),
    'R20.1': ('重点区域图斑安排在 {0} 年，晚于 {1} 一般图斑（{2} 年）',
              'key-area parcel planned for {0}, later than ordinary parcels of {1} ({2})'),
    'R07.1': ('{0}早于{1}',
              '{2} before {3}'),
    'R07.2': ('方案批复日期 {0} 早于方案编制日期 {1}',
              'design approved on {0}, before the design itself is dated ({1})'),
    'R14.1': ('计划 {0} 年完成，至年底未完工',
              'planned for {0} but not completed by {1}'),
    'R14.2': ('整改期限 {0} 已过仍未完成整改',
              'rectification not done by its deadline {0}'),
    'R18.1': ('业务日期 {0} 的记录晚 {1} 天录入',
              'recorded {1} days after its business date {0}'),
    'R13.1': ('转型利用图斑的管护主体 {0} 不是受益方（{1}）',
              'steward {0} of a converted parcel is not the beneficiary ({1})'),
    'R13.2': ('明确管护主体后 {0} 日内未移交',
              'not handed over within {0} days'),
    'R13.3': ('验收后 {0} 日内未明确管护责任主体',
              'no steward designated within {0} days of acceptance'),
    'R13.4': ('损毁 {0} 未在 {1} 日内修复',
              'damage {0} not resolved within {1} days'),
    'R13.5': ('管护巡查间隔 {0} 天',
              '{0} days between stewardship inspections'),
    'R05.1': ('核查编号 {0} 已以 {1} 登记',
              'verification id {0} already registered as {1}'),
    'R05.2': ('同时在 {0} 个在办批次中',
              'in {0} live batches at once'),
    'R05.3': ('重复核销 {0} 次',
              'written off {0} times'),
    'R21.1': ('验收后 {0} 日内未报送核销批次',
              'not in a submitted batch within {0} days of acceptance'),
}
"""Finding messages per rule: positional {0}, {1} … are filled by the check that found it."""
