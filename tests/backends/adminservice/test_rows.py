"""JSON result rows become frames of exactly the device schema's columns and dtypes."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import cmpivot_magic as cm
from cmpivot_magic.backends.adminservice.client import odata_string, operation_id_of
from cmpivot_magic.backends.adminservice.rows import frame_from_rows, parse_datetime, parse_timespan
from cmpivot_magic.emulator.operations import encode_rows, net_timespan


@pytest.mark.parametrize(("text", "want"), [
    ("2024-05-01T12:34:56Z", dt.datetime(2024, 5, 1, 12, 34, 56, tzinfo=dt.UTC)),
    ("2024-05-01T12:34:56.1234567Z", dt.datetime(2024, 5, 1, 12, 34, 56, 123456, tzinfo=dt.UTC)),
    ("2024-05-01T14:34:56+02:00", dt.datetime(2024, 5, 1, 12, 34, 56, tzinfo=dt.UTC)),
    ("2024-05-01 12:34:56", dt.datetime(2024, 5, 1, 12, 34, 56, tzinfo=dt.UTC)),
    ("/Date(1714566896000)/", dt.datetime(2024, 5, 1, 12, 34, 56, tzinfo=dt.UTC)),
    ("yesterday", None),
])
def test_datetimes_are_read_as_utc(text: str, want: dt.datetime | None) -> None:
    """Datetimes in any of the forms a site may write become aware UTC values (naive ones are UTC)."""
    assert parse_datetime(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("1.02:03:04.5000000", dt.timedelta(days=1, hours=2, minutes=3, seconds=4, milliseconds=500)),
    ("-00:00:01", dt.timedelta(seconds=-1)),
    ("PT86405S", dt.timedelta(days=1, seconds=5)),
    ("P1DT2H", dt.timedelta(days=1, hours=2)),
    (90, dt.timedelta(seconds=90)),
])
def test_timespans(text: object, want: dt.timedelta) -> None:
    assert parse_timespan(text) == want


def test_emulator_timespans_read_back() -> None:
    """The emulator writes .NET TimeSpans; the client reads the same durations back."""
    spans = [dt.timedelta(days=3, seconds=7, microseconds=250), dt.timedelta(seconds=-61), dt.timedelta(0), None]
    text = pl.DataFrame({"d": pl.Series(spans, dtype=pl.Duration("ns"))}).select(net_timespan(pl.col("d"))).to_series()
    assert [parse_timespan(t) if t is not None else None for t in text] == spans


def test_rows_take_the_device_schema() -> None:
    """Columns by name (case-insensitively), in schema order, with the engine's dtypes; numbers
    and booleans given as text are read too; a missing column is null."""
    schema = cm.parse("OS | project Device, Caption, OSLanguage, InstallDate").plan.device_schema
    rows = [{"device": "WKS-1", "CAPTION": "Windows 11", "OSLanguage": "1033", "InstallDate": "2024-01-02T03:04:05Z"},
            {"Device": "WKS-1", "Caption": None, "OSLanguage": 1031}]
    frame = frame_from_rows(rows, schema, "WKS-1")
    assert frame.columns == ["Device", "Caption", "OSLanguage", "InstallDate"]
    assert frame.schema["OSLanguage"] == pl.Int64 and frame.schema["InstallDate"] == pl.Datetime("ns", "UTC")
    assert frame["OSLanguage"].to_list() == [1033, 1031]
    assert frame["InstallDate"].to_list()[1] is None


def test_hidden_device_is_filled_from_each_row() -> None:
    """``project Name`` keeps the device in a hidden column: from the row's Device, else the answerer."""
    schema = cm.parse("Process | project Name").plan.device_schema
    assert "__device__" in schema.names
    frame = frame_from_rows([{"Device": "WKS-2", "Name": "a"}, {"Name": "b"}], schema, "WKS-9")
    assert frame["__device__"].to_list() == ["WKS-2", "WKS-9"]


def test_no_rows_still_has_the_columns() -> None:
    schema = cm.parse("Process | summarize count() by Device").plan.device_schema
    frame = frame_from_rows([], schema, "WKS-1")
    assert frame.height == 0 and frame.schema == pl.Schema({"Device": pl.String, "count_": pl.Int64})


def test_dynamic_values_survive_the_round_trip() -> None:
    frame = pl.DataFrame({"Device": ["A", "A"], "Bag": ['{"a":[1,2]}', None]})
    (encoded,) = encode_rows([frame], {"Bag"})
    assert encoded == b'{"Device":"A","Bag":{"a":[1,2]}},{"Device":"A","Bag":null}'


def test_operation_id_in_both_shapes() -> None:
    """Device route: ``value.OperationId``; collection route: ``OperationId`` at the top level."""
    assert operation_id_of({"@odata.context": "x", "value": {"OperationId": 16777463}}) == 16777463
    assert operation_id_of({"OperationId": 16777464}) == 16777464
    with pytest.raises(cm.CMPivotError, match="no OperationId"):
        operation_id_of({"value": {}})


def test_odata_strings_double_their_quotes() -> None:
    assert odata_string("O'Brien's PC") == "'O''Brien''s PC'"
