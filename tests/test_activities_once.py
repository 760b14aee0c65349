"""Activities are idempotent (the same unit, date, kind and note twice is one), can be
removed, take Chinese kinds everywhere, refuse dates after today, and a refused file
lists all of its problems at once (the sheet's and the ledger's)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest


@pytest.fixture
def zp(db, cli):
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    return db


def listed(cli, *args):
    return cli("activities", "list", "--format", "json", *args).json()


def test_add_twice_is_one_activity_and_chinese_kinds(zp, cli):
    add = ("activities", "add", "石佛寺镇", "--date", "2020-03-05", "--note", "深圳电子厂")
    first = cli(*add, "--kind", "项目信息")
    assert first.code == 0 and "已登记" in first.err
    again = cli(*add, "--kind", "lead")  # the same kind, written in English
    assert again.code == 0 and "已登记过，未重复登记" in again.err
    assert [(r["kind"], r["kind_label"]) for r in listed(cli)] == [("lead", "项目信息")]
    # a different note is a different activity
    assert cli(*add[:-1], "另一条线索", "--kind", "项目信息").code == 0
    assert (
        cli("activities", "add", "晁陂镇", "--date", "2020-03-06", "--kind", "外出招商").code == 0
    )
    assert len(listed(cli)) == 3
    assert [r["unit"] for r in listed(cli, "--kind", "外出招商")] == ["晁陂镇"]
    bad = cli("activities", "list", "--kind", "开会")
    assert bad.code == 2 and "项目信息" in bad.err and "Traceback" not in bad.err


def test_add_refuses_a_date_after_today(zp, cli):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    result = cli("activities", "add", "石佛寺镇", "--date", tomorrow, "--kind", "外出招商")
    assert result.code == 2 and "晚于今天" in result.err
    assert listed(cli) == []


def test_import_twice_counts_once(zp, cli, xlsx):
    book = xlsx(
        [
            ["单位", "日期", "类型", "内容"],
            ["石佛寺镇", date(2020, 3, 5), "项目信息", "深圳电子厂"],
            ["石佛寺镇", date(2020, 3, 5), "项目信息", "深圳电子厂"],  # repeated in the file
            ["晁陂镇", "2020-04-08", "外出招商", "赴深圳"],
        ]
    )
    first = cli("activities", "import", str(book))
    assert first.code == 0 and "导入 2 条" in first.err and "1 条已登记过" in first.err
    second = cli("activities", "import", str(book))
    assert second.code == 0 and "导入 0 条" in second.err and "3 条已登记过" in second.err
    assert len(listed(cli)) == 2


def test_import_lists_every_problem_at_once(zp, cli, xlsx):
    tomorrow = date.today() + timedelta(days=1)
    book = xlsx(
        [
            ["单位", "日期", "类型", "内容"],
            ["石佛寺镇", "2020-03-05", "项目信息", "ok"],
            ["无此镇", "2020-03-06", "项目信息", ""],  # the ledger's problem
            ["晁陂镇", "下周", "外出招商", ""],  # the sheet's problems
            ["晁陂镇", tomorrow, "外出招商", ""],
        ]
    )
    result = cli("activities", "import", str(book))
    assert result.code == 65
    for hint in ("第3行", "无此镇", "第4行", "第5行", "晚于今天"):
        assert hint in result.err, result.err
    assert "3 处问题" in result.err
    assert listed(cli) == []


def test_remove(zp, cli):
    assert cli("activities", "add", "石佛寺镇", "--date", "2020-03-05", "--kind", "trip").code == 0
    (row,) = listed(cli)
    gone = cli("activities", "remove", str(row["id"]))
    assert gone.code == 0 and "石佛寺镇" in gone.err and "外出招商" in gone.err
    assert listed(cli) == []
    missing = cli("activities", "remove", str(row["id"]))
    assert missing.code == 1 and "activities list" in missing.err
