"""Opening a ledger: where it is, how connections behave, one transaction per use case.

SQLite: foreign keys on, WAL, a busy timeout, and writers start with BEGIN IMMEDIATE
(SQLAlchemy's documented pysqlite recipe) so two writers queue instead of deadlocking
on a lock upgrade. PostgreSQL: the same code through psycopg 3; writers run SERIALIZABLE
(so "check, then write" use cases stay correct without a global lock), readers get a
REPEATABLE READ snapshot, and `lock_timeout` plays the busy timeout. A write that loses
a serialization race is retried by `Ledger.run_write` (store/retry.py).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from zsyz.errors import LedgerBusyError, LedgerConflictError, LedgerStateError, UsageError
from zsyz.store.reader import busy_timeout_ms, refuse_odd_file
from zsyz.store.reader import known_revision as known_revision  # callers import them here
from zsyz.store.reader import newer_message as newer_message
from zsyz.store.schema import HEAD_REVISION

T = TypeVar("T")

DEFAULT_LEDGER = "zsyz.db"


try:
    BUSY_TIMEOUT_MS = busy_timeout_ms()
except UsageError:  # reported when a ledger is opened (make_engine), as one line
    BUSY_TIMEOUT_MS = 15000


def resolve_url(db: str | None) -> str:
    """`--db`, else ZSYZ_DB, else ./zsyz.db. A plain path means SQLite."""
    raw = db or os.environ.get("ZSYZ_DB") or DEFAULT_LEDGER
    if "://" not in raw:
        return f"sqlite:///{Path(raw).expanduser().resolve()}"
    scheme, rest = raw.split("://", 1)
    url = f"postgresql+psycopg://{rest}" if scheme in ("postgres", "postgresql") else raw
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise UsageError(_bad_url(url)) from exc
    return url


def _bad_url(url: str) -> str:
    return (
        f"无法识别的台账地址「{describe_safely(url)}」；应为文件路径、sqlite:///路径 或 "
        "postgresql+psycopg://用户@主机/库"
    )


def describe_safely(url: str) -> str:
    """The URL without its password, even when it does not parse."""
    try:
        return describe(url)
    except Exception:
        return url.split("@")[-1] if "@" in url else url


def describe(url: str) -> str:
    """How to name the ledger to a person: the file for SQLite, the URL sans password."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    return u.render_as_string(hide_password=True)


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _install_sqlite_behaviour(engine: Engine, timeout: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {timeout}")
        cur.execute("PRAGMA foreign_keys = ON")
        _refuse_foreign(cur, engine)
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("zsyz_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _refuse_foreign(cur: Any, engine: Engine) -> None:
    """Asked on the engine's own connection before it switches to WAL: a file that is not
    SQLite, a damaged one, or another program's database is refused and left as it was.
    (Never open the ledger file outside SQLite: closing any descriptor of it drops this
    process's SQLite locks, and a writer elsewhere may then overwrite what a reader reads.)"""
    try:
        tables = {r[0] for r in cur.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        why = str(exc).lower()
        if "locked" in why or "busy" in why:
            raise
        where = engine.url.database
        if "not a database" in why:
            raise LedgerStateError(
                f"{where} 不是 SQLite 数据库文件，不是 zsyz 台账；请核对 --db 或 ZSYZ_DB"
            ) from exc
        raise LedgerStateError(
            f"台账 {where} 已损坏（{exc}）；请用 zsyz db check 查看，或从备份恢复"
        ) from exc
    if tables and "alembic_version" not in tables:
        shown = "、".join(sorted(tables)[:5])
        raise LedgerStateError(
            f"{engine.url.database} 是其他程序的 SQLite 数据库（表：{shown}），不是 zsyz 台账，"
            "未作任何改动；请核对 --db 或 ZSYZ_DB"
        )


def _install_postgresql_behaviour(engine: Engine, timeout: int) -> None:
    # psycopg logs a second warning when a pipeline (executemany) ends in the error we
    # already report as one line (exit 75 on a conflict): keep stderr to that line.
    logging.getLogger("psycopg").setLevel(logging.ERROR)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # lock_timeout is PostgreSQL's busy timeout: waiting longer raises 55P03.
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET lock_timeout = {timeout}")
        dbapi_conn.commit()


LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: lock_timeout expired
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock


def sqlstate(exc: BaseException) -> str | None:
    return getattr(getattr(exc, "orig", exc), "sqlstate", None)


def is_busy_error(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", exc)
    if isinstance(orig, sqlite3.OperationalError):
        msg = str(orig).lower()
        return "locked" in msg or "busy" in msg
    return sqlstate(exc) == LOCK_NOT_AVAILABLE


def fault_message(exc: BaseException) -> str | None:
    """One Chinese line for a fault of the machine or the file, not of zsyz: a full disk,
    a damaged ledger, a read-only place. None for anything else."""
    import errno

    orig = getattr(exc, "orig", exc)
    text_ = str(orig).lower()
    if (isinstance(orig, OSError) and orig.errno == errno.ENOSPC) or "disk is full" in text_:
        return "磁盘空间已满，本次操作未完成（台账保持操作前的状态）；请清理磁盘后重试"
    if isinstance(orig, sqlite3.DatabaseError) and (
        "malformed" in text_ or "not a database" in text_ or "corrupt" in text_
    ):
        return f"台账已损坏（{orig}）；请运行 zsyz db check 查看，并从备份恢复"
    if isinstance(orig, OSError) and orig.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
        return f"没有权限：{orig.strerror}（{orig.filename}）；请检查文件和目录的权限"
    if isinstance(orig, OverflowError) or ("out of range" in text_ and "integer" in text_):
        return "输入的数字过大，超出台账能存的范围；请核对后重试"
    if isinstance(orig, sqlite3.OperationalError) and "readonly" in text_.replace(" ", ""):
        return "台账文件或其目录只读，无法写入；请检查权限"
    return None


def is_conflict_error(exc: BaseException) -> bool:
    """A transaction PostgreSQL aborted to keep writers serializable; safe to run again."""
    return sqlstate(exc) in RETRYABLE_SQLSTATES


@dataclass
class Ledger:
    url: str
    engine: Engine

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def where(self) -> str:
        return describe(self.url)

    @contextmanager
    def _session(self, write: bool) -> Iterator[Session]:
        try:
            with self.engine.connect() as conn:
                if write:
                    conn = conn.execution_options(zsyz_write=True)
                if not self.is_sqlite:
                    conn = conn.execution_options(
                        isolation_level="SERIALIZABLE" if write else "REPEATABLE READ",
                        postgresql_readonly=not write,
                    )
                with Session(bind=conn, expire_on_commit=False) as session:
                    yield session
                    if write:
                        session.commit()
                    else:
                        session.rollback()
        except Exception as exc:
            # SQLAlchemy's wrapped errors, and the driver's own: driver-level bulk inserts
            # (app/imports.py) raise psycopg/sqlite3 errors unwrapped.
            if is_busy_error(exc):
                raise LedgerBusyError(
                    f"台账 {self.where} 正被其他进程写入，等待超时；请稍后重试"
                ) from exc
            if is_conflict_error(exc):
                raise LedgerConflictError(
                    f"台账 {self.where} 上的写入与其他进程冲突，已放弃；请稍后重试"
                ) from exc
            raise

    def write(self) -> Any:
        """One write transaction (BEGIN IMMEDIATE on SQLite): commits on success.

        On PostgreSQL it may end in LedgerConflictError (serialization failure or
        deadlock); use cases that can simply run again should use `run_write`."""
        return self._session(write=True)

    def run_write(self, work: Callable[[Session], T], *, attempts: int = 5) -> T:
        """Run `work(session)` in one write transaction, again from the start when
        PostgreSQL aborts it for a serialization failure or deadlock. `work` must have
        no effects outside the session (it may run more than once)."""
        from zsyz.store.retry import retrying

        def once() -> T:
            with self.write() as session:
                return work(session)

        return retrying(once, attempts=attempts)

    def read(self) -> Any:
        """A read-only session: consistent snapshot, never commits."""
        return self._session(write=False)

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return row[0] if row else None

    def require_current(self) -> None:
        """Stop with one line when the ledger's schema is not the code's."""
        rev = self.current_revision()
        if rev == HEAD_REVISION:
            return
        if rev is None:
            raise LedgerStateError(
                f"{self.where} 不是 zsyz 台账（没有版本信息）；请用 zsyz init 新建台账"
            )
        if not known_revision(rev):
            raise LedgerStateError(newer_message(rev))
        raise LedgerStateError(
            f"台账结构版本 {rev} 落后于程序（{HEAD_REVISION}）；请先运行 zsyz db upgrade"
        )


_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def make_engine(url: str) -> Engine:
    """An engine for a ledger URL; a URL no driver understands is a usage error."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    timeout = busy_timeout_ms()
    try:
        u = make_url(url)
        if u.get_backend_name() == "sqlite":
            engine = create_engine(url, connect_args={"timeout": timeout / 1000})
            _install_sqlite_behaviour(engine, timeout)
            _ENGINES.add(engine)
            return engine
        engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise UsageError(_bad_url(url)) from exc
    except ModuleNotFoundError as exc:
        raise UsageError(
            f"使用 {describe_safely(url)} 需要数据库驱动 {exc.name}；请安装 zsyz[postgres]"
        ) from exc
    if engine.dialect.name == "postgresql":
        _install_postgresql_behaviour(engine, timeout)
    _ENGINES.add(engine)
    return engine


def close_all() -> None:
    """Close every pooled connection this process opened (end of a CLI command), so
    in-process callers such as the tests do not pile up idle server connections."""
    for engine in list(_ENGINES):
        engine.dispose()


def open_ledger(db: str | None, *, must_exist: bool = True, check_schema: bool = True) -> Ledger:
    """Open the ledger named by `--db`/ZSYZ_DB/./zsyz.db.

    A SQLite file that does not exist is an error (never silently created) unless
    `must_exist` is False, as for `zsyz init`.
    """
    url = resolve_url(db)
    path = sqlite_path(url)
    if must_exist and path is not None and not path.exists():
        raise LedgerStateError(f"台账 {path} 不存在；请先运行 zsyz init 新建，或用 --db 指定台账")
    if path is not None:
        refuse_odd_file(path, empty_ok=not (must_exist and check_schema))
    ledger = Ledger(url, make_engine(url))
    if check_schema:
        try:
            ledger.require_current()
        except OperationalError as exc:
            why = (str(exc.orig).strip().splitlines() or ["?"])[0]
            raise LedgerStateError(f"无法打开台账 {ledger.where}：{why}") from exc
    return ledger
