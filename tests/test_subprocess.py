"""The CLI as cron runs it: a real process, real exit codes, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def zsyz(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "zsyz", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_and_version():
    result = zsyz("--help")
    assert result.returncode == 0 and "招商引资" in result.stdout
    assert zsyz("--version").stdout.startswith("zsyz ")


def test_exit_codes_and_no_traceback(tmp_path):
    db = str(tmp_path / "l.db")
    assert zsyz("init", "--db", db).returncode == 0
    missing = zsyz("units", "list", "--db", str(tmp_path / "missing.db"))
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    usage = zsyz("units", "list", "--format", "yaml", "--db", db)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    bad = tmp_path / "bad.xlsx"
    bad.write_text("单位名称,单位类别\n甲镇,乡镇\n", encoding="utf-8")
    refused = zsyz("units", "import", str(bad), "--db", db)
    assert refused.returncode == 65
    assert "另存为 .xlsx" in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.sqlite_only(reason="the default ledger is the file ./zsyz.db")
def test_default_ledger_is_cwd_zsyz_db(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "ZSYZ_DB"}
    result = subprocess.run(
        [sys.executable, "-m", "zsyz", "init"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "zsyz.db").exists()


@pytest.mark.sqlite_only(reason="checks that a file appears")
def test_env_var_names_the_ledger(tmp_path):
    db = tmp_path / "env.db"
    assert zsyz("init", env={"ZSYZ_DB": str(db)}).returncode == 0
    assert db.exists()


@pytest.mark.slow
@pytest.mark.sqlite_only(reason="packaging, on ./zsyz.db; the SQLite run covers it")
def test_non_editable_install_upgrades_a_ledger_elsewhere(tmp_path):
    """`pip install .` then `zsyz db upgrade` in another folder: migrations ship inside."""
    repo = Path(__file__).resolve().parents[1]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(repo)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if pip.returncode != 0:
        pytest.fail(pip.stderr[-2000:])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    import sqlite3

    sqlite3.connect(elsewhere / "zsyz.db").close()
    env = {k: v for k, v in os.environ.items() if k not in ("ZSYZ_DB", "PYTHONPATH")}
    exe = venv / "bin" / "zsyz"
    up = subprocess.run(
        [str(exe), "db", "upgrade"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert up.returncode == 0, up.stderr
    located = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import zsyz.migrations, sys; print(zsyz.migrations.__file__)",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "site-packages" in located.stdout, located.stdout + located.stderr
    listed = subprocess.run(
        [str(exe), "units", "list"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr


@pytest.mark.parametrize("url", ["notaurl://x", "postgresql+nodriver://u@h/db", "://x"])
def test_unusable_ledger_url_is_a_usage_error(url):
    result = zsyz("--db", url, "units", "list")
    assert result.returncode == 2, result.stderr
    assert "无法识别的台账地址" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
