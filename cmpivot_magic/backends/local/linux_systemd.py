"""Linux services and boots: ``Service``/``Services`` from systemd, ``SystemBootData`` from boot records.

Service (Win32_Service's shape) needs a running systemd: ``systemctl list-units --type=service
--all`` for the loaded units' state and ``systemctl list-unit-files --type=service`` for every
installed unit and whether it is enabled, run at once; ``systemctl show`` adds process ids, command
lines and accounts only when the query reads those columns. Without systemd as PID 1 (most
containers, SysV/OpenRC systems) the entity is unavailable rather than empty: an empty table would
claim that no service exists, and init scripts carry no reliable running state.

| Column | systemd | Decision |
|---|---|---|
| Name | unit name | without ``.service`` (``ssh``, as Windows has ``Browser``) |
| DisplayName, Description | ``Description=`` | |
| State | ActiveState | active/reloading → ``Running``, activating → ``Start Pending``, deactivating → ``Stop Pending``, else ``Stopped`` |
| Status | | ``Error`` for failed units, else ``OK`` |
| StartMode | UnitFileState | enabled/enabled-runtime/generated/alias → ``Auto``; disabled/masked → ``Disabled``; static/indirect/... → ``Manual`` |
| Started | | ActiveState active |
| ProcessId, PathName, StartName, ExitCode, AcceptStop | MainPID, ExecStart argv, ``User=`` (``root`` when unset), ExecMainStatus, CanStop | |
| ServiceType, AcceptPause | | ``Own Process``; systemd services cannot pause: False |

SystemBootData rows are boots: the journal's boot list (``journalctl --list-boots``) or wtmp's
boot records, and always the current boot (psutil). For the current boot under systemd,
``BootDuration`` is kernel start to boot finished and ``BiosDuration`` the firmware's share, both
from the manager's timestamps (what ``systemd-analyze`` prints); other durations are null.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import struct
from collections.abc import Iterator

import psutil

from cmpivot_magic.backends.base import EntityUnavailable
from cmpivot_magic.backends.local.common import Request, Row, from_timestamp, run, run_together

WTMP = "/var/log/wtmp"


def systemd_running() -> bool:
    """sd_booted(): systemd is the init system when /run/systemd/system exists."""
    return os.path.isdir("/run/systemd/system")


# -- Service ---------------------------------------------------------------------------------------

_STATES = {"active": "Running", "reloading": "Running", "activating": "Start Pending",
           "deactivating": "Stop Pending"}  # fmt: skip
_AUTO = {"enabled", "enabled-runtime", "generated", "alias", "linked", "linked-runtime"}
_DISABLED = {"disabled", "masked", "masked-runtime"}
_DETAILS = ("ProcessId", "PathName", "StartName", "ExitCode", "AcceptStop")
_SHOW_PROPERTIES = "Id,MainPID,ExecStart,User,ExecMainStatus,CanStop"


def service(req: Request) -> list[Row]:
    if not systemd_running():
        raise EntityUnavailable(
            f"{req.entity.name}: no service manager (systemd) on this machine — systemd is not the init "
            "system (/run/systemd/system is missing), as in most containers"
        )
    units, files = run_together(
        [
            ["systemctl", "list-units", "--type=service", "--all", "--no-legend", "--plain", "--no-pager"],
            ["systemctl", "list-unit-files", "--type=service", "--no-legend", "--no-pager"],
        ]
    )
    if units is None:
        raise EntityUnavailable(f"{req.entity.name}: systemctl could not list the services on this machine")
    rows = service_rows(units, files or "")
    if req.wants(*_DETAILS) and rows:
        names = [f"{row['Name']}.service" for row in rows]
        shown = run(["systemctl", "show", "--no-pager", f"--property={_SHOW_PROPERTIES}", "--", *names])
        add_service_details(rows, shown or "")
    for row in rows:
        row["Caption"] = row.get("DisplayName")
        row["SystemName"] = req.device
    return rows


def service_rows(units_text: str, files_text: str) -> list[Row]:
    """Rows from ``list-units --all --plain`` and ``list-unit-files`` output, one per service."""
    loaded: dict[str, tuple[str, str, str]] = {}  # unit -> (load, active, description)
    for line in units_text.splitlines():
        parts = line.lstrip("● *").split(None, 4)
        if len(parts) >= 4 and parts[0].endswith(".service"):
            loaded[parts[0]] = (parts[1], parts[2], parts[4] if len(parts) > 4 else "")
    enabled: dict[str, str] = {}
    for line in files_text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].endswith(".service") and not parts[0].endswith("@.service"):
            enabled[parts[0]] = parts[1]
    rows = []
    for unit in sorted(set(loaded) | set(enabled)):
        load, active, description = loaded.get(unit, ("", "inactive", ""))
        if load == "not-found" and unit not in enabled:
            continue  # a name something refers to, not an installed service
        file_state = enabled.get(unit, "masked" if load == "masked" else "static")
        rows.append(
            {
                "Name": unit.removesuffix(".service"),
                "DisplayName": description or None,
                "Description": description or None,
                "State": _STATES.get(active, "Stopped"),
                "Status": "Error" if active == "failed" else "OK",
                "StartMode": start_mode(file_state),
                "Started": active == "active",
                "ServiceType": "Own Process",
                "AcceptPause": False,
            }
        )
    return rows


def start_mode(unit_file_state: str) -> str:
    if unit_file_state in _AUTO:
        return "Auto"
    if unit_file_state in _DISABLED:
        return "Disabled"
    return "Manual"


_ARGV = re.compile(r"argv\[\]=(.*?) ;")


def add_service_details(rows: list[Row], show_text: str) -> None:
    """Fill ProcessId, PathName, StartName, ExitCode, AcceptStop from ``systemctl show`` blocks."""
    by_name = {f"{row['Name']}.service": row for row in rows}
    for block in show_text.split("\n\n"):
        props = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
        row = by_name.get(props.get("Id", ""))
        if row is None:
            continue
        argv = _ARGV.search(props.get("ExecStart", ""))
        row["ProcessId"] = _number(props.get("MainPID"))
        row["PathName"] = argv.group(1) if argv else None
        row["StartName"] = props.get("User") or "root"
        row["ExitCode"] = _number(props.get("ExecMainStatus"))
        row["AcceptStop"] = props.get("CanStop") == "yes" if "CanStop" in props else None


def _number(text: str | None) -> int | None:
    return int(text) if text and text.lstrip("-").isdigit() else None


# -- SystemBootData --------------------------------------------------------------------------------

_SAME_BOOT_SECONDS = 120


def system_boot_data(req: Request) -> list[Row]:
    current = psutil.boot_time()
    starts = journal_boots() or wtmp_boots(WTMP)
    boots = sorted({current, *starts}, reverse=True)
    distinct: list[float] = []
    for start in boots:  # the journal's first entry lags the kernel's boot time by a few seconds
        if all(abs(start - kept) > _SAME_BOOT_SECONDS for kept in distinct):
            distinct.append(start)
    durations = _current_boot_durations() if req.wants("BootDuration", "BiosDuration") else {}
    rows = []
    for start in distinct:
        is_current = abs(start - current) <= _SAME_BOOT_SECONDS
        row: Row = {"SystemStartTime": from_timestamp(current if is_current else start)}
        if is_current:
            row.update(durations)
            row["OSVersion"] = platform.release()
        rows.append(row)
    return rows


def journal_boots() -> list[float]:
    """Start times of the boots the journal knows (first entry of each), newest first."""
    if not journal_has_files():
        return []
    text = run(["journalctl", "--list-boots", "--no-pager", "-o", "json"], timeout=15)
    try:
        boots = json.loads(text or "")
        starts = [b["first_entry"] / 1e6 for b in boots if isinstance(b, dict) and b.get("first_entry")]
    except (ValueError, TypeError, KeyError):
        # systemd before 251 prints only text: " -1 <boot id> Mon 2025-05-19 10:00:00 UTC—..."
        text = run(["journalctl", "--list-boots", "--no-pager", "--utc"], timeout=15) or ""
        starts = []
        for match in _BOOT_LINE.finditer(text):
            when = dt.datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC)
            starts.append(when.timestamp())
    return sorted(starts, reverse=True)


_BOOT_LINE = re.compile(r"^\s*-?\d+\s+[0-9a-f]{32}\s+\w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", re.MULTILINE)


def journal_has_files() -> bool:
    for root in ("/var/log/journal", "/run/log/journal"):
        try:
            for machine in os.listdir(root):
                if any(name.endswith(".journal") for name in os.listdir(os.path.join(root, machine))):
                    return True
        except OSError:
            continue
    return False


# struct utmp on Linux (glibc, 32-bit time fields even on 64-bit machines): 384 bytes
_UTMP = struct.Struct("<hxxi32s4s32s256shhiii16s20s")
_BOOT_TIME = 2


def wtmp_boots(path: str) -> list[float]:
    """Boot times recorded in wtmp (what ``last -x reboot`` lists), newest first."""
    return sorted((when for kind, when in _utmp_records(path) if kind == _BOOT_TIME), reverse=True)


def _utmp_records(path: str) -> Iterator[tuple[int, float]]:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return
    for offset in range(0, len(data) - _UTMP.size + 1, _UTMP.size):
        kind, _pid, _line, _id, _user, _host, _term, _exit, _session, seconds, micros, _addr, _ = (
            _UTMP.unpack_from(data, offset)
        )
        if seconds > 0:
            yield kind, seconds + micros / 1e6


def _current_boot_durations() -> Row:
    if not systemd_running():
        return {}
    text = run(
        [
            "systemctl",
            "show",
            "--property=FinishTimestampMonotonic,FirmwareTimestampMonotonic,LoaderTimestampMonotonic",
        ]
    )
    props = dict(line.split("=", 1) for line in (text or "").splitlines() if "=" in line)
    finish = _number(props.get("FinishTimestampMonotonic"))
    firmware = _number(props.get("FirmwareTimestampMonotonic")) or 0
    loader = _number(props.get("LoaderTimestampMonotonic")) or 0
    durations: Row = {}
    if finish:
        durations["BootDuration"] = finish // 1000
    if firmware:
        durations["BiosDuration"] = (firmware - loader) // 1000
    return durations
