"""How long the leaders' dashboard takes to open in headless Chromium (not a test).

    .venv/bin/python bench/dashboard_open.py [--repeat 5]

Builds the "dashboard" scale ledger of bench/gen_ledger.py (50 units, 500 projects, a year
of reports), writes `zsyz report --quarter 2022-Q4 --html`, and opens it in the system's
Chromium (Playwright, no download) `--repeat` times. The page stamps `body[data-ready]`
with the milliseconds from navigation start to the last chart drawn; the best run is
printed beside the page's size. Goals (issue 19): under 1 s to open, under 2 MB.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="page opens (best is kept)")
    opts = parser.parse_args()
    from gen_ledger import generate
    from playwright.sync_api import sync_playwright

    from zsyz.cli.app import run

    folder = Path(tempfile.mkdtemp(prefix="zsyz-dash-"))
    generate("dashboard", folder / "county.db", "zhenping-2020")
    page_file = folder / "county.html"
    argv = ["report", "--quarter", "2022-Q4", "--html", str(page_file)]
    if run([*argv, "--db", str(folder / "county.db")]) != 0:
        sys.exit("report --html failed")
    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        for _ in range(opts.repeat):
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(page_file.as_uri())
            page.wait_for_selector("body[data-ready]")
            times.append(int(page.get_attribute("body", "data-ready") or 0))
            page.close()
        browser.close()
    size = page_file.stat().st_size / 1e6
    print(f"page {size:.2f} MB (goal < 2 MB); open best {min(times)} ms, "
          f"median {sorted(times)[len(times) // 2]} ms (goal < 1000 ms)")  # fmt: skip
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
