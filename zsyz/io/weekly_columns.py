"""Every heading of a weekly report accounted for: mapped to a ledger field (with the
unit its amounts are in), kept as an extra attribute (研判结果, 填报人 …), refused with the
reason (an amount in a unit not read exactly, 美元 without a rate, two columns for one
field), or named as ignored. Nothing here touches the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from zsyz.errors import Problem
from zsyz.io.columns import HeaderMatch, heading_key, loose_keys
from zsyz.io.values import USD_IN_WAN, scale_of
from zsyz.io.weekly_cells import AmountColumn, Parser, Sheet
from zsyz.io.weekly_fields import COLUMN, EXTRAS, FIELDS, HEADINGS

_EXTRA_BY_KEY: dict[str, str] = {heading_key(s): label for label, syn in EXTRAS for s in syn}
_FIELD_BY_KEY: dict[str, str] = {heading_key(s): c.key for c in FIELDS for s in c.synonyms}
# Row numbers: ignored, listed, but holding no fact (`--strict` lets them pass).
ROW_NUMBERS = frozenset({"序号", "序", "no", "no.", "行号", "排序"})


@dataclass
class ColumnPlan:
    refused: set[str] = field(default_factory=set)  # keys whose column is not read
    extras: dict[int, str] = field(default_factory=dict)  # column → extra attribute label
    ignored: dict[int, str] = field(default_factory=dict)  # column → heading as written
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def mapped(self, header: HeaderMatch) -> list[dict[str, str]]:
        """[{"heading", "field"}] in sheet order: the Chinese field each heading fills."""
        out = [
            (col, header.headings[key], HEADINGS[key])
            for key, col in header.columns.items()
            if key not in self.refused
        ]
        out += [
            (col, header.others[col], f"附加信息「{label}」") for col, label in self.extras.items()
        ]
        return [{"heading": h, "field": f} for _, h, f in sorted(out)]

    def facts_ignored(self) -> list[str]:
        """Ignored headings other than row numbers (序号): what `--strict` refuses."""
        return [h for h in self.ignored.values() if heading_key(h) not in ROW_NUMBERS]


def plan_columns(
    header: HeaderMatch,
    money_unit: str | None,
    usd_rate: Decimal | None,
    sheet: str | None = None,
) -> ColumnPlan:
    plan = ColumnPlan()
    for key in header.columns:
        column = COLUMN[key]
        heading = header.headings[key]
        if isinstance(column, AmountColumn):
            _amount_unit(plan, header, key, money_unit, usd_rate, sheet)
        elif (refusal := column.heading_problem(heading)) is not None:
            plan.refused.add(key)
            plan.problems.append(Problem(refusal, column=heading, sheet=sheet))
    for col, text in sorted(header.others.items()):
        key = heading_key(text)
        same = _FIELD_BY_KEY.get(key)
        extra = next((_EXTRA_BY_KEY[k] for k in loose_keys(key) if k in _EXTRA_BY_KEY), None)
        if extra is not None:  # 研判结果, 建设内容及规模 → 建设内容
            plan.extras[col] = extra
        elif same is not None and same in header.columns:
            if COLUMN[same].REPEATABLE:  # 联系人 twice, 备注 twice: both kept
                plan.extras[col] = text.strip()
            else:
                plan.refused.add(same)
                plan.problems.append(
                    Problem(
                        f"「{header.headings[same]}」与「{text}」两列都是{HEADINGS[same]}，"
                        "无法确定以哪一列为准；请删去或改名其中一列",
                        column=text,
                        sheet=sheet,
                    )
                )
        else:
            plan.ignored[col] = text
    return plan


def column_parsers(
    header: HeaderMatch,
    plan: ColumnPlan,
    money_unit: str | None,
    year: int | None,
    usd_rate: Decimal | None = None,
) -> list[tuple[str, int, str, Parser, bool]]:
    """(key, column, heading, parse, quoted) for every column read, in sheet order: each
    typed column gives its own parser, bound to what this sheet says about its cells."""
    out = []
    for key, col in sorted(header.columns.items(), key=lambda kv: kv[1]):
        if key in plan.refused:
            continue
        column = COLUMN[key]
        unit = header.unit_of(key) or money_unit
        parse = column.reader(Sheet(unit=unit, year=year, usd_rate=usd_rate))
        out.append((key, col, header.headings[key], parse, column.QUOTED))
    return out


def _amount_unit(
    plan: ColumnPlan,
    header: HeaderMatch,
    key: str,
    money_unit: str | None,
    usd_rate: Decimal | None,
    sheet: str | None,
) -> None:
    heading = header.headings[key]
    column = COLUMN[key]
    assert isinstance(column, AmountColumn)
    unit = header.unit_of(key) or money_unit or column.unit  # as the column's reader reads it
    if scale_of(unit, usd_rate) is not None:  # the column's reader scales each cell
        if unit in USD_IN_WAN:
            plan.warnings.append(
                f"「{heading}」是美元金额，按 1 美元 = {usd_rate} 元人民币折算为万元（精确到元）"
            )
        return
    plan.refused.add(key)
    if unit in USD_IN_WAN:
        message = (
            f"该列金额以{unit}计，没有汇率无法折算为人民币；请把该列折算为人民币（万元）后重报"
            "（或由县招商中心设定美元汇率后导入）"
        )
    else:
        message = f"无法识别金额单位「{unit}」；请写万元或亿元"
    plan.problems.append(Problem(message, column=heading, sheet=sheet))
