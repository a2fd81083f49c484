"""The local:// collectors answer with this machine's real values, in the catalog's exact schema.

Values are checked against sources independent of the collectors (``/proc``, ``os.statvfs``,
``/etc/os-release``, ``dpkg-query``, ``hashlib``, live sockets); parsers of tool output that this
machine cannot produce (systemctl without systemd, journald without a journal) are checked on
captured text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from cmpivot_magic.backends.base import EntityUnavailable
from cmpivot_magic.backends.local import linux_logs, linux_systemd, network, windows
from cmpivot_magic.backends.local.collectors import LocalSource, supported_entities
from cmpivot_magic.catalog import entity

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux sources")
NOW = dt.datetime.now(dt.UTC)
DTYPES = {
    "string": pl.String(),
    "long": pl.Int64(),
    "bool": pl.Boolean(),
    "datetime": pl.Datetime("us", "UTC"),
    "timespan": pl.Duration("us"),
}
SAMPLE_ARGS: dict[str, tuple[object, ...]] = {
    "File": ("/etc/host*",),
    "FileContent": ("/etc/hostname",),
    "EventLog": ("System",),
    "WinEvent": ("System", dt.timedelta(hours=1)),
}


@pytest.fixture(scope="module")
def source() -> LocalSource:
    return LocalSource()


def table(source: LocalSource, name: str, *args: object, columns: list[str] | None = None) -> pl.DataFrame:
    return source.table(entity(name), tuple(args), [1], NOW, columns)


def own_table_or_unavailable(source: LocalSource, name: str) -> pl.DataFrame | None:
    try:
        return table(source, name, *SAMPLE_ARGS.get(name, ()))
    except EntityUnavailable as error:
        assert name in str(error), "the message names the entity"
        return None


# -- schema ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(supported_entities()))
def test_every_supported_entity_has_the_catalog_schema(source: LocalSource, name: str) -> None:
    """Device first, then every catalog column in catalog order with the catalog's dtype."""
    frame = own_table_or_unavailable(source, name)
    if frame is None:
        pytest.skip(f"{name} is unavailable on this machine")
    expected = entity(name)
    assert frame.columns == list(expected.column_names)
    assert [frame.schema[c.name] for c in expected.columns] == [DTYPES[str(c.type)] for c in expected.columns]
    assert frame["Device"].to_list() == [source.device_name] * frame.height


def test_device_name_is_the_upper_case_short_host_name(source: LocalSource) -> None:
    assert source.device_name == socket.gethostname().split(".")[0].upper()
    assert table(source, "Device")["Device"].to_list() == [source.device_name]


@pytest.mark.parametrize("name", ["Process", "Disk", "OS", "IPConfig", "File"])
def test_a_column_subset_still_gives_the_full_schema(source: LocalSource, name: str) -> None:
    """Columns the query does not read are null, but they are there, typed."""
    frame = table(source, name, *SAMPLE_ARGS.get(name, ()), columns=["device", entity(name).columns[1].name])
    assert frame.columns == list(entity(name).column_names)


# -- unavailable entities --------------------------------------------------------------------------


@linux_only
def test_registry_is_unavailable_on_linux_with_a_reason(source: LocalSource) -> None:
    with pytest.raises(EntityUnavailable, match=r"Registry .*Linux.*no Windows registry"):
        table(source, "Registry", r"hklm:\SOFTWARE\Microsoft")


@linux_only
def test_an_entity_without_equivalent_names_itself_and_the_platform(source: LocalSource) -> None:
    with pytest.raises(EntityUnavailable, match=r"Battery .*Linux.*Win32_Battery"):
        table(source, "Battery")
    assert "Battery" not in supported_entities()


@linux_only
def test_ccmlog_without_a_configmgr_client_is_unavailable(source: LocalSource) -> None:
    with pytest.raises(EntityUnavailable, match="ConfigMgr client"):
        table(source, "CcmLog", "Scripts")


# -- Process ---------------------------------------------------------------------------------------


def _proc_pids() -> set[int]:
    return {int(name) for name in os.listdir("/proc") if name.isdigit()}


@linux_only
def test_process_ids_match_proc(source: LocalSource) -> None:
    before = _proc_pids()
    pids = set(table(source, "Process", columns=["ProcessId"])["ProcessId"].to_list())
    after = _proc_pids()
    assert before & after <= pids, "every process alive throughout is listed"
    assert pids <= before | after, "nothing is listed that /proc never showed"


