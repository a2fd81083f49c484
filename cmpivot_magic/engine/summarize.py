"""Summarize → a ``Summarize`` step: aggregations bound and typed, and their columns named.

Naming is where the dialects differ most: CMPivot calls every unaliased aggregate column
``<function>_`` (``count_``, ``sum_``), Kusto ``<function>_<column>`` (``sum_FreeSpace``,
``list_Name``); ``arg_max``/``arg_min`` return one column per argument. An item that computes over
aggregates (``100 * count()``) becomes aggregates under temporary names plus a ``Select``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..language import nodes as n
from . import plan as p
from .binder import Binder, Scope, fresh, schema_of
from .functions import NOT_CONST, SignatureError, lookup
from .ir import Aggregate, Apply, Bound, Col, Const

# Aggregations whose unaliased KQL column is "<prefix>_<column>" with a prefix of their own.
_KQL_AGG_PREFIX = {"make_list": "list", "make_list_if": "list", "make_set": "set", "make_set_if": "set"}
# Aggregations whose only argument is a predicate: "countif_", never "countif_<column>".
_PREDICATE_AGGS = {"countif"}


class Summarizer:
    """Plans summarize over a ``Binder`` it is given (the planner's, so both see one dialect and
    one query text): the planner holds one of each rather than inheriting them."""

    def __init__(self, binder: Binder) -> None:
        self.binder = binder

    def summarize(self, op: n.Summarize, schema: p.Schema, scope: Scope) -> list[tuple[p.Step, p.Schema]]:
        """The Summarize step (and a Select when items compute over aggregates) with their schemas."""
        taken: dict[str, Any] = {}
        keys: list[tuple[str, Bound]] = []
        for a in op.by:
            expr = self.binder.bind(a.expr, schema, scope)
            if _has_aggregate(a.expr):
                raise self.binder.error("a summarize 'by' expression cannot contain an aggregation", a)
            name = a.name or self.binder.auto_name(a.expr, taken, expr)
            self._check_unique(a, taken)
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
                name = a.name or fresh(self._aggregate_name(item, agg), taken)
                self._check_unique(a, taken)
                taken[name] = agg
                aggs.append((name, agg))
                post.append((name, Col(name, agg.type)))
                continue
            if not _has_aggregate(item):
                raise self.binder.error(
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
            value = self.binder.bind(item, schema, scope, aggregates=temps)
            name = a.name or self.binder.auto_name(item, taken, value)
            self._check_unique(a, taken)
            taken[name] = value
            post.append((name, value))
        device = next((name for name, e in keys if isinstance(e, Col) and e.name == schema.device), None)
        out_schema = p.Schema(
            tuple((k, e.type) for k, e in keys) + tuple((k, a.type) for k, a in aggs), device
        )
        steps: list[tuple[p.Step, p.Schema]] = [(p.Summarize(tuple(keys), tuple(aggs)), out_schema)]
        if needs_post:
            cols = [(k, Col(k, e.type)) for k, e in keys] + post
            steps.append((p.Select(tuple(cols)), schema_of(cols, device)))
        return steps

    def _check_unique(self, item: n.Assign, taken: dict[str, Any]) -> None:
        """A name given twice (``summarize n = count() by X, n``) is refused as project refuses it:
        an output cannot hold two columns of one name."""
        if item.name is not None and item.name in taken:
            raise self.binder.error(f"column '{item.name}' is assigned twice", item)

    def _aggregate(self, call: n.Call, schema: p.Schema, scope: Scope) -> Aggregate:
        fn = lookup(call.name)
        assert fn is not None and fn.aggregate
        self.binder.check_dialect(fn.name, fn.dialects, call)
        self.binder.check_arity(fn.name, fn.min_args, fn.max_args, call)
        row_args = fn.row_args if fn.row_args is not None else len(call.args)
        args: list[Bound] = []
        options: list[Any] = []
        for i, a in enumerate(call.args):
            if isinstance(a, n.Star):
                if fn.name == "count":
                    continue
                raise self.binder.error(f"'*' is not an argument of {fn.name}()", a)
            b = self.binder.bind(a, schema, scope)
            if i < row_args:
                args.append(b)
            else:
                if not isinstance(b, Const):
                    raise self.binder.error(f"argument {i + 1} of {fn.name}() must be a constant", a)
                options.append(b.value)
        types = tuple(b.type for b in args)
        consts = tuple(b.value if isinstance(b, Const) else NOT_CONST for b in args) + tuple(options)
        try:
            rtype = fn.typer(types, consts)
        except SignatureError as err:
            raise self.binder.error(str(err), call) from None
        return Aggregate(fn.name, tuple(args), rtype, tuple(options))

    def _aggregate_name(self, call: n.Call, agg: Aggregate) -> str:
        fn = agg.function.lower()
        if not self.binder.dialect.kusto_names:
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
        scope: Scope,
        taken: Mapping[str, Any],
        keys: list[tuple[str, Bound]],
    ) -> list[tuple[str, Aggregate]]:
        """``arg_max(by, cols...)`` → one aggregation per returned column (Kusto's naming)."""
        fn = call.name.lower()
        self.binder.check_dialect(fn, lookup(fn).dialects, call)  # type: ignore[union-attr]
        if not call.args:
            raise self.binder.error(f"{fn}() needs the expression to maximise or minimise", call)
        by = self.binder.bind(call.args[0], schema, scope)
        by_name = alias or (
            call.args[0].name
            if isinstance(call.args[0], n.Name) and isinstance(by, Col)
            else f"{'max' if fn == 'arg_max' else 'min'}_"
        )
        if isinstance(by, Col):
            by_name = alias or by.name
        out = [(fresh(by_name, taken), Aggregate(fn, (by, by), by.type))]
        key_cols = {e.name for _, e in keys if isinstance(e, Col)}
        for a in call.args[1:]:
            if isinstance(a, n.Star):
                cols = [
                    Col(c, t)
                    for c, t in schema.visible
                    if c not in key_cols and not (isinstance(by, Col) and c == by.name)
                ]
                for c in cols:
                    out.append((fresh(c.name, {**taken, **dict(out)}), Aggregate(fn, (by, c), c.type)))
            else:
                b = self.binder.bind(a, schema, scope)
                nm = b.name if isinstance(b, Col) else self.binder.auto_name(a, {**taken, **dict(out)}, b)
                out.append((fresh(nm, {**taken, **dict(out)}), Aggregate(fn, (by, b), b.type)))
        return out


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
