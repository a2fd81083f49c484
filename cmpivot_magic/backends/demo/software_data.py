"""The software of the simulated estate: installed products with their version spread, the
executables users run, and the Windows updates (installed and missing) of each OS build.

Plain data consumed by ``fleet.py`` (who has what) and ``gen_software.py`` (the tables).
``Product.where`` narrows a product to part of the fleet: ``vendor:<manufacturer>``,
``role:<server role>``, ``hypervisor:<firmware family>``, ``dept:<department>`` or ``os:<build>``.
"""

from __future__ import annotations

from dataclasses import dataclass

# fmt: off


@dataclass(frozen=True)
class Product:
    key: str
    publisher: str
    versions: tuple[tuple[str, str, float], ...]  # (ProductName, ProductVersion, weight), newest first
    workstation: float                           # share of workstations that have it
    server: float                                # share of servers that have it
    location: str
    msi: bool = True
    evergreen: bool = False                      # updates itself: installed (updated) recently
    where: str | None = None


def _same(name: str, *versions: tuple[str, float]) -> tuple[tuple[str, str, float], ...]:
    return tuple((name, v, w) for v, w in versions)


_VC = "Microsoft Visual C++ 2015-2022 Redistributable"
_PF = "C:\\Program Files\\"
_PF86 = "C:\\Program Files (x86)\\"

