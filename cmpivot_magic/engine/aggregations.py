"""Aggregation functions for ``summarize``: CMPivot's documented set (§6) and the KQL extras.

Each implementation is ``impl(args, options, ctx) -> pl.Expr``: one polars aggregation that works
both inside ``group_by(...).agg(...)`` and in a plain ``select`` (summarize without ``by``).
``args`` are the row expressions (the first ``row_args`` call arguments); ``options`` are the
constant arguments after them (percentile's P, make_list's size limit, dcount's accuracy).

Null rule: nulls are skipped. On no values ``count``/``countif``/``dcount``/``sum``/``sumif`` give
0 and the others null; ``make_list``/``make_set`` give ``[]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from ..language.types import ScalarType
from . import coerce as cv
from .frames import polars_dtype
from .ir import Context
from .registry import KQL_ONLY, Arg, SignatureError, register

T = ScalarType
Types = tuple[ScalarType, ...]
Consts = tuple[Any, ...]
Impl = Callable[[Sequence[Arg], tuple[Any, ...], Context], pl.Expr]


def _rows(arg: Arg) -> pl.Expr:
    """A row expression; a constant (``countif(true)``, ``sum(1)``) is repeated once per row, or
    polars would aggregate the single literal."""
    if arg.is_const or not arg.expr.meta.root_names():
        return pl.repeat(arg.expr, pl.len())
    return arg.expr


def _where(arg: Arg, predicate: Arg) -> pl.Expr:
    """The values of ``arg`` on rows where ``predicate`` is true (null counts as false)."""
    return _rows(arg).filter(_rows(predicate).fill_null(False))


def _check(name: str, t: ScalarType, allowed: Callable[[ScalarType], bool], what: str) -> None:
    if not allowed(t):
        raise SignatureError(f"{name}() expects {what}, got {t}")


def _summable(t: ScalarType) -> bool:
    return t.is_numeric or t in (T.TIMESPAN, T.DYNAMIC)


def _ordered(t: ScalarType) -> bool:
    return t != T.DYNAMIC


def _predicate(name: str, types: Types, index: int) -> None:
    _check(name, types[index], lambda t: t == T.BOOL, "a bool predicate")


def _number(arg: Arg, integer: ScalarType = T.LONG) -> pl.Expr:
    """Numbers in the dtype the result type asks for; dynamic values read as real."""
    if arg.type == T.DYNAMIC:
        return cv.convert(_rows(arg), T.DYNAMIC, T.REAL)
    if arg.type.is_integer:
        return _rows(arg).cast(polars_dtype(integer))
    return _rows(arg)


# --------------------------------------------------------------------------------------------
# counting


def _count_typer(types: Types, consts: Consts) -> ScalarType:
    return T.LONG


@register("count", 0, 1, _count_typer, aggregate=True, row_args=1, doc="rows of the group")
def _count(args: Sequence[Arg], options: tuple[Any, ...], ctx: Context) -> pl.Expr:
    # Kusto: "the standard count function includes null values in its count" — count(x) counts
    # rows like count(); countif(isnotnull(x)) counts non-null values
    return pl.len().cast(pl.Int64)


def _countif_typer(types: Types, consts: Consts) -> ScalarType:
    _predicate("countif", types, 0)
    return T.LONG


@register("countif", 1, 1, _countif_typer, aggregate=True, row_args=1, doc="rows where the predicate is true")
def _countif(args: Sequence[Arg], options: tuple[Any, ...], ctx: Context) -> pl.Expr:
    # summing a bool counts its true values; nulls are skipped
    return _rows(args[0]).sum().cast(pl.Int64)


def _dcount_typer(name: str, predicate_at: int | None) -> Callable[[Types, Consts], ScalarType]:
    def typer(types: Types, consts: Consts) -> ScalarType:
        if predicate_at is not None:
            _predicate(name, types, predicate_at)
        options = consts[len(types) :]
        if options and not (isinstance(options[0], int) and 0 <= options[0] <= 4):
            raise SignatureError(f"{name}() accuracy must be a constant from 0 to 4")
        return T.LONG

    return typer


@register(
    "dcount", 1, 2, _dcount_typer("dcount", None), aggregate=True, row_args=1, doc="exact distinct count"
)
def _dcount(args: Sequence[Arg], options: tuple[Any, ...], ctx: Context) -> pl.Expr:
    # exact, not Kusto's HyperLogLog estimate (§9.10); the accuracy option is accepted and unused.
    # Distinct is case-sensitive and '' counts as a value.
    return _rows(args[0]).drop_nulls().n_unique().cast(pl.Int64)


@register("dcountif", 2, 3, _dcount_typer("dcountif", 1), aggregate=True, row_args=2, dialects=KQL_ONLY,
          doc="exact distinct count where the predicate is true")  # fmt: skip
def _dcountif(args: Sequence[Arg], options: tuple[Any, ...], ctx: Context) -> pl.Expr:
    return _where(args[0], args[1]).drop_nulls().n_unique().cast(pl.Int64)


# --------------------------------------------------------------------------------------------
# sums and means


def _sum_type(name: str, t: ScalarType) -> ScalarType:
    _check(name, t, _summable, "a number or timespan")
    return T.TIMESPAN if t == T.TIMESPAN else cv.promote((t,))


def _sum_typer(name: str, predicate: bool) -> Callable[[Types, Consts], ScalarType]:
    def typer(types: Types, consts: Consts) -> ScalarType:
        if predicate:
            _predicate(name, types, 1)
        return _sum_type(name, types[0])

    return typer


@register("sum", 1, 1, _sum_typer("sum", False), aggregate=True, row_args=1, doc="sum; 0 when no values")
def _sum(args: Sequence[Arg], options: tuple[Any, ...], ctx: Context) -> pl.Expr:
    # integers add up as long (an int column's sum overflows int32 quickly)
    return _number(args[0]).sum()


@register(
    "sumif",
    2,
    2,
    _sum_typer("sumif", True),
    aggregate=True,
    row_args=2,
    doc="sum where the predicate is true",
)
def _sumif(args: Sequence[Arg], options: tuple[Any, ...], ctx: Context) -> pl.Expr:
    return _number(args[0]).filter(_rows(args[1]).fill_null(False)).sum()


def _avg_type(name: str, t: ScalarType) -> ScalarType:
    _check(name, t, lambda t: _summable(t) or t == T.DATETIME, "a number, timespan or datetime")
    return t if t in (T.TIMESPAN, T.DATETIME) else T.REAL


def _avg_typer(name: str, predicate: bool) -> Callable[[Types, Consts], ScalarType]:
    def typer(types: Types, consts: Consts) -> ScalarType:
        if predicate:
            _predicate(name, types, 1)
        return _avg_type(name, types[0])

    return typer


@register("avg", 1, 1, _avg_typer("avg", False), aggregate=True, row_args=1, doc="mean; null when no values")
def _avg(args: Sequence[Arg], options: tuple[Any, ...], ctx: Context) -> pl.Expr:
    return _number(args[0], T.REAL).mean()


@register("avgif", 2, 2, _avg_typer("avgif", True), aggregate=True, row_args=2, dialects=KQL_ONLY,
          doc="mean where the predicate is true")  # fmt: skip
def _avgif(args: Sequence[Arg], options: tuple[Any, ...], ctx: Context) -> pl.Expr:
    return _number(args[0], T.REAL).filter(_rows(args[1]).fill_null(False)).mean()


def _spread_typer(name: str) -> Callable[[Types, Consts], ScalarType]:
    def typer(types: Types, consts: Consts) -> ScalarType:
        _check(name, types[0], lambda t: t.is_numeric or t == T.DYNAMIC, "a number")
        return T.REAL

    return typer


@register("stdev", 1, 1, _spread_typer("stdev"), aggregate=True, row_args=1, dialects=KQL_ONLY,
          doc="sample standard deviation")  # fmt: skip
def _stdev(args: Sequence[Arg], options: tuple[Any, ...], ctx: Context) -> pl.Expr:
    # sample statistics (n - 1), as Kusto's stdev/variance; fewer than two values give null
    return _number(args[0], T.REAL).std(ddof=1)


@register("variance", 1, 1, _spread_typer("variance"), aggregate=True, row_args=1, dialects=KQL_ONLY,
          doc="sample variance")  # fmt: skip
def _variance(args: Sequence[Arg], options: tuple[Any, ...], ctx: Context) -> pl.Expr:
    return _number(args[0], T.REAL).var(ddof=1)


# --------------------------------------------------------------------------------------------
# extremes and picks


def _extreme_typer(name: str, predicate: bool) -> Callable[[Types, Consts], ScalarType]:
    def typer(types: Types, consts: Consts) -> ScalarType:
        _check(name, types[0], _ordered, "a number, string, datetime, timespan or bool")
        if predicate:
            _predicate(name, types, 1)
        return types[0]

    return typer


for _name, _pick in (("min", pl.Expr.min), ("max", pl.Expr.max)):

    def _plain(pick: Callable[[pl.Expr], pl.Expr]) -> Impl:
        return lambda args, options, ctx: pick(_rows(args[0]))

    def _if(pick: Callable[[pl.Expr], pl.Expr]) -> Impl:
        return lambda args, options, ctx: pick(_where(args[0], args[1]))

    # strings order ordinally (case-sensitive); nulls are skipped
    register(_name, 1, 1, _extreme_typer(_name, False), aggregate=True, row_args=1, doc=f"{_name}imum")(
        _plain(_pick)
    )
    register(_name + "if", 2, 2, _extreme_typer(_name + "if", True), aggregate=True, row_args=2,
             doc=f"{_name}imum where the predicate is true")(_if(_pick))  # fmt: skip


def _any_typer(types: Types, consts: Consts) -> ScalarType:
    return types[0]


@register("any", 1, 1, _any_typer, aggregate=True, row_args=1, dialects=KQL_ONLY, aliases=("take_any",),
          doc="a value of the group: the first non-null")  # fmt: skip
def _any(args: Sequence[Arg], options: tuple[Any, ...], ctx: Context) -> pl.Expr:
    return _rows(args[0]).drop_nulls().first()


def _arg_typer(types: Types, consts: Consts) -> ScalarType:
    _check("arg_max/arg_min", types[0], _ordered, "an orderable value to maximise or minimise")
    return types[-1]


def _arg_extreme(pick: Callable[[pl.Expr], pl.Expr]) -> Impl:
    def impl(args: Sequence[Arg], options: tuple[Any, ...], ctx: Context) -> pl.Expr:
        """``value`` on the row where ``by`` is largest (smallest): the first such row on ties, and
        the group's first row when every ``by`` is null (msdocs arg_max example, Banana row)."""
        by, value = _rows(args[0]), _rows(args[-1])
        return value.get(pick(by).fill_null(0), null_on_oob=True)

    return impl


