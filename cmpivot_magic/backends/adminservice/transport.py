"""How requests reach the AdminService: timeouts, retries with backoff, a request-rate limit.

``Transport`` wraps a ``requests.Session`` that it is given (its auth and ``verify`` already set),
so the same client code runs against a site, the emulator or a replay. One call is one logical
request: it waits for the rate limiter (well under the 200 requests per client IP a provider
allows), sends, and retries with exponential backoff and jitter on 429, 500, 502, 503, 504,
dropped or reset connections, read timeouts and bodies cut short or not valid JSON — honouring
``Retry-After``. A 401 is retried once when the credentials can ``refresh()``. Whatever is left
becomes an error from ``responses.py`` that says what to do (a final 401 or 403 passes through the
credentials' ``refused()``, which may know why). ``Stats`` counts requests and bytes.

``stream()`` is ``call()`` for the one big answer, a collection's CMPivotResult: the body is read as
it arrives and its ``value`` handed out in batches (``result_stream.py``); a body cut short part-way
is asked for again, and its batches come again from the start (the reader delivers each device once).
"""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import requests

from ...errors import BackendError
from .auth.credentials import Credentials
from .responses import connection_error, error_for, is_pending
from .result_stream import BodyError, ParseStats, iter_value_batches, loads

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_TRANSIENT = (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
              requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)


@dataclass(frozen=True)
class Policy:
    """Timeouts, retries and the request rate. The defaults suit a real site; tests shrink them."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    retries: int = 4
    """Extra attempts after the first, for transient failures."""
    backoff: float = 0.5
    """First retry waits about this long; each further retry doubles it (with jitter)."""
    backoff_max: float = 8.0
    max_rate: float = 20.0
    """Requests per second, at most: a tenth of the provider's 200 per client IP."""
    burst: int = 10


@dataclass
class Stats:
    """What the transport did: requests sent (retries included), body bytes received, retries."""

    requests: int = 0
    bytes_received: int = 0
    retries: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    parsing: ParseStats = field(default_factory=ParseStats)
    """Time in the JSON parser and what it read, for streamed answers (``stream()``)."""

    def __str__(self) -> str:
        return f"{self.requests} requests, {self.bytes_received:,} bytes, {self.retries} retries"


