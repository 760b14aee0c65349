"""zsyz import / imports / template end to end: refusals leave the ledger untouched."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, write_xlsx
from tests.ledger_state import columns, dump, projects, query

HEAD = [
    "项目编号",
    "项目名称",
    "投资方",
    "总投资（万元）",
    "固定资产投资",
    "到位资金",
    "项目阶段",
    "签约日期",
    "落地单位",
]


def assert_db_check_clean(cli) -> None:
    """`zsyz db check` agrees with what import, supersede and undo wrote."""
    result = cli("db", "check", "--format", "json")
    assert result.code == 0, result.out + result.err


@pytest.fixture
def ledger(ledger_db, cli):
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    return ledger_db


def report(tmp_path: Path, rows, *, unit="石佛寺镇", day="2022-03-11", name=None, head=HEAD):
    lines = [["项目周报"], [f"填报单位：{unit}", None, None, f"填报日期：{day}"], head, *rows]
    return write_xlsx(tmp_path / (name or f"{unit}-{day}.xlsx"), lines)


ROW_A = [None, "玉雕产业园", "玉都实业", 26000, 18000, 3000, "已签约", "2022-03-08", None]
ROW_B = [None, "电商基地", "云播科技", 6000, 5200, None, "洽谈", None, None]


def test_import_creates_projects_with_history(ledger, cli, tmp_path):
    path = report(tmp_path, [ROW_A, ROW_B])
    result = cli("import", str(path), "--format", "json")
    assert result.code == 0, result.err
    (out,) = result.json()
    assert out == {
        "file": str(path),
        "status": "imported",
        "import_id": 1,
        "unit": "石佛寺镇",
        "period": "2022-W10",
        "rows": 2,
        "created": 2,
        "updated": 0,
        "warnings": [
            "1 行写了阶段但没有写该阶段的日期（第5行），按填报日期 2022-03-11 记为该阶段日期；"
            "如有实际日期请补填"
        ],
        "errors": [],
        "columns": [{"heading": h, "field": h.removesuffix("（万元）")} for h in HEAD],
        "ignored_columns": [],
    }
    p = projects(ledger)["玉雕产业园"]
    assert p["stage"] == "signed" and p["signed_on"] == "2022-03-08"
    assert p["total_investment"] == 26000 * 10000 and p["code"] == "ZS20220001"
    # creation: one row per cumulative amount, then one `*created*` JSON snapshot row
    rows = query(
        ledger,
        "SELECT field, old_value, new_value FROM project_update WHERE project_id=:p ORDER BY id",
        {"p": p["id"]},
    )
    assert all(o is None for _, o, _ in rows) and rows[-1][0] == "*created*"
    amounts = {"funds_in_place", "foreign_funds", "out_of_province_funds"}
    assert {f for f, _, _ in rows[:-1]} <= amounts | {"completed_investment_year"}
    history = {**json.loads(rows[-1][2]), **{f: v for f, _, v in rows[:-1]}}
    assert not amounts & set(json.loads(rows[-1][2]))
    assert history["total_investment"] == "26000"
    assert history["roles:sourcing"] == "township001"
    assert history["signed_on"] == "2022-03-08"
    effective = {r[0] for r in query(ledger, "SELECT DISTINCT effective_on FROM project_update")}
    assert effective == {"2022-03-11"}


def test_same_file_again_is_unchanged(ledger, cli, tmp_path):
    path = report(tmp_path, [ROW_A])
    assert cli("import", str(path)).code == 0
    before = dump(ledger)
    again = cli("import", str(path), "--format", "json")
    assert again.code == 0
    assert again.json()[0]["status"] == "unchanged" and again.json()[0]["import_id"] == 1
    assert dump(ledger) == before


REFUSALS = {
    "bad amount": ([[None, "甲", None, "很多", None, None, "洽谈", None, None]], {}),
    "unknown landing unit": ([[None, "甲", None, 1, None, None, "洽谈", None, "石佛镇寺"]], {}),
    "future stage date": ([[None, "甲", None, 1, None, None, "签约", "2022-04-01", None]], {}),
    "new project without stage": ([[None, "甲", None, 1, None, None, None, None, None]], {}),
    "unknown reporting unit": ([ROW_A], {"unit": "不存在镇"}),
    "no date": ([ROW_A], {"day": ""}),
    "same project twice": ([ROW_A, ROW_A], {}),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_change_nothing(ledger, cli, tmp_path, case):
    assert (
        cli("import", str(report(tmp_path, [ROW_B], day="2022-03-04", name="first.xlsx"))).code == 0
    )
    rows, kw = REFUSALS[case]
    path = report(tmp_path, [ROW_A, *rows], **kw)
    before = dump(ledger)
    result = cli("import", str(path), "--format", "json")
    assert result.code == 65
    (out,) = result.json()
    assert out["status"] == "rejected" and out["errors"]
    assert set(out["errors"][0]) == {"row", "column", "value", "message"}
    assert dump(ledger) == before
    annotated = path.with_name(f"{path.stem}.错误标注.xlsx")
    assert annotated.exists()


def test_unknown_unit_names_the_closest(ledger, cli, tmp_path):
    path = report(tmp_path, [[None, "甲", None, 1, None, None, "洽谈", None, "石佛镇寺"]])
    result = cli("import", str(path))
    assert result.code == 65
    assert "石佛寺镇" in result.err and "第4行" in result.err


def test_annotated_copy_marks_cells_and_lists_problems(ledger, cli, tmp_path):
    from openpyxl import load_workbook

    path = report(tmp_path, [[None, "甲", None, "很多", None, None, "洽谈", None, None]])
    out_dir = tmp_path / "退回"
    out_dir.mkdir()
    assert cli("import", str(path), "--rejected-to", str(out_dir)).code == 65
    (copy,) = out_dir.glob(f"{path.stem}.石佛寺镇.*.错误标注.xlsx")  # by unit and time
    wb = load_workbook(copy)
    assert wb.sheetnames[0] == "错误清单"
    summary = list(wb["错误清单"].iter_rows(values_only=True))
    assert summary[2][1:5] == ("D4", 4, "总投资（万元）", "很多")
    cell = wb["Sheet1"]["D4"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "应为金额" in cell.comment.text


def test_csv_renamed_and_empty_files_are_refused(ledger, cli, tmp_path):
    fake = tmp_path / "周报.xlsx"
    fake.write_text("项目名称,总投资\n甲,1\n", encoding="utf-8")
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    before = dump(ledger)
    result = cli("import", str(fake), str(empty), "--format", "json")
    assert result.code == 65
    assert [o["status"] for o in result.json()] == ["rejected", "rejected"]
    assert "另存为 .xlsx" in result.json()[0]["errors"][0]["message"]
    assert dump(ledger) == before


def test_corrected_file_supersedes(ledger, cli, tmp_path):
    wrong = [None, "玉雕产业园", "玉都实业", 26000, 18000, 52000, "已签约", "2022-03-08", None]
    assert cli("import", str(report(tmp_path, [wrong, ROW_B], name="w.xlsx"))).code == 0
    fixed = cli("import", str(report(tmp_path, [ROW_A, ROW_B], name="f.xlsx")), "--format", "json")
    assert fixed.code == 0 and fixed.json()[0]["status"] == "imported"
    assert projects(ledger)["玉雕产业园"]["funds_in_place"] == 3000 * 10000
    assert projects(ledger)["玉雕产业园"]["code"] == "ZS20220001"  # same code again
    listed = cli("imports", "list", "--format", "json").json()
    assert [(b["id"], b["status"], b["superseded_by"]) for b in listed] == [
        (1, "superseded", 2),
        (2, "imported", None),
    ]
    assert query(ledger, "SELECT count(*) FROM project_update WHERE batch_id=1") == [(0,)]
    assert_db_check_clean(cli)


def test_undo_restores_prior_state_and_cascade(ledger, cli, tmp_path):
    assert cli("import", str(report(tmp_path, [ROW_A], name="w10.xlsx"))).code == 0
    after_first = dump(ledger)
    grown = [None, "玉雕产业园", "玉都实业", 26000, 18000, 5200, "已开工", "2022-03-08", None]
    assert (
        cli("import", str(report(tmp_path, [grown], day="2022-03-18", name="w11.xlsx"))).code == 0
    )
    refused = cli("imports", "undo", "1")
    assert refused.code == 1 and "--cascade" in refused.err
    assert cli("imports", "undo", "2").code == 0
    assert_db_check_clean(cli)
    now = dump(ledger)
    for table in ("project_role", "project_update", "unit"):
        assert now[table] == after_first[table]
    skip = ("updated_at",)
    cols = columns("project")
    keep = [i for i, c in enumerate(cols) if c not in skip]
    assert [[r[i] for i in keep] for r in now["project"]] == [
        [r[i] for i in keep] for r in after_first["project"]
    ]
    assert (
        cli("import", str(report(tmp_path, [grown], day="2022-03-18", name="w11b.xlsx"))).code == 0
    )
    cascade = cli("imports", "undo", "1", "--cascade")
    assert cascade.code == 0, cascade.err
    assert projects(ledger) == {}
    statuses = [b["status"] for b in cli("imports", "list", "--format", "json").json()]
    assert statuses == ["undone", "undone", "undone"]
    assert_db_check_clean(cli)


def test_stage_backwards_is_a_warning(ledger, cli, tmp_path):
    assert cli("import", str(report(tmp_path, [ROW_A], name="a.xlsx"))).code == 0
    back = [None, "玉雕产业园", None, None, None, None, "洽谈", None, None]
    result = cli("import", str(report(tmp_path, [back], day="2022-03-18")), "--format", "json")
    assert result.code == 0
    assert any("退回" in w for w in result.json()[0]["warnings"])
    dropped = [None, "玉雕产业园", None, None, None, None, "终止", None, None]
    result = cli("import", str(report(tmp_path, [dropped], day="2022-03-25")), "--format", "json")
    (warning,) = result.json()[0]["warnings"]  # no 退回: only the 终止 date taken from the report
    assert "按填报日期 2022-03-25 记为该阶段日期" in warning
    assert_db_check_clean(cli)


def test_scoping_refuses_another_units_project(ledger, cli, tmp_path):
    assert cli("import", str(report(tmp_path, [ROW_A], name="a.xlsx"))).code == 0
    code = projects(ledger)["玉雕产业园"]["code"]
    other = [code, "玉雕产业园", None, 1, None, None, "签约", None, None]
    before = dump(ledger)
    result = cli("import", str(report(tmp_path, [other], unit="晁陂镇")))
    assert result.code == 65 and "不含晁陂镇" in result.err
    assert dump(ledger) == before
    consolidated = [code, "玉雕产业园", None, 27000, None, None, "签约", None, None]
    path = report(tmp_path, [consolidated], unit="招商服务中心", name="all.xlsx")
    result = cli("import", str(path), "--all-units")
    assert result.code == 0, result.err
    assert projects(ledger)["玉雕产业园"]["total_investment"] == 27000 * 10000


FOREIGN = {  # 晁陂镇's report touching 石佛寺镇's project in each way a row can
    "stage change": ["{code}", "玉雕产业园", None, None, None, None, "已开工", None, None],
    "amount change": ["{code}", "玉雕产业园", None, 1, None, None, None, None, None],
    "landing unit": ["{code}", "玉雕产业园", None, None, None, None, None, None, "晁陂镇"],
    "same name, no code": [None, "玉雕产业园", "玉都实业", 26000, None, None, "已签约", None, None],
}


@pytest.mark.parametrize("case", sorted(FOREIGN))
def test_another_units_report_cannot_touch_the_project(ledger, cli, tmp_path, case):
    assert cli("import", str(report(tmp_path, [ROW_A], name="a.xlsx"))).code == 0
    code = projects(ledger)["玉雕产业园"]["code"]
    row = [code if v == "{code}" else v for v in FOREIGN[case]]
    before = dump(ledger)
    result = cli("import", str(report(tmp_path, [row], unit="晁陂镇", day="2022-03-18")))
    assert result.code == 65, result.out
    assert dump(ledger) == before


def test_duplicates_are_reported_then_linked_or_new(ledger, cli, tmp_path):
    assert cli("import", str(report(tmp_path, [ROW_A], name="a.xlsx"))).code == 0
    code = projects(ledger)["玉雕产业园"]["code"]
    twin = [None, "玉雕文化产业园", "玉都实业", 26000, None, None, "签约", None, None]
    path = report(tmp_path, [twin], unit="商务局")
    refused = cli("import", str(path))
    # another unit's project: no --link offered (it would be a takeover), --new is
    assert refused.code == 65 and code in refused.err and "--new 4" in refused.err
    assert "--link 4=" not in refused.err
    before = dump(ledger)
    taken = cli("import", str(path), "--link", f"4={code}")
    assert taken.code == 65 and "不能关联" in taken.out + taken.err
    assert dump(ledger) == before
    own = report(tmp_path, [twin], name="own.xlsx", day="2022-03-18")
    refused = cli("import", str(own))
    assert refused.code == 65 and f"--link 4={code}" in refused.err
    linked = cli("import", str(own), "--link", f"4={code}", "--format", "json")
    assert linked.code == 0, linked.err
    assert linked.json()[0]["created"] == 0
    assert cli("imports", "undo", "2").code == 0
    fresh = cli("import", str(path), "--new", "玉雕文化产业园", "--format", "json")
    assert fresh.code == 0 and fresh.json()[0]["created"] == 1
    assert_db_check_clean(cli)


def test_template_round_trip_changes_nothing(ledger, cli, tmp_path):
    assert cli("import", str(report(tmp_path, [ROW_A, ROW_B], name="a.xlsx"))).code == 0
    out = tmp_path / "模板.xlsx"
    assert cli("template", "--unit", "石佛寺镇", "-o", str(out), "--date", "2022-03-18").code == 0
    before = projects(ledger)
    result = cli("import", str(out), "--format", "json")
    assert result.code == 0, result.err
    (o,) = result.json()
    assert (o["status"], o["unit"], o["period"], o["created"], o["updated"]) == (
        "imported",
        "石佛寺镇",
        "2022-W11",
        0,
        0,
    )
    after = projects(ledger)
    for name, p in before.items():
        changed = {k for k in p if p[k] != after[name][k]}
        assert changed <= {"last_reported_on"}, changed
    fields = {r[0] for r in query(ledger, "SELECT field FROM project_update WHERE batch_id=2")}
    assert fields == {"last_reported_on"}


def test_dry_run_writes_nothing(ledger, cli, tmp_path):
    before = dump(ledger)
    result = cli("import", str(report(tmp_path, [ROW_A])), "--dry-run")
    assert result.code == 0 and "玉雕产业园" in result.out
    assert dump(ledger) == before


def test_move_to_archives_and_rejects(ledger, cli, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = report(inbox, [ROW_A], name="good.xlsx")
    bad = report(inbox, [[None, "甲", None, "x", None, None, "洽谈", None, None]], name="bad.xlsx")
    archive = tmp_path / "archive"
    result = cli("import", str(inbox / "*.xlsx"), "--move-to", str(archive))
    assert result.code == 65
    assert (archive / "good.xlsx").exists() and (archive / "rejected" / "bad.xlsx").exists()
    assert len(list((archive / "rejected").glob("bad.石佛寺镇.*.错误标注.xlsx"))) == 1
    assert not good.exists() and not bad.exists()


def test_imports_show_lists_changes(ledger, cli, tmp_path):
    assert cli("import", str(report(tmp_path, [ROW_A]))).code == 0
    detail = cli("imports", "show", "1", "--format", "json").json()
    assert detail["unit"] == "石佛寺镇"
    assert {"row": 4, "field": "fai", "old": None, "new": "18000"}.items() <= next(
        c for c in detail["changes"] if c["field"] == "fai"
    ).items()


def test_samples_import_cleanly(ledger, cli):
    files = sorted(str(p) for p in (SAMPLES / "weekly").iterdir())
    result = cli("import", *files, "--format", "json")
    assert result.code == 0, result.err
    statuses = {o["status"] for o in result.json()}
    assert statuses == {"imported"}
    p = projects(ledger)
    assert p["玉雕文化产业园"]["stage"] == "started"
    assert p["玉雕文化产业园"]["funds_in_place"] == 12000 * 10000
    assert p["新能源电池材料项目"]["fai"] == 12000 * 10000
    assert p["农产品精深加工项目"]["code"] == "00101"
    assert_db_check_clean(cli)
    assert date.fromisoformat(p["智慧康养中心"]["started_on"]) == date(2022, 3, 16)


def test_bulk_rows_store_timestamps_like_the_orm(ledger, cli, tmp_path):
    """SQLite keeps timestamps as text: the bulk path must write the ORM's exact form
    (PostgreSQL types them itself); on both the ORM reads them back."""
    assert cli("import", str(report(tmp_path, [ROW_A]))).code == 0
    stamps = [
        *query(ledger, "SELECT imported_at FROM import_batch"),
        *query(ledger, "SELECT created_at FROM project"),
        *query(ledger, "SELECT created_at FROM project_update"),
    ]
    assert {len(s) for (s,) in stamps} == {len("2022-03-11 08:00:00.000000")}
    if "://" not in ledger:
        import sqlite3

        con = sqlite3.connect(ledger)
        raw = con.execute("SELECT typeof(created_at), length(created_at) FROM project_update")
        assert set(raw.fetchall()) == {("text", 26)}
        con.close()
    from zsyz.store.engine import open_ledger
    from zsyz.store.tables import Project, ProjectUpdate

    opened = open_ledger(ledger)
    with opened.read() as session:
        assert session.get(Project, 1).created_at.year >= 2022
        assert session.get(ProjectUpdate, 1).effective_on == date(2022, 3, 11)
    opened.engine.dispose()


def test_refused_xls_gets_an_annotated_xlsx(ledger, cli, tmp_path):
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("周报")
    ws.write(0, 0, "填报单位：雪枫街道")
    ws.write(0, 3, "填报日期：2022/3/18")
    for c, h in enumerate(["项目名称", "总投资（万元）", "项目阶段"]):
        ws.write(1, c, h)
    for c, v in enumerate(["康养中心", "八千", "在建"]):
        ws.write(2, c, v)
    path = tmp_path / "雪枫.xls"
    wb.save(str(path))
    before = dump(ledger)
    assert cli("import", str(path)).code == 65
    assert dump(ledger) == before
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "雪枫.错误标注.xlsx")
    assert book["周报"]["B3"].comment is not None


@pytest.mark.slow
def test_import_as_cron_runs_it(ledger, tmp_path):
    import json
    import os
    import subprocess
    import sys

    bad = report(tmp_path, [[None, "甲", None, "x", None, None, "洽谈", None, None]])
    run = subprocess.run(
        [sys.executable, "-m", "zsyz", "import", str(bad), "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "ZSYZ_DB": ledger},
        timeout=120,
    )
    assert run.returncode == 65 and "Traceback" not in run.stderr
    assert json.loads(run.stdout)[0]["status"] == "rejected"


def test_older_week_imported_late_does_not_overwrite_newer_figures(ledger, cli, tmp_path):
    newer = [None, "玉雕产业园", "玉都实业", 26000, 18000, 5000, "已开工", "2022-03-08", None]
    assert cli("import", str(report(tmp_path, [newer], day="2022-03-18"))).code == 0
    late = report(tmp_path, [ROW_A, ROW_B], day="2022-03-11")  # last week's file, sent late
    result = cli("import", str(late), "--format", "json")
    assert result.code == 0, result.err
    (outcome,) = result.json()
    assert outcome["status"] == "imported" and outcome["created"] == 1  # 电商基地 is new
    assert any("早于该项目最近一次报送" in w for w in outcome["warnings"])
    p = projects(ledger)["玉雕产业园"]
    assert p["funds_in_place"] == 5000 * 10000 and p["stage"] == "started"
    assert p["last_reported_on"] == "2022-03-18"


def test_a_folder_is_imported_in_week_order_not_text_order(ledger, cli, tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    week9 = [None, "玉雕产业园", "玉都实业", 26000, 18000, 3000, "已签约", "2022-03-01", None]
    week10 = [None, "玉雕产业园", "玉都实业", 26000, 18000, 5000, "已开工", "2022-03-01", None]
    report(inbox, [week9], day="2022-03-04", name="石佛寺镇第9周.xlsx")
    report(inbox, [week10], day="2022-03-11", name="石佛寺镇第10周.xlsx")
    result = cli("import", str(inbox), "--format", "json")
    assert result.code == 0, result.err
    assert [Path(o["file"]).name for o in result.json()] == [
        "石佛寺镇第9周.xlsx",
        "石佛寺镇第10周.xlsx",
    ]
    assert not any("早于" in w for o in result.json() for w in o["warnings"])  # none "late"
    p = projects(ledger)["玉雕产业园"]
    assert p["funds_in_place"] == 5000 * 10000 and p["last_reported_on"] == "2022-03-11"


def test_without_a_stage_column_the_dates_tell_the_stage(ledger, cli, tmp_path):
    head = ["项目名称", "投资方", "总投资（万元）", "签约日期", "开工日期"]
    first = [
        ["玉雕产业园", "玉都实业", 26000, "2022-03-01", None],
        ["电商基地", "云播", 6000, None, "2022-03-02"],
    ]
    assert cli("import", str(report(tmp_path, first, head=head, day="2022-03-04"))).code == 0
    stages = {n: p["stage"] for n, p in projects(ledger).items()}
    assert stages == {"玉雕产业园": "signed", "电商基地": "started"}
    later = [
        ["玉雕产业园", "玉都实业", 26000, "2022-03-01", "2022-03-09"],
        ["电商基地", "云播", 6000, "2022-01-05", None],
    ]
    result = cli("import", str(report(tmp_path, later, head=head, day="2022-03-11")), "-f", "json")
    assert result.code == 0 and not result.json()[0]["warnings"]  # nothing moved backwards
    p = projects(ledger)
    assert (p["玉雕产业园"]["stage"], p["玉雕产业园"]["started_on"]) == ("started", "2022-03-09")
    assert p["电商基地"]["stage"] == "started"
    no_dates = report(
        tmp_path, [["冷链物流园", "顺丰", 8000, None, None]], head=head, name="x.xlsx"
    )
    refused = cli("import", str(no_dates), "-f", "json")
    assert refused.code == 65 and "签约、开工等日期" in refused.out


@pytest.mark.parametrize(
    ("title", "sheet", "name"),
    [
        ("石佛寺镇2022年第10周招商引资项目进展情况表", "Sheet1", "周报.xlsx"),
        ("招商引资项目周报", "石佛寺镇", "周报.xlsx"),
        ("招商引资项目周报", "Sheet1", "镇平县石佛寺镇第10周.xlsx"),
    ],
)
def test_without_a_unit_line_the_title_sheet_or_file_name_says_who(
    ledger, cli, tmp_path, title, sheet, name
):
    lines = [[title], ["填报日期：2022-03-11"], HEAD, ROW_A]
    path = write_xlsx(tmp_path / name, lines, title=sheet)
    result = cli("import", str(path), "-f", "json")
    assert result.code == 0, result.out
    (outcome,) = result.json()
    assert outcome["unit"] == "石佛寺镇"
    assert any("认定为石佛寺镇" in w for w in outcome["warnings"])


def test_a_title_naming_no_unit_or_two_is_still_refused(ledger, cli, tmp_path):
    for title in ("招商引资项目周报", "石佛寺镇、晁陂镇联合项目周报"):
        path = write_xlsx(tmp_path / "周报.xlsx", [[title], ["填报日期：2022-03-11"], HEAD, ROW_A])
        result = cli("import", str(path), "-f", "json")
        assert result.code == 65 and "缺少填报单位" in result.out


def _sheets_book(path: Path, sheets: list[tuple[str, list[list]]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_a_list_split_into_sheets_by_stage_is_imported_whole(ledger, cli, tmp_path):
    head = ["项目名称", "投资方", "总投资（万元）", "签约日期"]
    top = [["填报单位：石佛寺镇", None, "填报日期：2022-03-11"], head]
    path = _sheets_book(
        tmp_path / "石佛寺镇周报.xlsx",
        [
            ("填表说明", [["请按阶段分别填写"], ["项目名称", "填写要求"], ["示例", "写全称"]]),
            ("签约项目", [*top, ["电商基地", "云播科技", 6000, "2022-02-08"]]),
            ("开工项目", [*top, ["玉雕产业园", "玉都实业", 26000, "2022-01-05"]]),
            ("在谈项目", [*top, ["冷链物流园", "顺丰", 8000, None]]),
        ],
    )
    result = cli("import", str(path), "-f", "json")
    assert result.code == 0, result.out
    assert result.json()[0]["rows"] == 3
    stages = {n: p["stage"] for n, p in projects(ledger).items()}
    assert stages == {"电商基地": "signed", "玉雕产业园": "started", "冷链物流园": "negotiating"}


def test_problems_in_a_later_sheet_name_the_sheet(ledger, cli, tmp_path):
    head = ["项目名称", "总投资（万元）", "项目阶段"]
    top = [["填报单位：石佛寺镇", None, "填报日期：2022-03-11"], head]
    path = _sheets_book(
        tmp_path / "周报.xlsx",
        [
            ("签约项目", [*top, ["甲", 100, "签约"]]),
            ("开工项目", [*top, ["乙", "很多", "开工"], ["甲", 100, "开工"]]),
        ],
    )
    result = cli("import", str(path), "-f", "json")
    assert result.code == 65
    messages = [e["message"] for e in result.json()[0]["errors"]]
    assert any(m.startswith("工作表「开工项目」：") and "金额" in m for m in messages)
    assert any("与工作表「签约项目」第3行" in m for m in messages)  # 甲 twice
    from openpyxl import load_workbook

    marked = load_workbook(tmp_path / "周报.错误标注.xlsx")
    assert marked["开工项目"]["B3"].comment is not None  # 很多, on its own sheet
    assert marked["签约项目"]["B3"].comment is None


def test_a_workbook_of_weekly_sheets_imports_only_the_latest(ledger, cli, tmp_path):
    head = ["项目名称", "总投资（万元）", "到位资金", "项目阶段"]
    path = _sheets_book(
        tmp_path / "石佛寺镇项目台账.xlsx",
        [
            (
                "第9周",
                [["填报单位：石佛寺镇", "填报日期：2022-03-04"], head, ["甲", 100, 10, "签约"]],
            ),
            (
                "第10周",
                [["填报单位：石佛寺镇", "填报日期：2022-03-11"], head, ["甲", 100, 30, "开工"]],
            ),
        ],
    )
    result = cli("import", str(path), "-f", "json")
    assert result.code == 0, result.out
    (outcome,) = result.json()
    assert outcome["period"] == "2022-W10" and any("第10周" in w for w in outcome["warnings"])
    assert projects(ledger)["甲"]["funds_in_place"] == 30 * 10000


def test_an_example_sheet_shaped_like_the_table_is_not_imported(ledger, cli, tmp_path):
    head = ["项目名称", "投资方", "总投资（万元）", "项目阶段"]
    top = [["填报单位：石佛寺镇", None, "填报日期：2022-03-11"], head]
    path = _sheets_book(
        tmp_path / "周报.xlsx",
        [
            ("填报示例", [*top, ["XX产业园项目", "XX公司", 10000, "签约"]]),
            ("项目周报", [*top, ["玉雕产业园", "玉都实业", 26000, "签约"]]),
        ],
    )
    result = cli("import", str(path), "-f", "json")
    assert result.code == 0, result.out
    assert set(projects(ledger)) == {"玉雕产业园"}


def test_sheets_with_impossible_weeks_are_read_not_crashed_on(ledger, cli, tmp_path):
    head = ["项目名称", "总投资（万元）", "项目阶段"]
    top = [["填报单位：石佛寺镇", "填报日期：2022-03-11"], head]
    path = _sheets_book(
        tmp_path / "周报.xlsx",
        [("第0周", [*top, ["甲", 100, "签约"]]), ("第99周", [*top, ["乙", 100, "签约"]])],
    )
    result = cli("import", str(path), "-f", "json")
    assert result.code == 0, result.out + result.err
    assert set(projects(ledger)) == {"甲", "乙"}


def test_a_file_name_week_the_calendar_contradicts_is_warned(ledger, cli, tmp_path):
    """QA #21: 涅阳街道第37周.xlsx dated Monday 2026-09-07 was counted as 2026-W36 silently."""
    named = report(tmp_path, [ROW_B], day="2022-03-14", name="石佛寺镇第11周.xlsx")
    (out,) = cli("import", str(named), "--format", "json").json()
    assert out["status"] == "imported" and out["period"] == "2022-W10"
    assert (
        "文件名写的是第11周，按填报日期 2022-03-14 计为 2022-W10；如不对请核对填报日期或文件名"
        in out["warnings"]
    )
    agrees = report(tmp_path, [ROW_A], unit="晁陂镇", day="2022-03-14", name="晁陂镇第10周.xlsx")
    (out,) = cli("import", str(agrees), "--format", "json").json()
    assert out["period"] == "2022-W10"
    assert not any("文件名" in w for w in out["warnings"])


