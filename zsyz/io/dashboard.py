"""The leaders' dashboard (驾驶舱) as one self-contained HTML file.

The page is `dashboard.html` with three things inlined: the figures as JSON, the vendored
ECharts (`zsyz/vendor/echarts/`, Apache-2.0, its LICENSE and NOTICE beside it) and the
page script `dashboard.js`. No network: a Content-Security-Policy of `default-src 'none'`
forbids every request, and fonts are the system's. Files are written to a temporary file
and renamed, so no half-written page is left.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from zsyz.io.files import atomic_write_bytes

HERE = Path(__file__).resolve().parent
ECHARTS = HERE.parent / "vendor" / "echarts" / "echarts.common.min.js"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _json(data: dict[str, Any]) -> str:
    """JSON that cannot end the <script> element it is put in: < > & as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _script(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if "</script" in text.lower():
        raise ValueError(f"{path.name} would end its <script> element")
    return text


def render(data: dict[str, Any]) -> str:
    """The page for `data` (plain JSON values: `cli.render.plain` of a dashboard page)."""
    page = (HERE / "dashboard.html").read_text(encoding="utf-8")
    parts = {
        "__TITLE__": html.escape(str(data.get("title", ""))),
        "__DATA__": _json(data),
        "__ECHARTS__": _script(ECHARTS),
        "__PAGE__": _script(HERE / "dashboard.js"),
    }
    # one pass, so a placeholder-like text inside the data is never replaced
    return re.sub("|".join(parts), lambda m: parts[m.group(0)], page)


def write_page(path: Path, data: dict[str, Any]) -> None:
    """Write the page atomically (`io/files.py`: temporary file, fsync, rename)."""
    atomic_write_bytes(path, render(data).encode("utf-8"))


def page_name(unit: str, used: Collection[str] = ()) -> str:
    """A file name for a unit's page: the name with characters no file system takes
    replaced by ＿ (石佛寺镇 → 石佛寺镇.html); a name already `used` (case-insensitive
    file systems included) gets （2）, （3）… rather than overwriting another unit's page."""
    name = _UNSAFE.sub("＿", unit).strip(" .") or "单位"
    taken = {u.casefold() for u in used}
    candidate, n = f"{name}.html", 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name}（{n}）.html"
    return candidate
