"""What runs: Process (about 150-250 per device), Service / Services, ProcessModule and
AutoStartSoftware.

Process is the big one (two million rows at 10,000 devices), so it is built as a device x
template count matrix expanded with ``np.repeat``; strings are gathered from the template table
(polars shares their buffers), and only the few rows whose path holds the user name are
formatted one by one. Parents are the first instance of the parent template on the same device.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

import numpy as np
import polars as pl

from .fleet import Fleet
from .generators import DEVICE, Request, generates
from .process_data import GROUPS, PROCESSES, SVCHOST, SVCHOST_GROUPS, Proc
from .randomness import hash_of, stream
from .service_data import PER_USER_SERVICES_TEXT, SERVICES_TEXT

MB = 1 << 20


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


def _command_line(proc: Proc) -> str | None:
    if proc.args is None or proc.path is None:
        return None
    path = f'"{proc.path}"' if " " in proc.path or proc.path.startswith("C:\\Program") else proc.path
    return f"{path} {proc.args}".rstrip()


@generates("Process")
def process(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    rng = request.rng()
    n, count = fleet.n, len(TEMPLATES)
    running = {g: scope(fleet, spec.who) & (rng.random(n) < spec.p) for g, spec in GROUPS.items()}
    counts = np.zeros((n, count), dtype=np.int64)
    svc_cols = [i for i, t in enumerate(TEMPLATES) if t.group == "svchost"]
    for i, t in enumerate(TEMPLATES):
        if t.group != "svchost":
            counts[:, i] = rng.integers(t.lo, t.hi + 1, n) * running[t.group]
    wanted = np.where(fleet.is_server, rng.integers(60, 92, n), rng.integers(58, 90, n))
    order = np.argsort(rng.random((n, len(svc_cols))), axis=1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(len(svc_cols))[None, :], axis=1)
    counts[:, svc_cols] = ranks < wanted[:, None]

    flat = counts.ravel()
    cells = np.repeat(np.arange(flat.size, dtype=np.int64), flat)
    dev, tpl = cells // count, cells % count
    rows = cells.size
    per_device = counts.sum(axis=1)
    first_row = np.cumsum(per_device) - per_device
    starts = np.repeat(first_row, per_device)
    steps = rng.integers(1, 28, rows, dtype=np.int32)
    total = np.cumsum(steps, dtype=np.int64)
    before = np.repeat(total[first_row] - steps[first_row], per_device)
    pid = (total - before) * 4 + 96          # increasing within a device, like start order
    names = np.array([t.name for t in TEMPLATES], dtype=object)
    kernel = {"System Idle Process": 0, "System": 4}
    for name, value in kernel.items():
        pid[tpl == list(names).index(name)] = value

    cell_start = np.cumsum(flat) - flat
    first_pid = np.full(flat.size + 1, -1, dtype=np.int64)
    present = flat > 0
    first_pid[:-1][present] = pid[cell_start[present]]
    index_of: dict[str, int] = {}
    for i, t in enumerate(TEMPLATES):
        index_of.setdefault(t.name, i)
    parent_tpl = np.array([index_of.get(t.parent, -1) if t.parent else -1 for t in TEMPLATES])
    ptpl = parent_tpl[tpl]
    parent_cell = np.where(ptpl >= 0, dev * count + ptpl, flat.size)
    ppid = first_pid[parent_cell]
    orphan = rng.integers(60, 240, rows) * 4
    ppid = np.where(ppid >= 0, ppid, np.where(ptpl >= 0, orphan, orphan))
    ppid[np.isin(tpl, [index_of["System Idle Process"], index_of["System"]])] = 0

    boot = fleet.boot_age[dev]
    logon = boot - rng.integers(30, 900, n)[dev]
    start_kind = np.array([{"boot": 0, "logon": 1, "any": 2}[t.start] for t in TEMPLATES], dtype=np.int8)[tpl]
    order_offset = (np.arange(rows) - starts) // 3
    anytime = (rng.random(rows, dtype=np.float32) * np.maximum(boot - 60, 1)).astype(np.int64)
    age = np.where(start_kind == 0, boot - 2 - order_offset, np.where(start_kind == 1, logon - order_offset, anytime))
    np.clip(age, 0, boot, out=age)
    system = tpl == index_of["System"]
    age[system] = boot[system]

    # One draw sizes a process (working set, threads and handles grow together), one its CPU time.
    size = np.exp(rng.standard_normal(rows, dtype=np.float32) * np.float32(0.4))
    busy = np.exp(rng.standard_normal(rows, dtype=np.float32))
    ws_mb = np.array([t.ws_mb for t in TEMPLATES], dtype=np.float32)[tpl]
    ws = (ws_mb * size * MB).astype(np.int64) // 4096 * 4096
    threads = np.maximum(1, np.array([t.threads for t in TEMPLATES], dtype=np.float32)[tpl] * np.sqrt(size)).astype(np.int64)
    handles = (np.array([t.handles for t in TEMPLATES], dtype=np.float32)[tpl] * np.sqrt(size)).astype(np.int64)
    cpu = age.astype(np.float32) * np.float32(2e4 / 50.0) * busy * ws_mb
    table = pl.DataFrame({
        "Name": names.tolist(),
        "ExecutablePath": [t.path for t in TEMPLATES],
        "CommandLine": [_command_line(t) for t in TEMPLATES],
        "Description": [t.description or None for t in TEMPLATES],
    })
    gathered = table[tpl]
    frame = pl.DataFrame({
        DEVICE: dev.astype(np.int32), "Name": gathered["Name"], "ProcessId": pid,
        "ParentProcessId": ppid, "CommandLine": gathered["CommandLine"], "ExecutablePath": gathered["ExecutablePath"],
        "CreationDate": age, "WorkingSetSize": ws,
        "VirtualSize": np.where(ws_mb < 0.01, 8192, ws * 3 + 2_199_023_255_552),
        "PageFileUsage": (ws * 0.7).astype(np.int64) >> 10, "ThreadCount": threads, "HandleCount": handles,
        "Priority": np.array([t.priority for t in TEMPLATES])[tpl],
        "SessionId": np.array([t.session for t in TEMPLATES])[tpl],
        "KernelModeTime": (cpu * 0.4).astype(np.int64), "UserModeTime": (cpu * 0.6).astype(np.int64),
        "Description": gathered["Description"],
    })
    return _with_users(frame, fleet, tpl)


def _with_users(frame: pl.DataFrame, fleet: Fleet, tpl: np.ndarray) -> pl.DataFrame:
    """Put the signed-in user's name into the few paths and command lines that hold ``{user}``."""
    user_tpl = [i for i, t in enumerate(TEMPLATES) if "{user}" in (t.path or "") + (t.args or "")]
    rows = np.flatnonzero(np.isin(tpl, user_tpl))
    if rows.size == 0:
        return frame
    users = pl.Series(fleet.sam.tolist(), dtype=pl.String).fill_null("Administrator").gather(frame[DEVICE].gather(rows))
    updates = {}
    for column in ("ExecutablePath", "CommandLine"):
        subset = pl.DataFrame({"v": frame[column].gather(rows), "u": users})
        values = subset.select(pl.col("v").str.replace_all("{user}", pl.col("u"), literal=True)).to_series()
        updates[column] = frame[column].scatter(rows, values)
    return frame.with_columns(**updates)


