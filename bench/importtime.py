"""What each read command imports, and what that costs (not a test).

    .venv/bin/python bench/importtime.py [--db LEDGER] [--top 15] [COMMAND …]

For each read command (default: the four of bench/run.py, plus `--help`) runs
`python -X importtime -m zsyz COMMAND --db LEDGER -f json -o FILE` in a fresh process and
summarises its stderr: the total import time (the top-level imports' cumulative time),
the `--top` modules by cumulative time, and whether each heavy package
(sqlalchemy, sqlmodel, pydantic, alembic, openpyxl, and for information typer, rich,
python_calamine, psycopg) was imported: how many of its modules and their own (self) time
summed, as a package imported lazily shows little cumulative time on its first line. A read command
should not import alembic, pydantic or openpyxl (issue 17). Under load the times move;
which modules load does not.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
MUST_NOT = ("alembic", "pydantic", "openpyxl")
HEAVY = ("sqlalchemy", "sqlmodel", *MUST_NOT, "typer", "rich", "python_calamine", "psycopg")
COMMANDS = [
    ["rank", "--quarter", "2022-Q2"],
    ["rewards", "--year", "2022"],
    ["progress", "--year", "2022", "--as-of", "2022-12-31"],
    ["alerts", "--as-of", "2022-12-31"],
]
LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( +)(\S+)$")


@dataclass
class Module:
    name: str
    self_us: int
    cumulative_us: int
    depth: int


def parse(stderr: str) -> list[Module]:
    modules = []
    for line in stderr.splitlines():
        m = LINE.match(line)
        if m:
            depth = (len(m.group(3)) - 1) // 2
            modules.append(Module(m.group(4), int(m.group(1)), int(m.group(2)), depth))
    return modules


def run(argv: list[str], db: str, out: Path) -> tuple[float, int, list[Module]]:
    args = argv if argv == ["--help"] else [*argv, "--db", db, "-f", "json", "-o", str(out)]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "zsyz", *args],
        capture_output=True,
        text=True,
        cwd=HERE.parent,
    )
    return time.perf_counter() - started, done.returncode, parse(done.stderr)


def report(argv: list[str], wall: float, code: int, modules: list[Module], top: int) -> str:
    total = sum(m.cumulative_us for m in modules if m.depth == 0)
    lines = [
        f"## zsyz {' '.join(argv)}",
        f"wall {wall:.2f} s (exit {code}); {len(modules)} modules imported, "
        f"{total / 1e6:.2f} s cumulative at top level",
        "",
        "| cumulative ms | self ms | module |",
        "| ---: | ---: | --- |",
    ]
    for m in sorted(modules, key=lambda m: -m.cumulative_us)[:top]:
        lines.append(f"| {m.cumulative_us / 1e3:.0f} | {m.self_us / 1e3:.0f} | {m.name} |")
    own: dict[str, list[Module]] = {}
    for m in modules:
        own.setdefault(m.name.split(".")[0], []).append(m)
    lines.append("")
    for pkg in HEAVY:
        if pkg in own:
            flag = " ← should not be imported by a read" if pkg in MUST_NOT else ""
            ms = sum(m.self_us for m in own[pkg]) / 1e3
            lines.append(f"- {pkg}: imported, {len(own[pkg])} modules, {ms:.0f} ms own time{flag}")
        else:
            lines.append(f"- {pkg}: not imported")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", default=str(HERE / "out" / "county.db"), help="the ledger")
    parser.add_argument("--top", type=int, default=15, help="modules listed per command")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="one command (default: all)")
    opts = parser.parse_args()
    commands = [opts.command] if opts.command else [["--help"], *COMMANDS]
    with tempfile.TemporaryDirectory() as tmp:
        for argv in commands:
            wall, code, modules = run(argv, opts.db, Path(tmp) / "out.json")
            print(report(argv, wall, code, modules, opts.top), end="\n\n", flush=True)


if __name__ == "__main__":
    main()
