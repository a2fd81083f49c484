"""Services: ``Service`` and ``Services``, one row per service a device has.

Each service comes from a template (``service_data``) that says who has it (``scope``, as for
processes), how it starts, how likely it is to be running and which executable hosts it; a
running service's ProcessId is that host's process on the same device (a random svchost for the
shared svchost services), so ``Service`` joins ``Process`` on the device as it does on a client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import polars as pl

from .fleet import Fleet
from .gen_processes import scope
from .generators import DEVICE, Request, generates
from .randomness import stream
from .service_data import PER_USER_SERVICES_TEXT, SERVICES_TEXT

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
        pl.Series("ProcessId", _service_pids(fleet, request.rows_of("Process", (), ("Name", "ProcessId")), templates, dev, tpl, running, rng)),
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

