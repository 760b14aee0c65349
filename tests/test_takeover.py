"""No takeover: a unit's report changes only its own role and the projects it holds one in;
--link joins a row only to a project of the reporting unit (or, in a county summary, of a
unit the row names); another unit's role is removed only by a county summary."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, write_xlsx
from tests.ledger_state import dump, projects, query

HEAD = [
    "项目编号",
    "项目名称",
    "投资方",
    "固定资产投资",
    "项目阶段",
    "签约日期",
    "招引单位",
    "落地单位",
]


@pytest.fixture
def ledger(ledger_db, cli):
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    return ledger_db


def report(tmp_path: Path, rows, *, unit: str, day: str, name: str) -> Path:
    lines = [["项目周报"], [f"填报单位：{unit}", None, None, f"填报日期：{day}"], HEAD, *rows]
    return write_xlsx(tmp_path / name, lines)


def roles(db: str, code: str) -> set[tuple[str, str]]:
    return set(
        query(
            db,
            "SELECT r.role, u.name FROM project_role r JOIN unit u ON u.id = r.unit_id"
            " JOIN project p ON p.id = r.project_id WHERE p.code = :c",
            {"c": code},
        )
    )


@pytest.fixture
def shared(ledger, cli, tmp_path) -> str:
    """石佛寺镇 brought in 玉雕产业园, it lands in 晁陂镇 (the county's summary says so)."""
    row = [None, "玉雕产业园", "玉都实业", 18000, "已签约", "2022-03-08", "石佛寺镇", "晁陂镇"]
    path = report(tmp_path, [row], unit="招商服务中心", day="2022-03-11", name="county.xlsx")
    result = cli("import", str(path), "--all-units")
    assert result.code == 0, result.err
    code = projects(ledger)["玉雕产业园"]["code"]
    assert roles(ledger, code) == {("sourcing", "石佛寺镇"), ("landing", "晁陂镇")}
    return code


def test_link_to_another_units_project_is_refused(shared, ledger, cli, tmp_path):
    row = [None, "我镇物流园", "外商", 1, "终止", None, None, None]
    path = report(tmp_path, [row], unit="贾宋镇", day="2022-03-18", name="jia.xlsx")
    before = dump(ledger)
    result = cli("import", str(path), "--link", f"4={shared}")
    assert result.code == 65 and "不能关联" in result.out + result.err
    assert dump(ledger) == before


@pytest.mark.parametrize(("named", "ok"), [("贾宋镇", False), ("晁陂镇", True), (None, False)])
def test_county_summary_links_only_to_a_unit_the_row_names(
    shared, ledger, cli, tmp_path, named, ok
):
    row = [None, "玉雕文化园", None, 20000, None, None, None, named]
    path = report(tmp_path, [row], unit="招商服务中心", day="2022-03-18", name="c2.xlsx")
    before = dump(ledger)
    result = cli("import", str(path), "--all-units", "--link", f"4={shared}")
    assert (result.code == 0) is ok, result.out + result.err
    if ok:
        assert projects(ledger)["玉雕文化园"]["code"] == shared  # the county renamed it
    else:
        assert dump(ledger) == before


def test_own_report_keeps_the_other_units_role(shared, ledger, cli, tmp_path):
    # 石佛寺镇 writes only itself as 落地单位: it joins, 晁陂镇 stays, and is told
    row = [shared, "玉雕产业园", None, 19000, None, None, "石佛寺镇", "石佛寺镇"]
    path = report(tmp_path, [row], unit="石佛寺镇", day="2022-03-18", name="own.xlsx")
    result = cli("import", str(path), "--format", "json")
    assert result.code == 0, result.err
    (out,) = result.json()
    assert any("不能移除其他单位的落地单位（晁陂镇）" in w for w in out["warnings"])
    assert roles(ledger, shared) == {
        ("sourcing", "石佛寺镇"),
        ("landing", "晁陂镇"),
        ("landing", "石佛寺镇"),
    }
    assert projects(ledger)["玉雕产业园"]["fai"] == 19000 * 10000


def test_own_report_cannot_add_another_unit(shared, ledger, cli, tmp_path):
    row = [shared, "玉雕产业园", None, None, None, None, "石佛寺镇、贾宋镇", None]
    path = report(tmp_path, [row], unit="石佛寺镇", day="2022-03-18", name="own.xlsx")
    result = cli("import", str(path), "--format", "json")
    assert result.code == 0, result.err
    assert any("不能为其他单位增加招引单位（贾宋镇）" in w for w in result.json()[0]["warnings"])
    assert ("sourcing", "贾宋镇") not in roles(ledger, shared)


def test_county_summary_may_remove_a_role(shared, ledger, cli, tmp_path):
    row = [shared, "玉雕产业园", None, None, None, None, None, "石佛寺镇"]
    path = report(tmp_path, [row], unit="招商服务中心", day="2022-03-18", name="c3.xlsx")
    assert cli("import", str(path), "--all-units").code == 0
    assert roles(ledger, shared) == {("sourcing", "石佛寺镇"), ("landing", "石佛寺镇")}


@pytest.mark.sqlite_only(reason="a real process on a ledger file")
def test_takeover_by_link_in_a_real_process(shared, ledger, tmp_path):
    row = [None, "夺来的项目", "某公司", 99999, "终止", None, "贾宋镇", "贾宋镇"]
    path = report(tmp_path, [row], unit="贾宋镇", day="2022-03-18", name="take.xlsx")
    before = dump(ledger)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "zsyz",
            "--db",
            ledger,
            "import",
            str(path),
            "--link",
            f"4={shared}",
        ],
        env={**os.environ},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 65 and "Traceback" not in result.stderr
    assert dump(ledger) == before
