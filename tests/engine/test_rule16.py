"""Decision 16 of the language reference (§9): a join with an entity runs on the device, and so
does everything before it.

The device part extends at least to the last join whose right side reads an entity; operators
before it (take, top, order by, distinct, summarize, count) then apply per device, because on a
device every entity's rows are that device's own. What follows the last such join stays global.
A query that plans must also run (issue 16: these plans used to fail with "no rows were given for
table 'Device'").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest

import cmpivot_magic as cm
from cmpivot_magic.engine import plan_query
from cmpivot_magic.engine.plan import Plan
from cmpivot_magic.language.parser import parse_text

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def _tables() -> dict[str, pd.DataFrame]:
    devices = ["A", "B", "C"]
    process = pd.DataFrame({
        "Device": [d for d in devices for _ in range(3)],
        "Name": [f"{d}-p{i}" for d in devices for i in range(3)],
        "ProcessId": [i for _ in devices for i in (30, 10, 20)],
    })
    device = pd.DataFrame({"Device": devices, "Domain": ["corp", "corp", "lab"]})
    os_ = pd.DataFrame({"Device": devices, "Caption": ["Windows 11", "Windows 10", "Windows 11"]})
    return {"Process": process, "Device": device, "OperatingSystem": os_}


def run(query: str) -> pd.DataFrame:
    return cm.evaluate(query, _tables(), now=NOW)


def plan(query: str) -> Plan:
    return plan_query(parse_text(query, "cmpivot"), "cmpivot")


def test_take_before_an_entity_join_keeps_one_row_per_device_not_one_overall() -> None:
    """``take 1 | join Device``: the take runs on each device, so each device gives its first row
    with its own properties (the published "one row per device" shape)."""
    out = run("Process | take 1 | join Device")
    assert out["Device"].tolist() == ["A", "B", "C"]
    assert out["Name"].tolist() == ["A-p0", "B-p0", "C-p0"]
    assert out["Domain"].tolist() == ["corp", "corp", "lab"]


def test_a_take_after_the_last_entity_join_stays_global() -> None:
    """What follows the last join with an entity runs once over all devices' rows."""
    out = run("Process | take 2 | join (OperatingSystem) | take 3")
    assert len(out) == 3
    p = plan("Process | take 2 | join (OS) | take 3")
    assert [type(s.step).__name__ for s in p.global_part] == ["Limit"]
    assert p.per_device


def test_top_order_distinct_summarize_and_count_before_an_entity_join_apply_per_device() -> None:
    """Every operator that sees all its rows applies to one device's rows when it comes before a
    join with an entity."""
    top = run("Process | top 1 by ProcessId | join Device")
    assert top[["Device", "ProcessId"]].values.tolist() == [["A", 30], ["B", 30], ["C", 30]]
    ordered = run("Process | order by ProcessId asc | take 1 | join Device")
    assert ordered["ProcessId"].tolist() == [10, 10, 10]
    summed = run("Process | summarize n=count() by Device | join OperatingSystem")
    assert summed["n"].tolist() == [3, 3, 3]
    distinct = run("Process | distinct Device | join Device")
    assert distinct["Device"].tolist() == ["A", "B", "C"]


def test_rightouter_join_after_take_gives_every_device_once_with_its_properties() -> None:
    """``where ... | take 1 | join kind=rightouter Device | join OperatingSystem``: a device with no
    matching row still appears once, with its own Device and OperatingSystem properties."""
    out = run("Process | where Name startswith 'B' | take 1 | join kind=rightouter Device | join OperatingSystem")
    assert sorted(out["Device"]) == ["A", "B", "C"]
    rows = out.set_index("Device")
    assert rows.loc["B", "Name"] == "B-p0"
    assert pd.isna(rows.loc["A", "Name"])
    assert rows.loc["C", "Caption"] == "Windows 11" and rows.loc["C", "Domain"] == "lab"


def test_a_join_right_side_runs_on_each_device_too() -> None:
    """``join (OperatingSystem | take 1)``: the right side is evaluated on each device, so each
    device's rows meet its own one OS row (not one device's row for the whole fleet)."""
    out = run("Process | join (OperatingSystem | take 1)")
    assert len(out) == 9 and out["Caption"].notna().all()


def test_without_operators_that_see_all_rows_the_device_part_runs_once() -> None:
    """Row-local device parts keep the single fast run (``per_device`` is false)."""
    p = plan("Process | where ProcessId > 1 | join Device | take 3")
    assert not p.per_device
    assert [type(s.step).__name__ for s in p.global_part] == ["Limit"]


def test_explain_shows_which_operators_run_per_device() -> None:
    """``--explain`` marks the per-device steps in the device part and leaves global ones unmarked."""
    text = plan("Process | take 2 | join (OS) | take 3").explain()
    device, global_ = text.split("global part")
    assert "Limit 2 [per device]" in device
    assert "apply per device" in device
    assert "Limit 3" in global_ and "[per device]" not in global_


@pytest.fixture(scope="module")
def demo() -> Iterator[cm.Session]:
    session = cm.connect("demo://?devices=30&seed=7&clock=virtual")
    yield session


ISSUE_QUERIES = [
    "WinEvent('Microsoft-Windows-WindowsUpdateClient/Operational', 1h) | take 5 | join Device",
    "Process | take 2 | join (OS)",
    "EventLog('Application',1d) | where EventID == 7 and Source == 'AdmPwd' | take 1\n"
    "| join Device | join OperatingSystem | project Device, DateTime, Message, Domain, Caption",
    "FileContent('c:\\\\windows\\\\win.ini') | where Content contains 'fonts' | take 1"
    " | join kind=rightouter Device | join OperatingSystem",
]


@pytest.mark.parametrize("query", ISSUE_QUERIES)
def test_the_issue_queries_plan_and_run_on_a_demo_site(demo: cm.Session, query: str) -> None:
    """Each query of issue 16 plans, runs, and gives at most one device's share per device."""
    result = demo.run(query)
    assert result.df is not None
    if "take 2" in query:
        assert result.df.groupby("Device").size().max() == 2
    if "rightouter" in query:
        answered = {r.device for r in result.replies.values() if r.rows is not None}
        assert sorted(result.df["Device"]) == sorted(answered)
