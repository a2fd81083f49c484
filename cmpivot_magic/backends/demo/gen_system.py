"""One-row-per-device identity entities: Device, OS, OperatingSystem, ComputerSystem, Bios, TPM,
Firmware, TimeZone and friends — each a ``profile`` whose columns read the fleet, so a device's
model, firmware and OS build agree everywhere they appear.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import windows_data as wd
from .fleet import ALL_MODELS, Fleet
from .generators import DAY, Draw
from .generic import F, W, fact, profile


def _domain(d: Draw) -> np.ndarray:
    return np.where(d.of(d.fleet.domain_joined), wd.DOMAIN, "WORKGROUP").astype(object)


def _product_type(d: Draw) -> np.ndarray:
    f = d.fleet
    return d.of(np.where(f.role == "DC", 2, np.where(f.is_server, 3, 1)))


def _language(d: Draw) -> np.ndarray:
    f = d.fleet
    london = np.char.startswith(f.subnet.astype(str), "10.30.")
    lang = np.where(london, 2057, 1033)
    rng = np.random.default_rng([f.seed, 4242])
    other = rng.random(f.n)
    lang = np.where(other < 0.02, 1031, np.where(other < 0.03, 1036, lang))
    return d.of(lang)


_LOCALES = {1033: "0409", 2057: "0809", 1031: "0407", 1036: "040c"}


def _locale(d: Draw) -> np.ndarray:
    return np.vectorize(_LOCALES.get, otypes=[object])(_language(d))


def _os_attr(attr: str) -> Callable[[Draw], Any]:
    return lambda d: d.of(d.fleet.os_attr(attr))


def _boot(d: Draw) -> np.ndarray:
    return d.of(d.fleet.boot_age)


def _firmware(index: int) -> Callable[[Draw], np.ndarray]:
    """A field of each device's firmware entry: 0 Version, 1 SMBIOSBIOSVersion, 2 days since release."""

    def value(d: Draw) -> np.ndarray:
        f = d.fleet
        table = {family: entries for family, (_, entries) in wd.FIRMWARE.items()}
        out = np.array([table[ALL_MODELS[m].firmware][k][index] for m, k in zip(f.model, f.firmware, strict=True)],
                       dtype=object)
        return d.of(out)

    return value


def _bios_vendor(d: Draw) -> np.ndarray:
    return d.of(np.array([wd.FIRMWARE[m.firmware][0] for m in ALL_MODELS], dtype=object)[d.fleet.model])


def _bios_date(d: Draw) -> np.ndarray:
    return (_firmware(2)(d).astype(np.int64) + 400) * DAY


def _model_attr(attr: str) -> Callable[[Draw], np.ndarray]:
    return lambda d: d.of(np.array([getattr(m, attr) for m in ALL_MODELS], dtype=object)[d.fleet.model])


def _timezone(d: Draw) -> np.ndarray:
    """Bias in minutes: Eastern at HQ and New York, GMT in London, the rest spread west."""
    f = d.fleet
    subnet = f.subnet.astype(str)
    bias = np.full(f.n, -300)
    bias[np.char.startswith(subnet, "10.30.")] = 0
    remote = np.char.startswith(subnet, "10.200.") | np.char.startswith(subnet, "192.168.")
    bias[remote] = np.array([-300, -360, -420, -480])[f.rid[remote] % 4]
    return d.of(bias)


_TZ_NAMES = {-300: ("Eastern Standard Time", "Eastern Daylight Time", "(UTC-05:00) Eastern Time (US & Canada)"),
             -360: ("Central Standard Time", "Central Daylight Time", "(UTC-06:00) Central Time (US & Canada)"),
             -420: ("Mountain Standard Time", "Mountain Daylight Time", "(UTC-07:00) Mountain Time (US & Canada)"),
             -480: ("Pacific Standard Time", "Pacific Daylight Time", "(UTC-08:00) Pacific Time (US & Canada)"),
             0: ("GMT Standard Time", "GMT Daylight Time", "(UTC+00:00) Dublin, Edinburgh, Lisbon, London")}


def _tz(index: int) -> Callable[[Draw], np.ndarray]:
    return lambda d: np.vectorize(lambda b: _TZ_NAMES[int(b)][index], otypes=[object])(_timezone(d))


def _memory_kb(d: Draw) -> np.ndarray:
    return d.of(d.fleet.ram_mb) * 1024


def _cpu(index: int) -> Callable[[Draw], np.ndarray]:
    return lambda d: d.of(np.array([c[index] for c in wd.CPUS], dtype=object)[d.fleet.cpu])


