"""``%%cmpivot`` cells in a real JupyterLab: CMPivot highlighting, and the kernel's errors as you type.

The labextension (``labextension/``, installed prebuilt with the package) is served from the
repository's ``labextension/prebuilt`` through ``JUPYTER_PATH``, so the test checks the committed
build, not whatever an environment happens to have installed. JupyterLab runs on 127.0.0.1 and
Debian's ``/usr/bin/chromium`` is driven through Playwright's Python API, as in test_jupyterlab.py.

* Highlighting is there the moment the notebook opens (no click, no edit): the ``%%cmpivot`` cell's
  editor says ``data-language="cmpivot"`` and its entity, table operator, string, number, function,
  comment and ``{python}`` interpolation carry distinct ``tok-*`` classes.
* A Python cell is untouched: its editor is still IPython's (``data-language="python"``) and its
  rendered tokens are identical to those of the same notebook with the extension disabled.
* After ``%load_ext cmpivot_magic`` an error typed into the cell is underlined
  (``.cm-lintRange-error``) and hovering it shows the kernel's message.
* Tab in a ``%%cmpivot`` cell offers the entity's columns, typed by the kernel, and no Python names.

Screenshots go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from lab_on_loopback import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, SECONDS, lab_server

REPO = Path(__file__).resolve().parents[2]
PREBUILT = REPO / "labextension" / "prebuilt"
EXTENSION = "cmpivot-magic-jupyterlab"
NOTEBOOK = "cmpivot_editor.ipynb"

pytestmark = pytest.mark.browser

QUERY = ("%%cmpivot\n"
         "// services that are not running\n"
         "Service | where Name contains 'svc' and ProcessId > 100 and StartName != {account}\n"
         "| summarize count() by Device | top 5 by count_")
PYTHON = 'import os\ndef double(x):\n    return x * 2  # twice\nprint("done", double(21))'
CELLS = ["%load_ext cmpivot_magic\naccount = 'LocalSystem'", QUERY, PYTHON]


@contextmanager
def editor_lab(tmp_path: Path, *, extension_enabled: bool) -> Iterator[str]:
    """JupyterLab serving the repository's prebuilt extension (through ``JUPYTER_PATH``), or with
    it disabled for the baseline; yields the notebook's URL."""
    data = tmp_path / "data"
    (data / "labextensions").mkdir(parents=True)
    (data / "labextensions" / EXTENSION).symlink_to(PREBUILT, target_is_directory=True)
    with lab_server(tmp_path, CELLS, notebook=NOTEBOOK, jupyter_path=data,
                    disabled=() if extension_enabled else (EXTENSION,)) as url:
        yield url


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """A Chromium context with a new, empty profile."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1100, "height": 700})
        try:
            yield context
        finally:
            context.close()


def open_notebook(context: Any, url: str) -> Any:
    from playwright.sync_api import expect

    page = context.pages[0] if context.pages else context.new_page()
    page.goto(url)
    expect(page.locator(".jp-Notebook .jp-Cell .cm-content")).to_have_count(len(CELLS), timeout=60 * SECONDS)
    page.wait_for_function("window.jupyterapp !== undefined")
    page.evaluate("window.jupyterapp.shell.collapseLeft()")
    return page


def editor(page: Any, index: int) -> Any:
    return page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".cm-content")


def tokens(content: Any) -> dict[str, str]:
    """Each highlighted span's text → its tok-* classes, in the editor ``content``."""
    pairs = content.evaluate("""el => [...el.querySelectorAll('span')].map(s => [s.textContent,
        [...s.classList].filter(c => c.startsWith('tok-')).sort().join(' ')])""")
    return {text: classes for text, classes in pairs}


def python_rendering(page: Any) -> tuple[str | None, list[list[str]]]:
    """The Python cell's language and its rendered tokens (text and every class name)."""
    content = editor(page, 2)
    spans = content.evaluate("el => [...el.querySelectorAll('span')].map(s => [s.textContent, s.className])")
    return content.get_attribute("data-language"), spans


def load_the_magic(page: Any) -> None:
    """Run the first cell (``%load_ext cmpivot_magic``), pressing again if the kernel dropped it."""
    from playwright.sync_api import expect

    expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(
        1, timeout=60 * SECONDS)
    prompt = page.locator(".jp-Notebook .jp-Cell").nth(0).locator(".jp-InputArea-prompt")
    for _attempt in range(3):
        page.locator(".jp-Notebook .jp-Cell").nth(0).locator(".cm-content").click()
        page.keyboard.press("Shift+Enter")
        # a press that finds the kernel connection not quite ready is dropped silently (see
        # test_jupyterlab.py): press again rather than wait forever
        try:
            expect(prompt).not_to_have_text("[ ]:", timeout=10 * SECONDS)
            break
        except AssertionError:
            continue
    expect(prompt).to_have_text(re.compile(r"\[1\]"), timeout=60 * SECONDS)


