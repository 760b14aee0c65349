"""Measuring one figure for bench/run.py: a child process's wall time and peak memory.

A child that fails, or runs past `LIMIT_S`, gives a figure marked FAILED with the last
line it wrote on stderr; the run goes on with the next figure instead of dying, so a
long province run always ends with a table.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
LIMIT_S = 1800.0
Expect = Callable[[str], str | None]
GNU_TIME = shutil.which("time", path="/usr/bin:/bin") or ""


@dataclass
class Settings:
    py: str = sys.executable
    repo: Path = HERE.parent
    cwd: Path = HERE.parent  # `--code DIR` runs another checkout's zsyz package


settings = Settings()


@dataclass
class Measured:
    seconds: float
    mb: float
    failed: str = ""


@dataclass
class Figure:
    name: str
    seconds: float
    mb: float
    goal_s: float | None = None
    goal_mb: float | None = None
    base: str | None = None  # ratio against another figure's time (its floor)
    goal_ratio: float | None = None
    failed: str = ""

    @classmethod
    def of(cls, name: str, m: Measured, **goals: object) -> Figure:
        return cls(name, m.seconds, m.mb, failed=m.failed, **goals)  # type: ignore[arg-type]

    def line(self) -> str:
        if self.failed:
            return f"  {self.name}: FAILED {self.failed}"
        return f"  {self.name}: {self.seconds:.2f} s, {self.mb:.0f} MB"


def zsyz(*args: str) -> list[str]:
    return [settings.py, "-m", "zsyz", *args]


def in_child(code: str) -> None:
    """Run set-up code in its own process, with the timed checkout's zsyz: a child's max
    RSS starts from its parent's at fork, so a parent grown by generating data would
    inflate every figure after it."""
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    subprocess.run([settings.py, "-c", code], check=True, cwd=settings.cwd, env=env)


def measure(
    argv: list[str], *, ok: tuple[int, ...] = (0,), expect: Expect | None = None
) -> Measured:
    """One child: wall seconds and its peak RSS in MB; `expect(stdout)` names what is
    wrong with an answer that exited as `ok` (a refusal for another reason, say).

    A child's max RSS starts from its parent's at fork, so the child is started through
    GNU time (a small C program) where there is one, and its report of the command's
    own peak is used; else this process's `os.wait4` figure, which includes the runner."""
    with (
        tempfile.NamedTemporaryFile("r", suffix=".rss") as rss,
        tempfile.TemporaryFile("w+b") as out,
    ):
        wrapped = [GNU_TIME, "-f", "%M", "-o", rss.name, *argv] if GNU_TIME else argv
        wall, code, own_kb, err = _child(wrapped, out)
        reported = rss.read().strip().splitlines() if GNU_TIME else []
        out.seek(0)
        stdout = out.read().decode(errors="replace")
    kb = int(reported[-1]) if reported and reported[-1].isdigit() else own_kb
    mb = kb / 1024
    wrong = None if code not in ok else (expect(stdout) if expect else None)
    if code in ok and wrong is None:
        return Measured(wall, mb)
    said = _said(err, stdout)
    why = f"exit {code} after {wall:.0f} s: {wrong or said}"
    print(f"FAILED: {' '.join(argv)}\n  {why}", file=sys.stderr, flush=True)
    return Measured(wall, mb, why)


def _said(err: str, stdout: str) -> str:
    """The last line on stderr, else the last message of a JSON answer, else its tail."""
    lines = err.strip().splitlines()
    if lines:
        return lines[-1][:300]
    messages = re.findall(r'"message": "((?:[^"\\]|\\.)*)"', stdout)
    if messages:
        return str(messages[-1])[:300]
    return stdout.strip()[-300:] or "(no output)"


def _child(argv: list[str], out: IO[bytes]) -> tuple[float, int, int, str]:
    """(wall seconds, exit code, max RSS in KB as wait4 sees it, stderr) of one child."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdout=out,
        stderr=subprocess.PIPE,
        cwd=settings.cwd,
        start_new_session=True,  # its own group: a timeout or ^C ends the command too
    )

    def kill() -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    killer = threading.Timer(LIMIT_S, kill)
    killer.start()
    err: list[bytes] = []
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read() if proc.stderr else b""))
    reader.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    except BaseException:
        kill()
        raise
    finally:
        killer.cancel()
    wall = time.perf_counter() - start
    reader.join()
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    return wall, code, usage.ru_maxrss, b"".join(err).decode(errors="replace")


def best(
    argv: list[str],
    repeat: int,
    *,
    before: Callable[[], object] | None = None,
    ok: tuple[int, ...] = (0,),
    expect: Expect | None = None,
) -> Measured:
    runs = []
    for _ in range(max(1, repeat)):
        if before is not None:
            before()
        runs.append(measure(argv, ok=ok, expect=expect))
        if runs[-1].failed:
            return runs[-1]
    return Measured(min(r.seconds for r in runs), max(r.mb for r in runs))


def verdict(f: Figure, by_name: dict[str, Figure]) -> tuple[str, str, str]:
    """(floor seconds, ratio, goal verdict) of one figure; each goal says met or missed."""
    if f.failed:
        return "", "", f"FAILED: {f.failed}"
    checks: list[tuple[str, bool]] = []
    floor_s = ratio_s = ""
    if f.base:
        base = by_name[f.base]
        if base.failed:
            return "", "", "floor FAILED"
        r = f.seconds / base.seconds
        floor_s, ratio_s = f"{base.seconds:.2f}", f"{r:.2f}×"
        against = "floor" if f.base.startswith("floor") else f.base
        checks.append((f"≤{f.goal_ratio}× {against}", r <= (f.goal_ratio or 0)))
    if f.goal_s is not None:
        checks.append((f"≤{f.goal_s} s", f.seconds <= f.goal_s))
    if f.goal_mb is not None:
        checks.append((f"≤{f.goal_mb:.0f} MB", f.mb <= f.goal_mb))
    if not checks:
        return floor_s, ratio_s, ""
    if all(ok for _, ok in checks):
        return floor_s, ratio_s, "met: " + ", ".join(goal for goal, _ in checks)
    said = ", ".join(f"{goal} {'met' if ok else 'missed'}" for goal, ok in checks)
    return floor_s, ratio_s, "MISSED: " + said


def table(figures: list[Figure]) -> str:
    by_name = {f.name: f for f in figures}
    lines = [
        "| figure | wall s (best) | peak MB | floor s | ratio | goal |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for f in figures:
        floor_s, ratio, goal = verdict(f, by_name)
        secs = "—" if f.failed else f"{f.seconds:.2f}"
        lines.append(f"| {f.name} | {secs} | {f.mb:.0f} | {floor_s} | {ratio} | {goal} |")
    return "\n".join(lines)
