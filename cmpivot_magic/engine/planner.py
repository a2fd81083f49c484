"""Syntax tree → ``Plan``: names resolved, expressions typed, columns named, device part split off.

The planner is where a query gets its meaning. It resolves entity and table names, plans each
source and operator into steps with their output schemas (binding expressions through
``binder.py`` and summarize through ``summarize.py``), tracks which column carries each row's
device, and decides how many leading steps each device can evaluate on its own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from .. import catalog
from ..errors import QuerySemanticError, did_you_mean
from ..language import nodes as n
from ..language.types import ScalarType
from . import plan as p
from .binder import Scope, coerce_cell, fresh, schema_of
from .ir import Apply, Bound, Col, Const
from .summarize import SummarizeBinder

# Operators that keep each row with its own device: a prefix of these is the device part.
_ROW_LOCAL = (p.Filter, p.Select)


class Planner(SummarizeBinder):
    """Plans queries of one dialect against the catalog and, optionally, given table schemas.

    ``tables`` maps a table name to its schema. In the cmpivot dialect the names are entities and a
    given schema replaces the catalog's; in the kql dialect any name is a table. Expressions are
    bound by the layers below: ``binder.Binder`` (expressions) and ``summarize.SummarizeBinder``.
    """

    def __init__(
        self, dialect: str = "cmpivot", tables: Mapping[str, p.Schema] | None = None, text: str | None = None
    ) -> None:
        super().__init__(dialect, text)
        self.tables = dict(tables or {})

    # ------------------------------------------------------------------------------ query

    def plan(self, query: n.QueryText) -> p.Plan:
        scope = Scope(self.dialect, self.tables, text=self.text)
        for let in query.lets:
            if isinstance(let.value, n.Pipeline):
                scope.let_tables[let.name] = let.value
                scope.scalars.pop(let.name, None)
            else:
                scope.scalars[let.name] = self.bind(let.value, p.Schema(()), scope)
                scope.let_tables.pop(let.name, None)
        return self.plan_pipeline(query.body, scope)

    def plan_pipeline(self, pipeline: n.Pipeline, scope: Scope) -> p.Plan:
        steps: list[p.PlanStep] = list(self._source(pipeline.source, scope))
        render: p.RenderSpec | None = None
        for i, op in enumerate(pipeline.operators):
            if render is not None:
                raise self.error("render must be the last operator of the query", op)
            if isinstance(op, n.Render):
                render = self._render(op)
                continue
            schema = steps[-1].schema
            for step in self._operator(op, schema, scope):
                steps.append(p.PlanStep(step[0], step[1], i))
        device_steps, device_ops = self._device_split(steps, pipeline)
        projection: tuple[str, ...] = ()
        if 0 < device_steps < len(steps):
            device_steps, projection = self._narrow_device_part(steps, device_steps, device_ops)
        return p.Plan(tuple(steps), self.dialect, render, device_steps, device_ops, projection)

    @staticmethod
    def _narrow_device_part(steps: list[p.PlanStep], device_steps: int,
                            device_ops: int) -> tuple[int, tuple[str, ...]]:
        """When the global part starts by narrowing the rows (summarize, project, distinct, count)
        and reads only some columns, each device sends only those: less data over the wire and
        less risk of the 128 KB cap. The answer is unchanged."""
        first = steps[device_steps].step
        if not isinstance(first, p.Summarize | p.Select | p.Distinct | p.CountRows):
            return device_steps, ()
        schema = steps[device_steps - 1].schema
        needed = p.referenced_columns(steps[device_steps:])
        keep = [(c, t) for c, t in schema.columns if c in needed or c == schema.device]
        visible = tuple(c for c, _ in keep if c != p.HIDDEN_DEVICE)
        if len(keep) == len(schema.columns) or not visible:
            return device_steps, ()
        select = p.Select(tuple((c, Col(c, t)) for c, t in keep))
        steps.insert(device_steps, p.PlanStep(select, p.Schema(tuple(keep), schema.device), device_ops - 1))
        return device_steps + 1, visible

    def _device_split(self, steps: list[p.PlanStep], pipeline: n.Pipeline) -> tuple[int, int]:
        """The longest prefix of operators each device can evaluate alone (§3.3)."""
        if not self.dialect.runs_on_devices or not isinstance(pipeline.source, n.EntityRef):
            return 0, 0
        cut_op = len(pipeline.operators)
        for s in steps:
            if s.operator < 0:
                continue
            if not self._device_local(s):
                cut_op = s.operator
                break
        count = sum(1 for s in steps if s.operator < cut_op)
        render_last = pipeline.operators and isinstance(pipeline.operators[-1], n.Render)
        ops = min(cut_op, len(pipeline.operators) - (1 if render_last else 0))
        return count, ops

    @staticmethod
    def _device_local(s: p.PlanStep) -> bool:
        step = s.step
        if isinstance(step, (*_ROW_LOCAL, p.Join)):
            return True
        if isinstance(step, p.Summarize | p.Distinct):
            return s.schema.device is not None  # grouped by Device: each group is one device's
        return False

    # ------------------------------------------------------------------------------ sources

    def _source(self, src: n.Source | n.Pipeline, scope: Scope) -> list[p.PlanStep]:
        if isinstance(src, n.Pipeline):
            return list(self.plan_pipeline(src, scope).steps)
        if isinstance(src, n.EntityRef):
            return self._entity(src, scope)
        if isinstance(src, n.DataTable):
            return [self._datatable(src, scope)]
        if isinstance(src, n.Print):
            one_row = p.PlanStep(p.Values(((),)), p.Schema(()), -1)
            items = self._assignments(src.items, p.Schema(()), scope, unnamed=lambda i, e: f"print_{i}")
            return [one_row, p.PlanStep(p.Select(tuple(items)), schema_of(items, None), -1)]
        if isinstance(src, n.Range):
            return [self._range(src, scope)]
        raise self.error(f"unsupported source {type(src).__name__}", src)

    def _entity(self, ref: n.EntityRef, scope: Scope) -> list[p.PlanStep]:
        if not ref.args and ref.name in scope.let_tables:
            return list(self.plan_pipeline(scope.let_tables[ref.name], scope).steps)
        if self.dialect.any_table:
            given = _find(scope.tables, ref.name)
            if given is not None:
                return [
                    p.PlanStep(p.Scan(given, self._entity_args(ref, None, scope)), scope.tables[given], -1)
                ]
        entity = catalog.find_entity(ref.name)
        if entity is None:
            raise self._unknown_table(ref, scope)
        args = self._entity_args(ref, entity, scope)
        schema = scope.tables.get(entity.name)
        if schema is None:
            schema = p.Schema(tuple(entity.schema.items()), device=p.DEVICE)
        return [p.PlanStep(p.Scan(entity.name, args), schema, -1)]

    def _unknown_table(self, ref: n.EntityRef, scope: Scope) -> QuerySemanticError:
        names = [e.name for e in catalog.entities()]
        if self.dialect.any_table:
            names = [*scope.tables, *scope.let_tables, *names]
            what = "table"
        else:
            what = "entity"
        return self.error(f"unknown {what} '{ref.name}'", ref, hint=did_you_mean(ref.name, names))

    def _entity_args(self, ref: n.EntityRef, entity: catalog.Entity | None, scope: Scope) -> tuple[Any, ...]:
        values = []
        for a in ref.args:
            b = self.bind(a, p.Schema(()), scope)
            if not isinstance(b, Const):
                raise self.error("an entity's arguments must be constants", a)
            values.append(b.value)
        if entity is None:
            if values:
                raise self.error(f"table '{ref.name}' takes no arguments", ref)
            return ()
        params = entity.parameters
        required = sum(1 for prm in params if prm.required)
        if not params and values:
            raise self.error(f"{entity.name} takes no arguments: write just {entity.name}", ref)
        if len(values) < required:
            example = f"{entity.name}('{params[0].description or params[0].name}')" if params else entity.name
            raise self.error(
                f"{entity.name} needs {required} argument{'s' if required > 1 else ''}",
                ref,
                hint=f"for example: {example}",
            )
        if len(values) > len(params):
            raise self.error(f"{entity.name} takes at most {len(params)} argument(s)", ref)
        out = []
        for prm, value, node in zip(params, values, ref.args, strict=False):
            if prm.type == ScalarType.TIMESPAN and not isinstance(value, int | dt.timedelta):
                raise self.error(f"{entity.name}'s {prm.name} must be a timespan such as 1d or 2h", node)
            if prm.type == ScalarType.STRING and not isinstance(value, str):
                raise self.error(f"{entity.name}'s {prm.name} must be a string in quotes", node)
            out.append(value)
        for prm in params[len(values) :]:
            out.append(prm.default)
        return tuple(out)

    def _datatable(self, dt: n.DataTable, scope: Scope) -> p.PlanStep:
        cols = [(name, ScalarType(t)) for name, t in dt.columns]
        width = len(cols)
        cells = []
        for v, (col, t) in zip(dt.values, cols * (len(dt.values) // max(width, 1)), strict=True):
            b = self.bind(v, p.Schema(()), scope)
            if not isinstance(b, Const):
                raise self.error(f"datatable values must be constants (column {col})", v)
            cells.append(coerce_cell(b, t, self, v))
        rows = tuple(tuple(cells[i : i + width]) for i in range(0, len(cells), width))
        return p.PlanStep(p.Values(rows), p.Schema(tuple(cols)), -1)

    def _range(self, r: n.Range, scope: Scope) -> p.PlanStep:
        bounds = []
        for e in (r.start, r.stop, r.step):
            b = self.bind(e, p.Schema(()), scope)
            if not isinstance(b, Const):
                raise self.error("range bounds must be constants", e)
            bounds.append(b)
        t = bounds[0].type
        if t == ScalarType.INT:
            t = ScalarType.LONG
        return p.PlanStep(
            p.Generate(r.column, bounds[0].value, bounds[1].value, bounds[2].value),
            p.Schema(((r.column, t),)),
            -1,
        )

    # ------------------------------------------------------------------------------ operators

    def _operator(self, op: n.Operator, schema: p.Schema, scope: Scope) -> list[tuple[p.Step, p.Schema]]:
        if isinstance(op, n.Where):
            pred = self.bind(op.predicate, schema, scope)
            if pred.type != ScalarType.BOOL:
                raise self.error(
                    f"where needs a true/false condition, but this is a {pred.type}", op.predicate
                )
            return [(p.Filter(pred), schema)]
        if isinstance(op, n.Project):
            return [self._project(op.items, schema, scope, keep_all=False)]
        if isinstance(op, n.Extend):
            return [self._project(op.items, schema, scope, keep_all=True)]
        if isinstance(op, n.ProjectAway):
            drop = {c for pat in op.patterns for c in self._match(pat, schema, op)}
            cols = tuple((c, Col(c, t)) for c, t in schema.columns if c not in drop)
            return [
                (p.Select(cols), schema_of(list(cols), schema.device if schema.device not in drop else None))
            ]
        if isinstance(op, n.ProjectRename):
            renames = {}
            for new, old in op.pairs:
                src = schema.resolve(old)
                if src is None:
                    raise self.unknown_column(old, schema, op)
                renames[src] = new
            cols = tuple((renames.get(c, c), Col(c, t)) for c, t in schema.columns)
            device = renames.get(schema.device, schema.device) if schema.device else None
            return [(p.Select(cols), schema_of(list(cols), device))]
        if isinstance(op, n.ProjectReorder):
            return [self._reorder(op, schema)]
        if isinstance(op, n.Summarize):
            return self.summarize(op, schema, scope)
        if isinstance(op, n.Count):
            name = op.alias or "Count"
            return [(p.CountRows(name), p.Schema(((name, ScalarType.LONG),)))]
        if isinstance(op, n.Distinct):
            if op.columns == ("*",):
                names = tuple(c for c, _ in schema.visible)
            else:
                names = tuple(self.column(c, schema, op) for c in op.columns)
            device = schema.device if schema.device in names else None
            return [(p.Distinct(names), p.Schema(tuple((c, schema.type_of(c)) for c in names), device))]
        if isinstance(op, n.Join):
            return [self._join(op, schema, scope)]
        if isinstance(op, n.OrderBy):
            keys = tuple(self._sort_key(k, schema, scope) for k in op.keys)
            return [(p.Sort(keys), schema)]
        if isinstance(op, n.Take):
            return [(p.Limit(self._count(op.count, scope)), schema)]
        if isinstance(op, n.Top):
            count = self._count(op.count, scope)
            return [
                (p.Sort((self._sort_key(op.key, schema, scope),), stable=False), schema),
                (p.Limit(count), schema),
            ]
        if isinstance(op, n.MvExpand):
            return [self._mv_expand(op, schema, scope)]
        raise self.error(f"unsupported operator {type(op).__name__}", op)

    def _count(self, e: n.Expr, scope: Scope) -> int:
        b = self.bind(e, p.Schema(()), scope)
        if (
            not isinstance(b, Const)
            or not isinstance(b.value, int)
            or isinstance(b.value, bool)
            or b.value < 0
        ):
            raise self.error("expected a whole number of rows", e)
        return int(b.value)

    def _render(self, op: n.Render) -> p.RenderSpec:
        return p.RenderSpec(op.kind, tuple(op.properties))

    def _project(
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
                expr = _inline(self.bind(a.expr, current, scope), added)
                name = a.name or self.auto_name(a.expr, out, None)
                key = (schema.resolve(name) if a.name is None else None) or name
                out[key] = expr
                if key not in schema:
                    added[key] = expr
            cols = list(out.items())
            device = schema.device
        else:
            cols = self._assignments(items, schema, scope)
            device = None
            if schema.device is not None:
                keep = [c for c, e in cols if isinstance(e, Col) and e.name == schema.device]
                if keep:
                    device = keep[0]
                else:  # the device association survives project (§9.6)
                    cols.append((p.HIDDEN_DEVICE, Col(schema.device, ScalarType.STRING)))
                    device = p.HIDDEN_DEVICE
        return p.Select(tuple(cols)), schema_of(cols, device)

    def _assignments(
        self, items: tuple[n.Assign, ...], schema: p.Schema, scope: Scope, unnamed: Any = None
    ) -> list[tuple[str, Bound]]:
        out: dict[str, Bound] = {}
        for i, a in enumerate(items):
            expr = self.bind(a.expr, schema, scope)
            if a.name is not None:
                name = a.name
            elif unnamed is not None:
                name = fresh(unnamed(i, a.expr), out)
            else:
                name = self.auto_name(a.expr, out, expr)
            if name in out and a.name is not None:
                raise self.error(f"column '{name}' is assigned twice", a)
            out[name] = expr
        return list(out.items())

    def _match(self, pattern: str, schema: p.Schema, node: Any) -> list[str]:
        if "*" not in pattern:
            c = schema.resolve(pattern)
            if c is None:
                raise self.unknown_column(pattern, schema, node)
            return [c]
        rx = re.compile("^" + ".*".join(map(re.escape, pattern.split("*"))) + "$", re.IGNORECASE)
        return [c for c, _ in schema.columns if rx.match(c)]

    def _reorder(self, op: n.ProjectReorder, schema: p.Schema) -> tuple[p.Step, p.Schema]:
        first: list[str] = []
        for pattern, order in op.items:
            matched = [c for c in self._match(pattern, schema, op) if c not in first]
            if order in ("asc", "granny-asc"):
                matched.sort()
            elif order in ("desc", "granny-desc"):
                matched.sort(reverse=True)
            first += matched
        names = first + [c for c, _ in schema.columns if c not in first]
        cols = tuple((c, Col(c, schema.type_of(c))) for c in names)
        return p.Select(cols), schema_of(list(cols), schema.device)

    def _sort_key(self, k: n.SortKey, schema: p.Schema, scope: Scope) -> p.SortKey:
        expr = self.bind(k.expr, schema, scope)
        descending = k.order != "asc"  # Kusto's default is descending (§9.8)
        nulls_last = k.nulls == "last" if k.nulls else descending
        return p.SortKey(expr, descending, nulls_last)

    # ------------------------------------------------------------------------------ join

    def _join(self, op: n.Join, left: p.Schema, scope: Scope) -> tuple[p.Step, p.Schema]:
        scope.joins += 1
        if self.dialect.max_joins is not None and scope.joins > self.dialect.max_joins:
            raise self.error(f"CMPivot allows at most {self.dialect.max_joins} joins in one query", op)
        right_plan = self.plan_pipeline(op.right, scope)
        if right_plan.render is not None:
            raise self.error("render cannot appear inside a join", op.right)
        right = right_plan.schema
        kind = (op.kind or self.dialect.default_join_kind).lower()
        kind = {"anti": "leftanti", "leftantisemi": "leftanti", "rightantisemi": "rightanti"}.get(kind, kind)
        if kind not in _JOIN_KINDS:
            raise self.error(
                f"unknown join kind '{op.kind}'",
                op,
                hint=did_you_mean(kind, _JOIN_KINDS) or f"join kinds are: {', '.join(_JOIN_KINDS)}",
            )
        if op.on:
            on = []
            for k in op.on:
                on.append((self.column(k.left, left, k), self.column(k.right, right, k)))
        else:
            if left.device is None or right.device is None:
                side = "left" if left.device is None else "right"
                raise self.error(
                    f"this join matches rows of the same Device, but the {side} side has no device column",
                    op,
                    hint="keep Device in the project or summarize before the join"
                    if not self.dialect.supports("ON")
                    else "add 'on Column' to say which columns to match",
                )
            on = [(left.device, right.device)]
        if kind in ("leftsemi", "leftanti"):
            return p.Join(kind, right_plan, tuple(on), ()), left
        if kind in ("rightsemi", "rightanti"):
            cols = tuple((c, c) for c, _ in right.columns)
            return p.Join(kind, right_plan, tuple(on), cols), right
        device_pair = on[0] if not op.on else None
        taken = dict(left.columns)
        right_cols: list[tuple[str, str]] = []
        out_cols = list(left.columns)
        for c, t in right.columns:
            if device_pair is not None and c == device_pair[1]:
                continue  # CMPivot: one Device column, matched on (§9.5)
            name = fresh(c, taken)
            taken[name] = t
            right_cols.append((c, name))
            out_cols.append((name, t))
        if (
            self.dialect.max_join_columns is not None
            and len([c for c, _ in out_cols if c != p.HIDDEN_DEVICE]) > self.dialect.max_join_columns
        ):
            raise self.error(f"CMPivot allows at most {self.dialect.max_join_columns} columns across a join", op)
        return (
            p.Join(kind, right_plan, tuple(on), tuple(right_cols)),
            p.Schema(tuple(out_cols), left.device),
        )

    # ------------------------------------------------------------------------------ mv-expand

    def _mv_expand(self, op: n.MvExpand, schema: p.Schema, scope: Scope) -> tuple[p.Step, p.Schema]:
        cols: list[tuple[str, ScalarType | None]] = []
        pre: dict[str, Bound] = {c: Col(c, t) for c, t in schema.columns}
        for i, a in enumerate(op.items):
            expr = self.bind(a.expr, schema, scope)
            name = a.name or (expr.name if isinstance(expr, Col) else self.auto_name(a.expr, pre, expr))
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
            raise self.error(
                "mv-expand of a computed expression: extend it first, then mv-expand the column", op
            )
        return step, p.Schema(tuple(out), schema.device)

_JOIN_KINDS = (
    "inner",
    "innerunique",
    "leftouter",
    "rightouter",
    "fullouter",
    "leftsemi",
    "leftanti",
    "rightsemi",
    "rightanti",
)


def _find(tables: Mapping[str, Any], name: str) -> str | None:
    if name in tables:
        return name
    lower = name.lower()
    return next((t for t in tables if t.lower() == lower), None)


def _inline(expr: Bound, out: Mapping[str, Bound]) -> Bound:
    """Substitute the columns earlier extend items added into a later item, so one Select
    computes them all."""
    if isinstance(expr, Col):
        return out.get(expr.name, expr)
    if isinstance(expr, Apply):
        return Apply(expr.function, tuple(_inline(a, out) for a in expr.args), expr.type)
    return expr
