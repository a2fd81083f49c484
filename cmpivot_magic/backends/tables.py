"""A backend over entity tables it can produce itself: ``demo://`` and ``local://``.

It plays ConfigMgr's part: each online device evaluates the query's device part over its own
entity tables, keeps at most 128 KB of result per device (Truncated beyond), and answers after
its latency; offline devices are known at once, and a device that cannot run an entity fails with
the client's error. The device part is evaluated once over all answering devices' rows — the
same thing, since every device-part step keeps rows within their device — then split per device.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np
import polars as pl

from .. import catalog, engine
from .._bulk import bulk
from ..catalog import DOCUMENTED, Catalog, Entity
from ..engine import frames
from ..engine import plan as p
from .base import (
    MAX_RESULT_BYTES,
    DeviceReply,
    DeviceRequest,
    DeviceStatus,
    EntityUnavailable,
    TableSource,
    Target,
    next_operation_id,
)

UNKNOWN_ENTITY = "Invalid entity: {} is neither a CMPivot entity nor a hardware inventory class on this site"
"""A device's error for an entity name the site does not have."""


class Devices(Protocol):
    """Per-device facts a table backend needs beyond the rows themselves."""

    def latency_seconds(self, resource_ids: Sequence[int]) -> np.ndarray: ...

    def is_offline(self, resource_ids: Sequence[int]) -> np.ndarray: ...

    def entity_error(self, entity: catalog.Entity, resource_id: int, args: tuple[object, ...] = ()) -> str | None: ...


@dataclass
class Timeline:
    """How replies are released: ``virtual`` (instantly, in latency order, in batches — for tests
    and scripts) or ``real`` (at ``latency / speed`` seconds of wall-clock time — for notebooks)."""

    mode: str = "virtual"
    speed: float = 1.0
    batches: int = 8


class TableBackend:
    """Shared machinery of table backends; subclasses supply devices, collections and the source."""

    url: str
    profile: str

    def __init__(self, url: str, profile: str, source: TableSource, devices: Devices, timeline: Timeline,
                 max_result_bytes: int = MAX_RESULT_BYTES, *, entities: Catalog | None = None) -> None:
        self.url, self.profile, self.source, self.device_facts = url, profile, source, devices
        self.timeline, self.max_result_bytes = timeline, max_result_bytes
        self.entities = entities if entities is not None else DOCUMENTED
        """The entities this source answers (the demo site adds its own inventory classes)."""

    def catalog(self, refresh: bool = False) -> Catalog:
        """The entities of this connection: a table source knows its own list, nothing to refresh."""
        return self.entities

    def inventory_rows(self, entity: Entity, targets: Sequence[Target],
                       now: dt.datetime) -> pl.DataFrame | None:
        """No hardware inventory here (the demo backend overrides this)."""
        return None

    # subclasses implement devices(), collections() and resolve() (with the rules of targets.py)

    def submit(self, request: DeviceRequest) -> TableOperation:
        """Work out every target's reply now; the operation releases them on the timeline."""
        with bulk():
            replies = self._replies(request)
        return TableOperation(next_operation_id(), replies, request.timeout, self.timeline)

    def resume(self, operation_id: int, request: DeviceRequest, answered: set[int]) -> TableOperation:
        """Re-attach to an operation: the simulation is deterministic, so the devices that had not
        answered yet answer now as they would have; the ones in ``answered`` are not asked again.
        The timeline counts from when the operation was first sent."""
        rest = replace(request, targets=tuple(t for t in request.targets if t.resource_id not in answered))
        with bulk():
            replies = self._replies(rest) if rest.targets else []  # not the answered ones again: 4 s at 150,000
        age = (dt.datetime.now(dt.UTC) - request.now).total_seconds()
        started_at = time.monotonic() - max(0.0, age) / max(self.timeline.speed, 1e-9)
        return TableOperation(operation_id, replies, request.timeout, self.timeline, started_at=started_at)

    def _replies(self, request: DeviceRequest) -> list[tuple[float, DeviceReply]]:
        targets = request.targets
        ids = [t.resource_id for t in targets]
        latency = self.device_facts.latency_seconds(ids)
        offline = self.device_facts.is_offline(ids)
        replies: list[tuple[float, DeviceReply]] = []
        answering: list[Target] = []
        # a name this source does not have (sent on an open-world catalog): each device says so
        unknown = next((UNKNOWN_ENTITY.format(s.table) for s in request.query.plan.scans()
                        if self.entities.find_entity(s.table) is None), None)
        errors = self._entity_errors(_scans_of(request.query.plan, self.entities), ids)
        for t, lat, off, error in zip(targets, latency.tolist(), offline.tolist(), errors, strict=True):
            if off:
                replies.append((0.0, DeviceReply(t.name, t.resource_id, DeviceStatus.OFFLINE,
                                                 error="the device was offline when the query was sent", elapsed=0.0)))
                continue
            error = unknown or error
            if error:
                replies.append((float(lat), DeviceReply(t.name, t.resource_id, DeviceStatus.FAILED, error=error,
                                                        elapsed=float(lat))))
            else:
                answering.append(t)
        lat_of = dict(zip(ids, (float(x) for x in latency), strict=True))
        replies += self._answer(request, answering, lat_of)
        replies.sort(key=lambda r: r[0])
        return replies

    def _entity_errors(self, scans: list[tuple[Entity, tuple[object, ...]]], ids: list[int]) -> list[str | None]:
        """Each device's first error among the plan's scans, or None; all devices at once when
        the facts can (``entity_errors``: the demo site), else device by device."""
        first: list[str | None] = [None] * len(ids)
        many = getattr(self.device_facts, "entity_errors", None)
        for entity, args in scans:
            if many is not None:
                found = many(entity, ids, args)
            else:
                found = [self.device_facts.entity_error(entity, rid, args) for rid in ids]
            first = [a or b for a, b in zip(first, found, strict=True)]
        return first

    def _answer(self, request: DeviceRequest, answering: list[Target],
                latency: dict[int, float]) -> list[tuple[float, DeviceReply]]:
        if not answering:
            return []
        plan = request.query.plan
        ids = [t.resource_id for t in answering]
        try:
            tables, input_rows = self._tables(plan, ids, request.now)
        except EntityUnavailable as err:
            return [(latency[t.resource_id], DeviceReply(t.name, t.resource_id, DeviceStatus.FAILED, error=str(err),
                                                         elapsed=latency[t.resource_id])) for t in answering]
        rows = engine.run_device_part(plan, tables, now=request.now, input_rows=input_rows)
        device_col = plan.device_schema.device or p.DEVICE
        rows, truncated = truncate_per_device(rows, device_col, self.max_result_bytes)
        by_name = split_by_device(rows, device_col)
        empty = rows.clear()
        out = []
        for t in answering:
            frame = by_name.get(t.name, empty)
            status = DeviceStatus.TRUNCATED if t.name in truncated else DeviceStatus.COMPLETED
            error = (f"the result was larger than {self.max_result_bytes // 1000} KB; the device returned "
                     f"the first {frame.height} rows" if status == DeviceStatus.TRUNCATED else None)
            lat = latency[t.resource_id]
            out.append((lat, DeviceReply(t.name, t.resource_id, status, frame, error, lat)))
        return out

    def _tables(self, plan: p.Plan, ids: list[int], now: dt.datetime) -> tuple[dict[object, pl.LazyFrame], int]:
        """The plan's tables for these devices, and how many rows they hold in all."""
        tables: dict[object, pl.LazyFrame] = {}
        rows = 0
        needed = columns_read(plan)
        for scan in plan.scans():
            key = (scan.table, scan.args) if scan.args else scan.table
            if key in tables:
                continue
            entity = self.entities.entity(scan.table)
            cols = None if needed is None else [c for c in entity.column_names if c in needed or c == p.DEVICE]
            frame = self.source.table(entity, scan.args, ids, now, cols)
            rows += frame.height
            schema = p.Schema(tuple(entity.schema.items()), p.DEVICE)
            tables[key] = frames.normalise_frame(frame.select(schema.names), schema)
        return tables, rows


