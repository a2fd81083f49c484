"""Registry('path') and RegistryKey('path') over a model of the keys CMPivot users look at.

Paths are PowerShell provider paths as ``Get-Item`` takes them: ``hklm:\\SOFTWARE\\...``,
``HKLM:SOFTWARE\\...``, ``Registry::HKEY_LOCAL_MACHINE\\...``; case-insensitive, runs of
backslashes collapsed, a trailing backslash ignored, ``*`` / ``?`` / ``[...]`` wildcards in any
segment. ``Registry`` gives one row per value of each matched key (a key without values gives
none), ``RegistryKey`` one row per matched key; an unknown path gives no rows.

The model (``KEYS``) holds keys whose presence and values derive from the fleet — the client's
version under ``SOFTWARE\\Microsoft\\SMS``, the OS build and UBR under ``Windows NT\\CurrentVersion``,
feature-update safeguard holds under ``TargetVersionUpgradeExperienceIndicators`` — plus one key per
installed product under ``Uninstall``. Every ancestor of a modelled key exists too.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from . import windows_data as wd
from .fleet import ALL_MODELS, Fleet
from .generators import DEVICE, Request, generates
from .randomness import NULL, hash_of, stream

HKLM = "HKEY_LOCAL_MACHINE"
Value = str | Callable[[Fleet], np.ndarray]


@dataclass(frozen=True)
class Key:
    path: str
    who: Callable[[Fleet], np.ndarray] | None = None
    values: tuple[tuple[str, Value], ...] = ()


def _k(path: str, who: Callable[[Fleet], np.ndarray] | None = None, /, named: dict[str, Value] | None = None,
       **values: Value) -> Key:
    """A key under HKLM; ``named`` holds values whose names aren't identifiers."""
    return Key(f"{HKLM}\\{path}", who, tuple({**(named or {}), **values}.items()))


def _per(fn: Callable[[Fleet], Any]) -> Callable[[Fleet], np.ndarray]:
    return lambda f: np.asarray(fn(f), dtype=object)


def _win10(f: Fleet) -> np.ndarray:
    return ~f.is_server & np.isin(f.os_attr("build"), ["19045", "19044", "19042", "18363", "17134"])


def _win11_pre24h2(f: Fleet) -> np.ndarray:
    return ~f.is_server & np.isin(f.os_attr("build"), ["22621", "22631"])


def _upgrade(f: Fleet) -> dict[str, np.ndarray]:
    """Feature-update readiness per device: hardware blocks (red) and safeguard holds."""
    found = f.memo.get("upgrade")
    if isinstance(found, dict):
        return found
    rng = stream(f.seed, "registry", "upgrade")
    old_cpu = rng.random(f.n) < 0.06
    red = ~f.tpm | ~f.uefi | old_cpu
    reason = np.where(~f.tpm, "TpmVersion", np.where(~f.uefi, "SecureBootCapable,UefiFirmware", np.where(old_cpu, "CpuModel", "None")))
    hold = ~red & (rng.random(f.n) < 0.09)
    ids = np.array(["41332279", "48131111", "53122151", "51420626", "52754987"])
    reasons = np.array(["Bluetooth", "Display", "Audio", "Wi-Fi", "Application"])
    pick = rng.integers(0, len(ids), f.n)
    out = {
        "red": red, "RedReason": reason.astype(object),
        "GatedBlockId": np.where(hold, ids[pick], "None").astype(object),
        "GatedBlockReason": np.where(hold, reasons[pick], "None").astype(object),
        "UpgEx": np.where(red, "Red", np.where(hold, "Yellow", "Green")).astype(object),
        "SdbEntries": np.where(hold, np.char.add(np.char.add("{", np.char.lower(np.char.mod("%08X", pick * 7919 + 12345))),
                                                 "-4d6f-4e1c-9a2b-1f3e5d7c9b0a}"), "").astype(object),
    }
    f.memo["upgrade"] = out
    return out


def _indicator(release: str, who: Callable[[Fleet], np.ndarray]) -> Key:
    path = f"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\AppCompatFlags\\TargetVersionUpgradeExperienceIndicators\\{release}"
    return _k(
        path, who,
        DataExpDateEpoch=_per(lambda f: np.full(f.n, "1767225600")), DestBuildNum=_per(lambda f: np.full(f.n, _DEST[release])),
        GatedBlockId=_per(lambda f: _upgrade(f)["GatedBlockId"]), GatedBlockReason=_per(lambda f: _upgrade(f)["GatedBlockReason"]),
        RedReason=_per(lambda f: _upgrade(f)["RedReason"]), UpgEx=_per(lambda f: _upgrade(f)["UpgEx"]),
        UpgExU=_per(lambda f: _upgrade(f)["UpgEx"]), Version=_per(lambda f: np.full(f.n, "2834")),
    )


