"""How each group of a fleet's facts is drawn: identity, hardware, operating system, people,
health, specs, network and security, each from its own random stream of the site's seed.

Each ``draw_*`` function returns arrays keyed by ``Fleet`` field names (``fleet.py`` assembles
them), reading only the facts drawn before it (servers and roles, form factor, hygiene), so
changing how one group is drawn leaves the others as they were.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from . import windows_data as wd
from .randomness import NULL, alnum_strings, guids, hex_strings, pick, stream

ALL_MODELS = wd.MODELS + wd.SERVER_MODELS
OS_TABLE = (*wd.WORKSTATION_OS, *wd.SERVER_OS, wd.LEGACY_WORKSTATION, wd.LEGACY_SERVER)
_LEGACY_WKS = len(OS_TABLE) - 2
_LEGACY_SRV = len(OS_TABLE) - 1
GIB = 1 << 30


def _quota(n: int, weights: list[float]) -> np.ndarray:
    """Counts summing to ``n`` in proportion to ``weights`` (largest remainder), so small sites
    still get one of each common role."""
    w = np.asarray(weights) / sum(weights)
    raw = w * n
    counts = np.floor(raw).astype(np.int64)
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[: n - counts.sum()]] += 1
    return counts


def skewed(rng: np.random.Generator, weights: list[float], hygiene: np.ndarray) -> np.ndarray:
    """Indices into ``weights`` (newest first) drawn so well-kept devices lean to the newest."""
    u = np.clip(0.55 * rng.random(hygiene.size) + 0.45 * (1.0 - hygiene), 0.0, 1.0 - 1e-9)
    cdf = np.cumsum(np.asarray(weights) / sum(weights))
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(weights) - 1)


def _exact_fraction(rng: np.random.Generator, pool: np.ndarray, fraction: float) -> np.ndarray:
    """A mask choosing round(fraction * |pool|) of the positions in ``pool``."""
    chosen = np.zeros(pool.size, dtype=bool)
    k = round(fraction * pool.size)
    chosen[rng.permutation(pool.size)[:k]] = True
    return chosen


def draw_identity(seed: int, n: int) -> dict[str, Any]:
    """Resource ids, servers (about one device in eight; roles by quota so every common role
    appears) and names."""
    rng = stream(seed, "fleet", "identity")
    rid = 16777220 + np.concatenate([[0], np.cumsum(rng.integers(1, 4, n - 1))]).astype(np.int64)
    is_server = _exact_fraction(rng, np.arange(n), 0.12 if n >= 8 else 0.0)
    n_srv = int(is_server.sum())
    role_counts = _quota(n_srv, [r[2] for r in wd.SERVER_ROLES])
    roles_srv = rng.permutation(np.repeat(np.array([r[0] for r in wd.SERVER_ROLES]), role_counts))
    role = np.full(n, "", dtype=object)
    role[is_server] = roles_srv

    name = np.empty(n, dtype=object)
    wks = np.flatnonzero(~is_server)
    width = max(4, len(str(wks.size)))
    name[wks] = [f"WKS-{i + 1:0{width}d}" for i in range(wks.size)]
    srv = np.flatnonzero(is_server)
    seen: dict[str, int] = {}
    for pos in srv:
        code = str(role[pos])
        seen[code] = seen.get(code, 0) + 1
        name[pos] = f"SRV-{code}{seen[code]:02d}"
    return dict(rid=rid, is_server=is_server, role=role, name=name)


def draw_hardware(seed: int, n: int, is_server: np.ndarray, role: np.ndarray) -> dict[str, Any]:
    """Model, form factor, firmware level, serial number, and how well kept each device is."""
    hw = stream(seed, "fleet", "hardware")
    ws_weights = [m.weight for m in wd.MODELS]
    srv_weights = [m.weight for m in wd.SERVER_MODELS]
    model = pick(hw, n, ws_weights)
    model_srv = len(wd.MODELS) + pick(hw, n, srv_weights)
    # Hyper-V hosts and domain controllers are physical or VMs like the rest, except hosts.
    model_srv = np.where(role == "HV", len(wd.MODELS) + 2 + hw.integers(0, 3, n), model_srv)
    model = np.where(is_server, model_srv, model)
    form = np.array([m.form for m in ALL_MODELS], dtype=object)[model]
    hygiene = hw.beta(5.0, 2.0, n)
    families = [m.firmware for m in ALL_MODELS]
    fw = np.zeros(n, dtype=np.int64)
    for idx, family in enumerate(families):
        sel = model == idx
        if sel.any():
            versions = wd.FIRMWARE[family][1]
            fw[sel] = skewed(hw, [0.5 / (k + 1) for k in range(len(versions))], hygiene[sel])
    serial = alnum_strings(hw, n, 7).astype(object)
    vm = form == "VM"
    digits = hw.integers(0, 10_000, size=(n, 6))
    vmware = np.array([m.firmware == "vmware" for m in ALL_MODELS])[model]
    for pos in np.flatnonzero(vm):
        d = digits[pos]
        if vmware[pos]:
            serial[pos] = "VMware-42 " + " ".join(f"{x % 256:02x}" for x in d) + f"-{d[0] % 97:02d} {d[1] % 89:02x}"
        else:
            serial[pos] = "-".join(f"{x:04d}" for x in d) + f"-{d[0] % 100:02d}"
    return dict(model=model, form=form, hygiene=hygiene, firmware=fw, serial=serial)


def draw_operating_system(seed: int, n: int, is_server: np.ndarray, role: np.ndarray, hygiene: np.ndarray,
                      ps4: float) -> dict[str, Any]:
    """OS release, edition, patch level (well-kept devices lean to the newest), install and boot ages."""
    osr = stream(seed, "fleet", "os")
    os_ws = pick(osr, n, [o.weight for o in wd.WORKSTATION_OS])
    os_srv = len(wd.WORKSTATION_OS) + pick(osr, n, [o.weight for o in wd.SERVER_OS])
    os_idx = np.where(is_server, os_srv, os_ws)
    legacy = _exact_fraction(osr, np.arange(n), ps4)
    os_idx = np.where(legacy, np.where(is_server, _LEGACY_SRV, _LEGACY_WKS), os_idx)
    ed_ws = pick(osr, n, [e[2] for e in wd.WORKSTATION_EDITIONS])
    ed_srv = pick(osr, n, [e[2] for e in wd.SERVER_EDITIONS])
    ed_srv = np.where(role == "HV", 1, ed_srv)
    edition = np.where(is_server, np.array([e[0] for e in wd.SERVER_EDITIONS], dtype=object)[ed_srv],
                       np.array([e[0] for e in wd.WORKSTATION_EDITIONS], dtype=object)[ed_ws])
    sku = np.where(is_server, np.array([e[1] for e in wd.SERVER_EDITIONS])[ed_srv],
                   np.array([e[1] for e in wd.WORKSTATION_EDITIONS])[ed_ws])
    ltsc = (~is_server) & (np.array([o.build for o in OS_TABLE])[os_idx] == "17763")
    edition[ltsc], sku[ltsc] = wd.LTSC_EDITION
    ubr = np.zeros(n, dtype=np.int64)
    patched = np.zeros(n, dtype=bool)
    for idx, release in enumerate(OS_TABLE):
        sel = os_idx == idx
        if sel.any():
            levels = release.ubrs[::-1]
            chosen = skewed(osr, [0.5 ** k for k in range(len(levels))], hygiene[sel])
            ubr[sel] = np.array(levels)[chosen]
            patched[sel] = chosen == 0
    release_age = np.array([o.age_days for o in OS_TABLE])[os_idx]
    install_age = (osr.uniform(20.0, np.maximum(np.minimum(release_age, 1500), 21.0)) * 86400).astype(np.int64)
    ws_boot = np.clip(osr.exponential(2.5 * 86400, n), 1800, 60 * 86400)
    srv_boot = osr.uniform(1, 35, n) * 86400
    stale = osr.random(n) < 0.05
    boot_age = np.where(is_server, srv_boot, ws_boot)
    boot_age = np.where(stale, osr.uniform(20, 60, n) * 86400, boot_age).astype(np.int64)
    return dict(os=os_idx, edition=edition, sku=sku, ubr=ubr, patched=patched, install_age=install_age,
                boot_age=boot_age, ps4=legacy)


def draw_people(seed: int, n: int, is_server: np.ndarray, role: np.ndarray, name: np.ndarray) -> dict[str, Any]:
    """Each device's user (signed in or not), department and domain membership."""
    people = stream(seed, "fleet", "people")
    first = np.array(wd.FIRST_NAMES, dtype=object)[people.integers(0, len(wd.FIRST_NAMES), n)]
    last = np.array(wd.LAST_NAMES, dtype=object)[people.integers(0, len(wd.LAST_NAMES), n)]
    base = pl.Series([f"{f[0]}{s}".lower() for f, s in zip(first, last, strict=True)])
    dup = pl.DataFrame({"s": base}).select(pl.col("s").cum_count().over("s")).to_series().to_numpy()
    sam = np.array([s if d <= 1 else f"{s}{d}" for s, d in zip(base.to_list(), dup, strict=True)], dtype=object)
    sam = np.where(is_server, np.char.add("adm-", sam.astype(str)).astype(object), sam)
    full_name = np.array([f"{f} {s}" for f, s in zip(first, last, strict=True)], dtype=object)
    logged_on = np.where(is_server, people.random(n) < 0.25, people.random(n) < 0.92)
    dept = np.array([d[0] for d in wd.DEPARTMENTS], dtype=object)[pick(people, n, [d[1] for d in wd.DEPARTMENTS])]
    dept[is_server] = "IT"
    domain_joined = ~((people.random(n) < 0.01) & (role != "DC"))
    user = np.where(logged_on, np.char.add(f"{wd.NETBIOS_DOMAIN}\\", sam.astype(str)).astype(object), NULL)
    user = np.where(domain_joined | ~logged_on, user,
                    np.char.add(np.char.add(name.astype(str), "\\"), "kiosk").astype(object))
    return dict(user=user, sam=np.where(logged_on, sam, NULL), full_name=full_name, dept=dept,
                domain_joined=domain_joined)