PRODUCTS: tuple[Product, ...] = (
    Product("configmgr", "Microsoft Corporation", (), 1.0, 1.0, "C:\\Windows\\CCM\\"),  # versions from the client
    Product("policyplatform", "Microsoft Corporation", _same("Microsoft Policy Platform", ("68.1.1010.0", 1.0)), 1.0, 1.0, _PF + "Microsoft Policy Platform\\"),
    Product("m365", "Microsoft Corporation", _same("Microsoft 365 Apps for enterprise - en-us", ("16.0.17928.20156", 0.3), ("16.0.17726.20206", 0.3), ("16.0.17531.20190", 0.2), ("16.0.16731.20716", 0.15), ("16.0.16130.20868", 0.05)), 0.93, 0.0, _PF + "Microsoft Office", msi=False, evergreen=True),
    Product("m365-rds", "Microsoft Corporation", _same("Microsoft 365 Apps for enterprise - en-us", ("16.0.16731.20716", 0.7), ("16.0.16130.20868", 0.3)), 0.0, 0.0, _PF + "Microsoft Office", msi=False, where="role:RDS"),
    Product("edge", "Microsoft Corporation", _same("Microsoft Edge", ("131.0.2903.51", 0.35), ("130.0.2849.68", 0.33), ("129.0.2792.79", 0.2), ("127.0.2651.105", 0.08), ("118.0.2088.76", 0.04)), 1.0, 0.92, _PF86 + "Microsoft\\Edge\\Application", msi=False, evergreen=True),
    Product("webview2", "Microsoft Corporation", _same("Microsoft Edge WebView2 Runtime", ("131.0.2903.51", 0.4), ("130.0.2849.68", 0.35), ("129.0.2792.79", 0.25)), 1.0, 0.6, _PF86 + "Microsoft\\EdgeWebView\\Application", msi=False, evergreen=True),
    Product("chrome", "Google LLC", _same("Google Chrome", ("131.0.6778.86", 0.35), ("130.0.6723.117", 0.28), ("129.0.6668.101", 0.15), ("126.0.6478.127", 0.1), ("118.0.5993.118", 0.07), ("109.0.5414.120", 0.05)), 0.55, 0.1, _PF + "Google\\Chrome\\Application", evergreen=True),
    Product("firefox", "Mozilla", (("Mozilla Firefox (x64 en-US)", "132.0.2", 0.4), ("Mozilla Firefox (x64 en-US)", "131.0.3", 0.3), ("Mozilla Firefox ESR (x64 en-US)", "128.4.0", 0.3)), 0.15, 0.02, _PF + "Mozilla Firefox", msi=False, evergreen=True),
    Product("7zip", "Igor Pavlov", (("7-Zip 24.08 (x64)", "24.08", 0.4), ("7-Zip 23.01 (x64)", "23.01", 0.33), ("7-Zip 19.00 (x64)", "19.00", 0.2), ("7-Zip 9.20 (x64 edition)", "9.20.00.0", 0.07)), 0.45, 0.35, _PF + "7-Zip\\"),
    Product("reader", "Adobe", (("Adobe Acrobat (64-bit)", "24.004.20220", 0.35), ("Adobe Acrobat (64-bit)", "24.003.20180", 0.25), ("Adobe Acrobat (64-bit)", "23.008.20470", 0.18), ("Adobe Acrobat Reader DC", "21.001.20155", 0.12), ("Adobe Acrobat Reader DC", "15.007.20033", 0.1)), 0.75, 0.05, _PF + "Adobe\\Acrobat DC\\"),
    Product("zoom", "Zoom Video Communications, Inc.", _same("Zoom (64-bit)", ("6.2.47495", 0.35), ("6.1.43196", 0.3), ("5.17.34827", 0.2), ("5.13.11216", 0.15)), 0.35, 0.0, _PF + "Zoom\\bin\\"),
    Product("java8", "Oracle Corporation", (("Java 8 Update 431 (64-bit)", "8.0.4310.10", 0.2), ("Java 8 Update 421 (64-bit)", "8.0.4210.9", 0.2), ("Java 8 Update 401 (64-bit)", "8.0.4010.10", 0.18), ("Java 8 Update 351 (64-bit)", "8.0.3510.10", 0.15), ("Java 8 Update 281 (64-bit)", "8.0.2810.9", 0.12), ("Java 8 Update 202 (64-bit)", "8.0.2020.8", 0.1), ("Java 8 Update 45 (64-bit)", "8.0.450.15", 0.05)), 0.22, 0.15, _PF + "Java\\jre1.8.0\\"),
    Product("vc2022x64", "Microsoft Corporation", ((f"{_VC} (x64) - 14.40.33810", "14.40.33810.0", 0.4), (f"{_VC} (x64) - 14.38.33135", "14.38.33135.0", 0.3), (f"{_VC} (x64) - 14.36.32532", "14.36.32532.0", 0.2), (f"{_VC} (x64) - 14.32.31332", "14.32.31332.0", 0.1)), 0.96, 0.9, "", msi=False),
    Product("vc2022x86", "Microsoft Corporation", ((f"{_VC} (x86) - 14.40.33810", "14.40.33810.0", 0.4), (f"{_VC} (x86) - 14.38.33135", "14.38.33135.0", 0.3), (f"{_VC} (x86) - 14.36.32532", "14.36.32532.0", 0.2), (f"{_VC} (x86) - 14.32.31332", "14.32.31332.0", 0.1)), 0.9, 0.7, "", msi=False),
    Product("vc2013", "Microsoft Corporation", _same("Microsoft Visual C++ 2013 Redistributable (x64) - 12.0.40664", ("12.0.40664.0", 1.0)), 0.5, 0.5, "", msi=False),
    Product("vc2010", "Microsoft Corporation", _same("Microsoft Visual C++ 2010  x64 Redistributable - 10.0.40219", ("10.0.40219", 1.0)), 0.35, 0.4, ""),
    Product("vc2008", "Microsoft Corporation", _same("Microsoft Visual C++ 2008 Redistributable - x86 9.0.30729.6161", ("9.0.30729.6161", 1.0)), 0.25, 0.3, ""),
    Product("teamsmwi", "Microsoft Corporation", _same("Teams Machine-Wide Installer", ("1.7.0.13456", 0.5), ("1.6.0.27573", 0.3), ("1.5.0.30767", 0.2)), 0.55, 0.0, _PF86 + "Teams Installer\\"),
    Product("onedrive", "Microsoft Corporation", _same("Microsoft OneDrive", ("24.201.1006.0005", 0.4), ("24.180.0905.0004", 0.35), ("23.226.1031.0001", 0.25)), 0.95, 0.05, _PF + "Microsoft OneDrive\\", msi=False, evergreen=True),
    Product("notepadpp", "Notepad++ Team", _same("Notepad++ (64-bit x64)", ("8.6.9", 0.3), ("8.5.8", 0.3), ("8.4.2", 0.2), ("7.9.5", 0.2)), 0.2, 0.3, _PF + "Notepad++", msi=False),
    Product("vlc", "VideoLAN", _same("VLC media player", ("3.0.21", 0.5), ("3.0.20", 0.3), ("3.0.18", 0.2)), 0.18, 0.0, _PF + "VideoLAN\\VLC", msi=False),
    Product("anyconnect", "Cisco Systems, Inc.", (("Cisco Secure Client - AnyConnect VPN ", "5.1.4.74", 0.55), ("Cisco AnyConnect Secure Mobility Client ", "4.10.07073", 0.45)), 0.62, 0.0, _PF86 + "Cisco\\Cisco Secure Client\\"),
    Product("ime", "Microsoft Corporation", _same("Microsoft Intune Management Extension", ("1.83.107.0", 0.6), ("1.82.104.0", 0.4)), 0.72, 0.0, _PF86 + "Microsoft Intune Management Extension\\"),
    Product("uht", "Microsoft Corporation", _same("Microsoft Update Health Tools", ("5.72.0.0", 0.4), ("3.74.0.0", 0.6)), 0.9, 0.0, _PF + "Microsoft Update Health Tools\\"),
    Product("laps", "Microsoft Corporation", _same("Local Administrator Password Solution", ("6.2.0.0", 1.0)), 0.2, 0.3, _PF + "LAPS\\"),
    Product("silverlight", "Microsoft Corporation", _same("Microsoft Silverlight", ("5.1.50918.0", 1.0)), 0.03, 0.01, _PF + "Microsoft Silverlight\\"),
    Product("snagit", "TechSmith Corporation", (("Snagit 2024", "24.1.0", 0.6), ("Snagit 2022", "22.1.2", 0.4)), 0.06, 0.0, _PF + "TechSmith\\Snagit 2024\\"),
    Product("powerbi", "Microsoft Corporation", _same("Microsoft Power BI Desktop (x64)", ("2.137.1102.0", 0.6), ("2.130.930.0", 0.4)), 0.5, 0.0, _PF + "Microsoft Power BI Desktop\\", where="dept:Finance"),
    Product("ssms", "Microsoft Corporation", (("SQL Server Management Studio", "20.2.30.0", 0.5), ("Microsoft SQL Server Management Studio - 19.3", "19.3.4.0", 0.5)), 0.03, 0.12, _PF86 + "Microsoft SQL Server Management Studio 20\\", msi=False),
    Product("sql", "Microsoft Corporation", (("Microsoft SQL Server 2022 (64-bit)", "16.0.1000.6", 0.5), ("Microsoft SQL Server 2019 (64-bit)", "15.0.2000.5", 0.5)), 0.0, 0.0, _PF + "Microsoft SQL Server\\", msi=False, where="role:SQL"),
    Product("sqlcm", "Microsoft Corporation", _same("Microsoft SQL Server 2019 (64-bit)", ("15.0.2000.5", 1.0)), 0.0, 0.0, _PF + "Microsoft SQL Server\\", msi=False, where="role:CM"),
    Product("cmconsole", "Microsoft Corporation", _same("Microsoft Endpoint Configuration Manager Console", ("5.2403.1171.1000", 1.0)), 0.0, 0.0, _PF86 + "Microsoft Endpoint Manager\\AdminConsole\\", where="dept:IT"),
    Product("git", "The Git Development Community", _same("Git", ("2.47.0", 0.5), ("2.46.0", 0.3), ("2.43.0", 0.2)), 0.35, 0.0, _PF + "Git\\", msi=False, where="dept:Engineering"),
    Product("python", "Python Software Foundation", (("Python 3.12.7 (64-bit)", "3.12.7150.0", 0.6), ("Python 3.11.9 (64-bit)", "3.11.9150.0", 0.4)), 0.25, 0.0, "", msi=False, where="dept:Engineering"),
    Product("vscode", "Microsoft Corporation", _same("Microsoft Visual Studio Code", ("1.95.3", 0.5), ("1.94.2", 0.3), ("1.90.0", 0.2)), 0.12, 0.03, _PF + "Microsoft VS Code\\", msi=False, evergreen=True),
    Product("webex", "Cisco Webex LLC", _same("Webex", ("44.10.0.30906", 0.7), ("43.12.0.27949", 0.3)), 0.08, 0.0, "", where=None),
    Product("citrix", "Citrix Systems, Inc.", (("Citrix Workspace 2409", "24.9.0.225", 0.5), ("Citrix Workspace 2311", "23.11.0.132", 0.5)), 0.15, 0.0, _PF86 + "Citrix\\ICA Client\\", msi=False),
    Product("dcu", "Dell Inc.", _same("Dell Command | Update for Windows Universal", ("5.4.0", 0.7), ("4.9.0", 0.3)), 0.85, 0.5, _PF + "Dell\\CommandUpdate\\", where="vendor:Dell Inc."),
    Product("hpsa", "HP Inc.", _same("HP Support Assistant", ("9.33.19.0", 0.6), ("9.26.36.0", 0.4)), 0.8, 0.0, _PF86 + "HP\\HP Support Framework\\", msi=False, where="vendor:HP"),
    Product("lenovo", "Lenovo Group Ltd.", _same("Lenovo System Update", ("5.08.02.25", 0.6), ("5.07.0140", 0.4)), 0.8, 0.0, _PF86 + "Lenovo\\System Update\\", msi=False, where="vendor:LENOVO"),
    Product("vmtools", "VMware, Inc.", _same("VMware Tools", ("12.4.0.23259341", 0.6), ("12.1.5.20735119", 0.4)), 1.0, 1.0, _PF + "VMware\\VMware Tools\\", where="hypervisor:vmware"),
    Product("arc", "Microsoft Corporation", _same("Azure Connected Machine Agent", ("1.47.02903.1893", 1.0)), 0.0, 0.3, _PF + "AzureConnectedMachineAgent\\"),
    Product("odbc17", "Microsoft Corporation", _same("Microsoft ODBC Driver 17 for SQL Server", ("17.10.6.1", 1.0)), 0.08, 0.3, ""),
    Product("pchealth", "Microsoft Corporation", _same("Windows PC Health Check", ("3.6.2204.08001", 1.0)), 0.3, 0.0, _PF + "PCHealthCheck\\", where="os:19045"),
    Product("urlrewrite", "Microsoft Corporation", _same("IIS URL Rewrite Module 2", ("7.2.1993", 1.0)), 0.0, 0.0, "", where="role:WEB"),
    Product("webdeploy", "Microsoft Corporation", _same("Microsoft Web Deploy 4.0", ("10.0.1994", 1.0)), 0.0, 0.0, _PF + "IIS\\Microsoft Web Deploy V3\\", where="role:WEB"),
)


