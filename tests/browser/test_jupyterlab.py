"""The widgets in a real browser: JupyterLab on loopback, driven in headless Chromium.

The headless tests set widget values in Python; this one proves the same widgets render and
answer clicks in JupyterLab. It starts ``jupyter lab`` on 127.0.0.1 (a free port, a temporary
root directory, token auth, no browser, no network calls for news or updates), writes a notebook,
and drives it with Playwright's Python API using Debian's ``/usr/bin/chromium`` — Playwright
never downloads a browser here. It picks a device in the DevicePicker by typing in its search
box and ticking the device, re-runs the picker's cell (the selection stays), runs a ``%%cmpivot --devices picker`` cell on the demo site, and
checks the itables table, the status summary and the PNG chart appear; then opens the results
explorer on the result (its table, its Chart tab, a pivot to the device, its close button), and the device-code
prompt (its copy button really copies, its countdown ticks). Screenshots go to
``test-artifacts/`` at the repository root (git-ignored), also when the test fails.

Needs ``pip install "cmpivot-magic[browser]"`` and ``apt-get install chromium``; without them it is
skipped with that message, except under CI (``CI=true``), where it fails (tests/conftest.py).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_on_loopback import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, SECONDS, lab_server

import cmpivot_magic

DEMO = "demo://?devices=50&seed=7&clock=virtual"
NOTEBOOK = "cmpivot_widgets.ipynb"
USER_CODE = "FRZ8QK3LP"

pytestmark = pytest.mark.browser  # tests/conftest.py skips it without Chromium, or fails it in CI

CELLS = [
    # 0: the picker
    f"%load_ext cmpivot_magic\n"
    f"session = %cmpivot connect {DEMO}\n"
    f"from cmpivot_magic.widgets import DevicePicker\n"
    f"picker = DevicePicker(session)\n"
    f"picker",
    # 1: the query on the picked device
    "%%cmpivot --devices picker\n"
    "OperatingSystem | summarize count() by Caption | render piechart",
    # 2: the explorer on that result
    "from cmpivot_magic.widgets import ResultsExplorer\n"
    "explorer = ResultsExplorer(_cmpivot, session)\n"
    "explorer",
    # 3: the device-code prompt, as MSAL's device flow would hand it over
    "from cmpivot_magic.widgets import show_device_code\n"
    f"signin = show_device_code({{'user_code': '{USER_CODE}', 'verification_uri': 'https://microsoft.com/devicelogin',\n"
    "    'expires_in': 900, 'message': 'To sign in, use a web browser to open the page "
    f"https://microsoft.com/devicelogin and enter the code {USER_CODE} to authenticate.'}})",
]


def online_device() -> str:
    """A workstation of the demo site that is online and answers queries."""
    session = cmpivot_magic.connect(DEMO)
    site = session.backend.site  # type: ignore[attr-defined]
    frame = session.devices()
    for name, rid, online in zip(frame["Name"], frame["ResourceId"], frame["IsOnline"], strict=True):
        if online and name.startswith("WKS") and site.failure_message(int(rid)) is None:
            return str(name)
    raise AssertionError("the demo site has no healthy workstation")


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[str]:
    """JupyterLab on 127.0.0.1: yields the notebook's URL (with the token)."""
    with lab_server(tmp_path, CELLS, notebook=NOTEBOOK) as url:
        yield url


def run_cell(page: Any, index: int) -> Any:
    """Click into a cell, press Shift+Enter, wait until it has run; fail with its error output."""
    from playwright.sync_api import expect

    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    prompt = cell.locator(".jp-InputArea-prompt")
    before = prompt.inner_text()
    for _attempt in range(3):
        cell.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Shift+Enter")
        # JupyterLab marks a cell [*] the moment it sends it; a press that finds the kernel
        # connection not quite ready is dropped silently, so press again rather than wait forever
        try:
            expect(prompt).not_to_have_text(before, timeout=10 * SECONDS)
            break
        except AssertionError:
            continue
    expect(prompt).to_have_text(re.compile(r"\[\d+\]"), timeout=120 * SECONDS)
    errors = cell.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    if errors.count() and "Error" in errors.all_inner_texts()[0]:
        raise AssertionError(f"cell {index} failed:\n{errors.all_inner_texts()}")
    return cell


def snapshot(page: Any, last_cell: Any, name: str) -> None:
    """A screenshot of the page down to the end of ``last_cell`` (the rest is empty notebook)."""
    box = last_cell.bounding_box()
    viewport = page.viewport_size
    height = viewport["height"] if box is None else min(viewport["height"], box["y"] + box["height"] + 16)
    page.screenshot(path=str(ARTIFACTS / name), clip={"x": 0, "y": 0, "width": viewport["width"], "height": height})