@linux_only
def test_this_process_has_its_name_parent_and_command_line(source: LocalSource) -> None:
    frame = table(source, "Process").filter(pl.col("ProcessId") == os.getpid())
    assert frame.height == 1
    row = frame.row(0, named=True)
    assert row["Name"] == Path("/proc/self/comm").read_text().strip()
    assert row["ParentProcessId"] == os.getppid()
    argv = Path(f"/proc/{os.getpid()}/cmdline").read_bytes().rstrip(b"\0").split(b"\0")
    assert row["CommandLine"] == " ".join(a.decode() for a in argv)
    assert row["ExecutablePath"] == os.path.realpath(f"/proc/{os.getpid()}/exe")
    assert row["ThreadCount"] >= 1
    assert row["WorkingSetSize"] > 0
    assert abs((row["CreationDate"] - NOW).total_seconds()) < time.monotonic() + 3600


@linux_only
def test_process_reads_command_lines_only_when_asked(source: LocalSource) -> None:
    """CommandLine is the expensive column: a query that does not read it does not collect it."""
    frame = table(source, "Process", columns=["Name", "ProcessId"])
    assert frame["CommandLine"].null_count() == frame.height
    mine = frame.filter(pl.col("ProcessId") == os.getpid())
    assert mine["Name"].to_list() == [Path("/proc/self/comm").read_text().strip()]


@linux_only
def test_a_long_process_name_is_not_cut_at_15_characters(source: LocalSource, tmp_path: Path) -> None:
    """Linux keeps 15 characters of a name (``comm``); a script run through its interpreter shows
    its whole file name, as the console shows a Windows process's whole image name."""
    script = tmp_path / "cmpivot-long-script-name"
    script.write_text("#!/bin/sh\nsleep 30\n")
    script.chmod(0o755)
    child = subprocess.Popen([str(script)])
    try:
        for _ in range(100):  # until the shell has exec'd the script
            if Path(f"/proc/{child.pid}/comm").read_text().strip() == script.name[:15]:
                break
            time.sleep(0.02)
        frame = table(source, "Process", columns=["Name", "ProcessId"])
        mine = frame.filter(pl.col("ProcessId") == child.pid)
        assert mine["Name"].to_list() == ["cmpivot-long-script-name"]
        assert frame["CommandLine"].null_count() == frame.height, "still not collected unless asked"
    finally:
        child.kill()
        child.wait()


# -- Disk, LogicalDisk -----------------------------------------------------------------------------


@linux_only
def test_root_disk_size_matches_statvfs(source: LocalSource) -> None:
    root = table(source, "Disk").filter(pl.col("Name") == "/").row(0, named=True)
    stats = os.statvfs("/")
    size, free = stats.f_blocks * stats.f_frsize, stats.f_bavail * stats.f_frsize
    assert root["Size"] == size
    assert abs(root["FreeSpace"] - free) <= max(size // 100, 1 << 24), "free space within 1% (it moves)"
    assert root["Description"] in {"Local Fixed Disk", "Removable Disk"}
    assert root["DriveType"] in {2, 3}


@linux_only
def test_logical_disk_is_disk_in_megabytes(source: LocalSource) -> None:
    disk = table(source, "Disk").filter(pl.col("Name") == "/").row(0, named=True)
    logical = table(source, "LogicalDisk").filter(pl.col("Name") == "/").row(0, named=True)
    assert logical["Size"] == disk["Size"] >> 20
    assert logical["SystemName"] == source.device_name


@linux_only
def test_disk_leaves_out_pseudo_file_systems(source: LocalSource) -> None:
    systems = set(table(source, "Disk")["FileSystem"].to_list())
    assert not systems & {"proc", "sysfs", "devpts", "cgroup", "cgroup2", "devtmpfs"}


# -- OS --------------------------------------------------------------------------------------------


def _os_release() -> dict[str, str]:
    values = {}
    for line in Path("/etc/os-release").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value.strip().strip('"')
    return values


@linux_only
@pytest.mark.parametrize("name", ["OS", "OperatingSystem"])
def test_os_caption_version_and_boot_time(source: LocalSource, name: str) -> None:
    row = table(source, name).row(0, named=True)
    release = _os_release()
    assert row["Caption"] == release["PRETTY_NAME"]
    assert row["Version"] == release.get("VERSION_ID", os.uname().release)
    assert row["BuildNumber"] == os.uname().release
    assert row["OSArchitecture"] == ("64-bit" if sys.maxsize > 2**32 else "32-bit")
    btime = next(
        int(line.split()[1])
        for line in Path("/proc/stat").read_text().splitlines()
        if line.startswith("btime")
    )
    assert abs(row["LastBootUpTime"].timestamp() - btime) <= 2


# -- InstalledSoftware -----------------------------------------------------------------------------


@linux_only
@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="no dpkg on this machine")
def test_installed_software_matches_dpkg(source: LocalSource) -> None:
    frame = table(source, "InstalledSoftware")
    listed = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Abbrev}\t${Package}\t${Version}\n"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    installed = {}
    for line in listed.splitlines():
        status, package, version = line.split("\t")
        if status[1] == "i":  # files installed ("ii", "hi"), not merely known or half-removed
            installed[package] = version
    versions = dict(zip(frame["ProductName"].to_list(), frame["ProductVersion"].to_list(), strict=True))
    for package in ("bash", "python3", "dpkg"):
        if package in installed:
            assert versions[package] == installed[package]
    assert set(versions) == set(installed)
    assert frame["InstallDate"].null_count() < frame.height