@dataclass(frozen=True)
class UsedApp:
    """An executable CCMRecentlyUsedApplications records (``product`` = required product key)."""

    exe: str
    company: str
    product_name: str
    description: str
    folder: str
    size: int
    product: str | None
    share: float          # of devices that have the product, how many used it lately


USED_APPS: tuple[UsedApp, ...] = (
    UsedApp("msedge.exe", "Microsoft Corporation", "Microsoft Edge", "Microsoft Edge", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\", 4_226_432, "edge", 0.92),
    UsedApp("OUTLOOK.EXE", "Microsoft Corporation", "Microsoft Outlook", "Microsoft Outlook", "C:\\Program Files\\Microsoft Office\\root\\Office16\\", 42_136_960, "m365", 0.95),
    UsedApp("WINWORD.EXE", "Microsoft Corporation", "Microsoft Office", "Microsoft Word", "C:\\Program Files\\Microsoft Office\\root\\Office16\\", 1_650_016, "m365", 0.85),
    UsedApp("EXCEL.EXE", "Microsoft Corporation", "Microsoft Office", "Microsoft Excel", "C:\\Program Files\\Microsoft Office\\root\\Office16\\", 70_345_040, "m365", 0.8),
    UsedApp("POWERPNT.EXE", "Microsoft Corporation", "Microsoft Office", "Microsoft PowerPoint", "C:\\Program Files\\Microsoft Office\\root\\Office16\\", 1_886_048, "m365", 0.5),
    UsedApp("ONENOTE.EXE", "Microsoft Corporation", "Microsoft OneNote", "Microsoft OneNote", "C:\\Program Files\\Microsoft Office\\root\\Office16\\", 2_947_400, "m365", 0.25),
    UsedApp("ms-teams.exe", "Microsoft Corporation", "Microsoft Teams", "Microsoft Teams", "C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\", 2_113_960, "m365", 0.75),
    UsedApp("Teams.exe", "Microsoft Corporation", "Microsoft Teams", "Microsoft Teams", "C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Teams\\current\\", 129_345_952, "teamsmwi", 0.6),
    UsedApp("chrome.exe", "Google LLC", "Google Chrome", "Google Chrome", "C:\\Program Files\\Google\\Chrome\\Application\\", 3_027_496, "chrome", 0.8),
    UsedApp("firefox.exe", "Mozilla Corporation", "Firefox", "Firefox", "C:\\Program Files\\Mozilla Firefox\\", 675_360, "firefox", 0.7),
    UsedApp("Zoom.exe", "Zoom Video Communications, Inc.", "Zoom Meetings", "Zoom Meetings", "C:\\Program Files\\Zoom\\bin\\", 416_680, "zoom", 0.6),
    UsedApp("Acrobat.exe", "Adobe Systems Incorporated", "Adobe Acrobat", "Adobe Acrobat", "C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\", 6_817_280, "reader", 0.7),
    UsedApp("7zFM.exe", "Igor Pavlov", "7-Zip", "7-Zip File Manager", "C:\\Program Files\\7-Zip\\", 1_039_360, "7zip", 0.3),
    UsedApp("notepad++.exe", "Don HO don.h@free.fr", "Notepad++", "Notepad++", "C:\\Program Files\\Notepad++\\", 6_497_072, "notepadpp", 0.6),
    UsedApp("vlc.exe", "VideoLAN", "VLC media player", "VLC media player", "C:\\Program Files\\VideoLAN\\VLC\\", 980_720, "vlc", 0.4),
    UsedApp("Code.exe", "Microsoft Corporation", "Visual Studio Code", "Visual Studio Code", "C:\\Program Files\\Microsoft VS Code\\", 158_425_896, "vscode", 0.8),
    UsedApp("PBIDesktop.exe", "Microsoft Corporation", "Microsoft Power BI Desktop", "Microsoft Power BI Desktop", "C:\\Program Files\\Microsoft Power BI Desktop\\bin\\", 3_620_040, "powerbi", 0.7),
    UsedApp("Ssms.exe", "Microsoft Corporation", "SQL Server Management Studio", "SSMS 20", "C:\\Program Files (x86)\\Microsoft SQL Server Management Studio 20\\Common7\\IDE\\", 1_114_456, "ssms", 0.6),
    UsedApp("Microsoft.ConfigurationManagement.exe", "Microsoft Corporation", "Microsoft Endpoint Configuration Manager", "Configuration Manager Console", "C:\\Program Files (x86)\\Microsoft Endpoint Manager\\AdminConsole\\bin\\", 2_361_848, "cmconsole", 0.8),
    UsedApp("SelfService.exe", "Citrix Systems, Inc.", "Citrix Workspace", "Citrix Workspace", "C:\\Program Files (x86)\\Citrix\\ICA Client\\SelfServicePlugin\\", 4_982_344, "citrix", 0.5),
    UsedApp("csc_ui.exe", "Cisco Systems, Inc.", "Cisco Secure Client", "Cisco Secure Client User Interface", "C:\\Program Files (x86)\\Cisco\\Cisco Secure Client\\UI\\", 1_598_520, "anyconnect", 0.5),
    UsedApp("SnagitEditor.exe", "TechSmith Corporation", "Snagit", "Snagit Editor", "C:\\Program Files\\TechSmith\\Snagit 2024\\", 10_563_728, "snagit", 0.7),
    UsedApp("mstsc.exe", "Microsoft Corporation", "Microsoft® Windows® Operating System", "Remote Desktop Connection", "C:\\Windows\\System32\\", 1_396_736, None, 0.2),
    UsedApp("notepad.exe", "Microsoft Corporation", "Microsoft® Windows® Operating System", "Notepad", "C:\\Windows\\System32\\", 201_216, None, 0.35),
    UsedApp("mmc.exe", "Microsoft Corporation", "Microsoft® Windows® Operating System", "Microsoft Management Console", "C:\\Windows\\System32\\", 2_067_456, None, 0.08),
    UsedApp("powershell.exe", "Microsoft Corporation", "Microsoft® Windows® Operating System", "Windows PowerShell", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\", 455_680, None, 0.12),
    UsedApp("SnippingTool.exe", "Microsoft Corporation", "Microsoft® Windows® Operating System", "Snipping Tool", "C:\\Windows\\System32\\", 3_034_112, None, 0.2),
    UsedApp("Taskmgr.exe", "Microsoft Corporation", "Microsoft® Windows® Operating System", "Task Manager", "C:\\Windows\\System32\\", 1_612_800, None, 0.1),
)


# Cumulative updates per OS build: (UBR, KB, month), oldest first. A device at a UBR below the
# newest misses the newest CU (earlier ones are superseded and no longer applicable).
CUMULATIVE_UPDATES: dict[str, tuple[tuple[int, str, str], ...]] = {
    "26100": ((1742, "5043080", "2024-09"), (2033, "5044284", "2024-10"), (2314, "5046617", "2024-11"), (2605, "5048667", "2024-12"), (2894, "5050009", "2025-01"), (3194, "5051987", "2025-02")),
    "22631": ((3880, "5040442", "2024-07"), (4037, "5041585", "2024-08"), (4169, "5043076", "2024-09"), (4317, "5044285", "2024-10"), (4460, "5046633", "2024-11"), (4602, "5048685", "2024-12"), (4751, "5050021", "2025-01"), (5039, "5053602", "2025-03")),
    "22621": ((3737, "5039212", "2024-06"), (4037, "5041585", "2024-08"), (4317, "5044285", "2024-10"), (4602, "5048685", "2024-12")),
    "19045": ((4529, "5039211", "2024-06"), (4780, "5041580", "2024-08"), (5011, "5044273", "2024-10"), (5131, "5046613", "2024-11"), (5247, "5048652", "2024-12"), (5371, "5049981", "2025-01"), (5487, "5051974", "2025-02"), (5608, "5053606", "2025-03"), (5737, "5055518", "2025-04")),
    "19044": ((2965, "5026361", "2023-05"), (3086, "5027215", "2023-06"), (4291, "5036892", "2024-04"), (4651, "5040427", "2024-07")),
    "19042": ((1706, "5013942", "2022-05"), (2006, "5017308", "2022-09"), (2965, "5026361", "2023-05")),
    "18363": ((1556, "5003169", "2021-05"), (2212, "5013945", "2022-05")),
    "17763": ((5936, "5039217", "2024-06"), (6054, "5040430", "2024-07"), (6189, "5041578", "2024-08"), (6293, "5043050", "2024-09"), (6414, "5044277", "2024-10")),
    "17134": ((1967, "4598245", "2021-01"), (2208, "5003174", "2021-05")),
    "20348": ((2527, "5039227", "2024-06"), (2655, "5041160", "2024-08"), (2762, "5044281", "2024-10"), (2849, "5046616", "2024-11"), (2966, "5048654", "2024-12"), (3091, "5049983", "2025-01")),
    "14393": ((6897, "5036899", "2024-04"), (7159, "5040434", "2024-07"), (7259, "5041773", "2024-08"), (7336, "5043051", "2024-09"), (7428, "5044293", "2024-10"), (7515, "5046612", "2024-11")),
    "9600": ((21620, "5030269", "2023-09"), (21668, "5031419", "2023-10")),
}

# The product name Windows Update titles use for each build.
UPDATE_PRODUCT: dict[str, str] = {
    "26100": "Windows 11 Version 24H2", "22631": "Windows 11 Version 23H2", "22621": "Windows 11 Version 22H2",
    "19045": "Windows 10 Version 22H2", "19044": "Windows 10 Version 21H2", "19042": "Windows 10 Version 20H2",
    "18363": "Windows 10 Version 1909", "17763": "Windows 10 Version 1809", "17134": "Windows 10 Version 1803",
    "20348": "Microsoft server operating system version 21H2", "14393": "Windows Server 2016",
    "9600": "Windows 8.1",
}

# Other applicable updates: (title, KB, category, share of devices missing it, reboot required).
OTHER_UPDATES: tuple[tuple[str, str, str, float, bool], ...] = (
    ("2024-11 Cumulative Update for .NET Framework 3.5, 4.8 and 4.8.1 for {product} for x64 (KB5046270)", "5046270", "Updates", 0.22, True),
    ("Windows Malicious Software Removal Tool x64 - v5.129 (KB890830)", "890830", "Update Rollups", 0.18, False),
    ("Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.421.1446.0)", "2267602", "Definition Updates", 0.1, False),
    ("Update for Microsoft Defender Antivirus antimalware platform - KB4052623 (Version 4.18.24090.11)", "4052623", "Definition Updates", 0.07, False),
    ("2024-10 Servicing Stack Update for {product} for x64-based Systems (KB5043125)", "5043125", "Updates", 0.05, False),
)
FEATURE_UPDATE = ("Windows 11, version 24H2", "5044284", "Upgrades")

# fmt: on
