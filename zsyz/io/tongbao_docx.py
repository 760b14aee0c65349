"""The written 通报 as a .docx (python-docx, the optional extra `zsyz[docx]`).

Laid out after GB/T 9704: A4 with margins of 3.7/3.5/2.8/2.6 cm, title in 方正小标宋简体
二号 (22 pt) centred, body in 仿宋 三号 (16 pt) with a two-character first-line indent
and 28-point line spacing, first-level headings in 黑体, page numbers in the footer as
「— 1 —». The attachments (ranking, completion) follow on pages of their own, with the
same figures as the workbook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zsyz.errors import UsageError
from zsyz.io.tongbao import Para, Words, load_template, paragraphs, percent

TITLE_PT, BODY_PT, TABLE_PT = 22, 16, 10.5


def require_docx() -> Any:
    try:
        import docx
    except ImportError as exc:
        raise UsageError(
            "生成 Word 通报需要 python-docx：pip install 'zsyz[docx]'（或 pip install python-docx）"
        ) from exc
    return docx


def write_tongbao(path: Path, data: Any, place: str, template: Path | None = None) -> None:
    """Write the 通报 for `data` (a `app.scoring.BulletinData`) to `path` atomically."""
    docx = require_docx()
    from zsyz.io.files import atomic_write

    words = Words(load_template(template))
    paras = paragraphs(data, place, words)
    fonts = data.policy.bulletin
    doc = docx.Document()
    _page(doc, fonts.body_font)
    for p in paras:
        _para(doc, p, fonts)
    _attachments(doc, data, words, fonts)
    atomic_write(path, lambda tmp: doc.save(str(tmp)))


def _font(run: Any, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)  # Word and WPS pick CJK text's font from here


def _page(doc: Any, body_font: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    footer = section.footer.paragraphs[0]
    footer.alignment = 1  # centre
    _font(footer.add_run("— "), body_font, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    _font(footer.add_run(" —"), body_font, 14)


def _para(doc: Any, p: Para, fonts: Any) -> None:
    from docx.shared import Pt

    for n, line in enumerate(p.text.split("\n")):
        para = doc.add_paragraph()
        fmt = para.paragraph_format
        fmt.line_spacing = Pt(28)
        fmt.space_after = Pt(0)
        if p.kind == "title":
            para.alignment = 1
            fmt.line_spacing = Pt(36)
            _font(para.add_run(line), fonts.title_font, TITLE_PT)
        elif p.kind == "date":
            para.alignment = 1
            _font(para.add_run(line), fonts.body_font, BODY_PT)
            fmt.space_after = Pt(16)
        elif p.kind == "heading":
            fmt.first_line_indent = Pt(BODY_PT * 2)
            _font(para.add_run(line), "黑体", BODY_PT)
        else:
            fmt.first_line_indent = Pt(BODY_PT * 2)
            if p.kind == "attachment":
                fmt.space_before = Pt(16 if n == 0 else 0)
            _font(para.add_run(line), fonts.body_font, BODY_PT)


def _attachments(doc: Any, data: Any, words: Words, fonts: Any) -> None:
    from zsyz.domain.ranking import num
    from zsyz.io.bulletin import group_label

    common = {"period": data.period.label_zh}
    ranking = [
        [
            group_label(data.policy, r.group),
            str(r.rank),
            r.unit.name,
            num(r.score),
            f"{percent(r.completion)}%",
            str(r.previous_rank) if r.previous_rank is not None else "",
        ]
        for r in data.rows
    ]
    _table(
        doc,
        words("attachment_ranking", **common),
        [
            ("组别", 3.4),
            ("名次", 1.5),
            ("单位", 4.2),
            ("得分", 2.2),
            ("综合完成率", 2.6),
            ("上期名次", 1.9),
        ],
        ranking,
        fonts,
        "分",
    )
    completion = [
        [
            str(i),
            r.unit.name,
            f"{percent(r.completion)}%",
            f"{percent(r.progress.completion)}%" if r.progress and r.progress.targets else "",
        ]
        for i, r in enumerate(data.rows, start=1)
    ]
    _table(
        doc,
        words("attachment_completion", **common),
        [("序号", 1.5), ("单位", 5.5), ("综合完成率", 4.4), ("最低单项完成率", 4.4)],
        completion,
        fonts,
        "%",
    )


def _table(
    doc: Any,
    title: str,
    head: list[tuple[str, float]],
    rows: list[list[str]],
    fonts: Any,
    unit: str,
) -> None:
    """A captioned attachment table; `head` is (heading, width in cm) per column."""
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    caption = doc.add_paragraph()
    caption.alignment = 1
    _font(caption.add_run(title), "黑体", BODY_PT)
    line = doc.add_paragraph()
    line.alignment = 2  # right
    _font(line.add_run(f"单位：{unit}"), fonts.body_font, TABLE_PT)
    table = doc.add_table(rows=1 + len(rows), cols=len(head))
    table.style = "Table Grid"
    table.autofit = False
    for j, (_, width) in enumerate(head):
        table.columns[j].width = Cm(width)  # the grid LibreOffice reads
        for cell in table.columns[j].cells:  # and each cell, which Word reads
            cell.width = Cm(width)
    for j, (text, _) in enumerate(head):
        cell = table.rows[0].cells[j]
        _font(cell.paragraphs[0].add_run(text), "黑体", TABLE_PT)
        cell.paragraphs[0].alignment = 1
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the heading row repeats on every page
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row):
            para = table.rows[i].cells[j].paragraphs[0]
            para.paragraph_format.space_after = Pt(0)
            para.alignment = 0 if j < len(row) and head[j][0] in ("组别", "单位") else 1
            _font(para.add_run(text), fonts.body_font, TABLE_PT)
