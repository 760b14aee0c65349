"""Opening a ledger for reading on the bare database driver: no ORM, no SQLAlchemy.

Read commands (`progress`, `rank`, `rewards`, `alerts`, the lists) only run plain SQL
(`store/sqltext.py`), so they need not pay for importing SQLAlchemy, SQLModel and pydantic
at every start. A `Reader` accepts the same ledger addresses as `engine.open_ledger` (a
path, `sqlite:///path`, `postgresql[+psycopg]://…`, `$ZSYZ_DB`, ./zsyz.db), refuses the
same files with the same Chinese lines, and checks the schema version with ONE query.
`read()` is one snapshot: `BEGIN` on SQLite (WAL: the snapshot starts at the first
read), `REPEATABLE READ READ ONLY` on PostgreSQL. An address it does not know is left to
`engine.open_ledger`, which opens it (or refuses it) as every other command does.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from zsyz.errors import LedgerBusyError, LedgerStateError
from zsyz.store.schema import HEAD_REVISION
from zsyz.store.sqltext import sqlite_params

DEFAULT_LEDGER = "zsyz.db"
_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")  # `:name`, not a `::type` cast
_OPEN: list[Reader] = []


class Reader:
    """One connection to a ledger, read in snapshots (`read()`); `.rows(sql, params)`
    runs text with `:name` parameters and gives tuples of the driver's own values."""

    def __init__(self, conn: Any, where: str, *, sqlite: bool) -> None:
        self.conn = conn
        self.where = where
        self.is_sqlite = sqlite

    @property
    def dialect(self) -> str:
        """Named as SQLAlchemy names it: dialect-dependent SQL asks `sqltext.dialect_name`."""
        return "sqlite" if self.is_sqlite else "postgresql"

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        try:
            if self.is_sqlite:
                return self.conn.execute(sql, sqlite_params(params or {})).fetchall()  # type: ignore[no-any-return]
            with self.conn.cursor() as cur:
                cur.execute(pg_sql(sql), dict(params or {}))
                return [tuple(r) for r in cur.fetchall()]
        except Exception as exc:
            raise _busy(exc, self.where) or exc from None

    @contextmanager
    def read(self) -> Iterator[Reader]:
        """One read transaction: every query inside sees the same snapshot."""
        begin = "BEGIN" if self.is_sqlite else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        self._run(begin)
        try:
            yield self
        finally:
            self._run("ROLLBACK")

    def _run(self, sql: str) -> None:
        try:
            self.conn.execute(sql)
        except Exception as exc:
            raise _busy(exc, self.where) or exc from None

    def close(self) -> None:
        try:
            self.conn.close()
        finally:
            if self in _OPEN:
                _OPEN.remove(self)


def pg_sql(sql: str) -> str:
    """`:name` parameters as psycopg's `%(name)s` (a `::type` cast left alone, `%` doubled)."""
    return _PARAM.sub(r"%(\1)s", sql.replace("%", "%%"))


def _busy(exc: BaseException, where: str) -> LedgerBusyError | None:
    msg = str(exc).lower()
    locked = isinstance(exc, sqlite3.OperationalError) and ("locked" in msg or "busy" in msg)
    if locked or getattr(exc, "sqlstate", None) == "55P03":
        return LedgerBusyError(f"台账 {where} 正被其他进程写入，等待超时；请稍后重试")
    return None


def close_all() -> None:
    """Close every reader this process opened (end of a CLI command)."""
    for reader in list(_OPEN):
        reader.close()


def sqlite_file(raw: str) -> Path | None:
    """The file of a SQLite address as `engine.resolve_url` reads it: a plain path, or
    `sqlite:///path` (`sqlite:////abs`); None for anything else (left to the engine)."""
    if "://" not in raw:
        return Path(raw).expanduser().resolve()
    if raw.startswith("sqlite:///") and "?" not in raw and len(raw) > len("sqlite:///"):
        return Path(raw[len("sqlite:///") :])
    return None


