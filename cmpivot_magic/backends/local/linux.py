"""Linux identity, OS and hardware: what a Linux machine can say for Windows-shaped entities.

| Entity | Linux source | Mapping decisions |
|---|---|---|
| Device, ComputerSystem | hostname, DNS domain, utmp, ``/sys/class/dmi/id`` | ``Domain`` = DNS domain of the FQDN (else resolv.conf ``domain``; else null); ``UserName`` = the user at a local tty/X display as ``DEVICE\\user``; ``Manufacturer``/``Model`` = DMI ``sys_vendor``/``product_name`` (device-tree ``model`` on ARM boards) |
| OS, OperatingSystem | ``/etc/os-release``, ``uname``, psutil | ``Caption`` = PRETTY_NAME; ``Version`` = VERSION_ID (else kernel release); ``BuildNumber`` = kernel release; ``Manufacturer`` = VENDOR_NAME; ``OSArchitecture`` ``64-bit``/``32-bit``; ``LastBootUpTime`` = psutil boot time; ``InstallDate`` = best effort (installer log, else ``/lost+found``'s time, else null); ``OSLanguage``/``Locale`` = the Windows LCID of ``$LANG`` (1033 / ``0409`` for en_US and the C locale); ``OSType`` 36 (CIM: LINUX) |
| Bios | ``/sys/class/dmi/id/bios_*`` | ``Manufacturer`` = bios_vendor, ``Name``/``Version``/``SMBIOSBIOSVersion`` = bios_version, ``ReleaseDate`` = bios_date, ``SerialNumber`` = product_serial (root only); unavailable without DMI (containers on some hosts, most ARM boards) |
| Processor | ``/proc/cpuinfo``, cpufreq sysfs, psutil | one row per socket (``physical id``); Win32 ``Architecture`` codes (9 x64, 12 ARM64); ``Manufacturer`` = vendor_id (``GenuineIntel``, as Windows shows it) |

InstalledSoftware, Administrators, AutoStartSoftware and Environment are in ``linux_software``;
Service and SystemBootData in ``linux_systemd``; EventLog and WinEvent in ``linux_logs``; IPConfig and
Connection in ``network``.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import platform
import re
import shlex
import socket
import time

import psutil

from cmpivot_magic.backends.base import EntityUnavailable
from cmpivot_magic.backends.local import portable
from cmpivot_magic.backends.local.common import (
    Request,
    Row,
    from_timestamp,
    kibibytes,
    qualified_user,
    read_line,
    read_text,
    within,
)

DMI = "/sys/class/dmi/id"


# -- identity: Device, ComputerSystem ------------------------------------------------------------


@functools.cache
def dns_domain() -> str | None:
    """This host's DNS domain; looked up once (slow or broken DNS costs at most a second)."""
    fqdn = within(1.0, socket.getfqdn, "")
    short = socket.gethostname().split(".")[0]
    if "." in fqdn and fqdn.split(".")[0].lower() == short.lower():
        return fqdn.split(".", 1)[1]
    for line in (read_text("/etc/resolv.conf") or "").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "domain":
            return parts[1]
    return None


def _dmi(name: str) -> str | None:
    value = read_line(f"{DMI}/{name}")
    # firmware fills unset fields with placeholders; CMPivot would show them, but they say nothing
    if value is None or value.lower() in {"to be filled by o.e.m.", "default string", "not specified"}:
        return None
    return value


def _model() -> str | None:
    model = _dmi("product_name")
    if model is None:
        text = read_text("/proc/device-tree/model")
        model = text.strip("\x00\n ") if text else None
    return model or None


def device(req: Request) -> list[Row]:
    return [
        {
            "Domain": dns_domain() if req.wants("Domain") else None,
            "UserName": qualified_user(req.device, portable.console_user()),
            "Manufacturer": _dmi("sys_vendor"),
            "Model": _model(),
        }
    ]


_SYSTEM_TYPES = {"x86_64": "x64-based PC", "amd64": "x64-based PC", "aarch64": "ARM64-based PC",
                 "arm64": "ARM64-based PC", "i386": "X86-based PC", "i686": "X86-based PC"}  # fmt: skip


