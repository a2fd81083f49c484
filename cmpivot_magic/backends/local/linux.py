"""Linux collectors: what a Linux machine can say for the Windows-shaped CMPivot entities.

| Entity | Linux source | Mapping decisions |
|---|---|---|
| Device, ComputerSystem | hostname, DNS domain, utmp, ``/sys/class/dmi/id`` | ``Domain`` = DNS domain of the FQDN (else resolv.conf ``domain``; else null); ``UserName`` = the user at a local tty/X display as ``DEVICE\\user``; ``Manufacturer``/``Model`` = DMI ``sys_vendor``/``product_name`` (device-tree ``model`` on ARM boards) |
| OS, OperatingSystem | ``/etc/os-release``, ``uname``, psutil | ``Caption`` = PRETTY_NAME; ``Version`` = VERSION_ID (else kernel release); ``BuildNumber`` = kernel release; ``Manufacturer`` = VENDOR_NAME; ``OSArchitecture`` ``64-bit``/``32-bit``; ``LastBootUpTime`` = psutil boot time; ``InstallDate`` = best effort (installer log, else ``/lost+found``'s time, else null); ``OSLanguage``/``Locale`` = the Windows LCID of ``$LANG`` (1033 / ``0409`` for en_US); ``OSType`` 36 (CIM: LINUX) |
| Bios | ``/sys/class/dmi/id/bios_*`` | ``Manufacturer`` = bios_vendor, ``Name``/``Version``/``SMBIOSBIOSVersion`` = bios_version, ``ReleaseDate`` = bios_date, ``SerialNumber`` = product_serial (root only); unavailable without DMI (containers on some hosts, most ARM boards) |
| Processor | ``/proc/cpuinfo``, cpufreq sysfs, psutil | one row per socket (``physical id``); Win32 ``Architecture`` codes (9 x64, 12 ARM64); ``Manufacturer`` = vendor_id (``GenuineIntel``, as Windows shows it) |
| InstalledSoftware | ``dpkg-query -W`` (else ``rpm -qa``) | ``ProductName`` = package, ``Publisher`` = maintainer/vendor name without e-mail, ``InstallDate`` = dpkg file-list time / rpm install time |
| Administrators | ``grp``/``pwd``: uid 0 and members of ``sudo``, ``wheel``, ``admin`` | ``ObjectClass`` User; ``PrincipalSource`` Local for /etc/passwd accounts, else null (LDAP/SSSD) |
| AutoStartSoftware | enabled systemd units (``/etc/systemd/system/*.wants``, the user's too), XDG autostart ``.desktop`` files | ``FileName`` = program, ``StartupValue`` = its command line, ``Location`` = where it is enabled, ``Product`` = unit / application name |
| Connection | ``/proc/net/tcp``, ``/proc/net/tcp6`` | ESTABLISHED; visible to any user without privileges |
| IPConfig | psutil + ``/proc/net/route``, ``/proc/net/ipv6_route``, resolv.conf | ``InterfaceDescription`` = kernel driver name |
| Environment | ``os.environ`` + ``/etc/environment`` | see ``portable`` |

Service and SystemBootData are in ``linux_systemd``; EventLog and WinEvent in ``linux_logs``.
"""

from __future__ import annotations

import datetime as dt
import functools
import grp
import ipaddress
import os
import platform
import pwd
import re
import shlex
import socket
import sys
import time
from collections.abc import Iterator

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
    run,
    within,
)

DMI = "/sys/class/dmi/id"
_RESOLV_CONFS = ("/run/systemd/resolve/resolv.conf", "/etc/resolv.conf")


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


# -- InstalledSoftware ---------------------------------------------------------------------------

_DPKG_FORMAT = "${db:Status-Abbrev}\\t${Package}\\t${Version}\\t${Maintainer}\\t${Architecture}\\n"
_RPM_FORMAT = "%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{VENDOR}\\t%{INSTALLTIME}\\t%{ARCH}\\n"
_VERSION_PARTS = re.compile(r"(?:\d+:)?(\d+)(?:\.(\d+))?")


