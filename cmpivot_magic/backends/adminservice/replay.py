"""Record a session's AdminService exchanges, scrubbed, and replay them as a connection, offline.

The client takes the ``requests.Session`` it is given (``transport.py``), so recording and
replaying are two sessions and nothing else changes:

    session = cm.connect("https://cm01.contoso.com/AdminService", record="site.json")
    session.run("OS | summarize count() by Caption")      # real requests, each one recorded
    recorder(session).save()                               # scrubbed (also saved at exit)

    replayed = cm.connect("replay:///abs/path/site.json")  # the same client, served from the file
    replayed.run("OS | summarize count() by Caption")      # the same answer, with pseudonyms

``RecordingSession`` performs real requests (itself, or through the session it wraps) and keeps
each exchange in order: method, path and query relative to the AdminService base (decoded),
JSON request body, status, response content type and JSON body (or text), or the connection
error. No other header is kept, and requests outside the AdminService (a sign-in) are not
recorded at all. Nothing leaves memory unscrubbed: ``save`` learns the organisation's names
from the whole recording and replaces them with consistent pseudonyms (``scrub.py``). Write
notebook queries for a replay with those pseudonyms: ``recorder(session).scrub(text)`` translates.
Names the exchanges don't reveal as names (a project code in free text) can be listed:
``connect(url, record=RecordingSession(path="site.json", names=["PRJ-NEPTUNE"]))``.

``ReplaySession`` answers each request with the recorded response for the same method, path
and body. The recording is a timeline: a request takes the next recorded exchange of its kind
after the last one served, so repeated polls of one URL get their recorded sequence and a
replay that polls more or less often than the recording still sees the site's answers in
order; a GET the recording has no later answer for gets the latest one again. A POST is served
once per recorded POST. A request the recording never saw raises ``ReplayMismatchError``.
"""

from __future__ import annotations

import atexit
import contextlib
import difflib
import http.client
import json
import os
import tempfile
import threading
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pandas as pd
import requests
from requests.structures import CaseInsensitiveDict

from ...errors import CMPivotError
from .backend import AdminServiceBackend
from .scrub import Pseudonyms

FORMAT = "cmpivot-magic/adminservice-recording"
VERSION = 1
STUCK_LIMIT, STUCK_SECONDS, STUCK_PAUSE = 100, 10.0, 0.005
"""A replay polling past the end of its recording (the recorded run timed out, or was cancelled)
pauses ``STUCK_PAUSE`` s per request, so its own ``timeout=`` ends it as the recorded one did; it
gives up after ``STUCK_LIMIT`` requests in a row and ``STUCK_SECONDS`` that found nothing newer."""
AUTOSAVE_SECONDS = 5.0


class ReplayMismatchError(CMPivotError):
    """A replay was asked for something the recording does not hold::

        ReplayMismatchError: the recording has no answer for GET wmi/SMS_Collection?$filter=… (site.json)
        the nearest recorded request is GET wmi/SMS_Collection?$filter=…; replay the queries and
        targets that were recorded, written with their pseudonyms
    """


