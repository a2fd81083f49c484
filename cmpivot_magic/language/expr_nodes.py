"""Expression nodes of the syntax tree, and what every node shares (``Span``, ``Node``).

``nodes.py`` re-exports all of these with the tabular nodes (sources, operators, statements), so
the rest of the package reads one module: ``from . import nodes as n``. Every node is a frozen
dataclass whose ``span`` takes no part in equality.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from typing import Literal as TypingLiteral


@dataclass(frozen=True)
class Span:
    """Half-open character range ``[start, end)`` in the query text."""

    start: int
    end: int


class Node:
    """Base of all syntax nodes."""

    __slots__ = ()


def span_field() -> Any:
    """The ``span`` field every node has: keyword-only, not compared, not shown."""
    return field(default=None, compare=False, repr=False, kw_only=True)


# ---------------------------------------------------------------------------------- expressions


@dataclass(frozen=True)
class Literal(Node):
    """A constant. ``type`` is a scalar type name (``ScalarType`` values: bool, int, long, real,
    string, datetime, timespan, dynamic). ``value`` is None (a typed null), bool, int, float or str;
    a datetime is an int of nanoseconds since 1970-01-01 UTC and a timespan an int of nanoseconds
    (exact to Kusto's 100 ns ticks, which Python's datetime cannot hold); dynamic is JSON text.
    An entity's string argument keeps its raw source text: CMPivot forwards it verbatim."""

    value: Any
    type: str
    span: Span | None = span_field()


@dataclass(frozen=True)
class Name(Node):
    """A column, or a scalar bound by ``let``. ``Device`` is a Name like any other."""

    name: str
    span: Span | None = span_field()


@dataclass(frozen=True)
class Star(Node):
    """``*`` as a function argument: ``arg_max(x, *)``, ``count(*)``."""

    span: Span | None = span_field()


@dataclass(frozen=True)
class Call(Node):
    """A function call, scalar or aggregate: ``strcat(a, b)``, ``count()``."""

    name: str
    args: tuple[Expr, ...]
    span: Span | None = span_field()


BinaryOp = str
"""One of: ``+ - * / %``, ``== != < <= > >= =~ !~``, ``and or``, and the string operators
``contains !contains contains_cs !contains_cs startswith !startswith startswith_cs !startswith_cs
endswith !endswith endswith_cs !endswith_cs has !has has_cs !has_cs hasprefix !hasprefix
hassuffix !hassuffix like !like matches regex``. Keywords are stored lower-case. ``and`` and ``or``
chains are ``Logical`` nodes, not ``Binary``."""


@dataclass(frozen=True)
class Binary(Node):
    op: BinaryOp
    left: Expr
    right: Expr
    span: Span | None = span_field()


@dataclass(frozen=True)
class Unary(Node):
    """``-x`` or ``+x``. Logical negation is the function ``not(x)``."""

    op: TypingLiteral["-", "+"]
    operand: Expr
    span: Span | None = span_field()


@dataclass(frozen=True)
class InList(Node):
    """``x in (a, b)``; op is one of ``in !in in~ !in~``."""

    op: str
    left: Expr
    items: tuple[Expr, ...]
    span: Span | None = span_field()


@dataclass(frozen=True)
class Between(Node):
    """``x between (low .. high)``, or ``!between`` when ``negated``."""

    left: Expr
    low: Expr
    high: Expr
    negated: bool = False
    span: Span | None = span_field()


@dataclass(frozen=True)
class Member(Node):
    """``x.name`` on a dynamic value (kql dialect)."""

    target: Expr
    name: str
    span: Span | None = span_field()


@dataclass(frozen=True)
class Index(Node):
    """``x[i]`` or ``x['key']`` on a dynamic value (kql dialect)."""

    target: Expr
    index: Expr
    span: Span | None = span_field()


@dataclass(frozen=True)
class Logical(Node):
    """``a and b and c`` or ``a or b or c``: one node for a whole chain of the same operator.

    ``and`` and ``or`` are associative (Kleene logic), so the parser flattens a chain into one
    node with two or more ``operands``, none of them a ``Logical`` of the same ``op``. A chain of
    50,000 conditions is then one level deep, not 50,000: nothing that walks the tree recurses
    per term. Precedence still shows: ``a and b or c`` is ``or(and(a, b), c)``."""

    op: TypingLiteral["and", "or"]
    operands: tuple[Expr, ...]
    span: Span | None = span_field()


Expr = Literal | Name | Star | Call | Binary | Logical | Unary | InList | Between | Member | Index


@dataclass(frozen=True)
class Assign(Node):
    """An output column: ``Name = expr``, or just ``expr`` when ``name`` is None (the planner
    then names it: the column's own name, ``count_``, the function's name, or ``ColumnN``)."""

    name: str | None
    expr: Expr
    span: Span | None = span_field()
