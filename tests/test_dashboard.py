"""The leaders' dashboard (`zsyz report --html`): its rules worked by hand (no database),
then the page's embedded figures against the CLI's own JSON for the same period.

The page in a real browser: tests/test_dashboard_browser.py."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories import add_project
from zsyz.domain.dashboard import band, funnel, schedule_share, trend
from zsyz.domain.facts import FundsObservation, ProjectFact, UnitFact
from zsyz.domain.progress import Facts
from zsyz.domain.stages import Stage
from zsyz.policy.load import load_preset

ZP = load_preset("zhenping-2020")  # behind_yellow 10, behind_red 30, schedule "time"
D = Decimal


def p(code: str, stage: Stage, **dates: date) -> ProjectFact:
    return ProjectFact(
        code=code, name=code, stage=stage, stage_dates={Stage(k): v for k, v in dates.items()}
    )


def funds(code: str, *points: tuple[date, int]) -> list[FundsObservation]:
    return [FundsObservation(code, "funds_in_place", on, D(v)) for on, v in points]


PROJECTS = [
    p("A", Stage.STARTED, negotiating=date(2022, 1, 10), signed=date(2022, 2, 9),
      started=date(2022, 3, 1)),
    p("B", Stage.SIGNED, negotiating=date(2022, 1, 20), signed=date(2022, 1, 30)),
    p("C", Stage.NEGOTIATING, negotiating=date(2022, 3, 5)),
    p("D", Stage.STARTED, signed=date(2021, 11, 1), started=date(2022, 4, 2)),
]  # fmt: skip
OBS = [
    *funds("A", (date(2022, 1, 31), 100), (date(2022, 3, 15), 250)),
    *funds("D", (date(2021, 12, 31), 1000), (date(2022, 2, 28), 1300)),
]
FACTS = Facts(units=[UnitFact("u", "u", "township")], projects=PROJECTS, observations=OBS)


def test_trend_counts_each_month_and_funds_arriving():
    got = trend(FACTS, FACTS.projects, 2022, date(2022, 3, 20), since=date(2022, 1, 7))
    assert [(m.month, m.signed, m.started) for m in got] == [(1, 1, 0), (2, 1, 0), (3, 0, 1)]
    # Jan: A 0→100, D 1000→1000; Feb: D +300; Mar (to the 20th): A +150
    assert [m.funds for m in got] == [D(100), D(300), D(150)]
    # the months add up to the year to date (value on the day less the value on 31 Dec)
    assert sum(m.funds for m in got) == D(250 - 0) + D(1300 - 1000)


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (date(2022, 2, 4), [None, D(300), D(150)]),  # no report yet at January's end
        (date(2022, 3, 31), None),  # no report at all by the day asked
        (None, None),  # an empty ledger
    ],
)
def test_trend_before_the_ledger_started(since, expected):
    got = trend(FACTS, FACTS.projects, 2022, date(2022, 3, 20), since)
    assert (None if got is None else [m.funds for m in got]) == expected


def test_last_year_is_shown_only_where_the_ledger_has_it():
    assert trend(FACTS, FACTS.projects, 2021, date(2021, 3, 20), date(2022, 1, 7)) is None
    got = trend(FACTS, FACTS.projects, 2021, date(2021, 12, 31), date(2021, 12, 1))
    assert [m.funds for m in got][-1] == D(1000) and got[10].signed == 1  # D in November


def test_funnel_counts_stages_and_median_days():
    rows = {r.stage: r for r in funnel(PROJECTS, date(2022, 3, 20))}
    # on 20 March: A started, B signed, C negotiating, D still signed (starts 2 April)
    assert {s: r.count for s, r in rows.items()} == {
        Stage.NEGOTIATING: 1,
        Stage.SIGNED: 2,
        Stage.STARTED: 1,
    }
    # negotiating → signed: A 30 days, B 10 days → median 20; signed → started: A 20 days
    assert rows[Stage.NEGOTIATING].median_days == D(20)
    assert rows[Stage.NEGOTIATING].moved_on == 2
    assert rows[Stage.SIGNED].median_days == D(20) and rows[Stage.SIGNED].moved_on == 1
    assert rows[Stage.STARTED].median_days is None
    later = {r.stage: r for r in funnel(PROJECTS, date(2022, 4, 30))}
    # D adds 152 days (1 Nov → 2 Apr): median of 20 and 152 is 86
    assert later[Stage.SIGNED].median_days == D(86) and later[Stage.STARTED].count == 2


@pytest.mark.parametrize(
    ("completion", "share", "expected"),
    [
        ("1", "0.5", "on_track"),  # 100% weighted, but a target is not done (see below)
        ("1.2", "1", "on_track"),
        ("0.45", "0.5", "on_track"),  # 5 points behind
        ("0.40", "0.5", "behind"),  # 10 points: yellow starts at behind_yellow
        ("0.20", "0.5", "behind"),  # 30 points: still yellow (red is "more than 30")
        ("0.19", "0.5", "far_behind"),
        ("0", "0.0027", "on_track"),  # 1 January
    ],
)
def test_bands_follow_the_policys_alert_thresholds(completion, share, expected):
    assert band(ZP, D(completion), D(share), complete=False) == expected
    assert band(ZP, D(completion), D(share), complete=True) == "done"


def test_schedule_share_is_the_alerts_one():
    assert schedule_share(ZP, date(2022, 6, 30)) == D(181) / D(365)
    assert schedule_share(ZP, date(2022, 12, 31)) == 1


# ---- through the CLI ---------------------------------------------------------------------


@pytest.fixture
def zp(db, cli):
    """000 with 石佛寺镇 signing and starting a factory, 晁陂镇 signing one."""
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    add_project(
        db,
        "P1",
        name="<b>玉雕</b> & 园",  # text from a spreadsheet must stay text in the page
        stage="started",
        signed_on=date(2020, 3, 1),
        started_on=date(2020, 5, 10),
        fai=12000,
        total_investment=15000,
        funds_in_place=3000,
        last_reported_on=date(2020, 5, 15),  # no history: the value as of its last report
        category="制造业",
        roles={"sourcing": ["商务局"], "landing": ["石佛寺镇"]},
    )
    add_project(
        db,
        "P2",
        name="民宿",
        stage="signed",
        signed_on=date(2020, 2, 1),
        fai=3500,
        category="文化旅游",
        roles={"sourcing": ["晁陂镇"]},
    )
    return db


def embedded(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="zsyz-data">(.*?)</script>', text, re.S)
    assert found, "no embedded data"
    return json.loads(found.group(1))


def test_page_holds_the_clis_own_json(zp, cli, tmp_path):
    page = tmp_path / "看板.html"
    result = cli("report", "--quarter", "2020-Q2", "--html", page)
    assert result.code == 0, result.err
    assert "已生成" in result.err + result.out
    data = embedded(page)
    assert data["rank"] == cli("rank", "--quarter", "2020-Q2", "--format", "json").json()
    progress = cli("progress", "--year", "2020", "--as-of", "2020-06-30", "--format", "json")
    assert data["progress"] == progress.json()
    assert data["alerts"] == cli("alerts", "--as-of", "2020-06-30", "--format", "json").json()
    kpi = {k["key"]: k for k in data["kpis"]}
    # signed by 30 June 2020: P1 (March) and P2 (February), none in the quarter
    assert (kpi["signed"]["ytd"], kpi["signed"]["period"]) == (2, 0)
    assert (kpi["started"]["ytd"], kpi["started"]["period"]) == (1, 1)
    assert kpi["funds"]["target"] is None  # 000 has no county-level unit
    assert data["schedule"] == round(182 / 366, 4)  # 2020 is a leap year
    shifo = next(u for u in data["units"] if u["unit"] == "石佛寺镇")
    # 000 credits the sourcing unit (商务局): 石佛寺镇 lands P1, which does not count for it
    (p1,) = shifo["projects"]
    assert (p1["code"], p1["roles"], p1["credited"], p1["funds"]) == (
        "P1",
        ["落地单位"],
        False,
        3000,
    )
    shangwu = next(u for u in data["units"] if u["unit"] == "商务局")
    assert [(x["code"], x["credited"]) for x in shangwu["projects"]] == [("P1", True)]
    # no network: every request is refused by the page's own policy
    text = page.read_text(encoding="utf-8")
    assert "default-src 'none'" in text
    assert not re.search(r'(src|href)="(https?:)?//', text)
    assert "<b>玉雕</b>" not in text  # escaped in the JSON, set as text by the script


def test_county_targets_reach_the_cards(zp, cli, tmp_path):
    assert cli("units", "add", "镇平县", "--class", "county").code == 0
    for metric, value in (("signed", "4"), ("funds", "10000")):
        args = ("targets", "set", "镇平县", "--year", "2020", "--metric", metric)
        assert cli(*args, "--value", value).code == 0
    page = tmp_path / "看板.html"
    assert cli("report", "--quarter", "2020-Q2", "--html", page).code == 0
    kpi = {k["key"]: k for k in embedded(page)["kpis"]}
    assert (kpi["signed"]["target"], kpi["signed"]["completion"]) == (4, 0.5)
    assert (kpi["funds"]["target"], kpi["funds"]["ytd"]) == (10000, 3000)


def test_per_unit_pages_hold_only_the_unit(zp, cli, tmp_path):
    out = tmp_path / "单位"
    result = cli("report", "--quarter", "2020-Q2", "--html", out, "--per-unit")
    assert result.code == 0, result.err
    pages = {f.name: f for f in out.iterdir()}
    assert "石佛寺镇.html" in pages and "晁陂镇.html" in pages
    data = embedded(pages["晁陂镇.html"])
    assert [u["unit"] for u in data["units"]] == ["晁陂镇"]
    assert [r["unit"] for r in data["progress"]] == ["晁陂镇"]
    assert {r["group"] for r in data["rank"]} == {"township"}
    assert all(r["components"] == [] for r in data["rank"] if r["unit"] != "晁陂镇")
    text = pages["晁陂镇.html"].read_text(encoding="utf-8")
    assert "P2" in text and "P1" not in text and "玉雕" not in text
    assert all("晁陂镇" in a["units"] for a in data["alerts"])
    mine = next(r for r in cli("rank", "--quarter", "2020-Q2", "--format", "json").json()
                if r["unit"] == "晁陂镇")  # fmt: skip
    assert next(r for r in data["rank"] if r["unit"] == "晁陂镇") == mine


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quarter", "2020-Q2"], "-o"),
        (["--quarter", "2020-Q2", "--html", "看板.txt"], ".html"),
        (["--quarter", "2020-Q2", "-o", "x.xlsx", "--per-unit"], "--per-unit"),
        (["--quarter", "2020-Q2", "--year", "2020", "--html", "a.html"], "只指定一个期间"),
    ],
)
def test_usage_errors(zp, cli, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = cli("report", *args)
    assert result.code == 2 and message in result.err
    assert "Traceback" not in result.err


def test_year_and_both_outputs_at_once(zp, cli, tmp_path):
    page, book = tmp_path / "年.html", tmp_path / "年.xlsx"
    assert cli("report", "--year", "2020", "--html", page, "-o", book).code == 0
    assert book.exists() and embedded(page)["period"]["label"] == "2020年"
    assert oct(page.stat().st_mode & 0o777) != "0o600"  # shared, like any report


@pytest.mark.parametrize(
    ("unit", "used", "expected"),
    [
        ("石佛寺镇", set(), "石佛寺镇.html"),
        ("a/b:c*?", set(), "a＿b＿c＿＿.html"),
        ("..", set(), "单位.html"),
        ("Team", {"team.html"}, "Team（2）.html"),
        ("甲", {"甲.html", "甲（2）.html"}, "甲（3）.html"),
    ],
)
def test_unit_page_names(unit, used, expected):
    from zsyz.io.dashboard import page_name

    assert page_name(unit, used) == expected


def test_last_year_months_end_where_this_years_do():
    from zsyz.app.dashboard import _year_before

    assert _year_before(date(2022, 6, 30)) == date(2021, 6, 30)
    assert _year_before(date(2024, 2, 29)) == date(2023, 2, 28)
    assert _year_before(date(2023, 2, 28)) == date(2022, 2, 28)
    assert _year_before(date(2021, 2, 28)) == date(2020, 2, 29)  # the month's end
    assert _year_before(date(2022, 5, 17)) == date(2021, 5, 17)


def test_missing_folder_is_one_line_not_a_traceback(zp, cli, tmp_path):
    result = cli("report", "--month", "2020-05", "--html", tmp_path / "无此目录" / "看板.html")
    assert result.code == 1 and "不存在" in result.err and "Traceback" not in result.err
    assert not list(tmp_path.glob("**/*.html"))
