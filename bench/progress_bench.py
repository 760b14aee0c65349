"""How long target completion takes for a county-sized ledger (pure domain, no DB).

.venv/bin/python bench/progress_bench.py [PROJECTS]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from zsyz.domain.facts import ProjectFact, Role, UnitFact
from zsyz.domain.progress import Facts, progress
from zsyz.domain.stages import Stage
from zsyz.policy.load import load_preset


def main(n: int) -> None:
    policy = load_preset("zhenping-2020")
    units = [UnitFact(f"u{i}", u.name, u.unit_class) for i, u in enumerate(policy.roster)]
    rnd = random.Random(1)
    projects = []
    for i in range(n):
        day = date(2020, 1, 1) + timedelta(days=rnd.randrange(366))
        projects.append(
            ProjectFact(
                code=f"P{i:05d}",
                name=f"P{i}",
                stage=Stage.SIGNED,
                stage_dates={Stage.SIGNED: day},
                roles=((Role.SOURCING, rnd.choice(units).code),),
                fai=Decimal(rnd.randrange(100, 20000)),
                category="制造业",
            )
        )
    facts = Facts(units, projects)
    t0 = time.perf_counter()
    rows = progress(policy, facts, 2020, date(2020, 12, 31))
    dt = time.perf_counter() - t0
    done = sum(r.complete for r in rows)
    print(f"{len(units)} units × {n} projects: {dt * 1000:.0f} ms ({done} units complete)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
