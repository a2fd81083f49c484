"""What runs: the process templates and the conditions that select devices, ProcessModule and
AutoStartSoftware. Process itself (about 150-250 rows per device) is built column by column in
``process_table.py``; the services that run are in ``gen_services.py``.
"""

from __future__ import annotations

import fnmatch

import numpy as np
import polars as pl

from .fleet import Fleet
from .generators import DEVICE, Request, generates
from .process_data import PROCESSES, SVCHOST, SVCHOST_GROUPS, Proc
from .randomness import hash_of


def scope(fleet: Fleet, who: str) -> np.ndarray:
    """Devices a ``who`` condition of ``process_data`` / ``service_data`` selects (memoised)."""
    key = f"scope/{who}"
    found = fleet.memo.get(key)
    if found is None:
        found = fleet.memo[key] = _scope(fleet, who)
    assert isinstance(found, np.ndarray)
    return found


def _scope(fleet: Fleet, who: str) -> np.ndarray:
    kind, _, value = who.partition(":")
    build = fleet.os_attr("build")
    simple = {
        "all": lambda: np.ones(fleet.n, dtype=bool), "user": lambda: fleet.sam != None,  # noqa: E711
        "server": lambda: fleet.is_server, "workstation": lambda: ~fleet.is_server,
        "physical": lambda: fleet.form != "VM", "laptop": lambda: fleet.form == "Laptop",
        "win11": lambda: np.isin(build, ["22621", "22631", "26100"]),
        "win10": lambda: np.isin(build, ["19045", "19044", "19042", "18363", "17134"]),
        "smb1": lambda: fleet.smb1 | fleet.ps4, "sqlhost": lambda: np.isin(fleet.role, ["SQL", "CM"]),
    }
    if kind in simple:
        return np.asarray(simple[kind](), dtype=bool)
    if kind == "role":
        return fleet.role == value
    if kind == "product":
        return fleet.has(value)
    if kind == "hypervisor":
        return fleet.firmware_family == value
    raise ValueError(f"unknown condition {who!r}")


def _templates() -> list[Proc]:
    """Process templates in start order, the svchost instances right after services.exe."""
    at = next(i for i, p in enumerate(PROCESSES) if p.name == "services.exe") + 1
    name, path, description = SVCHOST
    svchosts = [Proc("svchost", name, path, args, description, "services.exe", ws_mb=12, threads=8, handles=300)
                for args in SVCHOST_GROUPS]
    return [*PROCESSES[:at], *svchosts, *PROCESSES[at:]]


TEMPLATES = _templates()
_INDEX_OF = {name: i for i, name in reversed(list(enumerate(t.name for t in TEMPLATES)))}
"""The first template of each process name."""


# ------------------------------------------------------------------------------- modules

_COMMON_MODULES = ("ntdll.dll", "KERNEL32.DLL", "KERNELBASE.dll", "msvcrt.dll", "ADVAPI32.dll", "sechost.dll",
                   "RPCRT4.dll", "ucrtbase.dll", "combase.dll", "USER32.dll", "win32u.dll", "GDI32.dll",
                   "gdi32full.dll", "msvcp_win.dll", "IMM32.DLL", "OLEAUT32.dll", "SHELL32.dll", "ole32.dll",
                   "bcryptPrimitives.dll", "CRYPTBASE.DLL", "uxtheme.dll", "windows.storage.dll", "wintypes.dll",
                   "SHLWAPI.dll", "kernel.appcore.dll", "profapi.dll", "powrprof.dll", "UMPDC.dll", "cfgmgr32.dll",
                   "bcrypt.dll", "CRYPTSP.dll", "rsaenh.dll", "WS2_32.dll", "mswsock.dll", "IPHLPAPI.DLL",
                   "DNSAPI.dll", "NSI.dll", "WINHTTP.dll", "clbcatq.dll", "version.dll")
_DOTNET_MODULES = ("mscoree.dll", "mscoreei.dll", "clr.dll", "clrjit.dll", "VCRUNTIME140_CLR0400.dll",
                   "ucrtbase_clr0400.dll", "mscorlib.ni.dll", "System.ni.dll", "System.Core.ni.dll",
                   "System.Management.Automation.ni.dll", "Microsoft.PowerShell.ConsoleHost.ni.dll",
                   "System.Management.ni.dll", "System.Xml.ni.dll", "System.Configuration.ni.dll",
                   "Microsoft.Management.Infrastructure.ni.dll", "System.DirectoryServices.ni.dll",
                   "Microsoft.PowerShell.Commands.Utility.ni.dll", "Microsoft.PowerShell.Commands.Management.ni.dll",
                   "System.Numerics.ni.dll", "System.Data.ni.dll", "System.Transactions.dll", "wldp.dll",
                   "amsi.dll", "MpOav.dll", "MPCLIENT.DLL", "atl.dll", "secur32.dll", "SSPICLI.DLL", "wbemcomn.dll",
                   "fastprox.dll", "wbemprox.dll", "wbemsvc.dll", "wmiutils.dll", "NTASN1.dll", "ncrypt.dll")
_NET_PROCESSES = {"powershell.exe", "powershell_ise.exe", "microsoft.management.services.intunewindowsagent.exe",
                  "microsoft.activedirectory.webservices.exe", "pbidesktop.exe"}


