"""Counts and sums of projects per unit in SQL (`store.measures.measured`) equal the pure
`progress._measure` over `store.asof.projects_on` + `funds_observations`, for every
question `domain.measured.sql_question` accepts, on generated ledgers (SQLite; PostgreSQL
with ZSYZ_TEST_PG): units of three classes crediting different roles, a unit holding two
roles on a project, stages with dates missing or after the day, dropped projects,
thresholds, categories blank or not, histories written as imports write them (a creation
snapshot, then one row per changed field) with rows after the day (stage moves, role
changes, amount rows, corrections), projects created after the day, projects with no
history at all. Plus which questions SQL takes, and a ledger worked by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, text

from zsyz.domain.facts import Role, UnitFact
from zsyz.domain.history import to_text
from zsyz.domain.measured import Question, sql_question
from zsyz.domain.metrics import Metric
from zsyz.domain.policy import Credit, CreditRole, Filters, Policy, Share, UnitClass
from zsyz.domain.progress import Facts, _measure, funds_days
from zsyz.store.asof import projects_on
from zsyz.store.engine import open_ledger
from zsyz.store.facts import funds_observations, unit_facts
from zsyz.store.history import creation_rows
from zsyz.store.intervals import relink
from zsyz.store.measures import MOVED, WHITESPACE, measured
from zsyz.store.reader import open_reader
from zsyz.store.sqltext import rows
from zsyz.store.tables import ImportBatch, Project, ProjectRole, ProjectUpdate, Unit

NOW = datetime(2022, 1, 1, tzinfo=UTC)
S, L, LD, C = CreditRole.SOURCING, CreditRole.LANDING, CreditRole.LEADER, CreditRole.COMPILING
POLICY = Policy(
    name="t",
    title="t",
    year=2022,
    classes={
        "town": UnitClass("town", "乡镇", credit_roles=(S, LD)),
        "dept": UnitClass("dept", "部门", credit_roles=(S,)),
        "park": UnitClass("park", "园区"),  # the policy's roles: sourcing and landing
        "chain": UnitClass("chain", "链", credit_roles=(CreditRole.CHAIN,)),
    },
    credit=Credit(roles=(S, L)),
)
UNITS = [(1, "t1", "town"), (2, "t2", "town"), (3, "d1", "dept"), (4, "k1", "park")]
REPORT_DAYS = [
    date(2021, 11, 1),
    date(2022, 2, 7),
    date(2022, 6, 30),
    date(2022, 8, 1),
    date(2022, 10, 10),
]
STAGE_DAYS = [
    None,
    date(2021, 7, 1),
    date(2022, 1, 1),
    date(2022, 3, 31),
    date(2022, 6, 30),
    date(2022, 7, 1),
    date(2022, 9, 9),
]
DATED = ["planned", "signed", "started", "producing", "full_output", "dropped"]
STAGES = ["planned", "lead", "approved", "signed", "started", "producing", "full_output"]
STAGES += ["dropped", "odd"]  # "odd": a stage text no vocabulary knows (reads as planned)
AMOUNTS = [None, Decimal(0), Decimal("2999.9999"), Decimal(3000), Decimal("5000.5"), Decimal(12000)]
CATEGORIES = [None, "", " \u3000", "制造业"]
FUNDS = [None, Decimal(0), Decimal("10.5"), Decimal(40), Decimal(-3)]

state_st = st.fixed_dictionaries(
    {
        "stage": st.sampled_from(STAGES),
        **{f"{s}_on": st.sampled_from(STAGE_DAYS) for s in DATED},
        "compiled_on": st.sampled_from(STAGE_DAYS),
        "fai": st.sampled_from(AMOUNTS),
        "total_investment": st.sampled_from(AMOUNTS),
        "category": st.sampled_from(CATEGORIES),
        "level": st.sampled_from([None, "省级", " "]),
        "is_new": st.sampled_from([None, True, False]),
        "funds_in_place": st.sampled_from(FUNDS),
        "completed_investment_year": st.sampled_from(FUNDS),
        "roles:sourcing": st.sets(st.sampled_from(["t1", "t2", "d1", "k1"]), max_size=2),
        "roles:landing": st.sets(st.sampled_from(["t1", "k1"]), max_size=1),
        "roles:leader": st.sets(st.sampled_from(["t1", "t2"]), max_size=1),
        "roles:compiling": st.sets(st.sampled_from(["d1", "t2"]), max_size=1),
    }
)
# a project: its states in report order (the first creates it), or one state and no history
project_st = st.tuples(
    st.lists(
        st.tuples(st.integers(0, len(REPORT_DAYS) - 1), state_st, st.booleans()),
        min_size=1,
        max_size=4,
    ),  # (report day, state, whether only its amounts are reported)
    st.booleans(),  # with history
    st.sampled_from([None, *REPORT_DAYS]),  # last_reported_on of a project without history
)


def _ledger(db: str) -> Any:
    ledger = open_ledger(db)
    with ledger.write() as session:
        session.execute(
            insert(Unit.__table__),  # type: ignore[attr-defined]
            [
                {"id": i, "code": c, "name": f"单位{c}", "unit_class": k, "created_at": NOW}
                for i, c, k in UNITS
            ],
        )
        session.execute(
            insert(ImportBatch.__table__),  # type: ignore[attr-defined]
            [
                {"id": i, "file_name": f"{i}.xlsx", "sha256": str(i), "period": "2022-W01"}
                | {"report_date": on, "status": "imported"}
                for i, on in enumerate(REPORT_DAYS, start=1)
            ],
        )
    return ledger


_ledgers: dict[str, Any] = {}
UNIT_ID = {c: i for i, c, _ in UNITS}


def _columns(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if not k.startswith("roles:")}


def write_projects(ledger: Any, projects: list[Any]) -> None:
    """Each project's last state as its row and roles; its history as imports write it:
    the creation rows (`history.creation_rows`) on its first report day, then one row per
    field a later state changed (same-day states in order)."""
    with ledger.write() as session:
        for table in ("project_update", "project_role", "project"):
            session.execute(text(f"DELETE FROM {table}"))
        for n, (drawn, with_history, reported) in enumerate(projects, start=1):
            states = _states(drawn)
            last_day, last = states[-1]
            session.execute(
                insert(Project.__table__),  # type: ignore[attr-defined]
                {"id": n, "code": f"P{n:02d}", "name": f"项目{n}", "norm_name": f"项目{n}"}
                | {"created_at": NOW, "updated_at": NOW}
                | {"last_reported_on": REPORT_DAYS[last_day] if with_history else reported}
                | _columns(last),
            )
            session.execute(
                insert(ProjectRole.__table__),  # type: ignore[attr-defined]
                [
                    {"project_id": n, "unit_id": UNIT_ID[code], "role": key[6:]}
                    for key, codes in last.items()
                    if key.startswith("roles:")
                    for code in sorted(codes)
                ]
                or [{"project_id": n, "unit_id": 4, "role": "other"}],  # a role no rule counts
            )
            if not with_history:
                continue
            rows = []
            first_day, first = states[0]
            values = {"name": f"项目{n}"} | {
                k: tuple(v) if k.startswith("roles:") else v
                for k, v in first.items()
                if v not in (None, set())
            }
            for fld, old, new in creation_rows(values):
                rows.append((first_day, fld, old, new))
            before = first
            for d, state in states[1:]:
                for fld, value in state.items():
                    if value != before[fld]:
                        old, new = _text(before[fld]), _text(value)
                        rows.append((d, fld, old, new))
                before = state
            session.execute(
                insert(ProjectUpdate.__table__),  # type: ignore[attr-defined]
                [
                    {"project_id": n, "batch_id": d + 1, "field": fld, "old_value": old}
                    | {"new_value": new, "effective_on": REPORT_DAYS[d], "created_at": NOW}
                    for d, fld, old, new in rows
                ],
            )
        relink(session, range(1, len(projects) + 1))


def _states(drawn: list[Any]) -> list[tuple[int, dict[str, Any]]]:
    """The drawn states in report order; one reporting only amounts keeps every other
    field of the state before it (a weekly report of funds alone)."""
    out: list[tuple[int, dict[str, Any]]] = []
    for d, state, amounts_only in sorted(drawn, key=lambda s: s[0]):
        if amounts_only and out:
            state = out[-1][1] | {
                k: state[k] for k in ("funds_in_place", "completed_investment_year")
            }
        out.append((d, state))
    return out


def _text(value: Any) -> str | None:
    if isinstance(value, set):
        return ",".join(sorted(value)) or None
    return to_text(value)


FILTERS = [
    Filters(),
    Filters(min_fai=Decimal(3000), categories=("*",)),
    Filters(min_fai=Decimal("2999.99995"), strict=True),  # finer than the stored scale
    Filters(min_total=Decimal(3000), max_total=Decimal(12000)),
    Filters(max_fai=Decimal("5000.5"), max_inclusive=True, levels=("*",)),
    Filters(new_only=True, categories=("制造业", "*")),
    Filters(categories=("制造业",)),  # loose matching: not SQL
    Filters(chains=("新材料",)),  # chain names: not SQL
]
METRICS = [m for m in Metric if m not in (Metric.LEADS, Metric.TRIPS)]


def _check(ledger: Any, day: date) -> tuple[int, int, int]:
    """measured == _measure for every unit and accepted question: how many were compared,
    how many answers counted a project, how many projects had moved after the day."""
    year = day.year
    periods = [
        (date(year, 1, 1), min(date(year, 12, 31), day)),
        (date(year - 1, 1, 1), date(year - 1, 12, 31)),
    ]
    with ledger.read() as session:
        conn = session.connection()
        units = unit_facts(conn)
        days = funds_days(year, day)
        facts = Facts(
            units=units,
            projects=projects_on(conn, day),
            observations=funds_observations(conn, day, days),
            days=days,
        )
        asked: dict[Question, list[UnitFact]] = {}
        for unit in units:
            for metric in METRICS:
                for f in FILTERS:
                    for start, end in periods:
                        q = sql_question(metric, f, unit, POLICY, start, end)
                        if q is not None:
                            asked.setdefault(q, []).append(unit)
        got = measured(conn, list(asked), day)
        moved = len(rows(conn, MOVED, {"day": day}))
    compared = 0
    for q, wanted in asked.items():
        for unit in wanted:
            expected = _measure(q.metric, q.filters, unit, POLICY, facts, q.start, q.end)
            assert got[q].get(unit.code, (Decimal(0), ())) == expected, (q, unit.code)
            compared += 1
        assert all(total != 0 or codes for total, codes in got[q].values())
    return compared, sum(len(a) for a in got.values()), moved


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    projects=st.lists(project_st, min_size=2, max_size=6),
    day=st.sampled_from(
        [date(2022, 6, 30), date(2022, 3, 31), date(2022, 8, 1), date(2022, 12, 31)]
    ),
)
def test_sql_measures_equal_the_domain(ledger_db: str, projects: list[Any], day: date) -> None:
    ledger = _ledgers.get(ledger_db) or _ledgers.setdefault(ledger_db, _ledger(ledger_db))
    write_projects(ledger, projects)
    compared, counted, moved = _check(ledger, day)
    assert compared > 0
    event(f"answers counting a project: {min(counted, 20) // 5 * 5}+")
    event(f"projects moved after the day: {min(moved, 3)}")


def test_whitespace_is_what_strip_removes() -> None:
    assert set(WHITESPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}


TOWN = UnitFact("t1", "镇一", "town")
CHAIN = UnitFact("c1", "新材料产业链", "chain")
JAN, JUN = date(2022, 1, 1), date(2022, 6, 30)


@pytest.mark.parametrize(
    ("metric", "filters", "unit", "policy", "start", "end", "roles"),
    [
        # stage counts, sums, amounts over time, compiled: through the class's roles
        (Metric.SIGNED, Filters(), TOWN, POLICY, JAN, JUN, {Role.SOURCING, Role.LEADER}),
        (Metric.STARTED_FAI, FILTERS[1], TOWN, POLICY, JAN, JUN, {Role.SOURCING, Role.LEADER}),
        (Metric.FUNDS, FILTERS[3], UnitFact("d", "部", "dept"), POLICY, JAN, JUN, {Role.SOURCING}),
        # a class without roles of its own: the policy's
        (Metric.PRODUCING, Filters(), UnitFact("k", "园", "park"), POLICY, JAN, JUN, {Role.SOURCING, Role.LANDING}),
        # compiled: a compiling unit also counts what it compiled
        (Metric.COMPILED, Filters(), TOWN, POLICY, JAN, JUN, {Role.SOURCING, Role.LEADER, Role.COMPILING}),
        # "*" among other categories is "has a category"
        (Metric.SIGNED, FILTERS[5], TOWN, POLICY, JAN, JUN, {Role.SOURCING, Role.LEADER}),
        # refused: activities, chain credit, split share, loose filters, an empty period
        (Metric.LEADS, Filters(), TOWN, POLICY, JAN, JUN, None),
        (Metric.TRIPS, Filters(), TOWN, POLICY, JAN, JUN, None),
        (Metric.SIGNED, Filters(), CHAIN, POLICY, JAN, JUN, None),
        (Metric.SIGNED, Filters(), TOWN, Policy("s", "s", 2022, classes=POLICY.classes, credit=Credit(share=Share.SPLIT)), JAN, JUN, None),
        (Metric.SIGNED, FILTERS[6], TOWN, POLICY, JAN, JUN, None),
        (Metric.SIGNED, Filters(levels=("省级",)), TOWN, POLICY, JAN, JUN, None),
        (Metric.SIGNED, FILTERS[7], TOWN, POLICY, JAN, JUN, None),
        (Metric.SIGNED, Filters(), TOWN, POLICY, JUN, JAN, None),
    ],
)  # fmt: skip
def test_sql_question(
    metric: Metric,
    filters: Filters,
    unit: UnitFact,
    policy: Policy,
    start: date,
    end: date,
    roles: set[Role] | None,
) -> None:
    q = sql_question(metric, filters, unit, policy, start, end)
    if roles is None:
        assert q is None
    else:
        assert q == Question(metric, filters, start, end, frozenset(roles))
        hash(q)  # a dict key of measured's answer


def _state(**values: Any) -> dict[str, Any]:
    """A full state (every drawn key) with these values, the rest unknown or empty."""
    out: dict[str, Any] = {f"{s}_on": None for s in DATED}
    out |= {k: None for k in ("compiled_on", "fai", "total_investment", "category", "level")}
    out |= {"is_new": None, "funds_in_place": None, "completed_investment_year": None}
    out |= {f"roles:{r.value}": set() for r in Role}
    return out | values


FEB, JUN30, AUG = 1, 2, 3  # indexes of REPORT_DAYS: 2022-02-07, 2022-06-30, 2022-08-01
D = date  # stage dates below


@pytest.mark.parametrize("listed", [True, False])  # moved projects left out by list or query
def test_by_hand(ledger_db: str, listed: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """As of 2022-06-30, year 2022 (1 January to 30 June):
    P01 signed 03-31, fai 5000.5 制造业, t1 its sourcing AND leader unit; funds 10.5 at
        creation (02-07), 40 reported 08-01 (after the day: not yet).
    P02 started 06-30 with no signing date (signed at the latest then), fai 3000 制造业,
        sourced by t2, landed by k1; funds 40 at creation (2021-11-01), 50 on 02-07.
    P03 stage lead but signed 03-31, lead date 07-01 (after the day), sourced by d1; only
        an amount reported after the day, so `projects_on` rebuilds it: the lead date
        unknown yet, its stage falls back to the latest dated, signed.
    P04 the same without any history: it stands as it is, a lead (not signed).
    P05 signed 03-31 by t1 but created 08-01: not in the ledger on the day.
    P06 signed 02-07 (fai 3000, no category) by t2, moved to started on 08-01: signed.
    P07 signed 01-01 and dropped 05-01, sourced by k1: it did sign in the period.
    P08 no history: signed 06-30 by t1, fai 0; funds 7 reported 06-30 (its column).
    P04 also has funds 1 in its column, dated its creation (2022-01-01): no report date.
    P09 a stage no vocabulary knows (read as planned), started 03-31, signed 07-01, by d1,
        an amount after the day: rebuilt, but nothing at or before planned is dated after
        the day, so its stage stands (planned): it reached nothing.
    """
    ledger = _ledgers.get(ledger_db) or _ledgers.setdefault(ledger_db, _ledger(ledger_db))
    p01 = _state(stage="signed", signed_on=D(2022, 3, 31), fai=Decimal("5000.5"))
    p01 |= {"category": "制造业", "roles:sourcing": {"t1"}, "roles:leader": {"t1"}}
    p02 = _state(stage="started", started_on=D(2022, 6, 30), fai=Decimal(3000))
    p02 |= {"category": "制造业", "roles:sourcing": {"t2"}, "roles:landing": {"k1"}}
    p03 = _state(stage="lead", lead_on=D(2022, 7, 1), signed_on=D(2022, 3, 31))
    p03 |= {"roles:sourcing": {"d1"}, "funds_in_place": Decimal(1)}
    p05 = _state(stage="signed", signed_on=D(2022, 3, 31), **{"roles:sourcing": {"t1"}})
    p06 = _state(stage="signed", signed_on=D(2022, 2, 7), fai=Decimal(3000))
    p06 |= {"roles:sourcing": {"t2"}}
    p07 = _state(stage="dropped", signed_on=D(2022, 1, 1), dropped_on=D(2022, 5, 1))
    p07 |= {"roles:sourcing": {"k1"}}
    p08 = _state(stage="signed", signed_on=D(2022, 6, 30), fai=Decimal(0))
    p08 |= {"roles:sourcing": {"t1"}, "funds_in_place": Decimal(7)}
    p09 = _state(stage="odd", started_on=D(2022, 3, 31), signed_on=D(2022, 7, 1))
    p09 |= {"roles:sourcing": {"d1"}}
    funds = {"funds_in_place": Decimal(40)}
    projects = [
        ([(FEB, p01 | {"funds_in_place": Decimal("10.5")}, False), (AUG, p01 | funds, True)], True, None),
        ([(0, p02 | funds, False), (FEB, p02 | {"funds_in_place": Decimal(50)}, True)], True, None),
        ([(FEB, p03, False), (AUG, p03 | {"funds_in_place": Decimal(2)}, True)], True, None),
        ([(FEB, p03, False)], False, None),
        ([(AUG, p05, False)], True, None),
        ([(FEB, p06, False), (AUG, p06 | {"stage": "started", "started_on": D(2022, 8, 1)}, False)], True, None),
        ([(FEB, p07, False)], True, None),
        ([(JUN30, p08, False)], False, REPORT_DAYS[JUN30]),
        ([(FEB, p09, False), (AUG, p09 | {"funds_in_place": Decimal(3)}, True)], True, None),
    ]  # fmt: skip
    write_projects(ledger, projects)
    if not listed:
        monkeypatch.setattr("zsyz.store.measures._MOVED_LISTED", 0)
    town, dept = frozenset({Role.SOURCING, Role.LEADER}), frozenset({Role.SOURCING})
    park = frozenset({Role.SOURCING, Role.LANDING})
    big = Filters(min_fai=Decimal(3000), categories=("*",))

    def q(metric: Metric, roles: frozenset[Role], f: Filters = Filters()) -> Question:
        return Question(metric, f, JAN, JUN, roles)

    asked = [q(m, r, f) for m in (Metric.SIGNED, Metric.SIGNED_FAI, Metric.FUNDS)
             for r in (town, dept, park) for f in (Filters(), big)]  # fmt: skip
    with ledger.read() as session:
        got = measured(session.connection(), asked, JUN)
    reader = open_reader(ledger_db)  # the bare driver read commands use: the same answers
    try:
        with reader.read() as conn:
            assert measured(conn, asked, JUN) == got
    finally:
        reader.close()
    n = Decimal
    # every unit holding one of the roles is answered (the caller picks its units)
    signed = {
        "t1": (n(2), ("P01", "P08")),  # P01 once for its two roles; P05 not yet created
        "t2": (n(2), ("P02", "P06")),  # P02 by its start date; P06 as it stood on the day
        "d1": (n(1), ("P03",)),  # P03 rebuilt (signed); P04 a lead as it stands
        "k1": (n(1), ("P07",)),  # dropped, but it did sign in the period
    }
    assert got[q(Metric.SIGNED, town)] == signed  # leader adds nothing P01 did not have
    assert got[q(Metric.SIGNED, dept)] == signed
    assert got[q(Metric.SIGNED, park)] == signed | {"k1": (n(2), ("P02", "P07"))}  # landed
    # fai ≥ 3000 with a category: P01 (5000.5), P02 (3000); P06 has none, P03 no fai
    big_signed = {"t1": (n(1), ("P01",)), "t2": (n(1), ("P02",))}
    assert got[q(Metric.SIGNED, town, big)] == big_signed
    assert got[q(Metric.SIGNED, park, big)] == big_signed | {"k1": (n(1), ("P02",))}
    # sums of fai: P08's 0 and the unknown fai of P03 and P07 do not count
    fai = {"t1": (n("5000.5"), ("P01",)), "t2": (n(6000), ("P02", "P06"))}  # 3000 + 3000
    assert got[q(Metric.SIGNED_FAI, town)] == fai
    assert got[q(Metric.SIGNED_FAI, park)] == fai | {"k1": (n(3000), ("P02",))}
    # funds arriving in the period: the value on 06-30 minus the value on 2021-12-31
    arrived = {
        "t1": (n("17.5"), ("P01", "P08")),  # 10.5 − 0 (40 comes later); P08's column 7
        "t2": (n(10), ("P02",)),  # 50 − 40
        # P03: 1 at creation (02-07), 2 only after the day; P04 (no history): its column
        # 1, dated when it was created (2022-01-01), having no report date
        "d1": (n(2), ("P03", "P04")),
    }
    assert got[q(Metric.FUNDS, town)] == arrived
    assert got[q(Metric.FUNDS, park)] == arrived | {"k1": (n(10), ("P02",))}
    assert got[q(Metric.FUNDS, town, big)] == {"t1": (n("10.5"), ("P01",)), "t2": (n(10), ("P02",))}
    assert _check(ledger, JUN)[0] > 0  # and the domain agrees on every question
