"""The site's classes on the emulated AdminService: devices, collections, membership, the
inventory class definitions (the site's catalog) and the rows of its last hardware inventory.

Lists are trimmed to what the token's role may read, as ConfigMgr RBAC trims them.
"""

from __future__ import annotations

import re
from typing import Any

from ..backends.demo.site_classes import inventory_classes as site_inventory_classes
from ..backends.demo.site_classes import inventory_reports as site_inventory_reports
from .routing import (
    Request,
    Response,
    Route,
    Site,
    context,
    device_visible,
    error,
    grant_of,
    ids_in,
    json_response,
    listing,
)

_METADATA = ('<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="4.0" '
             'xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices/></edmx:Edmx>')


def metadata(site: Site, request: Request) -> Response:
    return Response(200, _METADATA.encode(), {"Content-Type": "application/xml"})


def devices(site: Site, request: Request) -> Response:
    rows = site.inventory.scoped(site.inventory.device_rows, grant_of(request), "MachineId")
    return listing(site, request, rows, "Device")


def device(site: Site, request: Request, rid: str) -> Response:
    if not device_visible(site, request, int(rid)):
        return error(404, f"Device({rid}) was not found.")
    row = next(r for r in site.inventory.device_rows if r["MachineId"] == int(rid))
    return json_response({"@odata.context": context(site, request, "Device/$entity"), **row})


def membership(site: Site, request: Request, rid: str) -> Response:
    if not device_visible(site, request, int(rid)):
        return error(404, f"Device({rid}) was not found.")
    by_id = {c["CollectionID"]: c for c in site.inventory.collection_rows}
    rows = [{"ResourceId": int(rid), "CollectionId": cid, "Collection": by_id[cid]}
            for cid in site.inventory.collections_of[int(rid)] if grant_of(request).can_read(cid)]
    return listing(site, request, rows, "ResourceCollectionMembership")


def systems(site: Site, request: Request, rid: str | None = None) -> Response:
    rows = site.inventory.scoped(site.inventory.system_rows, grant_of(request), "ResourceId")
    if rid is not None:
        rows = [r for r in rows if r["ResourceId"] == int(rid)]
        if not rows:
            return error(404, f"SMS_R_System({rid}) was not found.")
        return json_response({"@odata.context": context(site, request, "SMS_R_System/$entity"), **rows[0]})
    return listing(site, request, rows, "SMS_R_System")


def combined(site: Site, request: Request) -> Response:
    rows = site.inventory.scoped(site.inventory.combined_rows, grant_of(request), "ResourceID")
    return listing(site, request, rows, "SMS_CombinedDeviceResources")


def collections(site: Site, request: Request, cid: str | None = None) -> Response:
    grant = grant_of(request)
    rows = [r for r in site.inventory.collection_rows if grant.can_read(r["CollectionID"])]
    if cid is not None:
        rows = [r for r in rows if r["CollectionID"].upper() == cid.upper()]
        if not rows:
            return error(404, f"Collection '{cid}' was not found.")
        return json_response({"@odata.context": context(site, request, "SMS_Collection/$entity"), **rows[0]})
    return listing(site, request, rows, "SMS_Collection")


def members(site: Site, request: Request) -> Response:
    grant = grant_of(request)
    only = re.fullmatch(r"\s*CollectionID eq '([^']*)'\s*", request.options.get("$filter", ""), re.I)
    if only:  # the usual question, answered without scanning every membership
        cid = only.group(1).upper()
        rows = site.inventory.membership_rows(cid) if grant.can_read(cid) else []
        options = {k: v for k, v in request.options.items() if k != "$filter"}
        return listing(site, Request(request.method, request.path, options, request.headers, b"", grant),
                       rows, "SMS_FullCollectionMembership")
    rows = [r for r in site.inventory.membership_rows() if grant.can_read(r["CollectionID"])]
    return listing(site, request, rows, "SMS_FullCollectionMembership")


# ------------------------------------------------------------------------ the site's catalog


def inventory_classes(site: Site, request: Request, class_id: str | None = None) -> Response:
    return _catalog(site, request, "SMS_InventoryClass", "SMSClassID", site_inventory_classes(), class_id)


def inventory_reports(site: Site, request: Request, report_id: str | None = None) -> Response:
    return _catalog(site, request, "SMS_InventoryReport", "InventoryReportID", site_inventory_reports(), report_id)


def _catalog(site: Site, request: Request, name: str, key: str, rows: tuple[dict[str, Any], ...],
             wanted: str | None) -> Response:
    """The site's inventory class definitions, which need Read on Inventory Reports."""
    if not grant_of(request).inventory_reports:
        return error(403, f"The user does not have Read permission on Inventory Reports, which {name} requires.")
    if wanted is None:
        return listing(site, request, list(rows), name)
    found = [r for r in rows if str(r[key]).upper() == wanted.upper()]
    if not found:
        return error(404, f"{name}('{wanted}') was not found.")
    return listing(site, request, found, name)  # a GET by key still answers {"value": [...]}


def inventoried(site: Site, request: Request, group: str) -> Response:
    """Devices' rows from their last hardware inventory, scoped to the devices the role reads."""
    ids = ids_in(request.options.get("$filter", ""), "ResourceID")
    rows = site.inventory.inventoried(group, ids, site.clock())
    if rows is None:
        return error(404, f"Invalid class name SMS_G_System_{group}.")
    rows = site.inventory.scoped(rows, grant_of(request), "ResourceID")
    return listing(site, request, rows, f"SMS_G_System_{group.upper()}")


ROUTES: list[Route] = [
    ("GET", r"v1\.0/\$metadata", "metadata", metadata),
    ("GET", r"v1\.0/Device", "devices", devices),
    ("GET", r"v1\.0/Device\((\d+)\)", "device", device),
    ("GET", r"v1\.0/Device\((\d+)\)/ResourceCollectionMembership", "membership", membership),
    ("GET", r"v1\.0/Collections(?:\('([^']*)'\))?", "collections", collections),
    ("GET", r"(?i:wmi/SMS_R_System)(?:\((\d+)\))?", "systems", systems),
    ("GET", r"(?i:wmi/SMS_CombinedDeviceResources)", "combined", combined),
    ("GET", r"(?i:wmi/SMS_Collection)(?:\('([^']*)'\))?", "collections", collections),
    ("GET", r"(?i:wmi/SMS_FullCollectionMembership)", "members", members),
    ("GET", r"(?i:wmi/SMS_InventoryClass)(?:\('([^']*)'\))?", "catalog", inventory_classes),
    ("GET", r"(?i:wmi/SMS_InventoryReport)(?:\('([^']*)'\))?", "catalog", inventory_reports),
    ("GET", r"(?i:wmi/SMS_G_System_)(\w+)", "inventory", inventoried),
]