_DEST = {"CO21H2": "22000", "NI22H2": "22621", "NI23H2": "22631", "GE24H2": "26100"}


def _product_name(f: Fleet) -> np.ndarray:
    # Windows 11 still calls itself "Windows 10" here, as the real registry does.
    caption = f.caption.astype(str)
    return np.char.replace(np.char.replace(caption, "Microsoft ", ""), "Windows 11", "Windows 10").astype(object)


def _bios(index: int) -> Callable[[Fleet], np.ndarray]:
    def value(f: Fleet) -> np.ndarray:
        table = {family: entries for family, (_, entries) in wd.FIRMWARE.items()}
        return np.array([table[ALL_MODELS[m].firmware][k][index] for m, k in zip(f.model, f.firmware, strict=True)],
                        dtype=object)

    return value


def _bios_vendor(f: Fleet) -> np.ndarray:
    return np.array([wd.FIRMWARE[m.firmware][0] for m in ALL_MODELS], dtype=object)[f.model]


def _cert_blob(name: str) -> str:
    digest = hash_of("cert", name)
    return "-".join(digest[i:i + 2] for i in range(0, len(digest), 2))


_ROOTS = ("8F4E2B6C1D0A9E7F3B5C2D1E0F9A8B7C6D5E4F3A", "0A1B2C3D4E5F60718293A4B5C6D7E8F901234567")
_ISSUING = ("3C2B1A0F9E8D7C6B5A4F3E2D1C0B0A9988776655",)
_DP = lambda f: f.role == "DP"  # noqa: E731 - a tiny predicate used inline below
_JOINED = lambda f: f.domain_joined  # noqa: E731


def _lower_version(f: Fleet) -> np.ndarray:
    return np.where(f.ps4, "4.0", np.char.add("5.1.", np.char.add(f.os_attr("build").astype(str), ".1"))).astype(object)


