"""The transformer's expression half: lark children → expression nodes and literal values.

``builder.py`` puts this mixin together with the rules for statements, sources and operators into
the transformer that runs inline while lark parses (``parser.py``). Three parser-internal
stand-ins ride through the transformer and are replaced by ``finish.py``: ``NameStr`` (a name
that knows where it was), ``StringLit`` (a string literal that keeps its raw text for entity
arguments) and ``Chain`` (an ``and``/``or`` chain that grows in place, so a chain of n
conditions costs n appends, not n nested nodes).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from lark import Token

from . import literals as lit
from . import nodes as n
from .limits import MAX_DEPTH, json_depth


class ParseFailure(Exception):
    """Raised inside the transformer for a literal that does not make sense; carries a span."""

    def __init__(self, message: str, span: n.Span, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.span, self.hint = message, span, hint


class NameStr(str):
    """A name as the transformer passes it around: the text plus where it was."""

    start: int
    end: int

    def __new__(cls, text: str, start: int, end: int) -> NameStr:
        self = super().__new__(cls, text)
        self.start, self.end = start, end
        return self


class StringLit(n.Literal):
    """A string literal that still knows its raw text (for entity arguments)."""

    def __init__(self, value: Any, type: str, *, span: n.Span | None = None, raw: str = "") -> None:
        super().__init__(value, type, span=span)
        object.__setattr__(self, "raw", raw)

    raw: str


class Chain(n.Node):
    """An ``and``/``or`` chain being built: ``finish.py`` turns it into ``nodes.Logical``.

    Mutable on purpose: ``a or b or c …`` reduces left to right, and each step appends its
    right operand here instead of copying a tuple (which made long chains quadratic)."""

    __slots__ = ("op", "parts", "span")

    def __init__(self, op: str, parts: list[Any], span: n.Span | None) -> None:
        self.op, self.parts, self.span = op, parts, span


def span_of(items: Iterable[Any]) -> n.Span | None:
    """The span covering every token, name and node among ``items`` (lists looked into)."""
    start = end = None
    for item in items:
        if isinstance(item, Token):
            s, e = item.start_pos, item.end_pos
        elif isinstance(item, NameStr):  # names are plain str in the tree; their span rides along
            s, e = item.start, item.end
        elif isinstance(item, n.Node) and getattr(item, "span", None) is not None:
            s, e = item.span.start, item.span.end  # type: ignore[attr-defined]
        elif isinstance(item, list | tuple):
            # a list's items are in text order: its first and last items bound it
            sp = _ends_span(item)
            if sp is None:
                continue
            s, e = sp.start, sp.end
        else:
            continue
        if s is None or e is None:
            continue
        start = s if start is None else min(start, s)
        end = e if end is None else max(end, e)
    return n.Span(start, end) if start is not None and end is not None else None


def _ends_span(items: list[Any] | tuple[Any, ...]) -> n.Span | None:
    """The span of a list of children from its first and last located items: constant time for
    the usual case, where looking at every item made a 100,000-value list cost a scan per rule."""
    if len(items) <= 2:
        return span_of(items)
    first = span_of(items[:1]) or span_of(items)
    last = span_of(items[-1:]) or span_of(items)
    if first is None or last is None:
        return None
    return n.Span(min(first.start, last.start), max(first.end, last.end))


def tok_span(tok: Token) -> n.Span:
    return n.Span(tok.start_pos or 0, tok.end_pos or 0)


def plain(node: Any) -> Any:
    """Drop the parser-internal raw text from a string literal used in an expression."""
    if isinstance(node, StringLit):
        return n.Literal(node.value, "string", span=node.span)
    return node


# one item of a LITERAL_LIST token (grammar.lark): a string without escapes (groups 1 and 2, its
# value as written), an integer (group 3), or any other form of string (no group)
_LIST_ITEM = re.compile(r"""'([^'\\\n]*)'|"([^"\\\n]*)"|(\d+)|[hH]?@(?:"[^"\n]*"|'[^'\n]*')"""
                        r"""|[hH]?(?:"[^"\\\n]*(?:\\.[^"\\\n]*)*"|'[^'\\\n]*(?:\\.[^'\\\n]*)*')""")


class ExprBuilder:
    """Transformer methods for expressions, literals and JSON (one per rule or alias)."""

    def assign_list(self, c: list[Any]) -> list[n.Assign]:
        return list(c)

    def assign(self, c: list[Any]) -> n.Assign:
        return n.Assign(None, plain(c[0]), span=span_of(c))

    def assign_named(self, c: list[Any]) -> n.Assign:
        return n.Assign(c[0], plain(c[1]), span=span_of(c))

    def expr_list(self, c: list[Any]) -> list[Any]:
        return list(c)

    def call_args(self, c: list[Any]) -> list[Any]:
        return list(c)

    def star(self, c: list[Any]) -> n.Star:
        return n.Star(span=tok_span(c[0]))

    def binary(self, c: list[Any]) -> n.Binary:
        op = str(c[1]).lower()
        if op == "<>":
            op = "!="
        return n.Binary(op, plain(c[0]), plain(c[2]), span=span_of(c))

    def logical(self, c: list[Any]) -> Chain:
        op, left, right = str(c[1]).lower(), plain(c[0]), plain(c[2])
        chain = left if isinstance(left, Chain) and left.op == op else Chain(op, [left], left.span)
        if isinstance(right, Chain) and right.op == op:  # a or (b or c): the same chain
            chain.parts.extend(right.parts)
        else:
            chain.parts.append(right)
        if chain.span is not None and right.span is not None:
            chain.span = n.Span(chain.span.start, right.span.end)
        return chain

    def matches_regex(self, c: list[Any]) -> n.Binary:
        return n.Binary("matches regex", plain(c[0]), plain(c[3]), span=span_of(c))

    def in_list(self, c: list[Any]) -> n.InList:
        return n.InList(str(c[1]).lower(), plain(c[0]), tuple(map(plain, c[2] or ())), span=span_of(c))

    def in_literals(self, c: list[Any]) -> n.InList:
        """``x in ('a', 'b', 1, …)`` read as one LITERAL_LIST token: the same tree as ``in_list``
        makes, at a fraction of the cost per value (no parser steps per value)."""
        tok: Token = c[2]
        base = tok.start_pos or 0
        items: list[n.Literal] = []
        literal, span = n.Literal, n.Span
        for m in _LIST_ITEM.finditer(str(tok)):
            group, (start, end) = m.lastindex, m.span()
            where = span(base + start, base + end)
            if group == 1 or group == 2:  # the common case, kept cheap: 100,000 values parse in ~0.3 s
                items.append(literal(m.group(group), "string", span=where))
            elif group == 3:
                items.append(self._int(m.group(3), where))
            else:
                items.append(literal(lit.string_value(m.group(0))[0], "string", span=where))
        return n.InList(str(c[1]).lower(), plain(c[0]), tuple(items), span=span_of(c))

    def between(self, c: list[Any]) -> n.Between:
        negated = str(c[1]).startswith("!")
        return n.Between(plain(c[0]), plain(c[2]), plain(c[4]), negated, span=span_of(c))

    def unary(self, c: list[Any]) -> n.Unary:
        return n.Unary(str(c[0]), plain(c[1]), span=span_of(c))  # type: ignore[arg-type]

    def not_prefix(self, c: list[Any]) -> n.Call:
        """``not x`` is ``not(x)``: one tree for both spellings."""
        tok: Token = c[0]
        name = NameStr(str(tok), tok.start_pos or 0, tok.end_pos or 0)
        return n.Call(name, (plain(c[1]),), span=span_of(c))

    def member(self, c: list[Any]) -> n.Member:
        return n.Member(plain(c[0]), c[1], span=span_of(c))

    def index(self, c: list[Any]) -> n.Index:
        return n.Index(plain(c[0]), plain(c[1]), span=span_of(c))

    def column(self, c: list[Any]) -> n.Name:
        return n.Name(c[0], span=self._name_span(c[0]))

    def call(self, c: list[Any]) -> n.Call:
        # string arguments keep their raw text until finish.py: `let t = Registry('...') | ...` turns
        # this call into an entity reference, whose arguments are raw (see builder._as_entity)
        return n.Call(c[0], tuple(c[1] or ()), span=span_of(c))

    # ---- names keep their span in a side table: a str subclass would leak into the tree
    def name(self, c: list[Any]) -> str:
        tok: Token = c[0]
        text = str(tok)
        if tok.type == "BRACKET_NAME":
            text = text.strip()[1:-1].strip()[1:-1]
        return NameStr(text, tok.start_pos or 0, tok.end_pos or 0)

    @staticmethod
    def _name_span(name: Any) -> n.Span | None:
        return n.Span(name.start, name.end) if isinstance(name, NameStr) else None

    # ---- literals
    def string(self, c: list[Any]) -> StringLit:
        values, raws = zip(*(lit.string_value(str(t)) for t in c), strict=True)
        return StringLit("".join(values), "string", span=span_of(c), raw="".join(raws))

    def int_lit(self, c: list[Any]) -> n.Literal:
        return self._int(str(c[0]), tok_span(c[0]))

    @staticmethod
    def _int(text: str, span: n.Span) -> n.Literal:
        value = int(text)
        if value > 2**63 - 1:
            raise ParseFailure(f"the number {text} is too large for a 64-bit long", span)
        return n.Literal(value, "long", span=span)

    def real_lit(self, c: list[Any]) -> n.Literal:
        value = float(c[0])
        if math.isinf(value):  # 1e999: no real holds it, and it could not be printed back as a literal
            raise ParseFailure(f"the number {c[0]} is too large for a real", tok_span(c[0]))
        return n.Literal(value, "real", span=tok_span(c[0]))

    def timespan_lit(self, c: list[Any]) -> n.Literal:
        return n.Literal(self._literal(lit.timespan_ns, c[0]), "timespan", span=tok_span(c[0]))

    def timespan_call_lit(self, c: list[Any]) -> n.Literal:
        inner = str(c[0])[str(c[0]).index("(") + 1 : -1]
        return n.Literal(self._literal(lit.timespan_call_ns, c[0], inner), "timespan", span=tok_span(c[0]))

    def datetime_lit(self, c: list[Any]) -> n.Literal:
        inner = str(c[0])[str(c[0]).index("(") + 1 : -1]
        return n.Literal(self._literal(lit.datetime_ns, c[0], inner), "datetime", span=tok_span(c[0]))

    @staticmethod
    def _literal(fn: Any, tok: Token, text: str | None = None) -> Any:
        try:
            return fn(str(tok) if text is None else text)
        except lit.LiteralError as err:
            raise ParseFailure(str(err), tok_span(tok)) from None

    def true_lit(self, c: list[Any]) -> n.Literal:
        return n.Literal(True, "bool", span=tok_span(c[0]))

    def false_lit(self, c: list[Any]) -> n.Literal:
        return n.Literal(False, "bool", span=tok_span(c[0]))

    def null_lit(self, c: list[Any]) -> n.Literal:
        return n.Literal(None, "dynamic", span=tok_span(c[0]))

    def dynamic_lit(self, c: list[Any]) -> n.Literal:
        value, span = c[1], tok_span(c[0])  # the JSON values carry no positions: the span is the keyword's
        if json_depth(value) > MAX_DEPTH:
            raise ParseFailure(f"the dynamic value nests too deeply: at most {MAX_DEPTH} levels of [ ] and {{ }}",
                               span)
        text = None if value is None else lit.json_text(value)
        return n.Literal(text, "dynamic", span=span)

    # ---- JSON inside dynamic(...): plain Python values
    def json_array(self, c: list[Any]) -> list[Any]:
        return [] if c == [None] else list(c)

    def json_object(self, c: list[Any]) -> dict[str, Any]:
        return {} if c == [None] else dict(c)

    def json_pair(self, c: list[Any]) -> tuple[str, Any]:
        key = str(c[0])
        return (lit.string_value(key)[0] if key[:1] in "'\"" else key, c[1])

    def json_string(self, c: list[Any]) -> str:
        return lit.string_value(str(c[0]))[0]

    def json_number(self, c: list[Any]) -> int | float:
        text = str(c[0])
        if c[0].type != "REAL":
            return int(text)
        value = float(text)
        if math.isinf(value):
            raise ParseFailure(f"the number {text} is too large for a real", tok_span(c[0]))
        return value

    def json_signed(self, c: list[Any]) -> int | float:
        value = self.json_number(c[1:])
        return -value if str(c[0]) == "-" else value

    def json_true(self, c: list[Any]) -> bool:
        return True

    def json_false(self, c: list[Any]) -> bool:
        return False

    def json_null(self, c: list[Any]) -> None:
        return None
