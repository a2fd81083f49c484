"""The AdminService's REST calls and JSON shapes, one method each, over a given ``requests.Session``.

Routes (``reference/adminservice-api.md`` §1; [DOC] documented, [COMM] observed by several tools,
[INF] inferred):

    POST v1.0/Device(<id>)/AdminService.RunCMPivot            {"InputQuery": q} → value.OperationId   [DOC]
    POST v1.0/Collections('<id>')/AdminService.RunCMPivot     → OperationId at the top level          [COMM]
    GET  …/AdminService.CMPivotResult(OperationId=<n>)        404 until ready; value.Result (device),
                                                              value[*].Result (collection)           [COMM]
    GET  wmi/SMS_ClientOperationStatus?$filter=ID eq <n>      Total/Completed/Failed/Offline clients  [INF]
    GET  v1.0/SMS_CMPivotStatus?$filter=ClientOperationId eq <n>   per-device ScriptOutput        [COMM]
    POST wmi/SMS_ClientOperation.CancelClientOperation        {"OperationID": n}                      [INF]
    GET  v1.0/Device, wmi/SMS_R_System, wmi/SMS_Collection, wmi/SMS_FullCollectionMembership,
         v1.0/Device(<id>)/ResourceCollectionMembership, wmi/SMS_CombinedDeviceResources (CNIsOnline)
    GET  wmi/SMS_InventoryClass[('<id>')], wmi/SMS_InventoryReport   the site's inventory classes  [INF]

Bodies are JSON-encoded by ``requests`` (never by string formatting: KQL paths double their
backslashes and quotes must survive). OData string literals double their single quotes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from ...errors import BackendError
from ..base import Target
from .entry_frames import EntryBatch, parse_entries
from .transport import Policy, Transport

_OPERATION_ID = re.compile(r'"OperationId"\s*:\s*(\d+)', re.IGNORECASE)
_STATUS_CHUNK = 40
"""Operation ids per SMS_ClientOperationStatus request (keeps the URL short)."""
_MAX_PAGES = 1000


@dataclass(frozen=True)
class OperationStatus:
    """One ``SMS_ClientOperationStatus`` row: how many targeted clients have done what."""

    id: int
    total: int
    completed: int
    failed: int
    offline: int
    unknown: int = 0
    state: int | None = None
    expired: bool = False
    collection_id: str = ""
    """The collection a collection-route operation targets ("" for a device operation)."""

    @property
    def accounted(self) -> int:
        return self.completed + self.failed + self.offline + self.unknown

    @property
    def finished(self) -> bool:
        """Every targeted client answered, failed or was offline (the console's "completed")."""
        return self.total > 0 and self.accounted >= self.total

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> OperationStatus:
        get = _getter(row)

        def num(name: str) -> int:
            value = get(name)
            return int(value) if value not in (None, "") else 0

        state = get("State")
        return cls(num("ID"), num("TotalClients"), num("CompletedClients"), num("FailedClients"),
                   num("OfflineClients"), num("UnknownClients"), None if state is None else int(state),
                   bool(get("IsExpired")), str(get("CollectionID") or ""))


def odata_string(value: str) -> str:
    """An OData string literal: single quotes, inner quotes doubled."""
    return "'" + str(value).replace("'", "''") + "'"


class AdminServiceClient:
    """REST calls of one AdminService, e.g. ``https://cm01.contoso.com/AdminService``."""

    def __init__(self, base_url: str, session: requests.Session, policy: Policy | None = None, *,
                 profile: str = "onprem") -> None:
        self.base = base_url.rstrip("/")
        self.transport = Transport(session, policy, profile=profile)

    def __repr__(self) -> str:
        return f"AdminServiceClient({self.base!r})"

    @property
    def stats(self) -> Any:
        return self.transport.stats

    def url(self, path: str, **options: str | int | None) -> str:
        """``base/path?$filter=…&$select=…`` with OData's ``$`` options left readable."""
        parts = [f"${k}={quote(str(v), safe=chr(39) + '(),')}" for k, v in options.items() if v is not None]
        return f"{self.base}/{path}" + ("?" + "&".join(parts) if parts else "")

    # ------------------------------------------------------------------------------- CMPivot

    def run_on_device(self, resource_id: int, query: str) -> int:
        url = self.url(f"v1.0/Device({int(resource_id)})/AdminService.RunCMPivot")
        _, body = self.transport.call("POST", url, action=f"run CMPivot on device {resource_id}",
                                      body={"InputQuery": query}, salvage=_salvage_operation_id)
        return operation_id_of(body)

    def run_on_collection(self, collection_id: str, query: str) -> int:
        url = self.url(f"v1.0/Collections({odata_string(collection_id)})/AdminService.RunCMPivot")
        _, body = self.transport.call("POST", url, action=f"run CMPivot on collection {collection_id}",
                                      body={"InputQuery": query}, salvage=_salvage_operation_id)
        return operation_id_of(body)

    def device_result(self, resource_id: int, operation_id: int) -> list[dict[str, Any]] | None:
        """The device's result rows, or None while the result is not ready (404)."""
        url = self.url(f"v1.0/Device({int(resource_id)})/AdminService.CMPivotResult(OperationId={int(operation_id)})")
        status, body = self.transport.call("GET", url, action=f"read CMPivot operation {operation_id}",
                                           pending_404=True)
        if status == 404:
            return None
        value = body.get("value") if isinstance(body, dict) else None
        if isinstance(value, list):  # some sites answer the device route in the collection shape
            return [row for entry in value if isinstance(entry, dict) for row in _rows_of(entry)]
        return _rows_of(value) if isinstance(value, dict) else []

    def collection_result(self, collection_id: str, operation_id: int) -> list[dict[str, Any]] | None:
        """The per-device entries answered so far (each with a ``Result`` list), or None (404)."""
        batches = self.collection_result_batches(collection_id, operation_id)
        if batches is None:
            return None
        return [e for batch in batches for e in (batch.entries() if isinstance(batch, EntryBatch) else batch)
                if isinstance(e, dict)]

    def collection_result_batches(self, collection_id: str, operation_id: int,
                                  parse: Callable[[bytes], EntryBatch] = parse_entries,
                                  ) -> Iterator[EntryBatch | list[dict[str, Any]]] | None:
        """The same entries in batches as the body arrives (never all of it in memory), or None (404):
        an ``EntryBatch`` (read column-wise, see ``entry_frames``) or, for a body of another shape, a
        list of entries. A body cut short part-way is read again, so a batch's devices may come twice.
        ``parse`` reads a batch's text (``entry_frames.EntryParser`` leaves out devices already delivered)."""
        url = self.url(f"v1.0/Collections({odata_string(collection_id)})/AdminService.CMPivotResult"
                       f"(OperationId={int(operation_id)})")
        return self.transport.stream("GET", url, action=f"read CMPivot operation {operation_id}",
                                     pending_404=True, parse=parse)

    def operation_status(self, operation_ids: Iterable[int]) -> dict[int, OperationStatus]:
        """``SMS_ClientOperationStatus`` rows by operation id (ids the site doesn't know are absent)."""
        ids = sorted(set(int(i) for i in operation_ids))
        found: dict[int, OperationStatus] = {}
        for start in range(0, len(ids), _STATUS_CHUNK):
            chunk = ids[start : start + _STATUS_CHUNK]
            clause = " or ".join(f"ID eq {i}" for i in chunk)
            for row in self.list("wmi/SMS_ClientOperationStatus", filter=clause,
                                 action="read the progress of CMPivot operations"):
                status = OperationStatus.from_row(row)
                found[status.id] = status
        return found

    def failures(self, operation_id: int) -> list[dict[str, Any]]:
        """``SMS_CMPivotStatus`` rows of the devices whose script failed (ScriptExitCode ≠ 0)."""
        return self.list("v1.0/SMS_CMPivotStatus",
                         filter=f"ClientOperationId eq {int(operation_id)} and ScriptExitCode ne 0",
                         select="ClientOperationId,ResourceID,DeviceName,ScriptExitCode,ScriptOutput",
                         action=f"read device errors of CMPivot operation {operation_id}")

    def cancel(self, operation_id: int) -> None:
        url = self.url("wmi/SMS_ClientOperation.CancelClientOperation")
        self.transport.call("POST", url, action=f"cancel CMPivot operation {operation_id}",
                            body={"OperationID": int(operation_id)}, salvage=lambda text: {})

    # ----------------------------------------------------------------- devices and collections

    def devices(self) -> list[dict[str, Any]]:
        """Devices from ``v1.0/Device`` (ConfigMgr 1910+), else ``wmi/SMS_R_System``."""
        try:
            return self.list("v1.0/Device", action="list devices")
        except BackendError as err:
            if "(404)" not in str(err):
                raise
        return self.list("wmi/SMS_R_System", select="ResourceId,Name,ResourceDomainOrWorkgroup,"
                         "OperatingSystemNameandVersion,Client,ClientVersion,LastLogonUserName",
                         action="list devices")

    def device_states(self) -> list[dict[str, Any]]:
        """Online state and client facts from ``SMS_CombinedDeviceResources``."""
        return self.list("wmi/SMS_CombinedDeviceResources",
                         select="ResourceID,Name,Domain,UserName,DeviceOS,ClientVersion,CNIsOnline,"
                                "CNLastOnlineTime,LastActiveTime,IsClient",
                         action="read device online states")

    def offline_ids(self) -> set[int]:
        rows = self.list("wmi/SMS_CombinedDeviceResources", filter="CNIsOnline eq false", select="ResourceID",
                         action="read which devices are offline")
        return {int(_getter(r)("ResourceID")) for r in rows}

    def collections(self) -> list[dict[str, Any]]:
        return self.list("wmi/SMS_Collection", filter="CollectionType eq 2",
                         select="CollectionID,Name,MemberCount,Comment", action="list collections")

    def collection_members(self, collection_id: str) -> list[dict[str, Any]]:
        """``SMS_FullCollectionMembership`` rows (ResourceID, Name) of one collection."""
        return self.list("wmi/SMS_FullCollectionMembership", filter=f"CollectionID eq {odata_string(collection_id)}",
                         select="ResourceID,Name", action=f"list the members of collection {collection_id}")

    def collection_exists(self, collection_id: str) -> bool:
        rows = self.list("wmi/SMS_Collection", filter=f"CollectionID eq {odata_string(collection_id)}",
                         select="CollectionID", action=f"look up collection {collection_id}")
        return bool(rows)

    def device_collections(self, resource_id: int) -> list[dict[str, Any]]:
        """The collections a device belongs to (``Device(<id>)/ResourceCollectionMembership``)."""
        rows = self.list(f"v1.0/Device({int(resource_id)})/ResourceCollectionMembership",
                         expand="Collection", select="Collection",
                         action=f"list the collections of device {resource_id}")
        return [r["Collection"] if isinstance(r.get("Collection"), dict) else r for r in rows]

    # ----------------------------------------------------------------- the site's inventory classes

    def inventory_classes(self) -> list[dict[str, Any]]:
        """``SMS_InventoryClass`` records (Properties may be lazy: see ``inventory_class``)."""
        return self.list("wmi/SMS_InventoryClass", action="read the site's inventory classes")

    def inventory_class(self, class_id: str) -> dict[str, Any] | None:
        """One class by key, with its lazy properties (a GET by key still answers a value list)."""
        path = f"wmi/SMS_InventoryClass({quote(odata_string(class_id), safe=chr(39))})"
        rows = self.list(path, action=f"read inventory class {class_id}")
        return rows[0] if rows else None

    def inventory_reports(self) -> list[dict[str, Any]]:
        """``SMS_InventoryReport`` records: which classes and properties the client settings collect."""
        return self.list("wmi/SMS_InventoryReport", action="read the site's inventory reports")

    def list(self, path: str, *, action: str, filter: str | None = None, select: str | None = None,
             expand: str | None = None) -> list[dict[str, Any]]:
        """Every row of an OData collection, following ``@odata.nextLink`` should a site page."""
        url: str | None = self.url(path, filter=filter, select=select, expand=expand)
        rows: list[dict[str, Any]] = []
        for _ in range(_MAX_PAGES):
            if url is None:
                break
            _, body = self.transport.call("GET", url, action=action)
            if not isinstance(body, dict):
                break
            value = body.get("value")
            rows.extend(r for r in (value if isinstance(value, list) else []) if isinstance(r, dict))
            url = body.get("@odata.nextLink")
        return rows


def operation_id_of(body: Any) -> int:
    """The OperationId of a RunCMPivot answer: ``value.OperationId`` (device route) or at the top
    level (collection route)."""
    if isinstance(body, dict):
        value = body.get("value")
        for holder in (value, body):
            if isinstance(holder, dict):
                found = _getter(holder)("OperationId")
                if found is not None:
                    return int(found)
        if isinstance(value, int | str) and str(value).isdigit():
            return int(value)
    raise BackendError("the site's answer to RunCMPivot has no OperationId", hint=f"it answered: {str(body)[:200]}")


def _salvage_operation_id(text: str) -> dict[str, int] | None:
    """An OperationId from a body that is not valid JSON (the operation was created all the same)."""
    found = _OPERATION_ID.search(text)
    return {"OperationId": int(found.group(1))} if found else None


def _rows_of(entry: dict[str, Any]) -> list[dict[str, Any]]:
    result = _getter(entry)("Result")
    return [r for r in result if isinstance(r, dict)] if isinstance(result, list) else []


def _getter(row: dict[str, Any]) -> Any:
    """Case-insensitive property access (the wmi route is case-insensitive)."""
    lowered = {k.lower(): v for k, v in row.items()}
    return lambda name: row[name] if name in row else lowered.get(name.lower())


def entry_identity(entry: dict[str, Any]) -> tuple[int | None, str | None]:
    """The device a collection-result entry belongs to: its ResourceId and name, where given."""
    get = _getter(entry)
    rid = get("ResourceId") if get("ResourceId") is not None else get("MachineId")
    name = get("DeviceName") or get("Device") or get("Name")
    if name is None:
        rows = _rows_of(entry)
        name = _getter(rows[0])("Device") if rows else None
    return (int(rid) if rid not in (None, "") else None), (str(name) if name is not None else None)


def entry_rows(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return _rows_of(entry)


def group_entries(entries: list[dict[str, Any]], target_of: Callable[[int | None, str | None], Target | None],
                  already: Callable[[int], bool]) -> list[tuple[Target, list[dict[str, Any]]]]:
    """Entries' rows by device, in order (a device's rows are delivered whole, once), leaving out the
    devices ``already`` has."""
    rows_of: dict[int, tuple[Target, list[dict[str, Any]]]] = {}
    for entry in entries:
        rid, name = entry_identity(entry)
        target = target_of(rid, name)
        if target is not None:
            if not already(target.resource_id):
                rows_of.setdefault(target.resource_id, (target, []))[1].extend(entry_rows(entry))
            continue
        for row in entry_rows(entry):  # an entry that doesn't say whose it is: each row does
            owner = target_of(None, get_field(row, "Device"))
            if owner is not None and not already(owner.resource_id):
                rows_of.setdefault(owner.resource_id, (owner, []))[1].append(row)
    return list(rows_of.values())


def get_field(row: dict[str, Any], name: str) -> Any:
    return _getter(row)(name)


def script_error(row: dict[str, Any]) -> str:
    """A device's error from its ``SMS_CMPivotStatus`` row: the message in ``ScriptOutput``
    (``<result ResultCode="…" Error="…"/>``, or an ``<error>`` element), else the exit code."""
    output = _getter(row)("ScriptOutput")
    code = _getter(row)("ScriptExitCode")
    if isinstance(output, str) and output.strip():
        try:
            root = ET.fromstring(output)
        except ET.ParseError:
            return output.strip()[:1000]
        for node in root.iter():
            for attr in ("Error", "ErrorMessage", "Message"):
                if node.get(attr):
                    return str(node.get(attr))
            if node.tag.lower() in ("error", "message") and node.text and node.text.strip():
                return node.text.strip()
        return f"the device's script failed (ResultCode {root.get('ResultCode', code)})"
    return f"the device's script failed (exit code {code})"


__all__ = ["AdminServiceClient", "OperationStatus", "entry_identity", "entry_rows", "get_field", "group_entries",
           "odata_string", "operation_id_of", "script_error"]