def test_pick_a_device_run_a_query_and_see_table_status_and_chart(lab: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    device = online_device()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        profile = tmp_path / "chromium-profile"  # a new, empty profile every run
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 2600})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=lab.split("/lab/")[0])
        page = context.pages[0] if context.pages else context.new_page()
        try:
            page.goto(lab)
            expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(len(CELLS), timeout=60 * SECONDS)
            page.wait_for_function("window.jupyterapp !== undefined")
            page.evaluate("window.jupyterapp.shell.collapseLeft()")
            # the kernel must be up before Shift+Enter, or JupyterLab drops the request
            expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(
                1, timeout=60 * SECONDS)
            expect(page.locator(".jp-StatusBar-Widget")).to_contain_text("| Idle", timeout=60 * SECONDS)

            # the picker: type the device's name into its search box, then tick the device
            picker_cell = run_cell(page, 0)
            picker = picker_cell.locator(".cmpivot-picker")
            expect(picker).to_be_visible(timeout=60 * SECONDS)
            expect(picker).to_contain_text("devices 1–50 of 50")
            search = picker.get_by_placeholder("Search name, user, OS or collection")
            search.click()
            search.press_sequentially(device.lower(), delay=40)
            expect(picker).to_contain_text("1–1 of 1 matching devices", timeout=20 * SECONDS)
            picker.get_by_role("checkbox", name=device).click()
            expect(picker.locator(".cmpivot-picker-count")).to_contain_text(f"1 device selected: {device}")
            # re-running the cell builds a new picker that keeps the selection
            picker_cell = run_cell(page, 0)
            picker = picker_cell.locator(".cmpivot-picker")
            expect(picker.locator(".cmpivot-picker-count")).to_contain_text(f"1 device selected: {device}",
                                                                            timeout=30 * SECONDS)
            expect(picker.get_by_role("checkbox", name=device)).to_be_checked()

            # the query on that device: the itables table, the status summary and the chart
            query_cell = run_cell(page, 1)
            output = query_cell.locator(".jp-Cell-outputArea")
            expect(output).to_contain_text("Query completed on 1 of 1 client", timeout=60 * SECONDS)
            expect(output.locator("table.dataTable").first).to_be_visible(timeout=30 * SECONDS)
            expect(output.locator("table.dataTable").first).to_contain_text("Microsoft Windows")
            expect(output).to_contain_text("Device status (1 devices: 1 completed)")
            chart = output.locator("img[src^='data:image/png;base64,']")
            expect(chart).to_be_visible()
            png = base64.b64decode(chart.get_attribute("src").split(",", 1)[1])
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
            snapshot(page, query_cell, "jupyterlab-picker-query.png")

            # the explorer on that result: its interactive table, its chart tab, then close (X)
            explorer_cell = run_cell(page, 2)
            explorer = explorer_cell.locator(".cmpivot-explorer")
            expect(explorer).to_be_visible(timeout=30 * SECONDS)
            expect(explorer.locator("table.dataTable").first).to_be_visible(timeout=30 * SECONDS)
            explorer.get_by_role("tab", name="Chart").click()
            expect(explorer.locator("img")).to_be_visible()
            explorer.get_by_role("tab", name="Status").click()
            expect(explorer).to_contain_text("Every device answered")
            # pivot: tick the device in the explorer's list, run the next query on it
            explorer.get_by_role("checkbox", name=device).click()
            explorer.get_by_placeholder(re.compile("next query")).fill("Process | summarize count() by Device")
            explorer.get_by_role("button", name="Run on selected devices").click()
            expect(explorer.get_by_role("button", name="‹ Back")).to_be_enabled(timeout=30 * SECONDS)
            explorer.get_by_role("tab", name="Query").click()
            expect(explorer.locator(".cmpivot-query")).to_contain_text("Process | summarize count() by Device")

            # the device-code prompt: the copy button copies the code, the countdown ticks
            signin_cell = run_cell(page, 3)
            signin = signin_cell.locator(".cmpivot-signin")
            expect(signin).to_contain_text(USER_CODE, timeout=30 * SECONDS)
            countdown = signin.get_by_text(re.compile(r"The code expires in \d+:\d\d"))
            first = countdown.inner_text()
            expect(countdown).not_to_have_text(first, timeout=10 * SECONDS)
            signin.get_by_role("button", name="Copy code").click()
            expect(signin.get_by_role("button", name="Copied")).to_be_visible()
            assert page.evaluate("navigator.clipboard.readText()") == USER_CODE
            snapshot(page, signin_cell, "jupyterlab-explorer-signin.png")

            explorer.locator(".cmpivot-explorer-close").click()
            expect(explorer).to_have_count(0, timeout=20 * SECONDS)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-failure.png"))
            raise
        finally:
            context.close()
