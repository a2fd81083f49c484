"""Query text → syntax tree (``nodes.QueryText``), or a ``QuerySyntaxError`` with a caret.

The grammar is ``grammar.lark`` (LALR, contextual lexer). The transformer below runs inline while
lark parses, so no intermediate parse tree is built; each method gets the rule's children and
returns a node whose span covers its tokens. Nothing lark-specific leaves the package: lark's
exceptions become ``QuerySyntaxError`` here or in ``syntax_errors.py``, which words them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput, VisitError

from ..errors import QuerySyntaxError, locate
from . import literals as lit
from . import nodes as n
from .syntax_errors import CMPIVOT_OPERATORS, KQL_OPERATORS, dialect_error, syntax_error
from .types import type_named

DIALECTS = ("cmpivot", "kql")

__all__ = ["CMPIVOT_OPERATORS", "DIALECTS", "KQL_OPERATORS", "ParseFailure", "parse_text"]


class ParseFailure(Exception):
    """Raised inside the transformer for a literal that does not make sense; carries a span."""

    def __init__(self, message: str, span: n.Span, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.span, self.hint = message, span, hint


def _span_of(items: Iterable[Any]) -> n.Span | None:
    start = end = None
    for item in items:
        if isinstance(item, Token):
            s, e = item.start_pos, item.end_pos
        elif isinstance(item, _NameStr):  # names are plain str in the tree; their span rides along
            s, e = item.start, item.end
        elif isinstance(item, n.Node) and getattr(item, "span", None) is not None:
            s, e = item.span.start, item.span.end  # type: ignore[attr-defined]
        elif isinstance(item, list | tuple):
            sp = _span_of(item)
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


def _tok_span(tok: Token) -> n.Span:
    return n.Span(tok.start_pos or 0, tok.end_pos or 0)


class _Builder(Transformer[Token, Any]):
    """Builds nodes from lark children. One method per rule or alias of grammar.lark."""

    # ---- statements
    def start(self, c: list[Any]) -> n.QueryText:
        lets = tuple(x for x in c if isinstance(x, n.Let))
        body = next(x for x in c if isinstance(x, n.Pipeline))
        return n.QueryText(lets, body, span=_span_of(c))

    def let_stmt(self, c: list[Any]) -> n.Let:
        return n.Let(c[1], c[2], span=_span_of(c))

    def let_scalar(self, c: list[Any]) -> Any:
        return c[0]

    def let_pipeline(self, c: list[Any]) -> n.Pipeline:
        return n.Pipeline(c[0], tuple(c[1:]), span=_span_of(c))

    def let_pipeline_on_name(self, c: list[Any]) -> n.Pipeline:
        return n.Pipeline(self._as_entity(c[0]), tuple(c[1:]), span=_span_of(c))

    @staticmethod
    def _as_entity(expr: Any) -> n.EntityRef:
        if isinstance(expr, n.Name):
            return n.EntityRef(expr.name, (), span=expr.span)
        if isinstance(expr, n.Call):
            args = tuple(n.Literal(a.raw, "string", span=a.span) if isinstance(a, _StringLit) else a for a in expr.args)
            return n.EntityRef(expr.name, args, span=expr.span)
        raise ParseFailure("a table is expected before '|'", expr.span or n.Span(0, 0))

    def pipeline(self, c: list[Any]) -> n.Pipeline:
        source = c[0]
        if isinstance(source, n.Pipeline) and not source.operators and len(c) == 1:
            return source
        return n.Pipeline(source, tuple(c[1:]), span=_span_of(c))

    # ---- sources
    def entity(self, c: list[Any]) -> n.EntityRef:
        name = c[0]
        args: tuple[n.Expr, ...] = ()
        if len(c) > 1 and c[1] is not None:
            # CMPivot forwards an entity's string arguments verbatim: keep the raw text
            args = tuple(
                n.Literal(a.raw, "string", span=a.span) if isinstance(a, _StringLit) else a for a in c[1]
            )
        return n.EntityRef(name, args, span=_span_of(c))

    def datatable(self, c: list[Any]) -> n.DataTable:
        cols = tuple(x for x in c[1:] if isinstance(x, tuple))
        values = next((x for x in c[1:] if isinstance(x, list)), [])
        if len(cols) and len(values) % len(cols):
            raise ParseFailure(
                f"datatable has {len(cols)} columns but {len(values)} values, which is not a whole number of rows",
                _span_of(c) or n.Span(0, 0),
            )
        return n.DataTable(cols, tuple(values), span=_span_of(c))

    def column_decl(self, c: list[Any]) -> tuple[str, str]:
        t = type_named(str(c[1]))
        if t is None:
            raise ParseFailure(f"unknown type '{c[1]}'", _tok_span(c[1]),
                               hint="types are bool, int, long, real, string, datetime, timespan, dynamic")
        return (c[0], t.value)

    def datatable_values(self, c: list[Any]) -> list[Any]:
        return list(c)

    def print(self, c: list[Any]) -> n.Print:
        return n.Print(tuple(c[1] or ()), span=_span_of(c))

    def range(self, c: list[Any]) -> n.Range:
        return n.Range(c[1], c[3], c[5], c[7], span=_span_of(c))

    # ---- operators
    def where(self, c: list[Any]) -> n.Where:
        return n.Where(c[1], span=_span_of(c))

    def project(self, c: list[Any]) -> n.Project:
        return n.Project(tuple(c[1]), span=_span_of(c))

    def extend(self, c: list[Any]) -> n.Extend:
        return n.Extend(tuple(c[1]), span=_span_of(c))

    def project_away(self, c: list[Any]) -> n.ProjectAway:
        return n.ProjectAway(tuple(c[1:]), span=_span_of(c))

    def project_rename(self, c: list[Any]) -> n.ProjectRename:
        return n.ProjectRename(tuple(c[1:]), span=_span_of(c))

    def rename(self, c: list[Any]) -> tuple[str, str]:
        return (c[0], c[1])

    def project_reorder(self, c: list[Any]) -> n.ProjectReorder:
        return n.ProjectReorder(tuple(c[1:]), span=_span_of(c))

    def reorder_item(self, c: list[Any]) -> tuple[str, str | None]:
        return (c[0], str(c[1]).lower() if c[1] is not None else None)

    def pattern(self, c: list[Any]) -> str:
        return "".join(str(x) for x in c if x is not None)

    def summarize(self, c: list[Any]) -> n.Summarize:
        return n.Summarize(tuple(c[1] or ()), tuple(c[3] or ()), span=_span_of(c))

    def count(self, c: list[Any]) -> n.Count:
        return n.Count(c[2] if len(c) > 2 else None, span=_span_of(c))

    def distinct(self, c: list[Any]) -> n.Distinct:
        cols = tuple("*" if isinstance(x, Token) and x.type == "STAR" else x for x in c[1:])
        return n.Distinct(cols, span=_span_of(c))

    def join(self, c: list[Any]) -> n.Join:
        kind = str(c[2]).lower() if c[2] is not None else None
        right = c[3]
        if not isinstance(right, n.Pipeline):
            right = n.Pipeline(right, (), span=right.span)
        keys = tuple(x for x in c[5:] if isinstance(x, n.JoinKey))
        return n.Join(kind, right, keys, span=_span_of(c))

    def join_entity(self, c: list[Any]) -> n.Pipeline:
        return n.Pipeline(c[0], (), span=c[0].span)

    def join_key(self, c: list[Any]) -> n.JoinKey:
        return n.JoinKey(c[0], c[0], span=_span_of(c))

    def join_key_pair(self, c: list[Any]) -> n.JoinKey:
        if str(c[2]) != "==":
            raise ParseFailure("a join condition compares with '=='", _tok_span(c[2]))
        return n.JoinKey(c[1], c[4], span=_span_of(c))

    def order(self, c: list[Any]) -> n.OrderBy:
        keys = tuple(x for x in c if isinstance(x, n.SortKey))
        return n.OrderBy(keys, span=_span_of(c), keyword=str(c[0]).lower())

    def sort_key(self, c: list[Any]) -> n.SortKey:
        order = str(c[1]).lower() if c[1] is not None else None
        nulls = str(c[3]).lower() if len(c) > 3 and c[3] is not None else None
        return n.SortKey(c[0], order, nulls, span=_span_of(c))  # type: ignore[arg-type]

    def take(self, c: list[Any]) -> n.Take:
        return n.Take(c[1], span=_span_of(c), keyword=str(c[0]).lower())

    def top(self, c: list[Any]) -> n.Top:
        return n.Top(c[1], c[3], span=_span_of(c))

    def mv_expand(self, c: list[Any]) -> n.MvExpand:
        kind = index = None
        items: list[n.Assign] = []
        types: list[str | None] = []
        for x in c[1:]:
            if isinstance(x, tuple) and x[0] == "kind":
                kind = x[1]
            elif isinstance(x, tuple) and x[0] == "index":
                index = x[1]
            elif isinstance(x, tuple) and isinstance(x[0], n.Assign):
                items.append(x[0])
                types.append(x[1])
        return n.MvExpand(tuple(items), kind, index, tuple(types), span=_span_of(c))

    def mv_kind(self, c: list[Any]) -> tuple[str, str]:
        return ("kind", str(c[1]).lower())

    def mv_index(self, c: list[Any]) -> tuple[str, str]:
        return ("index", c[1])

    def mv_item(self, c: list[Any]) -> tuple[n.Assign, str | None]:
        name, expr, type_name = c[0], c[1], c[4] if len(c) > 4 else None
        t = None
        if type_name is not None:
            st = type_named(str(type_name))
            if st is None:
                raise ParseFailure(f"unknown type '{type_name}'", _tok_span(type_name))
            t = st.value
        return (n.Assign(name, expr, span=_span_of(c)), t)

    def render(self, c: list[Any]) -> n.Render:
        props = tuple(x for x in c[2:] if isinstance(x, tuple))
        return n.Render(str(c[1]).lower(), props, span=_span_of(c))

    def render_prop(self, c: list[Any]) -> tuple[str, Any]:
        value = c[1]
        if isinstance(value, n.Literal):
            value = value.value
        return (str(c[0]).lower(), value)

    def bare_word(self, c: list[Any]) -> str:
        return str(c[0])

    # ---- expressions
    def assign_list(self, c: list[Any]) -> list[n.Assign]:
        return list(c)

    def assign(self, c: list[Any]) -> n.Assign:
        return n.Assign(None, _plain(c[0]), span=_span_of(c))

    def assign_named(self, c: list[Any]) -> n.Assign:
        return n.Assign(c[0], _plain(c[1]), span=_span_of(c))

    def expr_list(self, c: list[Any]) -> list[Any]:
        return list(c)

    def call_args(self, c: list[Any]) -> list[Any]:
        return list(c)

    def star(self, c: list[Any]) -> n.Star:
        return n.Star(span=_tok_span(c[0]))

    def binary(self, c: list[Any]) -> n.Binary:
        op = str(c[1]).lower()
        if op == "<>":
            op = "!="
        return n.Binary(op, _plain(c[0]), _plain(c[2]), span=_span_of(c))

    def matches_regex(self, c: list[Any]) -> n.Binary:
        return n.Binary("matches regex", _plain(c[0]), _plain(c[3]), span=_span_of(c))

    def in_list(self, c: list[Any]) -> n.InList:
        return n.InList(str(c[1]).lower(), _plain(c[0]), tuple(map(_plain, c[2] or ())), span=_span_of(c))

    def between(self, c: list[Any]) -> n.Between:
        negated = str(c[1]).startswith("!")
        return n.Between(_plain(c[0]), _plain(c[2]), _plain(c[4]), negated, span=_span_of(c))

    def unary(self, c: list[Any]) -> n.Unary:
        return n.Unary(str(c[0]), _plain(c[1]), span=_span_of(c))  # type: ignore[arg-type]

    def member(self, c: list[Any]) -> n.Member:
        return n.Member(_plain(c[0]), c[1], span=_span_of(c))

    def index(self, c: list[Any]) -> n.Index:
        return n.Index(_plain(c[0]), _plain(c[1]), span=_span_of(c))

    def column(self, c: list[Any]) -> n.Name:
        return n.Name(c[0], span=self._name_span(c[0]))

    def call(self, c: list[Any]) -> n.Call:
        # string arguments keep their raw text until _clean: `let t = Registry('...') | ...` turns
        # this call into an entity reference, whose arguments are raw (see _as_entity)
        return n.Call(c[0], tuple(c[1] or ()), span=_span_of(c))

    # ---- names keep their span in a side table: a str subclass would leak into the tree
    def name(self, c: list[Any]) -> str:
        tok: Token = c[0]
        text = str(tok)
        if tok.type == "BRACKET_NAME":
            text = text.strip()[1:-1].strip()[1:-1]
        return _NameStr(text, tok.start_pos or 0, tok.end_pos or 0)

    @staticmethod
    def _name_span(name: Any) -> n.Span | None:
        return n.Span(name.start, name.end) if isinstance(name, _NameStr) else None

    # ---- literals
    def string(self, c: list[Any]) -> _StringLit:
        values, raws = zip(*(lit.string_value(str(t)) for t in c), strict=True)
        return _StringLit("".join(values), "string", span=_span_of(c), raw="".join(raws))

    def int_lit(self, c: list[Any]) -> n.Literal:
        value = int(c[0])
        if value > 2**63 - 1:
            raise ParseFailure(f"the number {c[0]} is too large for a 64-bit long", _tok_span(c[0]))
        return n.Literal(value, "long", span=_tok_span(c[0]))

    def real_lit(self, c: list[Any]) -> n.Literal:
        value = float(c[0])
        if math.isinf(value):  # 1e999: no real holds it, and it could not be printed back as a literal
            raise ParseFailure(f"the number {c[0]} is too large for a real", _tok_span(c[0]))
        return n.Literal(value, "real", span=_tok_span(c[0]))

    def timespan_lit(self, c: list[Any]) -> n.Literal:
        return n.Literal(self._literal(lit.timespan_ns, c[0]), "timespan", span=_tok_span(c[0]))

    def timespan_call_lit(self, c: list[Any]) -> n.Literal:
        inner = str(c[0])[str(c[0]).index("(") + 1 : -1]
        return n.Literal(self._literal(lit.timespan_call_ns, c[0], inner), "timespan", span=_tok_span(c[0]))

    def datetime_lit(self, c: list[Any]) -> n.Literal:
        inner = str(c[0])[str(c[0]).index("(") + 1 : -1]
        return n.Literal(self._literal(lit.datetime_ns, c[0], inner), "datetime", span=_tok_span(c[0]))

    @staticmethod
    def _literal(fn: Any, tok: Token, text: str | None = None) -> Any:
        try:
            return fn(str(tok) if text is None else text)
        except lit.LiteralError as err:
            raise ParseFailure(str(err), _tok_span(tok)) from None

    def true_lit(self, c: list[Any]) -> n.Literal:
        return n.Literal(True, "bool", span=_tok_span(c[0]))

    def false_lit(self, c: list[Any]) -> n.Literal:
        return n.Literal(False, "bool", span=_tok_span(c[0]))

    def null_lit(self, c: list[Any]) -> n.Literal:
        return n.Literal(None, "dynamic", span=_tok_span(c[0]))

    def dynamic_lit(self, c: list[Any]) -> n.Literal:
        value = c[1]
        text = None if value is None else lit.json_text(value)
        return n.Literal(text, "dynamic", span=_span_of(c))

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
            raise ParseFailure(f"the number {text} is too large for a real", _tok_span(c[0]))
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


class _NameStr(str):
    """A name as the transformer passes it around: the text plus where it was."""

    start: int
    end: int

    def __new__(cls, text: str, start: int, end: int) -> _NameStr:
        self = super().__new__(cls, text)
        self.start, self.end = start, end
        return self


class _StringLit(n.Literal):
    """A string literal that still knows its raw text (for entity arguments)."""

    def __init__(self, value: Any, type: str, *, span: n.Span | None = None, raw: str = "") -> None:
        super().__init__(value, type, span=span)
        object.__setattr__(self, "raw", raw)

    raw: str


def _plain(node: Any) -> Any:
    """Drop the parser-internal raw text from a string literal used in an expression."""
    if isinstance(node, _StringLit):
        return n.Literal(node.value, "string", span=node.span)
    return node


def _clean(node: Any) -> Any:
    """Turn the transformer's str subclasses into plain str throughout a finished tree.

    Nodes are updated in place: the tree is parse_text's own until it returns, and rebuilding
    each ancestor of every name (``dataclasses.replace``) cost a fifth of parsing.
    """
    if isinstance(node, _NameStr):
        return str(node)
    if isinstance(node, _StringLit):
        return _plain(node)
    if isinstance(node, tuple):
        cleaned = tuple(_clean(x) for x in node)
        return node if all(a is b for a, b in zip(cleaned, node, strict=True)) else cleaned
    if isinstance(node, n.Node):
        cls = type(node)
        names = _FIELDS.get(cls) or _FIELDS.setdefault(cls, tuple(cls.__dataclass_fields__))  # type: ignore[attr-defined]
        for name in names:
            old = getattr(node, name)
            new = _clean(old)
            if new is not old:
                object.__setattr__(node, name, new)
    return node


_FIELDS: dict[type, tuple[str, ...]] = {}


@lru_cache(maxsize=1)
def _lark() -> Lark:
    grammar = resources.files(__package__).joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        transformer=_Builder(),
        maybe_placeholders=True,
        propagate_positions=False,
        # the LALR tables are cached in the temp folder (keyed by grammar and options): every new
        # kernel or `cmpivot` process then starts its first parse ~0.5 s sooner
        cache=True,
    )


def parse_text(text: str, dialect: str = "cmpivot") -> n.QueryText:
    """Parse ``text`` in ``dialect`` ("cmpivot" or "kql") into a syntax tree."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; use 'cmpivot' or 'kql'")
    if not _strip_comments(text).strip():
        what = "the query is empty" if not text.strip() else "the query has only comments"
        raise QuerySyntaxError(
            f"{what}: start with an entity such as Process, OS or Device", text=text, location=locate(text, 0, 0)
        )
    try:
        tree = _lark().parse(text)
    except VisitError as err:  # a ParseFailure raised in the transformer
        orig = err.orig_exc
        if isinstance(orig, ParseFailure):
            raise QuerySyntaxError(
                orig.message, text=text, location=locate(text, orig.span.start, orig.span.end), hint=orig.hint
            ) from None
        raise
    except ParseFailure as err:
        raise QuerySyntaxError(
            err.message, text=text, location=locate(text, err.span.start, err.span.end), hint=err.hint
        ) from None
    except UnexpectedInput as err:
        raise syntax_error(text, err, dialect, _lark()) from None
    query: n.QueryText = _clean(tree)
    if dialect == "cmpivot":
        _check_cmpivot(query, text)
    return query


