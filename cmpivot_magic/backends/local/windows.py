"""Windows collectors: the same WMI classes and cmdlets a ConfigMgr client reads, without the client.

WMI entities run ``Get-CimInstance <class> | Select-Object <columns> | ConvertTo-Json -Compress``
in Windows PowerShell, selecting only the columns the query reads; dates are converted to ISO 8601
UTC inside PowerShell (5.1 and 7 serialise DateTime differently) and sizes to the catalog's units
here (LogicalDisk in MB, PhysicalMemory capacity in MB). Registry, RegistryKey and
InstalledSoftware (the ARP ``Uninstall`` keys, as SMS_InstalledSoftware reads them) use ``winreg``
directly (``windows_registry``, imported only on Windows); IPConfig, Administrators, EventLog and WinEvent run the cmdlets the client script runs.

| Entity | Source |
|---|---|
| Device, ComputerSystem | Win32_ComputerSystem |
| OS, OperatingSystem | Win32_OperatingSystem |
| Process, Service, Services, Disk, LogicalDisk, Bios, Processor, PhysicalMemory, Environment | Win32_Process, Win32_Service, Win32_LogicalDisk, Win32_BIOS, Win32_Processor, Win32_PhysicalMemory, Win32_Environment |
| IPConfig | Get-NetIPConfiguration (addresses, gateways and DNS servers joined with ``; ``) |
| Administrators | Get-LocalGroupMember -SID S-1-5-32-544 |
| EventLog, WinEvent | Get-EventLog -After, Get-WinEvent -FilterHashtable |
| Registry, RegistryKey | winreg (``hklm:\\...`` paths, wildcards in any segment) |
| InstalledSoftware | winreg: HKLM (64- and 32-bit views) and HKCU ``...\\CurrentVersion\\Uninstall`` |
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from cmpivot_magic.backends.base import EntityUnavailable
from cmpivot_magic.backends.local.common import Request, Row, mebibytes, run
from cmpivot_magic.language.types import ScalarType

# entity -> (WMI class, columns the class reports in bytes but the catalog wants in MB)
WMI_CLASSES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Device": ("Win32_ComputerSystem", ()),
    "ComputerSystem": ("Win32_ComputerSystem", ()),
    "OS": ("Win32_OperatingSystem", ()),
    "OperatingSystem": ("Win32_OperatingSystem", ()),
    "Process": ("Win32_Process", ()),
    "Service": ("Win32_Service", ()),
    "Services": ("Win32_Service", ()),
    "Disk": ("Win32_LogicalDisk", ()),
    "LogicalDisk": ("Win32_LogicalDisk", ("Size", "FreeSpace")),
    "Bios": ("Win32_BIOS", ()),
    "Processor": ("Win32_Processor", ()),
    "PhysicalMemory": ("Win32_PhysicalMemory", ("Capacity",)),
    "Environment": ("Win32_Environment", ()),
}


def powershell_json(script: str, what: str) -> list[dict[str, Any]]:
    """Objects a PowerShell pipeline ending in ``ConvertTo-Json -Compress`` returns."""
    command = [
        "powershell",
        "-NoProfile",
        "-NonInteractive",
        "-ExecutionPolicy",
        "Bypass",
        "-Command",
        script,
    ]
    out = run(command, timeout=120)
    if out is None:
        raise EntityUnavailable(f"{what}: Windows PowerShell could not answer on this machine")
    if not out.strip():
        return []
    data = json.loads(out)
    items = data if isinstance(data, list) else [data]
    return [item for item in items if isinstance(item, dict)]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _select(req: Request, names: list[str] | None = None) -> str:
    """A Select-Object list of the wanted columns; dates become ISO 8601 UTC strings."""
    parts = []
    for column in req.entity.columns[1:]:
        if not req.wants(column.name) or (names is not None and column.name not in names):
            continue
        if column.type == ScalarType.DATETIME:
            name = column.name
            parts.append(f"@{{n='{name}';e={{if($_.{name}){{$_.{name}.ToUniversalTime().ToString('o')}}}}}}")
        else:
            parts.append(column.name)
    return ",".join(parts) or req.entity.columns[1].name


def wmi(req: Request) -> list[Row]:
    wmi_class, megabytes = WMI_CLASSES[req.entity.name]
    script = (
        f"Get-CimInstance -ClassName {wmi_class} | Select-Object {_select(req)} | ConvertTo-Json -Compress"
    )
    rows = [_typed(req, item) for item in powershell_json(script, req.entity.name)]
    for row in rows:
        for name in megabytes:
            row[name] = mebibytes(row.get(name))
    return rows


def _typed(req: Request, item: dict[str, Any]) -> Row:
    row: Row = {}
    for column in req.entity.columns[1:]:
        value = item.get(column.name)
        if value is None or value == "":
            continue
        if column.type == ScalarType.DATETIME:
            row[column.name] = _iso(value)
        elif column.type == ScalarType.BOOL:
            row[column.name] = value if isinstance(value, bool) else str(value).lower() == "true"
        elif column.type == ScalarType.STRING and isinstance(value, list):
            row[column.name] = "; ".join(str(v) for v in value)
        else:
            row[column.name] = value
    return row


def _iso(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def ip_config(req: Request) -> list[Row]:
    script = (
        "Get-NetIPConfiguration | ForEach-Object { [pscustomobject]@{"
        " InterfaceAlias=$_.InterfaceAlias; Name=$_.NetProfile.Name;"
        " InterfaceDescription=$_.InterfaceDescription; Status=[string]$_.NetAdapter.Status;"
        " IPV4Address=($_.IPv4Address.IPAddress -join '; '); IPV6Address=($_.IPv6Address.IPAddress -join '; ');"
        " IPV4DefaultGateway=($_.IPv4DefaultGateway.NextHop -join '; ');"
        " IPV6DefaultGateway=($_.IPv6DefaultGateway.NextHop -join '; ');"
        " DNSServerList=($_.DNSServer.ServerAddresses -join '; ') } } | ConvertTo-Json -Compress"
    )
    return [_typed(req, item) for item in powershell_json(script, "IPConfig")]


def administrators(req: Request) -> list[Row]:
    script = (
        "Get-LocalGroupMember -SID S-1-5-32-544 | Select-Object @{n='ObjectClass';e={[string]$_.ObjectClass}},"
        "Name,@{n='PrincipalSource';e={[string]$_.PrincipalSource}} | ConvertTo-Json -Compress"
    )
    return [_typed(req, item) for item in powershell_json(script, "Administrators")]


def event_log(req: Request) -> list[Row]:
    seconds = int(req.span(1).total_seconds())
    script = (
        f"Get-EventLog -LogName {_quote(req.text_arg(0))} -After (Get-Date).AddSeconds(-{seconds}) | "
        "Select-Object @{n='DateTime';e={$_.TimeGenerated.ToUniversalTime().ToString('o')}},"
        "@{n='EntryType';e={[string]$_.EntryType}},Source,@{n='EventID';e={[int64]$_.EventID}},Message"
        " | ConvertTo-Json -Compress"
    )
    return [_typed(req, item) for item in powershell_json(script, f"EventLog('{req.text_arg(0)}')")]


def win_event(req: Request) -> list[Row]:
    seconds = int(req.span(1).total_seconds())
    script = (
        f"Get-WinEvent -ErrorAction SilentlyContinue -FilterHashtable @{{LogName={_quote(req.text_arg(0))};"
        f" StartTime=(Get-Date).AddSeconds(-{seconds}); EndTime=(Get-Date)}} | "
        "Select-Object @{n='DateTime';e={$_.TimeCreated.ToUniversalTime().ToString('o')}},"
        "LevelDisplayName,ProviderName,@{n='ID';e={[int64]$_.Id}},Message | ConvertTo-Json -Compress"
    )
    return [_typed(req, item) for item in powershell_json(script, f"WinEvent('{req.text_arg(0)}')")]


# -- registry --------------------------------------------------------------------------------------

_HIVES = {
    "HKLM": "HKEY_LOCAL_MACHINE", "HKEY_LOCAL_MACHINE": "HKEY_LOCAL_MACHINE",
    "HKCU": "HKEY_CURRENT_USER", "HKEY_CURRENT_USER": "HKEY_CURRENT_USER",
    "HKCR": "HKEY_CLASSES_ROOT", "HKEY_CLASSES_ROOT": "HKEY_CLASSES_ROOT",
    "HKU": "HKEY_USERS", "HKEY_USERS": "HKEY_USERS",
    "HKCC": "HKEY_CURRENT_CONFIG", "HKEY_CURRENT_CONFIG": "HKEY_CURRENT_CONFIG",
}  # fmt: skip
_PROVIDER_PATH = re.compile(r"^(?:Microsoft\.PowerShell\.Core\\)?(?:Registry::)?([A-Za-z_]+):?\\?(.*)$")


def split_registry_path(path: str) -> tuple[str, list[str]]:
    """``hklm:\\SOFTWARE\\X``, ``HKLM:SOFTWARE\\X`` or ``HKEY_LOCAL_MACHINE\\SOFTWARE\\X`` -> hive, segments."""
    match = _PROVIDER_PATH.match(path.strip().replace("/", "\\"))
    hive = _HIVES.get(match.group(1).upper()) if match else None
    if match is None or hive is None:
        raise EntityUnavailable(
            f"Registry('{path}'): not a registry path (expected e.g. 'hklm:\\SOFTWARE\\...')"
        )
    return hive, [segment for segment in match.group(2).split("\\") if segment]


def registry_value_text(value: object) -> str:
    """A value as the client script renders it: binary as ``01-0A-FF``, multi-strings joined by ``, ``."""
    if isinstance(value, bytes | bytearray):
        return "-".join(f"{byte:02X}" for byte in value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)
