"""File('path') and FileContent('path') over a model of the files CMPivot users look for.

``File`` expands environment variables as the client (running as SYSTEM) would — ``%windir%``,
``%SystemRoot%``, ``%SystemDrive%``, ``%ProgramFiles%``, ... — then matches ``*`` / ``?``
wildcards in any segment, case-insensitively, without recursing: ``%windir%\\system32\\*.exe``,
``C:\\Users\\*\\AppData\\Local\\Microsoft\\Teams\\current\\teams.exe``. A missing file gives no rows.
Versions follow the device (OS build and UBR for Windows binaries, the installed version for
products), and a file's hashes follow its name and version, so the same build has the same hash.
One planted binary in System32 carries the SHA-256 the official hash-hunting sample looks for.

``FileContent`` knows ``smscfg.ini`` (with the client's SMS unique identifier), the hosts file and
the CCM logs (raw CMTrace lines).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from .fleet import Fleet
from .gen_security import profiles
from .generators import DAY, DEVICE, Request, generates
from .log_data import CCM_LOGS
from .randomness import hash_of, stream

MALWARE_SHA256 = "A92056D772260B39A876D01552496B2F8B4610A0B1E084952FE1176784E2CE77"

_ENV = {
    "windir": "C:\\Windows", "systemroot": "C:\\Windows", "systemdrive": "C:", "programfiles": "C:\\Program Files",
    "programfiles(x86)": "C:\\Program Files (x86)", "programw6432": "C:\\Program Files",
    "commonprogramfiles": "C:\\Program Files\\Common Files", "programdata": "C:\\ProgramData",
    "allusersprofile": "C:\\ProgramData", "public": "C:\\Users\\Public", "temp": "C:\\Windows\\TEMP",
    "tmp": "C:\\Windows\\TEMP", "userprofile": "C:\\Windows\\system32\\config\\systemprofile",
    "localappdata": "C:\\Windows\\system32\\config\\systemprofile\\AppData\\Local",
    "appdata": "C:\\Windows\\system32\\config\\systemprofile\\AppData\\Roaming", "homedrive": "C:",
}


def expand(path: str) -> str:
    """Environment variables expanded (unknown ones kept), slashes and backslash runs normalised."""
    text = re.sub(r"%([^%]+)%", lambda m: _ENV.get(m.group(1).lower(), m.group(0)), path.strip().strip("'\""))
    return re.sub(r"\\+", r"\\", text.replace("/", "\\")).rstrip("\\")


@dataclass(frozen=True)
class FileSpec:
    name: str
    size: int
    version: str | Callable[[Fleet], np.ndarray] | None   # None: no version resource
    who: Callable[[Fleet], np.ndarray] | None = None
    hidden: bool = False


@dataclass(frozen=True)
class Folder:
    path: str                 # may hold one {user} segment
    files: tuple[FileSpec, ...]


def _os_version(f: Fleet) -> np.ndarray:
    base = np.array([{"19045": "19041", "19044": "19041", "19042": "19041", "22631": "22621"}.get(b, b)
                     for b in f.os_attr("build")], dtype=object)
    major = np.where(f.ps4, "6.3", "10.0")
    return np.char.add(np.char.add(np.char.add(major.astype(str), "."), base.astype(str)),
                       np.char.add(".", f.ubr.astype(str))).astype(object)


def _product(key: str) -> Callable[[Fleet], np.ndarray]:
    return lambda f: f.product_version(key)


def _has(key: str) -> Callable[[Fleet], np.ndarray]:
    return lambda f: f.has(key)


_SYSTEM32 = (
    ("cmd.exe", 323_584), ("notepad.exe", 201_216), ("svchost.exe", 57_360), ("lsass.exe", 84_648),
    ("services.exe", 724_160), ("smss.exe", 156_936), ("csrss.exe", 17_952), ("winlogon.exe", 907_264),
    ("wininit.exe", 444_416), ("taskmgr.exe", 1_612_800), ("mmc.exe", 2_067_456), ("regedt32.exe", 10_752),
    ("mstsc.exe", 1_396_736), ("msiexec.exe", 68_608), ("rundll32.exe", 71_680), ("dllhost.exe", 21_272),
    ("conhost.exe", 1_034_240), ("wscript.exe", 168_960), ("cscript.exe", 156_672), ("certutil.exe", 1_591_808),
    ("bitsadmin.exe", 205_312), ("netsh.exe", 96_768), ("net.exe", 58_880), ("ping.exe", 22_016),
    ("ipconfig.exe", 35_840), ("whoami.exe", 73_728), ("wbemtest.exe", 498_688), ("gpupdate.exe", 32_768),
    ("sc.exe", 71_168), ("schtasks.exe", 235_008), ("reg.exe", 78_848), ("robocopy.exe", 141_312),
    ("dsregcmd.exe", 326_144), ("wusa.exe", 314_368), ("sfc.exe", 45_568), ("dism.exe", 334_336),
    ("tasklist.exe", 98_304), ("taskkill.exe", 97_792), ("systeminfo.exe", 102_400), ("wevtutil.exe", 240_640),
    ("fsutil.exe", 197_632), ("bcdedit.exe", 456_192), ("manage-bde.exe", 395_264), ("slui.exe", 458_752),
    ("SecurityHealthSystray.exe", 98_304), ("SecurityHealthService.exe", 1_038_848), ("spoolsv.exe", 909_312),
    ("RuntimeBroker.exe", 139_264), ("sihost.exe", 131_072), ("taskhostw.exe", 101_376), ("dwm.exe", 121_344),
    ("ctfmon.exe", 11_776), ("fontdrvhost.exe", 827_392), ("wuauclt.exe", 85_504), ("UsoClient.exe", 87_552),
    ("WerFault.exe", 570_880), ("SearchIndexer.exe", 1_028_608), ("SgrmBroker.exe", 328_032),
    ("SnippingTool.exe", 3_034_112), ("winver.exe", 73_728),
)

FOLDERS: tuple[Folder, ...] = (
    Folder("C:\\Windows\\System32", (
        *(FileSpec(n, s, _os_version) for n, s in _SYSTEM32),
        FileSpec("svch0st.exe", 1_337_856, None, lambda f: stream(f.seed, "files", "malware").random(f.n) < 0.006, hidden=True),
    )),
    Folder("C:\\Windows", (FileSpec("explorer.exe", 5_524_120, _os_version), FileSpec("notepad.exe", 201_216, _os_version),
                           FileSpec("regedit.exe", 370_688, _os_version), FileSpec("HelpPane.exe", 1_072_640, _os_version),
                           FileSpec("splwow64.exe", 163_840, _os_version), FileSpec("bfsvc.exe", 105_984, _os_version),
                           FileSpec("smscfg.ini", 392, None), FileSpec("win.ini", 92, None), FileSpec("system.ini", 219, None),
                           FileSpec("WindowsUpdate.log", 276, None))),
    Folder("C:\\Windows\\System32\\drivers\\etc", (FileSpec("hosts", 824, None), FileSpec("networks", 407, None),
                                                    FileSpec("protocol", 1358, None), FileSpec("services", 17_635, None))),
    Folder("C:\\Windows\\CCM", (FileSpec("CcmExec.exe", 3_482_536, lambda f: f.client_version),
                                FileSpec("CcmEval.exe", 1_622_432, lambda f: f.client_version),
                                FileSpec("CcmRestart.exe", 146_848, lambda f: f.client_version),
                                FileSpec("SCClient.exe", 2_004_384, lambda f: f.client_version),
                                FileSpec("AdminUI.CMPivotParser.dll", 1_047_464, lambda f: f.client_version))),
    Folder("C:\\Windows\\CCM\\Logs", tuple(FileSpec(f"{name}.log", 150_000, None) for name in
                                           ("CcmExec", "CIAgent", "LocationServices", "Scripts", "WUAHandler",
                                            "UpdatesDeployment", "PolicyAgent", "DataTransferService", "AppEnforce",
                                            "InventoryAgent", "ClientLocation", "CcmMessaging", "StatusAgent",
                                            "ContentTransferManager", "CAS", "AppDiscovery", "execmgr"))),
    Folder("C:\\Program Files (x86)\\Microsoft\\Edge\\Application", (FileSpec("msedge.exe", 4_226_432, _product("edge"), _has("edge")),)),
    Folder("C:\\Program Files\\Google\\Chrome\\Application", (FileSpec("chrome.exe", 3_027_496, _product("chrome"), _has("chrome")),)),
    Folder("C:\\Program Files\\Mozilla Firefox", (FileSpec("firefox.exe", 675_360, _product("firefox"), _has("firefox")),)),
    Folder("C:\\Program Files\\Microsoft Office\\root\\Office16", tuple(
        FileSpec(n, s, _product("m365"), _has("m365")) for n, s in
        (("OUTLOOK.EXE", 42_136_960), ("WINWORD.EXE", 1_650_016), ("EXCEL.EXE", 70_345_040), ("POWERPNT.EXE", 1_886_048)))),
    Folder("C:\\Program Files\\7-Zip", (FileSpec("7z.exe", 545_280, _product("7zip"), _has("7zip")),
                                        FileSpec("7zFM.exe", 1_039_360, _product("7zip"), _has("7zip")))),
    Folder("C:\\Program Files\\Java\\jre-1.8\\bin", (FileSpec("java.exe", 277_176, _product("java8"), _has("java8")),
                                                     FileSpec("wsdetect.dll", 251_064, _product("java8"), _has("java8")))),
    Folder("C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat", (FileSpec("Acrobat.exe", 6_817_280, _product("reader"), _has("reader")),)),
    Folder("C:\\Program Files\\Zoom\\bin", (FileSpec("Zoom.exe", 416_680, _product("zoom"), _has("zoom")),)),
    Folder("C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Teams\\current", (FileSpec("Teams.exe", 129_345_952, None, _has("teamsmwi")),)),
    Folder("C:\\Users\\{user}\\Downloads", (FileSpec("setup_free_pdf.exe", 3_145_728, "2.1.0.0",
                                                     lambda f: stream(f.seed, "files", "pua").random(f.n) < 0.01),)),
)

_TEAMS = ("1.7.00.13456", "1.6.00.27573", "1.5.00.36367", "1.4.00.22472")


def _split(path: str) -> list[str]:
    return [s for s in path.split("\\") if s]


def _glob(pattern: str) -> str:
    return "(?i)^" + fnmatch.translate(pattern).removeprefix("(?s:").removesuffix(")\\Z") + "$"


@generates("File")
def file(request: Request) -> pl.DataFrame:
    (raw,) = request.args
    pattern = _split(expand(raw))
    if len(pattern) < 2:
        return pl.DataFrame()
    fleet = request.fleet
    # When this device last took a cumulative update (rewriting its system files); not path-dependent.
    patch_age = (stream(fleet.seed, "files", "patched").uniform(1, 35, fleet.n) * DAY).astype(np.int64)
    parts = []
    for order, folder in enumerate(FOLDERS):
        segments = _split(folder.path)
        if len(segments) + 1 != len(pattern):
            continue
        user_at = segments.index("{user}") if "{user}" in segments else -1
        if not all(i == user_at or fnmatch.fnmatchcase(s.lower(), p.lower())
                   for i, (s, p) in enumerate(zip(segments, pattern, strict=False))):
            continue
        for forder, spec in enumerate(folder.files):
            if spec.size == 0 or not fnmatch.fnmatchcase(spec.name.lower(), pattern[-1].lower()):
                continue
            frame = _file_rows(fleet, folder, spec, user_at, pattern, patch_age)
            parts.append(frame.with_columns(pl.lit(order * 1000 + forder).alias("_o")))
    if not parts:
        return pl.DataFrame()
    return pl.concat(parts).sort([DEVICE, "_o"], maintain_order=True).drop("_o")


def _file_rows(fleet: Fleet, folder: Folder, spec: FileSpec, user_at: int, pattern: list[str],
               patch_age: np.ndarray) -> pl.DataFrame:
    mask = np.ones(fleet.n, dtype=bool) if spec.who is None else np.asarray(spec.who(fleet), dtype=bool)
    if spec.version is None:
        versions = np.full(fleet.n, None, dtype=object)
    elif isinstance(spec.version, str):
        versions = np.full(fleet.n, spec.version, dtype=object)
    else:
        versions = np.asarray(spec.version(fleet), dtype=object)
    dev = np.flatnonzero(mask)
    base = pl.DataFrame({DEVICE: dev.astype(np.int32), "Version": versions[dev].tolist()},
                        schema_overrides={"Version": pl.String})
    if user_at >= 0:
        people = profiles(fleet).filter(~pl.col("special") & pl.col("user").str.contains(_glob(pattern[user_at])))
        base = base.join(people.select(DEVICE, "user", "last_use"), on=DEVICE, how="inner", maintain_order="left")
        if spec.name == "Teams.exe":
            slot = (pl.col("last_use") // (120 * DAY)).clip(0, len(_TEAMS) - 1)
            base = base.with_columns(slot.replace_strict(dict(enumerate(_TEAMS)), return_dtype=pl.String).alias("Version"))
        prefix, suffix = folder.path.split("{user}")
        base = base.with_columns((pl.lit(prefix) + pl.col("user") + pl.lit(suffix + "\\" + spec.name)).alias("FileName"))
        age = base["last_use"].to_numpy() + 3 * DAY
    else:
        base = base.with_columns(pl.lit(f"{folder.path}\\{spec.name}").alias("FileName"))
        age = patch_age[base[DEVICE].to_numpy()] if spec.version is not None else fleet.install_age[base[DEVICE].to_numpy()] // 2
    versions_seen = base["Version"].unique().to_list()
    sha = {v: hash_of(spec.name.lower(), v) for v in versions_seen}
    md5 = {v: hash_of(spec.name.lower(), v, algorithm="md5") for v in versions_seen}
    if spec.name == "svch0st.exe":
        sha = {v: MALWARE_SHA256 for v in versions_seen}
    key = pl.col("Version").fill_null("")
    sha_map = {("" if k is None else k): v for k, v in sha.items()}
    md5_map = {("" if k is None else k): v for k, v in md5.items()}
    return base.select(
        DEVICE, "FileName", pl.lit("-a-hs-" if spec.hidden else "-a----").alias("Mode"),
        pl.Series("LastWriteTime", age, dtype=pl.Int64),
        pl.lit(spec.size, pl.Int64).alias("Size"), "Version",
        key.replace_strict(sha_map, return_dtype=pl.String).alias("SHA256Hash"),
        key.replace_strict(md5_map, return_dtype=pl.String).alias("MD5Hash"),
    )


# ------------------------------------------------------------------------------ contents


@generates("FileContent", uses_now=True)
def file_content(request: Request) -> pl.DataFrame:
    (raw,) = request.args
    path = expand(raw).lower()
    fleet = request.fleet
    if path == "c:\\windows\\smscfg.ini":
        return _smscfg(fleet, request.now)
    if path == "c:\\windows\\system32\\drivers\\etc\\hosts":
        return _constant(fleet, _HOSTS)
    if path == "c:\\windows\\win.ini":
        return _constant(fleet, ("; for 16-bit app support", "[fonts]", "[extensions]", "[mci extensions]", "[files]", "[Mail]", "MAPI=1"))
    match = re.fullmatch(r"c:\\windows\\ccm\\logs\\(.+)\.log", path)
    if match and match.group(1) in CCM_LOGS:
        return _cmtrace(request, match.group(1))
    return pl.DataFrame()


_HOSTS = ("# Copyright (c) 1993-2009 Microsoft Corp.", "#", "# This is a sample HOSTS file used by Microsoft TCP/IP for Windows.",
          "#", "# localhost name resolution is handled within DNS itself.", "#\t127.0.0.1       localhost",
          "#\t::1             localhost")


def _constant(fleet: Fleet, lines: tuple[str, ...]) -> pl.DataFrame:
    n, k = fleet.n, len(lines)
    return pl.DataFrame({DEVICE: np.repeat(np.arange(n, dtype=np.int32), k), "Line": np.tile(np.arange(1, k + 1), n),
                         "Content": pl.Series(lines).gather(np.tile(np.arange(k), n))})


def _smscfg(fleet: Fleet, now: dt.datetime) -> pl.DataFrame:
    rng = stream(fleet.seed, "files", "smscfg")
    changed = [now - dt.timedelta(seconds=int(a)) for a in fleet.install_age]
    hub = rng.random(fleet.n) < 0.02
    stamps = ["11/24/2020 " + f"{9 + i % 8:02d}:{i * 7 % 60:02d}:{i * 13 % 60:02d}" if h and now.year > 2020
              else f"{c.month}/{c.day}/{c.year} {c.hour:02d}:{c.minute:02d}:{c.second:02d}"
              for i, (c, h) in enumerate(zip(changed, hub, strict=True))]
    cert = [hash_of("smscert", r)[:40] for r in fleet.rid]
    hwid = [hash_of("hwid", r)[:40] for r in fleet.rid]
    lines = [["[Configuration - Client Properties]", f"SMS Certificate Identifier=SMS;{c}", f"SMS Unique Identifier={g}",
              f"Last SMSUID Change Date={s}", f"Last Hardware Identifier=2:{h}"]
             for c, g, s, h in zip(cert, fleet.sms_guid, stamps, hwid, strict=True)]
    n = fleet.n
    return pl.DataFrame({DEVICE: np.repeat(np.arange(n, dtype=np.int32), 5), "Line": np.tile(np.arange(1, 6), n),
                         "Content": [line for group in lines for line in group]})


def _cmtrace(request: Request, log: str) -> pl.DataFrame:
    rows = request.rows_of("CcmLog", (log, 86_400))
    now_s = int(request.now.timestamp())
    when = (pl.lit(now_s) - pl.col("DateTime")).mul(1_000_000).cast(pl.Datetime("us", "UTC"))
    line = pl.concat_str([
        pl.lit("<![LOG["), pl.col("LogText"), pl.lit("]LOG]!><time=\""), when.dt.strftime("%H:%M:%S%.3f"),
        pl.lit("+000\" date=\""), when.dt.strftime("%m-%d-%Y"), pl.lit("\" component=\""), pl.col("Component"),
        pl.lit("\" context=\"\" type=\""), pl.col("Type").cast(pl.String), pl.lit("\" thread=\""),
        pl.col("Thread").cast(pl.String), pl.lit("\" file=\""), pl.col("File"), pl.lit("\">"),
    ])
    return rows.select(DEVICE, pl.int_range(1, pl.len() + 1).over(DEVICE).cast(pl.Int64).alias("Line"), line.alias("Content"))
