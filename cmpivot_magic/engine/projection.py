"""The operators that shape columns → ``Select`` and ``Expand`` steps: project, extend, project-away,
project-rename, project-reorder, mv-expand, and the sort keys of order by and top.

``Projector`` holds the planner's ``Binder`` (composition, as ``summarize.Summarizer`` does): it
binds each item's expression, names unnamed columns the dialect's way, and keeps track of the
column that carries each row's device — ``project`` without ``Device`` keeps it in a hidden column
(§9.6).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..language import nodes as n
from ..language.types import ScalarType
from . import plan as p
from .binder import Binder, Scope, fresh, schema_of
from .ir import Apply, Bound, Col


class Projector:
    """Plans the column-shaping operators over the planner's ``binder``."""

    def __init__(self, binder: Binder) -> None:
        self.binder = binder

    def project(
        self, items: tuple[n.Assign, ...], schema: p.Schema, scope: Scope, *, keep_all: bool
    ) -> tuple[p.Step, p.Schema]:
        if keep_all:
            out: dict[str, Bound] = {c: Col(c, t) for c, t in schema.columns}
            added: dict[str, Bound] = {}  # columns this extend adds, as opposed to replaces
            for a in items:
                # An item sees the input row plus the columns earlier items added. A name of an
                # input column means its input value even after an earlier item replaced it:
                # `extend x = x + 1, y = x` gives y the old x (Kusto tutorial, extend).
                current = p.Schema(
                    schema.columns + tuple((k, v.type) for k, v in added.items()), schema.device
                )
                expr = _inline(self.binder.bind(a.expr, current, scope), added)
                name = a.name or self.binder.auto_name(a.expr, out, None)
                key = (schema.resolve(name) if a.name is None else None) or name
                out[key] = expr
                if key not in schema:
                    added[key] = expr
            cols = list(out.items())
            device = schema.device
        else:
            cols = self.assignments(items, schema, scope)
            device = None
            if schema.device is not None:
                keep = [c for c, e in cols if isinstance(e, Col) and e.name == schema.device]
                if keep:
                    device = keep[0]
                else:  # the device association survives project (§9.6)
                    cols.append((p.HIDDEN_DEVICE, Col(schema.device, ScalarType.STRING)))
                    device = p.HIDDEN_DEVICE
        return p.Select(tuple(cols)), schema_of(cols, device)

    def assignments(
        self, items: tuple[n.Assign, ...], schema: p.Schema, scope: Scope, unnamed: Any = None
    ) -> list[tuple[str, Bound]]:
        out: dict[str, Bound] = {}
        for i, a in enumerate(items):
            expr = self.binder.bind(a.expr, schema, scope)
            if a.name is not None:
                name = a.name
            elif unnamed is not None:
                name = fresh(unnamed(i, a.expr), out)
            else:
                name = self.binder.auto_name(a.expr, out, expr)
            if name in out and a.name is not None:
                raise self.binder.error(f"column '{name}' is assigned twice", a)
            out[name] = expr
        return list(out.items())

    def match(self, pattern: str, schema: p.Schema, node: Any) -> list[str]:
        if "*" not in pattern:
            c = schema.resolve(pattern)
            if c is None:
                raise self.binder.unknown_column(pattern, schema, node)
            return [c]
        rx = re.compile("^" + ".*".join(map(re.escape, pattern.split("*"))) + "$", re.IGNORECASE)
        return [c for c, _ in schema.columns if rx.match(c)]

    def reorder(self, op: n.ProjectReorder, schema: p.Schema) -> tuple[p.Step, p.Schema]:
        first: list[str] = []
        for pattern, order in op.items:
            matched = [c for c in self.match(pattern, schema, op) if c not in first]
            if order in ("asc", "granny-asc"):
                matched.sort()
            elif order in ("desc", "granny-desc"):
                matched.sort(reverse=True)
            first += matched
        names = first + [c for c, _ in schema.columns if c not in first]
        cols = tuple((c, Col(c, schema.type_of(c))) for c in names)
        return p.Select(cols), schema_of(list(cols), schema.device)

    def sort_key(self, k: n.SortKey, schema: p.Schema, scope: Scope) -> p.SortKey:
        expr = self.binder.bind(k.expr, schema, scope)
        descending = k.order != "asc"  # Kusto's default is descending (§9.8)
        nulls_last = k.nulls == "last" if k.nulls else descending
        return p.SortKey(expr, descending, nulls_last)

    def mv_expand(self, op: n.MvExpand, schema: p.Schema, scope: Scope) -> tuple[p.Step, p.Schema]:
        cols: list[tuple[str, ScalarType | None]] = []
        pre: dict[str, Bound] = {c: Col(c, t) for c, t in schema.columns}
        for i, a in enumerate(op.items):
            expr = self.binder.bind(a.expr, schema, scope)
            name = a.name or (expr.name if isinstance(expr, Col) else self.binder.auto_name(a.expr, pre, expr))
            pre[name] = expr
            t = op.types[i] if i < len(op.types) else None
            cols.append((name, ScalarType(t) if t else None))
        out = [
            (c, next((t or ScalarType.DYNAMIC for n_, t in cols if n_ == c), e.type)) for c, e in pre.items()
        ]
        if op.item_index:
            out.append((op.item_index, ScalarType.LONG))
        kind = op.kind or "bag"
        step = p.Expand(tuple(cols), kind, op.item_index)
        if any(not isinstance(e, Col) or e.name != c for c, e in pre.items()):
            raise self.binder.error(
                "mv-expand of a computed expression: extend it first, then mv-expand the column", op
            )
        return step, p.Schema(tuple(out), schema.device)


def _inline(expr: Bound, out: Mapping[str, Bound]) -> Bound:
    """Substitute the columns earlier extend items added into a later item, so one Select
    computes them all."""
    if isinstance(expr, Col):
        return out.get(expr.name, expr)
    if isinstance(expr, Apply):
        return Apply(expr.function, tuple(_inline(a, out) for a in expr.args), expr.type)
    return expr
