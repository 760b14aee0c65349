"""Periods, stages and names: pure rules, table-driven, no database."""

from __future__ import annotations

from datetime import date

import pytest

from zsyz.domain.names import closest, normalize, stripped
from zsyz.domain.periods import PeriodKind, latest_ended, parse_period, period_containing
from zsyz.domain.stages import Stage, stage_from_text


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2022-W10", PeriodKind.WEEK, date(2022, 3, 7), date(2022, 3, 13)),
        ("2022年第10周", PeriodKind.WEEK, date(2022, 3, 7), date(2022, 3, 13)),
        ("2020-W53", PeriodKind.WEEK, date(2020, 12, 28), date(2021, 1, 3)),
        ("2022-03", PeriodKind.MONTH, date(2022, 3, 1), date(2022, 3, 31)),
        ("2024-02", PeriodKind.MONTH, date(2024, 2, 1), date(2024, 2, 29)),
        ("2022年12月", PeriodKind.MONTH, date(2022, 12, 1), date(2022, 12, 31)),
        ("2022-Q1", PeriodKind.QUARTER, date(2022, 1, 1), date(2022, 3, 31)),
        ("2022年第四季度", PeriodKind.QUARTER, date(2022, 10, 1), date(2022, 12, 31)),
        ("2022-H2", PeriodKind.HALF, date(2022, 7, 1), date(2022, 12, 31)),
        ("2022", PeriodKind.YEAR, date(2022, 1, 1), date(2022, 12, 31)),
    ],
)
def test_parse_period(text, kind, start, end):
    p = parse_period(text)
    assert (p.kind, p.start, p.end) == (kind, start, end)
    assert parse_period(p.label) == p


@pytest.mark.parametrize(
    "text", ["2022-13", "2022-W54", "2022-Q5", "W10", "", "二〇二二年", "1800"]
)
def test_parse_period_refuses(text):
    with pytest.raises(ValueError, match="无法识别"):
        parse_period(text)


def test_parse_period_kind_must_match():
    with pytest.raises(ValueError):
        parse_period("2022-03", PeriodKind.QUARTER)


@pytest.mark.parametrize(
    ("kind", "today", "label"),
    [
        (PeriodKind.QUARTER, date(2022, 5, 20), "2022-Q1"),
        (PeriodKind.QUARTER, date(2022, 1, 3), "2021-Q4"),
        (PeriodKind.MONTH, date(2022, 3, 1), "2022-02"),
        (PeriodKind.HALF, date(2022, 7, 1), "2022-H1"),
        (PeriodKind.YEAR, date(2022, 7, 1), "2021"),
        (PeriodKind.WEEK, date(2022, 3, 9), "2022-W09"),
    ],
)
def test_latest_ended(kind, today, label):
    assert latest_ended(kind, today).label == label


def test_previous_and_next_round_trip():
    q = period_containing(PeriodKind.QUARTER, date(2022, 1, 15))
    assert q.previous().label == "2021-Q4" and q.next().label == "2022-Q2"
    assert q.previous().next() == q


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("在谈", Stage.NEGOTIATING),
        ("洽谈中", Stage.NEGOTIATING),
        ("已签约", Stage.SIGNED),
        ("已开工", Stage.STARTED),
        ("在建", Stage.STARTED),
        ("落地", Stage.STARTED),
        ("已投产", Stage.PRODUCING),
        ("终止", Stage.DROPPED),
        ("放弃", Stage.DROPPED),
        ("退库", Stage.DROPPED),
        ("已签约未开工", Stage.SIGNED),
        (" 已 签 约 ", Stage.SIGNED),
        ("signed", Stage.SIGNED),
        ("谋划", Stage.PLANNED),
        ("线索", Stage.LEAD),
        ("达产达效", Stage.FULL_OUTPUT),
        ("研判通过", Stage.ADMITTED),
        ("已签约，正在办理手续", Stage.SIGNED),
        ("随便写的", None),
        ("", None),
    ],
)
def test_stage_words(text, stage):
    assert stage_from_text(text) is stage


def test_stage_order():
    assert Stage.STARTED.at_least(Stage.SIGNED)
    assert not Stage.NEGOTIATING.at_least(Stage.SIGNED)
    assert not Stage.DROPPED.at_least(Stage.SIGNED)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("镇平县商务局", "商务局"),
        ("县商务局", "商务局"),
        ("商务局", "商务局"),
        ("汉中市经合局", "经合局"),
        ("石佛寺镇", "石佛寺镇"),
        ("县委组织部", "委组织部"),
    ],
)
def test_stripped(name, key):
    assert stripped(name) == key


def test_normalize_folds_width_and_space():
    assert normalize("Ａ 局\u3000") == "a局"


def test_closest_suggests():
    assert closest("石佛镇", ["石佛寺镇", "晁陂镇", "商务局"])[0] == "石佛寺镇"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("晁陂镇人民政府（盖章）", "晁陂镇"),
        ("晁陂镇人民政府(盖章)", "晁陂镇"),
        ("雪枫街道办事处", "雪枫街道"),
        ("县商务局（章）", "县商务局"),
        ("石佛寺镇党委", "石佛寺镇"),
    ],
)
def test_form_name_variants(written, expected):
    from zsyz.domain.names import variants

    assert expected in variants(written)


@pytest.mark.parametrize(
    ("dated", "stage"),
    [
        ((), None),
        ((Stage.SIGNED,), Stage.SIGNED),
        ((Stage.SIGNED, Stage.STARTED), Stage.STARTED),
        ((Stage.LEAD, Stage.PRODUCING, Stage.SIGNED), Stage.PRODUCING),
        ((Stage.STARTED, Stage.DROPPED), Stage.DROPPED),
    ],
)
def test_stage_from_dates_is_the_furthest_dated(dated, stage):
    from zsyz.domain.stages import stage_from_dates

    assert stage_from_dates(dated) is stage
