"""progress, rank and rewards for a past date read the ledger as it stood on that date:
projects created later are absent, later revisions (amounts, roles) not yet applied.
Scenario through the weekly import: W10 (report 2022-03-11) and W14 (2022-04-08)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import write_xlsx

POLICY = """
[policy]
name = "test-asof"
title = "追溯测试政策"
year = 2022

[credit]
roles = ["landing"]
share = "full"

[classes.township]
label = "乡镇"

[[targets.township]]
label = "固投≥5000万元产业项目"
metric = "signed"
value = 1
min_fai = 5000
category = "*"

[ranking]
periods = ["quarter"]
form = "points"
tie_break = ["completion", "amount", "name"]
groups = { township = "乡镇" }

[[ranking.components]]
kind = "completion"
label = "目标完成"
points = 100
cap = 1.2

[[rewards]]
kind = "fixed_on_completion"
label = "完成年度目标任务奖励"
classes = ["township"]
amount = 10

[roster]
units = [
  { name = "甲镇", class = "township" },
  { name = "乙镇", class = "township" },
  { name = "丙镇", class = "township" },
]
"""

HEAD = ["项目名称", "投资方", "固定资产投资", "产业类别", "项目阶段", "签约日期", "落地单位"]
W10, W14 = "2022-03-11", "2022-04-08"
BETWEEN, AFTER = "2022-03-20", "2022-04-30"


def report(tmp_path: Path, unit: str, day: str, rows: list[list[object]]) -> Path:
    lines = [["项目周报"], [f"填报单位：{unit}", None, None, f"填报日期：{day}"], HEAD, *rows]
    return write_xlsx(tmp_path / f"{unit}-{day}.xlsx", lines)


def imported(cli, path: Path, *extra: str) -> None:
    result = cli("import", str(path), "--format", "json", *extra)
    assert result.code == 0, result.out + result.err


@pytest.fixture
def week10(db, cli, tmp_path):
    """W10: 甲镇's project at 4000万 (below the target), 乙镇's at 9000万."""
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    assert cli("init", "--policy", str(policy)).code == 0
    imported(
        cli,
        report(
            tmp_path,
            "甲镇",
            W10,
            [["新材料", "甲公司", 4000, "制造业", "已签约", "2022-03-08", "甲镇"]],
        ),
    )
    imported(
        cli,
        report(
            tmp_path,
            "乙镇",
            W10,
            [["电商基地", "乙公司", 9000, "制造业", "已签约", "2022-03-02", "乙镇"]],
        ),
    )
    return db


def import_week14(cli, tmp_path: Path) -> None:
    """W14: 甲镇's project revised to 6000万; 乙镇's handed to 丙镇 (落地单位 changed);
    丙镇 reports a new project signed on 1 March (before the earlier as-of date)."""
    imported(
        cli,
        report(
            tmp_path,
            "甲镇",
            W14,
            [["新材料", "甲公司", 6000, "制造业", "已签约", "2022-03-08", "甲镇"]],
        ),
    )
    summary = [  # the county's summary sheet moves a project between units, by its code
        ["项目周报"],
        ["填报单位：县招商局", None, None, f"填报日期：{W14}"],
        ["项目编号", *HEAD],
        # W10 created 新材料 (0001), then 电商基地
        ["ZS20220002", "电商基地", "乙公司", 9000, "制造业", "已签约", "2022-03-02", "丙镇"],
    ]
    imported(cli, write_xlsx(tmp_path / "县招商局.xlsx", summary), "--all-units")
    imported(
        cli,
        report(
            tmp_path,
            "丙镇",
            W14,
            [["后来项目", "丙公司", 7000, "制造业", "已签约", "2022-03-01", "丙镇"]],
        ),
    )


@pytest.fixture
def week14(week10, cli, tmp_path):
    import_week14(cli, tmp_path)
    return week10


def met(cli, day: str) -> dict[str, tuple[bool, list[str]]]:
    result = cli("progress", "--year", "2022", "--as-of", day, "--format", "json")
    assert result.code == 0, result.err
    return {
        u["unit"]: (u["complete"], sorted(p for t in u["targets"] for p in t["projects"]))
        for u in result.json()
    }


def names(cli) -> dict[str, str]:
    result = cli("projects", "list", "--format", "json")
    assert result.code == 0, result.err
    return {p["code"]: p["name"] for p in result.json()}


def test_revised_amount_counts_from_its_report_date(week14, cli):
    by_name = {v: k for k, v in names(cli).items()}
    then, now = met(cli, BETWEEN), met(cli, AFTER)
    assert then["甲镇"] == (False, [])  # 4000万 on 20 March: the ≥5000万 target not met
    assert now["甲镇"] == (True, [by_name["新材料"]])


def test_project_created_later_does_not_count(week14, cli):
    by_name = {v: k for k, v in names(cli).items()}
    # signed on 1 March, but first reported on 8 April: unknown to the ledger on 20 March
    assert met(cli, BETWEEN)["丙镇"] == (False, [])
    assert met(cli, AFTER)["丙镇"] == (True, sorted([by_name["电商基地"], by_name["后来项目"]]))


def test_changed_role_credits_the_old_unit_before_the_change(week14, cli):
    by_name = {v: k for k, v in names(cli).items()}
    assert met(cli, BETWEEN)["乙镇"] == (True, [by_name["电商基地"]])
    assert met(cli, AFTER)["乙镇"] == (False, [])


def test_past_quarter_rank_unchanged_by_later_reports(week10, cli, tmp_path):
    def q1() -> object:
        result = cli("rank", "--quarter", "2022-Q1", "--format", "json")
        assert result.code == 0, result.err
        return result.json()

    before = q1()
    assert (before[0]["unit"], before[0]["completion"]) == ("乙镇", 1)
    import_week14(cli, tmp_path)  # the later week's reports, imported after the quarter
    assert q1() == before
    q2 = cli("rank", "--quarter", "2022-Q2", "--format", "json").json()
    # Q2 sees the W14 ledger; its previous rank (Q1) is the ledger at the end of March
    assert {r["unit"]: r["previous_rank"] for r in q2} == {r["unit"]: r["rank"] for r in before}
    assert {r["unit"] for r in q2 if r["completion"] >= 1} == {"甲镇", "丙镇"}


def test_rewards_as_of_the_year_end(week14, cli):
    """The year is over after every report: rewards read today's ledger."""
    result = cli("rewards", "--year", "2022", "--format", "json")
    assert result.code == 0, result.err
    paid = {line["unit"] for line in result.json()["lines"]}
    assert paid == {"甲镇", "丙镇"} and date.today() > date(2022, 12, 31)
