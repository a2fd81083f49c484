"""What a query gives back: rows, a status per targeted device, and the status bar's summary.

``QueryResult.df`` holds every row (``Device`` first whenever the query keeps it);
``QueryResult.status`` has one row per targeted device, so a device without rows always has a
status that says why (Offline, Failed with its error, Truncated at 128 KB, Pending). Display caps
never drop data silently: a capped display says how many rows it shows out of how many.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .backends.base import DeviceReply, DeviceStatus, Target

if TYPE_CHECKING:
    from .engine.plan import RenderSpec
    from .query import Query

STATUS_COLUMNS = ("Device", "ResourceId", "Status", "Rows", "Error", "Elapsed")
DEFAULT_DISPLAY_ROWS = 50


def status_frame(targets: Iterable[Target], replies: dict[int, DeviceReply], pending_reason: str | None = None) -> pd.DataFrame:
    """One row per target: the final reply's status, or Pending."""
    rows: list[tuple[Any, ...]] = []
    for t in targets:
        r = replies.get(t.resource_id)
        if r is None:
            rows.append((t.name, t.resource_id, DeviceStatus.PENDING.value, 0, pending_reason, None))
        else:
            count = 0 if r.rows is None else r.rows.height
            rows.append((r.device, r.resource_id, r.status.value, count, r.error, r.elapsed))
    frame = pd.DataFrame(rows, columns=list(STATUS_COLUMNS))
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
    done = int(counts.get("Completed", 0) + counts.get("Truncated", 0))
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
    return text + ("; " + ", ".join(extra) if extra else "")


@dataclass
class QueryResult:
    """The answer to one query over a set of devices."""

    df: pd.DataFrame
    status: pd.DataFrame
    query: Query
    operation_id: int
    connection: str = ""
    chart_spec: RenderSpec | None = None
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    finished: dt.datetime | None = None
    display_rows: int = DEFAULT_DISPLAY_ROWS

    @property
    def summary(self) -> str:
        return summarize_status(self.status)

    @property
    def devices_answered(self) -> int:
        return int(self.status["Status"].isin(["Completed", "Truncated"]).sum())

    def to_csv(self, path: str | Path | None = None, **kwargs: Any) -> str | None:
        """All rows as CSV (to ``path``, or returned as text)."""
        return self.df.to_csv(path, index=False, **kwargs)

    def to_parquet(self, path: str | Path, **kwargs: Any) -> None:
        """All rows as Parquet; dynamic (list/dict) cells are written as JSON text."""
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

    def _repr_html_(self) -> str:
        head = self.df.head(self.display_rows)
        table = head.to_html(index=False, border=0, na_rep="") if len(head.columns) else ""
        return (f"<div><p><b>{html.escape(self.summary)}</b><br><small>{html.escape(self.caption())}</small></p>"
                f"{table}</div>")
