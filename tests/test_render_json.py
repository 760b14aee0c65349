"""`--format json` through orjson must write exactly the bytes the stdlib path writes:
`json.dumps(plain(x), ensure_ascii=False, indent=2)` plus a newline, for any value tree."""

from __future__ import annotations

import enum
import json
from datetime import UTC, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from zsyz.cli import render
from zsyz.cli.app import run
from zsyz.cli.render import json_bytes, orjson_bytes, plain, stdlib_json, to_json


class Stage(enum.Enum):
    SIGNED = "signed"
    STARTED = "started"


class Level(enum.IntEnum):
    YELLOW = 1
    RED = 2


class Mixed(str, enum.Enum):  # noqa: UP042 (str(member) is "Mixed.A", its value "a")
    A = "a"


class Odd(enum.Enum):  # values plain() leaves for json.dumps: float, Decimal, tuple
    F = 0.1
    D = Decimal("1.5")
    T = (1, "x")


class Text(str):
    pass


def reference(value: Any) -> bytes:
    """Today's rendering, written out as `emit` writes it (a lone surrogate, from a file
    name that is not UTF-8, as its JSON escape \\udcff rather than an encoding error)."""
    text = json.dumps(plain(value), ensure_ascii=False, indent=2) + "\n"
    return text.encode("utf-8", "backslashreplace")


def outcome(render_it: Any, value: Any) -> tuple[str, Any]:
    try:
        return "ok", render_it(value)
    except Exception as error:  # both paths must fail alike where today's fails
        return "error", type(error)


any_char = st.characters(codec=None, exclude_categories=())  # surrogates included
texts = st.one_of(
    st.text(),
    st.text(alphabet=any_char),
    st.text(alphabet='中文项目县镇😀\x00\x01\x08\t\n\x0c\r\x1f\x7f"\\/\u2028\u2029'),
)
decimals = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            Decimal(text)
            for text in (
                *("-0", "0.00", "1.500", "1E+30", "1E-30", "12345.6789", "-0.0", "1E+400"),
                *("0.00001", "18446744073709551616", "9223372036854775807.0"),
            )
        ]
    ),
)
ints = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1, 10**40]),
)
floats = st.one_of(
    st.floats(),
    st.sampled_from([1e16, 1e-5, -0.0, 0.0, float("nan"), float("inf"), 5e-324, 1e22]),
)
# an offset with seconds: isoformat() keeps them, orjson's own datetime drops them
ZONES = [UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=5, seconds=15))]
moments = st.one_of(
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.sampled_from(ZONES)),
)
enums = st.sampled_from([*Stage, *Level, *Mixed, *Odd])
leaves = st.one_of(
    texts, ints, floats, decimals, moments, enums, st.booleans(), st.none(), st.builds(Text)
)
keys = st.one_of(
    texts,
    texts,
    texts,
    ints,
    enums,
    st.builds(Text, st.text()),
    st.booleans(),
    st.none(),
    st.dates(),
)


def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=5),
        st.lists(children, max_size=5).map(tuple),
        st.dictionaries(texts, children, max_size=5),
        st.dictionaries(keys, children, max_size=5),
        st.frozensets(st.one_of(texts, ints), max_size=4),
    )


trees = st.recursive(leaves, containers, max_leaves=40)
# what the commands hand to `emit`: dicts of str keys over dict/list/str/int/Decimal/date/
# bool/None/enum, where the fast path must be taken
report_leaves = st.one_of(
    st.text(),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, max_value=10**12),
    st.dates(),
    st.booleans(),
    st.none(),
    st.sampled_from([*Stage, *Level]),
)
report_trees = st.recursive(
    report_leaves,
    lambda c: st.one_of(st.lists(c, max_size=5), st.dictionaries(st.text(), c, max_size=5)),
    max_leaves=40,
)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_json_bytes_equal_the_stdlib_rendering(value: Any) -> None:
    event("fast" if orjson_bytes(value) is not None else "stdlib")
    assert outcome(lambda v: json_bytes(v, newline=True), value) == outcome(reference, value)


