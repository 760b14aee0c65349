"""A policy written from a real published scoring reproduces its published totals.

Source: the 2024 招商引资 assessment result notice of a city, published on
https://www.qianlima.com/bid-486863651.html ("2024年度全市招商引资考核结果"). Its first two
rows (two districts) give each item's arithmetic and the total: 2.78 and 2.95. The policy
is tests/policies/city-2024.toml; the ledger below holds what each row states (completion
rates, counts per band, 28/29 signed worth 177.7/141.94亿元, one project past the start
limit), with amounts of ours where the notice gives only a rate.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

from zsyz.domain.facts import ExplicitTarget, FundsObservation, ProjectFact, Role, UnitFact
from zsyz.domain.periods import parse_period
from zsyz.domain.progress import Facts
from zsyz.domain.ranking import ScoringFacts, rank
from zsyz.domain.stages import Stage
from zsyz.policy.load import parse_policy

POLICY = parse_policy((Path(__file__).parent / "policies" / "city-2024.toml").read_text("utf-8"))
SIGNED, STARTED = date(2024, 9, 1), date(2024, 10, 1)


def _project(code: str, unit: str, total: int, level: str | None = None) -> ProjectFact:
    return ProjectFact(
        code=code,
        name=code,
        stage=Stage.STARTED,
        stage_dates={Stage.SIGNED: SIGNED, Stage.STARTED: STARTED},
        roles=((Role.SOURCING, unit),),
        total_investment=D(total),
        level=level,
    )


def _district(unit: str, bands: list[tuple[int, int]], small: tuple[int, int], levels: list[str]):
    """Projects: (count, 总投资万元) per band and `small` below 3亿, all signed and started
    in autumn but the last, signed in March and never started (past 6 months); the ones
    before it carry `levels`."""
    out: list[ProjectFact] = []
    for n, total in [*bands, small]:
        for _ in range(n):
            out.append(_project(f"{unit}-{len(out) + 1:02d}", unit, total))
    for i, level in enumerate(levels):
        p = out[-2 - i]
        out[-2 - i] = replace(p, level=level)
    late = out.pop()  # the last small one stays signed only, since March
    out.append(replace(late, stage=Stage.SIGNED, stage_dates={Stage.SIGNED: date(2024, 3, 1)}))
    return out


def _funds(unit: str, field: str, value: int) -> FundsObservation:
    return FundsObservation(f"{unit}-01", field, date(2024, 12, 31), D(value))


def test_published_2024_totals_are_reproduced():
    a, b = "区甲", "区乙"
    units = [UnitFact(a, a, "county"), UnitFact(b, b, "county")]
    projects = [
        # 7, 4, 1 in the bands + 16 small = 28 signed, 177.7亿元; 重点企业 1, 现场签约 1
        *_district(
            a, [(7, 99000), (4, 199000), (1, 200000)], (16, 5500), ["重点企业", "省平台现场签约"]
        ),
        # 9, 4, 1 + 15 small = 29 signed, 141.94亿元; 重点企业 2, 现场签约 1
        *_district(
            b,
            [(9, 50000), (4, 120000), (1, 250000)],
            (15, 15960),
            ["重点企业", "重点企业", "省平台现场签约"],
        ),
    ]
    explicit = [
        ExplicitTarget(u, 2024, m, D(v))
        for u in (a, b)
        for m, v in (("out_of_province_funds", 100000), ("foreign_funds", 10000))
    ]
    observations = [
        _funds(a, "out_of_province_funds", 96000),  # 96%
        _funds(a, "foreign_funds", 15000),  # 150%, capped at 120%
        _funds(b, "out_of_province_funds", 90000),  # 90%
        _funds(b, "foreign_funds", 12000),  # 120%
    ]
    facts = Facts(units=units, projects=projects, observations=observations, explicit=explicit)
    rows = {r.unit.code: r for r in rank(POLICY, ScoringFacts(facts), parse_period("2024"))}

    signed = {u: sum(1 for p in projects if p.code.startswith(u)) for u in (a, b)}
    amount = {
        u: sum(p.total_investment or 0 for p in projects if p.code.startswith(u)) for u in (a, b)
    }
    assert signed == {a: 28, b: 29} and amount == {a: D(1777000), b: D(1419400)}

    assert [c.points for c in rows[a].components] == [
        D("0.48"),
        D("0.6"),
        D("0.25"),
        D("0.25"),
        D("0.5"),
        D("0.3"),
        D("0.4"),
        D(0),
    ]
    assert [c.points for c in rows[b].components] == [
        D("0.45"),
        D("0.6"),
        D("0.25"),
        D("0.25"),
        D("0.5"),
        D("0.5"),
        D("0.4"),
        D(0),
    ]
    assert rows[a].score == D("2.78")  # published
    assert rows[b].score == D("2.95")  # published
    assert rows[b].rank == 1 and rows[a].rank == 2


def test_the_policy_file_passes_policy_check(cli):
    result = cli("policy", "check", str(Path(__file__).parent / "policies" / "city-2024.toml"))
    assert result.code == 0, result.err
    assert "city-2024" in result.err and "计分项 8 条" in result.err
