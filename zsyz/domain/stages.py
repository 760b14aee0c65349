"""The project life cycle (domain.md "What: projects and their life cycle").

谋划 → 线索 → 洽谈 → 研判通过 → 审批 → 签约 → 开工 → 投产 → 达效; any stage may end in 终止.
A stage *reached* implies every earlier stage reached, so "signed or later" is
`stage.order >= Stage.SIGNED.order`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    PLANNED = "planned"
    LEAD = "lead"
    NEGOTIATING = "negotiating"
    ADMITTED = "admitted"
    APPROVED = "approved"
    SIGNED = "signed"
    STARTED = "started"
    PRODUCING = "producing"
    FULL_OUTPUT = "full_output"
    DROPPED = "dropped"

    @property
    def order(self) -> int:
        return _ORDER[self]

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]

    @property
    def date_field(self) -> str:
        """Name of the project attribute holding the date this stage was reached."""
        return f"{self.value}_on"

    def at_least(self, other: Stage) -> bool:
        """True when this (live) stage is `other` or later. Dropped reaches nothing."""
        return self is not Stage.DROPPED and self.order >= other.order


LIFE_CYCLE: tuple[Stage, ...] = (
    Stage.PLANNED,
    Stage.LEAD,
    Stage.NEGOTIATING,
    Stage.ADMITTED,
    Stage.APPROVED,
    Stage.SIGNED,
    Stage.STARTED,
    Stage.PRODUCING,
    Stage.FULL_OUTPUT,
)

_ORDER: dict[Stage, int] = {s: i for i, s in enumerate(LIFE_CYCLE)}
_ORDER[Stage.DROPPED] = len(LIFE_CYCLE)

STAGE_LABELS: dict[Stage, str] = {
    Stage.PLANNED: "谋划",
    Stage.LEAD: "线索",
    Stage.NEGOTIATING: "洽谈",
    Stage.ADMITTED: "研判通过",
    Stage.APPROVED: "审批",
    Stage.SIGNED: "签约",
    Stage.STARTED: "开工",
    Stage.PRODUCING: "投产",
    Stage.FULL_OUTPUT: "达效",
    Stage.DROPPED: "终止",
}

# Words offices write in a 项目阶段 column, normalised (no spaces), mapped to a stage.
# Longest match wins in `stage_from_text`, so "已签约未开工" reads as signed.
STAGE_WORDS: dict[str, Stage] = {
    "谋划": Stage.PLANNED,
    "储备": Stage.PLANNED,
    "策划": Stage.PLANNED,
    "谋划储备": Stage.PLANNED,
    "推介": Stage.PLANNED,
    "重点推介": Stage.PLANNED,
    "线索": Stage.LEAD,
    "信息": Stage.LEAD,
    "项目线索": Stage.LEAD,
    "在跟踪": Stage.LEAD,
    "跟踪": Stage.LEAD,
    "对接": Stage.LEAD,
    "对接中": Stage.LEAD,
    "洽谈": Stage.NEGOTIATING,
    "在谈": Stage.NEGOTIATING,
    "洽谈中": Stage.NEGOTIATING,
    "正在洽谈": Stage.NEGOTIATING,
    "在洽谈": Stage.NEGOTIATING,
    "意向": Stage.NEGOTIATING,
    "研判": Stage.ADMITTED,
    "研判通过": Stage.ADMITTED,
    "已研判": Stage.ADMITTED,
    "准入": Stage.ADMITTED,
    "已准入": Stage.ADMITTED,
    "审批": Stage.APPROVED,
    "已审批": Stage.APPROVED,
    "审批通过": Stage.APPROVED,
    "已批": Stage.APPROVED,
    "报批": Stage.APPROVED,
    "签约": Stage.SIGNED,
    "已签约": Stage.SIGNED,
    "签约未开工": Stage.SIGNED,
    "已签约未开工": Stage.SIGNED,
    "合同": Stage.SIGNED,
    "已签合同": Stage.SIGNED,
    "开工": Stage.STARTED,
    "已开工": Stage.STARTED,
    "在建": Stage.STARTED,
    "落地": Stage.STARTED,
    "已落地": Stage.STARTED,
    "开工建设": Stage.STARTED,
    "建设中": Stage.STARTED,
    "新开工": Stage.STARTED,
    "续建": Stage.STARTED,
    "投产": Stage.PRODUCING,
    "已投产": Stage.PRODUCING,
    "试生产": Stage.PRODUCING,
    "投产运营": Stage.PRODUCING,
    "竣工投产": Stage.PRODUCING,
    "运营": Stage.PRODUCING,
    "达效": Stage.FULL_OUTPUT,
    "达产": Stage.FULL_OUTPUT,
    "达产达效": Stage.FULL_OUTPUT,
    "已达产": Stage.FULL_OUTPUT,
    "终止": Stage.DROPPED,
    "放弃": Stage.DROPPED,
    "退库": Stage.DROPPED,
    "已终止": Stage.DROPPED,
    "中止": Stage.DROPPED,
    "取消": Stage.DROPPED,
    "已退库": Stage.DROPPED,
    "已放弃": Stage.DROPPED,
    "项目终止": Stage.DROPPED,
    "前期": Stage.PLANNED,
    "前期谋划": Stage.PLANNED,
    "拟引进": Stage.LEAD,
    "接触": Stage.LEAD,
    "初步接触": Stage.LEAD,
    "考察": Stage.LEAD,
    "已考察": Stage.LEAD,
    "深度洽谈": Stage.NEGOTIATING,
    "洽谈阶段": Stage.NEGOTIATING,
    "有意向": Stage.NEGOTIATING,
    "意向签约": Stage.NEGOTIATING,
    "框架协议": Stage.SIGNED,
    "已签框架协议": Stage.SIGNED,
    "签订协议": Stage.SIGNED,
    "已签订协议": Stage.SIGNED,
    "正式签约": Stage.SIGNED,
    "签约阶段": Stage.SIGNED,
    "开工阶段": Stage.STARTED,
    "施工": Stage.STARTED,
    "施工中": Stage.STARTED,
    "正在建设": Stage.STARTED,
    "已入驻": Stage.STARTED,
    "竣工": Stage.PRODUCING,
    "已竣工": Stage.PRODUCING,
    "已运营": Stage.PRODUCING,
    "建成投产": Stage.PRODUCING,
    "满产": Stage.FULL_OUTPUT,
}
for _stage in Stage:
    STAGE_WORDS.setdefault(_stage.value, _stage)


# "未签约", "尚未开工": a negated stage word says the project has NOT reached it, so it
# must never read as that stage. What remains after removing negated words decides
# ("已签约尚未开工" → signed); when nothing remains, the project sits one step before
# the stage it has not reached (未签约 → 洽谈, 未开工 → 签约, 未投产 → 开工).
_NEGATIONS = ("尚未", "暂未", "还未", "仍未", "没有", "未能", "未", "没", "不", "无")
_BEFORE: dict[Stage, Stage] = {
    Stage.SIGNED: Stage.NEGOTIATING,
    Stage.STARTED: Stage.SIGNED,
    Stage.PRODUCING: Stage.STARTED,
    Stage.FULL_OUTPUT: Stage.PRODUCING,
    Stage.APPROVED: Stage.ADMITTED,
    Stage.ADMITTED: Stage.NEGOTIATING,
}


def _strip_negated(key: str) -> tuple[str, list[Stage]]:
    """Remove "未<stage word>" phrases; return the rest and the stages negated."""
    negated: list[Stage] = []
    words = sorted((w for w in STAGE_WORDS if len(w) >= 2), key=len, reverse=True)
    for neg in _NEGATIONS:
        start = key.find(neg)
        while start >= 0:
            after = key[start + len(neg) :]
            word = next((w for w in words if after.startswith(w)), None)
            if word is None:
                start = key.find(neg, start + len(neg))
                continue
            negated.append(STAGE_WORDS[word])
            key = key[:start] + "，" + after[len(word) :]
            start = key.find(neg)
    return key, negated


@dataclass(frozen=True)
class PlannedStage:
    """A stage an office intends, not one reached: 拟签约, 计划开工, 预计投产, 正在洽谈签约.
    It never moves a project forward."""

    target: Stage
    text: str
    when: str = ""  # the planned time as written ("2026年9月"), if any

    @property
    def before(self) -> Stage:
        """Where a new project written this way stands: the step before its target."""
        return _BEFORE.get(self.target, Stage.NEGOTIATING)


_PLANNED = re.compile(
    r"(?:拟|待|计划|预计|准备|即将|近期|有望|争取|正在洽谈|洽谈|意向|力争|将于|将在|拟于|计划于|预计于)"
    r"([0-9年月日号底初中上下旬./-]{0,14})(?:前|左右|内)?"
    r"(签约|签订|开工|投产|竣工|达产|达效|开业|落地)"
)
_PLANNED_TARGET = {
    "签约": Stage.SIGNED,
    "签订": Stage.SIGNED,
    "开工": Stage.STARTED,
    "落地": Stage.STARTED,
    "开业": Stage.STARTED,
    "投产": Stage.PRODUCING,
    "竣工": Stage.PRODUCING,
    "达产": Stage.FULL_OUTPUT,
    "达效": Stage.FULL_OUTPUT,
}


def planned_stage(text: str) -> PlannedStage | None:
    """The stage a text only plans ("拟签约", "计划6月开工"), when it names no stage
    reached before it ("已签约，计划开工" is signed, not planned)."""
    key = "".join(text.split())
    m = _PLANNED.search(key)
    if m is None:
        return None
    before = stage_from_text(key[: m.start()]) if m.start() else None
    if before is not None:
        return None
    return PlannedStage(_PLANNED_TARGET[m.group(2)], text.strip(), m.group(1))


def stage_from_text(text: str) -> Stage | None:
    """Read a stage from what an office wrote; None when nothing is recognised."""
    key = "".join(text.split()).strip("。.;；")
    if not key:
        return None
    if key in STAGE_WORDS:
        return STAGE_WORDS[key]
    key, negated = _strip_negated(key)
    found = _longest_word(key)
    if found is not None or not negated:
        return found
    earliest = min(negated, key=lambda s: s.order)
    return _BEFORE.get(earliest)


def _longest_word(key: str) -> Stage | None:
    key = key.strip("，")
    if not key:
        return None
    if key in STAGE_WORDS:
        return STAGE_WORDS[key]
    lowered = key.lower()
    if lowered in STAGE_WORDS:
        return STAGE_WORDS[lowered]
    # Free text such as "已签约，正在办理手续": the longest known word inside it wins.
    best: tuple[int, Stage] | None = None
    for word, stage in STAGE_WORDS.items():
        if len(word) >= 2 and word in key and (best is None or len(word) > best[0]):
            best = (len(word), stage)
    return best[1] if best else None


def stage_from_dates(dated: Iterable[Stage]) -> Stage | None:
    """The stage a report's dates show when it names none (no 项目阶段 column, or the
    cell left blank): 终止 when a 终止日期 is given, else the furthest stage with a date."""
    stages = set(dated)
    if Stage.DROPPED in stages:
        return Stage.DROPPED
    return max(stages, key=lambda s: s.order, default=None)
