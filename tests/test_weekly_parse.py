"""Parsing weekly reports in the shapes offices really send: exact values, no ledger."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zsyz.domain.stages import Stage, stage_from_text
from zsyz.errors import BadInputError
from zsyz.io.values import ValueProblem, code_text, parse_date
from zsyz.io.weekly import parse_weekly


def _messy(xlsx):
    rows = [
        ["石佛寺镇招商引资项目周报（2022年第10周）"],
        ["填报单位：石佛寺镇人民政府", None, None, None, None, "填报日期：", date(2022, 3, 11)],
        [
            "序号",
            "项目编号",
            "项目名称",
            "投资方",
            "投资情况（万元）",
            None,
            None,
            "项目阶段",
            "签约日期",
            "本周进展",
        ],
        [None, None, None, None, "总投资", "固定资产投资", "到位资金", None, None, None],
        [
            1,
            "00123",
            "玉雕产业园",
            "南阳玉石公司",
            "1.2亿",
            8000,
            0.1,
            "已签约尚未开工",
            "3月5日",
            "推进中",
        ],
        [],
        [2, None, "光伏项目", None, 5000, "3000万", 100, "在谈", "2022.3.1", None],
        ["合计", None, None, None, "=SUM(E5:E7)"],
        ["填表说明：金额单位万元", None, "不是项目"],
        [None, None, "也不是项目"],
    ]
    return xlsx(
        rows, title="周报", merges=["A1:J1", "E3:G3"], before=[("填表说明", [["说明文字"]])]
    )


def test_messy_sheet_exact_values(xlsx):
    report = parse_weekly(_messy(xlsx))
    assert report.sheet == "周报"
    assert report.unit_text == "石佛寺镇人民政府"
    assert report.report_date == date(2022, 3, 11)
    assert report.period is not None and report.period.label == "2022-W10"
    assert report.problems == []
    assert [r.row for r in report.rows] == [5, 7]
    first, second = (r.values for r in report.rows)
    assert first == {
        "code": "00123",
        "name": "玉雕产业园",
        "investor": "南阳玉石公司",
        "total_investment": Decimal("12000"),
        "fai": Decimal("8000"),
        "funds_in_place": Decimal("0.1"),
        "stage": Stage.SIGNED,
        "signed_on": date(2022, 3, 5),
        "progress": "推进中",
    }
    assert second["fai"] == Decimal("3000")
    assert second["stage"] is Stage.NEGOTIATING
    assert second["signed_on"] == date(2022, 3, 1)


def test_headings_in_yi_and_text_dates(xlsx):
    path = xlsx(
        [
            ["晁陂镇2022年第11周重点项目进展表"],
            [
                "名称",
                "签约企业",
                "总投资（亿元）",
                "累计到位资金（亿元）",
                "当前阶段",
                "签约时间",
                "开工时间",
            ],
            ["电池项目", "比科", 1.5, 0.35, "签约", "2022年3月15日", 44625],
            [
                "冷链",
                "豫冷",
                "4500万",
                "800000元",
                "对接中",
                "2022/3/5",
                datetime(2022, 3, 5, 9, 30),
            ],
        ]
    )
    report = parse_weekly(path)
    assert report.problems == []
    assert report.period is not None and report.period.label == "2022-W11"
    a, b = (r.values for r in report.rows)
    assert a["total_investment"] == Decimal("15000") and a["funds_in_place"] == Decimal("3500")
    assert a["signed_on"] == date(2022, 3, 15) and a["started_on"] == date(2022, 3, 5)
    assert b["total_investment"] == Decimal("4500") and b["funds_in_place"] == Decimal("80")
    assert b["stage"] is Stage.LEAD and b["started_on"] == date(2022, 3, 5)


def test_money_unit_line_applies_to_plain_headings(xlsx):
    path = xlsx(
        [
            ["金额单位：亿元", None, "填报日期：2022-03-11"],
            ["项目名称", "总投资", "项目阶段"],
            ["甲", 2, "洽谈"],
        ]
    )
    report = parse_weekly(path)
    assert report.rows[0].values["total_investment"] == Decimal("20000")


def test_formula_without_cached_value_is_an_error_not_zero(xlsx):
    path = xlsx(
        [["填报日期：2022-03-11"], ["项目名称", "总投资", "项目阶段"], ["甲", "=1+1", "洽谈"]]
    )
    report = parse_weekly(path)
    assert "total_investment" not in report.rows[0].values
    assert len(report.problems) == 1
    assert report.problems[0].row == 3 and report.problems[0].column == "总投资"
    assert "公式" in report.problems[0].message


def test_bad_cells_are_problems_with_row_and_column(xlsx):
    path = xlsx(
        [
            ["填报日期：2022-03-11"],
            ["项目名称", "总投资", "项目阶段", "签约日期"],
            ["甲", "很多", "不知道", "2022-02-30"],
            [None, 100, "洽谈", None],
        ]
    )
    report = parse_weekly(path)
    found = {(p.row, p.column) for p in report.problems}
    assert found == {(3, "总投资"), (3, "项目阶段"), (3, "签约日期"), (4, "项目名称")}


def test_xls_written_by_xlwt(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    ws.write(0, 0, "填报单位：雪枫街道")
    ws.write(0, 3, "填报日期：2022/3/18")
    for c, h in enumerate(["项目编号", "项目名称", "计划总投资（万元）", "项目进度", "开工日期"]):
        ws.write(1, c, h)
    for c, v in enumerate(["007", "康养中心", 8000.5, "在建", "3月16日"]):
        ws.write(2, c, v)
    path = tmp_path / "雪枫.et"  # WPS .et is an old-style .xls inside
    wb.save(str(path))
    report = parse_weekly(path)
    assert report.kind == "xls"
    assert report.problems == []
    assert report.rows[0].values == {
        "code": "007",
        "name": "康养中心",
        "total_investment": Decimal("8000.5"),
        "stage": Stage.STARTED,
        "started_on": date(2022, 3, 16),
    }


def test_missing_headings_lists_what_was_found(xlsx):
    path = xlsx([["序号", "单位", "金额"], [1, "甲", 3]])
    with pytest.raises(BadInputError) as err:
        parse_weekly(path)
    assert "项目名称" in err.value.message and "序号、单位、金额" in err.value.message


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("在谈", Stage.NEGOTIATING),
        ("洽谈中", Stage.NEGOTIATING),
        ("已签约", Stage.SIGNED),
        ("已开工", Stage.STARTED),
        ("在建", Stage.STARTED),
        ("落地", Stage.STARTED),
        ("已投产", Stage.PRODUCING),
        ("终止", Stage.DROPPED),
        ("放弃", Stage.DROPPED),
        ("退库", Stage.DROPPED),
        ("未签约", Stage.NEGOTIATING),
        ("尚未开工", Stage.SIGNED),
        ("已签约尚未开工", Stage.SIGNED),
        ("有意向，未签约", Stage.NEGOTIATING),
        ("未投产", Stage.STARTED),
        ("已签约，正在办理手续", Stage.SIGNED),
        ("随便写写", None),
    ],
)
def test_stage_words_and_negations(text, stage):
    assert stage_from_text(text) is stage


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-03-05", date(2022, 3, 5)),
        ("2022/3/5", date(2022, 3, 5)),
        ("2022.3.5", date(2022, 3, 5)),
        ("2022年3月5日", date(2022, 3, 5)),
        ("3月5日", date(2022, 3, 5)),
        (44625, date(2022, 3, 5)),
        (44625.5, date(2022, 3, 5)),
        ("20220305", date(2022, 3, 5)),
        (date(2022, 3, 5), date(2022, 3, 5)),
        ("", None),
        ("已签约（2022.3.8）", date(2022, 3, 8)),
        ("2022年3月", date(2022, 3, 1)),  # a month: its first day
        ("2022.03", date(2022, 3, 1)),
        ("2022-3", date(2022, 3, 1)),
        ("3月", date(2022, 3, 1)),
        ("2022年3月中旬", date(2022, 3, 11)),
        ("3月下旬", date(2022, 3, 21)),
        ("待定", None),
        ("未开工", None),
        ("--", None),
    ],
)
def test_dates(value, expected):
    assert parse_date(value, 2022) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022年6月", date(2022, 6, 30)),
        ("2022年2月", date(2022, 2, 28)),
        ("2022年6月上旬", date(2022, 6, 10)),
        ("2022年6月底", date(2022, 6, 30)),
        ("2022-06-15", date(2022, 6, 15)),
    ],
)
def test_a_planned_month_is_its_last_day(value, expected):
    assert parse_date(value, 2022, month_end=True) == expected


@pytest.mark.parametrize(
    "value", ["2022-13-01", "昨天", "3月5日", True, "3", "2022", "2022年13月", "2022.3.8-2022.3.9"]
)
def test_bad_dates(value):
    with pytest.raises(ValueProblem):
        parse_date(value, None)


def test_codes_keep_leading_zeros():
    assert code_text("00123") == "00123"
    assert code_text(123.0) == "123"


def test_huge_area_is_a_problem_not_a_crash():
    from zsyz.io.values import parse_area

    with pytest.raises(ValueProblem):
        parse_area("1E30")


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("一、已开工项目（1个）", Stage.STARTED),
        ("二、已签约未开工项目（3个）", Stage.SIGNED),
        ("（三）在谈项目", Stage.NEGOTIATING),
        ("4. 储备项目", Stage.PLANNED),
        ("一、新签约项目（2个，总投资3.5亿元）", Stage.SIGNED),
        ("2、在建项目：", Stage.STARTED),
        ("开工项目", Stage.STARTED),
        ("签约项目清单", Stage.SIGNED),
        ("已投产项目", Stage.PRODUCING),
        ("线索项目库", Stage.LEAD),
        ("一、工业项目", None),  # a category, not a stage
        ("五、其他", None),
        ("玉雕产业园", None),  # a project's name
        ("项目信息表", None),
        ("项目进展情况", None),
        ("Sheet1", None),
    ],
)
def test_section_lines_and_sheet_names_that_name_a_stage(text, stage):
    from zsyz.io.weekly_head import section_stage

    assert section_stage(text) is stage


def test_section_lines_give_the_stage_to_the_rows_under_them(xlsx):
    path = xlsx(
        [
            ["填报单位：石佛寺镇", None, "填报日期：2022-03-11"],
            ["序号", "项目名称", "总投资（万元）", "项目阶段"],
            ["一、已开工项目（2个）"],
            [1, "甲", 100, None],
            [2, "乙", 100, "已投产"],  # its own stage wins
            ["二、在谈项目（1个）", None, None, None],
            [1, "丙", 100, None],
            ["合计", None, 300, None],
        ]
    )
    rows = parse_weekly(path).rows
    assert [(r.values["name"], r.values.get("stage")) for r in rows] == [
        ("甲", Stage.STARTED),
        ("乙", Stage.PRODUCING),
        ("丙", Stage.NEGOTIATING),
    ]


def test_a_sheet_named_for_a_stage_gives_it_to_rows_without_one(xlsx):
    path = xlsx(
        [["填报日期：2022-03-11"], ["项目名称", "总投资"], ["甲", 100]],
        title="签约项目",
    )
    assert parse_weekly(path).rows[0].values["stage"] is Stage.SIGNED
    plain = xlsx([["填报日期：2022-03-11"], ["项目名称", "总投资"], ["甲", 100]], title="周报")
    assert "stage" not in parse_weekly(plain).rows[0].values


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("石佛寺镇招商引资项目周报（2022年3月11日）", date(2022, 3, 11)),
        ("截至2022年3月11日", date(2022, 3, 11)),
        ("统计时段：2022年3月7日—3月13日", date(2022, 3, 13)),  # a range: its last day
        ("2022年3月7日至13日", date(2022, 3, 13)),
        ("2022.3.7-3.13", date(2022, 3, 13)),
        ("2022-03-07至2022-03-13", date(2022, 3, 13)),
        ("2022-12-26至2023-01-01", date(2023, 1, 1)),
        ("2022年第10周", None),
        ("2022-02-30", None),
        ("石佛寺镇项目周报", None),
    ],
)
def test_free_dates_in_titles_and_file_names(text, day):
    from zsyz.io.weekly_head import free_date

    assert free_date(text) == day


def test_date_and_week_from_the_title_or_the_file_name(xlsx):
    rows = [["项目名称", "总投资", "项目阶段"], ["甲", 1, "洽谈"]]
    titled = parse_weekly(xlsx([["石佛寺镇项目周报（2022年3月7日—3月13日）"], *rows]))
    assert (titled.report_date, titled.period.label) == (date(2022, 3, 13), "2022-W10")
    named = parse_weekly(xlsx(rows, name="石佛寺镇2022年第10周项目周报.xlsx"))
    assert named.period.label == "2022-W10"
    assert "石佛寺镇2022年第10周项目周报" in named.unit_hints
    iso = parse_weekly(xlsx(rows, name="2022-W11-商务局.xlsx"))
    assert iso.period.label == "2022-W11"
    # the sheet's own 填报日期 wins over the file name
    labelled = parse_weekly(xlsx([["填报日期：2022-03-25"], *rows], name="第10周.xlsx"))
    assert labelled.report_date == date(2022, 3, 25) and not labelled.problems


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        ("项目名称及建设内容", "name"),
        ("项目名称及主要建设内容", "name"),
        ("截至目前累计到位资金（万元）", "funds_in_place"),
        ("截止本周到位资金", "funds_in_place"),
        ("本年度累计完成投资", "completed_investment_year"),
        ("2022年完成投资", "completed_investment_year"),
        ("2022年计划投资（亿元）", "planned_investment_year"),
        ("项目进展情况", "progress"),
        ("存在问题及需协调事项", "problems"),
        ("招商引资单位", "roles:sourcing"),
        ("包联县领导", "leader_name"),
        ("是否新建", "is_new"),
        ("项目建设内容", None),
        ("项目所在地", None),  # an address as often as a township: not guessed
    ],
)
def test_heading_variants_offices_write(heading, key):
    from zsyz.io.columns import match_headings
    from zsyz.io.weekly_fields import WEEKLY_COLUMNS

    cols, _ = match_headings(["序号", heading], WEEKLY_COLUMNS)
    assert {v: k for k, v in cols.items()}.get(1) == key


def test_an_exact_heading_wins_over_a_loose_one():
    from zsyz.io.columns import match_headings
    from zsyz.io.weekly_fields import WEEKLY_COLUMNS

    cols, _ = match_headings(["项目名称及建设内容", "项目名称"], WEEKLY_COLUMNS)
    assert cols["name"] == 1


@given(st.text(alphabet="0123456789年月日周第.-—至/ 一二三、（）项目开工签约W", max_size=24))
def test_titles_and_sheet_names_never_crash_the_reader(text):
    from zsyz.io.weekly_head import free_date, read_preamble, section_stage

    day = free_date(text)
    assert day is None or 1990 <= day.year <= 2100
    section_stage(text)
    read_preamble([[text]])
