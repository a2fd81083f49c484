"""``demo://`` — a simulated ConfigMgr site, deterministic from a seed.

``demo://?devices=500&seed=7&offline=0.1&failure=0.02&ps4=0.03&speed=20&clock=real`` builds a
``DemoSite`` (``site.py``) and answers queries through ``TableBackend``. ``clock=virtual``
releases replies at once in latency order (tests, scripts); ``clock=real`` waits ``latency /
speed`` seconds of wall-clock time, so a notebook shows devices answering live.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import polars as pl

from ...catalog import Entity
from ...errors import CMPivotError
from ..base import ScriptInfo, Target, next_operation_id, url_options
from ..tables import TableBackend, TableOperation, Timeline
from ..targets import DEFAULT_COLLECTION, check_target_args, resolve_device_names
from .inventory_snapshot import inventory_rows
from .scripts import LIBRARY, demo_script_replies
from .site import DemoSite
from .site_classes import demo_catalog

DEFAULTS = {"devices": 200, "seed": 7, "offline": 0.1, "failure": 0.02, "ps4": 0.03}


class DemoBackend(TableBackend):
    """A ``DemoSite`` answering as a ConfigMgr site would, on a virtual or real-time clock."""

    @classmethod
    def from_url(cls, url: str, *, profile: str = "onprem", **options: Any) -> DemoBackend:
        """A demo site from the URL's options (and keyword options, which win); see the module
        docstring for the options and their defaults."""
        raw = {**url_options(url), **{k: str(v) for k, v in options.items()}}
        known = {*DEFAULTS, "speed", "clock", "max_result_bytes"}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise CMPivotError(f"unknown demo:// option {unknown[0]!r}",
                               hint=f"options are: {', '.join(sorted(known))}")
        try:
            size = int(raw.get("devices", DEFAULTS["devices"]))
            seed = int(raw.get("seed", DEFAULTS["seed"]))
            rates = {k: float(raw.get(k, DEFAULTS[k])) for k in ("offline", "failure", "ps4")}
            speed = float(raw.get("speed", 20))
            max_bytes = int(raw.get("max_result_bytes", 128_000))
        except ValueError as err:
            raise CMPivotError(f"bad demo:// option: {err}") from None
        if not 1 <= size <= 150_000:
            raise CMPivotError("demo:// devices must be between 1 and 150,000")
        if any(not 0 <= v <= 1 for v in rates.values()):
            raise CMPivotError("demo:// offline, failure and ps4 are fractions between 0 and 1")
        clock = raw.get("clock", "real")
        if clock not in ("real", "virtual"):
            raise CMPivotError("demo:// clock is 'real' or 'virtual'")
        site = DemoSite(devices=size, seed=seed, **rates)
        return cls(url, profile, site, Timeline(clock, speed), max_bytes)

    def __init__(self, url: str, profile: str, site: DemoSite, timeline: Timeline, max_result_bytes: int) -> None:
        super().__init__(url, profile, site, site, timeline, max_result_bytes, entities=demo_catalog())
        self.site = site

    def inventory_rows(self, entity: Entity, targets: Sequence[Target], now: dt.datetime) -> pl.DataFrame | None:
        """The devices' rows from the demo site's last hardware inventory (``inventory_snapshot``)."""
        if not entity.inventoried or not targets:
            return None
        return inventory_rows(self.site, entity, [t.resource_id for t in targets], now).drop("ResourceID")

    @cached_property
    def _devices(self) -> pd.DataFrame:
        return self.site.devices.to_pandas()

    def devices(self) -> pd.DataFrame:
        return self._devices.copy()

    def collections(self) -> pd.DataFrame:
        return self.site.collections.to_pandas()

    def resolve(self, devices: Sequence[str] | None, collection: str | None) -> tuple[Target, ...]:
        check_target_args(devices, collection)
        if devices is not None:
            return resolve_device_names(devices, self._devices, self.url)
        collection = collection or DEFAULT_COLLECTION
        try:
            members = np.asarray(self.site.members(collection))
        except KeyError:
            ids = ", ".join(self.site.collections.get_column("CollectionID").to_list()[:8])
            raise CMPivotError(f"no collection '{collection}' on {self.url}", hint=f"collections: {ids}, …") from None
        frame = self.site.devices  # site order, as before; membership tested for all devices at once
        rids = frame.get_column("ResourceId").to_numpy()
        keep = np.isin(rids, members)
        names = frame.get_column("Name").filter(pl.Series(keep)).to_list()
        return tuple(map(Target, map(str, names), rids[keep].tolist()))

    # ------------------------------------------------------------------ acting on the simulation

    def create_collection(self, name: str, limit_to: str, comment: str) -> str:
        """A direct-membership collection on the simulated site (kept while this backend lives)."""
        names = {n.lower() for n in self.site.collections.get_column("Name").to_list()}
        if name.lower() in names:
            raise CMPivotError(f"a collection named '{name}' already exists on {self.url}",
                               hint="pick another name, or add the devices to that collection in the console")
        try:
            self.site.members(limit_to)
        except KeyError:
            raise CMPivotError(f"no limiting collection '{limit_to}' on {self.url}") from None
        return self.site.add_collection(name, comment)

    def add_members(self, collection_id: str, targets: Sequence[Target]) -> None:
        self.site.add_members(collection_id, [t.resource_id for t in targets])

    def scripts(self) -> list[ScriptInfo]:
        """The simulated site's library (the emulator serves the same one)."""
        return [s.info() for s in LIBRARY]

    def run_script(self, script: ScriptInfo, targets: tuple[Target, ...], parameters: dict[str, str],
                   timeout: float) -> TableOperation:
        replies = demo_script_replies(self.site, script, targets, parameters, self.site.anchor)
        return TableOperation(next_operation_id(), replies, timeout, self.timeline)

    def resume_script(self, operation_id: int, script: ScriptInfo, targets: tuple[Target, ...],
                      parameters: dict[str, str], timeout: float, age: float) -> TableOperation:
        """The simulation is deterministic: the run's devices answer again as they did."""
        replies = demo_script_replies(self.site, script, targets, parameters, self.site.anchor)
        started = time.monotonic() - max(0.0, age) / max(self.timeline.speed, 1e-9)
        return TableOperation(operation_id, replies, timeout, self.timeline, started_at=started)
