"""The AdminService's routes on the emulated site: request in, status and JSON out (no sockets here).

Routes (under ``/AdminService``; ``wmi`` class names are case-insensitive, ``v1.0`` ones are not)
and the fault-switch name of each::

    GET  v1.0/$metadata                                                  metadata
    GET  v1.0/Device, v1.0/Device(<id>)                                  devices, device
    GET  v1.0/Device(<id>)/ResourceCollectionMembership                  membership
    POST v1.0/Device(<id>)/AdminService.RunCMPivot                       run    → {"value": {"OperationId": n}}
    POST v1.0/Collections('<id>')/AdminService.RunCMPivot                run    → {"OperationId": n}
    GET  v1.0/Device(<id>)/AdminService.CMPivotResult(OperationId=<n>)   result → {"value": {"Result": [...]}}
    GET  v1.0/Collections('<id>')/AdminService.CMPivotResult(…)          result → {"value": [{"Result": [...]}, …]}
    GET  v1.0/SMS_CMPivotStatus, wmi/SMS_CMPivotStatus                   cmpivotstatus
    GET  wmi/SMS_ClientOperationStatus                                   progress
    POST wmi/SMS_ClientOperation.CancelClientOperation                   cancel
    GET  wmi/SMS_R_System[(<id>)], wmi/SMS_CombinedDeviceResources       systems, combined
    GET  wmi/SMS_Collection[('<id>')], v1.0/Collections[('<id>')]        collections
    GET  wmi/SMS_FullCollectionMembership                                members
    GET  wmi/SMS_InventoryClass[('<id>')], wmi/SMS_InventoryReport[('<id>')]  catalog
    GET  wmi/SMS_G_System_<GROUP> (incl. WORKSTATION_STATUS)             inventory

CMPivotResult answers 404 with an empty body until there is something to return. Every request
needs ``Authorization: Bearer <token>``: a known static token, or a JWT that ``token_verifier``
accepts (the Entra ID stand-in's, ``entra.py``); NTLM gets 2509's "Rejecting NTLM authentication." Errors have OData's ``{"error": {"code", "message"}}`` shape.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ..backends.base import Target
from ..backends.demo.site_classes import inventory_classes, inventory_reports
from ..backends.tables import TableBackend
from ..errors import CMPivotError
from ..query import parse
from . import odata
from .inventory import Grant, Inventory
from .operations import EmulatedOperation

BASES = ("/adminservice/", "/adminservice_tokenauth/")
FIRST_OPERATION_ID = 16_777_463
"""The first OperationId handed out (the documented example's number)."""
Handler = Callable[..., "Response"]


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    method: str
    path: str
    """After the base (``v1.0/Device``), percent-decoded."""
    options: dict[str, str]
    headers: dict[str, str]
    body: bytes
    grant: Grant | None = None


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps({"error": {"code": str(status), "message": message}}).encode()
    return Response(status, body, {"Content-Type": "application/json; charset=utf-8", **(headers or {})})


def _routes() -> list[tuple[str, str, re.Pattern[str], str]]:
    table = [
        ("GET", r"v1\.0/\$metadata", "metadata", "metadata"),
        ("GET", r"v1\.0/Device", "devices", "devices"),
        ("GET", r"v1\.0/Device\((\d+)\)", "device", "device"),
        ("GET", r"v1\.0/Device\((\d+)\)/ResourceCollectionMembership", "membership", "membership"),
        ("POST", r"v1\.0/Device\((\d+)\)/AdminService\.RunCMPivot", "run", "run_device"),
        ("POST", r"v1\.0/Collections\('([^']*)'\)/AdminService\.RunCMPivot", "run", "run_collection"),
        ("GET", r"v1\.0/Device\((\d+)\)/AdminService\.CMPivotResult\(OperationId=(\d+)\)", "result", "device_result"),
        ("GET", r"v1\.0/Collections\('([^']*)'\)/AdminService\.CMPivotResult\(OperationId=(\d+)\)", "result",
         "collection_result"),
        ("GET", r"v1\.0/Collections(?:\('([^']*)'\))?", "collections", "collections"),
        ("GET", r"(?:v1\.0|(?i:wmi))/(?i:SMS_CMPivotStatus)", "cmpivotstatus", "cmpivot_status"),
        ("GET", r"(?i:wmi/SMS_ClientOperationStatus)", "progress", "progress"),
        ("POST", r"(?i:wmi/SMS_ClientOperation\.CancelClientOperation)", "cancel", "cancel"),
        ("GET", r"(?i:wmi/SMS_R_System)(?:\((\d+)\))?", "systems", "systems"),
        ("GET", r"(?i:wmi/SMS_CombinedDeviceResources)", "combined", "combined"),
        ("GET", r"(?i:wmi/SMS_Collection)(?:\('([^']*)'\))?", "collections", "collections"),
        ("GET", r"(?i:wmi/SMS_FullCollectionMembership)", "members", "members"),
        ("GET", r"(?i:wmi/SMS_InventoryClass)(?:\('([^']*)'\))?", "catalog", "inventory_classes"),
        ("GET", r"(?i:wmi/SMS_InventoryReport)(?:\('([^']*)'\))?", "catalog", "inventory_reports"),
        ("GET", r"(?i:wmi/SMS_G_System_)(\w+)", "inventory", "inventoried"),
    ]
    return [(m, name, re.compile(pattern + r"/?"), method) for m, pattern, name, method in table]


ROUTES = _routes()


class AdminServiceApp:
    """The emulated AdminService: tokens, operations and the handlers of the routes above."""

    def __init__(self, inventory: Inventory, backend: TableBackend, speed: float,
                 clock: Callable[[], dt.datetime]) -> None:
        self.inventory, self.backend, self.speed, self.clock = inventory, backend, speed, clock
        self.grants: dict[str, Grant] = {}
        self.operations: dict[int, EmulatedOperation] = {}
        self.origin = ""
        self.counts: Counter[str] = Counter()
        self.log: deque[tuple[float, str, str]] = deque(maxlen=100_000)
        """(monotonic time, method, route name) of recent requests, for tests of pacing."""
        self._ids = itertools.count(FIRST_OPERATION_ID)
        self._lock = threading.Lock()
        self.token_verifier: Callable[[str], Grant | Response] | None = None
        """Checks a bearer token that is not a static one (the Entra ID stand-in's JWTs)."""

    # ------------------------------------------------------------------------- dispatch

    def route_of(self, method: str, raw_path: str) -> tuple[str, Handler | None, tuple[str, ...], str]:
        """(fault-route name, handler, URL arguments, path after the base) of a request."""
        path = unquote(urlsplit(raw_path).path)
        lowered = path.lower()
        base = next((b for b in BASES if lowered.startswith(b)), None)
        if base is None:
            return "*", None, (), path
        rest = path[len(base):]
        for verb, name, pattern, handler in ROUTES:
            found = pattern.fullmatch(rest)
            if found and verb == method:
                return name, getattr(self, "_" + handler), tuple(g for g in found.groups() if g is not None), rest
        return "*", None, (), rest

    def note(self, method: str, route: str) -> None:
        """Count a request that reached the server (faults included)."""
        with self._lock:
            self.counts[route] += 1
            self.log.append((time.monotonic(), method, route))

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> Response:
        _, handler, args, rest = self.route_of(method, raw_path)
        if handler is None:
            return error(404, f"No HTTP resource was found that matches the request URI '{self.origin}{raw_path}'.")
        grant = self.authenticate(headers)
        if isinstance(grant, Response):
            return grant
        options = {k: v[-1] for k, v in parse_qs(urlsplit(raw_path).query, keep_blank_values=True).items()}
        request = Request(method, rest, options, headers, body, grant)
        try:
            response: Response = handler(request, *args)
            return response
        except odata.ODataError as err:
            return error(400, str(err))

    def authenticate(self, headers: dict[str, str]) -> Grant | Response:
        scheme, _, value = (headers.get("Authorization") or "").strip().partition(" ")
        scheme = scheme.lower()
        if scheme == "ntlm" or (scheme == "negotiate" and value.startswith("TlRMTVNTUA")):
            return error(401, "Rejecting NTLM authentication.", {"WWW-Authenticate": "Negotiate"})
        if scheme == "bearer":
            grant = self.grants.get(value.strip())
            if grant is not None:
                return grant
            if self.token_verifier is not None and value.strip().count(".") == 2:
                return self.token_verifier(value.strip())
            return error(401, "Authorization has been denied for this request: the bearer token is not valid.",
                         {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if scheme == "negotiate":
            return error(401, "Authorization has been denied for this request: the emulator takes bearer tokens.",
                         {"WWW-Authenticate": "Bearer"})
        return error(401, "Authorization has been denied for this request.", {"WWW-Authenticate": "Bearer"})

    # --------------------------------------------------------------------------- helpers

    def _context(self, request: Request, name: str) -> str:
        route = "v1.0" if request.path.startswith("v1.0") else "wmi"
        return f"{self.origin}/AdminService/{route}/$metadata#{name}"

    def _list(self, request: Request, rows: list[dict[str, Any]], name: str) -> Response:
        chosen = odata.apply(rows, request.options, name)
        return self._json({"@odata.context": self._context(request, name), "value": chosen})

    @staticmethod
    def _json(obj: Any, status: int = 200) -> Response:
        return Response(status, json.dumps(obj, separators=(",", ":")).encode(),
                        {"Content-Type": "application/json; odata.metadata=minimal; charset=utf-8"})

    def _grant(self, request: Request) -> Grant:
        assert request.grant is not None
        return request.grant

    def _body(self, request: Request) -> dict[str, Any]:
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise odata.ODataError("The request body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise odata.ODataError("The request body must be a JSON object.")
        return data

    def _device_visible(self, request: Request, rid: int) -> bool:
        seen = self.inventory.visible(self._grant(request))
        return rid in self.inventory.ids and (seen is None or rid in seen)

    # ------------------------------------------------------------------------- inventory

    def _metadata(self, request: Request) -> Response:
        xml = ('<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="4.0" '
               'xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices/></edmx:Edmx>')
        return Response(200, xml.encode(), {"Content-Type": "application/xml"})

    def _devices(self, request: Request) -> Response:
        rows = self.inventory.scoped(self.inventory.device_rows, self._grant(request), "MachineId")
        return self._list(request, rows, "Device")

    def _device(self, request: Request, rid: str) -> Response:
        if not self._device_visible(request, int(rid)):
            return error(404, f"Device({rid}) was not found.")
        row = next(r for r in self.inventory.device_rows if r["MachineId"] == int(rid))
        return self._json({"@odata.context": self._context(request, "Device/$entity"), **row})

    def _membership(self, request: Request, rid: str) -> Response:
        if not self._device_visible(request, int(rid)):
            return error(404, f"Device({rid}) was not found.")
        by_id = {c["CollectionID"]: c for c in self.inventory.collection_rows}
        rows = [{"ResourceId": int(rid), "CollectionId": cid, "Collection": by_id[cid]}
                for cid in self.inventory.collections_of[int(rid)] if self._grant(request).can_read(cid)]
        return self._list(request, rows, "ResourceCollectionMembership")

    def _systems(self, request: Request, rid: str | None = None) -> Response:
        rows = self.inventory.scoped(self.inventory.system_rows, self._grant(request), "ResourceId")
        if rid is not None:
            rows = [r for r in rows if r["ResourceId"] == int(rid)]
            if not rows:
                return error(404, f"SMS_R_System({rid}) was not found.")
            return self._json({"@odata.context": self._context(request, "SMS_R_System/$entity"), **rows[0]})
        return self._list(request, rows, "SMS_R_System")

    def _combined(self, request: Request) -> Response:
        rows = self.inventory.scoped(self.inventory.combined_rows, self._grant(request), "ResourceID")
        return self._list(request, rows, "SMS_CombinedDeviceResources")

    def _collections(self, request: Request, cid: str | None = None) -> Response:
        grant = self._grant(request)
        rows = [r for r in self.inventory.collection_rows if grant.can_read(r["CollectionID"])]
        if cid is not None:
            rows = [r for r in rows if r["CollectionID"].upper() == cid.upper()]
            if not rows:
                return error(404, f"Collection '{cid}' was not found.")
            return self._json({"@odata.context": self._context(request, "SMS_Collection/$entity"), **rows[0]})
        return self._list(request, rows, "SMS_Collection")

    def _inventory_classes(self, request: Request, class_id: str | None = None) -> Response:
        return self._catalog(request, "SMS_InventoryClass", "SMSClassID", inventory_classes(), class_id)

    def _inventory_reports(self, request: Request, report_id: str | None = None) -> Response:
        return self._catalog(request, "SMS_InventoryReport", "InventoryReportID", inventory_reports(), report_id)

    def _catalog(self, request: Request, name: str, key: str, rows: tuple[dict[str, Any], ...],
                 wanted: str | None) -> Response:
        """The site's inventory class definitions, which need Read on Inventory Reports."""
        if not self._grant(request).inventory_reports:
            return error(403, f"The user does not have Read permission on Inventory Reports, which {name} requires.")
        if wanted is None:
            return self._list(request, list(rows), name)
        found = [r for r in rows if str(r[key]).upper() == wanted.upper()]
        if not found:
            return error(404, f"{name}('{wanted}') was not found.")
        return self._list(request, found, name)  # a GET by key still answers {"value": [...]}

    def _inventoried(self, request: Request, group: str) -> Response:
        """A device's rows from its last hardware inventory, scoped to the devices the role reads."""
        ids = _ids_in(request.options.get("$filter", ""), "ResourceID")
        rows = self.inventory.inventoried(group, ids, self.clock())
        if rows is None:
            return error(404, f"Invalid class name SMS_G_System_{group}.")
        rows = self.inventory.scoped(rows, self._grant(request), "ResourceID")
        return self._list(request, rows, f"SMS_G_System_{group.upper()}")

    def _members(self, request: Request) -> Response:
        grant = self._grant(request)
        only = re.fullmatch(r"\s*CollectionID eq '([^']*)'\s*", request.options.get("$filter", ""), re.I)
        if only:  # the usual question, answered without scanning every membership
            cid = only.group(1).upper()
            rows = self.inventory.membership_rows(cid) if grant.can_read(cid) else []
            options = {k: v for k, v in request.options.items() if k != "$filter"}
            return self._list(Request(request.method, request.path, options, request.headers, b"", grant),
                              rows, "SMS_FullCollectionMembership")
        rows = [r for r in self.inventory.membership_rows() if grant.can_read(r["CollectionID"])]
        return self._list(request, rows, "SMS_FullCollectionMembership")

    # --------------------------------------------------------------------------- CMPivot

    def _run_device(self, request: Request, rid: str) -> Response:
        resource_id = int(rid)
        if not self._device_visible(request, resource_id):
            return error(404, f"Device({rid}) was not found.")
        if not self.inventory.can_run_on_device(self._grant(request), resource_id):
            return error(403, f"The user does not have the Run CMPivot permission on a collection of device {rid}.")
        target = Target(self.inventory.names[resource_id], resource_id)
        started = self._start(request, "device", resource_id, [target])
        if isinstance(started, Response):
            return started
        return self._json({"@odata.context": self._context(request, "Edm.ComplexType"),
                           "value": {"OperationId": started.id}})

    def _run_collection(self, request: Request, cid: str) -> Response:
        cid = cid.upper()
        grant = self._grant(request)
        if cid not in self.inventory.members or not grant.can_read(cid):
            return error(404, f"Collection '{cid}' was not found.")
        if not grant.can_run(cid):
            return error(403, f"The user does not have the Run CMPivot permission on collection '{cid}'.")
        names = self.inventory.names
        targets = [Target(names[rid], rid) for rid in sorted(self.inventory.members[cid])]
        started = self._start(request, "collection", cid, targets)
        if isinstance(started, Response):
            return started
        return self._json({"@odata.context": self._context(request, "Edm.ComplexType"), "OperationId": started.id})

    def _start(self, request: Request, kind: str, key: int | str, targets: list[Target]) -> EmulatedOperation | Response:
        text = self._body(request).get("InputQuery")
        if not isinstance(text, str) or not text.strip():
            return error(400, "InputQuery is required.")
        try:
            query = parse(text)
        except CMPivotError as err:
            return error(400, f"KustoParser: {err.message}")
        with self._lock:
            op_id = next(self._ids)
        operation = EmulatedOperation(op_id, kind, key, query, targets, self.backend, self.speed, self.clock(),
                                      created_by=self._grant(request).name)
        self.operations[op_id] = operation
        return operation

    def _operation(self, op: str) -> EmulatedOperation | None:
        return self.operations.get(int(op))

    def _device_result(self, request: Request, rid: str, op: str) -> Response:
        operation = self._operation(op)
        if operation is None or not self._device_visible(request, int(rid)):
            return Response(404)
        body = operation.device_result(int(rid), self._context(request, "Edm.ComplexType"))
        return Response(404) if body is None else Response(200, body, {"Content-Type": "application/json"})

    def _collection_result(self, request: Request, cid: str, op: str) -> Response:
        operation = self._operation(op)
        if operation is None or operation.kind != "collection" or str(operation.key) != cid.upper():
            return Response(404)
        if not self._grant(request).can_read(cid.upper()):
            return error(404, "Access denied  WMI QUERY: ")
        body = operation.collection_result(self._context(request, "Collection(Edm.ComplexType)"))
        return Response(404) if body is None else Response(200, body, {"Content-Type": "application/json"})

    def _progress(self, request: Request) -> Response:
        wanted = _ids_in(request.options.get("$filter", ""), "ID")
        ops = [self.operations[i] for i in wanted if i in self.operations] if wanted is not None \
            else list(self.operations.values())
        return self._list(request, [o.status_row() for o in ops], "SMS_ClientOperationStatus")

    def _cmpivot_status(self, request: Request) -> Response:
        wanted = _ids_in(request.options.get("$filter", ""), "ClientOperationId")
        ops = [self.operations[i] for i in wanted if i in self.operations] if wanted is not None \
            else list(self.operations.values())
        rows = [row for o in ops for row in o.script_status_rows()]
        kept = odata.apply(rows, {k: v for k, v in request.options.items() if k != "$select"}, "SMS_CMPivotStatus")
        for row in kept:  # the raw output is big: build it only for the rows asked for
            row["ScriptOutput"] = self.operations[row["ClientOperationId"]].script_output(row["ResourceID"])
        if request.options.get("$select"):
            kept = odata.select(kept, request.options["$select"], kept[0] if kept else None, "SMS_CMPivotStatus")
        return self._json({"@odata.context": self._context(request, "SMS_CMPivotStatus"), "value": kept})

    def _cancel(self, request: Request) -> Response:
        body = {k.lower(): v for k, v in self._body(request).items()}
        operation = self.operations.get(int(body.get("operationid") or 0))
        if operation is None:
            return error(404, f"Client operation {body.get('operationid')} was not found.")
        operation.cancel()
        return self._json({"@odata.context": self._context(request, "SMS_ClientOperation"), "ReturnValue": 0})


def _ids_in(text: str, name: str) -> list[int] | None:
    """The ids of a filter made only of ``<name> eq <n>`` clauses joined by ``or`` (else None);
    with ``and`` clauses after the ids, those ids still bound the rows to consider."""
    if not text:
        return None
    head = re.split(r"\band\b", text, maxsplit=1, flags=re.I)[0]
    clauses = [c.strip(" ()") for c in re.split(r"\bor\b", head, flags=re.I)]
    ids = []
    for clause in clauses:
        found = re.fullmatch(rf"{name}\s+eq\s+(\d+)", clause, re.I)
        if not found:
            return None
        ids.append(int(found.group(1)))
    return ids


__all__ = ["AdminServiceApp", "Request", "Response", "error"]
