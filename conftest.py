"""Repository-wide pytest set-up: the nbval options in pyproject's ``addopts`` work from any folder.

``addopts`` names the sanitize file relative to the repository (``tests/notebooks/sanitize.cfg``),
but pytest hands options over as typed, and nbval opens the file relative to the current folder —
so ``pytest`` run inside ``notebooks/``, or on one notebook from elsewhere, failed. A relative name
that does not exist where pytest runs is read from the repository root instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    given = getattr(config.option, "nbval_sanitize_with", None)
    if given and not Path(given).is_absolute() and not Path(given).exists():
        config.option.nbval_sanitize_with = str(config.rootpath / given)


def pytest_report_header(config: pytest.Config) -> str | None:
    sanitize = getattr(config.option, "nbval_sanitize_with", None)
    return f"nbval sanitize file: {sanitize}" if sanitize else None
