"""Devices' rows from the site's last hardware inventory, read through the AdminService ``wmi/`` route.

The console shows an inventory entity's rows from the site database at once, greyed, and replaces
each device's rows as it answers live (site-catalog reference §2). The site keeps them in
``SMS_G_System_<GROUP>``, where ``<GROUP>`` is the middle token of the class's ``SMSClassID``
(``MICROSOFT|OPERATING_SYSTEM|1.0`` → ``SMS_G_System_OPERATING_SYSTEM``); every such class has
``ResourceID`` and ``TimeStamp`` (when the row was inventoried), and WMI property names carry no
``0`` suffix, so they are the entity's column names.

Rows are read in batches of ``BATCH`` devices — ``$filter=ResourceID eq a or ResourceID eq b …`` —
never one request per device; ``ResourceID`` becomes the targeted device's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from ...catalog import Entity
from ...engine.plan import DEVICE, Schema
from ...errors import BackendError
from ...language.types import ScalarType
from ..base import Target
from .client import AdminServiceClient, get_field
from .rows import frame_from_rows

BATCH = 50
"""Devices per ``SMS_G_System_*`` request: keeps the URL well under the usual 2 KB–8 KB limits."""
TIMESTAMP = "TimeStamp"


def inventory_group(entity: Entity) -> str | None:
    """``SMS_G_System_<GROUP>``'s group of an entity the site's catalog linked to a class, else None."""
    class_id = entity.inventory_class_id or ""
    parts = class_id.split("|")
    return parts[1].upper() if len(parts) == 3 and parts[1] else None


def read_inventory_rows(client: AdminServiceClient, entity: Entity, targets: Sequence[Target]) -> pl.DataFrame | None:
    """The targets' inventoried rows of ``entity`` (``Device`` first, its columns, ``TimeStamp``),
    or None when the entity has no inventory class on this site or the site will not give it."""
    group = inventory_group(entity) if entity.inventoried else None
    if group is None or not targets:
        return None
    names = {t.resource_id: t.name for t in targets}
    ids = list(names)
    rows: list[dict[str, Any]] = []
    owners: list[str] = []
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        where = " or ".join(f"ResourceID eq {rid}" for rid in chunk)
        try:
            found = client.list(f"wmi/SMS_G_System_{group}", filter=where,
                                action=f"read the last hardware inventory of {entity.name}")
        except BackendError:
            return None  # no Read Resource, or no such class: the devices simply have no cached rows
        for row in found:
            rid = get_field(row, "ResourceID")
            if rid is not None and int(rid) in names:
                rows.append(row)
                owners.append(names[int(rid)])
    schema = Schema((*entity.schema.items(), (TIMESTAMP, ScalarType.DATETIME)), device=DEVICE)
    return frame_from_rows(rows, schema, owners)
