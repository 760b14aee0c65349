"""Every performance figure in one run, each beside its floor (not a test).

    .venv/bin/python bench/run.py [--repeat 3] [--rows 50000] [--regen] [--write]
                                  [--only help import county province county-pg province-pg]
                                  [--pg URL | --pg-start [--pg-stop]] [--code DIR]

Each figure is a fresh subprocess (`python -m zsyz …`, interpreter start included): wall
time is the best of `--repeat` runs (the machine is shared, the best run is the one least
disturbed), peak memory is that child's own max RSS (`os.wait4`). Ledgers come from
`bench/gen_ledger.py` (deterministic; generated when missing, made by an older generator,
or with `--regen`; a ledger older than the code's schema is upgraded with `zsyz db upgrade`)
and are checked by `bench/check_ledger.py` (stored amounts equal their history).

PostgreSQL (`--pg ADMIN_URL`, or `--pg-start` for scripts/pg-throwaway.sh on port 54413,
dir /tmp/pg-bench): the SQLite ledgers are copied with `zsyz db copy` into a database named
after the ledger file (kept for the next run, VACUUM ANALYZEd once), and the same commands
and floors run against it. Peak MB there is the client's; the server's memory is not counted.

Goals are ratios to a floor measured in the same run (`bench/floors.py`: plain SQL on
sqlite3 or psycopg, or calamine + sqlite3 for the import), so a slow or loaded machine
moves both sides: county reads ≤3× their floor, province reads ≤2× and ≤500 MB, the
import ≤2.5× the bare calamine read and ≤250 MB, refusing the same file for one bad cell
no slower than the import. `--write` puts the table, the machine's load and the run's
total time on top of bench/RESULTS.md (earlier runs are kept below it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import ledgers  # noqa: E402
import machine  # noqa: E402
from figures import OUT, Figure, best, in_child, table, zsyz  # noqa: E402
from figures import settings as S  # noqa: E402

BARE = """
import sys
from python_calamine import CalamineWorkbook
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name("周报").to_python()
print(len(rows))
"""

COMMANDS = [
    ("rank --quarter 2022-Q2", ["rank", "--quarter", "2022-Q2"], (0,)),
    ("rewards --year 2022", ["rewards", "--year", "2022"], (0,)),
    ("progress --year 2022", ["progress", "--year", "2022", "--as-of", "2022-12-31"], (0,)),
    ("alerts --as-of 2022-12-31", ["alerts", "--as-of", "2022-12-31"], (0, 3)),
]
FLOOR_DAYS = {"rank": "2022-06-30", "rewards": "2022-12-31", "progress": "2022-12-31"}
KINDS = ["help", "import", "county", "province", "county-pg", "province-pg"]


def copy_db(src: Path, dst: Path) -> None:
    import shutil

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
    empty.unlink(missing_ok=True)
    subprocess.run(zsyz("init", "--db", str(empty)), check=True, capture_output=True, cwd=S.cwd)
    roster = S.repo / "samples" / "单位名册.xlsx"
    subprocess.run(
        zsyz("units", "import", str(roster), "--db", str(empty)),
        check=True,
        capture_output=True,
        cwd=S.cwd,
    )
    reset = lambda: copy_db(empty, work)  # noqa: E731
    bare_name = f"calamine bare read ({rows:,} × 20)"
    imported = f"zsyz import ({rows:,} × 20)"
    out = [Figure.of(bare_name, best([S.py, "-c", BARE, str(book)], repeat))]
    raw = best(
        [S.py, str(HERE / "floors.py"), "import", str(book), str(work)], repeat, before=reset
    )
    out.append(Figure.of(f"floor: calamine read + raw inserts ({rows:,})", raw))
    imp = best(zsyz("import", str(book), "--db", str(work), "-f", "json"), repeat, before=reset)
    out.append(Figure.of(imported, imp, goal_mb=250, base=bare_name, goal_ratio=2.5))
    again = best(zsyz("import", str(book), "--db", str(work), "-f", "json"), repeat)
    refused = best(
        zsyz("import", str(bad), "--db", str(work), "-f", "json", "--rejected-to", str(OUT)),
        repeat,
        before=reset,
        ok=(65,),
        expect=refused_for(rows // 2 + 4),  # three heading rows, then data from row 4
    )
    name = f"refusal, one bad cell ({rows:,} × 20)"
    out.append(Figure.of(name, refused, goal_mb=250, base=imported, goal_ratio=1.0))
    out.append(Figure.of("unchanged re-import", again, goal_s=0.3))
    return out


def refused_for(sheet_row: int) -> Callable[[str], str | None]:
    """Checks a refusal names the one bad cell (row `sheet_row`) and nothing else."""

    def check(stdout: str) -> str | None:
        try:
            errors = [e for f in json.loads(stdout) for e in f.get("errors", [])]
        except (ValueError, AttributeError, TypeError):
            return "the refusal's JSON answer could not be read"
        if errors and all(e.get("row") == sheet_row for e in errors):
            return None
        said = "; ".join(str(e.get("message"))[:200] for e in errors[:2]) or "no error listed"
        return f"refused, but not for the bad cell in row {sheet_row}: {said}"

    return check


def command_figures(kind: str, db: str, repeat: int) -> list[Figure]:
    """Each read command beside its floor, on one ledger (`kind` names it in the table)."""
    out = []
    province = kind.startswith("province")
    ratio, mb_goal = (2.0, 500.0) if province else (3.0, None)
    label_kind = kind.replace("-pg", ", PostgreSQL")
    for label, args, ok in COMMANDS:
        target = OUT / f"{kind}-{args[0]}.json"
        base = f"floor: {args[0]} in SQL ({label_kind})"
        day = FLOOR_DAYS.get(args[0], "2022-12-31")
        out.append(
            Figure.of(base, best([S.py, str(HERE / "floors.py"), args[0], db, "2022", day], repeat))
        )
        argv = zsyz(*args, "--db", db, "-f", "json", "-o", str(target))
        name = f"{label} ({label_kind})"
        out.append(
            Figure.of(name, best(argv, repeat, ok=ok), goal_mb=mb_goal, base=base, goal_ratio=ratio)
        )
        print(out[-2].line(), out[-1].line(), sep="\n", flush=True)
    return out


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is kept)")
    parser.add_argument("--rows", type=int, default=50_000, help="rows of the import workbook")
    parser.add_argument("--regen", action="store_true", help="regenerate the bench ledgers")
    parser.add_argument("--write", action="store_true", help="put the run on top of RESULTS.md")
    parser.add_argument("--code", type=Path, help="directory holding the zsyz package to time")
    parser.add_argument("--only", choices=KINDS, nargs="*", help="which groups of figures")
    parser.add_argument("--pg", metavar="ADMIN_URL", help="PostgreSQL server for *-pg figures")
    parser.add_argument("--pg-start", action="store_true", help="start the throw-away server")
    parser.add_argument("--pg-stop", action="store_true", help="stop it again at the end")
    return parser.parse_args()


def run_groups(opts: argparse.Namespace, only: set[str], pg_url: str | None) -> list[Figure]:
    figures: list[Figure] = []
    if "help" in only:
        figures.append(Figure.of("zsyz --help", best(zsyz("--help"), opts.repeat * 3), goal_s=0.15))
    if "import" in only:
        figures += import_figures(opts.rows, opts.repeat)
    for kind in ("county", "province"):
        if kind not in only and f"{kind}-pg" not in only:
            continue
        path = ledgers.ledger(kind, opts.regen)
        if kind in only:
            figures += command_figures(kind, str(path), opts.repeat)
        if f"{kind}-pg" in only:
            if pg_url is None:
                print(f"{kind}-pg skipped: no PostgreSQL (give --pg URL or --pg-start)", flush=True)
                continue
            url = ledgers.pg_ledger(kind, path, pg_url)
            figures += command_figures(f"{kind}-pg", url, opts.repeat)
    return figures


def _stop(signum: int, _frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")  # the running command's group is killed


def main() -> None:
    opts = parse()
    # a command being timed has its own process group: on ^C or kill, end it too
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with nohup &
    signal.signal(signal.SIGTERM, _stop)
    if opts.code:
        S.cwd = opts.code.resolve()
    OUT.mkdir(exist_ok=True)
    started, load_start = time.perf_counter(), machine.state()
    print(f"machine at start: {load_start}", flush=True)
    pg_url = opts.pg
    if opts.pg_start and not pg_url:
        pg_url = ledgers.start_server()
    default = {"help", "import", "county", "province"} | (
        {"county-pg", "province-pg"} if pg_url else set()
    )
    only = set(opts.only or default)
    try:
        figures = run_groups(opts, only, pg_url)
    finally:
        if opts.pg_start and opts.pg_stop:
            ledgers.stop_server()
    total, load_end = time.perf_counter() - started, machine.state()
    text = table(figures)
    print(text)
    print(f"machine at end: {load_end}\ntotal time of this run: {total / 60:.1f} min")
    if opts.write:
        write_results(opts, text, load_start, load_end, total)


def write_results(
    opts: argparse.Namespace, text: str, load_start: str, load_end: str, total: float
) -> None:
    command = "python bench/run.py " + " ".join(sys.argv[1:])
    results = HERE / "RESULTS.md"
    earlier = results.read_text(encoding="utf-8") if results.exists() else ""
    earlier = earlier.removeprefix("# Benchmark results\n").strip()
    head = (
        "# Benchmark results\n\n"
        f"## {time.strftime('%Y-%m-%d %H:%M %Z')}: `{command}`\n\n"
        f"{machine.commit(S.cwd)}; Python {platform.python_version()}, "
        f"{os.cpu_count()} cores shared with other work. Each wall time is the best of "
        f"{opts.repeat} runs (`--help` of {opts.repeat * 3}); peak MB is the largest max-RSS of "
        "the runs (on PostgreSQL the client's only). Every figure is a fresh process, "
        "interpreter start included; a floor is plain SQL (or calamine + sqlite3) in its own "
        "process, measured in the same run.\n\n"
        f"- machine at start: {load_start}\n- machine at end: {load_end}\n"
        f"- total time of the run: {total / 60:.1f} min\n\n{text}\n"
    )
    results.write_text(head + ("\n\n" + earlier + "\n" if earlier else ""), encoding="utf-8")


if __name__ == "__main__":
    main()
