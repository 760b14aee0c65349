"""One reporting calendar through the CLI: for one ledger, `rank --explain`/JSON,
`alerts --as-of` and the bulletin agree on every missed and late report, for a weekly
preset (镇平, due Monday of the next week) and a monthly one (磐安, due the 5th of the next
month). Also: the import labels a report with the period it covers, a summary fills no
township's duty, figures wait for the period's reports, and `policy` helps fill the
calendar."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest

from tests.factories import add_batch

MISSED = """
[[ranking.components]]
kind = "deduction"
label = "未按时报送"
event = "missed_report"
points = 1
"""
LATE = """
[[ranking.components]]
kind = "deduction"
label = "迟报"
event = "late_report"
points = 0.5
"""


def with_deductions(cli, tmp_path, preset: str, extra: str):
    """The preset with `extra` ranking components (missed and late reports) appended."""
    path = tmp_path / f"{preset}.toml"
    path.write_text(cli("policy", "show", preset).out + "\n" + extra, encoding="utf-8")
    return path


def deductions(rows, unit: str) -> tuple[str, str]:
    """(missed detail, late detail) of a unit in `rank --format json`."""
    (row,) = [r for r in rows if r["unit"] == unit]
    details = {c["rule"].split("：")[0]: c["detail"] for c in row["components"]}
    missed = next(v for k, v in details.items() if k.startswith("未按时报送"))
    return missed, details["迟报"]


def alerted(cli, day: date) -> dict[str, str]:
    """unit → the missed-report alert's message as of `day`."""
    found = cli("alerts", "--as-of", day.isoformat(), "--format", "json")
    assert found.code in (0, 3), found.err
    return {a["unit"]: a["message"] for a in found.json() if a["rule"] == "missed_report"}


def _table(ws, *heads: str):
    """The rows under the header line holding `heads`, as dicts (the bulletin's tables
    have a title, a unit line and a header row above their data)."""
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if all(h in r for h in heads))
    names = rows[at]
    return [dict(zip(names, r, strict=False)) for r in rows[at + 1 :]]


def bulletin(cli, tmp_path, *period: str):
    """(unit → its scoring details, unit → missed-report alert, the workbook)."""
    from openpyxl import load_workbook

    path = tmp_path / "通报.xlsx"
    made = cli("report", *period, "-o", path)
    assert made.code == 0, made.err
    wb = load_workbook(path)
    details: dict[str, list[str]] = {}
    unit = None
    for r in _table(wb["计分说明"], "单位", "计算过程"):
        unit = r["单位"] or unit
        if r["计算过程"]:
            details.setdefault(unit, []).append(r["计算过程"])
    warned = {
        r["单位"]: r["情况"]
        for r in _table(wb["预警清单"], "类别", "情况")
        if r["类别"] == "未按时报送"
    }
    return details, warned, wb


def agree(cli, tmp_path, slots, period_args, units):
    """Every reporting period of the ranked period: the units alerted as of its due day
    are those whose ranking lists it as missed or late; the bulletin says the same."""
    rows = cli("rank", *period_args, "--format", "json").json()
    for label, due in slots:
        by_alerts = set(alerted(cli, due))
        by_rank = {
            r["unit"]
            for r in rows
            if any(label in d for d in deductions(rows, r["unit"]) if "次（无）" not in d)
        }
        assert by_alerts == by_rank, label
    for unit, (missed, late) in units.items():
        got = deductions(rows, unit)
        assert got[0].startswith(missed) and got[1].startswith(late), (unit, got)
    details, warned, _ = bulletin(cli, tmp_path, *period_args)
    for r in rows:
        for text in deductions(rows, r["unit"]):
            assert text in details[r["unit"]], r["unit"]
    last_due = slots[-1][1]
    assert warned == alerted(cli, last_due)


@pytest.fixture
def zhenping(db, cli, tmp_path):
    path = with_deductions(cli, tmp_path, "zhenping-2020", LATE)  # it deducts missed ones
    assert cli("init", "--policy", path, "--with-examples").code == 0
    # February 2024: W05 (29 Jan – 4 Feb, Thursday 1 Feb) … W09 (26 Feb – 3 Mar)
    for day in (date(2024, 2, 2), date(2024, 2, 12), date(2024, 2, 16), date(2024, 2, 23)):
        add_batch(db, "石佛寺镇", "x", day)
    add_batch(db, "石佛寺镇", "x", date(2024, 3, 4))  # W09 on its due day
    add_batch(db, "晁陂镇", "x", date(2024, 2, 5))  # W05 on its due day
    add_batch(db, "晁陂镇", "2024-W07", date(2024, 2, 21), named=True)  # W07, two days late
    add_batch(db, "晁陂镇", "x", date(2024, 3, 1))  # W09 early; W06 and W08 never
    add_batch(db, "王志强", "x", date(2024, 2, 20))  # a leader's own sheet: no duty either way
    return db


