"""The weekly form a unit fills in: its live projects pre-filled, codes included.

Importing the form unchanged changes nothing: every pre-filled value reads back as the
ledger holds it (amounts as numbers in 万元, stages by their Chinese label, dates as
date cells, codes as text so leading zeros survive).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from zsyz.domain.stages import LIFE_CYCLE, Stage
from zsyz.io.files import atomic_write
from zsyz.io.weekly_fields import HEADINGS, KINDS

TEMPLATE_FIELDS: tuple[str, ...] = (
    "code",
    "name",
    "investor",
    "credit_code",
    "investor_origin",
    "category",
    "chain",
    "total_investment",
    "fai",
    "planned_investment_year",
    "completed_investment_year",
    "funds_in_place",
    "foreign_funds",
    "out_of_province_funds",
    "land_area",
    "stage",
    "signed_on",
    "started_on",
    "producing_on",
    "roles:sourcing",
    "roles:landing",
    "leader_name",
    "contact",
    "progress",
    "problems",
    "remarks",
)

INSTRUCTIONS = (
    "填表说明",
    "1. 报送时间：{due}。一个项目一行，项目编号由系统生成，请勿修改。",
    "2. 新项目在表末另起一行，项目编号留空，导入后系统自动编号。",
    "3. 金额单位为万元（也可在单元格写「1.2亿」）；用地面积单位为亩。",
    "4. 项目阶段写：谋划、线索、洽谈、研判通过、审批、签约、开工、投产、达效、终止。",
    "5. 日期写 2022-03-05 或 2022年3月5日；到位资金、利用外资、省外资金填截至本周的累计数。",
    "6. 空白单元格表示本周无变化，不会清除台账中的原值。",
)


def _heading(key: str) -> str:
    text = HEADINGS[key]
    if KINDS[key] == "amount":
        return f"{text}（万元）"
    if KINDS[key] == "area":
        return f"{text}（亩）"
    return text


def _cell_value(key: str, project: dict[str, Any]) -> Any:
    value = project.get(key)
    if value is None or value == "":
        return None
    if key == "stage":
        return Stage(value).label
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def write_template(
    path: Path,
    unit_name: str,
    projects: list[dict[str, Any]],
    report_date: date | None,
    due: str,
) -> None:
    """`due`: the policy's due rule in words (`domain.reporting.due_rule`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from zsyz.io.cells import append

    wb = Workbook()
    notes = wb.active
    notes.title = "填表说明"
    for line in INSTRUCTIONS:
        notes.append([line.format(due=due)])
    notes.column_dimensions["A"].width = 90
    ws = wb.create_sheet("项目周报")
    # Extra attributes the projects carry (研判结果, 填报人 …), after the ledger's fields.
    extras = list(dict.fromkeys(k for p in projects for k in (p.get("extra") or {})))
    width = len(TEMPLATE_FIELDS) + len(extras)
    last = get_column_letter(width)
    append(ws, [f"{unit_name}招商引资项目周报"])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    append(ws, ["填报单位：", unit_name, None, "填报日期：", report_date])
    if report_date is not None:
        ws["E2"].number_format = "yyyy-mm-dd"
    append(ws, [_heading(k) for k in TEMPLATE_FIELDS] + extras)
    _style_heading(ws[3])
    for project in projects:
        extra = project.get("extra") or {}
        append(
            ws, [_cell_value(k, project) for k in TEMPLATE_FIELDS] + [extra.get(k) for k in extras]
        )
    first_data, last_data = 4, 3 + max(len(projects), 1) + 50  # room for new projects
    _format_columns(ws, first_data, last_data)
    ws.freeze_panes = "C4"
    wb.active = 1
    atomic_write(path, lambda tmp: wb.save(tmp))


def _style_heading(cells: Any) -> None:
    """The heading row: bold on a light fill, wrapped, centred, boxed."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in cells:
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)


def _format_columns(ws: Any, first_data: int, last_data: int) -> None:
    """Column widths, text/date formats on the data rows, and the stage drop-down."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for i, key in enumerate(TEMPLATE_FIELDS, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = 28 if key in ("name", "progress", "problems") else 14
        fmt = {"code": "@", "date": "yyyy-mm-dd"}.get(key if key == "code" else KINDS[key])
        if fmt:
            for r in range(first_data, last_data + 1):
                ws[f"{letter}{r}"].number_format = fmt
    stage_col = get_column_letter(TEMPLATE_FIELDS.index("stage") + 1)
    stages = ",".join(s.label for s in (*LIFE_CYCLE, Stage.DROPPED))
    dv = DataValidation(type="list", formula1=f'"{stages}"', allow_blank=True)
    dv.error = "请选择项目阶段"
    ws.add_data_validation(dv)
    dv.add(f"{stage_col}{first_data}:{stage_col}{last_data}")
