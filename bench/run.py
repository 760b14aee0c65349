"""Every performance figure in one run, each beside its floor (not a test).

    .venv/bin/python bench/run.py [--repeat 3] [--rows 50000] [--regen] [--write]

Each figure is a fresh subprocess (`python -m zsyz …`, interpreter start included): wall
time is the best of `--repeat` runs (the machine is shared, the best run is the one least
disturbed), peak memory is that child's own max RSS (`os.wait4`). Ledgers come from
`bench/gen_ledger.py` (deterministic; generated when missing or with `--regen`). With
`--write` the table goes to bench/RESULTS.md with the command line that produced it.

Goals are ratios to a floor measured in the same run (`bench/floors.py`: plain sqlite3
SQL, or calamine + sqlite3 for the import), so a slow or loaded machine moves both sides:
county reads ≤3× their floor, province reads ≤2× and ≤500 MB, the import ≤2.5× the bare
calamine read and ≤250 MB, refusing the same file for one bad cell no slower than the
import.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
PY = sys.executable
CWD = REPO  # `--code DIR` runs another checkout's zsyz package (e.g. a baseline)
sys.path.insert(0, str(HERE))

BARE = """
import sys
from python_calamine import CalamineWorkbook
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name("周报").to_python()
print(len(rows))
"""


@dataclass
class Figure:
    name: str
    seconds: float
    mb: float
    goal_s: float | None = None
    goal_mb: float | None = None
    base: str | None = None  # ratio against another figure's time
    goal_ratio: float | None = None
    note: str = ""


def measure(argv: list[str], *, ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """One child: wall seconds and its peak RSS in MB."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=CWD)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = code
    if code not in ok:
        sys.exit(f"{' '.join(argv)} → exit {code}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def best(
    argv: list[str], repeat: int, *, before: object = None, ok: tuple[int, ...] = (0,)
) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        if callable(before):
            before()
        runs.append(measure(argv, ok=ok))
    return min(r[0] for r in runs), max(r[1] for r in runs)


def zsyz(*args: str) -> list[str]:
    return [PY, "-m", "zsyz", *args]


def in_child(code: str) -> None:
    """Run set-up code in its own process: a child's max RSS starts from its parent's at
    fork, so a parent grown by generating data would inflate every figure after it."""
    subprocess.run([PY, "-c", code], check=True, cwd=HERE)


def ledger(kind: str, regen: bool) -> Path:
    path = OUT / f"{kind}.db"
    if regen or not path.exists():
        print(f"generating {kind} ledger …", flush=True)
        in_child(
            "from pathlib import Path; from gen_ledger import generate; "
            f"generate({kind!r}, Path({str(path)!r}), 'zhenping-2020')"
        )
    return path


