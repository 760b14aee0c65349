"""`zsyz db check`: the database's own integrity and the ledger's invariants.

Each check yields `Finding`s; none means the ledger is sound. SQLite gets
`PRAGMA integrity_check` and `foreign_key_check` (PostgreSQL enforces foreign keys
itself); both databases get the ledger's rules: stage dates agree with the stage,
updates point at a batch and a project, batch counts add up, every project has a
sourcing or landing unit, amounts are never negative, units nest without cycles, history intervals are\nthe next change's day.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Column, Table, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from zsyz.domain.facts import Role
from zsyz.domain.stages import LIFE_CYCLE, Stage
from zsyz.store.engine import Ledger
from zsyz.store.tables import table_of
from zsyz.store.types import FixedDecimal


@dataclass(frozen=True)
class Finding:
    check: str  # a stable identifier, e.g. "stage_dates"
    table: str
    row_id: int | None
    message: str  # Chinese, for the operator

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def check_ledger(ledger: Ledger, *, today: date | None = None) -> list[Finding]:
    """Every finding, in check order. Reads one consistent snapshot."""
    today = today or date.today()
    with ledger.read() as session:
        conn = session.connection()
        findings: list[Finding] = []
        checks: list[Callable[[], Iterator[Finding]]] = []
        if ledger.is_sqlite:
            checks += [lambda: _sqlite_integrity(conn), lambda: _sqlite_foreign_keys(conn)]
        for check in (_stage_dates, _update_refs, _batch_counts, _project_units):
            checks.append(lambda check=check: check(conn, today))  # type: ignore[misc]
        checks += [lambda: _negative_amounts(conn), lambda: _unit_cycles(conn)]
        checks.append(lambda: _history_intervals(conn))
        for run in checks:
            try:
                findings += run()
            except DBAPIError as exc:  # damaged pages: say so and go on with the rest
                if not ledger.is_sqlite:
                    raise
                findings.append(damaged(str(exc.orig)))
        return findings


def damaged(why: str) -> Finding:
    return Finding("integrity", "", None, f"台账文件已损坏或不是台账（{why}）；请从备份恢复")


def _sqlite_integrity(conn: Connection) -> Iterator[Finding]:
    for (line,) in conn.execute(text("PRAGMA integrity_check")):
        if line != "ok":
            yield Finding("integrity", "", None, f"SQLite 完整性检查：{line}；请从备份恢复")


def _sqlite_foreign_keys(conn: Connection) -> Iterator[Finding]:
    for table, rowid, parent, _fk in conn.execute(text("PRAGMA foreign_key_check")):
        yield Finding("foreign_keys", table, rowid, f"指向 {parent} 中不存在的记录")


_DATE_COLUMNS = [(s, s.date_field) for s in LIFE_CYCLE]


def _went_back(conn: Connection) -> set[int]:
    """Projects whose history shows a step back to an earlier stage. Import accepts that
    with a warning and keeps the dates already reached, so such a project may hold a
    later stage's date, and an earlier stage dated after it; that is not a fault."""
    u = table_of("project_update")
    order = {s.value: s.order for s in LIFE_CYCLE}
    back: set[int] = set()
    steps = select(u.c.project_id, u.c.old_value, u.c.new_value).where(
        u.c.field == "stage", u.c.old_value.is_not(None)
    )
    for pid, old, new in conn.execute(steps):
        if old in order and new in order and order[new] < order[old]:
            back.add(pid)
    return back


def _stage_dates(conn: Connection, today: date) -> Iterator[Finding]:
    p = table_of("project")
    went_back = _went_back(conn)
    cols = [p.c.id, p.c.code, p.c.stage, p.c.dropped_on, *(p.c[f] for _, f in _DATE_COLUMNS)]
    for row in conn.execute(select(*cols).order_by(p.c.id)):
        pid, code, stage_text, dropped_on = row[0], row[1], row[2], row[3]
        dates = [(s, d) for (s, _), d in zip(_DATE_COLUMNS, row[4:], strict=True) if d]
        where = f"项目 {code}"
        try:
            stage = Stage(stage_text)
        except ValueError:
            yield Finding("stage_dates", "project", pid, f"{where} 的阶段「{stage_text}」无效")
            continue
        if pid in went_back:  # only the future-date check below still applies
            dates_checked: list[tuple[Stage, date]] = []
        else:
            dates_checked = dates
        if stage is not Stage.DROPPED and pid not in went_back:
            for s, d in dates:
                if s.order > stage.order:
                    yield Finding(
                        "stage_dates",
                        "project",
                        pid,
                        f"{where} 处于「{stage.label}」，却有「{s.label}」日期 {d}",
                    )
        for (s1, d1), (s2, d2) in itertools.pairwise(dates_checked):
            if d2 < d1:
                yield Finding(
                    "stage_dates",
                    "project",
                    pid,
                    f"{where}「{s2.label}」日期 {d2} 早于「{s1.label}」日期 {d1}",
                )
        if dropped_on and dates and dropped_on < max(d for _, d in dates):
            yield Finding(
                "stage_dates", "project", pid, f"{where} 的终止日期 {dropped_on} 早于其他阶段日期"
            )
        for s, d in [*dates, *([(Stage.DROPPED, dropped_on)] if dropped_on else [])]:
            if d > today:
                yield Finding(
                    "stage_dates", "project", pid, f"{where}「{s.label}」日期 {d} 在今天之后"
                )


