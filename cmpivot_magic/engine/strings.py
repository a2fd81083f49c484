"""Scalar functions over text: ``tostring``, ``strcat``, ``strlen``, ``substring``, ``indexof``,
case functions, ``split`` and ``parse_json``.

Registered like every scalar function (a typer and one polars expression per entry; the shared
helpers are in ``scalars.py``). Null rule: ``tostring`` and ``strcat`` read null as ``""``; the
others give null for a null argument.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import polars as pl

from ..language.types import ScalarType
from . import coerce as cv
from .ir import Context
from .registry import KQL_ONLY, Arg, register
from .scalars import Consts, T, Types, any_typer, as_text, is_integer, typed, typed_lit

# --------------------------------------------------------------------------------------------
# strings


@register("tostring", 1, 1, any_typer(T.STRING), doc="string form; null becomes ''")
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
    "strlen", 1, 1, typed(T.LONG, ("first", _stringish, "a string"))("strlen"), doc="length in characters"
)
def _strlen(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    # Unicode code points, as Kusto counts them ('Çedilla' with a combining cedilla is 8)
    return as_text(args[0]).str.len_chars().cast(pl.Int64)


_substring_typer = typed(
    T.STRING, ("first", lambda t: True, "a value"), ("second", is_integer, "an integer start"),
    ("third", is_integer, "an integer length"),
)("substring")  # fmt: skip


@register("substring", 2, 3, _substring_typer, doc="characters [start, start+length)")
def _substring(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    """Zero-based; a negative start counts from the end (``substring('123456', -2, 2) == '56'``,
    Kusto docs); ranges reaching past either end are cut to the string; a negative length is 0."""
    source, start = as_text(args[0]), args[1]
    if any(a.is_const and a.const is None for a in args[1:]):
        return typed_lit(None, T.STRING)
    if len(args) == 2:
        return source.str.slice(start.expr.cast(pl.Int64))
    length = args[2]
    sliced = source.str.slice(start.expr.cast(pl.Int64), length.expr.cast(pl.Int64).clip(lower_bound=0))
    # polars reads a null length as "to the end"; Kusto's null length gives null
    return sliced if length.is_const else pl.when(length.expr.is_null()).then(None).otherwise(sliced)


_indexof_typer = typed(
    T.LONG, ("first", lambda t: True, "a value"), ("second", lambda t: True, "a value"),
    ("third", is_integer, "an integer start"), ("fourth", is_integer, "an integer length"),
    ("fifth", is_integer, "an integer occurrence"),
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
    source, lookup = as_text(args[0]), as_text(args[1])
    defaults = (0, -1, 1)
    extra = args[2:]
    if args[1].is_const and all(a.is_const and a.const == d for a, d in zip(extra, defaults, strict=False)):
        # the common two-argument form, vectorised: the character length of the text before the
        # first match (polars' str.find counts bytes, not characters)
        needle = cv.convert_constant(args[1].const, args[1].type, T.STRING)
        if needle is None:
            return typed_lit(None, T.LONG)
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
    @register(name, 1, 1, any_typer(T.STRING), dialects=KQL_ONLY, doc=f"{name} of the string form")
    def impl(args: Sequence[Arg], ctx: Context) -> pl.Expr:
        return method(as_text(args[0]))


_case_fn("tolower", lambda e: e.str.to_lowercase())
_case_fn("toupper", lambda e: e.str.to_uppercase())


_split_typer = typed(
    T.DYNAMIC, ("first", _stringish, "a string"), ("second", _stringish, "a string delimiter"),
    ("third", is_integer, "an integer index"),
)("split")  # fmt: skip


@register("split", 2, 3, _split_typer, dialects=KQL_ONLY, doc="split into a dynamic array of strings")
def _split(args: Sequence[Arg], ctx: Context) -> pl.Expr:
    """``split('a__b', '_')`` is ``["a","","b"]``; with an index, a one-element array (empty when
    out of range)."""
    parts = as_text(args[0]).str.split(as_text(args[1]))
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
    "parse_json", 1, 1, any_typer(T.DYNAMIC), dialects=KQL_ONLY, aliases=("todynamic",), doc="text → dynamic"
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


