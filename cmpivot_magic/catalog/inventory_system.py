"""Hardware-inventory entities that describe the operating system and its state.

Operating system, services and drivers, boot and power-management data, users and profiles,
security (BitLocker, NAP) and update settings. Same conventions as ``inventory_hardware``: the
class's inventory properties from Microsoft's "Resource Explorer default inventory classes" page,
trimmed to the useful ones, arrays left out, CIM types mapped to CMPivot's.
"""

from __future__ import annotations

from cmpivot_magic.catalog.model import Column, Entity
from cmpivot_magic.catalog.model import inventory_entity as _hinv
from cmpivot_magic.language.types import ScalarType

_SMS = r"root\cimv2\sms"
_CCM = r"root\ccm"
_POWER = r"root\ccm\powermanagementagent"
_NAP = r"root\Nap"

_HOURS = " ".join(f"hr{hour}_{(hour + 1) % 24}:long:Minutes" for hour in range(24))
_BOOT_MS = "Milliseconds"

# Data table: one entity per call, its name, description and class on the first line.
# fmt: off
SYSTEM: tuple[Entity, ...] = (
    _hinv(
        "BitLocker", "BitLocker", "Win32_EncryptableVolume",
        "DeviceID DriveLetter PersistentVolumeID",
        Column("ProtectionStatus", ScalarType.LONG, note="0 off, 1 on, 2 unknown"),
        namespace=r"root\cimv2\security\MicrosoftVolumeEncryption",
    ),
    _hinv(
        "BitLockerEncryptionDetails", "BitLocker Encryption Details", "Win32_BitLockerEncryptionDetails",
        "DeviceId DriveLetter BitlockerPersistentVolumeId MbamPersistentVolumeId MbamVolumeType:long",
        "Compliant:long ConversionStatus:long EncryptionMethod:long ProtectionStatus:long",
        "IsAutoUnlockEnabled:bool EnforcePolicyDate NoncomplianceDetectedDate",
    ),
    _hinv(
        "BitLockerPolicy", "BitLocker Policy", "Win32Reg_MBAMPolicy",
        "KeyName EncodedComputerName EncryptionMethod:long FixedDataDriveAutoUnlock:long",
        "FixedDataDriveEncryption:long FixedDataDrivePassphrase:long LastConsoleUser MBAMMachineError:long",
        "MBAMPolicyEnforced:long OsDriveEncryption:long OsDriveProtector:long UserExemptionDate:datetime",
    ),
    _hinv(
        "BootConfiguration", "Boot Configuration", "Win32_BootConfiguration",
        "Name BootDirectory ConfigurationPath Description LastDrive ScratchDirectory SettingID TempDirectory",
    ),
    _hinv(
        "Environment", "Environment", "Win32_Environment",
        "Name UserName VariableValue SystemVariable:bool Caption Description Status",
    ),
    _hinv(
        "LoadOrderGroup", "Load Order Group", "Win32_LoadOrderGroup",
        "Name Caption Description DriverEnabled:bool GroupOrder:long Status",
    ),
    _hinv(
        "NetworkClient", "Network Client", "Win32_NetworkClient",
        "Name Caption Description Manufacturer Status InstallDate:datetime",
    ),
    _hinv(
        "NetworkLoginProfile", "Network Login Profile", "Win32_NetworkLoginProfile",
        "Name FullName Caption Description LastLogon:datetime LastLogoff:datetime NumberOfLogons:long",
        "BadPasswordCount:long LogonServer HomeDirectory HomeDirectoryDrive ScriptPath Profile",
        "AccountExpires:datetime Privileges:long UserType UserId:long PrimaryGroupId:long Flags:long",
    ),
    _hinv(
        "NTEventlogFile", "NT Eventlog File", "Win32_NTEventlogFile",
        "Name LogfileName FileName FileSize:long:Bytes MaxFileSize:long:Bytes NumberOfRecords:long",
        "OverWritePolicy OverwriteOutDated:long Path Drive Status Compressed:bool Encrypted:bool",
        "Archive:bool Hidden:bool System:bool CreationDate:datetime LastModified:datetime",
    ),
    _hinv(
        "OperatingSystem", "Operating System", "Win32_OperatingSystem",
        "Caption Version",
        Column("BuildNumber", ScalarType.STRING, note="a string: compare with '19042', not 19042"),
        "OSArchitecture Manufacturer InstallDate:datetime LastBootUpTime:datetime",
        Column("OSLanguage", ScalarType.LONG, note="language id, e.g. 1033 for en-US"),
        "OSType:long OperatingSystemSKU:long",
        Column("ProductType", ScalarType.LONG, note="1 workstation, 2 domain controller, 3 server"),
        "Locale SerialNumber SystemDirectory WindowsDirectory",
        "TotalVisibleMemorySize:long:KiloBytes FreePhysicalMemory:long:KiloBytes RegisteredUser Name",
    ),
    _hinv(
        "OperatingSystemEx", "Operating System Ex", "CCM_OperatingSystemExtended",
        "Name SKU:long",
    ),
    _hinv(
        "OperatingSystemRecoveryConfiguration",
        "Operating System Recovery Configuration",
        "Win32_OSRecoveryConfiguration",
        "Name Caption Description AutoReboot:bool DebugFilePath KernelDumpOnly:bool",
        "OverwriteExistingDebugFile:bool SendAdminAlert:bool WriteDebugInfo:bool WriteToSystemLog:bool",
        "SettingID",
    ),
    _hinv(
        "OptionalFeature", "Optional Feature", "Win32_OptionalFeature",
        "Name Caption Description",
        Column("InstallState", ScalarType.LONG, note="1 enabled, 2 disabled, 3 absent, 4 unknown"),
        "InstallDate:datetime Status",
    ),
    _hinv(
        "PageFileSetting", "Page File Setting", "Win32_PageFileSetting",
        "Name Caption Description InitialSize:long:MegaBytes MaximumSize:long:MegaBytes SettingID",
    ),
    _hinv(
        "PowerClientOptOutSettings", "Power Management Exclusion Settings",
        "CCM_PowerManagementClientOptoutSetting",
        "AdminAllowOptout:bool EffectiveClientOptOut:bool IsClientOptOut:bool",
        namespace=r"root\ccm\ClientSDK",
    ),
    _hinv(
        "PowerConfigurations", "Power Configuration", "CCM_PowerConfig",
        "PowerConfigID DurationInSec:long:Seconds NonPeakPowerPlan NonPeakPowerPlanName PeakPowerPlan",
        "PeakPowerPlanName PeakStartTimeHoursMin WakeUpTimeHoursMin",
        namespace=r"root\ccm\policy\machine\actualconfig",
    ),
    _hinv(
        "PowerManagementDaily", "Power Management Daily Data", "CCM_PwrMgmtActualDay",
        f"Date:datetime TypeOfEvent {_HOURS} minutesTotal:long:Minutes",
        namespace=_POWER,
        note="One row per day and event type; hrN_M = minutes in that hour.",
    ),
    _hinv(
        "PowerManagementInsomniaReasons", "Power Insomnia Reasons", "CCM_PwrMgmtLastSuspendError",
        "Requester RequesterType RequestType Time:datetime AdditionalCode:long AdditionalInfo",
        "RequesterInfo UnknownRequester:bool",
        namespace=_POWER,
    ),
    _hinv(
        "PowerManagementMonthly", "Power Management Monthly Data", "CCM_PwrMgmtMonth",
        "MonthStart:datetime TypeOfEvent minutesComputerActive:long:Minutes minutesComputerOn:long:Minutes",
        "minutesComputerShutdown:long:Minutes minutesComputerSleep:long:Minutes",
        "minutesMonitorOn:long:Minutes minutesTotal:long:Minutes",
        namespace=_POWER,
    ),
    _hinv(
        "PowerSettings", "Power Settings", "SMS_PowerSettings",
        "GUID Name ACSettingIndex ACValue DCSettingIndex DCValue UnitSpecifier",
        namespace=_SMS,
    ),
    _hinv(
        "PrintJobs", "Print Jobs", "Win32_PrintJob",
        "Name JobId:long Document Owner DriverName HostPrintQueue JobStatus Status StatusMask:long",
        "PagesPrinted:long TotalPages:long Size:long:Bytes Priority:long TimeSubmitted:datetime DataType",
        "PrintProcessor Caption Description",
    ),
    _hinv(
        "ProtectedVolumeInformation", "Protected Volume Information", "CCM_ProtectedVolumeInfo",
        "Name DriveLetter ProtectionType:long",
        namespace=_SMS,
    ),
    _hinv(
        "Protocol", "Protocol", "Win32_NetworkProtocol",
        "Name Caption Description ConnectionlessService:bool GuaranteesDelivery:bool",
        "GuaranteesSequencing:bool MaximumAddressSize:long MaximumMessageSize:long MessageOriented:bool",
        "MinimumAddressSize:long PseudoStreamOriented:bool SupportsBroadcasting:bool",
        "SupportsEncryption:bool SupportsMulticasting:bool SupportsQualityofService:bool Status",
    ),
    _hinv(
        "QuickFixEngineering", "Quick Fix Engineering", "Win32_QuickFixEngineering",
        "HotFixID Description Caption InstalledBy",
        Column("InstalledOn", ScalarType.DATETIME, note="a date string in WMI; CMPivot types it datetime"),
        "FixComments ServicePackInEffect Name Status",
    ),
    _hinv(
        "ServerFeature", "Server Feature", "Win32_ServerFeature",
        "ID:long Name ParentID:long",
    ),
    _hinv(
        "Services", "Services", "Win32_Service",
        "Name DisplayName Description PathName ProcessId:long ServiceType StartMode StartName State",
        "Status Started:bool AcceptPause:bool AcceptStop:bool DesktopInteract:bool ErrorControl",
        "ExitCode:long ServiceSpecificExitCode:long Caption SystemName",
    ),
    _hinv(
        "Shares", "Shares", "Win32_Share",
        "Name Path Description Caption Type:long AllowMaximum:bool MaximumAllowed:long AccessMask:long Status",
    ),
    _hinv(
        "SystemAccount", "System Account", "Win32_SystemAccount",
        "Domain Name Caption Description SID SIDType:long Status",
    ),
    _hinv(
        "SystemBootData", "System Boot Data", "CCM_SystemBootData",
        Column("SystemStartTime", ScalarType.DATETIME, note="when the boot began"),
        Column("BootDuration", ScalarType.LONG, _BOOT_MS, "total boot time"),
        Column("BiosDuration", ScalarType.LONG, _BOOT_MS),
        Column("EventLogStart", ScalarType.LONG, _BOOT_MS, "OS start: kernel to event log service"),
        Column("GPDuration", ScalarType.LONG, _BOOT_MS, "group policy processing"),
        Column("UpdateDuration", ScalarType.LONG, _BOOT_MS, "updates installed during boot"),
        "BootDiskMediaType:long OSVersion",
        namespace=_CCM,
        note="One row per recorded boot.",
    ),
    _hinv(
        "SystemBootSummary", "System Boot Summary", "CCM_SystemBootSummary",
        "AverageBootFrequency:long",
        *(
            f"{stat}{phase}:long:{_BOOT_MS}"
            for stat in ("Latest", "Max", "Median")
            for phase in ("BiosDuration", "BootDuration", "CoreBootDuration", "EventLogStart", "GPDuration")
        ),
        f"LatestUpdateDuration:long:{_BOOT_MS} MaxUpdateDuration:long:{_BOOT_MS}",
        f"MedianUpdateDuration:long:{_BOOT_MS}",
        namespace=_CCM,
    ),
    _hinv(
        "SystemConsoleUsage", "System Console Usage", "SMS_SystemConsoleUsage",
        "TopConsoleUser TotalConsoleUsers:long TotalConsoleTime:long:Minutes",
        "TotalSecurityLogTime:long:Minutes SecurityLogStartDate:datetime",
        namespace=_SMS,
    ),
    _hinv(
        "SystemConsoleUser", "System Console User", "SMS_SystemConsoleUser",
        "SystemConsoleUser LastConsoleUse:datetime NumberOfConsoleLogons:long",
        "TotalUserConsoleMinutes:long:Minutes",
        namespace=_SMS,
    ),
    _hinv(
        "SystemDrivers", "System Drivers", "Win32_SystemDriver",
        "Name DisplayName Description PathName ServiceType StartMode State Status Started:bool",
        "AcceptPause:bool AcceptStop:bool ErrorControl ExitCode:long TagId:long Caption SystemName",
    ),
    _hinv(
        "TimeZone", "Time Zone", "Win32_TimeZone",
        "StandardName DaylightName Caption Description Bias:long:Minutes DaylightBias:long:Minutes",
        "StandardBias:long:Minutes DaylightMonth:long DaylightDay:long DaylightDayOfWeek:long",
        "DaylightHour:long StandardMonth:long StandardDay:long StandardDayOfWeek:long StandardHour:long",
        "SettingID",
    ),
    _hinv(
        "USMFolderRedirectionHealth", "Folder Redirection Health", "SMS_FolderRedirectionHealth",
        "FolderName SID HealthStatus:long LastSuccessfulSyncTime:datetime LastSyncStatus:long",
        "LastSyncTime:datetime OfflineAccessEnabled:bool OfflineFileNameFolderGUID Redirected:bool",
        namespace=_SMS,
    ),
    _hinv(
        "USMUserProfile", "User Profile Health", "Win32_UserProfile",
        "SID LocalPath",
        Column("Special", ScalarType.BOOL, note="true for system profiles (SYSTEM, LocalService, ...)"),
        "Loaded:bool LastUseTime:datetime LastDownloadTime:datetime LastUploadTime:datetime",
        "RoamingConfigured:bool RoamingPath RoamingPreference:bool HealthStatus:long RefCount:long",
        "Status:long LastAttemptedProfileDownloadTime LastAttemptedProfileUploadTime",
        "LastBackgroundRegistryUploadTime",
    ),
    _hinv(
        "WindowsUpdate", "Windows Update", "Win32Reg_SMSWindowsUpdate",
        "InstanceKey AUOptions:long NoAutoUpdate:long UseWUServer:long",
    ),
    _hinv(
        "WindowsUpdateAgentVersion", "Windows Update Agent Version", "Win32_WindowsUpdateAgentVersion",
        "Version",
        namespace=_SMS,
    ),
    _hinv(
        "WriteFilterState", "Write Filter State", "CCM_WriteFilterState",
        "WriteFilterEnabled:bool",
        namespace=_SMS,
    ),
    # Not available from the Intune admin center (tenant attach).
    _hinv(
        "AccountSID", "Account SID", "Win32_AccountSID",
        "Element Setting",
        console_only=True,
    ),
    _hinv(
        "NAPClient", "NAP Client", "NAP_Client",
        "name description fixupURL napEnabled:bool napProtocolVersion probationTime",
        "systemIsolationState:long",
        namespace=_NAP,
        console_only=True,
    ),
    _hinv(
        "NAPSystemHealthAgent", "NAP System Health Agent", "NAP_SystemHealthAgent",
        "ID:long description fixupState:long friendlyName infoClsid isBound:bool percentage:long",
        "registrationDate vendorName version",
        namespace=_NAP,
        console_only=True,
    ),
)
# fmt: on
