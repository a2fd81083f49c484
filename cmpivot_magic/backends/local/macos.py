"""macOS collectors: the entities psutil and a few ``sysctl``/``route`` calls can answer.

| Entity | macOS source | Mapping decisions |
|---|---|---|
| OS, OperatingSystem | ``platform.mac_ver``, ``sysctl kern.osversion`` | ``Caption`` = ``macOS <version>``, ``Version`` = product version, ``BuildNumber`` = build (``23A344``), ``Manufacturer`` ``Apple Inc.``, ``OSType`` 2 (CIM: MACOS) |
| Device | hostname, ``sysctl hw.model`` | ``Manufacturer`` ``Apple Inc.``, ``Model`` = hardware model (``MacBookPro18,3``) |
| IPConfig | psutil + ``route -n get default`` + ``/etc/resolv.conf`` | as on Linux |
| Connection | ``psutil.net_connections`` (needs root on macOS; otherwise this user's processes only) | |
| Process, Disk, LogicalDisk, Environment, User, File, FileContent | see ``portable`` and ``files`` | |
"""

from __future__ import annotations

import platform

import psutil

from cmpivot_magic.backends.local import network, portable
from cmpivot_magic.backends.local.common import Request, Row, from_timestamp, kibibytes, qualified_user, run

APPLE = "Apple Inc."


def _sysctl(name: str) -> str | None:
    value = run(["sysctl", "-n", name], timeout=5)
    return (value.strip() or None) if value else None


def operating_system(req: Request) -> list[Row]:
    version = platform.mac_ver()[0] or platform.release()
    lcid = portable.windows_lcid() if req.wants("OSLanguage", "Locale") else None
    memory = psutil.virtual_memory() if req.wants("TotalVisibleMemorySize", "FreePhysicalMemory") else None
    caption = f"macOS {version}"
    return [
        {
            "Caption": caption,
            "Name": caption,
            "Version": version,
            "BuildNumber": _sysctl("kern.osversion") if req.wants("BuildNumber") else None,
            "OSArchitecture": portable.os_architecture(),
            "Manufacturer": APPLE,
            "LastBootUpTime": from_timestamp(psutil.boot_time()),
            "OSLanguage": lcid,
            "Locale": None if lcid is None else f"{lcid:04x}",
            "OSType": 2,  # CIM_OperatingSystem.OSType: 2 = MACOS
            "TotalVisibleMemorySize": kibibytes(memory.total) if memory else None,
            "FreePhysicalMemory": kibibytes(memory.available) if memory else None,
        }
    ]


def device(req: Request) -> list[Row]:
    return [
        {
            "UserName": qualified_user(req.device, portable.console_user()),
            "Manufacturer": APPLE,
            "Model": _sysctl("hw.model") if req.wants("Model") else None,
        }
    ]


def _default_gateways() -> network.Gateways:
    found: network.Gateways = {}
    for family, slot in (("-inet", 0), ("-inet6", 1)):
        text = run(["route", "-n", "get", family, "default"], timeout=5) or ""
        fields = dict(
            (key.strip(), value.strip())
            for key, _, value in (line.partition(":") for line in text.splitlines())
        )
        gateway, interface = fields.get("gateway"), fields.get("interface")
        if gateway and interface:
            found.setdefault(interface, ([], []))[slot].append(gateway)
    return found


def ip_config(req: Request) -> list[Row]:
    servers = network.resolv_conf_servers(["/etc/resolv.conf"]) if req.wants("DNSServerList") else []
    found = _default_gateways() if req.wants("IPV4DefaultGateway", "IPV6DefaultGateway") else {}
    return network.ip_config(req, found, servers, lambda _name: None)
