"""Session over the demo site: push-down equals whole-query evaluation, statuses explain every
missing row, streaming, cancel, the tenant-attach profile, and the CLI."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import polars as pl
import pytest
from language import samples

import cmpivot_magic as cm
from cmpivot_magic import catalog, engine
from cmpivot_magic.engine import frames
from cmpivot_magic.errors import CMPivotError, QuerySemanticError

SITE = "demo://?devices=500&seed=7&clock=virtual&max_result_bytes=100000000"


@pytest.fixture(scope="module")
def site() -> cm.Session:
    return cm.connect(SITE)


def _rows(df: pd.DataFrame) -> Counter[tuple[str, ...]]:
    return Counter(tuple("<null>" if pd.isna(v) else str(v) for v in row) for row in df.itertuples(index=False))


def whole_query(session: cm.Session, op: cm.Operation) -> pd.DataFrame:
    """Evaluate the whole query at once over every answering device's entity rows."""
    backend = session.backend
    plan = op.query.plan
    answered = [r.resource_id for r in op.replies.values() if r.status.value in ("Completed", "Truncated")]
    tables = {}
    for scan in plan.scans():
        entity = catalog.entity(scan.table)
        frame = backend.source.table(entity, scan.args, answered, op.request.now)  # type: ignore[attr-defined]
        schema = frames.schema_of_frame(frame, "Device")
        tables[(scan.table, scan.args) if scan.args else scan.table] = frames.normalise_frame(frame, schema)
    return frames.to_pandas(engine.evaluate(plan, tables, now=op.request.now), plan.schema)


@pytest.mark.parametrize("sid", samples.RUNS)
def test_push_down_equals_whole_query_evaluation(site: cm.Session, sid: str) -> None:
    """Each device evaluates the device part, the session the global part over the union; the
    answer equals evaluating the whole query over all devices' rows (§3.3)."""
    text = samples.text(sid)
    op = site.submit(text, live_only=True)  # live answers only: whole_query reads the answering devices
    result = op.result()
    expected = whole_query(site, op)
    got = result.df[list(expected.columns)]
    top = re.search(r"\|\s*(top\s+\d+|take\s+\d+)", text, re.IGNORECASE)
    if top:  # ties make the chosen rows arbitrary: compare the ranking values
        key = re.search(r"\bby\s+(\w+)", text[top.start():], re.IGNORECASE)
        col = key.group(1) if key else expected.columns[0]
        col = next(c for c in expected.columns if c.lower() == col.lower())
        assert sorted(map(str, got[col])) == sorted(map(str, expected[col]))
    else:
        assert _rows(got) == _rows(expected)


def test_every_targeted_device_has_a_status_and_offline_failed_are_counted() -> None:
    s = cm.connect("demo://?devices=300&seed=11&offline=0.2&failure=0.05&clock=virtual")
    r = s.run("OS | summarize count() by Caption")
    st = r.status
    assert len(st) == 300 and st["Device"].is_unique
    counts = st["Status"].value_counts()
    assert counts.get("Offline", 0) > 30 and counts.get("Failed", 0) > 3
    assert st.loc[st["Status"] == "Offline", "Rows"].eq(0).all()
    assert st.loc[st["Status"] == "Failed", "Error"].notna().all()
    done = int(counts.get("Completed", 0))
    assert r.summary.startswith(
        f"Query completed on {done} of 300 clients ({counts['Offline']} clients offline and {counts['Failed']} failure")
    assert int(r.df["count_"].sum()) == done  # one OS row per answering device: nothing silently lost


def test_truncated_devices_keep_the_first_rows_within_the_limit() -> None:
    """A device's result is capped at max_result_bytes (128 KB on real clients); the device's
    status says Truncated and how many rows it returned."""
    s = cm.connect("demo://?devices=20&seed=3&offline=0&failure=0&clock=virtual&max_result_bytes=4000")
    r = s.run("Process")
    st = r.status.set_index("Device")
    truncated = st[st["Status"] == "Truncated"]
    assert len(truncated) == 20
    assert truncated["Error"].str.contains("larger than 4 KB").all()
    per_device = r.df.groupby("Device").size()
    assert (per_device == truncated["Rows"].reindex(per_device.index)).all()
    assert "20 clients truncated (result over the per-device size limit)" in r.summary


def test_powershell_4_devices_fail_powershell_5_entities() -> None:
    s = cm.connect("demo://?devices=400&seed=5&ps4=0.2&offline=0&failure=0&clock=virtual")
    r = s.run("Administrators | summarize count() by Device")
    failed = r.status[r.status["Status"] == "Failed"]
    assert len(failed) > 20
    assert failed["Error"].str.contains("not recognized|PowerShell", regex=True).all()
    ok = s.run("OS")
    assert (ok.status["Status"] == "Completed").all()


