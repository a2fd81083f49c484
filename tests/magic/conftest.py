"""The magic's tests share one IPython shell (tests/conftest.py); ``ip`` gives each test a clean
working directory and puts the magic's connections back as they were."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell


@pytest.fixture
def ip(shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[InteractiveShell]:
    monkeypatch.chdir(tmp_path)  # no pyproject.toml above: settings are the defaults
    magic = shell.magics_manager.registry["CMPivotMagic"]
    saved = dict(magic.sessions), magic.current
    yield shell
    magic.sessions, magic.current = dict(saved[0]), saved[1]