def postgres_dsn(raw: str) -> str | None:
    """A libpq URI for a PostgreSQL address the engine takes through psycopg."""
    scheme, _, rest = raw.partition("://")
    if scheme in ("postgres", "postgresql", "postgresql+psycopg") and rest:
        return f"postgresql://{rest}"
    return None


def open_reader(db: str | None) -> Any:
    """A `Reader` for the ledger named by `--db`/ZSYZ_DB/./zsyz.db, schema checked; for an
    address only SQLAlchemy knows, the engine's `Ledger` (same `.read()` contract)."""
    raw = db or os.environ.get("ZSYZ_DB") or DEFAULT_LEDGER
    path = sqlite_file(raw)
    dsn = None if path is not None else postgres_dsn(raw)
    if path is None and dsn is None:
        from zsyz.store.engine import open_ledger

        return open_ledger(db)
    timeout = busy_timeout_ms()
    reader = _sqlite(path, timeout) if path is not None else _postgres(dsn or "", raw, timeout)
    _OPEN.append(reader)
    try:
        _require_current(reader)
    except BaseException:
        reader.close()
        raise
    return reader


def busy_timeout_ms() -> int:
    """ZSYZ_BUSY_TIMEOUT_MS (default 15 s); anything but a whole number of ms is a usage error."""
    from zsyz.errors import UsageError

    raw = os.environ.get("ZSYZ_BUSY_TIMEOUT_MS", "").strip() or "15000"
    if not raw.isascii() or not raw.isdigit() or int(raw) > 86_400_000:
        raise UsageError(
            f"环境变量 ZSYZ_BUSY_TIMEOUT_MS 应为等待的毫秒数（0–86400000 的整数），"
            f"而不是「{raw[:40]}」；请改正或删除该变量"
        )
    return int(raw)


def _sqlite(path: Path, timeout: int) -> Reader:
    if not path.exists():
        raise LedgerStateError(f"台账 {path} 不存在；请先运行 zsyz init 新建，或用 --db 指定台账")
    refuse_odd_file(path, empty_ok=False)
    try:
        conn = sqlite3.connect(
            str(path),
            timeout=timeout / 1000,
            isolation_level=None,  # transactions are begun and ended here
            check_same_thread=False,
        )
    except sqlite3.Error as exc:
        raise LedgerStateError(f"无法打开台账 {path}：{_first_line(exc)}") from exc
    conn.execute(f"PRAGMA busy_timeout = {timeout}")
    return Reader(conn, str(path), sqlite=True)


def _postgres(dsn: str, raw: str, timeout: int) -> Reader:
    where = _hide_password(f"postgresql+psycopg://{raw.partition('://')[2]}")  # as the engine
    try:
        import psycopg
    except ModuleNotFoundError as exc:
        from zsyz.errors import UsageError

        raise UsageError(f"使用 {where} 需要数据库驱动 {exc.name}；请安装 zsyz[postgres]") from exc
    try:
        conn = psycopg.connect(dsn, autocommit=True)
    except psycopg.Error as exc:
        raise LedgerStateError(f"无法打开台账 {where}：{_first_line(exc)}") from exc
    conn.execute(f"SET lock_timeout = {timeout}")
    return Reader(conn, where, sqlite=False)


def _hide_password(url: str) -> str:
    """The address without its password (as `engine.describe` shows it)."""
    return re.sub(r"^([^:/]+://[^:/@]*):[^@]*@", r"\1:***@", url)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or ["?"])[0]


