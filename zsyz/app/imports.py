"""Importing weekly reports: one file, one transaction, all or nothing.

Order of work for a file: hash it (same sha256 as a live batch → "unchanged", before
any parsing); parse it whole; in one BEGIN IMMEDIATE transaction undo the batch it
supersedes (same unit and period), plan every row, refuse the file if any problem was
found (the rollback restores the superseded batch too), else write projects, roles and
history in bulk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col

from zsyz.app.bulk import no_cyclic_gc
from zsyz.app.import_plan import Plan, plan_report
from zsyz.app.import_unit import name_week_note, policy_usd_rate, reporting_unit
from zsyz.app.outcome import FileOutcome, ImportRequest, file_sha256, unchanged_outcome
from zsyz.domain.field_labels import field_label, shown
from zsyz.domain.names import norm_project_name
from zsyz.domain.periods import Period, PeriodKind
from zsyz.domain.plan_values import ImportPlan, New, Refused, Update
from zsyz.domain.policy import Reporting
from zsyz.domain.reporting import ReportFact, covered_period, period_kind
from zsyz.errors import BadInputError, LedgerStateError, Problem
from zsyz.io.weekly import WeeklyReport, parse_weekly
from zsyz.io.workbook import os_reason, refuse_oversized
from zsyz.memo import remembered
from zsyz.store.driver import bulk_insert, converters, db_value, fetch
from zsyz.store.engine import Ledger
from zsyz.store.fastpath import unchanged_in
from zsyz.store.history import (
    PROJECT,
    ROLE_NAMES,
    ROLES,
    TRACKED,
    UPDATES,
    creation_rows,
    dependents,
    revert_batch,
    set_roles,
    to_text,
)
from zsyz.store.intervals import relink
from zsyz.store.policies import active_policy
from zsyz.store.tables import ImportBatch
from zsyz.store.units import UnitIndex

IMPORT_ATTEMPTS = 12


class Rejected(Exception):
    def __init__(self, outcome: FileOutcome, *, annotate: bool = True) -> None:
        super().__init__(outcome.file)
        self.outcome = outcome
        self.annotate = annotate  # the report can be marked up for the sender


def find_unchanged(ledger: Ledger, digest: str) -> FileOutcome | None:
    with ledger.read() as session:
        found = unchanged_in(session, digest)
    return unchanged_outcome("", found) if found is not None else None


def import_file(ledger: Ledger, path: Path, request: ImportRequest) -> FileOutcome:
    """Import one weekly report; never raises for bad data, returns a rejected outcome."""
    with no_cyclic_gc():  # a report is a million small objects, none in a cycle
        return _import_file(ledger, path, request)


def _import_file(ledger: Ledger, path: Path, request: ImportRequest) -> FileOutcome:
    name = str(path)
    try:
        refuse_oversized(path)  # before hashing: an 8 GB file is refused, not read
        digest = file_sha256(path)
    except BadInputError as exc:
        return FileOutcome(name, "rejected", errors=[Problem(exc.message)])
    except OSError as exc:
        return FileOutcome(name, "rejected", errors=[Problem(f"无法读取文件：{os_reason(exc)}")])
    if not request.dry_run:
        same = find_unchanged(ledger, digest)
        if same is not None:
            same.file = name
            return same
    if request.usd_rate is None:
        request.usd_rate = policy_usd_rate(ledger)

    def parse(head_check: Callable[[WeeklyReport], None] | None = None) -> WeeklyReport:
        return parse_weekly(
            path,
            report_date=request.report_date,
            usd_rate=request.usd_rate,
            stage=request.stage,
            head_check=head_check,
        )

    try:
        report = parse(_head_check(ledger, request))
    except BadInputError as exc:
        return FileOutcome(name, "rejected", errors=[Problem(exc.message)])
    except HeadRefused as refused:
        refused.outcome.file = name
        return refused.outcome

    parsed = [report]

    def work(session: Session) -> FileOutcome:
        if parsed[0].taken:  # run again: the first run released the rows as it planned them
            try:
                parsed[0] = parse()
            except BadInputError as exc:
                raise Rejected(
                    FileOutcome(name, "rejected", errors=[Problem(exc.message)]), annotate=False
                ) from exc
        outcome = _import(session, parsed[0], digest, request)
        outcome.file = name
        if request.dry_run:
            session.rollback()
            outcome.import_id = None
        return outcome

    try:  # run again from the start when PostgreSQL aborts it for a concurrent writer;
        # an import reads whole tables, so importers at once conflict often: retry more
        return ledger.run_write(work, attempts=IMPORT_ATTEMPTS)
    except Rejected as rejected:
        rejected.outcome.file = name
        if rejected.annotate:
            rejected.outcome.report = parsed[0]
        return rejected.outcome


def _import(
    session: Session, report: WeeklyReport, digest: str, request: ImportRequest
) -> FileOutcome:
    index = UnitIndex.load(session)
    plan = _head_plan(index, report, request)
    covered = _covered(session, report)
    period = covered.label if covered else None
    if (note := name_week_note(report, covered)) is not None:
        plan.warnings.append(note)
    count = len(report.rows)
    outcome = FileOutcome(
        "",
        "rejected",
        unit=plan.unit.name if plan.unit else None,
        period=period,
        rows=count,
        dry_run=request.dry_run,
    )
    reuse: dict[str, str] = {}
    supersede_note = ""
    old = _previous(session, plan, request, period, report.form) if period else None
    if old is not None:
        later = dependents(session, old)
        if later:
            ids = "、".join(f"#{b.id}" for b in later)
            plan.problems.append(
                Problem(
                    f"本单位本期已导入批次 #{old.id}，且之后的导入 {ids} 依赖它；"
                    f"请先运行 zsyz imports undo {old.id} --cascade，再导入更正的文件"
                )
            )
        else:
            reuse = revert_batch(session, old)
            supersede_note = (
                f"本文件更正并取代同一{'汇总表' if request.all_units else '单位'}同期（{period}）"
                f"先前导入的批次 #{old.id}（{old.file_name}），"
                + ("导入时该批次的改动将撤回" if request.dry_run else "该批次的改动已撤回")
            )
            plan.warnings.append(supersede_note)
    planned = plan_report(
        session,
        report,
        index,
        plan,
        all_units=request.all_units,
        links=request.links,
        new=request.new,
        today=request.today,
        reuse_codes=reuse,
    )
    outcome.columns, outcome.ignored_columns = report.columns, report.ignored
    ignored = _ignored_note(report)
    if request.strict and report.ignored_facts:
        plan.problems.append(
            Problem(
                f"有未导入的列：{'、'.join(report.ignored_facts)}；台账没有对应字段，"
                "请删去这些列或改用台账的表头后重报（严格模式不接受未导入的列）"
            )
        )
    outcome.warnings = list(report.warnings) + ([ignored] if ignored else []) + plan.warnings
    if plan.problems:
        outcome.errors = plan.problems
        if supersede_note and old is not None:  # nothing was withdrawn: the session rolls back
            outcome.warnings = [
                f"批次 #{old.id}（{old.file_name}）仍然有效；本文件改正后重新导入将取代它"
                if w == supersede_note
                else w
                for w in outcome.warnings
            ]
        raise Rejected(outcome)
    assert report.report_date is not None and period is not None
    batch = ImportBatch(
        # a name that is not UTF-8 is kept readable (U+FFFD for the odd bytes)
        file_name=report.path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
        sha256=digest,
        unit_id=plan.unit.id if plan.unit else None,
        all_units=request.all_units,
        form=report.form if request.all_units else None,
        period=period,
        period_named=_named(report, covered),
        report_date=report.report_date,
        rows=count,
        warnings=outcome.warnings,
    )
    session.add(batch)
    session.flush()
    _write(session, planned, batch, index)
    batch.created = sum(1 for d in planned.decisions if isinstance(d, New))
    batch.updated = sum(1 for d in planned.decisions if isinstance(d, Update))
    if old is not None:
        old.status = "superseded"
        old.superseded_by_id = batch.id
        session.add(old)
        outcome.superseded = old.id
    session.add(batch)
    session.flush()
    outcome.status = "imported"
    outcome.import_id = batch.id
    outcome.created, outcome.updated = batch.created, batch.updated
    if not request.dry_run:
        return outcome
    names = {code: u.name for code, u in index.by_code.items()}
    outcome.changes = [
        {
            "row": r.row,
            "code": r.code,
            "project": r.name,
            "field": k,
            "field_label": field_label(k),
            "old": shown(k, to_text(o), names),
            "new": shown(k, to_text(n), names),
        }
        for r in planned.decisions
        if not isinstance(r, Refused)
        for k, (o, n) in r.diff().items()
        if k != "last_reported_on"
    ]
    return outcome


def _head_plan(index: UnitIndex, report: WeeklyReport, request: ImportRequest) -> Plan:
    """Who sent the report and when: the problems of its head (unit and date)."""
    plan = Plan(unit=None, report_date=report.report_date, problems=list(report.problems))
    reporting_unit(index, report, request, plan)
    if report.report_date is None:
        plan.problems.append(
            Problem(
                "缺少填报日期：请在表头写「填报日期：2022年3月11日」或「第10周」，或用 --date 指定",
                column="填报日期",
            )
        )
    elif report.report_date > request.today:
        plan.problems.append(
            Problem(
                "填报日期晚于今天；请核对", column="填报日期", value=report.report_date.isoformat()
            )
        )
    return plan


class HeadRefused(Exception):
    """A report whose head has no usable date or unit: refused before its rows are read."""

    def __init__(self, outcome: FileOutcome) -> None:
        super().__init__(outcome.file)
        self.outcome = outcome


def _head_check(ledger: Ledger, request: ImportRequest) -> Callable[[WeeklyReport], None]:
    def check(head: WeeklyReport) -> None:
        dated = head.report_date is not None and head.report_date <= request.today
        if dated and request.all_units:
            return  # a county summary names no reporting unit: nothing to refuse here
        with ledger.read() as session:
            found = _head_plan(UnitIndex.load(session), head, request)
            if not found.problems:
                return
            covered = _covered(session, head)
            outcome = FileOutcome(
                "",
                "rejected",
                unit=found.unit.name if found.unit else None,
                period=covered.label if covered else None,
                warnings=list(head.warnings) + found.warnings,
                errors=found.problems,
                dry_run=request.dry_run,
                report=head,
            )
        raise HeadRefused(outcome)

    return check


def _ignored_note(report: WeeklyReport) -> str | None:
    if not report.ignored_facts:  # 序号 alone is listed in ignored_columns, not warned about
        return None
    return f"以下列台账没有对应字段，未导入：{'、'.join(report.ignored_facts)}"


def _covered(session: Session, report: WeeklyReport) -> Period | None:
    """The period the report covers, by the policy's reporting calendar."""
    if report.report_date is None:
        return None
    try:
        reporting = active_policy(session)[0].reporting
    except LedgerStateError:  # no policy loaded: the default calendar (weekly, Monday)
        reporting = Reporting()
    if period_kind(reporting) is PeriodKind.MONTH:
        named = report.named_month
    else:
        named = report.period if report.period_named else None
    return covered_period(ReportFact("", report.report_date, named), reporting)


