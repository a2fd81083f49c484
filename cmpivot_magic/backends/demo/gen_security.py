"""People and security entities: users and profiles, local administrators, Defender and Entra ID
status, boot history, console use, and profiles for accounts, power, licensing and other settings.
(Network configuration, connections and shares are in ``gen_network.py``.)

User profiles come from one per-device table (``profiles``), which ``File`` also uses for paths
under ``C:\\Users``, so the users whose Teams.exe a file query finds are the device's profiles.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from . import windows_data as wd
from .fleet import Fleet
from .generators import DAY, DEVICE, Draw, Request, generates
from .generic import F, Seq, W, fact, profile
from .randomness import NULL, hex_strings, stream


def profiles(fleet: Fleet) -> pl.DataFrame:
    """User profiles per device: _dev, user (folder name), sid, special, last_use (age), loaded."""
    cached = fleet.memo.get("profiles")
    if isinstance(cached, pl.DataFrame):
        return cached
    rng = stream(fleet.seed, "security", "profiles")
    n = fleet.n
    frames = []
    for user, sid in (("systemprofile", "S-1-5-18"), ("LocalService", "S-1-5-19"), ("NetworkService", "S-1-5-20")):
        frames.append(pl.DataFrame({DEVICE: np.arange(n, dtype=np.int32), "user": [user] * n, "sid": [sid] * n,
                                    "special": [True] * n, "last_use": np.zeros(n, dtype=np.int64), "loaded": [True] * n}))
    primary = np.flatnonzero(fleet.sam != None)  # noqa: E711 - elementwise
    rid = rng.integers(1100, 9999, n)
    frames.append(pl.DataFrame({
        DEVICE: primary.astype(np.int32), "user": fleet.sam[primary].tolist(),
        "sid": [f"S-1-5-21-1004336348-1177238915-682003330-{r}" for r in rid[primary]], "special": [False] * primary.size,
        "last_use": rng.integers(0, 3600, primary.size), "loaded": [True] * primary.size,
    }))
    # People who used the device before: some profiles untouched for months.
    extra = rng.poisson(np.where(fleet.is_server, 1.5, 0.8), n)
    dev = np.repeat(np.arange(n), extra)
    first = np.array(wd.FIRST_NAMES)[rng.integers(0, len(wd.FIRST_NAMES), dev.size)]
    last = np.array(wd.LAST_NAMES)[rng.integers(0, len(wd.LAST_NAMES), dev.size)]
    names = [f"{f[0]}{s}".lower() for f, s in zip(first, last, strict=True)]
    names = [f"adm-{x}" if fleet.is_server[d] else x for x, d in zip(names, dev, strict=True)]
    frames.append(pl.DataFrame({
        DEVICE: dev.astype(np.int32), "user": names,
        "sid": [f"S-1-5-21-1004336348-1177238915-682003330-{r}" for r in rng.integers(1100, 9999, dev.size)],
        "special": [False] * dev.size, "last_use": (rng.exponential(60, dev.size) * DAY).astype(np.int64) + DAY,
        "loaded": [False] * dev.size,
    }))
    admin = np.flatnonzero(rng.random(n) < np.where(fleet.is_server, 0.6, 0.15))
    frames.append(pl.DataFrame({
        DEVICE: admin.astype(np.int32), "user": ["Administrator"] * admin.size,
        "sid": [f"S-1-5-21-{r}-500" for r in rng.integers(10**9, 4 * 10**9, admin.size)], "special": [False] * admin.size,
        "last_use": (rng.uniform(1, 400, admin.size) * DAY).astype(np.int64), "loaded": [False] * admin.size,
    }))
    frame = pl.concat(frames).sort(DEVICE, maintain_order=True)
    fleet.memo["profiles"] = frame
    return frame


@generates("USMUserProfile")
def user_profile(request: Request) -> pl.DataFrame:
    p = profiles(request.fleet)
    local = pl.when(pl.col("sid") == "S-1-5-18").then(pl.lit("C:\\Windows\\system32\\config\\systemprofile")).when(
        pl.col("special")).then(pl.lit("C:\\Windows\\ServiceProfiles\\") + pl.col("user")).otherwise(
        pl.lit("C:\\Users\\") + pl.col("user"))
    return p.select(
        DEVICE, pl.col("sid").alias("SID"), local.alias("LocalPath"), pl.col("special").alias("Special"),
        pl.col("loaded").alias("Loaded"), pl.col("last_use").alias("LastUseTime"),
        pl.lit(None, pl.Int64).alias("LastDownloadTime"), pl.lit(None, pl.Int64).alias("LastUploadTime"),
        pl.lit(False).alias("RoamingConfigured"), pl.lit(None, pl.String).alias("RoamingPath"),
        pl.lit(True).alias("RoamingPreference"), pl.lit(3, pl.Int64).alias("HealthStatus"),
        pl.when(pl.col("loaded")).then(pl.lit(2, pl.Int64)).otherwise(pl.lit(0, pl.Int64)).alias("RefCount"),
        pl.lit(0, pl.Int64).alias("Status"),
    )


@generates("User")
def user(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    rng = request.rng()
    parts = []
    signed = np.flatnonzero(fleet.user != None)  # noqa: E711 - elementwise
    parts.append(pl.DataFrame({DEVICE: signed.astype(np.int32), "UserName": fleet.user[signed].tolist()}))
    rds = np.flatnonzero(fleet.role == "RDS")
    sessions = rng.integers(5, 26, rds.size)
    dev = np.repeat(rds, sessions)
    first = np.array(wd.FIRST_NAMES)[rng.integers(0, len(wd.FIRST_NAMES), dev.size)]
    last = np.array(wd.LAST_NAMES)[rng.integers(0, len(wd.LAST_NAMES), dev.size)]
    parts.append(pl.DataFrame({DEVICE: dev.astype(np.int32),
                               "UserName": [f"CONTOSO\\{f[0]}{s}".lower().replace("contoso", "CONTOSO") for f, s in zip(first, last, strict=True)]}))
    for account in ("NT AUTHORITY\\LOCAL SERVICE", "NT AUTHORITY\\NETWORK SERVICE", "NT AUTHORITY\\SYSTEM"):
        parts.append(pl.DataFrame({DEVICE: np.arange(fleet.n, dtype=np.int32), "UserName": [account] * fleet.n}))
    return pl.concat(parts).unique([DEVICE, "UserName"]).sort([DEVICE, "UserName"])


@generates("Administrators")
def administrators(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    rng = request.rng()
    n = fleet.n
    dc = fleet.role == "DC"
    rows: list[tuple[np.ndarray, str | np.ndarray, str, str]] = []
    local_admin = np.char.add(fleet.name.astype(str), "\\Administrator").astype(object)
    rows.append((np.flatnonzero(~dc), local_admin[~dc], "User", "Local"))
    rows.append((np.flatnonzero(dc), "CONTOSO\\Administrator", "User", "ActiveDirectory"))
    joined = fleet.domain_joined
    rows.append((np.flatnonzero(joined), "CONTOSO\\Domain Admins", "Group", "ActiveDirectory"))
    rows.append((np.flatnonzero(dc), "CONTOSO\\Enterprise Admins", "Group", "ActiveDirectory"))
    rows.append((np.flatnonzero(joined & ~fleet.is_server), "CONTOSO\\Workstation Admins", "Group", "ActiveDirectory"))
    rows.append((np.flatnonzero(joined & fleet.is_server & ~dc), "CONTOSO\\Server Admins", "Group", "ActiveDirectory"))
    push = joined & ~dc & (rng.random(n) < 0.35)
    rows.append((np.flatnonzero(push), "CONTOSO\\svc-cmpush", "User", "ActiveDirectory"))
    self_admin = joined & ~fleet.is_server & (fleet.sam != None) & (rng.random(n) < 0.12)  # noqa: E711
    rows.append((np.flatnonzero(self_admin), fleet.user[self_admin], "User", "ActiveDirectory"))
    laps = ~dc & (rng.random(n) < 0.2)
    rows.append((np.flatnonzero(laps), np.char.add(fleet.name[laps].astype(str), "\\LAPSAdmin").astype(object), "User", "Local"))
    aad = fleet.aad_joined & ~fleet.is_server
    rows.append((np.flatnonzero(aad), "S-1-12-1-2935618826-1252467547-1817183876-2915237318", "Group", "AzureAD"))
    helpdesk = joined & ~fleet.is_server & (rng.random(n) < 0.05)
    rows.append((np.flatnonzero(helpdesk), "CONTOSO\\Helpdesk Tier 2", "Group", "ActiveDirectory"))
    parts = []
    for order, (dev, name, cls, source) in enumerate(rows):
        values = name.tolist() if isinstance(name, np.ndarray) else [name] * dev.size
        parts.append(pl.DataFrame({DEVICE: dev.astype(np.int32), "ObjectClass": [cls] * dev.size, "Name": values,
                                   "PrincipalSource": [source] * dev.size, "_order": np.full(dev.size, order)}))
    return pl.concat(parts).sort([DEVICE, "_order"]).drop("_order")


def _not_legacy_server(fleet: Fleet) -> np.ndarray:
    return ~(fleet.ps4 & fleet.is_server)


def _quick_scan(d: Draw) -> np.ndarray:
    age = np.where(d.chance(0.85), d.rng.uniform(0.05, 7, d.n), d.rng.uniform(7, 75, d.n)) * DAY
    stale = d.of(d.fleet.offline) & d.chance(0.5)
    age = np.where(stale, age + d.of(d.fleet.last_active_age), age)
    return np.where(d.chance(0.02), NULL, age.astype(np.int64)).astype(object)


def _signature_age(d: Draw) -> np.ndarray:
    base = d.rng.exponential(0.4, d.n) * DAY + d.of(np.where(d.fleet.offline, d.fleet.last_active_age, 0))
    return base.astype(np.int64)


def _signature(d: Draw) -> np.ndarray:
    age_days = _signature_age(d) // DAY
    return np.char.add("1.421.", (1446 - 4 * np.minimum(age_days, 300)).astype(str)).astype(object)


profile(
    "EPStatus", where=_not_legacy_server, AMServiceEnabled=True, AntispywareEnabled=True,
    AntispywareSignatureLastUpdated=_signature_age, AntispywareSignatureVersion=lambda d: np.char.add(_signature(d).astype(str), ".0"),
    AntivirusEnabled=lambda d: ~d.chance(0.005), AntivirusSignatureLastUpdated=_signature_age,
    AntivirusSignatureVersion=lambda d: np.char.add(_signature(d).astype(str), ".0"), BehaviorMonitorEnabled=lambda d: ~d.chance(0.01),
    IoavProtectionEnabled=True, IsTamperProtected=lambda d: d.chance(0.82), NISEnabled=True,
    NISSignatureLastUpdated=_signature_age, NISSignatureVersion="1.421.1446.0", OnAccessProtectionEnabled=lambda d: ~d.chance(0.01),
    QuickScanEndTime=_quick_scan, RealTimeProtectionEnabled=lambda d: ~d.chance(0.015),
)


def _aad(d: Draw) -> np.ndarray:
    return d.of(d.fleet.aad_joined)


profile(
    "AadStatus", AzureAdJoined=_aad, EnterpriseJoined=False, DomainJoined=fact("domain_joined"),
    DomainName=lambda d: np.where(d.of(d.fleet.domain_joined), wd.NETBIOS_DOMAIN, NULL),
    WorkplaceJoined=lambda d: ~_aad(d) & d.chance(0.03), DeviceId=fact("aad_device_id"),
    TenantId=lambda d: np.where(_aad(d), wd.TENANT_ID, NULL), TenantName=lambda d: np.where(_aad(d), wd.TENANT_NAME, NULL),
    Thumbprint=lambda d: np.where(_aad(d), hex_strings(d.rng, d.n, 40), NULL),
    TpmProtected=lambda d: _aad(d) & d.of(d.fleet.tpm), AzureAdPrt=lambda d: _aad(d) & d.of(d.fleet.sam != None),  # noqa: E711
)


@generates("SystemBootData")
def system_boot_data(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    rng = request.rng()
    boots = rng.integers(3, 13, fleet.n)
    draw = Draw.per_device(fleet, boots, rng)
    dev, k = draw.dev, draw.k
    server = fleet.is_server[dev]
    gaps = rng.exponential(np.where(server, 14, 2.5), dev.size) * DAY + 3600
    cum = pl.DataFrame({"d": dev, "g": np.where(k == 0, 0, gaps)}).select(pl.col("g").cum_sum().over("d")).to_series().to_numpy()
    start = fleet.boot_age[dev] + cum.astype(np.int64)
    vm = fleet.form[dev] == "VM"
    hdd = (fleet.form[dev] == "Desktop") & (rng.random(dev.size) < 0.15)
    bios = np.where(vm, rng.integers(300, 1500, dev.size), rng.integers(2500, 16000, dev.size))
    os_start = (rng.lognormal(np.log(14000), 0.35, dev.size) * np.where(hdd, 2.5, 1.0)).astype(np.int64)
    gp = (rng.lognormal(np.log(4000), 0.8, dev.size)).astype(np.int64)
    gp = np.where(rng.random(dev.size) < 0.04, rng.integers(60000, 180000, dev.size), gp)
    update = np.where(rng.random(dev.size) < 0.12, rng.integers(60_000, 900_000, dev.size), 0)
    total = bios + os_start + gp + update + rng.integers(3000, 20000, dev.size)
    version = fleet.os_attr("version")[dev]
    return pl.DataFrame({
        DEVICE: dev.astype(np.int32), "SystemStartTime": start, "BootDuration": total, "BiosDuration": bios,
        "EventLogStart": os_start, "GPDuration": gp, "UpdateDuration": update,
        "BootDiskMediaType": np.where(vm, 0, np.where(hdd, 3, 4)), "OSVersion": version.tolist(),
    })


@generates("SystemBootSummary")
def system_boot_summary(request: Request) -> pl.DataFrame:
    boots = request.rows_of("SystemBootData", ()).with_columns(
        (pl.col("EventLogStart") + pl.col("GPDuration")).alias("CoreBootDuration"))
    phases = ("BiosDuration", "BootDuration", "CoreBootDuration", "EventLogStart", "GPDuration", "UpdateDuration")
    aggs: list[pl.Expr] = [
        ((pl.col("SystemStartTime").max() - pl.col("SystemStartTime").min()) // 3600 // pl.len()).cast(pl.Int64)
        .alias("AverageBootFrequency"),
    ]
    for phase in phases:
        aggs += [pl.col(phase).first().alias(f"Latest{phase}"), pl.col(phase).max().alias(f"Max{phase}"),
                 pl.col(phase).median().cast(pl.Int64).alias(f"Median{phase}")]
    return boots.group_by(DEVICE, maintain_order=True).agg(aggs)


def _console_users(fleet: Fleet, rng: Any) -> np.ndarray:
    return np.where(fleet.sam != None, 1 + rng.poisson(0.5, fleet.n), 0)  # noqa: E711 - elementwise


profile(
    "SystemConsoleUser", rows=_console_users,
    SystemConsoleUser=lambda d: np.where(d.k == 0, d.of(d.fleet.user), np.char.add("CONTOSO\\", d.choice([f"{f[0]}{s}".lower() for f, s in zip(wd.FIRST_NAMES[:40], wd.LAST_NAMES[:40], strict=True)]).astype(str))),
    LastConsoleUse=lambda d: np.where(d.k == 0, d.rng.integers(0, 3 * DAY, d.n), d.rng.integers(5 * DAY, 90 * DAY, d.n)),
    NumberOfConsoleLogons=lambda d: np.where(d.k == 0, d.ints(20, 400), d.ints(1, 10)),
    TotalUserConsoleMinutes=lambda d: np.where(d.k == 0, d.ints(3000, 40000), d.ints(10, 900)),
)
profile(
    "SystemConsoleUsage", TopConsoleUser=fact("user"), TotalConsoleUsers=lambda d: d.ints(1, 4),
    TotalConsoleTime=lambda d: d.ints(3000, 40000), TotalSecurityLogTime=lambda d: d.ints(20000, 130000),
    SecurityLogStartDate=lambda d: d.ages(14, 90),
)

_ENV = (("ComSpec", "%SystemRoot%\\system32\\cmd.exe"), ("DriverData", "C:\\Windows\\System32\\Drivers\\DriverData"),
        ("NUMBER_OF_PROCESSORS", "8"), ("OS", "Windows_NT"),
        ("Path", "%SystemRoot%\\system32;%SystemRoot%;%SystemRoot%\\System32\\Wbem;%SYSTEMROOT%\\System32\\WindowsPowerShell\\v1.0\\;%SYSTEMROOT%\\System32\\OpenSSH\\"),
        ("PATHEXT", ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC"), ("PROCESSOR_ARCHITECTURE", "AMD64"),
        ("PSModulePath", "%ProgramFiles%\\WindowsPowerShell\\Modules;%SystemRoot%\\system32\\WindowsPowerShell\\v1.0\\Modules"),
        ("TEMP", "%SystemRoot%\\TEMP"), ("TMP", "%SystemRoot%\\TEMP"), ("USERNAME", "SYSTEM"), ("windir", "%SystemRoot%"))
profile("Environment", rows=(len(_ENV), len(_ENV)), Name=Seq([e[0] for e in _ENV]), UserName="<SYSTEM>",
        VariableValue=Seq([e[1] for e in _ENV]), SystemVariable=True, Caption=lambda d: np.char.add("<SYSTEM>\\", np.array([e[0] for e in _ENV])[d.k]),
        Description=lambda d: np.char.add("<SYSTEM>\\", np.array([e[0] for e in _ENV])[d.k]), Status="OK")
profile("NetworkLoginProfile", rows=(3, 4), Name=Seq(["NT AUTHORITY\\SYSTEM", "NT AUTHORITY\\LOCAL SERVICE", "NT AUTHORITY\\NETWORK SERVICE", "user"]),
        FullName=None, Caption=Seq(["SYSTEM", "LOCAL SERVICE", "NETWORK SERVICE", "user"]), Description=Seq(["SYSTEM", "LOCAL SERVICE", "NETWORK SERVICE", "Network login profile settings"]),
        LastLogon=lambda d: np.where(d.k == 3, d.ages(0, 3), NULL), LastLogoff=None, NumberOfLogons=lambda d: np.where(d.k == 3, d.ints(10, 900), 0),
        BadPasswordCount=lambda d: np.where(d.k == 3, d.ints(0, 3), 0), LogonServer=lambda d: np.where(d.k == 3, "\\\\DC01", NULL),
        HomeDirectory=None, HomeDirectoryDrive=None, ScriptPath=None, Profile=None, AccountExpires=None,
        Privileges=lambda d: np.where(d.k == 3, 1, 2), UserType="Normal Account", UserId=None, PrimaryGroupId=None, Flags=None)
profile("SystemAccount", rows=(6, 6), Domain=fact("name"), Name=Seq(["SYSTEM", "LOCAL SERVICE", "NETWORK SERVICE", "Everyone", "INTERACTIVE", "Authenticated Users"]),
        Caption=lambda d: np.char.add(np.char.add(d.of(d.fleet.name).astype(str), "\\"), np.array(["SYSTEM", "LOCAL SERVICE", "NETWORK SERVICE", "Everyone", "INTERACTIVE", "Authenticated Users"])[d.k]),
        Description=lambda d: np.char.add(np.char.add(d.of(d.fleet.name).astype(str), "\\"), np.array(["SYSTEM", "LOCAL SERVICE", "NETWORK SERVICE", "Everyone", "INTERACTIVE", "Authenticated Users"])[d.k]),
        SID=Seq(["S-1-5-18", "S-1-5-19", "S-1-5-20", "S-1-1-0", "S-1-5-4", "S-1-5-11"]), SIDType=Seq([5, 5, 5, 5, 5, 5]), Status="OK")
profile("NTEventlogFile", rows=(4, 4), Name=Seq(["C:\\Windows\\System32\\Winevt\\Logs\\Application.evtx", "C:\\Windows\\System32\\Winevt\\Logs\\Security.evtx",
                                                  "C:\\Windows\\System32\\Winevt\\Logs\\System.evtx", "C:\\Windows\\System32\\Winevt\\Logs\\Windows PowerShell.evtx"]),
        LogfileName=Seq(["Application", "Security", "System", "Windows PowerShell"]), FileName=Seq(["Application", "Security", "System", "Windows PowerShell"]),
        FileSize=lambda d: d.ints(1, 20) * (1 << 20), MaxFileSize=Seq([20_971_520, 20_971_520, 20_971_520, 15_728_640]),
        NumberOfRecords=lambda d: d.ints(2_000, 60_000), OverWritePolicy="WhenNeeded", OverwriteOutDated=0,
        Path=lambda d: np.full(d.n, "C:\\Windows\\System32\\Winevt\\Logs", dtype=object), Drive="C:", Status="OK", Compressed=False, Encrypted=False,
        Archive=True, Hidden=False, System=False, CreationDate=fact("install_age"), LastModified=lambda d: d.ages(0, 0.01))
profile("Desktop", rows=(3, 3), Name=Seq([".DEFAULT", "NT AUTHORITY\\SYSTEM", "CONTOSO\\user"]), Caption=None, Description=None,
        ScreenSaverActive=Seq([False, False, True]), ScreenSaverExecutable=None, ScreenSaverSecure=Seq([None, None, True]),
        ScreenSaverTimeout=Seq([None, None, 900]), Wallpaper=Seq(["", "", "C:\\Windows\\Web\\Wallpaper\\Contoso\\contoso.jpg"]),
        WallpaperStretched=False, WallpaperTiled=False, Pattern="0", BorderWidth=1, CursorBlinkRate=530, DragFullWindows=True,
        IconSpacing=75, IconTitleFaceName="Segoe UI", IconTitleSize=9, SettingID=None)
profile("LoadOrderGroup", rows=(6, 6), Name=Seq(["System Reserved", "EMS", "WdfLoadGroup", "Boot Bus Extender", "System Bus Extender", "SCSI miniport"]),
        Caption=Seq(["System Reserved", "EMS", "WdfLoadGroup", "Boot Bus Extender", "System Bus Extender", "SCSI miniport"]),
        Description=Seq(["System Reserved", "EMS", "WdfLoadGroup", "Boot Bus Extender", "System Bus Extender", "SCSI miniport"]),
        DriverEnabled=True, GroupOrder=lambda d: d.k + 1, Status="OK")
profile("NetworkClient", Name="Microsoft Windows Network", Caption="Workstation", Description="LanmanWorkstation",
        Manufacturer="Microsoft Corporation", Status="OK", InstallDate=None)
profile("Protocol", rows=(4, 4), Name=Seq(["MSAFD Tcpip [TCP/IP]", "MSAFD Tcpip [UDP/IP]", "MSAFD Tcpip [TCP/IPv6]", "MSAFD Tcpip [UDP/IPv6]"]),
        Caption=Seq(["MSAFD Tcpip [TCP/IP]", "MSAFD Tcpip [UDP/IP]", "MSAFD Tcpip [TCP/IPv6]", "MSAFD Tcpip [UDP/IPv6]"]),
        Description=Seq(["MSAFD Tcpip [TCP/IP]", "MSAFD Tcpip [UDP/IP]", "MSAFD Tcpip [TCP/IPv6]", "MSAFD Tcpip [UDP/IPv6]"]),
        ConnectionlessService=Seq([False, True, False, True]), GuaranteesDelivery=Seq([True, False, True, False]),
        GuaranteesSequencing=Seq([True, False, True, False]), MaximumAddressSize=Seq([16, 16, 28, 28]),
        MaximumMessageSize=Seq([0, 65467, 0, 65467]), MessageOriented=Seq([False, True, False, True]),
        MinimumAddressSize=Seq([16, 16, 28, 28]), PseudoStreamOriented=False, SupportsBroadcasting=Seq([False, True, False, True]),
        SupportsEncryption=False, SupportsMulticasting=Seq([False, True, False, True]), SupportsQualityofService=False, Status="OK")
profile("USMFolderRedirectionHealth", rows=(0, 3), where=lambda f: f.sam != None,  # noqa: E711 - elementwise
        FolderName=Seq(["Documents", "Desktop", "Pictures"]), SID=F("S-1-5-21-1004336348-1177238915-682003330-{num4}"),
        HealthStatus=W([0, 1, 3], [90, 7, 3]), LastSuccessfulSyncTime=lambda d: d.ages(0, 2), LastSyncStatus=0,
        LastSyncTime=lambda d: d.ages(0, 1), OfflineAccessEnabled=True, OfflineFileNameFolderGUID=None, Redirected=True)
profile("BitLockerPolicy", where=lambda f: f.bitlocker & (stream(f.seed, "mbam").random(f.n) < 0.3), KeyName="Software\\Policies\\Microsoft\\FVE\\MDOPBitLockerManagement",
        EncodedComputerName=fact("name"), EncryptionMethod=W([6, 7], [3, 7]), FixedDataDriveAutoUnlock=1, FixedDataDriveEncryption=1,
        FixedDataDrivePassphrase=0, LastConsoleUser=fact("user"), MBAMMachineError=0, MBAMPolicyEnforced=1, OsDriveEncryption=1,
        OsDriveProtector=W([1, 2], [8, 2]), UserExemptionDate=None)
profile("PowerConfigurations", PowerConfigID=F("{{hex8}-1F2E-4D3C-8B7A-{hex12}}"), DurationInSec=3600, NonPeakPowerPlan="Power saver",
        NonPeakPowerPlanName="Power saver", PeakPowerPlan="Balanced", PeakPowerPlanName="Balanced", PeakStartTimeHoursMin="0800",
        WakeUpTimeHoursMin="0600", where=lambda f: ~f.is_server & (stream(f.seed, "power").random(f.n) < 0.4))
profile("PowerClientOptOutSettings", AdminAllowOptout=False, EffectiveClientOptOut=False, IsClientOptOut=False)
profile("PowerSettings", rows=(4, 4), GUID=Seq(["{3c0bc021-c8a8-4e07-a973-6b14cbcb2b7e}", "{29f6c1db-86da-48c5-9fdb-f2b67b1f44da}",
                                                "{9d7815a6-7ee4-497e-8888-515a05f02364}", "{4f971e89-eebd-4455-a8de-9e59040e7347}"]),
        Name=Seq(["Turn off display after", "Sleep after", "Hibernate after", "Power buttons and lid"]),
        ACSettingIndex=Seq(["900", "1800", "0", "1"]), ACValue=Seq(["15 minutes", "30 minutes", "Never", "Sleep"]),
        DCSettingIndex=Seq(["300", "900", "10800", "1"]), DCValue=Seq(["5 minutes", "15 minutes", "180 minutes", "Sleep"]),
        UnitSpecifier=Seq(["Seconds", "Seconds", "Seconds", ""]))
profile("PowerManagementInsomniaReasons", rows=(0, 2), Requester=Seq(["\\Device\\HarddiskVolume3\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", "Legacy Kernel Caller"]),
        RequesterType=Seq(["PROCESS", "DRIVER"]), RequestType=Seq(["SYSTEM", "SYSTEM"]), Time=lambda d: d.ages(0, 7),
        AdditionalCode=0, AdditionalInfo=None, RequesterInfo=None, UnknownRequester=False)
_HOUR_COLUMNS = {f"hr{h}_{(h + 1) % 24}": (lambda d, h=h: np.where((h >= 8) & (h < 18), d.ints(30, 61), d.ints(0, 10))) for h in range(24)}
profile("PowerManagementDaily", rows=(7, 7), Date=lambda d: (d.k + 1) * DAY, TypeOfEvent="Computer On", **_HOUR_COLUMNS,
        minutesTotal=lambda d: d.ints(480, 1440))
profile("PowerManagementMonthly", rows=(2, 2), MonthStart=lambda d: (d.k * 30 + 15) * DAY, TypeOfEvent="Computer On",
        minutesComputerActive=lambda d: d.ints(6000, 12000), minutesComputerOn=lambda d: d.ints(12000, 40000),
        minutesComputerShutdown=lambda d: d.ints(1000, 20000), minutesComputerSleep=lambda d: d.ints(0, 8000),
        minutesMonitorOn=lambda d: d.ints(5000, 11000), minutesTotal=43200)
profile("ProtectedVolumeInformation", where=lambda f: f.bitlocker, Name="C:", DriveLetter="C:", ProtectionType=1)
profile("AccountSID", rows=(3, 3), Element=lambda d: np.char.add(np.char.add('\\\\', d.of(d.fleet.name).astype(str)), np.array(['\\root\\cimv2:Win32_SystemAccount.Domain="X",Name="SYSTEM"', '\\root\\cimv2:Win32_SystemAccount.Domain="X",Name="LOCAL SERVICE"', '\\root\\cimv2:Win32_SystemAccount.Domain="X",Name="NETWORK SERVICE"'])[d.k]),
        Setting=lambda d: np.array(['Win32_SID.SID="S-1-5-18"', 'Win32_SID.SID="S-1-5-19"', 'Win32_SID.SID="S-1-5-20"'])[d.k])
profile("NAPClient", where=lambda f: stream(f.seed, "nap").random(f.n) < 0.0, name="Network Access Protection Agent")
profile("NAPSystemHealthAgent", where=lambda f: stream(f.seed, "nap").random(f.n) < 0.0)
profile("MDMDevDetail", where=lambda f: f.aad_joined, InstanceID="Ext", ParentID="./DevDetail",
        DeviceHardwareData=F("T0HmAgEAHAAAAAoA{hex16}{hex16}"), WLANMACAddress=lambda d: np.char.replace(d.of(d.fleet.mac).astype(str), "-", ""))
profile("CCMRAX", rows=(0, 1), where=lambda f: ~f.is_server, AppID=F("{{hex8}-AAAA-4BBB-8CCC-{hex12}}"),
        FeedURL="https://rdweb.contoso.com/RDWeb/Feed/webfeed.aspx", UserSID=F("S-1-5-21-1004336348-1177238915-682003330-{num4}"))
profile("CCMWebAppInstallInfo", rows=(0, 2), AppDeliveryTypeId=F("ScopeId_5E4F3C2B-1A09-4876-B5C4-D3E2F1A0B9C8/DeploymentType_{hex8}"),
        AppDtRevision=W([1, 2, 3], [5, 3, 2]), TargetURL=Seq(["https://portal.contoso.com", "https://myapps.microsoft.com"]),
        UserSID=F("S-1-5-21-1004336348-1177238915-682003330-{num4}"), URLFileName=Seq(["Contoso Portal.url", "My Apps.url"]),
        URLPath="C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\")
profile("TSIssuedLicense", where=lambda f: f.role == "RDS", rows=(5, 20), LicenseId=lambda d: d.k + 1, KeyPackId=2,
        LicenseStatus=W([2, 4], [9, 1]), IssueDate=lambda d: d.ages(5, 80), ExpirationDate=lambda d: -d.ages(5, 80),
        sHardwareId=F("{hex8}-{hex8}-{hex8}-{hex8}"), sIssuedToComputer=F("WKS-{num4}"), sIssuedToUser=F("CONTOSO\\{user}"))
profile("TSLicenseKeyPack", where=lambda f: f.role == "RDS", KeyPackId=2, Description="A02-6.00-S", KeyPackType=2, ProductType=0,
        ProductVersion="Windows Server 2022", TotalLicenses=250, AvailableLicenses=lambda d: d.ints(20, 200),
        IssuedLicenses=lambda d: d.ints(50, 230))
profile("SoftwareShortcut", rows=(3, 6), ShortcutKey=None, ShortcutName=Seq(["Microsoft Edge", "Outlook", "Word", "Excel", "Google Chrome", "Zoom"]),
        ShortcutType=1, TargetExecutable=Seq(["msedge.exe", "OUTLOOK.EXE", "WINWORD.EXE", "EXCEL.EXE", "chrome.exe", "Zoom.exe"]),
        ParentName=Seq(["C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\", "C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\",
                        "C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\", "C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\",
                        "C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\", "C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\Zoom\\"]),
        Product=Seq(["Microsoft Edge", "Microsoft Office", "Microsoft Office", "Microsoft Office", "Google Chrome", "Zoom Meetings"]),
        ProductCode=None, ProductVersion=Seq(["131.0.2903.51", "16.0.17928.20156", "16.0.17928.20156", "16.0.17928.20156", "131.0.6778.86", "6.2.47495"]),
        Publisher=Seq(["Microsoft Corporation", "Microsoft Corporation", "Microsoft Corporation", "Microsoft Corporation", "Google LLC", "Zoom Video Communications, Inc."]),
        Description=None, FileSize=lambda d: d.ints(400_000, 70_000_000), Language=1033, FileVersion=None, BinFileVersion=None,
        BinProductVersion=None, FilePropertiesHash=F("{hex32}"), FilePropertiesHashEx=F("{hex32}"))
profile("BrowserHelperObject", rows=(0, 1), where=lambda f: f.has("reader"), CLSID="{18DF081C-E8AD-4283-A596-FA578C2EBDC3}",
        Description="Adobe PDF Link Helper", FileName="AcroIEHelperShim.dll", Product="Adobe Acrobat", ProductVersion="24.4.20220.0",
        Publisher="Adobe Systems Incorporated", Version="24.4.20220.0", FileVersion="24.4.20220.0", BinFileVersion="24.4.20220.0",
        BinProductVersion="24.4.20220.0", FilePropertiesHash=F("{hex32}"), FilePropertiesHashEx=F("{hex32}"))
profile("AppVClientPackage", rows=(0, 2), where=lambda f: f.role == "RDS", PackageId=F("{hex8}-1111-4222-8333-{hex12}"),
        VersionId=F("{hex8}-5555-4666-8777-{hex12}"), Name=Seq(["Contoso ERP Client 7.2", "Legacy Reporting Tool"]),
        Version=Seq(["7.2.0.0", "3.1.4.0"]), Path="C:\\ProgramData\\App-V\\", PackageSize=lambda d: d.ints(50_000_000, 900_000_000),
        PercentLoaded=100, InUse=W([True, False], [3, 7]), IsPublishedGlobally=True, IsPublishedToUser=False,
        HasAssetIntelligence=False, DeploymentMachineData=None, DeploymentUserData=None, UserConfigurationData=None)
profile("AppVClientApplication", rows=(0, 2), where=lambda f: f.role == "RDS", ApplicationId=F("{hex8}-9999-4aaa-8bbb-{hex12}"),
        PackageId=F("{hex8}-1111-4222-8333-{hex12}"), PackageVersionId=F("{hex8}-5555-4666-8777-{hex12}"),
        Name=Seq(["Contoso ERP", "Legacy Reports"]), Version=Seq(["7.2.0.0", "3.1.4.0"]),
        TargetPath=Seq(["[{ProgramFilesX86}]\\Contoso\\ERP\\erp.exe", "[{ProgramFilesX86}]\\Legacy\\reports.exe"]),
        EnabledForUser=False, EnabledGlobally=True)
