"""Completion contexts: what the grammar accepts at the cursor decides the kind of item, the planner's
schema of the steps before decides which columns."""

from __future__ import annotations

import pytest

from cmpivot_magic.catalog import Catalog
from cmpivot_magic.intellisense import Completions, complete

H = "%%cmpivot\n"


def at_end(body: str, catalog: Catalog | None = None) -> Completions:
    cell = H + body
    return complete(cell, len(cell), catalog)


def test_entities_start_a_query_with_parameters_in_the_detail() -> None:
    found = at_end("Event")
    assert found.of_type("entity") == ["EventLog"]
    assert found.items[0].detail == "EventLog(log: string[, span: timespan = 1d])"
    assert (found.start, found.end) == (len(H), len(H) + 5)


def test_a_sites_own_classes_are_offered_once_the_connection_has_them(site: Catalog) -> None:
    assert "ClientDiagnostics" not in at_end("Client").labels
    assert "ClientDiagnostics" in at_end("Client", site).labels


def test_table_operators_after_a_pipe_are_cmpivots_own() -> None:
    found = at_end("Process | ")
    assert found.of_type("keyword") == ["where", "project", "summarize", "count", "distinct", "join", "order by",
                                       "take", "top", "render"]
    assert "extend" not in found.labels  # the kql dialect's, not CMPivot's
    assert at_end("Process | su").labels == ["summarize"]


def test_columns_after_where_are_the_entitys() -> None:
    found = at_end("LogicalDisk | where ")
    columns = found.of_type("column")
    assert columns[:3] == ["Device", "DeviceID", "Name"]
    detail = {i.label: i.detail for i in found.items}
    assert detail["FreeSpace"] == "long (MegaBytes)"
    assert "ago" in found.of_type("function")


def test_columns_after_summarize_include_count_and_nothing_dropped() -> None:
    found = at_end("Process | summarize count(), dcount(ProcessId) by Name | where ")
    assert found.of_type("column") == ["Name", "count_", "dcount_"]


def test_columns_after_project_are_the_projected_and_renamed_ones() -> None:
    found = at_end("Process | project Proc = Name, WorkingSetSize | order by ")
    assert found.of_type("column") == ["Proc", "WorkingSetSize"]


def test_join_suffixes_the_right_sides_clashing_columns() -> None:
    found = at_end("Process | join (OperatingSystem) | join kind=leftouter ComputerSystem | where Name")
    assert found.of_type("column") == ["Name", "Name1", "Name2"]
    found = at_end("Process | join OperatingSystem | where Manu")
    assert found.of_type("column") == ["Manufacturer"]


def test_inside_a_join_the_right_pipelines_columns_are_offered() -> None:
    found = at_end("Process | join kind=leftouter (OperatingSystem | where Ca")
    assert found.of_type("column") == ["Caption"]


def test_a_sites_class_has_its_columns(site: Catalog) -> None:
    found = at_end("ClientDiagnostics | where ", site)
    assert found.of_type("column") == ["Device", "DebugLoggingEnabled", "LogLevel", "HistoryMB"]
    assert {i.label: i.detail for i in found.items}["HistoryMB"] == "long (MegaBytes)"


def test_a_sites_class_aggregate_has_the_name_running_it_gives(site: Catalog) -> None:
    """CMPivot names an unnamed aggregate ``sum_`` (the kql dialect would say ``sum_LogLevel``)."""
    found = at_end("ClientDiagnostics | summarize sum(LogLevel) by Device | where ", site)
    assert found.of_type("column") == ["Device", "sum_"]


def test_scalar_operators_follow_an_expression() -> None:
    ops = at_end("Process | where Name ").of_type("operator")
    assert {"==", "!=", "contains", "startswith", "endswith", "like", "in", "!in", "has", "between"} <= set(ops)
    assert "contains_cs" not in ops  # kql dialect only
    assert at_end("Process | where Name !cont").labels == ["!contains"]
    assert {"and", "or"} <= set(at_end("Process | where Name == 'x' ").of_type("keyword"))


def test_summarize_offers_aggregations_with_signatures_then_by() -> None:
    found = at_end("Process | summarize ")
    assert found.of_type("aggregation")[:3] == ["avg", "count", "countif"]
    assert "Name" not in found.labels and "strlen" not in found.labels
    assert "by" in found.of_type("keyword")
    assert {i.label: i.detail for i in found.items}["percentile"] == "percentile(expr, percentile: real)"
    assert at_end("Process | summarize Total = su").labels == ["sum", "sumif"]


