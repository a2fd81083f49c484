"""A CMPivot operation in flight on a site: polling it, and turning what it says into replies.

``poll(wait)`` (the ``BackendOperation`` protocol) does HTTP only when the next poll is due —
about 2 s after submission, then backing off by half again each quiet poll up to about 10 s,
back to 2 s when devices answer — and otherwise just waits, so the session may call it as often
as it likes. Each poll ("tick"):

1. reads progress from ``SMS_ClientOperationStatus`` (total, completed, failed, offline);
2. reads results only when the completed count grew. On the collection route every read returns
   every device so far, so reads are spaced out: the first as soon as anyone answered, then once
   completions grew by a quarter, or the last read is older than an interval that grows like the
   polls' (2 s → 10 s), or the site says the operation finished;
3. reads per-device errors from ``SMS_CMPivotStatus`` when the failed count grew;
4. marks devices offline once the site counts them offline (which ones: ``CNIsOnline`` from
   ``SMS_CombinedDeviceResources``, read once per operation).

A read streams: the body's entries arrive in batches (``result_stream.py``), each batch's new devices
become replies before the next is read (a tick pauses there, so the session writes them to history as
they come), and devices already delivered — or stored before a resume — are left out of the text
before it is parsed (``entry_frames.py``). A device's rows are taken whole from one entry and
delivered once: a retried or repeated read never duplicates or drops them. ``done()`` is true when every target has a final reply, the
operation was cancelled, or its timeout passed. If the site won't show operation status (RBAC,
an old site), polling falls back to reading results alone.
"""

from __future__ import annotations

import datetime as dt
import time
import warnings
from collections import Counter
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from ..._bulk import bulk
from ...errors import AuthenticationError, BackendError, PermissionDeniedError
from ..base import DeviceReply, DeviceRequest, DeviceStatus, Target
from .client import AdminServiceClient, OperationStatus, get_field, group_entries, script_error
from .entry_frames import EntryBatch, EntryParser, entry_frames
from .rows import frames_from_rows

NOT_COUNTED = "the site finished the operation without an answer from this device (offline or unreachable)"
OFFLINE = "the device was offline when the query was sent"
MISSING = "the site counted this device's answer, but its result rows never arrived"


@dataclass(frozen=True)
class PollPolicy:
    """When to poll: ``first`` seconds after submitting and after news, ``factor`` longer each
    quiet poll, never more than ``cap`` apart."""

    first: float = 2.0
    factor: float = 1.5
    cap: float = 10.0
    result_growth: float = 0.25
    """Collection route: re-read all results once completions grew by this fraction."""
    missing_limit: int = 8
    """Polls in a row the site may not know the operation before that is an error."""
    failed_polls: int = 5
    """Polls in a row that may fail (after the transport's own retries) before the error is raised:
    a provider restarting for a minute shouldn't end an hour-long operation."""


