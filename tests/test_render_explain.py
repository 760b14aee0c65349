"""The wording of explanations: terms built by hand (as the domain builds them) and the
Chinese text `zsyz.render` makes of them. Domain tests compare terms; these compare
sentences, once per form."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from zsyz.domain import rules as r
from zsyz.domain.facts import AdjustmentFact
from zsyz.domain.metrics import Metric
from zsyz.domain.periods import parse_period
from zsyz.domain.points import Component
from zsyz.domain.terms import Op, Term
from zsyz.render.explain import component_json, detail_text, rule_text, short_rule
from zsyz.render.reasons import reason_text

EFFICACY = r.Efficacy(label="签约额", metric=Metric.SIGNED_TOTAL, points=D(30))
RAW = Component(D(20), Term(Op.MEASURED, EFFICACY, {"value": D(20)}, D(20)))
STALE = r.Deduction(label="项目更新", points=D(1), event=r.DeductionEvent.STALE_PROJECT)
ADJUST = r.Adjustment(label="手工", cap=D("0.3"))
FAKED = AdjustmentFact(1, "u", 2024, D("-0.2"), "弄虚作假", "市考核办〔2024〕3号")


@pytest.mark.parametrize(
    ("component", "rule", "detail"),
    [
        (
            Component(
                D(21),
                Term(
                    Op.EFFICACY_ITEM,
                    EFFICACY,
                    {"raw": RAW, "value": D(20), "lo": D(10), "hi": D(50)}
                    | {"scaled": D(70), "full": D(100)},
                    D(21),
                ),
            ),
            "签约额：功效系数 × 30 分",
            "签约项目总投资 20万元；(20−10)/(50−10)×40+60 = 70，× 30/100 = 21",
        ),
        (
            Component(
                D(-1),
                Term(
                    Op.DEDUCTION,
                    STALE,
                    {"count": 1, "cap_hit": None},
                    D(-1),
                    parts=(Term(Op.STALE, inputs={"days": 65}, projects=("S",)),),
                ),
            ),
            "项目更新：每次扣 1 分",
            "项目未及时更新 1 次（S 65 天未更新）× −1",
        ),
        (
            Component(
                D("-0.3"),
                Term(
                    Op.ADJUSTMENT,
                    ADJUST,
                    {"adjustments": (FAKED, FAKED), "cap_hit": D("0.3")},
                    D("-0.3"),
                ),
            ),
            "手工",
            "-0.2：弄虚作假（依据：市考核办〔2024〕3号）［#1］；"
            "-0.2：弄虚作假（依据：市考核办〔2024〕3号）［#1］，封顶 0.3 分",
        ),
    ],
)
def test_component_wording(component: Component, rule: str, detail: str) -> None:
    assert (rule_text(component), detail_text(component)) == (rule, detail)
    assert component_json(component) == {"rule": rule, "points": component.points, "detail": detail}
    assert short_rule(component) == rule.split("：")[0]


def test_reason_wording() -> None:
    permille = r.PermilleOfFunds(label="奖励", permille=D(2), min_completion=D("0.8"))
    funds = Term(Op.PERMILLE_FUNDS, permille, {"done": D("0.84"), "funds": D(4200)}, D("8.4"))
    assert reason_text(funds) == (
        "完成到位资金目标 84.00%（≥80.00%），到位资金 4200 万元 × 2‰ = 8.4 万元"
    )
    bottom = r.BottomOfRanking(label="通报", flag="通报批评", period="quarter", bottom=1)
    q1 = parse_period("2021-Q1")
    tie = {"period": q1, "group": "县区", "tied": 2, "line": D(0), "bottom": 1}
    assert reason_text(Term(Op.BOTTOM_TIE, bottom, tie)) == (
        "2021年第1季度县区：2 个未完成任务的单位同分（0），超过政策所定末位 1 个，"
        "同分者均未标记「通报批评」；请按政策另定办法"
    )
    compiled = r.CompiledStarted(label="编制", percent=D(1), basis="completed_investment_year")
    got = {"year": 2012, "compiled": date(2012, 2, 1), "started": date(2012, 7, 1)}
    term = Term(Op.COMPILED_STARTED, compiled, got | {"base": D(3000)}, D(30), ("D",))
    assert reason_text(term) == (
        "D 2012 年新编制（2012-02-01）并于 2012-07-01 开工，当年完成投资 3000 万元 × 1% = 30 万元"
    )