def _require_current(reader: Reader) -> None:
    """Stop with one line when the ledger's schema is not the code's: one query."""
    try:
        found = reader.rows("SELECT version_num FROM alembic_version")
    except LedgerBusyError:
        raise
    except Exception as exc:  # no such table, not a database, damaged: say which
        _refuse_unversioned(reader, exc)
        found = []
    rev = found[0][0] if found else None
    if rev == HEAD_REVISION:
        return
    if rev is None:
        raise LedgerStateError(
            f"{reader.where} 不是 zsyz 台账（没有版本信息）；请用 zsyz init 新建台账"
        )
    if not known_revision(rev):
        raise LedgerStateError(newer_message(rev))
    raise LedgerStateError(
        f"台账结构版本 {rev} 落后于程序（{HEAD_REVISION}）；请先运行 zsyz db upgrade"
    )


def _refuse_unversioned(reader: Reader, exc: Exception) -> None:
    """Why `alembic_version` could not be read, in the engine's words; returns when the
    ledger simply has no version table and nothing else (an empty database)."""
    where = reader.where
    if not reader.is_sqlite:
        if getattr(exc, "sqlstate", None) == "42P01":  # undefined_table
            return
        raise LedgerStateError(f"无法打开台账 {where}：{_first_line(exc)}") from exc
    why = str(exc).lower()
    if "not a database" in why:
        raise LedgerStateError(
            f"{where} 不是 SQLite 数据库文件，不是 zsyz 台账；请核对 --db 或 ZSYZ_DB"
        ) from exc
    if "no such table" not in why:
        raise LedgerStateError(
            f"台账 {where} 已损坏（{exc}）；请用 zsyz db check 查看，或从备份恢复"
        ) from exc
    tables = sorted(r[0] for r in reader.rows("SELECT name FROM sqlite_master WHERE type='table'"))
    if tables:
        shown = "、".join(tables[:5])
        raise LedgerStateError(
            f"{where} 是其他程序的 SQLite 数据库（表：{shown}），不是 zsyz 台账，"
            "未作任何改动；请核对 --db 或 ZSYZ_DB"
        ) from exc


def known_revision(rev: str) -> bool:
    """Is `rev` one of this program's schema revisions, or older than them all? False:
    the ledger was written by a newer zsyz (revision ids start with their number)."""
    from importlib import resources

    number = re.match(r"\d+", rev)
    head = re.match(r"\d+", HEAD_REVISION)
    if number is None or head is None or int(number.group()) <= int(head.group()):
        return True

    quoted = (f"'{rev}'", f'"{rev}"')
    try:
        files = list(resources.files("zsyz.migrations.versions").iterdir())
    except (ModuleNotFoundError, OSError):  # no migrations shipped: cannot tell
        return True
    for f in files:
        if f.name.endswith(".py"):
            for line in f.read_text(encoding="utf-8").splitlines():
                if line.startswith("revision") and any(q in line for q in quoted):
                    return True
    return False


def newer_message(rev: str) -> str:
    return (
        f"台账结构版本 {rev} 比本程序新（本程序支持到 {HEAD_REVISION}），是更新版本的 zsyz 写的；"
        f"需要能读结构版本 {rev} 的 zsyz：请升级 zsyz 后再用（旧程序不会改动它）"
    )


def refuse_odd_file(path: Path, *, empty_ok: bool) -> None:
    """A folder, pipe or device named as the ledger is refused by its stat alone (SQLite
    would block on a pipe); so is an empty file, except where a schema is to be built or
    inspected (`db upgrade` from nothing): elsewhere SQLite would turn it into a database."""
    import stat

    try:
        st = path.stat()
    except OSError:
        return  # absent (init creates it) or unreadable: SQLite reports it
    if stat.S_ISDIR(st.st_mode):
        raise LedgerStateError(f"{path} 是文件夹，不是台账文件；请用 --db 指定台账文件")
    if not stat.S_ISREG(st.st_mode):
        raise LedgerStateError(f"{path} 不是普通文件（管道或设备），不是 zsyz 台账；请核对 --db")
    if not empty_ok and st.st_size == 0:
        raise LedgerStateError(
            f"{path} 是空文件，不是 zsyz 台账，未作任何改动；请用 zsyz init 新建台账"
        )