# the planner calls these once per returned column, as (by, value)
register("arg_max", 1, 2, _arg_typer, aggregate=True, row_args=2, dialects=KQL_ONLY,
         doc="value at the row where by is largest")(_arg_extreme(pl.Expr.arg_max))  # fmt: skip
register("arg_min", 1, 2, _arg_typer, aggregate=True, row_args=2, dialects=KQL_ONLY,
         doc="value at the row where by is smallest")(_arg_extreme(pl.Expr.arg_min))  # fmt: skip


def _percentile_typer(types: Types, consts: Consts) -> ScalarType:
    t = types[0]
    _check(
        "percentile",
        t,
        lambda t: t.is_numeric or t in (T.DATETIME, T.TIMESPAN),
        "a number, datetime or timespan",
    )
    options = consts[len(types) :]
    p = options[0] if options else None
    if isinstance(p, bool) or not isinstance(p, int | float) or not 0 <= p <= 100:
        raise SignatureError("percentile() needs a constant percentage from 0 to 100 as its second argument")
    return T.LONG if t == T.INT else t


@register("percentile", 2, 2, _percentile_typer, aggregate=True, row_args=1, doc="nearest-rank percentile")
def _percentile(args: Sequence[Arg], options: tuple[Any, ...], ctx: Context) -> pl.Expr:
    """Nearest rank, exact (§9.10): the smallest value with at least P% of the values ≤ it, i.e.
    the ⌈P/100·n⌉-th smallest; P = 0 gives the minimum."""
    x = _rows(args[0])
    x = x.cast(pl.Int64) if args[0].type == T.INT else x
    values = x.drop_nulls()
    rank = (pl.lit(float(options[0])) * values.len() / 100).ceil().cast(pl.Int64).clip(lower_bound=1)
    # the largest of the `rank` smallest values: a partial selection, ~25% faster than sorting
    return values.bottom_k(rank).max()


