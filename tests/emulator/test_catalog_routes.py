"""The emulated site describes its inventory classes on the wmi/ route, guarded by Read on
Inventory Reports, as the SMS Provider does (site-catalog reference §1.2-1.3)."""

from __future__ import annotations

from urllib.parse import quote

import requests

from cmpivot_magic.catalog import site_catalog
from cmpivot_magic.emulator import Emulator


def _get(emu: Emulator, path: str, token: str | None = None) -> requests.Response:
    return requests.get(f"{emu.url}/{path}", headers={"Authorization": f"Bearer {token or emu.token}"},
                        verify=emu.ca_path, timeout=10)


def test_the_classes_and_reports_make_the_sites_catalog(emulator: Emulator) -> None:
    """What the two classes answer is enough to build the site's catalog: ClientDiagnostics and
    the custom classes are entities."""
    classes = _get(emulator, "wmi/SMS_InventoryClass").json()["value"]
    reports = _get(emulator, "wmi/SMS_InventoryReport").json()["value"]
    catalog = site_catalog(classes, reports)
    assert catalog.entity("ClientDiagnostics").kind == "hinv"
    assert {e.name for e in catalog.entities() if e.kind == "custom"} == {"InstalledStoreProgram",
                                                                           "ContosoAssetInformation"}


def test_a_class_by_key_and_select(emulator: Emulator) -> None:
    """A GET by key (the '|' in the key percent-encoded) answers one record in a value list;
    $select narrows the listing."""
    key = quote("MICROSOFT|CCM_CLIENTDIAGNOSTICS|1.0", safe="")
    one = _get(emulator, f"wmi/SMS_InventoryClass('{key}')")
    assert one.status_code == 200
    [record] = one.json()["value"]
    assert record["SMSGroupName"] == "Client Diagnostics"
    assert [p["PropertyName"] for p in record["Properties"]][:2] == ["Identifier", "DebugLoggingEnabled"]
    listed = _get(emulator, "wmi/SMS_InventoryClass?$select=SMSClassID,SMSGroupName").json()["value"]
    assert set(listed[0]) == {"SMSClassID", "SMSGroupName"}
    assert _get(emulator, "wmi/SMS_InventoryClass('NOPE|NOPE|1.0')").status_code == 404


def test_without_read_on_inventory_reports_the_catalog_is_refused(emulator: Emulator) -> None:
    """A role without Read on Inventory Reports gets 403 naming that right, on both classes."""
    token = emulator.add_token(inventory_reports=False)
    for name in ("SMS_InventoryClass", "SMS_InventoryReport"):
        refused = _get(emulator, f"wmi/{name}", token)
        assert refused.status_code == 403
        assert "Read permission on Inventory Reports" in refused.json()["error"]["message"]


def test_inventory_rows_of_a_class_for_some_devices(emulator: Emulator) -> None:
    """SMS_G_System_<GROUP> holds each device's last inventoried rows with ResourceID, GroupID
    and TimeStamp, offline devices included; WORKSTATION_STATUS says when each was scanned."""
    ids = sorted(emulator.app.inventory.ids)[:3]
    where = " or ".join(f"ResourceID eq {i}" for i in ids)
    rows = _get(emulator, f"wmi/SMS_G_System_CCM_CLIENTDIAGNOSTICS?$filter={where}").json()["value"]
    assert {r["ResourceID"] for r in rows} <= set(ids) and rows
    assert all(r["GroupID"] == 1 and r["TimeStamp"].endswith("Z") for r in rows)
    assert {"DebugLoggingEnabled", "LogLevel"} <= set(rows[0])
    status = _get(emulator, f"wmi/SMS_G_System_WORKSTATION_STATUS?$filter={where}").json()["value"]
    scans = {r["ResourceID"]: r["LastHardwareScan"] for r in status}
    assert set(scans) == set(ids)
    assert all(scans[r["ResourceID"]] == r["TimeStamp"] for r in rows)
    fleet = emulator.site.fleet
    offline = int(fleet.rid[fleet.offline][0])
    kept = _get(emulator, f"wmi/SMS_G_System_OPERATING_SYSTEM?$filter=ResourceID eq {offline}").json()["value"]
    assert [r["ResourceID"] for r in kept] == [offline] and kept[0]["Caption"].startswith("Microsoft Windows")
    assert _get(emulator, "wmi/SMS_G_System_NO_SUCH_GROUP").status_code == 404
