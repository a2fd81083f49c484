"""The backend protocol: how a query's device part reaches devices and their answers come back.

A backend knows a site's devices and collections, resolves a target to devices, and submits a
``DeviceRequest``; the returned ``BackendOperation`` hands over ``DeviceReply`` objects as devices
answer. Every targeted device ends with exactly one final reply — Completed, Truncated, Failed or
Offline — so no device ever goes missing from a result without a status saying why.

Backends that hold or collect entity tables themselves (``demo://``, ``local://``) implement the
``TableSource`` protocol instead and share ``localeval.LocalBackend``, which evaluates the device
part exactly as a ConfigMgr client would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

import pandas as pd
import polars as pl

if TYPE_CHECKING:
    from ..catalog import Entity
    from ..query import Query

MAX_RESULT_BYTES = 128_000
"""A ConfigMgr client returns at most this much result data per query (``maxResultSize``)."""


class DeviceStatus(StrEnum):
    COMPLETED = "Completed"
    FAILED = "Failed"
    OFFLINE = "Offline"
    PENDING = "Pending"
    TRUNCATED = "Truncated"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Target:
    """A device a query is sent to."""

    name: str
    resource_id: int


@dataclass(frozen=True)
class DeviceReply:
    """One device's answer: its rows of the device part (Device column first), or why none."""

    device: str
    resource_id: int
    status: DeviceStatus
    rows: pl.DataFrame | None = None
    error: str | None = None
    elapsed: float | None = None
    """Seconds from submission to this answer."""


@dataclass(frozen=True)
class DeviceRequest:
    """What a backend sends: the query (its device part is ``query.device_query``) and where."""

    query: Query
    targets: tuple[Target, ...]
    timeout: float
    now: dt.datetime


class BackendOperation(Protocol):
    operation_id: int

    def poll(self, wait: float) -> list[DeviceReply]:
        """Replies that arrived since the last poll, waiting up to ``wait`` seconds for one."""
        ...

    def done(self) -> bool:
        """True once every target has a final reply."""
        ...

    def cancel(self) -> None:
        """Stop collecting; devices without a final reply stay Pending."""
        ...


class Backend(Protocol):
    url: str
    profile: str

    def devices(self) -> pd.DataFrame: ...

    def collections(self) -> pd.DataFrame: ...

    def resolve(self, devices: Sequence[str] | None, collection: str | None) -> tuple[Target, ...]: ...

    def submit(self, request: DeviceRequest) -> BackendOperation: ...


def resolve_device_names(names: Sequence[str], devices: pd.DataFrame, where: str) -> tuple[Target, ...]:
    """Targets for device names (any case) from a frame with Name and ResourceId columns; an
    unknown name is an error that suggests the closest ones. Duplicates are dropped, order kept."""
    import difflib

    from ..errors import CMPivotError

    by_lower = {str(n).lower(): (str(n), int(r)) for n, r in zip(devices["Name"], devices["ResourceId"], strict=True)}
    targets = []
    for name in names:
        hit = by_lower.get(str(name).lower())
        if hit is None:
            close = difflib.get_close_matches(str(name).lower(), list(by_lower), n=3)
            hint = (f"did you mean {', '.join(by_lower[c][0] for c in close)}?" if close
                    else "session.devices() lists the devices you can see")
            raise CMPivotError(f"no device named '{name}' on {where}", hint=hint)
        targets.append(Target(*hit))
    return tuple(dict.fromkeys(targets))


class EntityUnavailable(Exception):
    """An entity this source cannot answer (Registry on Linux, CcmLog without a ConfigMgr client):
    the device's reply becomes Failed with this message, never an exception in the user's cell."""


class TableSource(Protocol):
    """Entity rows for a set of devices: what the demo site and this machine provide."""

    def table(self, entity: Entity, args: tuple[object, ...], resource_ids: Sequence[int],
              now: dt.datetime, columns: Sequence[str] | None = None) -> pl.DataFrame:
        """Rows of ``entity`` for those devices: ``Device`` first, the catalog's columns and types.

        ``columns`` (when given) lists the columns the query reads; a source may skip collecting
        the others and fill them with nulls. Raise ``EntityUnavailable`` when the entity has no
        equivalent here.
        """
        ...
