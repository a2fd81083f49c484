"""Completion: the items valid at the cursor of a ``%%cmpivot`` cell (or a ``%cmpivot`` line).

The grammar decides *what kind* of word may come (``scan.context_at``: entity, table operator,
column, function, scalar operator, ``kind=`` value, render kind or property, option); the planner
decides *which* columns (``schema.columns_of`` on the pipeline before the current ``|``). Items are
filtered by the word typed so far, case-insensitively, and keep a useful order: columns in table
order, then functions, then keywords.
"""

from __future__ import annotations

import re

from ..catalog import DOCUMENTED, Catalog
from . import vocabulary as v
from .model import CompletionItem, Completions
from .scan import Context, Frame, context_at, opaque_at, split_cell
from .schema import columns_of

_LINE_MAGIC = re.compile(r"[ \t]*%cmpivot\b(?!\S)")
_OPTION_WORD = re.compile(r"-{0,2}[A-Za-z][\w-]*$|-{1,2}$")
_SYMBOLS = "=!<>~"
_EXPRESSION_OPS = ("WHERE", "PROJECT", "ORDER", "TOP", "SUMMARIZE")


def complete(cell: str, cursor: int, catalog: Catalog | None = None) -> Completions:
    """The completions at ``cursor`` (a ``str`` index into ``cell``); ``catalog`` is the connection's
    (default: the documented entities)."""
    catalog = catalog or DOCUMENTED
    cursor = max(0, min(cursor, len(cell)))
    line_start = cell.rfind("\n", 0, cursor) + 1
    if _LINE_MAGIC.match(cell, line_start):
        return _line_magic(cell, line_start, cursor, catalog)
    parts = split_cell(cell)
    if parts.header is not None and cursor <= parts.header_start + len(parts.header):
        return _options(cell, max(cursor, parts.header_start), parts.header_start)
    pos = cursor - parts.body_start
    if opaque_at(parts.masked, pos) is not None:
        return Completions(cursor, cursor)  # inside a string or a comment: nothing to offer
    ctx = context_at(parts.masked, pos)
    items = _filter(_items(ctx, parts.masked, catalog), ctx.fragment)
    if not items and ctx.fragment[:1] in _SYMBOLS:  # 'kind=' is not an operator being typed
        ctx = context_at(parts.masked, pos, words_only=True)
        items = _filter(_items(ctx, parts.masked, catalog), ctx.fragment)
    return Completions(parts.body_start + ctx.start, cursor, tuple(items))


def _filter(items: list[CompletionItem], fragment: str) -> list[CompletionItem]:
    low = fragment.lower()
    seen: set[str] = set()
    out = []
    for item in items:
        if item.label.lower().startswith(low) and item.label not in seen:
            seen.add(item.label)
            out.append(item)
    return out


def _items(ctx: Context, masked: str, catalog: Catalog) -> list[CompletionItem]:
    if ctx.accepts is None:
        return []
    if ctx.frame.kind == "render_with":
        return _render_with(ctx)
    pipe = ctx.pipeline
    if ctx.frame.kind == "call" and len(ctx.frames) > 1 and ctx.frames[-2] is pipe and (
            not pipe.bars or pipe.operator == "JOIN"):
        return []  # an entity's arguments: a string or a timespan, nothing to offer
    items = _names(ctx, masked, catalog) if "NAME" in ctx.accepts else []
    return items + _keywords(ctx)


def _names(ctx: Context, masked: str, catalog: Catalog) -> list[CompletionItem]:
    """What a NAME at the cursor may be, by the pipeline, operator and parenthesis around it."""
    pipe, frame, prev = ctx.pipeline, ctx.frame, ctx.prev()
    if frame is not pipe:
        return _columns(masked, pipe, catalog) + _functions(False)
    if not pipe.bars:
        return _entities(catalog) if pipe.tokens == 0 else []
    op = pipe.operator
    if op == "RENDER":
        return [CompletionItem(k, "value", f"render {k}: {d}") for k, d in v.RENDER_KINDS.items()] \
            if prev == "RENDER" else []
    if op == "JOIN":
        if prev == "EQUAL" and ctx.prev(2) == "KIND":
            return [CompletionItem(k, "value", "join kind") for k in v.JOIN_KINDS]
        if prev == "JOIN" or (prev == "NAME" and ctx.prev(2) == "EQUAL"):
            return _entities(catalog)
        return []
    if op == "SUMMARIZE" and not pipe.after_by:
        return _functions(True)
    if op == "DISTINCT":
        return _columns(masked, pipe, catalog)
    if op in _EXPRESSION_OPS and (op != "TOP" or pipe.after_by):
        return _columns(masked, pipe, catalog) + _functions(False)
    return []


