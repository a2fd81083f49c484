"""CMPivot operations on the emulated site: who answers when, with what, in which JSON.

An operation is created by ``RunCMPivot`` with the query text it was sent. The demo site decides
everything about each device: its latency, whether it is offline (never answers), whether it
fails (the client's error) and its rows — ``TableBackend`` evaluates the query's device part
per device exactly as for ``demo://``. If the text has a global part too (a client that sends the
whole query), each device applies it to its own rows, as a ConfigMgr client runs what it is sent.
Every row carries ``Device``.

Devices answer ``latency / speed`` seconds after submission. Work happens on a background thread
in latency order, in growing chunks, so the first answers are ready at once even on a big site;
a device answers at its time or when its rows are ready, whichever is later. Answers are encoded
to JSON once and reused by every poll, so serving a 10,000-device result costs writing bytes already made (sent in
pieces, never joined).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

import polars as pl

from .. import engine
from ..backends.base import DeviceReply, DeviceRequest, DeviceStatus, Target
from ..backends.tables import TableBackend
from ..engine.frames import device_first
from ..engine.plan import DEVICE, HIDDEN_DEVICE
from ..language.types import ScalarType
from ..query import Query
from .inventory import iso

CMPIVOT_OPERATION_TYPE = 145
"""The client-operation type smsprov.log names for CMPivot ("initiated client operation 145")."""
STATE_ACTIVE, STATE_COMPLETED, STATE_CANCELLED = 1, 2, 3
FAILED_EXIT_CODE = -2147467259  # 0x80004005, E_FAIL


@dataclass
class Answer:
    """One online device's answer, in latency order."""

    resource_id: int
    name: str
    at: float
    """Seconds after submission, already divided by the emulator's speed."""
    status: DeviceStatus = DeviceStatus.PENDING
    error: str | None = None
    rows_json: bytes = b""
    """The device's rows as JSON objects joined by commas (no brackets); once the answer is a
    collection-result entry, empty: ``rows_json_of`` slices them out of the entry (one copy kept)."""
    entry: int = -1
    """Where its collection-result entry is in the operation's fragments (-1: none), and the offset
    of its rows in it."""
    offset: int = 0