def draw_health(seed: int, n: int, offline: float, failure: float, hygiene: np.ndarray) -> dict[str, Any]:
    """Which devices are offline or fail every query, answer latencies, last activity, client versions."""
    health = stream(seed, "fleet", "health")
    off = _exact_fraction(health, np.arange(n), offline)
    online = np.flatnonzero(~off)
    failing = np.zeros(n, dtype=bool)
    failing[online] = _exact_fraction(health, online, failure)
    messages = np.array([m[0] for m in wd.FAILURE_MESSAGES], dtype=object)
    fail_msg = np.where(failing, messages[pick(health, n, [m[1] for m in wd.FAILURE_MESSAGES])], NULL)
    slow = health.random(n) < 0.1
    latency = np.where(slow, health.lognormal(np.log(12.0), 0.7, n), health.lognormal(np.log(2.4), 0.38, n))
    latency = np.clip(latency, 0.4, 60.0)
    active_off = np.where(health.random(n) < 0.8, health.exponential(3 * 86400, n) + 3600,
                          health.uniform(14, 90, n) * 86400)
    last_active_age = np.where(off, active_off, health.uniform(0, 1800, n)).astype(np.int64)
    client = np.array([c[0] for c in wd.CLIENT_VERSIONS], dtype=object)
    client_version = client[::-1][skewed(health, [c[1] for c in wd.CLIENT_VERSIONS][::-1], hygiene)]
    sms_guid = np.char.add("GUID:", guids(health, n).to_numpy().astype(str)).astype(object)
    return dict(offline=off, failure=fail_msg, latency=latency, last_active_age=last_active_age,
                client_version=client_version, sms_guid=sms_guid)