class AdminServiceOperation:
    """Shared polling machinery; ``CollectionOperation`` and ``DevicesOperation`` say what a tick reads."""

    operation_id: int
    owns_clock = False
    """The site's operation runs in wall-clock time: the session stops polling at the timeout."""

    def __init__(self, client: AdminServiceClient, request: DeviceRequest, policy: PollPolicy,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 known: set[int] | None = None) -> None:
        self.client, self.request, self.policy = client, request, policy
        self._clock, self._sleep = clock, sleep
        # a resumed operation's timeout counts from when it was first sent
        self.started = clock() - max(0.0, (dt.datetime.now(dt.UTC) - request.now).total_seconds())
        self.targets = {t.resource_id: t for t in request.targets}
        self._by_name = {t.name.lower(): t for t in request.targets}
        self.final: dict[int, DeviceReply] = {}
        self._counts: Counter[DeviceStatus] = Counter()
        self.known = set(known or ()) & set(self.targets)
        """Devices whose answers the session already has (a resumed operation): their rows are not read again."""
        self._queue: list[DeviceReply] = []
        self._interval = policy.first
        self._next = self.started + policy.first
        self._cancelled = False
        self._status_route = True
        self._missing = 0
        self._failed_polls = 0
        self.site_status: OperationStatus | None = None
        """The latest SMS_ClientOperationStatus counts (for a single operation)."""
        self.ticks = 0
        self.schema = request.query.plan.device_schema
        self._work: Generator[None, None, bool] | None = None

    # ---------------------------------------------------------------- BackendOperation protocol

    def poll(self, wait: float) -> list[DeviceReply]:
        deadline = self._clock() + max(0.0, wait)
        while not self._queue and not self.done():
            if self._work is not None:  # a tick still reading a long answer: its next batch
                self._step()
                continue
            now = self._clock()
            if now >= self._next:
                self.ticks += 1
                self._work = self._steps()
                self._step()
                continue
            if now >= deadline:
                break
            self._sleep(max(0.0, min(self._next, deadline) - now))
        out, self._queue = self._queue, []
        return out

    def done(self) -> bool:
        return (self._cancelled or len(self.final) >= len(self.targets)
                or self._clock() - self.started >= self.request.timeout)

    def cancel(self) -> None:
        if self._cancelled:
            return
        self._cancelled = True
        for op in self._open_operations():
            try:
                self.client.cancel(op)
            except BackendError as err:  # the user asked to stop: say so, but stop anyway
                warnings.warn(f"could not cancel operation {op} on the site: {err.message}", stacklevel=2)

    # ------------------------------------------------------------------------------- helpers

    def _step(self) -> None:
        """One step of the tick in progress; when it ends, when the next is due. A tick that fails
        (after the transport's retries) is survived ``failed_polls`` times in a row."""
        assert self._work is not None
        try:
            next(self._work)
            return
        except StopIteration as stop:
            news = bool(stop.value)
            self._failed_polls = 0
        except (AuthenticationError, PermissionDeniedError):
            self._work = None
            raise  # waiting won't fix credentials or rights
        except BackendError:
            self._work = None
            self._failed_polls += 1
            if self._failed_polls > self.policy.failed_polls:
                raise
            news = False
        self._work = None
        self._interval = self.policy.first if news else min(self.policy.cap, self._interval * self.policy.factor)
        self._next = self._clock() + self._interval

    def _steps(self) -> Generator[None, None, bool]:
        """A tick in steps, pausing after each batch of replies; returns whether any device got its final reply."""
        return self._tick()
        yield  # a generator: subclasses that read long answers pause here

    def _tick(self) -> bool:
        raise NotImplementedError

    def _open_operations(self) -> list[int]:
        raise NotImplementedError

    def _statuses(self, ids: list[int]) -> dict[int, OperationStatus] | None:
        """Progress rows, or None once the site has shown it won't give them."""
        if not self._status_route:
            return None
        try:
            return self.client.operation_status(ids)
        except PermissionDeniedError:
            self._status_route = False
        except BackendError as err:
            if "(404)" not in err.message:
                raise
            self._status_route = False
        warnings.warn("the site does not show operation progress (SMS_ClientOperationStatus); polling results "
                      "only, so offline devices stay Pending until the timeout", stacklevel=3)
        return None

    def _note_missing(self, known: bool) -> None:
        self._missing = 0 if known else self._missing + 1
        if self._missing >= self.policy.missing_limit and not self.final:
            raise BackendError(f"the site does not know CMPivot operation {self.operation_id}",
                               hint="the operation may have been deleted or expired; run the query again")

    def _emit(self, target: Target, status: DeviceStatus, rows: list[dict[str, Any]] | None = None,
              error: str | None = None) -> bool:
        if status == DeviceStatus.COMPLETED:
            return bool(self._emit_completed([(target, rows or [])]))
        return self._deliver(target, status, None, error)

    def _emit_completed(self, batch: list[tuple[Target, list[dict[str, Any]]]]) -> int:
        """Completed devices with their rows, each delivered once (rows read in one go)."""
        fresh = [(t, rows) for t, rows in batch if not self._already(t.resource_id) and t.resource_id in self.targets]
        started = time.perf_counter()
        frames = frames_from_rows([(t.name, rows) for t, rows in fresh], self.schema)
        parsing = self.client.stats.parsing
        parsing.frame_seconds += time.perf_counter() - started
        parsing.rows += sum(len(rows) for _, rows in fresh)
        return sum(self._deliver(t, DeviceStatus.COMPLETED, f, None) for (t, _), f in zip(fresh, frames, strict=True))

    def _deliver(self, target: Target, status: DeviceStatus, frame: Any, error: str | None) -> bool:
        if target.resource_id in self.final or target.resource_id not in self.targets:
            return False
        reply = DeviceReply(target.name, target.resource_id, status, frame, error, self._clock() - self.started)
        self.final[target.resource_id] = reply
        self._counts[status] += 1
        self._queue.append(reply)
        return True

    def _already(self, rid: int) -> bool:
        """Whether the device's rows are had already: delivered, or stored before a resume (such a
        device that shows up in the results counts as Completed here and is not delivered again)."""
        if rid in self.final:
            return True
        if rid in self.known:
            self.final[rid] = DeviceReply(self.targets[rid].name, rid, DeviceStatus.COMPLETED)
            self._counts[DeviceStatus.COMPLETED] += 1
            return True
        return False

    def _target_of(self, rid: int | None, name: str | None) -> Target | None:
        if rid is not None and rid in self.targets:
            return self.targets[rid]
        return self._by_name.get(name.lower()) if name else None

    def _emit_failures(self, operation_id: int, only: Target | None = None) -> int:
        emitted = 0
        for row in self.client.failures(operation_id):
            rid = get_field(row, "ResourceID")
            target = only or self._target_of(int(rid) if rid is not None else None, get_field(row, "DeviceName"))
            if target is not None:
                emitted += self._emit(target, DeviceStatus.FAILED, error=script_error(row))
        return emitted

    def _count(self, status: DeviceStatus) -> int:
        return self._counts[status]