def _keywords(ctx: Context) -> list[CompletionItem]:
    accepts = ctx.accepts or frozenset()
    pipe = ctx.pipeline
    if ctx.frame is pipe and pipe.bars and pipe.operator is None:
        return [CompletionItem(w.label, "keyword", w.syntax) for w in v.TABLE_OPERATORS.values()
                if w.label.split()[0].upper() in accepts]
    items = [CompletionItem(op, "operator", _operator_detail(op)) for op in v.scalar_operators(accepts)]
    for terminal, words in v.KEYWORDS.items():
        if terminal in accepts:
            items += [CompletionItem(w.label, "keyword", w.syntax) for w in words]
    return items


def _operator_detail(op: str) -> str:
    word = v.operator_word(op)
    return word.meaning if word is not None else ""


def _render_with(ctx: Context) -> list[CompletionItem]:
    prev = ctx.prev()
    if prev in ("LPAR", "COMMA"):
        return [CompletionItem(name, "property", doc) for name, (doc, _) in v.RENDER_PROPERTIES.items()]
    if prev == "EQUAL":
        _, values = v.RENDER_PROPERTIES.get(ctx.prev_text(2).lower(), ("", ()))
        return [CompletionItem(value, "value", f"{ctx.prev_text(2)}={value}") for value in values]
    return []


def _entities(catalog: Catalog) -> list[CompletionItem]:
    return [CompletionItem(e.name, "entity", e.signature if e.parameters else e.description[:70])
            for e in catalog.entities()]


def _functions(aggregate: bool) -> list[CompletionItem]:
    kind = "aggregation" if aggregate else "function"
    return [CompletionItem(name, kind, sig) for name, sig, _ in v.functions(aggregate)]


def _columns(masked: str, pipe: Frame, catalog: Catalog) -> list[CompletionItem]:
    """The columns flowing into the current step; if the steps before do not plan (a typo being
    fixed further up), those of the last step that does."""
    for bar in reversed(pipe.bars):
        columns = columns_of(masked[pipe.start:bar], catalog)
        if columns is not None:
            return [CompletionItem(c.name, "column", c.detail) for c in columns]
    return []


def _options(cell: str, cursor: int, header_start: int) -> Completions:
    """``--options`` on the ``%%cmpivot`` line, read from the magic's own parser."""
    m = _OPTION_WORD.search(cell, header_start, cursor)
    start = m.start() if m else cursor
    word = cell[start:cursor]
    if cell[header_start:start].strip() == "" or (word and not word.startswith("-")):
        return Completions(cursor, cursor)  # on %%cmpivot itself, or a value being typed
    items = [CompletionItem(o, "option", h) for o, h in v.magic_options()]
    return Completions(start, cursor, tuple(_filter(items, word)))


def _line_magic(cell: str, line_start: int, cursor: int, catalog: Catalog) -> Completions:
    """``%cmpivot`` SUBCOMMAND [options], or a one-line query after ``%cmpivot``."""
    magic_end = cell.index("%cmpivot", line_start) + len("%cmpivot")
    if cursor < magic_end:
        return Completions(cursor, cursor)
    text = cell[magic_end:cursor]
    words = text.split()
    typing_first = not words or (len(words) == 1 and not text[-1:].isspace())
    start = cursor - (0 if text[-1:].isspace() or not words else len(words[-1]))
    fragment = cell[start:cursor]
    commands = v.subcommands()
    if typing_first and not (words and words[0].lower() not in commands and not any(
            c.startswith(words[0].lower()) for c in commands)):
        items = [CompletionItem(name, "keyword", summary) for name, (summary, _) in commands.items()]
        return Completions(start, cursor, tuple(_filter(items, fragment)))
    first = words[0].lower()
    if first not in commands:  # a one-line query: complete it as a cell body
        line_end = cell.find("\n", cursor)
        query = cell[magic_end:line_end if line_end >= 0 else len(cell)]
        inner = complete(query, cursor - magic_end, catalog)
        return Completions(inner.start + magic_end, inner.end + magic_end, inner.items)
    if fragment.startswith("-"):
        items = [CompletionItem(o, "option", h) for o, h in commands[first][1]]
    elif first in ("schema", "entities"):
        items = _entities(catalog)
    elif first == "help":
        items = [CompletionItem(t, "keyword", "help topic") for t in v.help_topics()]
        items += [CompletionItem(name, "keyword", summary) for name, (summary, _) in commands.items()]
    else:
        items = []
    return Completions(start, cursor, tuple(_filter(items, fragment)))