def draw_specs(seed: int, n: int, is_server: np.ndarray, form: np.ndarray, domain_joined: np.ndarray) -> dict[str, Any]:
    """Processor, memory, disks and drives."""
    spec = stream(seed, "fleet", "specs")
    vm = form == "VM"
    cpus = wd.CPUS
    cpu = np.zeros(n, dtype=np.int64)
    for kind in ("Laptop", "Desktop", "VM", "Server"):
        options = [i for i, c in enumerate(cpus) if c[5] == kind]
        sel = form == kind
        cpu[sel] = np.array(options)[spec.integers(0, len(options), int(sel.sum()))]
    ram_gb = np.where(is_server, np.array([8, 16, 32, 64, 128])[pick(spec, n, [1, 3, 3, 2, 1])],
                      np.array([8, 16, 32])[pick(spec, n, [2, 6, 2])])
    ram_gb = np.where(form == "Server", np.array([128, 256, 512])[spec.integers(0, 3, n)], ram_gb)
    ram_mb = ram_gb * 1024 - np.where(vm, 0, spec.integers(100, 400, n))
    c_nominal = np.where(is_server, np.array([80, 127, 150])[spec.integers(0, 3, n)],
                         np.array([237, 475, 952])[pick(spec, n, [3, 6, 1])])
    c_size = (c_nominal * GIB + spec.integers(-900, 900, n) * (1 << 20)).astype(np.int64)
    free_frac = spec.beta(2.2, 3.5, n)
    low = spec.random(n) < 0.07
    free_frac = np.where(low, spec.uniform(0.004, 0.095, n), free_frac)
    c_free = (c_size * free_frac).astype(np.int64) // 4096 * 4096
    has_d = np.where(is_server, spec.random(n) < 0.8, (form == "Desktop") & (spec.random(n) < 0.3))
    d_size = np.where(has_d, np.where(is_server, spec.integers(100, 2048, n), 931) * GIB, 0).astype(np.int64)
    d_free = (d_size * spec.beta(2.5, 2.0, n)).astype(np.int64) // 4096 * 4096
    cdrom = vm & (spec.random(n) < 0.6)
    home_drive = (~is_server) & domain_joined & (spec.random(n) < 0.3)
    return dict(cpu=cpu, ram_mb=ram_mb.astype(np.int64), c_size=c_size, c_free=c_free, d_size=d_size,
                d_free=d_free, cdrom=cdrom, home_drive=home_drive)


