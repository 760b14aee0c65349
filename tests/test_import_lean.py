"""The lean import's shortcuts give what the plain code gives: the sheet scan's farthest
column of A–Z, the 亩 of a whole-number cell, the literals a bulk insert writes into its
statement, and the stored rows of new projects whose columns are left out of the INSERT."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SAMPLES, write_xlsx
from zsyz.errors import Problem
from zsyz.io.values import parse_area
from zsyz.io.weekly_cells import Sheet, _as_value
from zsyz.io.weekly_fields import COLUMN
from zsyz.io.workbook import SheetScan, _far
from zsyz.store.driver import _literal

PIECES = st.sampled_from(
    [b'<c r="A1"/>', b'<c r="T9"/>', b'<c r="Z2"/>', b'<c r="AB3"/>', b'<row r="7">', b"r=", b'"']
)


def _near_by_substring(data: bytes, near: int) -> int:
    """The definition: the farthest of A–Z any `r="X` names (from `near` on)."""
    for col in range(26, near, -1):
        if b'r="' + bytes([ord("A") + col - 1]) in data:
            return col
    return near


@given(st.lists(st.one_of(PIECES, st.binary(max_size=6)), max_size=30), st.integers(0, 26))
def test_farthest_letter_is_the_substring_definition(parts: list[bytes], near: int) -> None:
    data = b"".join(parts)
    scan = SheetScan(near_col=near)
    _far(scan, data)
    assert scan.near_col == _near_by_substring(data, near)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Problem) or isinstance(b, Problem):
        return a == b
    return a == b and str(a) == str(b)  # the scale too: 20.0000, not 20


@given(
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(-10, 10**8).map(float),
        st.sampled_from([0.0, -0.0, 1e7, 1e7 + 1, 2e7]),
    )
)
def test_a_whole_number_of_mu_reads_as_parse_area_reads_it(value: float) -> None:
    fast = COLUMN["land_area"].reader(Sheet())
    assert _same(fast(value), _as_value(parse_area)(value))


def test_literals_only_where_unambiguous() -> None:
    assert _literal(7) == "7"
    assert _literal("2022-03-11") == "'2022-03-11'"
    assert _literal("2026-12-01 06:20:07.000000") == "'2026-12-01 06:20:07.000000'"
    for bound in (True, None, 1.5, Decimal("1"), date(2022, 3, 11), "it's", "5%", "a\\b", "县"):
        assert _literal(bound) is None, bound


def test_new_projects_store_null_for_the_columns_no_row_sets(cli, ledger_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    if "://" in ledger_db:
        pytest.skip("reads the SQLite file")
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    book = write_xlsx(
        tmp_path / "周报.xlsx",
        [
            ["项目周报"],
            ["填报单位：石佛寺镇", None, None, "填报日期：2022-03-11"],
            ["项目名称", "投资方", "总投资（万元）", "项目阶段", "签约日期", "用地面积（亩）"],
            ["玉雕产业园", "甲公司", 1200, "已签约", "2022-03-01", 20],
            ["物流园", None, 300, "洽谈", None, None],
        ],
    )
    result = cli("import", str(book), "-f", "json")
    assert result.code == 0, result.err
    with sqlite3.connect(ledger_db) as conn:
        rows = conn.execute(
            "SELECT name, investor, total_investment, fai, land_area, signed_on, is_new, extra"
            " FROM project ORDER BY id"
        ).fetchall()
        history = conn.execute(
            "SELECT DISTINCT batch_id, effective_on, typeof(created_at) FROM project_update"
        ).fetchall()
    assert rows == [
        ("玉雕产业园", "甲公司", 12_000_000, None, 200_000, "2022-03-01", None, None),
        ("物流园", None, 3_000_000, None, None, None, None, None),
    ]
    assert history == [(1, "2022-03-11", "text")]
