"""`zsyz policy holidays`: a policy `[calendar]` filled from the chinese-calendar package
(国务院办公厅 部分节假日安排, as data). The package is an optional extra
(`pip install 'zsyz[holidays]'`), imported here only."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from zsyz.errors import UsageError

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def calendar_days(years: Iterable[int]) -> tuple[dict[date, str], dict[date, str]]:
    """(holiday → festival, make-up working day → festival) of the given years."""
    try:
        from chinese_calendar import constants
    except ImportError as exc:
        raise UsageError(
            "未安装节假日数据：pip install 'zsyz[holidays]'（chinese-calendar），"
            "或在政策文件 [calendar] 中照国务院放假安排手写 holidays 与 workdays"
        ) from exc
    wanted = set(years)
    known = {d.year for d in constants.holidays}
    missing = sorted(wanted - known)
    if missing:
        raise UsageError(
            f"节假日数据中没有 {'、'.join(map(str, missing))} 年（已有 {min(known)}–{max(known)} 年）；"
            "请升级 chinese-calendar，或在政策文件 [calendar] 中手写"
        )

    def pick(days: dict[date, object]) -> dict[date, str]:
        return {d: NAMES.get(str(v), str(v)) for d, v in sorted(days.items()) if d.year in wanted}

    return pick(constants.holidays), pick(constants.workdays)


def calendar_toml(years: Iterable[int]) -> str:
    """The `[calendar]` section for a policy file, one dated line each, named."""
    ys = sorted(set(years))
    holidays, workdays = calendar_days(ys)

    def lines(days: dict[date, str]) -> list[str]:
        return [f"  {d.isoformat()},  # {name}" for d, name in days.items()]

    span = "、".join(map(str, ys))
    return "\n".join(
        [
            f"# {span} 年节假日与调休上班日（国务院办公厅部分节假日安排；数据来自 chinese-calendar）",
            "[calendar]",
            "holidays = [",
            *lines(holidays),
            "]",
            "workdays = [",
            *lines(workdays),
            "]",
            "",
        ]
    )
