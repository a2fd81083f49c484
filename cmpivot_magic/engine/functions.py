"""The functions the engine knows: the registry filled, and typed expressions compiled to polars.

Importing this module imports every definition module, each of which enters its functions in
``registry.REGISTRY``: operators under their symbol or keyword (``==``, ``+``, ``contains``,
``!like``, ``in``, ``between``, ``matches regex``, unary ``neg``, called like functions), scalar
functions and aggregations under their names. The planner looks names up here (``lookup``) and
the evaluator compiles bound expressions here (``compile_expr``, ``compile_aggregate``), so both
read the same complete table.

The registry's own names (``Function``, ``Arg``, ``NOT_CONST``, ``SignatureError``, ``register``,
``BOTH``, ``KQL_ONLY``) are re-exported for readers of the function layer.
"""

from __future__ import annotations

import polars as pl

from . import aggregations, datetimes, operators, predicates, scalars, strings  # noqa: F401  (they register)
from .frames import polars_dtype
from .ir import Aggregate, Apply, Bound, Col, Const, Context
from .registry import (
    BOTH,
    KQL_ONLY,
    NOT_CONST,
    REGISTRY,
    Arg,
    Function,
    SignatureError,
    Typer,
    const_expr,
    register,
)


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


def fold_constant(expr: Apply, ctx: Context) -> Const | None:
    """Evaluate an expression whose arguments are all constants, or None if that fails."""
    if not all(isinstance(a, Const) for a in expr.args):
        return None
    try:
        value = pl.select(compile_expr(expr, ctx).alias("v")).item()
    except Exception:  # a function that cannot run without rows: leave it to evaluation
        return None
    return Const(value, expr.type)


__all__ = [
    "BOTH",
    "KQL_ONLY",
    "NOT_CONST",
    "REGISTRY",
    "Arg",
    "Function",
    "SignatureError",
    "Typer",
    "compile_aggregate",
    "compile_expr",
    "const_expr",
    "fold_constant",
    "lookup",
    "polars_dtype",
    "register",
]
