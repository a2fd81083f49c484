"""``EventLog(log, span)`` and ``WinEvent(channel, span)`` on Linux: the journal, else syslog files.

Windows' three classic logs map to parts of the system log:

| Log | journald (``journalctl --since @t --until @t -o json``) | syslog fallback |
|---|---|---|
| Security | facilities auth (4) and authpriv (10), and the kernel audit transport | ``/var/log/auth.log``, ``/var/log/secure`` |
| Application | facility user (1) and user services (``_SYSTEMD_USER_UNIT``) | ``/var/log/user.log`` |
| System | everything else (kernel, system services) | ``/var/log/syslog``, ``/var/log/messages`` |

``WinEvent`` also accepts any other channel name: the entries of that syslog identifier or systemd
unit (``WinEvent('sshd')``, ``WinEvent('cron.service', 1h)``); no match gives no rows, as
``Get-WinEvent`` swallows its errors. ``EventLog`` of another name fails, as ``Get-EventLog`` does.

Columns: ``DateTime`` = entry time (UTC); ``Source``/``ProviderName`` = SYSLOG_IDENTIFIER (else
the command name); journald PRIORITY maps to ``EntryType`` (0–3 Error, 4 Warning, 5–7 Information)
and ``LevelDisplayName`` (0–2 Critical, 3 Error, 4 Warning, 5–6 Information, 7 Verbose); syslog
files carry no priority, so those are null there. ``EventID``/``ID`` are null: Linux messages have no
numeric event ids. Rows come newest first, like ``Get-EventLog``. Without root (or membership of
``systemd-journal``/``adm``) journald shows only the user's own entries; an unreadable log file
fails the device with a message saying so.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from cmpivot_magic.backends.base import EntityUnavailable
from cmpivot_magic.backends.local.common import Request, Row, run
from cmpivot_magic.backends.local.linux_systemd import journal_has_files

CLASSIC_LOGS = ("System", "Application", "Security")
SYSLOG_FILES = {
    "system": ("/var/log/syslog", "/var/log/messages"),
    "security": ("/var/log/auth.log", "/var/log/secure"),
    "application": ("/var/log/user.log",),
}
_SECURITY_FACILITIES = {"4", "10"}
_JOURNAL_FIELDS = "PRIORITY,SYSLOG_IDENTIFIER,_COMM,MESSAGE,SYSLOG_FACILITY,_SYSTEMD_USER_UNIT,_TRANSPORT"


@dataclass(frozen=True)
class Event:
    when: dt.datetime
    priority: int | None
    source: str | None
    message: str | None


def event_log(req: Request) -> list[Row]:
    name = req.text_arg(0)
    if name.lower() not in SYSLOG_FILES:
        raise EntityUnavailable(
            f"EventLog('{name}'): no such log on Linux; System, Application and Security map to the "
            "system journal (use WinEvent for a syslog identifier or systemd unit)"
        )
    return [
        {
            "DateTime": event.when,
            "EntryType": entry_type(event.priority),
            "Source": event.source,
            "Message": event.message,
        }
        for event in events(req, name)
    ]


def win_event(req: Request) -> list[Row]:
    return [
        {
            "DateTime": event.when,
            "LevelDisplayName": level_display_name(event.priority),
            "ProviderName": event.source,
            "Message": event.message,
        }
        for event in events(req, req.text_arg(0))
    ]


def entry_type(priority: int | None) -> str | None:
    if priority is None:
        return None
    return "Error" if priority <= 3 else "Warning" if priority == 4 else "Information"


def level_display_name(priority: int | None) -> str | None:
    if priority is None:
        return None
    names = {0: "Critical", 1: "Critical", 2: "Critical", 3: "Error", 4: "Warning", 7: "Verbose"}
    return names.get(priority, "Information")


def events(req: Request, log: str) -> list[Event]:
    until = req.now_utc
    since = until - req.span(1)
    if journal_has_files():
        found = journal_events(log, since, until)
        if found is not None:
            return found
    kind = log.lower()
    paths = SYSLOG_FILES.get(kind, SYSLOG_FILES["system"])
    path = next((p for p in paths if os.path.exists(p)), None)
    if path is None:
        raise EntityUnavailable(
            f"{req.entity.name}('{log}'): this machine keeps no system log to read — no journal files "
            f"(/var/log/journal, /run/log/journal) and none of {', '.join(paths)}"
        )
    identifier = None if kind in SYSLOG_FILES else log.removesuffix(".service")
    try:
        return [
            event
            for event in syslog_events(path, since, until)
            if identifier is None or event.source == identifier
        ]
    except PermissionError as error:
        raise EntityUnavailable(
            f"{req.entity.name}('{log}'): cannot read {path} (permission denied); the user running the "
            "kernel needs to be root or in the adm group"
        ) from error


# -- journald --------------------------------------------------------------------------------------


def journal_events(log: str, since: dt.datetime, until: dt.datetime) -> list[Event] | None:
    """Entries of a log from journalctl, newest first; None when journalctl cannot answer."""
    kind = log.lower()
    matches: list[str] = []
    if kind == "security":
        matches = ["SYSLOG_FACILITY=4", "SYSLOG_FACILITY=10", "+", "_TRANSPORT=audit"]
    elif kind not in SYSLOG_FILES:
        unit = log if log.endswith(".service") else f"{log}.service"
        matches = [f"SYSLOG_IDENTIFIER={log.removesuffix('.service')}", "+", f"_SYSTEMD_UNIT={unit}"]
    command = ["journalctl", "--no-pager", "--reverse", "-o", "json", f"--output-fields={_JOURNAL_FIELDS}",
               f"--since=@{int(since.timestamp())}", f"--until=@{int(until.timestamp()) + 1}", *matches]  # fmt: skip
    text = run(command, timeout=120)
    if text is None:
        return None
    return [
        event
        for entry in _json_lines(text)
        if kind not in ("system", "application") or journal_class(entry) == kind
        if (event := journal_event(entry)) is not None and since <= event.when <= until
    ]


def _json_lines(text: str) -> Iterator[dict[str, object]]:
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            yield entry


def journal_class(entry: Mapping[str, object]) -> str:
    """Which classic log a journal entry belongs to: security, application or system."""
    if entry.get("SYSLOG_FACILITY") in _SECURITY_FACILITIES or entry.get("_TRANSPORT") == "audit":
        return "security"
    if entry.get("SYSLOG_FACILITY") == "1" or entry.get("_SYSTEMD_USER_UNIT"):
        return "application"
    return "system"


def journal_event(entry: Mapping[str, object]) -> Event | None:
    stamp = entry.get("__REALTIME_TIMESTAMP")
    if not isinstance(stamp, str) or not stamp.isdigit():
        return None
    priority = entry.get("PRIORITY")
    source = entry.get("SYSLOG_IDENTIFIER") or entry.get("_COMM")
    return Event(
        when=dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=int(stamp)),
        priority=int(priority) if isinstance(priority, str) and priority.isdigit() else 6,
        source=source if isinstance(source, str) else None,
        message=_text(entry.get("MESSAGE")),
    )


def _text(value: object) -> str | None:
    """MESSAGE is a string, or a list of byte values when it is not valid UTF-8."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(b, int) for b in value):
        return bytes(value).decode("utf-8", errors="replace")
    return None


