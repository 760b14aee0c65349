"""`statuses` (every unit at once, for a province) says exactly what `status` says unit
by unit: weekly and monthly rhythms, reports labelled with the week they were sent in,
late and early reports, duty starting mid-year."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from zsyz.domain.periods import PeriodKind, period_containing
from zsyz.domain.policy import Reporting
from zsyz.domain.reporting import ReportFact, status, statuses

UNITS = ["A", "B", "C"]
START = date(2022, 1, 1)


@st.composite
def report(draw: st.DrawFn) -> ReportFact:
    on = START + timedelta(days=draw(st.integers(0, 150)))
    shift = draw(st.sampled_from([0, 0, -7, -31, 7]))  # naming this, last or next period
    kind = draw(st.sampled_from([PeriodKind.WEEK, PeriodKind.MONTH]))
    named = period_containing(kind, on + timedelta(days=shift))
    return ReportFact(draw(st.sampled_from(UNITS)), on, draw(st.sampled_from([named, None])))


rhythms = st.sampled_from(
    [
        Reporting(),
        Reporting(due_weekday=3),
        Reporting(cadence="monthly"),
        Reporting(cadence="monthly", due_day=5, due_next_month=True),
    ]
)


@settings(max_examples=300)
@given(
    reports=st.lists(report(), max_size=40),
    rhythm=rhythms,
    as_of=st.integers(10, 160).map(lambda d: START + timedelta(days=d)),
    since=st.integers(-40, 120).map(lambda d: START + timedelta(days=d)),
)
def test_statuses_equal_status_of_each_unit(
    reports: list[ReportFact], rhythm: Reporting, as_of: date, since: date
) -> None:
    found = statuses(UNITS, reports, rhythm, as_of, since)
    assert found == {u: status(u, reports, rhythm, as_of, since) for u in UNITS}
