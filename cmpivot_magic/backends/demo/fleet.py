"""The simulated estate itself: every device's lasting facts, drawn once per site.

``build_fleet(n, seed, ...)`` returns a ``Fleet`` of per-device numpy arrays — hardware, firmware,
OS build and patch level, user, network, disks, installed products, health — that the entity
generators read, so that one device tells the same story in every entity (its OS caption in
``OS`` matches its build in ``Registry``, ``Teams.exe`` runs only where Teams is installed, a low
disk in ``Disk`` is low in ``LogicalDisk``). Each group of facts has its own random stream;
``fleet_facts.py`` draws them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .fleet_facts import (
    ALL_MODELS,
    OS_TABLE,
    draw_hardware,
    draw_health,
    draw_identity,
    draw_network,
    draw_operating_system,
    draw_people,
    draw_security,
    draw_specs,
    skewed,
)
from .randomness import NULL, stream
from .software_data import PRODUCTS


@dataclass
class Fleet:
    """Per-device facts, every array indexed by device position (resource-id order)."""

    n: int
    seed: int
    rid: np.ndarray
    name: np.ndarray
    is_server: np.ndarray
    role: np.ndarray
    form: np.ndarray
    model: np.ndarray            # index into ALL_MODELS
    firmware: np.ndarray         # index into the model's firmware list
    serial: np.ndarray
    os: np.ndarray               # index into OS_TABLE
    edition: np.ndarray
    sku: np.ndarray
    ubr: np.ndarray
    patched: np.ndarray          # at the newest cumulative update of its build
    hygiene: np.ndarray          # 0..1, how up to date the device is kept
    install_age: np.ndarray      # seconds since the OS was installed
    boot_age: np.ndarray         # seconds since the last boot
    user: np.ndarray             # 'CONTOSO\\jdoe' or None
    sam: np.ndarray              # 'jdoe' (the profile folder) or None
    full_name: np.ndarray
    dept: np.ndarray
    domain_joined: np.ndarray
    offline: np.ndarray
    failure: np.ndarray          # message or None
    ps4: np.ndarray
    latency: np.ndarray
    last_active_age: np.ndarray
    client_version: np.ndarray
    sms_guid: np.ndarray
    cpu: np.ndarray
    ram_mb: np.ndarray
    c_size: np.ndarray
    c_free: np.ndarray
    d_size: np.ndarray           # 0 when there is no D: data disk
    d_free: np.ndarray
    cdrom: np.ndarray            # has a DVD drive (VMs)
    home_drive: np.ndarray       # has an H: network drive
    ip: np.ndarray
    mac: np.ndarray
    subnet: np.ndarray           # '10.10.4' style prefix; boundary lookups use it
    in_boundary: np.ndarray
    aad_joined: np.ndarray
    aad_device_id: np.ndarray    # GUID or None
    tpm: np.ndarray
    bitlocker: np.ndarray
    uefi: np.ndarray
    smb1: np.ndarray
    products: dict[str, np.ndarray] = field(default_factory=dict)   # key -> version index, -1 absent
    memo: dict[str, object] = field(default_factory=dict, repr=False)
    """Derived per-device tables several entities share (drives, user profiles), built once."""

    def has(self, product: str) -> np.ndarray:
        return self.products[product] >= 0

    def product_name(self, product: str) -> np.ndarray:
        """Each device's ProductName of ``product`` (None where absent)."""
        return _version_field(self, product, 0)

    def product_version(self, product: str) -> np.ndarray:
        return _version_field(self, product, 1)

    @property
    def manufacturer(self) -> np.ndarray:
        return np.array([m.manufacturer for m in ALL_MODELS], dtype=object)[self.model]

    @property
    def model_name(self) -> np.ndarray:
        return np.array([m.model for m in ALL_MODELS], dtype=object)[self.model]

    @property
    def firmware_family(self) -> np.ndarray:
        return np.array([m.firmware for m in ALL_MODELS], dtype=object)[self.model]

    def os_attr(self, attr: str) -> np.ndarray:
        return np.array([getattr(o, attr) for o in OS_TABLE], dtype=object)[self.os]

    @property
    def caption(self) -> np.ndarray:
        base = self.os_attr("caption")
        return np.char.add(np.char.add(base.astype(str), " "), self.edition.astype(str)).astype(object)

    @property
    def is_laptop(self) -> np.ndarray:
        return self.form == "Laptop"

    @property
    def is_vm(self) -> np.ndarray:
        return self.form == "VM"

    def mask(self, condition: str | None) -> np.ndarray:
        """Devices a ``software_data`` condition (``vendor:``, ``role:``, ...) selects."""
        if condition is None:
            return np.ones(self.n, dtype=bool)
        kind, _, value = condition.partition(":")
        if kind == "vendor":
            return self.manufacturer == value
        if kind == "role":
            return self.role == value
        if kind == "hypervisor":
            return self.firmware_family == value
        if kind == "dept":
            return self.dept == value
        if kind == "os":
            return self.os_attr("build") == value
        raise ValueError(f"unknown product condition {condition!r}")


def _version_field(fleet: Fleet, product: str, index: int) -> np.ndarray:
    spec = next(p for p in PRODUCTS if p.key == product)
    chosen = fleet.products[product]
    if product == "configmgr":
        values = np.where(chosen >= 0, fleet.client_version, NULL) if index == 1 else np.where(
            chosen >= 0, "Configuration Manager Client", NULL)
        return values.astype(object)
    table = np.array([v[index] for v in spec.versions] + [None], dtype=object)
    return table[np.where(chosen >= 0, chosen, len(spec.versions))]


def build_fleet(n: int, seed: int, offline: float, failure: float, ps4: float) -> Fleet:
    """The fleet of ``n`` devices: each group of facts is drawn from its own stream of ``seed``, so
    changing how one group is drawn leaves the others as they were."""
    if n < 1:
        raise ValueError("a demo site needs at least one device")
    identity = draw_identity(seed, n)
    is_server, role = identity["is_server"], identity["role"]
    hardware = draw_hardware(seed, n, is_server, role)
    system = draw_operating_system(seed, n, is_server, role, hardware["hygiene"], ps4)
    people = draw_people(seed, n, is_server, role, identity["name"])
    form, joined = hardware["form"], people["domain_joined"]
    fleet = Fleet(n=n, seed=seed, **identity, **hardware, **system, **people,
                  **draw_health(seed, n, offline, failure, hardware["hygiene"]),
                  **draw_specs(seed, n, is_server, form, joined),
                  **draw_network(seed, n, is_server, form, hardware["model"]),
                  **draw_security(seed, n, is_server, form, joined, system["os"]))
    _install_products(fleet)
    return fleet


def _install_products(fleet: Fleet) -> None:
    """Which version of each product each device has (-1: none); well-kept devices lean newest."""
    for product in PRODUCTS:
        rng = stream(fleet.seed, "fleet", "product", product.key)
        p = np.where(fleet.is_server, product.server, product.workstation)
        allowed = fleet.mask(product.where)
        if product.where is not None and product.server == 0 and product.workstation == 0:
            p = np.ones(fleet.n)
        present = allowed & (rng.random(fleet.n) < p)
        if product.key == "configmgr":
            fleet.products[product.key] = np.zeros(fleet.n, dtype=np.int64)
            continue
        chosen = skewed(rng, [v[2] for v in product.versions], fleet.hygiene)
        fleet.products[product.key] = np.where(present, chosen, -1)
