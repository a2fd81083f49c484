"""The report notebook (05) exported to standalone HTML works in a real browser, offline.

The test builds the page the way the notebook says to — ``jupyter nbconvert --to html --execute
--no-input notebooks/05-report.ipynb`` — and opens it in headless Chromium (Debian's
``/usr/bin/chromium`` through Playwright's Python API; Playwright never downloads a browser here)
with every request off the page's own file refused, so nothing can come from a network. It types a
device name into the low-disk table's search box and checks the table filters down to it, checks a
chart is a visible, decoded picture, and saves screenshots to ``test-artifacts/`` (git-ignored).

Skipped when /usr/bin/chromium is absent, except under CI (``CI=true``), where that is a failure
(tests/conftest.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
# nbconvert's HTML template links these two scripts from a CDN; the report uses neither (no widgets,
# no maths), and the test proves it works without them
TEMPLATE_CDN = ("cdnjs.cloudflare.com/ajax/libs/require.js", "cdnjs.cloudflare.com/ajax/libs/mathjax")
SECONDS = 1000  # Playwright timeouts are in milliseconds

pytestmark = pytest.mark.browser  # tests/conftest.py skips it without Chromium, or fails it in CI


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMPIVOT_")}
    done = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--execute", "--no-input",
         "--output-dir", str(out), "notebooks/05-report.ipynb"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    page = out / "05-report.html"
    assert page.stat().st_size > 100_000, "the page should carry the table library inline"
    return page


def test_exported_report_searches_its_tables_and_shows_charts_offline(report: Path) -> None:
    """In the exported page, typing in a table's search box filters its rows, and a chart is visible."""
    from playwright.sync_api import Route, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    refused: list[str] = []
    page_errors: list[str] = []

    def offline(route: Route) -> None:
        if route.request.url.startswith("file://") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        browser = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 1280, "height": 900})
        try:
            page = browser.new_page()
            page.on("pageerror", lambda err: page_errors.append(str(err)))
            page.route("**/*", offline)
            page.goto(report.as_uri())
            page.wait_for_selector("div.dt-container", timeout=30 * SECONDS)
            page.screenshot(path=str(ARTIFACTS / "report-05.png"), full_page=True)

            # the low-disk table: the one whose header has PctFree
            # (visible: for a styled frame — greyed rows from inventory — itables also keeps a hidden
            # no-JavaScript copy of the table under the same id, which DataTables wraps too)
            table = page.locator("div.dt-container").filter(has=page.locator("th", has_text="PctFree"), visible=True)
            assert table.count() == 1
            rows = table.locator("tbody tr")
            info = table.locator(".dt-info")
            before, info_before = rows.count(), info.inner_text()
            assert before > 1, info_before
            device = rows.first.locator("td").first.inner_text().strip()
            table.locator("input[type=search]").fill(device)
            page.wait_for_function(
                "([el, before]) => el.innerText !== before", arg=[info.element_handle(), info_before],
                timeout=10 * SECONDS)
            assert rows.count() == 1, f"searching {device!r} left {rows.count()} rows"
            assert device in rows.first.inner_text()
            assert "filtered" in info.inner_text(), info.inner_text()
            table.screenshot(path=str(ARTIFACTS / "report-05-search.png"))

            # charts are PNG pictures inline: decoded, drawn, and on screen
            charts = page.locator("img[src^='data:image/png']")
            assert charts.count() >= 3
            chart = charts.first
            chart.scroll_into_view_if_needed()
            assert chart.is_visible()
            assert chart.evaluate("img => img.complete && img.naturalWidth > 300 && img.naturalHeight > 150")
            box = chart.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 150
            chart.screenshot(path=str(ARTIFACTS / "report-05-chart.png"))
        finally:
            browser.close()

    assert not page_errors, page_errors
    assert all(any(cdn in url for cdn in TEMPLATE_CDN) for url in refused), refused
