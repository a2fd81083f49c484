"""The backend contract: how a query's device part reaches devices and their answers come back.

Everything a backend must offer is declared here, so a new backend is written against this file
alone. The session resolves a target to ``Target`` devices (``Backend.resolve``; the rules for
devices and collections are in ``targets.py``), builds a ``DeviceRequest`` and hands it to
``Backend.submit``; the returned ``BackendOperation`` hands over ``DeviceReply`` objects as devices
answer. ``Backend.resume`` re-attaches to an operation started earlier (after a kernel restart).
Every targeted device ends with exactly one final reply — Completed, Truncated, Failed or Offline —
so no device ever goes missing from a result without a status saying why.

Backends that hold or collect entity tables themselves (``demo://``, ``local://``) implement the
``TableSource`` protocol and share ``tables.TableBackend``, which evaluates the device part over
those tables as a ConfigMgr client would. Operation ids for such backends and the parsing of
``scheme://?key=value`` options live here too, below the session, so no backend imports it.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import polars as pl

from ..errors import CMPivotError

if TYPE_CHECKING:
    from ..catalog import Catalog, Entity
    from ..query import Query

MAX_RESULT_BYTES = 128_000
"""A ConfigMgr client returns at most this much result data per query (``maxResultSize``)."""


class DeviceStatus(StrEnum):
    """Where a device stands in an operation; every status but Pending is final."""

    COMPLETED = "Completed"
    FAILED = "Failed"
    OFFLINE = "Offline"
    PENDING = "Pending"
    TRUNCATED = "Truncated"

    def __str__(self) -> str:
        return self.value


ANSWERED = frozenset({DeviceStatus.COMPLETED, DeviceStatus.TRUNCATED})
"""The statuses of a device that answered with rows: a truncated answer is still an answer (CMPivot's
status bar counts it as completed). Status bars, progress, results and history all count these."""


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
    """What a backend sends: the query (its device part is ``query.device_query``) and where.

    ``collection`` is the collection the targets were resolved from (the default one when no
    devices were named), or None when devices were picked by name; a backend whose site can
    address a collection in one operation sends it by that route."""

    query: Query
    targets: tuple[Target, ...]
    timeout: float
    """Seconds the operation may run, counted from ``now``."""
    now: dt.datetime
    """When the query was first sent: its clock for ``ago()`` and ``now()``, also after a resume."""
    collection: str | None = None


class BackendOperation(Protocol):
    """A query in flight on a backend: the session polls it until ``done()`` or the timeout."""

    operation_id: int
    """The site's id for the operation (history and ``Session.resume`` key results by it)."""

    owns_clock: bool
    """True when the operation applies ``request.timeout`` itself, in its own clock (the demo
    site's simulated seconds): the session then polls until ``done()`` without a deadline of its
    own. False: the session stops polling once the timeout has passed in wall-clock time since
    ``request.now``, and devices that have not answered stay Pending."""

    def poll(self, wait: float) -> list[DeviceReply]:
        """Replies that arrived since the last poll, waiting up to ``wait`` seconds for one."""
        ...

    def done(self) -> bool:
        """True once every target has a final reply (or the operation was cancelled)."""
        ...

    def cancel(self) -> None:
        """Stop collecting; devices without a final reply stay Pending."""
        ...


class Backend(Protocol):
    """A connection's devices and collections, and the way queries reach them."""

    url: str
    """The connection URL, as the session and history show it."""
    profile: str
    """``"onprem"`` or ``"tenant-attach"`` (the Intune admin center's rules)."""

    def devices(self) -> pd.DataFrame:
        """One row per device the user can target, with at least Name and ResourceId."""
        ...

    def collections(self) -> pd.DataFrame:
        """One row per collection, with at least CollectionID, Name and MemberCount."""
        ...

    def resolve(self, devices: Sequence[str] | None, collection: str | None) -> tuple[Target, ...]:
        """The devices a query goes to: ``devices`` by name (any case), or the members of
        ``collection`` (``targets.DEFAULT_COLLECTION`` when neither is given). Raises a
        ``CMPivotError`` for an unknown name or collection, and for the mistakes
        ``targets.check_target_args`` names."""
        ...

    def submit(self, request: DeviceRequest) -> BackendOperation:
        """Send the request's device part to its targets; replies come from the operation."""
        ...

    def resume(self, operation_id: int, request: DeviceRequest, answered: set[int]) -> BackendOperation:
        """Re-attach to operation ``operation_id``, sent earlier with ``request`` (possibly before a
        kernel restart). Devices whose resource ids are in ``answered`` already have a stored final
        reply; the operation need not deliver them again (the session keeps one reply per device).
        Raises a ``CMPivotError`` when the operation can no longer be reached."""
        ...

    def catalog(self, refresh: bool = False) -> Catalog:
        """The entities this connection's queries may name: the documented ones, plus the site's
        own inventory classes where the site can tell (``refresh`` reads them again). A catalog
        marked ``open_world`` stands in for a site list that could not be read."""
        ...

    def inventory_rows(self, entity: Entity, targets: Sequence[Target], now: dt.datetime) -> pl.DataFrame | None:
        """The rows of inventory entity ``entity`` from those devices' last hardware inventory:
        ``Device`` first, the entity's columns, then ``TimeStamp`` (when each device's rows were
        inventoried, UTC). None when this connection keeps no inventory (local://). Fetched in
        batches, never one request per device."""
        ...


