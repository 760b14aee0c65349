"""The ledger views' renderers (render/batches, render/projects, render/policies): typed
values in, the contract shapes and the operator's Chinese out, without a ledger."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from zsyz.domain.ledger_views import BatchChange, BatchDetail, ListedBatch, ListedProject
from zsyz.domain.policy import PolicyInstalled
from zsyz.domain.stages import Stage
from zsyz.render.batches import batch_json, change_json, detail_heading, detail_json
from zsyz.render.policies import installed_text
from zsyz.render.projects import project_json, project_row


def _batch(**kw: object) -> ListedBatch:
    base: dict[str, object] = dict(
        id=3, file="周报.xlsx", unit="城关镇", all_units=False, period="2022-W10",
        report_date=date(2022, 3, 11), imported_at=datetime(2022, 3, 11, 9, 0),
        status="superseded", rows=4, created=1, updated=2, warnings=("第5行：缺日期",),
        superseded_by=5, sha256="ab", kind="manual", reason=None, operator="li",
    )  # fmt: skip
    return ListedBatch(**{**base, **kw})  # type: ignore[arg-type]


def test_batch_labels_and_summary_sheet():
    row = batch_json(_batch())
    assert (row["status_label"], row["kind_label"], row["unit"]) == (
        "已被更正",
        "手工更正",
        "城关镇",
    )
    assert batch_json(_batch(all_units=True, unit=None))["unit"] == "（汇总表）"
    assert batch_json(_batch(status="odd"))["status_label"] == "odd"  # never dropped


def test_manual_change_has_no_field_label_and_detail_keeps_key_order():
    manual = BatchChange(None, "单位#2", None, "别名", None, None, "城关")
    imported = BatchChange(7, "P1", "项目", "fai", "固投", Decimal("1.5"), Decimal("2"))
    assert list(change_json(manual)) == ["row", "code", "project", "field", "old", "new"]
    assert change_json(imported)["field_label"] == "固投"
    detail = detail_json(BatchDetail(_batch(), (imported, manual)))
    assert list(detail)[-1] == "changes" and len(detail["changes"]) == 2
    head, warn = detail_heading(BatchDetail(_batch(), ()))
    assert head.startswith("批次 #3  周报.xlsx  城关镇  2022-W10  已被更正  行数 4")
    assert warn == "提示：第5行：缺日期"


def test_project_row_words_the_approval_only_in_the_table():
    p = ListedProject(
        "P1", "光伏", Stage.SIGNED, None, Decimal("100"), None, None,
        ("城关镇",), (), "mayor_office", ("亩均投资不足",), None,
    )  # fmt: skip
    assert "approval_label" not in project_json(p)
    assert project_row(p)["approval_label"] == "县长办公会议"
    assert project_json(p)["stage"] == "signed" and project_json(p)["sourcing"] == ["城关镇"]


@pytest.mark.parametrize(
    ("examples", "left", "tail"),
    [
        (0, 0, "单位目标 9 项"),
        (2, 0, "单位目标 9 项（其中示例单位 2 个）"),
        (0, 3, "单位目标 9 项；政策中的示例单位 3 个未载入（需要时加 --with-examples）"),
    ],
)
def test_installed_text(examples, left, tail):
    done = PolicyInstalled("zhenping-2020", "镇平县考核办法", 2021, 4, 9, examples, left)
    text = installed_text(done)
    assert text.startswith("载入政策 zhenping-2020（镇平县考核办法，2021 年起），新增单位 4 个，")
    assert text.endswith(tail)


def test_target_conditions_read_as_words_not_python_values():
    from zsyz.render.targets import filters_text

    text = filters_text(
        {"min_total": "70000", "strict": True, "category": ["制造业", "工业"], "new_only": True}
        | {"max_inclusive": False}
    )
    assert (
        text
        == "总投资下限（万元）=70000；下限不含等于（超过而非达到）；产业类别=制造业/工业；仅新建项目"
    )
