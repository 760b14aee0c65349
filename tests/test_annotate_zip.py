"""The annotated copy made by patching the .xlsx zip: every original cell keeps its value
and look, exactly the bad cells turn red with their comment, 错误清单 comes first; books
the patcher does not understand go through openpyxl instead."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.workbook.defined_name import DefinedName

from tests.conftest import SAMPLES
from tests.test_import_cli import report
from zsyz.io.annotate_zip import patch
from zsyz.io.cells import clean_text
from zsyz.io.xlsx_patch import Unpatchable, col_letter, worksheets

GAP = 5  # row 5 of 周报 is left out of the file: a bad cell there adds the row


def book(path: Path) -> Path:
    wb = Workbook()
    cover = wb.active
    cover.title = "封面"
    cover["A1"] = "封面"
    ws = wb.create_sheet("周报")
    for r in range(1, 9):
        for c in range(1, 5):
            if r != GAP:
                ws.cell(r, c, r * 10 + c)
    ws["B2"].font = Font(italic=True)
    ws["B2"].number_format = "0.00"
    ws["C3"] = "=cmd|' /c calc'!A1 as text"
    ws["C3"].data_type = "s"
    wb.defined_names["打印区域"] = DefinedName(
        "打印区域", localSheetId=1, attr_text="周报!$A$1:$D$8"
    )
    wb.active = 1
    wb.save(path)
    return path


def annotate(src: Path, out: Path, notes: dict[tuple[int, int], list[str]]) -> None:
    with zipfile.ZipFile(src) as zf:
        sheets = worksheets(zf)
    sheets[1].notes = notes
    rows = [([i, f"{col_letter(c)}{r}", r, "列", "=1+1", "问题"], f"'周报'!{col_letter(c)}{r}")
            for i, (r, c) in enumerate(sorted(notes), 1)]  # fmt: skip
    patch(src, out, sheets, "本文件未导入：共 1 处问题。", rows)


def values(ws) -> dict[str, object]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


cells = st.tuples(st.integers(1, 10), st.integers(1, 12))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(cells, st.lists(st.text(st.characters(blacklist_categories=['Cs']), min_size=1, max_size=8), min_size=1, max_size=2), min_size=1, max_size=6))  # fmt: skip
def test_patched_copy_keeps_every_cell_and_marks_exactly_the_bad_ones(tmp_path, notes):
    src, out = book(tmp_path / "src.xlsx"), tmp_path / "out.xlsx"
    annotate(src, out, notes)
    before, after = load_workbook(src), load_workbook(out)
    assert after.sheetnames == ["错误清单", "封面", "周报"]
    assert values(after["周报"]) == values(before["周报"])
    assert values(after["封面"]) == values(before["封面"])
    ws = after["周报"]
    marked = {
        (c.row, c.column): c.comment.text
        for row in ws.iter_rows(max_row=12, max_col=12)
        for c in row
        if c.comment is not None
    }
    assert marked == {k: clean_text("\n".join(f"• {m}" for m in v)) for k, v in notes.items()}
    for row, col in notes:
        cell = ws.cell(row, col)
        assert cell.fill.fgColor.rgb.endswith("FFC7CE") and cell.font.b
    plain = next((r, c) for r in range(1, 9) for c in range(1, 5) if (r, c) not in notes)
    assert not ws.cell(*plain).fill.fgColor.rgb.endswith("FFC7CE")
    if (2, 2) in notes:  # its own look kept under the red
        assert ws["B2"].font.i and ws["B2"].number_format == "0.00"


def test_summary_first_selected_and_linked(tmp_path):
    src, out = book(tmp_path / "src.xlsx"), tmp_path / "out.xlsx"
    annotate(src, out, {(3, 2): ["应为金额"]})
    wb = load_workbook(out)
    summary = wb["错误清单"]
    assert wb.active.title == "错误清单" and summary.sheet_view.tabSelected
    assert not wb["周报"].sheet_view.tabSelected
    assert summary.freeze_panes == "A3" and "A1:F1" in summary.merged_cells
    assert summary["B3"].hyperlink.location == "'周报'!B3"
    assert summary["E3"].value == "=1+1" and summary["E3"].data_type == "s"
    assert summary["E3"].quotePrefix  # stays text when edited
    assert summary["F3"].alignment.wrap_text
    assert wb["周报"].defined_names["打印区域"].attr_text == "周报!$A$1:$D$8"
    assert wb["周报"]["C3"].value.startswith("=cmd") and wb["周报"]["C3"].data_type == "s"


def test_a_sheet_with_comments_is_left_to_openpyxl(tmp_path):
    src = book(tmp_path / "src.xlsx")
    wb = load_workbook(src)
    wb["周报"]["A1"].comment = Comment("原有批注", "单位")
    wb.save(src)
    with pytest.raises(Unpatchable):
        annotate(src, tmp_path / "out.xlsx", {(2, 2): ["坏"]})


def test_cli_copy_of_a_commented_book_still_made(ledger_db, cli, tmp_path):
    assert cli("units", "import", str(SAMPLES / "单位名册.xlsx")).code == 0
    path = report(tmp_path, [[None, "甲", None, "很多", None, None, "洽谈", None, None]])
    wb = load_workbook(path)
    wb.worksheets[0]["A1"].comment = Comment("原有批注", "单位")
    wb.save(path)
    assert cli("import", str(path)).code == 65
    marked = load_workbook(path.with_name(f"{path.stem}.错误标注.xlsx"))
    assert marked.sheetnames[0] == "错误清单"
    assert "应为金额" in marked.worksheets[1]["D4"].comment.text
    assert marked.worksheets[1]["A1"].comment.text == "原有批注"
