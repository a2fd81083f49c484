"""The emulator speaks the AdminService's routes and exact JSON shapes over HTTPS, bound to
127.0.0.1, with bearer tokens, per-collection permissions and fault switches."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests

from cmpivot_magic.emulator import Emulator


class Client:
    """Raw HTTPS requests to the emulator, as a script would send them."""

    def __init__(self, emu: Emulator, token: str | None = None) -> None:
        self.emu, self.http = emu, requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token or emu.token}"

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.http.get(f"{self.emu.url}/{path}", verify=self.emu.ca_path, timeout=10, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> requests.Response:
        return self.http.post(f"{self.emu.url}/{path}", json=body, verify=self.emu.ca_path, timeout=10, **kw)

    def wait(self, path: str, limit: float = 5.0) -> requests.Response:
        deadline = time.monotonic() + limit
        while True:
            r = self.get(path)
            if r.status_code != 404 or time.monotonic() > deadline:
                return r
            time.sleep(0.01)


@pytest.fixture
def client(emulator: Emulator) -> Client:
    return Client(emulator)


def test_serves_https_on_loopback(emulator: Emulator) -> None:
    assert emulator.url.startswith("https://127.0.0.1:")
    assert emulator.port > 0
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(emulator.url + "/v1.0/Device", verify=True, timeout=10)


def test_device_route_shapes(client: Client, emulator: Emulator) -> None:
    """RunCMPivot answers value.OperationId; CMPivotResult 404s until the device answers, then
    value.Result holds flat rows with a Device column."""
    rid = emulator.members("CON00011")[0]
    posted = client.post(f"v1.0/Device({rid})/AdminService.RunCMPivot", {"InputQuery": "OS | project Caption"})
    assert posted.status_code == 200
    op = posted.json()["value"]["OperationId"]
    assert op >= 16_777_463
    first = client.get(f"v1.0/Device({rid})/AdminService.CMPivotResult(OperationId={op})")
    assert first.status_code == 404 and first.content == b""
    body = client.wait(f"v1.0/Device({rid})/AdminService.CMPivotResult(OperationId={op})").json()
    assert set(body) == {"@odata.context", "value"}
    (row,) = body["value"]["Result"]
    assert list(row) == ["Device", "Caption"]


def test_collection_route_shapes(client: Client, emulator: Emulator) -> None:
    """Collections('<id>'): OperationId at the top level; value is a list of per-device entries."""
    posted = client.post("v1.0/Collections('CON00011')/AdminService.RunCMPivot", {"InputQuery": "OS"})
    op = posted.json()["OperationId"]
    assert "value" not in posted.json()
    emulator.operations[op].wait_ready()
    time.sleep(0.4)  # every device answers within 60 s / speed 200
    body = client.get(f"v1.0/Collections('CON00011')/AdminService.CMPivotResult(OperationId={op})").json()
    entries = body["value"]
    assert isinstance(entries, list) and all(isinstance(e["Result"], list) for e in entries)
    assert {e["DeviceName"] for e in entries} == {r["Device"] for e in entries for r in e["Result"]}
    status = client.get(f"wmi/SMS_ClientOperationStatus?$filter=ID eq {op}").json()["value"][0]
    assert status["TotalClients"] == len(emulator.members("CON00011"))
    assert status["CompletedClients"] == len(entries)
    assert status["CompletedClients"] + status["FailedClients"] + status["OfflineClients"] == status["TotalClients"]


def test_failed_devices_in_cmpivot_status(client: Client, emulator: Emulator) -> None:
    """SMS_CMPivotStatus has one row per answering device; failures carry the client's error in ScriptOutput."""
    op = client.post("v1.0/Collections('SMS00001')/AdminService.RunCMPivot", {"InputQuery": "OS"}).json()["OperationId"]
    emulator.operations[op].wait_ready()
    time.sleep(0.4)
    failed = client.get(f"v1.0/SMS_CMPivotStatus?$filter=ClientOperationId eq {op} and ScriptExitCode ne 0").json()
    assert failed["value"] and all('Error="' in r["ScriptOutput"] for r in failed["value"])
    ok = client.get(f"wmi/SMS_CMPivotStatus?$filter=ClientOperationId eq {op} and ScriptExitCode eq 0&$top=1"
                    "&$select=DeviceName,ScriptOutput").json()["value"][0]
    assert set(ok) == {"DeviceName", "ScriptOutput"} and ok["ScriptOutput"].startswith('<result ResultCode="0"><e ')


def test_offline_devices_never_answer(client: Client, emulator: Emulator) -> None:
    offline = client.get("wmi/SMS_CombinedDeviceResources?$filter=CNIsOnline eq false&$select=ResourceID").json()
    rid = offline["value"][0]["ResourceID"]
    op = client.post(f"v1.0/Device({rid})/AdminService.RunCMPivot", {"InputQuery": "OS"}).json()["value"]["OperationId"]
    time.sleep(0.4)
    assert client.get(f"v1.0/Device({rid})/AdminService.CMPivotResult(OperationId={op})").status_code == 404
    status = client.get(f"wmi/SMS_ClientOperationStatus?$filter=ID eq {op}").json()["value"][0]
    assert (status["OfflineClients"], status["CompletedClients"]) == (1, 0)


