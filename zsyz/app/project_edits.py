"""Use cases correcting projects by hand: edit fields, terminate. Each is a manual batch
whose changes are project_update rows (field by field, effective on the given day), so
`projects show` lists them and `imports undo` reverts them like an import's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from zsyz.domain.credit_code import credit_code_problem, normalize_credit_code
from zsyz.domain.stages import LIFE_CYCLE, Stage, stage_from_text
from zsyz.errors import BadInputError, LedgerStateError, NotFoundError, UsageError
from zsyz.store import manual
from zsyz.store.engine import Ledger
from zsyz.store.history import PROJECT, ROLES, same, set_roles
from zsyz.store.tables import ImportBatch, Unit
from zsyz.store.units import UnitIndex


@dataclass(frozen=True)
class ProjectEdit:
    stage: str | None = None
    stage_on: date | None = None  # the day the new stage was reached
    signed_on: date | None = None
    started_on: date | None = None
    compiled_on: date | None = None
    fai: Decimal | None = None
    credit_code: str | None = None
    sourcing: Sequence[str] | None = None  # unit names; () clears
    landing: Sequence[str] | None = None
    reason: str | None = None


def parse_stage(text: str) -> Stage:
    stage = stage_from_text(text)
    if stage is None:
        try:
            return Stage(text.strip())
        except ValueError:
            pass
        words = "、".join(s.label for s in Stage)
        raise UsageError(f"无法识别的项目阶段「{text}」；可用：{words}")
    return stage


def checked_credit_code(text: str) -> str | None:
    if not text.strip():
        return None
    code = normalize_credit_code(text)
    problem = credit_code_problem(code)
    if problem:
        raise UsageError(f"「{text}」：{problem}")
    return code


def _project(session: Session, code: str) -> dict[str, Any]:
    row = session.execute(select(PROJECT).where(PROJECT.c.code == code.strip())).first()
    if row is None:
        raise NotFoundError(f"没有编号为「{code}」的项目；请用 zsyz projects list 查看")
    return dict(row._mapping)


def _roles(session: Session, project_id: int) -> dict[str, frozenset[str]]:
    codes: dict[int, str] = dict(session.execute(select(Unit.id, Unit.code)).all())  # type: ignore[call-overload]
    out: dict[str, set[str]] = {}
    for uid, role in session.execute(
        select(ROLES.c.unit_id, ROLES.c.role).where(ROLES.c.project_id == project_id)
    ):
        out.setdefault(role, set()).add(codes[uid])
    return {k: frozenset(v) for k, v in out.items()}


def _wanted(p: dict[str, Any], edit: ProjectEdit) -> dict[str, Any]:
    """The project's fields after the edit (only those the edit touches)."""
    new: dict[str, Any] = {}
    for field in ("signed_on", "started_on", "compiled_on", "fai"):
        value = getattr(edit, field)
        if value is not None:
            new[field] = value
    if edit.credit_code is not None:
        new["credit_code"] = checked_credit_code(edit.credit_code)
    if edit.stage_on is not None and edit.stage is None:
        raise UsageError("--on 是达到新阶段的日期，须与 --stage 一起使用")
    if edit.stage is not None:
        stage = parse_stage(edit.stage)
        if stage is Stage.DROPPED:
            raise UsageError("终止项目请用 zsyz projects terminate 编号 --on 日期 --reason 原因")
        new["stage"] = stage.value
        if edit.stage_on is not None:
            new[stage.date_field] = edit.stage_on
        for later in LIFE_CYCLE[stage.order + 1 :]:  # not reached after all: no date
            new[later.date_field] = None
        new["dropped_on"] = None
        reached = new.get(stage.date_field, p[stage.date_field])
        if reached is None and stage.order >= Stage.SIGNED.order:
            raise UsageError(f"改为「{stage.label}」需要写明{stage.label}日期：加 --on 日期")
    return new


def edit_project(
    ledger: Ledger, code: str, edit: ProjectEdit, effective: date
) -> tuple[str, list[tuple[str, Any, Any]], int]:
    """Apply an edit as one manual batch effective on `effective`.
    Returns (project code, [(field, old, new)], batch id)."""

    def work(session: Session) -> tuple[str, list[tuple[str, Any, Any]], int]:
        p = _project(session, code)
        if p["merged_into_id"] is not None:
            raise LedgerStateError(f"项目 {p['code']} 已并入其他项目；请更正保留的那个项目")
        new = _wanted(p, edit)
        changes = [(k, p[k], v) for k, v in new.items() if not same(p[k], v)]
        roles = _roles(session, p["id"])
        touched = edit.sourcing is not None or edit.landing is not None
        index = UnitIndex.load(session) if touched else None
        role_changes = []
        for role, names in (("sourcing", edit.sourcing), ("landing", edit.landing)):
            if names is None or index is None:
                continue
            codes = frozenset(index.resolve(n).code for n in names if n.strip())
            if codes != roles.get(role, frozenset()):
                role_changes.append((role, roles.get(role, frozenset()), codes))
        after = {**roles, **{r: n for r, _, n in role_changes}}
        if role_changes and not (after.get("sourcing") or after.get("landing")):
            raise BadInputError("项目至少要有一个招引单位或落地单位（考核计分依据）")
        if not changes and not role_changes:
            raise UsageError(f"没有要修改的内容：项目 {p['code']} 已是所给的值")
        batch = manual.start(session, f"修改项目 {p['code']}", edit.reason, effective)
        _apply(session, batch, p, changes, role_changes, index)
        shown = [*changes, *((f"roles:{r}", o, n) for r, o, n in role_changes)]
        manual.finish(session, batch, len(shown))
        return p["code"], shown, batch.id or 0

    return ledger.run_write(work)


