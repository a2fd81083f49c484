"""The engine's semantic rules, one test each, stated in the docstring (§9 of the language
reference, then the Kusto reference). Each runs a whole query through ``evaluate``."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import cmpivot_magic as cm

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


def services() -> pd.DataFrame:
    return pd.DataFrame({
        "Device": ["PC1", "PC1", "PC2", "PC3"],
        "Name": ["WinDefend", "Browser", "windefend", None],
        "State": ["Running", "Stopped", "Running", "Running"],
        "StartMode": ["Auto", "Auto", None, "Manual"],
    })


def run(query: str, **tables: pd.DataFrame) -> pd.DataFrame:
    return cm.evaluate(query, tables or {"Service": services()}, now=NOW)


# ------------------------------------------------------------------------------------- case


def test_string_equality_is_case_insensitive_in_cmpivot() -> None:
    """§9.2: ==, != compare strings case-insensitively in the cmpivot dialect ('windefend'
    finds WinDefend, as community queries rely on)."""
    assert run("Service | where Name == 'WINDEFEND' | project Device")["Device"].tolist() == ["PC1", "PC2"]
    assert run("Service | where Name != 'windefend' | project Device")["Device"].tolist() == ["PC1"]


def test_string_equality_is_case_sensitive_in_kql() -> None:
    """Kusto: == on strings is case-sensitive; =~ is the case-insensitive form."""
    t = {"T": services()}
    assert cm.evaluate("T | where Name == 'windefend' | project Device", t, dialect="kql")["Device"].tolist() == ["PC2"]
    assert cm.evaluate("T | where Name =~ 'windefend' | project Device", t, dialect="kql")["Device"].tolist() == [
        "PC1", "PC2"]


def test_names_are_case_insensitive_and_keep_the_schema_spelling() -> None:
    """§9.1: entity, column, function and keyword names are case-insensitive; output columns keep
    the schema's canonical spelling."""
    out = run("service | WHERE name == 'browser' | PROJECT device, STATE")
    assert list(out.columns) == ["Device", "State"]
    assert out.values.tolist() == [["PC1", "Stopped"]]


def test_ordering_of_strings_is_case_insensitive_in_cmpivot() -> None:
    """§9.2: order by on strings compares case-folded text; ties keep input order."""
    out = run("Service | where isnotnull(Name) | order by Name asc | project Name")
    assert out["Name"].tolist() == ["Browser", "WinDefend", "windefend"]


# ------------------------------------------------------------------------------------- like


def test_like_is_whole_string_sql_like_case_insensitive() -> None:
    """§9.3: like matches the whole string; % is any run, _ one character; case-insensitive."""
    assert run("Service | where Name like 'win%' | project Device")["Device"].tolist() == ["PC1", "PC2"]
    assert run("Service | where Name like 'win' | project Device").empty
    assert run("Service | where Name like '_rowser' | project Device")["Device"].tolist() == ["PC1"]
    assert run("Service | where Name !like '%def%' | project Device")["Device"].tolist() == ["PC1"]


def test_like_percent_matches_every_non_null_string() -> None:
    """§4.2: `like '%'` is how queries say "all": every non-null string matches, null does not."""
    assert len(run("Service | where Name like '%'")) == 3


# ------------------------------------------------------------------------------------- nulls


def test_comparison_with_null_is_never_true_even_not_equal() -> None:
    """§4.2/§9.15: a comparison with a null operand does not yield true, so where drops the row —
    for == and for != alike."""
    assert run("Service | where StartMode != 'Auto' | project Device")["Device"].tolist() == ["PC3"]
    assert run("Service | where StartMode == 'Auto' | project Device")["Device"].tolist() == ["PC1", "PC1"]


def test_isnull_tests_null_and_empty_string_is_not_null() -> None:
    """§4.2: every column type, strings included, is nullable; isnull('') is false."""
    t = {"Service": pd.DataFrame({"Device": ["A", "B", "C"], "Name": ["x", "", None]})}
    out = cm.evaluate("Service | project Device, n = isnull(Name), e = Name == ''", t)
    assert out["n"].tolist() == [False, False, True]


def test_tostring_of_null_is_empty_and_strcat_skips_null() -> None:
    """§5: tostring(null) is "" and strcat treats null arguments as ""."""
    out = run("Service | where Device == 'PC2' | project a = tostring(StartMode), b = strcat('x', StartMode, 'y')")
    assert out.values.tolist() == [["", "xy"]]


def test_outer_join_gaps_are_null() -> None:
    """§4.2: unmatched outer-join cells are null, not "" (CMPivot tests isnull(FileName))."""
    dev = pd.DataFrame({"Device": ["PC1", "PC2"], "Model": ["a", "b"]})
    file = pd.DataFrame({"Device": ["PC1"], "FileName": ["x.exe"]})
    out = cm.evaluate("Device | join kind=leftouter (File('c:\\x\\*')) | project Device, Found = iif(isnull(FileName), "
                      "'No', 'Yes')", {"Device": dev, "File": file})
    assert sorted(out.values.tolist()) == [["PC1", "Yes"], ["PC2", "No"]]


