"""zsyz db check, db copy and db merge — on SQLite, and on PostgreSQL in the PG run
(where `db` is a fresh PostgreSQL database and sources stay SQLite files)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.ledger_seed import seeded_ledger, table_rows
from zsyz.store.engine import resolve_url


def sql(url: str, *statements: str) -> None:
    engine = create_engine(resolve_url(url))
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


# ------------------------------------------------------------------ db check


def test_check_clean_ledger(db, cli):
    seeded_ledger(db)
    result = cli("db", "check", "--format", "json")
    assert result.code == 0, result.err
    assert result.json() == []
    assert "检查通过" in result.err


BROKEN = {
    "stage_dates": [  # signed, yet a start date
        "UPDATE project SET started_on = '2022-03-05' WHERE code = 'P001'"
    ],
    "stage_dates ": [  # dates go backwards along the life cycle
        "UPDATE project SET lead_on = '2022-04-01' WHERE code = 'P001'"
    ],
    "batch_counts": ["UPDATE import_batch SET created = 5"],
    "project_units": [
        "DELETE FROM project_role WHERE project_id = (SELECT id FROM project WHERE code = 'P002')"
    ],
    "history_intervals": ["UPDATE project_update SET valid_to = '2000-01-01'"],
    "negative_amounts": ["UPDATE project SET funds_in_place = -10000 WHERE code = 'P002'"],
    "unit_cycles": [
        "UPDATE unit SET parent_id = (SELECT id FROM unit WHERE name = '石佛寺社区') "
        "WHERE name = '石佛寺镇'"
    ],
}


@pytest.mark.parametrize("check", sorted(BROKEN))
def test_check_finds_each_broken_rule(db, cli, check):
    seeded_ledger(db)
    sql(db, *BROKEN[check])
    result = cli("db", "check", "--format", "json")
    assert result.code == 1, result.err
    found = result.json()
    assert {f["check"] for f in found} == {check.strip()}
    assert set(found[0]) == {"check", "table", "row_id", "message"}
    assert "处问题" in result.err


@pytest.mark.sqlite_only(reason="PostgreSQL never lets a dangling foreign key in")
def test_check_finds_dangling_update_and_foreign_key(db, cli):
    import sqlite3

    seeded_ledger(db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("UPDATE project_update SET batch_id = 99 WHERE id = 1")
    con.commit()
    con.close()
    found = cli("db", "check", "--format", "json").json()
    checks = {f["check"] for f in found}
    assert {"update_refs", "foreign_keys"} <= checks
    table = cli("db", "check")
    assert table.code == 1 and "不存在的导入批次 99" in table.out


# ------------------------------------------------------------------ db copy


def test_copy_into_empty_database_keeps_every_row_and_id(tmp_path, db, cli):
    source = seeded_ledger(str(tmp_path / "镇平县.db"))
    result = cli("db", "copy", "--db", source, "--to", db, "--format", "json")
    assert result.code == 0, result.err
    counts = {c["table"]: c for c in result.json()}
    assert counts["project_update"] == {"table": "project_update", "source": 6, "written": 6}
    assert table_rows(db) == table_rows(source)
    # ids handed out next follow the copied ones (PostgreSQL sequences were moved on)
    assert cli("units", "add", "新设镇", "--class", "township").code == 0
    assert cli("db", "check").code == 0


def test_copy_refuses_a_target_with_data(tmp_path, ledger_db, cli):
    source = seeded_ledger(str(tmp_path / "src.db"))
    assert cli("units", "add", "已有局", "--class", "dept_b").code == 0
    before = table_rows(ledger_db)
    result = cli("db", "copy", "--db", source, "--to", ledger_db)
    assert result.code == 1
    assert "不是空台账" in result.err and len(result.err.strip().splitlines()) == 1
    assert table_rows(ledger_db) == before


def test_copy_to_same_ledger_is_refused(tmp_path, cli):
    source = seeded_ledger(str(tmp_path / "src.db"))
    result = cli("db", "copy", "--db", source, "--to", source)
    assert result.code == 2


# ------------------------------------------------------------------ db merge


def _json(cli, *args):
    result = cli(*args, "--format", "json")
    assert result.code == 0, result.err
    return result.json()


def test_merge_nests_each_county_and_keeps_everything(tmp_path, db, cli):
    a = seeded_ledger(str(tmp_path / "镇平县.db"))
    b = seeded_ledger(str(tmp_path / "y.db"), projects=3)
    result = cli("db", "merge", a, b, "--as-county", "镇平县", "--as-county", "印江县", "--to", db)
    assert result.code == 0, result.err
    units = {u["code"]: u for u in _json(cli, "units", "list")}
    assert units["镇平县"]["class"] == "county" and units["印江县"]["class"] == "county"
    town = units["印江县.township001"]
    assert town["name"] == "印江县石佛寺镇" and town["parent"] == "印江县"
    assert units["印江县.township002"]["parent"] == "印江县石佛寺镇"
    assert units["镇平县.depta001"]["aliases"] == ["镇平县招商局"]  # 县商务局 = the name itself
    targets = _json(cli, "targets", "list")
    assert sorted(t["unit"] for t in targets) == ["印江县石佛寺镇", "镇平县石佛寺镇"]
    rows = table_rows(db)
    assert len(rows["project"]) == 5 and len(rows["project_update"]) == 15
    codes = {p["id"]: p["code"] for p in rows["project"]}
    unit_codes = {u["id"]: u["code"] for u in rows["unit"]}
    roles = {
        (codes[r["project_id"]], r["role"], unit_codes[r["unit_id"]]) for r in rows["project_role"]
    }
    assert ("印江县.P003", "landing", "印江县.township001") in roles
    assert ("镇平县.P001", "sourcing", "镇平县.depta001") in roles
    batches = {b["id"]: b for b in rows["import_batch"]}
    for p in rows["project"]:
        county = p["code"].split(".")[0]
        assert unit_codes[batches[p["created_batch_id"]]["unit_id"]] == f"{county}.township001"
    assert cli("db", "check").code == 0
    assert cli("units", "add", "汉中市商务局", "--class", "dept").code == 0


def test_merge_names_county_after_the_file_and_refuses_a_second_merge(tmp_path, db, cli):
    a = seeded_ledger(str(tmp_path / "镇平县.db"))
    assert cli("db", "merge", a, "--to", db).code == 0
    assert "镇平县" in {u["code"] for u in _json(cli, "units", "list")}
    before = table_rows(db)
    again = cli("db", "merge", a, "--to", db)
    assert again.code == 1 and "请勿重复合并" in again.err
    assert table_rows(db) == before


def test_merge_usage_errors(tmp_path, db, cli):
    a = seeded_ledger(str(tmp_path / "a.db"))
    b = seeded_ledger(str(tmp_path / "b.db"))
    assert cli("db", "merge", a, b, "--as-county", "甲县", "--to", db).code == 2
    same = cli("db", "merge", a, b, "--as-county", "甲县", "--as-county", "甲县", "--to", db)
    assert same.code == 2 and "县名重复" in same.err


# ------------------------------------------------------------------ housekeeping


def test_discard_leaves_nothing_behind_so_init_can_run_again(db, cli):
    """What init does when it cannot finish (e.g. a bad policy): no half-made ledger."""
    from sqlalchemy import inspect

    from zsyz.store.lifecycle import create_ledger, discard

    ledger = create_ledger(db)
    discard(ledger)
    if "://" in db:
        engine = create_engine(resolve_url(db))
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == []
        engine.dispose()
    else:
        from pathlib import Path

        assert not Path(db).exists()
    assert cli("init").code == 0


def test_no_sqlite_only_sql_outside_dialect_checks():
    """PRAGMAs, BEGIN IMMEDIATE, INSERT OR … and the sqlite3 module live only in the
    modules that check the dialect first."""
    import re
    from pathlib import Path

    allowed = {
        "store/engine.py",
        "store/check.py",
        "store/lifecycle.py",
        "store/fastpath.py",  # only for a SQLite file path; anything else goes the normal way
        "store/migrate.py",  # foreign keys off around SQLite batch rebuilds, behind a check
        "store/reader.py",  # the bare-driver reader: sqlite3 for a SQLite file, psycopg else
    }
    pattern = re.compile(
        r"""["'](?:\s*PRAGMA|BEGIN IMMEDIATE|INSERT OR)|import sqlite3|sqlite3\.""", re.I
    )
    root = Path(__file__).resolve().parents[1] / "zsyz"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if str(path.relative_to(root)) not in allowed
        and any(
            pattern.search(line) and not line.lstrip().startswith("#")
            for line in path.read_text().splitlines()
        )
    ]
    assert offenders == []
