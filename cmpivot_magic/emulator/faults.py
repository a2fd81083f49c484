"""Fault switches: the emulator misbehaving on purpose, so tests can prove the client survives.

A ``Fault`` applies to requests of one route (or ``"*"``), to ``times`` of them (or all) and to
every ``every``-th match. Kinds:

    status     answer with ``status`` (e.g. 429 with ``Retry-After``, 500, 503) and an OData error body
    slow       wait ``delay`` seconds before handling the request (the client's read timeout fires)
    drop       reset the connection without answering (the request is not handled)
    truncate   handle the request, then send the headers and half the body and close
    malformed  handle the request, then answer 200 with JSON cut short

``status``, ``slow`` and ``drop`` strike before the request takes effect; ``truncate`` and
``malformed`` after (a POST did create its operation — the client must cope with not knowing).

Set them from Python (``emulator.faults.add("drop", route="result", times=2)``, or ``with
emulator.fault(...)``) or over HTTP: ``POST /_emulator/faults`` with the same fields as JSON,
``DELETE /_emulator/faults`` to clear.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("status", "slow", "drop", "truncate", "malformed")
ROUTES = ("run", "result", "progress", "cmpivotstatus", "cancel", "devices", "device", "membership",
          "systems", "combined", "collections", "members", "metadata", "*")
"""Route names a fault can target (see ``handler.py`` for which URL is which)."""


@dataclass
class Fault:
    kind: str
    route: str = "*"
    times: int | None = None
    """How many requests to strike; None: every matching request until cleared."""
    every: int = 1
    """Strike every n-th matching request (1: each one)."""
    status: int = 503
    delay: float = 1.0
    retry_after: float | None = None
    message: str | None = None
    """The error body's message for ``status`` (a default per status otherwise)."""
    seen: int = field(default=0, compare=False)
    struck: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"fault kind is one of {', '.join(KINDS)}, not {self.kind!r}")
        if self.route not in ROUTES:
            raise ValueError(f"fault route is one of {', '.join(ROUTES)}, not {self.route!r}")
        if self.every < 1:
            raise ValueError("every must be at least 1")

    @property
    def spent(self) -> bool:
        return self.times is not None and self.struck >= self.times

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class FaultSwitches:
    """The emulator's active faults; thread-safe."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, kind: str, route: str = "*", *, times: int | None = None, every: int = 1, status: int = 503,
            delay: float = 1.0, retry_after: float | None = None, message: str | None = None) -> Fault:
        fault = Fault(kind, route, times, every, status, delay, retry_after, message)
        with self._lock:
            self._faults.append(fault)
        return fault

    def remove(self, fault: Fault) -> None:
        with self._lock:
            self._faults = [f for f in self._faults if f is not fault]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    @contextmanager
    def active(self, kind: str, route: str = "*", **options: Any) -> Iterator[Fault]:
        fault = self.add(kind, route, **options)
        try:
            yield fault
        finally:
            self.remove(fault)

    def strike(self, route: str) -> Fault | None:
        """The fault that strikes this request, if any (counting it as seen by each match)."""
        with self._lock:
            for fault in self._faults:
                if fault.spent or fault.route not in ("*", route):
                    continue
                fault.seen += 1
                if fault.seen % fault.every == 0:
                    fault.struck += 1
                    return fault
            return None

    def __iter__(self) -> Iterator[Fault]:
        with self._lock:
            return iter(list(self._faults))

    def __repr__(self) -> str:
        return f"FaultSwitches({list(self)!r})"


__all__ = ["KINDS", "ROUTES", "Fault", "FaultSwitches"]
