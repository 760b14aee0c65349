"""A project as it stood on a past date, replayed from its `project_update` history.

The contract (common to every branch): one change per field per import row, values as
text (Decimal plain, dates ISO, bools "true"/"false", None as NULL), `roles:<role>` holds
sorted unit codes joined by ",", `effective_on` is the batch's report date. So a field's
value as of a day is the new value of its latest change on or before that day, and before
its first change it is that change's old value. Fields never changed keep today's value,
but a stage date after the day is not yet known then, so it is dropped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation

from zsyz.domain.facts import ProjectFact, Role
from zsyz.domain.fields import AMOUNT_FIELDS, DATE_FIELDS, FLAG_FIELDS
from zsyz.domain.stages import LIFE_CYCLE, Stage


@dataclass(frozen=True)
class FieldChange:
    field: str  # a project column, or roles:<role>
    old: str | None
    new: str | None
    on: date  # effective_on


_FACT_FIELDS = {f.name: f for f in fields(ProjectFact)}
_ROLES = tuple(Role)
_ROLE_BY_NAME = {r.value: r for r in Role}
_STAGE_BY_FIELD = {s.date_field: s for s in (*LIFE_CYCLE, Stage.DROPPED)}
# dates that are not a stage's (those are `_STAGE_BY_FIELD`)
_DATES = DATE_FIELDS - _STAGE_BY_FIELD.keys()


def parse_value(fld: str, text: str | None) -> object:
    """A stored text back as the fact's value; unreadable text reads as unknown (None)."""
    if text is None:
        return None
    try:
        if fld in AMOUNT_FIELDS:
            value = Decimal(text)
            return value if value.is_finite() else None
        if fld in _DATES or fld in _STAGE_BY_FIELD:
            return date.fromisoformat(text)
    except (InvalidOperation, ValueError):
        return None
    if fld in FLAG_FIELDS:
        return text == "true"
    if fld == "stage":
        try:
            return Stage(text)
        except ValueError:
            return None
    return text


def value_as_of(changes: Sequence[FieldChange], day: date) -> tuple[bool, str | None]:
    """(known, text) of one field: its value on `day` from its changes (sorted by date)."""
    if not changes:
        return False, None
    before = [c for c in changes if c.on <= day]
    return True, (before[-1].new if before else changes[0].old)


@dataclass(frozen=True)
class HistoryAsOf:
    """A project's history reduced to what its state on a day depends on: for each field
    with any change, its text on the day (the latest change on or before it, else the
    first change's old value); the latest change date on or before it; and whether the
    project was in the ledger then. The store can compute this in SQL without replaying."""

    existed: bool
    texts: Mapping[str, str | None]
    last_on: date | None  # latest change on or before the day; None when none


NO_HISTORY = HistoryAsOf(True, {}, None)  # a project with no history row at all


def reduce_history(changes: Sequence[FieldChange], day: date) -> HistoryAsOf:
    """The reduced form of a project's changes (any order of dates; same-day changes keep
    their order, the later one wins)."""
    ordered = sorted(changes, key=lambda c: c.on)
    by_field: dict[str, list[FieldChange]] = {}
    for c in ordered:
        by_field.setdefault(c.field, []).append(c)
    texts = {fld: value_as_of(seq, day)[1] for fld, seq in by_field.items()}
    reported = [c.on for c in ordered if c.on <= day]
    return HistoryAsOf(existed_on_day(ordered, day), texts, max(reported) if reported else None)


def existed_on_day(changes: Sequence[FieldChange], day: date) -> bool:
    """Was the project in the ledger on `day`? Its creation writes name/stage with no old value."""
    created = [c for c in changes if c.field in ("stage", "name") and c.old is None]
    if created:
        return min(c.on for c in created) <= day
    return True


def project_as_of(
    project: ProjectFact, changes: Sequence[FieldChange], day: date
) -> ProjectFact | None:
    """`project` as the ledger knew it on `day`; None when it did not exist yet."""
    return apply_history(project, reduce_history(changes, day), day)


