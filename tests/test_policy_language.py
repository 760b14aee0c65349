"""The policy language: presets load, errors name the key path, init installs roster."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from zsyz.domain.metrics import Metric
from zsyz.errors import InvalidDataError
from zsyz.policy.load import load_preset, parse_policy, preset_names, preset_source

PRESETS = ["hanzhong-2021", "panan-2022", "yinjiang-2012", "youyi-2022", "zhenping-2020"]

HEAD = """
[policy]
name = "t"
title = "测试"
year = 2022

[classes.township]
label = "乡镇"
"""


def test_the_five_presets_exist():
    assert preset_names() == PRESETS


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads_and_passes_check(name, cli, tmp_path):
    policy = load_preset(name)
    assert policy.name == name
    assert policy.classes and policy.roster
    path = tmp_path / f"{name}.toml"
    path.write_text(preset_source(name).text, encoding="utf-8")
    result = cli("policy", "check", str(path))
    assert result.code == 0, result.err
    assert "有效" in result.err


@pytest.mark.parametrize("name", PRESETS)
def test_numbers_not_in_the_document_are_marked(name):
    """Every ranking component's points, and every stale threshold, is either quoted or
    marked as ours: a line with such a number carries the marker."""
    text = preset_source(name).text
    for line in text.splitlines():
        if re.match(r"^\s*(stale_days|red_factor|behind_yellow|behind_red|cap|bottom)\s*=", line):
            assert "# default, not in the document" in line, line


def test_zhenping_readings():
    p = load_preset("zhenping-2020")
    township = p.classes["township"].targets[0]
    assert [(a.required, a.filters.min_fai) for a in township.any_of] == [
        (Decimal(1), Decimal(5000)),
        (Decimal(2), Decimal(3000)),
    ]
    assert all(not a.filters.strict and a.metric is Metric.SIGNED for a in township.any_of)
    tier_a = p.classes["dept_a"].targets[0]
    assert [a.filters.min_fai for a in tier_a.any_of] == [Decimal(10000), Decimal(5000)]
    names = {u.name: u.unit_class for u in p.roster}
    tier_a_names = "产聚委 玉管委 发改委 科工局 人社局 交通运输局 住建局 自然资源局 城市管理局 农业农村局 林业局 水利局 卫健委 市场监管局 商务局 文广旅局 供销社 招商服务中心"
    tier_b_names = "组织部 宣传部 统战部 教体局 退役军人事务局 民政局 财政局 审计局 生态环境局 医保局 扶贫办 应急管理局 旅游服务中心 房产服务中心 公路发展中心 金融服务中心 政数中心 物资公司 商业局"
    assert {n for n, c in names.items() if c == "dept_a"} == set(tier_a_names.split())
    assert {n for n, c in names.items() if c == "dept_b"} == set(tier_b_names.split())
    assert all(u.example for u in p.roster if u.unit_class in ("township", "leader", "dept_c"))
    assert p.admission is not None and p.admission.min_fai_per_mu == 260
    assert p.admission.min_tax_per_mu == 11
    assert p.alerts.monthly_leads == 1 and p.alerts.monthly_trips == 1


def test_panan_credit_and_approval():
    p = load_preset("panan-2022")
    assert {r.value for r in p.credit.roles} == {"sourcing", "landing"}
    assert p.credit.share.value == "full"
    assert p.approval is not None and p.approval.parks[0].max_land == 50
    industry = next(r for r in p.approval.routes if "工业" in r.categories)
    assert [(b.max_land, b.level) for b in industry.bounds] == [
        (Decimal(30), "deputy"),
        (Decimal(50), "mayor_office"),
        (None, "standing_committee"),
    ]


def test_youyi_thresholds_read_total_investment():
    p = load_preset("youyi-2022")
    chain = p.classes["chain"].targets[0]
    assert chain.filters.min_total == 5000 and chain.filters.min_fai is None
    assert p.credit_roles("chain")[0].value == "chain"


def test_yinjiang_squads_have_per_unit_amounts():
    p = load_preset("yinjiang-2012")
    assert p.classes["squad"].targets[0].per_unit
    squads = [u for u in p.roster if u.unit_class == "squad"]
    assert squads and all(u.example and u.targets for u in squads)
    county = next(u for u in p.roster if u.unit_class == "county")
    assert county.targets[0].required == 250000 and not county.example


BAD = [
    (
        '[[targets.township]]\nany_of = [{metric="signed", value=1, min_fai=5000}, {metric="signed", value=2, min_fai="五千万"}]',
        'targets.township[0].any_of[1].min_fai: 应为以万元计的数字，收到 "五千万"',
    ),
    (
        '[[targets.township]]\nmetric="signed"\nvalue=1\n[[targets.township]]\nmetric="signed"\nvalue=1\nmin_fai="五千万"',
        'targets.township[1].min_fai: 应为以万元计的数字，收到 "五千万"',
    ),
    ('[[targets.township]]\nmetric="signd"\nvalue=1', "targets.township[0].metric: 应为 'signed'"),
    (
        '[[targets.township]]\nmetric="signed"\nvalue=1\nmin_fia=3',
        "targets.township[0].min_fia: 未知的键",
    ),
    ('[[targets.township]]\nmetric="signed"', "targets.township[0]: 缺少 value"),
    (
        '[[targets.township]]\nmetric="signed"\nvalue=1\nstrict="yes"',
        "targets.township[0].strict: 应为 true 或 false",
    ),
    ('[[targets.township]]\nmetric="signed"\nvalue=-1', "targets.township[0].value: 应不小于 0"),
    (
        '[[targets.dept_a]]\nmetric="signed"\nvalue=1',
        "targets 用到的单位类别未在 [classes] 中定义：dept_a",
    ),
    ('[[targets.bureau]]\nmetric="signed"\nvalue=1', "targets.bureau: 应为 'leader'"),
    (
        '[[rewards]]\nkind="fixed_on_completion"\nlabel="x"\namount="十万"',
        'rewards[0].amount: 应为以万元计的数字，收到 "十万"',
    ),
    ('[[rewards]]\nkind="bogus"\nlabel="x"', "rewards[0]: kind 应为"),
    ("[reporting]\ndue_weekday=8", "reporting.due_weekday: 应不大于 7"),
    ("[alerts]\nstale_days={ negotiatin = 30 }", "alerts.stale_days.negotiatin: 应为 'planned'"),
    ('[ranking]\ncomponents=[{kind="completion"}]', "ranking.components[0].points: 缺少此键"),
    (
        '[approval]\nroutes=[{label="x", bounds=[{level="deputy"}, {max_land=20, level="mayor_office"}]}]',
        "approval.routes[0]: 只有最后一档可以不写 max_land",
    ),
    (
        '[roster]\nunits=[{name="甲", class="township"}, {name="甲", class="township"}]',
        "名称或别名「甲」重复",
    ),
    ("[policy\n", "TOML 语法错误"),
    # the forms of issue 13, each checked
    (
        '[[targets.township]]\nmetric="signed"\nvalue=1\nmin_total=100000\nmax_total=30000',
        "targets.township[0]: 上限（max_fai / max_total）应大于下限",
    ),
    (
        '[[rewards]]\nkind="per_project"\nlabel="x"\namount=10',
        "rewards[0].to: 缺少此键",
    ),
    (
        '[[rewards]]\nkind="per_project"\nlabel="x"\namount=10\nto="everyone"',
        "rewards[0].to: 应为 'each_credited'",
    ),
    (
        '[[flags]]\nkind="bottom_of_ranking"\nlabel="x"\nflag="通报批评"\nbottom=1\nshare=0.1',
        "flags[0]: 写且只写 bottom",
    ),
    (
        '[[flags]]\nkind="bottom_of_ranking"\nlabel="x"\nflag="通报批评"\nshare=1.5',
        "flags[0].share: 应不大于 1",
    ),
    (
        '[ranking]\ncomponents=[{kind="target", metric="signed", points=1, cap="百分之百"}]',
        "ranking.components[0].cap: 应为以比例",
    ),
    (
        '[ranking]\ncomponents=[{kind="shortfall", base=0.5, per_missing=0.1, require=[]}]',
        "ranking.components[0].require: 至少要有一项",
    ),
    (
        '[ranking]\ncomponents=[{kind="shortfall", base=0.5, per_missing=0.1, require=[{metric="signed"}]}]',
        "ranking.components[0].require[0].value: 缺少此键",
    ),
    (
        '[ranking]\ncomponents=[{kind="ceiling", label="x", cap=0.5, items=[{kind="ceiling", label="y", cap=1, items=[]}]}]',
        "ranking.components[0].items[0]: kind 应为",
    ),
    (
        '[ranking]\ncomponents=[{kind="deduction", event="signed_late", points=0.1}]',
        "ranking.components[0].event: 应为 'missed_report'",
    ),
    ('[ranking]\ncomponents=[{kind="adjustment", cap="x"}]', "ranking.components[0].cap: 应为以分"),
    (
        '[ranking]\ncomponents=[{kind="share", label="x", points=1, numerator={metric="signed"}}]',
        "ranking.components[0].denominator: 缺少此键",
    ),
    (
        '[ranking]\ncomponents=[{kind="target", metric="signed", value=5}]',
        "ranking.components[0]: 写 points（完成率 × 分值）或 steps",
    ),
    (
        '[ranking]\ncomponents=[{kind="target", metric="signed", value=5, points=1, steps=[{min=1, points=1}]}]',
        "ranking.components[0]: steps 与 points、cap 不能同时写",
    ),
]


@pytest.mark.parametrize(("body", "expected"), BAD, ids=[e for _, e in BAD])
def test_errors_name_the_key_path(body, expected):
    text = body if body.startswith("[policy\n") else HEAD + body
    with pytest.raises(InvalidDataError) as info:
        parse_policy(text, "t.toml")
    lines = [str(p) for p in info.value.problems]
    assert any(expected in line for line in lines), lines


def test_check_reports_every_problem_and_exits_65(cli, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        HEAD + '[[targets.township]]\nmetric="signed"\nvalue="一个"\nmin_fai="五千万"\n',
        encoding="utf-8",
    )
    result = cli("policy", "check", str(path))
    assert result.code == 65
    assert "targets.township[0].min_fai" in result.err
    assert "targets.township[0].value" in result.err
    assert "Traceback" not in result.err


def test_policy_show_prints_the_preset(cli):
    result = cli("policy", "show", "panan-2022")
    assert result.code == 0
    assert tomllib.loads(result.out)["policy"]["name"] == "panan-2022"
    missing = cli("policy", "show", "zhenping")
    assert missing.code == 1 and "zhenping-2020" in missing.err


def test_policy_list_json(cli):
    rows = cli("policy", "list", "--format", "json").json()
    assert [r["name"] for r in rows] == PRESETS


def test_init_with_preset_installs_roster_and_policy(db, cli):
    result = cli("init", "--preset", "zhenping-2020")
    assert result.code == 0, result.err
    units = cli("units", "list", "--format", "json").json()
    by_name = {u["name"]: u for u in units}
    assert by_name["商务局"]["class"] == "dept_a" and by_name["商务局"]["group"] == "dept"
    assert by_name["商业局"]["class"] == "dept_b"
    assert "工商联" in by_name["县工商联"]["aliases"]
    from zsyz.store.engine import open_ledger
    from zsyz.store.policies import active_policy

    ledger = open_ledger(db)
    with ledger.read() as session:
        policy, year = active_policy(session)
    assert policy.name == "zhenping-2020" and year == 2020


def test_init_with_policy_file_and_year_and_unit_targets(db, cli, tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(preset_source("yinjiang-2012").text, encoding="utf-8")
    result = cli("init", "--policy", str(path), "--year", "2013", "--with-examples")
    assert result.code == 0, result.err
    rows = cli("targets", "list", "--format", "json").json()
    squad = [r for r in rows if r["unit"] == "招商一分队"]
    assert squad == [
        {
            **squad[0],
            "year": 2013,
            "metric": "funds",
            "required": 5000,
            "origin": "policy",
        }
    ]


def test_init_refuses_a_bad_policy_and_leaves_no_ledger(db, cli, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[policy]\nname = 1\n", encoding="utf-8")
    result = cli("init", "--policy", str(path))
    assert result.code == 65
    assert "policy.name" in result.err
    assert not Path(db).exists()


def test_demo_preset_matches_sample_roster():
    samples = Path(__file__).resolve().parents[1] / "samples"
    assert (samples / "preset.txt").read_text(encoding="utf-8").strip() == "zhenping-2020"


def test_readme_policy_example_passes_check():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index('```toml\n[policy]\nname = "我县-2023"') + len("```toml\n")
    text = readme[start : readme.index("```", start)]
    policy = parse_policy(text, "README")
    assert policy.classes["township"].targets[0].any_of


def test_policy_class_ids_match_the_unit_classes_the_ledger_knows():
    from zsyz.domain.units import UNIT_CLASSES
    from zsyz.policy.model import CLASS_IDS

    assert tuple(UNIT_CLASSES) == CLASS_IDS


def test_readme_ranking_forms_example_passes_check():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("```toml\n# 1. 省外新增实际投资完成率") + len("```toml\n")
    text = readme[start : readme.index("```", start)]
    policy = parse_policy(HEAD + '\n[ranking]\ngroups = { township = "乡镇" }\n' + text, "README")
    assert policy.ranking is not None and len(policy.ranking.components) == 6
