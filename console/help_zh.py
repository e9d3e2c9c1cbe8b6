"""The Chinese help: every command's and option's help text, keyed by command path and option name.

The commands keep their English help in their decorators; `console.localise` lays these texts
over a copy of a command when the language is zh, so that a new option without a Chinese text
shows up in the zh-help test instead of silently staying English.
"""

from __future__ import annotations

COMMANDS: dict[str, tuple[str, str]] = {
    # command path: (one line for the listing, the whole help)
    "": ("", "minerehab：历史遗留矿山生态修复事件溯源台账。\n\n\b\n示例：\n  minerehab init --unsigned\n"
             "  minerehab do register TL-2023-01 --on 2023-03-01 --actor 张玉峰 --role 自然资源局 \\\n"
             "      --set name=老风口采坑 --set township=庙尔沟镇 --set area_ha=6.1"),
    "init": ("建立存储（唯一建立存储的命令）。",
             "建立存储（唯一建立存储的命令）：签名存储须指定首位管理员，或建立试用存储。\n\n\b\n示例：\n"
             "  minerehab keygen --out 张玉峰.key\n  minerehab init --admin 张玉峰 --unit nrb --pubkey 张玉峰.key.pub\n"
             "  minerehab --store trial.db init --unsigned"),
    "grants": ("输出为 PostgreSQL 写入和只读角色授予最小权限的 SQL。",
               "输出为 PostgreSQL 存储的模式授予写入角色和只读角色最小权限的 SQL。\n\n\b\n示例：\n"
               "  minerehab --store 'postgresql://owner@db/province?schema=tuoli' grants --writer mr_writer "
               "--reader mr_reader | psql"),
    "do": ("在图斑（或批次、修复方案、专班）上记录一次状态变更或事实。",
           "在图斑（或批次、修复方案、专班）上记录一次状态变更或事实。操作、角色和字段值可用编号或中文名。\n\n\b\n示例：\n"
           "  minerehab do 列入计划 TL-2023-01 --on 2023-04-01 --actor 张玉峰 --role 自然资源局 \\\n"
           "      --set programme=TL-2023-2025 --set year=2023 --set mode=生态重建 \\\n"
           "      --set planned_investment=120.5"),
    "apply": ("执行 JSONL 文件中的命令，全部成功或全部不记录（或逐行）。",
              "逐行执行 JSONL 文件（`-` 表示标准输入）中的命令，每行一条。\n\n\b\n示例：\n"
              "  minerehab apply examples/demo-parcel.jsonl\n  cat day.jsonl | minerehab apply --each -"),
    "next": ("图斑现在可以记录什么：操作、角色、字段。",
             "图斑现在可以记录什么：每个可执行的操作和事实、可执行的角色、必填和选填字段及可直接修改的命令行。\n\n\b\n示例：\n"
             "  minerehab next TL-2023-01"),
    "import": ("导入县里的表格（.csv 或 .xlsx）。",
               "导入县里的表格（.csv 或 .xlsx，表头可为中文或英文）。\n\n\b\n示例：\n"
               "  minerehab import parcels examples/tuoli-2023-2025/parcels.csv --on 2023-02-20"),
    "import parcels": ("登记图斑清单中的每个图斑。",
                       "登记图斑清单中的每个图斑；有一行出错则不写入任何内容。\n\n\b\n示例：\n"
                       "  minerehab import parcels 图斑清单.xlsx --on 2023-02-20 --key 张玉峰.key"),
    "import plan": ("按目标分解计划表将图斑列入计划。",
                    "按目标分解计划表（年度、编号、面积、投资）将图斑列入计划。\n\n\b\n示例：\n"
                    "  minerehab import plan examples/tuoli-2023-2025/plan.csv --programme TL-2023-2025 --on 2023-03-01"),
    "show": ("显示图斑现状或过去某时的状况。",
             "显示图斑现状，或按业务日期、录入时间、版本显示过去的状况。\n\n\b\n示例：\n"
             "  minerehab show TL-2023-01 --as-of 2023-06-30"),
    "history": ("图斑的全部事件：谁、何时、做了什么、为什么、依据哪些文件。",
                "图斑的全部事件：谁、何时、做了什么、为什么、依据哪些文件。\n\n\b\n示例：\n"
                "  minerehab history TL-2023-01 --since 2024-01-01"),
    "log": ("全库变更日志：某日之后或某次录入之后发生了什么。",
            "全库变更日志：业务日期在某日之后，或在某一时刻之后录入的全部事件（两次审计之间的变化）。\n\n\b\n示例：\n"
            "  minerehab log --since 2024-01-01\n  minerehab log --recorded-after 2024-06-30T18:00"),
    "list": ("列出图斑及其状态、计划年度和面积。",
             "列出图斑及其状态、计划年度和面积。状态可用编号或中文名。\n\n\b\n示例：\n"
             "  minerehab list --state 已验收 --year 2023"),
    "batch": ("核销批次（完成一批核销一批）。",
              "核销批次（完成一批核销一批）。\n\n\b\n示例：\n  minerehab batch show B2023-1"),
    "batch list": ("列出批次及其状态、图斑数和面积。",
                   "列出批次及其状态、图斑数和面积。\n\n\b\n示例：\n  minerehab batch list --json"),
    "batch show": ("显示批次：状态、图斑、面积和文号。",
                   "显示批次：状态、图斑、面积和文号。\n\n\b\n示例：\n  minerehab batch show B2023-1 --json"),
    "batch history": ("批次的全部事件。", "批次的全部事件。\n\n\b\n示例：\n  minerehab batch history B2023-1"),
    "programme": ("修复方案及其分年度目标分解。",
                  "修复方案及其分年度目标分解。\n\n\b\n示例：\n  minerehab programme show TL-2023-2025"),
    "programme show": ("显示修复方案：目标、年度、审批和预算。",
                       "显示修复方案：目标、年度、审批和预算。\n\n\b\n示例：\n  minerehab programme show TL-2023-2025 --json"),
    "programme history": ("修复方案的全部事件。",
                          "修复方案的全部事件。\n\n\b\n示例：\n  minerehab programme history TL-2023-2025"),
    "taskforce": ("工作专班及其成员变化。", "工作专班及其成员变化。\n\n\b\n示例：\n  minerehab taskforce show TF-654224 --on 2023-06-01"),
    "taskforce show": ("专班现在或某日的成员。",
                       "专班现在或某日的成员。\n\n\b\n示例：\n  minerehab taskforce show TF-654224 --on 2023-06-01"),
    "taskforce history": ("专班成员的每次任命和调整（备案）。",
                          "专班成员的每次任命和调整，按顺序（备案）。\n\n\b\n示例：\n  minerehab taskforce history TF-654224"),
    "report": ("全库报表：进展、HTML 页面。", "全库报表。\n\n\b\n示例：\n  minerehab report progress --as-of 2024-12-31"),
    "report progress": ("按年度和状态统计图斑、公顷和资金，对照地区下达目标。",
                        "按年度和状态统计图斑、公顷和资金，对照地区下达目标。\n\n\b\n示例：\n"
                        "  minerehab report progress --format xlsx --output progress.xlsx"),
    "report html": ("领导看板：一个独立页面（可离线、可打印为几页 A4），每个图斑链接到其案卷。",
                    "领导看板：一个独立页面（可离线查看，打印为几页 A4）——目标、计划、验收面积占目标、高风险问题、资金、"
                    "需要立即处理的事项、问题按严重程度和规则分组、地图；每个图斑链接到其案卷。\n\n\b\n示例：\n"
                    "  minerehab --lang zh report html 托里县进展.html --as-of 2024-12-31"),
    "report parcel": ("图斑案卷：属性、资金、问题及其引用的事件、每个事件及其在哈希链中的位置。",
                      "图斑案卷：属性、资金（合同、已下达、监理确认、已支付）、问题及其引用的事件内容、每个事件的"
                      "经办人、日期、原因、文件（sha256）及其在哈希链中的位置；有边界时附边界对照图。在浏览器中打印。"
                      "\n\n\b\n示例：\n  minerehab report parcel TL23-05 --output TL23-05.html"),
    "correct": ("更正已记录事件的字段；原记录保留在履历中。",
                "更正图斑某一已记录事件的字段（更正）。原记录保留在履历中；查看和审计使用更正后的值；"
                "金额或面积在被依据之后（付款、验收、核销等）更正的，审计会标出（R29）。\n\n\b\n示例：\n"
                "  minerehab correct TL23-05 1 --set area_ha=6.1234 --on 2024-05-06 \\\n"
                "      --reason \"登记时小数点录入错误\" --doc 核查表=docs/TL23-05-核查表.pdf --role nrb --key 张玉峰.key"),
    "export": ("向外提交县里的图斑：全国图斑图层、公示表。",
               "向外提交县里的图斑：全国图斑图层（shp、GeoJSON、KML）或公示表（xlsx）。\n\n\b\n示例：\n"
               "  minerehab export parcels --format shp --output 核销图斑.shp --batch B2023-1"),
    "export parcels": ("将图斑写为全国图斑图层或公示表。",
                       "将图斑写为全国图斑图层（CGCS2000，EPSG:4490，全国字段名，GBK 编码，外环顺时针）或公示表。"
                       "\n\n\b\n示例：\n  minerehab export parcels --format geojson --output 图斑.geojson --as-of 2024-12-31"),
    "cosign": ("作为见证方联署检查点（确认其为上次所签检查点的延续之后）。",
               "作为见证方（纪委监委派驻组、审计局、地区自然资源局）联署检查点：先核对它是该见证方上次所签检查点的"
               "延续（一致性证明），再附加联署行（C2SP 联署格式）；历史被改写则拒绝，退出码为 1。"
               "\n\n\b\n示例：\n  minerehab cosign 2024-12.checkpoint --key 审计局.key --proof 11-12.json"),
    "case": ("图斑案卷包：检查人员所需的一切，无需存储即可核对。",
             "图斑案卷包（案卷）：检查人员所需的一切，无需存储即可完整核对。\n\n\b\n示例：\n"
             "  minerehab case export TL23-05 --checkpoint 2024-12.checkpoint --output TL23-05.zip"),
    "case export": ("写出图斑案卷包：案卷页面、事件、回执、检查点、问题、文件。",
                    "写出图斑案卷包：案卷页面、每个事件（规范 JSON 及签名）及其在检查点下的回执、检查点、审计问题、"
                    "文件哈希（及文件）、边界、清单（大小、SHA-256、SM3）和核对说明。\n\n\b\n示例：\n"
                    "  minerehab case export TL23-05 --checkpoint 2024-12.checkpoint --output TL23-05.zip"),
    "case verify": ("无需存储完整核对案卷包；任何文件不符即退出码 1 并指出该文件。",
                    "无需存储完整核对案卷包：清单、每个事件的回执、检查点签名和见证；任何文件被改动、缺失或多出，"
                    "或有事件不在检查点下，退出码为 1 并指出。\n\n\b\n示例：\n"
                    "  minerehab case verify TL23-05.zip --vkey 县自然资源局.key.vkey"),
    "diagram": ("绘制图斑（或批次）生命周期图，标出记录所处位置。",
                "绘制图斑（或批次）生命周期图，标出记录所处状态和走过的路径。\n\n\b\n示例：\n"
                "  minerehab diagram --parcel TL23-05 --format svg --output TL23-05.svg"),
    "audit": ("对全库检查每条合规规则（纪检监察）。",
              "对全库一次检查每条合规规则（见 `minerehab rules`）（纪检监察）。\n\n\b\n示例：\n"
              "  minerehab audit --rule R03,R17 --format json\n  minerehab audit --as-of 2024-12-31 --fail-on medium\n"
              "  minerehab audit --state audit-state.db      （之后再审：只读新录入的事件）"),
    "rules": ("合规规则：编号、严重程度、标题、读取的事件、阈值。",
              "合规规则：编号、严重程度、中英文标题、每条读取的事件及阈值。\n\n\b\n示例：\n"
              "  minerehab rules --json\n  minerehab rules --format md > docs/reference.md"),
    "keygen": ("生成签名密钥对（Ed25519 或 SM2），用于签署命令和检查点。",
               "生成密钥对：文件（私钥，权限 0600，设置了 MINEREHAB_KEY_PASSPHRASE 时加密）、文件.pub、文件.vkey。\n\n\b\n示例：\n"
               "  minerehab keygen --out 张玉峰.key\n  minerehab keygen --out auditor.key --algorithm sm2"),
    "person": ("人员登记：谁可以签名、担任哪些角色、用哪些密钥。",
               "人员登记：谁可以签名、担任哪些角色、用哪些密钥。\n\n\b\n示例：\n"
               "  minerehab person add 张志坚 --unit finance --role finance --pubkey 张志坚.key.pub --on 2023-01-05 "
               "--key 张玉峰.key\n  minerehab person list"),
    "person add": ("登记人员及其单位、角色和公钥（由管理员签名）。",
                   "登记人员及其单位、角色和公钥（由管理员签名）。\n\n\b\n示例：\n"
                   "  minerehab person add 张志坚 --unit finance --role finance --pubkey 张志坚.key.pub --on 2023-01-05 "
                   "--key 张玉峰.key"),
    "person list": ("全部登记人员及其单位、角色、密钥和撤销情况。",
                    "全部登记人员及其单位、角色、密钥和撤销情况。\n\n\b\n示例：\n  minerehab person list --json"),
    "person revoke": ("撤销人员：自该业务日期起其密钥不能签名、角色终止。",
                      "撤销人员：自该业务日期起其密钥不能签名、角色终止。\n\n\b\n示例：\n"
                      "  minerehab person revoke 王五 --on 2024-06-30 --reason 调离 --key 张玉峰.key"),
    "person show": ("一个人员：单位、角色和密钥，以及某日有效的内容。",
                    "一个人员：单位、角色和密钥，以及某日有效的内容。\n\n\b\n示例：\n"
                    "  minerehab person show 张志坚 --on 2024-01-01"),
    "sign": ("为 `apply` 签署 JSONL 文件的每一行。",
             "为本存储签署 JSONL 文件的每一行，输出签名后的行（用 `minerehab apply` 执行）。\n\n\b\n示例：\n"
             "  minerehab sign day.jsonl --key 张玉峰.key > day.signed.jsonl\n  minerehab apply day.signed.jsonl"),
    "checkpoint": ("签署日志的 Merkle 根；检查点保存在存储之外。",
                   "签署日志的 Merkle 根；检查点保存在存储之外。\n\n\b\n示例：\n"
                   "  minerehab checkpoint --key auditor.key --out 2024-12-31.checkpoint.json"),
    "verify": ("重算每条哈希链（并核对检查点）；发现篡改时退出码为 1。",
               "重算每条哈希链，按人员登记核对每个签名（及检查点）；发现篡改时退出码为 1。\n\n\b\n示例：\n"
               "  minerehab verify --checkpoint 2024-12-31.checkpoint.json --pubkey auditor.key.pub"),
    "prove": ("某一事件在检查点下的包含证明。",
              "输出某一事件在检查点下的包含证明；`check-proof` 不需要存储即可核对。\n\n\b\n示例：\n"
              "  minerehab prove TL23-01 14 --checkpoint 2024-12-31.checkpoint.json > TL23-01-v14.proof.json"),
    "check-proof": ("不需要存储即可核对包含证明。",
                    "独立核对包含证明：事件字节 → 链哈希 → Merkle 路径 → 签名的根。\n\n\b\n示例：\n"
                    "  minerehab check-proof TL23-01-v14.proof.json --pubkey auditor.key.pub"),
    "consistency": ("证明日志在两个检查点之间只增不改。",
                    "从存储证明日志在两个检查点之间只增不改（RFC 6962）。\n\n\b\n示例：\n"
                    "  minerehab consistency 2024-06-30.checkpoint.json 2024-12-31.checkpoint.json"),
    "witness": ("在台账中记录的见证联署：谁见证了哪段历史。",
                "见证（见证方对本日志检查点的联署）记录在台账中：谁见证了哪段历史；`verify` 逐一复核。\n\n\b\n示例：\n"
                "  minerehab witness record 2024-12-31.checkpoint --vkey county.key.vkey --witness 审计局.key.vkey "
                "--role nrb\n  minerehab witness list"),
    "witness record": ("将已联署检查点的见证联署记入台账（先逐一核验）。",
                       "将已联署检查点的见证联署记入台账。记录前逐一核验，不信任文件本身：日志的签名、每个见证方的联署行，"
                       "以及检查点的根等于本存储日志在该树大小时的根（另一段历史：退出码 1；文件有误：退出码 2；"
                       "存储不变）。见证方密钥须为 Ed25519（cosignature/v1 不适用于 SM2）。\n\n\b\n示例：\n"
                       "  minerehab witness record 2024-12-31.checkpoint --vkey county.key.vkey --witness 审计局.key.vkey "
                       "\\\n      --witness jiwei.key.vkey --role nrb --key 张玉峰.key"),
    "witness list": ("谁见证了本日志的哪些树大小，按树大小从大到小。",
                     "谁见证了本日志的哪些树大小（从大到小），联署时间，由谁、在哪天记入台账。\n\n\b\n示例：\n"
                     "  minerehab witness list --json"),
    "copy": ("在存储之间复制整个日志（SQLite ⇄ PostgreSQL），然后校验。",
             "在存储之间复制整个日志（SQLite ⇄ PostgreSQL），保留编号、版本、时间和哈希，然后校验。\n\n\b\n示例：\n"
             "  minerehab copy --from county.db --to postgresql://mr@db.example/province?schema=tuoli"),
}

