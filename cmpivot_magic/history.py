"""Persisted operations: every query's target, status and rows, stored as they stream in.

A SQLite index (WAL mode, so concurrent kernels can write) records each operation and each
device's final reply; the rows themselves are Parquet files, one per batch of replies, written to
a temporary name and renamed into place, so a crash mid-write leaves no half file behind — only
replies whose rows file is complete are ever indexed. The store lives in the user's data
directory; ``CMPIVOT_MAGIC_HISTORY_DIR`` moves it, and ``CMPIVOT_MAGIC_HISTORY_DIR=off`` turns it
off.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import pandas as pd
import polars as pl

from .backends.base import ANSWERED, DeviceReply, DeviceStatus, Target
from .backends.tables import split_by_device
from .engine.frames import concat_rows
from .errors import CMPivotError

ENV = "CMPIVOT_MAGIC_HISTORY_DIR"


class Default(Enum):
    """The type of ``DEFAULT_HISTORY``."""

    HISTORY = "default"

    def __repr__(self) -> str:
        return "DEFAULT_HISTORY"


DEFAULT_HISTORY = Default.HISTORY
"""``history=DEFAULT_HISTORY`` (or the string ``"default"``): the store in the user data folder, or
``$CMPIVOT_MAGIC_HISTORY_DIR``, opened when first needed (``open_default``)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS operations (
    operation_id INTEGER PRIMARY KEY,
    connection   TEXT NOT NULL,
    query        TEXT NOT NULL,
    targets      TEXT NOT NULL,        -- JSON [[name, resource_id], ...]
    collection   TEXT,                 -- the collection targeted; NULL: devices picked by name
    started      TEXT NOT NULL,
    now          TEXT NOT NULL,        -- the query's clock reading (ago/now)
    timeout      REAL NOT NULL,
    finished     TEXT,
    summary      TEXT
);
CREATE TABLE IF NOT EXISTS replies (
    operation_id INTEGER NOT NULL,
    resource_id  INTEGER NOT NULL,
    device       TEXT NOT NULL,
    status       TEXT NOT NULL,
    row_count    INTEGER NOT NULL,
    error        TEXT,
    elapsed      REAL,
    rows_file    TEXT,                 -- Parquet file holding this device's rows (shared per batch)
    PRIMARY KEY (operation_id, resource_id)
);
-- "answered" counts in the history list read this index alone: 0.16 s an operation of 150,000
-- devices without it, 6 ms with it
CREATE INDEX IF NOT EXISTS replies_status ON replies (operation_id, status);
CREATE TABLE IF NOT EXISTS actions (  -- every write: a collection, a favorite, a script run
    action_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    connection   TEXT NOT NULL,
    user         TEXT NOT NULL,        -- as whom
    action       TEXT NOT NULL,        -- create collection, save favorite, run script, ...
    what         TEXT NOT NULL,        -- the collection, favorite or script it acted on
    devices      TEXT NOT NULL,        -- JSON [[name, resource_id], ...] (empty for favorites)
    operation_id INTEGER,              -- a script run's operation (its replies are in replies)
    detail       TEXT                  -- JSON: what resuming or auditing needs
);
"""

_ANSWERED_SQL = ", ".join(f"'{s.value}'" for s in sorted(ANSWERED))


def default_root() -> Path | None:
    """Where history lives: ``$CMPIVOT_MAGIC_HISTORY_DIR``, else the platform's user data folder."""
    override = os.environ.get(ENV)
    if override is not None:
        return None if override.strip().lower() in ("", "off", "none", "0") else Path(override).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "cmpivot-magic" / "history"


@dataclass(frozen=True)
class StoredOperation:
    operation_id: int
    connection: str
    query: str
    targets: tuple[Target, ...]
    collection: str | None
    now: dt.datetime
    timeout: float
    finished: bool


