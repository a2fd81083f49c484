"""The site as the AdminService's classes show it, and who may see and query what.

``Inventory`` turns the demo site's devices and collections into the rows of ``v1.0/Device``,
``wmi/SMS_R_System``, ``wmi/SMS_CombinedDeviceResources`` (``CNIsOnline`` from the site's offline
devices), ``wmi/SMS_Collection`` and ``wmi/SMS_FullCollectionMembership``. ``Grant`` is a token's
role, scoped like ConfigMgr RBAC: Read on some collections (what lists show), Run CMPivot on some
(where queries may go; 403 elsewhere).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from ..backends.adminservice.inventory import inventory_group
from ..backends.demo.inventory_snapshot import inventory_rows, last_hardware_scans
from ..backends.demo.site import DemoSite
from ..backends.demo.site_classes import demo_catalog
from ..catalog import Entity

SITE_CODE = "CON"
Row = dict[str, Any]


@dataclass(frozen=True)
class Grant:
    """A token's ConfigMgr role: collections it may read and run CMPivot on (None: all), and
    whether it has Read on Inventory Reports (the right that guards the inventory classes)."""

    name: str
    read: frozenset[str] | None = None
    run: frozenset[str] | None = None
    inventory_reports: bool = True
    create_collections: bool = True
    """Create on Collection (the new collection's Modify comes with it)."""
    run_scripts: bool = True
    """Run Script on Collection, and Read on SMS Scripts."""

    def can_read(self, collection_id: str) -> bool:
        return self.read is None or collection_id.upper() in self.read

    def can_run(self, collection_id: str) -> bool:
        return self.run is None or collection_id.upper() in self.run

    def with_collection(self, collection_id: str) -> Grant:
        """This role after creating ``collection_id``: it may read and run on it too."""
        cid = collection_id.upper()
        return dataclasses.replace(self, read=None if self.read is None else self.read | {cid},
                                   run=None if self.run is None else self.run | {cid})


class Inventory:
    """Rows of the AdminService classes for one demo site."""

    def __init__(self, site: DemoSite) -> None:
        self.site = site
        self._lock = threading.Lock()
        self._next_collection = 0x200

    @cached_property
    def _devices(self) -> list[Row]:
        return self.site.devices.to_dicts()

    @cached_property
    def ids(self) -> set[int]:
        return {int(d["ResourceId"]) for d in self._devices}

    @cached_property
    def names(self) -> dict[int, str]:
        return {int(d["ResourceId"]): str(d["Name"]) for d in self._devices}

    @cached_property
    def members(self) -> dict[str, set[int]]:
        ids = self.site.collections.get_column("CollectionID").to_list()
        return {cid: {int(r) for r in np.asarray(self.site.members(cid))} for cid in ids}

    @cached_property
    def collections_of(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {rid: [] for rid in self.ids}
        for cid, rids in self.members.items():
            for rid in rids:
                out[rid].append(cid)
        return out

    # ------------------------------------------------------------------------------ scope

    def visible(self, grant: Grant) -> set[int] | None:
        """Resource ids the grant may read (None: all)."""
        if grant.read is None:
            return None
        return set().union(*(self.members.get(c, set()) for c in grant.read))

    def can_run_on_device(self, grant: Grant, resource_id: int) -> bool:
        return grant.run is None or any(grant.can_run(c) for c in self.collections_of.get(resource_id, []))

    def scoped(self, rows: list[Row], grant: Grant, key: str) -> list[Row]:
        seen = self.visible(grant)
        return rows if seen is None else [r for r in rows if int(r[key]) in seen]

    # ------------------------------------------------------------------------------ classes

    @cached_property
    def device_rows(self) -> list[Row]:
        """``v1.0/Device`` entities."""
        return [{"MachineId": int(d["ResourceId"]), "Name": d["Name"], "SiteCode": SITE_CODE,
                 "Domain": d.get("Domain"), "ClientVersion": d.get("ClientVersion"), "IsClient": True,
                 "DeviceOS": d.get("OSCaption"), "ResourceType": 5} for d in self._devices]

    @cached_property
    def system_rows(self) -> list[Row]:
        """``SMS_R_System`` instances."""
        return [{"ResourceId": int(d["ResourceId"]), "Name": d["Name"], "NetbiosName": d["Name"],
                 "ResourceDomainOrWorkgroup": d.get("Domain"), "OperatingSystemNameandVersion": d.get("OSCaption"),
                 "Client": 1, "ClientVersion": d.get("ClientVersion"), "LastLogonUserName": d.get("UserName"),
                 "Active": 1, "SMSAssignedSites": [SITE_CODE]} for d in self._devices]

    @cached_property
    def combined_rows(self) -> list[Row]:
        """``SMS_CombinedDeviceResources`` instances; ``CNIsOnline`` false for offline devices."""
        rows = []
        for d in self._devices:
            online = bool(d.get("IsOnline", True))
            active = d.get("LastActiveTime")
            rows.append({
                "ResourceID": int(d["ResourceId"]), "Name": d["Name"], "Domain": d.get("Domain"),
                "UserName": d.get("UserName"), "DeviceOS": d.get("OSCaption"), "ClientVersion": d.get("ClientVersion"),
                "IsClient": True, "IsActive": online, "ClientState": 0, "CNIsOnline": online,
                "CNIsOnInternet": False, "CNAccessMP": "CM01.contoso.com" if online else None,
                "LastActiveTime": iso(active), "CNLastOnlineTime": iso(active) if online else None,
                "CNLastOfflineTime": None if online else iso(active),
            })
        return rows

    @cached_property
    def collection_rows(self) -> list[Row]:
        """``SMS_Collection`` instances (device collections, CollectionType 2)."""
        rows = []
        for c in self.site.collections.to_dicts():
            cid = c["CollectionID"]
            rows.append({"CollectionID": cid, "Name": c["Name"], "MemberCount": int(c["MemberCount"]),
                         "Comment": c.get("Comment"), "CollectionType": 2,
                         "LimitToCollectionID": "" if cid == "SMS00001" else "SMS00001",
                         "LimitToCollectionName": "" if cid == "SMS00001" else "All Systems"})
        return rows

    def membership_rows(self, collection_id: str | None = None) -> list[Row]:
        """``SMS_FullCollectionMembership`` instances, of one collection or all."""
        chosen = [collection_id.upper()] if collection_id is not None else list(self.members)
        return [row for cid in chosen for row in self._membership.get(cid, [])]

    @cached_property
    def _membership(self) -> dict[str, list[Row]]:
        return {cid: [{"CollectionID": cid, "ResourceID": rid, "Name": self.names[rid], "SiteCode": SITE_CODE,
                       "IsClient": True, "IsDirect": False} for rid in sorted(rids)]
                for cid, rids in self.members.items()}


    # ------------------------------------------------------------------------------ changes

    def add_collection(self, name: str, limit_to: str, comment: str = "") -> Row:
        """A new, empty device collection limited to ``limit_to``; its row."""
        with self._lock:
            cid = f"{SITE_CODE}{self._next_collection:05X}"
            self._next_collection += 1
            row = {"CollectionID": cid, "Name": name, "MemberCount": 0, "Comment": comment, "CollectionType": 2,
                   "LimitToCollectionID": limit_to.upper(),
                   "LimitToCollectionName": self.collection_named(limit_to)["Name"]}
            self.collection_rows.append(row)
            self.members[cid] = set()
            self._membership[cid] = []
        return row

    def collection_named(self, collection_id: str) -> Row:
        return next(r for r in self.collection_rows if r["CollectionID"] == collection_id.upper())

    def add_members(self, collection_id: str, resource_ids: list[int]) -> list[int]:
        """Direct membership rules for those devices; the ids that were new members."""
        cid = collection_id.upper()
        with self._lock:
            new = [rid for rid in dict.fromkeys(resource_ids) if rid not in self.members[cid]]
            self.members[cid].update(new)
            for rid in new:
                self.collections_of[rid].append(cid)
            self._membership[cid] = [{"CollectionID": cid, "ResourceID": rid, "Name": self.names[rid],
                                      "SiteCode": SITE_CODE, "IsClient": True, "IsDirect": True}
                                     for rid in sorted(self.members[cid])]
            self.collection_named(cid)["MemberCount"] = len(self.members[cid])
        return new

    def delete_collection(self, collection_id: str) -> None:
        cid = collection_id.upper()
        with self._lock:
            for rid in self.members.pop(cid, set()):
                self.collections_of[rid].remove(cid)
            self._membership.pop(cid, None)
            self.collection_rows[:] = [r for r in self.collection_rows if r["CollectionID"] != cid]

    # ------------------------------------------------------------------------------ hardware inventory

    @cached_property
    def inventory_groups(self) -> dict[str, Entity]:
        """``SMS_G_System_<GROUP>`` group name (upper case) → the entity whose rows it holds."""
        return {group: e for e in demo_catalog().entities() if (group := inventory_group(e)) is not None}

    def inventoried(self, group: str, resource_ids: list[int] | None, now: dt.datetime) -> list[Row] | None:
        """``SMS_G_System_<group>`` instances of those devices (all when None); None: no such class.

        WMI names (no ``0`` suffix as in SQL views), ``SMS_G_System_Current``'s ``ResourceID``,
        ``GroupID`` (the instance within the device), ``RevisionID`` and ``TimeStamp``.
        """
        ids = sorted(self.ids if resource_ids is None else set(resource_ids) & self.ids)
        group = group.upper()
        if group == "WORKSTATION_STATUS":
            scans = last_hardware_scans(self.site, ids, now)
            return [{"ResourceID": r["ResourceID"], "GroupID": 1, "RevisionID": 1,
                     "LastHardwareScan": iso(r["LastHardwareScan"]), "TimeStamp": iso(r["LastHardwareScan"])}
                    for r in scans.iter_rows(named=True)]
        entity = self.inventory_groups.get(group)
        if entity is None:
            return None
        rows = inventory_rows(self.site, entity, ids, now).drop("Device") if ids else None
        if rows is None:
            return []
        out: list[Row] = []
        group_ids: dict[int, int] = {}
        for row in rows.iter_rows(named=True):
            rid = row.pop("ResourceID")
            group_ids[rid] = group_ids.get(rid, 0) + 1
            values = {k: iso(v) if isinstance(v, dt.datetime) else v for k, v in row.items()}
            out.append({"ResourceID": rid, "GroupID": group_ids[rid], "RevisionID": 1, **values})
        return out


def iso(value: Any) -> str | None:
    """A UTC datetime as the AdminService writes it: ``2024-05-01T12:34:56Z``."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%S") + (f".{value.microsecond:06d}".rstrip("0") if value.microsecond else "") + "Z"
    return str(value)


__all__ = ["SITE_CODE", "Grant", "Inventory", "iso"]
