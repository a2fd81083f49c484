"""Software entities: InstalledSoftware, CCMRecentlyUsedApplications, SoftwareUpdate,
QuickFixEngineering, Office inventory, browsers, Windows apps and optional / server features.

All read the fleet's product table (``Fleet.products``), so Chrome shows up in InstalledSoftware,
in recently used applications and as the default browser on the same devices, and a device's
missing cumulative update in SoftwareUpdate is the one after the UBR its OS reports.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .fleet import Fleet
from .generators import DAY, DEVICE, Draw, Request, generates
from .generic import F, Seq, W, fact, profile
from .randomness import hash_of
from .software_data import (
    CUMULATIVE_UPDATES,
    FEATURE_UPDATE,
    OTHER_UPDATES,
    PRODUCTS,
    UPDATE_PRODUCT,
    USED_APPS,
)


def stable_guid(*parts: object, braces: bool = True) -> str:
    h = hash_of(*parts)
    guid = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
    return f"{{{guid}}}" if braces else guid


@generates("InstalledSoftware")
def installed_software(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    rng = request.rng()
    parts = []
    for order, product in enumerate(PRODUCTS):
        chosen = fleet.products[product.key]
        dev = np.flatnonzero(chosen >= 0)
        if dev.size == 0:
            continue
        if product.key == "configmgr":
            known = sorted(set(fleet.client_version))
            versions = [("Configuration Manager Client", v, 1.0) for v in known]
            position = {v: i for i, v in enumerate(known)}
            index = np.array([position[v] for v in fleet.client_version[dev]])
        else:
            versions, index = list(product.versions), chosen[dev]
        location = (product.location or "C:\\Program Files\\").rstrip("\\") + "\\"
        table = pl.DataFrame({
            "ProductName": [v[0].strip() for v in versions],
            "ProductVersion": [v[1] for v in versions],
            "SoftwareCode": [stable_guid(product.key, v[1]) if product.msi else v[0].strip() for v in versions],
            "UninstallString": [f"MsiExec.exe /X{stable_guid(product.key, v[1])}" if product.msi
                                else f'"{location}uninstall.exe"' for v in versions],
            "PackageCode": [stable_guid(product.key, v[1], "package") if product.msi else None for v in versions],
            "VersionMajor": [_part(v[1], 0) for v in versions], "VersionMinor": [_part(v[1], 1) for v in versions],
        })[index]
        age_cap = np.minimum(fleet.install_age[dev], 45 * DAY if product.evergreen else fleet.install_age[dev])
        parts.append(table.with_columns(
            pl.Series(DEVICE, dev.astype(np.int32)), pl.lit(product.publisher).alias("Publisher"),
            pl.Series("InstallDate", (rng.random(dev.size) * age_cap).astype(np.int64) // DAY * DAY),
            pl.lit(product.location or None, pl.String).alias("InstalledLocation"),
            pl.lit("C:\\Windows\\ccmcache\\2z\\" if product.msi else None, pl.String).alias("InstallSource"),
            pl.lit(None, pl.String).alias("ProductID"), pl.col("ProductName").alias("ARPDisplayName"),
            pl.lit(1033, pl.Int64).alias("Language"), pl.lit(1 if product.msi else 0, pl.Int64).alias("InstallType"),
            pl.lit(stable_guid(product.key, "upgrade") if product.msi else None, pl.String).alias("UpgradeCode"),
            pl.lit(None, pl.String).alias("ServicePack"), pl.lit(None, pl.String).alias("RegisteredUser"),
            pl.lit(order).alias("_order"),
        ))
    frame = pl.concat(parts, how="diagonal_relaxed")
    return frame.sort([DEVICE, "_order"]).drop("_order")


def _part(version: str, index: int) -> int | None:
    pieces = version.split(".")
    try:
        return int(pieces[index])
    except (IndexError, ValueError):
        return None


@generates("CCMRecentlyUsedApplications")
def recently_used(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    rng = request.rng()
    has_user = fleet.sam != None  # noqa: E711 - elementwise
    parts = []
    users = np.array([f"CONTOSO\\{s}" if s else None for s in fleet.sam], dtype=object)
    for order, app in enumerate(USED_APPS):
        owned = fleet.has(app.product) if app.product else np.ones(fleet.n, dtype=bool)
        dev = np.flatnonzero(owned & has_user & (rng.random(fleet.n) < app.share))
        n = dev.size
        if n == 0:
            continue
        version = fleet.product_version(app.product)[dev] if app.product else np.array(
            [f"10.0.{b}.{u}" for b, u in zip(fleet.os_attr("build")[dev], fleet.ubr[dev], strict=True)], dtype=object)
        frequent = app.exe.lower() in ("msedge.exe", "outlook.exe", "ms-teams.exe", "teams.exe", "chrome.exe", "excel.exe")
        recent = rng.exponential(4 * 3600 if frequent else 5 * DAY, n)
        folder = [app.folder.replace("{user}", str(fleet.sam[d])) for d in dev] if "{user}" in app.folder else [app.folder] * n
        parts.append(pl.DataFrame({
            DEVICE: dev.astype(np.int32), "ExplorerFileName": [app.exe] * n, "FolderPath": folder,
            "LastUserName": users[dev].tolist(), "CompanyName": [app.company] * n, "ProductName": [app.product_name] * n,
            "ProductVersion": version.tolist(), "FileDescription": [app.description] * n, "FileVersion": version.tolist(),
            "FileSize": np.full(n, app.size, dtype=np.int64), "LastUsedTime": np.minimum(recent, 30 * DAY).astype(np.int64),
            "LaunchCount": rng.integers(1, 600 if frequent else 60, n), "OriginalFileName": [app.exe] * n,
            "ProductCode": [None] * n, "ProductLanguage": np.full(n, 1033), "msiDisplayName": [None] * n,
            "msiPublisher": [None] * n, "msiVersion": [None] * n, "AdditionalProductCodes": [None] * n,
            "FilePropertiesHash": [hash_of(app.exe, "props")] * n, "SoftwarePropertiesHash": [hash_of(app.exe, "sw")] * n,
            "_order": np.full(n, order),
        }))
    return pl.concat(parts, how="diagonal_relaxed").sort([DEVICE, "_order"]).drop("_order")


def _cu_title(build: str, kb: str, month: str) -> str:
    product = UPDATE_PRODUCT[build]
    return f"{month} Cumulative Update for {product} for x64-based Systems (KB{kb})"


@generates("SoftwareUpdate")
def software_update(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    rng = request.rng()
    build = fleet.os_attr("build").astype(str)
    parts = []
    missing_cu = ~fleet.patched
    for b, updates in CUMULATIVE_UPDATES.items():
        dev = np.flatnonzero(missing_cu & (build == b))
        if dev.size == 0:
            continue
        _, kb, month = updates[-1]
        product = UPDATE_PRODUCT[b]
        category = "Security Updates," + ("Windows Server 2016 and Later Servicing Drivers" if "server" in product.lower()
                                         or "Server" in product else product.split(" Version")[0])
        parts.append(_update_rows(dev, _cu_title(b, kb, month), kb, category, rng, reboot=False, age=(3, 40)))
    for title, kb, category, share, reboot in OTHER_UPDATES:
        dev = np.flatnonzero(rng.random(fleet.n) < share * (1.6 - fleet.hygiene))
        products = np.array([UPDATE_PRODUCT[b] for b in build[dev]], dtype=object)
        frame = _update_rows(dev, title, kb, category, rng, reboot=reboot, age=(1, 30))
        if "{product}" in title:
            frame = frame.with_columns(
                pl.Series("Title", [title.replace("{product}", p) for p in products], dtype=pl.String))
        parts.append(frame)
    upgrade = np.flatnonzero((build == "19045") & (rng.random(fleet.n) < 0.2))
    name, kb, category = FEATURE_UPDATE
    parts.append(_update_rows(upgrade, f"{name}", kb, category, rng, reboot=False, age=(10, 60)))
    return pl.concat(parts).sort(DEVICE, maintain_order=True)


def _update_rows(dev: np.ndarray, title: str, kb: str, category: str, rng: np.random.Generator, *, reboot: bool,
                 age: tuple[float, float]) -> pl.DataFrame:
    n = dev.size
    return pl.DataFrame({
        DEVICE: dev.astype(np.int32), "Title": [title] * n, "RebootRequired": [reboot] * n,
        "LastDeploymentChangeTime": (rng.uniform(age[0], age[1], n) * DAY).astype(np.int64),
        "UpdateID": [stable_guid("update", kb, title, braces=False).lower()] * n, "KBArticleIDs": [f"KB{kb}"] * n,
        "SecurityBulletinIDs": [""] * n, "Categories": [category] * n,
    }, schema_overrides={"Title": pl.String})


@generates("QuickFixEngineering")
def quick_fix(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    rng = request.rng()
    build = fleet.os_attr("build").astype(str)
    parts = []
    for b, updates in CUMULATIVE_UPDATES.items():
        levels = {ubr: (kb, month) for ubr, kb, month in updates}
        dev = np.flatnonzero(build == b)
        kbs = np.array([levels.get(int(u), updates[-1][1:])[0] for u in fleet.ubr[dev]], dtype=object)
        parts.append(_qfe(dev, kbs, "Security Update", rng, (1, 35), fleet))
    extras = (("5046270", "Update", 0.75), ("5043125", "Update", 0.6), ("5012170", "Security Update", 0.8),
              ("5034439", "Security Update", 0.5), ("5011048", "Update", 0.7), ("5031455", "Update", 0.4))
    for kb, description, share in extras:
        dev = np.flatnonzero(rng.random(fleet.n) < share)
        parts.append(_qfe(dev, np.full(dev.size, kb, dtype=object), description, rng, (20, 400), fleet))
    return pl.concat(parts).sort(DEVICE, maintain_order=True)


def _qfe(dev: np.ndarray, kbs: np.ndarray, description: str, rng: np.random.Generator, age: tuple[float, float],
         fleet: Fleet) -> pl.DataFrame:
    n = dev.size
    installed = np.minimum((rng.uniform(age[0], age[1], n) * DAY).astype(np.int64), fleet.install_age[dev])
    return pl.DataFrame({
        DEVICE: dev.astype(np.int32), "HotFixID": [f"KB{k}" for k in kbs], "Description": [description] * n,
        "Caption": [f"http://support.microsoft.com/?kbid={k}" for k in kbs], "InstalledBy": ["NT AUTHORITY\\SYSTEM"] * n,
        "InstalledOn": installed // DAY * DAY, "FixComments": [""] * n, "ServicePackInEffect": [""] * n,
        "Name": [None] * n, "Status": [None] * n,
    }, schema_overrides={"Name": pl.String, "Status": pl.String})


# ------------------------------------------------------------------------------- office & apps

_CHANNELS = {"16.0.16731.20716": "SemiAnnual", "16.0.16130.20868": "SemiAnnual", "16.0.17531.20190": "MonthlyEnterprise"}
_CHANNEL_URL = {"Current": "http://officecdn.microsoft.com/pr/492350f6-3a01-4f97-b9c0-c7c6ddf67d60",
                "MonthlyEnterprise": "http://officecdn.microsoft.com/pr/55336b82-a18d-4dd6-b5f6-9e5095c314a6",
                "SemiAnnual": "http://officecdn.microsoft.com/pr/7ffbc6bf-bc32-4f92-8982-f9dd17fd3114"}


def _office(fleet: Fleet) -> np.ndarray:
    return fleet.has("m365") | fleet.has("m365-rds")


def _office_version(d: Draw) -> np.ndarray:
    f = d.fleet
    version = np.where(f.has("m365"), f.product_version("m365"), f.product_version("m365-rds"))
    return d.of(version)


def _channel(d: Draw) -> np.ndarray:
    return np.array([_CHANNELS.get(str(v), "Current") for v in _office_version(d)], dtype=object)


profile("OfficeProductInfo", where=_office, ProductName="Microsoft 365 Apps for enterprise", ProductVersion=_office_version,
        Architecture="x64", Channel=_channel, IsProPlusInstalled=1, Language="en-us", LicenseState="Licensed")
profile("Office365ProPlusConfigurations", where=_office, KeyName="Configuration", VersionToReport=_office_version,
        cfgUpdateChannel=lambda d: np.array([_CHANNEL_URL[c] for c in _channel(d)], dtype=object),
        UpdateChannel=lambda d: np.array([_CHANNEL_URL[c] for c in _channel(d)], dtype=object), GPOChannel=None,
        Platform="x64", ClientCulture="en-us", ClientFolder="C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun",
        InstallationPath="C:\\Program Files\\Microsoft Office", CDNBaseUrl=lambda d: np.array([_CHANNEL_URL[c] for c in _channel(d)], dtype=object),
        UpdateUrl=None, UpdatePath=None, UpdatesEnabled="True", AutoUpgrade=None, CCMManaged=W(["True", "False"], [7, 3]),
        OfficeMgmtCOM="True", GPOOfficeMgmtCOM="True",
        SharedComputerLicensing=lambda d: np.where(d.of(d.fleet.role == "RDS"), "1", "0"),
        LastScenario="UPDATE", LastScenarioResult=W(["Success", "Failure"], [97, 3]))
profile("OfficeDeviceSummary", IsProPlusInstalled=lambda d: d.of(_office(d.fleet)), IsTelemetryEnabled=W([True, False], [3, 7]))
profile("OfficeAddin", where=_office, rows=(2, 5),
        ID=Seq(["TeamsAddin.FastConnect", "PDFMaker.OfficeAddin", "OneNote.OutlookAddin", "OutlookVBA.Addin", "ZoomOutlookAddin.Addin"]),
        FriendlyName=Seq(["Microsoft Teams Meeting Add-in for Microsoft Office", "Acrobat PDFMaker Office COM Addin",
                          "OneNote Notes about Outlook Items", "Microsoft VBA for Outlook Addin", "Zoom Outlook Plugin"]),
        Description=Seq(["Microsoft Teams Meeting Add-in for Microsoft Office", "Acrobat PDFMaker Office COM Addin",
                         "OneNote Notes about Outlook Items", "Microsoft VBA for Outlook Addin", "Zoom Outlook Plugin"]),
        OfficeApp=Seq(["Outlook", "Word", "Outlook", "Outlook", "Outlook"]), Type="COM", Architecture="x64",
        CompanyName=Seq(["Microsoft", "Adobe Systems, Incorporated", "Microsoft Corporation", "Microsoft Corporation", "Zoom Video Communications, Inc."]),
        LoadBehavior=3, LoadCount=lambda d: d.ints(5, 400), LoadFailCount=lambda d: np.where(d.chance(0.05), d.ints(1, 5), 0),
        CrashCount=0, ErrorCount=0, AverageLoadTimeInMilliseconds=lambda d: d.ints(20, 900))
profile("OfficeClientMetric", where=_office, rows=(3, 3), OfficeApp=Seq(["Outlook", "Word", "Excel"]),
        CompatibilityErrorCount=0, CrashedSessionCount=lambda d: np.where(d.chance(0.1), d.ints(1, 4), 0),
        MacroCompileErrorCount=0, MacroRuntimeErrorCount=0, SessionCount=lambda d: d.ints(5, 300))

_BROWSERS = (("Microsoft Edge", None), ("Google Chrome", "chrome"), ("Firefox", "firefox"))


@generates("BrowserUsage")
def browser_usage(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    rng = request.rng()
    weights = np.stack([np.ones(fleet.n) * 0.8] + [fleet.has(p) * rng.uniform(0.2, 3.0, fleet.n) for _, p in _BROWSERS[1:]], axis=1)
    weights = np.where(fleet.is_server[:, None] & (np.arange(3) > 0), 0, weights)
    share = np.round(100 * weights / weights.sum(axis=1, keepdims=True)).astype(np.int64)
    dev, idx = np.nonzero(share > 0)
    return pl.DataFrame({DEVICE: dev.astype(np.int32), "BrowserName": [_BROWSERS[i][0] for i in idx],
                         "UsagePercentage": share[dev, idx]})


profile("SMSDefaultBrowser", BrowserProgId=lambda d: np.where(
    d.of(d.fleet.has("chrome")) & d.chance(0.6), "ChromeHTML",
    np.where(d.of(d.fleet.has("firefox")) & d.chance(0.5), "FirefoxURL-308046B0AF4A39CB", "MSEdgeHTM")))

_APPX = (("Microsoft.WindowsCalculator", "11.2405.2.0", "Microsoft Corporation"), ("Microsoft.WindowsStore", "22409.1401.5.0", "Microsoft Corporation"),
         ("Microsoft.DesktopAppInstaller", "1.23.1911.0", "Microsoft Corporation"), ("Microsoft.Windows.Photos", "2024.11100.16010.0", "Microsoft Corporation"),
         ("MicrosoftWindows.Client.WebExperience", "424.1301.270.9", "Microsoft Windows"), ("Microsoft.YourPhone", "1.24092.211.0", "Microsoft Corporation"),
         ("Microsoft.ScreenSketch", "11.2409.25.0", "Microsoft Corporation"), ("Microsoft.WindowsTerminal", "1.21.2911.0", "Microsoft Corporation"),
         ("MSTeams", "24295.605.3225.8804", "Microsoft Corporation"), ("Microsoft.CompanyPortal", "11.2.1002.0", "Microsoft Corporation"))
profile("SMSWindows8Application", rows=(6, 10), where=lambda f: ~f.is_server,
        ApplicationName=Seq([a[0] for a in _APPX]), Version=Seq([a[1] for a in _APPX]), Publisher=Seq([a[2] for a in _APPX]),
        FullName=lambda d: np.char.add(np.char.add(np.array([a[0] for a in _APPX])[d.k % len(_APPX)], "_"),
                                       np.char.add(np.array([a[1] for a in _APPX])[d.k % len(_APPX)], "_x64__8wekyb3d8bbwe")),
        FamilyName=lambda d: np.char.add(np.array([a[0] for a in _APPX])[d.k % len(_APPX)], "_8wekyb3d8bbwe"),
        Architecture="X64", ConfigMgrManaged=False, DependencyApplicationNames=None, IsFramework=False,
        InstalledLocation=lambda d: np.char.add("C:\\Program Files\\WindowsApps\\", np.array([a[0] for a in _APPX])[d.k % len(_APPX)]),
        PublisherId="8wekyb3d8bbwe")
profile("SMSWindows8ApplicationUserInfo", rows=(6, 10), where=lambda f: f.sam != None,  # noqa: E711 - elementwise
        FullName=lambda d: np.char.add(np.array([a[0] for a in _APPX])[d.k % len(_APPX)], "_8wekyb3d8bbwe"),
        UserSecurityId=F("S-1-5-21-1004336348-1177238915-682003330-{num4}"), InstallState="Installed",
        UserAccountName=lambda d: np.char.add("CONTOSO\\", d.of(d.fleet.sam).astype(str)))
profile("SMSAdvancedClientState", rows=(8, 8), Name=Seq(["CcmFramework", "CcmPolicyAgent", "CcmSoftwareDistribution", "SmsInventory",
                                                       "SmsSoftwareUpdate", "SmsRemoteTools", "CcmRecentlyUsedApps", "SmsSoftwareMetering"]),
        DisplayName=Seq(["CCM Framework", "CCM Policy Agent", "CCM Software Distribution", "SMS Inventory Agent",
                         "SMS Software Updates Agent", "SMS Remote Tools Agent", "CCM Recently Used Apps Agent", "SMS Software Metering Agent"]),
        Version=fact("client_version"))
profile("SMSAdvancedClientPorts", InstanceKey="Ports", PortName=80, HttpsPortName=443)
profile("SMSAdvancedClientSSLConfigurations", InstanceKey="SSL", CertificateSelectionCriteria="", CertificateStore="",
        ClientAlwaysOnInternet=0, HttpsStateFlags=W([224, 31], [8, 2]), InternetMPHostName="cmg.contoso.com/CCM_Proxy_MutualAuth/72057594037927941",
        SelectFirstCertificate=1)
profile("SWLicensingProduct", ID=lambda d: np.where(d.of(d.fleet.is_server), "b3ca044e-a358-4d68-9883-aaa2941aca99", "73111121-5638-40f6-bc11-f1d7b0d64300"),
        ApplicationID="55c92734-d682-4d71-983e-d6ec3f16059f",
        Name=lambda d: np.char.add("Windows(R), ", np.char.add(d.of(d.fleet.edition).astype(str), " edition")),
        Description="Windows(R) Operating System, VOLUME_KMSCLIENT channel", LicenseStatus=W([1, 5], [98, 2]),
        GracePeriodRemaining=lambda d: d.ints(100_000, 259_200), EvaluationEndDate=None, PartialProductKey=F("{hex5}"),
        ProductKeyID=F("03612-03311-{num3}-{num6}-03-1033-22621.0000-{num7}"), MachineURL=None, ProcessorURL=None,
        ProductKeyURL=None, UseLicenseURL=None, OfflineInstallationId=None)
profile("SWLicensingService", Version=lambda d: np.char.add("10.0.", d.of(d.fleet.os_attr("build")).astype(str)),
        ClientMachineID=lambda d: np.array([stable_guid("cmid", n, braces=False) for n in d.of(d.fleet.name)], dtype=object),
        IsKeyManagementServiceMachine=0, KeyManagementServiceCurrentCount=lambda d: d.ints(25, 60),
        KeyManagementServiceMachine="kms.contoso.com", KeyManagementServiceProductKeyID=None,
        PolicyCacheRefreshRequired=0, RequiredClientCount=25, VLActivationInterval=120, VLRenewalInterval=10080)

_FEATURES = (("NetFx4-AdvSrvs", ".NET Framework 4.8 Advanced Services", None), ("NetFx3", ".NET Framework 3.5 (includes .NET 2.0 and 3.0)", 0.3),
             ("SMB1Protocol", "SMB 1.0/CIFS File Sharing Support", "smb1"), ("MicrosoftWindowsPowerShellV2", "Windows PowerShell 2.0 Engine", 0.6),
             ("Printing-PrintToPDFServices-Features", "Microsoft Print to PDF", None), ("TelnetClient", "Telnet Client", 0.05),
             ("Microsoft-Hyper-V-All", "Hyper-V", 0.03), ("WorkFolders-Client", "Work Folders Client", None),
             ("MSRDC-Infrastructure", "Remote Differential Compression API Support", None), ("SearchEngine-Client-Package", "Windows Search", None),
             ("MediaPlayback", "Media Features", None), ("Containers-DisposableClientVM", "Windows Sandbox", 0.04),
             ("Microsoft-Windows-Subsystem-Linux", "Windows Subsystem for Linux", 0.06), ("Internet-Explorer-Optional-amd64", "Internet Explorer 11", 0.2))


@generates("OptionalFeature")
def optional_feature(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    rng = request.rng()
    parts = []
    for order, (name, caption, enabled) in enumerate(_FEATURES):
        if enabled is None:
            on = np.ones(fleet.n, dtype=bool)
        elif enabled == "smb1":
            on = fleet.smb1 | fleet.ps4
        else:
            on = rng.random(fleet.n) < float(enabled)
        parts.append(pl.DataFrame({
            DEVICE: np.arange(fleet.n, dtype=np.int32), "Name": [name] * fleet.n, "Caption": [caption] * fleet.n,
            "Description": [caption] * fleet.n, "InstallState": np.where(on, 1, 2).astype(np.int64),
            "InstallDate": [None] * fleet.n, "Status": [None] * fleet.n, "_order": np.full(fleet.n, order),
        }, schema_overrides={"InstallDate": pl.Int64, "Status": pl.String}))
    return pl.concat(parts).sort([DEVICE, "_order"]).drop("_order")


_SERVER_FEATURES = ((481, ".NET Framework 4.8 Features", 0, "all"), (466, "Windows PowerShell", 0, "all"),
                    (487, "SMB 1.0/CIFS File Sharing Support", 0, "smb1"), (1003, "Microsoft Defender Antivirus", 0, "all"),
                    (10, "Active Directory Domain Services", 0, "DC"), (13, "DNS Server", 0, "DC"),
                    (2, "Web Server (IIS)", 0, "WEB"), (20, "Hyper-V", 0, "HV"), (18, "Remote Desktop Services", 0, "RDS"),
                    (16, "Active Directory Certificate Services", 0, "CA"), (482, "File and Storage Services", 0, "FS"),
                    (469, "Windows Deployment Services", 0, "DP"), (99, "Remote Server Administration Tools", 0, "CM"))


@generates("ServerFeature")
def server_feature(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    parts = []
    for order, (fid, name, parent, who) in enumerate(_SERVER_FEATURES):
        if who == "all":
            mask = fleet.is_server
        elif who == "smb1":
            mask = fleet.is_server & fleet.smb1
        else:
            mask = fleet.role == who
        dev = np.flatnonzero(mask)
        parts.append(pl.DataFrame({DEVICE: dev.astype(np.int32), "ID": np.full(dev.size, fid, dtype=np.int64),
                                   "Name": [name] * dev.size, "ParentID": np.full(dev.size, parent, dtype=np.int64),
                                   "_order": np.full(dev.size, order)}))
    return pl.concat(parts).sort([DEVICE, "_order"]).drop("_order")


@generates("InstalledExecutable")
def installed_executable(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    parts = []
    for order, app in enumerate(USED_APPS):
        if app.product is None or "{user}" in app.folder:
            continue
        dev = np.flatnonzero(fleet.has(app.product))
        n = dev.size
        version = fleet.product_version(app.product)[dev]
        parts.append(pl.DataFrame({
            DEVICE: dev.astype(np.int32), "ExecutableName": [app.exe] * n,
            "InstalledFilePath": [app.folder + app.exe] * n, "ProductCode": [stable_guid(app.product, "code")] * n,
            "Product": [app.product_name] * n, "ProductVersion": version.tolist(), "Publisher": [app.company] * n,
            "Description": [app.description] * n, "FileSize": np.full(n, app.size, dtype=np.int64),
            "Language": np.full(n, 1033, dtype=np.int64), "IsSystemFile": [False] * n, "IsVitalFile": [False] * n,
            "HasPatchAdded": [False] * n, "FileVersion": version.tolist(), "BinFileVersion": version.tolist(),
            "BinProductVersion": version.tolist(), "FilePropertiesHash": [hash_of(app.exe, "props")] * n,
            "FilePropertiesHashEx": [hash_of(app.exe, "propsex")] * n, "_order": np.full(n, order),
        }))
    return pl.concat(parts).sort([DEVICE, "_order"]).drop("_order")


profile("ClientEvents", rows=(0, 3), EventName=Seq(["ClientRepair", "CCMEvalFailure", "ClientUpgrade"]),
        Count=lambda d: d.ints(1, 6))
profile("WindowsUpdate", InstanceKey="WindowsUpdate", AUOptions=W([4, 3], [7, 3]), NoAutoUpdate=0, UseWUServer=1)
