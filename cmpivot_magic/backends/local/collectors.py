"""``local://``'s table source: this machine's entity rows, collected for real at query time.

``LocalSource.table`` is what the local backend asks for each entity a query's device part reads.
It looks the entity up in this platform's collector table, runs the collector for the columns the
query reads (skipping expensive ones it does not need), and builds the entity's table exactly as
the catalog declares it: ``Device`` (this host's name, upper-case short name as ConfigMgr shows
it) first, then every catalog column in order with its catalog type; what this platform cannot
know is null. Everything is read-only.

An entity with no equivalent here raises ``EntityUnavailable`` with a message naming the entity,
the platform and what it lacks; the backend turns that into a Failed device status. Permission
problems never raise, except for ``File``/``FileContent`` on a path the user may not read (a
missing answer there would look like a missing file) and log files the user may not read.

Which source answers what, and the mapping decisions, are tabled per platform in the docstrings of
``portable`` (psutil, shared by Linux and macOS), ``network``, ``files``, ``linux``,
``linux_software``, ``linux_systemd``, ``linux_logs``, ``macos``, ``windows`` and ``windows_registry``.
"""

from __future__ import annotations

import datetime as dt
import socket
import sys
from collections.abc import Mapping, Sequence

import polars as pl

from cmpivot_magic.backends.base import EntityUnavailable
from cmpivot_magic.backends.local import files, network, portable
from cmpivot_magic.backends.local.common import Collector, Request, frame, wanted_columns
from cmpivot_magic.catalog import Entity

__all__ = ["EntityUnavailable", "LocalSource", "platform_name", "supported_entities"]


def platform_name() -> str:
    if sys.platform.startswith("linux"):
        return "Linux"
    if sys.platform == "darwin":
        return "macOS"
    if sys.platform == "win32":
        return "Windows"
    return sys.platform


def _common() -> dict[str, Collector]:
    """Collectors every psutil platform shares (Windows replaces most with WMI)."""
    return {
        "Process": portable.process,
        "Disk": lambda req: portable.disks(req, megabytes=False),
        "LogicalDisk": lambda req: portable.disks(req, megabytes=True),
        "User": portable.users,
        "SystemConsoleUser": portable.system_console_users,
        "Environment": portable.environment,
        "File": files.file_info,
        "FileContent": files.file_content,
    }


def _linux() -> dict[str, Collector]:
    from cmpivot_magic.backends.local import linux, linux_logs, linux_software, linux_systemd

    return {
        **_common(),
        "Device": linux.device,
        "ComputerSystem": linux.computer_system,
        "OS": linux.operating_system,
        "OperatingSystem": linux.operating_system,
        "Bios": linux.bios,
        "Processor": linux.processor,
        "PhysicalMemory": portable.physical_memory,
        "InstalledSoftware": linux_software.installed_software,
        "Administrators": linux_software.administrators,
        "AutoStartSoftware": linux_software.auto_start_software,
        "Connection": network.linux_connection,
        "IPConfig": network.linux_ip_config,
        "Environment": linux_software.environment,
        "Service": linux_systemd.service,
        "Services": linux_systemd.service,
        "SystemBootData": linux_systemd.system_boot_data,
        "EventLog": linux_logs.event_log,
        "WinEvent": linux_logs.win_event,
    }


def _macos() -> dict[str, Collector]:
    from cmpivot_magic.backends.local import macos

    return {
        **_common(),
        "Device": macos.device,
        "OS": macos.operating_system,
        "OperatingSystem": macos.operating_system,
        "PhysicalMemory": portable.physical_memory,
        "IPConfig": macos.ip_config,
        "Connection": network.psutil_connection,
    }


def _windows() -> dict[str, Collector]:
    from cmpivot_magic.backends.local import windows

    table: dict[str, Collector] = {name: windows.wmi for name in windows.WMI_CLASSES}
    table.update(
        {
            "User": portable.users,
            "Connection": network.psutil_connection,
            "File": files.file_info,
            "FileContent": files.file_content,
            "IPConfig": windows.ip_config,
            "Administrators": windows.administrators,
            "EventLog": windows.event_log,
            "WinEvent": windows.win_event,
        }
    )
    if sys.platform == "win32":  # winreg exists only there
        from cmpivot_magic.backends.local import windows_registry

        table["Registry"] = windows_registry.registry
        table["RegistryKey"] = windows_registry.registry_key
        table["InstalledSoftware"] = windows_registry.installed_software
    return table


def _collectors() -> dict[str, Collector]:
    if sys.platform.startswith("linux"):
        return _linux()
    if sys.platform == "darwin":
        return _macos()
    if sys.platform == "win32":
        return _windows()
    return _common()


def supported_entities() -> frozenset[str]:
    """Names of the entities this platform can answer (some may still be unavailable at run time,
    e.g. Service without systemd as init, EventLog without a journal or syslog file)."""
    return frozenset(_collectors())


# Why an entity this platform does not support has no equivalent here, where there is more to say
# than "no such class".
_WHY: Mapping[str, str] = {
    "Registry": "has no Windows registry",
    "RegistryKey": "has no Windows registry",
    "CcmLog": "has no ConfigMgr client, so no CCM logs (CcmLog reads <CCM log dir>\\<log>.log)",
    "EPStatus": "has no Microsoft Defender (Get-MpComputerStatus)",
    "AadStatus": "is not joined to Entra ID / Azure AD (dsregcmd)",
    "SoftwareUpdate": "has no Windows Update Agent",
    "SMBConfig": "has no Windows SMB server configuration (Get-SmbServerConfiguration)",
    "AppCrash": "has no Windows Application log crash reports (event 1000)",
    "ProcessModule": "has no Windows module list for processes (Get-Process -Module)",
}


def device_name() -> str:
    """This host's name as ConfigMgr shows it: the short name, upper-case."""
    return socket.gethostname().split(".")[0].upper()


class LocalSource:
    """Entity tables of the machine the kernel runs on (one device: ``device_name``)."""

    def __init__(self) -> None:
        self.platform = platform_name()
        self.device_name = device_name()
        self._collectors = _collectors()

    def __repr__(self) -> str:
        return f"<LocalSource {self.device_name} ({self.platform}, {len(self._collectors)} entities)>"

    def supported(self) -> frozenset[str]:
        return frozenset(self._collectors)

    def table(
        self,
        entity: Entity,
        args: tuple[object, ...],
        resource_ids: Sequence[int],
        now: dt.datetime,
        columns: Sequence[str] | None = None,
    ) -> pl.DataFrame:
        """This machine's rows of ``entity``; ``resource_ids`` is not consulted (one device)."""
        collect = self._collectors.get(entity.name)
        if collect is None:
            why = _WHY.get(entity.name) if self.platform != "Windows" else None
            reason = f"this {self.platform} machine {why}" if why else self._no_equivalent(entity)
            raise EntityUnavailable(f"{entity.name} is not available from local:// — {reason}")
        request = Request(entity, tuple(args), now, self.device_name, wanted_columns(entity, columns))
        return frame(entity, self.device_name, collect(request))

    def _no_equivalent(self, entity: Entity) -> str:
        source = f"the Windows class {entity.wmi_class}" if entity.wmi_class else "this entity's data"
        return f"{self.platform} has no equivalent of {source} that local:// collects"
