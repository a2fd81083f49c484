"""The simulated site behind ``demo://``: determinism, schemas, collections, device behaviour,
path semantics of Registry/File, time windows of the log entities, and scale."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from cmpivot_magic.backends.demo.generators import POLARS_TYPES
from cmpivot_magic.backends.demo.site import DemoSite, Ids
from cmpivot_magic.catalog import entities, entity

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
DEFAULT_ARGS: dict[str, tuple[object, ...]] = {
    "CcmLog": ("LocationServices",), "EventLog": ("Security",),
    "WinEvent": ("Microsoft-Windows-HelloForBusiness/Operational",), "File": ("%windir%\\system32\\*.exe",),
    "FileContent": ("c:\\windows\\smscfg.ini",), "ProcessModule": ("powershell",),
    "Registry": ("hklm:\\SOFTWARE\\Microsoft\\SMS\\*",), "RegistryKey": ("hklm:\\SOFTWARE\\Microsoft\\SMS\\*",),
}


def _anchored(site: DemoSite) -> DemoSite:
    site.anchor = NOW
    return site


@pytest.fixture(scope="module")
def site() -> DemoSite:
    return _anchored(DemoSite(devices=300, seed=7, offline=0.1, failure=0.02, ps4=0.03))


@pytest.fixture(scope="module")
def big() -> DemoSite:
    return _anchored(DemoSite(devices=1000, seed=11, offline=0.1, failure=0.02, ps4=0.03))


def _all(site: DemoSite) -> pl.Series:
    return site.devices["ResourceId"]


def _table(site: DemoSite, name: str, *args: object, ids: Ids | None = None) -> pl.DataFrame:
    return site.table(entity(name), args, _all(site) if ids is None else ids, NOW)


# ------------------------------------------------------------------------------ determinism


@pytest.mark.parametrize("name,args", [("Process", ()), ("Service", ()), ("InstalledSoftware", ()),
                                       ("EventLog", ("System", timedelta(days=2))), ("File", ("C:\\Windows\\*",)),
                                       ("OperatingSystem", ()), ("USBDevice", ())])
def test_same_seed_same_rows(site: DemoSite, name: str, args: tuple[object, ...]) -> None:
    """Two sites built from the same seed return identical tables, whatever was built before."""
    other = _anchored(DemoSite(devices=300, seed=7, offline=0.1, failure=0.02, ps4=0.03))
    _table(other, "Connection")  # build something else first: no shared random state
    assert_frame_equal(_table(site, name, *args), _table(other, name, *args))


def test_different_seed_different_rows(site: DemoSite) -> None:
    """Another seed is another site."""
    other = _anchored(DemoSite(devices=300, seed=8))
    assert not _table(site, "OS").equals(_table(other, "OS"))


@pytest.mark.parametrize("name", ["Process", "Disk", "CCMRecentlyUsedApplications", "Administrators"])
def test_subset_rows_equal_full_rows(site: DemoSite, name: str) -> None:
    """A device's rows do not depend on which other devices are asked."""
    ids = _all(site).to_numpy()[[5, 17, 120, 299]]
    part = _table(site, name, ids=ids)
    names = site.devices.filter(pl.col("ResourceId").is_in(ids.tolist()))["Name"]
    full = _table(site, name).filter(pl.col("Device").is_in(names.to_list()))
    assert part.height > 0
    assert_frame_equal(part, full)


def test_unknown_resource_id_raises(site: DemoSite) -> None:
    with pytest.raises(KeyError):
        _table(site, "OS", ids=[1])


# ---------------------------------------------------------------------------------- schema


def test_every_entity_has_catalog_schema(site: DemoSite) -> None:
    """All 152 entities build; Device first, then the catalog's columns in order and type."""
    assert len(entities()) == 152
    ids = _all(site)[:40]
    for ent in entities():
        table = site.table(ent, DEFAULT_ARGS.get(ent.name, ()), ids, NOW)
        expected = [("Device", pl.String())] + [(c.name, POLARS_TYPES[c.type]) for c in ent.columns[1:]]
        assert list(table.schema.items()) == expected, ent.name
        assert table["Device"].null_count() == 0, ent.name


def test_columns_argument_nulls_the_rest(site: DemoSite) -> None:
    """Columns outside ``columns`` come back null but keep their type."""
    table = site.table(entity("Process"), (), _all(site)[:5], NOW, columns=["Name"])
    assert table["Name"].null_count() == 0
    assert table["CommandLine"].null_count() == table.height
    assert table.schema["CreationDate"] == pl.Datetime("ns", "UTC")


def test_devices_frame(site: DemoSite) -> None:
    d = site.devices
    assert d.height == 300 and d["ResourceId"].min() == 16777220 and d["ResourceId"].is_unique().all()
    assert d["Name"].str.contains(r"^(WKS-\d{4}|SRV-[A-Z]+\d{2})$").all()
    assert set(d["PowerShellVersion"].unique()) == {"5.1", "4.0"}
    assert d["UserName"].drop_nulls().str.starts_with("CONTOSO\\").mean() > 0.95  # type: ignore[operator]


