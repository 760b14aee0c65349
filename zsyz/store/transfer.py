"""Moving ledgers between databases: `db copy` (one ledger, ids kept) and `db merge`
(several county ledgers into one city ledger, each under its own county unit).

Both stream every table in foreign-key order from one read snapshot of each source
into one write transaction on the target, so the target gets all of it or none.
Rows keep their ids shifted by a per-table offset (0 for a copy), which makes every
foreign key a simple addition and keeps the copy fast at province scale. Self
references (unit.parent_id, import_batch.superseded_by_id) are written in a second
pass, so row order never matters. PostgreSQL sequences are moved past the new ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, func, inspect, select, text, update
from sqlalchemy.engine import Connection

from zsyz.domain.names import normalize
from zsyz.errors import LedgerStateError, UsageError
from zsyz.store import migrate
from zsyz.store.engine import Ledger, open_ledger, sqlite_path
from zsyz.store.lifecycle import ledger_table_names
from zsyz.store.schema import HEAD_REVISION
from zsyz.store.tables import table_of

CHUNK = 2000
Row = dict[str, Any]
Tweak = Callable[[Row, Row], Row | None]  # (source row, shifted row) → row to write, None skips


def ledger_tables() -> list[Table]:
    """The ledger's tables, parents before children."""
    from sqlmodel import SQLModel

    import zsyz.store.tables  # noqa: F401

    return list(SQLModel.metadata.sorted_tables)


@dataclass
class TableCount:
    table: str
    source: int
    written: int


@dataclass
class Plan:
    """How one source's rows land in the target."""

    offsets: dict[str, int] = field(default_factory=dict)
    tweaks: dict[str, Tweak] = field(default_factory=dict)


# ---------------------------------------------------------------- target handling


def open_target(url: str, *, source: Ledger | None = None) -> tuple[Ledger, bool]:
    """The target ledger at the head schema; True when this call created its file."""
    target = open_ledger(url, must_exist=False, check_schema=False)
    if source is not None and target.url == source.url:
        raise UsageError("目标与来源是同一个台账")
    path = sqlite_path(target.url)
    created = path is not None and not path.exists()
    if path is not None and not path.parent.exists():
        raise LedgerStateError(f"目录 {path.parent} 不存在；请先创建")
    rev = migrate.current(target)
    if rev is None:
        with target.engine.connect() as conn:
            stray = set(inspect(conn).get_table_names()) & ledger_table_names()
        if stray:
            raise LedgerStateError(f"{target.where} 有台账表却没有版本信息；请换一个空数据库")
    elif rev != HEAD_REVISION:
        target.require_current()  # says: run zsyz db upgrade
    try:
        migrate.upgrade(target)
    except BaseException:
        discard_new(target, created)
        raise
    return target, created


def discard_new(target: Ledger, created: bool) -> None:
    """Delete a SQLite target file this command created and could not fill."""
    target.engine.dispose()
    path = sqlite_path(target.url)
    if created and path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def row_counts(conn: Connection) -> dict[str, int]:
    return {
        t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
        for t in ledger_tables()
    }


def max_ids(conn: Connection) -> dict[str, int]:
    return {
        t.name: conn.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one()
        for t in ledger_tables()
    }


def lock_for_bulk_write(conn: Connection) -> None:
    """PostgreSQL: keep other writers out while ids are chosen by offset (readers may go
    on). SQLite's BEGIN IMMEDIATE already does this."""
    if conn.dialect.name == "postgresql":
        names = ", ".join(t.name for t in ledger_tables())
        conn.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))


def reset_sequences(conn: Connection) -> None:
    """PostgreSQL: the next id each table hands out follows the largest id written."""
    if conn.dialect.name != "postgresql":
        return
    for t in ledger_tables():
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {t.name}), 0) + 1, false)"
            )
        )


# ---------------------------------------------------------------- the row pump


def _foreign_keys(table: Table) -> dict[str, str]:
    """column → referenced table."""
    return {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}


def transfer(src: Connection, dst: Connection, plan: Plan) -> list[TableCount]:
    """Stream every table from `src` into `dst` as `plan` says."""
    counts = []
    for table in ledger_tables():
        counts.append(_transfer_table(src, dst, table, plan))
    return counts