def test_cancel_stops_answers(client: Client, emulator: Emulator) -> None:
    """After CancelClientOperation no more devices answer, and the state says cancelled."""
    op = client.post("v1.0/Collections('SMS00001')/AdminService.RunCMPivot", {"InputQuery": "OS"}).json()["OperationId"]
    answer = client.post("wmi/SMS_ClientOperation.CancelClientOperation", {"OperationID": op})
    assert answer.status_code == 200 and answer.json()["ReturnValue"] == 0
    url = f"wmi/SMS_ClientOperationStatus?$filter=ID eq {op}"
    first = client.get(url).json()["value"][0]
    time.sleep(0.4)
    later = client.get(url).json()["value"][0]
    assert later["State"] == 3
    assert (later["CompletedClients"], later["FailedClients"]) == (first["CompletedClients"], first["FailedClients"])


def test_a_bearer_token_is_required(emulator: Emulator) -> None:
    url = emulator.url + "/wmi/SMS_Collection"
    bare = requests.get(url, verify=emulator.ca_path, timeout=10)
    assert bare.status_code == 401 and bare.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = requests.get(url, headers={"Authorization": "Bearer nope"}, verify=emulator.ca_path, timeout=10)
    assert wrong.status_code == 401
    ntlm = requests.get(url, headers={"Authorization": "NTLM TlRMTVNTUAABAAAA"}, verify=emulator.ca_path, timeout=10)
    assert ntlm.status_code == 401 and ntlm.json()["error"]["message"] == "Rejecting NTLM authentication."


def test_permissions_per_collection(emulator: Emulator) -> None:
    """A role with Read on some collections sees only their devices; Run CMPivot elsewhere is 403."""
    restricted = Client(emulator, emulator.add_token(read=["CON00011", "CON00010"], run=["CON00011"]))
    servers = set(emulator.members("CON00011"))
    assert restricted.post("v1.0/Collections('CON00011')/AdminService.RunCMPivot", {"InputQuery": "OS"}).ok
    denied = restricted.post("v1.0/Collections('CON00010')/AdminService.RunCMPivot", {"InputQuery": "OS"})
    assert denied.status_code == 403 and "Run CMPivot" in denied.json()["error"]["message"]
    hidden = restricted.post("v1.0/Collections('SMS00001')/AdminService.RunCMPivot", {"InputQuery": "OS"})
    assert hidden.status_code == 404
    seen = {d["MachineId"] for d in restricted.get("v1.0/Device").json()["value"]}
    assert seen == servers | set(emulator.members("CON00010"))
    names = {c["CollectionID"] for c in restricted.get("wmi/SMS_Collection").json()["value"]}
    assert names == {"CON00010", "CON00011"}


def test_bad_queries_are_400(client: Client) -> None:
    answer = client.post("v1.0/Collections('SMS00001')/AdminService.RunCMPivot", {"InputQuery": "OS | wher x"})
    assert answer.status_code == 400 and answer.json()["error"]["message"].startswith("KustoParser:")


def test_unknown_routes_are_404_with_no_http_resource(client: Client) -> None:
    answer = client.get("v1.0/NoSuchThing")
    assert answer.status_code == 404 and "No HTTP resource was found" in answer.json()["error"]["message"]


def test_inventory_classes_and_odata_options(client: Client, emulator: Emulator) -> None:
    devices = client.get("v1.0/Device?$select=MachineId,Name&$top=3").json()["value"]
    assert len(devices) == 3 and set(devices[0]) == {"MachineId", "Name"}
    rid = devices[0]["MachineId"]
    assert client.get(f"v1.0/Device({rid})").json()["Name"] == devices[0]["Name"]
    assert client.get(f"wmi/SMS_R_System({rid})").json()["ResourceId"] == rid
    assert client.get("wmi/sms_r_system?$filter=Name eq 'nothing'").json()["value"] == []
    starts = client.get("wmi/SMS_Collection?$filter=startswith(Name,'All') eq true&$select=Name").json()["value"]
    assert starts and all(c["Name"].startswith("All") for c in starts)
    members = client.get("wmi/SMS_FullCollectionMembership?$filter=CollectionID eq 'CON00011'").json()["value"]
    assert sorted(m["ResourceID"] for m in members) == emulator.members("CON00011")
    membership = client.get(f"v1.0/Device({rid})/ResourceCollectionMembership?$expand=Collection&$select=Collection")
    assert {"SMS00001"} <= {m["Collection"]["CollectionID"] for m in membership.json()["value"]}
    bad = client.get("wmi/SMS_Collection?$filter=Nope eq 1")
    assert bad.status_code == 400 and "Could not find a property named 'Nope'" in bad.json()["error"]["message"]


@pytest.mark.parametrize(("kind", "expected"), [
    ("drop", requests.exceptions.ConnectionError),
    ("truncate", requests.exceptions.ChunkedEncodingError),
])
def test_connection_faults(client: Client, emulator: Emulator, kind: str, expected: type[Exception]) -> None:
    with emulator.fault(kind, "collections", times=1), pytest.raises(expected):
        client.get("wmi/SMS_Collection")
    assert client.get("wmi/SMS_Collection").ok


def test_response_faults(client: Client, emulator: Emulator) -> None:
    with emulator.fault("malformed", "collections", times=1), pytest.raises(json.JSONDecodeError):
        client.get("wmi/SMS_Collection").json()
    with emulator.fault("status", "collections", status=503, retry_after=7, times=1):
        answer = client.get("wmi/SMS_Collection")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "7"
    with (
        emulator.fault("slow", "collections", delay=0.3, times=1),
        pytest.raises(requests.exceptions.ReadTimeout),
    ):
        client.http.get(f"{emulator.url}/wmi/SMS_Collection", verify=emulator.ca_path, timeout=(5, 0.1))
    with emulator.fault("status", "result", every=2) as fault:
        for _ in range(4):
            client.get("v1.0/Device(1)/AdminService.CMPivotResult(OperationId=1)")
    assert (fault.seen, fault.struck) == (4, 2)
