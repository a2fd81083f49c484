"""Scalar functions over time: ``now``, ``ago``, ``bin``, ``datetime_add``, ``datetime_diff`` and kin.

Registered like every scalar function (a typer and one polars expression per entry; the shared
helpers are in ``scalars.py``). ``now()`` and ``ago()`` read the query's single clock reading
(``Context.now``), so one query sees one instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from ..language.types import ScalarType
from . import coerce as cv
from .ir import Context
from .registry import KQL_ONLY, Arg, SignatureError, register
from .scalars import Consts, T, Typer, Types, expect_arg, is_integer, typed, typed_lit

# --------------------------------------------------------------------------------------------
# time


def _now_typer(types: Types, consts: Consts) -> ScalarType:
    if types:
        expect_arg("now", "first", types[0], consts[0], lambda t: t == T.TIMESPAN, "a timespan offset")
    return T.DATETIME


@register("now", 0, 1, _now_typer, doc="the query's clock reading (UTC), plus an optional offset")
def _now(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    # ctx.now is read once per query, so every now()/ago() in a query sees the same instant
    now = typed_lit(ctx.now, T.DATETIME)
    return now + args[0].expr if args else now


@register("ago", 1, 1, typed(T.DATETIME, ("first", lambda t: t == T.TIMESPAN, "a timespan"))("ago"))
def _ago(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return typed_lit(ctx.now, T.DATETIME) - args[0].expr


def _bin_typer(name: str) -> Typer:
    def typer(types: Types, consts: Consts) -> ScalarType:
        value, size = types
        if value.is_numeric and size.is_numeric:
            return T.LONG if value.is_integer and size.is_integer else T.REAL
        if value in (T.DATETIME, T.TIMESPAN) and size == T.TIMESPAN:
            return value
        if consts[0] is None and consts[1] is None:
            return value
        raise SignatureError(
            f"{name}() rounds a number by a number, or a datetime or timespan by a timespan; got {value} and {size}"
        )

    return typer


def _bin(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    """Round down to a multiple of the bin size: numbers floor (``bin(-1, 10) == -10``), datetimes
    floor relative to 1970-01-01 (``bin(t, 1d)`` is midnight UTC). A null or non-positive size
    gives null."""
    value, size = args
    result = _bin_typer("bin")((value.type, size.type), (value.const, size.const))
    if size.is_const and (size.const is None or _size_ns(size.const) <= 0):
        return typed_lit(None, result)
    v, s = value.expr, size.expr
    if result == T.LONG:
        v, s = v.cast(pl.Int64), s.cast(pl.Int64)
        binned = (v // s) * s
    elif result == T.REAL:
        v, s = v.cast(pl.Float64), s.cast(pl.Float64)
        binned = (v / s).floor() * s
    else:
        size_ns = s.dt.total_nanoseconds()
        if result == T.DATETIME:
            # polars' % is a floor modulo, so pre-epoch datetimes round down too
            binned = v - (v.dt.epoch("ns") % size_ns).cast(pl.Duration("ns"))
        else:
            ns = v.dt.total_nanoseconds()
            binned = ((ns // size_ns) * size_ns).cast(pl.Duration("ns"))
        s = size_ns
    return binned if size.is_const else pl.when(s > 0).then(binned).otherwise(None)


def _size_ns(value: Any) -> float:
    """A constant bin size as a comparable number (timedelta → nanoseconds)."""
    return value.total_seconds() * 1e9 if hasattr(value, "total_seconds") else float(value)


register("bin", 2, 2, _bin_typer("bin"), doc="round down to a multiple of the bin size")(_bin)
register("floor", 2, 2, _bin_typer("floor"), dialects=KQL_ONLY, doc="alias of bin()")(_bin)

# calendar periods of datetime_add/datetime_diff, with the fixed ones' length in nanoseconds
_PERIOD_NS: dict[str, int | None] = {
    "year": None,
    "quarter": None,
    "month": None,
    "week": 7 * cv.NS_PER_DAY,
    "day": cv.NS_PER_DAY,
    "hour": 3600 * cv.NS_PER_SECOND,
    "minute": 60 * cv.NS_PER_SECOND,
    "second": cv.NS_PER_SECOND,
    "millisecond": 1_000_000,
    "microsecond": 1_000,
    "nanosecond": 1,
}
_MONTHS = {"year": 12, "quarter": 3, "month": 1}


def _period(name: str, value: Any) -> str:
    if not isinstance(value, str) or value.lower() not in _PERIOD_NS:
        choices = ", ".join(repr(p) for p in _PERIOD_NS)
        raise SignatureError(f"{name}() needs a constant period as its first argument, one of {choices}")
    return value.lower()


def _datetime_add_typer(types: Types, consts: Consts) -> ScalarType:
    _period("datetime_add", consts[0])
    expect_arg("datetime_add", "second", types[1], consts[1], is_integer, "an integer amount")
    expect_arg("datetime_add", "third", types[2], consts[2], lambda t: t == T.DATETIME, "a datetime")
    return T.DATETIME


@register("datetime_add", 3, 3, _datetime_add_typer, doc="add amount × period to a datetime")
def _datetime_add(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    """Months, quarters and years are calendar steps that clamp the day of month
    (``datetime_add('month', 1, 2017-01-31)`` is 2017-02-28); the other periods are fixed lengths."""
    period, amount, when = _period("datetime_add", args[0].const), args[1].expr.cast(pl.Int64), args[2].expr
    months = _MONTHS.get(period)
    if months is not None:
        return when.dt.offset_by(pl.format("{}mo", amount * months))
    return when + (amount * _PERIOD_NS[period]).cast(pl.Duration("ns"))


def _datetime_diff_typer(types: Types, consts: Consts) -> ScalarType:
    _period("datetime_diff", consts[0])
    for position, t, c in (("second", types[1], consts[1]), ("third", types[2], consts[2])):
        expect_arg("datetime_diff", position, t, c, lambda t: t == T.DATETIME, "a datetime")
    return T.LONG


def _calendar_index(when: pl.Expr, period: str) -> pl.Expr:
    """A count of ``period`` boundaries since some origin, so that differences count boundaries."""
    if period == "year":
        return when.dt.year().cast(pl.Int64)
    if period == "quarter":
        return when.dt.year().cast(pl.Int64) * 4 + when.dt.quarter().cast(pl.Int64)
    if period == "month":
        return when.dt.year().cast(pl.Int64) * 12 + when.dt.month().cast(pl.Int64)
    ns = when.dt.epoch("ns")
    if period == "week":
        # weeks start on Sunday; 1970-01-01 was a Thursday, so day + 4 puts Sundays on multiples of 7
        return (ns // cv.NS_PER_DAY + 4) // 7
    unit = _PERIOD_NS[period]
    assert unit is not None
    return ns // unit


@register("datetime_diff", 3, 3, _datetime_diff_typer, doc="period boundaries between two datetimes")
def _datetime_diff(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    """``datetime_diff(p, d1, d2)`` counts calendar boundaries of ``p`` crossed from ``d2`` to
    ``d1``, not elapsed whole periods: 2000-12-31 → 2017-01-01 is 17 years."""
    period = _period("datetime_diff", args[0].const)
    return _calendar_index(args[1].expr, period) - _calendar_index(args[2].expr, period)