def copy_db(src: Path, dst: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(src, dst)


def import_figures(rows: int, repeat: int) -> list[Figure]:
    book = OUT / f"import-{rows}.xlsx"
    bad = OUT / f"import-{rows}-bad.xlsx"
    if not book.exists() or not bad.exists():
        in_child(
            "from pathlib import Path; from bench_import import build; "
            f"build(Path({str(book)!r}), {rows}); build(Path({str(bad)!r}), {rows}, bad_row={rows // 2})"
        )
    empty = OUT / "import-empty.db"
    work = OUT / "import.db"
    if empty.exists():
        empty.unlink()
    subprocess.run(zsyz("init", "--db", str(empty)), check=True, capture_output=True)
    roster = REPO / "samples" / "单位名册.xlsx"
    subprocess.run(
        zsyz("units", "import", str(roster), "--db", str(empty)), check=True, capture_output=True
    )
    reset = lambda: copy_db(empty, work)  # noqa: E731
    bare = best([PY, "-c", BARE, str(book)], repeat)
    raw = best([PY, str(HERE / "floors.py"), "import", str(book), str(work)], repeat, before=reset)
    imp = best(zsyz("import", str(book), "--db", str(work), "-f", "json"), repeat, before=reset)
    again = best(zsyz("import", str(book), "--db", str(work), "-f", "json"), repeat)
    refused = best(
        zsyz("import", str(bad), "--db", str(work), "-f", "json", "--rejected-to", str(OUT)),
        repeat,
        before=reset,
        ok=(65,),
    )
    bare_name = f"calamine bare read ({rows:,} × 20)"
    imported = f"zsyz import ({rows:,} × 20)"
    return [
        Figure(bare_name, *bare),
        Figure(f"floor: calamine read + raw inserts ({rows:,})", *raw),
        Figure(imported, *imp, goal_mb=250, base=bare_name, goal_ratio=2.5),
        Figure(
            f"refusal, one bad cell ({rows:,} × 20)",
            *refused,
            goal_mb=250,
            base=imported,
            goal_ratio=1.0,
        ),
        Figure("unchanged re-import", *again, goal_s=0.3),
    ]


COMMANDS = [
    ("rank --quarter 2022-Q2", ["rank", "--quarter", "2022-Q2"], (0,)),
    ("rewards --year 2022", ["rewards", "--year", "2022"], (0,)),
    ("progress --year 2022", ["progress", "--year", "2022", "--as-of", "2022-12-31"], (0,)),
    ("alerts --as-of 2022-12-31", ["alerts", "--as-of", "2022-12-31"], (0, 3)),
]


FLOOR_DAYS = {"rank": "2022-06-30", "rewards": "2022-12-31", "progress": "2022-12-31"}


def floor(command: str, db: Path, repeat: int) -> tuple[float, float]:
    day = FLOOR_DAYS.get(command, "2022-12-31")
    script = str(HERE / "floors.py")
    return best([PY, script, command, str(db), "2022", day], repeat)


def command_figures(kind: str, db: Path, repeat: int) -> list[Figure]:
    out = []
    ratio, mb_goal = (2.0, 500.0) if kind == "province" else (3.0, None)
    for label, args, ok in COMMANDS:
        target = OUT / f"{kind}-{args[0]}.json"
        argv = zsyz(*args, "--db", str(db), "-f", "json", "-o", str(target))
        base = f"floor: {args[0]} in SQL ({kind})"
        out.append(Figure(base, *floor(args[0], db, repeat)))
        secs, mb = best(argv, repeat, ok=ok)
        out.append(
            Figure(f"{label} ({kind})", secs, mb, goal_mb=mb_goal, base=base, goal_ratio=ratio)
        )
    return out


def verdict(f: Figure, by_name: dict[str, Figure]) -> str:
    parts, ok = [], True
    if f.base:
        r = f.seconds / by_name[f.base].seconds
        parts.append(f"{r:.2f}× floor (goal ≤{f.goal_ratio}×)")
        ok &= r <= (f.goal_ratio or 0)
    if f.goal_s is not None:
        parts.append(f"goal ≤{f.goal_s} s")
        ok &= f.seconds <= f.goal_s
    if f.goal_mb is not None:
        parts.append(f"≤{f.goal_mb} MB")
        ok &= f.mb <= f.goal_mb
    if not parts:
        return ""
    return ("met: " if ok else "MISSED: ") + ", ".join(parts)


def table(figures: list[Figure]) -> str:
    by_name = {f.name: f for f in figures}
    lines = [
        "| figure | wall s (best) | peak MB | goal |",
        "| --- | ---: | ---: | --- |",
    ]
    for f in figures:
        lines.append(f"| {f.name} | {f.seconds:.2f} | {f.mb:.0f} | {verdict(f, by_name)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is kept)")
    parser.add_argument("--rows", type=int, default=50_000, help="rows of the import workbook")
    parser.add_argument("--regen", action="store_true", help="regenerate the bench ledgers")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument("--code", type=Path, help="directory holding the zsyz package to time")
    parser.add_argument("--only", choices=["import", "county", "province", "help"], nargs="*")
    opts = parser.parse_args()
    if opts.code:
        global CWD
        CWD = opts.code.resolve()
    OUT.mkdir(exist_ok=True)
    only = set(opts.only or ["import", "county", "province", "help"])
    figures: list[Figure] = []
    if "help" in only:
        figures.append(Figure("zsyz --help", *best(zsyz("--help"), opts.repeat * 3), goal_s=0.15))
    if "import" in only:
        figures += import_figures(opts.rows, opts.repeat)
    for kind in ("county", "province"):
        if kind in only:
            figures += command_figures(kind, ledger(kind, opts.regen), opts.repeat)
    text = table(figures)
    print(text)
    if opts.write:
        command = "python bench/run.py " + " ".join(sys.argv[1:])
        cpu = os.cpu_count()
        (HERE / "RESULTS.md").write_text(
            "# Benchmark results\n\n"
            f"Produced by `{command}` on {time.strftime('%Y-%m-%d')}, Python "
            f"{platform.python_version()}, {cpu} cores (shared with other work: each wall "
            f"time is the best of {opts.repeat} runs, `--help` of {opts.repeat * 3}; peak MB is "
            "the largest max-RSS of the runs). Every figure is a fresh `python -m zsyz` "
            "subprocess, interpreter start included.\n\n"
            f"{text}\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
