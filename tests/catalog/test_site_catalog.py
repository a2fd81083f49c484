"""A site's inventory classes as entities: reference §9 decision 17, one rule per test."""

from __future__ import annotations

from typing import Any

import pytest

from cmpivot_magic.catalog import DOCUMENTED, Catalog, site_catalog
from cmpivot_magic.catalog.site import entity_name
from cmpivot_magic.language.types import ScalarType

HW_REPORT = "{00000000-0000-0000-0000-000000000001}"


def _class(group: str, wmi_class: str, *props: tuple[str, int], deletable: bool = False,
           class_id: str | None = None, units: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "SMSClassID": class_id or f"MICROSOFT|{wmi_class.upper()}|1.0",
        "ClassName": wmi_class,
        "Namespace": r"root\cimv2",
        "SMSGroupName": group,
        "IsDeletable": deletable,
        "Properties": [{"PropertyName": n, "Type": t, "IsKey": i == 0, "Units": (units or {}).get(n)}
                       for i, (n, t) in enumerate(props)],
    }


DIAGNOSTICS = _class("Client Diagnostics", "CCM_ClientDiagnostics", ("Identifier", 8),
                     ("DebugLoggingEnabled", 8), ("LogEnabled", 11), ("LogLevel", 19), ("LogMaxSize", 19))
STORE = _class("Installed Store Program", "Win32_InstalledStoreProgram", ("Name", 8), ("Version", 8),
               ("Publisher", 8), ("InstallDate", 101), ("Size", 21), ("Rating", 5), ("Tags", 8 + 8192),
               deletable=True, class_id="CONTOSO|WIN32_INSTALLEDSTOREPROGRAM|1.0", units={"Size": "Megabytes"})
FIREWIRE = _class("1394 Controller", "Win32_1394Controller", ("Name", 8))
PC_BIOS = _class("PC BIOS", "Win32_BIOS", ("SerialNumber", 8))
OS = _class("Operating System", "Win32_OperatingSystem", ("Caption", 8), class_id="MICROSOFT|OPERATING_SYSTEM|1.0")
PROCESS_EXT = _class("Process", "Contoso_Process", ("Name", 8), deletable=True)
NOT_ENABLED = _class("Vendor Warranty", "Contoso_Warranty", ("EndDate", 101), deletable=True)


def _report(*classes: dict[str, Any], only: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"InventoryReportID": HW_REPORT, "ReportClasses": [
        {"SMSClassID": c["SMSClassID"],
         "ReportProperties": (only or {}).get(c["SMSClassID"], [p["PropertyName"] for p in c["Properties"]])}
        for c in classes]}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    classes = [DIAGNOSTICS, STORE, FIREWIRE, PC_BIOS, OS, PROCESS_EXT, NOT_ENABLED]
    return site_catalog(classes, [_report(DIAGNOSTICS, STORE, FIREWIRE, PC_BIOS, OS, PROCESS_EXT)])


@pytest.mark.parametrize(("group", "name"), [
    ("Client Diagnostics", "ClientDiagnostics"), ("CD-ROM", "CDROM"), ("Virtual Machine (64)", "VirtualMachine64"),
    ("PNP DEVICE DRIVER", "PNPDEVICEDRIVER"), ("CCM_RAX", "CCMRAX"), ("1394 Controller", None), ("", None),
    ("—", None),
])
def test_entity_name_is_the_resource_explorer_name_without_non_alphanumerics(group: str, name: str | None) -> None:
    """Entity name = SMSGroupName with every non-alphanumeric removed, case kept; it must begin
    with a letter."""
    assert entity_name(group) == name


def test_default_and_custom_classes_join_the_documented_list(catalog: Catalog) -> None:
    """The site's enabled classes are entities after the documented ones: a default class
    (``ClientDiagnostics``, not deletable) is an inventory entity, an extension is ``custom``."""
    names = [e.name for e in catalog.entities()]
    assert names[: len(DOCUMENTED)] == [e.name for e in DOCUMENTED.entities()]
    assert names[len(DOCUMENTED):] == ["ClientDiagnostics", "InstalledStoreProgram"]
    diagnostics = catalog.entity("clientdiagnostics")
    assert diagnostics.kind == "hinv" and diagnostics.inventoried
    assert diagnostics.schema == {"Device": ScalarType.STRING, "Identifier": ScalarType.STRING,
                                  "DebugLoggingEnabled": ScalarType.STRING, "LogEnabled": ScalarType.BOOL,
                                  "LogLevel": ScalarType.LONG, "LogMaxSize": ScalarType.LONG}
    store = catalog.entity("InstalledStoreProgram")
    assert store.kind == "custom" and store.inventory_class_id == "CONTOSO|WIN32_INSTALLEDSTOREPROGRAM|1.0"
    assert catalog.source == "site" and not catalog.open_world


def test_only_types_cmpivot_can_return_become_columns(catalog: Catalog) -> None:
    """Arrays, reals and embedded objects are left out of the columns and named in the note;
    inventory units carry over in the catalog's spelling."""
    store = catalog.entity("InstalledStoreProgram")
    assert store.column_names == ("Device", "Name", "Version", "Publisher", "InstallDate", "Size")
    assert store.column("InstallDate").type == ScalarType.DATETIME  # type: ignore[union-attr]
    assert store.column("Size").unit == "MegaBytes"  # type: ignore[union-attr]
    assert store.note == "not queryable: Rating (real64), Tags (string array)"


def test_only_enabled_classes_and_properties_count() -> None:
    """A class no inventory report collects is not an entity; a collected class has only its
    enabled properties."""
    only = {DIAGNOSTICS["SMSClassID"]: ["Identifier", "LogLevel"]}
    catalog = site_catalog([DIAGNOSTICS, NOT_ENABLED], [_report(DIAGNOSTICS, only=only)])
    assert catalog.find_entity("VendorWarranty") is None
    assert catalog.entity("ClientDiagnostics").column_names == ("Device", "Identifier", "LogLevel")


def test_built_in_entities_win_collisions_and_no_class_is_listed_twice(catalog: Catalog) -> None:
    """``Process`` stays the built-in entity; a class the documented list already reads (PC BIOS
    over Win32_BIOS, Operating System) is not added again; ``1394 Controller`` is no entity."""
    assert catalog.entity("Process") is DOCUMENTED.entity("Process")
    assert catalog.find_entity("PCBIOS") is None
    assert catalog.find_entity("1394Controller") is None
    assert len(catalog) == len(DOCUMENTED) + 2
    assert catalog.entity("OperatingSystem").inventory_class_id == "MICROSOFT|OPERATING_SYSTEM|1.0"


def test_an_unknown_entity_is_named_with_the_sites_nearest_names(catalog: Catalog) -> None:
    """A name the site lacks is refused naming it, with did-you-mean from the site's own list."""
    with pytest.raises(KeyError) as raised:
        catalog.entity("ClientDiagnostic")
    assert "unknown entity 'ClientDiagnostic' on this site; did you mean ClientDiagnostics" in str(raised.value)


def test_the_fallback_catalog_is_open(catalog: Catalog) -> None:
    """Where a site's list cannot be read, the documented list stands in and says so."""
    fallback = DOCUMENTED.fallback("the site's inventory classes could not be read (403)")
    assert fallback.open_world and fallback.entities() == DOCUMENTED.entities()
    assert "open" in repr(fallback) and "open" not in repr(DOCUMENTED)
