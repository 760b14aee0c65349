"""The dashboard in a real browser: Debian's Chromium, headless, driven by Playwright.

Renders the demo ledger's page and checks: no console errors, no network request, every
chart drawn, the numbers in the DOM equal `zsyz rank`/`progress`/`alerts` JSON, the group
filter and unit links work, it prints on A4 landscape; screenshots at 390 and 1920 px
are written to a temporary folder (the path is printed; `ZSYZ_SHOTS=DIR` keeps them
there). The 50-unit, 500-project county page weighs under 2 MB and opens in under 1 s.

Skips, saying why, only where no browser can be driven (`.ci/run` installs Chromium).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from zsyz.cli.app import run

pytestmark = [
    pytest.mark.slow,
    # the demo's ledger is a SQLite file either way: checked once, in the SQLite run
    pytest.mark.sqlite_only(reason="the page is checked in the SQLite run"),
]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES = {"phone": (390, 844), "screen": (1920, 1080)}


def _json(*args: str, capsys: pytest.CaptureFixture[str]) -> Any:
    capsys.readouterr()
    assert run(list(args)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A fresh headless Chromium profile (its own --user-data-dir)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("没有 Playwright（pip install playwright，见 pyproject 的 test 依赖）")
    if not Path(CHROMIUM).exists():
        pytest.skip("没有 Chromium 浏览器：apt-get install -y chromium（.ci/run 会安装）")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=ARGS
        )
        yield context
        context.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo ledger (samples/), kept in a file."""
    kept = tmp_path_factory.mktemp("demo") / "demo.db"
    cwd = Path.cwd()
    os.chdir(ROOT)  # the demo finds samples/ from the repository's root
    try:
        assert run(["demo", "--keep", str(kept)]) == 0
    finally:
        os.chdir(cwd)
    return kept


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("ZSYZ_SHOTS")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("dashboard-shots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\n驾驶舱截图：{folder}")
    return folder


class Opened:
    """A page with what it logged and requested."""

    def __init__(self, context: Any, path: Path, size: tuple[int, int]) -> None:
        self.page = context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.set_viewport_size({"width": size[0], "height": size[1]})
        self.page.on(
            "console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else 0
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready]")
        self.ready_ms = int(self.page.get_attribute("body", "data-ready") or 0)

    def close(self) -> None:
        self.page.close()


def _drawn(page: Any) -> list[int]:
    """Per chart, how many shapes its SVG (or canvas) holds."""
    return page.evaluate(
        """[...document.querySelectorAll('.chart')].map(el => {
            const svg = el.querySelector('svg');
            if (svg) { const r = svg.getBoundingClientRect();
                       return r.width && r.height ? svg.querySelectorAll('path,rect,text').length : 0; }
            const c = el.querySelector('canvas');
            return c && c.width && c.height ? 1 : 0; })"""
    )


@pytest.fixture(scope="module")
def county(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("page") / "看板.html"
    assert run(["report", "--quarter", "2022-Q2", "--html", str(page), "--db", str(demo)]) == 0
    return page


@pytest.mark.parametrize("size", list(SIZES))
def test_demo_page_in_chromium(chromium, county, shots, size):
    opened = Opened(chromium, county, SIZES[size])
    try:
        page = opened.page
        assert opened.errors == []
        assert opened.requests == [opened.url]  # the file itself, nothing else
        drawn = _drawn(page)
        assert len(drawn) == 3 and all(n > 5 for n in drawn), drawn
        width = SIZES[size][0]
        # nothing wider than the screen but the tables, which scroll inside their box
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(shots / f"county-{width}.png"), full_page=False)
        page.screenshot(path=str(shots / f"county-{width}-full.png"), full_page=True)
    finally:
        opened.close()


