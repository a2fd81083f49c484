"""``connect(url) -> Session``: the one pipeline every entry point goes through.

``Session.submit`` composes the stages: parse and plan (errors before anything is sent), apply
the connection's profile rules, resolve the target devices, send each device the device part,
and return an ``Operation`` that streams replies; ``Operation.result()`` evaluates the global
part over the union of the replies. ``Session.run`` is ``submit(...).result()``.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import polars as pl

from .backends.base import Backend, BackendOperation, DeviceReply, DeviceRequest, DeviceStatus, Target
from .engine import evaluate as ev
from .engine.ir import Context
from .errors import CMPivotError, QuerySemanticError
from .history import HistoryStore, open_default
from .language.dialect import dialect_named
from .language.limits import recursion_guard
from .query import Query, parse
from .results import QueryResult, status_frame

PROFILES = ("onprem", "tenant-attach")
ONPREM_TIMEOUT = 3600.0  # a CMPivot operation lives one hour on-prem …
TENANT_ATTACH_TIMEOUT = 600.0  # … and ten minutes from the Intune admin center
CONSOLE_ONLY_MESSAGE = "the Intune admin center does not support {what}; it runs only from the ConfigMgr console"

# Local backends number their own operations (a site's SMS Provider numbers real ones). The ids
# must stay unique across processes and kernels, since history and resume key results by them:
# microseconds since the epoch, with the process id in the low digits, increasing in a process.
_last_id = 0
_id_lock = threading.Lock()


def connect(url: str = "local://", *, profile: str = "onprem", history: str | Path | None = "default",
            **options: Any) -> Session:
    """Connect to a site: ``local://`` (this machine), ``demo://?devices=200&seed=7`` (a simulated
    site) or ``https://<provider>/AdminService``. ``profile="tenant-attach"`` applies the Intune
    admin center's rules to every query. ``history`` is where operations are kept ("default": the
    user data folder or ``$CMPIVOT_MAGIC_HISTORY_DIR``; a path; or None for no history).
    ``record="site.json"`` records an AdminService session, scrubbed; ``replay:///abs/site.json``
    replays one offline (keeping no history unless ``history`` is a path)."""
    if profile not in PROFILES:
        raise CMPivotError(f"unknown profile {profile!r}", hint=f"profiles are: {', '.join(PROFILES)}")
    scheme = urlsplit(url).scheme.lower()
    backend: Backend
    if scheme == "demo":
        from .backends.demo import DemoBackend

        backend = DemoBackend.from_url(url, profile=profile, **options)
    elif scheme == "local":
        from .backends.local import LocalBackend

        backend = LocalBackend.from_url(url, profile=profile, **options)
    elif scheme in ("http", "https"):
        from .backends.adminservice import AdminServiceBackend

        # options: token=, auth="negotiate", verify="root.pem", request_timeout=, retries=, ...
        record = options.pop("record", None)
        backend = AdminServiceBackend.from_url(url, profile=profile, **options)
        if record is not None:
            from .backends.adminservice.replay import record_backend

            record_backend(backend, record)
    elif scheme == "replay":
        from .backends.adminservice.replay import replay_backend

        backend = replay_backend(url, profile=profile, **options)
        history = None if history == "default" else history
    else:
        raise CMPivotError(f"unknown connection {url!r}",
                           hint="use local://, demo:// or https://<provider>/AdminService")
    store: HistoryStore | str | None = history if history in ("default", None) else HistoryStore(Path(history))
    return Session(backend, store)


def url_options(url: str) -> dict[str, str]:
    """``demo://?devices=500&seed=7`` → ``{'devices': '500', 'seed': '7'}``."""
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


