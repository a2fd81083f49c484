"""The function registry: the table every scalar function, operator and aggregation is entered in.

One entry per name holds both halves of a function, so the planner and the evaluator can never
disagree about it:

* ``typer(types, consts)`` — the result type for these argument types (``consts`` holds each
  argument's value when it is a constant, else ``NOT_CONST``), or raise ``SignatureError`` with a
  message for the user;
* ``impl(args, ctx)`` — the polars expression computing it.

This module is the bottom of the function layer: the definition modules (``operators.py``,
``predicates.py``, ``scalars.py``, ``datetimes.py``, ``strings.py``, ``aggregations.py``) import it
to ``register`` themselves, and ``functions.py`` imports them all and is what the planner and the
evaluator read. Nothing here imports a definition module, so there is no cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..language.types import ScalarType
from .frames import polars_dtype
from .ir import Context

BOTH = frozenset({"cmpivot", "kql"})
KQL_ONLY = frozenset({"kql"})


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


def const_expr(value: Any, t: ScalarType) -> pl.Expr:
    """A constant of scalar type ``t`` as a polars literal of the engine's dtype."""
    return pl.lit(value, dtype=polars_dtype(t))
