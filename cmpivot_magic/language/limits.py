"""How deeply a query may nest, and the error for one that nests deeper.

Long is fine, deep is limited. Lists (``in (…)`` values, function arguments, ``project`` columns,
pipeline steps) and ``and``/``or`` chains (one ``nodes.Logical`` node however long) are flat, so
no stage recurses per item. Nesting — ``strcat(strcat(…))``, ``iif(…, iif(…))``, ``a + b + c``
(one level per operator), parentheses around subqueries — makes every later stage recurse once
per level: the printer, ``==`` on trees, the binder, the planner, the evaluator and polars itself.

``MAX_DEPTH`` bounds the syntax tree's depth (every node from the query down counts one level). It
is set well below what those stages handle. Measured once, while choosing the limit (nothing re-runs
these figures), under Python's default recursion limit of 1000 with 150 frames already on the stack (more than a notebook cell or a pytest test has), with
no limit, parse → plan → print → compare → evaluate first ran out of stack at 206 levels of nested
calls (``strcat``, ``iif``, ``tolower``: the binder takes four frames per level) and at 276 levels of
operators, unary minus or subqueries; polars itself slows steeply with depth (a 1,000-deep ``when``
takes 0.7 s, a 3,000-deep ``+`` 52 s). 100 levels is far beyond what a person writes (a query nests
a handful) and leaves twice that margin; at 95 levels every stage passes even with 400 frames on the
stack (``test_nesting_just_inside_the_limit_runs_everywhere`` checks that). ``finish.py`` checks it on every parse, so a deeper query gets a ``QuerySyntaxError`` with a
caret instead of a ``RecursionError``; ``recursion_guard`` is the last line of defence at the public
entry points (parse, plan, print, compare, evaluate, a session's run), should a stage still run out
of stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import QuerySyntaxError, locate
from . import nodes as n

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

MAX_DEPTH = 100
"""Most levels of nesting in a query's syntax tree (and in a ``dynamic(...)`` value)."""

TOO_DEEP_HINT = (
    "chains of and/or and lists of values or arguments do not nest, but each call, each '+', '-', '*', '/' "
    "and each parenthesised subquery inside another adds a level: use case() instead of nested iif(), one "
    "strcat(a, b, c) instead of nested strcat(), or split the expression with let (kql dialect)"
)


def too_deep_error(text: str, node: Any, what: str = "the query") -> QuerySyntaxError:
    """The error for ``node``, a node ``MAX_DEPTH`` levels deep with nodes below it."""
    start, end = head_span(node, text)
    return QuerySyntaxError(
        f"{what} nests too deeply here: at most {MAX_DEPTH} levels of nested calls, operators and subqueries",
        text=text, location=locate(text, start, end), hint=TOO_DEEP_HINT,
    )


def head_span(node: Any, text: str) -> tuple[int, int]:
    """Where a node starts, as a caret shows it: a call's name and '(', an operator's keyword or
    symbol, else the node's first character."""
    span: n.Span | None = getattr(node, "span", None)
    if span is None:
        return 0, 1
    if isinstance(node, n.Call):
        return span.start, min(span.end, span.start + len(node.name) + 1)
    if isinstance(node, n.Pipeline):  # a subquery: its '(' (the span starts inside it)
        before = text[: span.start].rstrip()
        if before.endswith("("):
            return len(before) - 1, len(before)
    pair: tuple[Any, Any] | None = None
    op = None
    if isinstance(node, n.Binary):
        pair, op = (node.left, node.right), node.op
    elif isinstance(node, n.Logical):
        pair, op = (node.operands[0], node.operands[1]), node.op
    if pair is not None and op is not None:
        left, right = (getattr(x, "span", None) for x in pair)
        if left is not None and right is not None:
            m = re.compile(re.escape(op.split()[0]), re.IGNORECASE).search(text, left.end, right.start)
            if m:
                return m.start(), m.end()
    word = _WORD.match(text, span.start)  # an operator's keyword (join, where, ...), else one character
    return span.start, word.end() if word else span.start + 1


def json_depth(value: Any) -> int:
    """How deeply a ``dynamic`` literal's value nests (0 for a scalar), without recursing."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, list | dict):
            depth += 1
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                break
            stack.extend((x, depth) for x in (v.values() if isinstance(v, dict) else v))
    return deepest


def deepest_expression(tree: Any) -> Any:
    """The outermost node on the tree's deepest path that is an expression (else the deepest
    node): where a query that ran out of stack is most likely too complex."""
    best: tuple[int, list[Any]] = (-1, [])
    stack: list[tuple[Any, list[Any]]] = [(tree, [tree])]
    while stack:
        node, path = stack.pop()
        children = [x for x in _children(node)]
        if not children and len(path) > best[0]:
            best = (len(path), path)
        for child in children:
            stack.append((child, [*path, child]))
    path = best[1]
    for node in path:
        if isinstance(node, n.Expr):
            return node
    return path[-1] if path else tree


def _children(node: Any) -> Iterator[Any]:
    if not isinstance(node, n.Node):
        return
    for name in getattr(node, "__dataclass_fields__", {}):
        value = getattr(node, name)
        for x in value if isinstance(value, tuple) else (value,):
            if isinstance(x, n.Node):
                yield x
            elif isinstance(x, tuple):
                yield from (y for y in x if isinstance(y, n.Node))


@contextmanager
def recursion_guard(text: str, tree: Any = None) -> Iterator[None]:
    """Turn a ``RecursionError`` inside the block into a ``QuerySyntaxError`` pointing at the
    query's most deeply nested expression. The depth limit makes this unreachable for the
    stages measured; it stays so that no input can ever surface as a Python exception."""
    try:
        yield
    except RecursionError:
        node = deepest_expression(tree) if tree is not None else None
        start, end = head_span(node, text) if node is not None else (0, 1)
        raise QuerySyntaxError(
            "the query is too complex to evaluate: it nests too deeply", text=text,
            location=locate(text, start, end), hint=TOO_DEEP_HINT,
        ) from None
