"""The transformer's tabular half: lark children → statements, sources and operators.

``Builder`` is the transformer that runs inline while lark parses (``parser.py``): no parse tree is
built; each method gets one rule's children (its rule or alias in ``grammar.lark``) and returns a
node whose span covers its tokens. The expression rules come from ``builder_exprs.ExprBuilder``.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer

from . import nodes as n
from .builder_exprs import ExprBuilder, ParseFailure, StringLit, span_of, tok_span
from .types import type_named


class Builder(ExprBuilder, Transformer[Token, Any]):
    """Builds nodes from lark children. One method per rule or alias of grammar.lark."""

    # ---- statements
    def start(self, c: list[Any]) -> n.QueryText:
        lets = tuple(x for x in c if isinstance(x, n.Let))
        body = next(x for x in c if isinstance(x, n.Pipeline))
        return n.QueryText(lets, body, span=span_of(c))

    def let_stmt(self, c: list[Any]) -> n.Let:
        return n.Let(c[1], c[2], span=span_of(c))

    def let_scalar(self, c: list[Any]) -> Any:
        return c[0]

    def let_pipeline(self, c: list[Any]) -> n.Pipeline:
        return n.Pipeline(c[0], tuple(c[1:]), span=span_of(c))

    def let_pipeline_on_name(self, c: list[Any]) -> n.Pipeline:
        return n.Pipeline(self._as_entity(c[0]), tuple(c[1:]), span=span_of(c))

    @staticmethod
    def _as_entity(expr: Any) -> n.EntityRef:
        if isinstance(expr, n.Name):
            return n.EntityRef(expr.name, (), span=expr.span)
        if isinstance(expr, n.Call):
            args = tuple(n.Literal(a.raw, "string", span=a.span) if isinstance(a, StringLit) else a for a in expr.args)
            return n.EntityRef(expr.name, args, span=expr.span)
        raise ParseFailure("a table is expected before '|'", expr.span or n.Span(0, 0))

    def pipeline(self, c: list[Any]) -> n.Pipeline:
        source = c[0]
        if isinstance(source, n.Pipeline) and not source.operators and len(c) == 1:
            return source
        return n.Pipeline(source, tuple(c[1:]), span=span_of(c))

    # ---- sources
    def entity(self, c: list[Any]) -> n.EntityRef:
        name = c[0]
        args: tuple[n.Expr, ...] = ()
        if len(c) > 1 and c[1] is not None:
            # CMPivot forwards an entity's string arguments verbatim: keep the raw text
            args = tuple(
                n.Literal(a.raw, "string", span=a.span) if isinstance(a, StringLit) else a for a in c[1]
            )
        return n.EntityRef(name, args, span=span_of(c))

    def datatable(self, c: list[Any]) -> n.DataTable:
        cols = tuple(x for x in c[1:] if isinstance(x, tuple))
        values = next((x for x in c[1:] if isinstance(x, list)), [])
        if len(cols) and len(values) % len(cols):
            raise ParseFailure(
                f"datatable has {len(cols)} columns but {len(values)} values, which is not a whole number of rows",
                span_of(c) or n.Span(0, 0),
            )
        return n.DataTable(cols, tuple(values), span=span_of(c))

    def column_decl(self, c: list[Any]) -> tuple[str, str]:
        t = type_named(str(c[1]))
        if t is None:
            raise ParseFailure(f"unknown type '{c[1]}'", tok_span(c[1]),
                               hint="types are bool, int, long, real, string, datetime, timespan, dynamic")
        return (c[0], t.value)

    def datatable_values(self, c: list[Any]) -> list[Any]:
        return list(c)

    def print(self, c: list[Any]) -> n.Print:
        return n.Print(tuple(c[1] or ()), span=span_of(c))

    def range(self, c: list[Any]) -> n.Range:
        return n.Range(c[1], c[3], c[5], c[7], span=span_of(c))

    # ---- operators
    def where(self, c: list[Any]) -> n.Where:
        return n.Where(c[1], span=span_of(c))

    def project(self, c: list[Any]) -> n.Project:
        return n.Project(tuple(c[1]), span=span_of(c))

    def extend(self, c: list[Any]) -> n.Extend:
        return n.Extend(tuple(c[1]), span=span_of(c))

    def project_away(self, c: list[Any]) -> n.ProjectAway:
        return n.ProjectAway(tuple(c[1:]), span=span_of(c))

    def project_rename(self, c: list[Any]) -> n.ProjectRename:
        return n.ProjectRename(tuple(c[1:]), span=span_of(c))

    def rename(self, c: list[Any]) -> tuple[str, str]:
        return (c[0], c[1])

    def project_reorder(self, c: list[Any]) -> n.ProjectReorder:
        return n.ProjectReorder(tuple(c[1:]), span=span_of(c))

    def reorder_item(self, c: list[Any]) -> tuple[str, str | None]:
        return (c[0], str(c[1]).lower() if c[1] is not None else None)

    def pattern(self, c: list[Any]) -> str:
        return "".join(str(x) for x in c if x is not None)

    def summarize(self, c: list[Any]) -> n.Summarize:
        return n.Summarize(tuple(c[1] or ()), tuple(c[3] or ()), span=span_of(c))

    def count(self, c: list[Any]) -> n.Count:
        return n.Count(c[2] if len(c) > 2 else None, span=span_of(c))

    def distinct(self, c: list[Any]) -> n.Distinct:
        cols = tuple("*" if isinstance(x, Token) and x.type == "STAR" else x for x in c[1:])
        return n.Distinct(cols, span=span_of(c))

    def join(self, c: list[Any]) -> n.Join:
        kind = str(c[2]).lower() if c[2] is not None else None
        right = c[3]
        if not isinstance(right, n.Pipeline):
            right = n.Pipeline(right, (), span=right.span)
        keys = tuple(x for x in c[5:] if isinstance(x, n.JoinKey))
        return n.Join(kind, right, keys, span=span_of(c))

    def join_entity(self, c: list[Any]) -> n.Pipeline:
        return n.Pipeline(c[0], (), span=c[0].span)

    def join_key(self, c: list[Any]) -> n.JoinKey:
        return n.JoinKey(c[0], c[0], span=span_of(c))

    def join_key_pair(self, c: list[Any]) -> n.JoinKey:
        if str(c[2]) != "==":
            raise ParseFailure("a join condition compares with '=='", tok_span(c[2]))
        return n.JoinKey(c[1], c[4], span=span_of(c))

    def order(self, c: list[Any]) -> n.OrderBy:
        keys = tuple(x for x in c if isinstance(x, n.SortKey))
        return n.OrderBy(keys, span=span_of(c), keyword=str(c[0]).lower())

    def sort_key(self, c: list[Any]) -> n.SortKey:
        order = str(c[1]).lower() if c[1] is not None else None
        nulls = str(c[3]).lower() if len(c) > 3 and c[3] is not None else None
        return n.SortKey(c[0], order, nulls, span=span_of(c))  # type: ignore[arg-type]

    def take(self, c: list[Any]) -> n.Take:
        return n.Take(c[1], span=span_of(c), keyword=str(c[0]).lower())

    def top(self, c: list[Any]) -> n.Top:
        return n.Top(c[1], c[3], span=span_of(c))

    def mv_expand(self, c: list[Any]) -> n.MvExpand:
        kind = index = None
        items: list[n.Assign] = []
        types: list[str | None] = []
        for x in c[1:]:
            if isinstance(x, tuple) and x[0] == "kind":
                kind = x[1]
            elif isinstance(x, tuple) and x[0] == "index":
                index = x[1]
            elif isinstance(x, tuple) and isinstance(x[0], n.Assign):
                items.append(x[0])
                types.append(x[1])
        return n.MvExpand(tuple(items), kind, index, tuple(types), span=span_of(c))

    def mv_kind(self, c: list[Any]) -> tuple[str, str]:
        return ("kind", str(c[1]).lower())

    def mv_index(self, c: list[Any]) -> tuple[str, str]:
        return ("index", c[1])

    def mv_item(self, c: list[Any]) -> tuple[n.Assign, str | None]:
        name, expr, type_name = c[0], c[1], c[4] if len(c) > 4 else None
        t = None
        if type_name is not None:
            st = type_named(str(type_name))
            if st is None:
                raise ParseFailure(f"unknown type '{type_name}'", tok_span(type_name))
            t = st.value
        return (n.Assign(name, expr, span=span_of(c)), t)

    def render(self, c: list[Any]) -> n.Render:
        props = tuple(x for x in c[2:] if isinstance(x, tuple))
        return n.Render(str(c[1]).lower(), props, span=span_of(c))

    def render_prop(self, c: list[Any]) -> tuple[str, Any]:
        value = c[1]
        if isinstance(value, n.Literal):
            value = value.value
        return (str(c[0]).lower(), value)

    def bare_word(self, c: list[Any]) -> str:
        return str(c[0])
