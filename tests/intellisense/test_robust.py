"""No text and no cursor makes the service raise: it answers while the user is mid-word, mid-string
or pasting anything."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cmpivot_magic.intellisense import complete, diagnostics, inspect

PIECES = ["%%cmpivot", "%cmpivot ", "\n", " ", "|", "(", ")", "'", '"', "@'", "//", "{x}", "{{", "}}", ",", "=",
          "==", "!", "Process", "where", "Name", "join", "kind", "summarize", "count()", "by", "render",
          "with", "in", "--connection", "Registry(", "1d", "[", "]", ".", "é", "\t"]

# warm up outside hypothesis: first use loads the grammar and the magic's parsers (a dependency
# raises the recursion limit then, which hypothesis would warn about)
complete("%%cmpivot --c\nProcess | where ", 12)
diagnostics("%%cmpivot --x\nProcess | where x")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25), st.integers(min_value=-2, max_value=400))
def test_any_cell_and_cursor_gets_an_answer(pieces: list[str], cursor: int) -> None:
    cell = "".join(pieces)
    found = complete(cell, cursor)
    assert 0 <= found.start <= found.end <= len(cell)
    inspect(cell, cursor)
    for d in diagnostics(cell):
        assert 0 <= d.start <= d.end <= len(cell) and d.severity in ("error", "warning")
