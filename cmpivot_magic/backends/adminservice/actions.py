"""Acting on results through the AdminService: collections, CMPivot favorites, Run Script.

Routes (``reference/site-catalog-and-actions.md`` §3-4):

    POST   wmi/SMS_Collection                                        create a device collection
    POST   wmi/SMS_Collection('<id>')/AdminService.AddMembershipRules direct rules, in batches
    GET    wmi/SMS_CMPivotFavorite; POST wmi/SMS_CMPivotFavorite.UpdateCMPivotFavorite; DELETE (<Id>)
    GET    wmi/SMS_Scripts
    POST   wmi/SMS_ClientOperation.InitiateClientOperationEx         Type 135, Param = base64 ScriptContent XML
    GET    wmi/SMS_ScriptsExecutionStatus?$filter=ClientOperationId eq <n>

A 403 becomes a ``PermissionDeniedError`` that names the right the role lacks.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from ...errors import BackendError, CMPivotError, PermissionDeniedError
from ..base import APPROVAL_NAMES, DeviceReply, DeviceStatus, ScriptInfo, Target, script_reply
from .client import AdminServiceClient, get_field, odata_string

RULES_PER_BATCH = 500
"""Direct membership rules per AddMembershipRules call (a large result is several calls)."""
SCRIPT_OPERATION_TYPE = 135


def _denied(err: PermissionDeniedError, right: str) -> PermissionDeniedError:
    return PermissionDeniedError(f"{err.message} Your security role lacks the {right}.",
                                 hint="ask a ConfigMgr administrator to add it to your role (Administration > "
                                      "Security > Security Roles), or have someone who has it do this")


class SiteActions:
    """The write calls of one site, over an ``AdminServiceClient``."""

    def __init__(self, client: AdminServiceClient) -> None:
        self.client = client

    def _call(self, method: str, path: str, action: str, right: str, body: Any = None) -> Any:
        try:
            _, answer = self.client.transport.call(method, self.client.url(path), action=action, body=body)
        except PermissionDeniedError as err:
            raise _denied(err, right) from None
        return answer

    # ------------------------------------------------------------------------ collections

    def create_collection(self, name: str, limit_to: str, comment: str) -> str:
        found = self.client.list("wmi/SMS_Collection", filter=f"Name eq {odata_string(name)}",
                                 select="CollectionID,Name", action=f"look up collection '{name}'")
        if found:
            raise CMPivotError(f"a collection named '{name}' already exists ({get_field(found[0], 'CollectionID')})",
                               hint="pick another name, or add the devices to that collection")
        body = {"Name": name, "LimitToCollectionID": limit_to, "CollectionType": 2, "Comment": comment}
        try:
            answer = self._call("POST", "wmi/SMS_Collection", f"create collection '{name}'",
                                "Create permission on Collection", body)
        except BackendError as err:
            if "409" in err.message:
                raise CMPivotError(f"a collection named '{name}' already exists", hint="pick another name") from None
            raise
        cid = get_field(answer or {}, "CollectionID")
        if not cid:
            raise BackendError("the site's answer to creating a collection has no CollectionID")
        return str(cid)

    def add_members(self, collection_id: str, targets: Sequence[Target]) -> None:
        rules = [{"@odata.type": "#AdminService.SMS_CollectionRuleDirect", "ResourceClassName": "SMS_R_System",
                  "RuleName": t.name, "ResourceID": t.resource_id} for t in targets]
        path = f"wmi/SMS_Collection({odata_string(collection_id)})/AdminService.AddMembershipRules"
        for start in range(0, len(rules), RULES_PER_BATCH):
            self._call("POST", path, f"add devices to collection {collection_id}",
                       f"Modify permission on collection {collection_id}",
                       {"collectionRules": rules[start:start + RULES_PER_BATCH]})

    # ------------------------------------------------------------------------ favorites

    def site_favorites(self) -> list[dict[str, object]]:
        rows = self.client.list("wmi/SMS_CMPivotFavorite", action="list CMPivot favorites")
        return [{"Id": int(get_field(r, "Id") or 0), "Name": str(get_field(r, "Name") or ""),
                 "Query": str(get_field(r, "Query") or ""), "Owner": get_field(r, "UserName") or "",
                 "Modified": get_field(r, "Modified") or ""} for r in rows]

    def save_site_favorite(self, name: str, query: str) -> None:
        self._call("POST", "wmi/SMS_CMPivotFavorite.UpdateCMPivotFavorite", f"save CMPivot favorite '{name}'",
                   "permission to save CMPivot favorites", {"Name": name, "Query": query})

    def delete_site_favorite(self, favorite_id: int) -> None:
        self._call("DELETE", f"wmi/SMS_CMPivotFavorite({int(favorite_id)})", "delete a CMPivot favorite",
                   "permission to delete CMPivot favorites")

    # ------------------------------------------------------------------------ scripts

    def scripts(self) -> list[ScriptInfo]:
        try:
            rows = self.client.list("wmi/SMS_Scripts", action="list the site's scripts")
        except PermissionDeniedError as err:
            raise _denied(err, "Run Script permission (SMS Scripts)") from None
        return [_script_info(r) for r in rows]

    def run_script(self, script: ScriptInfo, targets: tuple[Target, ...], parameters: dict[str, str],
                   timeout: float) -> ScriptStatusOperation:
        xml = ET.Element("ScriptContent")
        ET.SubElement(xml, "ScriptGuid").text = script.guid
        ET.SubElement(xml, "ScriptVersion").text = "1"
        holder = ET.SubElement(xml, "ScriptParameters")
        for key, value in parameters.items():
            ET.SubElement(holder, "ScriptParameter", ParameterName=key, ParameterValue=str(value))
        body = {"Type": SCRIPT_OPERATION_TYPE, "TargetCollectionID": "",
                "TargetResourceIDs": [t.resource_id for t in targets], "RandomizationWindow": 0,
                "Param": base64.b64encode(ET.tostring(xml)).decode()}
        answer = self._call("POST", "wmi/SMS_ClientOperation.InitiateClientOperationEx",
                            f"run script '{script.name}'", "Run Script permission", body)
        op_id = get_field(answer or {}, "OperationID")
        if op_id is None:
            raise BackendError("the site's answer to Run Script has no OperationID")
        return ScriptStatusOperation(self.client, int(op_id), targets, self._offline(targets))

    def resume_script(self, operation_id: int, script: ScriptInfo, targets: tuple[Target, ...],
                      parameters: dict[str, str], timeout: float, age: float) -> ScriptStatusOperation:
        return ScriptStatusOperation(self.client, operation_id, targets, self._offline(targets))

    def _offline(self, targets: tuple[Target, ...]) -> set[int]:
        ids = {t.resource_id for t in targets}
        return ids & self.client.offline_ids()


def _script_info(row: dict[str, Any]) -> ScriptInfo:
    try:
        params = json.loads(get_field(row, "ParameterList") or "[]")
    except ValueError:
        params = []
    state = int(get_field(row, "ApprovalState") or 0)
    return ScriptInfo(str(get_field(row, "ScriptGuid")), str(get_field(row, "ScriptName")), state == 3,
                      APPROVAL_NAMES.get(state, f"state {state}"),
                      tuple((str(p.get("Name")), str(p.get("Type") or "String"), p.get("DefaultValue"))
                            for p in params if isinstance(p, dict)),
                      int(get_field(row, "Feature") or 0), str(get_field(row, "Comment") or ""))


class ScriptStatusOperation:
    """A script run in flight: polls ``SMS_ScriptsExecutionStatus``; devices the site reports
    offline when the run starts are Offline at once (a Run Script waits for them, the notebook not)."""

    owns_clock = False

    def __init__(self, client: AdminServiceClient, operation_id: int, targets: tuple[Target, ...],
                 offline: set[int]) -> None:
        self.client, self.operation_id, self.targets = client, operation_id, targets
        self._pending = {t.resource_id: t for t in targets}
        self._first = [DeviceReply(t.name, t.resource_id, DeviceStatus.OFFLINE,
                                   error="the device was offline when the script was sent", elapsed=0.0)
                       for t in targets if t.resource_id in offline]
        for r in self._first:
            self._pending.pop(r.resource_id)
        self._started = time.monotonic()
        self._cancelled = False
        self._lock = threading.Lock()

    def poll(self, wait: float) -> list[DeviceReply]:
        with self._lock:
            out, self._first = self._first, []
            if self._pending and not self._cancelled:
                rows = self.client.list("wmi/SMS_ScriptsExecutionStatus",
                                        filter=f"ClientOperationId eq {self.operation_id}",
                                        action=f"read the status of script run {self.operation_id}")
                for row in rows:
                    target = self._pending.pop(int(get_field(row, "ResourceId") or 0), None)
                    if target is not None:
                        out.append(script_reply(target, int(get_field(row, "ScriptExitCode") or 0),
                                                str(get_field(row, "ScriptOutput") or ""),
                                                time.monotonic() - self._started))
        if not out and self._pending and not self._cancelled:
            time.sleep(min(wait, 0.5))
        return out

    def done(self) -> bool:
        return self._cancelled or (not self._pending and not self._first)

    def cancel(self) -> None:
        self._cancelled = True
