"""Check a generated bench ledger: every stored amount equals its history value.

    python bench/check_ledger.py bench/out/province.db [postgresql+psycopg://…/db]

The issue this guards against: the generator once scaled amounts twice, so a stored
`fai` was 10,000× the value its history row records and every command answered from
the current columns counted every project over every threshold. Two checks:

- raw, every project: `project.fai` / `total_investment` equal the `*created*`
  snapshot's values and `funds_in_place` equals the latest `funds_in_place` history row,
  compared as the integers zsyz stores (`store/types.to_scaled`);
- through zsyz's own table model (a sample): the Decimal the ORM reads back for those
  columns equals the history value in 万元, so the scale itself is the ledger's.

Exit 0 when all agree, 1 with the first disagreements printed.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any

SAMPLE = 500

SNAPSHOTS = """
SELECT p.id, p.fai, p.total_investment, p.funds_in_place, u.new_value
FROM project p JOIN project_update u ON u.project_id = p.id AND u.field = '*created*'
ORDER BY p.id
"""

LATEST_FUNDS = """
SELECT u.project_id, u.new_value
FROM project_update u
WHERE u.field = 'funds_in_place'
ORDER BY u.project_id, u.effective_on, u.id
"""


def url_of(db: str) -> str:
    from zsyz.store.engine import resolve_url

    return resolve_url(db)


def check(db: str) -> tuple[int, list[str]]:
    """(projects checked, disagreements)."""
    from sqlalchemy import text

    from zsyz.store.engine import make_engine
    from zsyz.store.types import to_scaled

    engine = make_engine(url_of(db))
    problems: list[str] = []
    with engine.connect() as conn:
        latest = {pid: value for pid, value in conn.execute(text(LATEST_FUNDS))}
        rows = conn.execute(text(SNAPSHOTS)).all()
    for pid, fai, total, funds, snapshot in rows:
        snap = json.loads(snapshot)
        for name, stored, shown in (
            ("fai", fai, snap.get("fai")),
            ("total_investment", total, snap.get("total_investment")),
            ("funds_in_place", funds, latest.get(pid)),
        ):
            want = None if shown is None else to_scaled(Decimal(shown))
            if stored != want:
                problems.append(f"project {pid}: {name} stored {stored}, history {shown} → {want}")
    problems += _through_model(engine, latest, rows[:: max(1, len(rows) // SAMPLE)])
    engine.dispose()
    return len(rows), problems


def _through_model(engine: Any, latest: dict[int, str], rows: Any) -> list[str]:
    from sqlmodel import Session, select

    from zsyz.store.tables import Project

    ids = [row[0] for row in rows]
    snaps = {row[0]: json.loads(row[4]) for row in rows}
    problems = []
    with Session(engine) as session:
        for project in session.exec(select(Project).where(Project.id.in_(ids))):  # type: ignore[union-attr]
            pid: Any = project.id
            for name, want in (("fai", snaps[pid].get("fai")), ("funds_in_place", latest.get(pid))):
                got = getattr(project, name)
                if (got is None) != (want is None) or (
                    got is not None and got != Decimal(str(want))
                ):
                    problems.append(f"project {pid}: model reads {name} = {got}, history {want}")
    return problems


def main(argv: list[str]) -> None:
    failed = False
    for db in argv:
        count, problems = check(db)
        if not count:
            problems.append("no project has a *created* snapshot")
        for line in problems[:10]:
            print(line, file=sys.stderr)
        failed |= bool(problems)
        verdict = f"{len(problems)} DISAGREE" if problems else "all agree"
        print(f"{db}: {count:,} projects, stored amounts vs history: {verdict}")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