def _apply(
    session: Session,
    batch: ImportBatch,
    p: dict[str, Any],
    changes: list[tuple[str, Any, Any]],
    role_changes: list[tuple[str, frozenset[str], frozenset[str]]],
    index: UnitIndex | None,
) -> None:
    pid = p["id"]
    for field, old, value in changes:
        manual.project_change(session, batch, pid, field, old, value)
    if changes:
        values = {k: v for k, _, v in changes}
        session.execute(update(PROJECT).where(PROJECT.c.id == pid).values(**values))
    if role_changes and index is not None:
        ids = {c: u.id for c, u in index.by_code.items()}
        for role, old, codes in role_changes:
            manual.project_change(session, batch, pid, f"roles:{role}", old, codes)
            set_roles(session, pid, role, codes, ids)
    session.flush()


def terminate_project(ledger: Ledger, code: str, on: date, reason: str) -> tuple[str, str, int]:
    """Drop a project on `on` (终止): stage and date recorded, effective that day."""
    if not reason.strip():
        raise UsageError("终止项目需要写明原因：--reason 原因")

    def work(session: Session) -> tuple[str, str, int]:
        p = _project(session, code)
        if p["stage"] == Stage.DROPPED.value:
            day = p["dropped_on"].isoformat() if p["dropped_on"] else "此前"
            raise LedgerStateError(f"项目 {p['code']} 已于 {day} 终止")
        reached = [d for d in (p[s.date_field] for s in LIFE_CYCLE) if d is not None]
        if reached and max(reached) > on:
            raise BadInputError(
                f"终止日期 {on.isoformat()} 早于项目已记录的阶段日期 {max(reached).isoformat()}"
            )
        batch = manual.start(session, f"终止项目 {p['code']}", reason, on)
        changes = [("stage", p["stage"], Stage.DROPPED.value), ("dropped_on", None, on)]
        _apply(session, batch, p, changes, [], None)
        manual.finish(session, batch, len(changes))
        return p["code"], p["name"], batch.id or 0

    return ledger.run_write(work)


# Filled on the kept record from the other one only where the kept record has nothing:
# amounts are never added (that would count the project twice again).
_NOT_FILLED = {"code", "name", "stage", "last_reported_on", "progress", "problems", "remarks"}


def merge_projects(
    ledger: Ledger, keep: str, other: str, reason: str, effective: date
) -> tuple[str, str, list[str], int]:
    """Make OTHER a record of KEEP (一炮数响): KEEP takes OTHER's units (credit then
    follows the policy's credit rules) and the facts it lacks; OTHER is dropped, holds
    no unit and points at KEEP, its history kept. One manual batch, undoable.
    Returns (keep code, other code, fields changed on KEEP, batch id)."""
    from zsyz.store.history import ROLE_NAMES, TRACKED

    if not reason.strip():
        raise UsageError("合并项目需要写明原因：--reason 原因")

    def work(session: Session) -> tuple[str, str, list[str], int]:
        k, o = _project(session, keep), _project(session, other)
        if k["id"] == o["id"]:
            raise UsageError("projects merge 需要两个不同的项目编号")
        for p in (k, o):
            if p["merged_into_id"] is not None:
                raise LedgerStateError(f"项目 {p['code']} 已并入其他项目；请先撤销那次合并")
        batch = manual.start(session, f"合并项目 {o['code']} 到 {k['code']}", reason, effective)
        fills = [
            (f, None, o[f])
            for f in TRACKED
            if f not in _NOT_FILLED and k[f] is None and o[f] is not None
        ]
        ks, os_ = Stage(k["stage"]), Stage(o["stage"])
        if ks is not Stage.DROPPED and os_ is not Stage.DROPPED and os_.order > ks.order:
            fills.append(("stage", k["stage"], o["stage"]))
        kr, orr = _roles(session, k["id"]), _roles(session, o["id"])
        union = [
            (r, kr.get(r, frozenset()), kr.get(r, frozenset()) | orr.get(r, frozenset()))
            for r in ROLE_NAMES
        ]
        index = UnitIndex.load(session)
        _apply(session, batch, k, fills, [u for u in union if u[1] != u[2]], index)
        note = f"已并入项目 {k['code']}：{reason.strip()}"
        gone: list[tuple[str, Any, Any]] = [
            ("stage", o["stage"], Stage.DROPPED.value),
            ("remarks", o["remarks"], note),
        ]
        if o["dropped_on"] is None:
            gone.append(("dropped_on", None, effective))
        cleared = [(r, orr[r], frozenset[str]()) for r in ROLE_NAMES if orr.get(r)]
        _apply(session, batch, o, gone, cleared, index)
        manual.entity_change(session, batch, "project", o["id"], "merged_into_id", None, k["id"])
        session.execute(
            update(PROJECT).where(PROJECT.c.id == o["id"]).values(merged_into_id=k["id"])
        )
        changed = [f for f, _, _ in fills] + [f"roles:{r}" for r, a, b in union if a != b]
        manual.finish(session, batch, len(fills) + len(gone) + len(cleared) + 1)
        return k["code"], o["code"], changed, batch.id or 0

    return ledger.run_write(work)
