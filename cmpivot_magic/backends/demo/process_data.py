"""What runs on the simulated devices: process templates (grouped into the applications that start
them) and the Windows services, with the conditions under which each is present.

A ``Group`` decides whether an application runs on a device (``who`` and probability ``p``);
each of its ``Proc`` templates then runs ``lo``..``hi`` times. ``{user}`` in a path is the
device's signed-in user. ``who`` values: all, user (someone is signed in), server, workstation,
physical, laptop, win11, win10, role:<R>, product:<key>, hypervisor:<family>.
"""

from __future__ import annotations

from dataclasses import dataclass

# fmt: off


@dataclass(frozen=True)
class Group:
    who: str
    p: float = 1.0


@dataclass(frozen=True)
class Proc:
    group: str
    name: str
    path: str | None
    args: str | None            # command line after the quoted path; None = no command line
    description: str
    parent: str | None          # name of the parent template (its first instance), None = none
    lo: int = 1
    hi: int = 1
    start: str = "boot"         # boot (seconds after boot), logon (after the user signed in), any
    session: int = 0
    ws_mb: float = 10.0         # median working set
    threads: int = 8
    handles: int = 200
    priority: int = 8


_S32 = "C:\\Windows\\System32\\"
_EDGE = "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"
_OFFICE = "C:\\Program Files\\Microsoft Office\\root\\Office16\\"

GROUPS: dict[str, Group] = {
    "kernel": Group("all"), "core": Group("all"), "vbs": Group("physical", 0.6), "defender": Group("all", 0.97),
    "sense": Group("all", 0.7), "configmgr": Group("all"), "wmi": Group("all"), "session": Group("user"),
    "shell": Group("user"), "win11": Group("win11"), "edge": Group("user", 0.85), "webview": Group("user", 0.6),
    "newteams": Group("product:m365", 0.7), "teams": Group("product:teamsmwi", 0.75), "outlook": Group("product:m365", 0.72),
    "word": Group("product:m365", 0.3), "excel": Group("product:m365", 0.35), "powerpnt": Group("product:m365", 0.1),
    "chrome": Group("product:chrome", 0.6), "firefox": Group("product:firefox", 0.5), "zoom": Group("product:zoom", 0.3),
    "onedrive": Group("product:onedrive", 0.9), "vscode": Group("product:vscode", 0.5), "notepad": Group("user", 0.15),
    "powershell": Group("all", 0.07), "ps-server": Group("server", 0.2), "cmd": Group("user", 0.08),
    "mstsc": Group("user", 0.05), "vmtools": Group("hypervisor:vmware"),
    "hv-host": Group("role:HV"), "sql": Group("role:SQL"), "sqlcm": Group("role:CM"), "web": Group("role:WEB"),
    "cm": Group("role:CM"), "dc": Group("role:DC"), "rds": Group("role:RDS"), "fs": Group("role:FS"),
    "anyconnect": Group("product:anyconnect"), "ime": Group("product:ime"), "uht": Group("product:uht"),
    "java": Group("product:java8", 0.7), "reader": Group("product:reader", 0.25), "audio": Group("physical"),
    "wifi": Group("laptop"), "updates": Group("all", 0.15), "search": Group("all", 0.9),
}