def test_dom_numbers_equal_the_cli_json(chromium, county, demo, capsys):
    db = ("--db", str(demo))
    ranked = _json("rank", "--quarter", "2022-Q2", "--format", "json", *db, capsys=capsys)
    progress = _json(
        "progress", "--year", "2022", "--as-of", "2022-06-30", "--format", "json", *db,
        capsys=capsys,
    )  # fmt: skip
    alerts = _json("alerts", "--as-of", "2022-06-30", "--format", "json", *db, capsys=capsys)
    projects = [
        _json("projects", "show", p["code"], "--format", "json", *db, capsys=capsys)
        for p in _json("projects", "list", "--format", "json", *db, capsys=capsys)
    ]
    opened = Opened(chromium, county, SIZES["screen"])
    page = opened.page
    try:
        rows = page.eval_on_selector_all(
            "#rank-table tbody tr",
            """trs => trs.map(tr => ({unit: tr.dataset.unit,
                rank: +tr.querySelector('.rank').dataset.value,
                score: +tr.querySelector('.score').dataset.value,
                completion: +tr.querySelector('.completion').dataset.value,
                shown: tr.querySelector('.completion').textContent}))""",
        )
        assert [(r["unit"], r["rank"], r["score"], r["completion"]) for r in rows] == [
            (r["unit"], r["rank"], r["score"], r["completion"]) for r in ranked
        ]
        assert [r["shown"] for r in rows] == [f"{r['completion'] * 100:.2f}%" for r in ranked]
        # every unit's targets, as its detail shows them once opened
        page.evaluate("document.querySelectorAll('details.unit').forEach(d => d.open = true)")
        page.wait_for_function(
            "[...document.querySelectorAll('details.unit')].every(d => d.querySelector('tr.target'))"
        )
        targets = page.evaluate(
            """Object.fromEntries([...document.querySelectorAll('details.unit')].map(d =>
                [d.dataset.unit, [...d.querySelectorAll('tr.target')].map(tr =>
                    [+tr.dataset.required, +tr.dataset.achieved])]))"""
        )
        assert targets == {
            u["unit"]: [[t["required"], t["achieved"]] for t in u["targets"]] for u in progress
        }
        red = sum(a["level"] == "red" for a in alerts)
        assert int(page.get_attribute("#alerts-red", "data-value")) == red
        assert int(page.get_attribute("#alerts-yellow", "data-value")) == len(alerts) - red
        # the cards: projects that reached signing / starting in 2022 by 30 June, counted
        # from `projects show` (a stage reached without its date: the next stage's date)
        later = ["signed_on", "started_on", "producing_on", "full_output_on"]
        for key, fields in (("signed", later), ("started", later[1:])):
            ytd = page.get_attribute(f"[data-kpi={key}] .ytd", "data-value")
            reached = [min(d) for p in projects if (d := [p[f] for f in fields if p[f]])]
            assert int(ytd) == sum("2022-01-01" <= d <= "2022-06-30" for d in reached)
            text = page.text_content(f"[data-kpi={key}] .ytd")
            assert text.startswith(ytd)
        assert opened.errors == []
    finally:
        opened.close()


def test_group_filter_and_unit_links(chromium, county):
    opened = Opened(chromium, county, SIZES["screen"])
    page = opened.page
    try:
        page.click("#group-filter button[data-group=township]")
        groups = page.eval_on_selector_all(
            "#rank-table tbody tr:not(.hidden)", "trs => trs.map(t => t.dataset.group)"
        )
        assert groups and set(groups) == {"township"}
        labels = page.eval_on_selector_all(
            "#chart-completion svg text", "ts => ts.map(t => t.textContent)"
        )
        assert "石佛寺镇" in labels and "商务局" not in labels
        page.click("#rank-table a:text('石佛寺镇')")
        page.wait_for_function("document.querySelector('details.unit[open] tr.target') !== null")
        opened_unit = page.get_attribute("details.unit[open]", "data-unit")
        assert opened_unit == "石佛寺镇"
        assert opened.errors == []
    finally:
        opened.close()


def test_prints_on_a4_landscape(chromium, county, shots):
    opened = Opened(chromium, county, SIZES["screen"])
    try:
        pdf = opened.page.pdf(prefer_css_page_size=True, print_background=True)
        (shots / "county.pdf").write_bytes(pdf)
        assert pdf.startswith(b"%PDF")
        boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf))
        # A4 landscape in points: 842 × 595
        assert boxes and all(round(float(w)) == 842 and round(float(h)) == 595 for w, h in boxes)
        assert opened.errors == []
    finally:
        opened.close()


def test_unit_page_in_chromium(chromium, demo, shots, tmp_path):
    out = tmp_path / "单位"
    args = ["report", "--quarter", "2022-Q2", "--html", str(out), "--per-unit"]
    assert run([*args, "--db", str(demo)]) == 0
    opened = Opened(chromium, out / "石佛寺镇.html", SIZES["phone"])
    try:
        assert opened.errors == [] and opened.requests == [opened.url]
        assert all(n > 5 for n in _drawn(opened.page))
        opened.page.screenshot(path=str(shots / "石佛寺镇-390.png"), full_page=True)
    finally:
        opened.close()


def _county_of_50_units(folder: Path) -> Path:
    """bench/gen_ledger.py's "dashboard" scale: 50 units, 500 projects, a year of reports."""
    spec = importlib.util.spec_from_file_location("gen_ledger", ROOT / "bench" / "gen_ledger.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_ledger", gen)
    spec.loader.exec_module(gen)
    db = folder / "county.db"
    gen.generate("dashboard", db, "zhenping-2020")
    page = folder / "county.html"
    assert run(["report", "--quarter", "2022-Q4", "--html", str(page), "--db", str(db)]) == 0
    return page


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _county_of_50_units(tmp_path_factory.mktemp("county"))


def test_county_of_50_units_weighs_under_2_mb(big):
    assert big.stat().st_size < 2_000_000


def test_county_of_50_units_opens_and_draws(chromium, big, shots):
    """Opens and draws every chart. The 1 s goal is a benchmark (bench/dashboard_open.py),
    not a timed test: on a loaded 2-core CI machine a sound page can take longer; the
    bound here only catches a page that never settles (a render loop, a blocking script)."""
    best = None
    for _ in range(3):  # best of three: the machine is shared
        opened = Opened(chromium, big, SIZES["screen"])
        try:
            assert opened.errors == []
            assert all(n > 5 for n in _drawn(opened.page))
            best = opened.ready_ms if best is None else min(best, opened.ready_ms)
        finally:
            opened.close()
    print(f"\n50 个单位、500 个项目：{big.stat().st_size / 1e6:.2f} MB，打开 {best} ms")
    assert best is not None and best < 10_000
