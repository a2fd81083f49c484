"""Answers from the last hardware inventory for devices that do not answer live.

In the console an inventory entity first shows every device's rows from its last hardware
inventory (grey), then live rows as devices answer (site-catalog reference §2). The session does
the same at the end of an operation: for a query whose device part reads one inventory entity
(``Entity.inventoried``: a hardware-inventory class, never a built-in or scripted entity), the
devices that are offline or have not answered take their rows from ``Backend.inventory_rows``,
evaluated through the same device part here (``engine.run_device_part``), so they have the
columns live rows have. Live rows always win: a device with a live answer takes no cached rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from .. import engine
from ..catalog import DOCUMENTED, Entity
from ..engine import frames
from ..engine.plan import DEVICE, Plan, Schema
from .base import DeviceReply, DeviceRequest, DeviceStatus, Target

TIMESTAMP = "TimeStamp"
WITHOUT_LIVE_ANSWER = frozenset({DeviceStatus.OFFLINE, DeviceStatus.PENDING})
"""The devices that take cached rows: offline, or not answered by the end (a failed device
answered, with an error, and keeps it)."""


@dataclass(frozen=True)
class CachedRows:
    """One device's device-part rows from its last hardware inventory."""

    rows: pl.DataFrame
    inventoried: dt.datetime | None
    """When the device's rows were inventoried (the latest ``TimeStamp`` of its rows)."""


def inventory_entity(plan: Plan, catalog: Any = None) -> Entity | None:
    """The one inventory entity the plan's device part reads, or None (no cached rows then)."""
    scans = {(s.table, s.args) for s in plan.scans()}
    if len(scans) != 1:
        return None  # joins with other entities: the cached rows could not stand in for the device
    ((table, args),) = scans
    entity = (catalog or DOCUMENTED).find_entity(table)
    return entity if entity is not None and entity.inventoried and not args else None


def needs_cached(target: Target, replies: dict[int, DeviceReply]) -> bool:
    reply = replies.get(target.resource_id)
    return reply is None or reply.status in WITHOUT_LIVE_ANSWER


def cached_rows(source: Any, request: DeviceRequest, targets: Sequence[Target]) -> dict[int, CachedRows]:
    """Resource id → cached rows of those targets that have an inventory of the query's entity."""
    plan = request.query.plan
    entity = inventory_entity(plan, request.query.catalog)
    reader = getattr(source, "inventory_rows", None)
    if entity is None or reader is None or not targets:
        return {}
    raw = reader(entity, list(targets), request.now)
    if raw is None or raw.height == 0:
        return {}
    stamps: dict[str, Any] = {}
    if TIMESTAMP in raw.columns:
        stamps = dict(raw.group_by(DEVICE).agg(pl.col(TIMESTAMP).max()).iter_rows())
    schema = Schema(tuple(entity.schema.items()), DEVICE)
    table = frames.normalise_frame(raw.select(schema.names), schema)
    rows = engine.run_device_part(plan, {entity.name: table}, now=request.now, input_rows=raw.height)
    device_col = plan.device_schema.device or DEVICE
    parts = rows.partition_by(device_col, as_dict=True, maintain_order=True)
    empty = rows.clear()
    present = set(raw.get_column(DEVICE).to_list())
    return {t.resource_id: CachedRows(parts.get((t.name,), empty), stamps.get(t.name))
            for t in targets if t.name in present}
