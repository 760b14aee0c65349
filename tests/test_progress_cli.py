"""zsyz progress through the CLI, over projects written straight into the ledger."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.factories import add_activity, add_project


@pytest.fixture
def zp(db, cli):
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    return db


def test_progress_json_contract(zp, cli):
    add_project(
        zp,
        "P1",
        stage="signed",
        signed_on=date(2020, 4, 1),
        fai=6000,
        category="制造业",
        roles={"sourcing": ["石佛寺镇"]},
    )
    add_project(
        zp,
        "P2",
        stage="signed",
        signed_on=date(2020, 4, 1),
        fai=3500,
        category="文化旅游",
        roles={"sourcing": ["晁陂镇"]},
    )
    add_project(
        zp, "P3", stage="negotiating", fai=9000, category="制造业", roles={"sourcing": ["贾宋镇"]}
    )
    result = cli(
        "progress",
        "--year",
        "2020",
        "--as-of",
        "2020-12-31",
        "--class",
        "township",
        "--format",
        "json",
    )
    assert result.code == 0, result.err
    data = {u["unit"]: u for u in result.json()}
    assert set(data) == {"石佛寺镇", "晁陂镇", "贾宋镇", "侯集镇", "雪枫街道", "涅阳街道"}
    sfs = data["石佛寺镇"]
    assert set(sfs) == {
        "unit",
        "class",
        "complete",
        "completion",
        "composite_completion",
        "targets",
    }
    assert sfs["class"] == "township" and sfs["complete"] is True and sfs["completion"] == 1
    (t,) = sfs["targets"]
    assert set(t) == {
        "target",
        "metric",
        "required",
        "achieved",
        "completion",
        "complete",
        "projects",
    }
    assert t["metric"] == "signed" and t["projects"] == ["P1"] and t["required"] == 1
    cb = data["晁陂镇"]["targets"][0]
    assert (cb["complete"], cb["completion"], cb["projects"]) == (False, 0.5, ["P2"])
    assert data["贾宋镇"]["targets"][0]["projects"] == []


def test_progress_unit_filter_and_alias(zp, cli):
    add_project(
        zp,
        "P1",
        stage="started",
        signed_on=date(2020, 4, 1),
        started_on=date(2020, 6, 1),
        fai=12000,
        category="制造业",
        roles={"sourcing": ["商务局"]},
    )
    rows = cli("progress", "--year", "2020", "--unit", "县商务局", "--format", "json").json()
    assert [r["unit"] for r in rows] == ["商务局"]
    assert rows[0]["complete"] and rows[0]["targets"][0]["projects"] == ["P1"]
    unknown = cli("progress", "--year", "2020", "--unit", "商务局局")
    assert unknown.code == 1 and "商务局" in unknown.err


def test_funds_as_of_come_from_history_else_current_value(db, cli):
    assert cli("init", "--preset", "yinjiang-2012", "--with-examples").code == 0
    add_project(
        db,
        "F1",
        stage="started",
        funds_in_place=4700,
        roles={"sourcing": ["招商一分队"]},
        history=[
            ("funds_in_place", "500", date(2011, 12, 1)),
            ("funds_in_place", "800", date(2012, 3, 1)),
            ("funds_in_place", "4700", date(2012, 9, 1)),
        ],
    )
    add_project(
        db,
        "F2",
        stage="signed",
        funds_in_place=1000,
        last_reported_on=date(2012, 5, 1),
        roles={"sourcing": ["招商二分队"]},
    )

    def squad(name, as_of):
        rows = cli(
            "progress", "--year", "2012", "--as-of", as_of, "--class", "squad", "--format", "json"
        ).json()
        return next(r for r in rows if r["unit"] == name)["targets"][0]

    assert squad("招商一分队", "2012-06-30")["achieved"] == 300
    end = squad("招商一分队", "2012-12-31")
    assert (end["achieved"], end["required"], end["completion"]) == (4200, 5000, 0.84)
    assert squad("招商二分队", "2012-04-30")["achieved"] == 0
    assert squad("招商二分队", "2012-12-31")["achieved"] == 1000


def test_leads_and_trips_from_activities(db, cli, tmp_path):
    policy = tmp_path / "p.toml"
    policy.write_text(
        '[policy]\nname="a"\ntitle="t"\nyear=2020\n[classes.leader]\nlabel="县领导"\n'
        '[[targets.leader]]\nmetric="leads"\nvalue=12\n[[targets.leader]]\nmetric="trips"\nvalue=12\n'
        '[roster]\nunits=[{name="王志强", class="leader"}]\n',
        encoding="utf-8",
    )
    assert cli("init", "--policy", str(policy)).code == 0
    for m in range(1, 13):
        add_activity(db, "王志强", date(2020, m, 3), "lead")
    add_activity(db, "王志强", date(2020, 2, 3), "trip")
    (row,) = cli("progress", "--year", "2020", "--format", "json").json()
    assert [(t["metric"], t["achieved"], t["complete"]) for t in row["targets"]] == [
        ("leads", 12, True),
        ("trips", 1, False),
    ]
    assert row["completion"] == round(1 / 12, 4)


def test_progress_table_and_csv(zp, cli):
    add_project(
        zp,
        "P1",
        stage="signed",
        signed_on=date(2020, 4, 1),
        fai=6000,
        category="制造业",
        roles={"sourcing": ["石佛寺镇"]},
    )
    table = cli("progress", "--year", "2020", "--class", "township")
    assert table.code == 0 and "石佛寺镇" in table.out
    csv = cli("progress", "--year", "2020", "--class", "township", "--format", "csv")
    lines = csv.out.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("单位,类别,目标")
    assert all(line.split(",")[0] for line in lines[1:])


def test_progress_without_policy_says_what_to_do(ledger_db, cli):
    result = cli("progress", "--year", "2020")
    assert result.code == 1 and "zsyz init --preset" in result.err


def test_progress_bad_date_is_usage(zp, cli):
    result = cli("progress", "--as-of", "2020-13-01")
    assert result.code == 2 and "--as-of" in result.err


def test_progress_as_of_before_the_year_is_usage(zp, cli):
    """QA #28: a 2026 table 「截至 2025-06-30」 of zeros was printed with exit 0."""
    result = cli("progress", "--year", "2026", "--as-of", "2025-06-30")
    assert result.code == 2
    assert "--as-of 2025-06-30 早于 2026 年开始；请给 2026 年内的日期，或改 --year" in result.err
    assert result.out == ""


