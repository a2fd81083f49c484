"""Scalar functions: CMPivot's documented set (§5 of the language reference) and the KQL extras.

Each entry pairs a typer (argument checks, result type) with a vectorised polars
implementation. CMPivot's functions are registered for both dialects; conversions, string case
functions, ``split``/``parse_json``, ``coalesce`` and the maths helpers only for kql.

Null rule: a null argument gives a null result, except where Kusto defines a value — ``tostring``
and ``strcat`` read null as ``""``, ``isnull``/``isnotnull``/``isempty``/``isnotempty`` answer
true or false, ``iif``/``case`` treat a null condition as false, ``coalesce`` skips nulls.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from ..language.types import ScalarType
from . import coerce as cv
from .functions import KQL_ONLY, NOT_CONST, Arg, SignatureError, polars_dtype, register
from .ir import Context

T = ScalarType
Types = tuple[ScalarType, ...]
Consts = tuple[Any, ...]
Typer = Callable[[Types, Consts], ScalarType]


def _expect(
    name: str, position: str, t: ScalarType, const: Any, allowed: Callable[[ScalarType], bool], what: str
) -> None:
    """Raise the user-facing error for an argument of the wrong type (a null constant fits any)."""
    if const is None or allowed(t):
        return
    raise SignatureError(f"{name}() expects {what} as its {position} argument, got {t}")


def _integer(t: ScalarType) -> bool:
    return t.is_integer


def _typed(
    result: ScalarType, *checks: tuple[str, Callable[[ScalarType], bool], str]
) -> Callable[[str], Typer]:
    """A typer for a fixed signature: one (position, predicate, description) per argument."""

    def make(name: str) -> Typer:
        def typer(types: Types, consts: Consts) -> ScalarType:
            for (position, allowed, what), t, c in zip(checks, types, consts, strict=False):
                _expect(name, position, t, c, allowed, what)
            return result

        return typer

    return make


def _lit(value: Any, t: ScalarType) -> pl.Expr:
    return pl.lit(value, dtype=polars_dtype(t))


def _text(arg: Arg) -> pl.Expr:
    return arg.expr if arg.type == T.STRING else cv.to_text(arg.expr, arg.type)


# --------------------------------------------------------------------------------------------
# time


def _now_typer(types: Types, consts: Consts) -> ScalarType:
    if types:
        _expect("now", "first", types[0], consts[0], lambda t: t == T.TIMESPAN, "a timespan offset")
    return T.DATETIME


@register("now", 0, 1, _now_typer, doc="the query's clock reading (UTC), plus an optional offset")
def _now(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    # ctx.now is read once per query, so every now()/ago() in a query sees the same instant
    now = _lit(ctx.now, T.DATETIME)
    return now + args[0].expr if args else now


@register("ago", 1, 1, _typed(T.DATETIME, ("first", lambda t: t == T.TIMESPAN, "a timespan"))("ago"))
def _ago(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return _lit(ctx.now, T.DATETIME) - args[0].expr


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
        return _lit(None, result)
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
    _expect("datetime_add", "second", types[1], consts[1], _integer, "an integer amount")
    _expect("datetime_add", "third", types[2], consts[2], lambda t: t == T.DATETIME, "a datetime")
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
        _expect("datetime_diff", position, t, c, lambda t: t == T.DATETIME, "a datetime")
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


# --------------------------------------------------------------------------------------------
# conditionals and nulls


def _choice_type(name: str, values: Sequence[ScalarType], consts: Sequence[Any]) -> ScalarType:
    result = cv.common_type(values, consts)
    if result is None:
        raise SignatureError(f"{name}() branches must have one type, got {', '.join(map(str, values))}")
    return result


def _case_typer(name: str) -> Typer:
    def typer(types: Types, consts: Consts) -> ScalarType:
        if len(types) < 3 or len(types) % 2 == 0:
            raise SignatureError(f"{name}() takes predicate/value pairs followed by an else value")
        for i in range(0, len(types) - 1, 2):
            _expect(name, f"#{i + 1}", types[i], consts[i], lambda t: t == T.BOOL, "a bool predicate")
        values = [*types[1::2], types[-1]]
        value_consts = [*consts[1::2], consts[-1]]
        return _choice_type(name, values, value_consts)

    return typer


def _case(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    """The value of the first true predicate, else the last argument; a null predicate counts as
    false (``iif(bool(null), a, b)`` is ``b``)."""
    result = _case_typer("case")(tuple(a.type for a in args), tuple(a.const for a in args))
    dtype = polars_dtype(result)
    pairs = [(args[i], args[i + 1]) for i in range(0, len(args) - 1, 2)]
    chain: Any = pl
    for predicate, value in pairs:
        chain = chain.when(predicate.expr).then(value.expr.cast(dtype))
    return chain.otherwise(args[-1].expr.cast(dtype))


register("case", 3, None, _case_typer("case"), doc="first value whose predicate is true")(_case)
register("iif", 3, 3, _case_typer("iif"), aliases=("iff",), doc="if-then-else")(_case)


def _isnull(arg: Arg) -> pl.Expr:
    # a dynamic value is null when missing or when it holds JSON null
    return arg.expr.is_null() | (arg.expr == "null") if arg.type == T.DYNAMIC else arg.expr.is_null()


def _any_typer(result: ScalarType) -> Typer:
    return lambda types, consts: result


@register("isnull", 1, 1, _any_typer(T.BOOL), doc="true when the value is null ('' is not null)")
def _is_null(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return _isnull(args[0])


@register("isnotnull", 1, 1, _any_typer(T.BOOL), doc="true when the value is not null")
def _is_not_null(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return ~_isnull(args[0])


def _isempty(arg: Arg) -> pl.Expr:
    if arg.type == T.STRING:
        return arg.expr.is_null() | (arg.expr == "")
    if arg.type == T.DYNAMIC:
        return _isnull(arg) | (arg.expr == '""')
    return arg.expr.is_null()


@register("isempty", 1, 1, _any_typer(T.BOOL), dialects=KQL_ONLY, doc="null or empty string")
def _is_empty(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return _isempty(args[0])


@register("isnotempty", 1, 1, _any_typer(T.BOOL), dialects=KQL_ONLY, doc="neither null nor empty string")
def _is_not_empty(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return ~_isempty(args[0])


@register("not", 1, 1, _typed(T.BOOL, ("first", lambda t: t == T.BOOL, "a bool"))("not"), doc="negation")
def _not(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return ~args[0].expr


def _coalesce_typer(types: Types, consts: Consts) -> ScalarType:
    return _choice_type("coalesce", types, consts)


@register(
    "coalesce", 1, 64, _coalesce_typer, dialects=KQL_ONLY, doc="first non-null (non-empty string) value"
)
def _coalesce(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    dtype = polars_dtype(_coalesce_typer(tuple(a.type for a in args), tuple(a.const for a in args)))
    # Kusto's strings have no null, so coalesce skips empty strings instead
    exprs = [pl.when(a.expr != "").then(a.expr) if a.type == T.STRING else a.expr for a in args]
    return pl.coalesce([e.cast(dtype) for e in exprs])


# --------------------------------------------------------------------------------------------
# strings


@register("tostring", 1, 1, _any_typer(T.STRING), doc="string form; null becomes ''")
def _tostring(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return cv.to_text(args[0].expr, args[0].type, null_as_empty=True)


def _strcat_typer(types: Types, consts: Consts) -> ScalarType:
    return T.STRING


@register("strcat", 1, 64, _strcat_typer, doc="concatenation; non-strings via tostring(), null as ''")
def _strcat(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return pl.concat_str([cv.to_text(a.expr, a.type, null_as_empty=True) for a in args])


def _stringish(t: ScalarType) -> bool:
    return t in (T.STRING, T.DYNAMIC)


@register(
    "strlen", 1, 1, _typed(T.LONG, ("first", _stringish, "a string"))("strlen"), doc="length in characters"
)
def _strlen(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    # Unicode code points, as Kusto counts them ('Çedilla' with a combining cedilla is 8)
    return _text(args[0]).str.len_chars().cast(pl.Int64)


_substring_typer = _typed(
    T.STRING, ("first", lambda t: True, "a value"), ("second", _integer, "an integer start"),
    ("third", _integer, "an integer length"),
)("substring")  # fmt: skip


@register("substring", 2, 3, _substring_typer, doc="characters [start, start+length)")
def _substring(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    """Zero-based; a negative start counts from the end (``substring('123456', -2, 2) == '56'``,
    Kusto docs); ranges reaching past either end are cut to the string; a negative length is 0."""
    source, start = _text(args[0]), args[1]
    if any(a.is_const and a.const is None for a in args[1:]):
        return _lit(None, T.STRING)
    if len(args) == 2:
        return source.str.slice(start.expr.cast(pl.Int64))
    length = args[2]
    sliced = source.str.slice(start.expr.cast(pl.Int64), length.expr.cast(pl.Int64).clip(lower_bound=0))
    # polars reads a null length as "to the end"; Kusto's null length gives null
    return sliced if length.is_const else pl.when(length.expr.is_null()).then(None).otherwise(sliced)


_indexof_typer = _typed(
    T.LONG, ("first", lambda t: True, "a value"), ("second", lambda t: True, "a value"),
    ("third", _integer, "an integer start"), ("fourth", _integer, "an integer length"),
    ("fifth", _integer, "an integer occurrence"),
)("indexof")  # fmt: skip


def indexof_value(
    source: str, lookup: str, start: int = 0, length: int = -1, occurrence: int = 1
) -> int | None:
    """Kusto's indexof on one value (msdocs indexof examples).

    A negative start counts from the end; ``length`` (-1: no limit) bounds the characters
    examined; for the n-th occurrence the search restarts one character after the previous match
    with the same ``length`` window. ``length < -1`` or ``occurrence < 1`` give null.
    """
    if length < -1 or occurrence < 1:
        return None
    if start < 0:
        start = max(len(source) + start, 0)
    found = -1
    for _ in range(occurrence):
        if start > len(source):
            return -1
        end = len(source) if length == -1 else min(start + length, len(source))
        found = source.find(lookup, start, end)
        if found < 0:
            return -1
        start = found + 1
    return found


@register("indexof", 2, 5, _indexof_typer, doc="zero-based index of the n-th occurrence, -1 if none")
def _indexof(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    source, lookup = _text(args[0]), _text(args[1])
    defaults = (0, -1, 1)
    extra = args[2:]
    if args[1].is_const and all(a.is_const and a.const == d for a, d in zip(extra, defaults, strict=False)):
        # the common two-argument form, vectorised: the character length of the text before the
        # first match (polars' str.find counts bytes, not characters)
        needle = cv.convert_constant(args[1].const, args[1].type, T.STRING)
        if needle is None:
            return _lit(None, T.LONG)
        if needle == "":  # the empty string is found at once
            return pl.when(source.is_null()).then(None).otherwise(pl.lit(0, dtype=pl.Int64))
        before = source.str.splitn(needle, 2).struct.field("field_0").str.len_chars().cast(pl.Int64)
        return (
            pl.when(source.str.contains(needle, literal=True))
            .then(before)
            .otherwise(pl.when(source.is_null()).then(None).otherwise(-1))
        )
    fields = [
        source.alias("s"),
        lookup.alias("l"),
        *(a.expr.cast(pl.Int64).alias(f"a{i}") for i, a in enumerate(extra)),
    ]

    def per_row(batch: pl.Series) -> pl.Series:
        out = []
        for row in batch.to_list():
            values = list(row.values())
            out.append(None if any(v is None for v in values) else indexof_value(*values))
        return pl.Series(out, dtype=pl.Int64)

    return pl.struct(fields).map_batches(per_row, return_dtype=pl.Int64, is_elementwise=True)


def _case_fn(name: str, method: Callable[[pl.Expr], pl.Expr]) -> None:
    @register(name, 1, 1, _any_typer(T.STRING), dialects=KQL_ONLY, doc=f"{name} of the string form")
    def impl(args: Sequence[Arg], ctx: Context) -> pl.Expr:
        return method(_text(args[0]))


_case_fn("tolower", lambda e: e.str.to_lowercase())
_case_fn("toupper", lambda e: e.str.to_uppercase())


_split_typer = _typed(
    T.DYNAMIC, ("first", _stringish, "a string"), ("second", _stringish, "a string delimiter"),
    ("third", _integer, "an integer index"),
)("split")  # fmt: skip


@register("split", 2, 3, _split_typer, dialects=KQL_ONLY, doc="split into a dynamic array of strings")
def _split(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    """``split('a__b', '_')`` is ``["a","","b"]``; with an index, a one-element array (empty when
    out of range)."""
    parts = _text(args[0]).str.split(_text(args[1]))
    if len(args) == 3:
        parts = parts.list.slice(args[2].expr.cast(pl.Int64), 1)
    return cv.json_encode(parts)


def _normalise_json(text: str) -> str | None:
    if text.strip() == "":
        return None
    try:
        return cv.dumps(json.loads(text))
    except ValueError:
        return cv.dumps(text)  # not JSON: the dynamic value is the string itself


@register(
    "parse_json", 1, 1, _any_typer(T.DYNAMIC), dialects=KQL_ONLY, aliases=("todynamic",), doc="text → dynamic"
)
def _parse_json(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    (x,) = args
    if x.type != T.STRING:
        return cv.to_json(x.expr, x.type)
    return x.expr.map_batches(
        lambda s: pl.Series(
            [None if v is None else _normalise_json(v) for v in s.to_list()], dtype=pl.String
        ),
        return_dtype=pl.String,
        is_elementwise=True,
    )


# --------------------------------------------------------------------------------------------
# conversions and maths


def _register_cast(names: Sequence[str], target: ScalarType, dialects: frozenset[str] = KQL_ONLY) -> None:
    def typer(types: Types, consts: Consts) -> ScalarType:
        if not cv.convertible(types[0], target):
            raise SignatureError(f"{names[0]}() cannot convert {types[0]} to {target}")
        return target

    def impl(args: Sequence[Arg], ctx: Context) -> pl.Expr:
        return cv.convert(args[0].expr, args[0].type, target)

    register(names[0], 1, 1, typer, dialects=dialects, aliases=names[1:], doc=f"convert to {target}")(impl)


_register_cast(("toint",), T.INT)
_register_cast(("tolong",), T.LONG)
_register_cast(("todouble", "toreal"), T.REAL)
_register_cast(("tobool", "toboolean"), T.BOOL)
_register_cast(("todatetime",), T.DATETIME)
_register_cast(("totimespan",), T.TIMESPAN)
# typed-literal constructors used as functions: int(5), real(null), timespan(25min), guid('…')
_register_cast(("int",), T.INT)
_register_cast(("long",), T.LONG)
_register_cast(("real", "double", "decimal"), T.REAL)
_register_cast(("bool", "boolean"), T.BOOL)
_register_cast(("string", "guid"), T.STRING)
_register_cast(("timespan", "time"), T.TIMESPAN)


def _abs_typer(types: Types, consts: Consts) -> ScalarType:
    _expect(
        "abs", "first", types[0], consts[0], lambda t: t.is_numeric or t == T.TIMESPAN, "a number or timespan"
    )
    return types[0]


@register("abs", 1, 1, _abs_typer, dialects=KQL_ONLY, doc="absolute value")
def _abs(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return args[0].expr.abs()


def _round_typer(types: Types, consts: Consts) -> ScalarType:
    _expect("round", "first", types[0], consts[0], lambda t: t.is_numeric, "a number")
    if len(types) == 2 and (consts[1] is NOT_CONST or not types[1].is_integer):
        raise SignatureError("round() needs a constant integer precision as its second argument")
    return T.LONG if types[0].is_integer else T.REAL


@register("round", 1, 2, _round_typer, dialects=KQL_ONLY, doc="round half away from zero to a precision")
def _round(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    """Midpoints round away from zero (``round(2.5) == 3``, ``round(-50.55, -2) == -100``)."""
    x = args[0]
    digits = int(args[1].const or 0) if len(args) == 2 else 0
    if x.type.is_integer and digits >= 0:
        return x.expr.cast(pl.Int64)
    value = x.expr.cast(pl.Float64)
    if digits >= 0:
        rounded = value.round(digits, mode="half_away_from_zero")
    else:
        scale = 10.0 ** (-digits)
        rounded = (value / scale).round(0, mode="half_away_from_zero") * scale
    return rounded.cast(polars_dtype(_round_typer((x.type,), (x.const,))))
