"""The demo site's last hardware inventory: what the site database holds for each device.

In the console an inventory entity first shows every device's rows from its last hardware
inventory, then live rows as devices answer (site-catalog reference §2). The demo site keeps such a
snapshot for every device, offline ones included: each device's last scan is between six hours and
a week old (``SMS_G_System_WORKSTATION_STATUS.LastHardwareScan``), and its rows are the site's rows
as they stood two days ago (``SMS_G_System_<GROUP>``, ``TimeStamp`` = the device's last scan).
demo:// and the AdminService emulator both answer from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl

from ...catalog import Entity
from .site import DemoSite

SNAPSHOT_AGE = dt.timedelta(days=2)
"""How old the inventoried values are (the rows are the site's as they stood then)."""
_SCAN_AGE_SECONDS = (6 * 3600, 7 * 86_400)


def last_hardware_scans(site: DemoSite, resource_ids: Sequence[int], now: dt.datetime) -> pl.DataFrame:
    """``Device``, ``ResourceID`` and ``LastHardwareScan`` (UTC, to the second) of those devices."""
    positions = site.positions(resource_ids)
    rng = np.random.default_rng([site.seed, 1810])  # its own stream: the fleet's draws stay as they are
    ages = rng.integers(*_SCAN_AGE_SECONDS, site.fleet.n)[positions]
    when = now.astimezone(dt.UTC).replace(microsecond=0, tzinfo=None)
    scans = (np.datetime64(when, "s") - ages.astype("timedelta64[s]")).astype("datetime64[us]")
    return pl.DataFrame({
        "Device": site.fleet.name[positions].tolist(),
        "ResourceID": site.fleet.rid[positions].astype(np.int64),
        "LastHardwareScan": pl.Series(scans).dt.replace_time_zone("UTC"),
    })


def inventory_rows(site: DemoSite, entity: Entity, resource_ids: Sequence[int], now: dt.datetime) -> pl.DataFrame:
    """The inventoried rows of ``entity`` for those devices: the entity's columns (``Device``
    first), then ``ResourceID`` and ``TimeStamp`` (when the device's row was inventoried)."""
    if not entity.inventoried:
        raise ValueError(f"{entity.name} is not a hardware-inventory entity: the site keeps no rows of it")
    rows = site.table(entity, (), resource_ids, now - SNAPSHOT_AGE)
    scans = last_hardware_scans(site, resource_ids, now).rename({"LastHardwareScan": "TimeStamp"})
    return rows.join(scans, on="Device", how="left", maintain_order="left")
