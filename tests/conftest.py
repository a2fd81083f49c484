"""Shared fixtures: one real IPython shell for every test that drives the magic; what the browser
tests need, checked in one place."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_SETUP = ("the browser tests need Debian's Chromium: apt-get install chromium fonts-liberation "
                 "(and pip install -e \".[dev]\" for Playwright, which never downloads a browser here)")


def in_ci() -> bool:
    """CI sets CI=true; there a missing tool is a failure, never a skip that hides one."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_browser_parts() -> list[str]:
    missing = [] if CHROMIUM.exists() else [str(CHROMIUM)]
    if importlib.util.find_spec("playwright") is None:
        missing.append("the playwright package")
    return missing


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A ``browser`` test without its browser is skipped with the setup line, or fails under CI."""
    if item.get_closest_marker("browser") is None or not (missing := missing_browser_parts()):
        return
    message = f"missing {', '.join(missing)}: {BROWSER_SETUP}"
    if in_ci():
        pytest.fail(f"CI must run the browser tests — {message}", pytrace=False)
    pytest.skip(message)


def ipython_shell() -> Any:
    """The process's test InteractiveShell, started on first use, with the extension loaded."""
    from IPython.testing import globalipapp

    globalipapp.start_ipython()  # a no-op after the first call
    ip = globalipapp.get_ipython()  # module attribute: the real shell once started
    # a terminal shell formats text only; a notebook kernel formats HTML and images too (set it
    # every time: another test module may have started the shell first)
    ip.display_formatter.active_types = ["text/plain", "text/html", "image/png"]
    if "CMPivotMagic" not in ip.magics_manager.registry:
        ip.run_line_magic("load_ext", "cmpivot_magic")
    return ip


@pytest.fixture(scope="session")
def shell() -> Any:
    return ipython_shell()