# --------------------------------------------------------------------------------------------
# lists and sets (dynamic arrays, stored as JSON text)


def _list_typer(name: str, predicate: bool) -> Callable[[Types, Consts], ScalarType]:
    def typer(types: Types, consts: Consts) -> ScalarType:
        if predicate:
            _predicate(name, types, 1)
        options = consts[len(types) :]
        if options and not (
            isinstance(options[0], int) and not isinstance(options[0], bool) and options[0] > 0
        ):
            raise SignatureError(f"{name}() size limit must be a positive integer constant")
        return T.DYNAMIC

    return typer


def _elements(arg: Arg) -> pl.Expr:
    """The values to collect, as JSON-ready polars values: datetimes and timespans as their Kusto
    text, a dynamic array as one JSON text per element (Kusto's make_set unions arrays: msdocs
    make-set example), anything else as it is."""
    if arg.type in (T.DATETIME, T.TIMESPAN):
        return cv.to_text(_rows(arg), arg.type)
    if arg.type != T.DYNAMIC:
        return _rows(arg)

    def spread(value: Any) -> list[str]:
        return [cv.dumps(v) for v in value if v is not None] if isinstance(value, list) else [cv.dumps(value)]

    return cv.map_json(_rows(arg), spread, pl.List(pl.String)).explode()


