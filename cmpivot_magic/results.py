"""What a query gives back: rows, a status per targeted device, and the status bar's summary.

``QueryResult.df`` holds every row (``Device`` first whenever the query keeps it);
``QueryResult.status`` has one row per targeted device, so a device without rows always has a
status that says why (Offline, Failed with its error, Truncated at 128 KB, Pending). Display caps
never drop data silently: a capped display says how many rows it shows out of how many.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import polars as pl

from .backends.base import ANSWERED, DeviceReply, DeviceStatus, Target
from .errors import CMPivotError

if TYPE_CHECKING:
    from .engine.plan import RenderSpec, Schema
    from .history import HistoryStore
    from .query import Query

DEVICE_SETS = {"offline": ("Offline",), "failed": ("Failed",), "pending": ("Pending",),
               "answered": ("Completed", "Truncated"), "all": ("Completed", "Truncated", "Failed", "Offline", "Pending")}
"""The console's device sets of a result, by status (``QueryResult.device_names``)."""
STATUS_COLUMNS = ("Device", "ResourceId", "Status", "Rows", "Error", "Elapsed", "Inventory")
DEFAULT_DISPLAY_ROWS = 50


class Rows:
    """An answer's rows kept in polars until someone asks for pandas (``QueryResult.df``).

    ``to_pandas`` makes the user's frame from them, once. Its dtypes are the engine's
    (``engine.frames.to_pandas``), chosen so the pandas frame stays close to the Arrow size: text is
    pandas' ``str`` dtype, which on pandas 3 with pyarrow is Arrow-backed (no Python object per cell);
    integers and booleans are pandas' nullable dtypes (numpy values plus a mask: 9 bytes for 8);
    floats, datetimes and durations plain numpy. Dynamic values stay Python objects (lists and dicts
    a user indexes into). Not ``ArrowDtype`` everywhere: existing callers compare frames and call
    numpy-only methods on these columns, and the frame must behave as it always has."""

    def __init__(self, frame: pl.DataFrame, schema: Schema) -> None:
        self.frame = frame
        self.schema = schema  # the plan's output schema: what the pandas dtypes follow

    def to_pandas(self, part: pl.DataFrame | None = None) -> pd.DataFrame:
        from .engine import frames  # the engine's polars/pandas boundary, imported when first needed

        return frames.to_pandas(self.frame if part is None else part, self.schema, device_first=True)