def test_cmpivot_cells_are_highlighted_python_cells_untouched_and_errors_underlined(browser: Any,
                                                                                    tmp_path: Path) -> None:
    from playwright.sync_api import expect

    # the same notebook with the extension disabled: how JupyterLab alone renders the Python cell
    with editor_lab(tmp_path / "baseline", extension_enabled=False) as url:
        page = open_notebook(browser, url)
        expect(editor(page, 2).locator("span").first).to_be_visible(timeout=30 * SECONDS)
        baseline = python_rendering(page)
        assert editor(page, 1).get_attribute("data-language") == "python"  # plain IPython without us
        page.screenshot(path=str(ARTIFACTS / "cmpivot-editor-without-extension.png"))

    with editor_lab(tmp_path / "lab", extension_enabled=True) as url:
        try:
            page = open_notebook(browser, url)
            query = editor(page, 1)
            # coloured as soon as the notebook opens: nothing was clicked or typed
            expect(query).to_have_attribute("data-language", "cmpivot", timeout=30 * SECONDS)
            found = tokens(query)
            expected = {
                "%%cmpivot": "tok-meta",
                "// services that are not running": "tok-comment",
                "Service": "tok-typeName tok-variableName2",  # an entity
                "where": "tok-keyword",  # a table operator
                "summarize": "tok-keyword",
                "contains": "tok-keyword",  # a scalar operator word
                "'svc'": "tok-string",
                "100": "tok-number",
                "5": "tok-number",
                "count": "tok-macroName tok-variableName",  # a function call
                "{account}": "tok-string2",  # Python interpolation
                "Name": "tok-variableName",  # a column: a plain name
                "count_": "tok-variableName",
                "|": "tok-operator",
            }
            assert {text: found.get(text) for text in expected} == expected
            kinds = {expected[t] for t in ("Service", "where", "'svc'", "100", "count", "{account}", "Name")}
            assert len(kinds) == 7  # entity, operator, string, number, function, interpolation, column differ

            # the Python cell: still IPython's language, rendered exactly as without the extension
            expect(editor(page, 2).locator("span").first).to_be_visible()
            assert python_rendering(page) == baseline
            assert baseline[0] == "python" and not any("tok-" in cls for _, cls in baseline[1])
            page.screenshot(path=str(ARTIFACTS / "cmpivot-editor-highlighting.png"))

            # load the magic (it registers the diagnostics comm), then type an error
            load_the_magic(page)
            query.click()
            page.keyboard.press("Control+End")
            page.keyboard.type(" | wher Name", delay=30)
            underline = query.locator(".cm-lintRange-error")
            expect(underline).to_have_count(1, timeout=20 * SECONDS)
            assert underline.inner_text() == "wher"
            underline.hover()
            tooltip = page.locator(".cm-tooltip-lint")
            expect(tooltip).to_contain_text("unknown table operator 'wher'", timeout=10 * SECONDS)
            expect(tooltip).to_contain_text("did you mean 'where'?")
            page.screenshot(path=str(ARTIFACTS / "cmpivot-editor-diagnostics.png"))

            # fixing it clears the underline
            page.keyboard.press("Control+End")
            for _ in range(len(" Name")):
                page.keyboard.press("Backspace")
            page.keyboard.type("e count_ > 1", delay=30)  # after summarize, Name is gone: count_ is there
            expect(underline).to_have_count(0, timeout=20 * SECONDS)
            assert editor(page, 1).get_attribute("data-language") == "cmpivot"

            # a cell becomes CMPivot when its first line becomes %%cmpivot, and Python again after
            page.keyboard.press("Escape")
            page.keyboard.press("b")  # a new cell below
            fresh = editor(page, 2)
            expect(fresh).to_have_attribute("data-language", "python", timeout=10 * SECONDS)
            fresh.click()
            page.keyboard.type("%%cmpivot\nProcess | take 1", delay=20)
            expect(fresh).to_have_attribute("data-language", "cmpivot", timeout=10 * SECONDS)
            expect(fresh.locator(".tok-typeName", has_text="Process")).to_have_count(1)
            page.keyboard.press("Control+Home")
            page.keyboard.press("Delete")
            expect(fresh).to_have_attribute("data-language", "python", timeout=10 * SECONDS)
        except Exception:
            if browser.pages:
                browser.pages[0].screenshot(path=str(ARTIFACTS / "cmpivot-editor-failure.png"))
            raise


def test_tab_offers_the_columns_of_the_entity(browser: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with editor_lab(tmp_path / "lab", extension_enabled=True) as url:
        page = open_notebook(browser, url)
        load_the_magic(page)
        # a new cell, so JupyterLab's own completer (words already in the cell) cannot offer the
        # columns: only the kernel knows StartMode, a column of Service
        editor(page, 2).click()
        page.keyboard.press("Escape")
        page.keyboard.press("b")
        fresh = editor(page, 3)
        fresh.click()
        page.keyboard.type("%%cmpivot\nService | where Sta", delay=30)
        page.keyboard.press("Tab")
        completer = page.locator(".jp-Completer")
        expect(completer.locator(".jp-Completer-item", has_text="StartMode")).to_be_visible(timeout=20 * SECONDS)
        labels = completer.locator(".jp-Completer-item .jp-Completer-match").all_inner_texts()
        assert {"StartMode", "StartName", "State", "Status"} <= set(labels)
        assert not {"staticmethod", "str", "sum"} & set(labels)  # no Python names in a query
        item = completer.locator(".jp-Completer-item", has_text="StartMode")
        expect(item).to_contain_text("field")  # the type the kernel sent (a column)
        page.screenshot(path=str(ARTIFACTS / "cmpivot-editor-completion.png"))
        completer.locator(".jp-Completer-item", has_text="StartMode").click()
        expect(fresh).to_contain_text("Service | where StartMode")
