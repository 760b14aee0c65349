"""Every project's history reduced to its state on a day (`domain.history.HistoryAsOf`),
found in SQL instead of replaying a province's million `project_update` rows in Python.

Two range queries over the history intervals (`store/intervals.py`: each row holds
from `effective_on` until `valid_to`) split the log at the day, with no grouping: per
(project, field) the row in force on the day (its new value counts) and, for a field
whose first row is after the day, that first row (its old value counts). Same-day rows
are told apart by id (the later row wins; the earlier one's interval is empty), as the
replay does. The one `*created*` snapshot row of a project stands for one change per
field (`store.history.expand`); per field it holds from its day until the field's first
plain row ordered after it, which is settled here by comparing (effective_on, id). A
project whose existence on the day these rows cannot settle (plain name/stage rows with
no snapshot on or before the day — never written by imports) is replayed from its full
history instead, so the answer is always the replay's (tests/test_asof_history.py
checks both agree, on SQLite and PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from zsyz.domain.history import FieldChange, HistoryAsOf, reduce_history
from zsyz.store.history_codec import CREATED, created_values, expand
from zsyz.store.sqltext import as_date, rows

_CREATION_FIELDS = ("stage", "name")  # a change of these with no old value creates
_CHUNK = 500  # ids per IN list: far below every driver's parameter limit

Row = tuple[date, int, str | None]  # (effective_on, id, value)


# The projects with any history row after :day (an index range scan on
# `ix_project_update_effective_on`): the only ones whose state then differs from now.
CHANGED_AFTER = "SELECT DISTINCT project_id FROM project_update WHERE effective_on > :day"


def changed_after(conn: Any, day: date, *, limit: int | None = None) -> list[int]:
    """The ids of the projects with any history row after `day` (`limit`: at most so many)."""
    sql = CHANGED_AFTER if limit is None else f"{CHANGED_AFTER} LIMIT {int(limit)}"
    return [pid for (pid,) in rows(conn, sql, {"day": day})]


# Per project: its latest history date, and whether a creation snapshot holding its name
# or stage is stored (a snapshot's keys are JSON strings followed by ":"; a quote inside
# a value is escaped, so the patterns match keys only).
_LAST_CHANGE = (
    "SELECT project_id, MAX(effective_on), "
    f"MAX(CASE WHEN field = '{CREATED}' AND (new_value LIKE :name OR new_value LIKE :stage) "
    "THEN 1 ELSE 0 END) FROM project_update GROUP BY project_id"
)
_CREATION_KEYS = {"name": '%"name":%', "stage": '%"stage":%'}


def last_changes(conn: Any) -> dict[int, tuple[date, bool]]:
    """{project id: (its latest history date, whether a creation snapshot holding its name
    or stage is stored)} for every project with any history."""
    days: dict[Any, date] = {}  # many projects, few dates: one object each
    return {
        pid: (days[on] if on in days else days.setdefault(on, as_date(on)), bool(snap))  # type: ignore[arg-type]
        for pid, on, snap in rows(conn, _LAST_CHANGE, _CREATION_KEYS)
    }


# Per (project, field): the row in force on :d (its interval holds the day), or, for a
# field whose first row is after :d, that first row (its old value held before it).
_IN_FORCE = """SELECT u.project_id, u.field, u.effective_on, u.id, u.new_value
  FROM project_update u
  WHERE u.effective_on <= :d AND (u.valid_to IS NULL OR u.valid_to > :d)"""
_LATER_ONLY = """ AND u.project_id IN
    (SELECT l.project_id FROM project_update l WHERE l.effective_on > :d)"""
_FIRST_AFTER = """SELECT u.project_id, u.field, u.effective_on, u.id, u.old_value
  FROM project_update u
  WHERE u.effective_on > :d AND NOT EXISTS (
    SELECT 1 FROM project_update v
    WHERE v.project_id = u.project_id AND v.field = u.field
      AND (v.effective_on < u.effective_on
           OR (v.effective_on = u.effective_on AND v.id < u.id)))"""


def _edge_rows(
    conn: Any, day: date, *, after: bool, later_only: bool = False
) -> dict[tuple[int, str], Row]:
    """Per (project, field): the row in force on `day` (its new value: the latest on or
    before it, by its interval), or with `after` the field's first row when that is after
    the day (its old value). With `later_only`, only projects changed after `day`."""
    sql = _FIRST_AFTER if after else _IN_FORCE + (_LATER_ONLY if later_only else "")
    days: dict[Any, date] = {}  # a million rows, a few hundred dates: one object each
    return {
        (pid, fld): (days[on] if on in days else days.setdefault(on, as_date(on)), uid, text)  # type: ignore[arg-type]
        for pid, fld, on, uid, text in rows(conn, sql, {"d": day})
    }


def histories_as_of(conn: Any, day: date, *, later_only: bool = False) -> dict[int, HistoryAsOf]:
    """{project id: its reduced history on `day`} for every project with any history, or
    with `later_only` for every project with a history row after `day`."""
    before = _edge_rows(conn, day, after=False, later_only=later_only)
    after = _edge_rows(conn, day, after=True)
    plain: dict[int, dict[str, Row]] = {}
    created: dict[int, Row] = {}
    for (pid, fld), row in before.items():
        if fld == CREATED:
            created[pid] = row
        else:
            plain.setdefault(pid, {})[fld] = row
    first: dict[int, dict[str, Row]] = {}
    created_later: dict[int, Row] = {}
    for (pid, fld), row in after.items():
        if fld == CREATED:
            created_later[pid] = row
        else:
            first.setdefault(pid, {})[fld] = row
    out: dict[int, HistoryAsOf] = {}
    replay: list[int] = []
    seen: dict[str | None, str | None] = {}  # the snapshots' field names and common values
    for pid in plain.keys() | first.keys() | created.keys() | created_later.keys():
        mine, later, snap = plain.get(pid, {}), first.get(pid, {}), created.get(pid)
        snapshot = _shared(created_values(snap[2]), seen) if snap is not None else {}
        if snap is not None and any(f in snapshot for f in _CREATION_FIELDS):
            existed = True
        elif any(f in mine or f in later for f in _CREATION_FIELDS):
            replay.append(pid)  # never written by imports: the full replay decides
            continue
        elif pid in created_later:
            later_snapshot = created_values(created_later[pid][2])
            if not any(f in later_snapshot for f in _CREATION_FIELDS):
                replay.append(pid)
                continue
            existed = False
        else:
            existed = snap is None  # a snapshot without name or stage: replay decides
            if not existed:
                replay.append(pid)
                continue
        if not existed:
            out[pid] = HistoryAsOf(False, {}, None)
            continue
        texts: dict[str, str | None] = {}
        for fld, (_, _, old) in later.items():
            texts[fld] = old  # no change on or before the day: the first change's old value
        # snapshot and plain rows on or before the day: the later (date, id) wins
        texts.update(snapshot)
        last_on = snap[0] if snap is not None else None
        for fld, (on, uid, new) in mine.items():
            if snap is None or fld not in snapshot or (on, uid) > (snap[0], snap[1]):
                texts[fld] = new
            if last_on is None or on > last_on:
                last_on = on
        out[pid] = HistoryAsOf(True, texts, last_on)
    for pid, changes in _full_histories(conn, replay).items():
        out[pid] = reduce_history(changes, day)
    return out


def _shared(snapshot: dict[str, str], seen: dict[str | None, str | None]) -> dict[str, str]:
    """The snapshot with each name and value text one object across every project's
    (decoding makes new ones for each; a province holds 100,000 snapshots at once)."""
    return {seen.setdefault(k, k): seen.setdefault(v, v) for k, v in snapshot.items()}  # type: ignore[misc]


def _full_histories(conn: Any, ids: Iterable[int]) -> dict[int, list[FieldChange]]:
    """Every change of these projects, oldest first (the replay's input)."""
    wanted = sorted(ids)
    out: dict[int, list[FieldChange]] = {pid: [] for pid in wanted}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ", ".join(f":p{i}" for i in range(len(chunk)))
        found = rows(
            conn,
            "SELECT project_id, field, old_value, new_value, effective_on FROM project_update "
            f"WHERE project_id IN ({marks}) ORDER BY effective_on, id",
            {f"p{i}": pid for i, pid in enumerate(chunk)},
        )
        for pid, stored, old_value, new_value, on in found:
            day = as_date(on)
            out[pid].extend(
                FieldChange(f, o, n, day)  # type: ignore[arg-type]
                for f, o, n in expand(stored, old_value, new_value)
            )
    return out
