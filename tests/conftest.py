"""Shared fixtures: one real IPython shell for every test that drives the magic."""

from __future__ import annotations

from typing import Any

import pytest


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
