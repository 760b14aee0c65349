"""zsyz adjust add|list|remove: hand-recorded points in rank --explain and the 一票否优 flag."""

from __future__ import annotations

from datetime import date

from tests.factories import add_project


def test_adjust_add_list_remove_and_explain(db, cli):
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    add_project(
        db, "P1", stage="signed", signed_on=date(2020, 3, 1), fai=6000, category="制造业",
        roles={"sourcing": ["石佛寺镇"]},
    )  # fmt: skip
    added = cli(
        "adjust", "add", "石佛寺镇", "--year", "2020", "--points", "-0.2",
        "--reason", "弄虚作假", "--evidence", "县督查〔2020〕7号",
    )  # fmt: skip
    assert added.code == 0, added.err
    assert "#1" in added.err and "-0.2" in added.err  # `say` writes to stderr
    rows = cli("adjust", "list", "--year", "2020", "-f", "json").json()
    assert [(x["unit"], x["points"], x["reason"], x["evidence"]) for x in rows] == [
        ("石佛寺镇", -0.2, "弄虚作假", "县督查〔2020〕7号")
    ]
    ranked = cli("rank", "--year", "2020", "-f", "json").json()
    mine = next(x for x in ranked if x["unit"] == "石佛寺镇")
    hand = mine["components"][-1]
    assert hand["points"] == -0.2 and "弄虚作假（依据：县督查〔2020〕7号）" in hand["detail"]
    explain = cli("rank", "--year", "2020", "--explain", "石佛寺镇")
    assert explain.code == 0 and "弄虚作假" in explain.out
    assert cli("adjust", "remove", "1").code == 0
    assert cli("adjust", "list", "-f", "json").json() == []
    gone = cli("adjust", "remove", "1")
    assert gone.code == 1 and "没有编号为 1" in gone.err


def test_adjust_refuses_bad_points_in_one_line(db, cli):
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    for bad in ("abc", "1e9", "0.00001"):
        got = cli("adjust", "add", "石佛寺镇", "--points", bad, "--reason", "x")
        assert got.code == 2 and got.err.count("\n") == 1 and "--points" in got.err
    flagless = cli("adjust", "add", "石佛寺镇", "--points", "0", "--reason", "x")
    assert flagless.code == 2 and "--flag" in flagless.err
    unknown = cli("adjust", "add", "不存在镇", "--points", "-1", "--reason", "x")
    assert unknown.code == 1 and "未知单位" in unknown.err


def test_panan_veto_list_is_recorded_by_hand(db, cli):
    assert cli("init", "--preset", "panan-2022", "--with-examples").code == 0
    got = cli(
        "adjust", "add", "新城开发建设中心", "--year", "2022", "--points", "0",
        "--flag", "一票否优", "--reason", "未及时完成交办任务被批评通报",
        "--evidence", "磐招商办〔2022〕9号",
    )  # fmt: skip
    assert got.code == 0, got.err
    flags = cli("rewards", "--year", "2022", "-f", "json").json()["flags"]
    assert [(f["unit"], f["flag"]) for f in flags] == [("新城开发建设中心", "一票否优")]
    assert "磐招商办〔2022〕9号" in flags[0]["reason"]
