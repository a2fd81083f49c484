"""``DemoSite``: a realistic, deterministic simulated ConfigMgr site — what ``demo://`` answers from.

The site is a fleet of devices (``fleet.py``: workstations ``WKS-0001``…, servers ``SRV-SQL01``…)
with collections, per-device answer latencies, devices that are offline or fail every query, and
old devices on PowerShell 4.0. ``table(entity, args, resource_ids, now)`` returns any of the 152
catalog entities for any set of devices: rows are generated for the whole site once per
``(entity, args)`` (``generators.py``), cached with datetimes as ages, and ``now`` applied on the
way out — so the same seed gives the same rows whatever subset is asked for and in whatever order.

    site = DemoSite(devices=200, seed=7, offline=0.1, failure=0.02, ps4=0.03)
    site.table(entity("Process"), (), site.devices["ResourceId"], now)
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np
import polars as pl

from ...catalog import Entity, find_entity
from ...language.types import ScalarType

# The gen_* modules, files and registry are imported for what they register as they load: their
# generators (``@generates``) and generic profiles (``profile(...)``). No name is registered twice.
from . import (  # noqa: F401
    files,
    gen_hardware,
    gen_network,
    gen_processes,
    gen_security,
    gen_services,
    gen_software,
    gen_system,
    process_table,
    registry,
)
from . import windows_data as wd
from .fleet import Fleet, build_fleet
from .gen_logs import event_log_error
from .generators import GENERATORS, Registered, Request, RowsOf, empty_rows, finish
from .generic import generic_rows
from .membership import build_collections

Ids = Sequence[int] | np.ndarray | pl.Series
"""Resource ids: a list, an array or a polars Series (``site.devices["ResourceId"]``)."""

_NOT_RECOGNISED = ("The term '{}' is not recognized as the name of a cmdlet, function, script file, or operable "
                   "program. Check the spelling of the name, or if a path was included, verify that the path is "
                   "correct and try again.")
# What the client script runs for each PowerShell 5 entity (CMPivot.ps1).
_PS5_COMMANDS = {"administrators": "Get-LocalGroupMember", "connection": "ConvertFrom-String",
                 "ipconfig": "Get-NetIPConfiguration", "smbconfig": "Get-SmbServerConfiguration"}


class DemoSite:
    """A simulated site of ``devices`` devices; fractions ``offline`` (never answer), ``failure``
    (of online devices: fail every query with a client error) and ``ps4`` (PowerShell 4.0, so the
    PowerShell 5 entities fail). ``anchor`` (default: when the site was built; assignable) is the
    "now" of ``devices.LastActiveTime``."""

    cache_size = 48
    """Entity tables kept (whole-site rows of one entity and arguments each)."""

    def __init__(self, devices: int = 200, seed: int = 7, offline: float = 0.1, failure: float = 0.02,
                 ps4: float = 0.03) -> None:
        if devices < 1:
            raise ValueError("a demo site needs at least one device")
        for label, value in (("offline", offline), ("failure", failure), ("ps4", ps4)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{label} is a fraction between 0 and 1, not {value}")
        self.seed, self.offline, self.failure, self.ps4 = seed, offline, failure, ps4
        self.fleet: Fleet = build_fleet(devices, seed, offline, failure, ps4)
        self._anchor = _utc(dt.datetime.now(dt.UTC))
        self._names = pl.Series("Device", self.fleet.name.tolist(), dtype=pl.String)
        self._cache: OrderedDict[tuple[Any, ...], pl.DataFrame] = OrderedDict()
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return (f"DemoSite(devices={self.fleet.n}, seed={self.seed}, offline={self.offline}, "
                f"failure={self.failure}, ps4={self.ps4})")

    # ------------------------------------------------------------------------------- devices

    @property
    def anchor(self) -> dt.datetime:
        return self._anchor

    @anchor.setter
    def anchor(self, when: dt.datetime) -> None:
        self._anchor = _utc(when)
        self.__dict__.pop("devices", None)

    @cached_property
    def devices(self) -> pl.DataFrame:
        """One row per device: Name, ResourceId, Domain, UserName, OS, hardware, client health."""
        f = self.fleet
        anchor_ns = int(self.anchor.timestamp()) * 1_000_000_000
        return pl.DataFrame({
            "Name": self._names,
            "ResourceId": pl.Series(f.rid, dtype=pl.Int64),
            "Domain": np.where(f.domain_joined, wd.NETBIOS_DOMAIN, "WORKGROUP").tolist(),
            "UserName": f.user.tolist(),
            "OSCaption": f.caption.tolist(),
            "OSBuild": np.char.add(np.char.add(f.os_attr("build").astype(str), "."), f.ubr.astype(str)).tolist(),
            "Model": f.model_name.tolist(),
            "Manufacturer": f.manufacturer.tolist(),
            "IsOnline": ~f.offline,
            "PowerShellVersion": self.powershell_version(f.rid).tolist(),
            "ClientVersion": f.client_version.tolist(),
            "LastActiveTime": pl.Series(anchor_ns - f.last_active_age * 1_000_000_000).cast(pl.Datetime("ns", "UTC")),
            "IsServer": f.is_server,
        })

    @cached_property
    def _collections(self) -> tuple[pl.DataFrame, dict[str, np.ndarray]]:
        return build_collections(self.fleet)

    @property
    def collections(self) -> pl.DataFrame:
        """CollectionID, Name, MemberCount, Comment — the built-in ones and the site's own."""
        return self._collections[0]

    def members(self, collection_id: str) -> np.ndarray:
        """Resource ids of a collection's members; ``KeyError`` for an unknown collection."""
        found = self._collections[1].get(collection_id.upper())
        if found is None:
            raise KeyError(collection_id)
        return self.fleet.rid[found]

    def add_collection(self, name: str, comment: str = "") -> str:
        """A new, empty device collection (an admin's "create collection"); its CollectionID."""
        with self._lock:
            frame, members = self._collections
            ours = [int(c[3:], 16) for c in frame.get_column("CollectionID").to_list() if c.startswith("CON")]
            cid = f"CON{max(ours, default=0) + 1:05X}"
            row = pl.DataFrame({"CollectionID": [cid], "Name": [name], "MemberCount": [0], "Comment": [comment]},
                               schema=frame.schema)
            self.__dict__["_collections"] = (pl.concat([frame, row]), {**members, cid: np.zeros(0, dtype=np.int64)})
            return cid

    def add_members(self, collection_id: str, resource_ids: Ids) -> None:
        """Direct membership rules: these devices join the collection."""
        with self._lock:
            frame, members = self._collections
            cid = collection_id.upper()
            joined = np.union1d(members[cid], self.positions(resource_ids)).astype(np.int64)
            counts = frame.with_columns(pl.when(pl.col("CollectionID") == cid).then(pl.lit(len(joined)))
                                        .otherwise(pl.col("MemberCount")).cast(pl.Int64).alias("MemberCount"))
            self.__dict__["_collections"] = (counts, {**members, cid: joined})

    def positions(self, resource_ids: Ids) -> np.ndarray:
        """Device positions of resource ids; ``KeyError`` for one the site doesn't have."""
        ids = np.asarray(resource_ids, dtype=np.int64).ravel()
        pos = np.searchsorted(self.fleet.rid, ids)
        pos = np.minimum(pos, self.fleet.n - 1)
        bad = self.fleet.rid[pos] != ids
        if bad.any():
            raise KeyError(int(ids[np.argmax(bad)]))
        return pos

    # ----------------------------------------------------------------------- device behaviour

    def latency_seconds(self, resource_ids: Ids) -> np.ndarray:
        """Seconds each device takes to answer: mostly 1-5 s, a tail to a minute; fixed per device."""
        return self.fleet.latency[self.positions(resource_ids)]

    @property
    def offline_mask(self) -> np.ndarray:
        """Per device (site order): True for devices that never answer."""
        return self.fleet.offline.copy()

    def is_offline(self, resource_ids: Ids) -> np.ndarray:
        return self.fleet.offline[self.positions(resource_ids)]

    def failure_message(self, resource_id: int) -> str | None:
        """The client error with which this device fails every query, or None."""
        message = self.fleet.failure[self.positions([resource_id])[0]]
        return None if message is None else str(message)

    def powershell_version(self, resource_ids: Ids) -> np.ndarray:
        """'5.1', or '4.0' on the devices still on Windows 8.1 / Server 2012 R2."""
        return np.where(self.fleet.ps4[self.positions(resource_ids)], "4.0", "5.1").astype(object)

    def entity_error(self, entity: Entity, resource_id: int, args: tuple[Any, ...] = ()) -> str | None:
        """The error this device gives for this entity, as the client reports it, or None: the
        device's own failure; a PowerShell 5 cmdlet on PowerShell 4.0; Get-MpComputerStatus where
        Defender is absent; an event log the device doesn't have."""
        pos = self.positions([resource_id])[0]
        own = self.fleet.failure[pos]
        if own is not None:
            return str(own)
        name = entity.name.lower()
        if entity.requires_powershell5 and self.fleet.ps4[pos]:
            return _NOT_RECOGNISED.format(_PS5_COMMANDS.get(name, "Get-LocalGroupMember"))
        if name == "epstatus" and self.fleet.ps4[pos] and self.fleet.is_server[pos]:
            return _NOT_RECOGNISED.format("Get-MpComputerStatus")
        if name == "eventlog":
            log = str(normalise_args(entity, args)[0]) if args else ""
            return event_log_error(self.fleet, pos, log)
        return None

    def entity_errors(self, entity: Entity, resource_ids: Ids, args: tuple[Any, ...] = ()) -> list[str | None]:
        """``entity_error`` for many devices at once, from the fleet's arrays (no per-device calls
        but for EventLog, whose errors depend on the log)."""
        pos = self.positions(resource_ids)
        name = entity.name.lower()
        if name == "eventlog":
            return [self.entity_error(entity, rid, args) for rid in self.fleet.rid[pos].tolist()]
        out = np.full(pos.size, None, dtype=object)
        ps4 = self.fleet.ps4[pos]
        if entity.requires_powershell5:
            out[ps4] = _NOT_RECOGNISED.format(_PS5_COMMANDS.get(name, "Get-LocalGroupMember"))
        elif name == "epstatus":
            out[ps4 & self.fleet.is_server[pos]] = _NOT_RECOGNISED.format("Get-MpComputerStatus")
        own = self.fleet.failure[pos]
        failing = np.array([m is not None for m in own.tolist()], dtype=bool)
        out[failing] = [str(m) for m in own[failing]]
        return list(out.tolist())

    # ---------------------------------------------------------------------------------- tables

    def table(self, entity: Entity, args: tuple[Any, ...], resource_ids: Ids,
              now: dt.datetime, columns: Sequence[str] | None = None) -> pl.DataFrame:
        """Rows of ``entity(args)`` for those devices: ``Device`` first, then the catalog's columns
        in order with the catalog's types (datetimes UTC, to the second)."""
        now = _utc(now)
        normalised = normalise_args(entity, args)
        positions = self.positions(resource_ids)
        everyone = positions.size == self.fleet.n and np.unique(positions).size == self.fleet.n
        rows = self.rows(entity, normalised, now, columns)
        return finish(rows, entity, self._names, now, None if everyone else positions, columns)

    def rows(self, entity: Entity, args: tuple[Any, ...], now: dt.datetime,
             columns: Sequence[str] | None = None) -> pl.DataFrame:
        """The whole site's rows of ``entity(args)`` with datetimes as ages (cached), with at least
        ``columns`` (None = all). A generator that builds by column (Process) is asked only for the
        columns its cached table lacks, and they are added to it."""
        registered = generator_for(entity)
        key: tuple[Any, ...] = (entity.name.lower(), args)
        if registered.uses_now:
            key = (*key, int(_utc(now).timestamp()))
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
            wanted = _wanted(entity, columns) if registered.by_column else None
            if cached is not None and (wanted is None or set(wanted) <= set(cached.columns)):
                return cached
            if cached is not None and wanted is not None:
                wanted = [c for c in wanted if c not in cached.columns]
            request = Request(entity, args, self.fleet, _utc(now), self._rows_of(now), None if wanted is None else tuple(wanted))
            rows = registered.build(request)
            if cached is not None:  # the same rows in the same order: the new columns sit beside the old
                rows = cached.hstack(rows.select(wanted))
            elif rows.height == 0:
                rows = empty_rows(entity)
            self._cache[key] = rows
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
            return rows

    def _rows_of(self, now: dt.datetime) -> RowsOf:
        def rows_of(name: str, args: tuple[Any, ...], columns: Sequence[str] | None = None) -> pl.DataFrame:
            found = find_entity(name)
            assert found is not None, name
            return self.rows(found, normalise_args(found, args), now, columns)

        return rows_of


