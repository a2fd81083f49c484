"""Scalar operators: arithmetic, comparison, logic and dynamic access (``predicates.py`` has the rest).

Operators are registry entries named by their symbol or keyword and called like functions
(``Apply("==", (left, right), BOOL)``). Each entry pairs a typer, which the planner runs to reject
ill-typed queries with a readable message, with an implementation that builds one vectorised
polars expression. Besides CMPivot's documented list, the cmpivot dialect accepts the KQL operators
the front-end issue names as part of the language — ``=~ !~ has in !in in~ !in~ between matches
regex`` — because the client evaluates queries with Kusto's own engine (§3.3) and ``{list}``
interpolation needs ``in``; the ``_cs`` forms, ``hasprefix``/``hassuffix`` and dynamic access stay
kql-only.

Null rule for every predicate here: a null operand yields null, never true or false, so ``where``
drops the row — for ``!=``, ``!contains`` and the other negations too (§4.2, §9.15 of the language
reference). ``and``/``or`` are the exception: they follow Kleene logic (``false and null`` is false).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from ..language.types import ScalarType
from . import coerce as cv
from .frames import polars_dtype
from .ir import Context
from .registry import BOTH, KQL_ONLY, NOT_CONST, Arg, SignatureError, register

T = ScalarType
Types = tuple[ScalarType, ...]
Consts = tuple[Any, ...]

# --------------------------------------------------------------------------------------------
# arithmetic

# temporal operand pairs and their result, per operator (numbers are handled by promote)
_TEMPORAL: dict[str, dict[tuple[ScalarType, ScalarType], ScalarType]] = {
    "+": {(T.DATETIME, T.TIMESPAN): T.DATETIME, (T.TIMESPAN, T.DATETIME): T.DATETIME,
          (T.TIMESPAN, T.TIMESPAN): T.TIMESPAN},
    "-": {(T.DATETIME, T.TIMESPAN): T.DATETIME, (T.DATETIME, T.DATETIME): T.TIMESPAN,
          (T.TIMESPAN, T.TIMESPAN): T.TIMESPAN},
    "*": {(T.TIMESPAN, T.LONG): T.TIMESPAN, (T.TIMESPAN, T.REAL): T.TIMESPAN,
          (T.LONG, T.TIMESPAN): T.TIMESPAN, (T.REAL, T.TIMESPAN): T.TIMESPAN},
    "/": {(T.TIMESPAN, T.LONG): T.TIMESPAN, (T.TIMESPAN, T.REAL): T.TIMESPAN,
          (T.TIMESPAN, T.TIMESPAN): T.REAL},
    "%": {},
}  # fmt: skip


def numberish(t: ScalarType) -> bool:
    return t.is_numeric or t == T.DYNAMIC


def _widen(t: ScalarType) -> ScalarType:
    return T.LONG if t == T.INT else t


def _arithmetic_type(op: str, a: ScalarType, b: ScalarType) -> ScalarType:
    if numberish(a) and numberish(b):
        return cv.promote((a, b))
    result = _TEMPORAL[op].get((_widen(a), _widen(b)))
    if result is None:
        raise SignatureError(f"operator '{op}' cannot combine {a} and {b}")
    return result


def _register_arithmetic(op: str, compute: Callable[[pl.Expr, pl.Expr, ScalarType, Types], pl.Expr]) -> None:
    def typer(types: Types, consts: Consts) -> ScalarType:
        return _arithmetic_type(op, *types)

    def impl(args: Sequence[Arg], ctx: Context) -> pl.Expr:
        types = (args[0].type, args[1].type)
        result = _arithmetic_type(op, *types)
        a, b = (_as_number(x, result) for x in args)
        return compute(a, b, result, types)

    register(op, 2, 2, typer, doc=f"arithmetic '{op}'")(impl)


def _as_number(arg: Arg, result: ScalarType) -> pl.Expr:
    """Numbers are computed in the result's dtype (long or real); temporals as they are."""
    if arg.type == T.DYNAMIC:
        return cv.convert(arg.expr, T.DYNAMIC, T.REAL)
    if arg.type.is_numeric and result.is_numeric:
        return arg.expr.cast(polars_dtype(result))
    return arg.expr


def _add(a: pl.Expr, b: pl.Expr, result: ScalarType, types: Types) -> pl.Expr:
    return a + b


def _sub(a: pl.Expr, b: pl.Expr, result: ScalarType, types: Types) -> pl.Expr:
    return a - b


def _mul(a: pl.Expr, b: pl.Expr, result: ScalarType, types: Types) -> pl.Expr:
    # polars multiplies a duration by a number, not a number by a duration
    return b * a if types[1] == T.TIMESPAN else a * b


