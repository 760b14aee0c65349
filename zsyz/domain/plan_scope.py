"""Whose projects a unit's report may touch (issue 16: no takeover).

A unit's report changes only its own role and the projects it holds a role in; `--link`
joins a row only to a project of the reporting unit (or, in a county summary, of a unit
the row names); another unit's role is kept, and the sender told, unless a county summary
(`--all-units`) removes it.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from zsyz.domain import fields
from zsyz.domain.names import norm_project_name
from zsyz.domain.plan_values import Issue, RowLike, RowWork, issue

if TYPE_CHECKING:
    from zsyz.domain.planning import Run

ROLE_LABELS = {role.value: label for role, label in fields.ROLE_LABELS.items()}  # by key
# Roles a unit's own report may set only for itself (the leader is a person, not a unit).
OWN_ROLES = frozenset({"sourcing", "landing", "compiling"})


def own_part(
    run: Run, w: RowWork, role: str, old: frozenset[str], codes: frozenset[str]
) -> frozenset[str]:
    """What a unit's own report may do to a role of a project it holds: add or drop
    itself. Other units' roles are kept as they are, and the sender is told."""
    assert run.ctx.unit is not None
    me = run.ctx.unit.code
    kept = old - {me}
    after = run.shared(kept | (codes & {me}))
    dropped, added = kept - codes, (codes - {me}) - kept
    where = f"{w.row.where}「{w.name}」"
    if dropped:
        w.warnings.append(
            f"{where}：本单位周报不能移除其他单位的{ROLE_LABELS[role]}"
            f"（{unit_names(run, dropped)}），已保留；如需移除，请由县招商中心用汇总表"
            "（--all-units）导入更正"
        )
    if added:
        w.warnings.append(
            f"{where}：本单位周报不能为其他单位增加{ROLE_LABELS[role]}"
            f"（{unit_names(run, added)}），未采纳；请由相关单位报送或由县招商中心汇总导入"
        )
    return after


def unit_names(run: Run, codes: frozenset[str]) -> str:
    return "、".join(run.ctx.units.name_of(c) or c for c in sorted(codes))


def _named_units(run: Run, row: RowLike) -> set[str]:
    """Codes of the known units the row names as sourcing or landing unit."""
    named = set()
    for key in ("roles:sourcing", "roles:landing"):
        for name in row.values.get(key) or ():
            unit = run.ctx.units.find(name)
            if unit is not None:
                named.add(unit.code)
    return named


def in_scope(run: Run, pid: int, row: RowLike) -> bool:
    """Is this project among those a row is matched against by name?"""
    owners = run.snap.owners(pid)
    if run.ctx.unit is not None:
        return run.ctx.unit.code in owners
    named = _named_units(run, row)
    return bool(owners & named) if named else True


def lookalikes(run: Run, row: RowLike, norm: str) -> list[int]:
    """Known projects of the same name, or of the same investor and a similar name."""
    snap = run.snap
    found = list(snap.by_norm.get(norm, []))
    investor = row.values.get("investor")
    if investor:
        for pid in snap.by_investor.get(norm_project_name(investor), []):
            other = snap.projects[pid]["norm_name"]
            if pid not in found and (
                norm in other
                or other in norm
                or difflib.SequenceMatcher(None, norm, other).ratio() >= 0.6
            ):
                found.append(pid)
    return found


def check_scope(run: Run, w: RowWork) -> list[Issue]:
    """A unit's report touches only its own projects, and names itself in a new one
    (a new project it reports is one it brought in, unless the row says otherwise)."""
    unit, pid, roles, row = run.ctx.unit, w.pid, w.roles, w.row
    if w.linked and pid is not None and (found := _may_link(run, w, pid)):
        return found
    if unit is None:
        if (
            run.ctx.all_units
            and pid is None
            and not (roles.get("sourcing") or roles.get("landing"))
        ):
            return [issue(run.ctx, row, "name", "汇总表每个新项目须写明招引单位或落地单位")]
        return []
    named = roles.get("sourcing", frozenset()) | roles.get("landing", frozenset())
    if pid is None and unit.code not in named and "sourcing" not in roles:
        roles["sourcing"] = frozenset({unit.code})  # a unit reports what it brought in
    held = run.snap.roles.get(pid, {}) if pid is not None else {}
    if pid is not None and unit.code not in run.snap.owners(pid):
        why = (
            f"项目 {run.snap.describe(pid, run.ctx.units)} 的招引/落地单位不含{unit.name}，"
            "本单位周报不能修改；请由相关单位报送，或由县招商中心用 --all-units 导入汇总表"
        )
        return [issue(run.ctx, row, "name", why)]
    after = set(roles.get("sourcing", held.get("sourcing", set()))) | set(
        roles.get("landing", held.get("landing", set()))
    )
    if unit.code not in after:
        key = "roles:sourcing" if "roles:sourcing" in row.values else "name"
        why = (
            f"{unit.name}既不是该项目的招引单位也不是落地单位，不能在本单位周报中报送"
            "（县里的多单位汇总表请加 --all-units 导入）"
        )
        return [issue(run.ctx, row, key, why)]
    return []


def linkable(run: Run, pid: int, row: RowLike) -> bool:
    """Could --link join this row to the project (see `_may_link`)?"""
    owners = run.snap.owners(pid)
    if run.ctx.unit is not None:
        return run.ctx.unit.code in owners
    return any(
        (u := run.ctx.units.find(n)) is not None and u.code in owners
        for key in ("roles:sourcing", "roles:landing")
        for n in row.values.get(key) or ()
    )


def _may_link(run: Run, w: RowWork, pid: int) -> list[Issue]:
    """--link joins a row only to a project of the reporting unit, or in a county
    summary (--all-units) of a unit the row itself names: never a takeover."""
    owners = run.snap.owners(pid)
    unit = run.ctx.unit
    if unit is not None:
        if unit.code in owners:
            return []
        whose = f"不含{unit.name}"
    else:
        named = w.roles.get("sourcing", frozenset()) | w.roles.get("landing", frozenset())
        if named & owners:
            return []
        whose = "不含本行所写的招引/落地单位" if named else "而本行没有写招引/落地单位"
    why = (
        f"--link 指定的项目 {run.snap.describe(pid, run.ctx.units)} 的招引/落地单位{whose}，"
        "不能关联；只能关联本单位（汇总表为本行所写单位）的项目，确是新项目请用 --new"
    )
    return [issue(run.ctx, w.row, "name", why)]
