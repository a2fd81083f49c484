"""The function registry: every scalar function, operator and aggregation the engine knows.

One entry per name holds both halves of a function, so the planner and the evaluator can never
disagree about it:

* ``typer(types, consts)`` — the result type for these argument types (``consts`` holds each
  argument's value when it is a constant, else ``NOT_CONST``), or raise ``SignatureError`` with a
  message for the user;
* ``impl(args, ctx)`` — the polars expression computing it.

Operators are registered under their symbol or keyword (``==``, ``+``, ``contains``, ``!like``,
``in``, ``between``, ``matches regex``, unary ``neg``) and are called like functions.
The definitions live in ``operators.py``, ``scalars.py`` and ``aggregations.py``; importing this
module imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..language.dialect import BOTH as BOTH  # which dialects offer a function: defined with them
from ..language.dialect import KQL_ONLY as KQL_ONLY
from ..language.types import ScalarType
from .ir import Aggregate, Apply, Bound, Col, Const, Context


class _NotConst:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_CONST"


NOT_CONST: Any = _NotConst()
"""Marks an argument whose value is not known before evaluation."""


class SignatureError(Exception):
    """Raised by a typer: the message is shown to the user as a semantic error."""


@dataclass(frozen=True)
class Arg:
    """One evaluated argument: its polars expression, its type, and its value if constant."""

    expr: pl.Expr
    type: ScalarType
    const: Any = NOT_CONST

    @property
    def is_const(self) -> bool:
        return self.const is not NOT_CONST


Typer = Callable[[tuple[ScalarType, ...], tuple[Any, ...]], ScalarType]
ScalarImpl = Callable[[Sequence[Arg], Context], pl.Expr]
AggregateImpl = Callable[[Sequence[Arg], tuple[Any, ...], Context], pl.Expr]


@dataclass(frozen=True)
class Function:
    name: str
    min_args: int
    max_args: int | None
    typer: Typer
    impl: Callable[..., pl.Expr]
    dialects: frozenset[str] = BOTH
    aggregate: bool = False
    doc: str = ""
    # aggregations only: leading arguments that are row expressions; the rest must be constants
    # and are passed as ``options`` (percentile's P, make_list's size limit)
    row_args: int | None = None


REGISTRY: dict[str, Function] = {}


def register(
    name: str,
    min_args: int,
    max_args: int | None,
    typer: Typer,
    *,
    dialects: frozenset[str] = BOTH,
    aggregate: bool = False,
    doc: str = "",
    aliases: Sequence[str] = (),
    row_args: int | None = None,
) -> Callable[[Callable[..., pl.Expr]], Callable[..., pl.Expr]]:
    """Decorator: register ``impl`` under ``name`` (and ``aliases``), case-insensitively."""

    def deco(impl: Callable[..., pl.Expr]) -> Callable[..., pl.Expr]:
        fn = Function(name, min_args, max_args, typer, impl, dialects, aggregate, doc, row_args)
        for key in (name, *aliases):
            REGISTRY[key.lower()] = fn
        return impl

    return deco


def lookup(name: str) -> Function | None:
    return REGISTRY.get(name.lower())


def compile_expr(expr: Bound, ctx: Context) -> pl.Expr:
    """The polars expression for a typed expression."""
    if isinstance(expr, Col):
        return pl.col(expr.name)
    if isinstance(expr, Const):
        return const_expr(expr.value, expr.type)
    fn = REGISTRY[expr.function.lower()]
    args = [_arg(a, ctx) for a in expr.args]
    return fn.impl(args, ctx)


def compile_aggregate(agg: Aggregate, ctx: Context) -> pl.Expr:
    fn = REGISTRY[agg.function.lower()]
    return fn.impl([_arg(a, ctx) for a in agg.args], agg.options, ctx)


def _arg(expr: Bound, ctx: Context) -> Arg:
    if isinstance(expr, Const):
        return Arg(const_expr(expr.value, expr.type), expr.type, expr.value)
    return Arg(compile_expr(expr, ctx), expr.type)


def polars_dtype(t: ScalarType) -> pl.DataType:
    """The polars dtype that holds values of scalar type ``t`` (dynamic values are JSON text)."""
    return _DTYPES[t]


_DTYPES: dict[ScalarType, pl.DataType] = {
    ScalarType.BOOL: pl.Boolean(),
    ScalarType.INT: pl.Int32(),
    ScalarType.LONG: pl.Int64(),
    ScalarType.REAL: pl.Float64(),
    ScalarType.STRING: pl.String(),
    ScalarType.DATETIME: pl.Datetime("ns", "UTC"),
    ScalarType.TIMESPAN: pl.Duration("ns"),
    ScalarType.DYNAMIC: pl.String(),
}


def const_expr(value: Any, t: ScalarType) -> pl.Expr:
    return pl.lit(value, dtype=_DTYPES[t])


def fold_constant(expr: Apply, ctx: Context) -> Const | None:
    """Evaluate an expression whose arguments are all constants, or None if that fails."""
    if not all(isinstance(a, Const) for a in expr.args):
        return None
    try:
        value = pl.select(compile_expr(expr, ctx).alias("v")).item()
    except Exception:  # a function that cannot run without rows: leave it to evaluation
        return None
    return Const(value, expr.type)


def _load_definitions() -> None:
    from . import aggregations, operators, scalars  # noqa: F401  (they register themselves)


_load_definitions()
