"""Scalar functions: conditionals, nulls, conversions and maths, and the helpers all scalar modules share.

CMPivot's documented set (§5 of the language reference) and the KQL extras are split by subject:
time in ``datetimes.py``, text in ``strings.py``, the rest here.

Each entry pairs a typer (argument checks, result type) with a vectorised polars
implementation. CMPivot's functions are registered for both dialects; conversions, string case
functions, ``split``/``parse_json``, ``coalesce`` and the maths helpers only for kql.

Null rule: a null argument gives a null result, except where Kusto defines a value — ``tostring``
and ``strcat`` read null as ``""``, ``isnull``/``isnotnull``/``isempty``/``isnotempty`` answer
true or false, ``iif``/``case`` treat a null condition as false, ``coalesce`` skips nulls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from ..language.types import ScalarType
from . import coerce as cv
from .frames import polars_dtype
from .ir import Context
from .registry import KQL_ONLY, NOT_CONST, Arg, SignatureError, register

T = ScalarType
Types = tuple[ScalarType, ...]
Consts = tuple[Any, ...]
Typer = Callable[[Types, Consts], ScalarType]


def expect_arg(
    name: str, position: str, t: ScalarType, const: Any, allowed: Callable[[ScalarType], bool], what: str
) -> None:
    """Raise the user-facing error for an argument of the wrong type (a null constant fits any)."""
    if const is None or allowed(t):
        return
    raise SignatureError(f"{name}() expects {what} as its {position} argument, got {t}")


def is_integer(t: ScalarType) -> bool:
    return t.is_integer


def typed(
    result: ScalarType, *checks: tuple[str, Callable[[ScalarType], bool], str]
) -> Callable[[str], Typer]:
    """A typer for a fixed signature: one (position, predicate, description) per argument."""

    def make(name: str) -> Typer:
        def typer(types: Types, consts: Consts) -> ScalarType:
            for (position, allowed, what), t, c in zip(checks, types, consts, strict=False):
                expect_arg(name, position, t, c, allowed, what)
            return result

        return typer

    return make


def typed_lit(value: Any, t: ScalarType) -> pl.Expr:
    return pl.lit(value, dtype=polars_dtype(t))


def as_text(arg: Arg) -> pl.Expr:
    return arg.expr if arg.type == T.STRING else cv.to_text(arg.expr, arg.type)


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
            expect_arg(name, f"#{i + 1}", types[i], consts[i], lambda t: t == T.BOOL, "a bool predicate")
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


def any_typer(result: ScalarType) -> Typer:
    return lambda types, consts: result


@register("isnull", 1, 1, any_typer(T.BOOL), doc="true when the value is null ('' is not null)")
def _is_null(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return _isnull(args[0])


@register("isnotnull", 1, 1, any_typer(T.BOOL), doc="true when the value is not null")
def _is_not_null(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return ~_isnull(args[0])


def _isempty(arg: Arg) -> pl.Expr:
    if arg.type == T.STRING:
        return arg.expr.is_null() | (arg.expr == "")
    if arg.type == T.DYNAMIC:
        return _isnull(arg) | (arg.expr == '""')
    return arg.expr.is_null()


@register("isempty", 1, 1, any_typer(T.BOOL), dialects=KQL_ONLY, doc="null or empty string")
def _is_empty(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return _isempty(args[0])


@register("isnotempty", 1, 1, any_typer(T.BOOL), dialects=KQL_ONLY, doc="neither null nor empty string")
def _is_not_empty(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return ~_isempty(args[0])


@register("not", 1, 1, typed(T.BOOL, ("first", lambda t: t == T.BOOL, "a bool"))("not"), doc="negation")
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
    expect_arg(
        "abs", "first", types[0], consts[0], lambda t: t.is_numeric or t == T.TIMESPAN, "a number or timespan"
    )
    return types[0]


@register("abs", 1, 1, _abs_typer, dialects=KQL_ONLY, doc="absolute value")
def _abs(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return args[0].expr.abs()


def _round_typer(types: Types, consts: Consts) -> ScalarType:
    expect_arg("round", "first", types[0], consts[0], lambda t: t.is_numeric, "a number")
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
