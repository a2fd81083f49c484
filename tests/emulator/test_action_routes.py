"""Acting on results through the emulated AdminService over HTTPS: collections from devices,
favorites, approved scripts, and each RBAC refusal (site-catalog reference §3-4)."""

from __future__ import annotations

import base64
import time
from typing import Any

import requests

from cmpivot_magic.emulator import Emulator
from cmpivot_magic.emulator.scripts import CMPIVOT_SCRIPT_GUID


class Client:
    def __init__(self, emu: Emulator, token: str | None = None) -> None:
        self.emu, self.http = emu, requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token or emu.token}"

    def get(self, path: str) -> requests.Response:
        return self.http.get(f"{self.emu.url}/{path}", verify=self.emu.ca_path, timeout=10)

    def post(self, path: str, body: Any) -> requests.Response:
        return self.http.post(f"{self.emu.url}/{path}", json=body, verify=self.emu.ca_path, timeout=10)

    def delete(self, path: str) -> requests.Response:
        return self.http.delete(f"{self.emu.url}/{path}", verify=self.emu.ca_path, timeout=10)


def _rule(rid: int) -> dict[str, Any]:
    return {"@odata.type": "#AdminService.SMS_CollectionRuleDirect", "ResourceClassName": "SMS_R_System",
            "RuleName": f"device {rid}", "ResourceID": rid}


def _script_param(guid: str, **parameters: str) -> str:
    params = "".join(f'<ScriptParameter ParameterName="{k}" ParameterValue="{v}"/>' for k, v in parameters.items())
    xml = f"<ScriptContent><ScriptGuid>{guid}</ScriptGuid><ScriptVersion>1</ScriptVersion>" \
          f"<ScriptParameters>{params}</ScriptParameters></ScriptContent>"
    return base64.b64encode(xml.encode()).decode()


def test_a_collection_from_devices_is_queried_on_exactly_them(emulator: Emulator) -> None:
    """Create a collection, add direct rules in one batch, and CMPivot on it targets those devices."""
    admin = Client(emulator)
    ids = sorted(emulator.app.inventory.ids)[:3]
    made = admin.post("wmi/SMS_Collection", {"Name": "Low disk", "LimitToCollectionID": "SMS00001", "CollectionType": 2})
    assert made.status_code == 201
    cid = made.json()["CollectionID"]
    added = admin.post(f"wmi/SMS_Collection('{cid}')/AdminService.AddMembershipRules",
                       {"collectionRules": [_rule(i) for i in ids]})
    assert added.status_code == 201
    members = admin.get(f"wmi/SMS_FullCollectionMembership?$filter=CollectionID eq '{cid}'").json()["value"]
    assert sorted(m["ResourceID"] for m in members) == ids
    run = admin.post(f"v1.0/Collections('{cid}')/AdminService.RunCMPivot", {"InputQuery": "OS | project Caption"})
    operation = emulator.app.operations[run.json()["OperationId"]]
    assert operation.total == 3
    assert sorted([a.resource_id for a in operation.answers] + [t.resource_id for t in operation.offline]) == ids
    again = admin.post("wmi/SMS_Collection", {"Name": "low DISK", "LimitToCollectionID": "SMS00001"})
    assert again.status_code == 409 and "already exists" in again.json()["error"]["message"]
    assert admin.delete(f"wmi/SMS_Collection('{cid}')").status_code == 204
    assert admin.get(f"wmi/SMS_Collection('{cid}')").status_code == 404


def test_collections_need_create_and_modify(emulator: Emulator) -> None:
    """Without Create on Collection: 403 naming it; a role may not add rules to a collection it
    cannot modify."""
    helpdesk = Client(emulator, emulator.add_token(create_collections=False))
    refused = helpdesk.post("wmi/SMS_Collection", {"Name": "Mine", "LimitToCollectionID": "SMS00001"})
    assert refused.status_code == 403 and "Create permission on Collection" in refused.json()["error"]["message"]
    rule = helpdesk.post("wmi/SMS_Collection('SMS00001')/AdminService.AddMembershipRule",
                         {"collectionRule": _rule(sorted(emulator.app.inventory.ids)[0])})
    assert rule.status_code == 403 and "Modify permission" in rule.json()["error"]["message"]


