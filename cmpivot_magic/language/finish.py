"""The transformer's output → the finished syntax tree, checked for depth and dialect.

The transformer (``builder.py``) leaves parser-internal stand-ins in the tree: ``NameStr`` for
names, ``StringLit`` for string literals, ``Chain`` for ``and``/``or`` chains. ``finish`` replaces
them with plain ``str``, ``nodes.Literal`` and ``nodes.Logical`` in one pass over the tree that
uses its own stack, not recursion, and that stops at the first node deeper than
``limits.MAX_DEPTH`` with a located ``QuerySyntaxError``. Then ``check_dialect`` rejects what the
query's dialect does not run (in the cmpivot dialect: the KQL-only constructs), caret on the keyword.
"""

from __future__ import annotations

import re
from typing import Any

from . import nodes as n
from .builder_exprs import Chain, NameStr, StringLit
from .dialect import Dialect
from .error_words import dialect_error
from .limits import MAX_DEPTH, too_deep_error

# nodes with no node below them: never pushed, so a 100,000-value list costs no stack traffic
# (a Name's name is fixed where it is found; a Literal's value and a Star hold no stand-ins)
_LEAVES = (n.Literal, n.Name, n.Star)
_FIELDS: dict[type, tuple[str, ...]] = {}


def finish(tree: n.QueryText, text: str) -> n.QueryText:
    """Replace the stand-ins throughout ``tree`` (in place: the tree is the parser's own until it
    returns, and rebuilding every ancestor of every name cost a fifth of parsing)."""
    stack: list[tuple[Any, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        cls = type(node)
        names = _FIELDS.get(cls) or _FIELDS.setdefault(
            cls, tuple(f for f in cls.__dataclass_fields__ if f != "span")
        )
        children: list[Any] = []
        for name in names:
            old = getattr(node, name)
            new = _fixed(old, children)
            if new is not old:
                object.__setattr__(node, name, new)
        if children and depth >= MAX_DEPTH:  # the caret goes on the construct at the limit
            raise too_deep_error(text, node)
        stack.extend((child, depth + 1) for child in reversed(children))
    return tree


def _fixed(value: Any, children: list[Any]) -> Any:
    """``value`` with its stand-ins replaced, one level deep; the nodes found in it (which may
    hold stand-ins further down) are added to ``children`` to be finished in turn."""
    t = type(value)
    if t is NameStr:
        return str(value)
    if t is StringLit:
        return n.Literal(value.value, "string", span=value.span)
    if t is Chain:
        value = n.Logical(value.op, tuple(value.parts), span=value.span)
        children.append(value)
        return value
    if t is tuple:
        fixed = tuple([_fixed(x, children) for x in value])
        return value if all(a is b for a, b in zip(fixed, value, strict=True)) else fixed
    if t is n.Name:  # a leaf, not visited: its one field is fixed here
        if type(value.name) is NameStr:
            object.__setattr__(value, "name", str(value.name))
    elif isinstance(value, n.Node) and not isinstance(value, _LEAVES):
        children.append(value)
    return value


# ------------------------------------------------------------------------------ dialect check

def check_dialect(query: n.QueryText, text: str, dialect: Dialect) -> None:
    """Reject what ``dialect`` does not run (ConfigMgr's CMPivot: the KQL-only constructs),
    naming the local dialect that does.

    The caret goes on the keyword: a node's span starts at its keyword, except for ``on`` and
    ``as``, which are found in the text between the spans around them."""
    if not dialect.rejected_keywords:
        return

    def reject(token_type: str, node: n.Node, keyword: str, after: int | None = None) -> None:
        if dialect.supports(token_type):
            return
        span: n.Span | None = getattr(node, "span", None)
        start = span.start if span else 0
        if after is not None:  # a keyword in the middle of the node: find it in the text
            m = re.compile(rf"\b{keyword}\b", re.IGNORECASE).search(text, after, span.end if span else len(text))
            start = m.start() if m else after
        raise dialect_error(text, token_type, start, start + len(keyword))

    nodes = dialect.rejected_nodes
    for let in query.lets:
        reject(nodes[n.Let], let, "let")

    def walk(p: n.Pipeline) -> None:
        src = p.source
        if isinstance(src, n.Pipeline):
            walk(src)
        elif type(src) in nodes:
            reject(nodes[type(src)], src, type(src).__name__.lower())
        for op in p.operators:
            if type(op) in nodes:
                kind = nodes[type(op)]
                reject(kind, op, kind.lower().replace("_", "-"))
            elif isinstance(op, n.OrderBy) and op.keyword == "sort":
                reject("SORT", op, "sort")
            elif isinstance(op, n.Take) and op.keyword == "limit":
                reject("LIMIT", op, "limit")
            elif isinstance(op, n.Count) and op.alias is not None:
                reject("AS", op, "as", after=op.span.start + len("count") if op.span else 0)
            elif isinstance(op, n.Join):
                if op.on:
                    reject("ON", op, "on", after=op.right.span.end if op.right.span else 0)
                walk(op.right)

    walk(query.body)
