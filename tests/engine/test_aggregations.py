"""Aggregations (engine/aggregations.py): each runs in ``group_by().agg()`` and in a plain
``select`` (summarize without ``by``); expected values from the Kusto docs and KustoLoco corpus."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from cmpivot_magic.engine.functions import (
    BOTH,
    KQL_ONLY,
    NOT_CONST,
    SignatureError,
    compile_aggregate,
    compile_expr,
    lookup,
    polars_dtype,
)
from cmpivot_magic.engine.ir import Aggregate, Apply, Bound, Col, Const, Context
from cmpivot_magic.language.types import ScalarType as T

CTX = Context(now=dt.datetime(2024, 5, 17, tzinfo=dt.UTC))


def agg(name: str, *args: Bound, options: tuple[Any, ...] = ()) -> Aggregate:
    """A typed Aggregate, typed as the planner does: row-arg types, then row consts + options."""
    fn = lookup(name)
    assert fn is not None and fn.aggregate, name
    consts = tuple(a.value if isinstance(a, Const) else NOT_CONST for a in args) + options
    return Aggregate(fn.name, args, fn.typer(tuple(a.type for a in args), consts), options)


def run(a: Aggregate, frame: pl.DataFrame, by: str | None = None) -> list[Any]:
    """Evaluate per group of ``by`` (first-appearance order), or over the whole frame."""
    e = compile_aggregate(a, CTX).alias("__r")
    out = (frame.group_by(by, maintain_order=True).agg(e) if by else frame.select(e))["__r"]
    assert out.dtype == polars_dtype(a.type)
    return out.to_list()


def scalar(name: str, *args: Bound) -> Apply:
    fn = lookup(name)
    assert fn is not None
    consts = tuple(a.value if isinstance(a, Const) else NOT_CONST for a in args)
    return Apply(fn.name, args, fn.typer(tuple(a.type for a in args), consts))


ROWS = pl.DataFrame(
    {
        "g": ["x", "x", "y", "y", "y"],
        "v": [1, None, 3, 4, 4],
        "s": ["a", "b", None, "a", "A"],
        "p": [True, False, None, True, True],
    },
    schema_overrides={"v": pl.Int32},
)
EMPTY = ROWS.head(0)
G, V, S, P = Col("g", T.STRING), Col("v", T.INT), Col("s", T.STRING), Col("p", T.BOOL)


def test_dialects_and_row_args() -> None:
    """CMPivot's documented aggregations are in both dialects; options follow the row arguments."""
    cmpivot = ("avg", "count", "countif", "dcount", "max", "maxif", "min", "minif",
               "percentile", "sum", "sumif")  # fmt: skip
    for name in cmpivot:
        assert lookup(name).dialects == BOTH, name  # type: ignore[union-attr]
    for name in ("make_list", "make_set_if", "arg_max", "take_any", "dcountif", "avgif", "stdev", "variance"):
        assert lookup(name).dialects == KQL_ONLY, name  # type: ignore[union-attr]
    rows = {n: lookup(n).row_args for n in ("percentile", "make_list", "make_list_if", "dcount")}  # type: ignore[union-attr]
    assert rows == {"percentile": 1, "make_list": 1, "make_list_if": 2, "dcount": 1}


def test_counts_are_long_and_zero_on_no_rows() -> None:
    """count() and count(x) count rows, nulls included (Kusto's summarize page), countif(p) rows
    where p is true (null is not true);
    all are long and 0 over no rows (kustoloco countif, msdocs countif-aggregation-function)."""
    assert run(agg("count"), ROWS) == [5] and run(agg("count"), ROWS, "g") == [2, 3]
    assert run(agg("count", V), ROWS, "g") == [2, 3]
    assert run(agg("countif", P), ROWS, "g") == [1, 2]
    assert run(agg("countif", Const(True, T.BOOL)), ROWS, "g") == [2, 3]
    for a in (
        agg("count"),
        agg("count", V),
        agg("countif", P),
        agg("dcount", S),
        agg("sum", V),
        agg("sumif", V, P),
    ):
        assert a.type == T.LONG and run(a, EMPTY) == [0], a
    names = pl.DataFrame({"name": ["John", "Paul", "George", "Ringo"]})
    assert run(
        agg("countif", scalar(">", scalar("strlen", Col("name", T.STRING)), Const(4, T.LONG))), names
    ) == [2]


