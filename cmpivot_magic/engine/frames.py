"""The polars/pandas boundary: every conversion between the engine's frames and the outside.

The engine computes on polars frames whose columns have one dtype per scalar type
(``polars_dtype``: UTC nanosecond datetimes, nanosecond durations, dynamic values as JSON text).
Everything that crosses into or out of the engine passes through here:

* in: ``from_pandas`` (a given pandas or polars frame), ``schema_of_frame`` / ``scalar_type_of``
  (a given frame's own columns read as a schema), ``normalise_frame`` (cast to the engine's dtypes);
* between devices and the session: ``empty_frame`` (no rows of a schema), ``union`` (devices' rows
  as one frame, in the order given), ``device_first`` (rows as a client returns them);
* out: ``to_pandas`` (the user's DataFrame, ``Device`` first when asked).

Nothing here evaluates a query; ``engine/__init__.py`` does, and calls these at its edges.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

from ..errors import QuerySemanticError
from ..language.types import ScalarType
from .plan import DEVICE, HIDDEN_DEVICE, Schema

# ------------------------------------------------------------------------------------ dtypes


def polars_dtype(t: ScalarType) -> pl.DataType:
    """The polars dtype that holds values of scalar type ``t`` (dynamic values are JSON text)."""
    return _DTYPES[t]


_DTYPES: dict[ScalarType, pl.DataType] = {
    ScalarType.BOOL: pl.Boolean(),
    ScalarType.INT: pl.Int32(),
    ScalarType.LONG: pl.Int64(),
    ScalarType.REAL: pl.Float64(),
    ScalarType.STRING: pl.String(),
    ScalarType.DATETIME: pl.Datetime("ns", "UTC"),
    ScalarType.TIMESPAN: pl.Duration("ns"),
    ScalarType.DYNAMIC: pl.String(),
}


_ARROW_TO_PANDAS: dict[pa.DataType, Any] = {
    pa.int64(): pd.Int64Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}
# pandas' own string dtype for text (``str`` on pandas 3); object on pandas 2, which has no
# ``__from_arrow__`` and takes the generic path below
_TEXT = pa.array([], pa.large_string()).to_pandas().dtype
if hasattr(_TEXT, "__from_arrow__"):
    _ARROW_TO_PANDAS[pa.large_string()] = _ARROW_TO_PANDAS[pa.string()] = _TEXT


def to_pandas(frame: pl.DataFrame, schema: Schema, *, device_first: bool = False) -> pd.DataFrame:
    """The user's DataFrame: hidden columns dropped, nullable integer and boolean dtypes, UTC
    datetimes, timedeltas, and dynamic values decoded from JSON to Python objects.
    ``device_first`` moves a ``Device`` column to the front, as a session's results have it.

    Column by column into one ``DataFrame``: the frame ``Table.to_pandas`` gives, without its
    fixed ~0.3 ms of block assembly, which dominated small results (tests/engine/test_boundary.py
    holds the two equal).
    """
    columns = schema.visible
    if device_first:
        columns = tuple(sorted(columns, key=lambda c: c[0] != DEVICE))  # stable: the rest keep their order
    return pd.DataFrame(
        {name: _decoded(frame.get_column(name)) if t == ScalarType.DYNAMIC else _column(frame.get_column(name))
         for name, t in columns},
        copy=False,
    )


def _column(series: pl.Series) -> Any:
    """One column as pandas holds it, in memory the frame owns (so the user can edit it)."""
    dtype = series.dtype
    if dtype.is_float() or isinstance(dtype, pl.Duration):
        return series.to_numpy(writable=True)  # numpy-backed in pandas; nulls are NaN / NaT
    if isinstance(dtype, pl.Datetime):
        values = series.to_numpy(writable=True)  # UTC instants
        if dtype.time_zone is None:
            return values
        instants = pd.DatetimeIndex(values).tz_localize("UTC")
        return (instants if dtype.time_zone == "UTC" else instants.tz_convert(dtype.time_zone)).array
    arrow = series.to_arrow()
    target = _ARROW_TO_PANDAS.get(arrow.type)
    if target is not None:  # integers, booleans, text: pandas builds these from arrow itself
        return target.__from_arrow__(arrow)
    # anything else (not an engine dtype, but a given table's column may be one): pyarrow's own rules
    return pa.table({series.name: arrow}).to_pandas(types_mapper=_ARROW_TO_PANDAS.get)[series.name]


def _decoded(series: pl.Series) -> pd.Series:
    """Dynamic values (JSON text) as Python objects, one per row: lists stay lists (not a 2-D
    array) and a column of only strings stays object (pandas would make it ``str``, nulls NaN)."""
    out = np.empty(len(series), dtype=object)
    for i, text in enumerate(series.to_list()):
        if text is not None:
            out[i] = json.loads(text)
    return pd.Series(out, dtype=object, copy=False)


def schema_of_frame(frame: pl.DataFrame | pl.LazyFrame, device: str | None = None) -> Schema:
    """A table's schema read off a given frame's own columns and dtypes."""
    schema = frame.collect_schema() if isinstance(frame, pl.LazyFrame) else frame.schema
    return Schema(tuple((name, scalar_type_of(dtype)) for name, dtype in schema.items()), device)


def scalar_type_of(dtype: pl.DataType) -> ScalarType:
    """The scalar type a given column's polars dtype holds (anything nested is dynamic)."""
    known = _SCALAR_OF_DTYPE.get(dtype.base_type())
    if known is not None:
        return known
    if dtype.is_integer():  # the wider integers (Int128, UInt128)
        return ScalarType.LONG
    if dtype.is_float():  # Float16
        return ScalarType.REAL
    return ScalarType.DYNAMIC