# -- network ---------------------------------------------------------------------------------------


@linux_only
def test_ipconfig_lists_every_interface_and_loopback_address(source: LocalSource) -> None:
    frame = table(source, "IPConfig")
    names = {name for _, name in socket.if_nameindex()}
    assert set(frame["InterfaceAlias"].to_list()) == names
    lo = frame.filter(pl.col("InterfaceAlias") == "lo").row(0, named=True)
    assert "127.0.0.1" in lo["IPV4Address"].split("; ")
    assert lo["Status"] == "Up"


@linux_only
def test_ipconfig_default_gateway_matches_proc_route(source: LocalSource) -> None:
    routes = [line.split() for line in Path("/proc/net/route").read_text().splitlines()[1:]]
    default = [(fields[0], fields[2]) for fields in routes if fields[1] == "00000000"]
    frame = table(source, "IPConfig")
    for interface, gateway in default:
        expected = socket.inet_ntoa(struct.pack("<I", int(gateway, 16)))
        cell = frame.filter(pl.col("InterfaceAlias") == interface)["IPV4DefaultGateway"].item()
        assert expected in cell.split("; ")


@linux_only
def test_connection_sees_an_established_loopback_connection(source: LocalSource) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        accepted, _ = server.accept()
        try:
            servers = set(table(source, "Connection")["Server"].to_list())
        finally:
            client.close()
            accepted.close()
    try:
        loopback_name = socket.gethostbyaddr("127.0.0.1")[0]
    except OSError:
        loopback_name = "localhost"
    assert servers & {"127.0.0.1", "localhost", loopback_name}


# -- accounts and environment ----------------------------------------------------------------------


@linux_only
def test_administrators_include_root(source: LocalSource) -> None:
    names = table(source, "Administrators")["Name"].to_list()
    assert f"{source.device_name}\\root" in names


