"""The catalog as one ordered collection, and name look-ups over it.

The planner calls ``entity(name)`` for every entity reference in a query; names are
case-insensitive (reference §9 item 1), and an unknown name raises a ``KeyError`` that suggests
the nearest names. The index is built once, at import.
"""

from __future__ import annotations

import difflib

from cmpivot_magic.catalog.builtin import BUILTIN, SCRIPTED
from cmpivot_magic.catalog.inventory_hardware import HARDWARE
from cmpivot_magic.catalog.inventory_software import SOFTWARE
from cmpivot_magic.catalog.inventory_system import SYSTEM
from cmpivot_magic.catalog.model import Entity

# The entity list of the official docs (reference §2.1), in its order: the shared list, then the
# entities available only in the ConfigMgr console (not tenant attach).
DOCUMENTED_ORDER: tuple[str, ...] = (
    "AadStatus", "Administrators", "AppCrash", "AppVClientApplication", "AppVClientPackage",
    "AutoStartSoftware", "BaseBoard", "Battery", "Bios", "BitLocker", "BitLockerEncryptionDetails",
    "BitLockerPolicy", "BootConfiguration", "BrowserHelperObject", "BrowserUsage", "CcmLog", "CCMRAX",
    "CCMRecentlyUsedApplications", "CCMWebAppInstallInfo", "CDROM", "ClientEvents", "ComputerSystem",
    "ComputerSystemEx", "ComputerSystemProduct", "ConnectedDevice", "Connection", "Desktop",
    "DesktopMonitor", "Device", "Disk", "DMA", "DMAChannel", "DriverVxD", "EmbeddedDeviceInformation",
    "Environment", "EPStatus", "EventLog", "File", "FileShare", "Firmware", "IDEController",
    "InstalledExecutable", "InstalledSoftware", "IPConfig", "IRQTable", "Keyboard", "LoadOrderGroup",
    "LogicalDisk", "MDMDevDetail", "Memory", "Modem", "Motherboard", "NetworkAdapter",
    "NetworkAdapterConfiguration", "NetworkClient", "NetworkLoginProfile", "NTEventlogFile",
    "Office365ProPlusConfigurations", "OfficeAddin", "OfficeClientMetric", "OfficeDeviceSummary",
    "OfficeDocumentMetric", "OfficeDocumentSolution", "OfficeMacroError", "OfficeProductInfo",
    "OfficeVbaRuleViolation", "OfficeVbaSummary", "OperatingSystem", "OperatingSystemEx",
    "OperatingSystemRecoveryConfiguration", "OptionalFeature", "OS", "PageFileSetting", "ParallelPort",
    "Partition", "PCMCIAController", "PhysicalDisk", "PhysicalMemory", "PNPDEVICEDRIVER",
    "PointingDevice", "PortableBattery", "Ports", "PowerCapabilities", "PowerClientOptOutSettings",
    "PowerConfigurations", "PowerManagementDaily", "PowerManagementInsomniaReasons",
    "PowerManagementMonthly", "PowerSettings", "PrinterConfiguration", "PrinterDevice", "PrintJobs",
    "Process", "ProcessModule", "Processor", "ProtectedVolumeInformation", "Protocol",
    "QuickFixEngineering", "Registry", "SCSIController", "SerialPortConfiguration", "SerialPorts",
    "ServerFeature", "Service", "Services", "Shares", "SMBConfig", "SMSAdvancedClientPorts",
    "SMSAdvancedClientSSLConfigurations", "SMSAdvancedClientState", "SMSDefaultBrowser",
    "SMSSoftwareTag", "SMSWindows8Application", "SMSWindows8ApplicationUserInfo", "SoftwareShortcut",
    "SoftwareUpdate", "SoundDevices", "SWLicensingProduct", "SWLicensingService", "SystemAccount",
    "SystemBootData", "SystemBootSummary", "SystemConsoleUsage", "SystemConsoleUser", "SystemDevices",
    "SystemDrivers", "SystemEnclosure", "TapeDrive", "TimeZone", "TPM", "TPMStatus", "TSIssuedLicense",
    "TSLicenseKeyPack", "UninterruptiblePowerSupply", "USBController", "USBDevice", "User",
    "USMFolderRedirectionHealth", "USMUserProfile", "VideoController", "VirtualMachine",
    "VirtualMachine64", "Volume", "WindowsUpdate", "WindowsUpdateAgentVersion", "WinEvent",
    "WriteFilterState",
    # console only
    "AccountSID", "FileContent", "NAPClient", "NAPSystemHealthAgent", "RegistryKey",
)  # fmt: skip


def _build() -> tuple[tuple[Entity, ...], dict[str, Entity]]:
    by_name: dict[str, Entity] = {}
    for item in (*BUILTIN, *SCRIPTED, *HARDWARE, *SOFTWARE, *SYSTEM):
        key = item.name.lower()
        if key in by_name:
            raise RuntimeError(f"catalog: entity {item.name} is defined twice")
        by_name[key] = item
    documented = {name.lower() for name in DOCUMENTED_ORDER}
    if len(documented) != len(DOCUMENTED_ORDER) or documented != by_name.keys():
        missing = sorted(documented - by_name.keys())
        extra = sorted(by_name.keys() - documented)
        raise RuntimeError(f"catalog out of step with the documented list: missing {missing}, extra {extra}")
    return tuple(by_name[name.lower()] for name in DOCUMENTED_ORDER), by_name


_ENTITIES, _BY_LOWER_NAME = _build()


def entities() -> tuple[Entity, ...]:
    """Every documented entity, in the order of the docs' list."""
    return _ENTITIES


def find_entity(name: str) -> Entity | None:
    """The entity called ``name`` (case-insensitive), or None."""
    return _BY_LOWER_NAME.get(name.lower())


def entity(name: str) -> Entity:
    """The entity called ``name`` (case-insensitive); ``KeyError`` with suggestions if unknown."""
    found = _BY_LOWER_NAME.get(name.lower())
    if found is None:
        raise KeyError(_unknown_message(name))
    return found


def suggestions(name: str, limit: int = 3) -> tuple[str, ...]:
    """The entity names nearest to ``name``, best first (for did-you-mean messages)."""
    close = difflib.get_close_matches(name.lower(), list(_BY_LOWER_NAME), n=limit, cutoff=0.6)
    return tuple(_BY_LOWER_NAME[key].name for key in close)


def _unknown_message(name: str) -> str:
    close = suggestions(name)
    if not close:
        return f"unknown entity {name!r}"
    return f"unknown entity {name!r}; did you mean {', '.join(close)}?"