def test_aggregates_ignore_nulls_and_empty_groups_have_kusto_defaults() -> None:
    """§6.1: count() counts rows; dcount, min, max, avg ignore nulls; sum of nothing is 0."""
    out = run("Service | summarize count(), dcount(StartMode)")
    assert out.values.tolist() == [[4, 2]]
    empty = run("Service | where Device == 'nobody' | summarize count(), sum(strlen(Name))")
    assert empty.values.tolist() == [[0, 0]]


def test_summarize_groups_null_keys_together() -> None:
    """Kusto: null is a group key like any other value."""
    out = run("Service | summarize count() by StartMode")
    assert dict(zip(out["StartMode"].fillna("<null>"), out["count_"], strict=True)) == {
        "Auto": 2, "<null>": 1, "Manual": 1}


# ------------------------------------------------------------------------------------- naming


def test_unnamed_aggregates_are_named_aggname_underscore() -> None:
    """§9.4: CMPivot names count() count_, dcount(Device) dcount_, sum(x) sum_ — never sum_x."""
    out = run("Service | summarize count(), dcount(Device), countif(State == 'Running') by Device")
    assert list(out.columns) == ["Device", "count_", "dcount_", "countif_"]


def test_kql_dialect_uses_kusto_aggregate_names() -> None:
    """Kusto names unaliased aggregates <fn>_<column> (sum_x, dcount_x), countif_ for predicates."""
    t = {"T": pd.DataFrame({"x": [1, 2, 2]})}
    out = cm.evaluate("T | summarize count(), sum(x), dcount(x), countif(x > 1)", t, dialect="kql")
    assert list(out.columns) == ["count_", "sum_x", "dcount_x", "countif_"]


def test_unnamed_function_in_by_is_named_after_the_function() -> None:
    """§9.4: an unaliased function call in `by` (or project) is named after the function: iif,
    strcat, bin — a duplicate gets a numeric suffix."""
    out = run("Service | summarize count() by iif(State == 'Running', 'up', 'down'), strcat(Device, '')")
    assert list(out.columns) == ["iif", "strcat", "count_"]


def test_duplicate_names_get_the_smallest_free_suffix() -> None:
    """Kusto: a repeated name becomes name1, name2…; so do right-side join columns (Value1, Key1)."""
    reg = pd.DataFrame({"Device": ["A"], "Key": ["k"], "Property": ["p"], "Value": ["1"]})
    out = cm.evaluate("Registry('hklm:\\x') | join (Registry('hklm:\\x')) | join (Registry('hklm:\\x'))",
                      {"Registry": reg})
    assert list(out.columns) == ["Device", "Key", "Property", "Value", "Key1", "Property1", "Value1",
                                 "Key2", "Property2", "Value2"]


# ------------------------------------------------------------------------------------- joins


def test_join_matches_rows_of_the_same_device_and_keeps_all_left_rows() -> None:
    """§9.5: the default CMPivot join is inner on Device, every left×right pair of a device
    (not Kusto's innerunique), with one Device column."""
    dev = pd.DataFrame({"Device": ["PC1", "PC2"], "Model": ["m1", "m2"]})
    out = cm.evaluate("Service | join (Device | project Device, Model) | project Device, Name, Model",
                      {"Service": services(), "Device": dev})
    assert sorted(map(tuple, out.fillna("").values.tolist())) == [
        ("PC1", "Browser", "m1"), ("PC1", "WinDefend", "m1"), ("PC2", "windefend", "m2")]


def test_device_survives_project_for_a_later_join() -> None:
    """§9.6: a hidden device key survives project, so `(Device | project UserName)` still joins
    on Device (HUB06)."""
    dev = pd.DataFrame({"Device": ["PC1", "PC2"], "UserName": ["u1", "u2"]})
    out = cm.evaluate("Service | where Name == 'browser' | project Device, Name | join (Device | project UserName)",
                      {"Service": services(), "Device": dev})
    assert out.values.tolist() == [["PC1", "Browser", "u1"]]
    assert "__device__" not in cm.parse("Device | project UserName").output_schema


def test_outer_join_coalesces_device() -> None:
    """§9.5: for rightouter/fullouter joins, Device is the left device, else the right one."""
    reg = pd.DataFrame({"Device": ["PC1"], "Key": ["k"], "Property": ["UseLogonCredential"], "Value": ["1"]})
    dev = pd.DataFrame({"Device": ["PC1", "PC2"], "Domain": ["D", "D"]})
    out = cm.evaluate("Registry('hklm:\\x') | join kind=rightouter Device | project Device, Value, Domain",
                      {"Registry": reg, "Device": dev})
    assert sorted(out.fillna("").values.tolist()) == [["PC1", "1", "D"], ["PC2", "", "D"]]