KEYS: tuple[Key, ...] = (
    _k("SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
       ProductName=_product_name, EditionID=_per(lambda f: f.edition), DisplayVersion=_per(lambda f: f.os_attr("display")),
       ReleaseId=_per(lambda f: np.where(np.isin(f.os_attr("build"), ["17134", "17763", "18363", "14393"]), f.os_attr("display"), "2009")),
       CurrentBuild=_per(lambda f: f.os_attr("build")), CurrentBuildNumber=_per(lambda f: f.os_attr("build")),
       UBR=_per(lambda f: f.ubr.astype(str)), CurrentVersion="6.3",
       CurrentMajorVersionNumber=_per(lambda f: np.where(f.ps4, NULL, "10")),
       CurrentMinorVersionNumber=_per(lambda f: np.where(f.ps4, NULL, "0")),
       InstallationType=_per(lambda f: np.where(f.is_server, "Server", "Client")), RegisteredOrganization="Contoso",
       RegisteredOwner="Contoso", SystemRoot="C:\\Windows", PathName="C:\\Windows", SoftwareType="System",
       BuildBranch=_per(lambda f: np.where(np.isin(f.os_attr("build"), ["22621", "22631"]), "ni_release",
                                           np.where(f.os_attr("build") == "26100", "ge_release", "vb_release")))),
    _indicator("CO21H2", _win10), _indicator("NI22H2", _win10), _indicator("NI23H2", _win10),
    _indicator("GE24H2", lambda f: _win10(f) | _win11_pre24h2(f)),
    _k("SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\AppCompatFlags\\Appraiser\\GWX", lambda f: ~f.is_server,
       SdbEntries=_per(lambda f: _upgrade(f)["SdbEntries"]), Version="2834", RunTime="1733097600",
       UpgEx=_per(lambda f: _upgrade(f)["UpgEx"])),
    _k("SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\OneSettings\\compat\\appraiser\\Settings", lambda f: ~f.is_server,
       ALTDATA="1", ALTDATAURL="https://ceuswatcab01.blob.core.windows.net/cabs/appraiser/2834/appraiser_AltData.cab",
       ALTDATAVERSION="2834", ALTDATAVERSIONFULL="2834.0.0.1", SettingsUrl="https://settings.data.microsoft.com/settings/v2.0/compat/appraiser"),
    _k("SOFTWARE\\Microsoft\\SMS\\Client\\Configuration\\Client Properties", named={
        "Local SMS Path": "C:\\Windows\\CCM\\", "Full Name": _per(lambda f: np.char.add(f.name.astype(str), ".contoso.com")),
        "SMS Client Version": _per(lambda f: f.client_version)}),
    _k("SOFTWARE\\Microsoft\\SMS\\Mobile Client", ProductVersion=_per(lambda f: f.client_version),
       AssignedSiteCode=wd.SITE_CODE, GPRequestedSiteAssignmentCode=wd.SITE_CODE, ProductCode="{8864FB91-94EE-4F16-A144-0D82A232049D}",
       SmsClientInstallPath="C:\\Windows\\CCM", UpgradeMode="0"),
    _k("SOFTWARE\\Microsoft\\SMS\\Mobile Client\\Reboot Management\\RebootData", lambda f: ~f.patched & (stream(f.seed, "reboot").random(f.n) < 0.3),
       RebootBy="0", RebootValueInUTC="1", NotifyUI="1", HardReboot="0", OverrideRebootWindowTime="0", OverrideRebootWindow="0",
       PreferredRebootWindowTypes="4", GraceSeconds="0"),
    _k("SOFTWARE\\Microsoft\\SMS\\Tracing"),
    _k("SOFTWARE\\Microsoft\\SMS\\DP", _DP, RamDiskTFTPWindowSize="8", RamDiskTFTPBlockSize="4096",
       ContentLibraryPath="D:\\SCCMContentLib", IsPXE="1", IsMulticast="0", IsAnonymousAccessEnabled="1",
       SupportUnknownMachines="1", DPShareDrive="D:\\", ContentLibUsableDrives="D:\\"),
    _k("SOFTWARE\\Microsoft\\SMS\\Identification", lambda f: f.role == "CM", named={
        "Site Code": wd.SITE_CODE, "Site Name": "Contoso Primary Site", "Parent Site Code": "",
        "Installation Directory": "D:\\Program Files\\Microsoft Configuration Manager"}),
    _k("SOFTWARE\\Microsoft\\CCM\\Logging\\@Global", LogDirectory="C:\\Windows\\CCM\\Logs", LogLevel="1",
       LogMaxSize="250000", LogMaxHistory="1", LogEnabled="1"),
    _k("SOFTWARE\\Microsoft\\CCM\\CcmEval", LastEvalTime="20241126080512.000000+000", LastEvalResult="7",
       LastEvalResultValue="Healthy"),
    *(_k(f"SOFTWARE\\Microsoft\\EnterpriseCertificates\\Root\\Certificates\\{t}", _JOINED, Blob=_cert_blob(t)) for t in _ROOTS),
    *(_k(f"SOFTWARE\\Microsoft\\EnterpriseCertificates\\CA\\Certificates\\{t}", _JOINED, Blob=_cert_blob(t)) for t in _ISSUING),
    *(_k(f"SOFTWARE\\Microsoft\\EnterpriseCertificates\\NTAuth\\Certificates\\{t}", _JOINED, Blob=_cert_blob(t)) for t in _ISSUING),
    _k("SOFTWARE\\Policies\\Microsoft\\EdgeUpdate", lambda f: ~f.is_server & f.domain_joined, named={
        "UpdateDefault": "1", "AutoUpdateCheckPeriodMinutes": "240",
        "Update{56EB18F8-B008-4CBD-B6D2-8C97FE7E9062}": "1", "InstallDefault": "1",
        "TargetChannel{56EB18F8-B008-4CBD-B6D2-8C97FE7E9062}": "Stable"}),
    _k("SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate", _JOINED, WUServer="http://CM01.contoso.com:8530",
       WUStatusServer="http://CM01.contoso.com:8530", UpdateServiceUrlAlternate="", SetProxyBehaviorForUpdateDetection="0"),
    _k("SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU", _JOINED, UseWUServer="1", NoAutoUpdate="1", AUOptions="4"),
    _k("SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired",
       lambda f: ~f.patched & (stream(f.seed, "reboot").random(f.n) < 0.3), named={"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d": "1"}),
    _k("SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run", lambda f: ~f.is_server,
       SecurityHealth="%windir%\\system32\\SecurityHealthSystray.exe",
       RtkAudUService=_per(lambda f: np.where(f.form != "VM", '"C:\\Windows\\System32\\RtkAudUService64.exe" -background', NULL))),
    _k("SOFTWARE\\Microsoft\\Cryptography", MachineGuid=_per(lambda f: np.array([hash_of("machineguid", r)[:32].lower() for r in f.rid], dtype=object))),
    _k("SOFTWARE\\Microsoft\\PowerShell\\3\\PowerShellEngine", PowerShellVersion=_lower_version,
       ApplicationBase="C:\\Windows\\System32\\WindowsPowerShell\\v1.0", RuntimeVersion="v4.0.30319"),
    _k("SOFTWARE\\Microsoft\\PowerShell\\1\\PowerShellEngine", PowerShellVersion="2.0",
       ApplicationBase="C:\\Windows\\System32\\WindowsPowerShell\\v1.0", RuntimeVersion="v2.0.50727"),
    _k("SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration", lambda f: f.has("m365") | f.has("m365-rds"),
       VersionToReport=_per(lambda f: np.where(f.has("m365"), f.product_version("m365"), f.product_version("m365-rds"))),
       CDNBaseUrl="http://officecdn.microsoft.com/pr/492350f6-3a01-4f97-b9c0-c7c6ddf67d60", Platform="x64",
       ClientCulture="en-us", ProductReleaseIds="O365ProPlusRetail", UpdatesEnabled="True", OfficeMgmtCOM="True"),
    _k("SOFTWARE\\Microsoft\\Windows Defender", lambda f: ~(f.ps4 & f.is_server),
       InstallLocation="C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\",
       ProductAppDataPath="C:\\ProgramData\\Microsoft\\Windows Defender", IsServiceRunning="1"),
    _k("SOFTWARE\\Microsoft\\Windows Defender\\Features", lambda f: ~(f.ps4 & f.is_server),
       TamperProtection=_per(lambda f: np.where(stream(f.seed, "tamper").random(f.n) < 0.82, "5", "4"))),
    _k("SYSTEM\\CurrentControlSet\\Control\\Lsa", LmCompatibilityLevel="5", LimitBlankPasswordUse="1",
       RunAsPPL=_per(lambda f: np.where(stream(f.seed, "ppl").random(f.n) < 0.4, "1", NULL)), NoLmHash="1"),
    _k("SYSTEM\\CurrentControlSet\\Control\\SecureBoot\\State", lambda f: f.uefi,
       UEFISecureBootEnabled=_per(lambda f: np.where(stream(f.seed, "secureboot").random(f.n) < 0.93, "1", "0"))),
    _k("SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters",
       SMB1=_per(lambda f: np.where(f.smb1 | f.ps4, "1", "0")), EnableSecuritySignature="1",
       RequireSecuritySignature=_per(lambda f: np.where(f.role == "DC", "1", "0")), AutoShareWks="1"),
    _k("SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall"),
    _k("HARDWARE\\DESCRIPTION\\System\\BIOS", BIOSVendor=_bios_vendor, BIOSVersion=_bios(1),
       SystemManufacturer=_per(lambda f: f.manufacturer), SystemProductName=_per(lambda f: f.model_name),
       BaseBoardManufacturer=_per(lambda f: f.manufacturer), SystemFamily=_per(lambda f: f.form)),
)


