"""A lean read: the measures a computation will ask (`domain.questions`) answered in SQL
at once (`store.measures`), the projects left unloaded (`progress_facts.UNLOADED`).

The pure rules stay the definition: SQL answers only the questions
`domain.measured.sql_question` says it answers exactly (proven equal by
tests/test_measured_sql.py), and a rule that reaches for an unloaded project raises
`NotLoaded`: the use case then loads everything and computes again, so a lean read can be
slower than needed but never different.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from zsyz.domain.measured import Question, sql_question
from zsyz.domain.policy import Policy
from zsyz.domain.progress_facts import UNLOADED, Answer, Facts, MeasureKey, NotLoaded
from zsyz.store.measures import measured

T = TypeVar("T")


def lean(facts: Facts, answers: dict[MeasureKey, Answer] | None = None) -> Facts:
    """`facts` without projects and amount observations: only `answers` count. Built
    afresh, not `dataclasses.replace`d: that would share the indexes `Facts` fills."""
    return Facts(
        units=facts.units,
        projects=UNLOADED,
        observations=UNLOADED,
        activities=facts.activities,
        explicit=facts.explicit,
        days=None,
        answered=answers or {},
    )


Asked = dict[Question, list[MeasureKey]]  # each SQL question and the measures it answers


def questions_for(
    policy: Policy, facts: Facts, keys: Collection[MeasureKey] | None
) -> Asked | None:
    """The SQL questions answering `keys` (measures over `facts`' units); None when some
    key is not a question SQL answers. Reads nothing: a use case decides on a lean read
    before it reads what only that read needs."""
    if keys is None:
        return None
    unit_of = {u.code: u for u in facts.units}
    asked: Asked = {}
    # a question depends on the unit through its class only: 10,000 units ask a few
    known: dict[tuple[object, ...], Question | None] = {}
    for key in keys:
        metric, filters, code, start, end = key
        unit = unit_of[code]
        by_class = (metric, filters, unit.unit_class, start, end)
        if by_class in known:
            question = known[by_class]
        else:
            question = known[by_class] = sql_question(metric, filters, unit, policy, start, end)
        if question is None:
            return None
        asked.setdefault(question, []).append(key)
    return asked


def answered(conn: Any, facts: Facts, asked: Asked, day: date) -> Facts:
    """`facts` (lean) with every asked measure answered in one SQL call over the ledger
    as it stood on `day`."""
    found = measured(conn, asked, day) if asked else {}
    out: dict[MeasureKey, Answer] = {}
    for question, asking in asked.items():
        per_unit = found.get(question, {})
        for key in asking:
            out[key] = per_unit.get(key[2], (Decimal(0), ()))
    return lean(facts, out)


def or_else(compute: Callable[[], T]) -> T | None:
    """`compute()`, or None when it reached for facts a lean read left out."""
    try:
        return compute()
    except NotLoaded:
        return None
