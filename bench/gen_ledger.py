"""Generate a county or province ledger for benchmarks, directly through bulk SQL.

    python bench/gen_ledger.py county   bench/out/county.db   [zhenping-2020]
    python bench/gen_ledger.py province bench/out/province.db [zhenping-2020]

county:   100 units,    2,000 projects, a year of weekly reports (~50,000 updates)
province: 10,000 units, 100,000 projects, 1,000,000 updates

Updates are what import writes: per project one `*created*` snapshot row, then
cumulative funds reported over the year (history.py's contract).

Deterministic (seeded) so figures compare across runs. The rows are written at the
schema revision this generator was written for (`GEN_REVISION`, through the tables as
reflected from the database, so columns added later are never half-filled by accident);
then the ledger is upgraded to the code's head with zsyz's own migrations, which fill
whatever a later revision adds for existing ledgers, and the policy is installed as
`zsyz init --preset … --with-examples` does. Amounts are written as zsyz stores them
(integer 元 = 万元 × 10,000, `store/types.to_scaled`); `bench/check_ledger.py` proves a
stored amount equals its history value. Units are nested province > county > unit.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

# The revision the rows below match. Keep it when main's head moves on: the migrations
# bring the generated ledger up to head. Change it (and GEN_VERSION) only with the rows.
GEN_REVISION = "0003_r13_adjustments"
GEN_VERSION = 3  # 1: amounts scaled twice (a stored fai was 10,000× its history value)
# 2: batches counted no projects (db check: batch_counts)

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
WEEKS = [date.fromisocalendar(YEAR, w, 5) for w in range(1, 53)]
Row = dict[str, Any]


def _yuan(wan: Decimal) -> int:
    """An amount in 万元 as the ledger stores it: whole 元 (the one scaling there is)."""
    from zsyz.store.types import to_scaled

    return to_scaled(wan)


def stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".gen.json")


def read_stamp(path: Path) -> dict[str, Any]:
    """What made the ledger at `path` (empty when unknown: generate it again)."""
    try:
        stamp = json.loads(stamp_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def generate(kind: str, path: Path, preset: str | None = "zhenping-2020") -> dict[str, float]:
    from sqlalchemy import MetaData

    from zsyz.store import migrate
    from zsyz.store.engine import open_ledger

    spec = SCALES[kind]
    rng = random.Random(20221)
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", ".gen.json"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    ledger = open_ledger(str(path), must_exist=False, check_schema=False)
    migrate.upgrade(ledger, GEN_REVISION)
    now = datetime.now(UTC).replace(microsecond=0)
    with ledger.engine.begin() as conn:
        meta = MetaData()
        meta.reflect(
            conn, only=["unit", "import_batch", "project", "project_role", "project_update"]
        )
        units, leaf_ids = _units(spec, now)
        _insert(conn, meta.tables["unit"], units)
        batch_of = _batches(conn, meta.tables["import_batch"], leaf_ids, now)
        code_of = {u["id"]: u["code"] for u in units}
        _projects(conn, meta, spec, rng, leaf_ids, code_of, batch_of, now)
    migrate.upgrade(ledger)  # to the code's head: later revisions fill what they add
    if preset:
        _install(ledger, preset)
    # No ANALYZE: zsyz never runs it, so a ledger it builds has no planner statistics either.
    ledger.engine.dispose()
    seconds = time.perf_counter() - started
    stamp = {"kind": kind, "gen_version": GEN_VERSION, "generated_at": GEN_REVISION}
    stamp_path(path).write_text(json.dumps(stamp), encoding="utf-8")
    return {"seconds": seconds}


def _install(ledger: Any, preset: str) -> None:
    """What `zsyz init --preset P --with-examples` adds after creating the tables (the use
    case lives in app/ since the layer step, in store/ before it: `--code` may time either)."""
    from importlib import import_module

    from zsyz.policy.load import resolve_source

    for where in ("zsyz.app.policies", "zsyz.store.policies"):
        install = getattr(_module(import_module, where), "install_policy", None)
        if install is not None:
            print(install(ledger, resolve_source(preset, None), None, with_examples=True))
            return
    raise SystemExit("gen_ledger: no install_policy in zsyz.app.policies or zsyz.store.policies")


def _module(import_module: Any, name: str) -> Any:
    try:
        return import_module(name)
    except ImportError:
        return None


def _insert(conn: Any, table: Any, rows: list[Row], chunk: int = 50_000) -> None:
    for i in range(0, len(rows), chunk):
        conn.execute(table.insert(), rows[i : i + chunk])


def _units(spec: dict[str, int], now: datetime) -> tuple[list[Row], list[int]]:
    units: list[Row] = []
    county_ids: list[int | None] = []
    next_id = 1
    for c in range(spec["counties"]):
        if spec["counties"] > 1:
            units.append(_unit(next_id, f"cty{c:03d}", f"第{c + 1}县", "county", None, now))
            county_ids.append(next_id)
            next_id += 1
        else:
            county_ids.append(None)
    per_county = spec["units"] // spec["counties"]
    leaf_ids: list[int] = []
    for c, county_id in enumerate(county_ids):
        for u in range(per_county - (1 if county_id else 0)):
            cls = "township" if u % 3 == 0 else ("dept_a" if u % 3 == 1 else "dept_c")
            name = f"第{c + 1}县单位{u + 1}"
            units.append(_unit(next_id, f"c{c:03d}u{u:03d}", name, cls, county_id, now))
            leaf_ids.append(next_id)
            next_id += 1
    return units, leaf_ids


def _unit(uid: int, code: str, name: str, cls: str, parent: int | None, now: datetime) -> Row:
    group = cls if cls in ("county", "township") else "dept"
    return {
        "id": uid,
        "code": code,
        "name": name,
        "unit_class": cls,
        "group_name": group,
        "parent_id": parent,
        "active": True,
        "created_at": now,
    }


def _batches(
    conn: Any, table: Any, leaf_ids: list[int], now: datetime
) -> dict[tuple[int, int], int]:
    """One imported weekly report per unit and week of the year."""
    batches: list[Row] = []
    batch_of: dict[tuple[int, int], int] = {}
    for unit_id in leaf_ids:
        for wi, day in enumerate(WEEKS):
            batch_of[(unit_id, wi)] = len(batches) + 1
            batches.append(
                {
                    "id": len(batches) + 1,
                    "file_name": f"u{unit_id}-w{wi + 1}.xlsx",
                    "sha256": f"{unit_id:08x}{wi:04x}".ljust(64, "0"),
                    "unit_id": unit_id,
                    "all_units": False,
                    "period": f"{YEAR}-W{wi + 1:02d}",
                    "period_named": False,
                    "report_date": day,
                    "imported_at": now,
                    "status": "imported",
                    "kind": "import",
                    "rows": 0,
                    "created": 0,
                    "updated": 0,
                    "warnings": [],
                }
            )
    _insert(conn, table, batches)
    return batch_of


def _project(p: int, rng: random.Random, batch_id: int, now: datetime) -> tuple[Row, Row]:
    """The project row as import leaves it, and its `*created*` snapshot (values in 万元)."""
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
    funds = (fai * Decimal(rng.randint(0, 100)) / 100).quantize(Decimal("0.0001"))
    category = rng.choice(CATEGORIES)
    total = fai * Decimal("1.2")
    snap: Row = {
        "code": f"P{p:06d}",
        "name": f"项目{p}",
        "investor": f"企业{p % 5000}",
        "category": category,
        "total_investment": str(total),
        "fai": str(fai),
        "stage": stage,
        "negotiating_on": date(YEAR - 1, 12, 1).isoformat(),
    }
    if signed:
        snap["signed_on"] = signed.isoformat()
    if started_on:
        snap["started_on"] = started_on.isoformat()
    row = {
        "id": p,
        "code": snap["code"],
        "name": snap["name"],
        "norm_name": snap["name"],
        "investor": snap["investor"],
        "category": category,
        "total_investment": _yuan(total),
        "fai": _yuan(fai),
        "funds_in_place": _yuan(funds),
        "stage": stage,
        "signed_on": signed,
        "started_on": started_on,
        "negotiating_on": date(YEAR - 1, 12, 1),
        "last_reported_on": WEEKS[-1],
        "created_at": now,
        "updated_at": now,
        "created_batch_id": batch_id,
    }
    return row, snap


def _history(
    p: int, snap: Row, funds: int, per_project: int, batch_of: Any, owner: int, now: datetime
) -> list[Row]:
    """What `zsyz import` writes on creation (one `*created*` snapshot of the fields), then
    the cumulative funds reported over the year; the last report is the stored value."""
    wan = Decimal(funds) / 10_000
    rows = [
        _update(
            p,
            batch_of[(owner, 0)],
            "*created*",
            json.dumps(snap, ensure_ascii=False),
            WEEKS[0],
            now,
        )
    ]
    per_funds = per_project - 1  # the snapshot row counts among the updates
    step = max(1, 52 // per_funds)
    for k in range(per_funds):
        wi = min(51, k * step)
        value = (wan * Decimal(k + 1) / per_funds).quantize(Decimal("0.0001"))
        rows.append(_update(p, batch_of[(owner, wi)], "funds_in_place", str(value), WEEKS[wi], now))
    return rows


def _update(p: int, batch: int, field: str, value: str, day: date, now: datetime) -> Row:
    return {
        "project_id": p,
        "batch_id": batch,
        "row": 5,
        "field": field,
        "old_value": None,
        "new_value": value,
        "effective_on": day,
        "created_at": now,
    }


def _projects(
    conn: Any,
    meta: Any,
    spec: dict[str, int],
    rng: random.Random,
    leaf_ids: list[int],
    code_of: dict[Any, Any],
    batch_of: Any,
    now: datetime,
) -> None:
    """Projects, their roles and history; then each batch's counts as import keeps them
    (`created`: projects it made; `created + updated`: projects its history rows touch),
    which `zsyz db check` verifies."""
    made: Counter[int] = Counter()
    touched: Counter[int] = Counter()
    projects: list[Row] = []
    roles: list[Row] = []
    updates: list[Row] = []
    per_project = max(2, spec["updates"] // spec["projects"])

    def flush() -> None:
        _insert(conn, meta.tables["project"], projects)
        _insert(conn, meta.tables["project_role"], roles)
        _insert(conn, meta.tables["project_update"], updates)
        projects.clear()
        roles.clear()
        updates.clear()

    for p in range(1, spec["projects"] + 1):
        owner = leaf_ids[rng.randrange(len(leaf_ids))]
        row, snap = _project(p, rng, batch_of[(owner, 0)], now)
        snap["roles:sourcing"] = code_of[owner]
        projects.append(row)
        roles.append({"project_id": p, "unit_id": owner, "role": "sourcing"})
        landing = leaf_ids[rng.randrange(len(leaf_ids))]
        if landing != owner:
            roles.append({"project_id": p, "unit_id": landing, "role": "landing"})
        history = _history(p, snap, row["funds_in_place"], per_project, batch_of, owner, now)
        made[row["created_batch_id"]] += 1
        touched.update({h["batch_id"] for h in history})
        updates += history
        if len(updates) >= 100_000:
            flush()
    flush()
    _batch_counts(conn, meta.tables["import_batch"], made, touched)


def _batch_counts(conn: Any, table: Any, made: Counter[int], touched: Counter[int]) -> None:
    from sqlalchemy import bindparam

    counts = [
        {"bid": b, "c": made[b], "u": n - made[b], "r": n} for b, n in sorted(touched.items())
    ]
    stmt = (
        table.update()
        .where(table.c.id == bindparam("bid"))
        .values(created=bindparam("c"), updated=bindparam("u"), rows=bindparam("r"))
    )
    for i in range(0, len(counts), 50_000):
        conn.execute(stmt, counts[i : i + 50_000])


if __name__ == "__main__":
    kind, out = sys.argv[1], Path(sys.argv[2])
    preset = sys.argv[3] if len(sys.argv) > 3 else "zhenping-2020"
    figures = generate(kind, out, preset)
    print(f"{kind}: {out} generated in {figures['seconds']:.1f} s")
    from check_ledger import main as check

    check([str(out)])
