"""000's admission check (准入) for manufacturing projects: investment intensity
(固定资产投资 ÷ 用地 ≥ 260万元/亩) and yield (预计年税收 ÷ 用地 ≥ 11万元/亩/年).

A check that lacks its figures is reported as missing (it cannot pass or fail), so the
研判 meeting knows what to ask for. Projects outside the policy's categories, or under a
policy without `[admission]`, are simply not checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from zsyz.domain.credit import passes
from zsyz.domain.facts import ProjectFact
from zsyz.domain.policy import Admission, Filters

PER_MU_QUANTUM = Decimal("0.01")


@dataclass(frozen=True)
class AdmissionCheck:
    applies: bool  # the project is in the checked categories
    fai_per_mu: Decimal | None = None  # 万元/亩
    tax_per_mu: Decimal | None = None  # 万元/亩/年
    flags: tuple[str, ...] = ()  # failures, in Chinese
    missing: tuple[str, ...] = ()  # figures that could not be computed

    @property
    def passed(self) -> bool | None:
        """True/False when every threshold could be checked; None when figures are missing."""
        if not self.applies:
            return None
        if self.flags:
            return False
        return None if self.missing else True


def _per_mu(amount: Decimal | None, land: Decimal | None) -> Decimal | None:
    if amount is None or land is None or land <= 0:
        return None
    return (amount / land).quantize(PER_MU_QUANTUM, rounding=ROUND_HALF_EVEN)


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def check(project: ProjectFact, admission: Admission | None) -> AdmissionCheck:
    """The admission check of one project under the policy's thresholds."""
    if admission is None or not project.category:
        return AdmissionCheck(False)
    if not passes(project, Filters(categories=admission.categories)):
        return AdmissionCheck(False)
    fai = _per_mu(project.fai, project.land_area)
    tax = _per_mu(project.expected_tax, project.land_area)
    flags: list[str] = []
    missing: list[str] = []
    no_land = project.land_area is None or project.land_area <= 0
    if admission.min_fai_per_mu is not None:
        if fai is None:
            missing.append("用地面积" if no_land else "固定资产投资")
        elif fai < admission.min_fai_per_mu:
            flags.append(
                f"亩均投资 {_num(fai)} 万元/亩，低于准入标准 {_num(admission.min_fai_per_mu)} 万元/亩"
            )
    if admission.min_tax_per_mu is not None:
        if tax is None:
            missing.append("用地面积" if no_land else "预计年税收")
        elif tax < admission.min_tax_per_mu:
            flags.append(
                f"亩均年税收 {_num(tax)} 万元/亩，低于准入标准 {_num(admission.min_tax_per_mu)} 万元/亩"
            )
    return AdmissionCheck(True, fai, tax, tuple(flags), tuple(dict.fromkeys(missing)))
