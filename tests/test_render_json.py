"""`--format json` has one writer (`render.to_json`), and it writes the contract: exactly
`json.dumps(plain(x), ensure_ascii=False, indent=2)` plus a newline for any value tree a
command hands it (str keys; Decimal, dates, enums, sets, text of any code point)."""

from __future__ import annotations

import enum
import json
from datetime import UTC, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zsyz.cli.app import run
from zsyz.cli.render import json_bytes, plain, to_json


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
    except Exception as error:  # the writer fails where the contract has no rendering
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
enums = st.sampled_from([*Stage, *Level, *Mixed, Odd.F, Odd.T])
leaves = st.one_of(
    texts, ints, floats, decimals, moments, enums, st.booleans(), st.none(), st.builds(Text)
)
# the keys a contract holds: text (json.dumps and plain() differ only on keys no command
# writes: bool, None, enum members, dates)
keys = st.one_of(texts, texts, texts, ints, st.builds(Text, st.text()))


def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=5),
        st.lists(children, max_size=5).map(tuple),
        st.dictionaries(texts, children, max_size=5),
        st.dictionaries(keys, children, max_size=5),
        st.frozensets(st.one_of(texts, ints), max_size=4),
    )


trees = st.recursive(leaves, containers, max_leaves=40)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_json_bytes_are_the_contract(value: Any) -> None:
    assert outcome(lambda v: json_bytes(v, newline=True), value) == outcome(reference, value)


@settings(max_examples=300)
@given(trees)
def test_to_json_is_the_contract_text(value: Any) -> None:
    contract = lambda v: json.dumps(plain(v), ensure_ascii=False, indent=2)  # noqa: E731
    assert outcome(to_json, value) == outcome(contract, value)


@pytest.mark.parametrize(
    "value",
    [
        [0.5, 1e-05, 1e16, float("nan"), float("inf")],  # floats as json.dumps writes them
        {"k": {1, 2}},
        {1: "int key"},
        {Text("k"): "str subclass key"},
        [2**64, -(10**40)],
        ["\ud800", "a\udcffb.xlsx"],  # lone surrogates: a file name that is not UTF-8
        [Decimal("1E+30"), Decimal("-0"), Decimal("0.00001"), Decimal("NaN")],
        [Stage.SIGNED, Level.RED, Mixed.A, Odd.T],
    ],
    ids=repr,
)
def test_values_beyond_the_usual_are_written_as_the_contract(value: Any) -> None:
    assert json_bytes(value, newline=True) == reference(value)


def test_decimal_numbers_as_today() -> None:
    row = {
        "a": Decimal("12000.00"),
        "b": Decimal("0.00001"),  # float repr "1e-05"
        "c": Decimal("-0"),
        "d": Decimal("1E+16"),
        "e": Decimal("1234.5600"),
        "f": Decimal("NaN"),
    }
    text = to_json(row)
    assert text == json.dumps(plain(row), ensure_ascii=False, indent=2)
    assert '"a": 12000,' in text and '"b": 1e-05' in text and '"e": 1234.56' in text


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
def test_command_json_is_byte_for_byte_the_contract(
    args: list[str], demo_ledger: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    assert run([*args, "--db", str(demo_ledger), "-f", "json", "-o", str(out)]) in (0, 3)
    written = out.read_bytes()
    assert len(written) > 100
    data = json.loads(written, parse_float=Decimal)
    assert written == reference(data)


def test_help_does_not_load_the_json_writer_libraries() -> None:
    import subprocess
    import sys

    code = "import sys; from zsyz.cli.entry import main; sys.argv=['zsyz','--help']\n"
    code += "try:\n    main()\nexcept SystemExit:\n    pass\n"
    code += "print('orjson' in sys.modules or 'json.encoder' in sys.modules, file=sys.stderr)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr.strip().endswith("False")