def _scans_of(plan: p.Plan, entities: catalog.Catalog) -> list[tuple[catalog.Entity, tuple[object, ...]]]:
    """Each distinct (entity, arguments) the plan reads — a device may fail one of them."""
    seen: dict[tuple[str, tuple[object, ...]], catalog.Entity] = {}
    for scan in plan.scans():
        found = entities.find_entity(scan.table)
        if found is not None:
            seen.setdefault((scan.table, scan.args), found)
    return [(entity, args) for (_, args), entity in seen.items()]


def columns_read(plan: p.Plan) -> set[str] | None:
    """Column names a plan reads from its tables, or None when it may output all of them: no
    project, summarize, distinct or count narrows its rows, or a join brings in a side that may."""
    narrowed = False
    for s in plan.steps:
        if isinstance(s.step, p.Select | p.Summarize | p.CountRows | p.Distinct):
            narrowed = True
        if isinstance(s.step, p.Join) and (not narrowed or columns_read(s.step.right) is None):
            return None
    return p.referenced_columns(plan.steps) if narrowed else None


def split_by_device(rows: pl.DataFrame, device_col: str) -> dict[str, pl.DataFrame]:
    """Each device's rows, as zero-copy slices of one frame grouped by device (each device keeps
    its own row order). ``partition_by`` copies each part: 4x slower at 10k devices. Rows that
    already come grouped (a site's tables are, device by device) are sliced without a sort: the
    sort of 22M rows was the largest step of a 150,000-device Process query."""
    if rows.height == 0:
        return {}
    runs = device_runs(rows, device_col)
    if runs is None:
        rows = rows.sort(device_col, maintain_order=True)  # stable
        runs = rows.get_column(device_col).rle()
    lengths = runs.struct.field("len").to_list()
    devices = runs.struct.field("value").cast(pl.String).to_list()
    out: dict[str, pl.DataFrame] = {}
    offset = 0
    for device, n in zip(devices, lengths, strict=True):
        out[device] = rows.slice(offset, n)
        offset += n
    return out


