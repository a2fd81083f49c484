"""The syntax tree: what the parser returns and the planner reads.

Every node is a frozen dataclass. ``span`` (character offsets into the query text) is kept for
error messages but takes no part in equality, so ``parse(str(q)) == q`` compares meaning, not
layout. Names keep the spelling the user typed; the planner resolves them case-insensitively.
No pandas, polars or lark here. The expression nodes live in ``expr_nodes.py``; this module
re-exports them, so ``nodes`` names every node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from typing import Literal as TypingLiteral

from .expr_nodes import (
    Assign,
    Between,
    Binary,
    BinaryOp,
    Call,
    Expr,
    Index,
    InList,
    Literal,
    Logical,
    Member,
    Name,
    Node,
    Span,
    Star,
    Unary,
    span_field,
)

_span = span_field

# ---------------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class EntityRef(Node):
    """A table: a CMPivot entity (``Process``, ``Registry('hklm:\\...')``, ``EventLog('System', 1d)``)
    or, in the kql dialect, a table given to ``evaluate`` or bound by ``let``."""

    name: str
    args: tuple[Expr, ...] = ()
    span: Span | None = _span()


@dataclass(frozen=True)
class DataTable(Node):
    """``datatable(a:long, b:string) [1, 'x', ...]`` (kql dialect). ``values`` is row-major."""

    columns: tuple[tuple[str, str], ...]
    values: tuple[Expr, ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class Print(Node):
    """``print a = 1, 2`` (kql dialect): one row."""

    items: tuple[Assign, ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class Range(Node):
    """``range x from 1 to 10 step 1`` (kql dialect)."""

    column: str
    start: Expr
    stop: Expr
    step: Expr
    span: Span | None = _span()


Source = EntityRef | DataTable | Print | Range  # or a parenthesised Pipeline


# ---------------------------------------------------------------------------------- operators


@dataclass(frozen=True)
class Where(Node):
    predicate: Expr
    span: Span | None = _span()


@dataclass(frozen=True)
class Project(Node):
    items: tuple[Assign, ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class Extend(Node):
    """kql dialect."""

    items: tuple[Assign, ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class ProjectAway(Node):
    """kql dialect. ``patterns`` may use ``*`` wildcards."""

    patterns: tuple[str, ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class ProjectRename(Node):
    """kql dialect. ``pairs`` are ``(new_name, old_name)``."""

    pairs: tuple[tuple[str, str], ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class ProjectReorder(Node):
    """kql dialect. ``items`` are ``(pattern, order)`` with order None, 'asc', 'desc',
    'granny-asc' or 'granny-desc'."""

    items: tuple[tuple[str, str | None], ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class Summarize(Node):
    aggregates: tuple[Assign, ...]
    by: tuple[Assign, ...] = ()
    span: Span | None = _span()


@dataclass(frozen=True)
class Count(Node):
    """``count`` (``count as Name`` in the kql dialect)."""

    alias: str | None = None
    span: Span | None = _span()


@dataclass(frozen=True)
class Distinct(Node):
    """``distinct a, b`` or ``distinct *`` (columns == ('*',))."""

    columns: tuple[str, ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class JoinKey(Node):
    """One equality of a kql ``on`` clause: ``on Key`` is ``JoinKey('Key', 'Key')``."""

    left: str
    right: str
    span: Span | None = _span()


@dataclass(frozen=True)
class Join(Node):
    """``join [kind=K] (Right) [on ...]``. CMPivot joins have no ``on``: they match on Device."""

    kind: str | None
    right: Pipeline
    on: tuple[JoinKey, ...] = ()
    span: Span | None = _span()


@dataclass(frozen=True)
class SortKey(Node):
    """``expr [asc|desc] [nulls first|last]``; None means the operator's default."""

    expr: Expr
    order: TypingLiteral["asc", "desc"] | None = None
    nulls: TypingLiteral["first", "last"] | None = None
    span: Span | None = _span()


@dataclass(frozen=True)
class OrderBy(Node):
    """``order by`` (``sort by`` in the kql dialect)."""

    keys: tuple[SortKey, ...]
    span: Span | None = _span()
    keyword: str = field(default="order", compare=False, repr=False, kw_only=True)  # or "sort"


@dataclass(frozen=True)
class Take(Node):
    """``take N`` (``limit N`` in the kql dialect)."""

    count: Expr
    span: Span | None = _span()
    keyword: str = field(default="take", compare=False, repr=False, kw_only=True)  # or "limit"


@dataclass(frozen=True)
class Top(Node):
    count: Expr
    key: SortKey
    span: Span | None = _span()


@dataclass(frozen=True)
class MvExpand(Node):
    """``mv-expand [kind=bag|array] [with_itemindex=I] col [to typeof(T)], ...`` (kql dialect)."""

    items: tuple[Assign, ...]
    kind: str | None = None
    item_index: str | None = None
    types: tuple[str | None, ...] = ()
    span: Span | None = _span()


@dataclass(frozen=True)
class Render(Node):
    """``render KIND [with (prop=value, ...)]``; values are str, int, float or bool."""

    kind: str
    properties: tuple[tuple[str, Any], ...] = ()
    span: Span | None = _span()


Operator = (
    Where
    | Project
    | Extend
    | ProjectAway
    | ProjectRename
    | ProjectReorder
    | Summarize
    | Count
    | Distinct
    | Join
    | OrderBy
    | Take
    | Top
    | MvExpand
    | Render
)


# ---------------------------------------------------------------------------------- statements


@dataclass(frozen=True)
class Pipeline(Node):
    """``source | op | op ...``. The source may itself be a parenthesised pipeline."""

    source: Source | Pipeline
    operators: tuple[Operator, ...] = ()
    span: Span | None = _span()


@dataclass(frozen=True)
class Let(Node):
    """``let name = expr;`` or ``let name = tabular;`` (kql dialect)."""

    name: str
    value: Expr | Pipeline
    span: Span | None = _span()


@dataclass(frozen=True)
class QueryText(Node):
    """A whole query: ``let`` statements, then one tabular expression."""

    lets: tuple[Let, ...]
    body: Pipeline
    span: Span | None = _span()


__all__ = [
    "Assign",
    "Between",
    "Binary",
    "BinaryOp",
    "Call",
    "Count",
    "DataTable",
    "Distinct",
    "EntityRef",
    "Expr",
    "Extend",
    "InList",
    "Index",
    "Join",
    "JoinKey",
    "Let",
    "Literal",
    "Logical",
    "Member",
    "MvExpand",
    "Name",
    "Node",
    "Operator",
    "OrderBy",
    "Pipeline",
    "Print",
    "Project",
    "ProjectAway",
    "ProjectRename",
    "ProjectReorder",
    "QueryText",
    "Range",
    "Render",
    "SortKey",
    "Source",
    "Span",
    "Star",
    "Summarize",
    "Take",
    "Top",
    "Unary",
    "Where",
]