def test_favorites_are_shared_by_every_connection(emulator: Emulator) -> None:
    """A favorite saved by one client is listed for another; saving the same name updates it."""
    one, other = Client(emulator), Client(emulator)
    assert one.post("wmi/SMS_CMPivotFavorite.UpdateCMPivotFavorite",
                    {"Name": "Big processes", "Query": "Process | top 5 by WorkingSetSize"}).status_code == 200
    one.post("wmi/SMS_CMPivotFavorite.UpdateCMPivotFavorite", {"Name": "big processes", "Query": "Process | take 1"})
    listed = other.get("wmi/SMS_CMPivotFavorite").json()["value"]
    mine = [f for f in listed if f["Name"] == "Big processes"]
    assert len(mine) == 1 and mine[0]["Query"] == "Process | take 1"
    assert other.delete(f"wmi/SMS_CMPivotFavorite({mine[0]['Id']})").status_code == 204
    assert not [f for f in other.get("wmi/SMS_CMPivotFavorite").json()["value"] if f["Name"] == "Big processes"]


def test_an_approved_script_runs_on_three_devices(emulator: Emulator) -> None:
    """The library lists the approved script; a run on three online devices gives three status
    rows with each device's output; the unapproved one is refused before it runs."""
    admin = Client(emulator)
    library = {s["ScriptName"]: s for s in admin.get("wmi/SMS_Scripts").json()["value"]}
    assert library["Get free disk space"]["ApprovalState"] == 3
    assert library["CMPivot"]["ScriptGuid"] == CMPIVOT_SCRIPT_GUID and library["CMPivot"]["Feature"] == 1
    fleet = emulator.site.fleet
    online = [int(r) for r, off, fail in zip(fleet.rid, fleet.offline, fleet.failure, strict=True)
              if not off and fail is None][:3]
    guid = library["Get free disk space"]["ScriptGuid"]
    started = admin.post("wmi/SMS_ClientOperation.InitiateClientOperationEx",
                         {"Type": 135, "TargetCollectionID": "", "TargetResourceIDs": online,
                          "RandomizationWindow": 0, "Param": _script_param(guid, Drive="C:")})
    assert started.status_code == 200
    op = started.json()["OperationID"]
    deadline, rows = time.monotonic() + 10, []
    while len(rows) < 3 and time.monotonic() < deadline:
        rows = admin.get(f"wmi/SMS_ScriptsExecutionStatus?$filter=ClientOperationId eq {op}").json()["value"]
        time.sleep(0.05)
    assert sorted(r["ResourceId"] for r in rows) == sorted(online)
    assert all(r["ScriptExecutionState"] == 0 and '"Drive": "C:"' in r["ScriptOutput"] for r in rows)
    unapproved = admin.post("wmi/SMS_ClientOperation.InitiateClientOperationEx",
                            {"Type": 135, "TargetResourceIDs": online,
                             "Param": _script_param(library["Unapproved cleanup"]["ScriptGuid"])})
    assert unapproved.status_code == 500 and unapproved.json()["error"]["message"] == "Script is not approved."


def test_running_a_script_needs_run_script(emulator: Emulator) -> None:
    """Without Run Script the library and the run are refused with 403 naming the right."""
    helpdesk = Client(emulator, emulator.add_token(run_scripts=False))
    assert "SMS Scripts" in helpdesk.get("wmi/SMS_Scripts").json()["error"]["message"]
    rid = sorted(emulator.app.inventory.ids)[0]
    refused = helpdesk.post(f"v1.0/Device({rid})/AdminService.RunScript",
                            {"ScriptGuid": "1B3E7A52-6C1D-4F0E-9F8A-2D5C7E914A01"})
    assert refused.status_code == 403 and "Run Script permission" in refused.json()["error"]["message"]
