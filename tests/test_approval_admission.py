"""Approval routes (003 二、(五), 五、1.) and the admission check (000), table-driven."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zsyz.domain.admission import check
from zsyz.domain.approval import decide
from zsyz.domain.facts import ProjectFact
from zsyz.domain.stages import Stage
from zsyz.policy.load import parse_policy, preset_source

PANAN = parse_policy(preset_source("panan-2022").text, "panan-2022")
ZHENPING = parse_policy(preset_source("zhenping-2020").text, "zhenping-2020")
APPROVAL = PANAN.approval
assert APPROVAL is not None


def project(**kw: object) -> ProjectFact:
    return ProjectFact(code="P", name="P", stage=Stage.NEGOTIATING, **kw)  # type: ignore[arg-type]


D = Decimal
SERVICE = ("文化旅游", "康养", "现代服务业", "现代农业", "商业")


@pytest.mark.parametrize(
    ("category", "land", "needs_land", "expected"),
    [
        # no land → deputy, whatever the category
        *[(c, None, False, "deputy") for c in ("制造业", *SERVICE, None)],
        *[(c, None, None, "deputy") for c in ("工业", "文化旅游")],
        # 文旅/康养/服务业/农业/商业: ≤20 deputy; 20–50 mayor_office; >50 standing_committee
        *[(c, D(20), True, "deputy") for c in SERVICE],
        *[(c, D("20.0001"), True, "mayor_office") for c in SERVICE],
        *[(c, D(30), True, "mayor_office") for c in SERVICE],
        *[(c, D(50), True, "mayor_office") for c in SERVICE],
        *[(c, D("50.0001"), True, "standing_committee") for c in SERVICE],
        # industry: ≤30 deputy; 30–50 mayor_office; >50 standing_committee
        *[(c, D(20), True, "deputy") for c in ("工业", "制造业")],
        *[(c, D(30), True, "deputy") for c in ("工业", "制造业")],
        *[(c, D("30.0001"), True, "mayor_office") for c in ("工业", "制造业")],
        *[(c, D(50), True, "mayor_office") for c in ("工业", "制造业")],
        *[(c, D(51), True, "standing_committee") for c in ("工业", "制造业")],
        # other categories use the fallback (our default: the stricter 20亩 tier)
        ("基础设施", D(20), True, "deputy"),
        ("基础设施", D(21), True, "mayor_office"),
        (None, D(50), True, "mayor_office"),
        # an area without the needs-land flag still means land
        ("工业", D(40), None, "mayor_office"),
    ],
)
def test_approval_bounds(category, land, needs_land, expected):
    p = project(category=category, land_area=land, needs_land=needs_land)
    assert decide(p, APPROVAL).level == expected


@pytest.mark.parametrize(
    ("category", "land", "expected"),
    [
        ("工业", None, "mayor_office"),  # no land: deputy raised
        ("工业", D(30), "mayor_office"),
        ("工业", D(50), "standing_committee"),
        ("工业", D(80), "standing_committee"),  # the top level stays
        ("文化旅游", D(20), "mayor_office"),
        ("文化旅游", D(21), "standing_committee"),
    ],
)
def test_fiscal_support_raises_one_level(category, land, expected):
    p = project(category=category, land_area=land, fiscal_support=True)
    decision = decide(p, APPROVAL)
    assert decision.level == expected
    assert "一事一议" in decision.reason


@pytest.mark.parametrize(
    ("land", "fiscal", "names", "expected"),
    [
        (D(50), None, ["金磐开发区"], "park"),
        (None, None, ["金磐开发区"], "park"),
        (D(10), None, ["安文街道", " 金磐开发区"], "park"),  # any declaring unit, spaces folded
        (D("50.5"), None, ["金磐开发区"], "standing_committee"),
        (D(40), True, ["金磐开发区"], "standing_committee"),  # county money: county route, raised
        (D(40), None, ["安文街道"], "mayor_office"),
    ],
)
def test_park_self_approval(land, fiscal, names, expected):
    p = project(category="工业", land_area=land, fiscal_support=fiscal)
    assert decide(p, APPROVAL, names).level == expected


def test_needs_land_without_area_is_unknown():
    decision = decide(project(category="工业", needs_land=True), APPROVAL)
    assert decision.level is None and "用地" in decision.reason


ADMISSION = ZHENPING.admission


@pytest.mark.parametrize(
    ("category", "fai", "tax", "land", "passed", "flags"),
    [
        ("制造业", D(2600), D(110), D(10), True, 0),  # exactly 260 and 11 pass
        ("工业", D(2599), D(110), D(10), False, 1),
        ("制造业", D(2600), D("109.9"), D(10), False, 1),
        ("制造业", D(1000), D(10), D(10), False, 2),
        ("制造业", D(5000), None, D(10), None, 0),  # tax missing: cannot be checked
        ("制造业", D(5000), D(200), None, None, 0),  # land missing
        ("文化旅游", D(100), D(1), D(10), None, 0),  # not manufacturing: not checked
    ],
)
def test_admission_thresholds(category, fai, tax, land, passed, flags):
    result = check(project(category=category, fai=fai, expected_tax=tax, land_area=land), ADMISSION)
    assert result.passed is passed
    assert len(result.flags) == flags


def test_admission_per_mu_figures_and_missing():
    r = check(project(category="制造业", fai=D(3000), land_area=D(12)), ADMISSION)
    assert r.applies and r.fai_per_mu == D(250) and r.tax_per_mu is None
    assert r.missing == ("预计年税收",) and "250" in r.flags[0]
    assert not check(project(category="制造业", fai=D(1)), None).applies