def _wanted(entity: Entity, columns: Sequence[str] | None) -> list[str]:
    """The entity's columns (not Device) among ``columns``, in catalog order; all when None."""
    lowered = None if columns is None else {c.lower() for c in columns}
    return [c.name for c in entity.columns[1:] if lowered is None or c.name.lower() in lowered]


def generator_for(entity: Entity) -> Registered:
    """The entity's hand-written generator, or the generic one driven by its catalog columns."""
    found = GENERATORS.get(entity.name.lower())
    return found if found is not None else Registered(generic_rows, False)


def normalise_args(entity: Entity, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Arguments with defaults filled in: strings as given, timespans as whole seconds."""
    args = tuple(args)
    if len(args) > len(entity.parameters):
        raise ValueError(f"{entity.signature} takes at most {len(entity.parameters)} arguments")
    out: list[Any] = []
    for index, parameter in enumerate(entity.parameters):
        value = args[index] if index < len(args) else parameter.default
        if value is None and parameter.required:
            raise ValueError(f"{entity.signature}: missing {parameter.name}")
        if parameter.type == ScalarType.TIMESPAN:
            if isinstance(value, dt.timedelta):
                value = int(value.total_seconds())
            elif isinstance(value, int | float | np.integer | np.floating):
                value = int(value)
            else:
                raise ValueError(f"{entity.signature}: {parameter.name} must be a timespan, not {value!r}")
            value = max(value, 0)
        elif parameter.type == ScalarType.STRING:
            value = str(value)
        out.append(value)
    return tuple(out)


def _utc(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None:
        return when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)
