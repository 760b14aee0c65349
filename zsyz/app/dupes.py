"""Use cases of `projects dupes`: suspected double counting across the whole ledger (all
units, all counties of a merged city ledger), and recording a reviewed pair."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from zsyz.domain.stages import Stage
from zsyz.errors import NotFoundError, UsageError
from zsyz.store.engine import Ledger
from zsyz.store.history import PROJECT, ROLES
from zsyz.store.manual import operator_name
from zsyz.store.tables import DupeDismissal, Unit, table_of
from zsyz.store.units import UnitIndex

DATES = [s.date_field for s in Stage] + ["compiled_on", "last_reported_on"]


def _county_of(units: dict[int, tuple[str, int | None, str]]) -> dict[int, str | None]:
    """Each unit's county (its ancestor of class county), for cross-county evidence."""
    out: dict[int, str | None] = {}
    for uid in units:
        seen = 0
        found = None
        cur_id: int | None = uid
        while cur_id is not None and cur_id in units and seen < 10:
            name, parent, cls = units[cur_id]
            if cls == "county":
                found = name
                break
            cur_id, seen = parent, seen + 1
        out[uid] = found
    return out


def suspected_duplicates(
    ledger: Ledger, year: int | None = None, unit: str | None = None
) -> list[dict[str, Any]]:
    """Suspected pairs, graded, with evidence; a pair is listed when either project
    has activity in `year` / holds a role of `unit`."""
    from zsyz.domain.dupes import Candidate, find_pairs

    with ledger.read() as session:
        only = UnitIndex.load(session).resolve(unit).id if unit else None
        units = {
            uid: (name, parent, cls)
            for uid, name, parent, cls in session.execute(
                select(Unit.id, Unit.name, Unit.parent_id, Unit.unit_class)  # type: ignore[call-overload]
            )
        }
        county = _county_of(units)
        landing: dict[int, list[int]] = {}
        roles: dict[int, set[int]] = {}
        for pid, uid, role in session.execute(
            select(ROLES.c.project_id, ROLES.c.unit_id, ROLES.c.role)
        ):
            roles.setdefault(pid, set()).add(uid)
            if role == "landing":
                landing.setdefault(pid, []).append(uid)
        cols = [PROJECT.c[k] for k in ("id", "code", "name", "investor", "credit_code", *DATES)]
        rows = session.execute(select(*cols).where(PROJECT.c.merged_into_id.is_(None))).all()
        dismissed = _dismissed(session)
    years = {r[0]: {d.year for d in r[5:] if isinstance(d, date)} for r in rows}
    items = [
        Candidate(
            pid, code, name, investor, credit, tuple(units[u][0] for u in landing.get(pid, ()))
        )
        for pid, code, name, investor, credit, *_ in rows
    ]

    def wanted(pid: int) -> bool:
        return (year is None or year in years[pid]) and (only is None or only in roles.get(pid, ()))

    out = []
    for p in find_pairs(items, dismissed):
        if not (wanted(p.a.id) or wanted(p.b.id)):
            continue
        where = [{county.get(u) for u in roles.get(x.id, ())} - {None} for x in (p.a, p.b)]
        evidence = list(p.evidence)
        if where[0] and where[1] and not where[0] & where[1]:
            sides = " / ".join("、".join(sorted(w)) for w in where)  # type: ignore[arg-type]
            evidence.append(f"分属不同县区：{sides}")
        out.append(
            {
                "grade": int(p.grade),
                "grade_label": p.grade.label,
                "score": p.score,
                "a": _side(p.a, roles, units),
                "b": _side(p.b, roles, units),
                "evidence": evidence,
            }
        )
    return out


def _side(c: Any, roles: dict[int, set[int]], units: dict[int, Any]) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "investor": c.investor,
        "credit_code": c.credit_code,
        "units": sorted(units[u][0] for u in roles.get(c.id, ())),
    }


def _dismissed(session: Session) -> list[tuple[int, int]]:
    t = table_of("dupe_dismissal")
    return [(a, b) for a, b in session.execute(select(t.c.project_a_id, t.c.project_b_id))]


def dismiss_pair(ledger: Ledger, first: str, second: str) -> tuple[str, str]:
    """Record that two projects were reviewed and are not the same."""

    def work(session: Session) -> tuple[str, str]:
        ids = []
        for code in (first, second):
            pid = session.execute(
                select(PROJECT.c.id).where(PROJECT.c.code == code.strip())
            ).scalar()
            if pid is None:
                raise NotFoundError(f"没有编号为「{code}」的项目；请用 zsyz projects dupes 查看")
            ids.append(pid)
        a, b = sorted(ids)
        if a == b:
            raise UsageError("--dismiss 需要两个不同的项目编号")
        t = table_of("dupe_dismissal")
        exists = session.execute(
            select(t.c.id).where(t.c.project_a_id == a, t.c.project_b_id == b)
        ).first()
        if exists is None:
            session.add(DupeDismissal(project_a_id=a, project_b_id=b, operator=operator_name()))
        return first.strip(), second.strip()

    return ledger.run_write(work)
