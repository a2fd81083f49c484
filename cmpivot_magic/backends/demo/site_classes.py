"""The demo site's hardware-inventory classes, as its SMS Provider describes them, and their rows.

A real site collects the default inventory classes plus its own extensions, and CMPivot can query
all of them (reference §9 decision 17). The demo site (and the AdminService emulator, which serves
these records on ``wmi/SMS_InventoryClass`` and ``wmi/SMS_InventoryReport``) collects:

* every documented inventory entity's class, as the default client settings do;
* ``Client Diagnostics`` (``CCM_ClientDiagnostics``), a default class since 2107 that the
  documented entity list predates;
* two custom extensions a company adds: ``Installed Store Program``
  (``Win32_InstalledStoreProgram``, the Microsoft Store apps) and ``Contoso Asset Information``
  (``Contoso_AssetInfo``, asset tag, owner, cost centre and warranty from a vendor WMI provider);
* one class defined but not enabled (``Contoso Legacy Agent``), which is therefore no entity.

The profiles at the bottom give the generic generator plausible values for the three new classes.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import numpy as np

from ...catalog import DOCUMENTED, Catalog, Entity, site_catalog
from ...language.types import ScalarType
from .generators import Draw
from .generic import F, W, fact, profile

HARDWARE_REPORT = "{00000000-0000-0000-0000-000000000001}"
_CIM = {ScalarType.STRING: 8, ScalarType.LONG: 21, ScalarType.BOOL: 11, ScalarType.DATETIME: 101,
        ScalarType.TIMESPAN: 8}

# (SMSClassID, WMI class, SMSGroupName, deletable, [(property, CIM type, units)])
_EXTRA: tuple[tuple[str, str, str, bool, tuple[tuple[str, int, str | None], ...]], ...] = (
    ("MICROSOFT|CCM_CLIENTDIAGNOSTICS|1.0", "CCM_ClientDiagnostics", "Client Diagnostics", False, (
        ("Identifier", 8, None), ("DebugLoggingEnabled", 8, None), ("LogEnabled", 11, None),
        ("LogLevel", 19, None), ("LogMaxHistory", 19, None), ("LogMaxSize", 19, None))),
    ("CONTOSO|WIN32_INSTALLEDSTOREPROGRAM|1.0", "Win32_InstalledStoreProgram", "Installed Store Program", True, (
        ("ProgramId", 8, None), ("Name", 8, None), ("Version", 8, None), ("Publisher", 8, None),
        ("Architecture", 8, None), ("InstallDate", 101, None), ("Language", 8, None),
        ("Tags", 8 + 8192, None))),  # an array: not queryable, listed in the entity's note
    ("CONTOSO|CONTOSO_ASSETINFO|1.0", "Contoso_AssetInfo", "Contoso Asset Information", True, (
        ("AssetTag", 8, None), ("Owner", 8, None), ("CostCenter", 8, None), ("PurchaseDate", 101, None),
        ("WarrantyEnd", 101, None), ("PurchasePrice", 5, None), ("StorageGB", 19, "GigaBytes"))),
    ("CONTOSO|CONTOSO_LEGACYAGENT|1.0", "Contoso_LegacyAgent", "Contoso Legacy Agent", True, (
        ("AgentVersion", 8, None),)),
)
_NOT_ENABLED = frozenset({"CONTOSO|CONTOSO_LEGACYAGENT|1.0"})


def _documented_record(entity: Entity) -> dict[str, Any]:
    # the group token follows the Resource Explorer name, as on a site (MICROSOFT|OPERATING_SYSTEM|1.0)
    group = re.sub(r"[^A-Za-z0-9]+", "_", entity.description).strip("_").upper()
    return {
        "SMSClassID": f"MICROSOFT|{group}|1.0",
        "ClassName": entity.wmi_class,
        "Namespace": r"root\cimv2",
        "SMSGroupName": entity.description,
        "IsDeletable": False,
        "Properties": [{"PropertyName": c.name, "Type": _CIM[c.type], "IsKey": i == 0, "Units": c.unit}
                       for i, c in enumerate(entity.columns[1:])],
    }


@cache
def inventory_classes() -> tuple[dict[str, Any], ...]:
    """``SMS_InventoryClass`` records: the documented inventory classes, then the site's own."""
    documented = [_documented_record(e) for e in DOCUMENTED.entities() if e.kind == "hinv"]
    extra = [{"SMSClassID": cid, "ClassName": cls, "Namespace": r"root\cimv2", "SMSGroupName": group,
              "IsDeletable": deletable,
              "Properties": [{"PropertyName": n, "Type": t, "IsKey": i == 0, "Units": u}
                             for i, (n, t, u) in enumerate(props)]}
             for cid, cls, group, deletable, props in _EXTRA]
    return (*documented, *extra)