def _transfer_table(src: Connection, dst: Connection, table: Table, plan: Plan) -> TableCount:
    fks = _foreign_keys(table)
    own = plan.offsets.get(table.name, 0)
    self_refs = [c for c, ref in fks.items() if ref == table.name]
    tweak = plan.tweaks.get(table.name)
    later: dict[str, list[Row]] = {c: [] for c in self_refs}
    source = written = 0
    batch: list[Row] = []
    result = src.execution_options(yield_per=CHUNK).execute(select(table).order_by(table.c.id))
    for record in result:
        source += 1
        original = dict(record._mapping)
        row = dict(original)
        row["id"] = original["id"] + own
        for col, ref in fks.items():
            if row[col] is not None:
                row[col] += plan.offsets.get(ref, 0)
        shaped = tweak(original, row) if tweak else row
        if shaped is None:
            continue
        for col in self_refs:
            if original[col] is not None:  # points into this copy: set after all rows exist
                later[col].append({"_id": shaped["id"], "_v": shaped[col]})
                shaped[col] = None
        batch.append(shaped)
        if len(batch) >= CHUNK:
            written += _insert(dst, table, batch)
            batch = []
    written += _insert(dst, table, batch)
    for col, pairs in later.items():
        if pairs:
            stmt = (
                update(table).where(table.c.id == bindparam("_id")).values({col: bindparam("_v")})
            )
            dst.execute(stmt, pairs)
    return TableCount(table.name, source, written)


def _insert(dst: Connection, table: Table, rows: list[Row]) -> int:
    if rows:
        dst.execute(table.insert(), rows)
    return len(rows)


# ---------------------------------------------------------------- db copy


def copy_ledger(source: Ledger, target_url: str) -> tuple[Ledger, list[TableCount]]:
    """Copy `source` whole into an empty database (ids preserved); refuse a non-empty one."""
    target, created = open_target(target_url, source=source)
    try:
        with source.read() as src_session, target.write() as dst_session:
            src, dst = src_session.connection(), dst_session.connection()
            lock_for_bulk_write(dst)
            full = {name: n for name, n in row_counts(dst).items() if n}
            if full:
                listed = "、".join(f"{name} {n} 行" for name, n in sorted(full.items()))
                raise LedgerStateError(
                    f"目标 {target.where} 不是空台账（{listed}）；db copy 只写入空数据库"
                )
            counts = transfer(src, dst, Plan())
            reset_sequences(dst)
            _verify(dst, {c.table: c.source for c in counts})
    except BaseException:
        discard_new(target, created)
        raise
    return target, counts


def _verify(dst: Connection, expected: dict[str, int]) -> None:
    actual = row_counts(dst)
    wrong = [f"{t} 应有 {n} 行，实有 {actual[t]} 行" for t, n in expected.items() if actual[t] != n]
    if wrong:
        raise LedgerStateError(f"复制后核对行数不符（{'；'.join(wrong)}），已全部撤销")


# ---------------------------------------------------------------- db merge


@dataclass
class MergeResult:
    county: str
    source: str
    counts: list[TableCount]
    skipped_aliases: list[str]


def county_name_for(source: Ledger) -> str:
    """The default county name of a source ledger: its file name without suffix."""
    path = sqlite_path(source.url)
    if path is None:
        raise UsageError(f"{source.where} 不是 SQLite 文件；请用 --as-county 指定县名")
    return path.stem


def merge_ledgers(
    sources: Iterable[tuple[Ledger, str]], target_url: str
) -> tuple[Ledger, list[MergeResult]]:
    """Bring county ledgers into one city ledger: each source's units under a new unit of
    class `county`, unit and project codes prefixed with the county name, names
    prefixed where they lack it, ids shifted, policies kept. All or nothing."""
    pairs = list(sources)
    names = [normalize(c) for _, c in pairs]
    if len(set(names)) != len(names):
        raise UsageError("县名重复；每个来源台账要用不同的 --as-county 名称")
    target, created = open_target(target_url)
    if any(target.url == s.url for s, _ in pairs):
        discard_new(target, created)
        raise UsageError("目标不能同时是来源台账")
    results = []
    try:
        with target.write() as dst_session:
            dst = dst_session.connection()
            lock_for_bulk_write(dst)
            for source, county in pairs:
                with source.read() as src_session:
                    results.append(_merge_one(src_session.connection(), dst, source, county))
            reset_sequences(dst)
    except BaseException:
        discard_new(target, created)
        raise
    return target, results