def _sockets(fleet: Fleet, rng: Any) -> np.ndarray:
    return np.where(fleet.form == "Server", 2, 1)


profile("Device", Domain=_domain, UserName=fact("user"), Manufacturer=lambda d: d.of(d.fleet.manufacturer),
        Model=lambda d: d.of(d.fleet.model_name))

_OS_COMMON: dict[str, Any] = dict(
    Caption=lambda d: d.of(d.fleet.caption), Version=_os_attr("version"), BuildNumber=_os_attr("build"),
    OSArchitecture="64-bit", Manufacturer="Microsoft Corporation", InstallDate=fact("install_age"),
    LastBootUpTime=_boot, OSLanguage=_language, ProductType=_product_type, Locale=_locale,
)
profile("OS", **_OS_COMMON)
profile(
    "OperatingSystem", **_OS_COMMON, OSType=18, OperatingSystemSKU=fact("sku"),
    SerialNumber=F("00330-{num5}-{num5}-AA{num3}"), SystemDirectory="C:\\Windows\\system32",
    WindowsDirectory="C:\\Windows", TotalVisibleMemorySize=lambda d: _memory_kb(d) - 180_000,
    FreePhysicalMemory=lambda d: (_memory_kb(d) * d.rng.uniform(0.15, 0.6, d.n)).astype(np.int64),
    RegisteredUser=W(["Contoso", "Windows User", "Contoso Ltd."], [6, 3, 1]),
    Name=lambda d: np.char.add(d.of(d.fleet.caption).astype(str), "|C:\\Windows|\\Device\\Harddisk0\\Partition3"),
)
profile("OperatingSystemEx", Name=lambda d: d.of(d.fleet.caption), SKU=fact("sku"))
profile(
    "ComputerSystem", Name=fact("name"), Domain=_domain,
    DomainRole=lambda d: d.of(np.where(d.fleet.role == "DC", 4, np.where(d.fleet.is_server, 3, 1))),
    Manufacturer=lambda d: d.of(d.fleet.manufacturer), Model=lambda d: d.of(d.fleet.model_name),
    UserName=fact("user"), SystemType="x64-based PC", NumberOfProcessors=lambda d: _sockets(d.fleet, None)[d.dev],
    TotalPhysicalMemory=lambda d: d.of(d.fleet.ram_mb) * (1 << 20), PrimaryOwnerName=W(["Contoso", "Windows User"], [7, 3]),
    Description="AT/AT COMPATIBLE", Caption=fact("name"), CurrentTimeZone=_timezone, DaylightInEffect=False,
    BootupState="Normal boot", PowerState=0, ThermalState=3, WakeUpType=6,
)
profile("ComputerSystemEx", Name=fact("name"), PCSystemType=lambda d: d.of(
    np.select([d.fleet.form == "Laptop", d.fleet.form == "Server"], [2, 4], 1)))