def test_after_by_and_inside_an_aggregation_columns_and_scalar_functions() -> None:
    after_by = at_end("Process | summarize count() by ")
    assert "Name" in after_by.of_type("column") and "bin" in after_by.of_type("function")
    assert not after_by.of_type("aggregation")
    inside = at_end("Process | summarize sum(Work")
    assert inside.labels == ["WorkingSetSize"]


def test_functions_carry_their_signature() -> None:
    found = at_end("Process | where isn")
    assert found.of_type("function") == ["isnotnull", "isnull"]
    assert found.items[1].detail == "isnull(value) → bool"
    assert at_end("Process | project d = datetime_d").items[0].detail.startswith("datetime_diff(period")


def test_order_by_offers_sort_keywords_after_a_column() -> None:
    assert {"asc", "desc", "nulls first", "nulls last"} <= set(at_end("Process | order by Name ").labels)
    assert at_end("Process | order ").labels == ["by"]


def test_distinct_offers_only_columns_and_take_no_names() -> None:
    assert at_end("OS | distinct Ver").labels == ["Version"]
    assert not at_end("Process | take ").of_type("column")


def test_join_kind_values_and_the_right_entity() -> None:
    assert at_end("Process | join kind=").of_type("value")[:3] == ["inner", "leftouter", "rightouter"]
    assert at_end("Process | join kind=left").labels == ["leftouter", "leftanti", "leftsemi"]
    assert "kind=" in at_end("Process | join ").labels
    assert "OperatingSystem" in at_end("Process | join kind=inner (Oper").labels
    assert "OperatingSystem" in at_end("Process | join Oper").labels


def test_render_kinds_properties_and_values() -> None:
    assert at_end("Process | render ").of_type("value")[:4] == ["barchart", "columnchart", "piechart", "timechart"]
    assert at_end("Process | render barchart ").labels == ["with"]
    props = at_end("Process | render barchart with (").of_type("property")
    assert {"title", "xtitle", "ytitle", "kind", "legend"} <= set(props)
    assert at_end("Process | render barchart with (title='t', kind=").labels == [
        "default", "unstacked", "stacked", "stacked100"]
    assert at_end("Process | render barchart with (legend=").labels == ["visible", "hidden"]


def test_nothing_inside_strings_comments_and_entity_arguments() -> None:
    assert at_end("Process | where Name == 'sv").items == ()
    assert at_end("Process // pri").items == ()
    assert at_end("Registry(").items == ()


def test_interpolations_are_literals_to_the_grammar() -> None:
    assert at_end("Process | where Name in ({names}) and Proc").labels == ["ProcessId"]
    assert at_end("Process | where Name == '{name}' | project Na").labels == ["Name"]


def test_an_error_further_up_falls_back_to_the_last_step_that_plans() -> None:
    assert at_end("Process | where Nme == 1 | where Proc").labels == ["ProcessId"]
    assert "Name" in at_end("Process | where ((( | where Na").labels


def test_magic_options_on_the_first_line() -> None:
    cell = "%%cmpivot --conn"
    found = complete(cell, len(cell))
    assert found.labels == ["--connection"] and found.items[0].type == "option"
    assert (found.start, found.end) == (10, 16)
    assert set(complete("%%cmpivot -c demo:// --", 23).labels) >= {"--device", "--explain", "--output"}
    assert complete("%%cmpivot -c demo:// --x\nProcess", 24).labels == []


@pytest.mark.parametrize(("cell", "expected"), [
    ("%cmpivot sch", ["schema"]),
    ("%cmpivot schema Processo", ["Processor"]),
    ("%cmpivot connect --pro", ["--profile"]),
    ("%cmpivot help oper", ["operators"]),
    ("x = 1\n%cmpivot Process | where Proc", ["ProcessId"]),
])
def test_line_magic_subcommands_and_their_arguments(cell: str, expected: list[str]) -> None:
    assert complete(cell, len(cell)).labels == expected


def test_completion_mid_cell_uses_only_the_text_before_the_cursor() -> None:
    cell = H + "Process | where Na | take 5"
    found = complete(cell, cell.index(" | take"))
    assert found.labels == ["Name"]
    assert cell[found.start:found.end] == "Na"


def test_every_cursor_of_a_query_answers_without_raising() -> None:
    cell = H + "Process | where Name contains 'x' and isnull(Size) | summarize c = count() by bin(Date, 1d) " \
               "| join kind=leftouter (OS | project Device, V = Version) | render barchart with (title='t')"
    for cursor in range(len(cell) + 1):
        complete(cell, cursor)