def _taken_names(dst: Connection) -> set[str]:
    unit, alias = table_of("unit"), table_of("unit_alias")
    taken: set[str] = set()
    for code, name in dst.execute(select(unit.c.code, unit.c.name)):
        taken.update((normalize(code), normalize(name)))
    taken.update(normalize(a) for (a,) in dst.execute(select(alias.c.alias)))
    return taken


def _merge_one(src: Connection, dst: Connection, source: Ledger, county: str) -> MergeResult:
    county = county.strip()
    if not county:
        raise UsageError("县名不能为空")
    before = row_counts(dst)
    offsets = max_ids(dst)
    taken = _taken_names(dst)
    county_id = _add_county(dst, county, offsets, taken)
    project_codes = {normalize(c) for (c,) in dst.execute(select(table_of("project").c.code))}
    skipped: list[str] = []
    new_names: dict[int, str] = {}

    def prefixed(text_: str) -> str:
        if text_.startswith(county):
            return text_
        if text_[:1] == county[-1:] and len(text_) > 2:  # 县商务局 → 镇平县商务局
            return f"{county}{text_[1:]}"
        return f"{county}{text_}"

    def unit_tweak(original: Row, row: Row) -> Row:
        row["code"] = _code(county, original["code"])
        row["name"] = prefixed(original["name"])
        for key in (row["code"], row["name"]):
            if normalize(key) in taken:
                raise LedgerStateError(f"合并「{county}」时单位「{key}」与目标台账已有单位重名")
            taken.add(normalize(key))
        if original["parent_id"] is None:
            row["parent_id"] = county_id
        new_names[row["id"]] = row["name"]
        return row

    def alias_tweak(_original: Row, row: Row) -> Row | None:
        alias = prefixed(row["alias"])
        if normalize(alias) == normalize(new_names[row["unit_id"]]):
            return None  # the prefixed name itself: nothing to add
        if normalize(alias) in taken:
            skipped.append(alias)
            return None
        taken.add(normalize(alias))
        row["alias"] = alias
        return row

    def project_tweak(original: Row, row: Row) -> Row:
        row["code"] = _code(county, original["code"])
        if normalize(row["code"]) in project_codes:
            raise LedgerStateError(f"合并「{county}」时项目编码「{row['code']}」已存在")
        return row

    plan = Plan(
        offsets,
        {"unit": unit_tweak, "unit_alias": alias_tweak, "project": project_tweak},
    )
    counts = transfer(src, dst, plan)
    expected = {
        c.table: before[c.table] + c.source + (1 if c.table == "unit" else 0) for c in counts
    }
    aliases = next(c for c in counts if c.table == "unit_alias")
    expected["unit_alias"] = before["unit_alias"] + aliases.written
    _verify(dst, expected)
    return MergeResult(county, source.where, counts, skipped)


def _add_county(dst: Connection, county: str, offsets: dict[str, int], taken: set[str]) -> int:
    """The merged county's own unit in the target ledger; its id. The source's units
    are then shifted clear of it, and its name is taken."""
    if normalize(county) in taken:
        raise LedgerStateError(
            f"目标台账已有单位「{county}」；若已合并过该县请勿重复合并，否则用 --as-county 换个名称"
        )
    county_id = offsets["unit"] + 1
    dst.execute(
        table_of("unit").insert(),
        {"id": county_id, "code": county, "name": county, "unit_class": "county"}
        | {"group_name": "county", "parent_id": None, "active": True},
    )
    taken.add(normalize(county))
    offsets["unit"] += 1  # source unit n becomes n + offset, clear of the county unit
    return county_id


def _code(county: str, code: str) -> str:
    out = f"{county}.{code}"
    if len(out) > 64:
        raise UsageError(f"编码「{out}」超过 64 个字符；请用更短的 --as-county 名称")
    return out
