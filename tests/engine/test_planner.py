"""The planner: output schemas of the reference's sample queries, the device/global split,
and semantic errors that name the problem."""

from __future__ import annotations

import pytest
from language.samples import PLANS, SAMPLES
from language.samples import text as sample

import cmpivot_magic as cm
from cmpivot_magic import QuerySemanticError

REGISTRY = {"Device": "string", "Property": "string", "Value": "string", "Key": "string"}

EXPECTED_SCHEMAS: dict[str, dict[str, str]] = {
    "D01": {"CompanyName": "string", "ExplorerFileName": "string", "LastUsedTime": "datetime",
            "LaunchCount": "long", "FolderPath": "string"},
    "D02": {"Name": "string", "dcount_": "long"},
    "D03": {"Device": "string", "countif_": "long"},
    "D04": {"Device": "string"},
    "D06": {"Name": "string", "dcount_": "long"},
    "D07": {"Device": "string", "count_": "long"},
    "D08": {"Device": "string", "countif_": "long"},
    "D10": {"Device": "string", "count_": "long"},
    "D11": {"Device": "string", "count_": "long"},
    "D12": {"Device": "string", "SMSId": "string"},
    "D13": {"IsAADJoined": "string", "DeviceCount": "long"},
    "D14": {"QuickScanAge": "long", "DeviceCount": "long"},
    "D17": {"Caption": "string", "count_": "long"},
    "D19": {"SystemStartTime": "datetime", "BootDuration": "long", "OSStart": "long", "GPDuration": "long",
            "UpdateDuration": "long"},
    "D20": {"ProductName": "string", "dcount_": "long"},
    "D21": {"bin": "datetime", "count_": "long"},
    "D22": {"Caption": "string", "count_": "long"},
    "D23": {"Device": "string", "sum_": "long"},
    "H01": {"Value": "string", "dcount_": "long"},
    "H02": {"Device": "string", "FileName": "string", "Version": "string", "ReportId": "string", "DateTime": "datetime"},
    "HUB01": {"Model": "string", "avg_": "real"},
    "HUB02": {"Device": "string", "LogText": "string", "DateTime": "datetime"},
    "HUB03": {"ProductVersion": "string", "countif_": "long"},
    "HUB04": {"Device": "string"},
    "HUB05": {"Device": "string", "Line": "long", "Content": "string"},
    "HUB06": {"Device": "string", "EstimatedChargeRemaining": "long", "Status": "string", "UserName": "string"},
    "HUB07": REGISTRY,
    "HUB09": REGISTRY,
    "HUB12": {"FullBuild": "string", "count_": "long"},
    "HUB14": {"Device": "string", "ObjectClass": "string", "Name": "string", "PrincipalSource": "string"},
    "HUB15": {"substring": "string", "count_": "long"},
    "HUB16": {"Name": "string", "countif_": "long"},
    "HUB17": {"Edition": "string", "count_": "long"},
    "HUB18": {"Version": "string", "count_": "long"},
    "HUB19": {"strcat": "string", "count_": "long"},
    "R106": {"Device": "string", "TargetOSBuild": "string", "GatedBlockID": "string", "GatedBlockReason": "string",
             "RedReason": "string", "UpgEx": "string", "SdbEntries": "string"},
    "S02": {"CompanyName": "string", "ProductName": "string", "ProductVersion": "string", "LastUsedTime": "datetime"},
    "S03": {"bin": "datetime", "count_": "long"},
    "S04": {"Device": "string", "DeviceID": "string", "Name": "string", "Description": "string",
            "FileSystem": "string", "Size": "long", "FreeSpace": "long"},
    "S05": {"Device": "string", "Manufacturer": "string", "Model": "string", "OSVersion": "string"},
    "S06": {"Device": "string", "SystemStartTime": "datetime", "BootDuration": "long", "OSStart": "long",
            "GPDuration": "long", "UpdateDuration": "long"},
    "S07": {"Device": "string", "DateTime": "datetime", "EntryType": "string", "Source": "string",
            "EventID": "long", "Message": "string"},
    "S08": {"ModuleName": "string", "count_": "long"},
    "S09": {"QuickScanAge": "long", "DeviceCount": "long"},
    "S11": {"Device": "string", "MalwareFound": "string"},
    "S12": {"Device": "string", "LogText": "string", "DateTime": "datetime", "Component": "string",
            "Context": "string", "Type": "long", "Thread": "long", "File": "string"},
    "S13a": REGISTRY,
    "S13b": {"Device": "string", "Key": "string"},
}


@pytest.mark.parametrize("sid", sorted(EXPECTED_SCHEMAS))
def test_sample_output_schema(sid: str) -> None:
    assert cm.parse(sample(sid)).output_schema == EXPECTED_SCHEMAS[sid]


@pytest.mark.parametrize("sid", PLANS)
def test_every_sample_plans_and_explains(sid: str) -> None:
    q = cm.parse(sample(sid))
    text = q.explain()
    assert text.startswith("Plan (cmpivot dialect)")
    assert "device part" in text and "output:" in text
    assert cm.parse(q.device_query) is not None  # the device part is itself a valid query


@pytest.mark.parametrize("sid", [sid for sid, s in SAMPLES.items() if s.outcome == "plan-error"])
def test_sample_declared_a_plan_error_parses_but_fails_planning_saying_so(sid: str) -> None:
    """A sample whose file says `// expect: plan-error: …` parses (so the error is the planner's, not a
    QuerySyntaxError), and the planner rejects it with that message."""
    with pytest.raises(QuerySemanticError) as e:
        cm.parse(sample(sid))
    assert SAMPLES[sid].error in e.value.message


