"""Scalar operators: arithmetic, comparison, logic, string matching, membership, dynamic access.

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

import json
from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from ..language.types import ScalarType
from . import coerce as cv
from .functions import BOTH, KQL_ONLY, NOT_CONST, Arg, SignatureError, polars_dtype, register
from .ir import Context

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


def _numberish(t: ScalarType) -> bool:
    return t.is_numeric or t == T.DYNAMIC


def _widen(t: ScalarType) -> ScalarType:
    return T.LONG if t == T.INT else t


def _arithmetic_type(op: str, a: ScalarType, b: ScalarType) -> ScalarType:
    if _numberish(a) and _numberish(b):
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


def _comparison_type(a: ScalarType, b: ScalarType, ca: Any, cb: Any, op: str) -> ScalarType:
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


def _operand(arg: Arg, kind: ScalarType) -> pl.Expr:
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
        _comparison_type(types[0], types[1], consts[0], consts[1], op)
        return T.BOOL

    def impl(args: Sequence[Arg], ctx: Context) -> pl.Expr:
        left, right = args
        kind = _comparison_type(left.type, right.type, left.const, right.const, op)
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
    a, b = _operand(left, kind), _operand(right, kind)
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


# n-ary: the parser makes one node of a whole `a and b and c …` chain (nodes.Logical)
@register("and", 2, None, _logic_typer, doc="Kleene conjunction: false and null is false")
def _and(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    # polars' & and | are three-valued already: false & null = false, true | null = true; so are
    # all_horizontal and any_horizontal, which take a long chain as one flat expression
    if len(args) == 2:
        return _as_bool(args[0]) & _as_bool(args[1])
    return pl.all_horizontal([_as_bool(a) for a in args])


@register("or", 2, None, _logic_typer, doc="Kleene disjunction: true or null is true")
def _or(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    if len(args) == 2:
        return _as_bool(args[0]) | _as_bool(args[1])
    return pl.any_horizontal([_as_bool(a) for a in args])


def _as_bool(arg: Arg) -> pl.Expr:
    return arg.expr if arg.type == T.BOOL else pl.lit(None, dtype=pl.Boolean)


# --------------------------------------------------------------------------------------------
# string matching

_TERM_START = r"(?:\A|[^\p{L}\p{N}])"
_TERM_END = r"(?:\z|[^\p{L}\p{N}])"
# regex text around the escaped needle; `has` matches whole terms, where a term is a maximal run
# of letters and digits (Unicode-aware, so "wörld" is one term)
_AROUND: dict[str, tuple[str, str]] = {
    "contains": ("", ""),
    "startswith": (r"\A", ""),
    "endswith": ("", r"\z"),
    "has": (_TERM_START, _TERM_END),
    "hasprefix": (_TERM_START, ""),
    "hassuffix": ("", _TERM_END),
}


def _text(arg: Arg) -> pl.Expr:
    return arg.expr if arg.type == T.STRING else cv.to_text(arg.expr, arg.type)


def _string_typer(op: str) -> Callable[[Types, Consts], ScalarType]:
    def typer(types: Types, consts: Consts) -> ScalarType:
        right, const = types[1], consts[1]
        if right not in (T.STRING, T.DYNAMIC) and const is NOT_CONST:
            raise SignatureError(f"'{op}' expects a string on its right, got {right}")
        return T.BOOL

    return typer


def _null_bool() -> pl.Expr:
    return pl.lit(None, dtype=pl.Boolean)


def _matcher(kind: str, cs: bool) -> Callable[[Sequence[Arg], Context], pl.Expr]:
    before, after = _AROUND[kind]
    flags = "" if cs else "(?i)"

    def match(args: Sequence[Arg], ctx: Context) -> pl.Expr:
        left, right = _text(args[0]), args[1]
        if right.is_const:
            needle = cv.convert_constant(right.const, right.type, T.STRING)
            if needle is None:
                return _null_bool()
            if cs and kind == "contains":
                return left.str.contains(needle, literal=True)
            if cs and kind == "startswith":
                return left.str.starts_with(needle)
            if cs and kind == "endswith":
                return left.str.ends_with(needle)
            # case-insensitive: one (?i) regex, measured ~2× faster than lower-casing the column
            return left.str.contains(f"{flags}{before}{pl.escape_regex(needle)}{after}")
        needle_expr = _text(right)
        if kind in ("contains", "startswith", "endswith"):
            if not cs:
                left, needle_expr = left.str.to_lowercase(), needle_expr.str.to_lowercase()
            if kind == "contains":
                return left.str.contains(needle_expr, literal=True)
            method = left.str.starts_with if kind == "startswith" else left.str.ends_with
            return method(needle_expr)
        # a per-row pattern: polars compiles (and caches) one regex per distinct needle
        pattern = pl.concat_str([pl.lit(flags + before), needle_expr.str.escape_regex(), pl.lit(after)])
        return left.str.contains(pattern)

    return match


def _register_string_op(name: str, kind: str, cs: bool, dialects: frozenset[str]) -> None:
    match = _matcher(kind, cs)

    def negated(args: Sequence[Arg], ctx: Context) -> pl.Expr:
        return ~match(args, ctx)  # ~null is null: a null left drops the row for !op as well

    register(name, 2, 2, _string_typer(name), dialects=dialects, doc=f"string '{name}'")(match)
    register("!" + name, 2, 2, _string_typer("!" + name), dialects=dialects, doc=f"string '!{name}'")(negated)


for _kind in _AROUND:
    _register_string_op(
        _kind, _kind, False, BOTH if _kind in ("contains", "startswith", "endswith", "has") else KQL_ONLY
    )
    _register_string_op(_kind + "_cs", _kind, True, KQL_ONLY)


def like_regex(pattern: str) -> str:
    """SQL LIKE → regex: the whole string must match; ``%`` is any run of characters (possibly
    empty), ``_`` exactly one; case-insensitive; every other character, ``[`` and ``]`` included,
    is literal and there is no escape character (§4.2, §9.3).

    Leading/trailing ``%`` become an unanchored end rather than ``.*``, so ``%abc%`` runs as a
    plain case-insensitive substring search.
    """
    body = pattern.lstrip("%")
    start = "" if len(body) < len(pattern) else r"\A"
    stripped = body.rstrip("%")
    end = "" if len(stripped) < len(body) else r"\z"
    parts = [".*" if ch == "%" else "." if ch == "_" else pl.escape_regex(ch) for ch in stripped]
    return f"(?is){start}{''.join(parts)}{end}"


def _like(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    left, right = _text(args[0]), args[1]
    if right.is_const:
        pattern = cv.convert_constant(right.const, right.type, T.STRING)
        return _null_bool() if pattern is None else left.str.contains(like_regex(pattern))
    translated = (
        _text(right)
        .str.escape_regex()
        .str.replace_all("%", ".*", literal=True)
        .str.replace_all("_", ".", literal=True)
    )
    return left.str.contains(pl.concat_str([pl.lit(r"(?is)\A"), translated, pl.lit(r"\z")]))


register("like", 2, 2, _string_typer("like"), doc="SQL LIKE, case-insensitive")(_like)
register("!like", 2, 2, _string_typer("!like"), doc="negated SQL LIKE")(lambda args, ctx: ~_like(args, ctx))


def _regex_typer(types: Types, consts: Consts) -> ScalarType:
    _string_typer("matches regex")(types, consts)
    pattern = consts[1]
    if isinstance(pattern, str):
        try:
            pl.select(pl.lit("").str.contains(pattern))
        except Exception as err:  # polars reports a bad pattern as a compute error
            raise SignatureError(f"invalid regular expression {pattern!r}: {err}") from None
    return T.BOOL


@register("matches regex", 2, 2, _regex_typer, dialects=BOTH, doc="case-sensitive regex search")
def _matches_regex(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    left, right = _text(args[0]), args[1]
    if right.is_const:
        return _null_bool() if right.const is None else left.str.contains(str(right.const))
    # a bad per-row pattern gives null rather than failing the whole query
    return left.str.contains(_text(right), strict=False)


# --------------------------------------------------------------------------------------------
# membership and ranges

_REGEX_ALTERNATION_LIMIT = 500  # beyond this, lower-case the column and use is_in instead


def _items(args: Sequence[Arg]) -> list[Arg]:
    """The right-hand items, with constant dynamic arrays spread into their elements."""
    items: list[Arg] = []
    for arg in args:
        if arg.type == T.DYNAMIC and isinstance(arg.const, str):
            value = json.loads(arg.const)
            for v in value if isinstance(value, list) else [value]:
                t = (T.BOOL if isinstance(v, bool) else T.LONG if isinstance(v, int)
                     else T.REAL if isinstance(v, float) else T.STRING)  # fmt: skip
                v = v if isinstance(v, str | int | float) or v is None else cv.dumps(v)
                items.append(Arg(pl.lit(v, dtype=polars_dtype(t)), t, v))
        else:
            items.append(arg)
    return items


def _in_typer(op: str) -> Callable[[Types, Consts], ScalarType]:
    def typer(types: Types, consts: Consts) -> ScalarType:
        for t, c in zip(types[1:], consts[1:], strict=True):
            if not (t == T.DYNAMIC and c is not NOT_CONST):
                _comparison_type(types[0], t, consts[0], c, op)
        return T.BOOL

    return typer


def _membership(args: Sequence[Arg], ci: bool) -> pl.Expr:
    """``x in (a, b, …)``: equality with any item, by the rule of ``==`` (so case-insensitive for
    strings when ``ci``); null items never match and a null ``x`` gives null."""
    left, items = args[0], _items(args[1:])
    kinds = [_comparison_type(left.type, i.type, left.const, i.const, "in") for i in items]
    kind = (
        cv.promote(kinds)
        if kinds and all(k.is_numeric for k in kinds)
        else (kinds[0] if kinds else left.type)
    )
    x = _operand(left, kind)
    if kind.is_numeric:
        x = x.cast(polars_dtype(kind))
    consts = [cv.convert_constant(i.const, i.type, kind) for i in items if i.is_const]
    consts = [v for v in consts if v is not None]
    exprs = [_operand(i, kind) for i in items if not i.is_const]
    ci = ci and kind == T.STRING
    tests: list[pl.Expr] = []
    if consts and ci and len(consts) <= _REGEX_ALTERNATION_LIMIT:
        alternatives = "|".join(pl.escape_regex(v) for v in consts)
        tests.append(x.str.contains(f"(?i)\\A(?:{alternatives})\\z"))
    elif consts:
        values = [v.lower() for v in consts] if ci else consts
        tests.append(
            (x.str.to_lowercase() if ci else x).is_in(pl.Series(values, dtype=polars_dtype(kind)).implode())
        )
    for e in exprs:
        tests.append(x.str.to_lowercase() == e.str.to_lowercase() if ci else x == e)
    if not tests:  # nothing to match (only null items): false, or null for a null x
        return pl.when(x.is_null()).then(None).otherwise(False)
    result = tests[0]
    for t in tests[1:]:
        result = result | t
    # `a | b` would make a null x with a matching non-constant item true; keep null x null
    return result if len(tests) == 1 else pl.when(x.is_null()).then(None).otherwise(result)


register("in", 2, None, _in_typer("in"), dialects=BOTH, doc="membership, by the rule of ==")(
    lambda args, ctx: _membership(args, ctx.case_insensitive)
)
register("!in", 2, None, _in_typer("!in"), dialects=BOTH, doc="negated membership")(
    lambda args, ctx: ~_membership(args, ctx.case_insensitive)
)
register("in~", 2, None, _in_typer("in~"), dialects=BOTH, doc="case-insensitive membership")(
    lambda args, ctx: _membership(args, True)
)
register("!in~", 2, None, _in_typer("!in~"), dialects=BOTH, doc="negated case-insensitive membership")(
    lambda args, ctx: ~_membership(args, True)
)


def _between_typer(op: str) -> Callable[[Types, Consts], ScalarType]:
    def typer(types: Types, consts: Consts) -> ScalarType:
        x = types[0]
        if not (_numberish(x) or x in (T.DATETIME, T.TIMESPAN)):
            raise SignatureError(f"'{op}' applies to numbers, datetimes and timespans, got {x}")
        _comparison_type(x, types[1], consts[0], consts[1], op)
        if not (x == T.DATETIME and types[2] == T.TIMESPAN):
            _comparison_type(x, types[2], consts[0], consts[2], op)
        return T.BOOL

    return typer


def _between(args: Sequence[Arg]) -> pl.Expr:
    """``x between (low .. high)`` is ``low <= x <= high``; for a datetime ``x`` a timespan
    ``high`` means ``low + high`` (Kusto)."""
    x, low, high = args
    kind = _comparison_type(x.type, low.type, x.const, low.const, "between")
    lo = _operand(low, kind)
    if x.type == T.DATETIME and high.type == T.TIMESPAN:
        hi = lo + high.expr
    else:
        hi = _operand(high, _comparison_type(x.type, high.type, x.const, high.const, "between"))
    value = _operand(x, kind)
    return (value >= lo) & (value <= hi)


register("between", 3, 3, _between_typer("between"), dialects=BOTH, doc="inclusive range test")(
    lambda args, ctx: _between(args)
)
register("!between", 3, 3, _between_typer("!between"), dialects=BOTH, doc="negated range test")(
    lambda args, ctx: ~_between(args)
)


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
