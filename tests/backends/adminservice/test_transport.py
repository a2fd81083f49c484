"""Pacing and retry timing of the transport, with a fake clock where time matters."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import cmpivot_magic as cm
from cmpivot_magic.backends.adminservice.operation import PollPolicy
from cmpivot_magic.backends.adminservice.transport import RateLimiter
from cmpivot_magic.emulator import Emulator


def test_rate_limiter_paces_requests() -> None:
    """After its burst, the limiter lets through ``rate`` requests per second."""
    limiter = RateLimiter(rate=200, burst=5)
    started = time.monotonic()
    for _ in range(105):
        limiter.acquire()
    assert time.monotonic() - started >= (105 - 5) / 200 * 0.9


def test_retry_after_is_honoured(connect: Callable[..., cm.Session], emulator: Emulator) -> None:
    """A 429 with Retry-After waits at least that long before trying again."""
    session = connect()
    waits: list[float] = []
    transport = session.backend.client.transport  # type: ignore[attr-defined]
    transport._sleep = waits.append
    with emulator.fault("status", "collections", status=429, retry_after=0.5, times=1):
        session.collections()
    assert waits and waits[0] >= 0.5


def test_poll_backoff_starts_near_two_seconds_and_caps_near_ten() -> None:
    """The defaults: first poll after 2 s, half again longer each quiet poll, at most 10 s."""
    policy = PollPolicy()
    intervals = [policy.first]
    for _ in range(8):
        intervals.append(min(policy.cap, intervals[-1] * policy.factor))
    assert intervals[0] == 2.0 and intervals[1] == 3.0 and max(intervals) == 10.0


def test_polling_backs_off_while_nothing_happens() -> None:
    """While no device answers, each poll waits half again longer than the last, up to the cap."""
    with Emulator(devices=3, seed=7, speed=0.2, offline=0.0, failure=0.0) as slow:
        session = cm.connect(slow.url, token=slow.token, verify=slow.ca_path, history=None,
                             poll_interval=(0.1, 0.4))
        start = time.monotonic()
        session.run("OS", timeout=2.0)
        polls = [t for t, _, route in slow.app.log if t >= start and route == "progress"]
    gaps = [b - a for a, b in itertools.pairwise(polls)]
    assert len(gaps) >= 4
    assert gaps[0] < 0.3 and max(gaps) < 0.8
    assert gaps[-1] >= 1.5 * gaps[0]