# ------------------------------------------------------------------------------- services

_MODES = {"A": "Auto", "D": "Auto", "M": "Manual", "X": "Disabled"}
_ACCOUNTS = {"LS": "LocalSystem", "LSV": "NT AUTHORITY\\LocalService", "NS": "NT AUTHORITY\\NetworkService"}
_LSASS_HOSTED = {"KeyIso", "Netlogon", "SamSs", "VaultSvc", "NTDS", "Kdc"}
_PAUSABLE = {"LanmanServer", "LanmanWorkstation", "Winmgmt", "Netlogon", "W3SVC", "MSSQLSERVER", "Schedule"}


def _parse(text: str) -> list[list[str]]:
    return [line.split("|") for line in text.strip().splitlines()]


SERVICES = _parse(SERVICES_TEXT)
PER_USER = _parse(PER_USER_SERVICES_TEXT)


@dataclass(frozen=True)
class _ServiceTemplate:
    name: str
    display: str
    mode: str
    p_run: float
    account: str
    path: str
    host: str
    who: str
    per_user: bool = False


def _service_template(name: str, display: str, mode: str, p_run: str, account: str, binary: str, who: str,
                      per_user: bool = False) -> _ServiceTemplate:
    if binary.startswith("svchost:"):
        path, host = f"C:\\Windows\\system32\\svchost.exe -k {binary[8:]}", "svchost.exe"
    elif name in _LSASS_HOSTED:
        path, host = binary, "lsass.exe"
    else:
        path = binary
        exe = re.split(r"\.exe", binary.strip('"'), maxsplit=1, flags=re.IGNORECASE)[0]
        host = exe.rsplit("\\", 1)[-1].lower() + ".exe"
    return _ServiceTemplate(name, display, mode, float(p_run), _ACCOUNTS.get(account, account), path, host, who,
                            per_user)


def _service_templates() -> list[_ServiceTemplate]:
    out = [_service_template(name, display, mode, p_run, account, binary, who)
           for name, display, mode, p_run, account, binary, who in SERVICES]
    for name, display, mode, p_run in PER_USER:
        binary = f"svchost:UnistackSvcGroup -s {name}"
        out.append(_service_template(name, display, "M", "0", "LS", binary, "all"))
        out.append(_service_template(name, display, mode, p_run, "LS", binary, "user", per_user=True))
    return out


SERVICE_TEMPLATES = _service_templates()


