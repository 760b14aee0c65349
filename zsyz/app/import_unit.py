"""Who sent a report and what the policy says about reading it: the reporting unit
(填报单位, --unit, or a unit named in the title or file name), the policy's 美元 rate
(`[currency] usd`) and its target labels (read back by `targets import`)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from zsyz.app.import_plan import Plan, resolve_unit
from zsyz.errors import NotFoundError, Problem
from zsyz.store.engine import Ledger
from zsyz.store.tables import Unit
from zsyz.store.units import UnitIndex

if TYPE_CHECKING:
    from zsyz.app.outcome import ImportRequest
    from zsyz.domain.periods import Period
    from zsyz.io.weekly import WeeklyReport


def policy_usd_rate(ledger: Ledger) -> Decimal | None:
    """元 per 美元 from the active policy's `[currency] usd`, if it sets one."""
    import tomllib

    from zsyz.store.policies import active_policy_row

    with ledger.read() as session:
        row = active_policy_row(session)
        text = row.text if row is not None else ""
    if "currency" not in text:
        return None
    try:
        rate = tomllib.loads(text).get("currency", {}).get("usd")
    except tomllib.TOMLDecodeError:
        return None
    return Decimal(str(rate)) if isinstance(rate, int | float | str) and rate else None


def reporting_unit(
    index: UnitIndex, report: WeeklyReport, request: ImportRequest, plan: Plan
) -> None:
    if request.all_units:
        return
    written = request.unit or report.unit_text
    if not written:
        for hint in report.unit_hints:  # no 填报单位 line: a title or file name may say
            if (named := index.named_in(hint)) is not None:
                plan.unit = named
                plan.warnings.append(f"表中未写填报单位，按「{hint}」认定为{named.name}")
                return
        plan.problems.append(
            Problem(
                "缺少填报单位：请在表头写「填报单位：单位名称」，或用 --unit 指定",
                column="填报单位",
            )
        )
        return
    try:
        plan.unit = resolve_unit(index, written)
    except NotFoundError as exc:
        plan.problems.append(Problem(exc.message, column="填报单位", value=written))
        return
    if request.unit and report.unit_text:
        sheet = index.find(report.unit_text) or _try(index, report.unit_text)
        if sheet is None:
            plan.problems.append(
                Problem(
                    f"表中填报单位「{report.unit_text}」不在单位名册中，无法与 --unit "
                    f"{plan.unit.name} 核对；请改正表头的填报单位，或先用 zsyz units add 登记",
                    column="填报单位",
                    value=report.unit_text,
                )
            )
        elif sheet.code != plan.unit.code:
            plan.problems.append(
                Problem(
                    f"表中填报单位是{sheet.name}，与 --unit {plan.unit.name} 不一致；请核对",
                    column="填报单位",
                    value=report.unit_text,
                )
            )


def _try(index: UnitIndex, name: str) -> Unit | None:
    try:
        return resolve_unit(index, name)
    except NotFoundError:
        return None


def policy_target_labels(ledger: Ledger) -> dict[str, tuple[Any, dict[str, Any]]]:
    """Folded target label → (metric, filters) of every simple target the active policy
    names (alternatives and parts included), so a decomposition table headed with the
    labels `policy show` prints imports back to the same targets."""
    from zsyz.io.columns import heading_key
    from zsyz.policy.load import parse_policy
    from zsyz.store.policies import active_policy_row, filters_dict

    with ledger.read() as session:
        row = active_policy_row(session)
        text = row.text if row is not None else None
    if text is None:
        return {}
    policy = parse_policy(text, "台账中的政策")
    out: dict[str, tuple[Any, dict[str, Any]]] = {}
    rules = [t for c in policy.classes.values() for t in c.targets]
    while rules:
        rule = rules.pop()
        rules += [*rule.any_of, *rule.all_of]
        if rule.metric is not None and rule.label:
            out.setdefault(heading_key(rule.label), (rule.metric, filters_dict(rule.filters)))
    for unit in policy.roster:
        for t in unit.targets:
            if t.label:
                out.setdefault(heading_key(t.label), (t.metric, filters_dict(t.filters)))
    return out


def name_week_note(report: WeeklyReport, period: Period | None) -> str | None:
    """A warning when the file name's 第N周 is not the week the report is counted for
    (a report filed on the due Monday of week N covers week N-1): said, not silently
    contradicted."""
    import re

    from zsyz.domain.periods import PeriodKind

    m = re.search(r"第\s*(\d{1,2})\s*周", report.path.stem)
    if m is None or period is None or period.kind is not PeriodKind.WEEK:
        return None
    if int(m.group(1)) == period.start.isocalendar().week or report.report_date is None:
        return None
    return (
        f"文件名写的是第{m.group(1)}周，按填报日期 {report.report_date.isoformat()} "
        f"计为 {period.label}；如不对请核对填报日期或文件名"
    )
