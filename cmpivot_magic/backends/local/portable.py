"""Collectors that psutil and the standard library answer the same way on Linux and macOS.

| Entity | Source | Mapping decisions |
|---|---|---|
| Process | ``psutil.process_iter(attrs=...)`` with only the attributes the query's columns need | ``CommandLine`` = argv joined by spaces (null for kernel threads); ``Priority`` = nice; ``HandleCount`` = open file descriptors (null where unreadable); ``KernelModeTime``/``UserModeTime`` in 100 ns units like Win32_Process; ``PageFileUsage`` null; ``Description`` = ``Name`` as Windows does |
| Disk, LogicalDisk | ``psutil.disk_partitions(all=True)`` + ``os.statvfs`` | one row per mounted disk or network file system (and ``/`` whatever it is); pseudo/RAM file systems and bind-mounted files are left out. ``DeviceID`` = ``Name`` = mount point; ``Description``/``DriveType`` as Win32_LogicalDisk (``Local Fixed Disk``/3, ``Removable Disk``/2, ``Network Connection``/4, ``CD-ROM Disc``/5); ``FreeSpace`` = space available to users (``df``'s Avail); Disk in bytes, LogicalDisk in MB |
| Environment | ``os.environ`` of the kernel process (+ ``/etc/environment`` as system variables) | ``UserName`` = ``DEVICE\\user`` or ``<SYSTEM>`` like Win32_Environment |
| User, SystemConsoleUser | ``psutil.users()`` (utmp sessions) | names as ``DEVICE\\user``; SystemConsoleUser summarises the current sessions only |
| PhysicalMemory | ``psutil.virtual_memory().total`` | one row for all memory (DIMMs are not visible without root tools) |

IPConfig and Connection are in ``network``; File and FileContent in ``files``.
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import locale
import os
import platform
import re
import stat
import sys
from typing import Any

import psutil

from cmpivot_magic.backends.local.common import (
    Request,
    Row,
    from_timestamp,
    mebibytes,
    qualified_user,
    read_line,
    read_text,
    within,
)

# -- platform facts -------------------------------------------------------------------------------


def os_architecture() -> str:
    machine = platform.machine().lower()
    wide = machine in {"x86_64", "amd64", "aarch64", "arm64", "ppc64", "ppc64le", "s390x", "riscv64",
                       "loongarch64", "mips64", "sparc64"}  # fmt: skip
    return "64-bit" if wide or sys.maxsize > 2**32 else "32-bit"


@functools.cache
def _lcid_by_locale() -> dict[str, int]:
    table: dict[str, int] = {}
    for lcid, name in locale.windows_locale.items():
        table[name] = min(lcid, table.get(name, lcid))
    return table


def windows_lcid() -> int | None:
    """The Windows language id (LCID) of the system locale: ``en_US.UTF-8`` -> 1033."""
    name = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG")
    if not name:
        for path in ("/etc/default/locale", "/etc/locale.conf"):
            match = re.search(r"^LANG=\"?([^\"\n]+)", read_text(path) or "", re.MULTILINE)
            if match:
                name = match.group(1)
                break
    if not name:
        return None
    language = name.split(".")[0].split("@")[0]
    if language in ("C", "POSIX"):
        language = "en_US"  # the C locale's messages and formats are US English
    return _lcid_by_locale().get(language)


# -- Process ---------------------------------------------------------------------------------------

# catalog column -> the psutil attributes it needs; pid is always read.
_PROCESS_ATTRS: dict[str, tuple[str, ...]] = {
    "Name": ("name",),
    "Description": ("name",),
    "ParentProcessId": ("ppid",),
    "CommandLine": ("cmdline",),
    "ExecutablePath": ("exe",),
    "CreationDate": ("create_time",),
    "WorkingSetSize": ("memory_info",),
    "VirtualSize": ("memory_info",),
    "ThreadCount": ("num_threads",),
    "HandleCount": ("num_fds",),
    "Priority": ("nice",),
    "KernelModeTime": ("cpu_times",),
    "UserModeTime": ("cpu_times",),
}
_TICKS_PER_SECOND = 10_000_000  # Win32_Process times count 100 ns ticks


COMM_LENGTH = 15  # Linux keeps 15 characters of a process's name (TASK_COMM_LEN 16 with the NUL)


def full_process_name(proc: psutil.Process, name: str | None) -> str | None:
    """The process's whole executable name where the kernel's ``comm`` cut it at 15 characters.

    psutil's ``name()`` extends a cut name from ``cmdline[0]`` only, so a script started through
    its interpreter (``python /usr/local/bin/jupyter-nbconvert``) keeps ``jupyter-nbconve``. The
    whole name is the first of the executable and the first command-line words whose file name
    starts with the cut one. Only cut names pay for reading the command line.
    """
    if not name or len(name) < COMM_LENGTH:
        return name
    try:
        candidates = [proc.exe(), *proc.cmdline()[:3]]
    except (psutil.Error, OSError):  # gone, or not ours to read
        return name
    for candidate in candidates:
        base = os.path.basename(candidate) if candidate else ""
        if len(base) > len(name) and base.startswith(name):
            return base
    return name


def process(req: Request) -> list[Row]:
    attrs = {"pid"}
    for column, needed in _PROCESS_ATTRS.items():
        if req.wants(column):
            attrs.update(needed)
    if not hasattr(psutil.Process, "num_fds"):
        attrs.discard("num_fds")
    session = req.wants("SessionId") and hasattr(os, "getsid")
    rows = []
    for proc in psutil.process_iter(attrs=sorted(attrs), ad_value=None):
        info: dict[str, Any] = proc.info
        cmdline = info.get("cmdline")
        memory = info.get("memory_info")
        times = info.get("cpu_times")
        name = full_process_name(proc, info.get("name"))
        row: Row = {
            "ProcessId": info["pid"],
            "Name": name,
            "Description": name,
            "ParentProcessId": info.get("ppid"),
            "CommandLine": " ".join(cmdline) if cmdline else None,
            "ExecutablePath": info.get("exe") or None,
            "CreationDate": from_timestamp(info.get("create_time")),
            "WorkingSetSize": memory.rss if memory else None,
            "VirtualSize": memory.vms if memory else None,
            "ThreadCount": info.get("num_threads"),
            "HandleCount": info.get("num_fds"),
            "Priority": info.get("nice"),
            "KernelModeTime": round(times.system * _TICKS_PER_SECOND) if times else None,
            "UserModeTime": round(times.user * _TICKS_PER_SECOND) if times else None,
        }
        if session:
            with contextlib.suppress(OSError):  # the process ended meanwhile
                row["SessionId"] = os.getsid(info["pid"])
        rows.append(row)
    return rows


# -- Disk and LogicalDisk --------------------------------------------------------------------------

NETWORK_FILE_SYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "afs", "ceph", "glusterfs", "fuse.glusterfs", "fuse.sshfs",
     "sshfs", "9p", "davfs", "fuse.davfs2", "lustre", "beegfs", "gpfs", "afpfs", "webdav", "ncpfs"}
)  # fmt: skip
_OPTICAL_FILE_SYSTEMS = frozenset({"iso9660", "udf", "cd9660"})
_NETWORK_STAT_TIMEOUT = 2.0  # a hung NFS server must not hang the query


def disks(req: Request, *, megabytes: bool) -> list[Row]:
    """Win32_LogicalDisk-like rows; sizes in bytes (Disk) or MB (LogicalDisk)."""
    physical = {part.mountpoint for part in psutil.disk_partitions(all=False)}
    chosen: dict[str, Any] = {}
    for part in psutil.disk_partitions(all=True):
        fstype = part.fstype.lower()
        network = fstype in NETWORK_FILE_SYSTEMS
        if not (network or part.mountpoint in physical or part.mountpoint == "/"):
            continue
        if not network and not _is_directory(part.mountpoint):
            continue  # a bind-mounted file such as a container's /etc/hosts
        chosen[part.mountpoint] = part  # a later mount on the same point hides the earlier one
    labels = _disk_links("/dev/disk/by-label") if req.wants("VolumeName") else {}
    uuids = _disk_links("/dev/disk/by-uuid") if req.wants("VolumeSerialNumber") else {}
    sized = req.wants("Size", "FreeSpace")
    rows = []
    for mountpoint, part in chosen.items():
        fstype = part.fstype.lower()
        network = fstype in NETWORK_FILE_SYSTEMS
        drive_type, description = _drive_type(part.device, fstype, network)
        size = free = None
        if sized:
            usage = _statvfs(mountpoint, bounded=network)
            if usage is not None:
                size = usage.f_blocks * usage.f_frsize
                free = usage.f_bavail * usage.f_frsize
        device = _real(part.device)
        row: Row = {
            "DeviceID": mountpoint,
            "Name": mountpoint,
            "Caption": mountpoint,
            "Description": description,
            "DriveType": drive_type,
            "FileSystem": part.fstype or None,
            "Size": mebibytes(size) if megabytes else size,
            "FreeSpace": mebibytes(free) if megabytes else free,
            "VolumeName": labels.get(device),
            "VolumeSerialNumber": uuids.get(device),
            "ProviderName": part.device if network else None,
            "SystemName": req.device,
            "MediaType": 12 if drive_type == 3 else None,  # Win32 MediaType 12: fixed hard disk
        }
        rows.append(row)
    return rows


def _is_directory(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def _real(device: str) -> str:
    return os.path.realpath(device) if device.startswith("/dev/") else device


def _drive_type(device: str, fstype: str, network: bool) -> tuple[int, str]:
    if network:
        return 4, "Network Connection"
    if fstype in _OPTICAL_FILE_SYSTEMS:
        return 5, "CD-ROM Disc"
    if _removable(device):
        return 2, "Removable Disk"
    return 3, "Local Fixed Disk"


def _removable(device: str) -> bool:
    """True for a partition of a disk Linux marks removable (USB sticks, SD cards)."""
    name = os.path.basename(_real(device))
    block = os.path.realpath(f"/sys/class/block/{name}")
    if os.path.exists(os.path.join(block, "partition")):
        block = os.path.dirname(block)
    return read_line(os.path.join(block, "removable")) == "1"


def _disk_links(directory: str) -> dict[str, str]:
    """Device path -> name from udev's /dev/disk/by-label or by-uuid links (names are \\x-escaped)."""
    try:
        names = os.listdir(directory)
    except OSError:
        return {}
    links = {}
    for name in names:
        target = os.path.realpath(os.path.join(directory, name))
        links[target] = name.encode().decode("unicode_escape")
    return links


