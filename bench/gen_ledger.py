"""Generate a county or province ledger for benchmarks, directly through bulk SQL.

    python bench/gen_ledger.py county   bench/out/county.db
    python bench/gen_ledger.py province bench/out/province.db

county:   100 units,    2,000 projects, a year of weekly reports (~50,000 updates)
province: 10,000 units, 100,000 projects, 1,000,000 updates

Updates are what import writes: per project one `*created*` snapshot row, then
cumulative funds reported over the year (history.py's contract).

Deterministic (seeded) so figures compare across runs. Writes through the same schema
(Alembic head) as `zsyz init`; units are nested province > county > township/dept.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

SCALES = {
    "county": {"counties": 1, "units": 100, "projects": 2_000, "updates": 50_000},
    "province": {"counties": 90, "units": 10_000, "projects": 100_000, "updates": 1_000_000},
    # the dashboard's budget (issue 19): a 50-unit county with 500 projects
    "dashboard": {"counties": 1, "units": 50, "projects": 500, "updates": 12_500},
}
CATEGORIES = ["制造业", "现代服务业", "现代农业", "文化旅游", "民生", "基础设施"]
STAGES = ["negotiating", "signed", "started", "producing"]
STAGE_ORDER = [
    "planned",
    "lead",
    "negotiating",
    "admitted",
    "approved",
    "signed",
    "started",
    "producing",
]
YEAR = 2022


def _wan(wan: Decimal) -> Decimal:
    """An amount as the Project table takes it: Decimal 万元. The FixedDecimal columns scale
    it to 元 themselves; scaling here too stored every amount 10,000× too large."""
    return wan.quantize(Decimal("0.0001"))


def generate(kind: str, path: Path, preset: str | None = "zhenping-2020") -> dict[str, float]:
    from zsyz.cli.app import run
    from zsyz.store.engine import open_ledger
    from zsyz.store.intervals import relink_all
    from zsyz.store.tables import ImportBatch, Project, ProjectRole, ProjectUpdate, Unit

    spec = SCALES[kind]
    rng = random.Random(20221)
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    args = ["init", "--db", str(path)]
    if preset:
        args += ["--preset", preset, "--with-examples"]
    if run(args) != 0:
        raise SystemExit("init failed")
    ledger = open_ledger(str(path))
    started = time.perf_counter()
    now = datetime.now(UTC).replace(microsecond=0)
    with ledger.engine.begin() as conn:
        max_id = conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM unit").scalar() or 0
        units: list[dict[str, object]] = []
        next_id = max_id + 1
        county_ids = []
        for c in range(spec["counties"]):
            if spec["counties"] > 1:
                units.append(
                    {
                        "id": next_id,
                        "code": f"cty{c:03d}",
                        "name": f"第{c + 1}县",
                        "unit_class": "county",
                        "group_name": "county",
                        "parent_id": None,
                        "active": True,
                        "created_at": now,
                    }
                )
                county_ids.append(next_id)
                next_id += 1
            else:
                county_ids.append(None)
        per_county = spec["units"] // spec["counties"]
        leaf_ids: list[int] = []
        for c, county_id in enumerate(county_ids):
            for u in range(per_county - (1 if county_id else 0)):
                cls = "township" if u % 3 == 0 else ("dept_a" if u % 3 == 1 else "dept_c")
                units.append(
                    {
                        "id": next_id,
                        "code": f"c{c:03d}u{u:03d}",
                        "name": f"第{c + 1}县单位{u + 1}",
                        "unit_class": cls,
                        "group_name": "township" if cls == "township" else "dept",
                        "parent_id": county_id,
                        "active": True,
                        "created_at": now,
                    }
                )
                leaf_ids.append(next_id)
                next_id += 1
        conn.execute(insert(Unit.__table__), units)  # type: ignore[attr-defined]
        code_of = {u["id"]: u["code"] for u in units}

        batches = []
        weeks = [date.fromisocalendar(YEAR, w, 5) for w in range(1, 53)]
        batch_id = 1
        batch_of: dict[tuple[int, int], int] = {}
        for unit_id in leaf_ids:
            for wi, day in enumerate(weeks):
                batches.append(
                    {
                        "id": batch_id,
                        "file_name": f"u{unit_id}-w{wi + 1}.xlsx",
                        "sha256": f"{unit_id:08x}{wi:04x}".ljust(64, "0"),
                        "unit_id": unit_id,
                        "all_units": False,
                        "period": f"{YEAR}-W{wi + 1:02d}",
                        "report_date": day,
                        "imported_at": now,
                        "status": "imported",
                        "rows": 0,
                        "created": 0,
                        "updated": 0,
                        "warnings": [],
                    }
                )
                batch_of[(unit_id, wi)] = batch_id
                batch_id += 1
        for chunk in range(0, len(batches), 50_000):
            conn.execute(insert(ImportBatch.__table__), batches[chunk : chunk + 50_000])  # type: ignore[attr-defined]

        projects, roles, updates = [], [], []
        per_project = max(1, spec["updates"] // spec["projects"])
        for p in range(1, spec["projects"] + 1):
            owner = leaf_ids[rng.randrange(len(leaf_ids))]
            stage = rng.choice(STAGES)
            fai = Decimal(rng.choice([800, 2000, 3000, 3500, 5000, 6000, 12000, 30000, 80000]))
            signed = (
                date(YEAR, rng.randint(1, 12), rng.randint(1, 28))
                if STAGE_ORDER.index(stage) >= STAGE_ORDER.index("signed")
                else None
            )
            started_on = (
                signed + timedelta(days=rng.randint(10, 90))
                if signed and stage in ("started", "producing")
                else None
            )
            if started_on and started_on.year > YEAR:
                started_on = date(YEAR, 12, 31)
            funds = fai * Decimal(rng.randint(0, 100)) / 100
            projects.append(
                {
                    "id": p,
                    "code": f"P{p:06d}",
                    "name": f"项目{p}",
                    "norm_name": f"项目{p}",
                    "investor": f"企业{p % 5000}",
                    "category": rng.choice(CATEGORIES),
                    "total_investment": _wan(fai * Decimal("1.2")),
                    "fai": _wan(fai),
                    "funds_in_place": _wan(funds),
                    "stage": stage,
                    "signed_on": signed,
                    "started_on": started_on,
                    "negotiating_on": date(YEAR - 1, 12, 1),
                    "last_reported_on": weeks[-1],
                    "created_at": now,
                    "updated_at": now,
                    "created_batch_id": batch_of[(owner, 0)],
                }
            )
            roles.append({"project_id": p, "unit_id": owner, "role": "sourcing"})
            landing = leaf_ids[rng.randrange(len(leaf_ids))]
            if landing != owner:
                roles.append({"project_id": p, "unit_id": landing, "role": "landing"})
            # what `zsyz import` writes on creation: the amounts' own rows (the first funds
            # update below) and one `*created*` snapshot of the other fields
            snap = {
                "code": f"P{p:06d}",
                "name": f"项目{p}",
                "investor": f"企业{p % 5000}",
                "category": projects[-1]["category"],
                "total_investment": str(fai * Decimal("1.2")),
                "fai": str(fai),
                "stage": stage,
                "negotiating_on": date(YEAR - 1, 12, 1).isoformat(),
                "roles:sourcing": code_of[owner],
            }
            if signed:
                snap["signed_on"] = signed.isoformat()
            if started_on:
                snap["started_on"] = started_on.isoformat()
            updates.append(
                {
                    "project_id": p,
                    "batch_id": batch_of[(owner, 0)],
                    "row": 5,
                    "field": "*created*",
                    "old_value": None,
                    "new_value": json.dumps(snap, ensure_ascii=False),
                    "effective_on": weeks[0],
                    "created_at": now,
                }
            )
            per_funds = per_project - 1  # the snapshot row counts among the updates
            step = max(1, 52 // per_funds)
            for k in range(per_funds):
                wi = min(51, k * step)
                value = (funds * Decimal(k + 1) / per_funds).quantize(Decimal("0.0001"))
                updates.append(
                    {
                        "project_id": p,
                        "batch_id": batch_of[(owner, wi)],
                        "row": 5,
                        "field": "funds_in_place",
                        "old_value": None,
                        "new_value": str(value),
                        "effective_on": weeks[wi],
                        "created_at": now,
                    }
                )
            if len(updates) >= 100_000:
                conn.execute(insert(Project.__table__), projects)  # type: ignore[attr-defined]
                conn.execute(insert(ProjectRole.__table__), roles)  # type: ignore[attr-defined]
                conn.execute(insert(ProjectUpdate.__table__), updates)  # type: ignore[attr-defined]
                projects, roles, updates = [], [], []
        if projects:
            conn.execute(insert(Project.__table__), projects)  # type: ignore[attr-defined]
            conn.execute(insert(ProjectRole.__table__), roles)  # type: ignore[attr-defined]
        if updates:
            conn.execute(insert(ProjectUpdate.__table__), updates)  # type: ignore[attr-defined]
        relink_all(conn)  # history intervals, as every writer keeps them
    if ledger.is_sqlite:
        with ledger.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    ledger.engine.dispose()
    return {"seconds": time.perf_counter() - started}


if __name__ == "__main__":
    kind, out = sys.argv[1], Path(sys.argv[2])
    preset = sys.argv[3] if len(sys.argv) > 3 else None
    figures = generate(kind, out, preset)
    print(f"{kind}: {out} generated in {figures['seconds']:.1f} s")
