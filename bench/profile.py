"""cProfile of one zsyz command, for the notes on a missed goal (not a test).

    .venv/bin/python bench/profile.py [--top 25] [--sort cumulative] [--save FILE] -- CMD …
    e.g. bench/profile.py -- rank --quarter 2022-Q2 --db bench/out/province.db -f json -o /tmp/r.json

Runs `python -m cProfile -o FILE -m zsyz CMD …` in a fresh process (interpreter start and
imports included, as an operator feels them) and prints the command's exit code, its wall
time, the `--top` functions by `--sort` (pstats keys: cumulative, tottime, …) and, as the
cumulative list starts with the CLI's wrappers, the 15 functions with the most own time.
"""

from __future__ import annotations

import argparse
import io
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--top", type=int, default=25, help="functions to print")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    parser.add_argument("--save", type=Path, help="keep the raw profile here")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the zsyz command and options")
    opts = parser.parse_args()
    command = opts.command[1:] if opts.command[:1] == ["--"] else opts.command
    if not command:
        parser.error("name the zsyz command to profile")
    with tempfile.TemporaryDirectory() as tmp:
        prof = opts.save or Path(tmp) / "zsyz.prof"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "zsyz", *command],
            stdout=subprocess.DEVNULL,
            cwd=HERE.parent,
        )
        wall = time.perf_counter() - started
        text = io.StringIO()
        stats = pstats.Stats(str(prof), stream=text)
        stats.strip_dirs().sort_stats(opts.sort).print_stats(opts.top)
        if opts.sort != "tottime":
            stats.sort_stats("tottime").print_stats(15)
    print(f"zsyz {' '.join(command)}: exit {done.returncode}, {wall:.2f} s wall under cProfile")
    print(text.getvalue())


if __name__ == "__main__":
    main()
