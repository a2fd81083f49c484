"""The built-in and scripted entities: the ones CMPivot reads live rather than from inventory.

Built-in entities are the original 1806 WMI-backed set (the class behind each is listed in the
reference, §2.3a); their columns are the documented properties of that class, including every
column the official samples use. Scripted entities are named branches of the client script
(``CMPivot.ps1``), whose column lists are authoritative (reference §2.2).
"""

from __future__ import annotations

from datetime import timedelta

from cmpivot_magic.catalog.model import Column, Entity, Parameter, columns
from cmpivot_magic.language.types import ScalarType

_SCRIPT = "client script (CMPivot.ps1)"
_ONE_DAY = timedelta(days=1)


def _path(what: str) -> Parameter:
    return Parameter("path", ScalarType.STRING, required=True, description=what)


def _span(default_text: str) -> Parameter:
    return Parameter(
        "span",
        ScalarType.TIMESPAN,
        required=False,
        default=_ONE_DAY,
        description=f"how far back to read ({default_text}); sent to the client in seconds",
    )


def _builtin(name: str, description: str, wmi_class: str, namespace: str, *specs: str | Column) -> Entity:
    return Entity(
        name=name,
        description=description,
        kind="builtin",
        columns=columns(*specs),
        source=f"WMI class {wmi_class} ({namespace}); documented class properties",
        wmi_class=wmi_class,
        since="1806",
    )


_CIMV2 = r"root\cimv2"
_SMS = r"root\cimv2\sms"

BUILTIN: tuple[Entity, ...] = (
    _builtin(
        "AutoStartSoftware",
        "Software that starts automatically with, or immediately after, the operating system",
        "SMS_AutoStartSoftware",
        _SMS,
        "FileName FileVersion Description Location Product ProductVersion Publisher StartupType StartupValue",
    ),
    _builtin(
        "Bios",
        "System BIOS information",
        "Win32_BIOS",
        _CIMV2,
        "Manufacturer Name Version SerialNumber SMBIOSBIOSVersion SMBIOSMajorVersion:long",
        "SMBIOSMinorVersion:long ReleaseDate:datetime PrimaryBIOS:bool Description Status",
    ),
    Entity(
        name="Device",
        description="Basic information about the device",
        kind="builtin",
        columns=columns("Domain UserName Manufacturer Model"),
        source="WMI class Win32_ComputerSystem (root\\cimv2); the columns samples use (reference §2.3)",
        wmi_class="Win32_ComputerSystem",
        since="1806",
        note="One row per device: the usual left side of 'devices without X' joins.",
    ),
    _builtin(
        "Disk",
        "Local storage device information on a computer system running Windows",
        "Win32_LogicalDisk",
        _CIMV2,
        "DeviceID Name Description DriveType:long FileSystem",
        Column("Size", ScalarType.LONG, "Bytes"),
        Column("FreeSpace", ScalarType.LONG, "Bytes", "live value in bytes (LogicalDisk reports MB)"),
        "VolumeName VolumeSerialNumber ProviderName",
    ),
    _builtin(
        "FileShare",
        "Active file share information",
        "Win32_Share",
        _CIMV2,
        "Name Path Description Caption",
        Column(
            "Type", ScalarType.LONG, note="0 = disk drive, 1 = print queue, 2147483648 = admin disk share"
        ),
        "AllowMaximum:bool MaximumAllowed:long Status",
    ),
    _builtin(
        "InstalledSoftware",
        "An application installed on the device",
        "SMS_InstalledSoftware",
        _SMS,
        "ProductName ProductVersion Publisher InstallDate:datetime InstalledLocation InstallSource",
        "UninstallString SoftwareCode ProductID ARPDisplayName Language:long InstallType:long",
        "PackageCode UpgradeCode VersionMajor:long VersionMinor:long ServicePack RegisteredUser",
    ),
    _builtin(
        "OS",
        "Basic information about the operating system",
        "Win32_OperatingSystem",
        _CIMV2,
        "Caption Version BuildNumber OSArchitecture Manufacturer InstallDate:datetime",
        "LastBootUpTime:datetime OSLanguage:long ProductType:long Locale",
    ),
    _builtin(
        "Process",
        "A process on an operating system",
        "Win32_Process",
        _CIMV2,
        "Name ProcessId:long ParentProcessId:long CommandLine ExecutablePath CreationDate:datetime",
        "WorkingSetSize:long:Bytes VirtualSize:long:Bytes PageFileUsage:long:KiloBytes ThreadCount:long",
        "HandleCount:long Priority:long SessionId:long KernelModeTime:long UserModeTime:long Description",
    ),
    _builtin(
        "Service",
        "A service on a computer system running Windows",
        "Win32_Service",
        _CIMV2,
        "Name DisplayName Description State Status StartMode StartName PathName ProcessId:long",
        "ServiceType Started:bool AcceptStop:bool AcceptPause:bool ExitCode:long DelayedAutoStart:bool",
    ),
)