# ------------------------------------------------------------------------------------- ordering


def test_order_by_defaults_to_descending_with_nulls_last() -> None:
    """§9.8: order by and top default to desc; desc puts nulls last, asc puts them first."""
    t = {"T": pd.DataFrame({"a": [2, None, 3, 1]}, dtype="Int64")}
    assert cm.evaluate("T | order by a", t, dialect="kql")["a"].tolist()[:3] == [3, 2, 1]
    assert pd.isna(cm.evaluate("T | order by a asc", t, dialect="kql")["a"].iloc[0])
    assert cm.evaluate("T | top 2 by a", t, dialect="kql")["a"].tolist() == [3, 2]


# ------------------------------------------------------------------------------------- time


def test_ago_and_now_read_one_injectable_utc_clock() -> None:
    """§5: now() is the query's single clock reading (UTC); ago(x) is now() - x."""
    out = cm.evaluate("print n = now(), a = ago(1d), d = now() - ago(2h)", dialect="kql", now=NOW)
    assert out["n"][0] == pd.Timestamp(NOW)
    assert out["a"][0] == pd.Timestamp(NOW - dt.timedelta(days=1))
    assert out["d"][0] == pd.Timedelta(hours=2)


def test_datetimes_are_utc() -> None:
    """§9.14: datetimes are UTC; a naive input datetime is taken as UTC."""
    t = {"OperatingSystem": pd.DataFrame({"Device": ["A"], "LastBootUpTime": [pd.Timestamp("2026-11-20 08:00")]})}
    out = cm.evaluate("OperatingSystem | where LastBootUpTime > ago(7d)", t, now=NOW)
    assert str(out["LastBootUpTime"].dt.tz) == "UTC"


def test_bin_of_a_datetime_floors_to_the_bucket_from_the_epoch() -> None:
    """§5: bin(LastBootUpTime, 1d) is midnight UTC of that day."""
    t = {"OperatingSystem": pd.DataFrame({"Device": ["A", "B", "C"], "LastBootUpTime": pd.to_datetime(
        ["2026-11-20 08:00", "2026-11-20 23:59", "2026-11-21 00:00"], utc=True)})}
    out = cm.evaluate("OperatingSystem | summarize count() by bin(LastBootUpTime, 1d) | order by bin asc", t)
    assert out.values.tolist() == [[pd.Timestamp("2026-11-20", tz="UTC"), 2], [pd.Timestamp("2026-11-21", tz="UTC"), 1]]


def test_timespan_literals_and_arithmetic() -> None:
    """§1.1/§4.2: timespan units d h m s ms; datetime - datetime is a timespan; timespan / timespan
    is a real; datetime + timespan is a datetime."""
    out = cm.evaluate("print a = 1d + 2h + 30m + 15s + 250ms, b = 1h / 30m, c = datetime(2020-01-01) + 1.5h",
                      dialect="kql")
    assert out["a"][0] == pd.Timedelta(days=1, hours=2, minutes=30, seconds=15, milliseconds=250)
    assert out["b"][0] == pytest.approx(2.0)
    assert out["c"][0] == pd.Timestamp("2020-01-01 01:30", tz="UTC")


def test_integer_division_truncates_toward_zero() -> None:
    """§4.2: long / long is a long, truncated toward zero (avg(BootDuration / 1000))."""
    out = cm.evaluate("print a = 7 / 2, b = -7 / 2, c = 7.0 / 2", dialect="kql")
    assert out.values.tolist() == [[3, -3, 3.5]]


@pytest.mark.parametrize(("start", "stop", "step"), [
    (1, 10, 3), (10, 1, -3), (10, 2, -3), (1, 1, 1), (5, 1, 1), (1, 5, -1), (-5, 5, 2), (0, 9, 1),
])
def test_range_runs_from_start_to_an_inclusive_stop_in_either_direction(start: int, stop: int, step: int) -> None:
    """range x from a to b step s: a, a+s, … while not past b (b itself included when on the
    grid); a step away from b gives no rows."""
    want, x = [], start
    while (x <= stop) if step > 0 else (x >= stop):
        want.append(x)
        x += step
    got = cm.evaluate(f"range x from {start} to {stop} step {step}", dialect="kql")
    assert got["x"].tolist() == want
    assert str(got["x"].dtype) == "Int64"


def test_range_of_datetimes_steps_by_a_timespan() -> None:
    got = cm.evaluate("range t from datetime(2026-01-01) to datetime(2026-01-01 03:00) step 1h", dialect="kql")
    assert got["t"].tolist() == [pd.Timestamp(f"2026-01-01 0{h}:00", tz="UTC") for h in range(4)]


def test_range_refuses_more_than_ten_million_rows() -> None:
    with pytest.raises(cm.CMPivotError, match="more than 10,000,000 rows"):
        cm.evaluate("range x from 1 to 20000000 step 1", dialect="kql")