@cache
def inventory_reports() -> tuple[dict[str, Any], ...]:
    """``SMS_InventoryReport`` records: the default client settings' hardware inventory report."""
    classes = [{"SMSClassID": c["SMSClassID"],
                "ReportProperties": [p["PropertyName"] for p in c["Properties"]]}
               for c in inventory_classes() if c["SMSClassID"] not in _NOT_ENABLED]
    return ({"InventoryReportID": HARDWARE_REPORT, "Description": "Default hardware inventory",
             "ReportClasses": classes},)


@cache
def demo_catalog() -> Catalog:
    """The demo site's catalog: the documented entities plus its own inventory classes."""
    return site_catalog(inventory_classes(), inventory_reports())


# ----------------------------------------------------------------------------- rows (profiles)

_STORE_APPS = (
    ("Microsoft.WindowsCalculator", "Windows Calculator", "11.2405.2.0", "Microsoft Corporation"),
    ("Microsoft.WindowsTerminal", "Windows Terminal", "1.20.11781.0", "Microsoft Corporation"),
    ("Microsoft.CompanyPortal", "Company Portal", "11.2.1002.0", "Microsoft Corporation"),
    ("Microsoft.MicrosoftStickyNotes", "Microsoft Sticky Notes", "6.1.2.0", "Microsoft Corporation"),
    ("Microsoft.ScreenSketch", "Snipping Tool", "11.2405.32.0", "Microsoft Corporation"),
    ("Microsoft.WindowsNotepad", "Notepad", "11.2404.10.0", "Microsoft Corporation"),
    ("Microsoft.Whiteboard", "Microsoft Whiteboard", "51.20412.1318.0", "Microsoft Corporation"),
    ("SpotifyAB.SpotifyMusic", "Spotify Music", "1.240.447.0", "Spotify AB"),
    ("Zoom.ZoomRooms", "Zoom Rooms", "6.0.4.0", "Zoom Video Communications"),
    ("7EE7776C.LinkedInforWindows", "LinkedIn", "3.0.42.0", "LinkedIn"),
)


def _store(column: int) -> Any:
    def value(d: Draw) -> np.ndarray:
        table = np.asarray([app[column] for app in _STORE_APPS], dtype=object)
        return table[(d.of(d.fleet.rid) + d.k * 3) % len(table)]  # distinct apps within a device
    return value


profile(
    "ClientDiagnostics", Identifier="ClientDiagnostics",
    DebugLoggingEnabled=W(["False", "True"], [0.94, 0.06]), LogEnabled=W([True, False], [0.99, 0.01]),
    LogLevel=W([1, 0], [0.9, 0.1]), LogMaxHistory=W([1, 2, 5], [0.8, 0.15, 0.05]),
    LogMaxSize=W([250_000, 2_621_440, 5_242_880], [0.8, 0.15, 0.05]),
    where=lambda fleet: ~fleet.is_server | (fleet.rid % 3 == 0),
)
profile(
    "InstalledStoreProgram", rows=(2, 7), where=lambda fleet: ~fleet.is_server,
    ProgramId=_store(0), Name=_store(1), Version=_store(2), Publisher=_store(3),
    Architecture=W(["X64", "Neutral", "Arm64"], [0.7, 0.28, 0.02]), InstallDate=lambda d: d.ages(3, 900),
    Language=W(["en-US", "en-GB", "de-DE", "fr-FR"], [0.7, 0.1, 0.1, 0.1]),
)
profile(
    "ContosoAssetInformation", AssetTag=F("CON-{num6}"), Owner=fact("full_name"), CostCenter=fact("dept"),
    PurchaseDate=lambda d: d.of(d.fleet.install_age) + d.ages(0, 30),
    WarrantyEnd=lambda d: d.of(d.fleet.install_age) - 3 * 365 * 86_400,
    StorageGB=W([256, 512, 1024], [0.3, 0.55, 0.15]),
)
