"""Random cell contents never produce a traceback: every import ends 0 or 65."""

from __future__ import annotations

import itertools
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLES, write_xlsx

HEAD = [
    "项目编号",
    "项目名称",
    "投资方",
    "总投资",
    "到位资金",
    "项目阶段",
    "签约日期",
    "招引单位",
    "用地面积",
    "是否供地",
]

cells = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.sampled_from(
        [
            "洽谈",
            "已签约",
            "未开工",
            "1.2亿",
            "3月5日",
            "石佛寺",
            "合计",
            "填表说明",
            "=1+1",
            "-5",
            "1e400",
        ]
    ),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
)
rows = st.lists(st.lists(cells, min_size=len(HEAD), max_size=len(HEAD)), min_size=0, max_size=6)
COUNTER = itertools.count()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=rows, preamble=st.lists(cells, max_size=4))
def test_random_cells_exit_0_or_65(ledger_db, cli, tmp_path, body, preamble):
    if next(COUNTER) == 0:
        cli("units", "import", str(SAMPLES / "单位名册.xlsx"))
    lines = [["填报单位：石佛寺镇", *preamble], ["填报日期：2022-03-11"], HEAD, *body]
    path = write_xlsx(tmp_path / f"r{next(COUNTER)}.xlsx", lines)
    result = cli("import", str(path), "--format", "json", "--rejected-to", str(tmp_path))
    assert result.code in (0, 65), result.err
    assert "内部错误" not in result.err and "Traceback" not in result.err