def device_runs(rows: pl.DataFrame, device_col: str) -> pl.Series | None:
    """The rows' runs of one device (``rle``: value, len) when they come grouped by device, each
    device in one run; None when a device's rows are split."""
    runs = rows.get_column(device_col).rle()
    return runs if runs.struct.field("value").is_unique().all() else None


def row_bytes(frame: pl.DataFrame) -> pl.Expr:
    """An estimate of each row's size in a client's XML result (``<e _i="n" Col="value" …/>``)."""
    parts: list[pl.Expr] = [pl.lit(16)]
    for name, dtype in frame.schema.items():
        overhead = len(name) + 4
        if dtype == pl.String:
            parts.append(pl.col(name).str.len_bytes().fill_null(0) + overhead)
        elif isinstance(dtype, pl.Datetime):
            parts.append(pl.lit(19 + overhead))
        else:
            parts.append(pl.lit(10 + overhead))
    return pl.sum_horizontal(parts)


def truncate_per_device(rows: pl.DataFrame, device_col: str, limit: int) -> tuple[pl.DataFrame, set[str]]:
    """Keep each device's rows up to ``limit`` bytes, as a client's ``maxResultSize`` does."""
    if rows.height == 0 or _all_under(rows, device_col, limit):
        return rows, set()
    totals = rows.group_by(device_col).agg(row_bytes(rows).sum().alias("b"))
    if totals.get_column("b").max() <= limit:  # type: ignore[operator]
        return rows, set()  # nobody over the limit (the common case): no running sums per row
    sized = rows.with_columns(row_bytes(rows).cum_sum().over(device_col).alias("__bytes__"))
    over = sized.filter(pl.col("__bytes__") > limit)  # not empty: some device's total is over
    truncated = set(over.get_column(device_col).cast(pl.String).unique().to_list())
    return sized.filter(pl.col("__bytes__") <= limit).drop("__bytes__"), truncated


def _all_under(rows: pl.DataFrame, device_col: str, limit: int) -> bool:
    """True when no device can be over ``limit``: its most rows times the widest row fit. Rows come
    grouped by device, so the most rows is the longest run: 0.2 s for 22M rows, where summing
    every device's bytes takes 0.8 s. False (so: sum them) when the rows are not grouped."""
    runs = device_runs(rows, device_col)
    if runs is None:
        return False
    longest = runs.struct.field("len").max()
    widest = rows.select(row_bytes(rows).max()).item()
    return int(longest) * int(widest) <= limit  # type: ignore[arg-type]


@dataclass
class TableOperation:
    """Releases pre-computed replies on the backend's timeline.

    ``schedule`` holds each reply with its latency (seconds after sending, in the site's clock),
    in latency order;
    ``started_at`` is the ``time.monotonic()`` reading the timeline counts from (earlier than now
    for a resumed operation)."""

    operation_id: int
    schedule: list[tuple[float, DeviceReply]]
    timeout: float
    timeline: Timeline
    started_at: float = field(default_factory=time.monotonic)
    _next: int = 0
    _cancelled: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    owns_clock = True
    """Timeouts are in the site's (simulated) seconds: a device whose latency exceeds the timeout
    never answers and stays Pending, whatever the clock mode."""

    def __post_init__(self) -> None:
        self.schedule = [r for r in self.schedule if r[0] <= self.timeout]

    def replies(self) -> list[DeviceReply]:
        """Every reply that arrives within the timeout, in latency order, without waiting on the
        timeline (the emulator answers from these at its own pace)."""
        return [r for _, r in self.schedule]

    def poll(self, wait: float) -> list[DeviceReply]:
        with self._lock:
            if self._cancelled or self._next >= len(self.schedule):
                return []
            if self.timeline.mode == "virtual":
                return self._release_batch()
            return self._release_due(wait)

    def _release_batch(self) -> list[DeviceReply]:
        remaining = len(self.schedule) - self._next
        size = max(1, -(-len(self.schedule) // max(1, self.timeline.batches)))
        end = self._next + min(size, remaining)
        # keep devices of equal latency in one batch
        while end < len(self.schedule) and self.schedule[end][0] == self.schedule[end - 1][0]:
            end += 1
        out = [r for _, r in self.schedule[self._next : end]]
        self._next = end
        return out

    def _release_due(self, wait: float) -> list[DeviceReply]:
        deadline = time.monotonic() + wait
        while True:
            elapsed = (time.monotonic() - self.started_at) * self.timeline.speed
            end = self._next
            while end < len(self.schedule) and self.schedule[end][0] <= elapsed:
                end += 1
            if end > self._next or time.monotonic() >= deadline:
                out = [r for _, r in self.schedule[self._next : end]]
                self._next = end
                return out
            next_due = self.started_at + self.schedule[self._next][0] / self.timeline.speed
            time.sleep(max(0.0, min(deadline, next_due) - time.monotonic()))

    def done(self) -> bool:
        return self._cancelled or self._next >= len(self.schedule)

    def cancel(self) -> None:
        self._cancelled = True
