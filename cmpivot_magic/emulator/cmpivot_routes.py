"""CMPivot on the emulated AdminService: start a query on a device or a collection, its results,
progress and per-device status, and cancelling it.

Each request checks the token's role first: Read to see a device or collection (else 404, as a
real provider hides what you may not read), Run CMPivot to start a query (else 403).
"""

from __future__ import annotations

from ..backends.base import Target
from ..backends.demo.site_classes import demo_catalog
from ..errors import CMPivotError
from ..query import parse
from . import odata
from .operations import EmulatedOperation
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


def run_device(site: Site, request: Request, rid: str) -> Response:
    resource_id = int(rid)
    if not device_visible(site, request, resource_id):
        return error(404, f"Device({rid}) was not found.")
    if not site.inventory.can_run_on_device(grant_of(request), resource_id):
        return error(403, f"The user does not have the Run CMPivot permission on a collection of device {rid}.")
    target = Target(site.inventory.names[resource_id], resource_id)
    started = _start(site, request, "device", resource_id, [target])
    if isinstance(started, Response):
        return started
    return json_response({"@odata.context": context(site, request, "Edm.ComplexType"),
                          "value": {"OperationId": started.id}})


def run_collection(site: Site, request: Request, cid: str) -> Response:
    cid = cid.upper()
    grant = grant_of(request)
    if cid not in site.inventory.members or not grant.can_read(cid):
        return error(404, f"Collection '{cid}' was not found.")
    if not grant.can_run(cid):
        return error(403, f"The user does not have the Run CMPivot permission on collection '{cid}'.")
    names = site.inventory.names
    targets = [Target(names[rid], rid) for rid in sorted(site.inventory.members[cid])]
    started = _start(site, request, "collection", cid, targets)
    if isinstance(started, Response):
        return started
    return json_response({"@odata.context": context(site, request, "Edm.ComplexType"), "OperationId": started.id})


def _start(site: Site, request: Request, kind: str, key: int | str, targets: list[Target]) -> EmulatedOperation | Response:
    text = body_of(request).get("InputQuery")
    if not isinstance(text, str) or not text.strip():
        return error(400, "InputQuery is required.")
    try:
        query = parse(text, catalog=demo_catalog())  # the site's own classes are entities too
    except CMPivotError as err:
        if not err.message.startswith("unknown entity"):
            return error(400, f"KustoParser: {err.message}")
        # an entity name the site does not have: the devices judge it, and each fails saying so
        query = parse(text, catalog=demo_catalog().fallback("devices judge unknown names"))
    return site.start_operation(kind, key, query, targets, created_by=grant_of(request).name)


def device_result(site: Site, request: Request, rid: str, op: str) -> Response:
    operation = site.operations.get(int(op))
    if operation is None or not device_visible(site, request, int(rid)):
        return Response(404)
    body = operation.device_result(int(rid), context(site, request, "Edm.ComplexType"))
    return Response(404) if body is None else Response(200, body, {"Content-Type": "application/json"})


def collection_result(site: Site, request: Request, cid: str, op: str) -> Response:
    operation = site.operations.get(int(op))
    if operation is None or operation.kind != "collection" or str(operation.key) != cid.upper():
        return Response(404)
    if not grant_of(request).can_read(cid.upper()):
        return error(404, "Access denied  WMI QUERY: ")
    parts = operation.collection_result(context(site, request, "Collection(Edm.ComplexType)"))
    return Response(404) if parts is None else Response(200, headers={"Content-Type": "application/json"},
                                                        parts=parts)


def _wanted(site: Site, request: Request, key: str) -> list[EmulatedOperation]:
    wanted = ids_in(request.options.get("$filter", ""), key)
    if wanted is None:
        return list(site.operations.values())
    return [site.operations[i] for i in wanted if i in site.operations]


def progress(site: Site, request: Request) -> Response:
    rows = [o.status_row() for o in _wanted(site, request, "ID")]
    return listing(site, request, rows, "SMS_ClientOperationStatus")


def cmpivot_status(site: Site, request: Request) -> Response:
    rows = [row for o in _wanted(site, request, "ClientOperationId") for row in o.script_status_rows()]
    kept = odata.apply(rows, {k: v for k, v in request.options.items() if k != "$select"}, "SMS_CMPivotStatus")
    for row in kept:  # the raw output is big: build it only for the rows asked for
        row["ScriptOutput"] = site.operations[row["ClientOperationId"]].script_output(row["ResourceID"])
    if request.options.get("$select"):
        kept = odata.select(kept, request.options["$select"], kept[0] if kept else None, "SMS_CMPivotStatus")
    return json_response({"@odata.context": context(site, request, "SMS_CMPivotStatus"), "value": kept})


def cancel(site: Site, request: Request) -> Response:
    body = {k.lower(): v for k, v in body_of(request).items()}
    operation = site.operations.get(int(body.get("operationid") or 0))
    if operation is None:
        return error(404, f"Client operation {body.get('operationid')} was not found.")
    operation.cancel()
    return json_response({"@odata.context": context(site, request, "SMS_ClientOperation"), "ReturnValue": 0})


ROUTES: list[Route] = [
    ("POST", r"v1\.0/Device\((\d+)\)/AdminService\.RunCMPivot", "run", run_device),
    ("POST", r"v1\.0/Collections\('([^']*)'\)/AdminService\.RunCMPivot", "run", run_collection),
    ("GET", r"v1\.0/Device\((\d+)\)/AdminService\.CMPivotResult\(OperationId=(\d+)\)", "result", device_result),
    ("GET", r"v1\.0/Collections\('([^']*)'\)/AdminService\.CMPivotResult\(OperationId=(\d+)\)", "result",
     collection_result),
    ("GET", r"(?:v1\.0|(?i:wmi))/(?i:SMS_CMPivotStatus)", "cmpivotstatus", cmpivot_status),
    ("GET", r"(?i:wmi/SMS_ClientOperationStatus)", "progress", progress),
    ("POST", r"(?i:wmi/SMS_ClientOperation\.CancelClientOperation)", "cancel", cancel),
]
