"""The process entry point. Two calls are answered before Typer (and with it pydantic) is
imported, because they are the ones made most and expected to be instant:

- `zsyz --help` / `zsyz -h`: the root help, stored in `cli/root_help.py` and proven equal
  to what Typer prints by `tests/test_entry.py` (regenerate with
  `python -m zsyz.cli.root_help`);
- `zsyz import FILE… [--db X] [--format F]` where every file is already in the ledger
  unchanged (same sha256 as a live batch): cron re-running over a drop folder.

Anything else, or any doubt, goes to the full CLI (`cli/app.py:run`), which gives the
same answer more slowly.
"""

from __future__ import annotations

import sys

_HELP = ("--help", "-h")
_FORMATS = ("table", "json", "csv")


def main() -> None:
    code = fast(sys.argv[1:])
    if code is None:
        from zsyz.cli.app import run

        code = run()
    sys.exit(code)


def fast(argv: list[str]) -> int | None:
    """The exit code when the call was answered here, None to run the full CLI."""
    if len(argv) == 1 and argv[0] in _HELP:
        return _root_help()
    if "import" in argv:
        return _unchanged_import(argv)
    return None


def _root_help() -> int | None:
    import shutil

    # Click wraps help to min(terminal columns, 80) - 2; the stored text is the 80 one.
    if shutil.get_terminal_size().columns < 80:
        return None
    from zsyz.cli.root_help import ROOT_HELP

    sys.stdout.write(ROOT_HELP)
    sys.stdout.flush()
    return 0


def parse_import(argv: list[str]) -> tuple[list[str], str | None, str] | None:
    """(files, db, format) of a plain `[--db X] import FILE… [--db X] [-f F]` call; None
    for anything else (other options, globs, folders, --dry-run …)."""
    db: str | None = None
    fmt = "table"
    files: list[str] = []
    seen_command = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            return None
        name, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in ("--db", "--format", "-f"):
            if eq:
                value = inline
            elif i + 1 < len(argv):
                i += 1
                value = argv[i]
            else:
                return None
            if name == "--db":
                if not value:
                    return None
                db = value
            elif not seen_command or value not in _FORMATS:
                return None
            else:
                fmt = value
        elif arg.startswith("-"):
            return None
        elif not seen_command:
            if arg != "import":
                return None
            seen_command = True
        else:
            files.append(arg)
        i += 1
    if not seen_command or not files:
        return None
    return files, db, fmt


def _unchanged_import(argv: list[str]) -> int | None:
    parsed = parse_import(argv)
    if parsed is None:
        return None
    names, db, fmt = parsed
    from pathlib import Path

    from zsyz.app.outcome import unchanged_file

    outcomes = []
    for name in names:
        path = Path(name)
        if any(ch in name for ch in "*?[") or not path.is_file():
            return None
        found = unchanged_file(db, path)
        if found is None:
            return None
        outcomes.append(found)
    from zsyz.cli.import_report import report_outcomes

    report_outcomes(outcomes, fmt, False)
    return 0