PROCESSES: tuple[Proc, ...] = (
    Proc("kernel", "System Idle Process", None, None, "", None, ws_mb=0.008, threads=8, handles=0, priority=0),
    Proc("kernel", "System", None, None, "", None, ws_mb=0.15, threads=280, handles=5200),
    Proc("vbs", "Secure System", None, None, "", "System", ws_mb=40, threads=0, handles=0),
    Proc("kernel", "Registry", None, None, "", "System", ws_mb=70, threads=4, handles=0),
    Proc("kernel", "smss.exe", _S32 + "smss.exe", "", "Windows Session Manager", "System", ws_mb=1.1, threads=2, handles=57, priority=11),
    Proc("core", "csrss.exe", _S32 + "csrss.exe", "ObjectDirectory=\\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16", "Client Server Runtime Process", None, ws_mb=5, threads=12, handles=700, priority=13),
    Proc("core", "wininit.exe", _S32 + "wininit.exe", "", "Windows Start-Up Application", None, ws_mb=6, threads=1, handles=160, priority=13),
    Proc("session", "csrss.exe", _S32 + "csrss.exe", "ObjectDirectory=\\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16", "Client Server Runtime Process", None, start="logon", session=1, ws_mb=6, threads=14, handles=900, priority=13),
    Proc("core", "winlogon.exe", _S32 + "winlogon.exe", "", "Windows Logon Application", None, session=1, ws_mb=9, threads=4, handles=270, priority=13),
    Proc("core", "services.exe", _S32 + "services.exe", "", "Services and Controller app", "wininit.exe", ws_mb=11, threads=8, handles=800, priority=9),
    Proc("core", "lsass.exe", _S32 + "lsass.exe", "", "Local Security Authority Process", "wininit.exe", ws_mb=22, threads=10, handles=1600, priority=9),
    Proc("vbs", "LsaIso.exe", _S32 + "lsaiso.exe", "", "Credential Guard & Key Guard", "wininit.exe", ws_mb=2.5, threads=1, handles=50),
    Proc("core", "fontdrvhost.exe", _S32 + "fontdrvhost.exe", "", "Usermode Font Driver Host", "wininit.exe", lo=1, hi=2, ws_mb=4, threads=5, handles=40),
    Proc("core", "Memory Compression", None, None, "", "System", ws_mb=300, threads=30, handles=0),
    Proc("session", "dwm.exe", _S32 + "dwm.exe", "", "Desktop Window Manager", "winlogon.exe", start="logon", session=1, ws_mb=90, threads=18, handles=1400, priority=13),
    Proc("core", "spoolsv.exe", _S32 + "spoolsv.exe", "", "Spooler SubSystem App", "services.exe", ws_mb=14, threads=9, handles=550),
    Proc("core", "SgrmBroker.exe", _S32 + "SgrmBroker.exe", "", "System Guard Runtime Monitor Broker", "services.exe", ws_mb=7, threads=6, handles=190),
    Proc("core", "msdtc.exe", _S32 + "msdtc.exe", "", "Microsoft Distributed Transaction Coordinator Service", "services.exe", ws_mb=7, threads=9, handles=220),
    Proc("core", "unsecapp.exe", _S32 + "wbem\\unsecapp.exe", "-Embedding", "Sink to receive asynchronous callbacks for WMI client application", "svchost.exe", ws_mb=6, threads=3, handles=130),
    Proc("wmi", "WmiPrvSE.exe", _S32 + "wbem\\wmiprvse.exe", "-secured -Embedding", "WMI Provider Host", "svchost.exe", lo=2, hi=6, start="any", ws_mb=16, threads=10, handles=350),
    Proc("core", "dllhost.exe", _S32 + "dllhost.exe", "/Processid:{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}", "COM Surrogate", "svchost.exe", lo=1, hi=4, start="any", ws_mb=9, threads=6, handles=220),
    Proc("core", "conhost.exe", _S32 + "conhost.exe", "0xffffffff -ForceV1", "Console Window Host", None, lo=2, hi=6, start="any", ws_mb=6, threads=3, handles=100),
    Proc("core", "WUDFHost.exe", _S32 + "WUDFHost.exe", "-HostGUID:{193a1820-d9ac-4997-8c55-be817523f6aa} -IoEventPortName:\\UMDFCommunicationPorts\\WUDF\\HostProcess-9b1a2c3d -SystemEventPortName:\\UMDFCommunicationPorts\\WUDF\\HostProcess-0e4f5a6b -IoCancelEventPortName:\\UMDFCommunicationPorts\\WUDF\\HostProcess-7c8d9e0f -NonStateChangingEventPortName:\\UMDFCommunicationPorts\\WUDF\\HostProcess-1a2b3c4d -LifetimeId:5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9 -DeviceGroupId:WpdFsGroup -HostArg:0", "Windows Driver Foundation - User-mode Driver Framework Host Process", "services.exe", lo=1, hi=3, ws_mb=8, threads=8, handles=260),
    Proc("defender", "MsMpEng.exe", "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe", "", "Antimalware Service Executable", "services.exe", ws_mb=260, threads=40, handles=1100),
    Proc("defender", "NisSrv.exe", "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\NisSrv.exe", "", "Microsoft Network Realtime Inspection Service", "services.exe", ws_mb=12, threads=8, handles=240),
    Proc("defender", "SecurityHealthService.exe", _S32 + "SecurityHealthService.exe", "", "Windows Security Health Service", "services.exe", ws_mb=14, threads=9, handles=500),
    Proc("sense", "MsSense.exe", "C:\\Program Files\\Windows Defender Advanced Threat Protection\\MsSense.exe", "", "Windows Defender Advanced Threat Protection Service Executable", "services.exe", ws_mb=95, threads=30, handles=900),
    Proc("sense", "SenseNdr.exe", "C:\\Program Files\\Windows Defender Advanced Threat Protection\\SenseNdr.exe", "", "Microsoft Defender for Endpoint Network Detection", "MsSense.exe", ws_mb=25, threads=12, handles=300),
    Proc("configmgr", "CcmExec.exe", "C:\\Windows\\CCM\\CcmExec.exe", "", "Host Process for Microsoft Configuration Manager", "services.exe", ws_mb=75, threads=45, handles=1500),
    Proc("configmgr", "CmRcService.exe", "C:\\Windows\\CCM\\RemCtrl\\CmRcService.exe", "", "Configuration Manager Remote Control Service", "services.exe", ws_mb=6, threads=5, handles=160),
    Proc("configmgr", "PolicyHost.exe", "C:\\Program Files\\Microsoft Policy Platform\\policyHost.exe", "", "Microsoft Policy Platform Processor", "services.exe", ws_mb=12, threads=6, handles=210),
    Proc("search", "SearchIndexer.exe", _S32 + "SearchIndexer.exe", "/Embedding", "Microsoft Windows Search Indexer", "services.exe", ws_mb=35, threads=20, handles=900),
    Proc("session", "sihost.exe", _S32 + "sihost.exe", "", "Shell Infrastructure Host", "svchost.exe", start="logon", session=1, ws_mb=28, threads=12, handles=620),
    Proc("session", "taskhostw.exe", _S32 + "taskhostw.exe", "{222A245B-E637-4AE9-A93F-A59CA119A75E}", "Host Process for Windows Tasks", "svchost.exe", lo=1, hi=3, start="logon", session=1, ws_mb=14, threads=9, handles=330),
    Proc("shell", "explorer.exe", "C:\\Windows\\Explorer.EXE", "", "Windows Explorer", None, start="logon", session=1, ws_mb=160, threads=80, handles=3000),
    Proc("shell", "RuntimeBroker.exe", _S32 + "RuntimeBroker.exe", "-Embedding", "Runtime Broker", "svchost.exe", lo=4, hi=11, start="logon", session=1, ws_mb=18, threads=5, handles=300),
    Proc("shell", "StartMenuExperienceHost.exe", "C:\\Windows\\SystemApps\\Microsoft.Windows.StartMenuExperienceHost_cw5n1h2txyewy\\StartMenuExperienceHost.exe", "-ServerName:App.AppXywbrabmsek0gm3tkwpr5kwzbs55tkqay.mca", "", "svchost.exe", start="logon", session=1, ws_mb=60, threads=20, handles=800),
    Proc("shell", "ShellExperienceHost.exe", "C:\\Windows\\SystemApps\\ShellExperienceHost_cw5n1h2txyewy\\ShellExperienceHost.exe", "-ServerName:App.AppXtk181tbxbce2qsex02s8tw7hfxa9xb3t.mca", "Windows Shell Experience Host", "svchost.exe", start="logon", session=1, ws_mb=45, threads=15, handles=700),
    Proc("shell", "TextInputHost.exe", "C:\\Windows\\SystemApps\\MicrosoftWindows.Client.CBS_cw5n1h2txyewy\\TextInputHost.exe", "-ServerName:InputApp.AppX9jnwykgrccxc8by3hsrsh07r423xzvav.mca", "", "svchost.exe", start="logon", session=1, ws_mb=40, threads=14, handles=600),
    Proc("shell", "ctfmon.exe", _S32 + "ctfmon.exe", "", "CTF Loader", "svchost.exe", start="logon", session=1, ws_mb=16, threads=12, handles=500),
    Proc("shell", "SecurityHealthSystray.exe", _S32 + "SecurityHealthSystray.exe", "", "Windows Security notification icon", "explorer.exe", start="logon", session=1, ws_mb=8, threads=3, handles=180),
    Proc("shell", "smartscreen.exe", _S32 + "smartscreen.exe", "-Embedding", "Windows Defender SmartScreen", "svchost.exe", start="logon", session=1, ws_mb=20, threads=10, handles=400),
    Proc("search", "SearchHost.exe", "C:\\Windows\\SystemApps\\MicrosoftWindows.Client.CBS_cw5n1h2txyewy\\SearchHost.exe", "-ServerName:CortanaUI.AppX8z9r6jm96hw4bsbneegw0kyxx296wr9t.mca", "", "svchost.exe", start="logon", session=1, ws_mb=90, threads=30, handles=1000),
    Proc("win11", "Widgets.exe", "C:\\Program Files\\WindowsApps\\MicrosoftWindows.Client.WebExperience_424.1301.270.9_x64__cw5n1h2txyewy\\Dashboard\\Widgets.exe", "-ServerName:Microsoft.Windows.DashboardServer", "Widgets", "svchost.exe", start="logon", session=1, ws_mb=30, threads=18, handles=500),
    Proc("shell", "backgroundTaskHost.exe", _S32 + "backgroundTaskHost.exe", "-ServerName:BackgroundTaskHost.WebAccountProvider", "Background Task Host", "svchost.exe", lo=0, hi=3, start="any", session=1, ws_mb=20, threads=8, handles=300),
    Proc("shell", "LockApp.exe", "C:\\Windows\\SystemApps\\Microsoft.LockApp_cw5n1h2txyewy\\LockApp.exe", "-ServerName:WindowsDefaultLockScreen.AppX7y4nbzq37zn4ks9k7amqjywdat7d3j2z.mca", "LockApp.exe", "svchost.exe", start="logon", session=1, ws_mb=30, threads=12, handles=500),
    Proc("shell", "UserOOBEBroker.exe", _S32 + "oobe\\UserOOBEBroker.exe", "-Embedding", "User OOBE Broker", "svchost.exe", start="logon", session=1, ws_mb=6, threads=3, handles=120),
    Proc("shell", "PhoneExperienceHost.exe", "C:\\Program Files\\WindowsApps\\Microsoft.YourPhone_1.24092.211.0_x64__8wekyb3d8bbwe\\PhoneExperienceHost.exe", "-ServerName:App.AppX3x7zb3sa1b5y4w5f1jwt1hd2p8c8zqd8.mca", "Microsoft Phone Link", "svchost.exe", start="logon", session=1, ws_mb=40, threads=25, handles=900),
    Proc("shell", "SearchProtocolHost.exe", _S32 + "SearchProtocolHost.exe", "Global\\UsGthrFltPipeMssGthrPipe1_ Global\\UsGthrCtrlFltPipeMssGthrPipe1 1 -2147483646 \"Software\\Microsoft\\Windows Search\" \"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)\" \"C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc\" \"DownLevelDaemon\"", "Microsoft Windows Search Protocol Host", "SearchIndexer.exe", lo=0, hi=2, start="any", ws_mb=9, threads=7, handles=250),
    Proc("core", "MoUsoCoreWorker.exe", _S32 + "MoUsoCoreWorker.exe", "-Embedding", "MoUSO Core Worker Process", "svchost.exe", lo=0, hi=1, start="any", ws_mb=25, threads=10, handles=400),
    Proc("core", "CompPkgSrv.exe", _S32 + "CompPkgSrv.exe", "-Embedding", "Component Package Support Server", "svchost.exe", lo=0, hi=1, start="any", ws_mb=8, threads=4, handles=150),
    Proc("core", "sppsvc.exe", _S32 + "sppsvc.exe", "", "Microsoft Software Protection Platform Service", "services.exe", lo=0, hi=1, start="any", ws_mb=12, threads=6, handles=280),
    Proc("outlook", "OfficeClickToRun.exe", "C:\\Program Files\\Common Files\\microsoft shared\\ClickToRun\\OfficeClickToRun.exe", "/service", "Microsoft Office Click-to-Run (SxS)", "services.exe", ws_mb=60, threads=30, handles=1200),
    Proc("audio", "igfxEM.exe", _S32 + "DriverStore\\FileRepository\\iigd_dch.inf_amd64_1c9a5f3b2e7d4c60\\igfxEM.exe", "", "igfxEM Module", "explorer.exe", start="logon", session=1, ws_mb=10, threads=6, handles=250),
    Proc("audio", "LMS.exe", "C:\\Program Files (x86)\\Intel\\Intel(R) Management Engine Components\\LMS\\LMS.exe", "", "Intel(R) Local Management Service", "services.exe", ws_mb=5, threads=6, handles=180),
    Proc("audio", "jhi_service.exe", _S32 + "DriverStore\\FileRepository\\dal.inf_amd64_5b2e4c1d7a9f3e60\\jhi_service.exe", "", "Intel(R) Dynamic Application Loader Host Interface", "services.exe", ws_mb=4, threads=4, handles=120),
    Proc("audio", "audiodg.exe", _S32 + "AUDIODG.EXE", "0x4a8", "Windows Audio Device Graph Isolation", "svchost.exe", start="any", ws_mb=12, threads=6, handles=200),
    Proc("audio", "RtkAudUService64.exe", _S32 + "RtkAudUService64.exe", "-background", "Realtek HD Audio Universal Service", "services.exe", ws_mb=6, threads=5, handles=240),
    Proc("wifi", "wlanext.exe", _S32 + "wlanext.exe", "", "Windows Wireless LAN 802.11 Extensibility Framework", "svchost.exe", ws_mb=5, threads=4, handles=200),
    Proc("edge", "msedge.exe", _EDGE, "--no-startup-window --win-session-start", "Microsoft Edge", "explorer.exe", start="logon", session=1, ws_mb=120, threads=45, handles=1800),
    Proc("edge", "msedge.exe", _EDGE, "--type=crashpad-handler \"--user-data-dir=C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Edge\\User Data\" /prefetch:4 --monitor-self-annotation=ptype=crashpad-handler", "Microsoft Edge", "msedge.exe", start="logon", session=1, ws_mb=7, threads=7, handles=150),
    Proc("edge", "msedge.exe", _EDGE, "--type=gpu-process --no-pre-read-main-dll --gpu-preferences=UAAAAAAAAADgAAAEAAAAAAAAAAAAAAAAAABgAAEAAAAAAAAAAAAAAAAAAAACAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA --mojo-platform-channel-handle=2080 /prefetch:2", "Microsoft Edge", "msedge.exe", start="logon", session=1, ws_mb=150, threads=20, handles=700),
    Proc("edge", "msedge.exe", _EDGE, "--type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none --mojo-platform-channel-handle=2364 /prefetch:3", "Microsoft Edge", "msedge.exe", start="logon", session=1, ws_mb=40, threads=15, handles=400),
    Proc("edge", "msedge.exe", _EDGE, "--type=renderer --lang=en-US --js-flags=--ms-user-locale= --device-scale-factor=1 --num-raster-threads=4 --enable-main-frame-before-activation --renderer-client-id=12 --mojo-platform-channel-handle=5124 /prefetch:1", "Microsoft Edge", "msedge.exe", lo=6, hi=26, start="any", session=1, ws_mb=60, threads=18, handles=350),
    Proc("webview", "msedgewebview2.exe", "C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\131.0.2903.51\\msedgewebview2.exe", "--embedded-browser-webview=1 --webview-exe-name=SearchHost.exe --type=renderer --noerrdialogs /prefetch:1", "Microsoft Edge WebView2", "SearchHost.exe", lo=2, hi=8, start="logon", session=1, ws_mb=35, threads=14, handles=300),
    Proc("newteams", "ms-teams.exe", "C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe", "msteams:system-initiated", "Microsoft Teams", "explorer.exe", start="logon", session=1, ws_mb=160, threads=55, handles=1400),
    Proc("teams", "Teams.exe", "C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe", "--process-start-type=autostart", "Microsoft Teams", "explorer.exe", start="logon", session=1, ws_mb=140, threads=50, handles=1200),
    Proc("teams", "Teams.exe", "C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe", "--type=renderer --autoplay-policy=no-user-gesture-required --disable-background-timer-throttling --enable-features=SharedArrayBuffer /prefetch:1", "Microsoft Teams", "Teams.exe", lo=2, hi=5, start="logon", session=1, ws_mb=180, threads=25, handles=600),
    Proc("outlook", "OUTLOOK.EXE", _OFFICE + "OUTLOOK.EXE", "", "Microsoft Outlook", "explorer.exe", start="logon", session=1, ws_mb=280, threads=60, handles=4200),
    Proc("word", "WINWORD.EXE", _OFFICE + "WINWORD.EXE", "/n \"C:\\Users\\{user}\\OneDrive - Contoso\\Documents\\Q3 Review.docx\" /o \"\"", "Microsoft Word", "explorer.exe", start="any", session=1, ws_mb=180, threads=30, handles=1700),
    Proc("excel", "EXCEL.EXE", _OFFICE + "EXCEL.EXE", "\"C:\\Users\\{user}\\OneDrive - Contoso\\Budget FY25.xlsx\"", "Microsoft Excel", "explorer.exe", start="any", session=1, ws_mb=160, threads=28, handles=1500),
    Proc("powerpnt", "POWERPNT.EXE", _OFFICE + "POWERPNT.EXE", "", "Microsoft PowerPoint", "explorer.exe", start="any", session=1, ws_mb=170, threads=30, handles=1500),
    Proc("chrome", "chrome.exe", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "", "Google Chrome", "explorer.exe", start="any", session=1, ws_mb=130, threads=40, handles=1600),
    Proc("chrome", "chrome.exe", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "--type=renderer --lang=en-US --device-scale-factor=1 --num-raster-threads=4 --renderer-client-id=8 /prefetch:1", "Google Chrome", "chrome.exe", lo=3, hi=15, start="any", session=1, ws_mb=70, threads=17, handles=300),
    Proc("firefox", "firefox.exe", "C:\\Program Files\\Mozilla Firefox\\firefox.exe", "", "Firefox", "explorer.exe", start="any", session=1, ws_mb=200, threads=70, handles=1400),
    Proc("firefox", "firefox.exe", "C:\\Program Files\\Mozilla Firefox\\firefox.exe", "-contentproc -childID 3 -isForBrowser -prefsLen 27634 -prefMapSize 244969 tab", "Firefox", "firefox.exe", lo=3, hi=9, start="any", session=1, ws_mb=80, threads=25, handles=400),
    Proc("zoom", "Zoom.exe", "C:\\Program Files\\Zoom\\bin\\Zoom.exe", "--autostart", "Zoom Meetings", "explorer.exe", start="logon", session=1, ws_mb=110, threads=45, handles=900),
    Proc("onedrive", "OneDrive.exe", "C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe", "/background", "Microsoft OneDrive", "explorer.exe", start="logon", session=1, ws_mb=95, threads=40, handles=1200),
    Proc("vscode", "Code.exe", "C:\\Program Files\\Microsoft VS Code\\Code.exe", "", "Visual Studio Code", "explorer.exe", lo=4, hi=8, start="any", session=1, ws_mb=100, threads=25, handles=500),
    Proc("notepad", "notepad.exe", _S32 + "notepad.exe", "", "Notepad", "explorer.exe", start="any", session=1, ws_mb=14, threads=5, handles=250),
    Proc("powershell", "powershell.exe", _S32 + "WindowsPowerShell\\v1.0\\powershell.exe", "-NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -File C:\\Windows\\CCM\\ScriptStore\\7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14_4F6E1A.ps1", "Windows PowerShell", "CcmExec.exe", start="any", ws_mb=70, threads=14, handles=600),
    Proc("ps-server", "powershell.exe", _S32 + "WindowsPowerShell\\v1.0\\powershell.exe", "", "Windows PowerShell", "explorer.exe", start="any", session=1, ws_mb=90, threads=18, handles=700),
    Proc("cmd", "cmd.exe", _S32 + "cmd.exe", "", "Windows Command Processor", "explorer.exe", start="any", session=1, ws_mb=5, threads=1, handles=70),
    Proc("mstsc", "mstsc.exe", _S32 + "mstsc.exe", "/v:SRV-APP01", "Remote Desktop Connection", "explorer.exe", start="any", session=1, ws_mb=60, threads=20, handles=700),
    Proc("updates", "TiWorker.exe", "C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.22621.4453_none_1e1f3f5c3e7c4f0a\\TiWorker.exe", "-Embedding", "Windows Modules Installer Worker", "svchost.exe", start="any", ws_mb=120, threads=12, handles=400),
    Proc("updates", "TrustedInstaller.exe", "C:\\Windows\\servicing\\TrustedInstaller.exe", "", "Windows Modules Installer", "services.exe", start="any", ws_mb=9, threads=4, handles=160),
    Proc("vmtools", "vmtoolsd.exe", "C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe", "", "VMware Tools Core Service", "services.exe", ws_mb=25, threads=12, handles=400),
    Proc("hv-host", "vmms.exe", _S32 + "vmms.exe", "", "Virtual Machine Management Service", "services.exe", ws_mb=60, threads=40, handles=1500),
    Proc("hv-host", "vmwp.exe", _S32 + "vmwp.exe", "f8d2c5a0-1b3e-4c7d-9e6f-0a1b2c3d4e5f 0x8B8", "Virtual Machine Worker Process", "vmms.exe", lo=6, hi=20, ws_mb=40, threads=25, handles=900),
    Proc("hv-host", "vmcompute.exe", _S32 + "vmcompute.exe", "", "Hyper-V Host Compute Service", "services.exe", ws_mb=18, threads=10, handles=300),
    Proc("sql", "sqlservr.exe", "C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe", "-sMSSQLSERVER", "SQL Server Windows NT - 64 Bit", "services.exe", ws_mb=12000, threads=160, handles=2600),
    Proc("sql", "SQLAGENT.EXE", "C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE", "-i MSSQLSERVER", "SQL Server Agent", "services.exe", ws_mb=40, threads=30, handles=600),
    Proc("sql", "sqlwriter.exe", "C:\\Program Files\\Microsoft SQL Server\\90\\Shared\\sqlwriter.exe", "", "SQL Server VSS Writer - 64 Bit", "services.exe", ws_mb=6, threads=2, handles=120),
    Proc("sqlcm", "sqlservr.exe", "C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe", "-sMSSQLSERVER", "SQL Server Windows NT - 64 Bit", "services.exe", ws_mb=16000, threads=180, handles=3000),
    Proc("cm", "smsexec.exe", "D:\\Program Files\\Microsoft Configuration Manager\\bin\\x64\\smsexec.exe", "", "SMS Executive", "services.exe", ws_mb=700, threads=600, handles=9000),
    Proc("cm", "sitecomp.exe", "D:\\Program Files\\Microsoft Configuration Manager\\bin\\x64\\sitecomp.exe", "", "Site Component Manager", "services.exe", ws_mb=30, threads=12, handles=300),
    Proc("web", "w3wp.exe", "C:\\Windows\\System32\\inetsrv\\w3wp.exe", "-ap \"DefaultAppPool\" -v \"v4.0\" -l \"webengine4.dll\" -a \\\\.\\pipe\\iisipm1a2b3c4d -h \"C:\\inetpub\\temp\\apppools\\DefaultAppPool\\DefaultAppPool.config\" -w \"\" -m 0 -t 20 -ta 0", "IIS Worker Process", "svchost.exe", lo=1, hi=4, start="any", ws_mb=200, threads=30, handles=900),
    Proc("dc", "dns.exe", _S32 + "dns.exe", "", "Domain Name System (DNS) Server", "services.exe", ws_mb=90, threads=30, handles=10000),
    Proc("dc", "dfsrs.exe", _S32 + "dfsrs.exe", "", "Distributed File System Replication", "services.exe", ws_mb=30, threads=20, handles=700),
    Proc("dc", "ismserv.exe", _S32 + "ismserv.exe", "", "Windows NT Intersite Messaging Service", "services.exe", ws_mb=6, threads=6, handles=150),
    Proc("dc", "Microsoft.ActiveDirectory.WebServices.exe", "C:\\Windows\\ADWS\\Microsoft.ActiveDirectory.WebServices.exe", "", "Microsoft.ActiveDirectory.WebServices", "services.exe", ws_mb=60, threads=12, handles=500),
    Proc("rds", "rdpclip.exe", _S32 + "rdpclip.exe", "", "RDP Clipboard Monitor", "svchost.exe", lo=5, hi=25, start="any", session=2, ws_mb=9, threads=6, handles=200),
    Proc("fs", "dfsrs.exe", _S32 + "dfsrs.exe", "", "Distributed File System Replication", "services.exe", ws_mb=40, threads=20, handles=800),
    Proc("anyconnect", "vpnagent.exe", "C:\\Program Files (x86)\\Cisco\\Cisco Secure Client\\vpnagent.exe", "", "Cisco Secure Client - AnyConnect VPN Agent", "services.exe", ws_mb=14, threads=14, handles=500),
    Proc("anyconnect", "csc_ui.exe", "C:\\Program Files (x86)\\Cisco\\Cisco Secure Client\\UI\\csc_ui.exe", "-minimized", "Cisco Secure Client User Interface", "explorer.exe", start="logon", session=1, ws_mb=30, threads=20, handles=500),
    Proc("ime", "Microsoft.Management.Services.IntuneWindowsAgent.exe", "C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Microsoft.Management.Services.IntuneWindowsAgent.exe", "", "IntuneWindowsAgent", "services.exe", ws_mb=80, threads=25, handles=800),
    Proc("uht", "uhssvc.exe", "C:\\Program Files\\Microsoft Update Health Tools\\uhssvc.exe", "", "Microsoft Update Health Service", "services.exe", ws_mb=5, threads=4, handles=130),
    Proc("java", "jusched.exe", "C:\\Program Files (x86)\\Common Files\\Java\\Java Update\\jusched.exe", "", "Java Update Scheduler", "explorer.exe", start="logon", session=1, ws_mb=8, threads=3, handles=180),
    Proc("reader", "Acrobat.exe", "C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe", "\"C:\\Users\\{user}\\Downloads\\Invoice 20431.pdf\"", "Adobe Acrobat", "explorer.exe", start="any", session=1, ws_mb=150, threads=40, handles=900),
)

