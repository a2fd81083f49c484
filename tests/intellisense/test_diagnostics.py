"""Diagnostics are the parser's and planner's own errors, as ranges of the whole cell."""

from __future__ import annotations

import pytest

from cmpivot_magic.catalog import Catalog
from cmpivot_magic.intellisense import Diagnostic, diagnostics

H = "%%cmpivot\n"


def test_a_good_cell_has_none() -> None:
    assert diagnostics(H + "Process | summarize count() by Name | top 5 by count_") == []


def test_an_unknown_column_is_underlined_where_it_is_in_the_cell() -> None:
    cell = H + "Process\n| where Nme == 'x'"
    [d] = diagnostics(cell)
    assert cell[d.start:d.end] == "Nme"
    assert d.severity == "error" and "did you mean 'Name'" in d.message


def test_a_syntax_error_points_into_the_cell_past_the_magic_line() -> None:
    cell = "%%cmpivot --connection demo://\nProcess | where Name == 'x' Name"
    [d] = diagnostics(cell)
    assert d.start > cell.index("\n") and cell[d.start:d.end] == "Name"


def test_a_query_ending_after_a_pipe_marks_the_last_character() -> None:
    cell = H + "Process | "
    [d] = diagnostics(cell)
    assert (d.start, d.end) == (len(H) + 8, len(H) + 9)


def test_kql_only_operators_are_errors_in_a_cmpivot_cell() -> None:
    cell = H + "Process | extend x = 1"
    [d] = diagnostics(cell)
    assert cell[d.start:d.end] == "extend"


def test_interpolations_never_make_a_false_error() -> None:
    assert diagnostics(H + "Process | where Name in ({names}) and WorkingSetSize > {limit}") == []
    assert diagnostics(H + "Registry({path}) | where Property == '{prop}'") == []
    assert diagnostics(H + "Process | where Name == {name} | take {n}") == []
    assert diagnostics(H + "Process | where x == {{") != []  # a literal brace is text, and wrong here


def test_an_empty_or_comment_only_cell_is_not_flagged_while_typing() -> None:
    assert diagnostics(H) == []
    assert diagnostics(H + "// later\n") == []


def test_unknown_magic_options_are_warnings() -> None:
    cell = "%%cmpivot --conection demo://\nProcess"
    assert diagnostics(cell) == [Diagnostic(10, 21, "%%cmpivot has no option --conection", "warning")]
    assert diagnostics("%%cmpivot -c demo:// -o out --explain\nProcess") == []


def test_a_sites_class_is_not_an_error_once_the_connection_has_it(site: Catalog) -> None:
    cell = H + "ClientDiagnostics | where DebugLoggingEnabled == true"
    assert "unknown entity" in diagnostics(cell)[0].message
    assert diagnostics(cell, site) == []
    assert diagnostics(H + "ClientDiagnostics | where Nope == 1", site) != []


@pytest.mark.parametrize("tail", ["project-away LogLevel", "sort by LogLevel", "mv-expand LogLevel"])
def test_a_sites_class_gets_the_cmpivot_dialects_errors_too(site: Catalog, tail: str) -> None:
    """What running the cell rejects is underlined on a site's class as on a documented entity."""
    assert diagnostics(H + f"ClientDiagnostics | {tail}", site) != []
    assert diagnostics(H + f"Process | {tail.replace('LogLevel', 'Name')}", site) != []


def test_other_cells_are_not_queries() -> None:
    assert diagnostics("%%svg\n<svg/>") == []
    assert diagnostics("%cmpivot connect demo://") == []
