"""projects edit / terminate as manual batches; credit codes and compile dates on import."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from tests.conftest import SAMPLES, write_xlsx
from tests.factories import add_project
from tests.ledger_state import dump, projects, query
from zsyz.domain.credit_code import check_char, credit_code_problem

TABLES = ("project", "project_role", "project_update", "unit", "unit_alias", "target")
XIAOMI = "91110108551385082Q"  # a published code: checks out


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        (XIAOMI, True),
        ("91350100M000100Y43", True),
        ("91110108551385082R", False),  # check character wrong
        ("9111010855138508", False),  # too short
        ("91110108551385O82Q", False),  # O is not used
    ],
)
def test_credit_code_checksum(code, ok):
    assert (credit_code_problem(code) is None) is ok


def test_check_char_worked_by_hand():
    # 9,1,1,1,0,1,0,8,5,5,1,3,8,5,0,8,2 · weights = 999; 999 mod 31 = 7; 31−7 = 24 → Q
    assert check_char(XIAOMI[:17]) == "Q"


@pytest.fixture
def led(db, cli):
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


def batch(cli):
    return cli("imports", "list", "-f", "json").json()[-1]


def clean(cli):
    result = cli("db", "check")
    assert result.code == 0, result.out + result.err


def test_projects_edit_fields_roles_history_and_exact_undo(led, cli, monkeypatch):
    monkeypatch.setenv("USER", "zhaoli")
    before = dump(led, TABLES)
    result = cli(
        "projects",
        "edit",
        "P1",
        "--stage",
        "开工",
        "--on",
        "2020-06-01",
        "--fai",
        "1.2亿",
        "--compiled-on",
        "2020-01-15",
        "--credit-code",
        XIAOMI.lower(),
        "--landing",
        "晁陂镇",
        "--effective",
        "2020-06-30",
        "--reason",
        "周报漏报开工",
    )
    assert result.code == 0, result.err
    p = projects(led)["玉雕产业园"]
    assert p["stage"] == "started" and p["started_on"] == "2020-06-01"
    assert p["fai"] == 12000 * 10000 and p["compiled_on"] == "2020-01-15"
    assert p["credit_code"] == XIAOMI
    b = batch(cli)
    assert b["kind_label"] == "手工更正" and b["operator"] == "zhaoli" and b["updated"] == 1
    assert b["report_date"] == "2020-06-30"
    rows = query(
        led,
        "SELECT field, old_value, new_value, effective_on FROM project_update WHERE batch_id=:b",
        {"b": b["id"]},
    )
    got = {f: (o, n, e) for f, o, n, e in rows}
    assert got["stage"] == ("signed", "started", "2020-06-30")
    assert got["fai"] == ("6000", "12000", "2020-06-30")
    assert got["roles:landing"] == (None, "township002", "2020-06-30")
    show = cli("projects", "show", "P1", "-f", "json").json()
    assert any(h["field"] == "compiled_on" and h["new"] == "2020-01-15" for h in show["history"])
    assert show["roles"]["landing"] == ["晁陂镇"]
    clean(cli)
    assert cli("imports", "undo", str(b["id"])).code == 0
    assert dump(led, TABLES) == before
    clean(cli)


def test_projects_edit_refusals(led, cli):
    same = cli("projects", "edit", "P1", "--fai", "6000")
    assert same.code == 2 and "没有要修改" in same.err
    no_day = cli("projects", "edit", "P1", "--stage", "投产")
    assert no_day.code == 2 and "投产日期" in no_day.err
    assert "producing" not in no_day.err
    lone_on = cli("projects", "edit", "P1", "--on", "2020-05-01")
    assert lone_on.code == 2 and "--stage" in lone_on.err
    bad = cli("projects", "edit", "P1", "--credit-code", "91110108551385082R")
    assert bad.code == 2 and "校验位" in bad.err
    drop = cli("projects", "edit", "P1", "--stage", "终止")
    assert drop.code == 2 and "projects terminate" in drop.err
    none = cli("projects", "edit", "P9", "--fai", "1")
    assert none.code == 1 and "P9" in none.err
    stage = cli("projects", "edit", "P1", "--stage", "洽谈")  # back: the signing is undone
    assert stage.code == 0, stage.err
    assert projects(led)["玉雕产业园"]["signed_on"] is None
    alone = cli("projects", "edit", "P1", "--sourcing", "")
    assert alone.code == 65 and "至少要有" in alone.err


def test_terminate_and_undo(led, cli):
    before = dump(led, TABLES)
    early = cli("projects", "terminate", "P1", "--on", "2020-03-01", "--reason", "企业撤资")
    assert early.code == 65 and "早于" in early.err
    result = cli("projects", "terminate", "P1", "--on", "2020-08-01", "--reason", "企业撤资")
    assert result.code == 0, result.err
    p = projects(led)["玉雕产业园"]
    assert p["stage"] == "dropped" and p["dropped_on"] == "2020-08-01"
    again = cli("projects", "terminate", "P1", "--on", "2020-09-01", "--reason", "x")
    assert again.code == 1 and "已于 2020-08-01 终止" in again.err
    b = batch(cli)
    assert b["reason"] == "企业撤资" and b["report_date"] == "2020-08-01"
    clean(cli)
    assert cli("imports", "undo", str(b["id"])).code == 0
    assert dump(led, TABLES) == before


def test_an_import_after_a_manual_edit_depends_on_it(led, cli):
    assert cli("projects", "edit", "P1", "--fai", "7000").code == 0
    first = batch(cli)["id"]
    assert cli("projects", "edit", "P1", "--fai", "8000").code == 0
    blocked = cli("imports", "undo", str(first))
    assert blocked.code == 1 and "--cascade" in blocked.err
    assert cli("imports", "undo", str(first), "--cascade").code == 0
    assert projects(led)["玉雕产业园"]["fai"] == 6000 * 10000


HEAD = [
    "项目名称",
    "投资方",
    "统一社会信用代码",
    "项目编制日期",
    "固定资产投资",
    "项目阶段",
    "签约日期",
]


def test_import_reads_credit_code_and_compile_date(ledger_db, cli, tmp_path):
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    rows = [
        ["项目周报"],
        ["填报单位：石佛寺镇", None, None, "填报日期：2022-03-11"],
        HEAD,
        ["玉雕产业园", "玉都实业", XIAOMI, "2022-01-05", 18000, "已签约", "2022-03-08"],
    ]
    path = write_xlsx(tmp_path / "ok.xlsx", rows)
    result = cli("import", str(path))
    assert result.code == 0, result.err
    p = projects(ledger_db)["玉雕产业园"]
    assert p["credit_code"] == XIAOMI and p["compiled_on"] == "2022-01-05"
    bad = [*rows[:3], ["电商基地", "云播科技", "91110108551385082R", None, 5200, "洽谈", None]]
    refused = cli("import", str(write_xlsx(tmp_path / "bad.xlsx", bad)))
    assert refused.code == 65 and "校验位" in refused.err and "第4行" in refused.err
    assert "电商基地" not in projects(ledger_db)


def test_projects_terminate_in_a_real_subprocess(led):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "zsyz",
            "projects",
            "terminate",
            "P1",
            "--on",
            "2020-08-01",
            "--reason",
            "撤资",
        ],
        capture_output=True,
        text=True,
        env={"ZSYZ_DB": led, "PATH": "/usr/bin:/bin", "USER": "ops"},
    )
    assert run.returncode == 0, run.stderr
    assert "终止" in run.stderr and "Traceback" not in run.stderr