# ------------------------------------------------------------------------------- paths

_HIVES = {"hklm": HKLM, "hkey_local_machine": HKLM, "hkcu": "HKEY_CURRENT_USER", "hkey_current_user": "HKEY_CURRENT_USER",
          "hkcr": "HKEY_CLASSES_ROOT", "hkey_classes_root": "HKEY_CLASSES_ROOT", "hku": "HKEY_USERS",
          "hkey_users": "HKEY_USERS"}


def normalise(path: str) -> list[str] | None:
    """Segments of a registry path with the hive spelled out, or None when it isn't one."""
    text = path.strip().strip("'\"").replace("/", "\\")
    text = re.sub(r"^(microsoft\.powershell\.core\\)?registry::", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\\+", r"\\", text).rstrip("\\")
    head, sep, rest = text.partition(":")
    if sep:
        hive = _HIVES.get(head.lower())
        if hive is None:
            return None
        rest = rest.lstrip("\\")
    else:
        head, _, rest = text.partition("\\")
        hive = _HIVES.get(head.lower())
        if hive is None:
            return None
    return [hive, *(s for s in rest.split("\\") if s)]


def _matches(pattern: list[str], key: list[str]) -> bool:
    return len(pattern) == len(key) and all(
        fnmatch.fnmatchcase(k.lower(), p.lower()) for p, k in zip(pattern, key, strict=True))


def _all_keys(fleet: Fleet, dynamic: dict[str, np.ndarray]) -> list[tuple[str, np.ndarray, Key | None]]:
    """Every key with its presence per device: modelled keys, then their ancestors."""
    present: dict[str, np.ndarray] = {}
    models: dict[str, Key] = {}
    for key in KEYS:
        mask = np.ones(fleet.n, dtype=bool) if key.who is None else np.asarray(key.who(fleet), dtype=bool)
        present[key.path] = present.get(key.path, np.zeros(fleet.n, dtype=bool)) | mask
        models[key.path] = key
    for path, mask in dynamic.items():
        present[path] = present.get(path, np.zeros(fleet.n, dtype=bool)) | mask
    for path, mask in list(present.items()):
        parts = path.split("\\")
        for depth in range(1, len(parts)):
            ancestor = "\\".join(parts[:depth])
            present[ancestor] = present.get(ancestor, np.zeros(fleet.n, dtype=bool)) | mask
    return [(path, present[path], models.get(path)) for path in sorted(present, key=str.lower)]


_UNINSTALL = f"{HKLM}\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall"


def _uninstall(request: Request) -> pl.DataFrame:
    """One key per installed product: _dev, key, Property, Value."""
    sw = request.rows_of("InstalledSoftware", ())
    key = pl.lit(_UNINSTALL + "\\") + pl.col("SoftwareCode")
    values = []
    for prop, column in (("DisplayName", "ProductName"), ("DisplayVersion", "ProductVersion"), ("Publisher", "Publisher"),
                         ("InstallLocation", "InstalledLocation"), ("UninstallString", "UninstallString")):
        values.append(sw.select(DEVICE, key.alias("key"), pl.lit(prop).alias("Property"), pl.col(column).alias("Value"))
                      .filter(pl.col("Value").is_not_null()))
    return pl.concat(values)


def _matched(request: Request, path: str) -> tuple[list[tuple[str, np.ndarray, Key | None]], pl.DataFrame | None]:
    pattern = normalise(path)
    if pattern is None:
        return [], None
    fleet = request.fleet
    dynamic_rows: pl.DataFrame | None = None
    dynamic: dict[str, np.ndarray] = {}
    parent = _UNINSTALL.split("\\")
    if len(pattern) >= len(parent) and _matches(pattern[: len(parent)], parent):
        dynamic_rows = _uninstall(request)
        if len(pattern) == len(parent) + 1:
            regex = "(?i)^" + fnmatch.translate(pattern[-1]).removeprefix("(?s:").removesuffix(")\\Z") + "$"
            dynamic_rows = dynamic_rows.filter(pl.col("key").str.split("\\").list.last().str.contains(regex))
            for (name,), group in dynamic_rows.group_by("key"):
                mask = np.zeros(fleet.n, dtype=bool)
                mask[group[DEVICE].to_numpy()] = True
                dynamic[str(name)] = mask
        else:
            dynamic_rows = None
    keys = [(p, m, k) for p, m, k in _all_keys(fleet, {}) if _matches(pattern, p.split("\\"))]
    keys += [(p, m, None) for p, m in sorted(dynamic.items())]
    return keys, dynamic_rows


@generates("Registry")
def registry(request: Request) -> pl.DataFrame:
    (path,) = request.args
    keys, dynamic_rows = _matched(request, path)
    fleet = request.fleet
    parts = []
    for order, (key_path, mask, model) in enumerate(keys):
        if model is None:
            continue
        for vorder, (prop, value) in enumerate(model.values):
            values = np.full(fleet.n, value, dtype=object) if isinstance(value, str) else value(fleet)
            dev = np.flatnonzero(mask & (values != None))  # noqa: E711 - elementwise
            parts.append(pl.DataFrame({
                DEVICE: dev.astype(np.int32), "Property": [prop] * dev.size, "Value": values[dev].astype(str).tolist(),
                "Key": [key_path] * dev.size, "_k": np.full(dev.size, order), "_v": np.full(dev.size, vorder),
            }, schema_overrides={"Value": pl.String}))
    if dynamic_rows is not None and dynamic_rows.height:
        parts.append(dynamic_rows.select(DEVICE, "Property", pl.col("Value").cast(pl.String), pl.col("key").alias("Key"),
                                         pl.lit(len(keys)).alias("_k"), pl.lit(0).alias("_v")))
    if not parts:
        return pl.DataFrame()
    frame = pl.concat(parts, how="vertical_relaxed")
    return frame.sort([DEVICE, "_k", "Key", "_v"], maintain_order=True).drop("_k", "_v")


@generates("RegistryKey")
def registry_key(request: Request) -> pl.DataFrame:
    (path,) = request.args
    keys, _ = _matched(request, path)
    parts = []
    for order, (key_path, mask, _) in enumerate(keys):
        dev = np.flatnonzero(mask)
        parts.append(pl.DataFrame({DEVICE: dev.astype(np.int32), "Key": [key_path] * dev.size,
                                   "_k": np.full(dev.size, order)}))
    if not parts:
        return pl.DataFrame()
    return pl.concat(parts).sort([DEVICE, "_k"]).drop("_k")