class Session:
    def __init__(self, backend: Backend, history: HistoryStore | str | None = "default") -> None:
        self.backend = backend
        self._history = history

    @property
    def history(self) -> HistoryStore | None:
        """Where operations are persisted as they stream in (None when history is off)."""
        if self._history == "default":
            self._history = open_default()
        return self._history if isinstance(self._history, HistoryStore) else None

    @property
    def url(self) -> str:
        return self.backend.url

    @property
    def profile(self) -> str:
        return self.backend.profile

    def __repr__(self) -> str:
        return f"Session({self.url!r}, profile={self.profile!r})"

    def devices(self) -> pd.DataFrame:
        return self.backend.devices()

    def collections(self) -> pd.DataFrame:
        return self.backend.collections()

    def prepare(self, query: str | Query) -> Query:
        """Parse and plan, then apply the profile's rules — everything that can fail before sending."""
        q = query if isinstance(query, Query) else parse(query)
        if not dialect_named(q.dialect).runs_on_devices:
            raise CMPivotError("only cmpivot-dialect queries can be sent to devices",
                               hint="use cmpivot_magic.evaluate(..., dialect='kql') for local tables")
        if self.profile == "tenant-attach":
            _check_tenant_attach(q)
        return q

    def submit(self, query: str | Query, *, devices: Sequence[str] | str | None = None,
               collection: str | None = None, timeout: float | None = None) -> Operation:
        q = self.prepare(query)
        if isinstance(devices, str):
            devices = [devices]
        targets = self.backend.resolve(list(devices) if devices is not None else None, collection)
        if self.profile == "tenant-attach" and len(targets) != 1:
            raise CMPivotError(
                f"the Intune admin center queries a single device, but {len(targets)} are targeted",
                hint="pass devices=['NAME'] with one device",
            )
        limit = TENANT_ATTACH_TIMEOUT if self.profile == "tenant-attach" else ONPREM_TIMEOUT
        timeout = min(timeout, limit) if timeout is not None else limit
        now = dt.datetime.now(dt.UTC)
        request = DeviceRequest(q, targets, timeout, now)
        with recursion_guard(q.text, q.ast):  # local backends evaluate the device part right here
            operation = Operation(self, request, self.backend.submit(request))
        if self.history is not None:
            self.history.start(operation.id, self.url, q.text, targets, collection, now, timeout)
        return operation

    def resume(self, operation_id: int) -> Operation:
        """Re-attach to an operation started earlier (in this process or before a kernel restart)
        and keep collecting: devices already stored are not asked again."""
        store = self.history
        if store is None:
            raise CMPivotError("history is off, so there is nothing to resume",
                               hint="unset CMPIVOT_MAGIC_HISTORY_DIR=off to keep operations")
        stored = store.operation(operation_id)
        if stored.connection != self.url:
            raise CMPivotError(f"operation {operation_id} ran on {stored.connection}, not {self.url}",
                               hint=f"connect({stored.connection!r}).resume({operation_id})")
        request = DeviceRequest(self.prepare(stored.query), stored.targets, stored.timeout, stored.now)
        done = store.replies(operation_id)
        resume = getattr(self.backend, "resume", None)
        if resume is None:
            raise CMPivotError(f"{self.url} cannot re-attach to an operation")
        handle = resume(operation_id, request, set(done))
        operation = Operation(self, request, handle, started=stored.now)
        operation.replies.update(done)
        return operation

    def run(self, query: str | Query, *, devices: Sequence[str] | str | None = None,
            collection: str | None = None, timeout: float | None = None) -> QueryResult:
        return self.submit(query, devices=devices, collection=collection, timeout=timeout).result()


def _check_tenant_attach(q: Query) -> None:
    for scan in q.plan.scans():
        from . import catalog

        entity = catalog.find_entity(scan.table)
        if entity is not None and entity.console_only:
            raise QuerySemanticError(CONSOLE_ONLY_MESSAGE.format(what=f"the {entity.name} entity"),
                                     hint="run it from the ConfigMgr console, or on-prem with profile='onprem'")
    if q.plan.render is not None:
        raise QuerySemanticError(CONSOLE_ONLY_MESSAGE.format(what="render"),
                                 hint="remove '| render ...'; the rows are the same without it")


@dataclass(frozen=True)
class Progress:
    """A snapshot while devices answer: what the live display shows."""

    targeted: int
    completed: int
    failed: int
    offline: int
    truncated: int
    rows: int
    elapsed: float
    new: tuple[DeviceReply, ...] = ()

    @property
    def answered(self) -> int:
        return self.completed + self.truncated

    @property
    def pending(self) -> int:
        return self.targeted - self.completed - self.failed - self.offline - self.truncated

    def __str__(self) -> str:
        return (f"{self.answered} of {self.targeted} devices answered ({self.offline} offline, "
                f"{self.failed} failed, {self.pending} pending) — {self.rows} rows — {self.elapsed:.1f}s")


