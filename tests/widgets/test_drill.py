"""The results explorer's drill-through and actions, headless: set the widgets' values, click the
buttons. Drill-through runs the console's queries (reference §8.4); a collection or a script run
happens only after a confirmation that names it and counts the devices."""

from __future__ import annotations

from pathlib import Path

import pytest

import cmpivot_magic
from cmpivot_magic import CMPivotError
from cmpivot_magic.widgets import ResultsExplorer
from cmpivot_magic.widgets.drill import devices_with, devices_without, group_by

DEMO = "demo://?devices=40&seed=7&clock=virtual"


@pytest.fixture
def explorer(tmp_path: Path) -> ResultsExplorer:
    session = cmpivot_magic.connect(DEMO, history=tmp_path)
    return ResultsExplorer(session.run("Service | project Device, Name, State"), session)


def test_the_console_queries(explorer: ResultsExplorer) -> None:
    result = explorer.result
    assert devices_with(result, "Name", "Browser") == \
        "Service | summarize countif( (Name == 'Browser') ) by Device | where (countif_ > 0)"
    assert devices_without(result, "Name", "O'Brien") == \
        "Service | summarize countif( (Name == 'O\\'Brien') ) by Device | where (countif_ == 0) | project Device"
    assert group_by(result, "State") == "Service | summarize dcount( Device ) by State"
    with pytest.raises(CMPivotError, match="not a column of Service"):
        group_by(result, "count_")
    session = cmpivot_magic.connect(DEMO, history=None)
    registry = session.run("Registry('HKLM:\\\\SOFTWARE\\\\Contoso') | project Device, Property")
    assert devices_with(registry, "Property", 1).startswith("Registry('HKLM:\\\\SOFTWARE\\\\Contoso') | summarize")


def test_show_devices_with_and_without_a_value(explorer: ResultsExplorer) -> None:
    panel = explorer.actions
    rows = explorer.result.df
    having = set(rows.loc[rows["Name"] == "Browser", "Device"])
    panel.column.value = "Name"
    panel.value.value = "Browser"
    panel.with_button.click()
    assert explorer.message.value == ""
    assert explorer.result.query.text.startswith("Service | summarize countif( (Name == 'Browser') )")
    assert set(explorer.result.df["Device"]) == having
    explorer.back_button.click()
    panel.column.value, panel.value.value = "Name", "Browser"
    panel.without_button.click()
    answered = set(rows["Device"])
    assert set(explorer.result.df["Device"]) == answered - having
    explorer.back_button.click()
    panel.column.value = "State"
    panel.group_button.click()
    assert list(explorer.result.df.columns) == ["State", "dcount_"]


def test_create_collection_only_after_confirming(explorer: ResultsExplorer) -> None:
    panel = explorer.actions
    session = explorer.session
    assert session is not None
    before = len(session.collections())
    devices = list(dict.fromkeys(explorer.result.df["Device"]))
    panel.collection_name.value = "Has services"
    panel.collection_button.click()
    assert panel.confirm_box.layout.display is None
    assert f"Create device collection 'Has services' (limited to SMS00001) with direct rules for {len(devices)} devices" \
        in panel.confirm_text.value.replace("&#x27;", "'")
    assert len(session.collections()) == before  # nothing written yet
    panel.cancel_button.click()
    assert panel.confirm_box.layout.display == "none" and len(session.collections()) == before
    panel.collection_button.click()
    panel.confirm_button.click()
    made = session.collections().iloc[-1]
    assert (made["Name"], made["MemberCount"]) == ("Has services", len(devices))
    assert made["CollectionID"] in panel.output.value
    assert sorted(session.run("Device", collection=made["CollectionID"]).status["Device"]) == sorted(devices)
    assert session.history is not None and session.history.actions().iloc[0]["Action"] == "create collection"


def test_run_script_on_the_failed_devices_after_confirming(explorer: ResultsExplorer) -> None:
    panel = explorer.actions
    panel.script_button.click()  # loads the approved scripts
    assert panel.script.options and "Unapproved cleanup" not in [o[0] for o in panel.script.options]
    panel.device_set.value = "offline"
    offline = explorer.result.device_names("offline")
    panel.script.value = "Get free disk space"
    panel.script_parameters.value = "Drive=D:"
    panel.script_button.click()
    text = panel.confirm_text.value.replace("&#x27;", "'")
    assert f"Run script 'Get free disk space' with Drive=D: on {len(offline)} device" in text
    panel.confirm_button.click()
    assert "Script &#x27;Get free disk space&#x27;" in panel.output.value
    assert f"{len(offline)} clients offline" in panel.output.value


def test_errors_show_in_the_explorer(explorer: ResultsExplorer) -> None:
    panel = explorer.actions
    panel.collection_name.value = ""
    panel.collection_button.click()
    assert "type a name" in explorer.message.value
    panel.confirm_button.click()
    assert "nothing to confirm" in explorer.message.value
