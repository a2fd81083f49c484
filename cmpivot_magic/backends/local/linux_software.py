"""Linux software and accounts: InstalledSoftware, Administrators, AutoStartSoftware, Environment.

| Entity | Linux source | Mapping decisions |
|---|---|---|
| InstalledSoftware | ``dpkg-query -W`` (else ``rpm -qa``) | installed packages only; ``ProductName`` = ``ARPDisplayName`` = package, ``ProductVersion`` = full package version, ``Publisher`` = maintainer/vendor name without e-mail, ``InstallDate`` = dpkg file-list time / rpm install time, ``VersionMajor``/``VersionMinor`` from the upstream version |
| Administrators | ``grp``/``pwd``: uid 0 and members of ``sudo``, ``wheel``, ``admin`` (also by primary group) | ``ObjectClass`` User; ``Name`` = ``DEVICE\\user``; ``PrincipalSource`` Local for /etc/passwd accounts, else null (LDAP/SSSD); sudoers rules are not read (root-only) |
| AutoStartSoftware | services enabled by ``<target>.wants`` links in ``/etc/systemd/system`` and the user's ``~/.config/systemd/user``; XDG autostart ``.desktop`` files (``/etc/xdg/autostart``, ``~/.config/autostart``) | ``FileName`` = program, ``StartupValue`` = its command line, ``Location`` = where it is enabled, ``Product`` = unit / application name, ``StartupType`` ``systemd service``/``systemd user service``/``XDG autostart``; read from disk, so it works without systemd running |
| Environment | ``os.environ`` of the kernel + ``/etc/environment`` | see ``portable`` |
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shlex
from collections.abc import Iterator

from cmpivot_magic.backends.base import EntityUnavailable
from cmpivot_magic.backends.local import portable
from cmpivot_magic.backends.local.common import Request, Row, from_timestamp, qualified_user, read_text, run

# -- InstalledSoftware ---------------------------------------------------------------------------

_DPKG_FORMAT = "${db:Status-Abbrev}\\t${Package}\\t${Version}\\t${Maintainer}\\t${Architecture}\\n"
_RPM_FORMAT = "%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{VENDOR}\\t%{INSTALLTIME}\\t%{ARCH}\\n"
_VERSION_PARTS = re.compile(r"(?:\d+:)?(\d+)(?:\.(\d+))?")


def installed_software(req: Request) -> list[Row]:
    listing = run(["dpkg-query", "-W", f"-f={_DPKG_FORMAT}"], timeout=30)
    if listing is not None:
        return list(_dpkg_rows(listing, dates=req.wants("InstallDate")))
    listing = run(["rpm", "-qa", "--qf", _RPM_FORMAT], timeout=30)
    if listing is not None:
        return list(_rpm_rows(listing))
    raise EntityUnavailable(
        "InstalledSoftware: no package database on this Linux machine (neither dpkg-query nor rpm answered)"
    )


def _dpkg_rows(listing: str, *, dates: bool) -> Iterator[Row]:
    for line in listing.splitlines():
        fields = line.split("\t")
        if len(fields) < 5 or len(fields[0]) < 2 or fields[0][1] != "i":
            continue  # only packages whose files are installed ('ii', 'hi')
        _, package, version, maintainer, arch = fields[:5]
        installed = None
        if dates:
            for name in (f"{package}:{arch}.list", f"{package}.list"):
                try:
                    installed = os.stat(f"/var/lib/dpkg/info/{name}").st_mtime
                    break
                except OSError:
                    continue
        yield _software_row(package, version, maintainer, installed)


def _rpm_rows(listing: str) -> Iterator[Row]:
    for line in listing.splitlines():
        fields = line.split("\t")
        if len(fields) < 4:
            continue
        name, version, vendor, installed = fields[:4]
        when = float(installed) if installed.isdigit() else None
        yield _software_row(name, version, "" if vendor == "(none)" else vendor, when)


def _software_row(name: str, version: str, publisher: str, installed: float | None) -> Row:
    parts = _VERSION_PARTS.match(version)
    return {
        "ProductName": name,
        "ARPDisplayName": name,
        "ProductVersion": version or None,
        "Publisher": publisher.split("<")[0].strip() or None,
        "InstallDate": from_timestamp(installed),
        "VersionMajor": int(parts.group(1)) if parts else None,
        "VersionMinor": int(parts.group(2)) if parts and parts.group(2) else None,
    }


# -- Administrators ------------------------------------------------------------------------------

ADMIN_GROUPS = ("sudo", "wheel", "admin")


def administrators(req: Request) -> list[Row]:
    members: set[str] = set()
    gids = set()
    for group_name in ADMIN_GROUPS:
        try:
            group = grp.getgrnam(group_name)
        except KeyError:
            continue
        gids.add(group.gr_gid)
        members.update(group.gr_mem)
    local = {entry.split(":", 1)[0] for entry in (read_text("/etc/passwd") or "").splitlines() if entry}
    for account in pwd.getpwall():
        if account.pw_uid == 0 or account.pw_gid in gids:
            members.add(account.pw_name)
    return [
        {
            "ObjectClass": "User",
            "Name": qualified_user(req.device, name),
            "PrincipalSource": "Local" if name in local else None,
        }
        for name in sorted(members)
    ]


# -- AutoStartSoftware ---------------------------------------------------------------------------


def auto_start_software(req: Request) -> list[Row]:
    home = os.path.expanduser("~")
    rows = list(_enabled_units("/etc/systemd/system", "systemd service"))
    rows += _enabled_units(os.path.join(home, ".config/systemd/user"), "systemd user service")
    rows += _xdg_autostart(("/etc/xdg/autostart", os.path.join(home, ".config/autostart")))
    return rows


def _enabled_units(config_dir: str, kind: str) -> Iterator[Row]:
    """Services enabled by a ``<target>.wants/<unit>.service`` link (how ``systemctl enable`` works)."""
    seen = set()
    try:
        wants = sorted(d for d in os.listdir(config_dir) if d.endswith(".wants"))
    except OSError:
        return
    for want_dir in wants:
        location = os.path.join(config_dir, want_dir)
        try:
            units = sorted(os.listdir(location))
        except OSError:
            continue
        for unit in units:
            if not unit.endswith(".service") or unit in seen:
                continue
            seen.add(unit)
            path = os.path.realpath(os.path.join(location, unit))
            sections = _ini(path)
            command = _exec_start(sections.get("Service", {}).get("ExecStart", ""))
            yield {
                "FileName": _program(command),
                "Description": sections.get("Unit", {}).get("Description"),
                "Location": location,
                "Product": unit.removesuffix(".service"),
                "StartupType": kind,
                "StartupValue": command or None,
            }


def _exec_start(value: str) -> str:
    # systemd prefixes ExecStart with flags: - @ : + ! !!
    return value.lstrip("-@:+!").strip()


def _program(command: str) -> str | None:
    try:
        parts = shlex.split(command)
    except ValueError:
        parts = command.split()
    return parts[0] if parts else None


def _xdg_autostart(directories: tuple[str, ...]) -> list[Row]:
    entries: dict[str, Row] = {}
    for directory in directories:  # later directories (the user's) override earlier ones by name
        try:
            names = sorted(n for n in os.listdir(directory) if n.endswith(".desktop"))
        except OSError:
            continue
        for name in names:
            entry = _ini(os.path.join(directory, name)).get("Desktop Entry", {})
            hidden = entry.get("Hidden", "").lower() == "true"
            disabled = entry.get("X-GNOME-Autostart-enabled", "").lower() == "false"
            if hidden or disabled:
                entries.pop(name, None)
                continue
            command = entry.get("Exec", "")
            entries[name] = {
                "FileName": _program(command),
                "Description": entry.get("Comment"),
                "Location": directory,
                "Product": entry.get("Name") or name.removesuffix(".desktop"),
                "StartupType": "XDG autostart",
                "StartupValue": command or None,
            }
    return list(entries.values())


def _ini(path: str) -> dict[str, dict[str, str]]:
    """Sections of a systemd unit or .desktop file; the first value of a repeated key wins."""
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for raw in (read_text(path) or "").splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, sep, value = line.partition("=")
        if sep:
            current.setdefault(key.strip(), value.strip())
    return sections


# -- Environment ------------------------------------------------------------------------------


def environment(req: Request) -> list[Row]:
    return portable.environment(req, system_file="/etc/environment")
