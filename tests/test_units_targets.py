"""units add|list|import|alias and targets set|list|import, through the CLI."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLES


def test_units_add_list_json(ledger_db, cli):
    assert cli("units", "add", "商务局", "--class", "dept_a", "--alias", "镇平县商务局").code == 0
    assert cli("units", "add", "石佛寺镇", "--class", "township", "--code", "sfs").code == 0
    assert cli("units", "add", "石佛寺村", "--class", "township", "--parent", "石佛寺镇").code == 0
    data = cli("units", "list", "--format", "json").json()
    by_name = {u["name"]: u for u in data}
    assert set(by_name) == {"商务局", "石佛寺镇", "石佛寺村"}
    assert by_name["商务局"]["aliases"] == ["镇平县商务局"]
    assert by_name["商务局"]["group"] == "dept"
    assert by_name["石佛寺镇"]["code"] == "sfs"
    assert by_name["石佛寺村"]["parent"] == "石佛寺镇"
    assert set(data[0]) == {
        "code",
        "name",
        "class",
        "class_label",
        "group",
        "parent",
        "aliases",
        "active",
        "retired_on",
    }
    only = cli("units", "list", "--class", "township", "--format", "json").json()
    assert {u["name"] for u in only} == {"石佛寺镇", "石佛寺村"}


def test_units_duplicate_and_bad_class(ledger_db, cli):
    assert cli("units", "add", "商务局", "--class", "dept_a").code == 0
    dup = cli("units", "add", "商务局", "--class", "dept_a")
    assert dup.code == 65 and "已存在" in dup.err
    bad = cli("units", "add", "某局", "--class", "bureau")
    assert bad.code == 2 and "未知单位类别" in bad.err


@pytest.mark.parametrize("written", ["商务局", "镇平县商务局", "县商务局", "县 商务局", "商务"])
def test_names_resolve_through_aliases(ledger_db, cli, written):
    cli("units", "add", "商务局", "--class", "dept_a", "--alias", "镇平县商务局")
    cli("units", "alias", "商务局", "商务")
    result = cli("targets", "set", written, "--metric", "signed", "--value", "1", "--year", "2022")
    assert result.code == 0, result.err
    rows = cli("targets", "list", "--format", "json").json()
    assert [r["unit"] for r in rows] == ["商务局"]


def test_unknown_unit_names_closest(ledger_db, cli):
    cli("units", "add", "石佛寺镇", "--class", "township")
    result = cli("targets", "set", "石佛镇", "--metric", "signed", "--value", "1")
    assert result.code == 1
    assert "石佛寺镇" in result.err


def test_alias_cannot_be_taken_twice(ledger_db, cli):
    cli("units", "add", "商务局", "--class", "dept_a")
    cli("units", "add", "发改委", "--class", "dept_a")
    assert cli("units", "alias", "商务局", "商务").code == 0
    taken = cli("units", "alias", "发改委", "商务")
    assert taken.code == 65 and "已属于" in taken.err


def test_targets_set_replaces_same_key_and_json_shape(ledger_db, cli):
    cli("units", "add", "石佛寺镇", "--class", "township")
    args = (
        "targets",
        "set",
        "石佛寺镇",
        "--metric",
        "signed",
        "--year",
        "2022",
        "--min-fai",
        "5000",
    )
    assert cli(*args, "--value", "1").code == 0
    assert cli(*args, "--value", "2").code == 0
    assert (
        cli(
            "targets", "set", "石佛寺镇", "--metric", "funds", "--value", "1.5亿", "--year", "2022"
        ).code
        == 0
    )
    rows = cli("targets", "list", "--year", "2022", "--format", "json").json()
    assert len(rows) == 2
    signed = next(r for r in rows if r["metric"] == "signed")
    assert signed["required"] == 2 and signed["filters"] == {"min_fai": "5000"}
    funds = next(r for r in rows if r["metric"] == "funds")
    assert funds["required"] == 15000 and funds["measure"] == "万元"


@pytest.mark.parametrize("value", ["abc", "-1", "五千万"])
def test_targets_set_bad_value_is_usage_error(ledger_db, cli, value):
    cli("units", "add", "石佛寺镇", "--class", "township")
    result = cli("targets", "set", "石佛寺镇", "--metric", "funds", "--value", value)
    assert result.code == 2


def test_targets_set_unknown_metric(ledger_db, cli):
    cli("units", "add", "石佛寺镇", "--class", "township")
    result = cli("targets", "set", "石佛寺镇", "--metric", "money", "--value", "1")
    assert result.code == 2 and "未知指标" in result.err


def test_roster_import_sample_then_again_adds_nothing(ledger_db, cli):
    first = cli("units", "import", SAMPLES / "单位名册.xlsx")
    assert first.code == 0, first.err
    units = cli("units", "list", "--format", "json").json()
    assert len(units) == 15
    assert {
        "石佛寺",
    } <= set(next(u for u in units if u["name"] == "石佛寺镇")["aliases"])
    again = cli("units", "import", SAMPLES / "单位名册.xlsx")
    assert again.code == 0 and "新增 0" in again.err
    assert len(cli("units", "list", "--format", "json").json()) == 15


def test_roster_import_bad_class_refused_whole(ledger_db, cli, xlsx):
    path = xlsx([["单位名称", "单位类别"], ["甲镇", "乡镇"], ["乙局", "机关"]])
    result = cli("units", "import", path)
    assert result.code == 65 and "第3行" in result.err
    assert cli("units", "list", "--format", "json").json() == []


def test_roster_missing_column_lists_found_headings(ledger_db, cli, xlsx):
    path = xlsx([["名单"], ["单位名称", "备注"], ["甲镇", ""]])
    result = cli("units", "import", path)
    assert result.code == 65
    assert "单位类别" in result.err and "找到的表头" in result.err and "备注" in result.err


def test_target_table_import_sample(ledger_db, cli):
    cli("units", "import", SAMPLES / "单位名册.xlsx")
    result = cli("targets", "import", SAMPLES / "目标任务分解表.xlsx")
    assert result.code == 0, result.err
    rows = cli("targets", "list", "--format", "json").json()
    assert len(rows) == 24 and {r["year"] for r in rows} == {2022}
    sfs = {r["metric"]: r["required"] for r in rows if r["unit"] == "石佛寺镇"}
    assert sfs == {"signed": 2, "started": 1, "funds": 30000, "out_of_province_funds": 20000}


def test_target_table_two_row_heading_and_units(ledger_db, cli, xlsx):
    cli("units", "add", "产业链甲", "--class", "chain")
    path = xlsx(
        [
            ["2023年产业链建设任务分解表"],
            ["产业链", "签约项目", "", "资金"],
            ["", "总投资5000万元以上项目（个）", "落地开工项目（个）", "到位资金（亿元）"],
            ["产业链甲", 2, 1, 1.5],
        ],
        merges=["A1:D1", "B2:C2"],
    )
    result = cli("targets", "import", path)
    assert result.code == 0, result.err
    rows = {r["metric"]: r for r in cli("targets", "list", "--format", "json").json()}
    assert rows["signed"]["filters"] == {"min_total": "5000"} and rows["signed"]["year"] == 2023
    assert rows["started"]["required"] == 1
    assert rows["funds"]["required"] == 15000


def test_target_table_unknown_unit_refused_whole(ledger_db, cli, xlsx):
    cli("units", "add", "甲镇", "--class", "township")
    path = xlsx([["单位", "签约项目（个）"], ["甲镇", 1], ["乙镇", 2]])
    result = cli("targets", "import", path, "--year", "2022")
    assert result.code == 1 and "乙镇" in result.err
    assert cli("targets", "list", "--format", "json").json() == []


@pytest.mark.parametrize("written", ["晁陂镇人民政府（盖章）", "晁陂镇政府", "镇平县晁陂镇"])
def test_form_names_with_stamps_and_suffixes_resolve(ledger_db, cli, written):
    cli("units", "add", "晁陂镇", "--class", "township")
    result = cli("targets", "set", written, "--metric", "signed", "--value", "1", "--year", "2022")
    assert result.code == 0, result.err
    assert [r["unit"] for r in cli("targets", "list", "--format", "json").json()] == ["晁陂镇"]


@pytest.mark.parametrize(
    ("text", "unit_class"),
    [
        ("县直单位", "dept"),
        ("产业集聚区", "park"),
        ("驻外招商机构", "office"),
        ("县直部门（A类）", "dept_a"),
        ("一类单位", "dept_a"),
        ("B类", "dept_b"),
        ("乡镇(含街道)", "township"),
        ("县直部门（其他）", "dept_c"),
        ("镇街", "township"),
        ("township", "township"),
    ],
)
def test_unit_classes_as_rosters_write_them(text, unit_class):
    from zsyz.app.units import parse_unit_class

    assert parse_unit_class(text) == unit_class


def test_roster_with_a_title_and_office_headings(ledger_db, cli, tmp_path):
    from tests.conftest import write_xlsx

    path = write_xlsx(
        tmp_path / "名单.xlsx",
        [
            ["2022年招商引资目标责任单位名单"],
            ["序号", "责任单位", "单位类型", "所属组别"],
            [1, "石佛寺镇", "乡镇（街道）", "乡镇组"],
            [2, "县商务局", "县直部门（A类）", None],
        ],
    )
    assert cli("units", "import", str(path)).code == 0
    units = {u["name"]: u for u in cli("units", "list", "-f", "json").json()}
    assert units["石佛寺镇"]["group"] == "township" and units["县商务局"]["class"] == "dept_a"


def test_units_and_targets_lists_show_chinese_group_and_origin(ledger_db, cli):
    """QA #8: the table/CSV showed `dept`/`township` under 分组 and `explicit` under 来源;
    JSON keeps the keys."""
    assert cli("units", "add", "商务局", "--class", "dept_a").code == 0
    assert cli("units", "add", "石佛寺镇", "--class", "township").code == 0
    assert cli("targets", "set", "商务局", "--metric", "signed", "--value", "3").code == 0
    units = cli("units", "list", "--format", "csv").out.lstrip("\ufeff").splitlines()
    assert [line.split(",")[1:4] for line in units] == [
        ["单位名称", "类别", "分组"],
        ["商务局", "县直部门（一类）", "县直部门"],
        ["石佛寺镇", "乡镇（街道）", "乡镇（街道）"],
    ]
    targets = cli("targets", "list", "--format", "csv").out.lstrip("\ufeff").splitlines()
    assert targets[0].endswith(",来源") and targets[1].endswith(",单独设定")
    assert cli("targets", "list", "--format", "json").json()[0]["origin"] == "explicit"
    assert {u["group"] for u in cli("units", "list", "--format", "json").json()} == {
        "dept",
        "township",
    }