def test_explicit_target_from_targets_set_overrides_class(zp, cli):
    add_project(
        zp,
        "P1",
        stage="signed",
        signed_on=date(2020, 4, 1),
        fai=6000,
        category="制造业",
        roles={"sourcing": ["石佛寺镇"]},
    )
    assert (
        cli(
            "targets",
            "set",
            "石佛寺镇",
            "--year",
            "2020",
            "--metric",
            "signed",
            "--value",
            "2",
            "--min-fai",
            "5000",
        ).code
        == 0
    )
    (row,) = cli("progress", "--year", "2020", "--unit", "石佛寺镇", "--format", "json").json()
    (t,) = row["targets"]
    assert (t["required"], t["achieved"], t["complete"]) == (2, 1, False)


def test_progress_table_and_csv_show_class_in_chinese(zp, cli):
    # Operators read Chinese: the 类别 column is the class label, not the policy key, and
    # the two 完成 headings (achieved value, done flag) are told apart.
    table = cli("progress", "--year", "2020", "--class", "township")
    # a narrow terminal truncates cells (乡 …), so the labels are checked in the CSV below
    assert table.code == 0 and "township" not in table.out
    csv = cli("progress", "--year", "2020", "--class", "township", "--format", "csv")
    lines = csv.out.lstrip("\ufeff").splitlines()
    assert lines[0] == "单位,类别,目标,目标值,完成,完成率%,是否完成,计入项目"
    assert all(line.split(",")[1] == "乡镇（街道）" for line in lines[1:])
    data = cli("progress", "--year", "2020", "--class", "township", "--format", "json")
    assert {u["class"] for u in json.loads(data.out)} == {"township"}  # JSON contract unchanged
