"""Typed expressions: what the planner hands the evaluator.

The planner resolves every name of the syntax tree against a schema, names every output column
and types every expression; the result is a tree of three node kinds:

* ``Col(name, type)`` — an input column, by its canonical (schema) spelling;
* ``Const(value, type)`` — a constant, already in engine form (UTC datetimes, timedeltas, JSON text
  for dynamic);
* ``Apply(function, args, type)`` — a scalar function *or operator* from the registry in
  ``functions.py`` (operators are functions named by their symbol: ``==``, ``contains``, ``in``, …).

Aggregations appear only at the top of a summarize item, as ``Aggregate``.

``Context`` carries what an expression needs besides its inputs: the query's clock and the
dialect's string-equality rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..language.dialect import Dialect, dialect_named
from ..language.types import ScalarType


@dataclass(frozen=True)
class Col:
    name: str
    type: ScalarType

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Const:
    value: Any
    type: ScalarType

    def __str__(self) -> str:
        return "null" if self.value is None else repr(self.value)


@dataclass(frozen=True)
class Apply:
    function: str
    args: tuple[Bound, ...]
    type: ScalarType

    def __str__(self) -> str:
        return f"{self.function}({', '.join(map(str, self.args))})"


Bound = Col | Const | Apply


@dataclass(frozen=True)
class Aggregate:
    """An aggregation call in a summarize: ``function(args)`` typed ``type``.

    ``args`` may be empty (``count()``). ``options`` holds constant extra arguments that are not
    expressions over rows, e.g. the percentile for ``percentile(x, 95)`` or the size limit of
    ``make_list(x, 10)``.
    """

    function: str
    args: tuple[Bound, ...]
    type: ScalarType
    options: tuple[Any, ...] = ()

    def __str__(self) -> str:
        inner = [*map(str, self.args), *map(repr, self.options)]
        return f"{self.function}({', '.join(inner)})"


@dataclass(frozen=True)
class Context:
    """What evaluation needs besides rows.

    ``now`` is the query's single clock reading (UTC): ``now()`` and ``ago()`` use it, so one query
    sees one instant. ``case_insensitive`` is the CMPivot rule for ``== != < <= > >=`` on strings
    (§9.2 of the language reference); the kql dialect compares case-sensitively, as Kusto does.
    """

    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    case_insensitive: bool = True
    kusto_null_equality: bool = False
    """Kusto's rule for == and != with exactly one null side (false / true); CMPivot keeps null."""

    @classmethod
    def for_dialect(cls, dialect: str | Dialect, now: dt.datetime | None = None) -> Context:
        """The cmpivot dialect's rules (§9), or Kusto's for the kql dialect."""
        rules = dialect_named(dialect)
        return cls(now=now or dt.datetime.now(dt.UTC), case_insensitive=rules.case_insensitive,
                   kusto_null_equality=rules.kusto_null_equality)


def constant_value(expr: Bound) -> Any:
    """The value of a constant expression, or raise LookupError when it is not one."""
    if isinstance(expr, Const):
        return expr.value
    raise LookupError("not a constant")
