"""A query in flight: ``Operation`` streams devices' replies (``Progress`` as they come, persisted
to history as they arrive) and ``combine`` turns replies into the answer — the global part over the
union of the devices' rows.

``Session.submit`` makes an ``Operation``; ``resume`` makes one for an operation sent earlier. An
operation needs of its session only where to keep history and the connection's URL (``Owner``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

import polars as pl

from . import engine
from ._bulk import bulk
from .backends.base import ANSWERED, BackendOperation, DeviceReply, DeviceRequest, DeviceStatus, Target
from .backends.cached_rows import CachedRows, cached_rows, needs_cached
from .history import HistoryStore
from .language.limits import recursion_guard
from .query import Query
from .results import QueryResult, Rows, status_frame


class Owner(Protocol):
    """What an operation needs of the session that sent it (``Session`` is one)."""

    @property
    def url(self) -> str: ...

    @property
    def history(self) -> HistoryStore | None: ...


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
        """Devices that answered with rows (``ANSWERED``: Completed or Truncated)."""
        return sum(getattr(self, status.name.lower()) for status in ANSWERED)  # fields are named by status

    @property
    def pending(self) -> int:
        return self.targeted - self.completed - self.failed - self.offline - self.truncated

    def __str__(self) -> str:
        return (f"{self.answered} of {self.targeted} devices answered ({self.offline} offline, "
                f"{self.failed} failed, {self.pending} pending) — {self.rows} rows — {self.elapsed:.1f}s")


class ReplyStream:
    """Replies streaming in from a backend's operation — a query's or a script run's: each device's
    kept once, counted as it comes (running totals, so progress costs the same at the 150,000th
    reply as at the first) and stored in the history as it arrives."""

    def __init__(self, session: Owner, handle: BackendOperation, targets: tuple[Target, ...], timeout: float,
                 started: dt.datetime | None = None) -> None:
        self.session, self.handle, self.timeout = session, handle, timeout
        self._targets = targets
        self.id = handle.operation_id
        self.replies: dict[int, DeviceReply] = {}
        self.cancelled = False
        # the timeout counts from when the operation was first sent, also after a resume
        age = (dt.datetime.now(dt.UTC) - started).total_seconds() if started else 0.0
        self._started = time.monotonic() - max(0.0, age)
        self._counts = dict.fromkeys(DeviceStatus, 0)
        self._rows = 0

    def updates(self, poll: float = 0.25) -> Iterator[Progress]:
        """Yield a ``Progress`` each time devices answer, until all have or the timeout passes."""
        # a backend that keeps its own clock (the demo site's simulated latencies) applies the
        # timeout itself; otherwise it is wall-clock time from when the operation was sent
        deadline = float("inf") if self.handle.owns_clock else self._started + self.timeout
        while not self.handle.done() and not self.cancelled:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            new = self.handle.poll(min(poll, remaining))
            if new:
                self._take(new)
                yield self.progress(tuple(new))
        new = self.handle.poll(0)  # what arrived with the last poll, or before a cancel took effect
        if new:
            self._take(new)
            yield self.progress(tuple(new))

    def restore(self, replies: Mapping[int, DeviceReply]) -> None:
        """Replies kept in the history before (a resume): counted, not stored again."""
        with bulk():
            self._keep(list(replies.values()))

    def _take(self, replies: list[DeviceReply]) -> None:
        with bulk():
            fresh = self._keep(replies)
            store = self.session.history
            if store is not None and fresh:
                store.add_replies(self.id, fresh)  # persisted as they stream in

    def _keep(self, replies: list[DeviceReply]) -> list[DeviceReply]:
        fresh = []
        for r in replies:
            before = self.replies.get(r.resource_id)
            if before is not None:
                if before.status != DeviceStatus.PENDING:
                    continue  # a device answers once; a repeated delivery never duplicates its rows
                self._count(before, -1)
            self.replies[r.resource_id] = r
            self._count(r, 1)
            fresh.append(r)
        return fresh

    def _count(self, reply: DeviceReply, sign: int) -> None:
        self._counts[reply.status] += sign
        self._rows += sign * (0 if reply.rows is None else reply.rows.height)

    def progress(self, new: tuple[DeviceReply, ...] = ()) -> Progress:
        """Where the operation stands, from running totals (no pass over the replies)."""
        counts = self._counts
        return Progress(len(self._targets), counts[DeviceStatus.COMPLETED], counts[DeviceStatus.FAILED],
                        counts[DeviceStatus.OFFLINE], counts[DeviceStatus.TRUNCATED], self._rows,
                        time.monotonic() - self._started, new)


class Operation(ReplyStream):
    """A query in flight. Iterate ``updates()`` for progress, then take ``result()``."""

    def __init__(self, session: Owner, request: DeviceRequest, handle: BackendOperation,
                 started: dt.datetime | None = None, *, live_only: bool = False) -> None:
        super().__init__(session, handle, request.targets, request.timeout, started)
        self.live_only = live_only
        """True: no rows from the last hardware inventory for devices that do not answer live."""
        self._inventory: dict[int, CachedRows] | None = None
        self.request = request
        self._result: QueryResult | None = None

    @property
    def query(self) -> Query:
        return self.request.query

    @property
    def targets(self) -> tuple[Target, ...]:
        return self.request.targets

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
        with bulk():
            return combine(self.session, self.request, self.id, self.replies, reason, self._cached())

    def _cached(self) -> dict[int, CachedRows]:
        """The last hardware inventory's rows of the devices without a live answer, read once
        (for the devices still without one then) — the console's grey rows. None with live_only."""
        if self.live_only:
            return {}
        if self._inventory is None:
            wanted = [t for t in self.targets if needs_cached(t, self.replies)]
            backend = getattr(self.session, "backend", None)  # Session has one; other owners need not
            self._inventory = cached_rows(backend, self.request, wanted)
        return self._inventory

    def __repr__(self) -> str:
        return f"Operation(id={self.id}, {self.progress()})"


