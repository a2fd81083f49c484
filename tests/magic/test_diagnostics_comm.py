"""``cell_diagnostics``: what the JupyterLab extension underlines as you type, as a pure function.

Offsets are code points into the whole cell, placeholders do not shift them, other cells get
nothing. test_diagnostics_channel.py drives the same answers through a real kernel's comm.
"""

from __future__ import annotations

import pytest

from cmpivot_magic.magic.diagnostics_comm import cell_diagnostics


def underlined(code: str) -> list[tuple[str, str]]:
    return [(code[d["from"]:d["to"]], d["message"].splitlines()[0]) for d in cell_diagnostics(code)]


def test_a_valid_query_has_no_diagnostics() -> None:
    assert cell_diagnostics("%%cmpivot --limit 5\nProcess | where Name contains 'svc' | take 3") == []


def test_a_misspelt_table_operator_is_underlined_with_a_suggestion() -> None:
    code = "%%cmpivot\nProcess | wher Name == 'x'"
    [d] = cell_diagnostics(code)
    assert code[d["from"]:d["to"]] == "wher"
    assert d["severity"] == "error"
    assert d["message"] == "unknown table operator 'wher'\ndid you mean 'where'?"


def test_unknown_entity_and_column_are_underlined_where_they_are() -> None:
    assert underlined("%%cmpivot\nProces | take 1") == [("Proces", "unknown entity 'Proces'")]
    assert underlined("%%cmpivot\n\nService\n| summarize count() by Device\n| where Name == 'x'") == [
        ("Name", "unknown column 'Name'")]


def test_a_query_that_stops_short_marks_its_last_character() -> None:
    [(text, message)] = underlined("%%cmpivot\nProcess | where Name ==")
    assert text == "=" and message.startswith("the query ends after '=='")


def test_offsets_are_code_points_after_astral_characters() -> None:
    code = "%%cmpivot\n// 🚀 rocket 🚀\nProcess | wher Name"
    [d] = cell_diagnostics(code)
    assert code[d["from"]:d["to"]] == "wher"  # Python indices are code points: 🚀 counts once
    assert d["from"] == code.index("wher")


def test_placeholders_keep_offsets_and_are_not_guessed_at() -> None:
    assert cell_diagnostics("%%cmpivot\nProcess | where ProcessId > {pid} and Name == '{name}'") == []
    code = "%%cmpivot\nProcess | where Name == {name} | wher x"
    assert underlined(code) == [("wher", "unknown table operator 'wher'")]
    assert underlined("%%cmpivot\nProcess | where Name == {{ | take 1")[0][1].startswith("unexpected")


@pytest.mark.parametrize("code", ["print('hello')", "%%cmpivot", "%%cmpivot --limit 3\n   \n", "%%sql\nselect 1",
                                  "%cmpivot connect demo://"])
def test_other_cells_and_empty_queries_get_nothing(code: str) -> None:
    assert cell_diagnostics(code) == []


def test_odd_text_never_raises() -> None:
    for code in ["%%cmpivot\n'unterminated", "%%cmpivot\n)))", "%%cmpivot\n\x00", "%%cmpivot\n{", "%%cmpivot\n| |"]:
        assert all(0 <= d["from"] < d["to"] <= len(code) for d in cell_diagnostics(code))
