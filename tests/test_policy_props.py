"""Hypothesis: whatever TOML-ish text arrives, the loader raises only its typed error."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from zsyz.errors import InvalidDataError
from zsyz.policy.load import parse_policy, preset_source

KEYS = [
    "policy",
    "name",
    "title",
    "year",
    "classes",
    "township",
    "label",
    "targets",
    "metric",
    "value",
    "min_fai",
    "min_total",
    "strict",
    "category",
    "any_of",
    "all_of",
    "growth",
    "weight",
    "per_unit",
    "rewards",
    "kind",
    "amount",
    "ranking",
    "components",
    "points",
    "approval",
    "routes",
    "bounds",
    "max_land",
    "level",
    "roster",
    "units",
    "class",
    "credit",
    "roles",
    "share",
    "alerts",
    "stale_days",
    "signed",
    "flags",
    "below",
]
scalars = st.one_of(
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=8),
    st.sampled_from(["signed", "五千万", "1e999", "NaN", "township", "fixed_on_completion", "*"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
    ),
    max_leaves=25,
)


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(repr(v), repr(v))
    if isinstance(v, str):
        return '"' + v.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    assert isinstance(v, dict)
    return "{" + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + "}"


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=6))
def test_structured_garbage_only_raises_invalid_data(doc):
    text = "\n".join(f"{k} = {_toml_value(v)}" for k, v in doc.items())
    with contextlib.suppress(InvalidDataError):
        parse_policy(text, "x.toml")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_only_raises_invalid_data(text):
    with contextlib.suppress(InvalidDataError):
        parse_policy(text, "x.toml")


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 20_000), st.text(max_size=6))
def test_mutating_a_preset_only_raises_invalid_data(at, insert):
    base = preset_source("zhenping-2020").text
    at = at % len(base)
    text = base[:at] + insert + base[at:]
    with contextlib.suppress(InvalidDataError):
        parse_policy(text, "x.toml")
