"""A batch of collection-result entries straight to per-device frames, column-wise (no row dicts).

``parse_entries`` reads a batch's text (``[entry, entry, …]``, cut by ``result_stream``) with
polars' JSON reader into one frame: a row per entry with its identity columns and ``Result`` as a
list of structs. ``entry_frames`` then keeps the entries of devices not yet delivered, explodes
their rows and casts each column of the query's device schema once, then splits the rows by device:
about 2M rows/s where building a dict per row and a frame from the dicts manages well under 1M.

It handles the common case only and says so by returning None: values already of their column's
JSON type (text for text, integers for longs, ISO ``…Z`` text for datetimes, …), every entry
saying whose it is. Anything else goes the general way (``rows.frames_from_rows`` on dicts, with its
lenient conversions), so both ways give the same frames.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from ...engine.functions import polars_dtype
from ...engine.plan import DEVICE, HIDDEN_DEVICE, Schema
from ...language.types import ScalarType
from ..base import Target
from .result_stream import OPENER, STRING, loads
from .rows import frame_from_rows

_ISO_UTC = "%Y-%m-%dT%H:%M:%S%.fZ"
_INTEGERS = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)
_READS: dict[ScalarType, tuple[type[pl.DataType], ...]] = {
    ScalarType.STRING: (pl.String,), ScalarType.LONG: _INTEGERS, ScalarType.INT: _INTEGERS,
    ScalarType.REAL: (pl.Float64, pl.Float32, *_INTEGERS), ScalarType.BOOL: (pl.Boolean,),
}
"""The JSON types each column type takes as they are (as ``rows._fast_series`` does)."""
_SCALAR = rb"(" + STRING + rb"|-?\d+)"
_KEY = re.compile(rb'"((?:[^"\\]|\\.)*)"')  # a string's text, without its quotes


@dataclass
class EntryBatch:
    """A batch's text and, when polars could read it, the entries as a frame."""

    text: bytes
    frame: pl.DataFrame | None
    parsed: list[Any] | None = None
    """The entries as orjson read them, when polars could not."""

    def __len__(self) -> int:
        return self.frame.height if self.frame is not None else len(self.parsed or ())

    def entries(self) -> list[dict[str, Any]]:
        """The entries as dicts (the general way)."""
        items = self.parsed if self.parsed is not None else loads(self.text)
        return [e for e in items if isinstance(e, dict)]


def parse_entries(text: bytes) -> EntryBatch:
    """``[entry, …]`` read by polars, else checked by orjson (raises ValueError if not JSON)."""
    try:
        frame = pl.read_json(io.BytesIO(text), infer_schema_length=None)
    except (Exception, pl.exceptions.PanicException):  # whatever polars makes of odd JSON: the general way
        parsed = loads(text)  # raises if not JSON: the stream's cut was wrong (or the body is damaged)
        return EntryBatch(text, None, parsed if isinstance(parsed, list) else [])
    return EntryBatch(text, frame)


class EntryParser:
    """``parse_entries`` that first drops, from the text, the entries of devices already delivered
    (every read of a collection's result repeats every device so far): a batch is cut at each
    ``},{"<first key>":`` (never inside a string; see ``result_stream``) and a piece whose first two
    members name a delivered ResourceId is left out. A piece cut inside an entry cannot leave valid
    JSON with as many entries as pieces kept, so any doubt parses the whole batch instead."""

    def __init__(self, target_of: Callable[[int | None, str | None], Target | None],
                 delivered: Callable[[int], bool]) -> None:
        self.target_of, self.delivered = target_of, delivered
        self._pattern: tuple[bytes, re.Pattern[bytes], re.Pattern[bytes]] | None = None
        self._first_key = b""

    def __call__(self, text: bytes) -> EntryBatch:
        trimmed = self._trim(text)
        if trimmed is not None:
            kept, count = trimmed
            try:
                batch = parse_entries(kept)
            except ValueError:
                batch = None
            if batch is not None and len(batch) == count:
                return batch
        return parse_entries(text)

    def _trim(self, text: bytes) -> tuple[bytes, int] | None:
        """The text without the delivered devices' pieces, and how many pieces are kept; None when
        nothing is left out. One regular-expression pass finds every piece and its identity."""
        found = OPENER.match(text, 1)
        if found is None:
            return None
        head, pieces = self._patterns(found.group(1))
        first = head.match(text, found.start(1))
        starts, dropped = [found.start(1)], [first is not None and self._delivered(first)]
        for match in pieces.finditer(text, found.end(1)):
            starts.append(match.start(1))
            dropped.append(self._delivered(match))
        if not any(dropped):
            return None
        ends = [start - 1 for start in starts[1:]] + [len(text) - 1]
        spans: list[list[int]] = []
        for start, end, drop in zip(starts, ends, dropped, strict=True):
            if drop:
                continue
            if spans and spans[-1][1] == start - 1:
                spans[-1][1] = end  # runs of kept pieces are copied in one slice
            else:
                spans.append([start, end])
        return b"[" + b",".join(text[a:b] for a, b in spans) + b"]", dropped.count(False)

    def _patterns(self, opener: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
        """An entry's start with its first two members (the first piece), and the same after "},"."""
        if self._pattern is None or self._pattern[0] != opener:
            first_key = _KEY.search(opener)
            self._first_key = first_key.group(1).lower() if first_key else b""
            head = rb"(" + re.escape(opener) + rb")(?:" + _SCALAR + rb',"(\w+)":' + _SCALAR + rb")?"
            self._pattern = (opener, re.compile(head), re.compile(rb"\}," + head))
        return self._pattern[1], self._pattern[2]

    def _delivered(self, match: re.Match[bytes]) -> bool:
        """Whether a piece's first two members name a device already delivered (by ResourceId)."""
        if match.group(2) is None:
            return False
        rid = match.group(2) if self._first_key == b"resourceid" else \
            match.group(4) if match.group(3).lower() == b"resourceid" else None
        if rid is None or not rid.isdigit():
            return False
        target = self.target_of(int(rid), None)
        return target is not None and self.delivered(target.resource_id)


def entry_frames(batch: EntryBatch, schema: Schema, target_of: Callable[[int | None, str | None], Target | None],
                 skip: Callable[[int], bool]) -> list[tuple[Target, pl.DataFrame]] | None:
    """Each new device's frame, in the batch's order (a device's entries together), or None when the
    batch needs the general way."""
    try:
        return _entry_frames(batch, schema, target_of, skip)
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException):  # e.g. a row member named __owner__
        return None