# svchost instances: the service groups a Windows 10/11 device runs (each one svchost.exe).
SVCHOST_GROUPS: tuple[str, ...] = tuple(
    "-k " + s for s in (
        "DcomLaunch -p", "RPCSS -p", "DcomLaunch -p -s LSM", "netsvcs -p -s gpsvc", "netsvcs -p -s Schedule",
        "netsvcs -p -s ProfSvc", "netsvcs -p -s UserManager", "netsvcs -p -s Winmgmt", "netsvcs -p -s Themes",
        "netsvcs -p -s SENS", "netsvcs -p -s ShellHWDetection", "netsvcs -p -s iphlpsvc", "netsvcs -p -s BITS",
        "netsvcs -p -s lfsvc", "netsvcs -p -s wlidsvc", "netsvcs -p -s IKEEXT", "netsvcs -p -s SessionEnv",
        "netsvcs -p -s wuauserv", "netsvcs -p -s UsoSvc", "netsvcs -p -s Appinfo", "netsvcs -p -s TokenBroker",
        "netsvcs -p -s DsmSvc", "netsvcs -p -s NlaSvc", "netsvcs -p -s CertPropSvc", "netsvcs -s DeviceAssociationService",
        "LocalServiceNetworkRestricted -p -s Dhcp", "LocalServiceNetworkRestricted -p -s EventLog",
        "LocalServiceNetworkRestricted -p -s lmhosts", "LocalServiceNetworkRestricted -p -s AudioSrv",
        "LocalServiceNetworkRestricted -p -s WinHttpAutoProxySvc", "LocalServiceNetworkRestricted -p -s wscsvc",
        "NetworkService -p -s Dnscache", "NetworkService -p -s NlaSvc", "NetworkService -p -s CryptSvc",
        "NetworkService -p -s LanmanWorkstation", "NetworkService -p -s WinRM", "NetworkService -p -s TermService",
        "LocalService -p -s nsi", "LocalService -p -s W32Time", "LocalService -p -s FontCache",
        "LocalService -p -s EventSystem", "LocalService -p -s netprofm", "LocalService -p -s BthAvctpSvc",
        "LocalService -p -s CDPSvc", "LocalService -p -s DispBrokerDesktopSvc", "LocalService -s LicenseManager",
        "LocalSystemNetworkRestricted -p -s SysMain", "LocalSystemNetworkRestricted -p -s TrkWks",
        "LocalSystemNetworkRestricted -p -s UmRdpService", "LocalSystemNetworkRestricted -p -s PcaSvc",
        "LocalSystemNetworkRestricted -p -s hidserv", "LocalSystemNetworkRestricted -p -s DeviceAssociationService",
        "LocalSystemNetworkRestricted -p -s NcbService", "LocalSystemNetworkRestricted -p -s WdiSystemHost",
        "LocalServiceNoNetworkFirewall -p", "LocalServiceNoNetwork -p", "LocalServiceAndNoImpersonation -p -s SSDPSRV",
        "appmodel -p -s StateRepository", "appmodel -p -s camsvc", "wsappx -p -s AppXSvc", "wsappx -p -s ClipSVC",
        "ClipboardSvcGroup -p -s cbdhsvc", "UnistackSvcGroup -s CDPUserSvc", "UnistackSvcGroup -s WpnUserService",
        "UnistackSvcGroup -s OneSyncSvc", "UnistackSvcGroup -s PimIndexMaintenanceSvc", "UnistackSvcGroup -s UnistoreSvc",
        "UnistackSvcGroup -s UserDataSvc", "DevicesFlow -s DevicesFlowUserSvc", "PrintWorkflow -s PrintWorkflowUserSvc",
        "utcsvc -p", "imgsvc", "WbioSvcGroup", "smphost", "swprv", "defragsvc", "rdxgroup", "ICService -p",
        "NetSvcs -p -s DoSvc", "NetworkService -p -s DoSvc", "RPCSS -p -s RpcEptMapper", "LocalSystemNetworkRestricted -p -s StorSvc",
        "netsvcs -p -s SstpSvc", "netsvcs -p -s RasMan", "netsvcs -p -s WpnService", "netsvcs -p -s InstallService",
        "netsvcs -p -s Browser", "netsvcs -p -s LanmanServer", "LocalService -p -s WdiServiceHost",
        "LocalSystemNetworkRestricted -p -s wlansvc", "LocalSystemNetworkRestricted -p -s WlanSvc",
    )
)
SVCHOST = ("svchost.exe", _S32 + "svchost.exe", "Host Process for Windows Services")

# fmt: on