class EmulatedOperation:
    """One CMPivot operation: ``kind`` "device" (``key`` a ResourceId) or "collection" (a CollectionID)."""

    def __init__(self, operation_id: int, kind: str, key: int | str, query: Query, targets: list[Target],
                 backend: TableBackend, speed: float, now: dt.datetime, created_by: str) -> None:
        self.id, self.kind, self.key, self.query = operation_id, kind, key, query
        self.backend, self.speed, self.now, self.created_by = backend, speed, now, created_by
        self.created = time.monotonic()
        site = backend.device_facts
        ids = [t.resource_id for t in targets]
        offline: Any = site.is_offline(ids) if ids else []
        latency: Any = site.latency_seconds(ids) if ids else []
        self.total = len(targets)
        self.offline = [t for t, off in zip(targets, offline, strict=True) if off]
        online = sorted(((float(lat), t) for t, lat, off in zip(targets, latency, offline, strict=True) if not off),
                        key=lambda x: (x[0], x[1].resource_id))
        self.answers = [Answer(t.resource_id, t.name, lat / speed) for lat, t in online]
        self.position = {a.resource_id: i for i, a in enumerate(self.answers)}
        self._ats = [a.at for a in self.answers]
        self._lock = threading.Lock()
        self._ready = 0
        self._completed = [0]  # cumulative counts over the first k answers
        self._failed = [0]
        self._fragments: list[bytes] = []  # completed answers as collection-result entries, in order
        self.cancelled_at: float | None = None
        self._frozen: int | None = None
        self.compute_error: str | None = None
        self._thread = threading.Thread(target=self._compute, name=f"cmpivot-op-{operation_id}", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------------------ state

    def elapsed(self) -> float:
        return time.monotonic() - self.created

    def _answered(self) -> int:
        """How many answers (in latency order) the site has right now."""
        if self._frozen is not None:
            return self._frozen
        with self._lock:
            ready = self._ready
        return min(ready, bisect.bisect_right(self._ats, self.elapsed()))

    def cancel(self) -> None:
        """Stop the operation: the answers the site has stay; no device answers after this."""
        if self.cancelled_at is None:
            self._frozen = self._answered()
            self.cancelled_at = self.elapsed()

    def counts(self) -> tuple[int, int, int]:
        """(completed, failed, answered) right now."""
        k = self._answered()
        return self._completed[k], self._failed[k], k

    def finished(self) -> bool:
        completed, failed, _ = self.counts()
        return completed + failed + len(self.offline) >= self.total

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Block until every answer is computed (for tests and benchmarks)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # -------------------------------------------------------------------------- responses

    def status_row(self) -> dict[str, Any]:
        """The operation's ``SMS_ClientOperationStatus`` instance."""
        completed, failed, _ = self.counts()
        state = STATE_CANCELLED if self.cancelled_at is not None else \
            STATE_COMPLETED if completed + failed + len(self.offline) >= self.total else STATE_ACTIVE
        return {
            "ID": self.id, "Type": CMPIVOT_OPERATION_TYPE,
            "CollectionID": self.key if self.kind == "collection" else "",
            "TotalClients": self.total, "CompletedClients": completed, "FailedClients": failed,
            "OfflineClients": len(self.offline), "UnknownClients": 0, "State": state, "IsExpired": False,
            "RequestedTime": iso(self.now), "LastSummaryTime": iso(self.now + dt.timedelta(seconds=self.elapsed())),
            "CreatedBy": self.created_by,
        }

    def collection_result(self, context: str) -> list[bytes] | None:
        """``{"value": [{"DeviceName", "ResourceId", "Result": [rows]}, ...]}`` in pieces (never joined:
        at 150,000 devices it is gigabytes), or None (404) before any device has answered."""
        completed, _, _ = self.counts()
        if completed == 0:
            return None
        with self._lock:
            fragments = self._fragments[:completed]
        parts = [b'{"@odata.context":' + json.dumps(context).encode() + b',"value":[']
        for i, fragment in enumerate(fragments):
            parts.extend((b",", fragment) if i else (fragment,))  # no copy of the fragment itself
        parts.append(b"]}")
        return parts

    def device_result(self, resource_id: int, context: str) -> bytes | None:
        """``{"value": {"Result": [rows]}}`` for one device, or None (404) until it has answered."""
        pos = self.position.get(resource_id)
        if pos is None or pos >= self._answered():
            return None
        answer = self.answers[pos]
        if answer.status not in (DeviceStatus.COMPLETED, DeviceStatus.TRUNCATED):
            return None
        return (b'{"@odata.context":' + json.dumps(context).encode() + b',"value":{"Result":['
                + self.rows_json_of(answer) + b"]}}")

    def rows_json_of(self, answer: Answer) -> bytes:
        """An answer's rows as ``Answer.rows_json`` says, wherever they are kept."""
        if answer.entry < 0:
            return answer.rows_json
        with self._lock:
            return self._fragments[answer.entry][answer.offset : -2]

    def script_status_rows(self) -> list[dict[str, Any]]:
        """``SMS_CMPivotStatus`` instances of the devices that answered (``ScriptOutput`` filled by
        ``script_output`` only for the rows a request keeps)."""
        k = self._answered()
        rows = []
        for a in self.answers[:k]:
            failed = a.status == DeviceStatus.FAILED
            rows.append({"ClientOperationId": self.id, "ResourceID": a.resource_id, "DeviceName": a.name,
                         "ScriptExitCode": FAILED_EXIT_CODE if failed else 0, "ScriptOutput": None,
                         "LastUpdateTime": iso(self.now + dt.timedelta(seconds=a.at))})
        return rows

    def script_output(self, resource_id: int) -> str:
        """A device's raw result as the client reports it: ``<result ResultCode="0"><e …/></result>``."""
        from xml.sax.saxutils import quoteattr

        a = self.answers[self.position[resource_id]]
        if a.status == DeviceStatus.FAILED:
            return f'<result ResultCode="0x80004005" Error={quoteattr(a.error or "")}/>'
        rows = json.loads(b"[" + self.rows_json_of(a) + b"]")
        items = "".join(f'<e _i="{i}" ' + " ".join(f"{k}={quoteattr('' if v is None else str(v))}" for k, v in row.items())
                        + "/>" for i, row in enumerate(rows))
        return f'<result ResultCode="0">{items}</result>'

    # ---------------------------------------------------------------------------- compute

    def _compute(self) -> None:
        try:
            start, size = 0, 32
            while start < len(self.answers):
                if self.cancelled_at is not None:
                    return
                chunk = self.answers[start : start + size]
                self._answer_chunk(chunk)
                with self._lock:
                    for a in chunk:
                        done = a.status in (DeviceStatus.COMPLETED, DeviceStatus.TRUNCATED)
                        self._completed.append(self._completed[-1] + done)
                        self._failed.append(self._failed[-1] + (a.status == DeviceStatus.FAILED))
                        if done:
                            head = (b'{"DeviceName":' + json.dumps(a.name).encode() + b',"ResourceId":'
                                    + str(a.resource_id).encode() + b',"Result":[')
                            a.entry, a.offset = len(self._fragments), len(head)
                            self._fragments.append(head + a.rows_json + b"]}")
                            a.rows_json = b""  # the entry holds them: one copy (GBs at 150,000 devices)
                    self._ready += len(chunk)
                start += len(chunk)
                size = min(size * 2, 2048)
        except Exception as err:  # a broken operation must not kill the server; the status shows it
            self.compute_error = f"{type(err).__name__}: {err}"

    def _answer_chunk(self, chunk: list[Answer]) -> None:
        targets = tuple(Target(a.name, a.resource_id) for a in chunk)
        request = DeviceRequest(self.query, targets, timeout=1e12, now=self.now)
        replies = {r.resource_id: r for r in self.backend.submit(request).replies()}
        frames: list[pl.DataFrame] = []
        for a in chunk:
            reply = replies.get(a.resource_id)
            if reply is None or reply.status in (DeviceStatus.OFFLINE, DeviceStatus.PENDING):
                a.status, a.error = DeviceStatus.FAILED, "the device did not run the query"
                continue
            a.status, a.error = reply.status, reply.error
            if reply.status != DeviceStatus.FAILED and reply.rows is not None:
                frames.append(self._whole_text_rows(reply) if self.query.plan.global_part else reply.rows)
        plan = self.query.plan
        dynamic = {n for n, t in (*plan.schema.columns, *plan.device_schema.columns) if t == ScalarType.DYNAMIC}
        rows = [f for f in frames if f.height]
        encoded = encode_by_device(device_first(pl.concat(rows, how="vertical_relaxed")), dynamic) if rows else {}
        for a in chunk:
            a.rows_json = encoded.get(a.name, b"")

    def _whole_text_rows(self, reply: DeviceReply) -> pl.DataFrame:
        """A device's rows of a text with a global part: that part over this device's rows alone,
        as a client runs whatever text it is sent (one evaluation per device: slow, and only for
        clients that send the whole query)."""
        out = engine.run_global_part(self.query.plan, [] if reply.rows is None else [reply.rows], now=self.now)
        if DEVICE not in out.columns and HIDDEN_DEVICE not in out.columns:
            out = out.with_columns(pl.lit(reply.device, dtype=pl.String).alias(DEVICE))
        return out


def encode_by_device(frame: pl.DataFrame, dynamic: set[str] | frozenset[str] = frozenset()) -> dict[str, bytes]:
    """Each device's rows as JSON objects joined by commas (no brackets): datetimes ``…Z``,
    timespans as .NET ``[-][d.]hh:mm:ss[.fffffff]``, dynamic values embedded as JSON."""
    plain = jsonable(frame)
    embedded = dynamic & set(frame.columns)
    if embedded:  # rare: dynamic values are JSON text in the engine, embedded as JSON here
        out: dict[str, list[str]] = {}
        for row in plain.to_dicts():
            out.setdefault(str(row[DEVICE]), []).append(
                json.dumps(_plain_row(row, embedded), separators=(",", ":"), default=str))
        return {k: ",".join(v).encode() for k, v in out.items()}
    encoded = (plain.select(pl.col(DEVICE).alias("__key__"), pl.struct(plain.columns).struct.json_encode().alias("j"))
               .group_by("__key__", maintain_order=True).agg(pl.col("j").str.join(",")))
    return {str(k): str(v).encode() for k, v in encoded.iter_rows()}


def encode_rows(frames: list[pl.DataFrame | None], dynamic: set[str] | frozenset[str] = frozenset()) -> list[bytes]:
    """Each frame's rows (one device each, ``Device`` included) as ``encode_by_device`` writes them."""
    out = []
    for f in frames:
        out.append(b"" if f is None or f.height == 0 else b",".join(encode_by_device(f, dynamic).values()))
    return out


def jsonable(frame: pl.DataFrame) -> pl.DataFrame:
    """Datetimes and durations as the AdminService's strings; everything else JSON already."""
    casts = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Datetime):
            col = pl.col(name) if dtype.time_zone else pl.col(name).dt.replace_time_zone("UTC")
            casts.append(col.dt.convert_time_zone("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S%.fZ").alias(name))
        elif isinstance(dtype, pl.Duration):
            casts.append(net_timespan(pl.col(name)).alias(name))
    return frame.with_columns(casts) if casts else frame