def _update_refs(conn: Connection, _today: date) -> Iterator[Finding]:
    u, b, p = table_of("project_update"), table_of("import_batch"), table_of("project")
    orphans = (
        select(u.c.id, u.c.batch_id, u.c.project_id, b.c.id, p.c.id)
        .outerjoin(b, b.c.id == u.c.batch_id)
        .outerjoin(p, p.c.id == u.c.project_id)
        .where((b.c.id.is_(None)) | (p.c.id.is_(None)))
        .order_by(u.c.id)
    )
    for uid, batch_id, project_id, found_batch, found_project in conn.execute(orphans):
        if found_batch is None:
            yield Finding("update_refs", "project_update", uid, f"指向不存在的导入批次 {batch_id}")
        if found_project is None:
            yield Finding("update_refs", "project_update", uid, f"指向不存在的项目 {project_id}")


def _batch_counts(conn: Connection, _today: date) -> Iterator[Finding]:
    """A live batch's `created` is the projects it created; `created + updated` is the
    projects its updates touch beyond the report date (one update per changed field,
    several per project). Superseded and undone batches keep their counts but no longer
    any updates (store/history.py deletes them), so only live batches are checked."""
    b, u, p = table_of("import_batch"), table_of("project_update"), table_of("project")
    touched = (  # a row whose only change is last_reported_on is not counted as updated
        select(u.c.batch_id, func.count(func.distinct(u.c.project_id)).label("n"))
        .where(u.c.field != "last_reported_on")
        .group_by(u.c.batch_id)
        .subquery()
    )
    made = (
        select(p.c.created_batch_id.label("batch_id"), func.count().label("n"))
        .where(p.c.created_batch_id.is_not(None))
        .group_by(p.c.created_batch_id)
        .subquery()
    )
    rows = conn.execute(
        select(
            b.c.id,
            b.c.file_name,
            b.c.created,
            b.c.updated,
            func.coalesce(made.c.n, 0),
            func.coalesce(touched.c.n, 0),
        )
        .outerjoin(made, made.c.batch_id == b.c.id)
        .outerjoin(touched, touched.c.batch_id == b.c.id)
        .where(b.c.status == "imported")
        .order_by(b.c.id)
    )
    for bid, name, created, updated, n_made, n_touched in rows:
        if created != n_made:
            yield Finding(
                "batch_counts",
                "import_batch",
                bid,
                f"导入批次 {bid}（{name}）记为新建 {created} 个项目，实有 {n_made} 个",
            )
        if created + updated != n_touched:
            yield Finding(
                "batch_counts",
                "import_batch",
                bid,
                f"导入批次 {bid}（{name}）记为新建 {created}、更新 {updated} 个项目，"
                f"其变更记录涉及 {n_touched} 个",
            )


def _project_units(conn: Connection, _today: date) -> Iterator[Finding]:
    p, r = table_of("project"), table_of("project_role")
    credited = select(r.c.project_id).where(r.c.role.in_([Role.SOURCING.value, Role.LANDING.value]))
    for pid, code in conn.execute(
        select(p.c.id, p.c.code)
        .where(p.c.id.not_in(credited), p.c.merged_into_id.is_(None))  # merged: credit moved
        .order_by(p.c.id)
    ):
        yield Finding("project_units", "project", pid, f"项目 {code} 没有招引单位或落地单位")
    for pid, code in conn.execute(
        select(p.c.id, p.c.code)
        .where(p.c.merged_into_id.is_not(None), p.c.id.in_(select(r.c.project_id)))
        .order_by(p.c.id)
    ):
        yield Finding("project_units", "project", pid, f"项目 {code} 已并入其他项目，却仍计入单位")
    known = [role.value for role in Role]
    for rid, role in conn.execute(select(r.c.id, r.c.role).where(r.c.role.not_in(known))):
        yield Finding("project_units", "project_role", rid, f"未知的单位角色「{role}」")


def _history_intervals(conn: Connection) -> Iterator[Finding]:
    """Each history row holds until the next change of its field (store/intervals.py)."""
    from zsyz.store.intervals import stale_intervals
    from zsyz.store.sqltext import as_date

    for uid, stored, expected in stale_intervals(conn):
        was, should = as_date(stored), as_date(expected)
        yield Finding(
            "history_intervals",
            "project_update",
            uid,
            f"项目变更记录 {uid} 的有效截止日记为 {was or '（无）'}，应为 {should or '（无）'}"
            "；按日期查询的结果会有误，请联系维护人员",
        )


def _negative_amounts(conn: Connection) -> Iterator[Finding]:
    """Every FixedDecimal column of every table: amounts and areas are never negative."""
    from sqlmodel import SQLModel

    for table in SQLModel.metadata.sorted_tables:
        for col in _fixed_columns(table):
            query = select(table.c.id, col).where(col < 0).order_by(table.c.id)
            for rid, value in conn.execute(query):
                yield Finding("negative_amounts", table.name, rid, f"{col.name} 为负数 {value}")


def _fixed_columns(table: Table) -> list[Column[Any]]:
    return [c for c in table.columns if isinstance(c.type, FixedDecimal)]


def _unit_cycles(conn: Connection) -> Iterator[Finding]:
    t = table_of("unit")
    parent: dict[int, int | None] = {i: p for i, p in conn.execute(select(t.c.id, t.c.parent_id))}
    codes: dict[int, str] = {i: c for i, c in conn.execute(select(t.c.id, t.c.code))}
    reported: set[int] = set()
    for start in sorted(parent):
        seen: list[int] = []
        node: int | None = start
        while node is not None and node not in seen:
            seen.append(node)
            node = parent.get(node)
        if node is not None and node == start and start not in reported:
            loop = seen[seen.index(node) :]
            reported.update(loop)
            names = " → ".join(codes[i] for i in [*loop, node])
            yield Finding("unit_cycles", "unit", start, f"上级单位成环：{names}")
