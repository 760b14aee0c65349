"""The layers, enforced by walking every import (top of file and inside functions):

- domain imports nothing of ours outside domain;
- io imports neither store nor app nor cli;
- store imports neither io nor app nor cli;
- app imports no cli;
- render (explanations and report values into text) imports the domain only;
- cli imports app, renderers and light helpers; the exceptions below name their reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "zsyz"

# layer → the zsyz packages it may not import (whole packages, sub-modules included)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "domain": ("app", "cli", "io", "store", "policy", "errors", "memo", "presets", "render"),
    "io": ("app", "cli", "store"),
    "store": ("app", "cli", "io", "render"),
    "app": ("cli",),
    "policy": ("app", "cli", "io", "store", "render"),
    # renderers: report values and explanation terms into text; they read the domain only
    "render": ("app", "cli", "io", "store", "policy", "errors", "memo", "presets"),
}

# cli may import zsyz.app, zsyz.cli, zsyz.errors, zsyz.domain (vocabularies) and these:
CLI_ALLOWED: dict[str, str] = {
    "zsyz.io": "writing a workbook/bulletin/template/通报 is a renderer of files, and an "
    "option's value is read by the same parsers as a cell's (dates, amounts, kinds); the "
    "operator's files themselves are read by the use cases",
    "zsyz.policy": "policy commands show and check the policy language itself",
    "zsyz.store.engine": "cli/common.py opens the ledger a use case works on (read "
    "commands open it before the use case, so `--db` and a missing ledger are reported "
    "in one place); cli/app.py:run maps a busy or unreachable database to exit 75/1",
    "zsyz.store.reader": "cli/common.py opens the ledger a read command works on, on the "
    "bare driver (no ORM imported); cli/app.py:run closes its connections",
}


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every `import zsyz…` / `from zsyz… import …` in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("zsyz")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "zsyz":
                found += [(node.lineno, f"zsyz.{a.name}") for a in node.names]
            elif node.module.startswith("zsyz."):
                # `from zsyz.store import migrate` imports the module zsyz.store.migrate
                base = PACKAGE.parent.joinpath(*node.module.split("."))
                subs = [a.name for a in node.names if (base / f"{a.name}.py").exists()]
                found += [(node.lineno, f"{node.module}.{n}") for n in subs] or [
                    (node.lineno, node.module)
                ]
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}:{node.lineno}: relative import; write zsyz.…")
    return found


def _layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _violations() -> list[str]:
    out: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        layer = _layer(path)
        where = path.relative_to(PACKAGE.parent)
        for line, module in _imports(path):
            if layer == "cli":
                ok = any(
                    _under(module, p)
                    for p in (
                        "zsyz.app",
                        "zsyz.cli",
                        "zsyz.errors",
                        "zsyz.domain",
                        "zsyz.render",
                        "zsyz",
                    )
                    if p != "zsyz" or module in ("zsyz", "zsyz.__version__")
                ) or any(_under(module, p) for p in CLI_ALLOWED)
                if not ok:
                    out.append(f"{where}:{line}: cli imports {module}")
                continue
            for banned in FORBIDDEN.get(layer, ()):
                if _under(module, f"zsyz.{banned}"):
                    out.append(f"{where}:{line}: {layer} imports {module}")
    return out


def test_layers_hold() -> None:
    assert _violations() == []


def test_every_allowed_exception_is_used() -> None:
    """An exception nobody needs any more is removed, so the list stays the truth."""
    used = {
        p
        for path in (PACKAGE / "cli").rglob("*.py")
        for _, module in _imports(path)
        for p in CLI_ALLOWED
        if _under(module, p)
    }
    assert sorted(set(CLI_ALLOWED) - used) == []


@pytest.mark.parametrize(
    ("layer", "module", "bad"),
    [
        ("domain", "zsyz.store.tables", True),
        ("domain", "zsyz.errors", True),
        ("io", "zsyz.store.units", True),
        ("store", "zsyz.io.weekly", True),
        ("store", "zsyz.app.imports", True),
        ("io", "zsyz.domain.units", False),
        ("store", "zsyz.domain.facts", False),
    ],
)
def test_the_rules_catch_a_wrong_import(layer: str, module: str, bad: bool) -> None:
    hit = any(_under(module, f"zsyz.{b}") for b in FORBIDDEN[layer])
    assert hit is bad


def test_every_package_says_what_lives_there() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init} needs a one-sentence docstring: what lives there, what may not"


def test_every_package_ships() -> None:
    """pyproject lists packages by hand: a new one missing there breaks `pip install .`."""
    import tomllib

    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    found = {f"zsyz.{p.parent.name}" for p in PACKAGE.glob("*/__init__.py")} | {"zsyz"}
    assert sorted(found - listed) == []


def test_loading_the_commands_loads_nothing_heavy() -> None:
    """Heavy imports stay inside command functions: building the Typer app (every
    `zsyz … --help`) loads no database, spreadsheet, rendering or validation library."""
    import subprocess
    import sys

    heavy = "sqlalchemy sqlmodel alembic psycopg openpyxl python_calamine rich orjson pydantic"
    code = (
        "import sys, zsyz.cli.app\n"
        "zsyz.cli.app.app\n"  # every command module imported, every command registered
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy.split()!r})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_only_the_history_module_reads_the_created_snapshot_encoding() -> None:
    """A `*created*` row stands for one change per field; readers get them so from
    `store.history.field_changes` and never meet the encoding themselves."""
    encoding = {"expand", "CREATED", "created_values"}
    knows = {"zsyz/store/history.py", "zsyz/store/asof_history.py"}  # the SQL-level reader
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "zsyz.store.history":
                names = {a.name for a in node.names} & encoding
                where = str(path.relative_to(PACKAGE.parent))
                if names and where not in knows:
                    found.append(f"{where}: {sorted(names)}")
    assert found == []
