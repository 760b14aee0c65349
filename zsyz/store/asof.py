"""The ledger as it stood on a date: projects as of the day from `project_update`, reports
(import batches) and activities dated on or before it. Read-only; one session passed in.

Only dated facts are used, never `imported_at`/`created_at`: a week's report imported
late still counts as that week's report (its report date says when it was made).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from zsyz.domain.facts import ProjectFact
from zsyz.domain.history import NO_HISTORY, apply_history
from zsyz.domain.periods import Period, parse_period
from zsyz.domain.policy import Reporting
from zsyz.domain.progress import Facts, funds_days
from zsyz.domain.reporting import ReportFact
from zsyz.store.asof_history import changed_after, histories_as_of
from zsyz.store.facts import activity_facts, funds_observations, project_facts
from zsyz.store.tables import Activity, ImportBatch, Project, ProjectRole, ProjectUpdate, Unit
from zsyz.store.targets import explicit_targets
from zsyz.store.units import unit_facts

LIVE_BATCH = ("imported", "superseded")  # a superseded report was still sent on its date


def projects_as_of(session: Session, day: date) -> list[ProjectFact]:
    """Every project as the ledger knew it on `day` (those not yet in it left out)."""
    conn = session.connection()
    ids = {code: pid for pid, code in conn.execute(sa_select(Project.id, Project.code))}  # type: ignore[call-overload]
    histories = histories_as_of(conn, day)
    out = []
    for p in project_facts(session):
        then = apply_history(p, histories.get(ids[p.code], NO_HISTORY), day)
        if then is not None:
            out.append(then)
    return out


def projects_on(
    session: Session, day: date, current: list[ProjectFact] | None = None
) -> list[ProjectFact]:
    """Every project as the ledger knew it on `day`, for completion, ranking and rewards.

    Only projects with a history row after `day` are rebuilt (from their history reduced
    in SQL); every other project stands as it does now, so a day after the last import
    costs one index range scan more than reading the current rows. The rules themselves
    read stage dates and amounts by date, so current rows are that day's answer.
    `current`: `project_facts` already read in this transaction (not read again).
    """
    if current is None:
        current = project_facts(session)
    conn = session.connection()
    later = {pid for (pid,) in conn.execute(changed_after(day))}
    if not later:
        return current
    histories = histories_as_of(conn, day, later_only=True)
    ids = {code: pid for pid, code in conn.execute(sa_select(Project.id, Project.code))}  # type: ignore[call-overload]
    out = []
    for p in current:
        pid = ids[p.code]
        if pid not in later:
            out.append(p)
            continue
        then = apply_history(p, histories.get(pid, NO_HISTORY), day)
        if then is not None:
            out.append(then)
    return out


def report_facts(session: Session, day: date, reporting: Reporting) -> list[ReportFact]:
    """Every unit's report dated on or before `day` (undone imports are not reports).

    A county summary (imported with --all-units) is the county office's report (the units
    of class county); it fills every unit holding a role on a project it touched only
    when the policy says summaries do (`[reporting] summaries = true`)."""
    conn = session.connection()
    units = Unit.__table__  # type: ignore[attr-defined]
    codes: dict[int, str] = {}
    county: list[str] = []
    for uid, code, cls in conn.execute(sa_select(units.c.id, units.c.code, units.c.unit_class)):
        codes[uid] = code
        if cls == "county":
            county.append(code)
    table = ImportBatch.__table__  # type: ignore[attr-defined]
    # plain tuples, one pass: a province ledger holds 500,000 batches
    batches = conn.execute(
        sa_select(
            table.c.id,
            table.c.unit_id,
            table.c.all_units,
            table.c.period,
            table.c.period_named,
            table.c.report_date,
        ).where(
            table.c.status.in_(LIVE_BATCH), table.c.report_date <= day, table.c.kind == "import"
        )
    )
    named: dict[str, Period | None] = {}  # many batches, few periods
    out: list[ReportFact] = []
    summary: list[tuple[int, Period | None, date]] = []
    for bid, uid, all_units, period, is_named, on in batches:
        p = None
        if is_named:
            p = named[period] if period in named else named.setdefault(period, _parsed(period))
        if all_units or uid is None:
            summary.append((bid, p, on))
            out += [ReportFact(c, on, p) for c in county]
        elif uid in codes:
            out.append(ReportFact(codes[uid], on, p))
    if summary and reporting.summaries:
        touched: dict[int, set[str]] = {}
        rows = session.exec(
            select(ProjectUpdate.batch_id, ProjectRole.unit_id)
            .join(ProjectRole, col(ProjectRole.project_id) == col(ProjectUpdate.project_id))
            .where(col(ProjectUpdate.batch_id).in_([s[0] for s in summary]))
        ).all()
        for bid, uid in rows:
            touched.setdefault(bid, set()).add(codes[uid])
        for bid, p, on in summary:
            out += [ReportFact(c, on, p) for c in sorted(touched.get(bid, ())) if c not in county]
    return out


def _parsed(label: str) -> Period | None:
    try:
        return parse_period(label)
    except ValueError:
        return None


def first_report_on(session: Session, day: date) -> date | None:
    """The date of the ledger's first live report on or before `day`."""
    return session.exec(
        select(func.min(col(ImportBatch.report_date))).where(
            col(ImportBatch.status).in_(LIVE_BATCH),
            col(ImportBatch.report_date) <= day,
            col(ImportBatch.kind) == "import",
        )
    ).one()


def first_activity_on(session: Session, day: date) -> date | None:
    """The date of the ledger's first activity on or before `day`."""
    return session.exec(
        select(func.min(col(Activity.happened_on))).where(col(Activity.happened_on) <= day)
    ).one()


def facts_as_of(session: Session, day: date) -> Facts:
    """What completion and alerts read, as of `day` (targets are the year's, undated)."""
    days = funds_days(day.year, day)  # alerts read completion as of `day` only
    return Facts(
        units=unit_facts(session),
        projects=projects_as_of(session, day),
        observations=funds_observations(session, day, days),
        days=days,
        activities=[a for a in activity_facts(session) if a.on <= day],
        explicit=explicit_targets(session, day.year),
    )
