"""The typed columns of the weekly reader: each column's parser never raises, reads
amounts and areas exactly, and refuses garbage with a problem value."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zsyz.domain.stages import PlannedStage, Stage
from zsyz.errors import Problem
from zsyz.io.values import SCALE_TO_WAN
from zsyz.io.weekly_cells import (
    AmountColumn,
    AreaColumn,
    CodeColumn,
    CreditCodeColumn,
    DateColumn,
    FlagColumn,
    Sheet,
    StageColumn,
    TextColumn,
    UnitsColumn,
)
from zsyz.io.weekly_fields import COLUMN, FIELDS

# What calamine (and openpyxl) hand the reader, and worse.
CELLS = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.text(alphabet="0123456789.,-+亿万元千美约余多（）() 年月日/亩是否", max_size=16),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(max_value=timedelta(days=10**5), min_value=timedelta(days=-(10**5))),
)
SHEETS = st.builds(
    Sheet,
    unit=st.sampled_from([None, "万元", "亿元", "元", "千元", "美元", "万美元", "亿日元"]),
    year=st.one_of(st.none(), st.integers(min_value=1980, max_value=2110)),
    usd_rate=st.one_of(st.none(), st.just(Decimal("7.1234"))),
)
# The value each column class gives for a filled, readable cell.
VALUE_TYPES: dict[type, tuple[type, ...]] = {
    TextColumn: (str,),
    CodeColumn: (str,),
    CreditCodeColumn: (str,),
    AmountColumn: (Decimal,),
    AreaColumn: (Decimal,),
    DateColumn: (date,),
    StageColumn: (Stage, PlannedStage),
    UnitsColumn: (tuple,),
    FlagColumn: (bool,),
}
GARBAGE = st.text(alphabet="abcxyzQWERTY?!#@", min_size=2, max_size=12)


def test_every_column_class_is_used_and_typed():
    assert {type(c) for c in FIELDS} == set(VALUE_TYPES)


@pytest.mark.parametrize("key", [c.key for c in FIELDS])
@given(cell=CELLS, sheet=SHEETS)
def test_no_cell_makes_a_column_raise(key, cell, sheet):
    column = COLUMN[key]
    value = column.parse(cell, sheet)
    if value is None or type(value) is Problem:
        assert value is None or value.message
        return
    assert isinstance(value, VALUE_TYPES[type(column)])
    if isinstance(value, Decimal):
        assert value.is_finite() and value >= 0 and value == value.quantize(Decimal("0.0001"))


@given(
    n=st.integers(min_value=0, max_value=10**13),
    unit=st.sampled_from(sorted(SCALE_TO_WAN)),
    as_float=st.booleans(),
)
def test_a_whole_amount_is_exact_in_its_unit(n, unit, as_float):
    cell = float(n) if as_float and n < 2**53 else n
    got = COLUMN["funds_in_place"].parse(cell, Sheet(unit=unit))
    wan = Decimal(n) * SCALE_TO_WAN[unit]
    if wan > Decimal(10) ** 8 or wan != wan.quantize(Decimal("0.0001")):
        assert type(got) is Problem
    else:
        assert got == wan and type(got) is Decimal


@given(
    amount=st.decimals(min_value=0, max_value=9999, places=4, allow_nan=False),
    unit=st.sampled_from(["亿", "亿元", "万", "万元"]),
)
def test_an_amount_with_its_unit_written_in_the_cell_is_exact(amount, unit):
    got = COLUMN["total_investment"].parse(f"{amount}{unit}")
    assert got == amount * SCALE_TO_WAN[unit]


@given(x=st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_a_fractional_amount_is_its_shortest_decimal_or_refused(x):
    got = COLUMN["fai"].parse(x)
    exact = Decimal(repr(x))
    if exact == exact.quantize(Decimal("0.0001")):
        assert got == exact
    else:
        assert type(got) is Problem and "1 元" in got.message


@given(area=st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False))
def test_land_in_mu_is_exact(area):
    assert COLUMN["land_area"].parse(f"{area}亩") == area
    assert COLUMN["land_area"].parse(str(area)) == area


@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_a_day_reads_as_itself_in_every_form(day):
    column = COLUMN["signed_on"]
    assert column.parse(day) == day
    assert column.parse(datetime.combine(day, time(9, 30))) == day
    assert column.parse(day.isoformat()) == day
    assert column.parse(f"{day.year}年{day.month}月{day.day}日") == day


@pytest.mark.parametrize("key", ["fai", "land_area", "signed_on", "stage", "is_new", "credit_code"])
@given(text=GARBAGE)
def test_garbage_is_refused_with_a_problem_value(key, text):
    got = COLUMN[key].parse(text)
    assert type(got) is Problem and got.message and got.row is None


def test_each_column_reads_its_kind():
    assert COLUMN["code"].parse(123.0) == "123"
    assert COLUMN["code"].parse(" 00123 ") == "00123"
    assert COLUMN["total_investment"].parse(1.2, Sheet(unit="亿元")) == Decimal(12000)
    assert COLUMN["total_investment"].parse(5000) == Decimal(5000)
    assert type(COLUMN["total_investment"].parse(5, Sheet(unit="美元"))) is Problem
    assert COLUMN["total_investment"].parse(100, Sheet(unit="万美元", usd_rate=Decimal("7"))) == (
        Decimal(700)
    )
    assert COLUMN["planned_start_on"].parse("2022年6月") == date(2022, 6, 30)
    assert COLUMN["started_on"].parse("2022年6月") == date(2022, 6, 1)
    assert COLUMN["signed_on"].parse("3月5日", Sheet(year=2022)) == date(2022, 3, 5)
    assert type(COLUMN["signed_on"].parse("3月5日")) is Problem
    assert COLUMN["stage"].parse("已开工") is Stage.STARTED
    assert isinstance(COLUMN["stage"].parse("拟签约"), PlannedStage)
    assert COLUMN["roles:sourcing"].parse("石佛寺镇、城关镇") == ("石佛寺镇", "城关镇")
    assert COLUMN["is_new"].parse("新建") is True
    assert COLUMN["needs_land"].parse("否") is False
    assert COLUMN["name"].parse("  某项目 ") == "某项目"
    assert COLUMN["land_area"].heading_problem("用地面积（平方米）")
    assert COLUMN["land_area"].heading_problem("用地（亩）") is None
