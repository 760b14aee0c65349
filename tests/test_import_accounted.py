"""Property (issue 11): for any generated weekly sheet, every non-empty cell is either stored
(its value round-trips through `projects show --format json`) or its heading is listed in
`ignored_columns`. Nothing is dropped silently."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLES, write_xlsx

words = st.text(alphabet="甲乙丙丁研判通过制造业新材料abcXYZ0123", min_size=1, max_size=10)
# (heading, where the value lands in `projects show`, cell strategy, expected value of a cell)
COLUMNS = {
    "投资方": ("investor", words, str),
    "产业类别": ("category", words, str),
    "本周进展": ("progress", words, str),
    "总投资（万元）": ("total_investment", st.integers(0, 10**7), Decimal),
    "到位资金[亿元]": ("funds_in_place", st.integers(0, 500), lambda v: Decimal(v) * 10000),
    "签约日期": ("signed_on", st.dates(date(2021, 1, 1), date(2022, 3, 1)), date.isoformat),
    "研判结果": ("extra:研判结果", words, str),
    "填报人": ("extra:填报人", words, str),
    "统计项甲": (None, words, None),
    "备用列": (None, st.integers(0, 99), None),
}
COUNTER = itertools.count()


@st.composite
def sheets(draw):
    headings = draw(
        st.lists(st.sampled_from(sorted(COLUMNS)), min_size=1, max_size=len(COLUMNS), unique=True)
    )
    body = []
    for i in range(draw(st.integers(1, 4))):
        cells = [draw(st.none() | COLUMNS[h][1]) for h in headings]
        body.append([f"项目{i}", "洽谈", "2021-01-01", *cells])
    return headings, body


def stored(project, key):
    if key.startswith("extra:"):
        return (project["extra"] or {}).get(key[6:])
    value = project[key]
    return Decimal(str(value)) if isinstance(value, int | float) else value


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sheet=sheets())
def test_every_cell_is_stored_or_named_as_ignored(ledger_db, cli, tmp_path, sheet):
    n = next(COUNTER)
    if n == 0:
        assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    headings, body = sheet
    body = [[f"例{n}{row[0]}", *row[1:]] for row in body]
    lines = [
        ["填报单位：石佛寺镇", None, "填报日期：2022-03-11"],
        ["项目名称", "项目阶段", "洽谈日期", *headings],
        *body,
    ]
    path = write_xlsx(tmp_path / f"周报{n}.xlsx", lines)
    result = cli("import", str(path), "--format", "json")
    assert result.code == 0, result.out + result.err
    (out,) = result.json()
    ignored = set(out["ignored_columns"])
    listed = {p["name"]: p["code"] for p in cli("projects", "list", "--format", "json").json()}
    for row in body:
        project = cli("projects", "show", listed[row[0]], "--format", "json").json()
        for heading, cell in zip(headings, row[3:], strict=True):
            if cell is None:
                continue
            key, _, expect = COLUMNS[heading]
            if key is None:
                assert heading in ignored
                continue
            assert heading not in ignored
            assert stored(project, key) == expect(cell), (heading, cell)
