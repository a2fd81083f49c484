"""A small emulated site for the emulator's own tests: fast devices, a fixed clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from cmpivot_magic.emulator import Emulator

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(devices=60, seed=7, speed=200, now=NOW) as emu:
        yield emu


@pytest.fixture(autouse=True)
def _no_history(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep these tests' operations out of the user's history folder (child processes too)."""
    monkeypatch.setenv("CMPIVOT_MAGIC_HISTORY_DIR", "off")