# ----------------------------------------------------------------------------- collections


def test_collections_membership(site: DemoSite) -> None:
    """SMS00001 holds every device; member counts agree with members(); unknown ids raise."""
    ids = set(_all(site).to_list())
    assert set(site.members("SMS00001").tolist()) == ids
    assert set(site.members("SMSDM003").tolist()) == ids
    names = dict(zip(site.collections["CollectionID"], site.collections["Name"], strict=True))
    assert names["SMS00001"] == "All Systems"
    assert {"All Windows 11 Workstations", "All Servers", "Finance Laptops", "Pilot Ring", "Datacenter Servers"} <= set(names.values())
    for cid, count in zip(site.collections["CollectionID"], site.collections["MemberCount"], strict=True):
        members = site.members(cid)
        assert len(members) == count and set(members.tolist()) <= ids
    servers = set(site.devices.filter("IsServer")["ResourceId"].to_list())
    assert set(site.members("CON00011").tolist()) == servers
    with pytest.raises(KeyError):
        site.members("CON99999")


# ------------------------------------------------------------------------ device behaviour


def test_fractions_are_honoured(big: DemoSite) -> None:
    """offline, failure (of online devices) and ps4 are exact fractions of the site."""
    ids = _all(big).to_numpy()
    offline = big.is_offline(ids)
    assert offline.sum() == 100 and big.offline_mask.sum() == 100
    failing = [big.failure_message(int(r)) for r in ids]
    assert sum(m is not None for m in failing) == 18
    assert not any(m is not None and off for m, off in zip(failing, offline, strict=True))
    assert (big.powershell_version(ids) == "4.0").sum() == 30


def test_latency_is_realistic_and_fixed(big: DemoSite) -> None:
    ids = _all(big).to_numpy()
    latency = big.latency_seconds(ids)
    assert 1.0 <= np.median(latency) <= 5.0 and latency.max() <= 60.0 and (latency > 10).any()
    assert np.array_equal(latency[::-1], big.latency_seconds(ids[::-1]))


def test_entity_errors(big: DemoSite) -> None:
    """PowerShell 5 entities fail on PowerShell 4.0; a failing device fails everything; an event log
    the device lacks fails; otherwise no error."""
    ids = _all(big).to_numpy()
    ps4 = next(int(r) for r in ids if big.powershell_version([r])[0] == "4.0" and big.failure_message(int(r)) is None)
    error = big.entity_error(entity("Administrators"), ps4)
    assert error is not None and error.startswith("The term 'Get-LocalGroupMember' is not recognized")
    assert big.entity_error(entity("OS"), ps4) is None
    failing = next(int(r) for r in ids if big.failure_message(int(r)))
    assert big.entity_error(entity("OS"), failing) == big.failure_message(failing)
    healthy = next(int(r) for r in ids if big.powershell_version([r])[0] == "5.1" and big.failure_message(int(r)) is None)
    assert big.entity_error(entity("Administrators"), healthy) is None
    assert "does not exist" in (big.entity_error(entity("EventLog"), healthy, ("NoSuchLog",)) or "")
    assert big.entity_error(entity("EventLog"), healthy, ("system",)) is None


# ------------------------------------------------------------------------ registry and files


def test_registry_paths_are_case_and_backslash_insensitive(site: DemoSite) -> None:
    a = _table(site, "Registry", "HKLM:\\\\SOFTWARE\\\\Microsoft\\\\Windows NT\\\\CurrentVersion\\")
    b = _table(site, "Registry", "hklm:\\software\\microsoft\\windows nt\\currentversion")
    assert a.height > 0
    assert_frame_equal(a, b)
    assert set(a.filter(pl.col("Property") == "UBR")["Value"].str.len_chars().unique()) <= {3, 4, 5}


def test_registry_wildcards_and_missing(site: DemoSite) -> None:
    """Registry('...\\*') lists values of child keys, RegistryKey('...\\*') the child keys; unknown paths
    and keys without values give no rows."""
    values = _table(site, "Registry", "hklm:\\SOFTWARE\\Microsoft\\EnterpriseCertificates\\Root\\Certificates\\*")
    keys = _table(site, "RegistryKey", "hklm:\\SOFTWARE\\Microsoft\\EnterpriseCertificates\\Root\\Certificates\\*")
    assert values.height > 0 and set(values["Property"]) == {"Blob"}
    assert set(keys["Key"]) == set(values["Key"])
    children = set(_table(site, "RegistryKey", "hklm:\\SOFTWARE\\Microsoft\\SMS\\*")["Key"])
    assert "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\SMS\\Mobile Client" in children
    assert _table(site, "Registry", "hklm:\\SOFTWARE\\No\\Such\\Key").height == 0
    assert _table(site, "Registry", "hklm:\\SOFTWARE\\Microsoft\\SMS").height == 0
    holds = _table(site, "Registry", "HKLM:\\\\SOFTWARE\\\\Microsoft\\\\Windows NT\\\\CurrentVersion\\\\AppCompatFlags"
                                     "\\\\TargetVersionUpgradeExperienceIndicators\\\\*\\\\")
    assert (holds.filter(pl.col("Property") == "GatedBlockId")["Value"] != "None").any()


