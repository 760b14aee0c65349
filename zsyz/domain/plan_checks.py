"""The validators of an import row: plain functions returning problems as values.

Each takes the plan's run (`domain/planning.Run`: the snapshot, the context and what
earlier rows claimed) and the row being planned (`RowWork`), and returns the problems it
finds. `REFUSING` are run in order and the row is refused at the first that finds one
(the later checks would only repeat it); the others all report. Some also record what
they resolved on the row (its units, the project it is).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from zsyz.domain.plan_scope import in_scope, linkable, lookalikes
from zsyz.domain.plan_values import Issue, RowWork, issue, row_place

if TYPE_CHECKING:
    from zsyz.domain.planning import Run


def role_units(run: Run, w: RowWork) -> list[Issue]:
    """Every unit the row names in a role is a known unit (records `w.roles`)."""
    found: list[Issue] = []
    values = w.row.values
    for role in ("sourcing", "landing", "compiling"):
        key = f"roles:{role}"
        names = values.get(key)
        if not names:
            continue
        codes = set()
        for name in names:
            known = run.unit_codes.get(name)
            if known is None:
                unit = run.ctx.units.resolve(name)
                known = (unit, False) if isinstance(unit, str) else (unit.code, True)
                run.unit_codes[name] = known
            if known[1]:
                codes.add(known[0])
            else:
                found.append(Issue(known[0], w.row.row, run.ctx.headings[key], name, w.row.sheet))
        w.roles[role] = run.shared(frozenset(codes))
    leader_name = values.get("leader_name")
    if leader_name:
        if leader_name not in run.leaders:
            leader = run.ctx.units.find(leader_name)
            ok = leader is not None and leader.unit_class == "leader"
            run.leaders[leader_name] = leader.code if ok and leader is not None else None
        if (code := run.leaders[leader_name]) is not None:
            w.roles["leader"] = run.shared(frozenset({code}))
    return found


def code_clash(run: Run, w: RowWork) -> Sequence[Issue]:
    """One 项目编号 on two rows naming different projects."""
    code = w.row.values.get("code")
    if not code:
        return ()
    first = run.codes.setdefault(code, (w.norm, w.row.sheet, w.row.row))
    if first[0] == w.norm:
        return ()
    place = row_place(first[1], first[2])
    return (
        issue(
            run.ctx,
            w.row,
            "code",
            f"项目编号与{place}的新项目相同；一个编号只能给一个项目"
            if code not in run.snap.by_code
            else f"项目编号与{place}相同，但项目名称不同；一个编号只能对应一个项目，请核对编号",
        ),
    )


def identity(run: Run, w: RowWork) -> Sequence[Issue]:
    """Which project the row is (records `w.pid`, `w.linked`): by --link, 项目编号, or
    name among the projects in scope; a new project must not look like a known one."""
    row, snap, ctx = w.row, run.snap, run.ctx
    by_row = str(row.row) if row.sheet is None else None  # rows repeat across sheets
    link = (by_row and ctx.links.get(by_row)) or ctx.links.get(w.norm)
    if link:
        w.linked = True
        w.pid = snap.by_code.get(link)
        if w.pid is None:
            return (issue(ctx, row, "name", f"--link 指定的项目编号 {link} 不存在"),)
        return ()
    code = row.values.get("code")
    if code and code in snap.by_code:
        w.pid = snap.by_code[code]
        return ()
    scope = [p for p in snap.by_norm.get(w.norm, []) if in_scope(run, p, row)]
    if len(scope) > 1:
        return (issue(ctx, row, "name", "本单位有多个同名项目；请填写项目编号"),)
    if scope:
        if code:
            other = snap.projects[scope[0]]["code"]
            why = f"台账中同名项目的编号是 {other}，与所填编号不一致；请核对"
            return (issue(ctx, row, "code", why),)
        w.pid = scope[0]
        return ()
    if by_row not in ctx.new and w.norm not in ctx.new:
        return _lookalike(run, w, by_row)
    return ()


def _lookalike(run: Run, w: RowWork, by_row: str | None) -> Sequence[Issue]:
    row, snap = w.row, run.snap
    twins = lookalikes(run, row, w.norm)
    if not twins:
        return ()
    shown = "；".join(snap.describe(p, run.ctx.units) for p in twins[:3])
    key = by_row or row.values["name"]
    mine = [p for p in twins if linkable(run, p, row)]
    same = (
        f"是同一项目请加 --link {key}={snap.projects[mine[0]]['code']}"
        if mine
        else "是同一项目请由县招商中心用汇总表（--all-units，写明项目编号）报送"
    )
    return (
        issue(
            run.ctx,
            row,
            "name",
            f"疑似与已有项目重复：{shown}。{same}，确是新项目请加 --new {key}",
            clerk=f"疑似与已有项目重复：{shown}。是同一项目请在「项目编号」栏填写已有项目的编号；"
            "确是另一个新项目请在项目名称中写明区别，并告知县招商中心",
        ),
    )


def merged(run: Run, w: RowWork) -> Sequence[Issue]:
    """A project merged into another is reported under the one kept."""
    if w.pid is None or not (into := run.snap.projects[w.pid]["merged_into_id"]):
        return ()
    keep = run.snap.projects.get(into, {}).get("code", "?")
    why = f"项目已并入 {keep}（projects merge）；请改填项目编号 {keep}"
    return (issue(run.ctx, w.row, "code", why),)


def repeated(run: Run, w: RowWork) -> Sequence[Issue]:
    """One project, one row."""
    here = (w.row.sheet, w.row.row)  # not the row: rows are released as they are planned
    if w.pid is not None:
        first = run.seen.setdefault(w.pid, here)
        what = "是同一项目"
    else:
        first = run.seen_new.setdefault(w.norm, here)
        what = "项目名称相同"
    if first == here:
        return ()
    return (issue(run.ctx, w.row, "name", f"与{row_place(*first)}{what}，一个项目只能填一行"),)


REFUSING: tuple[Callable[[Run, RowWork], Sequence[Issue]], ...] = (
    code_clash,
    identity,
    merged,
    repeated,
)


def new_project_checks(run: Run, w: RowWork, code: str) -> list[Issue]:
    """A new project's code is free and given once; its stage is written."""
    found = []
    if code in run.snap.by_code:
        found.append(issue(run.ctx, w.row, "code", "项目编号已被其他项目使用"))
    here = (w.row.sheet, w.row.row)
    first = run.new_codes.setdefault(code, here)
    if first != here:
        where = row_place(*first)
        why = f"项目编号与{where}的新项目相同；一个编号只能给一个项目"
        found.append(issue(run.ctx, w.row, "code", why))
    if "stage" not in w.values:
        why = "新项目须填写项目阶段（或签约、开工等日期）"
        found.append(issue(run.ctx, w.row, "stage", why))
    return found
