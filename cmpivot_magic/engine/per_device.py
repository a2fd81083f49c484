"""Running a device part device by device, as the ConfigMgr clients do (decision 16).

A device part of row-local steps gives the same rows run once over many devices' entity rows as
run on each device, so the engine normally runs it once. A device part that holds a ``take``,
``top``, ``order by``, ``distinct``, ``summarize`` or ``count`` before a join with an entity
(``Plan.per_device``) does not: ``take 1`` must keep one row per device. Here the devices' tables
are split by their ``Device`` column and the steps run on each device's tables alone, in order of
each device's first appearance; the results are concatenated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from . import executor, frames
from . import plan as p
from .ir import Context


def run(plan: p.Plan, tables: Mapping[Any, pl.LazyFrame], ctx: Context) -> pl.DataFrame:
    """The rows of ``plan``'s device part, each device evaluating it over its own rows only."""
    collected = {key: lf.collect() for key, lf in tables.items()}
    devices: dict[Any, None] = {}
    parts: dict[Any, dict[Any, pl.DataFrame]] = {}
    for key, df in collected.items():
        if p.DEVICE not in df.columns:
            continue  # not a device's table (rows the plan makes itself need none)
        parts[key] = {k[0]: part for k, part in df.partition_by(p.DEVICE, as_dict=True).items()}
        devices.update(dict.fromkeys(df.get_column(p.DEVICE).unique(maintain_order=True).to_list()))
    results = []
    for device in devices:
        own = {key: parts[key].get(device, df.clear()) if key in parts else df for key, df in collected.items()}
        rows = sum(f.height for f in own.values())
        lazy = {key: df.lazy() for key, df in own.items()}
        results.append(executor.run(plan, lazy, ctx, rows, steps=plan.device_part))
    if not results:  # no device has rows: the steps still give the columns
        empty = {key: df.lazy() for key, df in collected.items()}
        return executor.run(plan, empty, ctx, 0, steps=plan.device_part)
    return frames.union(results, plan.device_schema)


__all__ = ["run"]
