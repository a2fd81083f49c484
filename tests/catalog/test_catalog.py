"""The entity catalog: the documented entity set, its flags, parameters, columns and look-ups."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cmpivot_magic.catalog import UNITS, Column, Entity, entities, entity, find_entity
from cmpivot_magic.catalog.model import columns
from cmpivot_magic.language.types import ScalarType

BOOL, LONG, STRING, DATETIME, TIMESPAN = (
    ScalarType.BOOL,
    ScalarType.LONG,
    ScalarType.STRING,
    ScalarType.DATETIME,
    ScalarType.TIMESPAN,
)

# Every (entity, column) the sample queries of reference §10.1, §10.2 and §10.5 use, written by
# hand from the query texts. Lower-case spellings are as the queries wrote them.
SAMPLE_COLUMNS: list[tuple[str, str]] = [
    # 10.1 official samples
    ("CCMRecentlyUsedApplications", "LastUsedTime"),  # S02
    ("CCMRecentlyUsedApplications", "CompanyName"),
    ("CCMRecentlyUsedApplications", "ProductName"),
    ("CCMRecentlyUsedApplications", "ProductVersion"),
    ("OperatingSystem", "LastBootUpTime"),  # S03
    ("LogicalDisk", "DeviceID"),  # S04
    ("LogicalDisk", "Name"),
    ("LogicalDisk", "Description"),
    ("LogicalDisk", "FileSystem"),
    ("LogicalDisk", "Size"),
    ("LogicalDisk", "FreeSpace"),
    ("ComputerSystem", "Manufacturer"),  # S05
    ("ComputerSystem", "Model"),
    ("OperatingSystem", "Caption"),
    ("SystemBootData", "SystemStartTime"),  # S06
    ("SystemBootData", "BootDuration"),
    ("SystemBootData", "EventLogStart"),
    ("SystemBootData", "GPDuration"),
    ("SystemBootData", "UpdateDuration"),
    ("EventLog", "EventID"),  # S07
    ("ProcessModule", "ModuleName"),  # S08
    ("EPStatus", "QuickScanEndTime"),  # S09
    ("Bios", "Manufacturer"),  # S10
    ("File", "SHA256Hash"),  # S11
    ("File", "FileName"),
    ("CcmLog", "LogText"),  # S12 (expected columns)
    ("CcmLog", "DateTime"),
    ("CcmLog", "Component"),
    ("CcmLog", "Context"),
    ("CcmLog", "Type"),
    ("CcmLog", "Thread"),
    ("CcmLog", "File"),
    ("Registry", "Key"),  # S13a
    ("Registry", "Property"),
    ("Registry", "Value"),
    ("RegistryKey", "Key"),  # S13b
    # 10.2 other official doc queries
    ("CCMRecentlyUsedApplications", "ExplorerFileName"),  # D01
    ("CCMRecentlyUsedApplications", "LaunchCount"),
    ("CCMRecentlyUsedApplications", "FolderPath"),
    ("Disk", "Name"),  # D02
    ("OS", "Version"),  # D03, D04
    ("Service", "Name"),  # D05-D07
    ("Bios", "Version"),  # D08
    ("Disk", "Description"),  # D09
    ("Disk", "FreeSpace"),
    ("WinEvent", "LevelDisplayName"),  # D11
    ("FileContent", "Content"),  # D12
    ("AadStatus", "DeviceId"),  # D13
    ("Device", "UserName"),  # D16
    ("OperatingSystem", "Caption"),  # D17, D22
    # 10.5 community hub
    ("SystemBootData", "BootDuration"),  # HUB01
    ("Device", "Model"),
    ("CcmLog", "LogText"),  # HUB02
    ("InstalledSoftware", "ProductName"),  # HUB03
    ("InstalledSoftware", "ProductVersion"),
    ("File", "FileName"),  # HUB04
    ("FileContent", "Content"),  # HUB05
    ("Battery", "EstimatedChargeRemaining"),  # HUB06
    ("Battery", "Status"),
    ("Device", "UserName"),
    ("Registry", "Property"),  # HUB09, HUB10, HUB13
    ("Registry", "Value"),
    ("USMUserProfile", "Special"),  # HUB11
    ("USMUserProfile", "LastUseTime"),
    ("OperatingSystem", "BuildNumber"),  # HUB12, HUB15, HUB17, HUB19
    ("Administrators", "Name"),  # HUB14
    ("USBDevice", "service"),  # HUB16
    ("USBDevice", "Name"),
    ("OperatingSystem", "ProductType"),  # HUB17
    ("File", "version"),  # HUB18
]

# Types the samples rely on (comparisons with ago(), numbers, string literals, booleans).
SAMPLE_TYPES: list[tuple[str, str, ScalarType]] = [
    ("CCMRecentlyUsedApplications", "LastUsedTime", DATETIME),
    ("CCMRecentlyUsedApplications", "LaunchCount", LONG),
    ("OperatingSystem", "LastBootUpTime", DATETIME),
    ("OperatingSystem", "BuildNumber", STRING),
    ("OperatingSystem", "ProductType", LONG),
    ("SystemBootData", "SystemStartTime", DATETIME),
    ("SystemBootData", "BootDuration", LONG),
    ("SystemBootData", "EventLogStart", LONG),
    ("SystemBootData", "GPDuration", LONG),
    ("SystemBootData", "UpdateDuration", LONG),
    ("EPStatus", "QuickScanEndTime", DATETIME),
    ("USMUserProfile", "Special", BOOL),
    ("USMUserProfile", "LastUseTime", DATETIME),
    ("AadStatus", "DeviceId", STRING),
    ("EventLog", "EventID", LONG),
    ("EventLog", "DateTime", DATETIME),
    ("Disk", "FreeSpace", LONG),
    ("LogicalDisk", "FreeSpace", LONG),
    ("Registry", "Value", STRING),
    ("FileContent", "Line", LONG),
    ("Battery", "EstimatedChargeRemaining", LONG),
]

POWERSHELL5 = {"Administrators", "Connection", "IPConfig", "SMBConfig"}
CONSOLE_ONLY = {"AccountSID", "FileContent", "NAPClient", "NAPSystemHealthAgent", "RegistryKey"}
BUILTIN = {
    "AutoStartSoftware",
    "Bios",
    "Device",
    "Disk",
    "FileShare",
    "InstalledSoftware",
    "OS",
    "Process",
    "Service",
}
SCRIPTED = {
    "AadStatus", "Administrators", "AppCrash", "CcmLog", "Connection", "EPStatus", "EventLog", "File",
    "FileContent", "IPConfig", "ProcessModule", "Registry", "RegistryKey", "SMBConfig", "SoftwareUpdate",
    "User", "WinEvent",
}  # fmt: skip

# name -> [(parameter, type, required, default)]
PARAMETERS: dict[str, list[tuple[str, ScalarType, bool, object]]] = {
    "Registry": [("path", STRING, True, None)],
    "RegistryKey": [("path", STRING, True, None)],
    "File": [("path", STRING, True, None)],
    "FileContent": [("path", STRING, True, None)],
    "ProcessModule": [("name", STRING, True, None)],
    "EventLog": [("log", STRING, True, None), ("span", TIMESPAN, False, timedelta(days=1))],
    "CcmLog": [("log", STRING, True, None), ("span", TIMESPAN, False, timedelta(days=1))],
    "WinEvent": [("channel", STRING, True, None), ("span", TIMESPAN, False, timedelta(days=1))],
}


def test_the_catalog_holds_the_152_documented_entities_in_documented_order() -> None:
    names = [item.name for item in entities()]
    assert len(names) == 152
    assert names[:3] == ["AadStatus", "Administrators", "AppCrash"]
    assert names[146] == "WriteFilterState"  # last of the shared list (#147)
    assert names[-5:] == ["AccountSID", "FileContent", "NAPClient", "NAPSystemHealthAgent", "RegistryKey"]


def test_entity_names_are_unique_ignoring_case() -> None:
    lowered = [item.name.lower() for item in entities()]
    assert len(set(lowered)) == len(lowered)


def test_every_entity_starts_with_a_device_string_column() -> None:
    for item in entities():
        first = item.columns[0]
        assert (first.name, first.type) == ("Device", STRING), item.name
        assert next(iter(item.schema)) == "Device"


def test_columns_are_unique_and_use_only_cmpivot_types() -> None:
    """CMPivot columns are String, Number (long), Boolean, DateTime or TimeSpan; no reals."""
    allowed = {BOOL, LONG, STRING, DATETIME, TIMESPAN}
    for item in entities():
        lowered = [name.lower() for name in item.column_names]
        assert len(set(lowered)) == len(lowered), item.name
        assert len(item.columns) >= 2, item.name
        for column in item.columns:
            assert column.type in allowed, (item.name, column.name)
            assert column.unit is None or column.unit in UNITS, (item.name, column.name)


def test_powershell5_entities() -> None:
    assert {item.name for item in entities() if item.requires_powershell5} == POWERSHELL5


def test_console_only_entities() -> None:
    assert {item.name for item in entities() if item.console_only} == CONSOLE_ONLY


def test_kinds() -> None:
    assert {item.name for item in entities() if item.kind == "builtin"} == BUILTIN
    assert {item.name for item in entities() if item.kind == "scripted"} == SCRIPTED
    hinv = [item for item in entities() if item.kind == "hinv"]
    assert len(hinv) == 152 - len(BUILTIN) - len(SCRIPTED)
    assert all(item.wmi_class for item in hinv)


def test_every_entity_says_where_its_columns_come_from() -> None:
    for item in entities():
        assert item.source, item.name
        assert item.description, item.name


@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_parameters_of_parameterised_entities(name: str) -> None:
    got = [(p.name, p.type, p.required, p.default) for p in entity(name).parameters]
    assert got == PARAMETERS[name]


def test_other_entities_take_no_parameters() -> None:
    for item in entities():
        if item.name not in PARAMETERS:
            assert item.parameters == (), item.name


def test_signature_shows_optional_span() -> None:
    assert entity("EventLog").signature == "EventLog(log: string[, span: timespan = 1d])"
    assert entity("Process").signature == "Process"


def test_appcrash_reads_seven_days() -> None:
    note = entity("AppCrash").note
    assert note is not None
    assert "7 days" in note


def test_lookup_is_case_insensitive() -> None:
    assert entity("process") is entity("PROCESS") is entity("Process")
    assert entity("file").name == "File"
    assert find_entity("ccmlog") is entity("CcmLog")
    assert find_entity("pnpdevicedriver") is entity("PNPDEVICEDRIVER")


def test_find_entity_returns_none_for_unknown_names() -> None:
    assert find_entity("NoSuchEntity") is None
    assert find_entity("ClientDiagnostics") is None  # a custom inventory class, not documented


def test_unknown_entity_raises_key_error_with_suggestions() -> None:
    with pytest.raises(KeyError) as caught:
        entity("Proces")
    message = str(caught.value)
    assert "did you mean" in message
    assert "Process" in message


def test_unknown_entity_without_near_names_has_no_suggestion() -> None:
    with pytest.raises(KeyError) as caught:
        entity("xyzzy")
    assert "did you mean" not in str(caught.value)


@pytest.mark.parametrize(("name", "column"), SAMPLE_COLUMNS)
def test_sample_query_columns_exist(name: str, column: str) -> None:
    assert entity(name).column(column) is not None, f"{name}.{column}"


@pytest.mark.parametrize(("name", "column", "expected"), SAMPLE_TYPES)
def test_sample_query_column_types(name: str, column: str, expected: ScalarType) -> None:
    found = entity(name).column(column)
    assert found is not None
    assert found.type == expected


def test_column_lookup_keeps_canonical_spelling() -> None:
    found = entity("USBDevice").column("service")
    assert found is not None
    assert found.name == "Service"


def test_pre_ga_file_hash_column_does_not_exist() -> None:
    """TP 1908 called it Hash; the GA File() schema has SHA256Hash (negative sample H04)."""
    assert entity("File").column("Hash") is None


def test_script_column_lists_are_exact() -> None:
    exact = {
        "File": ["FileName", "Mode", "LastWriteTime", "Size", "Version", "SHA256Hash", "MD5Hash"],
        "FileContent": ["Line", "Content"],
        "EventLog": ["DateTime", "EntryType", "Source", "EventID", "Message"],
        "CcmLog": ["LogText", "DateTime", "Component", "Context", "Type", "Thread", "File"],
        "WinEvent": ["DateTime", "LevelDisplayName", "ProviderName", "ID", "Message"],
        "ProcessModule": ["ModuleName", "FileName", "FileVersion", "Size", "MD5Hash"],
        "Registry": ["Property", "Value", "Key"],
        "RegistryKey": ["Key"],
        "Administrators": ["ObjectClass", "Name", "PrincipalSource"],
        "AppCrash": ["FileName", "Version", "ReportId", "DateTime"],
        "Connection": ["Server"],
        "User": ["UserName"],
        "SoftwareUpdate": [
            "Title", "RebootRequired", "LastDeploymentChangeTime", "UpdateID", "KBArticleIDs",
            "SecurityBulletinIDs", "Categories",
        ],
        "IPConfig": [
            "InterfaceAlias", "Name", "InterfaceDescription", "Status", "IPV4Address", "IPV6Address",
            "IPV4DefaultGateway", "IPV6DefaultGateway", "DNSServerList",
        ],
    }  # fmt: skip
    for name, expected in exact.items():
        assert list(entity(name).column_names) == ["Device", *expected], name


def test_schema_is_ordered_like_the_columns() -> None:
    item = entity("SystemBootData")
    assert list(item.schema) == list(item.column_names)
    assert item.schema["SystemStartTime"] == DATETIME


def test_entity_rejects_a_table_without_device_first() -> None:
    with pytest.raises(ValueError, match="Device"):
        Entity("Broken", "broken", "hinv", (Column("Name", STRING),))


def test_entity_rejects_duplicate_columns() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        Entity("Broken", "broken", "hinv", columns("Name name"))


def test_column_rejects_real_numbers() -> None:
    with pytest.raises(ValueError, match="real"):
        Column("Ratio", ScalarType.REAL)
