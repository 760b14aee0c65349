"""The ledgers bench/run.py measures: generated, upgraded, copied to PostgreSQL, checked.

- `ledger(kind)`: bench/out/<kind>.db, generated when missing, made by an older generator
  (its `.gen.json` stamp), or with `--regen`; a ledger at an older schema than the code's
  is upgraded with `zsyz db upgrade` (the run never dies on a stale ledger); either way it
  is checked afterwards (`check_ledger.py`).
- `pg_ledger(kind, path, admin_url)`: the same ledger in PostgreSQL, in a database named
  after the SQLite file's size and time (so a changed file is copied again and old copies
  are dropped), filled by `zsyz db copy`, then VACUUM ANALYZE as autovacuum would leave
  it. Each copy's time is printed.
- `start_server()` / `stop_server()`: scripts/pg-throwaway.sh on port 54413, /tmp/pg-bench.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import time
from pathlib import Path

import gen_ledger
from figures import OUT, in_child, settings, zsyz

PG_PORT = "54413"
PG_DIR = "/tmp/pg-bench"


def ledger(kind: str, regen: bool) -> Path:
    """The bench ledger of `kind`, generated or upgraded as needed, checked when it changed."""
    path = OUT / f"{kind}.db"
    stamp = gen_ledger.read_stamp(path)
    fresh = regen or not path.exists() or stamp.get("gen_version") != gen_ledger.GEN_VERSION
    if not fresh:
        try:
            if not upgrade_if_stale(path):
                return path
        except (subprocess.CalledProcessError, sqlite3.Error) as exc:
            print(f"  {path.name} can't be upgraded ({exc}); generating it again", flush=True)
            fresh = True
    if fresh:
        print(f"generating the {kind} ledger …", flush=True)
        started = time.perf_counter()
        in_child(
            "from pathlib import Path; from gen_ledger import generate; "
            f"generate({kind!r}, Path({str(path)!r}), 'zhenping-2020')"
        )
        print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)
    in_child(f"from check_ledger import main; main([{str(path)!r}])")
    db_check(str(path))
    return path


def db_check(db: str) -> None:
    """`zsyz db check` on a ledger that just changed: the bench measures ledgers zsyz
    itself accepts. A finding is printed (the figures are still taken)."""
    started = time.perf_counter()
    done = subprocess.run(
        zsyz("db", "check", "--db", db, "-f", "json"),
        capture_output=True,
        text=True,
        cwd=settings.cwd,
    )
    took = time.perf_counter() - started
    if done.returncode == 0:
        print(f"  zsyz db check: no findings ({took:.1f} s)", flush=True)
    else:
        tail = (done.stderr.strip() or done.stdout.strip())[-500:]
        print(f"  WARNING zsyz db check exit {done.returncode} ({took:.1f} s): {tail}", flush=True)


def head_revision() -> str:
    code = "from zsyz.store.schema import HEAD_REVISION; print(HEAD_REVISION)"
    out = subprocess.run(
        [settings.py, "-c", code], capture_output=True, text=True, check=True, cwd=settings.cwd
    )
    return out.stdout.strip()


def revision_of(path: Path) -> str | None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def upgrade_if_stale(path: Path) -> bool:
    """`zsyz db upgrade` when the ledger is behind the code; True when it was upgraded."""
    have, head = revision_of(path), head_revision()
    if have == head:
        return False
    print(f"upgrading {path.name} from {have} to {head} (zsyz db upgrade) …", flush=True)
    started = time.perf_counter()
    subprocess.run(zsyz("db", "upgrade", "--db", str(path)), check=True, cwd=settings.cwd)
    for backup in path.parent.glob(f"{path.name}.*.bak"):
        backup.unlink()  # the upgrade's safety copy: the generator can make it again
    print(f"  upgraded in {time.perf_counter() - started:.1f} s", flush=True)
    return True


def _plain(url: str) -> str:
    """A SQLAlchemy URL as psycopg takes it."""
    return "postgresql://" + url.split("://", 1)[1]


def pg_ledger(kind: str, path: Path, admin_url: str) -> str:
    """The URL of a PostgreSQL copy of the SQLite ledger at `path`."""
    import psycopg

    st = path.stat()
    key = hashlib.sha1(f"{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:10]
    name = f"bench_{kind}_{key}"
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(_plain(admin_url), autocommit=True) as conn:
        like = f"bench\\_{kind}\\_%"
        have = {
            r[0]
            for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (like,))
        }
        for old in have - {name}:
            conn.execute(f'DROP DATABASE "{old}"')
        if name in have:
            return url
        conn.execute(f'CREATE DATABASE "{name}"')
    print(f"copying the {kind} ledger to PostgreSQL (zsyz db copy) …", flush=True)
    started = time.perf_counter()
    try:
        subprocess.run(
            zsyz("db", "copy", "--db", str(path), "--to", url),
            check=True,
            cwd=settings.cwd,
            stdout=subprocess.DEVNULL,
        )
        with psycopg.connect(_plain(url), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    except BaseException:
        with psycopg.connect(_plain(admin_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        raise
    print(f"  copied in {time.perf_counter() - started:.1f} s", flush=True)
    in_child(f"from check_ledger import main; main([{url!r}])")
    db_check(url)
    return url


def _server(action: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ZSYZ_PG_PORT": PG_PORT, "ZSYZ_PG_DIR": PG_DIR}
    script = settings.repo / "scripts" / "pg-throwaway.sh"
    return subprocess.run([str(script), action], capture_output=True, text=True, env=env)


def start_server() -> str | None:
    """The throw-away server's admin URL, or None (said why) when it can't start."""
    done = _server("start")
    if done.returncode != 0:
        print(f"PostgreSQL figures skipped: {done.stderr.strip()[-300:]}", flush=True)
        return None
    print(f"PostgreSQL: {done.stdout.strip()} (dir {PG_DIR})", flush=True)
    return done.stdout.strip()


def stop_server() -> None:
    _server("stop")
