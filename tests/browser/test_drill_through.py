"""Drill-through and a confirmed write in a real browser (issue 18): JupyterLab on loopback, driven
in headless Chromium like test_jupyterlab.py. The explorer on a Service result: pick a column and a
value, click "Show devices with" and see the console's countif query and its devices; then create
a collection of the result's devices through the confirmation, and find it on the site.
Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lab_on_loopback import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, SECONDS, lab_server
from test_jupyterlab import run_cell, snapshot

pytestmark = pytest.mark.browser

DEMO = "demo://?devices=30&seed=7&clock=virtual"
CELLS = [
    f"%load_ext cmpivot_magic\n"
    f"session = %cmpivot connect {DEMO}\n"
    "from cmpivot_magic.widgets import ResultsExplorer\n"
    "first = session.run('Service | project Device, Name, State')\n"
    "explorer = ResultsExplorer(first, session)\n"
    "explorer",
    "made = session.collections().iloc[-1]\n"
    "members = sorted(session.run('Device', collection=made['CollectionID']).status['Device'])\n"
    "print(made['Name'], made['MemberCount'], members == sorted(set(first.df['Device'])))",
]


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[str]:
    with lab_server(tmp_path, CELLS) as url:
        yield url


def test_show_devices_with_a_value_and_create_a_collection(lab: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    import cmpivot_magic

    session = cmpivot_magic.connect(DEMO, history=None)
    first = session.run("Service | project Device, Name, State")
    having = sorted(set(first.df.loc[first.df["Name"] == "Browser", "Device"]))
    devices = len(set(first.df["Device"]))
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 2200})
        page = context.pages[0] if context.pages else context.new_page()
        try:
            page.goto(lab)
            expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(len(CELLS), timeout=60 * SECONDS)
            page.wait_for_function("window.jupyterapp !== undefined")
            page.evaluate("window.jupyterapp.shell.collapseLeft()")
            expect(page.locator(".jp-StatusBar-Widget")).to_contain_text("| Idle", timeout=60 * SECONDS)

            cell = run_cell(page, 0)
            explorer = cell.locator(".cmpivot-explorer")
            expect(explorer).to_be_visible(timeout=60 * SECONDS)
            # drill-through: the Name column, the value Browser, "Show devices with"
            explorer.locator(".cmpivot-drill-column select").select_option("Name")
            explorer.locator(".cmpivot-drill-value select").select_option("Browser")
            explorer.get_by_role("button", name="Show devices with", exact=True).click()
            expect(explorer).to_contain_text(f"showing {len(having)} of {len(having)} rows", timeout=30 * SECONDS)
            for device in having:
                expect(explorer.locator("table.dataTable").first).to_contain_text(device)
            explorer.get_by_role("tab", name="Query").click()
            expect(explorer.locator(".cmpivot-query")).to_contain_text(
                "Service | summarize countif( (Name == 'Browser') ) by Device | where (countif_ > 0)")
            snapshot(page, cell, "jupyterlab-drill-through.png")

            # back to the first result; a collection of its devices, through the confirmation
            explorer.get_by_role("button", name="‹ Back").click()
            explorer.get_by_placeholder("new collection name").fill("Browser check")
            explorer.get_by_role("button", name="Create collection").click()
            confirm = explorer.locator(".cmpivot-confirm")
            expect(confirm).to_be_visible()
            expect(confirm).to_contain_text(
                f"Create device collection 'Browser check' (limited to SMS00001) with direct rules for {devices} devices")
            snapshot(page, cell, "jupyterlab-create-collection-confirm.png")
            confirm.get_by_role("button", name="Confirm").click()
            expect(explorer.locator(".cmpivot-action-done")).to_contain_text(
                "Created collection Browser check", timeout=30 * SECONDS)
            expect(confirm).to_be_hidden()

            check = run_cell(page, 1)
            expect(check.locator(".jp-Cell-outputArea")).to_contain_text(f"Browser check {devices} True",
                                                                          timeout=60 * SECONDS)
            snapshot(page, check, "jupyterlab-collection-created.png")
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-drill-failure.png"))
            raise
        finally:
            context.close()
