"""The import batches' shapes: the JSON contract and table rows of `zsyz imports list`
and `zsyz imports show`."""

from __future__ import annotations

from typing import Any

from zsyz.domain.ledger_views import (
    KIND_LABELS,
    STATUS_LABELS,
    BatchChange,
    BatchDetail,
    ListedBatch,
)

BATCH_COLUMNS = [
    ("id", "批次"),
    ("file", "文件"),
    ("unit", "单位"),
    ("period", "期间"),
    ("report_date", "填报日期"),
    ("status_label", "状态"),
    ("rows", "行数"),
    ("created", "新增"),
    ("updated", "更新"),
    ("imported_at", "导入时间"),
    ("operator", "操作人"),
    ("reason", "原因"),
]


def batch_json(b: ListedBatch) -> dict[str, Any]:
    """One batch as the JSON contract (and the table) carries it."""
    return {
        "id": b.id,
        "file": b.file,
        "unit": "（汇总表）" if b.all_units else b.unit,
        "period": b.period,
        "report_date": b.report_date,
        "imported_at": b.imported_at,
        "status": b.status,
        "status_label": STATUS_LABELS.get(b.status, b.status),
        "rows": b.rows,
        "created": b.created,
        "updated": b.updated,
        "warnings": list(b.warnings),
        "superseded_by": b.superseded_by,
        "sha256": b.sha256,
        "kind": b.kind,
        "kind_label": KIND_LABELS.get(b.kind, b.kind),
        "reason": b.reason,
        "operator": b.operator,
    }


def change_json(c: BatchChange) -> dict[str, Any]:
    """One change of a batch; a manual change has its label in `field` already."""
    out: dict[str, Any] = {"row": c.row, "code": c.code, "project": c.project, "field": c.field}
    if c.field_label is not None:
        out["field_label"] = c.field_label
    return {**out, "old": c.old, "new": c.new}


def change_row(c: BatchChange) -> dict[str, Any]:
    """One change as the table and CSV list it (字段 column): a manual change's label is
    its `field` itself."""
    return {**change_json(c), "field_label": c.field_label or c.field}


def detail_json(d: BatchDetail) -> dict[str, Any]:
    """`imports show --format json`: the batch with its changes."""
    return {**batch_json(d.batch), "changes": [change_json(c) for c in d.changes]}


def detail_heading(d: BatchDetail) -> list[str]:
    """The lines `imports show` prints above its table: the batch, then its warnings."""
    b = batch_json(d.batch)
    head = (
        f"批次 #{b['id']}  {b['file']}  {b['unit'] or ''}  {b['period']}"
        f"  {b['status_label']}  行数 {b['rows']}  新增 {b['created']}  更新 {b['updated']}"
    )
    return [head, *(f"提示：{w}" for w in d.batch.warnings)]
