"""Syntax tree → canonical query text.

``format_query`` writes one operator per line (``Source`` then ``| op`` lines), with
parentheses only where precedence needs them. ``parse(format_query(q)) == q`` for every tree the
parser makes; the tests check it for every query they use.
"""

from __future__ import annotations

import re
from typing import Any

from . import literals as lit
from . import nodes as n

_PRECEDENCE = {"or": 1, "and": 2, "+": 4, "-": 4, "*": 5, "/": 5, "%": 5}
_CMP = 3  # comparisons, string operators, in, between
_UNARY = 6
_POSTFIX = 7


def _prec(op: str) -> int:
    return _PRECEDENCE.get(op, _CMP)


# Names that read back as something else when written bare: literals (`true`), sources (`print`),
# and words the grammar takes as keywords where a name may also stand (`join kind`, `summarize by`).
_RESERVED = frozenset({
    "true", "false", "null", "dynamic", "let", "datatable", "print", "range", "kind", "by", "bagexpansion",
    "with_itemindex",
})
# Function names that, followed by '(', lex as a literal: datetime(...), timespan(...), time(...)
_LITERAL_CALLS = frozenset({"datetime", "timespan", "time", "dynamic"})
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def format_name(name: str) -> str:
    """A name as typed, or bracketed (``['some name']``) when it is not a plain identifier.

    A bracketed name is taken verbatim between its quotes (no escapes), so the quote is whichever
    the name does not contain."""
    if _IDENTIFIER.fullmatch(name) and name.lower() not in _RESERVED:
        return name
    return f"['{name}']" if "'" not in name else f'["{name}"]'


def _pattern(p: str) -> str:
    """A project-away/-reorder pattern: the name between its optional ``*`` wildcards."""
    if p == "*":
        return p
    core = p.strip("*")
    return p[: len(p) - len(p.lstrip("*"))] + format_name(core) + p[len(p.rstrip("*")) :]


def format_literal(node: n.Literal) -> str:
    v, t = node.value, node.type
    if t == "dynamic":
        return "dynamic(null)" if v is None else f"dynamic({v})"
    if v is None:
        return f"{t}(null)"
    if t == "bool":
        return "true" if v else "false"
    if t == "string":
        return lit.quote(v)
    if t == "datetime":
        return f"datetime({lit.format_datetime(v)})"
    if t == "timespan":
        # a negative value (only timespan(-...) makes one) keeps the call form: `-1h` is unary minus
        return lit.format_timespan(v) if v >= 0 else f"timespan({lit.format_clock_timespan(v)})"
    if t == "real":
        text = repr(float(v))
        return text if text not in ("inf", "-inf", "nan") else f"real({text.replace('inf', '+inf')})"
    return str(v)


def format_expr(e: n.Expr, parent: int = 0) -> str:
    text, prec = _expr(e)
    return f"({text})" if prec < parent else text


def _expr(e: n.Expr) -> tuple[str, int]:
    if isinstance(e, n.Literal):
        text = format_literal(e)
        return text, (_UNARY if text.startswith("-") else 9)
    if isinstance(e, n.Name):
        return format_name(e.name), 9
    if isinstance(e, n.Star):
        return "*", 9
    if isinstance(e, n.Call):
        name = f"['{e.name}']" if e.name.lower() in _LITERAL_CALLS else format_name(e.name)
        return f"{name}({', '.join(format_expr(a) for a in e.args)})", 9
    if isinstance(e, n.Binary):
        p = _prec(e.op)
        # left-associative: the right operand needs parentheses at equal precedence
        left = format_expr(e.left, p if p != _CMP else p + 1)
        right = format_expr(e.right, p + 1)
        return f"{left} {e.op} {right}", p
    if isinstance(e, n.Logical):
        # operands of a flattened chain never hold the same operator: each binds tighter, except a
        # nested chain of the other kind, which the precedence check parenthesises
        p = _prec(e.op)
        return f" {e.op} ".join(format_expr(x, p + 1) for x in e.operands), p
    if isinstance(e, n.Unary):
        return f"{e.op}{format_expr(e.operand, _UNARY)}", _UNARY
    if isinstance(e, n.InList):
        items = ", ".join(format_expr(i) for i in e.items)
        return f"{format_expr(e.left, _CMP + 1)} {e.op} ({items})", _CMP
    if isinstance(e, n.Between):
        op = "!between" if e.negated else "between"
        return f"{format_expr(e.left, _CMP + 1)} {op} ({format_expr(e.low, 4)} .. {format_expr(e.high, 4)})", _CMP
    if isinstance(e, n.Member):
        target = format_expr(e.target, _POSTFIX)
        if isinstance(e.target, n.Literal) and e.target.type == "long":
            target = f"({target})"  # `1.x` would lex as the real `1.` then `x`
        return f"{target}.{format_name(e.name)}", _POSTFIX
    if isinstance(e, n.Index):
        return f"{format_expr(e.target, _POSTFIX)}[{format_expr(e.index)}]", _POSTFIX
    raise TypeError(f"not an expression: {e!r}")


def _assign(a: n.Assign) -> str:
    return format_expr(a.expr) if a.name is None else f"{format_name(a.name)} = {format_expr(a.expr)}"


