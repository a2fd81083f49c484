"""Terminal IPython: the context matcher answers %%cmpivot cells and suppresses Python's names."""

from __future__ import annotations

from typing import Any

from IPython.core.completer import provisionalcompleter


def completions(shell: Any, code: str) -> list[Any]:
    with provisionalcompleter():
        return list(shell.Completer.completions(code, len(code)))


def test_columns_and_nothing_else_for_a_cmpivot_cell(shell: Any) -> None:
    found = completions(shell, "%%cmpivot\nProcess | where Na")
    assert [c.text for c in found] == ["Name"]
    assert found[0].type == "column"
    assert found[0].start == len("%%cmpivot\nProcess | where ")


def test_python_cells_still_complete_python(shell: Any) -> None:
    assert "print" in [c.text for c in completions(shell, "pri")]


def test_the_current_connections_catalog_is_used_when_it_has_one(shell: Any, site: Any) -> None:
    """A connection whose session carries a site catalog offers the site's classes; the magic's
    connections are put back afterwards (no connection is opened to ask)."""
    from types import SimpleNamespace

    magic = shell.magics_manager.registry["CMPivotMagic"]
    saved = dict(magic.sessions), magic.current
    try:
        magic.sessions["lab"] = SimpleNamespace(catalog=site)  # Session gains .catalog elsewhere
        magic.current = "lab"
        assert [c.text for c in completions(shell, "%%cmpivot\nClientD")] == ["ClientDiagnostics"]
    finally:
        magic.sessions, magic.current = saved
    current, magic.current = magic.current, None  # no connection: the documented list (demo:// has the class)
    try:
        assert [c.text for c in completions(shell, "%%cmpivot\nClientD")] == []
    finally:
        magic.current = current
