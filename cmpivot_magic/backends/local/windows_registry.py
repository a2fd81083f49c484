"""The Windows registry through ``winreg``: Registry, RegistryKey and InstalledSoftware.

Imported only on Windows (the module-level assert also tells mypy so). Registry semantics follow
the client script (reference §2.2): ``Get-Item`` on a path whose segments may hold wildcards, one
row per value of each matched key, ``(Default)`` for the unnamed value, values rendered as strings
by ``windows.registry_value_text``; a path that matches nothing gives no rows. InstalledSoftware
reads the Add/Remove Programs ``Uninstall`` keys (64- and 32-bit views of HKLM, and HKCU), which is
what SMS_InstalledSoftware summarises, leaving out entries ARP hides (``SystemComponent`` = 1).
"""

from __future__ import annotations

import sys

assert sys.platform == "win32"

import datetime as dt  # noqa: E402
import fnmatch  # noqa: E402
import re  # noqa: E402
import winreg  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from typing import Any  # noqa: E402

from cmpivot_magic.backends.local.common import Request, Row  # noqa: E402
from cmpivot_magic.backends.local.windows import registry_value_text, split_registry_path  # noqa: E402


def registry_keys(path: str) -> Iterator[str]:
    """Full names of the keys a path with wildcards matches (``Get-Item`` semantics)."""
    hive, segments = split_registry_path(path)
    root = getattr(winreg, hive)
    candidates = [""]
    for segment in segments:
        expanded = []
        for parent in candidates:
            if not any(ch in segment for ch in "*?["):
                expanded.append(f"{parent}\\{segment}" if parent else segment)
                continue
            for child in _subkeys(root, parent):
                if fnmatch.fnmatch(child.lower(), segment.lower()):
                    expanded.append(f"{parent}\\{child}" if parent else child)
        candidates = expanded
    for key in candidates:
        try:
            winreg.CloseKey(winreg.OpenKey(root, key))
        except OSError:
            continue
        yield f"{hive}\\{key}" if key else hive


def _subkeys(root: Any, key: str) -> list[str]:
    try:
        handle = winreg.OpenKey(root, key)
    except OSError:
        return []
    names = []
    with handle:
        index = 0
        while True:
            try:
                names.append(winreg.EnumKey(handle, index))
            except OSError:
                break
            index += 1
    return names


def registry(req: Request) -> list[Row]:
    rows = []
    for key in registry_keys(req.text_arg(0)):
        hive, _, sub = key.partition("\\")
        try:
            handle = winreg.OpenKey(getattr(winreg, hive), sub)
        except OSError:
            continue
        with handle:
            index = 0
            while True:
                try:
                    name, value, _kind = winreg.EnumValue(handle, index)
                except OSError:
                    break
                index += 1
                rows.append(
                    {"Key": key, "Property": name or "(Default)", "Value": registry_value_text(value)}
                )
    return rows


def registry_key(req: Request) -> list[Row]:
    return [{"Key": key} for key in registry_keys(req.text_arg(0))]


_UNINSTALL = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"


def installed_software(req: Request) -> list[Row]:
    views = [
        (winreg.HKEY_LOCAL_MACHINE, winreg.KEY_WOW64_64KEY),
        (winreg.HKEY_LOCAL_MACHINE, winreg.KEY_WOW64_32KEY),
        (winreg.HKEY_CURRENT_USER, 0),
    ]
    rows: dict[tuple[str, str], Row] = {}
    for root, view in views:
        try:
            base = winreg.OpenKey(root, _UNINSTALL, 0, winreg.KEY_READ | view)
        except OSError:
            continue
        with base:
            index = 0
            while True:
                try:
                    code = winreg.EnumKey(base, index)
                except OSError:
                    break
                index += 1
                row = _uninstall_entry(base, code)
                if row is not None:
                    rows.setdefault((row["ProductName"], row.get("ProductVersion") or ""), row)
    return list(rows.values())


def _uninstall_entry(base: Any, code: str) -> Row | None:
    try:
        handle = winreg.OpenKey(base, code)
    except OSError:
        return None
    values: dict[str, Any] = {}
    with handle:
        for name in ("DisplayName", "DisplayVersion", "Publisher", "InstallDate", "InstallLocation",
                     "InstallSource", "UninstallString", "SystemComponent", "VersionMajor", "VersionMinor"):  # fmt: skip
            try:
                values[name] = winreg.QueryValueEx(handle, name)[0]
            except OSError:
                continue
    if not values.get("DisplayName") or values.get("SystemComponent") == 1:
        return None  # Add/Remove Programs hides these too
    installed = None
    if isinstance(values.get("InstallDate"), str) and re.fullmatch(r"\d{8}", values["InstallDate"]):
        text = values["InstallDate"]
        try:
            installed = dt.datetime(int(text[:4]), int(text[4:6]), int(text[6:]), tzinfo=dt.UTC)
        except ValueError:
            installed = None
    return {
        "ProductName": values["DisplayName"],
        "ARPDisplayName": values["DisplayName"],
        "ProductVersion": values.get("DisplayVersion"),
        "Publisher": values.get("Publisher"),
        "InstallDate": installed,
        "InstalledLocation": values.get("InstallLocation") or None,
        "InstallSource": values.get("InstallSource") or None,
        "UninstallString": values.get("UninstallString"),
        "SoftwareCode": code if code.startswith("{") else None,
        "VersionMajor": values.get("VersionMajor"),
        "VersionMinor": values.get("VersionMinor"),
    }