class _LazyDf:
    """``QueryResult.df``: set to a pandas frame (as callers always have) or to ``Rows``; a
    ``Rows`` becomes pandas on first read, so a run that only aggregates, filters lazily or writes
    Parquet never pays for the pandas copy of millions of rows."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, obj: Any, owner: type | None = None) -> pd.DataFrame:
        if obj is None:
            return self  # type: ignore[return-value]
        value = obj.__dict__[self.slot]
        if isinstance(value, Rows):
            value = obj.__dict__[self.slot] = value.to_pandas()
        return value

    def __set__(self, obj: Any, value: pd.DataFrame | Rows) -> None:
        obj.__dict__[self.slot] = value
        obj.__dict__["_rows"] = value.frame if isinstance(value, Rows) else None


def status_frame(targets: Iterable[Target], replies: dict[int, DeviceReply], pending_reason: str | None = None,
                 inventory: Mapping[int, tuple[int, dt.datetime | None]] | None = None) -> pd.DataFrame:
    """One row per target: the final reply's status, or Pending. ``inventory`` maps the devices
    that answered from their last hardware inventory to (their cached rows, when inventoried):
    their ``Rows`` count those rows and ``Inventory`` says when (null for live answers)."""
    # built column by column (a list per column, no row tuples): 150,000 targets in ~0.1 s
    targets = list(targets)
    cached = inventory or {}
    found = [replies.get(t.resource_id) for t in targets]
    pending = DeviceStatus.PENDING.value
    device = [t.name if r is None else r.device for t, r in zip(targets, found, strict=True)]
    rid = [t.resource_id if r is None else r.resource_id for t, r in zip(targets, found, strict=True)]
    status = [pending if r is None else r.status.value for r in found]
    count = [cached.get(t.resource_id, (0, None))[0] if r is None or r.rows is None else r.rows.height
             for t, r in zip(targets, found, strict=True)]
    error = [pending_reason if r is None else r.error for r in found]
    elapsed = [None if r is None else r.elapsed for r in found]
    when = [cached.get(t.resource_id, (0, None))[1] for t in targets]
    columns = {"Device": device, "ResourceId": rid, "Status": status, "Rows": count, "Error": error,
               "Elapsed": elapsed, "Inventory": when}
    # dtypes inferred per column, as from rows; no targets: object columns, as from no rows
    frame = pd.DataFrame(columns if targets else [], columns=list(STATUS_COLUMNS))
    frame["Inventory"] = pd.to_datetime(frame["Inventory"], utc=True)
    frame["ResourceId"] = frame["ResourceId"].astype("Int64")
    frame["Rows"] = frame["Rows"].astype("Int64")
    frame["Elapsed"] = frame["Elapsed"].astype("Float64")
    return frame


def summarize_status(status: pd.DataFrame) -> str:
    """CMPivot's status-bar wording: ``Query completed on 3 of 5 clients (2 clients offline and 0 failure)``.

    Completed counts devices that answered (truncated answers included); truncated and pending
    devices, which CMPivot's bar does not name, get their own clause so nothing goes unsaid.
    """
    counts = status["Status"].value_counts()
    total = len(status)
    done = int(sum(counts.get(s.value, 0) for s in ANSWERED))
    offline = int(counts.get("Offline", 0))
    failed = int(counts.get("Failed", 0))
    text = (f"Query completed on {done} of {total} client{'s' if total != 1 else ''} "
            f"({offline} client{'s' if offline != 1 else ''} offline and {failed} failure{'s' if failed > 1 else ''})")
    extra = []
    if counts.get("Truncated", 0):
        n = int(counts["Truncated"])
        extra.append(f"{n} client{'s' if n != 1 else ''} truncated (result over the per-device size limit)")
    if counts.get("Pending", 0):
        n = int(counts["Pending"])
        extra.append(f"{n} client{'s' if n != 1 else ''} still pending")
    cached = int(status["Inventory"].notna().sum()) if "Inventory" in status.columns else 0
    if cached:
        extra.append(f"{cached} from inventory")
    return text + ("; " + ", ".join(extra) if extra else "")


@dataclass
class QueryResult:
    """The answer to one query over a set of devices: a value, which keeps what a next step needs
    (each device's replies, the targets, the clock reading) but not the session that made it.
    Retrying it or re-evaluating its rows are pipeline steps: ``Session.retry(result)`` and
    ``Session.requery(result, text)``."""

    df: pd.DataFrame  # a pandas frame or ``Rows`` (made pandas when first read): see _LazyDf below
    status: pd.DataFrame
    query: Query
    operation_id: int
    connection: str = ""
    chart_spec: RenderSpec | None = None
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    finished: dt.datetime | None = None
    display_rows: int = DEFAULT_DISPLAY_ROWS
    replies: dict[int, DeviceReply] = field(default_factory=dict, repr=False)
    """Each device's final reply (its device-part rows): what retry and re-evaluation build on."""
    targets: tuple[Target, ...] = field(default=(), repr=False)
    """The devices the query was sent to, in order: what ``Session.retry`` asks again."""
    now: dt.datetime | None = field(default=None, repr=False)
    """The query's clock reading (what ``now()`` and ``ago()`` read): ``Session.retry`` and
    ``Session.requery`` evaluate at the same instant."""
    history: HistoryStore | None = field(default=None, repr=False, compare=False)
    """The store holding the operation's rows as Parquet (what ``lazy()`` scans), if it has one."""

    @property
    def polars(self) -> pl.DataFrame:
        """The rows as a polars frame (the one ``df`` is made from; no pandas copy is made)."""
        rows: pl.DataFrame | None = self.__dict__.get("_rows")
        return rows if rows is not None else pl.from_pandas(self.df)

    def lazy(self) -> pl.LazyFrame:
        """The rows as a polars ``LazyFrame`` over the operation's Parquet files in the history store,
        so an answer larger than memory can be filtered and aggregated without loading it.

        The stored rows arrive batch by batch: they are ``df``'s rows in arrival order, not target
        order (sort if order matters). A query with a global part (summarize, top, sort …) has an
        answer computed over the stored rows: then the frame is over that answer, in memory."""
        if self.history is None:
            raise CMPivotError(
                "result.lazy() reads the operation's rows from the history store, and this result has none",
                hint="history is off (CMPIVOT_MAGIC_HISTORY_DIR=off or history=None): connect with history on "
                     "(the default, or history='path/to/folder'), or use result.polars for the rows in memory")
        plan = self.query.plan
        if plan.global_part:
            return self.polars.lazy()
        files = self.history.rows_files(self.operation_id)
        names = self.polars.columns
        if not files:
            return self.polars.clear().lazy()
        frame = pl.scan_parquet(files)
        stored = frame.collect_schema().names()
        if "Device" in names and "Device" not in stored and "__device__" in stored:
            frame = frame.rename({"__device__": "Device"})
        return frame.select(names)

    def batches(self, rows: int = 200_000) -> Iterator[pd.DataFrame]:
        """The rows as pandas frames of at most ``rows`` rows, made one at a time (what the CLI
        streams as CSV: the whole pandas frame is never built). At least one frame, for the header."""
        held = self.__dict__.get("_df")
        if not isinstance(held, Rows):
            yield self.df
            return
        for start in range(0, max(held.frame.height, 1), rows):
            yield held.to_pandas(held.frame.slice(start, rows))

    @property
    def visible_rows(self) -> int:
        """How many rows the answer has (without making the pandas frame)."""
        rows: pl.DataFrame | None = self.__dict__.get("_rows")
        return rows.height if rows is not None else len(self.df)

    def device_names(self, which: Sequence[str] | str | None = None) -> list[str]:
        """Device names to act on: the devices in the rows (``None``), a set from the status
        (``"offline"``, ``"failed"``, ``"pending"``, ``"answered"``, ``"all"``), or the names given."""
        if which is None:
            if "Device" not in self.df.columns:
                raise CMPivotError("this result has no Device column, so it does not say which devices it found",
                                   hint="keep Device in the query, or pass devices='answered' (or a list of names)")
            return list(dict.fromkeys(str(d) for d in self.df["Device"].dropna()))
        if isinstance(which, str):
            wanted = DEVICE_SETS.get(which.lower())
            if wanted is None:
                raise CMPivotError(f"unknown device set '{which}'",
                                   hint=f"use one of {', '.join(DEVICE_SETS)}, or a list of device names")
            return self.status.loc[self.status["Status"].isin(wanted), "Device"].astype(str).tolist()
        return [str(d) for d in which]

    def create_collection(self, name: str, limit_to: str = "SMS00001", devices: Sequence[str] | str | None = None,
                          session: Any = None, comment: str = "") -> str:
        """Create a device collection with direct rules for this result's devices; its CollectionID.

        ``devices``: default the devices in the rows; ``"offline"``, ``"failed"`` (the console's
        sets from ``status``) or a list of names. A result is a value and holds no session: the
        write goes through ``session`` when given, else through a new connection to
        ``result.connection`` (``connect(result.connection)``, default options: pass a session for a
        site that needs a token; a new ``demo://`` connection is a new simulation, so pass the demo
        session). It is ``Session.create_collection(name, devices, ...)``."""
        if session is None:
            if _connector is None or not self.connection:
                raise CMPivotError("this result does not say which connection it came from",
                                   hint="pass session=: result.create_collection(name, session=s)")
            session = _connector(self.connection)
        cid: str = session.create_collection(name, self.device_names(devices), limit_to=limit_to, comment=comment)
        return cid

    def diff(self, before: QueryResult, key: list[str] | None = None) -> pd.DataFrame:
        """What changed since ``before``, per device: rows that appeared, disappeared or changed.

        Rows are matched on ``key`` columns (default: the summarize keys, else every column but
        the last); a matched row whose other values differ is 'changed' and lists them in
        ``Changed``. Devices must be in the result (keep Device in the query)."""
        return diff_results(self.df, before.df, key or _default_key(self))

    @property
    def summary(self) -> str:
        return summarize_status(self.status)

    @property
    def devices_answered(self) -> int:
        """Devices that answered with rows (``ANSWERED``: Completed or Truncated)."""
        return int(self.status["Status"].isin([s.value for s in ANSWERED]).sum())

    def to_csv(self, path: str | Path | None = None, **kwargs: Any) -> str | None:
        """All rows as CSV (to ``path``, or returned as text)."""
        return self.df.to_csv(path, index=False, **kwargs)

    def to_parquet(self, path: str | Path, **kwargs: Any) -> None:
        """All rows as Parquet; dynamic (list/dict) cells are written as JSON text. From the polars
        rows when the result has them (no pandas round trip: dynamic values are JSON text there)."""
        rows: pl.DataFrame | None = self.__dict__.get("_rows")
        if rows is not None and not kwargs:
            rows.write_parquet(path)
            return
        frame = self.df.copy()
        for c in frame.columns:
            if frame[c].dtype == object and frame[c].map(lambda v: isinstance(v, list | dict)).any():
                import json

                frame[c] = frame[c].map(lambda v: None if v is None else json.dumps(v))
        frame.to_parquet(path, index=False, **kwargs)

    def caption(self, shown: int | None = None) -> str:
        """``showing N of M rows from K devices`` — the line that comes with every capped view."""
        total = len(self.df)
        shown = min(total, self.display_rows if shown is None else shown)
        devices = self.devices_answered
        return (f"showing {shown} of {total} row{'s' if total != 1 else ''} "
                f"from {devices} device{'s' if devices != 1 else ''}")

    def __repr__(self) -> str:
        head = self.df.head(self.display_rows)
        return f"{self.summary}\n{self.caption()}\n{head.to_string(index=False) if len(head) else '(no rows)'}"

    @property
    def inventory_devices(self) -> set[str]:
        """The devices whose rows come from their last hardware inventory (shown greyed)."""
        if "Inventory" not in self.status.columns:
            return set()
        return set(self.status.loc[self.status["Inventory"].notna(), "Device"].astype(str))

    def _repr_html_(self) -> str:
        head = self.df.head(self.display_rows)
        table = head.to_html(index=False, border=0, na_rep="") if len(head.columns) else ""
        table = grey_cached_rows(table, head, self.inventory_devices)
        return (f"<div><p><b>{html.escape(self.summary)}</b><br><small>{html.escape(self.caption())}</small></p>"
                f"{table}</div>")


_connector: Callable[[str], Any] | None = None
"""``connect``, set by the session module (results sit below the session and cannot import it)."""


def set_connector(connect: Callable[[str], Any]) -> None:
    """How a result reaches its connection for ``create_collection`` without a session given."""
    global _connector
    _connector = connect


CACHED_ROW_CLASS = "cmpivot-cached"
"""The CSS class of a row from the last hardware inventory (greyed, as the console greys them)."""
CACHED_ROW_STYLE = "color: #8a8a8a"


def cached_rows_mask(frame: pd.DataFrame, devices: set[str]) -> list[bool]:
    """Which rows of ``frame`` belong to devices that answered from inventory (by ``Device``)."""
    if not devices or "Device" not in frame.columns:
        return [False] * len(frame)
    return [str(d) in devices for d in frame["Device"]]


def grey_cached_rows(table: str, frame: pd.DataFrame, devices: set[str]) -> str:
    """pandas' ``to_html`` of ``frame`` with the cached rows' ``<tr>`` given ``CACHED_ROW_CLASS``."""
    mask = cached_rows_mask(frame, devices)
    if not any(mask) or "<tbody>" not in table:
        return table
    head, _, body = table.partition("<tbody>")
    parts = body.split("<tr>")
    rows = [f'<tr class="{CACHED_ROW_CLASS}" style="{CACHED_ROW_STYLE}">' if cached else "<tr>"
            for cached in mask[: len(parts) - 1]]
    return head + "<tbody>" + parts[0] + "".join(r + p for r, p in zip(rows, parts[1:], strict=True))
# installed after the dataclass is made, so ``df`` stays a required field of __init__
_descriptor = _LazyDf()
_descriptor.__set_name__(QueryResult, "df")
setattr(QueryResult, "df", _descriptor)  # noqa: B010 — mypy keeps seeing the declared pandas field


def _default_key(result: QueryResult) -> list[str]:
    from .engine.plan import Summarize

    cols = [c for c in result.df.columns if c != "Device"]
    for s in reversed(result.query.plan.steps):
        if isinstance(s.step, Summarize):
            return [name for name, _ in s.step.keys if name != "Device"] or cols[:-1]
    return cols[:-1] if len(cols) > 1 else cols


def diff_results(after: pd.DataFrame, before: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Per-device row changes between two frames with a Device column."""
    if "Device" not in after.columns or "Device" not in before.columns:
        raise CMPivotError("diff needs a Device column in both results", hint="keep Device in the query's output")
    if list(after.columns) != list(before.columns):
        raise CMPivotError("the two results have different columns", hint="diff results of the same query")
    ids = ["Device", *key]
    values = [c for c in after.columns if c not in ids]
    merged = after.merge(before, on=ids, how="outer", suffixes=("", " (before)"), indicator=True)
    out = []
    for _, row in merged.iterrows():
        state = row["_merge"]
        record = {c: row[c] for c in ids}
        if state == "left_only":
            record.update({c: row[c] for c in values}, Change="appeared", Changed="")
        elif state == "right_only":
            record.update({c: row[f"{c} (before)"] for c in values}, Change="disappeared", Changed="")
        else:
            changed = [c for c in values if not _same(row[c], row[f"{c} (before)"])]
            if not changed:
                continue
            record.update({c: row[c] for c in values}, Change="changed",
                          Changed=", ".join(f"{c}: {row[f'{c} (before)']!r} → {row[c]!r}" for c in changed))
        out.append(record)
    columns = ["Device", "Change", *key, *values, "Changed"]
    return pd.DataFrame(out, columns=columns).sort_values(["Device", "Change"], kind="stable").reset_index(drop=True)


def _same(a: Any, b: Any) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    return bool(a == b)
