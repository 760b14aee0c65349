"""The ledger as it stood on a date: projects as of the day from `project_update`, reports
(import batches) and activities dated on or before it. Read-only; one session passed in.

Only dated facts are used, never `imported_at`/`created_at`: a week's report imported
late still counts as that week's report (its report date says when it was made).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from zsyz.domain.facts import ProjectFact, Role
from zsyz.domain.history import NO_HISTORY, apply_history, reduce_history
from zsyz.domain.periods import Period, parse_period
from zsyz.domain.policy import Reporting
from zsyz.domain.progress import Facts, funds_days
from zsyz.domain.reporting import ReportFact
from zsyz.store.asof_history import (
    _full_histories,
    changed_after,
    histories_as_of,
    last_changes,
)
from zsyz.store.facts import (
    activity_facts,
    explicit_targets,
    funds_observations,
    project_facts,
    unit_facts,
)
from zsyz.store.sqltext import as_date, rows

LIVE_BATCH = ("imported", "superseded")  # a superseded report was still sent on its date
_LIVE = "status IN ('imported', 'superseded') AND kind = 'import'"  # a report, not undone


def _project_ids(conn: Any) -> dict[str, int]:
    return {code: pid for pid, code in rows(conn, "SELECT id, code FROM project")}


def projects_replayed(conn: Any, day: date) -> list[ProjectFact]:
    """Every project as the ledger knew it on `day` by applying each one's whole reduced
    history (those not yet in it left out): the reference `projects_as_of` equals."""
    ids = _project_ids(conn)
    histories = histories_as_of(conn, day)
    out = []
    for p in project_facts(conn):
        then = apply_history(p, histories.get(ids[p.code], NO_HISTORY), day)
        if then is not None:
            out.append(then)
    return out


_ROLE_ORDER = {r: i for i, r in enumerate(Role)}


def projects_as_of(conn: Any, day: date) -> list[ProjectFact]:
    """Every project as the ledger knew it on `day` (those not yet in it left out): what
    replaying each one's history gives (`projects_replayed`), without the replay.

    A project with history after `day` is rebuilt from it (reduced in SQL, as
    `projects_on` does). Any other one is today's row (its columns are its history's
    latest values) with the two things the replay reads from the history itself: the
    last report is its latest history date, and the roles stand in the history's order
    (role by role, codes sorted). A row dated after the day, or one without a creation
    snapshot, is replayed from its whole history instead.
    """
    later = set(changed_after(conn, day))
    histories = histories_as_of(conn, day, later_only=True) if later else {}
    last = last_changes(conn)
    ids = _project_ids(conn)
    # replaced in place: a province's projects are never held twice
    out: list[ProjectFact | None] = list(project_facts(conn))
    replay: dict[int, tuple[int, ProjectFact]] = {}  # project id: (its place in out, row)
    for at, p in enumerate(out):
        assert p is not None
        pid = ids[p.code]
        if pid in later or pid not in last:
            out[at] = apply_history(p, histories.get(pid, NO_HISTORY), day)
            continue
        on, snapshot = last[pid]
        if snapshot and not _dated_after(p, day):
            out[at] = _as_reported(p, on)
        else:
            replay[pid] = (at, p)
    for pid, changes in _full_histories(conn, replay).items():
        at, p = replay[pid]
        out[at] = apply_history(p, reduce_history(changes, day), day)
    return [p for p in out if p is not None]


def _dated_after(p: ProjectFact, day: date) -> bool:
    return (p.compiled_on is not None and p.compiled_on > day) or any(
        d > day for d in p.stage_dates.values()
    )


def _as_reported(p: ProjectFact, last_on: date) -> ProjectFact:
    """`p` with its last report on `last_on` and its roles in the history's order."""
    roles = p.roles
    if len(roles) > 1:
        roles = tuple(sorted(roles, key=lambda rc: (_ROLE_ORDER[rc[0]], rc[1])))
    if roles == p.roles and last_on == p.last_reported_on:
        return p
    return p.replaced({"roles": roles, "last_reported_on": last_on})


