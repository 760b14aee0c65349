"""`zsyz report --html`: the leaders' dashboard, one page or one page per unit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zsyz.domain.periods import Period
    from zsyz.store.engine import Ledger


def write_dashboard(led: Ledger, period: Period, target: Path, per_unit: bool) -> None:
    from zsyz.app.dashboard import dashboard_pages
    from zsyz.cli.rank_cmds import _place
    from zsyz.cli.render import plain, say
    from zsyz.errors import UsageError
    from zsyz.io.dashboard import page_name, write_page

    if per_unit:
        if target.exists() and not target.is_dir():
            raise UsageError(f"--per-unit 需要一个目录，「{target}」是文件")
    else:
        if target.is_dir():
            raise UsageError(
                f"「{target}」是目录：一页看板请写文件名，如 看板.html；每单位一页加 --per-unit"
            )
        if target.suffix.lower() not in (".html", ".htm"):
            raise UsageError(f"驾驶舱网页应以 .html 结尾，收到「{target.name}」")
    pages = dashboard_pages(led, period, _place, per_unit=per_unit)
    if not per_unit:
        write_page(target, plain(pages[0][1]))
        say(f"已生成 {target}（{period.label_zh}驾驶舱，离线可用）")
        return
    if not pages:
        raise UsageError("没有单位有目标任务，无法生成单位页面：先设定目标")
    target.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    for unit, data in pages:
        name = page_name(unit or "", used)
        used.add(name)
        write_page(target / name, plain(data))
    say(f"已在 {target} 生成 {len(pages)} 个单位的驾驶舱页面（{period.label_zh}）")