def _strip_comments(text: str) -> str:
    return re.sub(r"//[^\n]*", "", text) if "//" in text else text


# ------------------------------------------------------------------------------ dialect check

# node type → the lark terminal of its keyword (syntax_errors.KQL_ONLY words the message)
_KQL_ONLY_NODES: dict[type, str] = {
    n.Extend: "EXTEND", n.ProjectAway: "PROJECT_AWAY", n.ProjectRename: "PROJECT_RENAME",
    n.ProjectReorder: "PROJECT_REORDER", n.MvExpand: "MV_EXPAND", n.DataTable: "DATATABLE", n.Print: "PRINT",
    n.Range: "RANGE", n.Let: "LET",
}


def _check_cmpivot(query: n.QueryText, text: str) -> None:
    """Reject what ConfigMgr's CMPivot does not run, naming the local dialect that does.

    The caret goes on the keyword: a node's span starts at its keyword, except for ``on`` and
    ``as``, which are found in the text between the spans around them."""

    def reject(token_type: str, node: n.Node, keyword: str, after: int | None = None) -> None:
        span: n.Span | None = getattr(node, "span", None)
        start = span.start if span else 0
        if after is not None:  # a keyword in the middle of the node: find it in the text
            m = re.compile(rf"\b{keyword}\b", re.IGNORECASE).search(text, after, span.end if span else len(text))
            start = m.start() if m else after
        raise dialect_error(text, token_type, start, start + len(keyword))

    for let in query.lets:
        reject("LET", let, "let")

    def walk(p: n.Pipeline) -> None:
        src = p.source
        if isinstance(src, n.Pipeline):
            walk(src)
        elif type(src) in _KQL_ONLY_NODES:
            reject(_KQL_ONLY_NODES[type(src)], src, type(src).__name__.lower())
        for op in p.operators:
            if type(op) in _KQL_ONLY_NODES:
                kind = _KQL_ONLY_NODES[type(op)]
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