profile(
    "ComputerSystemProduct", IdentifyingNumber=fact("serial"), Name=lambda d: d.of(d.fleet.model_name),
    Version=lambda d: np.where(np.isin(d.of(d.fleet.firmware_family), ["hyperv", "vmware"]), _firmware(1)(d),
                               _model_attr("product")(d)),
    Caption="Computer System Product", Description="Computer System Product", SKUNumber=_model_attr("sku"),
    UUID=lambda d: d.of(np.array([f"{r:08X}-{(r * 7) % 65536:04X}-11EC-80{r % 256:02X}-{r * 2654435761 % (1 << 48):012X}"
                                  for r in d.fleet.rid], dtype=object)),
    Vendor=lambda d: d.of(d.fleet.manufacturer),
)
profile(
    "Bios", Manufacturer=_bios_vendor, Name=_firmware(1), Version=_firmware(0), SerialNumber=fact("serial"),
    SMBIOSBIOSVersion=_firmware(1), SMBIOSMajorVersion=3, SMBIOSMinorVersion=W([1, 2, 3], [2, 3, 5]),
    ReleaseDate=_bios_date, PrimaryBIOS=True, Description=_firmware(1), Status="OK",
)
profile("Firmware", UEFI=fact("uefi"), SecureBoot=lambda d: d.of(d.fleet.uefi) & d.chance(0.93))
profile(
    "BaseBoard", Tag="Base Board", Manufacturer=lambda d: d.of(d.fleet.manufacturer),
    Product=lambda d: np.where(np.isin(d.of(d.fleet.firmware_family), ["hyperv", "vmware"]), "Virtual Machine",
                               d.choice(["0VH5P9", "8A5C", "20W0005QUS", "0TX98X", "SDK0J40697 WIN"])),
    Model=None, Version=W(["A00", "A01", "KBC Version 08.5C.00", "None"], [4, 2, 2, 1]),
    SerialNumber=F("/{num7}/CNCMC00{hex8}/"), Name="Base Board", Caption="Base Board", Description="Base Board",
    PartNumber=None, SKU=None, Status="OK", HostingBoard=True, HotSwappable=False, PoweredOn=True,
    Removable=False, Replaceable=True,
)
profile(
    "SystemEnclosure", Tag="System Enclosure 0", Manufacturer=lambda d: d.of(d.fleet.manufacturer), Model=None,
    Name="System Enclosure", Caption="System Enclosure", Description="System Enclosure",
    SerialNumber=fact("serial"), SMBIOSAssetTag=lambda d: np.where(d.chance(0.6), "No Asset Tag", np.char.add("CON-", d.ints(10000, 99999).astype(str))),
    SKU=_model_attr("sku"), PartNumber=None, Version=None, LockPresent=False, AudibleAlarm=False,
    VisibleAlarm=False, SecurityStatus=3, SecurityBreach=None, HeatGeneration=None, NumberOfPowerCords=None,
    Status=None,
)
profile(
    "TPM", where=lambda f: f.tpm, IsActivated_InitialValue=True, IsEnabled_InitialValue=True,
    IsOwned_InitialValue=lambda d: d.chance(0.97),
    ManufacturerId=lambda d: np.where(d.of(d.fleet.form == "VM"), 1297303124, d.choice([1229346816, 1314145024, 1398033696, 1095582720], [4, 3, 2, 1])),
    ManufacturerVersion=W(["7.85.4555.0", "7.2.3.1", "1.258.0.0", "13.11.0.5"], [4, 3, 2, 1]),
    ManufacturerVersionInfo=W(["SLB9670", "NPCT75x", "ST33HTPHAHD4", "AMD"], [4, 3, 2, 1]),
    PhysicalPresenceVersionInfo="1.3", SpecVersion="2.0, 0, 1.59",
)
profile("TPMStatus", IsReady=lambda d: d.of(d.fleet.tpm) & d.chance(0.97), Information=0,
        IsApplicable=fact("tpm"))
profile(
    "Processor", rows=_sockets, DeviceID=F("CPU{k}"), Name=_cpu(0), Manufacturer=_cpu(1), Architecture=9,
    AddressWidth=64, Family=lambda d: np.where(np.char.find(_cpu(0)(d).astype(str), "Xeon") >= 0, 179,
                                                np.where(np.char.find(_cpu(0)(d).astype(str), "AMD") >= 0, 107, 198)),
    MaxClockSpeed=_cpu(4), CurrentClockSpeed=lambda d: _cpu(4)(d).astype(np.int64),
    NumberOfCores=_cpu(2), NumberOfLogicalProcessors=_cpu(3), Is64Bit=True, IsHyperthreadCapable=True,
    IsHyperthreadEnabled=lambda d: _cpu(3)(d).astype(np.int64) > _cpu(2)(d).astype(np.int64),
    IsMobile=lambda d: d.of(d.fleet.form == "Laptop"), IsVitualizationCapable=True,
    ProcessorId=lambda d: np.where(_cpu(1)(d) == "AuthenticAMD", "178BFBFF00A50F00", "BFEBFBFF000806C1"),
    SocketDesignation=lambda d: np.where(d.of(d.fleet.form == "Server"), np.char.add("CPU", (d.k + 1).astype(str)), "U3E1"),
    L2CacheSize=W([1280, 5120, 10240], [3, 4, 2]), L3CacheSize=W([8192, 12288, 24576], [3, 4, 2]), Status="OK",
)


def _dimms(fleet: Fleet, rng: Any) -> np.ndarray:
    gb = fleet.ram_mb // 1000
    return np.where(fleet.form == "VM", 1, np.where(gb >= 64, 4, np.where(gb >= 16, 2, 1)))