def test_dcount_is_exact_over_non_null_values() -> None:
    """dcount counts distinct non-null values exactly (not an HLL estimate, §9.10); '' is a value and
    case matters (kustoloco dcount_Int, dcount_String, dcountif_String)."""
    ints = pl.DataFrame({"a": [None, 1, 2, 3]}, schema={"a": pl.Int32})
    assert run(agg("dcount", Col("a", T.INT)), ints) == [3]
    strings = pl.DataFrame({"a": ["", "a", "b", "c"]})
    assert run(agg("dcount", Col("a", T.STRING), options=(2,)), strings) == [4]
    assert run(agg("dcount", S), ROWS, "g") == [2, 2]
    pairs = pl.DataFrame({"a": ["", "a", "b", "a", "a"], "b": [True, True, False, False, True]})
    assert run(agg("dcountif", Col("a", T.STRING), Col("b", T.BOOL)), pairs) == [2]
    with pytest.raises(SignatureError, match="accuracy"):
        agg("dcount", S, options=(9,))


def test_sum_and_avg_types_and_empty_results() -> None:
    """sum of integers is long, of reals real, of timespans timespan, 0 over no values; avg is real
    (timespan for timespans) and null over no values (kustoloco sum_Int, sumif_*,
    Summarize_NoByExpressions2, msdocs sumif-aggregation-function)."""
    assert run(agg("sum", V), ROWS, "g") == [1, 11] and agg("sum", V).type == T.LONG
    assert run(agg("sumif", V, P), ROWS, "g") == [1, 8]
    assert run(agg("sumif", Col("v", T.INT), Const(True, T.BOOL)), ROWS) == [12]
    assert run(agg("sum", Const(1, T.LONG)), ROWS, "g") == [2, 3]  # a constant counts once per row
    reals = pl.DataFrame({"c": [43.0, 30.0, 20.0]})
    assert run(agg("avg", Col("c", T.REAL)), reals) == [31.0] and run(
        agg("sum", Col("c", T.REAL)), reals
    ) == [93.0]
    assert run(agg("avg", V), ROWS, "g") == [1.0, 11 / 3] and run(agg("avg", V), EMPTY) == [None]
    assert run(agg("avgif", V, P), ROWS, "g") == [1.0, 4.0]
    spans = pl.DataFrame(
        {"d": [dt.timedelta(seconds=1), dt.timedelta(seconds=2), None]}, schema={"d": pl.Duration("ns")}
    )
    assert run(agg("sum", Col("d", T.TIMESPAN)), spans) == [dt.timedelta(seconds=3)]
    assert run(agg("avg", Col("d", T.TIMESPAN)), spans) == [dt.timedelta(seconds=1.5)]
    people = pl.DataFrame({"name": ["John", "Paul", "George", "Ringo"], "day": [9, 18, 25, 7]})
    long_name = scalar(">", scalar("strlen", Col("name", T.STRING)), Const(4, T.LONG))
    assert run(agg("sumif", Col("day", T.LONG), long_name), people) == [32]
    with pytest.raises(SignatureError, match=r"sum\(\) expects a number or timespan, got string"):
        agg("sum", S)


def test_min_max_skip_nulls() -> None:
    """min/max/minif/maxif ignore nulls, keep the argument's type and are null over no values;
    strings order ordinally."""
    assert run(agg("min", V), ROWS, "g") == [1, 3] and agg("min", V).type == T.INT
    assert run(agg("max", S), ROWS, "g") == ["b", "a"]
    assert run(agg("maxif", V, P), ROWS, "g") == [1, 4] and run(agg("minif", V, P), ROWS, "g") == [1, 4]
    assert run(agg("max", V), EMPTY) == [None]


def test_percentile_is_exact_nearest_rank() -> None:
    """percentile(x, P) is the ⌈P/100·n⌉-th smallest non-null value (P = 0: the minimum); ints give
    long (kustoloco percentile_int/long/double)."""
    for t, dtype in ((T.INT, pl.Int32), (T.LONG, pl.Int64), (T.REAL, pl.Float64)):
        frame = pl.DataFrame({"a": list(range(9, -1, -1))}, schema={"a": dtype})
        a = Col("a", t)
        assert [run(agg("percentile", a, options=(p,)), frame)[0] for p in (0, 100, 50, 95, 10.5)] == [
            0,
            9,
            4,
            9,
            1,
        ]
        assert agg("percentile", a, options=(50,)).type == (T.LONG if t == T.INT else t)
    assert run(agg("percentile", V, options=(50,)), ROWS, "g") == [1, 4]
    assert run(agg("percentile", V, options=(50,)), EMPTY) == [None]
    with pytest.raises(SignatureError, match="from 0 to 100"):
        agg("percentile", V, options=(101,))