def test_file_paths(site: DemoSite) -> None:
    """Environment variables expand, wildcards match in any segment, a missing file gives no rows."""
    exes = _table(site, "File", "%windir%\\system32\\*.exe")
    assert exes.height > 30 * site.fleet.n
    assert exes["FileName"].str.to_lowercase().str.starts_with("c:\\windows\\system32\\").all()
    assert exes["SHA256Hash"].str.contains(r"^[0-9A-F]{64}$").all() and exes["MD5Hash"].str.len_chars().eq(32).all()
    assert (exes["SHA256Hash"] == "A92056D772260B39A876D01552496B2F8B4610A0B1E084952FE1176784E2CE77").any()
    teams = _table(site, "File", "%SystemDrive%\\users\\*\\AppData\\Local\\Microsoft\\Teams\\current\\teams.exe")
    assert teams.height > 0 and teams["FileName"].str.contains(r"^C:\\Users\\[^\\]+\\AppData").all()
    assert _table(site, "File", "YOURFILEPATH").height == 0
    lines = _table(site, "FileContent", "c:\\windows\\SMSCFG.ini")
    ids = lines.filter(pl.col("Content").str.starts_with("SMS Unique Identifier="))
    assert ids.height == site.fleet.n and ids["Content"].str.slice(22).str.starts_with("GUID:").all()


# ---------------------------------------------------------------------------- time windows


@pytest.mark.parametrize("name,log", [("EventLog", "System"), ("CcmLog", "LocationServices"),
                                      ("WinEvent", "Microsoft-Windows-Windows Defender/Operational")])
def test_log_windows(site: DemoSite, name: str, log: str) -> None:
    """Rows fall within [now - span, now], oldest first per device, and a shorter span is a subset."""
    day = _table(site, name, log, timedelta(days=1))
    hour = _table(site, name, log, timedelta(hours=1))
    assert day.height > hour.height > 0
    assert day["DateTime"].min() >= NOW - timedelta(days=1) and day["DateTime"].max() <= NOW  # type: ignore[operator]
    assert hour["DateTime"].min() >= NOW - timedelta(hours=1)  # type: ignore[operator]
    assert hour.join(day, on=hour.columns, how="anti").height == 0
    assert day.group_by("Device", maintain_order=True).agg(pl.col("DateTime").is_sorted())["DateTime"].all()


def test_app_crash_reads_seven_days(site: DemoSite) -> None:
    crashes = _table(site, "AppCrash")
    assert crashes.height > 0 and crashes["DateTime"].min() >= NOW - timedelta(days=7)  # type: ignore[operator]


# --------------------------------------------------------------------------- sample queries


def test_samples_have_something_to_find(big: DemoSite) -> None:
    """The data behind the reference's sample queries is there (§10)."""
    assert _table(big, "EventLog", "Security").filter(pl.col("EventID") == 4673).height > 0
    assert _table(big, "CcmLog", "LocationServices")["LogText"].str.contains("Client is not in any boundary group.", literal=True).any()
    bios = _table(big, "Bios")
    assert (bios["Version"] == "LENOVO - 1140").any() and bios["Manufacturer"].str.contains("Micro").any()
    assert (_table(big, "Service")["Name"] == "Browser").any()
    assert _table(big, "USBDevice")["Service"].str.contains("usbaudio").any()
    aad = _table(big, "AadStatus")["DeviceId"].null_count() / big.fleet.n
    assert 0.2 < aad < 0.45
    assert (_table(big, "OS")["Version"] == "10.0.17134").any()
    stopped_auto = _table(big, "Service").filter((pl.col("StartMode") == "Auto") & (pl.col("State") == "Stopped"))
    assert {"WinDefend", "CcmExec"} & set(stopped_auto["Name"])
    disk = _table(big, "LogicalDisk").filter(pl.col("DeviceID") == "C:")
    assert ((disk["FreeSpace"] / disk["Size"]) < 0.1).mean() > 0.03  # type: ignore[operator]
    recent = _table(big, "CCMRecentlyUsedApplications").filter(pl.col("LastUsedTime") > NOW - timedelta(hours=2))
    assert recent.height > 0
    profiles = _table(big, "USMUserProfile").filter(~pl.col("Special") & (pl.col("LastUseTime") < NOW - timedelta(days=90)))
    assert profiles.height > 0
    assert _table(big, "ProcessModule", "powershell")["ModuleName"].n_unique() > 20


# ------------------------------------------------------------------------------------ scale


def test_ten_thousand_devices_of_processes() -> None:
    """Process for 10,000 devices is about two million rows with 150-250 a device on average."""
    site = DemoSite(devices=10_000, seed=3)
    table = site.table(entity("Process"), (), site.devices["ResourceId"], NOW)
    assert table.width == 17 and 1_400_000 <= table.height <= 2_500_000
    per_device = table.height / 10_000
    assert 140 <= per_device <= 250
