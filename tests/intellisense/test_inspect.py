"""Shift+Tab: entity docs, a column's type, unit and origin, signatures and operator syntax."""

from __future__ import annotations

from cmpivot_magic.catalog import Catalog
from cmpivot_magic.intellisense import Inspection, inspect

H = "%%cmpivot\n"


def on(body: str, word: str, catalog: Catalog | None = None, nth: int = 0) -> Inspection | None:
    cell = H + body
    at = -1
    for _ in range(nth + 1):
        at = cell.index(word, at + 1)
    return inspect(cell, at + 1, catalog)


def test_an_entity_shows_description_columns_units_flag_and_example() -> None:
    found = on("LogicalDisk | take 5", "LogicalDisk")
    assert found is not None
    assert "| FreeSpace | long | MegaBytes |" in found.markdown
    assert "PowerShell 5 required: no" in found.text
    assert "Example: LogicalDisk | take 10" in found.text
    assert found.bundle().keys() == {"text/markdown", "text/plain"}


def test_a_parameterised_powershell5_entity() -> None:
    assert "PowerShell 5 required: yes" in on("Administrators", "Administrators").text
    found = on("Process | join kind=leftouter (EventLog('System') | take 1)", "EventLog")
    assert found.text.startswith("EventLog(log: string[, span: timespan = 1d]) (entity)")
    assert "Example: EventLog(" in found.text


def test_a_sites_class_is_documented_from_the_connections_catalog(site: Catalog) -> None:
    assert on("ClientDiagnostics", "ClientDiagnostics") is None
    assert "HistoryMB: long (MegaBytes)" in on("ClientDiagnostics", "ClientDiagnostics", site).text


def test_a_column_says_its_type_unit_and_entity() -> None:
    found = on("LogicalDisk | where FreeSpace > 10", "FreeSpace")
    assert found.text == "FreeSpace (column): long, in MegaBytes\nfrom LogicalDisk"


def test_count_says_which_summarize_made_it() -> None:
    found = on("Process | summarize count() by Name | where count_ > 1", "count_")
    assert "made by summarize count()" in found.text


def test_a_join_suffix_says_what_it_renames() -> None:
    found = on("Process | join OperatingSystem | where Name1 == 'x'", "Name1")
    assert "Name of OperatingSystem, renamed Name1 by a join" in found.text


def test_a_computed_column_shows_its_expression() -> None:
    found = on("Process | project Mb = WorkingSetSize / 1048576 | where Mb > 1", "Mb", nth=1)
    assert "computed: Mb = WorkingSetSize / 1048576" in found.text


def test_functions_and_aggregations_show_signature_and_meaning() -> None:
    found = on("Process | where isnull(Name)", "isnull")
    assert found.text == "isnull — function\nisnull(value) → bool\ntrue when the value is null ('' is not null)"
    found = on("Process | summarize dcount(Name)", "dcount")
    assert "aggregation (inside summarize)" in found.text and "dcount(expr[, accuracy])" in found.text


def test_table_operators_show_their_syntax() -> None:
    found = on("Process | summarize count() by Name", "summarize")
    assert "T | summarize [Name =] Aggregation(...)" in found.markdown
    assert "T | join [kind=leftouter]" in on("Process | join OS", "join").text


def test_scalar_operators_show_their_syntax() -> None:
    assert "like 'pattern'" in on("Process | where Name like 'svc%'", "like").text
    assert "Value in ('a', 'b', ...)" in on("Process | where Name in ('a')", "in (").text
    assert "string 'contains'" in on("Process | where Name contains 'x'", "contains").text


def test_render_kinds_properties_and_join_kinds() -> None:
    assert on("Process | render piechart", "piechart").text.startswith("render piechart")
    assert "visible, hidden" in on("Process | render barchart with (legend=hidden)", "legend").text
    assert "every left row" in on("Process | join kind=leftouter OS", "leftouter").text


def test_options_and_subcommands() -> None:
    found = inspect("%%cmpivot --connection demo://\nProcess", 14)
    assert found is not None and "URL, or a name" in found.text
    found = inspect("%cmpivot schema Process", 11)
    assert found is not None and "The columns of one entity" in found.text


def test_nothing_inside_a_string_or_for_an_unknown_word() -> None:
    assert on("Process | where Name == 'Process'", "Process", nth=1) is None
    assert on("Process | where print == 1", "print") is None