def _sort_key(k: n.SortKey) -> str:
    text = format_expr(k.expr)
    if k.order:
        text += f" {k.order}"
    if k.nulls:
        text += f" nulls {k.nulls}"
    return text


_BARE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _render_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        # a bare word reads back as the same string, except true/false, which read back as bools
        bare = _BARE_WORD.fullmatch(v) and v.lower() not in ("true", "false")
        return v if bare else lit.quote(v)
    return repr(v)


def format_operator(op: n.Operator) -> str:
    if isinstance(op, n.Where):
        return f"where {format_expr(op.predicate)}"
    if isinstance(op, n.Project):
        return "project " + ", ".join(map(_assign, op.items))
    if isinstance(op, n.Extend):
        return "extend " + ", ".join(map(_assign, op.items))
    if isinstance(op, n.ProjectAway):
        return "project-away " + ", ".join(map(_pattern, op.patterns))
    if isinstance(op, n.ProjectRename):
        return "project-rename " + ", ".join(f"{format_name(a)} = {format_name(b)}" for a, b in op.pairs)
    if isinstance(op, n.ProjectReorder):
        return "project-reorder " + ", ".join(_pattern(p) + (f" {o}" if o else "") for p, o in op.items)
    if isinstance(op, n.Summarize):
        text = "summarize"
        if op.aggregates:
            text += " " + ", ".join(map(_assign, op.aggregates))
        if op.by:
            text += " by " + ", ".join(map(_assign, op.by))
        return text
    if isinstance(op, n.Count):
        return "count" if op.alias is None else f"count as {format_name(op.alias)}"
    if isinstance(op, n.Distinct):
        return "distinct " + ", ".join(c if c == "*" else format_name(c) for c in op.columns)
    if isinstance(op, n.Join):
        text = "join"
        if op.kind:
            text += f" kind={op.kind}"
        text += f" ({format_pipeline(op.right, inline=True)})"
        if op.on:
            keys = [
                format_name(k.left) if k.left == k.right
                else f"$left.{format_name(k.left)} == $right.{format_name(k.right)}"
                for k in op.on
            ]
            text += " on " + ", ".join(keys)
        return text
    if isinstance(op, n.OrderBy):
        return "order by " + ", ".join(map(_sort_key, op.keys))
    if isinstance(op, n.Take):
        return f"take {format_expr(op.count)}"
    if isinstance(op, n.Top):
        return f"top {format_expr(op.count)} by {_sort_key(op.key)}"
    if isinstance(op, n.MvExpand):
        text = "mv-expand"
        if op.kind:
            text += f" kind={op.kind}"
        if op.item_index:
            text += f" with_itemindex={format_name(op.item_index)}"
        items = []
        for i, a in enumerate(op.items):
            t = op.types[i] if i < len(op.types) else None
            items.append(_assign(a) + (f" to typeof({t})" if t else ""))
        return f"{text} {', '.join(items)}"
    if isinstance(op, n.Render):
        text = f"render {op.kind}"
        if op.properties:
            text += " with (" + ", ".join(f"{k}={_render_value(v)}" for k, v in op.properties) + ")"
        return text
    raise TypeError(f"not an operator: {op!r}")


def format_source(src: n.Source | n.Pipeline) -> str:
    if isinstance(src, n.Pipeline):
        return f"({format_pipeline(src, inline=True)})"
    if isinstance(src, n.EntityRef):
        if not src.args:
            return format_name(src.name)
        args = [
            lit.quote_raw(a.value) if isinstance(a, n.Literal) and a.type == "string" else format_expr(a)
            for a in src.args
        ]
        return f"{format_name(src.name)}({', '.join(args)})"
    if isinstance(src, n.DataTable):
        cols = ", ".join(f"{format_name(c)}:{t}" for c, t in src.columns)
        width = max(1, len(src.columns))
        rows = [
            ", ".join(format_expr(v) for v in src.values[i : i + width]) for i in range(0, len(src.values), width)
        ]
        return f"datatable({cols}) [" + ", ".join(rows) + "]"
    if isinstance(src, n.Print):
        return "print " + ", ".join(map(_assign, src.items)) if src.items else "print"
    if isinstance(src, n.Range):
        return (f"range {format_name(src.column)} from {format_expr(src.start)} to {format_expr(src.stop)}"
                f" step {format_expr(src.step)}")
    raise TypeError(f"not a source: {src!r}")


def format_pipeline(p: n.Pipeline, *, inline: bool = False) -> str:
    parts = [format_source(p.source), *(format_operator(op) for op in p.operators)]
    return (" | " if inline else "\n| ").join(parts)


def format_query(q: n.QueryText) -> str:
    lets = []
    for let in q.lets:
        value = let.value
        text = format_pipeline(value, inline=True) if isinstance(value, n.Pipeline) else format_expr(value)
        lets.append(f"let {format_name(let.name)} = {text};\n")
    return "".join(lets) + format_pipeline(q.body)


def dynamic_text(value: Any) -> str:
    """The JSON text of a ``dynamic`` literal's value, as ``format_literal`` writes it."""
    return lit.json_text(value)
