"""`zsyz policy apply` (diff first, --yes to apply, old policy kept for earlier years) and
`init --preset` leaving out the units a preset invents unless --with-examples."""

from __future__ import annotations

from datetime import date

from tests.factories import add_project
from zsyz.policy.load import preset_source


def test_init_leaves_example_units_out_unless_asked(db, cli, tmp_path):
    result = cli("init", "--preset", "hanzhong-2021")
    assert result.code == 0, result.err
    assert "示例单位 3 个未载入" in result.err
    names = {u["name"] for u in cli("units", "list", "-f", "json").json()}
    assert "市发改委" in names and "汉台区" not in names  # 汉台区 is an example of ours
    assert cli("targets", "list", "-f", "json").json() == []  # its figures too
    other = tmp_path / "other.db"
    with_examples = cli("--db", str(other), "init", "--preset", "hanzhong-2021", "--with-examples")
    assert with_examples.code == 0
    names = {u["name"] for u in cli("--db", str(other), "units", "list", "-f", "json").json()}
    assert "汉台区" in names


def _changed_policy(tmp_path):
    text = preset_source("zhenping-2020").text
    text = text.replace('name = "zhenping-2020"', 'name = "zhenping-2021"', 1)
    # 2021: the per-project reward is 20万, and leaders' 包保 projects pay too
    text = text.replace('amount = 10\nto = "sourcing"', 'amount = 20\nto = "each_credited"')
    path = tmp_path / "zp2021.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_policy_apply_shows_the_diff_and_needs_yes(db, cli, tmp_path):
    assert cli("init", "--preset", "zhenping-2020").code == 0
    path = _changed_policy(tmp_path)
    dry = cli("policy", "apply", str(path), "--from-year", "2021")
    assert dry.code == 0, dry.err
    assert "2021 年起以政策 zhenping-2021" in dry.err and "--yes" in dry.err
    assert "类别目标：无变化" in dry.err
    from zsyz.store.engine import open_ledger
    from zsyz.store.policies import active_policy

    with open_ledger(db).read() as session:
        assert active_policy(session, 2021)[0].name == "zhenping-2020"  # nothing applied


def test_policy_apply_keeps_the_old_policy_for_past_years(db, cli, tmp_path):
    assert cli("init", "--preset", "zhenping-2020").code == 0
    for code, year in (("P20", 2020), ("P21", 2021)):
        add_project(
            db, code, stage="started", signed_on=date(year, 3, 1), started_on=date(year, 5, 1),
            fai=12000, category="制造业", roles={"sourcing": ["商务局"]},
        )  # fmt: skip
    path = _changed_policy(tmp_path)
    done = cli("policy", "apply", str(path), "--from-year", "2021", "--yes")
    assert done.code == 0, done.err
    assert "载入政策 zhenping-2021" in done.err

    def per_project(year: int) -> list[float]:
        lines = cli("rewards", "--year", str(year), "-f", "json").json()["lines"]
        return [x["amount"] for x in lines if x["rule"].startswith("招引落地")]

    assert per_project(2020) == [10]  # the policy in force in 2020
    assert per_project(2021) == [20]  # the one applied from 2021
    from zsyz.store.engine import open_ledger
    from zsyz.store.policies import active_policy

    with open_ledger(db).read() as session:
        assert active_policy(session, 2019)[0].name == "zhenping-2020"  # before any: earliest
        assert active_policy(session)[0].name == "zhenping-2021"


def test_policy_apply_refuses_a_bad_file_in_one_line(db, cli, tmp_path):
    assert cli("init", "--preset", "zhenping-2020").code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text("[policy]\nname = 1\n", encoding="utf-8")
    result = cli("policy", "apply", str(bad), "--yes")
    assert result.code == 65 and "policy.name" in result.err


def test_a_stored_policy_the_language_now_refuses_is_replaced_by_apply(db, cli, tmp_path):
    """A ledger made before `to` was required: every command says what is wrong in one
    line (exit 65); `policy apply` of a corrected file puts it right."""
    from sqlmodel import select

    from zsyz.store.engine import open_ledger
    from zsyz.store.tables import Policy

    assert cli("init", "--preset", "zhenping-2020").code == 0
    ledger = open_ledger(db)
    with ledger.write() as session:
        row = session.exec(select(Policy)).one()
        row.text = row.text.replace('to = "sourcing"\n', "")
        session.add(row)
    ledger.engine.dispose()
    broken = cli("rank", "--year", "2020")
    assert broken.code == 65 and "rewards[1].to: 缺少此键" in broken.err
    fixed = tmp_path / "fixed.toml"
    fixed.write_text(preset_source("zhenping-2020").text, encoding="utf-8")
    diff = cli("policy", "apply", str(fixed), "--from-year", "2020")
    assert diff.code == 0 and "原政策已无法按现行格式读取" in diff.err
    assert cli("policy", "apply", str(fixed), "--from-year", "2020", "--yes").code == 0
    assert cli("rank", "--year", "2020").code == 0
    assert cli("rank", "--year", "2019").code == 0  # before any: the latest of the earliest
