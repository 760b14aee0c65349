"""zsyz alerts end to end over a ledger filled like the weekly import fills it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from tests.factories import add_activity, add_batch, add_project, add_update

POLICY = """
[policy]
name = "test-alerts"
title = "预警测试政策"
year = 2022

[classes.township]
label = "乡镇"

[reporting]
cadence = "weekly"
due_weekday = 1
classes = ["township"]

[alerts]
stale_days = { negotiating = 30, signed = 20, started = 15 }
signed_not_started_months = 6
start_late_red_months = 3
monthly_leads = 1
activity_classes = ["township"]

[roster]
units = [
  { name = "甲镇", class = "township", aliases = ["甲"] },
  { name = "乙镇", class = "township" },
]
"""


@pytest.fixture
def ledger(db, cli, tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text(POLICY, encoding="utf-8")
    assert cli("init", "--policy", str(path)).code == 0
    # W10 (Mar 7–13): both towns report on time, 甲镇's project is created then
    add_project(
        db,
        "P1",
        stage="negotiating",
        name="甲镇新材料项目",
        roles={"landing": ["甲镇"]},
        negotiating_on=date(2022, 3, 1),
        created_on=date(2022, 3, 14),
        last_reported_on=date(2022, 3, 14),
    )
    add_batch(db, "甲镇", "2022-W10", date(2022, 3, 14))
    add_batch(db, "乙镇", "2022-W10", date(2022, 3, 14))
    add_activity(db, "甲镇", date(2022, 3, 3), "lead")
    return db


def alerts(cli, *args):
    result = cli("alerts", "--format", "json", *args)
    assert result.code == 0, result.err
    return result.json()


def test_json_contract_and_rules(ledger, cli):
    found = alerts(cli, "--as-of", "2022-03-21")
    assert found, "乙镇 missed week 11"
    assert set(found[0]) == {
        "level",
        "rule",
        "rule_label",
        "unit",
        "units",
        "project",
        "project_name",
        "message",
        "action",
        "count",
    }
    rules = {(a["unit"], a["rule"], a["level"]) for a in found}
    assert rules == {("甲镇", "missed_report", "yellow"), ("乙镇", "missed_report", "yellow")}
    add_batch(ledger, "甲镇", "2022-W11", date(2022, 3, 21))
    assert [a["unit"] for a in alerts(cli, "--as-of", "2022-03-21")] == ["乙镇"]
    # a month later: 乙镇 has missed W11–W15 (red), P1 is stale, March had no lead for 乙镇
    later = alerts(cli, "--as-of", "2022-04-18")
    got = {(a["unit"], a["rule"], a["level"], a["project"]) for a in later}
    assert ("乙镇", "missed_report", "red", None) in got
    assert ("甲镇", "missed_report", "red", None) in got
    assert ("甲镇", "stale_project", "yellow", "P1") in got  # 35 days since 3-14
    assert ("乙镇", "monthly_activity", "yellow", None) in got
    assert not any(u == "甲镇" and r == "monthly_activity" for u, r, _, _ in got)
    yi = next(a for a in later if a["unit"] == "乙镇" and a["rule"] == "missed_report")
    assert yi["count"] == 5 and "未按时报送 5 次" in yi["message"] and yi["action"]


def test_filters_by_unit_alias_and_level(ledger, cli):
    as_of = ("--as-of", "2022-04-18")
    mine = alerts(cli, *as_of, "--unit", "甲")
    assert mine and {a["unit"] for a in mine} == {"甲镇"}
    red = alerts(cli, *as_of, "--level", "red")
    assert red and {a["level"] for a in red} == {"red"}
    yellow = alerts(cli, *as_of, "--level", "yellow")
    assert yellow and {a["level"] for a in yellow} == {"yellow"}
    assert len(alerts(cli, *as_of)) == len(red) + len(yellow)
    unknown = cli("alerts", "--unit", "丙镇")
    assert unknown.code == 1 and "丙镇" in unknown.err
    bad = cli("alerts", "--as-of", "2022-13-01")
    assert bad.code == 2 and "YYYY-MM-DD" in bad.err


def test_fail_on_sets_exit_code_3(ledger, cli):
    # 2022-03-21: only yellow alerts
    assert cli("alerts", "--as-of", "2022-03-21").code == 0
    assert cli("alerts", "--as-of", "2022-03-21", "--fail-on", "red").code == 0
    yellow = cli("alerts", "--as-of", "2022-03-21", "--fail-on", "yellow")
    assert yellow.code == 3 and "乙镇" in yellow.out and "预警" in yellow.err
    # 2022-04-18: red alerts exist
    assert cli("alerts", "--as-of", "2022-04-18").code == 0
    assert cli("alerts", "--as-of", "2022-04-18", "--fail-on", "red").code == 3
    assert cli("alerts", "--as-of", "2022-04-18", "--fail-on", "yellow").code == 3
    # nothing to report: exit 0 even with --fail-on
    add_batch(ledger, "甲镇", "2022-W11", date(2022, 3, 21))
    add_batch(ledger, "乙镇", "2022-W11", date(2022, 3, 21))
    assert cli("alerts", "--as-of", "2022-03-21", "--fail-on", "yellow").code == 0


def test_alerts_as_of_a_past_date_do_not_change_after_later_imports(ledger, cli):
    add_update(ledger, "P1", {"stage": "signed", "signed_on": date(2022, 4, 1)}, date(2022, 4, 4))
    add_batch(ledger, "甲镇", "2022-W13", date(2022, 4, 4))
    before = {
        fmt: cli("alerts", "--as-of", "2022-05-02", "--format", fmt).out for fmt in ("json", "csv")
    }
    assert any(a["project"] == "P1" for a in alerts(cli, "--as-of", "2022-05-02"))
    # later imports: P1 starts (reported in May), a late W14 report sent in May,
    # activities in May, a new project created in May, a back-dated planned start
    add_update(
        ledger,
        "P1",
        {"stage": "started", "started_on": date(2022, 4, 20), "planned_start_on": date(2022, 2, 1)},
        date(2022, 5, 9),
        unit="甲镇",
    )
    add_batch(ledger, "乙镇", "2022-W14", date(2022, 5, 6))
    add_activity(ledger, "乙镇", date(2022, 5, 3), "lead")
    add_project(
        ledger,
        "P2",
        stage="signed",
        roles={"landing": ["乙镇"]},
        signed_on=date(2021, 1, 1),
        created_on=date(2022, 5, 9),
    )
    after = {
        fmt: cli("alerts", "--as-of", "2022-05-02", "--format", fmt).out for fmt in ("json", "csv")
    }
    assert after == before
    # and the present does see the change (so the comparison above can fail)
    now = alerts(cli, "--as-of", "2022-05-09")
    assert any(a["project"] == "P2" for a in now)
    assert not any(a["project"] == "P1" and a["rule"] == "stale_project" for a in now)


def test_activities_silence_the_monthly_alert(ledger, cli):
    as_of = ("--as-of", "2022-03-31", "--unit", "乙镇")
    assert any(a["rule"] == "monthly_activity" for a in alerts(cli, *as_of))
    assert cli("activities", "add", "乙镇", "--date", "2022-03-30", "--kind", "lead").code == 0
    assert not any(a["rule"] == "monthly_activity" for a in alerts(cli, *as_of))


def test_alerts_without_policy_explain(ledger_db, cli):
    result = cli("alerts")
    assert result.code == 1 and "zsyz init --preset" in result.err


def test_alerts_fail_on_in_a_real_process(ledger, tmp_path):
    env = {**os.environ, "ZSYZ_DB": ledger}
    run = subprocess.run(
        [sys.executable, "-m", "zsyz", "alerts", "--as-of", "2022-04-18", "--fail-on", "red"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 3 and "Traceback" not in run.stderr
    assert "红色" in run.stdout


def test_demo_has_an_alerts_step():
    from zsyz.cli.demo import _later_steps

    assert ["alerts", "--as-of", "2022-06-30", "--db", "x.db"] in [
        a for _, a in _later_steps("x.db")
    ]