def _div(a: pl.Expr, b: pl.Expr, result: ScalarType, types: Types) -> pl.Expr:
    """Integer division truncates toward zero (``-7 / 2 == -3``) and yields null for a zero
    divisor; real division follows IEEE (``1.0 / 0`` is +∞)."""
    if types == (T.TIMESPAN, T.TIMESPAN):
        return a.dt.total_nanoseconds().cast(pl.Float64) / b.dt.total_nanoseconds().cast(pl.Float64)
    if result == T.LONG:
        return a.truncdiv(b)
    return a / b


def _mod(a: pl.Expr, b: pl.Expr, result: ScalarType, types: Types) -> pl.Expr:
    """Modulo is never negative, whatever the signs: ``-14 % 12 == 10`` and ``14 % -12 == 2``
    (Kusto docs, numerical-operators). Polars' ``%`` takes the divisor's sign, so taking it
    modulo ``|b|`` gives exactly that; a zero divisor gives null."""
    return a % b.abs()


for _op, _fn in (("+", _add), ("-", _sub), ("*", _mul), ("/", _div), ("%", _mod)):
    _register_arithmetic(_op, _fn)


def _neg_typer(types: Types, consts: Consts) -> ScalarType:
    (t,) = types
    if t.is_numeric or t == T.TIMESPAN:
        return t
    if t == T.DYNAMIC:
        return T.REAL
    raise SignatureError(f"unary '-' expects a number or a timespan, got {t}")