WEEKS = [(f"2024年第{w}周", date(2024, 2, 5) + timedelta(weeks=w - 5)) for w in range(5, 10)]


def test_zhenping_weekly_views_agree(zhenping, cli, tmp_path):
    agree(
        cli,
        tmp_path,
        WEEKS,
        ("--month", "2024-02"),
        {
            "石佛寺镇": ("未报送 0 次", "迟报 0 次"),
            "晁陂镇": ("未报送 2 次（2024年第6周、2024年第8周）", "迟报 1 次（2024年第7周）"),
            "商务局": ("未报送 5 次", "迟报 0 次"),
            "王志强": ("未报送 0 次", "迟报 0 次"),  # leaders report through their units
        },
    )
    explain = cli("rank", "--month", "2024-02", "--explain", "晁陂镇")
    assert explain.code == 0 and "2024年第6周、2024年第8周" in explain.out
    # the alert on W06's due day names the week and its due day
    assert alerted(cli, date(2024, 2, 12))["晁陂镇"].startswith(
        "2024年第6周周报应于2月12日前报送，至今未报"
    )
    assert "王志强" not in alerted(cli, date(2024, 2, 12))


@pytest.fixture
def panan(db, cli, tmp_path):
    path = with_deductions(cli, tmp_path, "panan-2022", MISSED + LATE)
    assert cli("init", "--policy", path, "--with-examples").code == 0
    # 2024-Q1, monthly, each month due the 5th of the next
    add_batch(db, "安文街道", "x", date(2024, 2, 3))  # January, on time
    add_batch(db, "安文街道", "x", date(2024, 3, 5))  # February, on its due day
    add_batch(db, "安文街道", "x", date(2024, 4, 2))  # March
    add_batch(db, "新渥街道", "2024-01", date(2024, 2, 6), named=True)  # January, a day late
    add_batch(db, "新渥街道", "x", date(2024, 3, 10))  # after 5 March: March's, February missed
    return db


MONTHS = [
    ("2024年1月", date(2024, 2, 5)),
    ("2024年2月", date(2024, 3, 5)),
    ("2024年3月", date(2024, 4, 5)),
]


def test_panan_monthly_views_agree(panan, cli, tmp_path):
    agree(
        cli,
        tmp_path,
        MONTHS,
        ("--quarter", "2024-Q1"),
        {
            "安文街道": ("未报送 0 次", "迟报 0 次"),
            "新渥街道": ("未报送 1 次（2024年2月）", "迟报 1 次（2024年1月）"),
            "金磐开发区": ("未报送 3 次", "迟报 0 次"),
        },
    )
    assert alerted(cli, date(2024, 3, 5))["新渥街道"].startswith(
        "2024年2月月报应于3月5日前报送，至今未报"
    )
    # the quarter is read as of 5 April, when March's reports are due
    _, _, wb = bulletin(cli, tmp_path, "--quarter", "2024-Q1")
    notes = [c for row in wb["概况"].iter_rows(values_only=True) for c in row if c]
    assert any("报表截至2024年4月5日" in str(c) for c in notes), notes


def test_import_labels_a_report_with_the_week_it_covers(db, cli, xlsx):
    """A report dated on its due Monday (13 July) covers the week before (W28), in the
    import's JSON and in `imports list`, as the alerts read it."""
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    rows = [
        ["填报单位：石佛寺镇", None, "填报日期：2026年7月13日"],
        ["项目名称", "项目阶段", "总投资（万元）"],
        ["玉雕产业园", "洽谈", 5000],
    ]
    made = cli("import", str(xlsx(rows)), "--format", "json")
    assert made.code == 0, made.err
    assert made.json()[0]["period"] == "2026-W28"
    listed = cli("imports", "list", "--format", "json").json()
    assert [b["period"] for b in listed] == ["2026-W28"]
    assert "石佛寺镇" not in alerted(cli, date(2026, 7, 13))
    # a sheet naming its week keeps it: 第29周, sent on the same Monday
    named = [["石佛寺镇2026年第29周项目周报"], *rows[1:]]
    again = cli("import", str(xlsx(named)), "--unit", "石佛寺镇", "--format", "json")
    assert again.code == 0, again.err
    assert again.json()[0]["period"] == "2026-W29"


