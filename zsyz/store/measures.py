"""STUB (lead's branch only; replaced by the `sqlm` branch's module at merge): the
reference answer computed in Python, so the wiring can be tested before the SQL lands."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Any

from zsyz.domain.credit import passes
from zsyz.domain.measured import Answer, Question
from zsyz.domain.progress import Facts, _project_amount
from zsyz.store.asof import projects_on
from zsyz.store.facts import funds_observations


def measured(
    conn: Any, questions: Collection[Question], day: date
) -> dict[Question, dict[str, Answer]]:
    projects = projects_on(conn, day)
    facts = Facts(units=[], projects=projects, observations=funds_observations(conn, day))
    out: dict[Question, dict[str, Answer]] = {}
    for q in questions:
        totals: dict[str, Decimal] = {}
        codes: dict[str, list[str]] = {}
        for p in projects:
            units = dict.fromkeys(c for role, c in p.roles if role in q.roles)
            if not units or not passes(p, q.filters):
                continue
            amount = _project_amount(q.metric, p, facts, q.start, q.end)
            if amount is None or amount == 0:
                continue
            for u in units:
                totals[u] = totals.get(u, Decimal(0)) + amount
                codes.setdefault(u, []).append(p.code)
        out[q] = {u: (totals[u], tuple(sorted(codes[u]))) for u in totals}
    return out