profile(
    "PhysicalMemory", rows=_dimms, Tag=F("Physical Memory {k}"),
    BankLabel=lambda d: np.char.add("BANK ", d.k.astype(str)),
    DeviceLocator=lambda d: np.char.add("DIMM ", d.k.astype(str)),
    Capacity=lambda d: ((d.of(d.fleet.ram_mb) + 1023) // 1024 * 1024) // d.of(_dimms(d.fleet, None)),
    Manufacturer=lambda d: np.where(d.of(d.fleet.form == "VM"), "Microsoft Corporation",
                                    d.choice(["Samsung", "SK Hynix", "Micron Technology", "Kingston"])),
    PartNumber=W(["M471A2K43EB1-CWE", "HMAA2GS6CJR8N-XN", "MTA8ATF2G64HZ-3G2R1", "None"], [3, 3, 3, 1]),
    SerialNumber=F("{hex8}"), Speed=W([2666, 3200, 4800], [2, 6, 2]), FormFactor=W([12, 8], [7, 3]),
    MemoryType=0, TypeDetail=128, DataWidth=64, TotalWidth=64, Name="Physical Memory",
    Caption="Physical Memory", Description="Physical Memory", Model=None,
)
profile(
    "Memory", Name="Logical Memory Configuration",
    AvailableVirtualMemory=lambda d: (_memory_kb(d) * d.rng.uniform(0.5, 1.2, d.n)).astype(np.int64),
    TotalPageFileSpace=lambda d: np.minimum(_memory_kb(d) // 4, 16 << 20),
    TotalPhysicalMemory=_memory_kb,
    TotalVirtualMemory=lambda d: _memory_kb(d) + np.minimum(_memory_kb(d) // 4, 16 << 20),
)
profile(
    "TimeZone", StandardName=_tz(0), DaylightName=_tz(1), Caption=_tz(2), Description=_tz(2), Bias=_timezone,
    DaylightBias=-60, StandardBias=0, DaylightMonth=lambda d: np.where(_timezone(d) == 0, 3, 3),
    DaylightDay=2, DaylightDayOfWeek=0, DaylightHour=lambda d: np.where(_timezone(d) == 0, 1, 2),
    StandardMonth=lambda d: np.where(_timezone(d) == 0, 10, 11), StandardDay=lambda d: np.where(_timezone(d) == 0, 5, 1),
    StandardDayOfWeek=0, StandardHour=2, SettingID=None,
)
profile("WindowsUpdateAgentVersion", Version=lambda d: np.char.add("7.9.", np.char.add(d.of(d.fleet.os_attr("build")).astype(str), ".1000")).astype(object))
profile("WriteFilterState", WriteFilterEnabled=False)
profile("OperatingSystemRecoveryConfiguration", Name=lambda d: np.char.add(d.of(d.fleet.caption).astype(str), "|C:\\Windows|\\Device\\Harddisk0\\Partition3"),
        Caption="", Description="", AutoReboot=True, DebugFilePath="%SystemRoot%\\MEMORY.DMP", KernelDumpOnly=False,
        OverwriteExistingDebugFile=True, SendAdminAlert=False, WriteDebugInfo=True, WriteToSystemLog=True,
        SettingID=None)
profile("BootConfiguration", Name="BootConfiguration", BootDirectory="C:\\Windows", ConfigurationPath="C:\\Windows",
        Description="\\Device\\Harddisk0\\Partition3", LastDrive="Z:", ScratchDirectory="C:\\Windows\\system32\\config\\systemprofile\\AppData\\Local\\Temp",
        SettingID=None, TempDirectory="C:\\Windows\\system32\\config\\systemprofile\\AppData\\Local\\Temp")
profile("PageFileSetting", Name="C:\\pagefile.sys", Caption="C:\\ 'pagefile.sys'", Description="'pagefile.sys' @ C:\\",
        InitialSize=0, MaximumSize=0, SettingID="pagefile.sys @ C:")
profile("VirtualMachine", where=lambda f: f.firmware_family == "hyperv", InstanceKey="Guest Parameters",
        PhysicalHostName=lambda d: np.char.add("HV-HOST", (d.of(d.fleet.rid) % 12 + 1).astype(str)),
        PhysicalHostNameFullyQualified=lambda d: np.char.add(np.char.add("HV-HOST", (d.of(d.fleet.rid) % 12 + 1).astype(str)), ".contoso.com"))
profile("VirtualMachine64", where=lambda f: f.firmware_family == "hyperv", InstanceKey="Guest Parameters",
        PhysicalHostName=lambda d: np.char.add("HV-HOST", (d.of(d.fleet.rid) % 12 + 1).astype(str)),
        PhysicalHostNameFullyQualified=lambda d: np.char.add(np.char.add("HV-HOST", (d.of(d.fleet.rid) % 12 + 1).astype(str)), ".contoso.com"))