def test_a_county_summary_fills_no_townships_duty(db, cli):
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    add_batch(db, "石佛寺镇", "x", date(2024, 2, 2))
    add_batch(db, None, "2024-W06", date(2024, 2, 9), all_units=True)
    assert "石佛寺镇" in alerted(cli, date(2024, 2, 12))


def test_figures_wait_for_the_periods_reports(db, cli):
    assert cli("init", "--preset", "panan-2022", "--with-examples").code == 0
    today = date.today()
    this_month = f"{today.year}-{today.month:02d}"
    add_batch(db, "安文街道", this_month, today, named=True)  # this month's, early
    refused = cli("rank", "--month", this_month)
    assert refused.code == 1
    assert "尚未收齐" in refused.err and "新渥街道" in refused.err
    assert "安文街道" not in refused.err.split("尚未收齐")[1].split("还未报送")[0]


def test_policy_check_warns_of_stale_limits_shorter_than_the_cycle(cli, tmp_path):
    text = cli("policy", "show", "panan-2022").out.replace("started = 40", "started = 15")
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    result = cli("policy", "check", path)
    assert result.code == 0 and "警告" in result.err and "开工（started）为 15 天" in result.err
    for preset in ("panan-2022", "yinjiang-2012", "youyi-2022", "zhenping-2020"):
        own = tmp_path / f"{preset}.toml"
        own.write_text(cli("policy", "show", preset).out, encoding="utf-8")
        assert "警告" not in cli("policy", "check", own).err, preset


def test_policy_holidays_fills_the_calendar(cli, tmp_path, db):
    pytest.importorskip("chinese_calendar")
    made = cli("policy", "holidays", "--year", "2024")
    assert made.code == 0, made.err
    assert "2024-10-07,  # 国庆节" in made.out and "2024-10-12,  # 国庆节" in made.out
    text = cli("policy", "show", "panan-2022").out + "\n" + made.out
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    assert cli("policy", "check", path).code == 0
    assert cli("init", "--policy", path, "--with-examples").code == 0
    # September 2024 is due 5 October, a holiday: the 8th (Tuesday) is the due day
    add_batch(db, "安文街道", "x", date(2024, 9, 1))
    add_batch(db, "安文街道", "x", date(2024, 10, 8))
    assert "安文街道" not in alerted(cli, date(2024, 10, 8))
    due = alerted(cli, date(2024, 10, 8))["新渥街道"]
    assert due.startswith("2024年9月月报应于10月8日前报送，至今未报")
    # on the 7th September is not due yet: the alert is still about August
    assert alerted(cli, date(2024, 10, 7))["新渥街道"].startswith("2024年8月月报")


def test_policy_holidays_without_the_package_says_what_to_do(tmp_path):
    code = (
        "import sys; sys.modules['chinese_calendar'] = None\n"
        "from zsyz.cli.entry import main; sys.argv = ['zsyz', 'policy', 'holidays', "
        "'--year', '2024']; main()"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2 and "zsyz[holidays]" in done.stderr
    assert "Traceback" not in done.stderr


def test_monthly_report_naming_its_month(db, cli, xlsx):
    """磐安 (due the 5th of the next month): a report titled 2024年3月 and dated 8 April is
    March's, late; the same sheet without the month is April's."""
    assert cli("init", "--preset", "panan-2022", "--with-examples").code == 0
    add_batch(db, "新渥街道", "x", date(2024, 3, 1))  # the ledger's first report (February's)
    body = [["项目名称", "项目阶段", "总投资（万元）"], ["中药饮片厂", "洽谈", 8000]]
    named = [
        ["安文街道2024年3月招商项目月报"],
        ["填报单位：安文街道", None, "填报日期：2024年4月8日"],
    ]
    made = cli("import", str(xlsx([*named, *body])), "--format", "json")
    assert made.code == 0, made.err
    assert made.json()[0]["period"] == "2024-03"
    plain = [["填报单位：安文街道", None, "填报日期：2024年4月9日"]]
    again = cli("import", str(xlsx([*plain, *body])), "--format", "json")
    assert again.code == 0, again.err
    assert again.json()[0]["period"] == "2024-04"
    rows = cli("rank", "--quarter", "2024-Q1", "--format", "json").json()
    assert any(r["unit"] == "安文街道" for r in rows)
    message = alerted(cli, date(2024, 4, 5))["安文街道"]
    assert message.startswith("2024年3月月报应于4月5日前报送，至今未报")
    assert "安文街道" not in alerted(cli, date(2024, 4, 8))  # in, late
