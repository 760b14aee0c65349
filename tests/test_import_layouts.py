"""Layouts real platforms and offices send (issue 11): every heading accounted for, units in
any notation, planned stages, implied-stage forms, dates from title/file name/mtime,
clear refusals. Each test asserts the stored values, not only that the import succeeded."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, write_xlsx


@pytest.fixture
def ledger(ledger_db, cli):
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    return ledger_db


def book(tmp_path: Path, head, rows, *, name="周报.xlsx", above=None, merges=(), title="Sheet1"):
    lines = above if above is not None else [["填报单位：石佛寺镇", None, "填报日期：2022-03-11"]]
    return write_xlsx(tmp_path / name, [*lines, *head, *rows], merges=merges, title=title)


def imported(cli, path, *args):
    result = cli("import", str(path), "--format", "json", *args)
    assert result.code in (0, 65), result.err
    (out,) = result.json()
    return result.code, out


def show(cli, name_or_code):
    listed = cli("projects", "list", "--format", "json").json()
    code = next(p["code"] for p in listed if name_or_code in (p["name"], p["code"]))
    result = cli("projects", "show", code, "--format", "json")
    assert result.code == 0, result.err
    return result.json()


def amount(value) -> Decimal:
    return Decimal(str(value))


@pytest.mark.parametrize(
    "heading",
    [
        "总投资（亿元）",
        "总投资(亿元)",
        "总投资额[亿元]",
        "总投资【亿元】",
        "总投资／亿元",
        "总投资/亿元",
    ],
)
def test_units_in_every_bracket_notation(ledger, cli, tmp_path, heading):
    path = book(
        tmp_path,
        [["项目名称", heading, "项目阶段", "签约日期"]],
        [["玉雕产业园", 1.2, "签约", "2022-03-08"]],
    )
    code, out = imported(cli, path)
    assert code == 0, out
    assert amount(show(cli, "玉雕产业园")["total_investment"]) == Decimal(12000)
    assert {"heading": heading, "field": "总投资"} in out["columns"]


def test_unit_line_above_the_table_and_in_a_merged_parent_heading(ledger, cli, tmp_path):
    above = [
        ["项目周报"],
        ["填报单位：石佛寺镇", None, None, "填报日期：2022-03-11"],
        ["金额单位：万元"],
    ]
    head = [
        ["项目名称", "项目阶段", "签约日期", "总投资", "资金到位情况（亿元）", None],
        [None, None, None, None, "省外资金", "到位资金"],
    ]
    rows = [["玉雕产业园", "签约", "2022-03-08", 26000, 0.3, "0.5"]]
    path = book(
        tmp_path, head, rows, above=above, merges=["E4:F4", "A4:A5", "B4:B5", "C4:C5", "D4:D5"]
    )
    code, out = imported(cli, path)
    assert code == 0, out
    p = show(cli, "玉雕产业园")
    assert amount(p["total_investment"]) == 26000
    assert amount(p["out_of_province_funds"]) == 3000  # 0.3 亿元, not 0.3 万元
    assert amount(p["funds_in_place"]) == 5000  # text-typed cell, same unit


def test_dollars_need_a_rate(ledger, cli, tmp_path):
    head = [["项目名称", "项目阶段", "签约日期", "利用外资（万美元）"]]
    path = book(tmp_path, head, [["外资项目", "签约", "2022-03-08", 100]])
    code, out = imported(cli, path)
    assert code == 65
    assert any(
        "万美元" in e["message"] and e["column"] == "利用外资（万美元）" for e in out["errors"]
    )
    code, out = imported(cli, path, "--usd-rate", "7.1")
    assert code == 0, out
    assert amount(show(cli, "外资项目")["foreign_funds"]) == 710
    assert any("美元" in w for w in out["warnings"])


def test_policy_currency_rate_is_used(ledger_db, cli, tmp_path):
    policy = tmp_path / "p.toml"
    text = cli("policy", "show", "zhenping-2020").out
    policy.write_text(text + "\n[currency]\nusd = 7.0\n", encoding="utf-8")
    checked = cli("policy", "check", str(policy))
    assert checked.code == 0, checked.out + checked.err
    made = cli("init", "--policy", str(policy), "--with-examples", "--db", str(tmp_path / "x.db"))
    assert made.code == 0, made.err
    head = [["项目名称", "项目阶段", "签约日期", "总投资（美元）", "落地单位"]]
    path = book(tmp_path, head, [["美资项目", "签约", "2022-03-08", 1000000, "石佛寺镇"]])
    result = cli("--db", str(tmp_path / "x.db"), "import", str(path), "--format", "json")
    assert result.code == 0, result.out + result.err
    listed = cli("--db", str(tmp_path / "x.db"), "projects", "list", "--format", "json").json()
    assert amount(listed[0]["total_investment"]) == 700


def test_unknown_unit_is_an_error_naming_the_heading(ledger, cli, tmp_path):
    path = book(
        tmp_path, [["项目名称", "项目阶段", "总投资（亿日元）"]], [["玉雕产业园", "洽谈", 3]]
    )
    code, out = imported(cli, path)
    assert code == 65
    assert any(
        e["column"] == "总投资（亿日元）" and "亿日元" in e["message"] for e in out["errors"]
    )


def test_ignored_columns_listed_and_strict_refuses(ledger, cli, tmp_path):
    head = [["序号", "项目名称", "项目阶段", "洽谈日期", "对接次数", "奇怪的列"]]
    path = book(tmp_path, head, [[1, "电商基地", "洽谈", "2022-03-01", 3, "x"]])
    result = cli("import", str(path), "--strict", "--format", "json")
    assert result.code == 65
    assert "对接次数" in result.json()[0]["errors"][0]["message"]
    result = cli("import", str(path))
    assert result.code == 0, result.err
    assert "对接次数" in result.err and "未导入" in result.err
    _code, out = imported(cli, book(tmp_path, head, [], name="b.xlsx"), "--dry-run")
    assert out["ignored_columns"] == ["序号", "对接次数", "奇怪的列"]


def test_extra_attributes_are_kept_shown_and_exported(ledger, cli, tmp_path):
    head = [["项目名称", "项目阶段", "签约日期", "研判结果", "建设性质", "项目级别", "填报人"]]
    rows = [["玉雕产业园", "签约", "2022-03-08", "通过", "开业", "省重点", "张三"]]
    code, out = imported(cli, book(tmp_path, head, rows))
    assert code == 0, out
    assert out["ignored_columns"] == []
    assert any("开业" in w for w in out["warnings"])  # not 新建/续建: a warning, kept
    p = show(cli, "玉雕产业园")
    assert p["extra"] == {"研判结果": "通过", "填报人": "张三", "建设性质": "开业"}
    assert p["level"] == "省重点" and p["is_new"] is None
    table = cli("projects", "show", p["code"]).out
    assert "研判结果" in table and "通过" in table
    out_path = tmp_path / "模板.xlsx"
    assert cli("template", "--unit", "石佛寺镇", "-o", str(out_path)).code == 0
    from openpyxl import load_workbook

    ws = load_workbook(out_path).active
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "研判结果" in cells and "通过" in cells and "张三" in cells
    # a later report changing one attribute keeps the others
    rows = [["玉雕产业园", None, None, "未通过", None, None, None]]
    above = [["填报单位：石佛寺镇", None, "填报日期：2022-03-18"]]
    code, out = imported(cli, book(tmp_path, head, rows, name="w2.xlsx", above=above))
    assert code == 0, out
    assert show(cli, "玉雕产业园")["extra"]["研判结果"] == "未通过"
    assert show(cli, "玉雕产业园")["extra"]["填报人"] == "张三"


@pytest.mark.parametrize(
    "word", ["拟签约", "待签约", "计划签约", "预计签约", "准备签约", "正在洽谈签约"]
)
def test_planned_words_never_advance_the_stage(ledger, cli, tmp_path, word):
    head = [["项目名称", "项目阶段", "洽谈日期", "签约日期"]]
    first = book(tmp_path, head, [["电商基地", "洽谈", "2022-03-01", None]], name="a.xlsx")
    assert imported(cli, first)[0] == 0
    above = [["填报单位：石佛寺镇", None, "填报日期：2022-03-18"]]
    path = book(
        tmp_path, head, [["电商基地", word, None, "2022-03-30"]], name="b.xlsx", above=above
    )
    code, out = imported(cli, path)
    assert code == 0, out
    p = show(cli, "电商基地")
    assert p["stage"] == "negotiating" and p["signed_on"] is None
    assert p["extra"]["计划签约日期"] == "2022-03-30"


def test_planned_start_is_a_planned_date_and_new_projects_stay_behind(ledger, cli, tmp_path):
    head = [["项目名称", "项目阶段", "开工时间"]]
    rows = [["新项目甲", "计划开工", "2022-05-01"], ["新项目乙", "拟投产", None]]
    code, out = imported(cli, book(tmp_path, head, rows))
    assert code == 0, out
    a, b = show(cli, "新项目甲"), show(cli, "新项目乙")
    assert a["stage"] == "signed" and a["started_on"] is None
    assert a["planned_start_on"] == "2022-05-01"
    assert b["stage"] == "started" and b["producing_on"] is None


def test_a_happened_stage_without_its_date_takes_the_report_date_with_a_warning(
    ledger, cli, tmp_path
):
    code, out = imported(
        cli, book(tmp_path, [["项目名称", "项目阶段"]], [["玉雕产业园", "已开工"]])
    )
    assert code == 0
    assert show(cli, "玉雕产业园")["started_on"] == "2022-03-11"
    assert any("按填报日期 2022-03-11" in w for w in out["warnings"])


@pytest.mark.parametrize(
    ("title", "sheet", "stage"),
    [
        ("2022年新签约项目清单", "Sheet1", "signed"),
        ("新开工项目统计表", "Sheet1", "started"),
        ("项目周报", "在谈项目", "negotiating"),
        ("在谈项目征集表", "Sheet1", "negotiating"),
    ],
)
def test_implied_stage_forms(ledger, cli, tmp_path, title, sheet, stage):
    above = [[title], ["填报单位：石佛寺镇", None, "填报日期：2022-03-11"]]
    path = book(tmp_path, [["项目名称", "总投资"]], [["玉雕产业园", 100]], above=above, title=sheet)
    code, out = imported(cli, path)
    assert code == 0, out
    assert show(cli, "玉雕产业园")["stage"] == stage


def test_stage_option_supplies_the_stage(ledger, cli, tmp_path):
    path = book(tmp_path, [["项目名称", "总投资"]], [["玉雕产业园", 100]])
    assert imported(cli, path)[0] == 65  # no stage at all: refused
    code, out = imported(cli, path, "--stage", "签约")
    assert code == 0, out
    assert show(cli, "玉雕产业园")["stage"] == "signed"


@pytest.mark.parametrize(
    ("title", "name", "day"),
    [
        ("2022-03-01至2022-03-10 签约项目", "export.xlsx", "2022-03-10"),
        ("2022年2月招商项目进展", "export.xlsx", "2022-02-28"),
        ("招商项目", "签约项目2022_3_9.xlsx", "2022-03-09"),
        ("招商项目", "export20220308101530.xlsx", "2022-03-08"),
        ("招商项目", "在谈2022-W09.xlsx", "2022-03-06"),
    ],
)
def test_report_date_from_title_or_file_name(ledger, cli, tmp_path, title, name, day):
    above = [[title], ["填报单位：石佛寺镇"]]
    path = book(
        tmp_path, [["项目名称", "项目阶段"]], [["玉雕产业园", "洽谈"]], above=above, name=name
    )
    code, out = imported(cli, path)
    assert code == 0, out
    assert show(cli, "玉雕产业园")["last_reported_on"] == day
    assert any("没有填报日期" in w for w in out["warnings"])


def test_report_date_from_modification_time(ledger, cli, tmp_path):
    above = [["项目周报"], ["填报单位：石佛寺镇"]]
    path = book(tmp_path, [["项目名称", "项目阶段"]], [["玉雕产业园", "洽谈"]], above=above)
    stamp = 1646900000  # 2022-03-10 UTC
    os.utime(path, (stamp, stamp))
    code, out = imported(cli, path)
    assert code == 0, out
    assert show(cli, "玉雕产业园")["last_reported_on"] in ("2022-03-10", "2022-03-11")
    assert any("文件修改时间" in w for w in out["warnings"])


def test_same_day_summary_exports_of_two_forms_do_not_supersede(ledger, cli, tmp_path):
    head = [["项目名称", "项目阶段", "签约日期", "洽谈日期", "落地单位"]]
    day = [["填报单位：招商服务中心", None, "填报日期：2022-03-11"]]
    signed = book(
        tmp_path,
        head,
        [["玉雕产业园", "签约", "2022-03-08", None, "石佛寺镇"]],
        name="签约.xlsx",
        above=[["签约项目"], *day],
    )
    talks = book(
        tmp_path,
        head,
        [["电商基地", "洽谈", None, "2022-03-08", "石佛寺镇"]],
        name="在谈.xlsx",
        above=[["在谈项目"], *day],
    )
    assert imported(cli, signed, "--all-units")[0] == 0
    code, out = imported(cli, talks, "--all-units")
    assert code == 0 and out.get("superseded") is None
    listed = {p["name"] for p in cli("projects", "list", "--format", "json").json()}
    assert listed == {"玉雕产业园", "电商基地"}
    resent = book(
        tmp_path,
        head,
        [["电商基地", "洽谈", None, "2022-03-09", "石佛寺镇"]],
        name="在谈2.xlsx",
        above=[["在谈项目"], *day],
    )
    assert imported(cli, resent, "--all-units")[0] == 0
    batches = cli("imports", "list", "--format", "json").json()
    assert sorted(b["status"] for b in batches) == ["imported", "imported", "superseded"]


def test_duplicate_codes_and_names_are_row_errors(ledger, cli, tmp_path):
    head = [["项目编号", "项目名称", "项目阶段", "洽谈日期"]]
    rows = [["X1", "项目甲", "洽谈", "2022-03-01"], ["X1", "项目乙", "洽谈", "2022-03-01"]]
    code, out = imported(cli, book(tmp_path, head, rows))
    assert code == 65 and out["errors"][0]["row"] == 4 and "编号" in out["errors"][0]["message"]
    rows = [["X1", "项目甲", "洽谈", "2022-03-01"], ["X2", "项目甲", "洽谈", "2022-03-01"]]
    code, out = imported(cli, book(tmp_path, head, rows, name="b.xlsx"))
    assert code == 65 and out["errors"][0]["row"] == 4
    # a generated code never collides with one a later row writes
    rows = [[None, "项目丙", "洽谈", "2022-03-01"], ["ZS20220001", "项目丁", "洽谈", "2022-03-01"]]
    code, out = imported(cli, book(tmp_path, head, rows, name="c.xlsx"))
    assert code == 0, out
    assert show(cli, "项目丁")["code"] == "ZS20220001"
    assert show(cli, "项目丙")["code"] != "ZS20220001"


def test_drop_folder_skips_lock_and_hidden_files(ledger, cli, tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    (inbox / "~$周报.xlsx").write_bytes(b"lock")
    (inbox / ".周报.xlsx").write_bytes(b"hidden")
    result = cli("import", str(inbox), "--format", "json")
    assert result.code == 0 and result.json() == []
    assert "没有新文件" in result.err and "~$周报.xlsx" in result.err
    result = cli("import", str(tmp_path / "空" / "*.xlsx"))
    assert result.code == 0 and "没有新文件" in result.err


def test_dry_run_status_and_chinese_changes(ledger, cli, tmp_path):
    head = [["项目名称", "项目阶段", "洽谈日期", "到位资金", "落地单位"]]
    path = book(tmp_path, head, [["电商基地", "洽谈", "2022-03-01", 100, "石佛寺镇"]])
    code, out = imported(cli, path, "--dry-run")
    assert code == 0 and out["status"] == "dry_run"
    result = cli("import", str(path), "--dry-run")
    assert "到位资金" in result.out and "funds_in_place" not in result.out
    assert "negotiating" not in result.out and "township" not in result.out
    code, out = imported(cli, path)
    assert code == 0
    shown = cli("imports", "show", str(out["import_id"])).out
    assert "到位资金" in shown and "funds_in_place" not in shown and "洽谈" in shown
    assert "township" not in shown and "石佛寺镇" in shown


@pytest.mark.parametrize(
    ("heading", "cell", "key", "value"),
    [
        ("外来投资方", "玉都实业", "investor", "玉都实业"),
        ("实际到资", 300, "funds_in_place", 300),
        ("到资金额", 300, "funds_in_place", 300),
        ("合同签约时间", "2022-03-08", "signed_on", "2022-03-08"),
        ("协议签订时间", "2022-03-08", "signed_on", "2022-03-08"),
        ("签约审核通过时间", "2022-03-08", "signed_on", "2022-03-08"),
        ("开工/业时间", "2022-03-08", "started_on", "2022-03-08"),
        ("类别", "制造业", "category", "制造业"),
        ("行业类别", "制造业", "category", "制造业"),
        ("是否涉及一事一议", "是", "fiscal_support", True),
        ("需用土地", "120亩", "land_area", 120),
        ("进度、备注", "已完成设计", "progress", "已完成设计"),
        ("本月进展", "已完成设计", "progress", "已完成设计"),
        ("本期进展", "已完成设计", "progress", "已完成设计"),
    ],
)
def test_platform_vocabulary(ledger, cli, tmp_path, heading, cell, key, value):
    head = [["项目名称", "项目阶段", "洽谈日期", heading]]
    code, out = imported(cli, book(tmp_path, head, [["玉雕产业园", "洽谈", "2022-03-01", cell]]))
    assert code == 0, out
    got = show(cli, "玉雕产业园")[key]
    assert (amount(got) == value) if type(value) is int else got == value


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("报送单位", "sourcing"),
        ("负责单位", "sourcing"),
        ("项目引荐单位", "sourcing"),
        ("承接区", "landing"),
    ],
)
def test_unit_headings(ledger, cli, tmp_path, heading, role):
    head = [["项目名称", "项目阶段", "洽谈日期", heading]]
    path = book(tmp_path, head, [["玉雕产业园", "洽谈", "2022-03-01", "石佛寺镇"]])
    code, out = imported(cli, path)
    assert code == 0, out
    assert show(cli, "玉雕产业园")["roles"][role] == ["石佛寺镇"]


def test_a_wide_platform_export(ledger, cli, tmp_path):
    """A 60-column export: every heading mapped, kept or named as ignored."""
    known = ["项目名称", "项目阶段", "签约日期", "总投资（亿元）", "类别", "研判结果"]
    filler = [f"统计项{i}" for i in range(54)]
    head = [known + filler]
    rows = [["玉雕产业园", "签约", "2022-03-08", 2, "制造业", "通过"] + [i for i in range(54)]]
    code, out = imported(cli, book(tmp_path, head, rows))
    assert code == 0, out
    assert out["ignored_columns"] == filler
    assert len(out["columns"]) == 6
    p = show(cli, "玉雕产业园")
    assert amount(p["total_investment"]) == 20000 and p["category"] == "制造业"


def test_annotated_copy_tells_the_clerk_what_to_fix_not_zsyz_options(ledger, cli, tmp_path):
    head = [["项目编号", "项目名称", "项目阶段", "洽谈日期"]]
    assert imported(cli, book(tmp_path, head, [[None, "电商基地", "洽谈", "2022-03-01"]]))[0] == 0
    code = show(cli, "电商基地")["code"]
    above = [["填报单位：晁陂镇", None, "填报日期：2022-03-11"]]
    path = book(tmp_path, head, [[code, "电商基地", "洽谈", None]], name="晁陂.xlsx", above=above)
    result = cli("import", str(path))
    assert result.code == 65 and "--all-units" in result.err  # the operator is told how
    from openpyxl import load_workbook

    copy = load_workbook(tmp_path / "晁陂.错误标注.xlsx")
    texts = [
        str(c.value) + (c.comment.text if c.comment else "")
        for ws in copy.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None or c.comment
    ]
    assert any("不含晁陂镇" in t for t in texts)
    assert not any("--" in t or "zsyz" in t for t in texts)


def test_a_platform_export_names_projects_by_registered_company(ledger, cli, tmp_path):
    head = [["序号", "企业名称", "签约时间", "总投资额[亿元]", "承接区", "项目引荐单位"]]
    rows = [[1, "南阳玉都实业有限公司", "2022-03-08", 1.5, "石佛寺镇", "商务局"]]
    above = [["2022-03-01至2022-03-10 签约项目"], ["填报单位：招商服务中心"]]
    code, out = imported(cli, book(tmp_path, head, rows, above=above), "--all-units")
    assert code == 0, out
    p = show(cli, "南阳玉都实业有限公司")
    assert p["investor"] == "南阳玉都实业有限公司" and p["stage"] == "signed"
    assert p["signed_on"] == "2022-03-08" and amount(p["total_investment"]) == 15000
    assert p["roles"]["landing"] == ["石佛寺镇"] and p["roles"]["sourcing"] == ["商务局"]


def test_extra_attribute_headings_are_read_loosely(ledger, cli, tmp_path):
    head = [["项目名称", "项目阶段", "洽谈日期", "建设内容及规模", "项目所在地"]]
    rows = [["玉雕产业园", "洽谈", "2022-03-01", "年产玉雕10万件", "石佛寺镇东区"]]
    code, out = imported(cli, book(tmp_path, head, rows))
    assert code == 0 and out["ignored_columns"] == [], out
    assert show(cli, "玉雕产业园")["extra"] == {
        "建设内容": "年产玉雕10万件",
        "建设地点": "石佛寺镇东区",
    }
