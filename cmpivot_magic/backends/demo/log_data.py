"""What the simulated devices write to their logs: classic event logs, modern event channels and
ConfigMgr client logs, as sources of events with rates, conditions and message templates.

A ``Source`` emits ``rate`` events per device per day (scaled per device) on the devices its
``who`` names; each event takes one of its templates. ``{user}`` in a message becomes the device's
user (or SYSTEM), ``{name}`` its name. Consumed by ``gen_logs.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

# fmt: off


@dataclass(frozen=True)
class Event:
    level: str        # EntryType (classic) / LevelDisplayName (channels) / CMTrace type 1-3 as text
    source: str       # Source / ProviderName / CMTrace component
    event_id: int     # EventID / ID / thread-less logs: 0
    message: str
    weight: float = 1.0
    file: str = ""    # CMTrace file= attribute


@dataclass(frozen=True)
class Source:
    rate: float                    # events per device per day
    events: tuple[Event, ...]
    who: str = "all"               # all, server, workstation, dc, laptop, no-boundary, m365, crashy, sql


@dataclass(frozen=True)
class Log:
    sources: tuple[Source, ...]
    retention_days: int            # older events have been overwritten / the log rolled over


_SEC = "Microsoft-Windows-Security-Auditing"
_SCM = "Service Control Manager"

EVENT_LOGS: dict[str, Log] = {
    "security": Log((
        Source(40, (
            Event("SuccessAudit", _SEC, 4624, "An account was successfully logged on.\r\n\r\nSubject:\r\n\tSecurity ID:\t\tS-1-5-18\r\n\tAccount Name:\t\t{name}$\r\n\tAccount Domain:\t\tCONTOSO\r\n\r\nLogon Type:\t\t\t5", 10),
            Event("SuccessAudit", _SEC, 4672, "Special privileges assigned to new logon.\r\n\r\nSubject:\r\n\tSecurity ID:\t\tS-1-5-18\r\n\tAccount Name:\t\tSYSTEM", 6),
            Event("SuccessAudit", _SEC, 4634, "An account was logged off.\r\n\r\nSubject:\r\n\tAccount Name:\t\t{user}\r\n\tAccount Domain:\t\tCONTOSO", 4),
            Event("SuccessAudit", _SEC, 4798, "A user's local group membership was enumerated.\r\n\r\nSubject:\r\n\tAccount Name:\t\t{user}", 2),
            Event("SuccessAudit", _SEC, 5379, "Credential Manager credentials were read.\r\n\r\nSubject:\r\n\tAccount Name:\t\t{user}", 2),
            Event("SuccessAudit", _SEC, 4648, "A logon was attempted using explicit credentials.\r\n\r\nSubject:\r\n\tAccount Name:\t\t{user}", 1),
            Event("SuccessAudit", _SEC, 4688, "A new process has been created.\r\n\r\nCreator Subject:\r\n\tAccount Name:\t\t{user}\r\n\r\nNew Process Name:\tC:\\Windows\\System32\\svchost.exe", 3),
        )),
        Source(3, (
            Event("FailureAudit", _SEC, 4673, "A privileged service was called.\r\n\r\nSubject:\r\n\tAccount Name:\t\t{user}\r\n\tAccount Domain:\t\tCONTOSO\r\n\r\nService:\r\n\tServer:\tSecurity\r\n\tService Name:\t-\r\n\r\nProcess:\r\n\tProcess Name:\tC:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\r\n\r\nService Request Information:\r\n\tPrivileges:\t\tSeProfileSingleProcessPrivilege", 1),
        )),
        Source(1.2, (
            Event("FailureAudit", _SEC, 4625, "An account failed to log on.\r\n\r\nAccount For Which Logon Failed:\r\n\tAccount Name:\t\t{user}\r\n\tAccount Domain:\t\tCONTOSO\r\n\r\nFailure Information:\r\n\tFailure Reason:\t\tUnknown user name or bad password.\r\n\tStatus:\t\t\t0xC000006D\r\n\tSub Status:\t\t0xC000006A", 1),
        )),
        Source(300, (
            Event("SuccessAudit", _SEC, 4768, "A Kerberos authentication ticket (TGT) was requested.\r\n\r\nAccount Information:\r\n\tAccount Name:\t\t{user}", 5),
            Event("SuccessAudit", _SEC, 4769, "A Kerberos service ticket was requested.\r\n\r\nAccount Information:\r\n\tAccount Name:\t\t{user}@CONTOSO.COM", 8),
            Event("SuccessAudit", _SEC, 4776, "The computer attempted to validate the credentials for an account.\r\n\r\nAuthentication Package:\tMICROSOFT_AUTHENTICATION_PACKAGE_V1_0\r\nLogon Account:\t{user}\r\nError Code:\t0x0", 3),
            Event("FailureAudit", _SEC, 4771, "Kerberos pre-authentication failed.\r\n\r\nAccount Information:\r\n\tSecurity ID:\t\tCONTOSO\\{user}\r\n\r\nFailure Code:\t\t0x18", 0.5),
            Event("SuccessAudit", _SEC, 4740, "A user account was locked out.\r\n\r\nAccount That Was Locked Out:\r\n\tAccount Name:\t\t{user}", 0.05),
        ), who="dc"),
    ), 14),
    "system": Log((
        Source(24, (
            Event("Information", _SCM, 7036, "The Windows Modules Installer service entered the running state.", 4),
            Event("Information", _SCM, 7036, "The Windows Modules Installer service entered the stopped state.", 4),
            Event("Information", _SCM, 7036, "The WinHTTP Web Proxy Auto-Discovery Service service entered the running state.", 2),
            Event("Information", _SCM, 7036, "The Device Setup Manager service entered the stopped state.", 2),
            Event("Information", _SCM, 7040, "The start type of the Background Intelligent Transfer Service service was changed from auto start to demand start.", 1),
            Event("Information", "Microsoft-Windows-Kernel-General", 16, "The access history in hive \\??\\C:\\Users\\{user}\\AppData\\Local\\Packages\\Microsoft.Windows.Search_cw5n1h2txyewy\\Settings\\settings.dat was cleared updating 2 keys and creating 1 modified pages.", 2),
            Event("Information", "Microsoft-Windows-Time-Service", 35, "The time service is now synchronizing the system time with the time source DC01.contoso.com (ntp.d|10.1.0.10:123->10.1.0.10:123) with reference id 167772426.", 1),
            Event("Warning", "Microsoft-Windows-DNS-Client", 1014, "Name resolution for the name wpad timed out after none of the configured DNS servers responded.", 1),
            Event("Error", "Microsoft-Windows-DistributedCOM", 10016, "The application-specific permission settings do not grant Local Activation permission for the COM Server application with CLSID \r\n{2593F8B9-4EAF-457C-B68A-50F6B8EA6B54}\r\n and APPID \r\n{15C20B67-12E7-4BB6-92BB-7AFF07997402}\r\n to the user {name}\\{user} SID (S-1-5-21-1004336348-1177238915-682003330-1105) from address LocalHost (Using LRPC) running in the application container Unavailable SID (Unavailable).", 1.5),
            Event("Information", "Microsoft-Windows-WindowsUpdateClient", 19, "Installation Successful: Windows successfully installed the following update: Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.421.1446.0) - Current Channel (Broad)", 1),
            Event("Information", "Microsoft-Windows-WindowsUpdateClient", 43, "Installation Started: Windows has started installing the following update: Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.421.1446.0) - Current Channel (Broad)", 1),
            Event("Error", "Schannel", 36887, "A fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is 46.", 0.4),
            Event("Warning", "Microsoft-Windows-Kernel-Power", 566, "The system session has transitioned from 76 to 79.\r\nReason InputPoUserPresent\r\nBootId: 14", 0.8),
            Event("Error", _SCM, 7000, "The Windows Search service failed to start due to the following error: \r\nThe service did not respond to the start or control request in a timely fashion.", 0.1),
            Event("Error", _SCM, 7031, "The Connected Devices Platform User Service_4d3a1 service terminated unexpectedly.  It has done this 1 time(s).  The following corrective action will be taken in 10000 milliseconds: Restart the service.", 0.2),
            Event("Information", "EventLog", 6013, "The system uptime is 432118 seconds.", 0.3),
            Event("Warning", "Microsoft-Windows-GroupPolicy", 1129, "The processing of Group Policy failed because of lack of network connectivity to a domain controller. This may be a transient condition.", 0.2),
        )),
        Source(1.5, (
            Event("Information", "Microsoft-Windows-Power-Troubleshooter", 1, "The system has returned from a low power state.\r\n\r\nSleep Time: \u200e2024\u200e-\u200e11\u200e-\u200e25T23:41:12.503Z\r\nWake Time: \u200e2024\u200e-\u200e11\u200e-\u200e26T06:02:47.118Z\r\n\r\nWake Source: Device -USB Root Hub (USB 3.0)", 3),
            Event("Warning", "Microsoft-Windows-Kernel-Power", 41, "The system has rebooted without cleanly shutting down first. This error could be caused if the system stopped responding, crashed, or lost power unexpectedly.", 0.05),
            Event("Information", "User32", 1074, "The process C:\\Windows\\CCM\\CcmExec.exe ({name}) has initiated the restart of computer {name} on behalf of user NT AUTHORITY\\SYSTEM for the following reason: No title for this reason could be found\r\n Reason Code: 0x80020010\r\n Shutdown Type: restart", 0.3),
        ), who="laptop"),
    ), 90),
    "application": Log((
        Source(14, (
            Event("Information", "Microsoft-Windows-Security-SPP", 16384, "Successfully scheduled Software Protection service for re-start at 2124-10-31T09:12:44Z. Reason: RulesEngine.", 5),
            Event("Information", "Microsoft-Windows-Security-SPP", 16394, "Offline downlevel migration succeeded.", 2),
            Event("Information", "SecurityCenter", 15, "Updated Windows Defender status successfully to SECURITY_PRODUCT_STATE_ON.", 2),
            Event("Information", "edgeupdate", 0, "Service started", 2),
            Event("Information", "Microsoft-Windows-Winlogon", 6003, "The winlogon notification subscriber <SessionEnv> was unavailable to handle a critical notification event.", 0.5),
            Event("Warning", "Microsoft-Windows-User Profiles Service", 1530, "Windows detected your registry file is still in use by other applications or services. The file will be unloaded now. The applications or services that hold your registry file may not function properly afterwards.  \r\n\r\n DETAIL - \r\n 1 user registry handles leaked from \\Registry\\User\\S-1-5-21-1004336348-1177238915-682003330-1105:", 1),
            Event("Error", "Microsoft-Windows-WMI", 10, "Event filter with query \"SELECT * FROM __InstanceModificationEvent WITHIN 60 WHERE TargetInstance ISA \"Win32_Processor\" AND TargetInstance.LoadPercentage > 99\" could not be reactivated in namespace \"//./root/CIMV2\" because of error 0x80041003. Events cannot be delivered through this filter until the problem is corrected.", 0.4),
            Event("Information", "MsiInstaller", 1040, "Beginning a Windows Installer transaction: {90160000-008C-0000-1000-0000000FF1CE}. Client Process Id: 11284.", 0.6),
            Event("Information", "MsiInstaller", 11707, "Product: Microsoft Edge WebView2 Runtime -- Installation completed successfully.", 0.3),
            Event("Information", "Windows Error Reporting", 1001, "Fault bucket , type 0\r\nEvent Name: APPCRASH\r\nResponse: Not available\r\nCab Id: 0", 0.5),
            Event("Error", ".NET Runtime", 1026, "Application: PBIDesktop.exe\r\nFramework Version: v4.0.30319\r\nDescription: The process was terminated due to an unhandled exception.", 0.1),
            Event("Information", "Microsoft Office Alerts", 300, "Microsoft Outlook\r\nOutlook is trying to connect to the server.", 0.3),
        )),
    ), 60),
    "windows powershell": Log((
        Source(4, (
            Event("Information", "PowerShell", 400, "Engine state is changed from None to Available. \r\n\r\nDetails: \r\n\tNewEngineState=Available\r\n\tPreviousEngineState=None\r\n\r\n\tHostName=ConsoleHost\r\n\tHostVersion=5.1.19041.4522", 3),
            Event("Information", "PowerShell", 403, "Engine state is changed from Available to Stopped. \r\n\r\nDetails: \r\n\tNewEngineState=Stopped\r\n\tPreviousEngineState=Available", 3),
            Event("Information", "PowerShell", 600, "Provider \"Registry\" is Started. \r\n\r\nDetails: \r\n\tProviderName=Registry\r\n\tNewProviderState=Started", 6),
        )),
    ), 30),
    "directory service": Log((
        Source(30, (
            Event("Information", "NTDS General", 1394, "All problems preventing updates to the Active Directory Domain Services database have been cleared.", 1),
            Event("Information", "NTDS KCC", 1104, "The Knowledge Consistency Checker (KCC) successfully completed a topology update.", 4),
            Event("Warning", "Microsoft-Windows-ActiveDirectory_DomainService", 2887, "During the previous 24 hour period, some clients attempted to perform LDAP binds that were either: (1) A SASL (Negotiate, Kerberos, NTLM, or Digest) LDAP bind that did not request signing", 1),
        ), who="dc"),
    ), 60),
    "dns server": Log((
        Source(6, (Event("Information", "Microsoft-Windows-DNS-Server-Service", 2, "The DNS server has started.", 1),
                   Event("Warning", "Microsoft-Windows-DNS-Server-Service", 4013, "The DNS server is waiting for Active Directory Domain Services (AD DS) to signal that the initial synchronization of the directory has been completed.", 1)), who="dc"),
    ), 60),
    "hardwareevents": Log((), 30),
    "internet explorer": Log((), 30),
    "key management service": Log((), 30),
    "oalerts": Log((
        Source(0.6, (Event("Information", "Microsoft Office 16 Alerts", 300, "Microsoft Outlook\r\nYour mailbox is almost full.", 1),
                     Event("Information", "Microsoft Office 16 Alerts", 300, "Microsoft Excel\r\nDo you want to save the changes you made to 'Budget FY25.xlsx'?", 2)), who="m365"),
    ), 60),
}
# Logs that exist only on some devices (anyone else: "The event log '...' does not exist").
EVENT_LOG_WHO = {"directory service": "dc", "dns server": "dc", "oalerts": "m365"}

# Crashes (Application Error 1000) feed both EventLog('Application') and AppCrash.
# (faulting application, its version, weight)
CRASHING_APPS: tuple[tuple[str, str, float], ...] = (
    ("OUTLOOK.EXE", "16.0.17928.20156", 6), ("Teams.exe", "1.7.0.13456", 5), ("msedge.exe", "131.0.2903.51", 3),
    ("explorer.exe", "10.0.22621.4460", 4), ("chrome.exe", "131.0.6778.86", 2), ("EXCEL.EXE", "16.0.17928.20156", 3),
    ("Acrobat.exe", "24.4.20220.0", 2), ("SearchHost.exe", "2124.19700.0.0", 2), ("ShellExperienceHost.exe", "10.0.22621.4249", 1),
    ("Zoom.exe", "6.2.5.47495", 1), ("java.exe", "8.0.4310.10", 0.5), ("sp2wp.exe", "16.0.5461.1000", 0.3),
    ("CcmExec.exe", "5.0.9132.1011", 0.2), ("WINWORD.EXE", "16.0.17928.20156", 1.5), ("ms-teams.exe", "24295.605.3225.8804", 1),
)

CCM_LOGS: dict[str, Log] = {
    "scripts": Log((Source(3, (
        Event("1", "Scripts", 0, "Policy {7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14} is not run before. Running script.", 1, "scriptpolicy.cpp:312"),
        Event("1", "Scripts", 0, "Received request: 7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14 (CMPivot)", 2, "scripthandler.cpp:180"),
        Event("1", "Scripts", 0, "Sending script state message (fast): 7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14", 2, "scripthandler.cpp:905"),
        Event("1", "Scripts", 0, "Result are sent for ScriptGuid: 7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14 and TaskID: {A3D7E8F1-0B6C-4C4E-9E7A-1F2C3D4E5F60}", 2, "scripthandler.cpp:954"),
        Event("1", "Scripts", 0, "Script execution succeeded with exit code 0.", 1, "scripttask.cpp:611"),
        Event("2", "Scripts", 0, "Script is signed but the certificate is not trusted. Script signing check bypassed by policy.", 0.2, "scripttask.cpp:388"),
        Event("3", "Scripts", 0, "Script execution failed with error: 0x87d00321", 0.05, "scripttask.cpp:640"),
    )),), 60),
    "locationservices": Log((
        Source(30, (
            Event("1", "LocationServices", 0, "Current AD site of machine is Default-First-Site-Name", 3, ""),
            Event("1", "LocationServices", 0, "Domain joined client is in Intranet", 3, ""),
            Event("1", "LocationServices", 0, "Attempting to retrieve local MPs from the assigned MP", 2, ""),
            Event("1", "LocationServices", 0, "Current AD forest name is contoso.com, domain name is contoso.com", 2, ""),
            Event("1", "LocationServices", 0, "LSIsSiteCompatible : Verifying Site Compatibility for <CON>", 1, ""),
            Event("1", "LocationServices", 0, "Retrieved lookup MP(s) from AD", 1, ""),
            Event("1", "LocationServices", 0, "Calling back with the following distribution points", 1, ""),
            Event("2", "LocationServices", 0, "Failed to retrieve DNS service record using _mssms_mp_con._tcp.contoso.com lookup. DNS returned error 9003.", 0.3, ""),
        )),
        Source(24, (
            Event("1", "LocationServices", 0, "Client is not in any boundary group.", 3, ""),
            Event("2", "LocationServices", 0, "Distribution Point Location Request has no result: no boundary group for the client's network location (IP subnet 192.168.1.0)", 1, ""),
        ), who="no-boundary"),
    ), 10),
    "ciagent": Log((Source(120, (
        Event("1", "CIAgent", 0, "CIAgentJob({8B9A2D5C-4E6F-4A1B-9C3D-2E5F7A8B9C0D}): CAgentJob::VersionInfoTimedOut for ModelName ScopeId_5E4F3C2B-1A09-4876-B5C4-D3E2F1A0B9C8/RequiredApplication_1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9, version 4 not available.", 4, ""),
        Event("1", "CIAgent", 0, "CIAgentJob({8B9A2D5C-4E6F-4A1B-9C3D-2E5F7A8B9C0D}): CAgentJob::Execute - Received 1 CI(s) to process.", 6, ""),
        Event("1", "CIAgent", 0, "CCIInfo::SetTopLevelCIRequiredStatus - Setting the required status for CI ScopeId_5E4F3C2B-1A09-4876-B5C4-D3E2F1A0B9C8/Baseline_0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b.", 3, ""),
        Event("1", "CIAgent", 0, "[CCIInfo] Evaluating baseline 'Windows Security Baseline - Workstations' version 12", 2, ""),
        Event("2", "CIAgent", 0, "CIAgentJob({8B9A2D5C-4E6F-4A1B-9C3D-2E5F7A8B9C0D}): CDCMAgent::OnCIFailure - CI has failed with error 0x87d00314.", 0.3, ""),
        Event("3", "CIAgent", 0, "CIAgentJob({8B9A2D5C-4E6F-4A1B-9C3D-2E5F7A8B9C0D}): CAgentJob::Execute - Failed to download content for CI ScopeId_5E4F3C2B-1A09-4876-B5C4-D3E2F1A0B9C8/Application_9f8e7d6c. Error code 0x87d00607", 0.1, ""),
    )),), 7),
    "wuahandler": Log((Source(8, (
        Event("1", "WUAHandler", 0, "Its a WSUS Update Source type ({F3A9C1D2-6B7E-4E8F-9A0B-1C2D3E4F5A6B}), adding it.", 2, ""),
        Event("1", "WUAHandler", 0, "Enabling WUA Managed server policy to use server: http://CM01.contoso.com:8530", 1, ""),
        Event("1", "WUAHandler", 0, "Async searching of updates using WUAgent started.", 3, ""),
        Event("1", "WUAHandler", 0, "Async searching completed.", 3, ""),
        Event("1", "WUAHandler", 0, "Successfully completed scan.", 3, ""),
        Event("3", "WUAHandler", 0, "OnSearchComplete - Failed to end search job. Error = 0x80244022.", 0.2, ""),
        Event("3", "WUAHandler", 0, "Scan failed with error = 0x80072ee2.", 0.15, ""),
    )),), 30),
    "updatesdeployment": Log((Source(10, (
        Event("1", "UpdatesDeploymentAgent", 0, "Detection job ({B4C5D6E7-F809-4A1B-8C2D-3E4F5A6B7C8D}) started for assignment ({8A7B6C5D-4E3F-4210-9A8B-7C6D5E4F3A2B})", 3, ""),
        Event("1", "UpdatesDeploymentAgent", 0, "Update (Site_5E4F3C2B-1A09-4876-B5C4-D3E2F1A0B9C8/SUM_0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9) Name (2024-11 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB5046633)) ArticleID (5046633) added to the targeted list of deployment ({8A7B6C5D-4E3F-4210-9A8B-7C6D5E4F3A2B})", 2, ""),
        Event("1", "UpdatesDeploymentAgent", 0, "No current service window available to run updates assignment with time required = 600", 2, ""),
        Event("1", "UpdatesDeploymentAgent", 0, "EnumerateUpdates for action (UpdateActionInstall) - Total actionable updates = 0", 3, ""),
        Event("2", "UpdatesDeploymentAgent", 0, "Assignment {8A7B6C5D-4E3F-4210-9A8B-7C6D5E4F3A2B} has total CI = 3, deadline passed, no service window", 0.4, ""),
    )),), 30),
    "ccmexec": Log((Source(40, (
        Event("1", "CcmExec", 0, "Raising pending event:\r\ninstance of CCM_ServiceHost_CertRetrieval_Status", 2, ""),
        Event("1", "CcmExec", 0, "Service startup.", 0.2, ""),
        Event("1", "CcmExec", 0, "Running tasks on timer: Hardware Inventory Collection Cycle", 1, ""),
        Event("1", "CcmExec", 0, "CCMHTTP OnResponseReceived for 'POST /ccm_system/request HTTP/1.1' (200 OK)", 4, ""),
        Event("1", "CcmExec", 0, "Request to send: 'Notification push: CMPivot'", 1, ""),
    )),), 14),
    "policyagent": Log((Source(20, (
        Event("1", "PolicyAgent_PolicyDownload", 0, "Requesting Machine policy assignments", 3, ""),
        Event("1", "PolicyAgent_RequestAssignments", 0, "Received delta policy update with 2 assignments", 2, ""),
        Event("1", "PolicyAgent_PolicyDownload", 0, "Policy download completed successfully", 2, ""),
    )),), 30),
    "datatransferservice": Log((Source(12, (
        Event("1", "DataTransferService", 0, "DTSJob {A1B2C3D4-E5F6-4789-8ABC-DEF012345678} created to download from 'http://DP01.contoso.com:80/SMS_DP_SMSPKG$/CON00042' to 'C:\\Windows\\ccmcache\\2z'.", 2, ""),
        Event("1", "DataTransferService", 0, "DTSJob {A1B2C3D4-E5F6-4789-8ABC-DEF012345678} successfully completed download.", 2, ""),
        Event("2", "DataTransferService", 0, "GetDirectoryList_HTTP('http://DP01.contoso.com:80/SMS_DP_SMSPKG$/CON00042') failed with code 0x87d0027e.", 0.3, ""),
    )),), 30),
    "appenforce": Log((Source(2, (
        Event("1", "AppEnforce", 0, "+++ Starting Install enforcement for App DT \"Google Chrome - Windows Installer (*.msi file)\" ApplicationDeliveryType - ScopeId_5E4F3C2B-1A09-4876-B5C4-D3E2F1A0B9C8/DeploymentType_2b3c4d5e, Revision - 7, ContentPath - C:\\Windows\\ccmcache\\2z, Execution Context - System", 1, ""),
        Event("1", "AppEnforce", 0, "    Process 10432 terminated with exitcode: 0", 1, ""),
        Event("1", "AppEnforce", 0, "++++++ App enforcement completed (12 seconds) for App DT \"Google Chrome - Windows Installer (*.msi file)\" [ScopeId_5E4F3C2B-1A09-4876-B5C4-D3E2F1A0B9C8/DeploymentType_2b3c4d5e], Revision: 7, User SID: ] ++++++", 1, ""),
        Event("3", "AppEnforce", 0, "Unmatched exit code (1603) is considered an execution failure.", 0.1, ""),
    )),), 60),
    "inventoryagent": Log((Source(6, (
        Event("1", "InventoryAgent", 0, "Inventory: Action=Hardware, ReportType=Delta, MajorVersion=14, MinorVersion=21", 1, ""),
        Event("1", "InventoryAgent", 0, "Collection: Namespace = \\\\.\\root\\cimv2; Query = SELECT __CLASS, __PATH, __RELPATH, Caption, Name, Version FROM Win32_OperatingSystem; Timeout = 600 secs.", 3, ""),
        Event("1", "InventoryAgent", 0, "Inventory: Successfully sent report. Destination:mp:MP_HinvEndpoint, ID: {D4E5F6A7-B8C9-4D0E-9F1A-2B3C4D5E6F70}, Timeout: 80640 minutes MsgMode: Signed, Not Encrypted", 1, ""),
    )),), 30),
    "clientlocation": Log((Source(4, (
        Event("1", "ClientLocation", 0, "Assigned MP changed from <> to <CM01.contoso.com>.", 0.1, ""),
        Event("1", "ClientLocation", 0, "Current AD site of machine is Default-First-Site-Name", 2, ""),
        Event("1", "ClientLocation", 0, "Domain joined client is in Intranet", 2, ""),
    )),), 30),
}

WIN_EVENT_CHANNELS: dict[str, Log] = {
    "microsoft-windows-helloforbusiness/operational": Log((
        Source(3, (
            Event("Information", "Microsoft-Windows-HelloForBusiness", 358, "Windows Hello for Business provisioning will be launched.", 2),
            Event("Information", "Microsoft-Windows-HelloForBusiness", 3054, "Windows Hello for Business prerequisites check succeeded.", 2),
            Event("Warning", "Microsoft-Windows-HelloForBusiness", 360, "Windows Hello for Business provisioning will not be launched. \r\nDevice is AAD joined ( AADJ or DJ++ ): Yes \r\nUser has logged on with AAD credentials: No", 1),
        ), who="workstation"),
        Source(0.8, (
            Event("Error", "Microsoft-Windows-HelloForBusiness", 7054, "Windows Hello for Business prerequisites check failed. \r\nError: 0x801C0451", 2),
            Event("Error", "Microsoft-Windows-HelloForBusiness", 5520, "Windows Hello for Business provisioning failed. Error: 0x801c03f2.", 1),
        ), who="crashy"),
    ), 30),
    "microsoft-windows-windows defender/operational": Log((
        Source(6, (
            Event("Information", "Microsoft-Windows-Windows Defender", 1000, "Microsoft Defender Antivirus scan has started.\r\n \tScan ID: {9E1F2A3B-4C5D-4E6F-8A9B-0C1D2E3F4A5B}\r\n \tScan Type: Antimalware\r\n \tScan Parameters: Quick Scan", 1),
            Event("Information", "Microsoft-Windows-Windows Defender", 1001, "Microsoft Defender Antivirus scan has finished.\r\n \tScan Type: Antimalware\r\n \tScan Parameters: Quick Scan\r\n \tScan Time: 0:03:12", 1),
            Event("Information", "Microsoft-Windows-Windows Defender", 2000, "Microsoft Defender Antivirus security intelligence version updated.\r\n \tCurrent security intelligence Version: 1.421.1446.0", 3),
            Event("Information", "Microsoft-Windows-Windows Defender", 5007, "Microsoft Defender Antivirus Configuration has changed.", 1),
        )),
        Source(0.05, (
            Event("Warning", "Microsoft-Windows-Windows Defender", 1116, "Microsoft Defender Antivirus has detected malware or other potentially unwanted software.\r\n \tName: PUA:Win32/Presenoker\r\n \tSeverity: Low\r\n \tPath: file:_C:\\Users\\{user}\\Downloads\\setup_free_pdf.exe", 2),
            Event("Information", "Microsoft-Windows-Windows Defender", 1117, "Microsoft Defender Antivirus has taken action to protect this machine from malware or other potentially unwanted software.\r\n \tName: PUA:Win32/Presenoker\r\n \tAction: Quarantine", 2),
        )),
    ), 30),
    "microsoft-windows-sense/operational": Log((Source(4, (
        Event("Information", "Microsoft-Windows-SENSE", 2, "Windows Defender Advanced Threat Protection service started successfully.", 1),
        Event("Information", "Microsoft-Windows-SENSE", 13, "Windows Defender Advanced Threat Protection Service onboarding triggered", 0.2),
        Event("Warning", "Microsoft-Windows-SENSE", 5, "Windows Defender Advanced Threat Protection service failed to connect to the server at https://winatp-gw-eus.microsoft.com/.", 0.5),
    )),), 30),
    "microsoft-windows-powershell/operational": Log((Source(10, (
        Event("Verbose", "Microsoft-Windows-PowerShell", 4104, "Creating Scriptblock text (1 of 1):\r\nGet-CimInstance -ClassName Win32_OperatingSystem\r\n\r\nScriptBlock ID: 6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e\r\nPath: ", 3),
        Event("Warning", "Microsoft-Windows-PowerShell", 4104, "Creating Scriptblock text (1 of 1):\r\n[System.Reflection.Assembly]::LoadFile($binPath)\r\n\r\nScriptBlock ID: 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d\r\nPath: C:\\Windows\\CCM\\ScriptStore\\7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14_ABC.ps1", 1),
        Event("Information", "Microsoft-Windows-PowerShell", 40961, "PowerShell console is starting up", 1),
    )),), 14),
    "microsoft-windows-taskscheduler/operational": Log((Source(30, (
        Event("Information", "Microsoft-Windows-TaskScheduler", 100, "Task Scheduler started \"{1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f}\" instance of the \"\\Microsoft\\Windows\\UpdateOrchestrator\\Schedule Scan\" task for user \"NT AUTHORITY\\System\".", 2),
        Event("Information", "Microsoft-Windows-TaskScheduler", 102, "Task Scheduler successfully finished \"{1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f}\" instance of the \"\\Microsoft\\Windows\\UpdateOrchestrator\\Schedule Scan\" task for user \"NT AUTHORITY\\System\".", 2),
        Event("Error", "Microsoft-Windows-TaskScheduler", 101, "Task Scheduler failed to start \"\\GoogleUpdateTaskMachineUA\" task for user \"NT AUTHORITY\\System\". Additional Data: Error Value: 2147942402.", 0.1),
    )),), 7),
    "microsoft-windows-grouppolicy/operational": Log((Source(12, (
        Event("Information", "Microsoft-Windows-GroupPolicy", 8001, "Completed periodic policy processing for user CONTOSO\\{user} in 2 seconds.", 2),
        Event("Information", "Microsoft-Windows-GroupPolicy", 8002, "Completed periodic policy processing for computer CONTOSO\\{name}$ in 3 seconds.", 2),
        Event("Error", "Microsoft-Windows-GroupPolicy", 7016, "Completed Registry Extension Processing in 16 milliseconds.", 0.1),
    )),), 14),
    "microsoft-windows-bitlocker/bitlocker management": Log((Source(0.5, (
        Event("Information", "Microsoft-Windows-BitLocker-API", 845, "BitLocker Drive Encryption recovery information for volume C: was backed up successfully to your Azure AD.", 1),
        Event("Information", "Microsoft-Windows-BitLocker-API", 817, "Auto-unlock keys for fixed data drives are stored on the operating system drive.", 1),
    )),), 90),
}

# fmt: on