def apply_history(project: ProjectFact, history: HistoryAsOf, day: date) -> ProjectFact | None:
    """`project` (as it stands now) as it was on `day`, given its reduced history."""
    if not history.existed:
        return None
    values: dict[str, object] = {}
    stage_dates = dict(project.stage_dates)
    roles: dict[Role, list[str]] = {}
    for r, code in project.roles:
        roles.setdefault(r, []).append(code)
    stage = project.stage
    for fld, text in history.texts.items():
        if fld.startswith("roles:"):
            role = _ROLE_BY_NAME.get(fld[6:])
            if role is not None:
                roles[role] = sorted(text.split(",")) if text else []
        elif fld in _STAGE_BY_FIELD:
            d = parse_value(fld, text)
            if isinstance(d, date):
                stage_dates[_STAGE_BY_FIELD[fld]] = d
            else:
                stage_dates.pop(_STAGE_BY_FIELD[fld], None)
        elif fld == "stage":
            parsed = parse_value(fld, text)
            stage = parsed if isinstance(parsed, Stage) else Stage.PLANNED
        elif fld in _FACT_FIELDS and fld not in ("code", "roles", "stage_dates"):
            values[fld] = parse_value(fld, text)
    stage = _clamp(stage, stage_dates, day)
    stage_dates = {s: d for s, d in stage_dates.items() if d <= day}
    last = values.get("last_reported_on", project.last_reported_on)
    if history.last_on is not None:
        last = history.last_on
    elif not isinstance(last, date) or last > day:
        last = None
    values["last_reported_on"] = last
    if "compiled_on" not in history.texts and project.compiled_on is not None:
        values["compiled_on"] = project.compiled_on if project.compiled_on <= day else None
    values["stage"] = stage
    values["stage_dates"] = stage_dates
    values["roles"] = tuple(
        (role, code) for role in _ROLES if role in roles for code in roles[role]
    )
    if _shared(project, values):
        return project  # nothing differs on the day: today's fact itself
    return _replace(project, values)


def _shared(project: ProjectFact, values: dict[str, object]) -> bool:
    """Each value identical to the project's own (same type, same digits, same order)
    replaced by the project's object, so a province's as-of copies hold only what
    differs; True when every value is."""
    every = True
    for name, value in values.items():
        old = getattr(project, name)
        if value is old:
            continue
        if type(value) is type(old) and _identical(value, old):
            values[name] = old
        else:
            every = False
    return every


def _identical(a: object, b: object) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a.as_tuple() == b.as_tuple()  # 1.0 and 1.00 are equal, not the same
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a.items()) == list(b.items())
    return a == b


def _replace(project: ProjectFact, values: dict[str, object]) -> ProjectFact:
    """`dataclasses.replace` without its per-call field introspection (100,000 calls at
    province scale): ProjectFact is a plain frozen dataclass, no __post_init__ to run."""
    return project.replaced(values)


def _clamp(stage: Stage, dates: dict[Stage, date], day: date) -> Stage:
    """The stage on `day`: a stage reached (or dropped) after the day falls back to the
    last stage dated on or before it. A stage with no dates at all stands as it is."""
    if not dates or max(dates.values()) <= day:
        return stage  # nothing reached after the day (most projects): nothing to undo
    if stage is Stage.DROPPED:
        later = Stage.DROPPED in dates and dates[Stage.DROPPED] > day
    else:
        later = any(
            s.order <= stage.order and d > day for s, d in dates.items() if s is not Stage.DROPPED
        )
    if not later:
        return stage
    live = [s for s, d in dates.items() if s is not Stage.DROPPED and d <= day]
    return max(live, key=lambda s: s.order) if live else Stage.PLANNED


def to_text(value: object) -> str | None:
    """A value as project_update stores it."""
    if value is None:
        return None
    if type(value) is str:  # the common case first: a 50,000-row import calls this 10^6 times
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list | set | frozenset):
        return ",".join(sorted(value)) or None
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return str(value)


def same(a: object, b: object) -> bool:
    """Equal as the ledger stores them (Decimal scale and role order do not matter)."""
    return to_text(a) == to_text(b)
