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
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ..backends.base import Target
from ..backends.tables import TableBackend
from . import action_routes, cmpivot_routes, odata, site_routes
from .inventory import Grant, Inventory
from .operations import EmulatedOperation
from .routing import Handler, Request, Response, error
from .scripts import ScriptRun

BASES = ("/adminservice/", "/adminservice_tokenauth/")
FIRST_OPERATION_ID = 16_777_463
"""The first OperationId handed out (the documented example's number)."""

ROUTES = [(verb, name, re.compile(pattern + r"/?"), handler)
          for verb, pattern, name, handler in (*site_routes.ROUTES, *cmpivot_routes.ROUTES, *action_routes.ROUTES)]


class AdminServiceApp:
    """The emulated AdminService: tokens, operations, and dispatch to the route handlers."""

    def __init__(self, inventory: Inventory, backend: TableBackend, speed: float,
                 clock: Callable[[], dt.datetime]) -> None:
        self.inventory, self.backend, self.speed, self.clock = inventory, backend, speed, clock
        self.grants: dict[str, Grant] = {}
        self.operations: dict[int, EmulatedOperation] = {}
        self.script_runs: dict[int, ScriptRun] = {}
        self.favorites: dict[int, dict[str, Any]] = {}
        self.origin = ""
        self.counts: Counter[str] = Counter()
        self.log: deque[tuple[float, str, str]] = deque(maxlen=100_000)
        """(monotonic time, method, route name) of recent requests, for tests of pacing."""
        self._ids = itertools.count(FIRST_OPERATION_ID)
        self._lock = threading.Lock()
        self.token_verifier: Callable[[str], Grant | Response] | None = None
        """Checks a bearer token that is not a static one (the Entra ID stand-in's JWTs)."""

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
                return name, handler, tuple(g for g in found.groups() if g is not None), rest
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
            return handler(self, request, *args)
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

    def next_operation_id(self) -> int:
        """Client operations (CMPivot queries and script runs) share one sequence of ids."""
        with self._lock:
            return next(self._ids)

    def regrant(self, request: Request, grant: Grant) -> None:
        token = (request.headers.get("Authorization") or "").partition(" ")[2].strip()
        if token in self.grants:
            self.grants[token] = grant

    def start_operation(self, kind: str, key: int | str, query: Any, targets: list[Target],
                        created_by: str) -> EmulatedOperation:
        """A new CMPivot operation on ``targets``, under the next OperationId."""
        op_id = self.next_operation_id()
        operation = EmulatedOperation(op_id, kind, key, query, targets, self.backend, self.speed, self.clock(),
                                      created_by=created_by)
        self.operations[op_id] = operation
        return operation


__all__ = ["AdminServiceApp"]
