"""Bugs the "plans ⇒ runs" property (test_plans_run.py) found, one focused test each: every query
here used to plan and then fail while running."""

from __future__ import annotations

import pandas as pd
import pytest

import cmpivot_magic as cm
from cmpivot_magic.errors import CMPivotError

PROCESS = pd.DataFrame({"Device": ["A", "A", "B"], "Name": ["x", "y", "x"], "Version": ["1", "2", "1"]})


def test_a_summarize_name_given_twice_is_refused_when_planning() -> None:
    """``summarize n = count() by Name, n`` (n an existing column) used to plan and then fail in
    polars with a duplicate column; like ``project a = 1, a = 2`` it is refused before running."""
    query = "Process | summarize n = count() by Name, CommandLine | summarize n = count() by Name, n"
    with pytest.raises(CMPivotError, match="column 'n' is assigned twice"):
        cm.parse(query)
    with pytest.raises(CMPivotError, match="assigned twice"):
        cm.parse("Process | summarize n = count(), n = dcount(Name)")
    with pytest.raises(CMPivotError, match="assigned twice"):
        cm.parse("Process | summarize count() by n = Name, n = CommandLine")
    # an unnamed repeat still gets a fresh name, as before
    out = cm.evaluate("Process | summarize count() by Name, Name", {"Process": PROCESS})
    assert list(out.columns) == ["Name", "Name1", "count_"]


def test_a_parenthesised_source_with_take_runs_on_each_device() -> None:
    """``(Process | take 1) | join Device``: the parenthesised source is part of the device query,
    so its take applies per device, and the join after it has the device's rows."""
    device = pd.DataFrame({"Device": ["A", "B"], "Domain": ["corp", "lab"]})
    out = cm.evaluate("(Process | take 1) | join Device", {"Process": PROCESS, "Device": device})
    assert out[["Device", "Name", "Domain"]].values.tolist() == [["A", "x", "corp"], ["B", "x", "lab"]]
    assert len(cm.evaluate("(Process | take 2)", {"Process": PROCESS})) == 3