OPTIONS: dict[str, str] = {
    # "command path:option name" (the name of the parameter), or the name alone for every command
    "correct:sets": "该事件的一个字段及其正确的值；可重复。",
    "correct:on": "更正的业务日期。",
    "correct:actor": "更正人（环境变量 MINEREHAB_ACTOR）；用 --key 时默认为密钥的持有人。",
    "correct:role": "角色编号或名称（环境变量 MINEREHAB_ROLE）：须为可记录被更正事件的角色。",
    "correct:docs": "证明正确值的文件；可重复。",
    "correct:reason": "所记录的值为何有误（必填）。",
    "audit:output": "写入文件（任意格式；xlsx 必须指定；.csv 文件以 UTF-8 BOM 开头，Excel 可正确显示中文）。",
    "list:output": "写入文件（xlsx 必须指定；.csv 文件以 UTF-8 BOM 开头，Excel 可正确显示中文）。",
    "list:fmt": "xlsx：县里的台账，表头用所选语言。",
    "history:version": "只显示该版本的事件。",
    "report html:with_cases": "同时写出页面所链接的每个图斑的案卷，放在 OUT-parcels/ 文件夹中（默认写出）。",
    "report html:map_mode": "县域地图：图斑边界、仅中心点（边界属涉密测绘成果时）或不画地图。",
    "report parcel:output": "案卷写入此文件（.html）。",
    "case export:checkpoint_path": "C2SP 检查点（最好已经见证方联署），须涵盖该图斑的每个事件。",
    "case export:output": "要写出的案卷包（.zip）。",
    "case export:documents": "存放文件的文件夹；已记录的文件核对哈希后一并打包。",
    "vkey_paths": "日志的验证密钥（.vkey，可重复）。",
    "witness_paths": "见证方的验证密钥（.vkey，可重复）。",
    "quorum": "至少需要多少个见证方联署（默认：所给的全部）。",
    "consistency:vkey_paths": "用日志的验证密钥核对两个 C2SP 检查点的签名。",
    "cosign:vkey_paths": "先核对日志的签名（可重复）。",
    "cosign:state_path": "见证方所签内容的记录（默认 见证密钥.state）。",
    "cosign:proof_path": "自上次所签检查点起的一致性证明（`minerehab consistency 旧 新` 的输出）；不给则从存储计算（若指定了存储）。",
    "checkpoint:fmt": "note：C2SP tlog-checkpoint 签名笔记；json：第一版的格式（仅 Ed25519）。",
    "export parcels:fmt": "图层或公示表格式。",
    "export parcels:output": "输出文件（shp 格式时同时写出同名的索引、属性、坐标系和编码文件）。",
    "export parcels:batch": "只导出该核销批次的图斑。",
    "export parcels:which": "登记的图斑边界，或最新的边界（验收实测、竣工、设计）。",
    "export parcels:encoding": "shp 文件属性的文字编码。",
    "import parcels:county": "CT 图斑编号须带的县级行政区代码（6 位；默认取存储中修复方案所属的县）。",
    "import parcels:crs": "未注明坐标系的图层所用坐标系：4490，或 CGCS2000 3 度带高斯-克吕格投影 4513..4554（从不猜测）。",
    ":store": "SQLite 文件、sqlite:///路径 或 postgresql://…（默认 ./minerehab.db；环境变量 MINEREHAB_STORE）。",
    ":lang": "标签和消息的语言（默认取自区域设置；环境变量 MINEREHAB_LANG）。",
    ":version": "显示版本并退出。",
    "json": "输出 JSON。",
    "as_json": "输出 JSON。",
    "as_of": "按业务日期查看：日期当日及之前的事件。",
    "known_at": "台账在该时刻的记录（ISO；不带时区即 UTC+8）。",
    "version": "该版本时的记录。",
    "key_path": "用此私钥签名（环境变量 MINEREHAB_KEY）。",
    "migration": "将事件标记为补录迁移的历史。",
    "reason": "原因。",
    "init:admin": "存储的首位管理员，由其登记其他人员。",
    "init:unit": "管理员的单位：nrb（自然资源局）或 county_gov（县人民政府）。",
    "init:pubkey": "管理员的公钥（由 `minerehab keygen` 生成）。",
    "init:on": "管理员的密钥和角色自何日起有效（默认整个记录期，以便补录过去的工作）。",
    "init:unsigned": "试用存储，接受未签名的命令（每份报告都会注明）。",
    "grants:writer": "记录用角色：仅 SELECT 和 INSERT。",
    "grants:reader": "只读角色：仅 SELECT。",
    "do:batch": "对象为核销批次而非图斑。",
    "do:programme": "对象为修复方案。",
    "do:taskforce": "对象为工作专班。",
    "do:on": "业务日期（ISO）。",
    "do:actor": "操作人（环境变量 MINEREHAB_ACTOR）；用 --key 时默认为密钥的持有人。",
    "do:role": "角色编号或名称，如 nrb 或 自然资源局（环境变量 MINEREHAB_ROLE）。",
    "do:key_path": "用此私钥签名（环境变量 MINEREHAB_KEY；设置 MINEREHAB_SIGNER 时为公钥）。",
    "do:sets": "一个数据字段；可重复。",
    "do:data_json": "以 JSON 对象给出数据字段。",
    "do:docs": "一份文件；可重复。",
    "do:as_json": "以 JSON 输出结果。",
    "apply:each": "逐行提交并报告每个失败（默认：全部成功或全部不记录）。",
    "apply:migration": "将每个事件标记为补录迁移的历史。",
    "apply:key_path": "执行时为每个未签名的行签名（各行的操作人须为密钥持有人）。",
    "import parcels:on": "没有登记日期列的行使用的登记日期。",
    "import parcels:actor": "导入人（用 --key 时为密钥持有人）。",
    "import parcels:role": "导入人的角色。",
    "import parcels:key_path": "用此密钥为每行的命令签名（环境变量 MINEREHAB_KEY）。",
    "import plan:programme": "计划所属的已批准修复方案。",
    "import plan:on": "计划日期。",
    "import plan:actor": "导入人（用 --key 时为密钥持有人）。",
    "import plan:role": "导入人的角色。",
    "import plan:key_path": "用此密钥为每行的命令签名（环境变量 MINEREHAB_KEY）。",
    "history:since": "只显示业务日期在该日当日及之后的事件。",
    "log:since": "业务日期在该日当日及之后的事件。",
    "log:recorded_after": "在该时刻之后录入的事件（ISO；不带时区即 UTC+8）。",
    "list:state": "只列出处于该状态的图斑（编号或中文名）。",
    "list:year": "只列出计划在该年度的图斑。",
    "list:township": "只列出该乡镇的图斑。",
    "taskforce show:on": "该日在专班的成员（默认：现在）。",
    "report progress:as_of": "台账在该业务日期时的状况（默认今天）。",
    "report progress:programme_id": "哪个修复方案（默认：唯一的一个）。",
    "report progress:fmt": "输出格式。",
    "report progress:output": "写入文件（xlsx 必须指定）。",
    "report html:as_of": "台账在该业务日期时的状况（默认今天）。",
    "diagram:parcel": "标出该图斑的状态和走过的路径。",
    "diagram:batch_id": "绘制批次生命周期，标出该批次。",
    "diagram:fmt": "输出格式。",
    "diagram:output": "写入文件（svg/png 否则以字节输出到标准输出）。",
    "audit:as_of": "按该业务日期时的台账审计（默认今天）。",
    "audit:rule_ids": "只审这些规则。",
    "audit:subject": "只看关于该图斑（或批次、修复方案）的问题。",
    "audit:config_path": "TOML 阈值文件（见 `minerehab rules`）。",
    "audit:fmt": "输出格式。",
    "audit:fail_on": "有该严重程度及以上的问题时退出码为 1。",
    "audit:least": "只显示该严重程度及以上的问题。",
    "audit:state_path": "将审计状态保存在文件中；下次用它审计时只读之后录入的事件（与 --subject 同用：立即给出该对象的问题）。",
    "verify:jobs": "并行核验日志的进程数（默认：日志较大时每个处理器核心一个，最多 4 个；1 表示单进程）。",
    "audit:jobs": "并行读取日志的进程数（默认：日志较大时每个处理器核心一个，最多 4 个；1 表示单进程）。",
    "rules:fmt": "md：完整参考文档（生命周期、角色、命令和字段、规则），即 docs/reference.md。",
    "keygen:out": "私钥文件；文件.pub 和 文件.vkey 写在旁边。",
    "keygen:algorithm": "sm2：国密算法（SM2 配 SM3）。",
    "keygen:name": "签名注记验证密钥中的名称（默认：文件名）。",
    "keygen:force": "替换已有的密钥对（原私钥将丢失）。",
    "person add:unit": "人员所在单位，角色编号如 finance。",
    "person add:roles": "授予的角色。",
    "person add:pubkey": "其公钥。",
    "person add:on": "自何日起（默认今天）。",
    "person add:key_path": "管理员的私钥（环境变量 MINEREHAB_KEY）。",
    "person revoke:on": "自何日起不能再签名（默认今天）。",
    "person revoke:key_path": "管理员的私钥（环境变量 MINEREHAB_KEY）。",
    "person show:on": "该业务日期有效的角色和密钥。",
    "sign:key_path": "你的私钥（环境变量 MINEREHAB_KEY）。",
    "checkpoint:key_path": "Ed25519 私钥。",
    "checkpoint:out": "将检查点写入此文件（默认：标准输出）。",
    "verify:checkpoint_path": "保存在存储之外的检查点。",
    "verify:pubkey_path": "签署它的公钥。",
    "verify:documents": "按 sha256 重新核对文件。",
    "verify:unsigned_ok": "接受签名未核对的 --checkpoint（未给 --pubkey）：其他都正常时退出码为 0。",
    "prove:checkpoint_path": "检查点文件。",
    "prove:kind": "对象类别。",
    "check-proof:pubkey_path": "同时核对检查点的签名。",
    "consistency:pubkey_path": "同时核对两个签名。",
    "witness record:vkey_paths": "日志的验证密钥：先核对检查点本身的签名。",
    "witness record:witness_paths": "要记录其联署的见证方（可重复；仅 Ed25519）。",
    "witness record:on": "记录的业务日期（默认今天）。",
    "witness record:reason": "记录原因（例如年终审计）。",
    "witness record:actor": "记录人（环境变量 MINEREHAB_ACTOR）；用 --key 时默认为密钥的持有人。",
    "witness record:role": "记录人的角色编号或名称（环境变量 MINEREHAB_ROLE）。",
    "copy:source": "要复制的存储。",
    "copy:target": "一个空存储（不存在则建立）。",
}

