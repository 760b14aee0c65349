"""Manual corrections of units and targets: each a 手工更正 batch, undone exactly."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date

import pytest

from tests.factories import add_batch, add_project
from tests.ledger_state import dump

TABLES = ("project", "project_role", "project_update", "unit", "unit_alias", "target")


@pytest.fixture
def zp(db, cli):
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    add_project(
        db,
        "P1",
        name="玉雕产业园",
        stage="signed",
        signed_on=date(2020, 4, 1),
        fai=6000,
        category="制造业",
        roles={"sourcing": ["石佛寺镇"]},
    )
    return db


def units(cli):
    return {u["name"]: u for u in cli("units", "list", "-f", "json").json()}


def last_batch(cli):
    return cli("imports", "list", "-f", "json").json()[-1]


def check_clean(cli):
    result = cli("db", "check")
    assert result.code == 0, result.out + result.err


def test_units_edit_is_a_manual_batch_and_undo_restores_exactly(zp, cli, monkeypatch):
    monkeypatch.setenv("USER", "xiaowang")
    assert cli("units", "alias", "石佛寺镇", "石佛寺").code == 0
    before = dump(zp, TABLES)
    result = cli(
        "units",
        "edit",
        "石佛寺镇",
        "--name",
        "石佛寺镇人民政府驻地",
        "--group",
        "部门",
        "--alias",
        "石镇",
        "--remove-alias",
        "石佛寺",
        "--reason",
        "名册写错",
    )
    assert result.code == 0, result.err
    got = units(cli)
    unit = got["石佛寺镇人民政府驻地"]
    assert unit["group"] == "dept"
    assert "石佛寺镇" in unit["aliases"] and "石镇" in unit["aliases"]
    assert "石佛寺" not in unit["aliases"]
    batch = last_batch(cli)
    assert batch["kind_label"] == "手工更正" and batch["period"] == "手工更正"
    assert batch["reason"] == "名册写错" and batch["operator"] == "xiaowang"
    table = cli("imports", "list", "-f", "csv")
    assert "手工更正" in table.out and "xiaowang" in table.out and "manual" not in table.out
    check_clean(cli)
    assert cli("imports", "undo", str(batch["id"])).code == 0
    assert dump(zp, TABLES) == before
    check_clean(cli)


def test_units_edit_class_parent_and_refusals(zp, cli):
    assert cli("units", "edit", "晁陂镇", "--parent", "石佛寺镇").code == 0
    assert units(cli)["晁陂镇"]["parent"] == "石佛寺镇"
    loop = cli("units", "edit", "石佛寺镇", "--parent", "晁陂镇")
    assert loop.code == 65 and "下级" in loop.err
    assert cli("units", "edit", "晁陂镇", "--parent", "无").code == 0
    assert units(cli)["晁陂镇"]["parent"] is None
    taken = cli("units", "edit", "晁陂镇", "--name", "石佛寺镇")
    assert taken.code == 65 and "已存在" in taken.err
    same = cli("units", "edit", "晁陂镇", "--group", "乡镇")
    assert same.code == 2 and "没有要修改" in same.err
    bad = cli("units", "edit", "晁陂镇", "--group", "第九组")
    assert bad.code == 2 and "未知分组" in bad.err
    gone = cli("units", "edit", "晁陂镇", "--remove-alias", "无此别名")
    assert gone.code == 1
    assert "没有别名" in gone.err


def test_class_change_moves_a_default_group(zp, cli):
    assert cli("units", "edit", "商务局", "--class", "township").code == 0
    unit = units(cli)["商务局"]
    assert unit["class"] == "township" and unit["group"] == "township"


def test_retire_keeps_the_past_and_leaves_rankings_after_the_day(zp, cli):
    before = dump(zp, TABLES)
    q2 = cli("rank", "--quarter", "2020-Q2", "-f", "json").json()
    assert any(r["unit"] == "石佛寺镇" for r in q2)
    result = cli("units", "retire", "石佛寺镇", "--from", "2020-07-01", "--reason", "撤并")
    assert result.code == 0, result.err
    assert units(cli)["石佛寺镇"]["retired_on"] == "2020-07-01"
    q2_after = cli("rank", "--quarter", "2020-Q2", "-f", "json").json()
    assert any(r["unit"] == "石佛寺镇" for r in q2_after)  # the past keeps it
    q3 = cli("rank", "--quarter", "2020-Q3", "-f", "json").json()
    assert q3 and not any(r["unit"] == "石佛寺镇" for r in q3)
    template = cli("template", "--unit", "石佛寺镇", "-o", str(zp) + ".xlsx")
    assert template.code == 1 and "撤并" in template.err
    again = cli("units", "retire", "石佛寺镇")
    assert again.code == 65 and "已于 2020-07-01 撤并" in again.err
    check_clean(cli)
    batch = last_batch(cli)
    assert cli("imports", "undo", str(batch["id"])).code == 0
    assert dump(zp, TABLES) == before
    check_clean(cli)


def test_targets_list_ids_and_remove_by_metric_or_id(zp, cli):
    assert (
        cli("targets", "set", "商务局", "--metric", "signed", "--value", "2", "--year", "2020").code
        == 0
    )
    assert (
        cli(
            "targets", "set", "晁陂镇", "--metric", "funds", "--value", "500", "--year", "2020"
        ).code
        == 0
    )
    before = dump(zp, TABLES)
    rows = cli("targets", "list", "--year", "2020", "-f", "json").json()
    assert all(isinstance(r["id"], int) for r in rows)
    assert "编号" in cli("targets", "list", "-f", "csv").out
    by_metric = cli("targets", "remove", "商务局", "--year", "2020", "--metric", "signed")
    assert by_metric.code == 0, by_metric.err
    assert "签约" in by_metric.err and "signed" not in by_metric.err
    first = last_batch(cli)["id"]
    mine = next(r for r in rows if r["unit"] == "晁陂镇" and r["metric"] == "funds")
    assert cli("targets", "remove", "--id", str(mine["id"]), "--reason", "重复").code == 0
    left = cli("targets", "list", "--year", "2020", "-f", "json").json()
    assert not any(r["unit"] in ("商务局", "晁陂镇") and r["origin"] == "explicit" for r in left)
    missing = cli("targets", "remove", "--id", "99999")
    assert missing.code != 0 and "#99999" in missing.err
    none = cli("targets", "remove", "商务局", "--year", "2020", "--metric", "signed")
    assert none.code != 0 and "没有 2020 年" in none.err
    check_clean(cli)
    assert cli("imports", "undo", str(first)).code == 0
    assert cli("imports", "undo", str(last_batch(cli)["id"])).code == 0
    assert dump(zp, TABLES) == before
    check_clean(cli)


def test_units_edit_in_a_real_subprocess(zp):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "zsyz",
            "units",
            "edit",
            "晁陂镇",
            "--alias",
            "晁陂乡",
            "--reason",
            "别名",
        ],
        capture_output=True,
        text=True,
        env={"ZSYZ_DB": zp, "PATH": "/usr/bin:/bin", "USER": "lizhang"},
    )
    assert run.returncode == 0, run.stderr
    assert "已更正单位 晁陂镇" in run.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "zsyz", "imports", "list", "-f", "json"],
        capture_output=True,
        text=True,
        env={"ZSYZ_DB": zp, "PATH": "/usr/bin:/bin"},
    )
    assert '"operator":"lizhang"' in listed.stdout.replace(" ", "")


def test_a_retired_unit_leaves_alerts_after_the_day(db, cli, tmp_path):
    from tests.test_alerts_cli import POLICY

    path = tmp_path / "policy.toml"
    path.write_text(POLICY, encoding="utf-8")
    assert cli("init", "--policy", str(path)).code == 0
    add_batch(db, "甲镇", "2022-W10", date(2022, 3, 14))
    add_batch(db, "乙镇", "2022-W10", date(2022, 3, 14))
    assert cli("units", "retire", "乙镇", "--from", "2022-04-01").code == 0
    march = cli("alerts", "--as-of", "2022-03-21", "-f", "json").json()
    assert {a["unit"] for a in march} == {"甲镇", "乙镇"}  # before the day it still reports
    april = cli("alerts", "--as-of", "2022-04-18", "-f", "json").json()
    rules = {(a["unit"], a["rule"]) for a in april}
    assert ("甲镇", "missed_report") in rules and ("乙镇", "missed_report") not in rules
    assert ("乙镇", "monthly_activity") in rules  # March ended before the day: still owed


def test_imports_show_lists_unit_and_target_changes(zp, cli):
    assert cli("units", "edit", "晁陂镇", "--group", "部门", "--alias", "晁陂乡").code == 0
    shown = cli("imports", "show", str(last_batch(cli)["id"]), "-f", "json").json()
    fields = {(c["field"], c["old"], c["new"]) for c in shown["changes"]}
    assert ("分组", "乡镇（街道）", "县直部门") in fields and (
        "新增单位别名",
        None,
        "晁陂乡",
    ) in fields
    table = cli("imports", "show", str(last_batch(cli)["id"]))
    assert "手工更正" in table.err + table.out


def test_imports_show_names_a_manual_change_in_its_field_column(zp, cli, tmp_path):
    """The table and CSV 字段 column of a manual change is its label (not blank)."""
    assert cli("units", "edit", "晁陂镇", "--group", "部门").code == 0
    out = tmp_path / "改动.csv"
    batch = str(last_batch(cli)["id"])
    assert cli("imports", "show", batch, "-f", "csv", "-o", str(out)).code == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["字段"] for r in rows] == ["分组"]


def test_activities_remove_is_a_manual_batch_and_undo_restores_it(zp, cli, monkeypatch):
    monkeypatch.setenv("USER", "xiaowang")
    add = ("activities", "add", "石佛寺镇", "--date", "2020-03-05", "--kind", "lead")
    assert cli(*add, "--note", "深圳电子厂").code == 0
    assert cli("activities", "add", "晁陂镇", "--date", "2020-03-06", "--kind", "trip").code == 0
    mine = next(
        r for r in cli("activities", "list", "-f", "json").json() if r["unit"] == "石佛寺镇"
    )
    before = dump(zp, (*TABLES, "activity"))
    gone = cli("activities", "remove", str(mine["id"]), "--reason", "登记错")
    assert gone.code == 0 and "imports undo" in gone.err, gone.err
    assert [r["unit"] for r in cli("activities", "list", "-f", "json").json()] == ["晁陂镇"]
    batch = last_batch(cli)
    assert (batch["period"], batch["reason"], batch["operator"]) == (
        "手工更正",
        "登记错",
        "xiaowang",
    )
    shown = cli("imports", "show", str(batch["id"]), "-f", "json").json()
    assert [(c["field"], c["old"], c["new"]) for c in shown["changes"]] == [
        ("删除招商活动", "深圳电子厂", None)
    ]
    check_clean(cli)
    assert cli("imports", "undo", str(batch["id"])).code == 0
    assert dump(zp, (*TABLES, "activity")) == before
    (back,) = (r for r in cli("activities", "list", "-f", "json").json() if r["unit"] == "石佛寺镇")
    assert back == mine
    check_clean(cli)
