"""zsyz demo: a throw-away ledger built from the samples, walked through the real commands.

The samples are the repository's samples/ or, after a plain `pip install`, the same
workbooks built from code in the package (zsyz/io/sample_*.py) into a temporary folder.

Each step is the command line an operator would type, run in-process, so the demo is
also a smoke test of the CLI. Steps grow with each capability.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from zsyz.errors import LedgerStateError, ZsyzError


def find_samples(given: Path | None, scratch: Path) -> Path:
    """--samples, else the repository's samples/, else (a plain `pip install`, any
    folder) the same samples built from the package's code into `scratch`."""
    if given is not None:
        if (given / "单位名册.xlsx").exists():
            return given
        raise ZsyzError(f"{given} 中没有样例（单位名册.xlsx）；去掉 --samples 即用内置样例")
    for c in (Path("samples"), Path(__file__).resolve().parents[2] / "samples"):
        if (c / "单位名册.xlsx").exists() and (c / "weekly").is_dir():
            return c
    from zsyz.io.sample_roster import build

    return build(scratch / "samples")


def steps(samples: Path, db: str) -> list[tuple[str, list[str]]]:
    """(what it shows, argv) for each step of the demo."""
    s = str(samples)
    weekly = (
        sorted(
            p
            for p in (samples / "weekly").glob("*")
            if p.suffix in (".xlsx", ".xls", ".xlsb", ".ods")
        )
        if (samples / "weekly").is_dir()
        else []
    )
    out: list[tuple[str, list[str]]] = [
        ("新建台账并载入政策", ["init", "--db", db, *_preset_args(samples)]),
        ("导入单位名册（含别名）", ["units", "import", f"{s}/单位名册.xlsx", "--db", db]),
        ("导入目标任务分解表", ["targets", "import", f"{s}/目标任务分解表.xlsx", "--db", db]),
        ("责任单位", ["units", "list", "--db", db]),
        ("显式目标", ["targets", "list", "--db", db]),
    ]
    if weekly:
        out.append(("导入各单位周报", ["import", *map(str, weekly), "--db", db]))
    for title, argv in _later_steps(db):
        out.append((title, argv))
    return out


def _preset_args(samples: Path) -> list[str]:
    preset = samples / "preset.txt"
    if not preset.exists():
        return []
    return ["--preset", preset.read_text(encoding="utf-8").strip(), "--with-examples"]


def _later_steps(db: str) -> list[tuple[str, list[str]]]:
    """Steps for commands that exist in this build (progress, rank, rewards, alerts)."""
    from zsyz.cli.app import build

    have = {c.name for c in build().registered_commands}
    wanted = [
        (
            "progress",
            "目标完成情况",
            ["progress", "--db", db, "--year", "2022", "--as-of", "2022-12-31"],
        ),
        ("rank", "季度排名", ["rank", "--quarter", "2022-Q2", "--db", db]),
        ("rewards", "年终奖励", ["rewards", "--year", "2022", "--db", db]),
        ("report", "季度通报（Excel，写在临时目录，演示结束即删）", _report_argv(db)),
        ("alerts", "预警", ["alerts", "--as-of", "2022-06-30", "--db", db]),
    ]
    return [(title, argv) for name, title, argv in wanted if name in have]


def _report_argv(db: str) -> list[str]:
    out = Path(db).parent / "通报-2022Q2.xlsx"
    return ["report", "--quarter", "2022-Q2", "-o", str(out), "--db", db]


def run_demo(samples_dir: Path | None, keep: Path | None) -> None:

    from zsyz.cli.app import run

    if keep is not None and keep.exists():
        raise LedgerStateError(f"{keep} 已存在，不会覆盖")
    from zsyz.cli.render import terminal_console

    console = terminal_console()
    with tempfile.TemporaryDirectory(prefix="zsyz-demo-") as tmp:
        samples = find_samples(samples_dir, Path(tmp))
        db = str(Path(tmp) / "demo.db")
        for title, argv in steps(samples, db):
            console.rule(f"[bold]{title}")
            shown = " ".join(a if a != db else "demo.db" for a in argv)
            console.print(f"$ zsyz {shown}", style="cyan", highlight=False)
            sys.stdout.flush()
            code = run(argv)
            if code != 0:
                raise ZsyzError(f"演示步骤失败（退出码 {code}）：zsyz {shown}")
        if keep is not None:
            from zsyz.app.ledger_ops import backup

            backup(db, keep)  # a file copy would miss what is still in the WAL
            console.print(f"演示台账已保存到 {keep}")
