"""Ranking groups are one vocabulary: ids, labels, class words and decorated spellings."""

from __future__ import annotations

from pathlib import Path

import pytest

from zsyz.app.units import group_vocabulary
from zsyz.domain.facts import UnitFact
from zsyz.domain.groups import group_of

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.parametrize(
    ("text", "gid"),
    [
        ("township", "township"),
        ("乡镇", "township"),
        ("乡镇（街道）", "township"),
        ("乡镇(街道)", "township"),
        ("街道", "township"),
        ("乡镇组", "township"),
        ("全县乡镇", "township"),
        ("部门", "dept"),
        ("县直部门", "dept"),
        ("县直部门（一类）", "dept"),
        ("dept_a", "dept"),
        ("DEPT", "dept"),
        ("县领导", "leader"),
        ("领导", "leader"),
        ("工商联", "chamber"),
        ("县工商联", "chamber"),
        ("第一组", None),
        ("乡长", None),
    ],
)
def test_group_spellings_resolve_to_one_id(text, gid):
    assert group_vocabulary().resolve(text) == gid


def test_policy_labels_join_the_vocabulary():
    vocab = group_vocabulary({"township": "乡（镇）", "dept": "市直部门", "east": "东片区"})
    assert vocab.resolve("乡（镇）") == "township"
    assert vocab.resolve("乡镇") == "township"
    assert vocab.resolve("市直部门") == "dept"
    assert vocab.resolve("东片区") == "east"
    assert vocab.resolve("east") == "east"
    assert "东片区（east）" in vocab.known()


def test_group_of_defaults_to_the_class():
    assert group_of(UnitFact("d1", "商务局", "dept_a")) == "dept"
    assert group_of(UnitFact("t1", "镇", "township", group="east")) == "east"


def test_sample_roster_with_chinese_groups_ranks_each_group_once(db, cli):
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    units = cli("units", "list", "-f", "json").json()
    assert {u["group"] for u in units} == {"township", "dept", "chamber", "leader"}
    rows = cli("rank", "--quarter", "2020-Q2", "-f", "json").json()
    groups = [r["group"] for r in rows]
    assert len(set(groups)) == len(dict.fromkeys(groups))  # each group in one run
    firsts = [r["group"] for r in rows if r["rank"] == 1]
    assert len(firsts) == len(set(firsts))  # one #1 per group
    town = cli("rank", "--quarter", "2020-Q2", "--group", "乡镇", "-f", "json").json()
    assert town and {r["group"] for r in town} == {"township"}
    assert any(r["unit"] == "涅阳街道" for r in town)


def test_unknown_group_is_refused_listing_known_ones(db, cli):
    assert cli("init", "--preset", "zhenping-2020", "--with-examples").code == 0
    bad = cli("units", "add", "新镇", "--class", "township", "--group", "第一组")
    assert (
        bad.code == 2 and "未知分组「第一组」" in bad.err and "乡镇（街道）（township）" in bad.err
    )
    rank = cli("rank", "--quarter", "2020-Q2", "--group", "第一组")
    assert rank.code == 2 and "未知分组" in rank.err
    assert cli("units", "add", "新镇", "--class", "township", "--group", "乡镇").code == 0
    units = {u["name"]: u for u in cli("units", "list", "-f", "json").json()}
    assert units["新镇"]["group"] == "township"


POLICY = """
[policy]
name = "分组测试"
title = "分组测试政策"
year = 2022

[classes.township]
label = "乡镇"

[ranking]
periods = ["quarter"]
groups = { township = "乡（镇）" }

[[ranking.components]]
kind = "completion"
label = "目标完成"
points = 100

[roster]
units = [
  { name = "甲镇", class = "township", group = "乡镇" },
  { name = "乙镇", class = "township", group = "乡（镇）" },
]
"""


def test_policy_roster_groups_resolve_through_the_vocabulary(db, cli, tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text(POLICY, encoding="utf-8")
    result = cli("init", "--policy", str(path))
    assert result.code == 0, result.err
    units = {u["name"]: u["group"] for u in cli("units", "list", "-f", "json").json()}
    assert units == {"甲镇": "township", "乙镇": "township"}
    bad = tmp_path / "bad.toml"
    bad.write_text(POLICY.replace('group = "乡镇"', 'group = "第一组"'), encoding="utf-8")
    refused = cli("init", "--policy", str(bad), "--db", str(tmp_path / "other.db"))
    assert refused.code == 2 and "未知分组「第一组」" in refused.err