@settings(max_examples=300)
@given(trees)
def test_to_json_equals_the_stdlib_text(value: Any) -> None:
    assert outcome(to_json, value) == outcome(stdlib_json, value)


@settings(max_examples=400)
@given(report_trees)
def test_report_values_take_the_fast_path(value: Any) -> None:
    fast = orjson_bytes(value, newline=True)
    assert fast is not None
    assert fast == reference(value)


@pytest.mark.parametrize(
    "value",
    [
        [0.5],  # orjson writes floats its own way ("1e-05" as 0.00001, NaN as null)
        {"a": [float("nan")]},
        {"k": Odd.F},  # an enum whose value json.dumps sees as a float
        {"k": Odd.D},
        {"k": {1, 2}},
        {1: "non-str key"},
        {Mixed.A: "str-enum key: str() is not its value"},
        {Text("k"): "str subclass key"},
        [2**64],  # orjson stops at 64 bits
        ["\ud800"],  # lone surrogate
        [Decimal("1E+30")],
        [Decimal("Infinity")],
    ],
    ids=repr,
)
def test_values_orjson_would_render_differently_take_the_stdlib_path(value: Any) -> None:
    assert orjson_bytes(value) is None


def test_deep_and_self_holding_trees_take_the_stdlib_path() -> None:
    deep: list[Any] = []
    for _ in range(300):
        deep = [deep]
    assert orjson_bytes(deep) is None
    assert json_bytes(deep) == reference(deep)[:-1]
    loop: list[Any] = []
    loop.extend([loop, loop])
    assert orjson_bytes(loop) is None  # does not double until memory runs out


def test_decimal_numbers_as_today() -> None:
    row = {
        "a": Decimal("12000.00"),
        "b": Decimal("0.00001"),  # float repr "1e-05"
        "c": Decimal("-0"),
        "d": Decimal("1E+16"),
        "e": Decimal("1234.5600"),
        "f": Decimal("NaN"),
    }
    fast = orjson_bytes(row)
    assert fast is not None
    assert fast.decode() == stdlib_json(row)
    assert '"b": 1e-05' in fast.decode()


@pytest.fixture(scope="module")
def demo_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    assert run(["demo", "--keep", str(path)]) == 0
    return path


COMMANDS = [
    ["progress", "--year", "2022", "--as-of", "2022-12-31"],
    ["rank", "--quarter", "2022-Q2"],
    ["rank", "--year", "2022"],
    ["rewards", "--year", "2022"],
    ["alerts", "--as-of", "2022-12-31"],
    ["projects", "list"],
    ["units", "list"],
    ["targets", "list", "--year", "2022"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_command_json_is_byte_for_byte_the_stdlib_rendering(
    args: list[str], demo_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_out, slow_out = tmp_path / "fast.json", tmp_path / "slow.json"
    common = ["--db", str(demo_ledger), "-f", "json", "-o"]
    taken: list[bool] = []
    real = render.orjson_bytes

    def spy(data: Any, *, newline: bool = False) -> bytes | None:
        result = real(data, newline=newline)
        taken.append(result is not None)
        return result

    monkeypatch.setattr(render, "orjson_bytes", spy)
    assert run([*args, *common, str(fast_out)]) in (0, 3)
    assert taken == [True]  # the fast path wrote it
    monkeypatch.setattr(render, "orjson_bytes", lambda data, newline=False: None)
    assert run([*args, *common, str(slow_out)]) in (0, 3)
    fast, slow = fast_out.read_bytes(), slow_out.read_bytes()
    assert len(fast) > 100
    assert fast == slow


def test_help_does_not_load_orjson() -> None:
    import subprocess
    import sys

    code = "import sys; from zsyz.cli.entry import main; sys.argv=['zsyz','--help']\n"
    code += "try:\n    main()\nexcept SystemExit:\n    pass\n"
    code += "print('orjson' in sys.modules, file=sys.stderr)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr.strip().endswith("False")
