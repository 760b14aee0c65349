"""Every command and option has help (as sqlite-utils' tests/test_docs.py insists)."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from zsyz.cli.app import app


def _commands():
    root = typer.main.get_command(app)

    def walk(cmd, path):
        yield path, cmd
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            yield from walk(sub, [*path, name])

    return list(walk(root, []))


COMMANDS = _commands()


def test_command_tree_is_not_empty():
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {
        "init",
        "demo",
        "db upgrade",
        "db current",
        "units list",
        "units add",
        "units import",
        "units alias",
        "targets list",
        "targets set",
        "targets import",
    } <= names


@pytest.mark.parametrize(
    ("path", "cmd"), COMMANDS, ids=[" ".join(p) or "zsyz" for p, _ in COMMANDS]
)
def test_every_command_has_help(path, cmd):
    assert (cmd.help or "").strip(), f"zsyz {' '.join(path)} has no help text"
    for param in cmd.params:
        if param.name in ("help",):
            continue
        assert getattr(param, "help", None) or param.param_type_name == "argument", (
            f"zsyz {' '.join(path)}: option {param.name} has no help"
        )
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


@pytest.mark.parametrize(
    ("path", "cmd"), COMMANDS, ids=[" ".join(p) or "zsyz" for p, _ in COMMANDS]
)
def test_every_argument_has_help(path, cmd):
    for param in cmd.params:
        if param.param_type_name == "argument":
            assert getattr(param, "help", None), f"zsyz {' '.join(path)}: argument {param.name}"


def test_listing_commands_take_format():
    listings = [c for p, c in COMMANDS if p and p[-1] == "list"]
    assert listings
    for cmd in listings:
        assert any(p.name == "fmt" for p in cmd.params)


def _readme_commands():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = text.split("```bash", 1)[1].split("```", 1)[0]
    return [
        line.strip() for line in block.splitlines() if line.strip() and not line.startswith("#")
    ]


def test_readme_starts_with_demo_and_test_commands():
    demo, tests = _readme_commands()[:2]
    assert demo.endswith("zsyz demo")
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command():
    from pathlib import Path

    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    test_command = _readme_commands()[1]
    assert test_command in ci
