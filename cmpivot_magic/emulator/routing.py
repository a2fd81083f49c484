"""The emulated AdminService's HTTP plumbing: requests and responses, OData's error body, and the
helpers every route handler shares.

Handlers are plain functions ``handler(site, request, *url_args) -> Response`` grouped by subject
(``site_routes``: the site's classes; ``cmpivot_routes``: queries and their results); each module
lists its routes in ``ROUTES``. ``Site`` is what a handler may use of the emulated site.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import odata
from .inventory import Grant, Inventory
from .operations import EmulatedOperation
from .scripts import ScriptRun


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    parts: list[bytes] | None = None
    """A big body in pieces, sent one after another (``body`` is then unused): a 150,000-device
    result is never joined into one bytes object."""

    def whole(self) -> Response:
        """The same response with its parts joined into ``body``."""
        return self if self.parts is None else Response(self.status, b"".join(self.parts), self.headers)


@dataclass
class Request:
    method: str
    path: str
    """After the base (``v1.0/Device``), percent-decoded."""
    options: dict[str, str]
    headers: dict[str, str]
    body: bytes
    grant: Grant | None = None


class Site(Protocol):
    """What route handlers use of the emulated site (``app.AdminServiceApp`` is one)."""

    inventory: Inventory
    operations: dict[int, EmulatedOperation]
    script_runs: dict[int, ScriptRun]
    favorites: dict[int, dict[str, Any]]
    origin: str
    speed: float

    def clock(self) -> dt.datetime: ...

    def next_operation_id(self) -> int: ...

    def regrant(self, request: Request, grant: Grant) -> None:
        """From now on the request's token has ``grant`` (after it created a collection)."""

    def start_operation(self, kind: str, key: int | str, query: Any, targets: list[Any],
                        created_by: str) -> EmulatedOperation: ...


Handler = Callable[..., Response]
Route = tuple[str, str, str, Handler]
"""(HTTP verb, path pattern after the base, fault-switch name, handler)."""


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps({"error": {"code": str(status), "message": message}}).encode()
    return Response(status, body, {"Content-Type": "application/json; charset=utf-8", **(headers or {})})


def json_response(obj: Any, status: int = 200) -> Response:
    return Response(status, json.dumps(obj, separators=(",", ":")).encode(),
                    {"Content-Type": "application/json; odata.metadata=minimal; charset=utf-8"})


def context(site: Site, request: Request, name: str) -> str:
    """The ``@odata.context`` URL of an answer about ``name``."""
    route = "v1.0" if request.path.startswith("v1.0") else "wmi"
    return f"{site.origin}/AdminService/{route}/$metadata#{name}"


def listing(site: Site, request: Request, rows: list[dict[str, Any]], name: str) -> Response:
    """``rows`` filtered, paged and selected by the request's OData options, in a value list."""
    chosen = odata.apply(rows, request.options, name)
    return json_response({"@odata.context": context(site, request, name), "value": chosen})


def grant_of(request: Request) -> Grant:
    assert request.grant is not None, "handlers run only for authenticated requests"
    return request.grant


def body_of(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise odata.ODataError("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise odata.ODataError("The request body must be a JSON object.")
    return data


def device_visible(site: Site, request: Request, rid: int) -> bool:
    seen = site.inventory.visible(grant_of(request))
    return rid in site.inventory.ids and (seen is None or rid in seen)


def ids_in(text: str, name: str) -> list[int] | None:
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