def test_make_list_and_make_set_build_json_arrays() -> None:
    """make_list/make_set give a dynamic array (JSON text) of the non-null values in row order, the
    set keeping first appearances (case-sensitive); maxSize limits the length; [] over no rows
    (kustoloco make_list*, msdocs make-list*, make-set*)."""
    xs = pl.DataFrame({"x": [1, 3, 2, 1]}, schema={"x": pl.Int32})
    x = Col("x", T.INT)
    assert run(agg("make_list", x), xs) == ["[1,3,2,1]"] and run(agg("make_list", x, options=(2,)), xs) == [
        "[1,3]"
    ]
    assert run(agg("make_list_if", x, scalar(">", x, Const(1, T.LONG))), xs) == ["[3,2]"]
    assert run(agg("make_list_if", x, Const(True, T.BOOL), options=(3,)), xs) == ["[1,3,2]"]
    assert run(agg("make_set", x), xs) == ["[1,3,2]"]
    assert run(agg("make_list", S), ROWS, "g") == ['["a","b"]', '["a","A"]']
    assert run(agg("make_set", S), EMPTY) == ["[]"]
    people = pl.DataFrame({"name": ["John", "Paul", "George", "Ringo"]})
    long_name = scalar(">", scalar("strlen", Col("name", T.STRING)), Const(4, T.LONG))
    assert run(agg("make_set_if", Col("name", T.STRING), long_name), people) == ['["George","Ringo"]']
    odd = pl.DataFrame({"t": [dt.datetime(2024, 1, 1, tzinfo=dt.UTC)], "s": ['say "hi"\n']})
    assert run(agg("make_list", Col("t", T.DATETIME)), odd) == ['["2024-01-01T00:00:00.0000000Z"]']
    assert run(agg("make_list", Col("s", T.STRING)), odd) == ['["say \\"hi\\"\\n"]']


def test_make_set_unions_dynamic_arrays() -> None:
    """make_set over dynamic arrays collects their elements (msdocs make-set-aggregation-function-L84)."""
    frame = pl.DataFrame(
        {"Val": [1, 5, 7, 5], "Arr1": ['["A1","A2","A3"]', '["A2","C1"]', '["C2","A3"]', '["C2","A1"]']}
    )
    assert run(agg("make_set", Col("Val", T.LONG)), frame) == ["[1,5,7]"]
    assert run(agg("make_set", Col("Arr1", T.DYNAMIC)), frame) == ['["A1","A2","A3","C1","C2"]']
    keep = scalar(">", Col("Val", T.LONG), Const(4, T.LONG))
    assert run(agg("make_set_if", Col("Arr1", T.DYNAMIC), keep), frame) == ['["A2","C1","C2","A3","A1"]']


def test_arg_max_and_arg_min_pick_the_row_of_the_extreme() -> None:
    """arg_max(by, value) is value on the row where by is largest — the first such row on ties, the
    group's first row when by is all null (msdocs arg-max/arg-min-aggregation-function)."""
    fruit = pl.DataFrame(
        {
            "Fruit": ["Apple", "Apple", "Banana", "Banana", "Pear", "Pear"],
            "Color": ["Red", "Green", "Yellow", "Green", "Brown", "Green"],
            "Version": [1, None, None, None, 1, 2],
        },
        schema_overrides={"Version": pl.Int32},
    )
    version, color = Col("Version", T.INT), Col("Color", T.STRING)
    assert run(Aggregate("arg_max", (version, color), T.STRING), fruit, "Fruit") == ["Red", "Yellow", "Green"]
    assert run(Aggregate("arg_max", (version, version), T.INT), fruit, "Fruit") == [1, None, 2]
    assert run(Aggregate("arg_min", (version, color), T.STRING), fruit, "Fruit") == ["Red", "Yellow", "Brown"]
    ties = pl.DataFrame({"n": [3, 1, 3], "s": ["first", "low", "second"]})
    assert run(Aggregate("arg_max", (Col("n", T.LONG), Col("s", T.STRING)), T.STRING), ties) == ["first"]
    assert run(Aggregate("arg_max", (version, color), T.STRING), fruit.head(0)) == [None]


def test_any_stdev_variance() -> None:
    """any/take_any return the first non-null value; stdev/variance are sample statistics."""
    assert run(agg("take_any", S), ROWS, "g") == ["a", "a"]
    assert run(agg("variance", V), ROWS) == [2.0] and run(agg("stdev", V), ROWS) == [pytest.approx(2**0.5)]
    assert agg("stdev", V).type == T.REAL


def test_aggregating_an_expression() -> None:
    """Row arguments may be any scalar expression, e.g. avg(BootDuration / 1000) (hub query)."""
    boots = pl.DataFrame({"BootDuration": [1500, 2500, 4000]})
    expr = scalar("/", Col("BootDuration", T.LONG), Const(1000, T.LONG))
    assert run(agg("avg", expr), boots) == [pytest.approx(7 / 3)]
    assert compile_expr(expr, CTX) is not None