class HistoryStore:
    """The operations kept under one folder: ``index.sqlite`` and ``rows/<operation id>/*.parquet``.

    A session writes through it as replies stream in (``start``, ``add_replies``, ``finish``);
    ``operations()`` lists them (what ``%cmpivot history`` shows), and ``operation()`` and
    ``replies()`` give back what ``Session.resume`` needs. Several kernels may share one folder."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        (self.root / "rows").mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.root / "index.sqlite", timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA busy_timeout=30000")
            yield db
        finally:
            db.close()

    # ------------------------------------------------------------------ writing

    def start(self, operation_id: int, connection: str, query: str, targets: Iterable[Target],
              collection: str | None, now: dt.datetime, timeout: float) -> None:
        with self._db() as db:
            db.execute(
                "INSERT OR IGNORE INTO operations (operation_id, connection, query, targets, collection, started, "
                "now, timeout) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (operation_id, connection, query, json.dumps([[t.name, t.resource_id] for t in targets]),
                 collection, dt.datetime.now(dt.UTC).isoformat(), now.isoformat(), timeout),
            )

    def add_replies(self, operation_id: int, replies: Iterable[DeviceReply]) -> None:
        """Store final replies: their rows first (atomically), then the index rows that point at them."""
        final = [r for r in replies if r.status != DeviceStatus.PENDING]
        if not final:
            return
        counts = [0 if r.rows is None else r.rows.height for r in final]
        frames = [r.rows for r, n in zip(final, counts, strict=True) if n and r.rows is not None]
        rows_file = None
        if frames:
            folder = self.root / "rows" / str(operation_id)
            folder.mkdir(parents=True, exist_ok=True)
            name = f"{uuid.uuid4().hex}.parquet"
            tmp = folder / f".{name}.tmp"
            concat_rows(frames).write_parquet(tmp, compression="lz4")
            os.replace(tmp, folder / name)  # atomic: readers see the whole file or none
            rows_file = f"{operation_id}/{name}"
        with self._db() as db:
            # one transaction per batch: in autocommit mode every row is its own commit (and sync),
            # 150 µs a device — the largest cost of a 15,000-device query before
            db.execute("BEGIN")
            db.executemany(
                "INSERT OR IGNORE INTO replies VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(operation_id, r.resource_id, r.device, r.status.value, n, r.error, r.elapsed, rows_file if n else None)
                 for r, n in zip(final, counts, strict=True)],
            )
            db.execute("COMMIT")

    def finish(self, operation_id: int, summary: str) -> None:
        with self._db() as db:
            db.execute("UPDATE operations SET finished = ?, summary = ? WHERE operation_id = ?",
                       (dt.datetime.now(dt.UTC).isoformat(), summary, operation_id))

    def record_action(self, connection: str, user: str, action: str, what: str, devices: Iterable[Target] = (),
                      operation_id: int | None = None, detail: dict[str, object] | None = None) -> None:
        """Keep one write (what, on which devices, when, as whom)."""
        with self._db() as db:
            db.execute("INSERT INTO actions (at, connection, user, action, what, devices, operation_id, detail) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (dt.datetime.now(dt.UTC).isoformat(), connection, user, action, what,
                        json.dumps([[t.name, t.resource_id] for t in devices]), operation_id,
                        json.dumps(detail or {})))

    def actions(self, limit: int | None = None) -> pd.DataFrame:
        """The writes kept, newest first: At, Connection, User, Action, What, Devices, OperationId."""
        sql = ("SELECT at AS At, connection AS Connection, user AS User, action AS Action, what AS What, "
               "json_array_length(devices) AS Devices, operation_id AS OperationId FROM actions "
               "ORDER BY action_id DESC")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._db() as db:
            return pd.read_sql_query(sql, db)

    def action_of(self, operation_id: int) -> tuple[str, str, tuple[Target, ...], dict[str, object]]:
        """(connection, what, devices, detail) of the write that started operation ``operation_id``."""
        with self._db() as db:
            row = db.execute("SELECT connection, what, devices, detail FROM actions WHERE operation_id = ? "
                             "ORDER BY action_id DESC", (operation_id,)).fetchone()
        if row is None:
            raise CMPivotError(f"no action with operation {operation_id} in the history at {self.root}",
                               hint="%cmpivot history lists the stored actions")
        return row[0], row[1], tuple(Target(n, int(r)) for n, r in json.loads(row[2])), json.loads(row[3] or "{}")

    # ------------------------------------------------------------------ reading

    def operations(self, limit: int | None = None) -> pd.DataFrame:
        """Past operations, newest first."""
        sql = ("SELECT o.operation_id AS OperationId, o.started AS Started, o.connection AS Connection, "
               "o.query AS Query, json_array_length(o.targets) AS Targeted, "
               "(SELECT COUNT(*) FROM replies r WHERE r.operation_id = o.operation_id AND r.status IN "
               f"({_ANSWERED_SQL})) AS Answered, o.summary AS Summary "
               "FROM operations o ORDER BY o.started DESC, o.operation_id DESC")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._db() as db:
            return pd.read_sql_query(sql, db)

    def operation(self, operation_id: int) -> StoredOperation:
        with self._db() as db:
            row = db.execute("SELECT operation_id, connection, query, targets, collection, now, timeout, finished "
                             "FROM operations WHERE operation_id = ?", (operation_id,)).fetchone()
        if row is None:
            raise CMPivotError(f"no operation {operation_id} in the history at {self.root}",
                               hint="%cmpivot history lists the stored operations")
        op, conn, query, targets, collection, now, timeout, finished = row
        return StoredOperation(int(op), conn, query, tuple(Target(n, int(r)) for n, r in json.loads(targets)),
                               collection, dt.datetime.fromisoformat(now), float(timeout), finished is not None)

    def rows_files(self, operation_id: int) -> list[Path]:
        """The Parquet files holding an operation's rows (each indexed, so each complete)."""
        with self._db() as db:
            found = db.execute("SELECT rows_file FROM replies WHERE operation_id = ? AND rows_file IS NOT NULL "
                               "GROUP BY rows_file ORDER BY MIN(rowid)", (operation_id,)).fetchall()
        return [self.root / "rows" / f for (f,) in found]  # in the order they were written

    def replies(self, operation_id: int) -> dict[int, DeviceReply]:
        """The stored final replies of an operation, rows included."""
        with self._db() as db:
            rows = db.execute("SELECT resource_id, device, status, row_count, error, elapsed, rows_file "
                              "FROM replies WHERE operation_id = ?", (operation_id,)).fetchall()
        # each file is read and split by device once (zero-copy slices), not filtered once per
        # device: that was quadratic, minutes for a resume at 150,000 devices
        files: dict[str, dict[str, pl.DataFrame]] = {}
        out: dict[int, DeviceReply] = {}
        for rid, device, status, count, error, elapsed, rows_file in rows:
            frame = None
            if rows_file:
                if rows_file not in files:
                    batch = pl.read_parquet(self.root / "rows" / rows_file)
                    device_col = "Device" if "Device" in batch.columns else "__device__"
                    files[rows_file] = split_by_device(batch, device_col)
                frame = files[rows_file].get(device)
                if frame is None or frame.height != count:
                    raise CMPivotError(f"history for operation {operation_id} is inconsistent for {device}")
            out[int(rid)] = DeviceReply(device, int(rid), DeviceStatus(status), frame, error, elapsed)
        return out


def open_default() -> HistoryStore | None:
    """The default store (see ``default_root``), or None when history is turned off."""
    root = default_root()
    return None if root is None else HistoryStore(root)


def history_option(history: HistoryStore | Default | str | Path | None) -> HistoryStore | Default | None:
    """A ``history=`` argument as a session keeps it: ``DEFAULT_HISTORY`` (also for the string
    ``"default"``) until first used, None for no history, else a store (a path opens one)."""
    if history is None or isinstance(history, HistoryStore | Default):
        return history
    if isinstance(history, str) and history == "default":
        return DEFAULT_HISTORY
    return HistoryStore(Path(history))
