"""Inspection (Shift+Tab): help for the word under the cursor, in Markdown and plain text.

Entities get their description, parameters, PowerShell-5 flag, columns (type, unit) and an example;
columns their type, unit and origin (the entity they come from, the join that suffixed them, the
``summarize`` that made ``count_``, the ``name = ...`` that computed them); functions their signature
and meaning; table and scalar operators their syntax; render kinds, properties and magic options a line.
"""

from __future__ import annotations

import re

from ..catalog import DOCUMENTED, Catalog, Entity
from . import vocabulary as v
from .model import Inspection
from .scan import Context, context_at, opaque_at, split_cell
from .schema import ColumnInfo, columns_of

_WORD = re.compile(r"!?[A-Za-z_][A-Za-z0-9_]*~?|[=!<>~]+|-{1,2}[A-Za-z][\w-]*")
_LINE_MAGIC = re.compile(r"[ \t]*%cmpivot\b(?!\S)")


def inspect(cell: str, cursor: int, catalog: Catalog | None = None) -> Inspection | None:
    """Help for the word at (or just before) ``cursor``, or None when there is nothing to say."""
    catalog = catalog or DOCUMENTED
    cursor = max(0, min(cursor, len(cell)))
    word = _word_at(cell, cursor)
    if word is None:
        return None
    start, end, text = word
    line_start = cell.rfind("\n", 0, start) + 1
    if _LINE_MAGIC.match(cell, line_start):
        found = _subcommand_doc(text)
    else:
        parts = split_cell(cell)
        if parts.header is not None and start < parts.body_start:
            found = _option_doc(text)
        elif opaque_at(parts.masked, start - parts.body_start) is not None:
            found = None
        else:
            found = _query_doc(parts.masked, start - parts.body_start, text, catalog)
    if found is None:
        return None
    markdown, plain = found
    return Inspection(markdown, plain, start, end)


def _word_at(cell: str, cursor: int) -> tuple[int, int, str] | None:
    line_start = cell.rfind("\n", 0, cursor) + 1
    line_end = cell.find("\n", cursor)
    line_end = len(cell) if line_end < 0 else line_end
    for m in _WORD.finditer(cell, line_start, line_end):
        if m.start() <= cursor <= m.end():
            return m.start(), m.end(), m.group(0)
    return None


def _query_doc(masked: str, pos: int, word: str, catalog: Catalog) -> tuple[str, str] | None:
    ctx = context_at(masked, pos, words_only=True)
    low = word.lower()
    pipe, frame, prev = ctx.pipeline, ctx.frame, ctx.prev()
    if frame.kind == "render_with" and low in v.RENDER_PROPERTIES:
        doc, values = v.RENDER_PROPERTIES[low]
        return _doc(f"render property {low}", f"with ({low}=...)", doc + (f"; one of {', '.join(values)}" if values else ""))
    if prev == "RENDER" and low in v.RENDER_KINDS:
        return _doc(f"render {low}", f"render {low} [with (...)]", v.RENDER_KINDS[low])
    if prev == "EQUAL" and ctx.prev(2) == "KIND" and low in v.JOIN_KINDS:
        return _doc(f"join kind={low}", f"join kind={low} (...)", _JOIN_KIND_DOCS.get(low, "a KQL join kind"))
    if frame is pipe and pipe.bars and pipe.operator is None and low in v.TABLE_OPERATORS:
        w = v.TABLE_OPERATORS[low]
        return _doc(f"{w.label} (table operator)", w.syntax, w.meaning)
    at_source = frame is pipe and ((not pipe.bars and pipe.tokens == 0) or prev == "JOIN" or (
        pipe.operator == "JOIN" and prev == "NAME" and ctx.prev(2) == "EQUAL"))
    entity = catalog.find_entity(word)
    if at_source and entity is not None:
        return _entity_doc(entity)
    followed_by_call = masked[pos + len(word):].lstrip().startswith("(")
    fn = v.function_doc(word)
    if fn is not None and followed_by_call:
        return _function_doc(word, fn)
    column = _column(masked, ctx, word, catalog)
    if column is not None:
        return _column_doc(column, masked[pipe.start:pipe.bars[-1]] if pipe.bars else "")
    op = v.operator_word(low)
    if op is not None:
        return _doc(f"{op.label} (scalar operator)", op.syntax, op.meaning)
    for words in v.KEYWORDS.values():
        for w in words:
            if w.label.split()[0].rstrip("=") == low:
                return _doc(w.label, w.syntax, w.meaning)
    if fn is not None:
        return _function_doc(word, fn)
    return _entity_doc(entity) if entity is not None else None