@generates("ProcessModule")
def process_module(request: Request) -> pl.DataFrame:
    (pattern,) = request.args
    processes = request.rows_of("Process", (), ("Name", "ExecutablePath"))
    regex = "(?i)^" + fnmatch.translate(pattern.lower().removesuffix(".exe")).removeprefix("(?s:").removesuffix(")\\Z") + "$"
    matched = processes.filter(
        pl.col("Name").str.to_lowercase().str.replace(r"\.exe$", "").str.contains(regex)
        & pl.col("ExecutablePath").is_not_null()
    ).select(DEVICE, "Name", "ExecutablePath")
    if matched.height == 0:
        return pl.DataFrame()
    parts = []
    for (name,), group in matched.group_by("Name", maintain_order=True):
        modules = [str(name), *_COMMON_MODULES]
        if str(name).lower() in _NET_PROCESSES:
            modules += list(_DOTNET_MODULES)
        reps = len(modules)
        idx = np.tile(np.arange(reps), group.height)
        module = pl.Series(modules).gather(idx)
        is_exe = pl.Series(idx == 0)
        path = group["ExecutablePath"].gather(np.repeat(np.arange(group.height), reps))
        folder = "C:\\Windows\\System32\\"
        parts.append(pl.DataFrame({
            DEVICE: group[DEVICE].gather(np.repeat(np.arange(group.height), reps)),
            "ModuleName": module,
            "FileName": pl.select(pl.when(is_exe).then(path).otherwise(pl.lit(folder) + module)).to_series(),
            "FileVersion": pl.Series([_version(m) for m in modules]).gather(idx),
            "Size": pl.Series([_size(m) for m in modules], dtype=pl.Int64).gather(idx),
            "MD5Hash": pl.Series([hash_of(m, "md5", algorithm="md5") for m in modules]).gather(idx),
        }))
    return pl.concat(parts).sort(DEVICE, maintain_order=True)


def _version(module: str) -> str:
    if module.endswith(".ni.dll") or module.startswith(("clr", "mscor", "System")):
        return "4.8.9282.0 built by: NET481REL1LAST_C"
    return "10.0.22621.4391 (WinBuild.160101.0800)"


def _size(module: str) -> int:
    return 65_536 + int(hash_of(module, algorithm="md5")[:5], 16) * 16


# ---------------------------------------------------------------------------- autostart

_AUTOSTART = (
    ("SecurityHealthSystray.exe", "10.0.22621.3527", "Windows Security notification icon", "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run", "Microsoft® Windows® Operating System", "Microsoft Corporation", "Run Registry Key", "%windir%\\system32\\SecurityHealthSystray.exe", "workstation"),
    ("OneDrive.exe", "24.201.1006.0005", "Microsoft OneDrive", "HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run", "Microsoft OneDrive", "Microsoft Corporation", "Run Registry Key", "\"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe\" /background", "product:onedrive"),
    ("msedge.exe", "131.0.2903.51", "Microsoft Edge", "HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run", "Microsoft Edge", "Microsoft Corporation", "Run Registry Key", "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --no-startup-window --win-session-start", "workstation"),
    ("Teams.exe", "1.7.00.13456", "Microsoft Teams", "HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run", "Microsoft Teams", "Microsoft Corporation", "Run Registry Key", "C:\\Users\\Public\\AppData\\Local\\Microsoft\\Teams\\Update.exe --processStart \"Teams.exe\" --process-start-args \"--system-initiated\"", "product:teamsmwi"),
    ("jusched.exe", "2.8.431.10", "Java Update Scheduler", "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run", "Java Platform SE Auto Updater", "Oracle Corporation", "Run Registry Key", "\"C:\\Program Files (x86)\\Common Files\\Java\\Java Update\\jusched.exe\"", "product:java8"),
    ("csc_ui.exe", "5.1.4.74", "Cisco Secure Client User Interface", "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run", "Cisco Secure Client", "Cisco Systems, Inc.", "Run Registry Key", "\"C:\\Program Files (x86)\\Cisco\\Cisco Secure Client\\UI\\csc_ui.exe\" -minimized", "product:anyconnect"),
    ("Zoom.exe", "6.2.47495", "Zoom Meetings", "HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run", "Zoom Meetings", "Zoom Video Communications, Inc.", "Run Registry Key", "\"C:\\Program Files\\Zoom\\bin\\Zoom.exe\" --autostart", "product:zoom"),
    ("RtkAudUService64.exe", "1.0.0.496", "Realtek HD Audio Universal Service", "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run", "Realtek Audio Universal Service", "Realtek Semiconductor", "Run Registry Key", "\"C:\\Windows\\System32\\RtkAudUService64.exe\" -background", "physical"),
    ("vmtoolsd.exe", "12.4.0.23259341", "VMware Tools Core Service", "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run", "VMware Tools", "VMware, Inc.", "Run Registry Key", "\"C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe\" -n vmusr", "hypervisor:vmware"),
    ("AdobeCollabSync.exe", "24.4.20220.0", "Adobe Collaboration Synchronizer", "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run", "Adobe Acrobat", "Adobe Systems Incorporated", "Run Registry Key", "\"C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\AdobeCollabSync.exe\"", "product:reader"),
    ("SnagitEditor.exe", "24.1.0.2654", "Snagit", "C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\Startup", "Snagit", "TechSmith Corporation", "Startup Folder", "Snagit 2024.lnk", "product:snagit"),
)


@generates("AutoStartSoftware")
def autostart(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    parts = []
    for file, version, desc, location, product, publisher, kind, value, who in _AUTOSTART:
        dev = np.flatnonzero(scope(fleet, who))
        n = dev.size
        parts.append(pl.DataFrame({
            DEVICE: dev.astype(np.int32), "FileName": [file] * n, "FileVersion": [version] * n,
            "Description": [desc] * n, "Location": [location] * n, "Product": [product] * n,
            "ProductVersion": [version] * n, "Publisher": [publisher] * n, "StartupType": [kind] * n,
            "StartupValue": [value] * n,
        }))
    return pl.concat(parts).sort(DEVICE, maintain_order=True)