# Backends that run operations themselves number them (a site's SMS Provider numbers real ones).
# The ids must stay unique across processes and kernels, since history and resume key results by
# them: microseconds since the epoch, with the process id in the low digits, increasing in a process.
_last_id = 0
_id_lock = threading.Lock()


def next_operation_id() -> int:
    """A fresh operation id for a backend that numbers its own operations."""
    global _last_id
    with _id_lock:
        candidate = (time.time_ns() // 1000) * 1000 + os.getpid() % 1000
        _last_id = max(candidate, _last_id + 1000)
        return _last_id


def url_options(url: str) -> dict[str, str]:
    """``demo://?devices=500&seed=7`` → ``{'devices': '500', 'seed': '7'}``."""
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


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


# ------------------------------------------------------------------------------- optional capabilities
# Acting on results (site-catalog reference §3-4). A backend offers each by having the methods;
# ``capability`` finds them or says plainly which connections have them.


@dataclass(frozen=True)
class ScriptInfo:
    """One script of a site's library (``SMS_Scripts``)."""

    guid: str
    name: str
    approved: bool
    approval: str
    """"Approved", "Waiting for approval" or "Denied"."""
    parameters: tuple[tuple[str, str, str | None], ...] = ()
    """(name, type, default) of each parameter; a default of None means required."""
    feature: int = 0
    """Non-zero for scripts ConfigMgr runs for a feature (CMPivot's own): never offered to run."""
    description: str = ""


class CollectionWriter(Protocol):
    """A backend that can create device collections with direct membership rules."""

    def create_collection(self, name: str, limit_to: str, comment: str) -> str:
        """Create a device collection; return its CollectionID. A name that exists is a CMPivotError."""
        ...

    def add_members(self, collection_id: str, targets: Sequence[Target]) -> None:
        """Add direct membership rules for ``targets`` (in batches)."""
        ...


class FavoriteSite(Protocol):
    """A backend whose site keeps CMPivot favorites (``SMS_CMPivotFavorite``), shared with the console."""

    def site_favorites(self) -> list[dict[str, object]]:
        """Rows with Id, Name, Query, Owner, Modified."""
        ...

    def save_site_favorite(self, name: str, query: str) -> None: ...

    def delete_site_favorite(self, favorite_id: int) -> None: ...


class ScriptRunner(Protocol):
    """A backend that can list and run the site's approved scripts (Run Script)."""

    def scripts(self) -> list[ScriptInfo]: ...

    def run_script(self, script: ScriptInfo, targets: tuple[Target, ...], parameters: dict[str, str],
                   timeout: float) -> BackendOperation:
        """Start the script on ``targets``; each device's reply has rows Device, ExitCode, Output."""
        ...

    def resume_script(self, operation_id: int, script: ScriptInfo, targets: tuple[Target, ...],
                      parameters: dict[str, str], timeout: float, age: float) -> BackendOperation:
        """Re-attach to a script run started ``age`` seconds ago."""
        ...


APPROVAL_NAMES = {3: "Approved", 0: "Waiting for approval", 1: "Denied"}
"""``SMS_Scripts.ApprovalState`` values."""
SCRIPT_COLUMNS = ("Device", "ExitCode", "Output")


def script_reply(target: Target, exit_code: int, output: str, elapsed: float | None) -> DeviceReply:
    """A device's script result as a reply: one row (Device, ExitCode, Output); Failed on a non-zero exit."""
    rows = pl.DataFrame({"Device": [target.name], "ExitCode": [exit_code], "Output": [output]},
                        schema={"Device": pl.String, "ExitCode": pl.Int64, "Output": pl.String})
    status = DeviceStatus.COMPLETED if exit_code == 0 else DeviceStatus.FAILED
    error = None if exit_code == 0 else f"the script exited with {exit_code}"
    return DeviceReply(target.name, target.resource_id, status, rows, error, elapsed)



CAPABILITIES = {"collections": ("create_collection", "add_members"),
                "favorites": ("site_favorites", "save_site_favorite", "delete_site_favorite"),
                "scripts": ("scripts", "run_script", "resume_script")}


def capability(backend: object, name: str, what: str) -> object:
    """``backend`` when it offers capability ``name`` (a key of ``CAPABILITIES``); else a
    CMPivotError saying that ``what`` is not supported on this kind of connection."""
    if all(callable(getattr(backend, m, None)) for m in CAPABILITIES[name]):
        return backend
    scheme = urlsplit(str(getattr(backend, "url", ""))).scheme or "this connection"
    raise CMPivotError(f"{what} is not supported on {scheme}:// connections",
                       hint="connect to a site (https://<provider>/AdminService) or a demo site (demo://)")
