"""What else the machine was doing during a bench run, for bench/RESULTS.md."""

from __future__ import annotations

import os
import subprocess
import time
from collections import Counter
from pathlib import Path


def state(samples: int = 5, gap: float = 0.2) -> str:
    """Load averages and the programs seen running (state R), sampled a few times."""
    one, five, fifteen = os.getloadavg()
    seen: Counter[str] = Counter()
    for _ in range(samples):
        now: Counter[str] = Counter()
        ps = subprocess.run(["ps", "-eo", "stat=,comm="], capture_output=True, text=True)
        for line in ps.stdout.splitlines():
            stat, _, comm = line.strip().partition(" ")
            if stat.startswith("R") and comm.strip() != "ps":
                now[comm.strip()] += 1
        seen |= now  # the most of each program seen at once
        time.sleep(gap)
    running = ", ".join(f"{n}× {comm}" for comm, n in seen.most_common(6)) or "nothing else"
    return (
        f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min) on "
        f"{os.cpu_count()} cores; running: {running}"
    )


def commit(where: Path) -> str:
    """The last commit that changed zsyz/ (what is being timed), and whether it's edited."""
    git = subprocess.run(
        ["git", "-C", str(where), "log", "-1", "--format=%h %s", "--", "zsyz"],
        capture_output=True,
        text=True,
    )
    dirty = subprocess.run(
        ["git", "-C", str(where), "status", "--porcelain", "--untracked-files=no", "zsyz"],
        capture_output=True,
        text=True,
    )
    head = git.stdout.strip() or "unknown"
    head = head if len(head) <= 80 else head[:79] + "…"
    return f"zsyz/ at {head}" + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