def _statvfs(path: str, *, bounded: bool) -> os.statvfs_result | None:
    if bounded:
        return within(_NETWORK_STAT_TIMEOUT, lambda: os.statvfs(path), None)
    try:
        return os.statvfs(path)
    except OSError:
        return None


# -- Environment, users --------------------------------------------------------------------------


def environment(req: Request, system_file: str | None = None) -> list[Row]:
    user = qualified_user(req.device, _current_user())
    rows = []
    if system_file is not None:
        for name, value in _environment_file(system_file):
            rows.append(_environment_row(name, value, "<SYSTEM>", system=True))
    for name, value in sorted(os.environ.items()):
        rows.append(_environment_row(name, value, user, system=False))
    return rows


def _environment_row(name: str, value: str, user: str | None, *, system: bool) -> Row:
    return {
        "Name": name,
        "VariableValue": value,
        "UserName": user,
        "SystemVariable": system,
        "Caption": f"{user}\\{name}",
        "Description": f"{user}\\{name}",
        "Status": "OK",
    }


def _environment_file(path: str) -> list[tuple[str, str]]:
    """``NAME=value`` lines of /etc/environment (pam_env's format: no export, optional quotes)."""
    text = read_text(path) or ""
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        pairs.append((name.strip(), value))
    return pairs