def combine(session: Owner, request: DeviceRequest, operation_id: int, replies: dict[int, DeviceReply],
            pending_reason: str, cached: dict[int, CachedRows] | None = None) -> QueryResult:
    """The answer from devices' replies: the global part evaluated over the union of their rows.
    ``cached`` rows (the last hardware inventory) stand in for devices without a live answer;
    a device's live rows always replace its cached ones."""
    q = request.query
    plan = q.plan
    # The union in target order, not arrival order: the same query over the same devices gives the
    # same rows in the same order however the replies raced (`top` and `take` break ties by it).
    # (a walk over the targets, not a sort with a key per reply; strays, if any, last by id). A
    # device without live rows takes its cached rows, when it has some standing in.
    order = {t.resource_id: i for i, t in enumerate(request.targets)}
    standing_in = {rid: c for rid, c in (cached or {}).items()
                   if rid in order and needs_cached(request.targets[order[rid]], replies)}
    sources: list[pl.DataFrame] = []
    for rid in order:
        reply = replies.get(rid)
        if reply is not None and reply.rows is not None:
            sources.append(reply.rows)
        elif rid in standing_in:
            sources.append(standing_in[rid].rows)
    strays = sorted((r for rid, r in replies.items() if rid not in order), key=lambda r: r.resource_id)
    sources += [r.rows for r in strays if r.rows is not None]
    with recursion_guard(q.text, q.ast):
        rows = engine.run_global_part(plan, sources, now=request.now)
    # the rows stay polars; the pandas frame is made when ``result.df`` is first read
    visible = sorted((name for name, _ in plan.schema.visible), key=lambda c: c != "Device")
    df = Rows(rows.select(visible), plan.schema)
    inventory = {rid: (c.rows.height, c.inventoried) for rid, c in standing_in.items()}
    status = status_frame(request.targets, replies, pending_reason=pending_reason, inventory=inventory)
    return QueryResult(df=df, status=status, query=q, operation_id=operation_id, connection=session.url,  # type: ignore[arg-type]
                       chart_spec=plan.render, finished=dt.datetime.now(dt.UTC), replies=dict(replies),
                       targets=request.targets, now=request.now, history=session.history)


__all__ = ["Operation", "Owner", "Progress", "combine"]
