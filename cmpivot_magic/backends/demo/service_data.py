"""The Windows services of the simulated devices, one line each:
``Name|DisplayName|mode|running|account|binary|who``.

mode: A auto, D auto (delayed start), M manual, X disabled. running: chance the service is running.
account: LS LocalSystem, LSV LocalService, NS NetworkService. binary: ``svchost:<group>`` or an
executable path. who: as in ``process_data`` (all, server, workstation, product:<key>, ...).
Per-user services (``CDPUserSvc``...) get a per-device ``_xxxxx`` suffix, as Windows names them.
"""

from __future__ import annotations

_SV = "svchost:"

SERVICES_TEXT = r"""
AarSvc|Agent Activation Runtime|M|0.1|LS|svchost:AarSvcGroup -p|workstation
AJRouter|AllJoyn Router Service|M|0|LSV|svchost:LocalServiceNetworkRestricted -p|all
ALG|Application Layer Gateway Service|M|0|LSV|C:\Windows\System32\alg.exe|all
AppIDSvc|Application Identity|M|0.1|LSV|svchost:LocalServiceNetworkRestricted -p|all
Appinfo|Application Information|M|0.95|LS|svchost:netsvcs -p|all
AppMgmt|Application Management|M|0|LS|svchost:netsvcs -p|all
AppReadiness|App Readiness|M|0.05|LS|svchost:AppReadiness -p|all
AppXSvc|AppX Deployment Service (AppXSVC)|M|0.6|LS|svchost:wsappx -p|all
AudioEndpointBuilder|Windows Audio Endpoint Builder|A|1|LS|svchost:LocalSystemNetworkRestricted -p|all
Audiosrv|Windows Audio|A|1|LSV|svchost:LocalServiceNetworkRestricted -p|all
AxInstSV|ActiveX Installer (AxInstSV)|M|0|LS|svchost:AxInstSVGroup|all
BDESVC|BitLocker Drive Encryption Service|M|0.7|LS|svchost:netsvcs -p|all
BFE|Base Filtering Engine|A|1|LSV|svchost:LocalServiceNoNetworkFirewall -p|all
BITS|Background Intelligent Transfer Service|D|0.45|LS|svchost:netsvcs -p|all
BrokerInfrastructure|Background Tasks Infrastructure Service|A|1|LS|svchost:DcomLaunch -p|all
BTAGService|Bluetooth Audio Gateway Service|M|0.3|LSV|svchost:LocalServiceNetworkRestricted|laptop
BthAvctpSvc|AVCTP service|M|0.5|LSV|svchost:LocalService -p|all
bthserv|Bluetooth Support Service|M|0.5|LSV|svchost:LocalService -p|all
camsvc|Capability Access Manager Service|M|0.8|LS|svchost:appmodel -p|all
CDPSvc|Connected Devices Platform Service|D|1|LSV|svchost:LocalService -p|all
CertPropSvc|Certificate Propagation|M|0.6|LS|svchost:netsvcs|all
ClipSVC|Client License Service (ClipSVC)|M|0.4|LS|svchost:wsappx -p|all
COMSysApp|COM+ System Application|M|0.2|LS|C:\Windows\system32\dllhost.exe /Processid:{02D4B3F1-FD88-11D1-960D-00805FC79235}|all
CoreMessagingRegistrar|CoreMessaging|A|1|LSV|svchost:LocalServiceNoNetwork -p|all
CryptSvc|Cryptographic Services|A|1|NS|svchost:NetworkService -p|all
CscService|Offline Files|M|0|LS|svchost:LocalSystemNetworkRestricted -p|workstation
DcomLaunch|DCOM Server Process Launcher|A|1|LS|svchost:DcomLaunch -p|all
defragsvc|Optimize drives|M|0|LS|svchost:defragsvc|all
DeviceAssociationService|Device Association Service|M|0.6|LS|svchost:LocalSystemNetworkRestricted -p|all
DeviceInstall|Device Install Service|M|0.1|LS|svchost:DcomLaunch -p|all
DevQueryBroker|DevQuery Background Discovery Broker|M|0.5|LS|svchost:LocalSystemNetworkRestricted -p|all
Dhcp|DHCP Client|A|1|LSV|svchost:LocalServiceNetworkRestricted -p|all
diagnosticshub.standardcollector.service|Microsoft (R) Diagnostics Hub Standard Collector Service|M|0|LS|C:\Windows\system32\DiagSvcs\DiagnosticsHub.StandardCollector.Service.exe|all
DiagTrack|Connected User Experiences and Telemetry|A|0.97|LS|svchost:utcsvc -p|all
DispBrokerDesktopSvc|Display Policy Service|D|1|LSV|svchost:LocalService -p|all
DmEnrollmentSvc|Device Management Enrollment Service|M|0|LS|svchost:netsvcs -p|all
dmwappushservice|Device Management Wireless Application Protocol (WAP) Push message Routing Service|M|0.3|LS|svchost:netsvcs -p|all
Dnscache|DNS Client|A|1|NS|svchost:NetworkService -p|all
DoSvc|Delivery Optimization|D|0.85|NS|svchost:NetworkService -p|all
dot3svc|Wired AutoConfig|M|0.2|LS|svchost:LocalSystemNetworkRestricted -p|all
DPS|Diagnostic Policy Service|D|0.97|LSV|svchost:LocalServiceNoNetwork -p|all
DsmSvc|Device Setup Manager|M|0.4|LS|svchost:netsvcs -p|all
DusmSvc|Data Usage|A|1|LSV|svchost:LocalServiceNetworkRestricted -p|all
EapHost|Extensible Authentication Protocol|M|0.3|LS|svchost:netsvcs -p|all
EventLog|Windows Event Log|A|1|LSV|svchost:LocalServiceNetworkRestricted -p|all
EventSystem|COM+ Event System|A|1|LSV|svchost:LocalService -p|all
fdPHost|Function Discovery Provider Host|M|0.4|LSV|svchost:LocalService -p|all
FDResPub|Function Discovery Resource Publication|M|0.3|LSV|svchost:LocalServiceAndNoImpersonation -p|all
FontCache|Windows Font Cache Service|A|1|LSV|svchost:LocalService -p|all
FrameServer|Windows Camera Frame Server|M|0.1|LS|svchost:Camera|workstation
gpsvc|Group Policy Client|A|1|LS|svchost:netsvcs -p|all
hidserv|Human Interface Device Service|M|0.6|LS|svchost:LocalSystemNetworkRestricted -p|all
IKEEXT|IKE and AuthIP IPsec Keying Modules|M|0.6|LS|svchost:netsvcs -p|all
InstallService|Microsoft Store Install Service|M|0.2|LS|svchost:netsvcs -p|all
iphlpsvc|IP Helper|A|1|LS|svchost:NetSvcs -p|all
KeyIso|CNG Key Isolation|M|1|LS|C:\Windows\system32\lsass.exe|all
KtmRm|KtmRm for Distributed Transaction Coordinator|M|0|NS|svchost:NetworkServiceAndNoImpersonation -p|all
LanmanServer|Server|A|1|LS|svchost:netsvcs -p|all
LanmanWorkstation|Workstation|A|1|NS|svchost:NetworkService -p|all
lfsvc|Geolocation Service|M|0.3|LS|svchost:netsvcs -p|workstation
LicenseManager|Windows License Manager Service|M|0.5|LSV|svchost:LocalService -p|all
lltdsvc|Link-Layer Topology Discovery Mapper|M|0|LSV|svchost:LocalService -p|all
lmhosts|TCP/IP NetBIOS Helper|M|0.9|LSV|svchost:LocalServiceNetworkRestricted -p|all
LSM|Local Session Manager|A|1|LS|svchost:DcomLaunch -p|all
MapsBroker|Downloaded Maps Manager|D|0|NS|svchost:NetworkService -p|workstation
MpsSvc|Windows Defender Firewall|A|1|LSV|svchost:LocalServiceNoNetworkFirewall -p|all
MSDTC|Distributed Transaction Coordinator|M|0.6|NS|C:\Windows\System32\msdtc.exe|all
MSiSCSI|Microsoft iSCSI Initiator Service|M|0|LS|svchost:netsvcs -p|all
msiserver|Windows Installer|M|0.05|LS|C:\Windows\system32\msiexec.exe /V|all
NcbService|Network Connection Broker|M|0.9|LS|svchost:LocalSystemNetworkRestricted -p|all
Netlogon|Netlogon|A|1|LS|C:\Windows\system32\lsass.exe|all
Netman|Network Connections|M|0.4|LS|svchost:LocalSystemNetworkRestricted -p|all
netprofm|Network List Service|M|1|LSV|svchost:LocalService -p|all
NetSetupSvc|Network Setup Service|M|0.1|LS|svchost:netsvcs -p|all
NetTcpPortSharing|Net.Tcp Port Sharing Service|X|0|LSV|C:\Windows\Microsoft.NET\Framework64\v4.0.30319\SMSvcHost.exe|all
NlaSvc|Network Location Awareness|A|1|NS|svchost:NetworkService -p|all
nsi|Network Store Interface Service|A|1|LSV|svchost:LocalService -p|all
PcaSvc|Program Compatibility Assistant Service|A|1|LS|svchost:LocalSystemNetworkRestricted -p|workstation
PerfHost|Performance Counter DLL Host|M|0|LSV|C:\Windows\SysWow64\perfhost.exe|all
PlugPlay|Plug and Play|M|1|LS|svchost:DcomLaunch -p|all
PolicyAgent|IPsec Policy Agent|M|0.7|NS|svchost:NetworkServiceNetworkRestricted -p|all
Power|Power|A|1|LS|svchost:DcomLaunch -p|all
ProfSvc|User Profile Service|A|1|LS|svchost:netsvcs -p|all
QWAVE|Quality Windows Audio Video Experience|M|0|LSV|svchost:LocalServiceAndNoImpersonation -p|workstation
RasMan|Remote Access Connection Manager|M|0.6|LS|svchost:netsvcs|all
RemoteAccess|Routing and Remote Access|X|0|LS|svchost:netsvcs|all
RemoteRegistry|Remote Registry|X|0|LSV|svchost:localService -p|all
RmSvc|Radio Management Service|M|0.6|LSV|svchost:LocalServiceNetworkRestricted|laptop
RpcEptMapper|RPC Endpoint Mapper|A|1|NS|svchost:RPCSS -p|all
RpcLocator|Remote Procedure Call (RPC) Locator|M|0|NS|C:\Windows\system32\locator.exe|all
RpcSs|Remote Procedure Call (RPC)|A|1|NS|svchost:rpcss -p|all
SamSs|Security Accounts Manager|A|1|LS|C:\Windows\system32\lsass.exe|all
SCardSvr|Smart Card|M|0.2|LSV|svchost:LocalServiceAndNoImpersonation|all
ScDeviceEnum|Smart Card Device Enumeration Service|M|0.3|LS|svchost:LocalSystemNetworkRestricted|all
Schedule|Task Scheduler|A|1|LS|svchost:netsvcs -p|all
SCPolicySvc|Smart Card Removal Policy|M|0|LS|svchost:netsvcs|all
seclogon|Secondary Logon|M|0.3|LS|svchost:netsvcs -p|all
SecurityHealthService|Windows Security Service|M|1|LS|C:\Windows\system32\SecurityHealthService.exe|all
SENS|System Event Notification Service|A|1|LS|svchost:netsvcs -p|all
SessionEnv|Remote Desktop Configuration|M|0.5|LS|svchost:netsvcs -p|all
SgrmBroker|System Guard Runtime Monitor Broker|D|1|LS|C:\Windows\system32\SgrmBroker.exe|all
SharedAccess|Internet Connection Sharing (ICS)|M|0|LS|svchost:netsvcs -p|all
ShellHWDetection|Shell Hardware Detection|A|1|LS|svchost:netsvcs -p|all
smphost|Microsoft Storage Spaces SMP|M|0|NS|svchost:smphost|all
SNMPTrap|SNMP Trap|M|0|LSV|C:\Windows\System32\snmptrap.exe|all
Spooler|Print Spooler|A|0.985|LS|C:\Windows\System32\spoolsv.exe|workstation
Spooler|Print Spooler|X|0|LS|C:\Windows\System32\spoolsv.exe|server
sppsvc|Software Protection|D|0.1|NS|C:\Windows\system32\sppsvc.exe|all
SSDPSRV|SSDP Discovery|M|0.4|LSV|svchost:LocalServiceAndNoImpersonation -p|all
SstpSvc|Secure Socket Tunneling Protocol Service|M|0.6|LSV|svchost:LocalService -p|all
StateRepository|State Repository Service|M|1|LS|svchost:appmodel -p|all
stisvc|Windows Image Acquisition (WIA)|M|0.3|LSV|svchost:imgsvc|workstation
StorSvc|Storage Service|M|0.7|LS|svchost:LocalSystemNetworkRestricted -p|all
svsvc|Spot Verifier|M|0|LS|svchost:LocalSystemNetworkRestricted -p|all
swprv|Microsoft Software Shadow Copy Provider|M|0|LS|svchost:swprv|all
SysMain|SysMain|A|0.97|LS|svchost:LocalSystemNetworkRestricted -p|all
SystemEventsBroker|System Events Broker|A|1|LS|svchost:DcomLaunch -p|all
TabletInputService|Touch Keyboard and Handwriting Panel Service|M|0.6|LS|svchost:LocalSystemNetworkRestricted -p|workstation
TapiSrv|Telephony|M|0.2|NS|svchost:NetworkService -p|all
TermService|Remote Desktop Services|M|0.6|NS|svchost:NetworkService|all
Themes|Themes|A|1|LS|svchost:netsvcs -p|all
TimeBrokerSvc|Time Broker|M|1|LSV|svchost:LocalServiceNetworkRestricted -p|all
TokenBroker|Web Account Manager|M|0.9|LS|svchost:netsvcs -p|all
TrkWks|Distributed Link Tracking Client|A|1|LS|svchost:LocalSystemNetworkRestricted -p|all
TrustedInstaller|Windows Modules Installer|M|0.15|LS|C:\Windows\servicing\TrustedInstaller.exe|all
tzautoupdate|Auto Time Zone Updater|X|0|LSV|svchost:LocalService -p|all
UmRdpService|Remote Desktop Services UserMode Port Redirector|M|0.5|LS|svchost:LocalSystemNetworkRestricted -p|all
upnphost|UPnP Device Host|M|0|LSV|svchost:LocalServiceAndNoImpersonation -p|all
UserManager|User Manager|A|1|LS|svchost:netsvcs -p|all
UsoSvc|Update Orchestrator Service|D|0.9|LS|svchost:netsvcs -p|all
VaultSvc|Credential Manager|M|0.9|LS|C:\Windows\system32\lsass.exe|all
vds|Virtual Disk|M|0|LS|C:\Windows\System32\vds.exe|all
VSS|Volume Shadow Copy|M|0.1|LS|C:\Windows\system32\vssvc.exe|all
W32Time|Windows Time|M|0.9|LSV|svchost:LocalService|all
WaaSMedicSvc|Windows Update Medic Service|M|0.3|LS|svchost:wusvcs -p|all
WbioSrvc|Windows Biometric Service|A|0.8|LS|svchost:WbioSvcGroup|laptop
Wcmsvc|Windows Connection Manager|A|1|LSV|svchost:LocalServiceNetworkRestricted -p|all
WdiServiceHost|Diagnostic Service Host|M|0.8|LSV|svchost:LocalService -p|all
WdiSystemHost|Diagnostic System Host|M|0.8|LS|svchost:LocalSystemNetworkRestricted -p|all
WdNisSvc|Microsoft Defender Antivirus Network Inspection Service|M|0.97|LSV|C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24090.11-0\NisSrv.exe|all
Wecsvc|Windows Event Collector|M|0|NS|svchost:NetworkService -p|all
WEPHOSTSVC|Windows Encryption Provider Host Service|M|0|LSV|svchost:WepHostSvcGroup|all
wercplsupport|Problem Reports Control Panel Support|M|0|LS|svchost:netsvcs -p|all
WerSvc|Windows Error Reporting Service|M|0.1|LS|svchost:WerSvcGroup|all
WinDefend|Microsoft Defender Antivirus Service|A|0.985|LS|C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24090.11-0\MsMpEng.exe|all
WinHttpAutoProxySvc|WinHTTP Web Proxy Auto-Discovery Service|M|1|LSV|svchost:LocalServiceNetworkRestricted -p|all
Winmgmt|Windows Management Instrumentation|A|1|LS|svchost:netsvcs -p|all
WinRM|Windows Remote Management (WS-Management)|A|0.995|NS|svchost:NetworkService -p|server
WinRM|Windows Remote Management (WS-Management)|M|0.2|NS|svchost:NetworkService -p|workstation
wisvc|Windows Insider Service|M|0|LS|svchost:netsvcs -p|workstation
WlanSvc|WLAN AutoConfig|A|1|LS|svchost:LocalSystemNetworkRestricted -p|laptop
wlidsvc|Microsoft Account Sign-in Assistant|M|0.5|LS|svchost:netsvcs -p|all
WManSvc|Windows Management Service|M|0.1|LS|svchost:netsvcs -p|all
wmiApSrv|WMI Performance Adapter|M|0.1|LS|C:\Windows\system32\wbem\WmiApSrv.exe|all
WpnService|Windows Push Notifications System Service|A|1|LS|svchost:netsvcs -p|all
WSearch|Windows Search|D|0.98|LS|C:\Windows\system32\SearchIndexer.exe /Embedding|workstation
WSearch|Windows Search|X|0|LS|C:\Windows\system32\SearchIndexer.exe /Embedding|server
wuauserv|Windows Update|M|0.5|LS|svchost:netsvcs -p|all
WwanSvc|WWAN AutoConfig|M|0|LS|svchost:LocalSystemNetworkRestricted -p|laptop
XblAuthManager|Xbox Live Auth Manager|M|0|LS|svchost:netsvcs -p|workstation
XboxNetApiSvc|Xbox Live Networking Service|M|0|LS|svchost:netsvcs -p|workstation
Browser|Computer Browser|M|0.9|LS|svchost:netsvcs -p|smb1
mrxsmb10|SMB 1.x MiniRedirector|A|1|LS|svchost:netsvcs -p|smb1
CcmExec|SMS Agent Host|D|0.995|LS|C:\Windows\CCM\CcmExec.exe|all
CmRcService|Configuration Manager Remote Control|A|1|LS|C:\Windows\CCM\RemCtrl\CmRcService.exe|all
smstsmgr|ConfigMgr Task Sequence Agent|M|0|LS|C:\Windows\CCM\TSManager.exe|all
ccmsetup|ccmsetup|X|0|LS|C:\Windows\ccmsetup\ccmsetup.exe|all
PolicyAgent_MPP|Microsoft Policy Platform Local Authority|M|0.1|NS|C:\Program Files\Microsoft Policy Platform\policyHost.exe|all
Sense|Windows Defender Advanced Threat Protection Service|A|0.7|LS|C:\Program Files\Windows Defender Advanced Threat Protection\MsSense.exe|all
edgeupdate|Microsoft Edge Update Service (edgeupdate)|D|0|LS|"C:\Program Files (x86)\Microsoft\EdgeUpdate\MicrosoftEdgeUpdate.exe" /svc|all
edgeupdatem|Microsoft Edge Update Service (edgeupdatem)|M|0|LS|"C:\Program Files (x86)\Microsoft\EdgeUpdate\MicrosoftEdgeUpdate.exe" /medsvc|all
MicrosoftEdgeElevationService|Microsoft Edge Elevation Service (MicrosoftEdgeElevationService)|M|0|LS|"C:\Program Files (x86)\Microsoft\Edge\Application\131.0.2903.51\elevation_service.exe"|all
gupdate|Google Update Service (gupdate)|D|0|LS|"C:\Program Files (x86)\Google\Update\GoogleUpdate.exe" /svc|product:chrome
gupdatem|Google Update Service (gupdatem)|M|0|LS|"C:\Program Files (x86)\Google\Update\GoogleUpdate.exe" /medsvc|product:chrome
GoogleChromeElevationService|Google Chrome Elevation Service (GoogleChromeElevationService)|M|0|LS|"C:\Program Files\Google\Chrome\Application\131.0.6778.86\elevation_service.exe"|product:chrome
MozillaMaintenance|Mozilla Maintenance Service|M|0|LS|"C:\Program Files (x86)\Mozilla Maintenance Service\maintenanceservice.exe"|product:firefox
AdobeARMservice|Adobe Acrobat Update Service|A|0.97|LS|"C:\Program Files (x86)\Common Files\Adobe\ARM\1.0\armsvc.exe"|product:reader
ZoomCptService|Zoom Sharing Service|M|0|LS|"C:\Program Files\Zoom\bin\CptService.exe" -user_path "C:\Users\Default\AppData\Roaming\Zoom"|product:zoom
vpnagent|Cisco Secure Client - AnyConnect VPN Agent|A|1|LS|"C:\Program Files (x86)\Cisco\Cisco Secure Client\vpnagent.exe"|product:anyconnect
IntelAudioService|Intel(R) Audio Service|A|1|LS|C:\Windows\System32\DriverStore\FileRepository\iscsi.inf_amd64_0c6f3f4d2a6e0b1a\IntelAudioService.exe|physical
RtkAudioUniversalService|Realtek Audio Universal Service|A|1|LS|C:\Windows\System32\RtkAudUService64.exe|physical
IntuneManagementExtension|Microsoft Intune Management Extension|A|0.99|LS|"C:\Program Files (x86)\Microsoft Intune Management Extension\Microsoft.Management.Services.IntuneWindowsAgent.exe"|product:ime
uhssvc|Microsoft Update Health Service|D|0.9|LS|"C:\Program Files\Microsoft Update Health Tools\uhssvc.exe"|product:uht
VMTools|VMware Tools|A|1|LS|"C:\Program Files\VMware\VMware Tools\vmtoolsd.exe"|hypervisor:vmware
vmicheartbeat|Hyper-V Heartbeat Service|M|1|LS|svchost:ICService -p|hypervisor:hyperv
vmicshutdown|Hyper-V Guest Shutdown Service|M|1|LS|svchost:ICService -p|hypervisor:hyperv
vmictimesync|Hyper-V Time Synchronization Service|M|1|LSV|svchost:LocalServiceNetworkRestricted -p|hypervisor:hyperv
vmickvpexchange|Hyper-V Data Exchange Service|M|1|LS|svchost:LocalSystemNetworkRestricted -p|hypervisor:hyperv
vmms|Hyper-V Virtual Machine Management|A|1|LS|C:\Windows\system32\vmms.exe|role:HV
vmcompute|Hyper-V Host Compute Service|M|1|LS|C:\Windows\system32\vmcompute.exe|role:HV
MSSQLSERVER|SQL Server (MSSQLSERVER)|A|0.99|NT Service\MSSQLSERVER|"C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn\sqlservr.exe" -sMSSQLSERVER|sqlhost
SQLSERVERAGENT|SQL Server Agent (MSSQLSERVER)|A|0.95|NT Service\SQLSERVERAGENT|"C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn\SQLAGENT.EXE" -i MSSQLSERVER|sqlhost
SQLWriter|SQL Server VSS Writer|A|1|LS|"C:\Program Files\Microsoft SQL Server\90\Shared\sqlwriter.exe"|sqlhost
SQLBrowser|SQL Server Browser|X|0|NT AUTHORITY\LOCALSERVICE|"C:\Program Files (x86)\Microsoft SQL Server\90\Shared\sqlbrowser.exe"|sqlhost
W3SVC|World Wide Web Publishing Service|A|0.99|LS|svchost:iissvcs|role:WEB
WAS|Windows Process Activation Service|M|1|LS|svchost:iissvcs|role:WEB
IISADMIN|IIS Admin Service|A|1|LS|svchost:iissvcs|role:WEB
NTDS|Active Directory Domain Services|A|1|LS|C:\Windows\System32\lsass.exe|role:DC
DNS|DNS Server|A|1|LS|C:\Windows\system32\dns.exe|role:DC
DFSR|DFS Replication|A|1|LS|C:\Windows\system32\DFSRs.exe|role:DC
Kdc|Kerberos Key Distribution Center|A|1|LS|C:\Windows\System32\lsass.exe|role:DC
ADWS|Active Directory Web Services|A|1|LS|C:\Windows\ADWS\Microsoft.ActiveDirectory.WebServices.exe|role:DC
IsmServ|Intersite Messaging|A|1|LS|C:\Windows\System32\ismserv.exe|role:DC
SMS_EXECUTIVE|SMS_EXECUTIVE|A|1|LS|D:\Program Files\Microsoft Configuration Manager\bin\x64\smsexec.exe|role:CM
SMS_SITE_COMPONENT_MANAGER|SMS_SITE_COMPONENT_MANAGER|A|1|LS|D:\Program Files\Microsoft Configuration Manager\bin\x64\sitecomp.exe|role:CM
SMS_SITE_VSS_WRITER|SMS_SITE_VSS_WRITER|A|1|LS|D:\Program Files\Microsoft Configuration Manager\bin\x64\smssqlbkup.exe|role:CM
SMS_SITE_SQL_BACKUP|SMS_SITE_SQL_BACKUP|A|1|LS|D:\Program Files\SMS_SQL\bin\x64\smssqlbkup.exe|role:CM
SMS_DISTRIBUTION_POINT|SMS Distribution Point|M|0|LS|C:\Program Files\SMS_CCM\smsdpprov.exe|role:DP
WDSServer|Windows Deployment Services Server|A|1|LS|svchost:WdsSvcGroup|role:DP
TermServLicensing|Remote Desktop Licensing|A|1|NS|svchost:NetworkService|role:RDS
SessionBroker|Remote Desktop Connection Broker|A|1|NS|svchost:NetworkService|role:RDS
CertSvc|Active Directory Certificate Services|A|1|LS|C:\Windows\system32\certsrv.exe|role:CA
LanmanServerFS|File Server Resource Manager|A|1|LS|C:\Windows\system32\srmsvc.exe|role:FS
"""

PER_USER_SERVICES_TEXT = r"""
CDPUserSvc|Connected Devices Platform User Service|A|1
OneSyncSvc|Sync Host|D|1
WpnUserService|Windows Push Notifications User Service|A|1
cbdhsvc|Clipboard User Service|M|0.9
PimIndexMaintenanceSvc|Contact Data|M|0.5
UnistoreSvc|User Data Storage|M|0.8
UserDataSvc|User Data Access|M|0.8
DevicesFlowUserSvc|DevicesFlow|M|0.2
PrintWorkflowUserSvc|PrintWorkflow|M|0.1
CaptureService|CaptureService|M|0
MessagingService|MessagingService|M|0
BcastDVRUserService|GameDVR and Broadcast User Service|M|0
ConsentUxUserSvc|ConsentUX User Service|M|0
CredentialEnrollmentManagerUserSvc|CredentialEnrollmentManagerUserSvc|M|0.1
BluetoothUserService|Bluetooth User Support Service|M|0.3
"""
