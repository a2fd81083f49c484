"""An emulated site over real HTTPS for the AdminService client's tests: small, fast, fixed clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import cmpivot_magic as cm
from cmpivot_magic.emulator import Emulator

DEVICES, SEED = 60, 7
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
FAST = {"poll_interval": (0.02, 0.1), "request_timeout": (2.0, 5.0), "retries": 6, "backoff": 0.01,
        "max_rate": 2000}
"""Client options that keep a test quick: polls every 20-100 ms, retries after ~10 ms."""


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(devices=DEVICES, seed=SEED, speed=200, now=NOW) as emu:
        yield emu


@pytest.fixture(scope="module")
def slow_emulator() -> Iterator[Emulator]:
    """A site whose slowest devices take seconds: for watching an operation while it runs."""
    with Emulator(devices=40, seed=SEED, speed=10, now=NOW) as emu:
        yield emu


@pytest.fixture(scope="module")
def fast_options(emulator: Emulator) -> dict[str, Any]:
    return {"token": emulator.token, "verify": emulator.ca_path, "history": None, **FAST}


@pytest.fixture
def connect(emulator: Emulator) -> Iterator[Callable[..., cm.Session]]:
    """``connect(**options)``: a session on the emulator with fast polling (faults cleared after)."""

    def make(**options: Any) -> cm.Session:
        merged: dict[str, Any] = {"token": emulator.token, "verify": emulator.ca_path, "history": None, **FAST,
                                  **options}
        return cm.connect(emulator.url, **merged)

    yield make
    emulator.faults.clear()


@pytest.fixture(scope="module")
def demo() -> cm.Session:
    """The same site through demo://: what the emulator's answers must equal."""
    return cm.connect(f"demo://?devices={DEVICES}&seed={SEED}&clock=virtual")


@pytest.fixture(autouse=True)
def _no_history(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep these tests' operations out of the user's history folder (child processes too)."""
    monkeypatch.setenv("CMPIVOT_MAGIC_HISTORY_DIR", "off")