def installed_software(req: Request) -> list[Row]:
    listing = run(["dpkg-query", "-W", f"-f={_DPKG_FORMAT}"], timeout=30)
    if listing is not None:
        return list(_dpkg_rows(listing, dates=req.wants("InstallDate")))
    listing = run(["rpm", "-qa", "--qf", _RPM_FORMAT], timeout=30)
    if listing is not None:
        return list(_rpm_rows(listing))
    raise EntityUnavailable(
        "InstalledSoftware: no package database on this Linux machine (neither dpkg-query nor rpm answered)"
    )


def _dpkg_rows(listing: str, *, dates: bool) -> Iterator[Row]:
    for line in listing.splitlines():
        fields = line.split("\t")
        if len(fields) < 5 or len(fields[0]) < 2 or fields[0][1] != "i":
            continue  # only packages whose files are installed ('ii', 'hi')
        _, package, version, maintainer, arch = fields[:5]
        installed = None
        if dates:
            for name in (f"{package}:{arch}.list", f"{package}.list"):
                try:
                    installed = os.stat(f"/var/lib/dpkg/info/{name}").st_mtime
                    break
                except OSError:
                    continue
        yield _software_row(package, version, maintainer, installed)


def _rpm_rows(listing: str) -> Iterator[Row]:
    for line in listing.splitlines():
        fields = line.split("\t")
        if len(fields) < 4:
            continue
        name, version, vendor, installed = fields[:4]
        when = float(installed) if installed.isdigit() else None
        yield _software_row(name, version, "" if vendor == "(none)" else vendor, when)


def _software_row(name: str, version: str, publisher: str, installed: float | None) -> Row:
    parts = _VERSION_PARTS.match(version)
    return {
        "ProductName": name,
        "ARPDisplayName": name,
        "ProductVersion": version or None,
        "Publisher": publisher.split("<")[0].strip() or None,
        "InstallDate": from_timestamp(installed),
        "VersionMajor": int(parts.group(1)) if parts else None,
        "VersionMinor": int(parts.group(2)) if parts and parts.group(2) else None,
    }


# -- Administrators ------------------------------------------------------------------------------

ADMIN_GROUPS = ("sudo", "wheel", "admin")


def administrators(req: Request) -> list[Row]:
    members: set[str] = set()
    gids = set()
    for group_name in ADMIN_GROUPS:
        try:
            group = grp.getgrnam(group_name)
        except KeyError:
            continue
        gids.add(group.gr_gid)
        members.update(group.gr_mem)
    local = {entry.split(":", 1)[0] for entry in (read_text("/etc/passwd") or "").splitlines() if entry}
    for account in pwd.getpwall():
        if account.pw_uid == 0 or account.pw_gid in gids:
            members.add(account.pw_name)
    return [
        {
            "ObjectClass": "User",
            "Name": qualified_user(req.device, name),
            "PrincipalSource": "Local" if name in local else None,
        }
        for name in sorted(members)
    ]


# -- AutoStartSoftware ---------------------------------------------------------------------------

_UNIT_DIRS = ("/etc/systemd/system", "/run/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system")


def auto_start_software(req: Request) -> list[Row]:
    home = os.path.expanduser("~")
    rows = list(_enabled_units("/etc/systemd/system", "systemd service"))
    rows += _enabled_units(os.path.join(home, ".config/systemd/user"), "systemd user service")
    rows += _xdg_autostart(("/etc/xdg/autostart", os.path.join(home, ".config/autostart")))
    return rows


def _enabled_units(config_dir: str, kind: str) -> Iterator[Row]:
    """Services enabled by a ``<target>.wants/<unit>.service`` link (how ``systemctl enable`` works)."""
    seen = set()
    try:
        wants = sorted(d for d in os.listdir(config_dir) if d.endswith(".wants"))
    except OSError:
        return
    for want_dir in wants:
        location = os.path.join(config_dir, want_dir)
        try:
            units = sorted(os.listdir(location))
        except OSError:
            continue
        for unit in units:
            if not unit.endswith(".service") or unit in seen:
                continue
            seen.add(unit)
            path = os.path.realpath(os.path.join(location, unit))
            sections = _ini(path)
            command = _exec_start(sections.get("Service", {}).get("ExecStart", ""))
            yield {
                "FileName": _program(command),
                "Description": sections.get("Unit", {}).get("Description"),
                "Location": location,
                "Product": unit.removesuffix(".service"),
                "StartupType": kind,
                "StartupValue": command or None,
            }