def test_environment_shows_this_process_variables(
    source: LocalSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMPIVOT_TEST_VARIABLE", "forty-two")
    frame = table(source, "Environment").filter(pl.col("Name") == "CMPIVOT_TEST_VARIABLE")
    assert frame["VariableValue"].to_list() == ["forty-two"]
    assert frame["SystemVariable"].to_list() == [False]


# -- hardware --------------------------------------------------------------------------------------


@linux_only
def test_processor_counts_match_the_kernel(source: LocalSource) -> None:
    frame = table(source, "Processor")
    assert frame["NumberOfLogicalProcessors"].sum() == os.cpu_count()
    assert frame["Name"].null_count() == 0


@linux_only
def test_physical_memory_capacity_is_meminfo_in_megabytes(source: LocalSource) -> None:
    kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    assert table(source, "PhysicalMemory")["Capacity"].sum() == (kib << 10) >> 20


@linux_only
def test_bios_reads_dmi_or_says_it_is_missing(source: LocalSource) -> None:
    try:
        row = table(source, "Bios").row(0, named=True)
    except EntityUnavailable as error:
        assert not os.path.isdir("/sys/class/dmi/id")
        assert "DMI" in str(error)
        return
    vendor = Path("/sys/class/dmi/id/bios_vendor")
    if vendor.exists():
        assert row["Manufacturer"] == vendor.read_text().strip()


# -- File, FileContent -----------------------------------------------------------------------------


def test_file_hashes_match_hashlib(source: LocalSource, tmp_path: Path) -> None:
    data = os.urandom(3 << 20) + b"tail"  # spans several read chunks
    path = tmp_path / "blob.bin"
    path.write_bytes(data)
    row = table(source, "File", str(path)).row(0, named=True)
    assert row["FileName"] == str(path)
    assert row["Size"] == len(data)
    assert row["SHA256Hash"] == hashlib.sha256(data).hexdigest().upper()
    assert row["MD5Hash"] == hashlib.md5(data).hexdigest().upper()
    assert row["Version"] is None
    assert abs(row["LastWriteTime"].timestamp() - path.stat().st_mtime) < 1e-3


def test_file_wildcards_are_not_recursive_and_include_hidden_files(
    source: LocalSource, tmp_path: Path
) -> None:
    (tmp_path / "a.log").write_text("a")
    (tmp_path / ".hidden.log").write_text("h")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deep.log").write_text("d")
    names = table(source, "File", f"{tmp_path}/*.log")["FileName"].to_list()
    assert sorted(names) == sorted([str(tmp_path / "a.log"), str(tmp_path / ".hidden.log")])
    assert table(source, "File", f"{tmp_path}/**/*.log")["FileName"].to_list() == [
        str(tmp_path / "sub" / "deep.log")
    ]
    directory = table(source, "File", f"{tmp_path}/s*").row(0, named=True)
    assert directory["Mode"].startswith("d") and directory["Size"] is None and directory["SHA256Hash"] is None


def test_file_expands_windows_and_posix_variables(
    source: LocalSource, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "x.txt").write_text("x")
    monkeypatch.setenv("CMPIVOT_DIR", str(tmp_path))
    for spelling in ("%CMPIVOT_DIR%/x.txt", "$CMPIVOT_DIR/x.txt", "${CMPIVOT_DIR}/x.txt"):
        assert table(source, "File", spelling)["FileName"].to_list() == [str(tmp_path / "x.txt")]


def test_a_missing_file_gives_no_rows(source: LocalSource, tmp_path: Path) -> None:
    assert table(source, "File", str(tmp_path / "nope.txt")).height == 0
    assert table(source, "FileContent", str(tmp_path / "nope.txt")).height == 0


def test_file_content_numbers_lines_from_one(source: LocalSource, tmp_path: Path) -> None:
    path = tmp_path / "lines.txt"
    path.write_bytes("\ufefffirst\r\nsecond\n\nfourth é\n".encode())
    frame = table(source, "FileContent", str(path))
    assert frame["Line"].to_list() == [1, 2, 3, 4]
    assert frame["Content"].to_list() == ["first", "second", "", "fourth é"]


def _unreadable_file(tmp_path: Path) -> str:
    if os.geteuid() != 0:
        secret = tmp_path / "secret.txt"
        secret.write_text("secret")
        secret.chmod(0)
        return str(secret)
    # root reads every ordinary file; write-only sysctl files refuse even root
    path = "/proc/sys/vm/compact_memory"
    try:
        open(path, "rb").close()
    except PermissionError:
        return path
    pytest.skip("no file this user cannot read")


@linux_only
def test_an_unreadable_file_fails_rather_than_looking_missing(source: LocalSource, tmp_path: Path) -> None:
    path = _unreadable_file(tmp_path)
    with pytest.raises(EntityUnavailable, match=r"FileContent\(.*cannot read"):
        table(source, "FileContent", path)
    with pytest.raises(EntityUnavailable, match=r"File\(.*cannot read"):
        table(source, "File", path)


def test_file_content_of_a_directory_fails(source: LocalSource, tmp_path: Path) -> None:
    with pytest.raises(EntityUnavailable, match="directory"):
        table(source, "FileContent", str(tmp_path))


# -- Service (systemd) -----------------------------------------------------------------------------


@linux_only
def test_service_answers_under_systemd_or_says_there_is_none(source: LocalSource) -> None:
    if not os.path.isdir("/run/systemd/system"):
        with pytest.raises(EntityUnavailable, match=r"no service manager \(systemd\) on this machine"):
            table(source, "Service")
        return
    frame = table(source, "Service")
    journald = frame.filter(pl.col("Name") == "systemd-journald").row(0, named=True)
    assert journald["State"] == "Running" and journald["Started"] is True


UNITS = """\
cron.service                 loaded    active   running Regular background program processing daemon
● ghost.service              not-found inactive dead    ghost.service
nginx.service                loaded    failed   failed  A high performance web server
ssh.service                  loaded    activating start OpenBSD Secure Shell server
"""
UNIT_FILES = """\
cron.service                 enabled  enabled
getty@.service               enabled  enabled
nginx.service                disabled enabled
ssh.service                  static   -
rsync.service                masked   enabled
"""
SHOW = """\
Id=cron.service
MainPID=612
ExecStart={ path=/usr/sbin/cron ; argv[]=/usr/sbin/cron -f $EXTRA_OPTS ; ignore_errors=no ; start_time=[n/a] }
User=
ExecMainStatus=0
CanStop=yes

Id=nginx.service
MainPID=0
ExecStart={ path=/usr/sbin/nginx ; argv[]=/usr/sbin/nginx -g daemon on; ; ignore_errors=no }
User=www-data
ExecMainStatus=1
CanStop=yes
"""


def test_systemctl_output_maps_to_win32_service_values() -> None:
    """States, start modes and details as Win32_Service spells them; unknown units are left out."""
    rows = {row["Name"]: row for row in linux_systemd.service_rows(UNITS, UNIT_FILES)}
    assert set(rows) == {"cron", "nginx", "ssh", "rsync"}
    assert (rows["cron"]["State"], rows["cron"]["StartMode"], rows["cron"]["Started"]) == (
        "Running",
        "Auto",
        True,
    )
    assert (rows["nginx"]["State"], rows["nginx"]["Status"], rows["nginx"]["StartMode"]) == (
        "Stopped",
        "Error",
        "Disabled",
    )
    assert (rows["ssh"]["State"], rows["ssh"]["StartMode"]) == ("Start Pending", "Manual")
    assert (rows["rsync"]["State"], rows["rsync"]["StartMode"]) == ("Stopped", "Disabled")
    assert rows["cron"]["DisplayName"] == "Regular background program processing daemon"
    linux_systemd.add_service_details(list(rows.values()), SHOW)
    assert (rows["cron"]["ProcessId"], rows["cron"]["PathName"], rows["cron"]["StartName"]) == (
        612,
        "/usr/sbin/cron -f $EXTRA_OPTS",
        "root",
    )
    assert (rows["nginx"]["StartName"], rows["nginx"]["ExitCode"]) == ("www-data", 1)  # fmt: skip


# -- boots -----------------------------------------------------------------------------------------


@linux_only
def test_system_boot_data_has_the_current_boot(source: LocalSource) -> None:
    btime = next(
        int(line.split()[1])
        for line in Path("/proc/stat").read_text().splitlines()
        if line.startswith("btime")
    )
    starts = [when.timestamp() for when in table(source, "SystemBootData")["SystemStartTime"].to_list()]
    assert any(abs(start - btime) <= 2 for start in starts)


def test_wtmp_boot_records_are_read(tmp_path: Path) -> None:
    record = struct.Struct("<hxxi32s4s32s256shhiii16s20s")
    assert record.size == 384
    path = tmp_path / "wtmp"
    path.write_bytes(
        record.pack(2, 0, b"~", b"~~", b"reboot", b"6.1.0", 0, 0, 0, 1_700_000_000, 0, b"", b"")
        + record.pack(7, 42, b"pts/0", b"ts/0", b"alice", b"host", 0, 0, 0, 1_700_000_100, 0, b"", b"")
    )
    assert linux_systemd.wtmp_boots(str(path)) == [1_700_000_000.0]


# -- logs ------------------------------------------------------------------------------------------


def test_syslog_files_are_read_newest_first_within_the_span(tmp_path: Path) -> None:
    now = dt.datetime(2025, 5, 20, 12, 0, tzinfo=dt.UTC)
    path = tmp_path / "syslog"
    path.write_text(
        "2025-05-20T09:00:00.000000+00:00 host old[1]: too old\n"
        "2025-05-20T11:30:00.123456+00:00 host sshd[42]: Accepted publickey for alice\n"
        "  continuation line without a time stamp\n"
        "2025-05-20T11:45:00+00:00 host kernel: eth0: link up\n"
    )
    found = linux_logs.syslog_events(str(path), now - dt.timedelta(hours=1), now)
    assert [(e.source, e.message) for e in found] == [
        ("kernel", "eth0: link up"),
        ("sshd", "Accepted publickey for alice"),
    ]
    assert found[1].when == dt.datetime(2025, 5, 20, 11, 30, 0, 123456, tzinfo=dt.UTC)


def test_traditional_syslog_lines_get_this_year() -> None:
    now = dt.datetime.now(dt.UTC)
    local = (now - dt.timedelta(minutes=5)).astimezone()
    line = f"{local:%b} {local.day:2d} {local:%H:%M:%S} host CRON[7]: (root) CMD (true)"
    event = linux_logs.parse_syslog_line(line, now)
    assert event is not None and event.source == "CRON" and event.message == "(root) CMD (true)"
    assert abs((event.when - now).total_seconds() + 300) < 2


def test_journal_entries_map_priority_and_identifier() -> None:
    entry = {"__REALTIME_TIMESTAMP": "1716200000123456", "PRIORITY": "3", "SYSLOG_IDENTIFIER": "sshd",
             "MESSAGE": [104, 105, 255], "SYSLOG_FACILITY": "10"}  # fmt: skip
    event = linux_logs.journal_event(entry)
    assert event is not None
    assert event.when == dt.datetime(2024, 5, 20, 10, 13, 20, 123456, tzinfo=dt.UTC)
    assert (event.source, event.message) == ("sshd", "hi\ufffd")
    assert linux_logs.journal_class(entry) == "security"
    assert linux_logs.journal_class({"SYSLOG_FACILITY": "3"}) == "system"
    assert [linux_logs.entry_type(p) for p in (2, 3, 4, 6)] == ["Error", "Error", "Warning", "Information"]
    assert [linux_logs.level_display_name(p) for p in (2, 3, 4, 6, 7)] == [
        "Critical", "Error", "Warning", "Information", "Verbose"]  # fmt: skip


@linux_only
def test_event_log_of_an_unknown_log_fails(source: LocalSource) -> None:
    with pytest.raises(EntityUnavailable, match=r"EventLog\('Nonsense'\): no such log"):
        table(source, "EventLog", "Nonsense")


@linux_only
def test_event_log_reads_a_log_or_says_none_is_kept(source: LocalSource) -> None:
    try:
        frame = table(source, "EventLog", "System", dt.timedelta(hours=1))
    except EntityUnavailable as error:
        assert "no system log" in str(error)
        return
    times = frame["DateTime"].to_list()
    assert all(NOW - dt.timedelta(hours=1, seconds=1) <= t <= NOW + dt.timedelta(seconds=1) for t in times)
    assert times == sorted(times, reverse=True)


# -- autostart -------------------------------------------------------------------------------------


@linux_only
def test_auto_start_lists_xdg_autostart_entries_of_the_user(
    source: LocalSource, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    autostart = tmp_path / ".config" / "autostart"
    autostart.mkdir(parents=True)
    (autostart / "tool.desktop").write_text("[Desktop Entry]\nName=Tool\nExec=/opt/tool/bin/tool --tray\n")
    (autostart / "off.desktop").write_text("[Desktop Entry]\nName=Off\nExec=/bin/off\nHidden=true\n")
    monkeypatch.setenv("HOME", str(tmp_path))
    frame = table(source, "AutoStartSoftware").filter(pl.col("StartupType") == "XDG autostart")
    tool = frame.filter(pl.col("Product") == "Tool").row(0, named=True)
    assert (tool["FileName"], tool["StartupValue"]) == ("/opt/tool/bin/tool", "/opt/tool/bin/tool --tray")
    assert "Off" not in frame["Product"].to_list()


# -- address and registry-path parsing -------------------------------------------------------------


@pytest.mark.skipif(sys.byteorder != "little", reason="sample text from a little-endian machine")
def test_proc_net_addresses_decode_like_the_kernel_prints_them() -> None:
    assert network.proc_net_address("0100007F") == "127.0.0.1"
    assert network.proc_net_address("00000000000000000000000001000000") == "::1"
    assert network.proc_net_address("0000000000000000FFFF00000100007F") == "127.0.0.1"  # v4-mapped


def test_registry_paths_and_values_read_as_the_client_script_writes_them() -> None:
    """PowerShell provider paths in their spellings; binary as 01-0A-FF, multi-strings joined."""
    expected = ("HKEY_LOCAL_MACHINE", ["SOFTWARE", "Microsoft", "*"])
    for path in (
        r"hklm:\SOFTWARE\Microsoft\*",
        r"HKLM:SOFTWARE\Microsoft\*",
        r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\*",
    ):
        assert windows.split_registry_path(path) == expected
    with pytest.raises(EntityUnavailable, match="not a registry path"):
        windows.split_registry_path(r"C:\Windows")
    assert windows.registry_value_text(b"\x01\x0a\xff") == "01-0A-FF"
    assert windows.registry_value_text(["a", "b"]) == "a, b"
    assert windows.registry_value_text(1) == "1"
