"""Usage errors are one Chinese line on stderr with exit 2, never Click's English block."""

from __future__ import annotations

import subprocess
import sys

import pytest

CASES = [
    (
        ("rank", "--quartr", "2022-Q1"),
        "zsyz: 没有选项 --quartr（是不是 --quarter？）；用 zsyz rank -h 查看用法",
    ),
    (("rnak",), "zsyz: 没有命令 rnak（是不是 rank？）；用 zsyz -h 查看用法"),
    (
        ("progress", "--year", "abc"),
        "zsyz: 选项 --year 的值无效：应为整数；用 zsyz progress -h 查看用法",
    ),
    (
        ("progress", "--format", "xml"),
        "zsyz: 选项 --format 的值无效：只能是 table、json、csv 之一；用 zsyz progress -h 查看用法",
    ),
    (("import",), "zsyz: 缺少参数 FILES；用 zsyz import -h 查看用法"),
    (
        ("rank", "--quarter", "2022-Q2", "extra"),
        "zsyz: 多余的参数：extra；用 zsyz rank -h 查看用法",
    ),
    (("progress", "--year"), "zsyz: 选项 --year 后面要给一个值；用 zsyz -h 查看用法"),
]


@pytest.mark.parametrize(("args", "line"), CASES)
def test_usage_error_is_one_chinese_line(cli, args: tuple[str, ...], line: str) -> None:
    result = cli(*args)
    assert result.code == 2
    assert result.err == line + "\n"
    assert result.out == ""


def test_help_and_version_still_exit_zero(cli) -> None:
    helped = cli("rank", "-h")
    assert helped.code == 0 and "排名" in helped.out and helped.err == ""
    assert cli("--version").code == 0


def test_a_real_process_says_it_in_chinese_too(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "zsyz", "alerts", "--fail-on", "purple"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("zsyz: 选项 --fail-on 的值无效：只能是 ")
    assert "Usage:" not in done.stderr and "Error" not in done.stderr
