"""Network entities: IPConfig and Connection, from psutil and (on Linux) ``/proc/net``.

| Entity | Source | Mapping decisions |
|---|---|---|
| IPConfig | ``psutil.net_if_addrs`` / ``net_if_stats``; default routes from ``/proc/net/route`` and ``/proc/net/ipv6_route`` (macOS: ``route -n get default``); name servers from resolv.conf (systemd-resolved's upstream list first) | one row per interface, loopback included; several addresses joined with ``; ``; ``Status`` ``Up``/``Down``; ``InterfaceDescription`` = kernel driver (``virtio_net``); ``DNSServerList`` (the machine-wide resolver's servers) on interfaces with an address, loopback excepted; ``Name`` (network profile) null |
| Connection | ``/proc/net/tcp`` and ``/proc/net/tcp6`` on Linux (no privileges needed, no per-process scan), else ``psutil.net_connections`` (this user's processes only where the OS restricts it) | ESTABLISHED only, one row per connection like ``netstat``; ``Server`` = remote host name when reverse DNS answers within a second, else the address |
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable

import psutil

from cmpivot_magic.backends.local.common import Request, Row, joined, read_text

_RESOLV_CONFS = ("/run/systemd/resolve/resolv.conf", "/etc/resolv.conf")


# -- IPConfig --------------------------------------------------------------------------------------

Gateways = dict[str, tuple[list[str], list[str]]]
"""Interface -> (IPv4 default gateways, IPv6 default gateways)."""


def ip_config(
    req: Request, gateways: Gateways, dns_servers: list[str], describe: Callable[[str], str | None]
) -> list[Row]:
    addresses = psutil.net_if_addrs()
    stats = psutil.net_if_stats()
    rows = []
    for name in sorted(set(addresses) | set(stats)):
        v4 = [a.address for a in addresses.get(name, ()) if a.family == socket.AF_INET]
        v6 = [a.address for a in addresses.get(name, ()) if a.family == socket.AF_INET6]
        stat_ = stats.get(name)
        loopback = stat_ is not None and "loopback" in (getattr(stat_, "flags", "") or "")
        loopback = loopback or name.startswith("lo")
        v4_gw, v6_gw = gateways.get(name, ([], []))
        rows.append(
            {
                "InterfaceAlias": name,
                "InterfaceDescription": describe(name) if req.wants("InterfaceDescription") else None,
                "Status": None if stat_ is None else ("Up" if stat_.isup else "Down"),
                "IPV4Address": joined(v4),
                "IPV6Address": joined(v6),
                "IPV4DefaultGateway": joined(v4_gw),
                "IPV6DefaultGateway": joined(v6_gw),
                "DNSServerList": joined(dns_servers) if v4 + v6 and not loopback else None,
            }
        )
    return rows


def resolv_conf_servers(paths: Iterable[str]) -> list[str]:
    """Name servers of the first resolv.conf that lists any (systemd-resolved's real upstreams first)."""
    for path in paths:
        text = read_text(path)
        if not text:
            continue
        servers = []
        for line in text.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "nameserver":
                servers.append(parts[1])
        if servers:
            return servers
    return []


# -- Connection ------------------------------------------------------------------------------------

_REVERSE_DNS_BUDGET = 1.0
_MAX_LOOKUPS = 64
_reverse_cache: dict[str, str | None] = {}


def connections(remote_addresses: list[str]) -> list[Row]:
    names = reverse_dns(sorted(set(remote_addresses)))
    return [{"Server": names.get(address) or address} for address in remote_addresses]


def psutil_connection(req: Request) -> list[Row]:
    return connections(psutil_remote_addresses())


def psutil_remote_addresses() -> list[str]:
    """Remote addresses of ESTABLISHED TCP connections; only this user's where the OS restricts it."""
    try:
        found = psutil.net_connections(kind="tcp")
    except psutil.AccessDenied:
        found = []
        for proc in psutil.process_iter():
            try:
                found.extend(proc.net_connections(kind="tcp"))
            except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
    return [c.raddr.ip for c in found if c.status == psutil.CONN_ESTABLISHED and c.raddr]


def reverse_dns(addresses: list[str]) -> dict[str, str | None]:
    """Host names for addresses, looked up in parallel within a time budget (then the address stays).

    Answers are cached for the kernel's lifetime, so a repeated query pays nothing; lookups still
    running when the budget ends fill the cache for next time (daemon threads: never block exit).
    """
    pending = [a for a in addresses if a not in _reverse_cache][:_MAX_LOOKUPS]

    def look_up(address: str) -> None:
        try:
            _reverse_cache[address] = socket.gethostbyaddr(address)[0]
        except (OSError, UnicodeError):
            _reverse_cache[address] = None

    threads = [threading.Thread(target=look_up, args=(a,), daemon=True) for a in pending]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + _REVERSE_DNS_BUDGET
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return {a: _reverse_cache.get(a) for a in addresses}


# -- Linux: /proc/net -----------------------------------------------------------------------------

_ESTABLISHED = "01"


def linux_connection(req: Request) -> list[Row]:
    remote: list[str] = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        remote += _established_remotes(read_text(table) or "")
    if not os.path.exists("/proc/net/tcp"):
        remote = psutil_remote_addresses()
    return connections(remote)


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


def linux_gateways() -> Gateways:
    found: Gateways = {}
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
    """The kernel driver behind an interface (``virtio_net``, ``e1000e``); None for virtual ones."""
    try:
        return os.path.basename(os.readlink(f"/sys/class/net/{interface}/device/driver"))
    except OSError:
        return None


def linux_ip_config(req: Request) -> list[Row]:
    servers = resolv_conf_servers(_RESOLV_CONFS) if req.wants("DNSServerList") else []
    found = linux_gateways() if req.wants("IPV4DefaultGateway", "IPV6DefaultGateway") else {}
    return ip_config(req, found, servers, _driver)
