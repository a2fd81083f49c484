"""Entity generators of the demo site: who builds which entity, and how rows become a table.

A generator turns the fleet (``fleet.py``) into one entity's rows for *every* device of the site,
as a polars frame with a ``_dev`` column (device position) and the entity's columns; datetime
columns hold integer *ages* — seconds before ``now`` — so a cached frame serves any ``now``.
``finish`` then keeps the requested devices, adds ``Device``, turns ages into UTC datetimes and
lays the columns out in catalog order with catalog types.

Hand-written generators register with ``@generates("Name")`` in the ``gen_*`` modules; every
other entity goes through ``generic.py``, driven by its catalog columns. ``Draw`` is what both
use to make per-row values: row-to-device positions, a seeded stream and vectorised helpers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import polars as pl

from ...catalog import Entity
from ...language.types import ScalarType
from .fleet import Fleet
from .randomness import pick, stream

DEVICE = "_dev"
DAY = 86_400

POLARS_TYPES: dict[ScalarType, pl.DataType] = {
    ScalarType.STRING: pl.String(),
    ScalarType.LONG: pl.Int64(),
    ScalarType.BOOL: pl.Boolean(),
    ScalarType.DATETIME: pl.Datetime("ns", "UTC"),
    ScalarType.TIMESPAN: pl.Duration("ns"),
}


class RowsOf(Protocol):
    def __call__(self, name: str, args: tuple[Any, ...], columns: Sequence[str] | None = None) -> pl.DataFrame: ...


@dataclass(frozen=True)
class Request:
    """What a generator is asked for: the entity, its normalised arguments, and the site."""

    entity: Entity
    args: tuple[Any, ...]
    fleet: Fleet
    now: dt.datetime
    rows_of: RowsOf
    """Another entity's cached rows (ProcessModule reads Process), optionally only some columns."""
    columns: tuple[str, ...] | None = None
    """The columns wanted, for a generator that builds by column (None = all)."""

    def rng(self, *labels: object) -> np.random.Generator:
        return stream(self.fleet.seed, "entity", self.entity.name, *self.args, *labels)


Generator = Callable[[Request], pl.DataFrame]


@dataclass(frozen=True)
class Registered:
    build: Generator
    uses_now: bool
    """True when the rows themselves (not just datetimes) depend on ``now``: never cached."""
    by_column: bool = False
    """True when it builds only ``Request.columns`` (same rows, in the same order, whatever the
    columns), so the site adds columns to a cached table as queries read them."""


GENERATORS: dict[str, Registered] = {}
"""Hand-written generators by lower-case entity name, filled as the ``gen_*`` modules load
(``site.py`` imports them all and falls back to ``generic.py`` for the other entities)."""


def generates(*names: str, uses_now: bool = False, by_column: bool = False) -> Callable[[Generator], Generator]:
    """Register the decorated function as the generator of these entities."""

    def register(func: Generator) -> Generator:
        for name in names:
            GENERATORS[name.lower()] = Registered(func, uses_now, by_column)
        return func

    return register


