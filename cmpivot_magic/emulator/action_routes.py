"""Acting on results on the emulated AdminService: collections from devices, CMPivot favorites,
and running approved scripts (site-catalog reference §3-4).

    POST   wmi/SMS_Collection                                         {"Name", "LimitToCollectionID", ...} → 201
    POST   wmi/SMS_Collection('<id>')/AdminService.AddMembershipRule   {"collectionRule": {...}}       → 201
    POST   wmi/SMS_Collection('<id>')/AdminService.AddMembershipRules  {"collectionRules": [...]}      → 201
    DELETE wmi/SMS_Collection('<id>')                                                                → 204
    GET    wmi/SMS_CMPivotFavorite; POST wmi/SMS_CMPivotFavorite.UpdateCMPivotFavorite {"Name", "Query"}
    DELETE wmi/SMS_CMPivotFavorite(<Id>)
    GET    wmi/SMS_Scripts; POST wmi/SMS_ClientOperation.InitiateClientOperationEx (Type 135)
    POST   v1.0/Device(<id>)/AdminService.RunScript {"ScriptGuid"}; GET wmi/SMS_ScriptsExecutionStatus

RBAC as a provider answers it: Create on Collection (403 without), Modify on the collection for its
rules (the creator has it), Run Script (403), Read on the target devices (404 for one you may not
read). An unapproved script is refused with 500 "Script is not approved.", as smsprov.log says.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

from .routing import (
    Request,
    Response,
    Route,
    Site,
    body_of,
    context,
    device_visible,
    error,
    grant_of,
    ids_in,
    json_response,
    listing,
)
from .scripts import APPROVED, LIBRARY, SCRIPT_OPERATION_TYPE, ScriptRun, script

# ------------------------------------------------------------------------------- collections


def create_collection(site: Site, request: Request) -> Response:
    grant = grant_of(request)
    if not grant.create_collections:
        return error(403, "The user does not have the Create permission on Collection.")
    body = body_of(request)
    name, limit = str(body.get("Name") or "").strip(), str(body.get("LimitToCollectionID") or "SMS00001").upper()
    if not name:
        return error(400, "Name is required.")
    if int(body.get("CollectionType") or 2) != 2:
        return error(400, "Only device collections (CollectionType 2) can be created here.")
    if any(r["Name"].lower() == name.lower() for r in site.inventory.collection_rows):
        return error(409, f"A collection named '{name}' already exists.")
    if limit not in site.inventory.members or not grant.can_read(limit):
        return error(404, f"The limiting collection '{limit}' was not found.")
    row = site.inventory.add_collection(name, limit, str(body.get("Comment") or ""))
    site.regrant(request, grant.with_collection(row["CollectionID"]))
    return json_response({"@odata.context": context(site, request, "SMS_Collection/$entity"), **row}, 201)


def add_rule(site: Site, request: Request, cid: str) -> Response:
    rule = body_of(request).get("collectionRule")
    return _add_rules(site, request, cid, [rule] if isinstance(rule, dict) else [])


def add_rules(site: Site, request: Request, cid: str) -> Response:
    rules = body_of(request).get("collectionRules")
    return _add_rules(site, request, cid, [r for r in rules if isinstance(r, dict)] if isinstance(rules, list) else [])


def _add_rules(site: Site, request: Request, cid: str, rules: list[dict[str, Any]]) -> Response:
    cid = cid.upper()
    grant = grant_of(request)
    if cid not in site.inventory.members or not grant.can_read(cid):
        return error(404, f"Collection '{cid}' was not found.")
    if not (grant.run is None or grant.can_run(cid)) or not grant.create_collections:
        return error(403, f"The user does not have the Modify permission on collection '{cid}'.")
    if not rules:
        return error(400, "A direct membership rule (SMS_CollectionRuleDirect) is required.")
    ids = []
    for rule in rules:
        rid = int(rule.get("ResourceID") or 0)
        if str(rule.get("ResourceClassName") or "SMS_R_System") != "SMS_R_System" or not device_visible(site, request, rid):
            return error(404, f"Resource {rid} was not found.")
        ids.append(rid)
    site.inventory.add_members(cid, ids)
    return json_response({"@odata.context": context(site, request, "Edm.ComplexType"), "ReturnValue": 0,
                          "QueryIDs": [0] * len(ids)}, 201)


def delete_collection(site: Site, request: Request, cid: str) -> Response:
    cid = cid.upper()
    if cid not in site.inventory.members or not grant_of(request).can_read(cid):
        return error(404, f"Collection '{cid}' was not found.")
    if cid.startswith("SMS") or not grant_of(request).create_collections:
        return error(403, f"The user does not have the Delete permission on collection '{cid}'.")
    site.inventory.delete_collection(cid)
    return Response(204)


# ------------------------------------------------------------------------------- favorites


def favorites(site: Site, request: Request) -> Response:
    return listing(site, request, list(site.favorites.values()), "SMS_CMPivotFavorite")


def save_favorite(site: Site, request: Request) -> Response:
    body = body_of(request)
    name, query = str(body.get("Name") or "").strip(), str(body.get("Query") or "")
    if not name or not query.strip():
        return error(400, "Name and Query are required.")
    grant = grant_of(request)
    found = next((f for f in site.favorites.values() if f["Name"].lower() == name.lower()), None)
    if found is None:
        fid = max(site.favorites, default=0) + 1
        found = site.favorites[fid] = {"Id": fid, "Name": name, "ScriptGuid": None, "UserId": 1, "Query": query}
    found.update(Query=query, UserName=grant.name, Modified=site.clock().isoformat().replace("+00:00", "Z"))
    return json_response({"@odata.context": context(site, request, "Edm.ComplexType"), "ReturnValue": 0,
                          "Id": found["Id"]})


def delete_favorite(site: Site, request: Request, fid: str) -> Response:
    if site.favorites.pop(int(fid), None) is None:
        return error(404, f"SMS_CMPivotFavorite({fid}) was not found.")
    return Response(204)


# ------------------------------------------------------------------------------- scripts


def scripts(site: Site, request: Request) -> Response:
    if not grant_of(request).run_scripts:
        return error(403, "The user does not have the Read permission on SMS Scripts.")
    return listing(site, request, [s.row() for s in LIBRARY], "SMS_Scripts")


def run_script(site: Site, request: Request) -> Response:
    """``InitiateClientOperationEx`` with Type 135: the console wizard's call (many devices, parameters)."""
    body = body_of(request)
    if int(body.get("Type") or 0) != SCRIPT_OPERATION_TYPE:
        return error(400, f"Only client operations of type {SCRIPT_OPERATION_TYPE} (Run Script) are emulated.")
    try:
        xml = ET.fromstring(base64.b64decode(str(body.get("Param") or ""), validate=True))
    except (binascii.Error, ValueError, ET.ParseError):
        return error(400, "Param must be the base64 of the ScriptContent XML.")
    guid = xml.findtext("ScriptGuid") or ""
    parameters = {p.get("ParameterName") or "": p.get("ParameterValue") or "" for p in xml.iter("ScriptParameter")}
    ids = [int(i) for i in body.get("TargetResourceIDs") or []]
    collection = str(body.get("TargetCollectionID") or "").upper()
    if collection:
        ids = sorted(site.inventory.members.get(collection, set())) if grant_of(request).can_read(collection) else []
    started = _start_script(site, request, guid, parameters, ids)
    if isinstance(started, Response):
        return started
    return json_response({"@odata.context": context(site, request, "Edm.ComplexType"), "ReturnValue": 0,
                          "OperationID": started.id})


