"""Hardware-inventory entities that describe software: applications, Office, the ConfigMgr client.

Same conventions as ``inventory_hardware``: the class's inventory properties from Microsoft's
"Resource Explorer default inventory classes" page, trimmed to the useful ones, arrays left out,
CIM types mapped to CMPivot's (strings, integers as long, bool, datetime).
"""

from __future__ import annotations

from cmpivot_magic.catalog.model import Column, Entity
from cmpivot_magic.catalog.model import inventory_entity as _hinv
from cmpivot_magic.language.types import ScalarType

_SMS = r"root\cimv2\sms"
_INVAGT = r"root\ccm\InvAgt"
_CIMODELS = r"root\ccm\cimodels"

# File-identity properties that the software-inventory classes of root\cimv2\sms share.
_FILE = "FileVersion BinFileVersion BinProductVersion FilePropertiesHash FilePropertiesHashEx"

# Data table: one entity per call, its name, description and class on the first line.
# fmt: off
SOFTWARE: tuple[Entity, ...] = (
    _hinv(
        "AppVClientApplication", "AppV Client Application", "AppvClientApplication",
        "ApplicationId PackageId PackageVersionId Name Version TargetPath EnabledForUser:bool",
        "EnabledGlobally:bool",
        namespace=r"root\AppV",
    ),
    _hinv(
        "AppVClientPackage", "AppV Client Package", "AppvClientPackage",
        "PackageId VersionId Name Version Path PackageSize:long:Bytes PercentLoaded:long InUse:bool",
        "IsPublishedGlobally:bool IsPublishedToUser:bool HasAssetIntelligence:bool DeploymentMachineData",
        "DeploymentUserData UserConfigurationData",
        namespace=r"root\AppV",
    ),
    _hinv(
        "BrowserHelperObject", "Browser Helper Object", "SMS_BrowserHelperObject",
        f"CLSID Description FileName Product ProductVersion Publisher Version {_FILE}",
        namespace=_SMS,
    ),
    _hinv(
        "BrowserUsage", "Browser Usage", "SMS_BrowserUsage",
        "BrowserName",
        Column("UsagePercentage", ScalarType.LONG, note="share of browser use on the device, percent"),
        namespace=_SMS,
        source="ConfigMgr default hardware inventory class root\\cimv2\\sms\\SMS_BrowserUsage "
        "(not on the Resource Explorer page; properties as ConfigMgr reports them)",
    ),
    _hinv(
        "CCMRAX", "CCM_RAX", "CCM_RAXInfo",
        "AppID FeedURL UserSID",
        namespace=_CIMODELS,
    ),
    _hinv(
        "CCMRecentlyUsedApplications", "Recently Used Applications", "CCM_RecentlyUsedApps",
        "ExplorerFileName FolderPath LastUserName CompanyName ProductName ProductVersion FileDescription",
        "FileVersion FileSize:long:Bytes LastUsedTime:datetime LaunchCount:long OriginalFileName",
        "ProductCode ProductLanguage:long msiDisplayName msiPublisher msiVersion AdditionalProductCodes",
        "FilePropertiesHash SoftwarePropertiesHash",
        namespace=_SMS,
    ),
    _hinv(
        "CCMWebAppInstallInfo", "Web Applications", "CCM_WebAppInstallInfo",
        "AppDeliveryTypeId AppDtRevision:long TargetURL UserSID URLFileName URLPath",
        namespace=_CIMODELS,
    ),
    _hinv(
        "ClientEvents", "Client Events", "ClientEvents",
        "EventName Count:long",
        namespace=r"root\ccm\invagt",
    ),
    _hinv(
        "InstalledExecutable", "Installed Executable", "SMS_InstalledExecutable",
        "ExecutableName InstalledFilePath ProductCode Product ProductVersion Publisher Description",
        f"FileSize:long:Bytes Language:long IsSystemFile:bool IsVitalFile:bool HasPatchAdded:bool {_FILE}",
        namespace=_SMS,
        note="Can return megabytes of rows per client.",
    ),
    _hinv(
        "Office365ProPlusConfigurations", "Office 365 Apps Configurations", "Office365ProPlusConfigurations",
        "KeyName VersionToReport cfgUpdateChannel UpdateChannel GPOChannel Platform ClientCulture",
        "ClientFolder InstallationPath CDNBaseUrl UpdateUrl UpdatePath UpdatesEnabled AutoUpgrade",
        "CCMManaged OfficeMgmtCOM GPOOfficeMgmtCOM SharedComputerLicensing LastScenario LastScenarioResult",
    ),
    _hinv(
        "OfficeAddin", "Office add-ins", "CCM_OfficeAddin",
        "ID FriendlyName Description OfficeApp Type Architecture CLSID CompanyName FileName",
        "FileSize:long:Bytes FileVersion ProductName ProductVersion LoadBehavior:long LoadCount:long",
        "LoadFailCount:long CrashCount:long ErrorCount:long AverageLoadTimeInMilliseconds:long:Milliseconds",
        namespace=_INVAGT,
    ),
    _hinv(
        "OfficeClientMetric", "Office Client Metric", "CCM_OfficeClientMetric",
        "OfficeApp CompatibilityErrorCount:long CrashedSessionCount:long MacroCompileErrorCount:long",
        "MacroRuntimeErrorCount:long SessionCount:long",
        namespace=_INVAGT,
    ),
    _hinv(
        "OfficeDeviceSummary", "Office Device Summary", "CCM_OfficeDeviceSummary",
        "IsProPlusInstalled:bool IsTelemetryEnabled:bool",
        namespace=_INVAGT,
    ),
    _hinv(
        "OfficeDocumentMetric", "Office document metrics", "CCM_OfficeDocumentMetric",
        "OfficeApp TotalCloudDocs:long TotalLegacyDocs:long TotalLocalDocs:long TotalMacroDocs:long",
        "TotalNonMacroDocs:long TotalUncDocs:long",
        namespace=_INVAGT,
    ),
    _hinv(
        "OfficeDocumentSolution", "Office Document Solution", "CCM_OfficeDocumentSolution",
        "DocumentSolutionId OfficeApp Type ExampleFileName CompatibilityErrorCount:long CrashCount:long",
        "LoadCount:long LoadFailCount:long MacroCompileErrorCount:long MacroRuntimeErrorCount:long",
        namespace=_INVAGT,
    ),
    _hinv(
        "OfficeMacroError", "Office Macro Error", "CCM_OfficeMacroError",
        "DocumentSolutionId Type ErrorCode:long Count:long",
        Column("LastOccurrence", ScalarType.LONG, note="a UInt64 timestamp in the class"),
        namespace=_INVAGT,
    ),
    _hinv(
        "OfficeProductInfo", "Office Product Info", "CCM_OfficeProductInfo",
        "ProductName ProductVersion Architecture Channel IsProPlusInstalled:long Language LicenseState",
        namespace=_INVAGT,
    ),
    _hinv(
        "OfficeVbaRuleViolation", "Office Vba Rule Violation", "CCM_OfficeVbaRuleViolation",
        "RuleId:long FileCount:long OfficeApp",
        namespace=_INVAGT,
    ),
    _hinv(
        "OfficeVbaSummary", "Office VBA scan summary", "CCM_OfficeVbaScanResultsSummary",
        "HasResults:bool HasVba:long NoVba:long Total:long Score:long Score64:long Issues:long",
        "Issues64:long IssuesNone:long IssuesNone64:long Design:long Design64:long DuplicateVba:long",
        "Inaccessible:long Locked:long Protected:long RemLimited:long RemLimited64:long RemSignificant:long",
        "RemSignificant64:long Validation:long Validation64:long",
        namespace=_INVAGT,
    ),
    _hinv(
        "SMSAdvancedClientPorts", "Configuration Manager Client Ports", "Win32Reg_SMSAdvancedClientPorts",
        "InstanceKey PortName:long HttpsPortName:long",
    ),
    _hinv(
        "SMSAdvancedClientSSLConfigurations",
        "Configuration Manager Client SSL Configurations",
        "Win32Reg_SMSAdvancedClientSSLConfiguration",
        "InstanceKey CertificateSelectionCriteria CertificateStore ClientAlwaysOnInternet:long",
        "HttpsStateFlags:long InternetMPHostName SelectFirstCertificate:long",
    ),
    _hinv(
        "SMSAdvancedClientState", "Configuration Manager Client State", "CCM_InstalledComponent",
        "Name DisplayName Version",
        namespace=r"root\ccm",
    ),
    _hinv(
        "SMSDefaultBrowser", "Default Browser", "SMS_DefaultBrowser",
        "BrowserProgId",
        namespace=_SMS,
    ),
    _hinv(
        "SMSSoftwareTag", "Software Tag", "SMS_SoftwareTag",
        "UniqueID ProductName DisplayVersion SoftwareCreator SoftwareCreatorRegid SoftwareLicensor",
        "SoftwareLicensorRegid TagCreator TagCreatorRegid EntitlementRequired:bool VersionMajor:long",
        "VersionMinor:long",
        namespace=_SMS,
    ),
    _hinv(
        "SMSWindows8Application", "Windows app", "SMS_Windows8Application",
        "FullName ApplicationName Architecture ConfigMgrManaged:bool DependencyApplicationNames FamilyName",
        "InstalledLocation IsFramework:bool Publisher PublisherId Version",
        namespace=_SMS,
    ),
    _hinv(
        "SMSWindows8ApplicationUserInfo", "Windows app User Info", "SMS_Windows8ApplicationUserInfo",
        "FullName UserSecurityId InstallState UserAccountName",
        namespace=_SMS,
    ),
    _hinv(
        "SoftwareShortcut", "Software Shortcut", "SMS_SoftwareShortcut",
        "ShortcutKey ShortcutName ShortcutType:long TargetExecutable ParentName Product ProductCode",
        f"ProductVersion Publisher Description FileSize:long:Bytes Language:long {_FILE}",
        namespace=_SMS,
    ),
    _hinv(
        "SWLicensingProduct", "Software Licensing Product", "SoftwareLicensingProduct",
        "ID ApplicationID Name Description",
        Column("LicenseStatus", ScalarType.LONG, note="0 unlicensed, 1 licensed, 2-6 grace or notification"),
        "GracePeriodRemaining:long:Minutes EvaluationEndDate:datetime PartialProductKey ProductKeyID",
        "MachineURL ProcessorURL ProductKeyURL UseLicenseURL OfflineInstallationId",
    ),
    _hinv(
        "SWLicensingService", "Software Licensing Service", "SoftwareLicensingService",
        "Version ClientMachineID IsKeyManagementServiceMachine:long KeyManagementServiceCurrentCount:long",
        "KeyManagementServiceMachine KeyManagementServiceProductKeyID PolicyCacheRefreshRequired:long",
        "RequiredClientCount:long VLActivationInterval:long:Minutes VLRenewalInterval:long:Minutes",
    ),
    _hinv(
        "TSIssuedLicense", "TS Issued License", "Win32_TSIssuedLicense",
        "LicenseId:long KeyPackId:long LicenseStatus:long IssueDate:datetime ExpirationDate:datetime",
        "sHardwareId sIssuedToComputer sIssuedToUser",
    ),
    _hinv(
        "TSLicenseKeyPack", "TS License Key Pack", "Win32_TSLicenseKeyPack",
        "KeyPackId:long Description KeyPackType:long ProductType:long ProductVersion TotalLicenses:long",
        "AvailableLicenses:long IssuedLicenses:long",
    ),
)
# fmt: on
