"""zsyz projects list|show and zsyz activities add|import|list, end to end."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import add_project, add_update


@pytest.fixture
def panan(db, cli):
    assert cli("init", "--preset", "panan-2022", "--with-examples").code == 0
    add_project(
        db,
        "A1",
        stage="signed",
        name="金磐精密制造",
        category="制造业",
        land_area=50,
        needs_land=True,
        fai=9000,
        total_investment=80000,
        signed_on=date(2022, 5, 1),
        roles={"landing": ["金磐开发区"], "sourcing": ["县经商局"]},
        created_on=date(2022, 4, 4),
    )
    add_update(db, "A1", {"fai": 12000, "stage": "signed"}, date(2022, 5, 9), unit="金磐开发区")
    add_project(
        db,
        "B1",
        stage="negotiating",
        name="安文康养小镇",
        category="康养",
        land_area=20,
        needs_land=True,
        fiscal_support=True,
        roles={"sourcing": ["安文街道"]},
    )
    add_project(
        db,
        "C1",
        stage="started",
        name="尚湖农旅综合体",
        category="现代农业",
        needs_land=False,
        started_on=date(2021, 9, 1),
        roles={"landing": ["尚湖镇"]},
    )
    add_project(
        db,
        "D1",
        stage="lead",
        name="新城工业厂房",
        category="工业",
        land_area=30.5,
        needs_land=True,
    )
    return db


def test_projects_list_filters(panan, cli):
    rows = cli("projects", "list", "--format", "json").json()
    assert [r["code"] for r in rows] == ["A1", "B1", "C1", "D1"]
    approvals = {r["code"]: r["approval"] for r in rows}
    # A1: the park approves ≤50亩 itself; B1: 康养 20亩 is deputy, 一事一议 raises it;
    # C1: no land; D1: industry above 30亩
    assert approvals == {
        "A1": "park",
        "B1": "mayor_office",
        "C1": "deputy",
        "D1": "mayor_office",
    }

    def codes(*args):
        result = cli("projects", "list", "--format", "json", *args)
        assert result.code == 0, result.err
        return [r["code"] for r in result.json()]

    assert codes("--approval", "mayor_office") == ["B1", "D1"]
    assert codes("--approval", "park") == ["A1"]
    assert codes("--approval", "standing_committee") == []
    assert codes("--stage", "签约") == ["A1"]
    assert codes("--stage", "started") == ["C1"]
    assert codes("--unit", "经商局") == ["A1"]  # any role
    assert codes("--year", "2021") == ["C1"]
    assert cli("projects", "list", "--stage", "飞天").code == 2
    assert cli("projects", "list", "--approval", "king").code == 2
    csv = cli("projects", "list", "--format", "csv").out
    assert csv.startswith("\ufeff编号") and "园区自批" in csv


def test_projects_show_json(panan, cli):
    result = cli("projects", "show", "A1", "--format", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["approval"] == "park" and "金磐开发区" in data["approval_reason"]
    assert data["fai"] == 12000 and data["stage"] == "signed" and data["signed_on"] == "2022-05-01"
    assert data["roles"]["landing"] == ["金磐开发区"] and data["roles"]["sourcing"] == ["县经商局"]
    assert set(data["credited"]) == {"金磐开发区", "县经商局"}  # 003: both get equal credit
    history = data["history"]
    created = [h for h in history if h["date"] == "2022-04-04"]
    assert {h["field"] for h in created} >= {"name", "stage", "fai", "roles:landing"}
    assert next(h for h in created if h["field"] == "roles:landing")["new"] == "金磐开发区"
    change = next(h for h in history if h["date"] == "2022-05-09" and h["field"] == "fai")
    assert (change["old"], change["new"], change["field_label"]) == (
        "9000",
        "12000",
        "固定资产投资（万元）",
    )
    assert change["batch"] and change["file"].endswith(".xlsx")
    assert cli("projects", "show", "B1", "--format", "json").json()["approval"] == "mayor_office"
    table = cli("projects", "show", "A1")
    assert table.code == 0 and "园区自行审批" in table.out and "变更历史" in table.out
    missing = cli("projects", "show", "Z9")
    assert missing.code == 1 and "zsyz projects list" in missing.err


def test_projects_show_admission_flags(db, cli):
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    add_project(
        db,
        "M1",
        stage="negotiating",
        category="制造业",
        fai=2000,
        land_area=10,
        expected_tax=50,
        roles={"sourcing": ["石佛寺镇"]},
    )
    data = cli("projects", "show", "M1", "--format", "json").json()
    adm = data["admission"]
    assert adm["applies"] and adm["passed"] is False and adm["fai_per_mu"] == 200
    assert len(adm["flags"]) == 2 and "260" in adm["flags"][0]
    assert data["approval"] is None  # zhenping has no approval table
    assert "不符合" in cli("projects", "show", "M1").out
    listed = cli("projects", "list", "--format", "json").json()
    assert listed[0]["admission"] == adm["flags"]
    alerts = cli("alerts", "--unit", "石佛寺镇", "--as-of", "2020-06-30", "--format", "json").json()
    assert any(a["rule"] == "admission" and a["project"] == "M1" for a in alerts)


@pytest.fixture
def zp(db, cli):
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    return db


def test_activities_add_and_list(zp, cli):
    assert (
        cli(
            "activities",
            "add",
            "镇平县石佛寺镇",
            "--date",
            "2020-03-05",
            "--kind",
            "lead",
            "--note",
            "对接深圳电子厂",
        ).code
        == 0
    )
    assert cli("activities", "add", "石佛寺镇", "--date", "2020-04-01", "--kind", "trip").code == 0
    rows = cli("activities", "list", "--format", "json").json()
    assert [(r["unit"], r["date"], r["kind"]) for r in rows] == [
        ("石佛寺镇", "2020-03-05", "lead"),
        ("石佛寺镇", "2020-04-01", "trip"),
    ]
    assert rows[0]["note"] == "对接深圳电子厂"
    march = cli("activities", "list", "--period", "2020-03", "--format", "json").json()
    assert len(march) == 1
    assert len(cli("activities", "list", "--kind", "trip", "--format", "json").json()) == 1
    bad = cli("activities", "add", "石佛寺镇", "--date", "3月5日", "--kind", "lead")
    assert bad.code == 2
    assert cli("activities", "add", "石佛寺镇", "--date", "2020-03-05", "--kind", "visit").code == 2
    assert cli("activities", "add", "无此镇", "--date", "2020-03-05", "--kind", "lead").code == 1


def test_activities_import_counts_in_progress(zp, cli, xlsx):
    book = xlsx(
        [
            ["2020年招商活动登记表"],
            ["单位", "日期", "类型", "内容"],
            ["石佛寺镇", date(2020, 3, 5), "项目信息", "深圳电子厂"],
            ["镇平县石佛寺镇", "2020/4/8", "外出招商", "赴深圳"],
            ["晁陂镇", "2020年5月6日", "lead", ""],
            ["合计", "", "", ""],
        ]
    )
    result = cli("activities", "import", str(book))
    assert result.code == 0, result.err and "3 条" in result.err
    assert len(cli("activities", "list", "--format", "json").json()) == 3
    assert (
        cli(
            "targets", "set", "石佛寺镇", "--year", "2020", "--metric", "leads", "--value", "2"
        ).code
        == 0
    )
    progress = cli("progress", "--year", "2020", "--unit", "石佛寺镇", "--format", "json").json()
    leads = next(t for t in progress[0]["targets"] if t["metric"] == "leads")
    assert (leads["achieved"], leads["required"]) == (1, 2)


def test_activities_import_refuses_whole_file(zp, cli, xlsx):
    book = xlsx(
        [
            ["单位", "日期", "类型", "内容"],
            ["石佛寺镇", "2020-03-05", "项目信息", "ok"],
            ["无此镇", "2020-03-06", "项目信息", ""],
            ["晁陂镇", "下周", "外出招商", ""],
            ["晁陂镇", "2020-03-07", "开会", ""],
            ["", "2020-03-08", "外出招商", ""],
        ]
    )
    result = cli("activities", "import", str(book))
    assert result.code == 65
    for hint in ("第4行", "第5行", "第6行", "缺少单位"):
        assert hint in result.err, result.err
    assert cli("activities", "list", "--format", "json").json() == []
    # units are checked too, all before anything is written
    units_only = xlsx(
        [
            ["单位", "日期", "类型"],
            ["石佛寺镇", "2020-03-05", "lead"],
            ["无此镇", "2020-03-06", "trip"],
        ]
    )
    refused = cli("activities", "import", str(units_only))
    assert refused.code == 65 and "无此镇" in refused.err and "第3行" in refused.err
    assert cli("activities", "list", "--format", "json").json() == []
    headless = xlsx([["名称", "说明"], ["x", "y"]])
    assert cli("activities", "import", str(headless)).code == 65
