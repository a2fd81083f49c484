"""The corpus harness (tests/engine/corpus.py): the published-cell normalisations the corpus
README asks for, one test per kind of tricky cell, and the row comparisons."""

from __future__ import annotations

import datetime as dt
from typing import Any

import corpus
import pandas as pd
import pytest
from corpus import actual_cell, cells_equal, expected_cell

import cmpivot_magic as cm


def same(text: str, value: Any, kind: str, *, sets: bool = False) -> bool:
    return cells_equal(expected_cell(text, kind, sets=sets), actual_cell(value, kind, sets=sets))


def test_markdown_artefacts_are_stripped() -> None:
    """Backticks around a cell, `\\|` for a pipe, and `<br>` inside pretty-printed dynamics."""
    assert same("`Wow!`", "Wow!", "string")
    assert same(r"""\n.*(>\|'\|=\|"){86}""", r"""\n.*(>|'|=|"){86}""", "string")  # msdocs-string-L106
    assert same('`["prop1","a1"]`', ["prop1", "a1"], "dynamic")
    assert same('{<br>  "key1": "value3",<br>  "key2": 5<br>}', {"key2": 5, "key1": "value3"}, "dynamic")


@pytest.mark.parametrize("text", ["", "null", "(null)"])
def test_null_spellings_are_null_in_every_type_but_string(text: str) -> None:
    for kind, missing in [
        ("long", pd.NA),
        ("real", float("nan")),
        ("datetime", pd.NaT),
        ("timespan", pd.NaT),
        ("bool", pd.NA),
        ("dynamic", None),
    ]:
        assert same(text, missing, kind), kind
    assert not same(text, 0, "long")


def test_a_string_is_never_null_so_null_and_empty_print_alike() -> None:
    """Kusto strings are not nullable: KustoLoco's `(null)` and an empty cell both mean ''."""
    assert same("(null)", "", "string")
    assert same("", None, "string")
    assert same("", float("nan"), "string")  # pandas 3 spells a missing str as NaN
    assert not same("null", "", "string")  # in a string column 'null' is text


@pytest.mark.parametrize(
    "text",
    ["2017-10-01 00:00:00.0000000", "2017-10-01T00:00:00Z", "2017-10-01T00:00:00.0000000", "2017-10-01"],
)
def test_datetime_spellings_compare_as_instants(text: str) -> None:
    assert same(text, pd.Timestamp("2017-10-01", tz="UTC"), "datetime")
    assert not same(text, pd.Timestamp("2017-10-01 00:00:01", tz="UTC"), "datetime")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("4.00:00:00", dt.timedelta(days=4)),
        ("00:03:00", dt.timedelta(minutes=3)),
        ("-1.02:03:04.5000000", -dt.timedelta(days=1, hours=2, minutes=3, seconds=4.5)),
        ("00:00:00.0000100", dt.timedelta(microseconds=10)),
    ],
)
def test_timespan_spellings(text: str, value: dt.timedelta) -> None:
    assert same(text, pd.Timedelta(value), "timespan")


def test_reals_compare_numerically() -> None:
    assert same("5", 5.0, "real")
    assert same("118", 118.0, "real")
    assert same("0.333333", 1 / 3, "real")  # published reals are rounded for display
    assert not same("0.33", 1 / 3, "real")
    assert same("5", 5, "long")
    assert not same("5", 6, "long")


def test_booleans_in_either_case() -> None:
    assert same("True", True, "bool")
    assert same("false", False, "bool")
    assert not same("true", False, "bool")


def test_dynamic_values_compare_as_parsed_json() -> None:
    assert same('["George", "Ringo"]', ["George", "Ringo"], "dynamic")
    assert same("[5.0]", [5], "dynamic")
    assert same("a1", "a1", "dynamic")  # a dynamic string published without quotes
    assert same("10", 10, "dynamic")
    assert not same('["Ringo", "George"]', ["George", "Ringo"], "dynamic")  # arrays keep order
    assert not same("true", 1, "dynamic")  # JSON true is not 1


def test_make_set_arrays_compare_as_sets() -> None:
    assert same('["b", "a", 1.0]', ["a", 1, "b"], "dynamic", sets=True)
    assert not same('["a", "b"]', ["a", "c"], "dynamic", sets=True)


def test_rows_are_a_multiset_unless_order_matters() -> None:
    rows = [(1, "a"), (2, "b"), (2, "b")]
    assert corpus.multiset_equal(rows, [(2, "b"), (1, "a"), (2, "b")])
    assert not corpus.multiset_equal(rows, [(2, "b"), (1, "a"), (1, "a")])
    assert not corpus.ordered_equal(rows, [(2, "b"), (1, "a"), (2, "b")])


def test_ordered_rows_may_swap_only_within_a_tie_of_the_sort_keys() -> None:
    expected = [(1, "x"), (2, "y"), (2, "z"), (3, "w")]
    assert corpus.ordered_equal(expected, [(1, "x"), (2, "z"), (2, "y"), (3, "w")], keys=[0])
    assert not corpus.ordered_equal(expected, [(2, "y"), (1, "x"), (2, "z"), (3, "w")], keys=[0])
    assert not corpus.ordered_equal(expected, [(1, "x"), (2, "z"), (2, "y"), (3, "w")], keys=[0, 1])


def test_kustoloco_order_counts_only_after_an_ordering_operator() -> None:
    """KustoLoco flags every test order-sensitive; after a bare summarize Kusto's order is undefined."""
    base = {"id": "kustoloco-X", "order_sensitive": True, "functions": []}
    assert not corpus.order_matters({**base, "operators": ["summarize"]})
    assert corpus.order_matters({**base, "operators": ["summarize", "order"]})
    assert corpus.order_matters({**base, "id": "msdocs-X", "operators": []})


def test_sort_columns_are_read_off_the_plan() -> None:
    plan = cm.parse("datatable(a:long, b:string)[1, 'x'] | order by a asc, b | take 5", dialect="kql").plan
    assert corpus.sort_columns(plan) == ("a", "b")
    plan = cm.parse("datatable(a:long)[1] | order by a | extend c = a * 2", dialect="kql").plan
    assert corpus.sort_columns(plan) is None  # not at the end: rows must match in order


def test_compare_reports_columns_then_rows() -> None:
    item = {
        "id": "msdocs-X",
        "order_sensitive": False,
        "functions": [],
        "operators": [],
        "expected_columns": ["a", "b"],
        "expected_rows": [["1", "`x`"], ["", "(null)"]],
    }
    frame = pd.DataFrame({"a": pd.array([None, 1], dtype="Int64"), "b": ["", "x"]})
    assert corpus.compare(item, frame, {"a": "long", "b": "string"}).ok
    renamed = frame.rename(columns={"b": "B"})
    assert "columns differ" in corpus.compare(item, renamed, {"a": "long", "B": "string"}).message
    wrong = frame.assign(b=["", "y"])
    assert "rows differ" in corpus.compare(item, wrong, {"a": "long", "b": "string"}).message