@dataclass(frozen=True)
class Recording:
    """A saved recording: the AdminService base URL and the exchanges, scrubbed."""

    base_url: str
    exchanges: tuple[dict[str, Any], ...]
    source: str = ""

    @classmethod
    def load(cls, path: str | Path) -> Recording:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CMPivotError(f"no recording at {path}", hint="record one with connect(url, record='…json')") from None
        except ValueError as err:
            raise CMPivotError(f"{path} is not a recording: {err}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("exchanges"), list):
            raise CMPivotError(f"{path} is not a cmpivot-magic recording", hint=f"its 'format' should be {FORMAT!r}")
        return cls(str(data["base_url"]), tuple(data["exchanges"]), str(path))


class RecordingSession(requests.Session):
    """A ``requests.Session`` that records every AdminService exchange (see the module docstring).

    ``session``: a configured session to send through (its auth, verify and adapters), else this
    one sends itself (set ``verify``/``auth`` as on any session). ``base_url``: the AdminService
    base (default: from the first URL with an ``/AdminService`` segment). ``names``: more names to
    scrub (``WKS-0001``, ``CONTOSO\\jdoe``, ``jdoe@contoso.com``, ``contoso.com``, any text).
    ``path``: where ``save()`` writes by default; with a path the recording is also saved now and
    then as it grows, on ``close()`` and at interpreter exit.
    """

    def __init__(self, session: requests.Session | None = None, *, base_url: str | None = None,
                 names: Iterable[str] = (), path: str | Path | None = None) -> None:
        super().__init__()
        self.inner: requests.Session | None = None
        if session is not None:
            self.wrap(session)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.names = list(names)
        self.path = Path(path) if path is not None else None
        self._exchanges: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._saved_at, self._save_cost, self._dirty = time.monotonic(), 0.0, False
        self._pseudonyms: tuple[tuple[int, tuple[str, ...]], Pseudonyms] | None = None
        if self.path is not None:
            atexit.register(_save_at_exit, weakref.ref(self))

    def __repr__(self) -> str:
        return f"RecordingSession({self.base_url!r}, {len(self._exchanges)} exchanges)"

    def wrap(self, session: requests.Session) -> RecordingSession:
        """Send through ``session`` (a configured one: its auth, verify, headers and adapters)."""
        self.inner = session
        self.verify, self.auth, self.headers = session.verify, session.auth, session.headers  # the transport reads these
        return self

    # ------------------------------------------------------------------------------ recording

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        method, url = _text(method).upper(), _text(url)
        send = self.inner.request if self.inner is not None else super().request
        body = _body_of(kwargs)
        try:
            response = send(method, url, *args, **kwargs)
            content = response.content  # read now: a body cut short is the exchange's error
        except requests.RequestException as err:
            self._record(method, url, body, {"error": {"type": type(err).__name__, "message": str(err)}})
            raise
        text = content.decode(response.encoding or "utf-8", errors="replace")
        answer: dict[str, Any] = {"status": response.status_code,
                                  "content_type": response.headers.get("Content-Type", "")}
        try:
            answer["json"] = json.loads(text) if text.strip() else None
        except ValueError:
            answer["text"] = text
        self._record(method, url, body, answer)
        return response

    def _record(self, method: str, url: str, body: Any, answer: dict[str, Any]) -> None:
        if self.base_url is None:
            self.base_url = _base_of(url)
        path = relative_path(url, self.base_url or "")
        if path is None:
            return  # not the AdminService (a sign-in, a token endpoint): never recorded
        with self._lock:
            self._exchanges.append({"method": method, "path": path, "body": body, **answer})
            self._dirty = True
        if self.path is not None and time.monotonic() - self._saved_at >= max(AUTOSAVE_SECONDS, 10 * self._save_cost):
            self.save()

    @property
    def exchanges(self) -> list[dict[str, Any]]:
        """The exchanges so far, as sent and received: NOT scrubbed (in memory only)."""
        with self._lock:
            return list(self._exchanges)

    # ------------------------------------------------------------------------------- scrubbing

    @property
    def pseudonyms(self) -> Pseudonyms:
        """The names learned from the exchanges so far (and ``names``), with their pseudonyms."""
        exchanges = self.exchanges
        state = (len(exchanges), tuple(self.names))
        if self._pseudonyms is None or self._pseudonyms[0] != state:
            self._pseudonyms = (state, Pseudonyms.learn(exchanges, self.base_url or "", self.names))
        return self._pseudonyms[1]

    def scrub(self, text: str) -> str:
        """``text`` as the recording writes it (a query or device name for a replay)."""
        return self.pseudonyms.scrub(text)

    def scrub_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` as a replay of the recorded run shows it."""
        return self.pseudonyms.scrub_frame(frame)

    def recording(self) -> dict[str, Any]:
        """The recording as ``save`` writes it: scrubbed."""
        names = self.pseudonyms
        exchanges = []
        for exchange in self.exchanges:
            scrubbed = {k: names.scrub_json(v) if k in ("path", "body", "json", "text", "error") else v
                        for k, v in exchange.items()}
            exchanges.append(scrubbed)
        return {"format": FORMAT, "version": VERSION, "base_url": names.scrub(self.base_url or ""),
                "scrubbed": names.counts(), "exchanges": exchanges}

    def save(self, path: str | Path | None = None) -> Path:
        """Write the scrubbed recording (atomically) to ``path`` or the session's own path."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise CMPivotError("where should the recording go?", hint="save('recording.json')")
        started = time.monotonic()
        text = json.dumps(self.recording(), indent=1, ensure_ascii=False)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text + "\n")
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        self._saved_at, self._save_cost = time.monotonic(), time.monotonic() - started
        if target == self.path:
            self._dirty = False
        return target

    def close(self) -> None:
        if self.path is not None and self._dirty:
            self.save()
        super().close()


class ReplaySession(requests.Session):
    """A ``requests.Session`` that answers from a recording, offline (see the module docstring)."""

    def __init__(self, recording: Recording | str | Path) -> None:
        super().__init__()
        self.recording = recording if isinstance(recording, Recording) else Recording.load(recording)
        self.base_url = self.recording.base_url.rstrip("/")
        self._keys = [_key(e["method"], e["path"], e.get("body")) for e in self.recording.exchanges]
        self._served: set[int] = set()
        self._cursor = -1
        self._stuck, self._stuck_since = 0, 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ReplaySession({self.recording.source or self.base_url!r}, {len(self._keys)} exchanges)"

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        method, url = _text(method).upper(), _text(url)
        path = relative_path(url, self.base_url)
        if path is None:
            raise ReplayMismatchError(f"{method} {url} is not under the recorded AdminService {self.base_url}")
        key = _key(method, path, _body_of(kwargs))
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


# ------------------------------------------------------------------------------ connections


def replay_backend(url: str, *, profile: str = "onprem", **options: Any) -> AdminServiceBackend:
    """``replay:///abs/path/recording.json`` → an ``AdminServiceBackend`` on the recorded base URL,
    answered by a ``ReplaySession``, polling without pauses (replays take milliseconds)."""
    recording = Recording.load(recording_path(url))
    settings: dict[str, Any] = {"poll_interval": (0.0, 0.0), "backoff": 0.0, "max_rate": 1e9, **options}
    settings["session"] = ReplaySession(recording)
    for ignored in ("token", "auth", "verify"):
        settings.pop(ignored, None)
    return AdminServiceBackend.from_url(recording.base_url, profile=profile, **settings)


def record_backend(backend: AdminServiceBackend, record: str | Path | RecordingSession) -> RecordingSession:
    """Record what ``backend`` sends from now on: into the file ``record``, or through the
    ``RecordingSession`` given (one made with ``names=``, say)."""
    transport = backend.client.transport
    if isinstance(record, RecordingSession):
        recording = record.wrap(transport.session)
        recording.base_url = recording.base_url or backend.url
    else:
        recording = RecordingSession(transport.session, base_url=backend.url, path=record)
    transport.session = recording
    return recording


def _save_at_exit(ref: weakref.ReferenceType[RecordingSession]) -> None:
    recording = ref()
    if recording is not None and recording._dirty:
        try:
            recording.save()
        except OSError as err:  # at exit there is no one to raise to
            print(f"cmpivot-magic: could not save the recording to {recording.path}: {err}")


def recorder(session: Any) -> RecordingSession:
    """The ``RecordingSession`` of a session connected with ``record=`` (or given one as ``session=``)."""
    backend = getattr(session, "backend", session)
    client = getattr(backend, "client", None)
    found = getattr(getattr(client, "transport", None), "session", None)
    if not isinstance(found, RecordingSession):
        raise CMPivotError("this session is not recording", hint="connect(url, record='recording.json')")
    return found


def recording_path(url: str) -> Path:
    """``replay:///abs/path.json`` → ``/abs/path.json``; ``replay://rel/path.json`` → relative."""
    rest = unquote(url.split("://", 1)[1] if "://" in url else url.split(":", 1)[1])
    if len(rest) > 3 and rest[0] == "/" and rest[2] == ":":  # replay:///C:/path on Windows
        rest = rest[1:]
    return Path(rest)


# ------------------------------------------------------------------------------- the wire


def relative_path(url: str, base_url: str) -> str | None:
    """``https://h/AdminService/wmi/X?$filter=A%20eq%201`` → ``wmi/X?$filter=A eq 1`` (decoded,
    so recordings read plainly and scrubbed names match however they were encoded); None for a
    URL outside the AdminService."""
    base = base_url.rstrip("/")
    if base and url.lower().startswith(base.lower() + "/"):
        return unquote(url[len(base) + 1:])
    parts = urlsplit(url)  # an absolute link the site wrote (@odata.nextLink) may spell the host otherwise
    lowered = parts.path.lower()
    at = lowered.find("/adminservice/")
    if at < 0:
        return None
    rest = parts.path[at + len("/adminservice/"):] + ("?" + parts.query if parts.query else "")
    return unquote(rest)


def _base_of(url: str) -> str | None:
    parts = urlsplit(url)
    at = parts.path.lower().find("/adminservice")
    if at < 0:
        return None
    return f"{parts.scheme}://{parts.netloc}{parts.path[:at + len('/adminservice')]}"


def _key(method: str, path: str, body: Any) -> str:
    return f"{method.upper()} {path}\n{json.dumps(body, sort_keys=True, ensure_ascii=False)}"


def _body_of(kwargs: dict[str, Any]) -> Any:
    if kwargs.get("json") is not None:
        return kwargs["json"]
    data = kwargs.get("data")
    if data is None:
        return None
    text = _text(data)
    try:
        return json.loads(text)
    except ValueError:
        return text


def _text(value: str | bytes) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


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


__all__ = ["Recording", "RecordingSession", "ReplayMismatchError", "ReplaySession", "record_backend", "recorder",
           "recording_path", "relative_path", "replay_backend"]
