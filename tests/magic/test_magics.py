"""%%cmpivot and %cmpivot in a real IPython InteractiveShell: options, interpolation, capture,
configuration from three sources, errors without tracebacks, charts and live progress."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from cmpivot_magic import CMPivotError, QueryResult, QuerySyntaxError
from cmpivot_magic.language.interpolate import interpolate, kql_literal

DEMO = "demo://?devices=40&seed=3&clock=virtual"


def cell(ip: InteractiveShell, line: str, body: str) -> tuple[Any, list[Any]]:
    with capture_output() as cap:
        out = ip.run_cell_magic("cmpivot", line, body)
    return out, cap.outputs


def html_of(outputs: list[Any]) -> str:
    return "\n".join(o.data.get("text/html", "") for o in outputs)


# ------------------------------------------------------------------------------------ running


def test_cell_runs_and_shows_summary_table_and_status(ip: InteractiveShell) -> None:
    _, outputs = cell(ip, f"--connection {DEMO}", "OS | summarize count() by Caption")
    text = html_of(outputs)
    assert "Query completed on" in text
    assert "showing" in text and "rows from" in text
    assert "<details><summary>Device status (40 devices" in text
    result = ip.user_ns["_cmpivot"]
    assert isinstance(result, QueryResult) and list(result.df.columns) == ["Caption", "count_"]


def test_output_capture_with_o_and_arrow(ip: InteractiveShell) -> None:
    cell(ip, f"--connection {DEMO} -o first", "Device | take 3")
    cell(ip, f"second << --connection {DEMO}", "Bios | take 2")
    assert len(ip.user_ns["first"].df) == 3
    assert len(ip.user_ns["second"].df) == 2
    assert ip.user_ns["_cmpivot"] is ip.user_ns["second"]


def test_limit_caps_the_display_and_says_so(ip: InteractiveShell) -> None:
    _, outputs = cell(ip, f"--connection {DEMO} --limit 5", "Service")
    result = ip.user_ns["_cmpivot"]
    assert len(result.df) > 5  # nothing dropped from the data
    assert f"showing 5 of {len(result.df)} rows from" in html_of(outputs)


def test_no_display_shows_only_the_summary(ip: InteractiveShell) -> None:
    _, outputs = cell(ip, f"--connection {DEMO} --no-display", "OS")
    text = html_of(outputs)
    assert "Query completed on" in text and "<table" not in text and "Device status" not in text


def test_explain_sends_nothing(ip: InteractiveShell) -> None:
    before = ip.user_ns.get("_cmpivot")
    _, outputs = cell(ip, "--explain", "Process | where Name contains 'svc' | summarize count() by Name")
    text = html_of(outputs)
    assert "device part" in text and "sent to each device" in text
    assert ip.user_ns.get("_cmpivot") is before


def test_targeting_device_collection_and_devices_variable(ip: InteractiveShell) -> None:
    from cmpivot_magic import connect

    names = connect(DEMO).devices()["Name"].tolist()
    cell(ip, f"--connection {DEMO} --device {names[0]} --device {names[1]}", "OS | project Device")
    assert sorted(ip.user_ns["_cmpivot"].status["Device"]) == sorted(names[:2])
    cell(ip, f"--connection {DEMO} --collection SMS00001", "OS | project Device")
    assert len(ip.user_ns["_cmpivot"].status) == 40
    ip.user_ns["picked"] = names[3:6]
    cell(ip, f"--connection {DEMO} --devices picked", "OS | project Device")
    assert sorted(ip.user_ns["_cmpivot"].status["Device"]) == sorted(names[3:6])
    ip.user_ns["previous"] = ip.user_ns["_cmpivot"]  # a result pivots to its devices
    cell(ip, f"--connection {DEMO} --devices previous", "Bios | project Device")
    assert set(ip.user_ns["_cmpivot"].status["Device"]) <= set(names[3:6])


def test_timeout_option_leaves_slow_devices_pending(ip: InteractiveShell) -> None:
    cell(ip, f"--connection {DEMO}&offline=0 --timeout 1.5", "OS")
    status = ip.user_ns["_cmpivot"].status
    assert (status["Status"] == "Pending").any()


def test_named_connections(ip: InteractiveShell) -> None:
    with capture_output():
        ip.run_line_magic("cmpivot", f"connect {DEMO} --name lab")
    table = ip.run_line_magic("cmpivot", "connections")
    assert "lab" in table["Name"].tolist()
    cell(ip, "--connection lab", "OS | take 1")
    assert ip.user_ns["_cmpivot"].connection == DEMO
    cell(ip, "", "OS | take 1")  # the current connection is the last one connected
    assert ip.user_ns["_cmpivot"].connection == DEMO


def test_line_magic_subcommands(ip: InteractiveShell) -> None:
    ip.run_line_magic("cmpivot", f"connect {DEMO}")
    assert len(ip.run_line_magic("cmpivot", "devices")) == 40
    assert "SMS00001" in ip.run_line_magic("cmpivot", "collections")["CollectionID"].tolist()
    ents = ip.run_line_magic("cmpivot", "entities registry")
    assert set(ents["Name"]) >= {"Registry", "RegistryKey"}
    schema = ip.run_line_magic("cmpivot", "schema file")
    assert "SHA256Hash" in schema["Column"].tolist()
    config = ip.run_line_magic("cmpivot", "config")
    assert "display_limit" in config["Setting"].tolist()
    with capture_output() as cap:
        ip.run_line_magic("cmpivot", "help permissions")
    assert "Run CMPivot" in cap.stdout
    for topic in ("operators", "functions", "entities", "prerequisites", "samples", "troubleshooting"):
        with capture_output() as cap:
            ip.run_line_magic("cmpivot", f"help {topic}")
        assert len(cap.stdout) > 200
    ip.run_line_magic("cmpivot", "OS | take 1")  # a one-line query
    assert len(ip.user_ns["_cmpivot"].df) == 1


# ------------------------------------------------------------------------------------ interpolation


@pytest.mark.parametrize(
    "value",
    ["it's", 'say "hi"', "back\\slash\\", "pipe | take 1", "new\nline", "%_like_%", "} {x} {", "'; drop"],
)
def test_interpolated_strings_are_literals_never_query_text(ip: InteractiveShell, value: str) -> None:
    """A hostile string becomes one string literal: it can neither end the literal nor add operators."""
    from cmpivot_magic import parse

    ip.user_ns["needle"] = value
    text = interpolate("Service | where Name == {needle} | project Name", ip.user_ns)
    q = parse(text)
    assert q.ast.body.operators[0].predicate.right.value == value  # type: ignore[union-attr]
    assert len(q.ast.body.operators) == 2
    quoted = interpolate("Service | where Name == '{needle}'", ip.user_ns)
    assert parse(quoted).ast.body.operators[0].predicate.right.value == value  # type: ignore[union-attr]


def test_interpolation_in_a_cell_runs(ip: InteractiveShell) -> None:
    ip.user_ns["state"] = "Running"
    ip.user_ns["names"] = ["WinDefend", "Spooler"]
    cell(ip, f"--connection {DEMO}", "Service | where State == {state} and Name in {names} | project Device, Name, State")
    df = ip.user_ns["_cmpivot"].df
    assert len(df) > 0
    assert set(df["Name"].str.lower()) <= {"windefend", "spooler"} and set(df["State"]) == {"Running"}


def test_kql_literals_of_python_values() -> None:
    import datetime as dt

    assert kql_literal(["a", "b'c"]) == "('a', 'b\\'c')"
    assert kql_literal(3) == "3" and kql_literal(2.5) == "2.5" and kql_literal(True) == "true"
    assert kql_literal(dt.datetime(2024, 1, 31, 13, 45, tzinfo=dt.UTC)) == "datetime(2024-01-31 13:45:00)"
    assert kql_literal(dt.timedelta(hours=36)) == "36h"
    assert kql_literal(pd.Timestamp("2024-01-01", tz="UTC")) == "datetime(2024-01-01 00:00:00)"
    with pytest.raises(CMPivotError, match="empty list"):
        kql_literal([])
    with pytest.raises(CMPivotError, match="not defined"):
        interpolate("OS | where Caption == {nope}", {})
    assert interpolate("print dynamic({{'a': 1}})", {}) == "print dynamic({'a': 1})"


# ------------------------------------------------------------------------------------ configuration


def test_config_from_traitlets(ip: InteractiveShell) -> None:
    ip.run_line_magic("config", "CMPivotMagic.display_limit = 3")
    try:
        _, outputs = cell(ip, f"--connection {DEMO}", "Service")
        assert "showing 3 of" in html_of(outputs)
    finally:
        ip.run_line_magic("config", "CMPivotMagic.display_limit = 50")


def test_config_from_pyproject_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cmpivot_magic.magic import CMPivotMagic

    (tmp_path / "pyproject.toml").write_text("[tool.cmpivot_magic]\ndisplay_limit = 7\nconnection = 'demo://'\n")
    (tmp_path / "nb").mkdir()
    monkeypatch.chdir(tmp_path / "nb")  # found upward from the notebook's folder
    magic = CMPivotMagic(shell=None)
    assert magic.display_limit == 7 and magic.connection == "demo://"
    assert magic.sources["display_limit"].endswith("[tool.cmpivot_magic]")
    monkeypatch.setenv("CMPIVOT_MAGIC_DISPLAY_LIMIT", "9")
    magic = CMPivotMagic(shell=None)
    assert magic.display_limit == 9 and magic.sources["display_limit"] == "CMPIVOT_MAGIC_DISPLAY_LIMIT"


@pytest.mark.parametrize("var", ["CMPIVOT_MAGIC_FAVORITES", "CMPIVOT_MAGIC_TOKEN_CACHE"])
def test_the_packages_other_variables_are_not_refused_as_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   var: str) -> None:
    from cmpivot_magic.magic import CMPivotMagic

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(var, str(tmp_path / "file.json"))
    assert CMPivotMagic(shell=None).display_limit > 0


def test_unknown_setting_suggests_the_right_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cmpivot_magic.magic import CMPivotMagic

    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.cmpivot_magic]\ndisplay_limt = 7\n")
    with pytest.raises(CMPivotError, match="unknown setting 'display_limt'") as e:
        CMPivotMagic(shell=None)
    assert "did you mean 'display_limit'?" in str(e.value)
    (tmp_path / "pyproject.toml").unlink()
    monkeypatch.setenv("CMPIVOT_MAGIC_TIMEOUTT", "5")
    with pytest.raises(CMPivotError, match="did you mean 'timeout'"):
        CMPivotMagic(shell=None)
    monkeypatch.delenv("CMPIVOT_MAGIC_TIMEOUTT")
    monkeypatch.setenv("CMPIVOT_MAGIC_DISPLAY_LIMIT", "many")
    with pytest.raises(CMPivotError, match="must be a int"):
        CMPivotMagic(shell=None)


# ------------------------------------------------------------------------------------ errors


def test_syntax_error_shows_caret_and_no_traceback(ip: InteractiveShell) -> None:
    with capture_output() as cap:
        result = ip.run_cell("%%cmpivot --connection demo://?clock=virtual\nOS | simmarize count()")
    assert isinstance(result.error_in_exec, QuerySyntaxError)  # the cell fails
    text = cap.stdout + cap.stderr
    assert "QuerySyntaxError: unknown table operator 'simmarize'" in text
    assert "^^^^^^^^^" in text and "did you mean 'summarize'?" in text
    assert "Traceback" not in text and "File \"" not in text


def test_semantic_and_connection_errors_are_short(ip: InteractiveShell) -> None:
    for body, line, message in [
        ("Process | where Nmae == 'x'", f"--connection {DEMO}", "unknown column 'Nmae'"),
        ("OS", "--connection nowhere://x", "unknown connection"),
        ("OS", f"--connection {DEMO} --device NOPE", "no device named 'NOPE'"),
        ("OS | where Caption == {missing_var}", f"--connection {DEMO}", "name 'missing_var' is not defined"),
    ]:
        with capture_output() as cap:
            result = ip.run_cell(f"%%cmpivot {line}\n{body}")
        assert result.error_in_exec is not None
        assert message in cap.stdout + cap.stderr
        assert "Traceback" not in cap.stdout + cap.stderr


# ------------------------------------------------------------------------------------ charts and progress


def test_render_draws_a_chart(ip: InteractiveShell) -> None:
    _, outputs = cell(ip, f"--connection {DEMO}", "OperatingSystem | summarize count() by Caption | render piechart "
                      "with (title='OS mix')")
    assert any("image/png" in o.data for o in outputs)


def test_progress_updates_in_place_while_devices_answer(ip: InteractiveShell) -> None:
    """With real latency, one display is updated several times before the result appears."""
    ip.run_line_magic("config", "CMPivotMagic.progress_interval = 0.05")
    try:
        with capture_output() as cap:
            ip.run_cell_magic("cmpivot", "--connection demo://?devices=30&seed=2&clock=real&speed=40", "OS")
    finally:
        ip.run_line_magic("config", "CMPivotMagic.progress_interval = 0.25")
    updates = [o for o in cap.outputs if o.update]
    texts = [o.data.get("text/html", "") for o in updates]
    assert len(updates) >= 3
    assert any("Running" in t for t in texts) and "Done" in texts[-1]
    answered = [int(t.split(" of ")[0].split("</b> — ")[-1]) for t in texts if "devices answered" in t]
    assert answered == sorted(answered) and answered[-1] > answered[0]



def test_permission_and_authentication_errors_are_short(ip: InteractiveShell) -> None:
    """Against a site (the HTTPS emulator): a token without rights on the collection, and a
    rejected token, each show one message with what to do — no traceback, and the cell fails."""
    from cmpivot_magic.emulator import Emulator

    with Emulator(devices=20, seed=7, speed=200) as emu:
        limited = emu.add_token(read=["SMS00001"], run=[])
        for token, message in ((limited, "PermissionDeniedError"), ("not-a-token", "AuthenticationError")):
            with capture_output():
                ip.run_line_magic("cmpivot", f"connect {emu.url} --name site --token {token} --verify {emu.ca_path}")
            with capture_output() as cap:
                result = ip.run_cell("%%cmpivot --connection site --collection SMS00001\nOS")
            text = cap.stdout + cap.stderr
            assert result.error_in_exec is not None and type(result.error_in_exec).__name__ == message
            assert message in text and "Traceback" not in text
            assert token not in text  # a credential never appears in what the user sees


@pytest.mark.parametrize(
    ("kind", "query"),
    [
        ("barchart", "OperatingSystem | summarize count() by Caption | render barchart with (title='OS')"),
        ("columnchart", "LogicalDisk | summarize sum(FreeSpace) by Device | top 5 by sum_ | render columnchart"),
        ("piechart", "OperatingSystem | summarize count() by Caption | render piechart"),
        ("timechart", "OperatingSystem | summarize count() by bin(LastBootUpTime, 1d) | render timechart"),
        ("areachart", "OperatingSystem | summarize count() by bin(LastBootUpTime, 1d) | render areachart"),
        ("linechart", "OperatingSystem | summarize count() by bin(LastBootUpTime, 1d) | render linechart"),
        ("scatterchart", "Disk | project FreeSpace, Size | render scatterchart"),
    ],
)
def test_every_render_kind_shows_a_chart_from_the_magic(ip: InteractiveShell, kind: str, query: str) -> None:
    """The magic draws each kind (the artists and labels of each are asserted in tests/render)."""
    _, outputs = cell(ip, f"--connection {DEMO}", query)
    pngs = [o for o in outputs if "image/png" in o.data]
    assert len(pngs) == 1 and pngs[0].data["text/plain"] == f"<{kind}>"
    assert ip.user_ns["_cmpivot"].chart_spec.kind == kind
