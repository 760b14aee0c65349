"""The SQL fast path for amounts (`funds_observations(…, days)`: latest observation on or
before each day) gives every figure the pure rules read on those days exactly as the
full history does, on random small ledgers (SQLite, and PostgreSQL with ZSYZ_TEST_PG)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zsyz.domain.progress import Facts, funds_days
from zsyz.store.engine import open_ledger
from zsyz.store.facts import AMOUNT_FIELDS, funds_observations
from zsyz.store.tables import ImportBatch, Project, ProjectUpdate

DAY0 = date(2021, 1, 1)
days_st = st.integers(0, 3 * 365).map(lambda n: DAY0 + timedelta(days=n))
amount_st = st.one_of(
    st.none(), st.integers(0, 10**6).map(lambda n: Decimal(n) / 100).map(lambda d: d)
)
update_st = st.tuples(st.sampled_from([*AMOUNT_FIELDS, "stage", "*created*"]), days_st, amount_st)
project_st = st.tuples(amount_st, st.one_of(st.none(), days_st), st.lists(update_st, max_size=6))


@pytest.fixture
def ledger(ledger_db: str):  # type: ignore[no-untyped-def]
    opened = open_ledger(ledger_db)
    yield opened
    opened.engine.dispose()


def _fill(ledger, projects) -> None:  # type: ignore[no-untyped-def]
    now = datetime(2024, 1, 1, tzinfo=UTC)
    with ledger.write() as s:
        for table in (ProjectUpdate, Project, ImportBatch):
            s.execute(table.__table__.delete())  # type: ignore[attr-defined]
        s.add(
            ImportBatch(
                id=1, file_name="f.xlsx", sha256="0" * 64, period="2022-W01",
                report_date=DAY0, imported_at=now,
            )
        )  # fmt: skip
        s.flush()
        for i, (funds, reported, updates) in enumerate(projects, start=1):
            s.add(
                Project(
                    id=i, code=f"P{i}", name=f"p{i}", norm_name=f"p{i}", stage="signed",
                    funds_in_place=funds, last_reported_on=reported, created_at=now,
                    updated_at=now,
                )
            )  # fmt: skip
            s.flush()
            for fld, on, value in updates:
                text = None if value is None else format(value, "f")
                if fld == "*created*":
                    text = '{"name":"p"}'
                s.add(
                    ProjectUpdate(
                        project_id=i, batch_id=1, row=5, field=fld, new_value=text,
                        effective_on=on, created_at=now,
                    )
                )  # fmt: skip


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    projects=st.lists(project_st, min_size=1, max_size=5),
    year=st.integers(2021, 2023),
    as_of=days_st,
)
def test_reduced_observations_read_the_same(ledger, projects, year, as_of) -> None:  # type: ignore[no-untyped-def]
    _fill(ledger, projects)
    days = funds_days(year, as_of)
    with ledger.read() as s:
        full = Facts(units=[], observations=funds_observations(s, as_of))
        fast = Facts(units=[], observations=funds_observations(s, as_of, days), days=days)
    for i in range(1, len(projects) + 1):
        for fld in AMOUNT_FIELDS:
            for day in days:
                assert fast.value_on(f"P{i}", fld, day) == full.value_on(f"P{i}", fld, day)
                for start in (date(year - 1, 1, 1), date(year, 1, 1), day):
                    if start <= day:
                        got = fast.latest_within(f"P{i}", fld, start, day)
                        assert got == full.latest_within(f"P{i}", fld, start, day)


def test_a_day_not_loaded_is_refused() -> None:
    facts = Facts(units=[], days=frozenset({date(2022, 1, 1)}))
    with pytest.raises(AssertionError):
        facts.value_on("P1", "funds_in_place", date(2022, 1, 2))
