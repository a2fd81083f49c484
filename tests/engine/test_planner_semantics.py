"""Semantic rules of the planner and evaluator that the external KQL corpus pinned down, one test
each, the rule in the docstring and the Kusto source it comes from."""

from __future__ import annotations

import pandas as pd

import cmpivot_magic as cm


def kql(query: str) -> pd.DataFrame:
    return cm.evaluate(query, dialect="kql")


def test_extend_item_reads_the_input_value_of_a_column_an_earlier_item_replaced() -> None:
    """Kusto tutorial (extend): in one extend, a name of an input column means the input value,
    even after an earlier item replaced it, so ``extend x = x + 1, y = x`` gives y the old x.
    A column an earlier item *added* is visible to later items."""
    out = kql("print x=1 | extend x = x + 1, y = x | extend x = x + 1")
    assert out.values.tolist() == [[3, 1]]
    out = kql("print x=1 | extend a = x * 10, b = a + 1, x = a")
    assert list(out.columns) == ["x", "a", "b"]
    assert out.values.tolist() == [[10, 10, 11]]


def test_an_exact_let_name_wins_over_a_column_matching_only_ignoring_case() -> None:
    """Kusto names are case-sensitive: with ``let region = "West"``, ``Region == region`` compares
    the column Region with the constant; the case-insensitive column match is a fallback only."""
    out = kql(
        'let region = "West"; datatable(Name:string, Region:string)["a", "West", "b", "East"] '
        "| where Region == region"
    )
    assert out.values.tolist() == [["a", "West"]]
    # with no let of that spelling, a column still resolves ignoring case
    assert kql('datatable(Name:string)["a"] | project name').values.tolist() == [["a"]]


def test_mv_expand_keeps_a_null_as_one_row_and_drops_an_empty_array() -> None:
    """Kusto (mv-expand, Returns): a null dynamic value makes one record holding null; an empty
    array or property bag makes no record."""
    out = kql(
        "datatable(a:int, b:dynamic)[1, dynamic(null), 2, dynamic([]), 3, dynamic({}), 4, dynamic([5, 6])] "
        "| mv-expand with_itemindex=i b"
    )
    rows = [[a, None if pd.isna(b) else b, i] for a, b, i in out.values.tolist()]
    assert rows == [[1, None, 0], [4, 5, 0], [4, 6, 1]]
