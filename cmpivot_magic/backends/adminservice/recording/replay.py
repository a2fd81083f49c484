"""Replay a recording of AdminService exchanges as a connection, offline.

    replayed = cm.connect("replay:///abs/path/site.json")  # the same client, served from the file
    replayed.run("OS | summarize count() by Caption")      # the recorded answer, with pseudonyms

``AdminServiceBackend.from_url`` builds the backend for a ``replay://`` URL with
``replay_options``: the recorded base URL, a ``ReplaySession`` in place of the network, and polls
without pauses (a replay takes milliseconds).

``ReplaySession`` answers each request with the recorded response for the same method, path
and body. The recording is a timeline: a request takes the next recorded exchange of its kind
after the last one served, so repeated polls of one URL get their recorded sequence and a
replay that polls more or less often than the recording still sees the site's answers in
order; a GET the recording has no later answer for gets the latest one again. A POST is served
once per recorded POST. A request the recording never saw raises ``ReplayMismatchError``.
"""

from __future__ import annotations

import difflib
import http.client
import json
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import requests
from requests.structures import CaseInsensitiveDict

from ....errors import ReplayMismatchError
from .exchanges import Recording, as_text, body_of, exchange_key, recording_path, relative_path

STUCK_LIMIT, STUCK_SECONDS, STUCK_PAUSE = 100, 10.0, 0.005
"""A replay polling past the end of its recording (the recorded run timed out, or was cancelled)
pauses ``STUCK_PAUSE`` s per request, so its own ``timeout=`` ends it as the recorded one did; it
gives up after ``STUCK_LIMIT`` requests in a row and ``STUCK_SECONDS`` that found nothing newer."""
REPLAY_SETTINGS: dict[str, Any] = {"poll_interval": (0.0, 0.0), "backoff": 0.0, "max_rate": 1e9}
"""What a replay changes in the backend's defaults: no pauses between polls, retries or requests."""


class ReplaySession(requests.Session):
    """A ``requests.Session`` that answers from a recording, offline (see the module docstring)."""

    def __init__(self, recording: Recording | str | Path) -> None:
        super().__init__()
        self.recording = recording if isinstance(recording, Recording) else Recording.load(recording)
        self.base_url = self.recording.base_url.rstrip("/")
        self._keys = [exchange_key(e["method"], e["path"], e.get("body")) for e in self.recording.exchanges]
        self._served: set[int] = set()
        self._cursor = -1
        self._stuck, self._stuck_since = 0, 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ReplaySession({self.recording.source or self.base_url!r}, {len(self._keys)} exchanges)"

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        method, url = as_text(method).upper(), as_text(url)
        path = relative_path(url, self.base_url)
        if path is None:
            raise ReplayMismatchError(f"{method} {url} is not under the recorded AdminService {self.base_url}")
        key = exchange_key(method, path, body_of(kwargs))
        with self._lock:
            index = self._find(key)
            if index is None:
                raise self._mismatch(method, path, key)
            polling = self._stuck > STUCK_LIMIT // 2
        if polling:  # past the recording's end: let the operation's own timeout run, gently
            time.sleep(STUCK_PAUSE)
        exchange = self.recording.exchanges[index]
        error = exchange.get("error")
        if isinstance(error, dict):
            kind = getattr(requests.exceptions, str(error.get("type")), None)
            kind = kind if isinstance(kind, type) and issubclass(kind, requests.RequestException) \
                else requests.ConnectionError
            raise kind(str(error.get("message", "")))
        return _response(exchange, method, url)

    def _find(self, key: str) -> int | None:
        """The next recorded exchange for ``key`` after the last one served; for a GET with none
        left, the latest one again (an idempotent read of the site as it last was)."""
        later = next((i for i in range(self._cursor + 1, len(self._keys))
                      if self._keys[i] == key and i not in self._served), None)
        reading = key.startswith("GET ")
        if later is None and not reading:  # a POST the replay sends earlier than the recording did
            later = next((i for i, k in enumerate(self._keys) if k == key and i not in self._served), None)
        if later is not None:
            self._cursor, self._stuck = later, 0
            if not reading:
                self._served.add(later)
            return later
        if not reading:
            return None
        again = next((i for i in range(self._cursor, -1, -1) if self._keys[i] == key), None)
        if again is not None:
            self._stuck += 1
            if self._stuck == 1:
                self._stuck_since = time.monotonic()
            if self._stuck > STUCK_LIMIT and time.monotonic() - self._stuck_since > STUCK_SECONDS:
                raise ReplayMismatchError(
                    f"the replay keeps asking for {key.split(chr(10))[0]} but the recording holds nothing newer "
                    f"({self.recording.source or 'recording'})",
                    hint="the recorded run stopped before this one would (it timed out or was cancelled); "
                         "pass the recorded run's timeout= so the replay stops where it did")
        return again

    def _mismatch(self, method: str, path: str, key: str) -> ReplayMismatchError:
        body = key.split("\n", 1)[1]
        shown = f"{method} {path}" + (f" {body}" if body != "null" else "")
        nearest = difflib.get_close_matches(key, list(dict.fromkeys(self._keys)), n=1, cutoff=0.5)
        hint = "replay the queries and targets that were recorded, written with their pseudonyms"
        if nearest:
            hint = f"the nearest recorded request is {nearest[0].replace(chr(10), ' ')}; " + hint
        return ReplayMismatchError(f"the recording has no answer for {shown} ({self.recording.source or 'recording'})",
                                   hint=hint)


def replay_options(url: str, options: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """``replay:///abs/path/recording.json`` and ``connect()``'s options → the recorded base URL and
    the options that replay it: a ``ReplaySession``, ``REPLAY_SETTINGS`` unless given, and no
    credentials or TLS settings (nothing goes out)."""
    recording = Recording.load(recording_path(url))
    settings: dict[str, Any] = {**REPLAY_SETTINGS, **options, "session": ReplaySession(recording)}
    for ignored in ("token", "auth", "verify"):
        settings.pop(ignored, None)
    return recording.base_url, settings


def _response(exchange: dict[str, Any], method: str, url: str) -> requests.Response:
    response = requests.Response()
    response.status_code = int(exchange["status"])
    response.reason = http.client.responses.get(response.status_code, "")
    content_type = str(exchange.get("content_type") or "application/json; charset=utf-8")
    response.headers = CaseInsensitiveDict({"Content-Type": content_type})
    if "text" not in exchange:
        body = exchange["json"]
        text = "" if body is None else json.dumps(body, ensure_ascii=False)
    else:
        text = str(exchange.get("text") or "")
    response._content = text.encode("utf-8")
    response.encoding = "utf-8"
    response.url = url
    response.request = requests.Request(method, url).prepare()
    return response


__all__ = ["REPLAY_SETTINGS", "Recording", "ReplayMismatchError", "ReplaySession", "replay_options"]
