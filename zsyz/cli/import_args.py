"""What `zsyz import` is given: files, globs and drop folders (lock and hidden files
skipped with a note), --date, --usd-rate and --stage, read into values or refused with
one Chinese line."""

from __future__ import annotations

import glob
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zsyz.domain.stages import Stage

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".et", ".xlsb", ".ods", ".ett")


def natural_key(path: Path) -> list[tuple[int, int | str]]:
    """Sort key reading digit runs as numbers: 第9周 before 第10周, as weeks happened
    (a report imported after a later one only adds history, so order matters)."""
    return [(0, int(t)) if t.isdigit() else (1, t) for t in re.split(r"(\d+)", str(path))]


def skipped_reason(path: Path) -> str | None:
    """Why a file in a drop folder is not a report: an Office/WPS lock file (~$…), a
    hidden file (.…) or a copy zsyz annotated (….错误标注.xlsx)."""
    if path.name.startswith("~$") or path.name.startswith(".~"):
        return "Excel/WPS 打开文件时生成的临时文件"
    if path.name.startswith("."):
        return "隐藏文件"
    if ".错误标注." in path.name:
        return "zsyz 生成的错误标注文件"
    return None


def expand(patterns: list[str]) -> tuple[list[Path], list[str]]:
    """Files named, globbed (quoted globs from cron) or the spreadsheets of a folder,
    folders and globs in natural order; and a note for each file skipped."""
    from zsyz.errors import UsageError

    files: list[Path] = []
    notes: list[str] = []

    def keep(found: list[Path]) -> None:
        for p in found:
            reason = skipped_reason(p)
            if reason is None:
                files.append(p)
            elif ".错误标注." not in p.name:
                notes.append(f"跳过 {p.name}：{reason}")

    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            keep(
                sorted(
                    (p for p in path.iterdir() if p.suffix.lower() in SPREADSHEETS and p.is_file()),
                    key=natural_key,
                )
            )
        elif any(ch in pattern for ch in "*?[") and not path.exists():
            found = sorted((Path(p) for p in glob.glob(pattern)), key=natural_key)
            keep([p for p in found if p.is_file()])
        elif path.is_file():
            keep([path])
        elif path.exists():  # a pipe, a device, a socket: never opened
            raise UsageError(f"{pattern} 不是普通文件（管道或设备）；请给出 Excel/WPS 表格文件")
        else:
            raise UsageError(f"找不到文件 {pattern}")
    return files, notes


def parse_date_option(text: str | None) -> date | None:
    """--date 2022-03-11, 2022年3月11日 or a week 2022-W10 (its last day)."""
    if not text:
        return None
    from zsyz.domain.periods import PeriodKind, parse_period
    from zsyz.errors import UsageError
    from zsyz.io.values import ValueProblem, parse_date

    try:
        found = parse_date(text)
        if found is not None:
            return found
    except ValueProblem:
        pass
    try:
        return parse_period(text, PeriodKind.WEEK).end
    except ValueError:
        raise UsageError(f"--date 无法识别「{text}」；应写 2022-03-11 或 2022-W10") from None


def usd_rate_option(text: str | None) -> Decimal | None:
    from decimal import InvalidOperation

    from zsyz.errors import UsageError

    if text is None:
        return None
    try:
        rate = Decimal(text.strip())
    except InvalidOperation:
        rate = Decimal(0)
    if not rate.is_finite() or rate <= 0 or rate > 1000:
        raise UsageError(f"--usd-rate 应为 1 美元折合的人民币元数，如 7.1，而不是「{text}」")
    return rate


def stage_option(text: str | None) -> Stage | None:
    from zsyz.domain.stages import Stage, stage_from_text
    from zsyz.errors import UsageError

    if text is None:
        return None
    found = stage_from_text(text)
    if found is None:
        names = "、".join(s.label for s in Stage)
        raise UsageError(f"--stage 无法识别「{text}」；可写：{names}")
    return found
