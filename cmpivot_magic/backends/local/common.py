"""What every ``local://`` collector shares: the request it answers and the table it builds.

A collector is a function ``Request -> list[dict]``: one dict per row, keyed by catalog column
names, holding plain Python values (str, int, bool, aware ``datetime``, ``timedelta``) or None.
``frame`` turns those rows into the entity's table exactly as the catalog declares it — ``Device``
first, every column in catalog order, catalog types as polars dtypes — so no collector has to
think about schemas, and a column a collector does not know is simply null.

Collectors look at ``Request.wants`` before doing expensive work (reading every process's command
line, hashing files), since the query's column list is known before anything is collected.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import polars as pl

from cmpivot_magic.backends.base import EntityUnavailable
from cmpivot_magic.catalog import Entity
from cmpivot_magic.language.types import ScalarType

Row = dict[str, Any]
T = TypeVar("T")
Collector = Callable[["Request"], list[Row]]

_DTYPES: dict[ScalarType, pl.DataType] = {
    ScalarType.STRING: pl.String(),
    ScalarType.LONG: pl.Int64(),
    ScalarType.BOOL: pl.Boolean(),
    ScalarType.DATETIME: pl.Datetime("us", "UTC"),
    ScalarType.TIMESPAN: pl.Duration("us"),
}


@dataclass(frozen=True)
class Request:
    """One entity call to answer on this machine: ``EventLog('System', 1h)`` with its columns."""

    entity: Entity
    args: tuple[object, ...]
    now: dt.datetime
    device: str
    wanted: frozenset[str] | None = None
    """Catalog column names the query reads; None means all of them."""

    def wants(self, *names: str) -> bool:
        """True if the query reads any of these columns (always true when no list was given)."""
        return self.wanted is None or any(name in self.wanted for name in names)

    def arg(self, index: int) -> object:
        """Argument ``index``, or the parameter's catalog default when the call left it out."""
        if index < len(self.args) and self.args[index] is not None:
            return self.args[index]
        parameters = self.entity.parameters
        return parameters[index].default if index < len(parameters) else None

    def text_arg(self, index: int) -> str:
        value = self.arg(index)
        if not isinstance(value, str) or not value:
            raise EntityUnavailable(
                f"{self.entity.signature}: argument {index + 1} must be a non-empty string"
            )
        return value

    def span(self, index: int) -> dt.timedelta:
        """A timespan argument; plain numbers are seconds, as the site sends them to clients."""
        value = self.arg(index)
        if isinstance(value, dt.timedelta):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return dt.timedelta(seconds=value)
        return dt.timedelta(days=1)

    @property
    def now_utc(self) -> dt.datetime:
        return self.now.replace(tzinfo=dt.UTC) if self.now.tzinfo is None else self.now.astimezone(dt.UTC)


def wanted_columns(entity: Entity, columns: Sequence[str] | None) -> frozenset[str] | None:
    """The catalog spelling of the columns a query reads (names are case-insensitive)."""
    if columns is None:
        return None
    found = (entity.column(name) for name in columns)
    return frozenset(column.name for column in found if column is not None)


def frame(entity: Entity, device: str, rows: Sequence[Row]) -> pl.DataFrame:
    """The entity's table from collected rows: Device first, catalog columns, order and dtypes."""
    series = []
    for column in entity.columns:
        dtype = _DTYPES[column.type]
        if column.name == "Device":
            values: list[Any] = [device] * len(rows)
        else:
            values = [_clean(row.get(column.name), column.type) for row in rows]
        series.append(pl.Series(column.name, values, dtype=dtype, strict=False))
    return pl.DataFrame(series)


def _clean(value: Any, scalar: ScalarType) -> Any:
    """Values as polars reads them for the column type; wrong kinds become null, not errors."""
    if value is None:
        return None
    if scalar == ScalarType.DATETIME:
        if not isinstance(value, dt.datetime):
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    if scalar == ScalarType.STRING:
        return value if isinstance(value, str) else str(value)
    if scalar == ScalarType.LONG:
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                return None
        return None
    if scalar == ScalarType.BOOL:
        return value if isinstance(value, bool) else None
    return value


def from_timestamp(seconds: float | None) -> dt.datetime | None:
    """A POSIX timestamp as an aware UTC datetime (None stays None; nonsense becomes None)."""
    if seconds is None or seconds <= 0:
        return None
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def read_text(path: str) -> str | None:
    """A small text file's content, or None if it is missing or unreadable (never raises)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def read_line(path: str) -> str | None:
    """The stripped first line of a sysfs-style one-value file; None when missing, unreadable or empty."""
    text = read_text(path)
    if text is None:
        return None
    value = text.strip()
    return value or None


def run(command: Sequence[str], timeout: float = 10.0, env: dict[str, str] | None = None) -> str | None:
    """A command's standard output, or None when the program is missing, fails or hangs."""
    try:
        completed = subprocess.run(
            list(command),
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            env=_command_env(env),
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    return completed.stdout


def run_together(commands: Sequence[Sequence[str]], timeout: float = 10.0) -> list[str | None]:
    """Several commands run at once (``run``'s contract for each): their latencies overlap."""
    started: list[subprocess.Popen[str] | None] = []
    for command in commands:
        try:
            started.append(
                subprocess.Popen(
                    list(command),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    text=True,
                    errors="replace",
                    env=_command_env(None),
                )
            )
        except OSError:
            started.append(None)
    outputs: list[str | None] = []
    for proc in started:
        if proc is None:
            outputs.append(None)
            continue
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            outputs.append(None)
            continue
        outputs.append(out if proc.returncode == 0 else None)
    return outputs


def _command_env(extra: dict[str, str] | None) -> dict[str, str]:
    # C locale: tools print the English words and dates the parsers expect
    return {**os.environ, "LC_ALL": "C", "SYSTEMD_COLORS": "0", "SYSTEMD_PAGER": "", **(extra or {})}


def mebibytes(value: int | None) -> int | None:
    return None if value is None else value >> 20


def kibibytes(value: int | None) -> int | None:
    return None if value is None else value >> 10


def joined(values: Sequence[str]) -> str | None:
    """Several values in one cell, as the client script joins DNS servers: ``a; b``."""
    return "; ".join(values) if values else None


def qualified_user(device: str, user: str | None) -> str | None:
    """A local account as Windows names it (``DEVICE\\user``), so queries read alike everywhere."""
    if not user:
        return None
    return user if "\\" in user else f"{device}\\{user}"


def within(seconds: float, work: Callable[[], T], default: T) -> T:
    """``work()``, or ``default`` if it takes longer than ``seconds`` (a hung NFS mount, slow DNS).

    The work runs on a daemon thread, so an answer that never comes cannot block the kernel's exit.
    """
    result: list[T] = []

    def target() -> None:
        # the caller wants the default for any failure, not a traceback
        with contextlib.suppress(Exception):
            result.append(work())

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    return result[0] if result else default