def run_script_on_device(site: Site, request: Request, rid: str) -> Response:
    """``Device(<id>)/AdminService.RunScript``: one device, no parameters; the id is ``value``."""
    started = _start_script(site, request, str(body_of(request).get("ScriptGuid") or ""), {}, [int(rid)])
    if isinstance(started, Response):
        return started
    return json_response({"@odata.context": context(site, request, "Edm.Int64"), "value": started.id})


def _start_script(site: Site, request: Request, guid: str, parameters: dict[str, str],
                  ids: list[int]) -> ScriptRun | Response:
    grant = grant_of(request)
    chosen = script(guid)
    if chosen is None:
        return error(404, f"Script {guid} was not found.")
    if chosen.approval != APPROVED:
        return error(500, "Script is not approved.")
    if not ids or not all(device_visible(site, request, rid) for rid in ids):
        return error(404, "The target devices were not found.")
    if not grant.run_scripts or not all(site.inventory.can_run_on_device(grant, rid) for rid in ids):
        return error(403, "The user does not have the Run Script permission on a collection of the target devices.")
    op_id = site.next_operation_id()
    run = site.script_runs[op_id] = ScriptRun(op_id, chosen, parameters, ids, site.inventory.site, site.speed,
                                              site.clock().astimezone(dt.UTC))
    return run


def script_status(site: Site, request: Request) -> Response:
    wanted = ids_in(request.options.get("$filter", ""), "ClientOperationId")
    runs = [site.script_runs[i] for i in wanted if i in site.script_runs] if wanted is not None \
        else list(site.script_runs.values())
    rows = [row for run in runs for row in run.status_rows()]
    return listing(site, request, site.inventory.scoped(rows, grant_of(request), "ResourceId"),
                   "SMS_ScriptsExecutionStatus")


ROUTES: list[Route] = [
    ("POST", r"(?i:wmi/SMS_Collection)", "collections", create_collection),
    ("POST", r"(?i:wmi/SMS_Collection)\('([^']*)'\)/AdminService\.AddMembershipRule", "collections", add_rule),
    ("POST", r"(?i:wmi/SMS_Collection)\('([^']*)'\)/AdminService\.AddMembershipRules", "collections", add_rules),
    ("DELETE", r"(?i:wmi/SMS_Collection)\('([^']*)'\)", "collections", delete_collection),
    ("GET", r"(?i:wmi/SMS_CMPivotFavorite)", "favorites", favorites),
    ("POST", r"(?i:wmi/SMS_CMPivotFavorite\.UpdateCMPivotFavorite)", "favorites", save_favorite),
    ("DELETE", r"(?i:wmi/SMS_CMPivotFavorite)\((\d+)\)", "favorites", delete_favorite),
    ("GET", r"(?i:wmi/SMS_Scripts)", "scripts", scripts),
    ("POST", r"(?i:wmi/SMS_ClientOperation\.InitiateClientOperationEx)", "scripts", run_script),
    ("POST", r"v1\.0/Device\((\d+)\)/AdminService\.RunScript", "scripts", run_script_on_device),
    ("GET", r"(?i:wmi/SMS_ScriptsExecutionStatus)", "scripts", script_status),
]
