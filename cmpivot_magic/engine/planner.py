"""Syntax tree → ``Plan``: names resolved, expressions typed, columns named, device part split off.

The planner is where a query gets its meaning. It resolves entity and table names, plans each
source and operator into steps with their output schemas (binding expressions through
``binder.py``, summarize through ``summarize.py`` and the column-shaping operators through
``projection.py``, each held by the planner, not inherited), tracks which column carries each row's
device; ``split.py`` decides how many leading steps each device evaluates (decision 16).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .. import catalog
from ..catalog import DOCUMENTED, Catalog
from ..errors import QuerySemanticError, did_you_mean
from ..language import nodes as n
from ..language.dialect import Dialect, dialect_named
from ..language.types import ScalarType
from . import plan as p
from . import split
from .binder import Binder, Scope, coerce_cell, fresh, schema_of
from .ir import Col, Const
from .open_world import unknown_entity_schema
from .projection import Projector
from .summarize import Summarizer


class Planner:
    """Plans queries of one dialect against the catalog and, optionally, given table schemas.

    ``tables`` maps a table name to its schema. In the cmpivot dialect the names are entities and a
    given schema replaces the catalog's; in the kql dialect any name is a table. The planner holds
    the parts it delegates to: ``binder`` (expressions, names, errors with carets), ``summarizer``
    (summarize) and ``columns`` (the operators that shape columns), all over the one binder.
    """

    def __init__(
        self, dialect: str | Dialect = "cmpivot", tables: Mapping[str, p.Schema] | None = None,
        text: str | None = None, catalog: Catalog | None = None,
    ) -> None:
        self.dialect, self.text = dialect_named(dialect), text
        self.catalog = catalog if catalog is not None else DOCUMENTED
        self._query: n.QueryText | None = None
        self.tables = dict(tables or {})
        self.binder = Binder(dialect, text)
        self.summarizer = Summarizer(self.binder)
        self.columns = Projector(self.binder)

    # ------------------------------------------------------------------------------ query

    def plan(self, query: n.QueryText) -> p.Plan:
        self._query = query  # an entity the site judges (open world) takes its columns from it
        scope = Scope(self.dialect, self.tables, text=self.text)
        for let in query.lets:
            if isinstance(let.value, n.Pipeline):
                scope.let_tables[let.name] = let.value
                scope.scalars.pop(let.name, None)
            else:
                scope.scalars[let.name] = self.binder.bind(let.value, p.Schema(()), scope)
                scope.let_tables.pop(let.name, None)
        return self.plan_pipeline(query.body, scope)

    def plan_pipeline(self, pipeline: n.Pipeline, scope: Scope) -> p.Plan:
        steps: list[p.PlanStep] = list(self._source(pipeline.source, scope))
        render: p.RenderSpec | None = None
        for i, op in enumerate(pipeline.operators):
            if render is not None:
                raise self.binder.error("render must be the last operator of the query", op)
            if isinstance(op, n.Render):
                render = self._render(op)
                continue
            schema = steps[-1].schema
            for step in self._operator(op, schema, scope):
                steps.append(p.PlanStep(step[0], step[1], i))
        device_steps, device_ops, per_device = (
            split.device_split(steps, pipeline) if self.dialect.runs_on_devices else (0, 0, False)
        )
        projection: tuple[str, ...] = ()
        if 0 < device_steps < len(steps):
            device_steps, projection = split.narrow_device_part(steps, device_steps, device_ops)
        return p.Plan(tuple(steps), self.dialect, render, device_steps, device_ops, projection, per_device)

    # ------------------------------------------------------------------------------ sources

    def _source(self, src: n.Source | n.Pipeline, scope: Scope) -> list[p.PlanStep]:
        if isinstance(src, n.Pipeline):
            # a parenthesised source is part of the source: its steps are not this pipeline's operators
            inner = self.plan_pipeline(src, scope)
            return [p.PlanStep(s.step, s.schema, -1) for s in inner.steps]
        if isinstance(src, n.EntityRef):
            return self._entity(src, scope)
        if isinstance(src, n.DataTable):
            return [self._datatable(src, scope)]
        if isinstance(src, n.Print):
            one_row = p.PlanStep(p.Values(((),)), p.Schema(()), -1)
            items = self.columns.assignments(src.items, p.Schema(()), scope, unnamed=lambda i, e: f"print_{i}")
            return [one_row, p.PlanStep(p.Select(tuple(items)), schema_of(items, None), -1)]
        if isinstance(src, n.Range):
            return [self._range(src, scope)]
        raise self.binder.error(f"unsupported source {type(src).__name__}", src)

    def _entity(self, ref: n.EntityRef, scope: Scope) -> list[p.PlanStep]:
        if not ref.args and ref.name in scope.let_tables:
            return list(self.plan_pipeline(scope.let_tables[ref.name], scope).steps)
        if self.dialect.any_table:
            given = _find(scope.tables, ref.name)
            if given is not None:
                return [
                    p.PlanStep(p.Scan(given, self._entity_args(ref, None, scope)), scope.tables[given], -1)
                ]
        entity = self.catalog.find_entity(ref.name)
        if entity is None and self.catalog.open_world and not self.dialect.any_table:
            # the site's own list could not be read: the site judges this name (open_world.py)
            self._entity_args(ref, None, scope)
            return [p.PlanStep(p.Scan(ref.name, ()), unknown_entity_schema(self._query), -1)]
        if entity is None:
            raise self._unknown_table(ref, scope)
        args = self._entity_args(ref, entity, scope)
        schema = scope.tables.get(entity.name)
        if schema is None:
            schema = p.Schema(tuple(entity.schema.items()), device=p.DEVICE)
        return [p.PlanStep(p.Scan(entity.name, args), schema, -1)]

    def _unknown_table(self, ref: n.EntityRef, scope: Scope) -> QuerySemanticError:
        names = [e.name for e in self.catalog.entities()]
        if self.dialect.any_table:
            names = [*scope.tables, *scope.let_tables, *names]
            what = "table"
        else:
            what = "entity"
        # a catalog read from a site says so: the entity is not on *this* site
        where = "" if self.catalog.source == "documented" else f" on this {self.catalog.source}"
        return self.binder.error(f"unknown {what} '{ref.name}'{where}", ref, hint=did_you_mean(ref.name, names))

    def _entity_args(self, ref: n.EntityRef, entity: catalog.Entity | None, scope: Scope) -> tuple[Any, ...]:
        values = []
        for a in ref.args:
            b = self.binder.bind(a, p.Schema(()), scope)
            if not isinstance(b, Const):
                raise self.binder.error("an entity's arguments must be constants", a)
            values.append(b.value)
        if entity is None:
            if values:
                raise self.binder.error(f"table '{ref.name}' takes no arguments", ref)
            return ()
        params = entity.parameters
        required = sum(1 for prm in params if prm.required)
        if not params and values:
            raise self.binder.error(f"{entity.name} takes no arguments: write just {entity.name}", ref)
        if len(values) < required:
            example = f"{entity.name}('{params[0].description or params[0].name}')" if params else entity.name
            raise self.binder.error(
                f"{entity.name} needs {required} argument{'s' if required > 1 else ''}",
                ref,
                hint=f"for example: {example}",
            )
        if len(values) > len(params):
            raise self.binder.error(f"{entity.name} takes at most {len(params)} argument(s)", ref)
        out = []
        for prm, value, node in zip(params, values, ref.args, strict=False):
            if prm.type == ScalarType.TIMESPAN and not isinstance(value, int | dt.timedelta):
                raise self.binder.error(f"{entity.name}'s {prm.name} must be a timespan such as 1d or 2h", node)
            if prm.type == ScalarType.STRING and not isinstance(value, str):
                raise self.binder.error(f"{entity.name}'s {prm.name} must be a string in quotes", node)
            out.append(value)
        for prm in params[len(values) :]:
            out.append(prm.default)
        return tuple(out)

    def _datatable(self, dt: n.DataTable, scope: Scope) -> p.PlanStep:
        cols = [(name, ScalarType(t)) for name, t in dt.columns]
        width = len(cols)
        cells = []
        for v, (col, t) in zip(dt.values, cols * (len(dt.values) // max(width, 1)), strict=True):
            b = self.binder.bind(v, p.Schema(()), scope)
            if not isinstance(b, Const):
                raise self.binder.error(f"datatable values must be constants (column {col})", v)
            cells.append(coerce_cell(b, t, self.binder, v))
        rows = tuple(tuple(cells[i : i + width]) for i in range(0, len(cells), width))
        return p.PlanStep(p.Values(rows), p.Schema(tuple(cols)), -1)

    def _range(self, r: n.Range, scope: Scope) -> p.PlanStep:
        bounds = []
        for e in (r.start, r.stop, r.step):
            b = self.binder.bind(e, p.Schema(()), scope)
            if not isinstance(b, Const):
                raise self.binder.error("range bounds must be constants", e)
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
            pred = self.binder.bind(op.predicate, schema, scope)
            if pred.type != ScalarType.BOOL:
                raise self.binder.error(
                    f"where needs a true/false condition, but this is a {pred.type}", op.predicate
                )
            return [(p.Filter(pred), schema)]
        if isinstance(op, n.Project):
            return [self.columns.project(op.items, schema, scope, keep_all=False)]
        if isinstance(op, n.Extend):
            return [self.columns.project(op.items, schema, scope, keep_all=True)]
        if isinstance(op, n.ProjectAway):
            drop = {c for pat in op.patterns for c in self.columns.match(pat, schema, op)}
            cols = tuple((c, Col(c, t)) for c, t in schema.columns if c not in drop)
            return [
                (p.Select(cols), schema_of(list(cols), schema.device if schema.device not in drop else None))
            ]
        if isinstance(op, n.ProjectRename):
            renames = {}
            for new, old in op.pairs:
                src = schema.resolve(old)
                if src is None:
                    raise self.binder.unknown_column(old, schema, op)
                renames[src] = new
            cols = tuple((renames.get(c, c), Col(c, t)) for c, t in schema.columns)
            device = renames.get(schema.device, schema.device) if schema.device else None
            return [(p.Select(cols), schema_of(list(cols), device))]
        if isinstance(op, n.ProjectReorder):
            return [self.columns.reorder(op, schema)]
        if isinstance(op, n.Summarize):
            return self.summarizer.summarize(op, schema, scope)
        if isinstance(op, n.Count):
            name = op.alias or "Count"
            return [(p.CountRows(name), p.Schema(((name, ScalarType.LONG),)))]
        if isinstance(op, n.Distinct):
            if op.columns == ("*",):
                names = tuple(c for c, _ in schema.visible)
            else:
                names = tuple(self.binder.column(c, schema, op) for c in op.columns)
            device = schema.device if schema.device in names else None
            return [(p.Distinct(names), p.Schema(tuple((c, schema.type_of(c)) for c in names), device))]
        if isinstance(op, n.Join):
            return [self._join(op, schema, scope)]
        if isinstance(op, n.OrderBy):
            keys = tuple(self.columns.sort_key(k, schema, scope) for k in op.keys)
            return [(p.Sort(keys), schema)]
        if isinstance(op, n.Take):
            return [(p.Limit(self._count(op.count, scope)), schema)]
        if isinstance(op, n.Top):
            count = self._count(op.count, scope)
            return [
                (p.Sort((self.columns.sort_key(op.key, schema, scope),), stable=False), schema),
                (p.Limit(count), schema),
            ]
        if isinstance(op, n.MvExpand):
            return [self.columns.mv_expand(op, schema, scope)]
        raise self.binder.error(f"unsupported operator {type(op).__name__}", op)

    def _count(self, e: n.Expr, scope: Scope) -> int:
        b = self.binder.bind(e, p.Schema(()), scope)
        if (
            not isinstance(b, Const)
            or not isinstance(b.value, int)
            or isinstance(b.value, bool)
            or b.value < 0
        ):
            raise self.binder.error("expected a whole number of rows", e)
        return int(b.value)

    def _render(self, op: n.Render) -> p.RenderSpec:
        return p.RenderSpec(op.kind, tuple(op.properties))

    # ------------------------------------------------------------------------------ join

    def _join(self, op: n.Join, left: p.Schema, scope: Scope) -> tuple[p.Step, p.Schema]:
        scope.joins += 1
        if self.dialect.max_joins is not None and scope.joins > self.dialect.max_joins:
            raise self.binder.error(f"CMPivot allows at most {self.dialect.max_joins} joins in one query", op)
        right_plan = self.plan_pipeline(op.right, scope)
        if right_plan.render is not None:
            raise self.binder.error("render cannot appear inside a join", op.right)
        right = right_plan.schema
        kind = (op.kind or self.dialect.default_join_kind).lower()
        kind = {"anti": "leftanti", "leftantisemi": "leftanti", "rightantisemi": "rightanti"}.get(kind, kind)
        if kind not in _JOIN_KINDS:
            raise self.binder.error(
                f"unknown join kind '{op.kind}'",
                op,
                hint=did_you_mean(kind, _JOIN_KINDS) or f"join kinds are: {', '.join(_JOIN_KINDS)}",
            )
        if op.on:
            on = []
            for k in op.on:
                on.append((self.binder.column(k.left, left, k), self.binder.column(k.right, right, k)))
        else:
            if left.device is None or right.device is None:
                side = "left" if left.device is None else "right"
                raise self.binder.error(
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
            raise self.binder.error(f"CMPivot allows at most {self.dialect.max_join_columns} columns across a join", op)
        return (
            p.Join(kind, right_plan, tuple(on), tuple(right_cols)),
            p.Schema(tuple(out_cols), left.device),
        )

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