def _json_array(values: pl.Expr, t: ScalarType, options: tuple[Any, ...], distinct: bool) -> pl.Expr:
    """``[e1,e2,…]``: nulls skipped, first appearances kept for a set (in row order), at most
    ``options[0]`` elements."""
    values = values.drop_nulls()
    if distinct:
        values = values.unique(maintain_order=True)
    if options:
        values = values.head(int(options[0]))
    if t == T.DYNAMIC:  # the elements are JSON texts already
        return pl.concat_str([pl.lit("["), values.str.join(","), pl.lit("]")])
    # one JSON write per group: measured 2x faster than encoding element by element
    return cv.json_encode(values.implode(), nullable=False)


def _register_list(name: str, distinct: bool, predicate: bool, dialects: frozenset[str] = KQL_ONLY) -> None:
    row_args = 2 if predicate else 1

    def impl(args: Sequence[Arg], options: tuple[Any, ...], ctx: Context) -> pl.Expr:
        value = args[0]
        if predicate:
            # decide per row before a dynamic array is spread into several elements
            value = Arg(pl.when(_rows(args[1])).then(_rows(value)), value.type)
        return _json_array(_elements(value), value.type, options, distinct)

    doc = f"dynamic array of the {'distinct ' if distinct else ''}values{' where the predicate is true' if predicate else ''}"
    register(name, row_args, row_args + 1, _list_typer(name, predicate), aggregate=True, row_args=row_args,
             dialects=dialects, doc=doc)(impl)  # fmt: skip


_register_list("make_list", distinct=False, predicate=False)
_register_list("make_list_if", distinct=False, predicate=True)
_register_list("make_set", distinct=True, predicate=False)
_register_list("make_set_if", distinct=True, predicate=True)