class RateLimiter:
    """A token bucket: ``burst`` requests at once, ``rate`` per second on average."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.capacity, self._clock = rate, float(max(1, burst)), clock
        self._tokens = self.capacity
        self._last = clock()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        while True:
            with self._lock:
                now = self._clock()
                self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
                self._last = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                wait = (1 - self._tokens) / self.rate
            time.sleep(wait)


class Transport:
    """Sends requests for the client; see the module docstring for what it retries."""

    def __init__(self, session: requests.Session, policy: Policy | None = None, *, profile: str = "onprem",
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.session = session
        self.policy = policy or Policy()
        self.profile = profile
        self.stats = Stats()
        self._sleep = sleep
        self._limiter = RateLimiter(self.policy.max_rate, self.policy.burst)
        self._stats_lock = threading.Lock()

    @property
    def credentials(self) -> Credentials:
        auth = self.session.auth
        return auth if isinstance(auth, Credentials) else Credentials()

    def call(self, method: str, url: str, *, action: str, body: Any = None, pending_404: bool = False,
             salvage: Callable[[str], Any] | None = None) -> tuple[int, Any]:
        """Send one logical request; return ``(status, parsed JSON or None)``.

        ``pending_404``: a 404 that is not an access-denied or missing-route answer is returned
        as ``(404, None)`` instead of raised (CMPivotResult's "not ready yet"). ``salvage``: reads
        what it can from a 2xx body that is not valid JSON (e.g. an OperationId), instead of
        retrying a request that already took effect.
        """
        attempt, refreshed = 0, False
        while True:
            response = self._send(method, url, action=action, attempt=attempt, body=body)
            if response is None:
                attempt += 1
                continue
            again = self._again(response, attempt, refreshed)
            if again is not None:
                attempt, refreshed = again
                continue
            status = response.status_code
            if 200 <= status < 300:
                text = response.content.decode(response.encoding or "utf-8", errors="replace")
                if not text.strip():
                    return status, None
                try:
                    return status, json.loads(text)
                except ValueError:
                    rescued = salvage(text) if salvage is not None else None
                    if rescued is not None:
                        return status, rescued
                    if attempt >= self.policy.retries:
                        raise BackendError(f"the site's answer to {action} was not valid JSON, "
                                           f"{attempt + 1} times", hint="a proxy or gateway may be altering "
                                           "responses; the AdminService does not support proxy servers") from None
                    attempt += 1
                    self._retry_wait(attempt, None)
                    continue
            if status == 404 and pending_404 and is_pending(response):
                return 404, None
            raise self._refused(response, action)

    def _send(self, method: str, url: str, *, action: str, attempt: int, body: Any = None,
              stream: bool = False) -> requests.Response | None:
        """One try. The response, its body read unless it is a 2xx to ``stream``; None after a
        dropped connection or a timeout (waited out: send again), or the error once retries are spent."""
        self._limiter.acquire()
        try:
            # verify= given per request: requests lets REQUESTS_CA_BUNDLE override Session.verify
            response = self.session.request(method, url, json=body, verify=self.session.verify, stream=stream,
                                            timeout=(self.policy.connect_timeout, self.policy.read_timeout))
            streamed = stream and 200 <= response.status_code < 300
            size = 0 if streamed else len(response.content)  # read the whole body now: cut short raises here
        except _TRANSIENT as err:
            self._count(None, 0)
            if _certificate_problem(err) or attempt >= self.policy.retries:
                raise connection_error(err, url, action=action) from None
            self._retry_wait(attempt + 1, None)
            return None
        self._count(response.status_code, size)  # a streamed body is counted as it arrives
        return response

    def _again(self, response: requests.Response, attempt: int, refreshed: bool) -> tuple[int, bool] | None:
        """``(attempt, refreshed)`` to send again after a status worth retrying (waited out) or a 401
        the credentials could refresh (once); None when the answer stands."""
        status = response.status_code
        if status in RETRY_STATUSES and attempt < self.policy.retries:
            self._retry_wait(attempt + 1, response.headers.get("Retry-After"))
            return attempt + 1, refreshed
        if status == 401 and not refreshed and self.credentials.refresh():
            return attempt, True
        return None

    def _refused(self, response: requests.Response, action: str) -> BackendError:
        """The error an answer that stands means (a final 401 or 403 through the credentials)."""
        final = error_for(response, action=action, auth_kind=self.credentials.kind, profile=self.profile)
        return self.credentials.refused(final, response) if response.status_code in (401, 403) else final

    def stream(self, method: str, url: str, *, action: str, pending_404: bool = False,
               parse: Callable[[bytes], Any] = loads) -> Iterator[Any] | None:
        """Send one logical request whose answer is ``{"value": [...]}``; return its items in batches
        as they arrive (see ``result_stream``), or None for a pending 404 (as ``call``)."""
        opened = self._open(method, url, action=action, pending_404=pending_404, attempt=0)
        if opened is None:
            return None
        options: dict[str, Any] = {"stats": self.stats.parsing, "parse": parse}
        return self._batches(method, url, action, pending_404, opened, options)

    def _open(self, method: str, url: str, *, action: str, pending_404: bool,
              attempt: int) -> tuple[requests.Response, int] | None:
        """A 2xx response whose body is still to be read, and the attempts spent; None for a pending 404."""
        refreshed = False
        while True:
            response = self._send(method, url, action=action, attempt=attempt, stream=True)
            if response is None:
                attempt += 1
                continue
            if 200 <= response.status_code < 300:
                return response, attempt
            again = self._again(response, attempt, refreshed)
            if again is not None:
                attempt, refreshed = again
                continue
            if response.status_code == 404 and pending_404 and is_pending(response):
                return None
            raise self._refused(response, action)

    def _batches(self, method: str, url: str, action: str, pending_404: bool,
                 opened: tuple[requests.Response, int], options: dict[str, Any]) -> Iterator[Any]:
        response, attempt = opened
        while True:
            try:
                yield from iter_value_batches(self._chunks(response), **options)
                return
            except _TRANSIENT as err:
                if attempt >= self.policy.retries:
                    raise connection_error(err, url, action=action) from None
            except BodyError:
                if attempt >= self.policy.retries:
                    raise BackendError(f"the site's answer to {action} was not valid JSON, {attempt + 1} times",
                                       hint="a proxy or gateway may be altering responses; the AdminService "
                                       "does not support proxy servers") from None
            finally:
                response.close()
            attempt += 1
            self._retry_wait(attempt, None)
            again = self._open(method, url, action=action, pending_404=pending_404, attempt=attempt)
            if again is None:
                return  # the site has nothing to show any more: this read is over
            response, attempt = again

    def _chunks(self, response: requests.Response) -> Iterator[bytes]:
        """The body's bytes as they arrive, counted as they come."""
        if response.raw is None:  # a response made in memory (a replay): its content is all there is
            pieces: Iterator[bytes] = iter([response.content])
        else:
            pieces = response.iter_content(1 << 20)
        for piece in pieces:
            with self._stats_lock:
                self.stats.bytes_received += len(piece)
            yield piece

    def _retry_wait(self, attempt: int, retry_after: str | None) -> None:
        with self._stats_lock:
            self.stats.retries += 1
        delay = min(self.policy.backoff_max, self.policy.backoff * 2 ** (attempt - 1))
        delay *= random.uniform(0.5, 1.0)
        if retry_after:
            with contextlib.suppress(ValueError):  # an HTTP date: the exponential backoff will do
                delay = max(delay, min(float(retry_after), self.policy.backoff_max * 4))
        self._sleep(delay)

    def _count(self, status: int | None, size: int) -> None:
        with self._stats_lock:
            self.stats.requests += 1
            self.stats.bytes_received += size
            if status is not None:
                self.stats.statuses[status] += 1


def _certificate_problem(err: Exception) -> bool:
    """A TLS failure that retrying cannot fix (an untrusted or mismatched certificate)."""
    text = str(err)
    return isinstance(err, requests.exceptions.SSLError) and (
        "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text or "hostname" in text)


__all__ = ["RETRY_STATUSES", "Policy", "RateLimiter", "Stats", "Transport"]