# -- syslog files ----------------------------------------------------------------------------------

_RFC3339 = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)\s+\S+\s+(.*)")
_BSD = re.compile(r"([A-Z][a-z]{2})\s+(\d{1,2}) (\d\d):(\d\d):(\d\d)\s+\S+\s+(.*)")
_TAG = re.compile(r"([^\s:\[]+)(?:\[\d+\])?:\s?(.*)", re.DOTALL)
_MONTHS = {name: index for index, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}  # fmt: skip


def syslog_events(path: str, since: dt.datetime, until: dt.datetime) -> list[Event]:
    """Lines of a syslog file between ``since`` and ``until``, newest first.

    The file is read backwards and reading stops at the first line older than ``since``, so a
    large log costs only its recent part. Lines without a time stamp (continuations) are skipped.
    """
    found = []
    for line in _reverse_lines(path):
        parsed = parse_syslog_line(line, until)
        if parsed is None:
            continue
        if parsed.when < since:
            break
        if parsed.when <= until:
            found.append(parsed)
    return found


def parse_syslog_line(line: str, now: dt.datetime) -> Event | None:
    """A syslog line in RFC 3339 (rsyslog's precise format) or traditional BSD form."""
    match = _RFC3339.match(line)
    if match:
        try:
            when = dt.datetime.fromisoformat(match.group(1).replace("Z", "+00:00"))
        except ValueError:
            return None
        rest = match.group(2)
    else:
        match = _BSD.match(line)
        if not match:
            return None
        month = _MONTHS.get(match.group(1))
        if month is None:
            return None
        day, hour, minute, second = (int(match.group(i)) for i in range(2, 6))
        local_now = now.astimezone()
        try:  # traditional lines carry no year or zone: local time, this year unless that is the future
            when = local_now.replace(month=month, day=day, hour=hour, minute=minute, second=second,
                                     microsecond=0)  # fmt: skip
            if when > local_now + dt.timedelta(days=1):
                when = when.replace(year=when.year - 1)
        except ValueError:
            return None
        rest = match.group(6)
    if when.tzinfo is None:
        when = when.astimezone()
    tag = _TAG.match(rest)
    source, message = (tag.group(1), tag.group(2)) if tag else (None, rest)
    return Event(when=when.astimezone(dt.UTC), priority=None, source=source, message=message)


def _reverse_lines(path: str, block: int = 1 << 16) -> Iterator[str]:
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        position = handle.tell()
        tail = b""
        while position > 0:
            step = min(block, position)
            position -= step
            handle.seek(position)
            lines = (handle.read(step) + tail).split(b"\n")
            tail = lines.pop(0)
            for line in reversed(lines):
                if line:
                    yield line.decode("utf-8", errors="replace")
        if tail:
            yield tail.decode("utf-8", errors="replace")
