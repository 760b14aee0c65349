"""Benchmark (not a test): a 50,000-row × 20-column weekly report.

    .venv/bin/python bench/bench_import.py [--rows 50000]

Prints, each in a fresh subprocess: python-calamine reading the sheet bare; `zsyz import`
of it into a fresh ledger (wall time and peak RSS); an unchanged re-import. Goals: import
≤ 1.5× the bare read, ≤ 250 MB peak; unchanged re-import ≤ 0.3 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAD = [
    "项目编号", "项目名称", "投资方", "投资方所在地", "产业类别", "产业链", "总投资（万元）",
    "固定资产投资（万元）", "当年完成投资（万元）", "到位资金（万元）", "利用外资（万元）",
    "省外资金（万元）", "用地面积（亩）", "项目阶段", "签约日期", "开工日期", "责任领导",
    "联系人", "本周进展", "存在问题",
]  # fmt: skip


def build(path: Path, rows: int, bad_row: int | None = None) -> None:
    """The weekly report; with `bad_row`, that row's 总投资 is unreadable text."""
    from datetime import date

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("周报")
    ws.append(["石佛寺镇招商引资项目周报"])
    ws.append(["填报单位：石佛寺镇", None, None, "填报日期：", date(2022, 3, 11)])
    ws.append(HEAD)
    stages = ["洽谈", "已签约", "已开工"]
    for i in range(rows):
        stage = stages[i % 3]
        ws.append([
            f"B{i:06d}", f"测试项目{i}", f"投资企业{i}有限公司", "广东深圳", "制造业", "玉雕",
            "一千万" if i == bad_row else 1000 + i, 800 + i, 100 + i % 50, 50 + i % 100, i % 7, i % 11, 20 + i % 30, stage,
            date(2022, 3, 1) if stage != "洽谈" else None,
            date(2022, 3, 5) if stage == "已开工" else None,
            "王志强", "张三 13800000000", "正在推进前期手续办理", "无",
        ])  # fmt: skip
    wb.save(path)


BARE = """
import sys, time, resource
from python_calamine import CalamineWorkbook
t = time.perf_counter()
wb = CalamineWorkbook.from_path(sys.argv[1])
rows = wb.get_sheet_by_name("周报").to_python()
n = len(rows)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, n)
"""

RUN = """
import sys, time, resource
t = time.perf_counter()
from zsyz.cli.app import run
code = run(sys.argv[1:])
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, code)
"""


def timed(code: str, *args: str) -> tuple[float, float, str]:
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(out.stderr[-2000:])
    inner, rss, extra = out.stdout.split()[-3:]
    return float(inner), float(rss), f"{extra} (wall {wall:.2f}s)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    rows = parser.parse_args().rows
    repo = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "big.xlsx"
        t = time.perf_counter()
        build(book, rows)
        print(f"built {rows} rows × {len(HEAD)} columns in {time.perf_counter() - t:.1f}s "
              f"({book.stat().st_size / 1e6:.1f} MB)")  # fmt: skip
        db = str(Path(tmp) / "bench.db")
        zsyz = [sys.executable, "-m", "zsyz"]
        subprocess.run([*zsyz, "init", "--db", db], check=True, capture_output=True)
        subprocess.run(
            [*zsyz, "units", "import", str(repo / "samples" / "单位名册.xlsx"), "--db", db],
            check=True,
            capture_output=True,
        )
        bare, bare_rss, n = timed(BARE, str(book))
        print(f"calamine bare read : {bare:6.2f} s  peak {bare_rss:6.0f} MB  ({n} rows)")
        full, full_rss, code = timed(RUN, "import", str(book), "--db", db, "--format", "json")
        print(f"zsyz import        : {full:6.2f} s  peak {full_rss:6.0f} MB  exit {code}")
        again, again_rss, code = timed(RUN, "import", str(book), "--db", db, "--format", "json")
        print(f"unchanged re-import: {again:6.2f} s  peak {again_rss:6.0f} MB  exit {code}")
        print(f"ratio import / bare read: {full / bare:.2f}  (goal ≤ 1.5)")
        print(f"peak memory: {full_rss:.0f} MB (goal ≤ 250)")
        print(
            f"unchanged re-import: {again:.2f} s (goal ≤ 0.3; in-process, after interpreter start)"
        )


if __name__ == "__main__":
    main()