def _scripted(
    name: str,
    description: str,
    *specs: str | Column,
    source: str,
    parameters: tuple[Parameter, ...] = (),
    requires_powershell5: bool = False,
    console_only: bool = False,
    wmi_class: str | None = None,
    since: str | None = None,
    note: str | None = None,
) -> Entity:
    return Entity(
        name=name,
        description=description,
        kind="scripted",
        columns=columns(*specs),
        parameters=parameters,
        requires_powershell5=requires_powershell5,
        console_only=console_only,
        source=source,
        wmi_class=wmi_class,
        since=since,
        note=note,
    )


SCRIPTED: tuple[Entity, ...] = (
    _scripted(
        "AadStatus",
        "Status of Azure Active Directory",
        "AzureAdJoined:bool EnterpriseJoined:bool DomainJoined:bool DomainName WorkplaceJoined:bool",
        Column("DeviceId", ScalarType.STRING, note="null when the device is not Azure AD joined"),
        "TenantId TenantName Thumbprint TpmProtected:bool AzureAdPrt:bool",
        source=f"{_SCRIPT}: dsregcmd /status; the selected set beyond the documented names follows dsregcmd",
        since="1910",
    ),
    _scripted(
        "Administrators",
        "Members of the local administrators group",
        Column("ObjectClass", ScalarType.STRING, note="User or Group"),
        Column("Name", ScalarType.STRING, note="DOMAIN\\name"),
        Column(
            "PrincipalSource", ScalarType.STRING, note="Local, ActiveDirectory, AzureAD or MicrosoftAccount"
        ),
        source=f"{_SCRIPT}: Get-LocalGroupMember -SID S-1-5-32-544",
        requires_powershell5=True,
        since="1806",
    ),
    _scripted(
        "AppCrash",
        "Recent application crash reports",
        Column("FileName", ScalarType.STRING, note="the faulting application"),
        "Version ReportId DateTime:datetime",
        source=f"{_SCRIPT}: Application log, event 1000 'Application Error'",
        since="1806",
        note="Reads the last 7 days of crash reports (not the 24 hours of the log entities).",
    ),
    _scripted(
        "CcmLog",
        "Lines within 24 hours (by default) from a Ccm Log file",
        "LogText DateTime:datetime Component Context",
        Column("Type", ScalarType.LONG, note="CMTrace severity: 1 information, 2 warning, 3 error"),
        "Thread:long File",
        parameters=(
            Parameter(
                "log", ScalarType.STRING, required=True, description="log name without .log, e.g. 'Scripts'"
            ),
            _span("default 1 day"),
        ),
        source=f"{_SCRIPT}: CMTrace-format lines of <CCM log dir>\\<log>.log",
        note="Rows sorted by time ascending; DateTime converted to UTC; a missing log gives no rows.",
    ),
    _scripted(
        "Connection",
        "An active Tcp connection in or out of the device",
        Column("Server", ScalarType.STRING, note="foreign address without port; FQDN when resolvable"),
        source=f"{_SCRIPT}: netstat -f, ESTABLISHED connections",
        requires_powershell5=True,
        since="1806",
    ),
    _scripted(
        "EPStatus",
        "Status of antimalware software gathered by Get-MpComputerStatus",
        "AMServiceEnabled:bool AntispywareEnabled:bool AntispywareSignatureLastUpdated:datetime",
        "AntispywareSignatureVersion AntivirusEnabled:bool AntivirusSignatureLastUpdated:datetime",
        "AntivirusSignatureVersion BehaviorMonitorEnabled:bool IoavProtectionEnabled:bool",
        "IsTamperProtected:bool NISEnabled:bool NISSignatureLastUpdated:datetime NISSignatureVersion",
        "OnAccessProtectionEnabled:bool QuickScanEndTime:datetime RealTimeProtectionEnabled:bool",
        source=f"{_SCRIPT}: Get-MpComputerStatus",
        since="1910",
        note="Windows 10 / Server 2016 or later with Microsoft Defender running; one row.",
    ),
    _scripted(
        "EventLog",
        "Events within 24 hours (by default) from an event log",
        "DateTime:datetime EntryType Source EventID:long Message",
        parameters=(
            Parameter("log", ScalarType.STRING, required=True, description="classic log name, e.g. 'System'"),
            _span("default 1 day"),
        ),
        source=f"{_SCRIPT}: Get-EventLog -LogName <log> -After (now - span)",
        note="Classic logs only; an unknown log fails the device.",
    ),
    _scripted(
        "File",
        "Information about a specific file",
        Column("FileName", ScalarType.STRING, note="full path"),
        "Mode LastWriteTime:datetime Size:long:Bytes",
        Column("Version", ScalarType.STRING, note="the file's ProductVersion"),
        "SHA256Hash MD5Hash",
        parameters=(_path("file path; environment variables and wildcards allowed, not recursive"),),
        source=f"{_SCRIPT}: Get-Item -Force",
        since="1806",
        note="One row per matching file; a missing file gives no rows.",
    ),
    _scripted(
        "FileContent",
        "Content of a specific file",
        Column("Line", ScalarType.LONG, note="1-based line number"),
        "Content",
        parameters=(_path("file path; environment variables allowed"),),
        console_only=True,
        source=f"{_SCRIPT}: Get-Content",
        since="1910",
        note="One row per line; a missing file gives no rows.",
    ),
    _scripted(
        "IPConfig",
        "Gets network configuration, including usable interfaces, IP addresses, and DNS servers",
        "InterfaceAlias",
        Column("Name", ScalarType.STRING, note="network profile name"),
        "InterfaceDescription Status IPV4Address IPV6Address IPV4DefaultGateway IPV6DefaultGateway",
        Column("DNSServerList", ScalarType.STRING, note="addresses joined with '; '"),
        source=f"{_SCRIPT}: Get-NetIPConfiguration",
        requires_powershell5=True,
    ),
    _scripted(
        "ProcessModule",
        "Modules loaded by specified processes",
        "ModuleName FileName FileVersion Size:long:Bytes MD5Hash",
        parameters=(
            Parameter("name", ScalarType.STRING, required=True, description="process name without .exe"),
        ),
        source=f"{_SCRIPT}: Get-Process -Name <name> -Module",
        since="1910",
    ),
    _scripted(
        "Registry",
        "All values for a specific registry key",
        Column("Property", ScalarType.STRING, note="value name; '(Default)' for the default value"),
        Column("Value", ScalarType.STRING, note="always a string; binary as 01-0A-FF, multi-string joined"),
        Column("Key", ScalarType.STRING, note="full key name, e.g. HKEY_LOCAL_MACHINE\\SOFTWARE\\..."),
        parameters=(_path("PowerShell registry path, e.g. 'hklm:\\SOFTWARE\\...'; wildcards allowed"),),
        source=f"{_SCRIPT}: Get-Item; column order as the site sends it (Device, Property, Value, Key)",
        since="1806",
        note="One row per value of each matched key; Key added in 2107.",
    ),
    _scripted(
        "RegistryKey",
        "Returns all registry keys matching the given expression",
        "Key",
        parameters=(_path("PowerShell registry path; wildcards expand to sub-keys"),),
        console_only=True,
        source=f"{_SCRIPT}: Get-Item",
        since="2107",
        note="One row per matched key.",
    ),
    _scripted(
        "SMBConfig",
        "SMB Configuration of a device",
        "EnableSMB1Protocol:bool EnableSMB2Protocol:bool EncryptData:bool RejectUnencryptedAccess:bool",
        "RequireSecuritySignature:bool EnableSecuritySignature:bool",
        source=f"{_SCRIPT}: Get-SmbServerConfiguration; EnableSMB1Protocol observed, the rest inferred",
        requires_powershell5=True,
        since="1806",
    ),
    _scripted(
        "SoftwareUpdate",
        "A software update applicable but not installed on the device",
        "Title RebootRequired:bool LastDeploymentChangeTime:datetime UpdateID KBArticleIDs",
        Column("SecurityBulletinIDs", ScalarType.STRING, note="comma-joined"),
        Column("Categories", ScalarType.STRING, note="comma-joined category names"),
        source=f"{_SCRIPT}: Windows Update Agent search IsInstalled=0 and Type='Software'",
    ),
    _scripted(
        "User",
        "A user account with an active connection to the device",
        Column("UserName", ScalarType.STRING, note="DOMAIN\\user"),
        source=f"{_SCRIPT}: Win32_LoggedOnUser, without Window Manager, UMFD-* and DWM-* accounts",
        wmi_class="Win32_LoggedOnUser",
    ),
    _scripted(
        "WinEvent",
        "Events within 24 hours (by default) from a Windows event log",
        Column("DateTime", ScalarType.DATETIME, note="TimeCreated"),
        "LevelDisplayName ProviderName ID:long Message",
        parameters=(
            Parameter(
                "channel",
                ScalarType.STRING,
                required=True,
                description="event channel, e.g. 'Microsoft-Windows-HelloForBusiness/Operational'",
            ),
            _span("default 1 day"),
        ),
        source=f"{_SCRIPT}: Get-WinEvent -FilterHashtable @{{LogName; StartTime; EndTime}}",
        since="1910",
        note="Errors (such as no matching events) give no rows.",
    ),
)