@pytest.mark.parametrize(
    ("unit", "day", "said"),
    [
        ("石佛寺镇", "不详", "填报日期"),
        ("火星镇", "2022-03-11", "未知单位「火星镇」"),
        ("石佛寺镇", "2099-03-11", "填报日期晚于今天"),
    ],
)
def test_a_head_with_no_usable_date_or_unit_is_refused_before_the_rows_are_read(
    ledger, cli, tmp_path, monkeypatch, unit, day, said
):
    import zsyz.io.weekly as weekly

    def no_rows(*args, **kwargs):
        raise AssertionError("the rows were read")

    path = report(tmp_path, [ROW_A, ROW_B], unit=unit, day=day, name="周报.xlsx")
    monkeypatch.setattr(weekly, "_sheet_rows", no_rows)
    result = cli("import", str(path), "-f", "json")
    assert result.code == 65, result.out + result.err
    (outcome,) = result.json()
    assert outcome["status"] == "rejected" and outcome["rows"] == 0
    assert [e["column"] for e in outcome["errors"]] == [
        "填报单位" if "单位" in said else "填报日期"
    ]
    assert said in outcome["errors"][0]["message"]
    assert outcome["period"] == ("2022-W10" if day == "2022-03-11" else outcome["period"])
    assert projects(ledger) == {}
