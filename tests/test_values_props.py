"""Amount parsing: exact, and no cell content ever raises anything but ValueProblem."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zsyz.io.rosters import read_indicator
from zsyz.io.values import ValueProblem, parse_amount, to_decimal


@pytest.mark.parametrize(
    ("cell", "unit", "wan"),
    [
        (5000, "万元", Decimal("5000")),
        ("1.2亿", "万元", Decimal("12000")),
        (1.2, "亿元", Decimal("12000")),
        (12345678, "元", Decimal("1234.5678")),
        ("3,500", "万元", Decimal("3500")),
        ("５０００万元", None, Decimal("5000")),
        (0.1, "万元", Decimal("0.1")),
        ("", "万元", None),
        ("-", "万元", None),
        ("800元", "万元", Decimal("0.08")),
        ("约5000万", "万元", Decimal("5000")),
        ("5000余万元", "万元", Decimal("5000")),
        ("5000多万", "万元", Decimal("5000")),
        ("¥5000", "万元", Decimal("5000")),
        ("1.2亿（一期）", "万元", Decimal("12000")),
        ("5000万元（其中外资100万）", "万元", Decimal("5000")),
        ("--", "万元", None),
        ("待定", "万元", None),
        ("未到位", "万元", None),
    ],
)
def test_parse_amount(cell, unit, wan):
    assert parse_amount(cell, unit) == wan


@pytest.mark.parametrize(
    "cell", ["五千万", "abc", "-5", True, "1.2.3亿", "0.00001", "5000-8000", "超5000万", "12亿美元"]
)
def test_parse_amount_refuses(cell):
    with pytest.raises(ValueProblem):
        parse_amount(cell)


def test_foreign_currency_is_asked_in_yuan():
    with pytest.raises(ValueProblem, match="折算为人民币"):
        parse_amount("100万美元")


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()))
def test_parse_amount_never_crashes(cell):
    try:
        result = parse_amount(cell)
    except ValueProblem:
        return
    assert result is None or (isinstance(result, Decimal) and result >= 0)


@given(st.one_of(st.text(), st.integers(), st.floats(), st.none()))
def test_to_decimal_never_crashes(cell):
    with contextlib.suppress(ValueProblem):
        to_decimal(cell)


@given(st.text())
def test_read_indicator_never_crashes(heading):
    read_indicator(heading)


@pytest.mark.parametrize(
    ("heading", "metric", "filters"),
    [
        ("签约项目（个）", "signed", {}),
        ("落地开工项目（个）", "started", {}),
        ("签约总投资5000万元以上项目（个）", "signed", {"min_total": Decimal(5000)}),
        ("引进固定资产投资超亿元项目", "signed", {"min_fai": Decimal(10000)}),
        ("到位资金（万元）", "funds", {}),
        ("省外资金（万元）", "out_of_province_funds", {}),
        ("利用外资", "foreign_funds", {}),
        ("新建省级百大项目（个）", "started", {"level": "省级百大", "new_only": True}),
        ("新策划生成总投资5000万元以上产业项目", "compiled", {"min_total": Decimal(5000)}),
        ("固定资产投资（亿元）", "fai_completed", {}),
    ],
)
def test_read_indicator(heading, metric, filters):
    ind = read_indicator(heading)
    assert ind is not None
    assert (ind.metric.value, ind.filters) == (metric, filters)


def test_read_indicator_scale_from_heading():
    ind = read_indicator("到位资金（亿元）")
    assert ind is not None and ind.scale == Decimal(10000)
    assert read_indicator("序号") is None and read_indicator("备注") is None


_DATEISH = st.text(alphabet="0123456789年月日.-/上中下旬底初 ", max_size=14)


@given(st.one_of(_DATEISH, st.text(max_size=12)), st.sampled_from([None, 2022]))
def test_parse_date_never_crashes_and_a_plan_is_never_earlier(text, year):
    from zsyz.io.values import parse_date

    try:
        first = parse_date(text, year)
    except ValueProblem:
        return
    last = parse_date(text, year, month_end=True)
    assert (first is None) == (last is None)
    if first is not None and last is not None:
        assert first <= last and (first.year, first.month) == (last.year, last.month)
