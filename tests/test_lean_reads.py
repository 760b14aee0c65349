"""A lean read (measures answered ahead, projects unloaded) gives the very same progress
and ranking as the full read, under every preset and the published city policy.

The answers here come from the pure `_measure` itself, so what is tested is the wiring:
`domain.questions` foresees every measure (no `NotLoaded` where it claims to), the lean
facts carry everything else, and the tie-break's signed FAI read as a measure equals the
sum over the signed projects. That SQL answers equal `_measure` is
tests/test_measured_sql.py's part.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_asof_scoring_cli import week10, week14  # noqa: F401  (fixtures used below)
from zsyz.app.measured import lean
from zsyz.domain.facts import ActivityFact, ActivityKind, ProjectFact, Role, UnitFact
from zsyz.domain.periods import parse_period
from zsyz.domain.policy import Policy
from zsyz.domain.progress import Facts, _measure, progress
from zsyz.domain.progress_facts import MeasureKey, NotLoaded
from zsyz.domain.questions import progress_keys, ranking_keys
from zsyz.domain.ranking import DEFAULT_RANKING, ScoringFacts, rank, scoring_day
from zsyz.domain.stages import LIFE_CYCLE, Stage
from zsyz.policy.load import load_preset, parse_policy, preset_names

POLICIES = {name: load_preset(name) for name in preset_names()}
POLICIES["city-2024"] = parse_policy(
    (Path(__file__).parent / "policies" / "city-2024.toml").read_text("utf-8")
)
PERIOD = parse_period("2022-Q2")
DAYS = [date(2021, 11, 30), date(2022, 2, 10), date(2022, 5, 20), date(2022, 7, 5)]


def units_of(policy: Policy) -> list[UnitFact]:
    return [
        UnitFact(f"{cls}{i}", f"{cls}单位{i}", cls, aliases=(f"新材料链{i}",) if i else ())
        for cls in policy.classes
        for i in range(2)
    ]


@st.composite
def ledger(draw: st.DrawFn, units: list[UnitFact]) -> Facts:
    codes = [u.code for u in units]
    projects = []
    for i in range(draw(st.integers(0, 10))):
        dated = draw(st.lists(st.sampled_from([*LIFE_CYCLE, Stage.DROPPED]), max_size=4))
        money = st.none() | st.integers(0, 30_000).map(Decimal)
        projects.append(
            ProjectFact(
                code=f"P{i:03d}",
                name=f"项目{i}",
                stage=draw(st.sampled_from([*LIFE_CYCLE, Stage.DROPPED])),
                stage_dates={s: draw(st.sampled_from(DAYS)) for s in dated},
                roles=tuple(
                    draw(
                        st.lists(
                            st.tuples(st.sampled_from(list(Role)), st.sampled_from(codes)),
                            max_size=4,
                        )
                    )
                ),
                category=draw(st.sampled_from([None, "制造业", "现代服务业"])),
                chain=draw(st.sampled_from([None, "新材料"])),
                level=draw(st.sampled_from([None, "省重点", "市重点"])),
                is_new=draw(st.sampled_from([None, True, False])),
                fai=draw(money),
                total_investment=draw(money),
            )
        )
    activities = [
        ActivityFact(draw(st.sampled_from(codes)), d - timedelta(days=3), kind)
        for d in draw(st.lists(st.sampled_from(DAYS), max_size=4))
        for kind in ActivityKind
    ]
    return Facts(units=units, projects=projects, activities=activities)


def answered(policy: Policy, full: Facts, keys: set[MeasureKey]) -> Facts:
    unit_of = {u.code: u for u in full.units}
    answers = {k: _measure(k[0], k[1], unit_of[k[2]], policy, full, k[3], k[4]) for k in keys}
    return lean(full, answers)


@pytest.mark.parametrize("name", sorted(POLICIES))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_lean_progress_and_ranking_equal_the_full_read(name: str, data: st.DataObject) -> None:
    policy = POLICIES[name]
    full = data.draw(ledger(units_of(policy)))
    day = date(2022, 7, 5)
    keys = progress_keys(policy, full, 2022, day)
    assert repr(progress(policy, answered(policy, full, keys), 2022, day)) == repr(
        progress(policy, full, 2022, day)
    )
    rules = policy.ranking or DEFAULT_RANKING
    asked = ranking_keys(policy, rules, full, PERIOD, scoring_day(policy, PERIOD, day))
    before = PERIOD.previous()
    also = ranking_keys(policy, rules, full, before, scoring_day(policy, before, day))
    if asked is None or also is None:
        return  # the ranking reads projects themselves: never read lean
    sf = ScoringFacts(full, (), {}, as_of=day)
    lean_sf = ScoringFacts(answered(policy, full, asked | also), (), {}, as_of=day)
    assert repr(rank(policy, lean_sf, PERIOD)) == repr(rank(policy, sf, PERIOD))


def test_a_measure_not_foreseen_is_never_zero() -> None:
    """A lean read asked for a measure it was not given raises; nothing counts zero."""
    policy = POLICIES["zhenping-2020"]
    units = units_of(policy)
    with pytest.raises(NotLoaded):
        progress(policy, lean(Facts(units=units)), 2022, date(2022, 7, 5))


def test_which_presets_rank_lean() -> None:
    """Rankings reading projects themselves (per-project points, stale or signed-but-not-
    started projects) are never read lean; the others are."""
    lean_ones = {
        name
        for name, policy in POLICIES.items()
        if ranking_keys(
            policy,
            policy.ranking or DEFAULT_RANKING,
            Facts(units=units_of(policy)),
            PERIOD,
            PERIOD.end,
        )
        is not None
    }
    assert "zhenping-2020" in lean_ones
    assert lean_ones != set(POLICIES)


# ---- through the commands: the lean read is taken, and gives what the full read gives ----

READS = [
    ("progress", "--year", "2022", "--as-of", "2022-03-20"),
    ("progress", "--year", "2022", "--as-of", "2022-12-31"),
    ("rank", "--quarter", "2022-Q1"),
    ("rank", "--quarter", "2022-Q2"),
]


def _outputs(cli) -> list[str]:
    out = []
    for argv in READS:
        result = cli(*argv, "--format", "json")
        assert result.code == 0, result.err
        out.append(result.out)
    return out


def _spy(monkeypatch, module, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(module, name)

    def spied(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spied)
    return calls


@pytest.mark.usefixtures("week14")
def test_progress_and_rank_read_lean_and_equal_the_full_read(cli, monkeypatch) -> None:
    import zsyz.app.lean_scoring as lean_scoring
    import zsyz.app.progress as app_progress
    import zsyz.app.scoring as scoring

    full_reads = _spy(monkeypatch, scoring, "_period_facts")
    progress_full = _spy(monkeypatch, app_progress, "_full")
    lean_out = _outputs(cli)
    assert not full_reads and not progress_full  # no project was loaded
    with monkeypatch.context() as m:
        m.setattr(lean_scoring, "lean_ranking", lambda *a: None)
        m.setattr(app_progress, "_lean_progress", lambda *a: None)
        assert _outputs(cli) == lean_out


@pytest.mark.usefixtures("week14")
def test_a_measure_not_foreseen_falls_back_to_the_full_read(cli, monkeypatch) -> None:
    """Keys dropped from the foresight: the rules raise NotLoaded, the use case reads
    everything and the answer is unchanged."""
    import zsyz.app.lean_scoring as lean_scoring
    import zsyz.app.scoring as scoring
    from zsyz.domain.metrics import Metric

    expected = cli("rank", "--quarter", "2022-Q2", "--format", "json").out
    real = lean_scoring.ranking_keys

    def forgetful(*args):
        got = real(*args)
        return None if got is None else {k for k in got if k[0] is not Metric.SIGNED_FAI}

    monkeypatch.setattr(lean_scoring, "ranking_keys", forgetful)
    full_reads = _spy(monkeypatch, scoring, "_period_facts")
    assert cli("rank", "--quarter", "2022-Q2", "--format", "json").out == expected
    assert full_reads