def _named(report: WeeklyReport, covered: Period | None) -> bool:
    """Whether the report named the period it covers itself (第10周, 2022年3月)."""
    named = report.named_month if covered and covered.kind is PeriodKind.MONTH else None
    if named is None and report.period_named:
        named = report.period
    return covered is not None and covered == named


def _previous(
    session: Session, plan: Plan, request: ImportRequest, period: str, form: str
) -> ImportBatch | None:
    """The batch a file resends: the same unit and period, or for a county summary the
    same period and form (a 签约 export and a 在谈 export of one day are two reports)."""
    query = select(ImportBatch).where(
        col(ImportBatch.period) == period,
        col(ImportBatch.status) == "imported",
        col(ImportBatch.all_units) == request.all_units,
    )
    if request.all_units:
        query = query.where(col(ImportBatch.form) == form)
    else:
        if plan.unit is None:
            return None
        query = query.where(col(ImportBatch.unit_id) == plan.unit.id)
    found = session.execute(query.order_by(col(ImportBatch.id).desc())).scalars().first()
    return found


def _write(session: Session, planned: ImportPlan, batch: ImportBatch, index: UnitIndex) -> None:
    """Projects, roles and history in bulk: a few statements whatever the row count."""
    now = datetime.now(UTC).replace(microsecond=0)
    unit_ids = {code: u.id for code, u in index.by_code.items()}
    decisions = planned.decisions
    fresh = [d for d in decisions if isinstance(d, New)]
    ids = _insert_projects(session, fresh, batch, now, unit_ids) if fresh else {}
    # rows changing a project already in the ledger (an unchanged one's last report too)
    changing = [d for d in decisions if not isinstance(d, New | Refused) and d.changes]
    for d in changing:
        values = {k: n for k, (_, n) in d.changes.items() if not k.startswith("roles:")}
        if values:
            if d.substantive:
                values["updated_at"] = now
            session.execute(update(PROJECT).where(PROJECT.c.id == d.project_id).values(**values))
        for k, (_, codes) in d.changes.items():
            if k.startswith("roles:"):
                set_roles(session, d.project_id, k[6:], codes or (), unit_ids)

    # Every history value is text except these constants: convert them once, not per row.
    effective = db_value(session, UPDATES, "effective_on", batch.report_date)
    created = db_value(session, UPDATES, "created_at", now)

    def history() -> Iterator[tuple[Any, ...]]:
        texts = remembered(to_text)
        for d in decisions:
            row = d.row
            if isinstance(d, New):  # amounts, then one snapshot row (history.CREATED)
                pid = ids[d.code]
                for k, o, n in creation_rows(d.values, texts):
                    yield (pid, row, k, o, n)
            elif not isinstance(d, Refused):
                pid = d.project_id
                for k, (o, n) in d.changes.items():
                    yield (pid, row, k, to_text(o), to_text(n))

    columns = ("project_id", "row", "field", "old_value", "new_value")
    fixed = {"batch_id": batch.id, "effective_on": effective, "created_at": created}
    bulk_insert(session, UPDATES, columns, history(), ready=True, constants=fixed)
    # created projects have one row per field (valid_to NULL): only changed ones relink
    relink(session, [d.project_id for d in changing])