METAVARS: dict[str, str] = {
    "TEXT": "文本", "INTEGER": "整数", "INTEGER RANGE": "整数", "FILENAME": "文件", "FILE": "文件", "PATH": "路径",
    "DIRECTORY": "目录", "DATE": "日期", "ID": "编号", "CODE": "图斑编号", "ROLE": "角色", "NAME": "姓名",
    "KEY=VALUE": "字段=值", "TITLE=REF[:SHA256]": "标题=文号[:SHA256]", "TIMESTAMP": "时刻", "FILE.pub": "公钥文件",
    "ADMIN_KEY": "管理员私钥", "ORIGIN": "名称", "ROLE[,ROLE…]": "角色[,角色…]", "TRIGGER": "操作", "TARGET": "对象",
    "PARCEL": "图斑", "TASKFORCE_ID": "专班编号", "PROOF_FILE": "证明文件", "OLD": "旧检查点", "NEW": "新检查点",
    "VERSION": "版本", "OUT": "输出文件", "FLOAT": "数", "URL": "地址", "FILE.xlsx": "文件.xlsx",
    "BUNDLE": "案卷包", "CHECKPOINT": "检查点", "WITNESS_KEY": "见证密钥", "CP": "检查点",
    "LOG.vkey": "日志公钥.vkey", "W.vkey": "见证方公钥.vkey",
}

CLICK: dict[str, str] = {
    # click's own messages (gettext message ids) as users meet them
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "Aborted!": "已中止！",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing command.": "缺少命令。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Did you mean {possibility}?": "是否想输入 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否想输入以下之一：{possibilities}？）",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是以下之一：{choices}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是是/否值。可用：{states}",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "file": "文件", "directory": "目录", "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
}

OS_ERRORS: dict[str, str] = {
    # what the operating system says when a file cannot be opened (click passes its strerror on)
    "No such file or directory": "没有该文件或目录",
    "Permission denied": "没有权限",
    "Is a directory": "是目录",
    "Not a directory": "不是目录",
    "File exists": "文件已存在",
    "Read-only file system": "只读文件系统",
}
