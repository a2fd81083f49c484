"""The real msal library against the emulator's Entra ID stand-in, over HTTPS on loopback.

``Approver`` is the person at the other device: handed the device-code prompt, it opens the
verification URL (a GET, from another thread) as a given user and sign-in method.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from cmpivot_magic.backends.adminservice.auth.prompt import DeviceCodePrompt
from cmpivot_magic.emulator import Emulator

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
FAST = {"poll_interval": (0.02, 0.1), "request_timeout": (2.0, 5.0), "retries": 3, "backoff": 0.01,
        "max_rate": 2000}
QUERY = "OS | summarize count() by Caption"


class Approver:
    """Signs in on the verification page for each prompt it is shown, as ``user`` by ``method``."""

    def __init__(self, ca: str, user: str | None = None, method: str = "password") -> None:
        self.ca, self.user, self.method = ca, user, method
        self.prompts: list[DeviceCodePrompt] = []
        self.pages: list[str] = []
        self.outcomes: list[str] = []
        """"signed in" or MSAL's error code, per prompt (the result itself holds tokens)."""
        self._threads: list[threading.Thread] = []

    def __call__(self, prompt: DeviceCodePrompt) -> Callable[[Any], None]:
        self.prompts.append(prompt)
        thread = threading.Thread(target=self.open, args=(prompt.verification_uri, prompt.user_code), daemon=True)
        thread.start()
        self._threads.append(thread)
        return lambda result: self.outcomes.append("signed in" if "access_token" in result else result.get("error"))

    def open(self, url: str, code: str | None = None) -> None:
        params = {k: v for k, v in (("code", code), ("user", self.user), ("method", self.method)) if v}
        self.pages.append(requests.get(url, params=params, verify=self.ca, timeout=10).text)

    def watch(self, emulator: Emulator, stop: threading.Event) -> threading.Thread:
        """For prompts shown elsewhere (a widget, a terminal): open the page whenever a code waits."""

        def run() -> None:
            while not stop.is_set():
                if emulator.entra.pending():
                    self.open(emulator.entra.verification_uri)
                time.sleep(0.02)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(devices=20, seed=7, speed=200, now=NOW) as emu:
        yield emu


@pytest.fixture(autouse=True)
def _fresh(emulator: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """A clean stand-in per test; no history, and never the user's own token cache."""
    monkeypatch.setenv("CMPIVOT_MAGIC_HISTORY_DIR", "off")
    monkeypatch.setenv("CMPIVOT_MAGIC_TOKEN_CACHE", str(tmp_path / "default-cache" / "tokens.bin"))
    emulator.entra.reset()
    emulator.faults.clear()
    yield
    emulator.entra.reset()
    emulator.faults.clear()


@pytest.fixture
def make_approver(emulator: Emulator) -> Callable[..., Approver]:
    """``make_approver(user=..., method=...)``: another person at another device."""
    return lambda user=None, method="password": Approver(emulator.ca_path, user, method)


@pytest.fixture
def approver(make_approver: Callable[..., Approver]) -> Approver:
    return make_approver()


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "msal_token_cache.bin"


@pytest.fixture
def options(emulator: Emulator, approver: Approver, cache_path: Path) -> Callable[..., dict[str, Any]]:
    """``connect()`` options for an Entra ID sign-in on the emulator; keywords override."""

    def make(**extra: Any) -> dict[str, Any]:
        entra = emulator.entra
        return {"auth": "msal", "tenant": entra.tenant_id, "client_id": entra.client_id, "scope": entra.scope,
                "authority": entra.authority, "verify": emulator.ca_path, "cache": str(cache_path),
                "prompt": approver, "history": None, **FAST, **extra}

    return make
