"""`progress.measure` finds credited projects through indexes and memos in `Facts`;
these properties prove it equals the plain definition (every project attached to the
unit, or every project for chain credit, checked with `credit.credited` and
`credit.passes`), summed in the same order, for any facts and policy."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from zsyz.domain.credit import credited, passes
from zsyz.domain.facts import FundsObservation, ProjectFact, Role, UnitFact
from zsyz.domain.metrics import Metric
from zsyz.domain.policy import Credit, CreditRole, Filters, Policy, Share, UnitClass
from zsyz.domain.progress import Facts, _project_amount, measure
from zsyz.domain.progress import year_span as _period
from zsyz.domain.stages import LIFE_CYCLE, Stage

UNITS = [
    UnitFact("u1", "装备制造", "township"),
    UnitFact("u2", "商务局", "dept", aliases=("新材料链",)),
    UnitFact("u3", "新材料", "chain"),
    UnitFact("u4", "农业农村局", "leader"),
]
METRICS = [
    Metric.SIGNED,
    Metric.STARTED,
    Metric.PRODUCING,
    Metric.COMPILED,
    Metric.FUNDS,
    Metric.FAI_COMPLETED,
]
FILTERS = [
    Filters(),
    Filters(min_fai=Decimal(3000), categories=("*",)),
    Filters(min_total=Decimal(5000), strict=True),
    Filters(chains=("新材料",)),
    Filters(categories=("制造",), new_only=True),
]
DAYS = [date(2021, 12, 31), date(2022, 3, 1), date(2022, 6, 30), date(2022, 12, 31)]


def policy(share: Share) -> Policy:
    return Policy(
        name="t",
        title="t",
        year=2022,
        credit=Credit(roles=(CreditRole.SOURCING, CreditRole.LANDING), share=share),
        classes={
            "township": UnitClass("township", "乡镇"),
            "dept": UnitClass("dept", "部门", credit_roles=(CreditRole.SOURCING,)),
            "chain": UnitClass("chain", "链", credit_roles=(CreditRole.CHAIN,)),
            "leader": UnitClass(
                "leader", "领导", credit_roles=(CreditRole.LEADER, CreditRole.SOURCING)
            ),
        },
    )


@st.composite
def project(draw: st.DrawFn, i: int) -> ProjectFact:
    stage = draw(st.sampled_from([*LIFE_CYCLE, Stage.DROPPED]))
    dated = draw(st.lists(st.sampled_from([*LIFE_CYCLE, Stage.DROPPED]), max_size=4))
    dates = {
        s: draw(st.sampled_from(DAYS)) - timedelta(days=draw(st.integers(0, 40))) for s in dated
    }
    roles = draw(
        st.lists(
            st.tuples(st.sampled_from(list(Role)), st.sampled_from([u.code for u in UNITS])),
            max_size=5,
        )
    )
    money = st.none() | st.integers(0, 20_000).map(Decimal)
    return ProjectFact(
        code=f"P{i:03d}",
        name=f"项目{i}",
        stage=stage,
        stage_dates=dates,
        roles=tuple(roles),
        category=draw(st.sampled_from([None, "", "制造业", "现代服务业"])),
        chain=draw(st.sampled_from([None, "新材料", "装备制造产业链、新材料链", "农业"])),
        is_new=draw(st.sampled_from([None, True, False])),
        fai=draw(money),
        total_investment=draw(money),
        compiled_on=draw(st.none() | st.sampled_from(DAYS)),
    )


@st.composite
def facts(draw: st.DrawFn) -> Facts:
    n = draw(st.integers(0, 12))
    projects = [draw(project(i)) for i in range(n)]
    obs = [
        FundsObservation(
            p.code,
            draw(st.sampled_from(["funds_in_place", "completed_investment_year"])),
            draw(st.sampled_from(DAYS)) - timedelta(days=draw(st.integers(0, 200))),
            Decimal(draw(st.integers(0, 10**9))).scaleb(-4),
        )
        for p in projects
        for _ in range(draw(st.integers(0, 3)))
    ]
    return Facts(units=UNITS, projects=projects, observations=obs)


def plain_measure(
    metric: Metric, f: Filters, unit: UnitFact, pol: Policy, facts: Facts, year: int, as_of: date
) -> tuple[Decimal, tuple[str, ...]]:
    """The definition: every candidate project checked one by one, in project order."""
    start, end = _period(year, as_of)
    if end < start:
        return Decimal(0), ()
    roles = pol.credit_roles(unit.unit_class)
    if CreditRole.CHAIN in roles:
        pool = list(facts.projects)
    else:
        pool = [p for p in facts.projects if unit.code in p.units()]
    total, counted = Decimal(0), []
    for p in pool:
        if not passes(p, f):
            continue
        if metric is Metric.COMPILED:
            if not (credited(p, unit, roles) or unit.code in p.units(Role.COMPILING)):
                continue
        elif not credited(p, unit, roles):
            continue
        amount = _project_amount(metric, p, facts, start, end)
        if amount is None or amount == 0:
            continue
        total += amount * facts.share(p, pol)
        counted.append(p.code)
    return total, tuple(sorted(counted))


@settings(max_examples=150, deadline=None)
@given(facts(), st.sampled_from(list(Share)))
def test_measure_equals_the_plain_definition(f: Facts, share: Share) -> None:
    pol = policy(share)
    plain = replace(f)  # a fresh Facts: no memo shared with the one measured
    for unit in UNITS:
        for metric in METRICS:
            for flt in FILTERS:
                for year, as_of in ((2022, date(2022, 6, 30)), (2022, date(2022, 12, 31))):
                    want = plain_measure(metric, flt, unit, pol, plain, year, as_of)
                    assert measure(metric, flt, unit, pol, f, year, as_of) == want
                    # asked again (memo), still the same
                    assert measure(metric, flt, unit, pol, f, year, as_of) == want


def test_memo_tells_policies_apart() -> None:
    p = ProjectFact(
        "P1",
        "x",
        Stage.SIGNED,
        {Stage.SIGNED: date(2022, 3, 1)},
        roles=((Role.SOURCING, "u1"), (Role.SOURCING, "u2")),
    )
    f = Facts(units=UNITS, projects=[p])
    full, split = policy(Share.FULL), policy(Share.SPLIT)
    u1 = UNITS[0]
    end = date(2022, 12, 31)
    assert measure(Metric.SIGNED, Filters(), u1, full, f, 2022, end) == (Decimal(1), ("P1",))
    got = measure(Metric.SIGNED, Filters(), u1, split, f, 2022, end)
    assert got == (Decimal(1) / 2, ("P1",))


def test_trusted_project_fact_equals_the_constructed_one() -> None:
    fields = {
        "code": "P1",
        "name": "x",
        "stage": Stage.STARTED,
        "stage_dates": {Stage.SIGNED: date(2022, 1, 2)},
        "roles": ((Role.SOURCING, "u1"),),
        "investor": None,
        "investor_origin": None,
        "investor_type": None,
        "category": "制造业",
        "chain": None,
        "level": None,
        "is_new": True,
        "total_investment": Decimal("1.5000"),
        "fai": None,
        "planned_investment_year": None,
        "completed_investment_year": None,
        "funds_in_place": None,
        "foreign_funds": None,
        "out_of_province_funds": None,
        "land_area": None,
        "needs_land": None,
        "expected_tax": None,
        "fiscal_support": None,
        "compiled_on": None,
        "planned_start_on": None,
        "last_reported_on": date(2022, 5, 1),
    }
    fact = ProjectFact.trusted(fields)
    made = ProjectFact(**fields)  # type: ignore[arg-type]
    assert fact == made and repr(fact) == repr(made) and hash(fact.code) == hash(made.code)
    assert set(fields) == set(ProjectFact.__dataclass_fields__)


@given(st.integers(-(10**15), 10**15))
def test_scaled_integers_read_as_fixed_decimal_reads_them(value: int) -> None:
    """`store.facts.project_facts` converts FixedDecimal's stored integers itself."""
    from zsyz.store.types import FixedDecimal

    want = FixedDecimal(4).process_result_value(value, None)
    got = Decimal(value).scaleb(-4)
    assert got == want and str(got) == str(want)