def projects_on(
    conn: Any, day: date, current: list[ProjectFact] | None = None
) -> list[ProjectFact]:
    """Every project as the ledger knew it on `day`, for completion, ranking and rewards.

    Only projects with a history row after `day` are rebuilt (from their history reduced
    in SQL); every other project stands as it does now, so a day after the last import
    costs one index range scan more than reading the current rows. The rules themselves
    read stage dates and amounts by date, so current rows are that day's answer.
    `current`: `project_facts` already read in this transaction (not read again).
    """
    if current is None:
        current = project_facts(conn)
    later = set(changed_after(conn, day))
    if not later:
        return current
    histories = histories_as_of(conn, day, later_only=True)
    ids = _project_ids(conn)
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


def report_facts(conn: Any, day: date, reporting: Reporting) -> list[ReportFact]:
    """Every unit's report dated on or before `day` (undone imports are not reports).

    A county summary (imported with --all-units) is the county office's report (the units
    of class county); it fills every unit holding a role on a project it touched only
    when the policy says summaries do (`[reporting] summaries = true`)."""
    codes: dict[int, str] = {}
    county: list[str] = []
    for uid, code, cls in rows(conn, "SELECT id, code, unit_class FROM unit"):
        codes[uid] = code
        if cls == "county":
            county.append(code)
    # plain tuples, one pass: a province ledger holds 500,000 batches
    batches = rows(
        conn,
        "SELECT id, unit_id, all_units, period, period_named, report_date FROM import_batch "
        f"WHERE {_LIVE} AND report_date <= :day",
        {"day": day},
    )
    named: dict[str, Period | None] = {}  # many batches, few periods
    dates: dict[Any, date] = {}  # many batches, few report dates
    out: list[ReportFact] = []
    summary: list[tuple[int, Period | None, date]] = []
    for bid, uid, all_units, period, is_named, on_text in batches:
        on = dates[on_text] if on_text in dates else dates.setdefault(on_text, as_date(on_text))  # type: ignore[arg-type]
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
        wanted = {s[0] for s in summary}
        for bid, uid in rows(
            conn,
            "SELECT DISTINCT u.batch_id, r.unit_id FROM project_update u "
            "JOIN project_role r ON r.project_id = u.project_id "
            f"WHERE u.batch_id IN (SELECT id FROM import_batch WHERE {_LIVE} "
            "AND report_date <= :day AND (all_units OR unit_id IS NULL))",
            {"day": day},
        ):
            if bid in wanted:
                touched.setdefault(bid, set()).add(codes[uid])
        for bid, p, on in summary:
            out += [ReportFact(c, on, p) for c in sorted(touched.get(bid, ())) if c not in county]
    return out


def _parsed(label: str) -> Period | None:
    try:
        return parse_period(label)
    except ValueError:
        return None


def first_report_on(conn: Any, day: date) -> date | None:
    """The date of the ledger's first live report on or before `day`."""
    found = rows(
        conn,
        f"SELECT MIN(report_date) FROM import_batch WHERE {_LIVE} AND report_date <= :day",
        {"day": day},
    )
    return as_date(found[0][0])


def first_activity_on(conn: Any, day: date) -> date | None:
    """The date of the ledger's first activity on or before `day`."""
    found = rows(
        conn, "SELECT MIN(happened_on) FROM activity WHERE happened_on <= :day", {"day": day}
    )
    return as_date(found[0][0])


def facts_as_of(conn: Any, day: date) -> Facts:
    """What completion and alerts read, as of `day` (targets are the year's, undated)."""
    days = funds_days(day.year, day)  # alerts read completion as of `day` only
    return Facts(
        units=unit_facts(conn),
        projects=projects_as_of(conn, day),
        observations=funds_observations(conn, day, days),
        days=days,
        activities=[a for a in activity_facts(conn) if a.on <= day],
        explicit=explicit_targets(conn, day.year),
    )