def _current_user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def users(req: Request) -> list[Row]:
    names = sorted({session.name for session in psutil.users() if session.name})
    return [{"UserName": qualified_user(req.device, name)} for name in names]


def system_console_users(req: Request) -> list[Row]:
    """Per user, the sessions open now: latest logon, how many, and minutes logged on in total."""
    now = req.now_utc.timestamp()
    by_user: dict[str, list[float]] = {}
    for session in psutil.users():
        if session.name:
            by_user.setdefault(session.name, []).append(session.started)
    rows = []
    for name, starts in sorted(by_user.items()):
        rows.append(
            {
                "SystemConsoleUser": qualified_user(req.device, name),
                "LastConsoleUse": from_timestamp(max(starts)),
                "NumberOfConsoleLogons": len(starts),
                "TotalUserConsoleMinutes": int(sum(max(0.0, now - start) for start in starts) // 60),
            }
        )
    return rows


def console_user() -> str | None:
    """The user logged on at the machine itself (a local tty or X display), if any."""
    for session in psutil.users():
        terminal = session.terminal or ""
        if not session.host and (terminal.startswith(("tty", ":", "console", "seat")) or terminal == ""):
            return session.name or None
    return None


# -- PhysicalMemory --------------------------------------------------------------------------------


def physical_memory(req: Request) -> list[Row]:
    total = psutil.virtual_memory().total
    return [
        {
            "Tag": "Physical Memory 0",
            "Capacity": mebibytes(total),
            "Name": "Physical Memory",
            "Caption": "Physical Memory",
            "Description": "Physical Memory",
        }
    ]
