"""Expressions → typed ``Bound`` trees: names resolved, functions looked up and type-checked.

The ``Binder`` is the planner's lower layer. It resolves a column case-insensitively (the schema's
own spelling wins), a let-bound scalar, or a function from the registry; checks each call's dialect,
arity and argument types; folds literal casts such as ``long(5)``; and names an unnamed expression
by the dialect's rule (§3.4). Every error carries the span of the node it is about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import QuerySemanticError, did_you_mean, locate
from ..language import nodes as n
from ..language.literals import ns_to_datetime
from ..language.types import ScalarType, type_named
from . import plan as p
from .functions import NOT_CONST, REGISTRY, SignatureError, lookup
from .ir import Apply, Bound, Col, Const


@dataclass
class Scope:
    """What names mean in one query: let-bound scalars and tables, and the tables given."""

    dialect: str
    tables: Mapping[str, p.Schema]
    scalars: dict[str, Bound] = field(default_factory=dict)
    let_tables: dict[str, n.Pipeline] = field(default_factory=dict)
    joins: int = 0
    text: str | None = None


class Binder:
    """Binds expressions of one dialect; ``text`` (the query) lets errors point at their spans."""

    def __init__(self, dialect: str = "cmpivot", text: str | None = None) -> None:
        self.dialect = dialect
        self.text = text

    # ------------------------------------------------------------------------------ errors, columns

    def error(self, message: str, node: Any = None, hint: str | None = None) -> QuerySemanticError:
        span = getattr(node, "span", None) if node is not None else None
        location = (
            locate(self.text, span.start, span.end) if span is not None and self.text is not None else None
        )
        return QuerySemanticError(message, text=self.text, location=location, hint=hint)

    def column(self, name: str, schema: p.Schema, node: Any) -> str:
        c = schema.resolve(name)
        if c is None:
            raise self.unknown_column(name, schema, node)
        return c

    def unknown_column(self, name: str, schema: p.Schema, node: Any) -> QuerySemanticError:
        visible = [c for c, _ in schema.visible]
        hint = did_you_mean(name, visible)
        listing = ", ".join(visible[:12]) + (", …" if len(visible) > 12 else "")
        hint = f"{hint + ' ' if hint else ''}columns here: {listing}" if visible else hint
        return self.error(f"unknown column '{name}'", node, hint=hint)

    def bind(
        self, e: n.Expr, schema: p.Schema, scope: Scope, *, aggregates: Mapping[n.Call, Col] | None = None
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
            raise self.unknown_column(e.name, schema, e)
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
        self, e: n.Call, schema: p.Schema, scope: Scope, aggregates: Mapping[n.Call, Col] | None
    ) -> Bound:
        name = e.name.lower()
        t = type_named(name)
        if t is not None and len(e.args) == 1 and isinstance(e.args[0], n.Literal) and lookup(name) is None:
            return _cast_literal(e.args[0], t, self, e)
        fn = lookup(name)
        if fn is None:
            names = sorted(
                {f.name for f in REGISTRY.values() if self.dialect in f.dialects and f.name.isidentifier()}
            )
            raise self.error(f"unknown function '{e.name}'", e, hint=did_you_mean(e.name, names))
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
        scope: Scope,
        node: Any,
        aggregates: Mapping[n.Call, Col] | None,
    ) -> Bound:
        fn = lookup(name)
        if fn is None:
            raise self.error(f"the operator '{name}' is not supported", node)
        self.check_dialect(fn.name, fn.dialects, node)
        self.check_arity(fn.name, fn.min_args, fn.max_args, node, len(args))
        bound = tuple(self.bind(a, schema, scope, aggregates=aggregates) for a in args)
        types = tuple(b.type for b in bound)
        consts = tuple(b.value if isinstance(b, Const) else NOT_CONST for b in bound)
        try:
            rtype = fn.typer(types, consts)
        except SignatureError as err:
            raise self.error(str(err), node) from None
        return Apply(fn.name, bound, rtype)

    def check_dialect(self, name: str, dialects: frozenset[str], node: Any) -> None:
        if self.dialect not in dialects:
            raise self.error(
                f"'{name}' is not supported by ConfigMgr's CMPivot",
                node,
                hint="evaluate the query locally with dialect='kql' to use it",
            )

    def check_arity(self, name: str, lo: int, hi: int | None, node: Any, count: int | None = None) -> None:
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

    def auto_name(self, e: n.Expr, taken: Mapping[str, Any], bound: Bound | None) -> str:
        """The name Kusto or CMPivot gives an unnamed expression (§3.4)."""
        if isinstance(e, n.Name):
            name = bound.name if isinstance(bound, Col) else e.name
            return name if name not in taken else fresh(name, taken)
        if isinstance(e, n.Call):
            fn = e.name.lower()
            if self.dialect == "kql" and fn == "bin" and e.args and isinstance(e.args[0], n.Name):
                return fresh(e.args[0].name, taken)
            if self.dialect == "cmpivot":
                return fresh(fn, taken)
        if isinstance(e, n.Member) and self.dialect == "kql":
            return fresh(e.name, taken)
        i = 1
        while f"Column{i}" in taken:
            i += 1
        return f"Column{i}"


def fresh(name: str, taken: Mapping[str, Any]) -> str:
    """``name``, or ``name1``, ``name2``… — the smallest suffix not taken (Kusto's rule)."""
    if name not in taken:
        return name
    i = 1
    while f"{name}{i}" in taken:
        i += 1
    return f"{name}{i}"


def schema_of(cols: list[tuple[str, Bound]] | tuple[tuple[str, Bound], ...], device: str | None) -> p.Schema:
    return p.Schema(tuple((c, e.type) for c, e in cols), device)


def _const(lit_: n.Literal) -> Const:
    t = ScalarType(lit_.type)
    v = lit_.value
    if v is not None and t in (ScalarType.DATETIME, ScalarType.TIMESPAN) and v % 1000 == 0:
        v = ns_to_datetime(v) if t == ScalarType.DATETIME else dt.timedelta(microseconds=v // 1000)
    return Const(v, t)


def _cast_literal(arg: n.Literal, t: ScalarType, binder: Binder, node: Any) -> Const:
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
    raise binder.error(f"cannot make a {t} from {arg.type} {v!r}", node)


def coerce_cell(b: Const, t: ScalarType, binder: Binder, node: Any) -> Any:
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
    raise binder.error(f"a {b.type} value in a {t} column", node)