@generates("Service")
def service(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    rng = request.rng()
    templates = SERVICE_TEMPLATES
    present = np.stack([scope(fleet, t.who) for t in templates], axis=1)
    dev, tpl = np.nonzero(present)
    rows = dev.size
    p_run = np.array([t.p_run for t in templates], dtype=np.float32)[tpl]
    running = rng.random(rows, dtype=np.float32) < p_run
    mode = np.array([t.mode for t in templates])[tpl]
    manual = mode == "M"
    auto_flaky = np.isin(mode, ["A", "D"]) & (p_run < 1)
    stopped_code = np.where(manual & (rng.random(rows, dtype=np.float32) < 0.7), 1077,
                            np.where(auto_flaky, rng.choice(np.array([0, 0, 1067, 7023]), rows), 0))
    static = pl.DataFrame({
        "Name": [t.name for t in templates], "DisplayName": [t.display for t in templates],
        "Description": [t.display for t in templates], "StartMode": [_MODES[t.mode] for t in templates],
        "StartName": [t.account for t in templates], "PathName": [t.path for t in templates],
        "ServiceType": ["Share Process" if t.host in ("svchost.exe", "lsass.exe") else "Own Process" for t in templates],
        "DelayedAutoStart": [t.mode == "D" for t in templates],
        "AcceptPause": [t.name in _PAUSABLE for t in templates],
        "Stoppable": [t.name not in ("RpcSs", "DcomLaunch", "RpcEptMapper", "LSM", "SamSs") for t in templates],
    })[tpl]
    frame = static.with_columns(
        pl.Series(DEVICE, dev.astype(np.int32)),
        pl.when(pl.Series(running)).then(pl.lit("Running")).otherwise(pl.lit("Stopped")).alias("State"),
        pl.lit("OK").alias("Status"),
        pl.Series("ProcessId", _service_pids(fleet, request.rows_of("Process", ()), templates, dev, tpl, running, rng)),
        pl.Series("Started", running),
        pl.Series("ExitCode", np.where(running, 0, stopped_code).astype(np.int64)),
    ).with_columns(
        (pl.col("Stoppable") & pl.col("Started")).alias("AcceptStop"),
        (pl.col("AcceptPause") & pl.col("Started")).alias("AcceptPause"),
    ).drop("Stoppable")
    instances = np.flatnonzero(np.isin(tpl, [i for i, t in enumerate(templates) if t.per_user]))
    if instances.size:
        codes = stream(fleet.seed, "services", "suffix").integers(0, 16**5, fleet.n)
        suffix = pl.Series([f"_{c:05x}" for c in codes]).gather(dev[instances])
        frame = frame.with_columns(
            frame["Name"].scatter(instances, frame["Name"].gather(instances) + suffix),
            frame["DisplayName"].scatter(instances, frame["DisplayName"].gather(instances) + suffix),
        )
    return frame


def _service_pids(fleet: Fleet, processes: pl.DataFrame, templates: list[_ServiceTemplate], dev: np.ndarray,
                  tpl: np.ndarray, running: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """ProcessId of running services: the hosting process on the same device (a random svchost for
    shared svchost services), 0 when stopped."""
    hosts = sorted({t.host for t in templates})
    codes = {name: i for i, name in enumerate(hosts)}
    lowered = processes.select(
        DEVICE, pl.col("Name").str.to_lowercase().replace_strict(codes, default=-1, return_dtype=pl.Int32).alias("code"),
        "ProcessId",
    ).filter(pl.col("code") >= 0)
    host_of = np.array([codes[t.host] for t in templates])[tpl]
    pid = ((rng.integers(250, 9000, dev.size)) * 4).astype(np.int64)   # a service whose host isn't listed
    code = lowered["code"].to_numpy()
    pdev = lowered[DEVICE].to_numpy()
    ppid = lowered["ProcessId"].to_numpy()
    for h, host in enumerate(hosts):
        mine = code == h
        if not mine.any():
            continue
        hdev, hpid = pdev[mine], ppid[mine]
        counts = np.bincount(hdev, minlength=fleet.n)
        first = np.cumsum(counts) - counts
        rows = np.flatnonzero(host_of == h)
        rdev = dev[rows]
        has = counts[rdev] > 0
        slot = rng.integers(0, 1 << 30, rows.size) % np.maximum(counts[rdev], 1) if host == "svchost.exe" else 0
        chosen = np.where(has, first[rdev] + slot, 0)
        pid[rows] = np.where(has, hpid[np.minimum(chosen, max(hpid.size - 1, 0))], pid[rows])
    return np.where(running, pid, 0)


@generates("Services")
def services(request: Request) -> pl.DataFrame:
    frame = request.rows_of("Service", ())
    names = pl.Series(request.fleet.name.tolist(), dtype=pl.String)
    return frame.with_columns(
        pl.lit(False).alias("DesktopInteract"),
        pl.when(pl.col("StartMode") == "Disabled").then(pl.lit("Ignore")).otherwise(pl.lit("Normal")).alias("ErrorControl"),
        pl.lit(0, pl.Int64).alias("ServiceSpecificExitCode"), pl.col("DisplayName").alias("Caption"),
        names.gather(frame[DEVICE]).alias("SystemName"),
    )


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
    processes = request.rows_of("Process", ())
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