def test_h04_pre_ga_column_is_an_error_naming_the_column() -> None:
    """H04 uses the TP 1908 column Hash; the GA File() schema calls it SHA256Hash."""
    with pytest.raises(QuerySemanticError) as e:
        cm.parse(sample("H04"))
    assert e.value.message == "unknown column 'Hash'"
    assert (e.value.line, e.value.column) == (3, 9)
    assert "SHA256Hash" in str(e.value)


@pytest.mark.parametrize(
    ("query", "device_query"),
    [
        ("Process | where Name == 'a' | summarize count() by Name", "Process | where Name == 'a' | project Device, Name"),
        ("Service | where (Name == 'Browser') | summarize count() by Device | where count_ > 0",
         "Service | where Name == 'Browser' | summarize count() by Device | where count_ > 0"),
        ("OS | summarize countif(Version == '10.0') by Device | where countif_ > 0 | project Device",
         "OS | summarize countif(Version == '10.0') by Device | where countif_ > 0 | project Device"),
        ("ComputerSystem | project Device, Model | join (OperatingSystem | project Device, Caption) | order by Model",
         "ComputerSystem | project Device, Model | join (OperatingSystem | project Device, Caption)"),
        ("Disk | top 3 by FreeSpace", "Disk"),
        ("Disk | summarize dcount(Device) by Name", "Disk | project Device, Name"),
        ("Bios | distinct Device, Manufacturer | summarize count() by Manufacturer",
         "Bios | distinct Device, Manufacturer"),
        ("OperatingSystem | summarize count() by Caption | render piechart", "OperatingSystem | project Device, Caption"),
        ("Device | project UserName | count", "Device | project UserName"),
    ],
)
def test_device_part_is_the_longest_device_local_prefix(query: str, device_query: str) -> None:
    """Leading where/project, joins on Device and summarize or distinct keeping Device run on each
    device; the first operator that mixes devices (summarize without Device, order, top, take,
    count) starts the global part. When that operator reads only some columns, the device part
    ends with a project of those (and Device), so devices send only what is needed."""
    assert cm.parse(query).device_query == device_query


@pytest.mark.parametrize(
    ("query", "message", "hint"),
    [
        ("Proces", "unknown entity 'Proces'", "did you mean 'Process'?"),
        ("Process | where Nmae == 'x'", "unknown column 'Nmae'", "did you mean 'Name'?"),
        ("Process | project strln(Name)", "unknown function 'strln'", "did you mean 'strlen'?"),
        ("Process | where Name", "where needs a true/false condition, but this is a string", None),
        ("Process | summarize Name", "each summarize item must aggregate", "move it after 'by'"),
        ("Process | where count() > 1", "count() is an aggregation", None),
        ("Process | project tolower(Name)", "'tolower' is not supported by ConfigMgr's CMPivot", "dialect='kql'"),
        ("Process | summarize make_list(Name)", "'make_list' is not supported by ConfigMgr's CMPivot", None),
        ("Registry", "Registry needs 1 argument", "Registry('"),
        ("Process('x')", "Process takes no arguments", None),
        ("EventLog('System', 'x')", "EventLog's span must be a timespan", None),
        ("Process | project substring(Name)", "substring() takes 2 to 3 arguments, not 1", None),
        ("Process | render barchart | take 1", "render must be the last operator", None),
        ("Process | join kind=sideways (Device)", "unknown join kind 'sideways'", None),
        ("Process | summarize count() by Name | join (Device)", "the left side has no device column", None),
        ("Process | take -1", "expected a whole number of rows", None),
    ],
)
def test_semantic_errors_say_what_is_wrong(query: str, message: str, hint: str | None) -> None:
    with pytest.raises(QuerySemanticError) as e:
        cm.parse(query)
    assert message in e.value.message
    if hint:
        assert hint in str(e.value)
    assert e.value.line is not None and "^" in str(e.value)


def test_more_than_five_joins_is_rejected() -> None:
    """CMPivot allows at most five joins in one query (§3.2)."""
    q = "Device" + " | join (Device | project Device, M=Model)" * 6
    with pytest.raises(QuerySemanticError, match="at most 5 joins"):
        cm.parse(q)


def test_kql_tables_are_resolved_when_the_query_is_evaluated() -> None:
    """A kql query may name any table; parse() accepts it and planning against no tables says
    the table is unknown, while the tables given to evaluate() define its schema."""
    q = cm.parse("T | where a > 1 | project a", dialect="kql")
    with pytest.raises(QuerySemanticError, match="unknown table 'T'"):
        q.output_schema  # noqa: B018
    import pandas as pd

    out = cm.evaluate(q, {"T": pd.DataFrame({"a": [1, 2, 3]})})
    assert out["a"].tolist() == [2, 3]


@pytest.mark.parametrize(("text", "rows"), [
    ("range x from 1 to 10 step 3", 4),
    ("range x from 10 to 1 step 1", 0),
    ("range x from 1 to 0 step 2", 0),
    ("range x from 0.0 to 1.0 step 0.25", 5),
    ("range t from datetime(2026-01-01) to datetime(2026-01-02) step 1h", 25),
    ("print a=1, b=2", 1),
    ("range x from 1 to 10 step 3 | join kind=inner (datatable(x:long)[1, 2]) on x", 6),
    ("range x from 1 to 10 step 0", None),
])
def test_rows_a_plan_makes_itself(text: str, rows: int | None) -> None:
    """range, datatable and print rows are counted before running (joins included), so the engine
    can pick polars' engine for their size; a range it cannot size is None (unknown)."""
    assert cm.parse(text, dialect="kql").plan.rows_made() == rows


def test_rows_made_by_an_entity_query_are_none_of_its_own() -> None:
    assert cm.parse("Process | summarize count() by Name").plan.rows_made() == 0