class CollectionOperation(AdminServiceOperation):
    """One operation on a collection: ``Collections('<id>')/AdminService.RunCMPivot``."""

    def __init__(self, client: AdminServiceClient, request: DeviceRequest, collection_id: str,
                 policy: PollPolicy, operation_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(client, request, policy, **kwargs)
        self.collection_id = collection_id
        self.operation_id = operation_id if operation_id is not None else \
            client.run_on_collection(collection_id, request.query.device_query)
        self._results_at = 0.0
        self._results_interval = policy.first
        self._reads_after_finish = 0
        self._offline: set[int] | None = None

    def _offline_ids(self) -> set[int]:
        if self._offline is None:
            self._offline = self.client.offline_ids()
        return self._offline

    def _open_operations(self) -> list[int]:
        return [self.operation_id] if len(self.final) < len(self.targets) else []

    def _steps(self) -> Generator[None, None, bool]:
        before = len(self.final)
        found = self._statuses([self.operation_id])
        status = None if found is None else found.get(self.operation_id)
        if found is not None:
            self._note_missing(status is not None)
            if status is None:
                return False
        self.site_status = status
        if status is None or self._want_results(status):
            yield from self._read_results()
        if status is not None:
            if status.failed > self._count(DeviceStatus.FAILED):
                self._emit_failures(self.operation_id)
            if status.offline > self._count(DeviceStatus.OFFLINE):
                self._mark_offline(status)
            settled = self._count(DeviceStatus.COMPLETED) >= status.completed or self._reads_after_finish >= 3
            if status.finished and settled:
                self._close(status)
        return len(self.final) > before

    def _close(self, status: OperationStatus) -> None:
        """The site says it's over and its results are read: nothing more will come. Devices it
        counted offline (or unknown) are Offline — those the online flags name first; any left are
        devices it counted done whose results never arrived."""
        remaining = [t for rid, t in self.targets.items() if rid not in self.final]
        if not remaining:
            return
        offline = self._offline_ids()
        remaining.sort(key=lambda t: t.resource_id not in offline)
        room = status.offline + status.unknown - self._count(DeviceStatus.OFFLINE)
        for target in remaining:
            if room > 0:
                self._emit(target, DeviceStatus.OFFLINE, error=NOT_COUNTED)
                room -= 1
            else:
                self._emit(target, DeviceStatus.FAILED, error=MISSING)

    def _want_results(self, status: OperationStatus) -> bool:
        have = self._count(DeviceStatus.COMPLETED)
        if status.completed <= have:
            return False
        return (have == 0 or status.finished or status.completed - have >= self.policy.result_growth * have
                or self._clock() - self._results_at >= self._results_interval)

    def _read_results(self) -> Generator[None, None, None]:
        """Read every answer so far, a batch at a time as the body arrives: each batch's new devices
        become replies before the next batch is read (devices already delivered are skipped)."""
        parser = EntryParser(self._target_of, self._already)
        batches = self.client.collection_result_batches(self.collection_id, self.operation_id, parse=parser)
        self._results_at = self._clock()
        self._results_interval = min(self.policy.cap, self._results_interval * self.policy.factor)
        if batches is None:
            return
        if self.site_status is not None and self.site_status.finished:
            self._reads_after_finish += 1  # complete answers that still lack a device it counted done
        for batch in batches:
            with bulk():  # a frame and a reply per device, none of them garbage (not across the yield)
                delivered = self._deliver_batch(batch)
            if delivered:
                yield

    def _deliver_batch(self, batch: Any) -> int:
        """A batch's new devices as replies (column-wise, else the general way: rows as dicts)."""
        started = time.perf_counter()
        pairs = entry_frames(batch, self.schema, self._target_of, self._already) if isinstance(batch, EntryBatch) else None
        if pairs is None:
            entries = batch.entries() if isinstance(batch, EntryBatch) else batch
            return self._emit_completed(group_entries(entries, self._target_of, self._already))
        self.client.stats.parsing.frame_seconds += time.perf_counter() - started
        self.client.stats.parsing.rows += sum(f.height for _, f in pairs)
        return sum(self._deliver(t, DeviceStatus.COMPLETED, f, None) for t, f in pairs)

    def _mark_offline(self, status: OperationStatus) -> None:
        offline = self._offline_ids()
        candidates = [t for rid, t in self.targets.items() if rid in offline and rid not in self.final]
        # trust the online flags only when they agree with the site's count for this operation
        if len(candidates) <= status.offline - self._count(DeviceStatus.OFFLINE):
            for target in candidates:
                self._emit(target, DeviceStatus.OFFLINE, error=OFFLINE)


class DevicesOperation(AdminServiceOperation):
    """One ``Device(<id>)/AdminService.RunCMPivot`` operation per selected device."""

    def __init__(self, client: AdminServiceClient, request: DeviceRequest, policy: PollPolicy,
                 operations: dict[int, Target] | None = None, **kwargs: Any) -> None:
        super().__init__(client, request, policy, **kwargs)
        if operations:  # re-attaching to operations already on the site
            self.operations = dict(operations)
            self.operation_id = next(iter(self.operations))
            return
        self.operations = {}
        query = request.query.device_query
        try:
            for target in request.targets:
                self.operations[client.run_on_device(target.resource_id, query)] = target
        except BackendError:
            self.cancel()  # don't leave the devices already asked running a query nobody reads
            raise
        self.operation_id = next(iter(self.operations))

    def _open_operations(self) -> list[int]:
        return [op for op, t in self.operations.items() if t.resource_id not in self.final]

    def _tick(self) -> bool:
        before = len(self.final)
        open_ops = self._open_operations()
        found = self._statuses(open_ops)
        if found is not None:
            self._note_missing(bool(found))
        if found is not None and len(open_ops) == 1:
            self.site_status = found.get(open_ops[0])
        for op in open_ops:
            target = self.operations[op]
            status = None if found is None else found.get(op)
            if found is not None and status is None:
                continue
            if status is None or status.completed:
                rows = self.client.device_result(target.resource_id, op)
                if rows is not None:
                    self._emit(target, DeviceStatus.COMPLETED, rows)
            elif status.failed:
                if not self._emit_failures(op, only=target):
                    self._emit(target, DeviceStatus.FAILED, error="the device reported an error")
            elif status.offline:
                self._emit(target, DeviceStatus.OFFLINE, error=OFFLINE)
            elif status.finished:
                self._emit(target, DeviceStatus.OFFLINE, error=NOT_COUNTED)
        return len(self.final) > before


__all__ = ["AdminServiceOperation", "CollectionOperation", "DevicesOperation", "PollPolicy", "script_error"]
