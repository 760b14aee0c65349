"""The columns of a weekly report: each field's key, kind and the headings offices write
for it (the first is the template's). Kinds: text, code, amount, area, date, stage, units,
flag, credit_code; the key is the project column (`roles:<role>` for units)."""

from __future__ import annotations

from zsyz.domain.fields import FIELD
from zsyz.io.columns import Column

FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("code", "code", ("项目编号", "编号", "项目代码", "项目编码", "代码", "项目ID")),
    ("name", "text", ("项目名称", "名称", "项目", "项目全称")),
    (
        "investor",
        "text",
        (
            "投资方",
            "投资主体",
            "企业名称",
            "签约企业",
            "投资企业",
            "投资商",
            "客商名称",
            "合作企业",
            "投资单位",
        ),
    ),
    (
        "credit_code",
        "credit_code",
        ("统一社会信用代码", "社会信用代码", "信用代码", "投资方统一社会信用代码", "企业信用代码"),
    ),
    (
        "investor_origin",
        "text",
        (
            "投资方所在地",
            "客商来源地",
            "投资方来源地",
            "来源地",
            "客商所在地",
            "投资方地区",
            "企业所在地",
        ),
    ),
    ("investor_type", "text", ("投资方类型", "企业性质", "客商类型", "投资方性质")),
    (
        "category",
        "text",
        (
            "产业类别",
            "行业类别",
            "项目类别",
            "项目类型",
            "所属行业",
            "行业",
            "产业类型",
            "产业分类",
        ),
    ),
    ("chain", "text", ("产业链", "所属产业链", "产业链条")),
    ("level", "text", ("项目级别", "项目层级", "级别", "重点项目类别")),
    ("is_new", "flag", ("新建/续建", "新建续建", "建设性质", "新建或续建", "是否新建")),
    (
        "total_investment",
        "amount",
        (
            "总投资",
            "计划总投资",
            "协议投资额",
            "投资金额",
            "项目总投资",
            "总投资额",
            "签约金额",
            "合同投资额",
            "协议总投资",
        ),
    ),
    ("fai", "amount", ("固定资产投资", "固投金额", "固投", "固定资产投资额", "其中固定资产投资")),
    (
        "planned_investment_year",
        "amount",
        ("年度计划投资", "当年计划投资", "今年计划投资", "年计划投资", "本年计划投资"),
    ),
    (
        "completed_investment_year",
        "amount",
        ("当年完成投资", "今年完成投资", "年度完成投资", "本年完成投资", "本年累计完成投资"),
    ),
    (
        "funds_in_place",
        "amount",
        ("到位资金", "累计到位资金", "实际到位资金", "到位资金累计", "资金到位", "累计到位"),
    ),
    ("foreign_funds", "amount", ("利用外资", "实际利用外资", "到位外资", "外资")),
    (
        "out_of_province_funds",
        "amount",
        ("省外资金", "省外到位资金", "省外内资", "引进省外资金", "省外资金到位"),
    ),
    ("land_area", "area", ("用地面积", "用地", "供地面积", "占地面积", "用地亩数", "占地")),
    ("needs_land", "flag", ("是否供地", "是否需要供地", "是否用地", "需要供地")),
    ("expected_tax", "amount", ("预计年税收", "年税收", "预计税收", "预计年纳税")),
    ("fiscal_support", "flag", ("一事一议", "是否一事一议")),
    (
        "stage",
        "stage",
        ("项目阶段", "项目进度", "当前阶段", "状态", "项目状态", "所处阶段", "进展阶段", "阶段"),
    ),
    ("lead_on", "date", ("线索日期", "获取信息时间", "获得线索时间")),
    ("negotiating_on", "date", ("洽谈日期", "首次洽谈时间", "洽谈时间")),
    ("signed_on", "date", ("签约日期", "签约时间", "协议签订时间", "签订日期")),
    ("started_on", "date", ("开工日期", "开工时间", "实际开工时间")),
    ("producing_on", "date", ("投产日期", "投产时间", "竣工投产时间")),
    ("full_output_on", "date", ("达效日期", "达产时间", "达效时间")),
    ("dropped_on", "date", ("终止日期", "终止时间", "退库时间")),
    ("compiled_on", "date", ("项目编制日期", "编制日期", "编制时间", "项目编制时间")),
    ("planned_start_on", "date", ("计划开工日期", "计划开工时间", "预计开工时间")),
    (
        "roles:sourcing",
        "units",
        (
            "招引单位",
            "引进单位",
            "责任单位",
            "招商单位",
            "引资单位",
            "招引责任单位",
            "招商引资单位",
        ),
    ),
    (
        "roles:landing",
        "units",
        ("落地单位", "落地乡镇", "承接单位", "项目落地单位", "所在乡镇", "落地园区", "承接乡镇"),
    ),
    (
        "leader_name",
        "text",
        (
            "责任领导",
            "包保领导",
            "联系领导",
            "分包领导",
            "县级领导",
            "牵头领导",
            "包联领导",
            "包联县领导",
            "联系县领导",
            "分包县领导",
            "责任县领导",
        ),
    ),
    ("roles:compiling", "units", ("项目编制单位", "编制单位")),
    ("contact", "text", ("联系人", "联系方式", "项目联系人", "联系电话", "企业联系人")),
    (
        "progress",
        "text",
        (
            "本周进展",
            "进展情况",
            "推进情况",
            "本周工作进展",
            "项目进展",
            "工作进展",
            "最新进展",
            "项目进展情况",
            "项目推进情况",
            "本周进展情况",
        ),
    ),
    (
        "problems",
        "text",
        ("存在问题", "问题及建议", "存在的问题", "存在问题及建议", "需协调解决的问题", "困难问题"),
    ),
    ("remarks", "text", ("备注",)),
)
KINDS: dict[str, str] = {key: FIELD[key].kind.value for key, _, _ in FIELDS}
WEEKLY_COLUMNS: tuple[Column, ...] = tuple(
    Column(key, syn, required=(key == "name")) for key, _, syn in FIELDS
)
HEADINGS: dict[str, str] = {key: syn[0] for key, _, syn in FIELDS}
