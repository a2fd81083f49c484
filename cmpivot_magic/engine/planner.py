"""Syntax tree → ``Plan``: names resolved, expressions typed, columns named, device part split off.

The planner is where a query gets its meaning. It resolves entity, column and function names
case-insensitively (the schema's own spelling wins), checks arity and types against the function
registry, names unnamed columns by the dialect's rule, tracks which column carries each row's
device, and decides how many leading steps each device can evaluate on its own.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import catalog
from ..errors import QuerySemanticError, locate
from ..language import nodes as n
from ..language.literals import ns_to_datetime
from ..language.types import ScalarType, type_named
from . import plan as p
from .functions import NOT_CONST, SignatureError, lookup
from .ir import Aggregate, Apply, Bound, Col, Const

MAX_JOINS = 5  # CMPivot's documented limits (§3.2)
MAX_JOIN_COLUMNS = 64

# Aggregations whose unaliased KQL column is "<prefix>_<column>" with a prefix of their own.
_KQL_AGG_PREFIX = {"make_list": "list", "make_list_if": "list", "make_set": "set", "make_set_if": "set"}
# Aggregations whose only argument is a predicate: "countif_", never "countif_<column>".
_PREDICATE_AGGS = {"countif"}
# Operators that keep each row with its own device: a prefix of these is the device part.
_ROW_LOCAL = (p.Filter, p.Select)


@dataclass
class _Scope:
    """What names mean in one query: let-bound scalars and tables, and the tables given."""

    dialect: str
    tables: Mapping[str, p.Schema]
    scalars: dict[str, Bound] = field(default_factory=dict)
    let_tables: dict[str, n.Pipeline] = field(default_factory=dict)
    joins: int = 0
    text: str | None = None


class Planner:
    """Plans queries of one dialect against the catalog and, optionally, given table schemas.

    ``tables`` maps a table name to its schema. In the cmpivot dialect the names are entities and a
    given schema replaces the catalog's; in the kql dialect any name is a table.
    """

    def __init__(
        self, dialect: str = "cmpivot", tables: Mapping[str, p.Schema] | None = None, text: str | None = None
    ) -> None:
        self.dialect = dialect
        self.tables = dict(tables or {})
        self.text = text

    # ------------------------------------------------------------------------------ errors

    def error(self, message: str, node: Any = None, hint: str | None = None) -> QuerySemanticError:
        span = getattr(node, "span", None) if node is not None else None
        location = (
            locate(self.text, span.start, span.end) if span is not None and self.text is not None else None
        )
        return QuerySemanticError(message, text=self.text, location=location, hint=hint)

    # ------------------------------------------------------------------------------ query

    def plan(self, query: n.QueryText) -> p.Plan:
        scope = _Scope(self.dialect, self.tables, text=self.text)
        for let in query.lets:
            if isinstance(let.value, n.Pipeline):
                scope.let_tables[let.name] = let.value
                scope.scalars.pop(let.name, None)
            else:
                scope.scalars[let.name] = self.bind(let.value, p.Schema(()), scope)
                scope.let_tables.pop(let.name, None)
        return self.plan_pipeline(query.body, scope)

    def plan_pipeline(self, pipeline: n.Pipeline, scope: _Scope) -> p.Plan:
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
        if self.dialect != "cmpivot" or not isinstance(pipeline.source, n.EntityRef):
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

    def _source(self, src: n.Source | n.Pipeline, scope: _Scope) -> list[p.PlanStep]:
        if isinstance(src, n.Pipeline):
            return list(self.plan_pipeline(src, scope).steps)
        if isinstance(src, n.EntityRef):
            return self._entity(src, scope)
        if isinstance(src, n.DataTable):
            return [self._datatable(src, scope)]
        if isinstance(src, n.Print):
            one_row = p.PlanStep(p.Values(((),)), p.Schema(()), -1)
            items = self._assignments(src.items, p.Schema(()), scope, unnamed=lambda i, e: f"print_{i}")
            return [one_row, p.PlanStep(p.Select(tuple(items)), _schema_of(items, None), -1)]
        if isinstance(src, n.Range):
            return [self._range(src, scope)]
        raise self.error(f"unsupported source {type(src).__name__}", src)

    def _entity(self, ref: n.EntityRef, scope: _Scope) -> list[p.PlanStep]:
        if not ref.args and ref.name in scope.let_tables:
            return list(self.plan_pipeline(scope.let_tables[ref.name], scope).steps)
        if self.dialect == "kql":
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

    def _unknown_table(self, ref: n.EntityRef, scope: _Scope) -> QuerySemanticError:
        names = [e.name for e in catalog.entities()]
        if self.dialect == "kql":
            names = [*scope.tables, *scope.let_tables, *names]
            what = "table"
        else:
            what = "entity"
        return self.error(f"unknown {what} '{ref.name}'", ref, hint=_did_you_mean(ref.name, names))

    def _entity_args(self, ref: n.EntityRef, entity: catalog.Entity | None, scope: _Scope) -> tuple[Any, ...]:
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

    def _datatable(self, dt: n.DataTable, scope: _Scope) -> p.PlanStep:
        cols = [(name, ScalarType(t)) for name, t in dt.columns]
        width = len(cols)
        cells = []
        for v, (col, t) in zip(dt.values, cols * (len(dt.values) // max(width, 1)), strict=True):
            b = self.bind(v, p.Schema(()), scope)
            if not isinstance(b, Const):
                raise self.error(f"datatable values must be constants (column {col})", v)
            cells.append(_coerce_cell(b, t, self, v))
        rows = tuple(tuple(cells[i : i + width]) for i in range(0, len(cells), width))
        return p.PlanStep(p.Values(rows), p.Schema(tuple(cols)), -1)

    def _range(self, r: n.Range, scope: _Scope) -> p.PlanStep:
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

    def _operator(self, op: n.Operator, schema: p.Schema, scope: _Scope) -> list[tuple[p.Step, p.Schema]]:
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
                (p.Select(cols), _schema_of(list(cols), schema.device if schema.device not in drop else None))
            ]
        if isinstance(op, n.ProjectRename):
            renames = {}
            for new, old in op.pairs:
                src = schema.resolve(old)
                if src is None:
                    raise self._unknown_column(old, schema, op)
                renames[src] = new
            cols = tuple((renames.get(c, c), Col(c, t)) for c, t in schema.columns)
            device = renames.get(schema.device, schema.device) if schema.device else None
            return [(p.Select(cols), _schema_of(list(cols), device))]
        if isinstance(op, n.ProjectReorder):
            return [self._reorder(op, schema)]
        if isinstance(op, n.Summarize):
            return self._summarize(op, schema, scope)
        if isinstance(op, n.Count):
            name = op.alias or "Count"
            return [(p.CountRows(name), p.Schema(((name, ScalarType.LONG),)))]
        if isinstance(op, n.Distinct):
            if op.columns == ("*",):
                names = tuple(c for c, _ in schema.visible)
            else:
                names = tuple(self._column(c, schema, op) for c in op.columns)
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

    def _count(self, e: n.Expr, scope: _Scope) -> int:
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
        self, items: tuple[n.Assign, ...], schema: p.Schema, scope: _Scope, *, keep_all: bool
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
                name = a.name or self._auto_name(a.expr, out, None)
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
        return p.Select(tuple(cols)), _schema_of(cols, device)

    def _assignments(
        self, items: tuple[n.Assign, ...], schema: p.Schema, scope: _Scope, unnamed: Any = None
    ) -> list[tuple[str, Bound]]:
        out: dict[str, Bound] = {}
        for i, a in enumerate(items):
            expr = self.bind(a.expr, schema, scope)
            if a.name is not None:
                name = a.name
            elif unnamed is not None:
                name = _fresh(unnamed(i, a.expr), out)
            else:
                name = self._auto_name(a.expr, out, expr)
            if name in out and a.name is not None:
                raise self.error(f"column '{name}' is assigned twice", a)
            out[name] = expr
        return list(out.items())

    def _auto_name(self, e: n.Expr, taken: Mapping[str, Any], bound: Bound | None) -> str:
        """The name Kusto or CMPivot gives an unnamed expression (§3.4)."""
        if isinstance(e, n.Name):
            name = bound.name if isinstance(bound, Col) else e.name
            return name if name not in taken else _fresh(name, taken)
        if isinstance(e, n.Call):
            fn = e.name.lower()
            if self.dialect == "kql" and fn == "bin" and e.args and isinstance(e.args[0], n.Name):
                return _fresh(e.args[0].name, taken)
            if self.dialect == "cmpivot":
                return _fresh(fn, taken)
        if isinstance(e, n.Member) and self.dialect == "kql":
            return _fresh(e.name, taken)
        i = 1
        while f"Column{i}" in taken:
            i += 1
        return f"Column{i}"

    def _match(self, pattern: str, schema: p.Schema, node: Any) -> list[str]:
        if "*" not in pattern:
            c = schema.resolve(pattern)
            if c is None:
                raise self._unknown_column(pattern, schema, node)
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
        return p.Select(cols), _schema_of(list(cols), schema.device)

    def _sort_key(self, k: n.SortKey, schema: p.Schema, scope: _Scope) -> p.SortKey:
        expr = self.bind(k.expr, schema, scope)
        descending = k.order != "asc"  # Kusto's default is descending (§9.8)
        nulls_last = k.nulls == "last" if k.nulls else descending
        return p.SortKey(expr, descending, nulls_last)

    # ------------------------------------------------------------------------------ summarize

    def _summarize(self, op: n.Summarize, schema: p.Schema, scope: _Scope) -> list[tuple[p.Step, p.Schema]]:
        taken: dict[str, Any] = {}
        keys: list[tuple[str, Bound]] = []
        for a in op.by:
            expr = self.bind(a.expr, schema, scope)
            if _has_aggregate(a.expr):
                raise self.error("a summarize 'by' expression cannot contain an aggregation", a)
            name = a.name or self._auto_name(a.expr, taken, expr)
            taken[name] = expr
            keys.append((name, expr))
        aggs: list[tuple[str, Aggregate]] = []
        post: list[tuple[str, Bound]] = []  # expressions over aggregates: 100 * count()
        needs_post = False
        for a in op.aggregates:
            item = a.expr
            if (
                isinstance(item, n.Call)
                and _is_aggregate(item)
                and item.name.lower() in ("arg_max", "arg_min")
            ):
                for name, agg in self._arg_extreme(item, a.name, schema, scope, taken, keys):
                    taken[name] = agg
                    aggs.append((name, agg))
                    post.append((name, Col(name, agg.type)))
                continue
            if isinstance(item, n.Call) and _is_aggregate(item):
                agg = self._aggregate(item, schema, scope)
                name = a.name or _fresh(self._aggregate_name(item, agg), taken)
                taken[name] = agg
                aggs.append((name, agg))
                post.append((name, Col(name, agg.type)))
                continue
            if not _has_aggregate(item):
                raise self.error(
                    "each summarize item must aggregate, e.g. count() or sum(x)",
                    a,
                    hint="to group by it, move it after 'by'",
                )
            needs_post = True
            temps: dict[n.Call, Col] = {}
            for call in _aggregate_calls(item):
                if call not in temps:
                    agg = self._aggregate(call, schema, scope)
                    tmp = f"__agg{len(aggs)}"
                    aggs.append((tmp, agg))
                    temps[call] = Col(tmp, agg.type)
            value = self.bind(item, schema, scope, aggregates=temps)
            name = a.name or self._auto_name(item, taken, value)
            taken[name] = value
            post.append((name, value))
        device = next((name for name, e in keys if isinstance(e, Col) and e.name == schema.device), None)
        out_schema = p.Schema(
            tuple((k, e.type) for k, e in keys) + tuple((k, a.type) for k, a in aggs), device
        )
        steps: list[tuple[p.Step, p.Schema]] = [(p.Summarize(tuple(keys), tuple(aggs)), out_schema)]
        if needs_post:
            cols = [(k, Col(k, e.type)) for k, e in keys] + post
            steps.append((p.Select(tuple(cols)), _schema_of(cols, device)))
        return steps

    def _aggregate(self, call: n.Call, schema: p.Schema, scope: _Scope) -> Aggregate:
        fn = lookup(call.name)
        assert fn is not None and fn.aggregate
        self._check_dialect(fn.name, fn.dialects, call)
        self._check_arity(fn.name, fn.min_args, fn.max_args, call)
        row_args = fn.row_args if fn.row_args is not None else len(call.args)
        args: list[Bound] = []
        options: list[Any] = []
        for i, a in enumerate(call.args):
            if isinstance(a, n.Star):
                if fn.name == "count":
                    continue
                raise self.error(f"'*' is not an argument of {fn.name}()", a)
            b = self.bind(a, schema, scope)
            if i < row_args:
                args.append(b)
            else:
                if not isinstance(b, Const):
                    raise self.error(f"argument {i + 1} of {fn.name}() must be a constant", a)
                options.append(b.value)
        types = tuple(b.type for b in args)
        consts = tuple(b.value if isinstance(b, Const) else NOT_CONST for b in args) + tuple(options)
        try:
            rtype = fn.typer(types, consts)
        except SignatureError as err:
            raise self.error(str(err), call) from None
        return Aggregate(fn.name, tuple(args), rtype, tuple(options))

    def _aggregate_name(self, call: n.Call, agg: Aggregate) -> str:
        fn = agg.function.lower()
        if self.dialect == "cmpivot":
            return f"{fn}_"  # CMPivot: count_, dcount_, sum_ — never sum_FreeSpace (§3.4)
        if fn in _PREDICATE_AGGS or not agg.args:
            return f"{fn}_"
        first = next((c for c in _columns_in(agg.args[0])), None)
        prefix = _KQL_AGG_PREFIX.get(fn, fn)
        if first is None:
            return f"{prefix}_"
        name = f"{prefix}_{first}"
        if fn == "percentile" and agg.options:
            name += f"_{str(agg.options[0]).replace('.', '_')}"
        return name

    def _arg_extreme(
        self,
        call: n.Call,
        alias: str | None,
        schema: p.Schema,
        scope: _Scope,
        taken: Mapping[str, Any],
        keys: list[tuple[str, Bound]],
    ) -> list[tuple[str, Aggregate]]:
        """``arg_max(by, cols...)`` → one aggregation per returned column (Kusto's naming)."""
        fn = call.name.lower()
        self._check_dialect(fn, lookup(fn).dialects, call)  # type: ignore[union-attr]
        if not call.args:
            raise self.error(f"{fn}() needs the expression to maximise or minimise", call)
        by = self.bind(call.args[0], schema, scope)
        by_name = alias or (
            call.args[0].name
            if isinstance(call.args[0], n.Name) and isinstance(by, Col)
            else f"{'max' if fn == 'arg_max' else 'min'}_"
        )
        if isinstance(by, Col):
            by_name = alias or by.name
        out = [(_fresh(by_name, taken), Aggregate(fn, (by, by), by.type))]
        key_cols = {e.name for _, e in keys if isinstance(e, Col)}
        for a in call.args[1:]:
            if isinstance(a, n.Star):
                cols = [
                    Col(c, t)
                    for c, t in schema.visible
                    if c not in key_cols and not (isinstance(by, Col) and c == by.name)
                ]
                for c in cols:
                    out.append((_fresh(c.name, {**taken, **dict(out)}), Aggregate(fn, (by, c), c.type)))
            else:
                b = self.bind(a, schema, scope)
                nm = b.name if isinstance(b, Col) else self._auto_name(a, {**taken, **dict(out)}, b)
                out.append((_fresh(nm, {**taken, **dict(out)}), Aggregate(fn, (by, b), b.type)))
        return out

    # ------------------------------------------------------------------------------ join

    def _join(self, op: n.Join, left: p.Schema, scope: _Scope) -> tuple[p.Step, p.Schema]:
        scope.joins += 1
        if self.dialect == "cmpivot" and scope.joins > MAX_JOINS:
            raise self.error(f"CMPivot allows at most {MAX_JOINS} joins in one query", op)
        right_plan = self.plan_pipeline(op.right, scope)
        if right_plan.render is not None:
            raise self.error("render cannot appear inside a join", op.right)
        right = right_plan.schema
        kind = (op.kind or ("inner" if self.dialect == "cmpivot" else "innerunique")).lower()
        kind = {"anti": "leftanti", "leftantisemi": "leftanti", "rightantisemi": "rightanti"}.get(kind, kind)
        if kind not in _JOIN_KINDS:
            raise self.error(
                f"unknown join kind '{op.kind}'",
                op,
                hint=_did_you_mean(kind, _JOIN_KINDS) or f"join kinds are: {', '.join(_JOIN_KINDS)}",
            )
        if op.on:
            on = []
            for k in op.on:
                on.append((self._column(k.left, left, k), self._column(k.right, right, k)))
        else:
            if left.device is None or right.device is None:
                side = "left" if left.device is None else "right"
                raise self.error(
                    f"this join matches rows of the same Device, but the {side} side has no device column",
                    op,
                    hint="keep Device in the project or summarize before the join"
                    if self.dialect == "cmpivot"
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
            name = _fresh(c, taken)
            taken[name] = t
            right_cols.append((c, name))
            out_cols.append((name, t))
        if (
            self.dialect == "cmpivot"
            and len([c for c, _ in out_cols if c != p.HIDDEN_DEVICE]) > MAX_JOIN_COLUMNS
        ):
            raise self.error(f"CMPivot allows at most {MAX_JOIN_COLUMNS} columns across a join", op)
        return (
            p.Join(kind, right_plan, tuple(on), tuple(right_cols)),
            p.Schema(tuple(out_cols), left.device),
        )

    # ------------------------------------------------------------------------------ mv-expand

    def _mv_expand(self, op: n.MvExpand, schema: p.Schema, scope: _Scope) -> tuple[p.Step, p.Schema]:
        cols: list[tuple[str, ScalarType | None]] = []
        pre: dict[str, Bound] = {c: Col(c, t) for c, t in schema.columns}
        for i, a in enumerate(op.items):
            expr = self.bind(a.expr, schema, scope)
            name = a.name or (expr.name if isinstance(expr, Col) else self._auto_name(a.expr, pre, expr))
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

    # ------------------------------------------------------------------------------ expressions

    def _column(self, name: str, schema: p.Schema, node: Any) -> str:
        c = schema.resolve(name)
        if c is None:
            raise self._unknown_column(name, schema, node)
        return c

    def _unknown_column(self, name: str, schema: p.Schema, node: Any) -> QuerySemanticError:
        visible = [c for c, _ in schema.visible]
        hint = _did_you_mean(name, visible)
        listing = ", ".join(visible[:12]) + (", …" if len(visible) > 12 else "")
        hint = f"{hint + ' ' if hint else ''}columns here: {listing}" if visible else hint
        return self.error(f"unknown column '{name}'", node, hint=hint)

    def bind(
        self, e: n.Expr, schema: p.Schema, scope: _Scope, *, aggregates: Mapping[n.Call, Col] | None = None
    ) -> Bound:
        """Resolve and type an expression over ``schema``."""
        if isinstance(e, n.Literal):
            return _const(e)
        if isinstance(e, n.Name):
            c = schema.resolve(e.name)
            if c != e.name and e.name in scope.scalars:
                # an exact let-bound name wins over a column that only matches ignoring case:
                # `let region = 'West'; T | where Region == region` (Kusto names are case-sensitive)
                return scope.scalars[e.name]
            if c is not None and c != p.HIDDEN_DEVICE:
                return Col(c, schema.type_of(c))
            if e.name in scope.scalars:
                return scope.scalars[e.name]
            raise self._unknown_column(e.name, schema, e)
        if isinstance(e, n.Call):
            if aggregates is not None and e in aggregates:
                return aggregates[e]
            return self._call(e, schema, scope, aggregates)
        if isinstance(e, n.Binary):
            op = e.op
            return self._apply(op, (e.left, e.right), schema, scope, e, aggregates)
        if isinstance(e, n.Unary):
            if e.op == "+":
                return self.bind(e.operand, schema, scope, aggregates=aggregates)
            inner = e.operand
            if (
                isinstance(inner, n.Literal)
                and inner.type in ("long", "real", "timespan")
                and inner.value is not None
            ):
                return _const(n.Literal(-inner.value, inner.type))
            return self._apply("neg", (inner,), schema, scope, e, aggregates)
        if isinstance(e, n.InList):
            return self._apply(e.op, (e.left, *e.items), schema, scope, e, aggregates)
        if isinstance(e, n.Between):
            return self._apply(
                "!between" if e.negated else "between", (e.left, e.low, e.high), schema, scope, e, aggregates
            )
        if isinstance(e, n.Member):
            return self._apply(
                "member", (e.target, n.Literal(e.name, "string")), schema, scope, e, aggregates
            )
        if isinstance(e, n.Index):
            return self._apply("index", (e.target, e.index), schema, scope, e, aggregates)
        if isinstance(e, n.Star):
            raise self.error("'*' is only an argument of count(), arg_max() and arg_min()", e)
        raise self.error(f"unsupported expression {type(e).__name__}", e)

    def _call(
        self, e: n.Call, schema: p.Schema, scope: _Scope, aggregates: Mapping[n.Call, Col] | None
    ) -> Bound:
        name = e.name.lower()
        t = type_named(name)
        if t is not None and len(e.args) == 1 and isinstance(e.args[0], n.Literal) and lookup(name) is None:
            return _cast_literal(e.args[0], t, self, e)
        fn = lookup(name)
        if fn is None:
            from .functions import REGISTRY

            names = sorted(
                {f.name for f in REGISTRY.values() if self.dialect in f.dialects and f.name.isidentifier()}
            )
            raise self.error(f"unknown function '{e.name}'", e, hint=_did_you_mean(e.name, names))
        if fn.aggregate:
            raise self.error(
                f"{fn.name}() is an aggregation: use it in summarize, e.g. summarize {fn.name}(...) by ...", e
            )
        if t is not None and len(e.args) == 1 and isinstance(e.args[0], n.Literal):
            return _cast_literal(e.args[0], t, self, e)
        return self._apply(fn.name, e.args, schema, scope, e, aggregates)

    def _apply(
        self,
        name: str,
        args: tuple[n.Expr, ...],
        schema: p.Schema,
        scope: _Scope,
        node: Any,
        aggregates: Mapping[n.Call, Col] | None,
    ) -> Bound:
        fn = lookup(name)
        if fn is None:
            raise self.error(f"the operator '{name}' is not supported", node)
        self._check_dialect(fn.name, fn.dialects, node)
        self._check_arity(fn.name, fn.min_args, fn.max_args, node, len(args))
        bound = tuple(self.bind(a, schema, scope, aggregates=aggregates) for a in args)
        types = tuple(b.type for b in bound)
        consts = tuple(b.value if isinstance(b, Const) else NOT_CONST for b in bound)
        try:
            rtype = fn.typer(types, consts)
        except SignatureError as err:
            raise self.error(str(err), node) from None
        return Apply(fn.name, bound, rtype)

    def _check_dialect(self, name: str, dialects: frozenset[str], node: Any) -> None:
        if self.dialect not in dialects:
            raise self.error(
                f"'{name}' is not supported by ConfigMgr's CMPivot",
                node,
                hint="evaluate the query locally with dialect='kql' to use it",
            )

    def _check_arity(self, name: str, lo: int, hi: int | None, node: Any, count: int | None = None) -> None:
        if count is None:
            count = len(node.args)
        if count < lo or (hi is not None and count > hi):
            if lo == hi:
                want = f"{lo} argument{'s' if lo != 1 else ''}"
            elif hi is None:
                want = f"at least {lo} argument{'s' if lo != 1 else ''}"
            else:
                want = f"{lo} to {hi} arguments"
            raise self.error(f"{name}() takes {want}, not {count}", node)


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


# ---------------------------------------------------------------------------------- helpers


def _find(tables: Mapping[str, Any], name: str) -> str | None:
    if name in tables:
        return name
    lower = name.lower()
    return next((t for t in tables if t.lower() == lower), None)


def _fresh(name: str, taken: Mapping[str, Any]) -> str:
    """``name``, or ``name1``, ``name2``… — the smallest suffix not taken (Kusto's rule)."""
    if name not in taken:
        return name
    i = 1
    while f"{name}{i}" in taken:
        i += 1
    return f"{name}{i}"


def _did_you_mean(word: str, choices: Any) -> str | None:
    by_lower = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return f"did you mean '{by_lower[close[0]]}'?" if close else None


def _schema_of(cols: list[tuple[str, Bound]] | tuple[tuple[str, Bound], ...], device: str | None) -> p.Schema:
    return p.Schema(tuple((c, e.type) for c, e in cols), device)


def _inline(expr: Bound, out: Mapping[str, Bound]) -> Bound:
    """Substitute the columns earlier extend items added into a later item, so one Select
    computes them all."""
    if isinstance(expr, Col):
        return out.get(expr.name, expr)
    if isinstance(expr, Apply):
        return Apply(expr.function, tuple(_inline(a, out) for a in expr.args), expr.type)
    return expr


def _const(lit_: n.Literal) -> Const:
    t = ScalarType(lit_.type)
    v = lit_.value
    if v is not None and t in (ScalarType.DATETIME, ScalarType.TIMESPAN) and v % 1000 == 0:
        v = ns_to_datetime(v) if t == ScalarType.DATETIME else dt.timedelta(microseconds=v // 1000)
    return Const(v, t)


def _cast_literal(arg: n.Literal, t: ScalarType, planner: Planner, node: Any) -> Const:
    """``int(null)``, ``long(5)``, ``real(1)``, ``bool(null)``: a typed constant."""
    v = arg.value
    if v is None:
        return Const(None, t)
    try:
        if t in (ScalarType.INT, ScalarType.LONG):
            return Const(int(v), t)
        if t == ScalarType.REAL:
            return Const(float(v), t)
        if t == ScalarType.BOOL and isinstance(v, bool):
            return Const(v, t)
        if t == ScalarType.STRING:
            return Const(str(v), t)
    except (TypeError, ValueError):
        pass
    if ScalarType(arg.type) == t:
        return _const(arg)
    raise planner.error(f"cannot make a {t} from {arg.type} {v!r}", node)


def _coerce_cell(b: Const, t: ScalarType, planner: Planner, node: Any) -> Any:
    v = b.value
    if v is None or b.type == t:
        return v
    if t == ScalarType.REAL and b.type in (ScalarType.INT, ScalarType.LONG):
        return float(v)
    if t in (ScalarType.INT, ScalarType.LONG) and b.type in (ScalarType.INT, ScalarType.LONG):
        return v
    if t == ScalarType.DYNAMIC:
        import json

        return json.dumps(v) if not isinstance(v, str) or b.type != ScalarType.DYNAMIC else v
    raise planner.error(f"a {b.type} value in a {t} column", node)


def _is_aggregate(call: n.Call) -> bool:
    fn = lookup(call.name)
    return fn is not None and fn.aggregate


def _aggregate_calls(e: Any) -> list[n.Call]:
    found: list[n.Call] = []
    if isinstance(e, n.Call) and _is_aggregate(e):
        return [e]
    for f in getattr(e, "__dataclass_fields__", {}):
        v = getattr(e, f)
        for x in v if isinstance(v, tuple) else (v,):
            if isinstance(x, n.Node):
                found += _aggregate_calls(x)
    return found


def _has_aggregate(e: Any) -> bool:
    return bool(_aggregate_calls(e))


def _columns_in(b: Bound) -> list[str]:
    if isinstance(b, Col):
        return [b.name]
    if isinstance(b, Apply):
        return [c for a in b.args for c in _columns_in(a)]
    return []
