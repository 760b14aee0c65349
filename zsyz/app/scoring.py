"""Use cases: ranking (`zsyz rank`), rewards (`zsyz rewards`) and the facts the monthly
bulletin reads. Each loads what the pure rules need in one read transaction."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from zsyz.domain.facts import ExplicitTarget, ProjectFact
from zsyz.domain.periods import Period
from zsyz.domain.policy import Policy
from zsyz.domain.progress import Facts, funds_days, progress, reads_amounts
from zsyz.domain.ranking import RankRow, ScoringFacts, rank, reads_reports, reads_seen
from zsyz.domain.reporting import (
    closing_day,
    figures_due,
    outstanding,
    reading_day,
)
from zsyz.domain.rewards import Rewards, reads_ranking, rewards, rewards_days
from zsyz.errors import LedgerStateError
from zsyz.store.aggregate import earliest_reports
from zsyz.store.asof import first_report_on, projects_on
from zsyz.store.asof_history import changed_after
from zsyz.store.facts import (
    active_policy,
    activity_facts,
    adjustment_facts,
    explicit_targets,
    funds_observations,
    project_facts,
    unit_facts,
)
from zsyz.store.sqltext import as_date, rows
from zsyz.store.units import UnitIndex

if TYPE_CHECKING:
    from sqlmodel import Session

    from zsyz.domain.alerts import Alert
    from zsyz.domain.bulletin import Figure, Headline
    from zsyz.store.engine import Ledger
    from zsyz.store.reader import Reader


@dataclass(frozen=True)
class Loaded:
    policy: Policy
    facts: ScoringFacts
    now: list[ProjectFact]  # the projects as they stand today (`facts` holds `until`'s)


def seen_days(session: Any) -> dict[str, list[date]]:
    """The days each project was reported (its history, and its last report)."""
    code_of: dict[int, str] = {}
    out: dict[str, set[date]] = {}
    for pid, code, last in rows(session, "SELECT id, code, last_reported_on FROM project"):
        code_of[pid] = code
        out[code] = {as_date(last)} if last is not None else set()  # type: ignore[arg-type]
    for pid, day in rows(session, "SELECT DISTINCT project_id, effective_on FROM project_update"):
        code = code_of.get(pid)
        if code is not None:
            out[code].add(as_date(day))  # type: ignore[arg-type]
    return {k: sorted(v) for k, v in out.items() if v}


def load(
    session: Any,
    years: list[int],
    until: date,
    days: frozenset[date] | None = None,
    *,
    ranks: bool = True,
    today: date | None = None,
) -> Loaded:
    """The facts scoring reads, the projects as they stood on `until` (`asof.projects_on`);
    with `days` (see `domain.progress.funds_days`) only the amount observations those
    days need, and none when the policy reads no amounts over time (`reads_amounts`).
    Reports and report days are loaded only when ranking reads them (`ranks`: the use
    case ranks at all)."""
    policy, _ = active_policy(session, until.year)
    explicit = explicit_of_years(session, years)
    amounts = days is None or reads_amounts(policy, explicit)
    now = project_facts(session)
    facts = Facts(
        units=unit_facts(session),
        projects=projects_on(session, until, now),
        observations=funds_observations(session, until, days) if amounts else (),
        activities=activity_facts(session),
        explicit=explicit,
        days=days if amounts else frozenset(),
    )
    seen = seen_days(session) if ranks and reads_seen(policy) else None
    # reports filed by the day the ranking is made count
    return Loaded(policy, with_reports(session, policy, facts, today or until, ranks, seen), now)


def explicit_of_years(session: Any, years: list[int]) -> list[ExplicitTarget]:
    """The explicit targets of each of `years`, the earlier year first."""
    return [t for y in sorted(set(years)) for t in explicit_targets(session, y)]


def with_reports(
    session: Any,
    policy: Policy,
    facts: Facts,
    reported: date,
    ranks: bool,
    seen: dict[str, list[date]] | None = None,
) -> ScoringFacts:
    """`facts` with what ranking and rewards read besides them, as of `reported` (the day
    the ranking is made): each unit's earliest report per period, grouped in SQL, when
    the policy's ranking reads reports and the use case ranks (`ranks`); the ledger's
    first report; the hand-recorded points."""
    grouped = None
    if ranks and reads_reports(policy):
        grouped = (policy.reporting, earliest_reports(session, policy.reporting, reported))
    return ScoringFacts(
        facts,
        None,
        seen,
        since=first_report_on(session, reported),
        as_of=reported,
        adjustments=adjustment_facts(session),
        grouped=grouped,
    )


def earlier(session: Any, loaded: Loaded, day: date) -> ScoringFacts | None:
    """`loaded` with its projects as they stood on an earlier `day`; None when no project
    changed after that day (then `loaded` is already that day's answer)."""
    if not changed_after(session, day, limit=1):
        return None
    f = loaded.facts.facts

    facts = Facts(
        units=f.units,
        projects=projects_on(session, day, loaded.now),
        observations=f.observations,
        activities=f.activities,
        explicit=f.explicit,
        days=f.days,
    )
    return replace(loaded.facts, facts=facts)


def _period_facts(
    session: Any, period: Period, today: date, *, every_day: bool = False
) -> tuple[Loaded, ScoringFacts | None, date]:
    """The ledger as a ranking or bulletin of `period` reads it: as of the day its reports
    are due (`reporting.reading_day`), the previous period's as of its own; refused,
    naming the units, while reports the period waits for are still outstanding.
    `every_day`: every amount observation (the bulletin reads amounts on any day)."""
    policy, _ = active_policy(session, period.end.year)
    rep = policy.reporting
    before = period.previous()
    until, then_day = reading_day(period, rep, today), reading_day(before, rep, today)
    day, then_close = closing_day(period, until), closing_day(before, then_day)
    days = funds_days(period.end.year, day) | funds_days(before.end.year, then_close)
    years = [period.end.year, before.end.year]
    loaded = load(session, years, until, None if every_day else days, today=today)
    refuse_incomplete(session, loaded.policy, loaded.facts, period, today)
    return loaded, earlier(session, loaded, then_day), until


def refuse_incomplete(
    session: Any, policy: Policy, sf: ScoringFacts, period: Period, today: date
) -> None:
    """Refused, naming the units, while reports the period waits for are outstanding."""
    rep = policy.reporting
    due = figures_due(period, rep)
    if today > due:
        return
    first = earliest_reports(session, rep, today)
    units = {u.code: u for u in sf.facts.units if u.active}
    codes = outstanding(
        ((u.code, u.unit_class) for u in units.values()),
        first,
        period,
        rep,
        today,
        sf.since,
    )
    if not codes:
        return
    names = "、".join(units[c].name for c in codes[:10])
    more = f"等 {len(codes)} 个单位" if len(codes) > 10 else ""
    raise LedgerStateError(
        f"{period.label_zh}的报告尚未收齐：{names}{more}还未报送"
        f"（应于 {due.isoformat()} 前报送）；请到期后再运行，或先导入这些单位的报告"
    )


def ranking(
    ledger: Ledger | Reader, period: Period, group: str | None = None, today: date | None = None
) -> tuple[Policy, list[RankRow]]:
    from zsyz.app.lean_scoring import lean_ranking

    day = today or date.today()
    with ledger.read() as session:
        got = lean_ranking(session, period, day, group)
        if got is not None:
            return got
        loaded, then, _ = _period_facts(session, period, day)
    return loaded.policy, rank(loaded.policy, loaded.facts, period, group, then)


def resolve_unit(ledger: Ledger | Reader, name: str) -> str:
    with ledger.read() as session:
        return UnitIndex.of_facts(unit_facts(session)).resolve(name).code


def year_rewards(ledger: Ledger | Reader, year: int, as_of: date) -> tuple[Policy, Rewards]:
    with ledger.read() as session:
        policy, _ = active_policy(session, year)
        days = rewards_days(policy, year, as_of)
        on = min(as_of, date(year, 12, 31))  # the projects as they stood then
        loaded = load(session, [year, year - 1], on, days, ranks=reads_ranking(policy))
    return loaded.policy, rewards(loaded.policy, loaded.facts, year, as_of)


@dataclass(frozen=True)
class ProjectRow:
    """A project as the bulletin lists it (the columns offices use)."""

    code: str
    name: str
    investor: str | None
    category: str | None
    total_investment: Any
    fai: Any
    funds_in_place: Any
    sourcing: str
    landing: str
    signed_on: date | None
    started_on: date | None
    progress: str | None
    problems: str | None


def project_rows(ledger: Ledger) -> list[ProjectRow]:
    with ledger.read() as session:
        return project_rows_in(session)


def project_rows_in(session: Session) -> list[ProjectRow]:
    """Every project as the bulletin lists it, read in the caller's transaction."""
    from sqlmodel import col, select

    from zsyz.store.tables import Project, ProjectRole, Unit

    names = {u.id: u.name for u in session.exec(select(Unit)).all()}
    roles: dict[tuple[int, str], list[str]] = {}
    for r in session.exec(select(ProjectRole).order_by(col(ProjectRole.id))).all():
        roles.setdefault((r.project_id, r.role), []).append(names.get(r.unit_id, ""))
    return [
        ProjectRow(
            code=p.code,
            name=p.name,
            investor=p.investor,
            category=p.category,
            total_investment=p.total_investment,
            fai=p.fai,
            funds_in_place=p.funds_in_place,
            sourcing="、".join(roles.get((p.id or 0, "sourcing"), [])),
            landing="、".join(roles.get((p.id or 0, "landing"), [])),
            signed_on=p.signed_on,
            started_on=p.started_on,
            progress=p.progress,
            problems=p.problems,
        )
        for p in session.exec(select(Project).order_by(col(Project.code))).all()
    ]


@dataclass(frozen=True)
class BulletinData:
    policy: Policy
    period: Period
    rows: list[RankRow]
    figures: list[Figure]
    lists: dict[str, list[ProjectRow]]
    alerts: tuple[Alert, ...]  # as of read_on; render/alerts shapes them
    headlines: list[Headline]  # the 通报's opening figures (year to date, 同比, 序时进度)
    read_on: date  # the day the ledger is read as of: when the period's reports are due


def bulletin_data(ledger: Ledger, period: Period, today: date | None = None) -> BulletinData:
    """Everything the monthly bulletin shows, read in one transaction (one snapshot: an
    import committed meanwhile is in none of it or all of it) as of the day the period's
    reports are due (what the ranking reads, and the alerts of that day)."""
    from zsyz.app.alerts import alerts_in
    from zsyz.domain.bulletin import headlines, listed, same_period_last_year, summary

    with ledger.read() as session:
        loaded, then, until = _period_facts(session, period, today or date.today(), every_day=True)
        project_list = project_rows_in(session)
        found = tuple(alerts_in(session, until))
    policy, sf = loaded.policy, loaded.facts
    rows = rank(policy, sf, period, previous=then)
    day = closing_day(period, until)
    county = [
        up
        for up in progress(policy, sf.facts, period.end.year, day)
        if up.unit.unit_class == "county"
    ]
    figures = summary(sf.facts, county, period, day)
    # 同比: the same span last year, from the ledger (no targets: only its figures count)
    last_year = summary(sf.facts, [], same_period_last_year(period))
    heads = headlines(figures, last_year, period.end, policy.alerts.schedule)
    by_code = {p.code: p for p in project_list}
    lists = {
        name: [by_code[c] for c in codes if c in by_code]
        for name, codes in listed(sf.facts, period, day).items()
    }
    return BulletinData(policy, period, rows, figures, lists, found, heads, until)
