"""Use cases: ranking (`zsyz rank`), rewards (`zsyz rewards`) and the facts the monthly
bulletin reads. Each loads what the pure rules need in one read transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from zsyz.domain.bulletin import Figure, listed, summary
from zsyz.domain.facts import ReportFact
from zsyz.domain.periods import Period, parse_period
from zsyz.domain.policy import Policy
from zsyz.domain.progress import Facts, progress
from zsyz.domain.ranking import RankRow, ScoringFacts, rank
from zsyz.domain.rewards import Rewards, rewards
from zsyz.store.engine import Ledger
from zsyz.store.facts import activity_facts, funds_observations, project_facts
from zsyz.store.policies import active_policy
from zsyz.store.tables import ImportBatch, Project, ProjectRole, ProjectUpdate, Unit
from zsyz.store.targets import explicit_targets
from zsyz.store.units import UnitIndex, unit_facts


@dataclass(frozen=True)
class Loaded:
    policy: Policy
    facts: ScoringFacts


def report_facts(session: Session) -> list[ReportFact]:
    """Every unit's report received (undone imports are not reports)."""
    out = []
    for b in session.exec(select(ImportBatch).where(col(ImportBatch.unit_id).is_not(None))).all():
        if b.status == "undone" or b.unit_id is None:
            continue
        try:
            covers = parse_period(b.period).start
        except ValueError:
            covers = b.report_date
        out.append((b.unit_id, covers, b.report_date))
    codes = {u.id: u.code for u in session.exec(select(Unit)).all()}
    return [ReportFact(codes[u], c, r) for u, c, r in out if u in codes]


def seen_days(session: Session) -> dict[str, list[date]]:
    """The days each project was reported (its history, and its last report)."""
    projects = {p.id: p for p in session.exec(select(Project)).all()}
    out: dict[str, set[date]] = {}
    for pid, day in session.exec(
        select(col(ProjectUpdate.project_id), col(ProjectUpdate.effective_on)).distinct()
    ).all():
        if pid in projects:
            out.setdefault(projects[pid].code, set()).add(day)
    for p in projects.values():
        if p.last_reported_on is not None:
            out.setdefault(p.code, set()).add(p.last_reported_on)
    return {k: sorted(v) for k, v in out.items()}


def load(session: Session, years: list[int], until: date) -> Loaded:
    policy, _ = active_policy(session)
    explicit = [t for y in sorted(set(years)) for t in explicit_targets(session, y)]
    facts = Facts(
        units=unit_facts(session),
        projects=project_facts(session),
        observations=funds_observations(session, until),
        activities=activity_facts(session),
        explicit=explicit,
    )
    return Loaded(policy, ScoringFacts(facts, report_facts(session), seen_days(session)))


def ranking(
    ledger: Ledger, period: Period, group: str | None = None
) -> tuple[Policy, list[RankRow]]:
    with ledger.read() as session:
        loaded = load(session, [period.end.year, period.previous().end.year], period.end)
    return loaded.policy, rank(loaded.policy, loaded.facts, period, group)


def resolve_unit(ledger: Ledger, name: str) -> str:
    with ledger.read() as session:
        return UnitIndex.load(session).resolve(name).code


def year_rewards(ledger: Ledger, year: int, as_of: date) -> tuple[Policy, Rewards]:
    with ledger.read() as session:
        loaded = load(session, [year, year - 1], as_of)
    return loaded.policy, rewards(loaded.policy, loaded.facts, year, as_of)


def rank_json(rows: list[RankRow]) -> list[dict[str, Any]]:
    """The JSON contract of `zsyz rank`."""
    return [
        {
            "rank": r.rank,
            "unit": r.unit.name,
            "group": r.group,
            "score": r.score,
            "completion": r.completion,
            "previous_rank": r.previous_rank,
            "components": [
                {"rule": c.rule, "points": c.points, "detail": c.detail} for c in r.components
            ],
        }
        for r in rows
    ]


def rewards_json(result: Rewards) -> dict[str, Any]:
    """The JSON contract of `zsyz rewards`."""
    return {
        "year": result.year,
        "total": result.total,
        "lines": [
            {
                "unit": line.unit.name,
                "rule": line.rule,
                "amount": line.amount,
                "reason": line.reason,
                "projects": list(line.projects),
            }
            for line in result.lines
        ],
        "flags": [{"unit": f.unit.name, "flag": f.flag, "reason": f.reason} for f in result.flags],
    }


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
    alerts: list[dict[str, Any]]


def bulletin_data(ledger: Ledger, period: Period) -> BulletinData:
    """Everything the monthly bulletin shows, read in one transaction."""
    with ledger.read() as session:
        loaded = load(session, [period.end.year, period.previous().end.year], period.end)
    policy, sf = loaded.policy, loaded.facts
    rows = rank(policy, sf, period)
    county = [
        up
        for up in progress(policy, sf.facts, period.end.year, period.end)
        if up.unit.unit_class == "county"
    ]
    figures = summary(sf.facts, county, period)
    by_code = {p.code: p for p in project_rows(ledger)}
    lists = {
        name: [by_code[c] for c in codes if c in by_code]
        for name, codes in listed(sf.facts, period).items()
    }
    from zsyz.store.alerts import alert_list, alert_row

    found = [alert_row(a) for a in alert_list(ledger, period.end)]
    return BulletinData(policy, period, rows, figures, lists, found)