def _entry_frames(batch: EntryBatch, schema: Schema, target_of: Callable[[int | None, str | None], Target | None],
                  skip: Callable[[int], bool]) -> list[tuple[Target, pl.DataFrame]] | None:
    frame = batch.frame
    if frame is None or frame.height == 0:
        return None if frame is None else []
    columns = {c.lower(): c for c in frame.columns}
    result = columns.get("result")
    if result is None or not _rows_readable(frame.schema[result]):
        return None
    ids = _column(frame, columns, "resourceid", "machineid")
    names = _column(frame, columns, "devicename", "device", "name")
    order: dict[int, int] = {}
    owners: list[int | None] = []
    for rid, name in zip(ids, names, strict=True):
        try:
            target = target_of(int(rid) if rid not in (None, "") else None, None if name is None else str(name))
        except (TypeError, ValueError):
            return None
        if target is None:
            return None  # an entry that doesn't say whose it is: its rows do (the general way)
        owners.append(None if skip(target.resource_id) else order.setdefault(target.resource_id, len(order)))
    fresh = list(order)
    if not fresh:
        return []
    targets = [_find(target_of, rid) for rid in fresh]
    owner_names = [t.name for t in targets]
    kept = (frame.select(pl.Series("__owner__", owners, dtype=pl.Int64), pl.col(result).alias("__rows__"))
            .filter(pl.col("__owner__").is_not_null() & (pl.col("__rows__").list.len() > 0)))
    if kept.height == 0:  # no rows at all: the frame the general way makes for none
        empty_frame = frame_from_rows([], schema, "")
        return [(t, empty_frame) for t in targets]
    rows = _typed_rows(kept, schema, owner_names)
    if rows is None:
        return None
    owner = rows["__owner__"]
    if owner.is_sorted():  # each device's rows together, devices in order: slices (no copies)
        body = rows.drop("__owner__")
        counts = np.bincount(owner.to_numpy(), minlength=len(targets)).tolist()
        offsets = itertools.accumulate(counts, initial=0)
        return [(t, body.slice(o, c)) for t, o, c in zip(targets, offsets, counts, strict=False)]
    parts = rows.partition_by("__owner__", as_dict=True, include_key=False, maintain_order=True)
    empty = rows.drop("__owner__").clear()
    return [(t, parts.get((i,), empty)) for i, t in enumerate(targets)]


def _rows_readable(dtype: pl.DataType) -> bool:
    return isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.Struct | pl.Null)


def _column(frame: pl.DataFrame, columns: dict[str, str], *names: str) -> list[Any]:
    for name in names:
        if name in columns:
            return frame[columns[name]].to_list()
    return [None] * frame.height


def _find(target_of: Callable[[int | None, str | None], Target | None], rid: int) -> Target:
    target = target_of(rid, None)
    assert target is not None
    return target


def _typed_rows(kept: pl.DataFrame, schema: Schema, owner_names: list[str]) -> pl.DataFrame | None:
    """The kept entries' rows with the schema's columns and dtypes, and ``__owner__``."""
    rows = kept.explode("__rows__")
    inner = rows.schema["__rows__"]
    fields = [f.name for f in inner.fields] if isinstance(inner, pl.Struct) else []
    rows = rows.unnest("__rows__") if fields else rows.drop("__rows__")
    device = pl.Series("__device__", owner_names, dtype=pl.String).gather(rows["__owner__"])
    out = [rows["__owner__"]]
    for name, t in schema.columns:
        source = DEVICE if name == HIDDEN_DEVICE and DEVICE not in schema else name
        key = source if source in fields else next((f for f in fields if f.lower() == source.lower()), None)
        values = rows[key] if key is not None else pl.Series(name, [None] * rows.height, dtype=pl.Null)
        series = _cast(values.alias(name), t)
        if series is None:
            return None
        if source == DEVICE or name == schema.device:
            if series.dtype != pl.String:
                return None
            series = series.zip_with((series.is_not_null() & (series != "")).fill_null(False), device)
        out.append(series)
    return pl.DataFrame(out)


def _cast(values: pl.Series, t: ScalarType) -> pl.Series | None:
    """The column in the engine's dtype when its JSON type needs no reading value by value."""
    dtype = polars_dtype(t)
    try:
        if t == ScalarType.DATETIME and values.dtype in (pl.String, pl.Null):
            # as rows._fast_series reads ISO text (nanoseconds, UTC)
            return values.cast(pl.String).str.to_datetime(_ISO_UTC, time_unit="ns", time_zone="UTC", strict=True)
        if values.dtype == pl.Null or isinstance(values.dtype, _READS.get(t, ())):
            return values.cast(dtype)
    except (pl.exceptions.PolarsError, ValueError):
        return None  # out of range, unreadable text: the general way reads it value by value
    return None


__all__ = ["EntryBatch", "EntryParser", "entry_frames", "parse_entries"]
