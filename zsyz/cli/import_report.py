"""What `zsyz import` prints per file (table, JSON contract or CSV). Free of Typer and the
database so the unchanged fast path (`cli/entry.py`) can print the same thing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from zsyz.cli.render import emit, say, visible

if TYPE_CHECKING:
    from zsyz.app.outcome import FileOutcome

RESULT_COLUMNS = [
    ("file", "文件"),
    ("status_label", "结果"),
    ("import_id", "批次"),
    ("unit", "单位"),
    ("period", "期间"),
    ("rows", "行数"),
    ("created", "新增"),
    ("updated", "更新"),
    ("notes", "说明"),
]
STATUS = {"imported": "已导入", "unchanged": "未变化", "rejected": "拒收"}
CHANGE_COLUMNS = [
    ("row", "行"),
    ("code", "项目编号"),
    ("project", "项目名称"),
    ("field_label", "字段"),
    ("old", "原值"),
    ("new", "新值"),
]


def report_outcomes(outcomes: list[FileOutcome], fmt: str, dry_run: bool) -> None:
    if fmt == "json":
        emit([], [], "json", json_data=[o.as_json() for o in outcomes])
        return
    rows = []
    for o in outcomes:
        notes = f"{len(o.errors)} 处错误" if o.errors else ""
        if o.superseded:
            notes = f"更正并取代批次 #{o.superseded}"
        if o.warnings:
            notes = "；".join(x for x in (notes, f"{len(o.warnings)} 条提示") if x)
        label = STATUS[o.status] if not (dry_run and o.status == "imported") else "可导入（试运行）"
        rows.append(
            {**o.as_json(), "file": Path(o.file).name, "status_label": label, "notes": notes}
        )
    emit(rows, RESULT_COLUMNS, fmt, title="周报导入结果")
    if fmt != "table":
        return
    for o in outcomes:
        if dry_run and o.changes:
            emit(o.changes, CHANGE_COLUMNS, "table", title=f"{Path(o.file).name} 将要发生的变化")
        for w in o.warnings:
            say(visible(f"提示 {Path(o.file).name}：{w}"))
        if o.errors:
            say(visible(f"拒收 {o.file}（台账未改动）："))
            for p in o.errors:
                say(visible(f"  {p}"))
