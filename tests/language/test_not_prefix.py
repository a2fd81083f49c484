"""``not`` applied without parentheses (issue 16): ``where not isnull(FileName)``, as a
Microsoft-published community hub query writes it, is ``not(isnull(FileName))`` — the same tree,
so the printed query (``not(...)``) reads back to it. ``not`` binds to one operand, like a sign."""

from __future__ import annotations

import pandas as pd
import pytest

import cmpivot_magic as cm
from cmpivot_magic.errors import CMPivotError


@pytest.mark.parametrize("text", [
    "File('c:\\\\windows\\\\*.ini') | where not isnull(FileName)",
    "Process | where not isnull(Name) and Name != 'x'",
    "Process | where not not isnull(Name)",
    "Process | where NOT (Name == 'a')",
    "Process | where not(Name == 'a') == true",
])
def test_not_without_parentheses_parses_and_round_trips(text: str) -> None:
    q = cm.parse(text)
    assert cm.parse(str(q)) == q


def test_not_without_parentheses_is_the_not_function() -> None:
    assert cm.parse("Process | where not isnull(Name)") == cm.parse("Process | where not(isnull(Name))")


def test_not_without_parentheses_filters_rows() -> None:
    table = pd.DataFrame({"Device": ["A", "A", "B"], "Name": ["x", None, "y"]})
    out = cm.evaluate("Process | where not isnull(Name)", {"Process": table})
    assert out["Name"].tolist() == ["x", "y"]


def test_not_binds_to_one_operand_and_a_wrong_operand_is_a_clear_error() -> None:
    with pytest.raises(CMPivotError, match="not\\(\\) expects a bool"):
        cm.parse("Process | where not Name startswith 'a'")


def test_what_cmpivot_does_not_document_is_still_rejected() -> None:
    with pytest.raises(CMPivotError):
        cm.parse("Process | where !isnull(Name)")
    with pytest.raises(CMPivotError, match="expected an expression"):
        cm.parse("Process | where not")