def _exec_start(value: str) -> str:
    # systemd prefixes ExecStart with flags: - @ : + ! !!
    return value.lstrip("-@:+!").strip()


def _program(command: str) -> str | None:
    try:
        parts = shlex.split(command)
    except ValueError:
        parts = command.split()
    return parts[0] if parts else None


def _xdg_autostart(directories: tuple[str, ...]) -> list[Row]:
    entries: dict[str, Row] = {}
    for directory in directories:  # later directories (the user's) override earlier ones by name
        try:
            names = sorted(n for n in os.listdir(directory) if n.endswith(".desktop"))
        except OSError:
            continue
        for name in names:
            entry = _ini(os.path.join(directory, name)).get("Desktop Entry", {})
            hidden = entry.get("Hidden", "").lower() == "true"
            disabled = entry.get("X-GNOME-Autostart-enabled", "").lower() == "false"
            if hidden or disabled:
                entries.pop(name, None)
                continue
            command = entry.get("Exec", "")
            entries[name] = {
                "FileName": _program(command),
                "Description": entry.get("Comment"),
                "Location": directory,
                "Product": entry.get("Name") or name.removesuffix(".desktop"),
                "StartupType": "XDG autostart",
                "StartupValue": command or None,
            }
    return list(entries.values())


def _ini(path: str) -> dict[str, dict[str, str]]:
    """Sections of a systemd unit or .desktop file; the first value of a repeated key wins."""
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for raw in (read_text(path) or "").splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, sep, value = line.partition("=")
        if sep:
            current.setdefault(key.strip(), value.strip())
    return sections


# -- Connection, IPConfig, Environment -----------------------------------------------------------

_ESTABLISHED = "01"


def connection(req: Request) -> list[Row]:
    remote: list[str] = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        remote += _established_remotes(read_text(table) or "")
    if not os.path.exists("/proc/net/tcp"):
        remote = portable.psutil_remote_addresses()
    return portable.connections(remote)


def _established_remotes(table: str) -> list[str]:
    remotes = []
    for line in table.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 4 or fields[3] != _ESTABLISHED:
            continue
        address = proc_net_address(fields[2].split(":")[0])
        if address is not None:
            remotes.append(address)
    return remotes


def proc_net_address(hex_address: str) -> str | None:
    """An address as /proc/net/tcp{,6} prints it: 32-bit words in host byte order, in hex."""
    try:
        raw = bytes.fromhex(hex_address)
    except ValueError:
        return None
    if sys.byteorder == "little":
        raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    if len(raw) == 4:
        return str(ipaddress.IPv4Address(raw))
    if len(raw) == 16:
        address = ipaddress.IPv6Address(raw)
        return str(address.ipv4_mapped or address)
    return None


def gateways() -> portable.Gateways:
    found: portable.Gateways = {}
    for line in (read_text("/proc/net/route") or "").splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 3 and fields[1] == "00000000" and fields[2] != "00000000":
            address = proc_net_address(fields[2])
            if address:
                found.setdefault(fields[0], ([], []))[0].append(address)
    for line in (read_text("/proc/net/ipv6_route") or "").splitlines():
        fields = line.split()
        if len(fields) >= 10 and fields[0] == "0" * 32 and fields[1] == "00" and fields[4] != "0" * 32:
            hop = str(ipaddress.IPv6Address(bytes.fromhex(fields[4])))  # ipv6_route is network order
            found.setdefault(fields[9], ([], []))[1].append(hop)
    return found


def _driver(interface: str) -> str | None:
    link = f"/sys/class/net/{interface}/device/driver"
    return os.path.basename(os.readlink(link)) if os.path.islink(link) else None


def ip_config(req: Request) -> list[Row]:
    servers = portable.resolv_conf_servers(_RESOLV_CONFS) if req.wants("DNSServerList") else []
    found = gateways() if req.wants("IPV4DefaultGateway", "IPV6DefaultGateway") else {}
    return portable.ip_config(req, found, servers, _driver)


def environment(req: Request) -> list[Row]:
    return portable.environment(req, system_file="/etc/environment")
