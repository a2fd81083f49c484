"""Network entities: adapters and their configuration, IP configuration, connections, SMB and shares.

An adapter follows the device's form and hypervisor (Wi-Fi on laptops, vmxnet3 on VMware VMs, …)
and its addresses come from the fleet's network facts, so ``NetworkAdapter``, ``IPConfig`` and
``NetworkAdapterConfiguration`` agree on a device's MAC address, subnet and DHCP server.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from . import windows_data as wd
from .fleet import Fleet
from .generators import DEVICE, Draw, Request, generates
from .generic import F, Seq, W, fact, profile
from .randomness import NULL, guids, hex_strings, pick, stream

# ------------------------------------------------------------------------------- adapters


def _nic(index: int) -> Any:
    """(name, manufacturer, service) of each device's primary adapter."""
    table = {
        "hyperv": ("Microsoft Hyper-V Network Adapter", "Microsoft", "netvsc"),
        "vmware": ("vmxnet3 Ethernet Adapter", "VMware, Inc.", "vmxnet3ndis6"),
        "Laptop": ("Intel(R) Wi-Fi 6 AX201 160MHz", "Intel Corporation", "Netwtw10"),
        "Desktop": ("Intel(R) Ethernet Connection (17) I219-LM", "Intel", "e1dexpress"),
        "Server": ("Broadcom NetXtreme Gigabit Ethernet", "Broadcom", "b57nd60a"),
    }

    def value(d: Draw) -> np.ndarray:
        f = d.fleet
        key = np.where(f.form == "VM", f.firmware_family, f.form)
        return d.of(np.array([table[str(k)][index] for k in key], dtype=object))

    return value


profile(
    "NetworkAdapter", DeviceID=Seq(["1"]), Index=1, Name=_nic(0), Caption=lambda d: np.char.add("[00000001] ", _nic(0)(d).astype(str)),
    Description=_nic(0), AdapterType="Ethernet 802.3", MACAddress=lambda d: np.char.replace(d.of(d.fleet.mac).astype(str), "-", ":"),
    Manufacturer=_nic(1), ProductName=_nic(0), ServiceName=_nic(2), Installed=True,
    MaxSpeed=None, Speed=lambda d: np.where(d.of(d.fleet.form == "Laptop"), 866_700_000, 1_000_000_000),
    PNPDeviceID=F("PCI\\VEN_8086&DEV_A0F0&SUBSYS_00748086&REV_20\\3&11583659&0&{num2}"), Status=None, Availability=3,
    TimeOfLastReset=fact("boot_age"), SystemName=fact("name"),
)
profile(
    "NetworkAdapterConfiguration", Index=1, Description=_nic(0), Caption=lambda d: np.char.add("[00000001] ", _nic(0)(d).astype(str)),
    IPEnabled=True, DHCPEnabled=lambda d: ~d.of(d.fleet.is_server),
    DHCPServer=lambda d: np.where(d.of(d.fleet.is_server), NULL, np.where(np.char.startswith(d.of(d.fleet.ip).astype(str), "192.168."), "192.168.1.1", "10.1.0.20")),
    DHCPLeaseObtained=lambda d: d.ages(0.1, 4), DHCPLeaseExpires=lambda d: -d.ages(1, 4),
    DNSDomain=lambda d: np.where(np.char.startswith(d.of(d.fleet.ip).astype(str), "192.168."), "home", "contoso.com"),
    DNSHostName=fact("name"), MACAddress=lambda d: np.char.replace(d.of(d.fleet.mac).astype(str), "-", ":"), ServiceName=_nic(2),
    SettingID=lambda d: guids(d.rng, d.n, braces=True), MTU=None, IPConnectionMetric=W([25, 35, 15], [5, 3, 2]),
    TcpipNetbiosOptions=0, WINSPrimaryServer=None, WINSSecondaryServer=None, DomainDNSRegistrationEnabled=False,
    FullDNSRegistrationEnabled=True,
)


# ------------------------------------------------------------------------- ip, connections