@register("neg", 1, 1, _neg_typer, doc="unary minus")
def _neg(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    (x,) = args
    return -(cv.convert(x.expr, T.DYNAMIC, T.REAL) if x.type == T.DYNAMIC else x.expr)


# --------------------------------------------------------------------------------------------
# comparison


def comparison_type(a: ScalarType, b: ScalarType, ca: Any, cb: Any, op: str) -> ScalarType:
    """The type both sides are compared as.

    Numbers compare with numbers; a dynamic side is read as the other side's type; otherwise a
    constant is converted to the other side's type, DataTable-style (``ProductType == '1'``,
    ``EnableSMB1Protocol == 'True'``, ``Value == 1`` on a string column).
    """
    if a.is_numeric and b.is_numeric:
        return cv.promote((a, b))
    if a == b:
        return a
    # a dynamic number may be fractional, so it meets any number as real
    if b == T.DYNAMIC:
        return T.REAL if a.is_numeric else a
    if a == T.DYNAMIC:
        return T.REAL if b.is_numeric else b
    for value, source, target in ((cb, b, a), (ca, a, b)):
        if value is NOT_CONST:
            continue
        try:
            cv.convert_constant(value, source, target)
        except cv.ConversionError as err:
            raise SignatureError(f"cannot compare {a} with {b} using '{op}': {err}") from None
        return target
    raise SignatureError(f"cannot compare {a} with {b} using '{op}'")


def comparison_operand(arg: Arg, kind: ScalarType) -> pl.Expr:
    """``arg`` as a value of the comparison type ``kind``."""
    if arg.type == kind or (arg.type.is_numeric and kind.is_numeric):
        return arg.expr
    if arg.is_const:
        return pl.lit(cv.convert_constant(arg.const, arg.type, kind), dtype=polars_dtype(kind))
    return cv.convert(arg.expr, arg.type, kind)


def _constant_text(arg: Arg, kind: ScalarType) -> str | None:
    """The converted value of a constant string operand, else None."""
    if not arg.is_const or kind != T.STRING:
        return None
    value = cv.convert_constant(arg.const, arg.type, T.STRING)
    return value if isinstance(value, str) else None


def _register_comparison(
    op: str, compare: Callable[[pl.Expr, pl.Expr], pl.Expr], dialects: frozenset[str]
) -> None:
    def typer(types: Types, consts: Consts) -> ScalarType:
        comparison_type(types[0], types[1], consts[0], consts[1], op)
        return T.BOOL

    def impl(args: Sequence[Arg], ctx: Context) -> pl.Expr:
        left, right = args
        kind = comparison_type(left.type, right.type, left.const, right.const, op)
        ci = kind == T.STRING and (ctx.case_insensitive or op in ("=~", "!~"))
        result = _compare(op, compare, left, right, kind, ci)
        if ctx.kusto_null_equality and op in ("==", "!=", "=~", "!~"):
            # Kusto (kql dialect): when exactly one side is null, == is false and != is true;
            # CMPivot's rule (§9.15) keeps null, so where drops the row either way
            one_null = left.expr.is_null() ^ right.expr.is_null()
            return pl.when(one_null).then(pl.lit(op in ("!=", "!~"))).otherwise(result)
        return result

    register(op, 2, 2, typer, dialects=dialects, doc=f"comparison '{op}'")(impl)


def _compare(
    op: str, compare: Callable[[pl.Expr, pl.Expr], pl.Expr], left: Arg, right: Arg, kind: ScalarType, ci: bool
) -> pl.Expr:
    """Strings compare case-insensitively when ``ci`` (CMPivot's rule, §9.2; always for ``=~``):
    ordinal comparison of the lower-cased texts. Equality with a constant runs as an anchored
    ``(?i)`` regex instead, which polars evaluates ~3.5× faster than lower-casing the column."""
    a, b = comparison_operand(left, kind), comparison_operand(right, kind)
    if not ci:
        return compare(a, b)
    if op in ("==", "!=", "=~", "!~"):
        for column, const_arg in ((a, right), (b, left)):
            text = _constant_text(const_arg, kind)
            if text is not None:
                same = column.str.contains(f"(?i)\\A{pl.escape_regex(text)}\\z")
                return same if op in ("==", "=~") else ~same
    return compare(_lower(a, left, kind), _lower(b, right, kind))


def _lower(expr: pl.Expr, arg: Arg, kind: ScalarType) -> pl.Expr:
    text = _constant_text(arg, kind)
    if text is not None:
        return pl.lit(text.lower(), dtype=pl.String)
    return expr.str.to_lowercase()


for _op, _cmp, _dialects in (
    ("==", pl.Expr.eq, BOTH),
    ("!=", pl.Expr.ne, BOTH),
    ("<", pl.Expr.lt, BOTH),
    ("<=", pl.Expr.le, BOTH),
    (">", pl.Expr.gt, BOTH),
    (">=", pl.Expr.ge, BOTH),
    ("=~", pl.Expr.eq, BOTH),
    ("!~", pl.Expr.ne, BOTH),
):
    _register_comparison(_op, _cmp, _dialects)


# --------------------------------------------------------------------------------------------
# logic


def _logic_typer(types: Types, consts: Consts) -> ScalarType:
    for t, c in zip(types, consts, strict=True):
        if t != T.BOOL and c is not None:
            raise SignatureError(f"'and'/'or' expect bool operands, got {t}")
    return T.BOOL


@register("and", 2, 2, _logic_typer, doc="Kleene conjunction: false and null is false")
def _and(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    # polars' & and | are three-valued already: false & null = false, true | null = true
    return _as_bool(args[0]) & _as_bool(args[1])


@register("or", 2, 2, _logic_typer, doc="Kleene disjunction: true or null is true")
def _or(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    return _as_bool(args[0]) | _as_bool(args[1])


def _as_bool(arg: Arg) -> pl.Expr:
    return arg.expr if arg.type == T.BOOL else pl.lit(None, dtype=pl.Boolean)


# --------------------------------------------------------------------------------------------
# dynamic access


def _access_typer(op: str, key_types: tuple[ScalarType, ...]) -> Callable[[Types, Consts], ScalarType]:
    def typer(types: Types, consts: Consts) -> ScalarType:
        if types[0] != T.DYNAMIC:
            raise SignatureError(f"{op} needs a dynamic value, got {types[0]}; use parse_json() first")
        if consts[1] is NOT_CONST or types[1] not in key_types:
            names = " or ".join(map(str, key_types))
            raise SignatureError(f"{op} needs a constant {names} key")
        return T.DYNAMIC

    return typer


def _lookup(value: Any, key: Any) -> str | None:
    """``value[key]`` as JSON text: a string key reads an object property (case-sensitive), an
    integer key an array element (negative counts from the end); a miss is null."""
    if isinstance(key, str) and isinstance(value, dict):
        return cv.dumps(value[key]) if key in value else None
    if isinstance(key, int) and isinstance(value, list) and -len(value) <= key < len(value):
        return cv.dumps(value[key])
    return None


def _access(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    obj, key = args
    if key.const is None:
        return pl.lit(None, dtype=pl.String)
    found = cv.map_json(obj.expr, lambda v: _lookup(v, key.const), pl.String())
    # JSON null inside the value is a null dynamic, like a miss
    return pl.when(found == "null").then(None).otherwise(found)


register("member", 2, 2, _access_typer("member access", (T.STRING,)), dialects=KQL_ONLY, doc="d.key")(_access)
register("index", 2, 2, _access_typer("indexing", (T.LONG, T.INT, T.STRING)), dialects=KQL_ONLY, doc="d[i]")(
    _access
)
