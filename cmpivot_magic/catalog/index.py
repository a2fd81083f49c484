"""The documented entities as one ordered ``Catalog`` (``DOCUMENTED``), and look-ups over it.

``DOCUMENTED`` is the catalog of every connection that has no site list of its own (local://,
demo://, a site whose classes cannot be read); the module functions below answer from it. Names are
case-insensitive (reference §9 item 1); an unknown name raises a ``KeyError`` that suggests the
nearest names. The index is built once, at import.
"""

from __future__ import annotations

from cmpivot_magic.catalog.builtin import BUILTIN, SCRIPTED
from cmpivot_magic.catalog.catalog import Catalog
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


def _build() -> Catalog:
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
    return Catalog(tuple(by_name[name.lower()] for name in DOCUMENTED_ORDER))


DOCUMENTED = _build()
"""The 152 documented entities (reference §2.1), in the docs' order."""


def entities() -> tuple[Entity, ...]:
    """Every documented entity, in the order of the docs' list."""
    return DOCUMENTED.entities()


def find_entity(name: str) -> Entity | None:
    """The documented entity called ``name`` (case-insensitive), or None."""
    return DOCUMENTED.find_entity(name)


def entity(name: str) -> Entity:
    """The documented entity called ``name``; ``KeyError`` with suggestions if unknown."""
    return DOCUMENTED.entity(name)


def suggestions(name: str, limit: int = 3) -> tuple[str, ...]:
    """The documented entity names nearest to ``name``, best first (for did-you-mean messages)."""
    return DOCUMENTED.suggestions(name, limit)