@generates("IPConfig")
def ip_config(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    rng = request.rng()
    home = np.char.startswith(fleet.ip.astype(str), "192.168.")
    remote = home | np.char.startswith(fleet.ip.astype(str), "10.200.")
    laptop = fleet.form == "Laptop"
    alias = np.where(laptop & (remote | (rng.random(fleet.n) < 0.6)), "Wi-Fi", "Ethernet")
    desc = np.select([fleet.firmware_family == "hyperv", fleet.firmware_family == "vmware", alias == "Wi-Fi"],
                     ["Microsoft Hyper-V Network Adapter", "vmxnet3 Ethernet Adapter", "Intel(R) Wi-Fi 6 AX201 160MHz"],
                     "Intel(R) Ethernet Connection (17) I219-LM")
    gateway = np.array([ip.rsplit(".", 1)[0] + ".1" for ip in fleet.ip], dtype=object)
    dns = np.where(home, "192.168.1.1", "10.1.0.10; 10.1.0.11")
    profile_name = np.where(home, np.where(rng.random(fleet.n) < 0.5, "HomeNet", "Network 2"), wd.DOMAIN)
    v6 = hex_strings(rng, fleet.n, 16, upper=False)
    link_local = np.array([f"fe80::{h[:4]}:{h[4:8]}:{h[8:12]}:{h[12:]}%{rng.integers(4, 24)}" for h in v6], dtype=object)
    main = pl.DataFrame({
        DEVICE: np.arange(fleet.n, dtype=np.int32), "InterfaceAlias": alias.tolist(), "Name": profile_name.tolist(),
        "InterfaceDescription": desc.tolist(), "Status": ["Up"] * fleet.n, "IPV4Address": fleet.ip.tolist(),
        "IPV6Address": link_local.tolist(), "IPV4DefaultGateway": gateway.tolist(), "IPV6DefaultGateway": [None] * fleet.n,
        "DNSServerList": dns.tolist(),
    }, schema_overrides={"IPV6DefaultGateway": pl.String})
    vpn = np.flatnonzero(remote & fleet.has("anyconnect"))
    tunnel = pl.DataFrame({
        DEVICE: vpn.astype(np.int32), "InterfaceAlias": ["Ethernet 3"] * vpn.size, "Name": [wd.DOMAIN] * vpn.size,
        "InterfaceDescription": ["Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter for Windows x64"] * vpn.size,
        "Status": ["Up"] * vpn.size, "IPV4Address": [f"10.200.{rng.integers(64, 127)}.{rng.integers(2, 250)}" for _ in vpn],
        "IPV6Address": [None] * vpn.size, "IPV4DefaultGateway": [None] * vpn.size, "IPV6DefaultGateway": [None] * vpn.size,
        "DNSServerList": ["10.1.0.10; 10.1.0.11"] * vpn.size,
    }, schema_overrides={"IPV6Address": pl.String, "IPV4DefaultGateway": pl.String, "IPV6DefaultGateway": pl.String})
    return pl.concat([main, tunnel]).sort(DEVICE, maintain_order=True)


_SERVERS = (("CM01.contoso.com", 5), ("DC01.contoso.com", 4), ("DC02.contoso.com", 2), ("outlook.office365.com", 6),
            ("login.microsoftonline.com", 3), ("teams.microsoft.com", 4), ("52.113.194.132", 3), ("fs01.contoso.com", 2),
            ("a23-45-67-89.deploy.static.akamaitechnologies.com", 3), ("13.107.42.14", 3), ("20.190.151.68", 2),
            ("winatp-gw-eus.microsoft.com", 2), ("settings-win.data.microsoft.com", 1), ("prn01.contoso.com", 1),
            ("lb-140-82-113-25-iad.github.com", 1), ("edge.microsoft.com", 2), ("52.109.12.19", 2),
            ("sharepoint.com", 2), ("contoso.sharepoint.com", 3), ("40.126.32.134", 1), ("wpad.contoso.com", 0.3))


@generates("Connection")
def connection(request: Request) -> pl.DataFrame:
    fleet = request.fleet
    rng = request.rng()
    counts = rng.integers(4, 40, fleet.n)
    dev = np.repeat(np.arange(fleet.n), counts)
    chosen = pick(rng, dev.size, [w for _, w in _SERVERS])
    return pl.DataFrame({DEVICE: dev.astype(np.int32),
                         "Server": pl.Series([s for s, _ in _SERVERS]).gather(chosen)})


profile(
    "SMBConfig", EnableSMB1Protocol=lambda d: d.of(d.fleet.smb1 | d.fleet.ps4), EnableSMB2Protocol=True,
    EncryptData=lambda d: d.chance(0.08), RejectUnencryptedAccess=True,
    RequireSecuritySignature=lambda d: np.where(d.of(d.fleet.role == "DC"), True, d.chance(np.where(d.of(d.fleet.is_server), 0.3, 0.1))),
    EnableSecuritySignature=lambda d: d.chance(0.6) | d.of(d.fleet.role == "DC"),
)

# -------------------------------------------------------------------------------- shares

_SHARES: tuple[tuple[str, str, str, int, str], ...] = (
    ("ADMIN$", "C:\\Windows", "Remote Admin", 2147483648, "all"), ("C$", "C:\\", "Default share", 2147483648, "all"),
    ("D$", "D:\\", "Default share", 2147483648, "d"), ("IPC$", "", "Remote IPC", 2147483651, "all"),
    ("print$", "C:\\Windows\\system32\\spool\\drivers", "Printer Drivers", 0, "PRN"),
    ("NETLOGON", "C:\\Windows\\SYSVOL\\sysvol\\contoso.com\\SCRIPTS", "Logon server share ", 0, "DC"),
    ("SYSVOL", "C:\\Windows\\SYSVOL\\sysvol", "Logon server share ", 0, "DC"),
    ("Finance", "D:\\Shares\\Finance", "", 0, "FS"), ("HR", "D:\\Shares\\HR", "", 0, "FS"),
    ("home$", "D:\\Home", "User home drives", 0, "FS"), ("Public", "D:\\Shares\\Public", "", 0, "FS"),
    ("SCCMContentLib$", "D:\\SCCMContentLib", "'Configuration Manager' Content Library for site CON", 0, "DP"),
    ("SMS_DP$", "D:\\SMS_DP$", "ConfigMgr Site Server DP share", 0, "DP"),
    ("SMSPKGD$", "D:\\SMSPKGD$", "SMS Site CON DP 11/26/2024", 0, "DP"), ("REMINST", "D:\\RemoteInstall", "RemoteInstallation", 0, "DP"),
    ("SMS_CON", "D:\\Program Files\\Microsoft Configuration Manager", "SMS Site CON 11/26/2024", 0, "CM"),
    ("SMS_SITE", "D:\\Program Files\\Microsoft Configuration Manager\\inboxes\\despoolr.box\\receive", "SMS Site CON 11/26/2024", 0, "CM"),
    ("Scans", "C:\\Scans", "", 0, "ws-rare"),
)


def _share_rows(fleet: Fleet, rng: np.random.Generator) -> pl.DataFrame:
    parts = []
    for order, (name, path, desc, kind, who) in enumerate(_SHARES):
        if who == "all":
            mask = np.ones(fleet.n, dtype=bool)
        elif who == "d":
            mask = fleet.d_size > 0
        elif who == "ws-rare":
            mask = ~fleet.is_server & (rng.random(fleet.n) < 0.02)
        else:
            mask = fleet.role == who
        dev = np.flatnonzero(mask)
        n = dev.size
        parts.append(pl.DataFrame({
            DEVICE: dev.astype(np.int32), "Name": [name] * n, "Path": [path] * n, "Description": [desc] * n,
            "Caption": [desc] * n, "Type": np.full(n, kind, dtype=np.int64), "AllowMaximum": [True] * n,
            "MaximumAllowed": [None] * n, "AccessMask": [None] * n, "Status": ["OK"] * n, "_order": np.full(n, order),
        }, schema_overrides={"MaximumAllowed": pl.Int64, "AccessMask": pl.Int64}))
    return pl.concat(parts).sort([DEVICE, "_order"]).drop("_order")


@generates("FileShare")
def file_share(request: Request) -> pl.DataFrame:
    return _share_rows(request.fleet, stream(request.fleet.seed, "shares")).drop("AccessMask")


@generates("Shares")
def shares(request: Request) -> pl.DataFrame:
    return _share_rows(request.fleet, stream(request.fleet.seed, "shares"))