class Operation:
    """A query in flight. Iterate ``updates()`` for progress, then take ``result()``."""

    def __init__(self, session: Session, request: DeviceRequest, handle: BackendOperation,
                 started: dt.datetime | None = None) -> None:
        self.session = session
        self.request = request
        self.handle = handle
        self.id = handle.operation_id
        self.replies: dict[int, DeviceReply] = {}
        self.cancelled = False
        # the timeout counts from when the operation was first sent, also after a resume
        age = (dt.datetime.now(dt.UTC) - started).total_seconds() if started else 0.0
        self._started = time.monotonic() - max(0.0, age)
        self._result: QueryResult | None = None

    @property
    def query(self) -> Query:
        return self.request.query

    @property
    def targets(self) -> tuple[Target, ...]:
        return self.request.targets

    def updates(self, poll: float = 0.25) -> Iterator[Progress]:
        """Yield a ``Progress`` each time devices answer, until all have or the timeout passes."""
        # a backend that keeps its own clock (the demo site's simulated latencies) applies the
        # timeout itself; otherwise it is wall-clock time from when the query was sent
        own_clock = getattr(self.handle, "applies_timeout", False)
        deadline = float("inf") if own_clock else self._started + self.request.timeout
        while not self.handle.done() and not self.cancelled:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            new = self.handle.poll(min(poll, remaining))
            if new:
                self._take(new)
                yield self.progress(tuple(new))
        new = self.handle.poll(0)
        if new:
            self._take(new)
            yield self.progress(tuple(new))

    def _take(self, replies: list[DeviceReply]) -> None:
        fresh = []
        for r in replies:
            if r.resource_id in self.replies and self.replies[r.resource_id].status != DeviceStatus.PENDING:
                continue  # a device answers once; a repeated delivery never duplicates its rows
            self.replies[r.resource_id] = r
            fresh.append(r)
        store = self.session.history
        if store is not None and fresh:
            store.add_replies(self.id, fresh)  # persisted as they stream in

    def progress(self, new: tuple[DeviceReply, ...] = ()) -> Progress:
        counts = {s: 0 for s in DeviceStatus}
        rows = 0
        for r in self.replies.values():
            counts[r.status] += 1
            rows += 0 if r.rows is None else r.rows.height
        return Progress(len(self.targets), counts[DeviceStatus.COMPLETED], counts[DeviceStatus.FAILED],
                        counts[DeviceStatus.OFFLINE], counts[DeviceStatus.TRUNCATED], rows,
                        time.monotonic() - self._started, new)

    def cancel(self) -> None:
        """Stop collecting; devices that have not answered stay Pending in the result."""
        self.cancelled = True
        self.handle.cancel()

    def result(self) -> QueryResult:
        """Wait for the devices (up to the timeout), then combine their rows into the answer."""
        if self._result is None:
            for _ in self.updates():
                pass
            self._result = self._combine()
            store = self.session.history
            if store is not None:
                store.finish(self.id, self._result.summary)
        return self._result

    def partial(self) -> QueryResult:
        """The answer from the devices that have replied so far."""
        return self._combine()

    def _combine(self) -> QueryResult:
        reason = "cancelled before the device answered" if self.cancelled else "did not answer before the timeout"
        return combine(self.session, self.request, self.id, self.replies, reason)

    def __repr__(self) -> str:
        return f"Operation(id={self.id}, {self.progress()})"


def combine(session: Session, request: DeviceRequest, operation_id: int, replies: dict[int, DeviceReply],
            pending_reason: str) -> QueryResult:
    """The answer from devices' replies: the global part evaluated over the union of their rows."""
    q = request.query
    plan = q.plan
    device_schema = plan.device_schema
    names = list(device_schema.names)
    # The union in target order, not arrival order: the same query over the same devices gives the
    # same rows in the same order however the replies raced (`top` and `take` break ties by it).
    order = {t.resource_id: i for i, t in enumerate(request.targets)}
    answered = sorted(replies.values(), key=lambda r: (order.get(r.resource_id, len(order)), r.resource_id))
    frames = [r.rows for r in answered if r.rows is not None and r.rows.height]
    if frames:
        frames = [f if f.columns == names else f.select(names) for f in frames]
        union = pl.concat(frames, how="vertical_relaxed", rechunk=False)
    else:
        union = pl.DataFrame(schema={n: ev.polars_dtype(t) for n, t in device_schema.columns})
    union_lf = ev.normalise_frame(union, device_schema)
    ctx = Context(now=request.now, case_insensitive=True)
    with recursion_guard(q.text, q.ast):
        rows = ev.collect(ev.execute(plan, {}, ctx, steps=plan.global_part, source=union_lf), union.height)
    df = ev.to_pandas(rows, plan.schema)
    if "Device" in df.columns and df.columns[0] != "Device":
        df = df[["Device", *[c for c in df.columns if c != "Device"]]]
    status = status_frame(request.targets, replies, pending_reason=pending_reason)
    return QueryResult(df=df, status=status, query=q, operation_id=operation_id, connection=session.url,
                       chart_spec=plan.render, finished=dt.datetime.now(dt.UTC), replies=dict(replies),
                       session=session, request=request)


def next_operation_id() -> int:
    global _last_id
    with _id_lock:
        candidate = (time.time_ns() // 1000) * 1000 + os.getpid() % 1000
        _last_id = max(candidate, _last_id + 1000)
        return _last_id


__all__ = ["Operation", "Progress", "Session", "connect", "next_operation_id", "url_options"]