_SCALAR_OF_DTYPE: dict[type[pl.DataType], ScalarType] = {
    pl.Boolean: ScalarType.BOOL,
    **dict.fromkeys((pl.Int8, pl.Int16, pl.Int32, pl.UInt8, pl.UInt16), ScalarType.INT),
    **dict.fromkeys((pl.Int64, pl.UInt32, pl.UInt64), ScalarType.LONG),
    **dict.fromkeys((pl.Float32, pl.Float64, pl.Decimal), ScalarType.REAL),
    **dict.fromkeys((pl.String, pl.Categorical, pl.Enum, pl.Null), ScalarType.STRING),
    **dict.fromkeys((pl.Datetime, pl.Date), ScalarType.DATETIME),
    pl.Duration: ScalarType.TIMESPAN,
}


def normalise_frame(frame: pl.DataFrame | pl.LazyFrame, schema: Schema) -> pl.LazyFrame:
    """Cast a given frame's columns to the engine's dtypes (UTC ns datetimes, JSON dynamics)."""
    lf = frame.lazy()
    current = lf.collect_schema()
    casts = []
    for name, t in schema.columns:
        dtype = current[name]
        target = polars_dtype(t)
        if dtype == target:
            continue
        if t == ScalarType.DYNAMIC:
            casts.append(
                pl.col(name).map_elements(
                    lambda v: (
                        None
                        if v is None
                        else json.dumps(
                            v if not hasattr(v, "to_list") else v.to_list(),
                            default=str,
                            separators=(",", ":"),
                        )
                    ),
                    return_dtype=pl.String,
                )
            )
        elif isinstance(dtype, pl.Datetime) and dtype.time_zone is None:
            casts.append(pl.col(name).dt.replace_time_zone("UTC").cast(target))
        elif t == ScalarType.STRING and dtype != pl.String:
            casts.append(pl.col(name).cast(pl.String))
        else:
            casts.append(pl.col(name).cast(target))
    return lf.with_columns(casts) if casts else lf


def from_pandas(frame: Any) -> pl.DataFrame:
    """A pandas (or polars) frame as polars; object columns of lists and dicts stay objects."""
    if isinstance(frame, pl.DataFrame):
        return frame
    if isinstance(frame, pl.LazyFrame):
        return frame.collect()
    if isinstance(frame, pd.DataFrame):
        try:
            return pl.from_pandas(frame)
        except (TypeError, ValueError, pa.ArrowInvalid):
            data = {c: pl.Series(c, frame[c].tolist(), dtype=pl.Object) for c in frame.columns}
            return pl.DataFrame(data)
    raise TypeError(f"expected a pandas or polars DataFrame, got {type(frame).__name__}")


def ensure_device_column(name: str, schema: Schema) -> None:
    if schema.resolve("Device") is None:
        raise QuerySemanticError(
            f"the table given for entity {name} has no Device column",
            hint="CMPivot rows always say which device they came from: add a Device column of device names",
        )


# ------------------------------------------------------------------------- devices' rows


def empty_frame(schema: Schema) -> pl.DataFrame:
    """No rows, with ``schema``'s columns in the engine's dtypes."""
    return pl.DataFrame(schema={name: polars_dtype(t) for name, t in schema.columns})


def union(frames: Sequence[pl.DataFrame], schema: Schema) -> pl.DataFrame:
    """Devices' rows as one frame, in the order given, with ``schema``'s columns in its order
    (a reply may list them in another). Frames without rows are skipped; none gives
    ``empty_frame(schema)``."""
    names = list(schema.names)
    parts = [f if f.columns == names else f.select(names) for f in frames if f.height]
    if not parts:
        return empty_frame(schema)
    return concat_rows(parts)


def concat_rows(parts: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """Frames with the same columns as one frame. Replies nearly always share their dtypes, and
    polars concatenates those natively; ``vertical_relaxed`` (needed only when a column's dtype
    differs, e.g. all-null in one reply) goes through a LazyFrame per part — 1.3 s for 130,000
    one-row replies."""
    try:
        return pl.concat(parts, how="vertical", rechunk=False)
    except pl.exceptions.SchemaError:
        return pl.concat(parts, how="vertical_relaxed", rechunk=False)


def device_first(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows as a client returns them: the device in ``Device``, first (a device kept in the hidden
    column after ``project`` comes back under its own name)."""
    if HIDDEN_DEVICE in frame.columns:
        frame = frame.rename({HIDDEN_DEVICE: DEVICE}) if DEVICE not in frame.columns else frame.drop(HIDDEN_DEVICE)
    return frame.select(DEVICE, *[c for c in frame.columns if c != DEVICE])


__all__ = [
    "concat_rows",
    "device_first",
    "empty_frame",
    "ensure_device_column",
    "from_pandas",
    "normalise_frame",
    "polars_dtype",
    "scalar_type_of",
    "schema_of_frame",
    "to_pandas",
    "union",
]