def draw_network(seed: int, n: int, is_server: np.ndarray, form: np.ndarray, model: np.ndarray) -> dict[str, Any]:
    """Office (or home network behind a VPN), subnet, IP and MAC address."""
    net = stream(seed, "fleet", "network")
    site = pick(net, n, [0.5, 0.2, 0.15, 0.15])  # HQ, NYC, LON, remote (VPN / home)
    site = np.where(is_server, 4, site)
    site = np.where((site == 3) & ~(form == "Laptop"), 0, site)
    prefix = np.array(["10.10", "10.20", "10.30", "10.200", "10.1"], dtype=object)[site]
    third = net.integers(0, 16, n)
    subnet = np.char.add(np.char.add(prefix.astype(str), "."), third.astype(str)).astype(object)
    ip = np.char.add(np.char.add(subnet.astype(str), "."), net.integers(10, 250, n).astype(str)).astype(object)
    home = (site == 3) & (net.random(n) < 0.45)
    ip[home] = np.char.add("192.168.1.", net.integers(2, 250, int(home.sum())).astype(str))
    subnet[home] = "192.168.1"
    ouis = np.array(["00-15-5D", "00-50-56", "A4-BB-6D", "F8-B4-6A", "8C-8C-AA", "48-2A-E3", "DC-21-48"])
    families = np.array([m.firmware for m in ALL_MODELS], dtype=object)
    oui = np.where(form == "VM", np.where(families[model] == "vmware", 1, 0), net.integers(2, len(ouis), n))
    tail = hex_strings(net, n, 6)
    mac = np.array([f"{ouis[o]}-{t[0:2]}-{t[2:4]}-{t[4:6]}" for o, t in zip(oui, tail, strict=True)], dtype=object)
    return dict(ip=ip, mac=mac, subnet=subnet, in_boundary=~home)


def draw_security(seed: int, n: int, is_server: np.ndarray, form: np.ndarray, domain_joined: np.ndarray,
              os_idx: np.ndarray) -> dict[str, Any]:
    """Entra ID join, TPM, BitLocker, UEFI and SMB1."""
    sec = stream(seed, "fleet", "security")
    aad = np.where(is_server, sec.random(n) < 0.1, sec.random(n) < 0.72) & domain_joined
    aad_id = guids(sec, n, upper=False).to_numpy().astype(object)
    aad_id = np.where(aad, aad_id, NULL)
    physical = form != "VM"
    tpm = np.where(physical, sec.random(n) < 0.99, sec.random(n) < 0.45)
    tpm &= os_idx != _LEGACY_SRV
    bitlocker = tpm & np.where(form == "Laptop", sec.random(n) < 0.95,
                               np.where(is_server, sec.random(n) < 0.1, sec.random(n) < 0.8))
    uefi = np.where(physical, sec.random(n) < 0.97, sec.random(n) < 0.75)
    smb1 = sec.random(n) < np.where(is_server, 0.12, 0.04)
    return dict(aad_joined=aad, aad_device_id=aad_id, tpm=tpm, bitlocker=bitlocker, uefi=uefi, smb1=smb1)