def computer_system(req: Request) -> list[Row]:
    offset = dt.datetime.now().astimezone().utcoffset()
    sockets = {block.get("physical id", "0") for block in cpuinfo()}
    return [
        {
            "Name": req.device,
            "Caption": req.device,
            "Domain": dns_domain() if req.wants("Domain") else None,
            "Manufacturer": _dmi("sys_vendor"),
            "Model": _model(),
            "UserName": qualified_user(req.device, portable.console_user()),
            "SystemType": _SYSTEM_TYPES.get(platform.machine().lower()),
            "NumberOfProcessors": max(1, len(sockets)),
            "TotalPhysicalMemory": psutil.virtual_memory().total,
            "Status": "OK",
            "CurrentTimeZone": None if offset is None else int(offset.total_seconds() // 60),
            "DaylightInEffect": time.localtime().tm_isdst > 0,
        }
    ]


# -- OS, OperatingSystem -------------------------------------------------------------------------


def os_release() -> dict[str, str]:
    """``/etc/os-release`` (or ``/usr/lib/os-release``) as a dict; values unquoted as a shell would."""
    text = read_text("/etc/os-release") or read_text("/usr/lib/os-release") or ""
    values = {}
    for line in text.splitlines():
        key, sep, raw = line.partition("=")
        if not sep or key.strip().startswith("#"):
            continue
        try:
            parts = shlex.split(raw)
        except ValueError:
            parts = [raw.strip("\"'")]
        values[key.strip()] = " ".join(parts)
    return values


def _install_date() -> float | None:
    for path in ("/var/log/installer", "/root/anaconda-ks.cfg", "/var/log/anaconda", "/lost+found"):
        try:
            return os.stat(path).st_mtime
        except OSError:
            continue
    return None


def operating_system(req: Request) -> list[Row]:
    release = os_release()
    kernel = platform.release()
    lcid = portable.windows_lcid() if req.wants("OSLanguage", "Locale") else None
    caption = release.get("PRETTY_NAME") or release.get("NAME") or f"Linux {kernel}"
    memory = psutil.virtual_memory() if req.wants("TotalVisibleMemorySize", "FreePhysicalMemory") else None
    return [
        {
            "Caption": caption,
            "Name": caption,
            "Version": release.get("VERSION_ID") or kernel,
            "BuildNumber": kernel,
            "OSArchitecture": portable.os_architecture(),
            "Manufacturer": release.get("VENDOR_NAME") or None,
            "InstallDate": from_timestamp(_install_date()) if req.wants("InstallDate") else None,
            "LastBootUpTime": from_timestamp(psutil.boot_time()),
            "OSLanguage": lcid,
            "Locale": None if lcid is None else f"{lcid:04x}",
            "OSType": 36,  # CIM_OperatingSystem.OSType: 36 = LINUX
            "TotalVisibleMemorySize": kibibytes(memory.total) if memory else None,
            "FreePhysicalMemory": kibibytes(memory.available) if memory else None,
        }
    ]


# -- Bios, Processor -----------------------------------------------------------------------------


def bios(req: Request) -> list[Row]:
    if not os.path.isdir(DMI):
        raise EntityUnavailable(
            f"Bios: this Linux machine exposes no firmware (DMI/SMBIOS) information — {DMI} is missing "
            "(usual in some containers and on ARM boards)"
        )
    version = _dmi("bios_version")
    date = _dmi("bios_date")
    return [
        {
            "Manufacturer": _dmi("bios_vendor"),
            "Name": version,
            "Version": version,
            "SMBIOSBIOSVersion": version,
            "SerialNumber": _dmi("product_serial"),
            "ReleaseDate": _bios_date(date),
            "PrimaryBIOS": True,
            "Description": version,
            "Status": "OK",
        }
    ]


def _bios_date(text: str | None) -> dt.datetime | None:
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text or "")
    if not match:
        return None
    month, day, year = (int(part) for part in match.groups())
    try:
        return dt.datetime(year, month, day, tzinfo=dt.UTC)
    except ValueError:
        return None


def cpuinfo() -> list[dict[str, str]]:
    """``/proc/cpuinfo`` as one dict per logical processor."""
    blocks: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in (read_text("/proc/cpuinfo") or "").splitlines():
        if not line.strip():
            if current:
                blocks.append(current)
            current = {}
            continue
        key, _, value = line.partition(":")
        current[key.strip()] = value.strip()
    if current:
        blocks.append(current)
    return [block for block in blocks if "processor" in block] or blocks


_ARCHITECTURES = {"x86_64": 9, "amd64": 9, "i386": 0, "i686": 0, "aarch64": 12, "arm64": 12, "ia64": 6}
_ARM_IMPLEMENTERS = {"0x41": "ARM", "0x42": "Broadcom", "0x43": "Cavium", "0x48": "HiSilicon",
                     "0x4e": "NVIDIA", "0x50": "APM", "0x51": "Qualcomm", "0x61": "Apple",
                     "0xc0": "Ampere"}  # fmt: skip


def _mhz_from_khz_file(path: str) -> int | None:
    value = read_line(path)
    return int(value) // 1000 if value and value.isdigit() else None


def processor(req: Request) -> list[Row]:
    logical = cpuinfo()
    by_socket: dict[str, list[dict[str, str]]] = {}
    for block in logical:
        by_socket.setdefault(block.get("physical id", "0"), []).append(block)
    machine = platform.machine().lower()
    architecture = _ARCHITECTURES.get(machine, 5 if machine.startswith("arm") else None)
    frequency = psutil.cpu_freq() if req.wants("MaxClockSpeed", "CurrentClockSpeed") else None
    max_mhz = _mhz_from_khz_file("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")
    if max_mhz is None and frequency is not None and frequency.max:
        max_mhz = round(frequency.max)
    sockets = len(by_socket) or 1
    rows = []
    for index, (_, blocks) in enumerate(sorted(by_socket.items())):
        first = blocks[0] if blocks else {}
        flags = set(first.get("flags", first.get("Features", "")).split())
        cores = _int(first.get("cpu cores")) or (psutil.cpu_count(logical=False) or 0) // sockets or None
        threads = _int(first.get("siblings")) or len(blocks) or None
        current = _int(first.get("cpu MHz", "").split(".")[0])
        if frequency is not None and frequency.current:
            current = round(frequency.current)
        rows.append(
            {
                "DeviceID": f"CPU{index}",
                "Name": first.get("model name") or first.get("Model") or platform.processor() or machine,
                "Manufacturer": first.get("vendor_id")
                or _ARM_IMPLEMENTERS.get(first.get("CPU implementer", "")),
                "Architecture": architecture,
                "AddressWidth": 64 if portable.os_architecture() == "64-bit" else 32,
                "MaxClockSpeed": max_mhz or current,
                "CurrentClockSpeed": current,
                "NumberOfCores": cores,
                "NumberOfLogicalProcessors": threads,
                "Is64Bit": portable.os_architecture() == "64-bit",
                "IsHyperthreadCapable": "ht" in flags if flags else None,
                "IsHyperthreadEnabled": None if not (cores and threads) else threads > cores,
                "IsVitualizationCapable": bool(flags & {"vmx", "svm"}) if flags else None,
                "Status": "OK",
            }
        )
    return rows


def _int(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None