def net_timespan(expr: pl.Expr) -> pl.Expr:
    """A duration as .NET writes a TimeSpan: ``1.02:03:04.5000000``, ``-00:00:01``."""
    ns = expr.dt.total_nanoseconds()
    a = ns.abs()
    days = a // 86_400_000_000_000
    rest = a % 86_400_000_000_000
    h, m = rest // 3_600_000_000_000, (rest // 60_000_000_000) % 60
    s, ticks = (rest // 1_000_000_000) % 60, (rest % 1_000_000_000) // 100
    two = lambda e: e.cast(pl.String).str.zfill(2)  # noqa: E731
    text = pl.concat_str([
        pl.when(ns < 0).then(pl.lit("-")).otherwise(pl.lit("")),
        pl.when(days > 0).then(days.cast(pl.String) + ".").otherwise(pl.lit("")),
        two(h), pl.lit(":"), two(m), pl.lit(":"), two(s),
        pl.when(ticks > 0).then(pl.lit(".") + ticks.cast(pl.String).str.zfill(7)).otherwise(pl.lit("")),
    ])
    return pl.when(ns.is_null()).then(pl.lit(None, dtype=pl.String)).otherwise(text)


def _plain_row(row: dict[str, Any], dynamic: set[str] | frozenset[str]) -> dict[str, Any]:
    return {k: json.loads(v) if k in dynamic and isinstance(v, str) else v for k, v in row.items()}


__all__ = ["EmulatedOperation", "device_first", "encode_by_device", "encode_rows", "jsonable", "net_timespan"]