def _insert_projects(
    session: Session,
    fresh: list[New],
    batch: ImportBatch,
    now: datetime,
    unit_ids: dict[str, int | None],
) -> dict[str, int]:
    """The new projects and their roles; code → id of each."""
    used = _set_columns(fresh)
    columns = (*used, "norm_name", "created_batch_id", "created_at", "updated_at")
    convert = converters(session, PROJECT, used)
    tail = [
        db_value(session, PROJECT, c, v)
        for c, v in zip(columns[-3:], (batch.id, now, now), strict=True)
    ]
    active = [(j, c) for j, c in enumerate(convert) if c]  # the columns to convert

    def project_rows() -> Iterator[list[Any]]:
        for d in fresh:
            values = d.values
            row = [values.get(k) for k in used]
            for j, conv in active:
                if (v := row[j]) is not None:
                    row[j] = conv(v)
            row.append(d.norm or norm_project_name(d.name))
            row += tail
            yield row

    bulk_insert(session, PROJECT, columns, project_rows(), ready=True)
    ids: dict[str, int] = dict(
        fetch(
            session,
            f"SELECT code, id FROM {PROJECT.name} WHERE created_batch_id = {{}}",
            (batch.id,),
        )
    )
    # The order the plan put them in (roles sorted by name): project_role ids follow it.
    role_keys = [(f"roles:{role}", role) for role in sorted(ROLE_NAMES)]
    roles = [
        (ids[d.code], unit_ids[c], role)
        for d in fresh
        for key, role in role_keys
        if key in d.values
        for c in sorted(d.values[key])
    ]
    if roles:
        bulk_insert(session, ROLES, ("project_id", "unit_id", "role"), roles)
    return ids


def _set_columns(fresh: list[New]) -> tuple[str, ...]:
    """The project columns any new project sets, in TRACKED order: the others are left out
    of the INSERT (NULL, as no column of `project` has a server default), which binds
    half the parameters of a typical report's rows."""
    present: set[str] = set()
    for d in fresh:
        present.update(d.values)
    return tuple(k for k in TRACKED if k in present)
