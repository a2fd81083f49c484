"""JSON result rows → a typed polars frame per the query's device schema.

The AdminService returns each device's rows as flat JSON objects (column → value, usually with a
``Device`` column). ``frame_from_rows`` reads them into exactly the columns and dtypes of
``plan.device_schema``, so the session's global part runs on the same frames whatever backend
answered. Column names match case-insensitively. A hidden ``__device__`` column (the query
projected ``Device`` away) is filled from the row's ``Device``, else from the device that answered.

Values are read leniently, because a real site's formatting is not documented:
datetimes as ISO 8601 (``Z``, offsets, up to 7 fraction digits; naive ones are UTC) or ``/Date(ms)/``;
timespans as .NET ``[-][d.]hh:mm:ss[.fffffff]``, ISO 8601 durations (``PT86405S``) or seconds;
numbers and booleans as JSON or as text; dynamic values as any JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from ...engine.functions import polars_dtype
from ...engine.plan import DEVICE, HIDDEN_DEVICE, Schema
from ...language.types import ScalarType

_NET_TIMESPAN = re.compile(r"^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$")
_ISO_DURATION = re.compile(r"^(-)?P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?"
                           r"(?:(\d+(?:\.\d+)?)S)?)?$")
_MS_DATE = re.compile(r"^/Date\((-?\d+)(?:[+-]\d{4})?\)/$")
_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


def frames_from_rows(batch: Sequence[tuple[str, Sequence[dict[str, Any]]]], schema: Schema) -> list[pl.DataFrame]:
    """Several devices' rows, one frame each: read as one frame and split (far cheaper than a
    frame per device when thousands answer at once)."""
    rows: list[dict[str, Any]] = []
    owners: list[int] = []
    devices: list[str] = []
    for i, (device, device_rows) in enumerate(batch):
        rows.extend(device_rows)
        owners.extend([i] * len(device_rows))
        devices.extend([device] * len(device_rows))
    frame = frame_from_rows(rows, schema, devices)
    if not rows:
        return [frame] * len(batch)
    parts = frame.with_columns(pl.Series("__owner__", owners, dtype=pl.Int64)).partition_by(
        "__owner__", as_dict=True, include_key=False, maintain_order=True)
    empty = frame.clear()
    return [parts.get((i,), empty) for i in range(len(batch))]


def frame_from_rows(rows: Sequence[dict[str, Any]], schema: Schema, device: str | Sequence[str]) -> pl.DataFrame:
    """Rows as a frame with ``schema``'s columns, in order, with the engine's dtypes; ``device``
    names the device that answered (one name, or one per row)."""
    data: dict[str, pl.Series] = {}
    for name, t in schema.columns:
        dtype = polars_dtype(t)
        if not rows:
            data[name] = pl.Series(name, [], dtype=dtype)
            continue
        source = DEVICE if name == HIDDEN_DEVICE and DEVICE not in schema else name
        key = _key(rows, source)
        values: list[Any] = [r.get(key) for r in rows] if key is not None else [None] * len(rows)
        if source == DEVICE or name == schema.device:
            owners = [device] * len(rows) if isinstance(device, str) else device
            values = [d if v is None or v == "" else v for v, d in zip(values, owners, strict=True)]
        data[name] = _series(name, values, t, dtype)
    return pl.DataFrame(data)


def _key(rows: Sequence[dict[str, Any]], name: str) -> str | None:
    """The JSON property holding column ``name``: exact spelling first, then case-insensitive."""
    for row in (rows[0], *rows[1:8]):
        if name in row:
            return name
        lowered = name.lower()
        for k in row:
            if k.lower() == lowered:
                return k
    return None


def _series(name: str, values: list[Any], t: ScalarType, dtype: pl.DataType) -> pl.Series:
    fast = _fast_series(name, values, t, dtype)
    if fast is not None:
        return fast
    convert = _CONVERTERS[t]
    out = [None if v is None else convert(v) for v in values]
    if t == ScalarType.DATETIME:
        return pl.Series(name, out, dtype=pl.Datetime("us", "UTC")).cast(dtype)
    if t == ScalarType.TIMESPAN:
        return pl.Series(name, out, dtype=pl.Duration("us")).cast(dtype)
    return pl.Series(name, out, dtype=dtype, strict=False)


_ISO_UTC = "%Y-%m-%dT%H:%M:%S%.fZ"
_NATIVE = {ScalarType.STRING: str, ScalarType.LONG: int, ScalarType.INT: int, ScalarType.REAL: float,
           ScalarType.BOOL: bool}


def _fast_series(name: str, values: list[Any], t: ScalarType, dtype: pl.DataType) -> pl.Series | None:
    """The common case in one step: values already of the column's JSON type (or ISO ``…Z`` text
    for datetimes). None when any value needs reading value by value."""
    native = _NATIVE.get(t)
    if native is not None:
        exact = (int, float) if native is float else (native,)
        if all(v is None or (type(v) in exact) for v in values):
            return pl.Series(name, values, dtype=dtype, strict=False)
        return None
    if t == ScalarType.DATETIME and all(v is None or type(v) is str for v in values):
        try:
            return pl.Series(name, values, dtype=pl.String).str.to_datetime(
                _ISO_UTC, time_unit="ns", time_zone="UTC", strict=True)
        except (pl.exceptions.PolarsError, ValueError):
            return None
    return None


def _string(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, dict | list):
        return json.dumps(v, separators=(",", ":"))
    if isinstance(v, bool):
        return "True" if v else "False"
    return str(v)


def _integer(v: Any) -> int | None:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v) if v == v else None
    try:
        text = str(v).strip()
        return int(text) if re.fullmatch(r"[-+]?\d+", text) else int(float(text))
    except ValueError:
        return None


def _real(v: Any) -> float | None:
    if isinstance(v, bool):
        return float(v)
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _boolean(v: Any) -> bool | None:
    if isinstance(v, bool):
        return v
    if isinstance(v, int | float):
        return bool(v)
    text = str(v).strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def parse_datetime(v: Any) -> dt.datetime | None:
    """An AdminService datetime as an aware UTC datetime (naive text is taken as UTC)."""
    if isinstance(v, dt.datetime):
        return v if v.tzinfo else v.replace(tzinfo=dt.UTC)
    if isinstance(v, int | float) and not isinstance(v, bool):
        return dt.datetime.fromtimestamp(v, dt.UTC)
    text = str(v).strip()
    found = _MS_DATE.match(text)
    if found:
        return dt.datetime.fromtimestamp(int(found.group(1)) / 1000, dt.UTC)
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def parse_timespan(v: Any) -> dt.timedelta | None:
    """A .NET TimeSpan string, an ISO 8601 duration or a number of seconds."""
    if isinstance(v, dt.timedelta):
        return v
    if isinstance(v, int | float) and not isinstance(v, bool):
        return dt.timedelta(seconds=v)
    text = str(v).strip()
    found = _NET_TIMESPAN.match(text)
    if found:
        sign, days, h, m, s, frac = found.groups()
        span = dt.timedelta(days=int(days or 0), hours=int(h), minutes=int(m), seconds=int(s),
                            microseconds=int((frac or "0").ljust(7, "0")[:7]) // 10)
        return -span if sign else span
    found = _ISO_DURATION.match(text)
    if found and text not in ("P", "-P", "PT", "-PT"):
        sign, d, h, m, s = found.groups()
        span = dt.timedelta(days=float(d or 0), hours=float(h or 0), minutes=float(m or 0), seconds=float(s or 0))
        return -span if sign else span
    try:
        return dt.timedelta(seconds=float(text))
    except ValueError:
        return None


def _dynamic(v: Any) -> str:
    return json.dumps(v, separators=(",", ":"), default=str)


_CONVERTERS: dict[ScalarType, Callable[[Any], Any]] = {
    ScalarType.STRING: _string,
    ScalarType.INT: _integer,
    ScalarType.LONG: _integer,
    ScalarType.REAL: _real,
    ScalarType.BOOL: _boolean,
    ScalarType.DATETIME: parse_datetime,
    ScalarType.TIMESPAN: parse_timespan,
    ScalarType.DYNAMIC: _dynamic,
}

__all__ = ["frame_from_rows", "frames_from_rows", "parse_datetime", "parse_timespan"]