def _column(masked: str, ctx: Context, word: str, catalog: Catalog) -> ColumnInfo | None:
    pipe = ctx.pipeline
    for bar in reversed(pipe.bars):
        columns = columns_of(masked[pipe.start:bar], catalog)
        if columns is not None:
            return next((c for c in columns if c.name.lower() == word.lower()), None)
    return None


def _doc(title: str, syntax: str, meaning: str) -> tuple[str, str]:
    return f"**{title}**\n\n```\n{syntax}\n```\n\n{meaning}", f"{title}\n{syntax}\n{meaning}"


def _entity_doc(e: Entity) -> tuple[str, str]:
    flags = [f"kind: {e.kind}", f"PowerShell 5 required: {'yes' if e.requires_powershell5 else 'no'}"]
    if e.console_only:
        flags.append("console only (not from the Intune admin center)")
    example = e.name
    if e.parameters:
        example = f"{e.name}('{e.parameters[0].description or e.parameters[0].name}')"
    example += " | take 10"
    rows = "\n".join(f"| {c.name} | {c.type} | {c.unit or ''} |" for c in e.columns)
    markdown = (f"**{e.signature}** — entity\n\n{e.description}\n\n{' · '.join(flags)}\n\n"
                f"| Column | Type | Unit |\n|---|---|---|\n{rows}\n\nExample: `{example}`")
    plain = "\n".join([f"{e.signature} (entity)", e.description, "; ".join(flags), "Columns:",
                       *(f"  {c.name}: {c.type}{f' ({c.unit})' if c.unit else ''}" for c in e.columns),
                       f"Example: {example}"])
    return markdown, plain


def _function_doc(word: str, fn: tuple[str, str, bool]) -> tuple[str, str]:
    signature, meaning, aggregate = fn
    kind = "aggregation (inside summarize)" if aggregate else "function"
    return _doc(f"{word.lower()} — {kind}", signature, meaning or "")


def _column_doc(c: ColumnInfo, before: str) -> tuple[str, str]:
    origin = _origin(c, before)
    unit = f", in {c.unit}" if c.unit else ""
    line = f"{c.type}{unit}"
    return f"**{c.name}** — column\n\n`{line}`\n\n{origin}", f"{c.name} (column): {line}\n{origin}"


def _origin(c: ColumnInfo, before: str) -> str:
    """Where a column comes from, as far as the text before the step tells."""
    assigned = re.search(rf"\b{re.escape(c.name)}\s*=(?!=)\s*([^,|\n]+)", before)
    if assigned:
        return f"computed: {c.name} = {assigned.group(1).strip()}"
    if c.entity is not None and c.source_name is not None:
        return (f"{c.source_name} of {c.entity}, renamed {c.name} by a join "
                f"(the left side already has a {c.source_name})")
    if c.entity is not None:
        return f"from {c.entity}"
    agg = c.name[:-1] if c.name.endswith("_") else ""
    if agg and v.function_doc(agg) is not None:
        return f"made by summarize {agg}() (an unnamed {agg}() is named {c.name})"
    if c.name == "Count":
        return "made by the count operator"
    return ""


def _option_doc(word: str) -> tuple[str, str] | None:
    for option, help_ in v.magic_options():
        if option == word:
            return _doc(f"%%cmpivot {option}", f"%%cmpivot {option} ...", help_)
    return None


def _subcommand_doc(word: str) -> tuple[str, str] | None:
    found = v.subcommands().get(word.lower())
    if found is None:
        return None
    summary, options = found
    lines = "\n".join(f"{o}  {h}" for o, h in options)
    return _doc(f"%cmpivot {word.lower()}", f"%cmpivot {word.lower()} ...\n{lines}".rstrip(), summary)


_JOIN_KIND_DOCS = {
    "inner": "rows of the same Device on both sides (CMPivot's default)",
    "leftouter": "every left row; right columns are null where the device has no right row",
    "rightouter": "every right row; left columns are null where the device has no left row",
    "fullouter": "every row of both sides",
    "leftanti": "left rows whose device has no right row", "rightanti": "right rows whose device has no left row",
    "leftsemi": "left rows whose device has a right row", "rightsemi": "right rows whose device has a left row",
    "innerunique": "Kusto's default: left rows de-duplicated per device, then inner",
}