def test_updates_stream_progress_then_result() -> None:
    s = cm.connect("demo://?devices=200&seed=7&clock=virtual")
    op = s.submit("Process | summarize count() by Device")
    seen = [p.answered + p.failed + p.offline for p in op.updates()]
    assert len(seen) >= 3 and seen == sorted(seen) and seen[-1] == 200
    result = op.result()
    assert len(result.df) == result.devices_answered


def test_cancel_leaves_unanswered_devices_pending_with_a_reason() -> None:
    s = cm.connect("demo://?devices=200&seed=7&clock=virtual")
    op = s.submit("OS")
    first = next(iter(op.updates()))
    op.cancel()
    r = op.result()
    pending = r.status[r.status["Status"] == "Pending"]
    assert len(pending) == 200 - (first.answered + first.failed + first.offline)
    assert pending["Error"].str.contains("cancelled").all()
    assert "pending" in r.summary


def test_timeout_leaves_slow_devices_pending() -> None:
    s = cm.connect("demo://?devices=200&seed=7&clock=virtual&offline=0")
    r = s.run("OS", timeout=2.0)
    st = r.status
    assert (st["Status"] == "Pending").any()
    assert st.loc[st["Status"] != "Pending", "Elapsed"].max() <= 2.0


def test_targets_devices_and_collections() -> None:
    s = cm.connect("demo://?devices=100&seed=7&clock=virtual&offline=0&failure=0")
    names = s.devices()["Name"].head(3).tolist()
    r = s.run("OS | project Device", devices=names)
    assert sorted(r.df["Device"]) == sorted(names)
    cols = s.collections()
    assert {"SMS00001", "SMSDM003"} <= set(cols["CollectionID"])
    with pytest.raises(CMPivotError, match="no device named"):
        s.run("OS", devices=["NOPE-123"])
    with pytest.raises(CMPivotError, match="no collection"):
        s.run("OS", collection="XYZ00001")


def test_device_is_the_first_column_when_kept() -> None:
    s = cm.connect("demo://?devices=5&seed=1&clock=virtual&offline=0&failure=0")
    assert list(s.run("Service | project Name, Device | take 3").df.columns) == ["Device", "Name"]


def test_tenant_attach_profile_rules() -> None:
    """The Intune admin center: one device, 10-minute timeout, no console-only entities, no render."""
    s = cm.connect("demo://?devices=10&seed=1&clock=virtual&offline=0&failure=0", profile="tenant-attach")
    one = s.devices()["Name"].iloc[0]
    assert len(s.run("OS", devices=[one]).df) == 1
    with pytest.raises(CMPivotError, match="single device"):
        s.run("OS")
    for q in ("FileContent('c:\\\\windows\\\\smscfg.ini')", "RegistryKey('hklm:\\\\SOFTWARE\\\\*')", "AccountSID",
              "NAPClient", "NAPSystemHealthAgent"):
        with pytest.raises(QuerySemanticError, match="Intune admin center does not support"):
            s.run(q, devices=[one])
    with pytest.raises(QuerySemanticError, match="does not support render"):
        s.run("OS | summarize count() by Caption | render piechart", devices=[one])
    assert s.submit("OS", devices=[one], timeout=7200).request.timeout == 600


def test_result_exports(tmp_path: Path) -> None:
    s = cm.connect("demo://?devices=20&seed=1&clock=virtual")
    r = s.run("Disk | project Device, Name, FreeSpace")
    text = r.to_csv()
    assert text is not None and text.splitlines()[0] == "Device,Name,FreeSpace"
    r.to_parquet(tmp_path / "r.parquet")
    back = pl.read_parquet(tmp_path / "r.parquet")
    assert back.height == len(r.df)
    assert r.caption(5).startswith(f"showing 5 of {len(r.df)} rows from")


def test_errors_come_before_anything_is_sent() -> None:
    s = cm.connect("demo://?devices=5&seed=1&clock=virtual")
    with pytest.raises(cm.QuerySyntaxError):
        s.submit("OS | whre x")
    with pytest.raises(CMPivotError, match="unknown demo:// option"):
        cm.connect("demo://?devcies=5")


def test_cli_runs_a_demo_query_from_the_installed_command() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cmpivot_magic.cli", "--connection", "demo://?clock=virtual",
         "OS | summarize count() by Caption"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Caption" in proc.stdout and "count_" in proc.stdout
    assert "Query completed on" in proc.stderr


def test_cli_reports_query_errors_with_exit_status_2() -> None:
    proc = subprocess.run([sys.executable, "-m", "cmpivot_magic.cli", "--connection", "demo://", "OS | simmarize"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "did you mean 'summarize'" in proc.stderr
