"""The sample roster and target table (fictional units and figures), built from code so
`zsyz demo` works after a plain `pip install`; `python samples/build_samples.py`
regenerates the repository's copies.

The samples imitate what a county 招商服务中心 receives: a roster with the names offices
really use, and a target decomposition table in the shape of 004's 附件1.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

ROSTER = [
    # 单位名称, 单位类别, 分组, 上级单位, 别名
    ("石佛寺镇", "乡镇", "乡镇", "", "石佛寺"),
    ("晁陂镇", "乡镇", "乡镇", "", "晁陂"),
    ("贾宋镇", "乡镇", "乡镇", "", ""),
    ("侯集镇", "乡镇", "乡镇", "", ""),
    ("雪枫街道", "街道", "乡镇", "", "雪枫街道办事处"),
    ("涅阳街道", "街道", "乡镇", "", "涅阳街道办"),
    ("商务局", "dept_a", "部门", "", "镇平县商务局、县商务局"),
    ("发改委", "dept_a", "部门", "", "县发改委、发展和改革委员会"),
    ("招商服务中心", "dept_a", "部门", "", "县招商服务中心、招商中心"),
    ("财政局", "dept_b", "部门", "", "县财政局"),
    ("教体局", "dept_b", "部门", "", "教育体育局"),
    ("统计局", "dept_c", "部门", "", "县统计局"),
    ("县工商联", "chamber", "工商联", "", "工商联"),
    ("王志强", "leader", "县领导", "", "王志强副县长"),
    ("陈立新", "leader", "县领导", "", ""),
]

TARGETS = [
    # 单位, 签约项目（个）, 落地开工项目（个）, 到位资金（万元）, 省外资金（万元）
    ("石佛寺镇", 2, 1, 30000, 20000),
    ("晁陂镇", 2, 1, 20000, 12000),
    ("贾宋镇", 1, 1, 15000, 8000),
    ("侯集镇", 1, 1, 15000, 8000),
    ("雪枫街道", 2, 1, 25000, 15000),
    ("涅阳街道", 1, 1, 12000, 6000),
]


PRESET = "zhenping-2020"  # the built-in policy the demo loads


def roster(folder: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "单位名册"
    ws.append(["镇平县招商引资目标责任单位名册"])
    ws.merge_cells("A1:E1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["单位名称", "单位类别", "分组", "上级单位", "别名"])
    for row in ROSTER:
        ws.append(list(row))
    for col, width in zip("ABCDE", (16, 10, 10, 12, 30), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(folder / "单位名册.xlsx")


def targets(folder: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "附件1"
    ws.append(["附件1"])
    ws.append(["2022年度招商引资工作目标任务分解表"])
    ws.merge_cells("A2:F2")
    ws["A2"].font = Font(bold=True, size=14)
    ws.append(
        [
            "序号",
            "责任单位",
            "签约项目（个）",
            "落地开工项目（个）",
            "到位资金（万元）",
            "省外资金（万元）",
        ]
    )
    for i, row in enumerate(TARGETS, start=1):
        ws.append([i, *row])
    ws.append(["", "合计", "=SUM(C4:C9)", "=SUM(D4:D9)", "=SUM(E4:E9)", "=SUM(F4:F9)"])
    wb.save(folder / "目标任务分解表.xlsx")


def build(folder: Path) -> Path:
    """Every sample into `folder`: roster, targets, preset name, weekly/ reports."""
    from zsyz.io.sample_weekly import write_weekly

    folder.mkdir(parents=True, exist_ok=True)
    roster(folder)
    targets(folder)
    (folder / "preset.txt").write_text(PRESET + "\n", encoding="utf-8")
    write_weekly(folder / "weekly")
    return folder
