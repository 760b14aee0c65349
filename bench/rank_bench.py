"""How long rank, rewards and the bulletin take on the county bench ledger.

.venv/bin/python bench/rank_bench.py [PRESET]     (default zhenping-2020)

Builds bench/out/rank-county.db with bench/gen_ledger.py, loads the preset's policy into
it, then times each command in-process (the real entry point) and prints the figures.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(preset: str) -> None:
    from zsyz.app.policies import install_policy
    from zsyz.cli.app import run
    from zsyz.policy.load import resolve_source
    from zsyz.store.engine import open_ledger

    out = HERE / "out"
    out.mkdir(exist_ok=True)
    db = out / "rank-county.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    subprocess.run([sys.executable, str(HERE / "gen_ledger.py"), "county", str(db)], check=True)
    ledger = open_ledger(str(db))
    install_policy(ledger, resolve_source(preset, None), 2022)  # type: ignore[arg-type]
    ledger.engine.dispose()
    for argv in (
        ["rank", "--quarter", "2022-Q2", "-f", "json", "-o", str(out / "rank.json")],
        ["rewards", "--year", "2022", "-f", "json", "-o", str(out / "rewards.json")],
        ["report", "--quarter", "2022-Q2", "-o", str(out / "通报.xlsx")],
    ):
        t0 = time.perf_counter()
        code = run([*argv, "--db", str(db)])
        print(f"{time.perf_counter() - t0:6.2f} s  exit {code}  zsyz {' '.join(argv[:3])}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "zhenping-2020")
