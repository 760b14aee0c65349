"""The report date when the sheet writes none: a title's date or range, a title's month
(its last day), a date or week in the file's name in any form, else the file's
modification time, saying which was used. A missing date alone never refuses a file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from zsyz.io.weekly_head import Preamble, name_date, read_preamble, title_month


def fallback_date(pre: Preamble, path: Path) -> str | None:
    """No 填报日期 or 第N周 on the sheet: a date from the title (a range's last day, a
    month's last day), else the file's name, else its modification time; says which."""
    if pre.date_raw not in (None, "") or pre.week is not None:
        return None
    if pre.free_date is not None:
        return "标题中的日期"
    if (month := title_month(pre.texts)) is not None:
        pre.free_date = min(month, date.today())
        return "标题中的月份（该月最后一天）"
    named = read_preamble([[path.stem]])  # "石佛寺镇2022年第10周.xlsx", "2022-W10"
    if named.week is not None:
        pre.week, pre.year = named.week, pre.year or named.year
        return f"文件名「{path.name}」中的周次"
    pre.free_date = named.free_date or name_date(path.stem)
    if pre.free_date is not None:
        return f"文件名「{path.name}」中的日期"
    try:
        pre.free_date = date.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return None
    return "文件修改时间"
