"""Record a session's AdminService exchanges, under pseudonyms, to replay them offline.

The client takes the ``requests.Session`` it is given (``transport.py``), so recording is one more
session, chosen when the backend is built (``AdminServiceBackend.from_url(url, record=...)``):

    session = cm.connect("https://cm01.contoso.com/AdminService", record="site.json")
    session.run("OS | summarize count() by Caption")      # real requests, each one recorded
    recorder(session).save()                               # under pseudonyms (also saved at exit)

``RecordingSession`` performs real requests (itself, or through the session it wraps) and keeps
each exchange in order (``exchanges.py`` says what one holds). Requests outside the AdminService
(a sign-in) are not recorded at all. Nothing leaves memory as it was received: ``save`` learns
the organisation's names from the whole recording and replaces them with consistent pseudonyms
(``pseudonyms.py``), and credentials are redacted. Write notebook queries for a replay with those
pseudonyms: ``recorder(session).pseudonymise(text)`` translates. Names the exchanges don't reveal
as names (a project code in free text) can be listed:
``connect(url, record=RecordingSession(path="site.json", names=["PRJ-NEPTUNE"]))``.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import tempfile
import threading
import time
import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import requests

from ....errors import CMPivotError
from .exchanges import FORMAT, VERSION, as_text, base_of, body_of, relative_path
from .pseudonyms import Pseudonyms

AUTOSAVE_SECONDS = 5.0


class RecordingSession(requests.Session):
    """A ``requests.Session`` that records every AdminService exchange (see the module docstring).

    ``session``: a configured session to send through (its auth, verify and adapters), else this
    one sends itself (set ``verify``/``auth`` as on any session). ``base_url``: the AdminService
    base (default: from the first URL with an ``/AdminService`` segment). ``names``: more names to
    hide (``WKS-0001``, ``CONTOSO\\jdoe``, ``jdoe@contoso.com``, ``contoso.com``, any text).
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
        method, url = as_text(method).upper(), as_text(url)
        send = self.inner.request if self.inner is not None else super().request
        body = body_of(kwargs)
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
            self.base_url = base_of(url)
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
        """The exchanges so far, as sent and received: NOT pseudonymised (in memory only)."""
        with self._lock:
            return list(self._exchanges)

    # ---------------------------------------------------------------------------- pseudonyms

    @property
    def pseudonyms(self) -> Pseudonyms:
        """The names learned from the exchanges so far (and ``names``), with their pseudonyms."""
        exchanges = self.exchanges
        state = (len(exchanges), tuple(self.names))
        if self._pseudonyms is None or self._pseudonyms[0] != state:
            self._pseudonyms = (state, Pseudonyms.learn(exchanges, self.base_url or "", self.names))
        return self._pseudonyms[1]

    def pseudonymise(self, text: str) -> str:
        """``text`` as the recording writes it (a query or device name for a replay)."""
        return self.pseudonyms.pseudonymise(text)

    def pseudonymise_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` as a replay of the recorded run shows it."""
        return self.pseudonyms.pseudonymise_frame(frame)

    def recording(self) -> dict[str, Any]:
        """The recording as ``save`` writes it: under pseudonyms, credentials redacted."""
        names = self.pseudonyms
        exchanges = []
        for exchange in self.exchanges:
            hidden = {k: names.pseudonymise_json(v) if k in ("path", "body", "json", "text", "error") else v
                      for k, v in exchange.items()}
            exchanges.append(hidden)
        return {"format": FORMAT, "version": VERSION, "base_url": names.pseudonymise(self.base_url or ""),
                "scrubbed": names.counts(), "exchanges": exchanges}

    def save(self, path: str | Path | None = None) -> Path:
        """Write the recording (atomically, under pseudonyms) to ``path`` or the session's own path."""
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


def recording_session(record: str | Path | RecordingSession, session: requests.Session,
                      base_url: str) -> RecordingSession:
    """The session that records what ``session`` sends to ``base_url``: into the file ``record``,
    or through the ``RecordingSession`` given (one made with ``names=``, say)."""
    if isinstance(record, RecordingSession):
        recording = record.wrap(session)
        recording.base_url = recording.base_url or base_url
        return recording
    return RecordingSession(session, base_url=base_url, path=record)


def recorder(connection: Any) -> RecordingSession:
    """The ``RecordingSession`` of a session (or backend) connected with ``record=``."""
    backend = getattr(connection, "backend", connection)  # a Session holds its backend
    found = getattr(backend, "recording", None)
    if not isinstance(found, RecordingSession):
        raise CMPivotError("this session is not recording", hint="connect(url, record='recording.json')")
    return found


def _save_at_exit(ref: weakref.ReferenceType[RecordingSession]) -> None:
    recording = ref()
    if recording is not None and recording._dirty:
        try:
            recording.save()
        except OSError as err:  # at exit there is no one to raise to
            print(f"cmpivot-magic: could not save the recording to {recording.path}: {err}")


__all__ = ["AUTOSAVE_SECONDS", "RecordingSession", "recorder", "recording_session"]