# ------------------------------------------------------------------------------------------ rows


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row positions for ``counts[d]`` rows per device: (device of each row, index within device)."""
    counts = np.asarray(counts, dtype=np.int64)
    dev = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    starts = np.cumsum(counts) - counts
    k = np.arange(dev.size, dtype=np.int64) - np.repeat(starts, counts)
    return dev, k


@dataclass
class Draw:
    """Rows being built: which device each row belongs to, its index within the device, and a
    random stream; helpers return one value per row."""

    fleet: Fleet
    dev: np.ndarray
    k: np.ndarray
    rng: np.random.Generator

    @classmethod
    def per_device(cls, fleet: Fleet, counts: np.ndarray, rng: np.random.Generator) -> Draw:
        dev, k = expand(counts)
        return cls(fleet, dev, k, rng)

    @property
    def n(self) -> int:
        return int(self.dev.size)

    def of(self, values: Any) -> np.ndarray:
        """A per-device array spread to rows."""
        return np.asarray(values)[self.dev]

    def choice(self, values: Sequence[Any], weights: Sequence[float] | None = None) -> np.ndarray:
        table = np.asarray(list(values), dtype=object)
        if weights is None:
            return table[self.rng.integers(0, len(table), self.n)]
        return table[pick(self.rng, self.n, weights)]

    def chance(self, p: float | np.ndarray) -> np.ndarray:
        return self.rng.random(self.n) < p

    def ints(self, low: int, high: int) -> np.ndarray:
        return self.rng.integers(low, high, self.n, dtype=np.int64)

    def ages(self, low_days: float, high_days: float) -> np.ndarray:
        """Ages (seconds before now) uniform between the two bounds."""
        return (self.rng.uniform(low_days, high_days, self.n) * DAY).astype(np.int64)

    def frame(self, columns: dict[str, Any]) -> pl.DataFrame:
        data: dict[str, Any] = {DEVICE: self.dev.astype(np.int32)}
        data.update(columns)
        return frame_of(data, self.n)


def frame_of(columns: dict[str, Any], n: int) -> pl.DataFrame:
    """A frame from per-row arrays, series, lists or scalars (scalars repeat)."""
    series = []
    for name, values in columns.items():
        if isinstance(values, pl.Series):
            series.append(values.alias(name))
        elif isinstance(values, np.ndarray | list):
            series.append(_series(name, values))
        else:
            series.append(pl.repeat(values, n, eager=True).alias(name))
    return pl.DataFrame(series)


def _series(name: str, values: np.ndarray | list[Any]) -> pl.Series:
    if isinstance(values, np.ndarray) and values.dtype == object:
        return pl.Series(name, values.tolist())
    return pl.Series(name, values)


def empty_rows(entity: Entity) -> pl.DataFrame:
    schema: dict[str, pl.DataType] = {DEVICE: pl.Int32()}
    for column in entity.columns[1:]:
        schema[column.name] = pl.Int64() if column.type == ScalarType.DATETIME else POLARS_TYPES[column.type]
    return pl.DataFrame(schema=schema)


# ------------------------------------------------------------------------------------------ finish


def finish(rows: pl.DataFrame, entity: Entity, names: pl.Series, now: dt.datetime,
           positions: np.ndarray | None, columns: Sequence[str] | None) -> pl.DataFrame:
    """The table for the devices at ``positions`` (None = all): Device first, then the catalog's
    columns in order and type; columns outside ``columns`` (when given) are left null."""
    wanted = None if columns is None else {c.lower() for c in columns}
    if wanted is not None:  # drop unread columns before filtering: 3 of 17 Process columns, not all
        rows = rows.select([c for c in rows.columns if c == DEVICE or c.lower() in wanted])
    if positions is not None:
        selected = np.zeros(names.len(), dtype=bool)
        selected[positions] = True
        rows = rows.filter(pl.Series(selected[rows[DEVICE].to_numpy()]))
    now_ns = int(now.timestamp()) * 1_000_000_000
    rows = rows.with_columns(names.gather(rows[DEVICE]).alias("Device"))
    exprs: list[pl.Expr] = [pl.col("Device")]
    present = set(rows.columns)
    for column in entity.columns[1:]:
        dtype = POLARS_TYPES[column.type]
        if column.name not in present or (wanted is not None and column.name.lower() not in wanted):
            exprs.append(pl.lit(None, dtype=dtype).alias(column.name))
        elif column.type == ScalarType.DATETIME:
            ages = pl.col(column.name).cast(pl.Int64)
            exprs.append((pl.lit(now_ns, pl.Int64) - ages * 1_000_000_000).cast(dtype).alias(column.name))
        else:
            exprs.append(pl.col(column.name).cast(dtype).alias(column.name))
    return rows.select(exprs)
