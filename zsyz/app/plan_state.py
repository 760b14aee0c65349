"""The snapshot a plan reads: the ledger's projects and their roles, loaded in a few
queries (no ORM objects), frozen for the pure planner (`domain/planning.py`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from zsyz.domain.plan_values import Snapshot
from zsyz.store.history import PROJECT, ROLES
from zsyz.store.tables import Unit


def load_snapshot(session: Session) -> Snapshot:
    projects: dict[int, dict[str, Any]] = {
        r.id: dict(r._mapping) for r in session.execute(select(PROJECT))
    }
    codes: dict[int, str] = dict(session.execute(select(Unit.id, Unit.code)).all())  # type: ignore[call-overload]
    held: dict[int, dict[str, set[str]]] = {}
    for pid, uid, role in session.execute(
        select(ROLES.c.project_id, ROLES.c.unit_id, ROLES.c.role)
    ):
        held.setdefault(pid, {}).setdefault(role, set()).add(codes[uid])
    roles = {pid: {r: frozenset(c) for r, c in rs.items()} for pid, rs in held.items()}
    return Snapshot.of(projects, roles)
