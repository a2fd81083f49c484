"""Diagnostics: the real parser's and planner's errors on a cell, as ranges of the cell.

The body is checked with ``cmpivot_magic.parse`` (syntax, the cmpivot dialect's rules, then the
plan against the catalog), so the editor underlines exactly what running the cell would reject.
``{python}`` placeholders are masked to literals first; an error that touches one is dropped, since
the value decides whether it is one. Unknown ``--options`` on the ``%%cmpivot`` line are warnings.
"""

from __future__ import annotations

import re

from ..catalog import DOCUMENTED, Catalog
from ..errors import CMPivotError
from ..query import parse
from . import vocabulary as v
from .model import Diagnostic
from .scan import split_cell

_COMMENT = re.compile(r"//[^\n]*")
_OPTION = re.compile(r"(?<!\S)(-{1,2}[A-Za-z][\w-]*)")


def diagnostics(cell: str, catalog: Catalog | None = None) -> list[Diagnostic]:
    """The problems in ``cell``: at most one query error (the first the parser or planner meets) and
    a warning per unknown option on the ``%%cmpivot`` line."""
    catalog = catalog or DOCUMENTED
    parts = split_cell(cell)
    if parts.header is None and cell.lstrip().startswith("%"):
        return []  # another magic, or a line magic: not a query
    found = _option_warnings(cell, parts.header, parts.header_start)
    body = parts.masked
    if not _COMMENT.sub("", body).strip():
        return found  # nothing typed yet: an empty cell is not worth a squiggle while typing
    error = _query_error(body, catalog)
    if error is None:
        return found
    start, end, message = error
    if any(start < h_end and h_start < max(end, start + 1) for h_start, h_end in parts.holes):
        return found
    return [*found, Diagnostic(parts.body_start + start, parts.body_start + end, message, "error")]


def _query_error(body: str, catalog: Catalog) -> tuple[int, int, str] | None:
    try:
        parse(body, catalog=catalog)  # the connection's entities (open: names it lacks are the site's call)
        return None
    except CMPivotError as err:
        location = getattr(err, "location", None)
        text = err.message if not err.hint else f"{err.message} ({err.hint})"
        if location is None:
            return 0, len(body.rstrip()), text
        start, end = location.start, location.end
        stripped = len(body.rstrip())
        if start >= stripped:  # at the end ("the query ends after '|'"): mark the last character
            start, end = max(0, stripped - 1), stripped
        return start, max(end, start + 1), text


def _option_warnings(cell: str, header: str | None, header_start: int) -> list[Diagnostic]:
    if not header:
        return []
    known = {o for option, _ in v.magic_options() for o in (option,)} | set(v.magic_short_options())
    out = []
    for m in _OPTION.finditer(header, len("%%cmpivot")):
        word = m.group(1).split("=", 1)[0]
        if word not in known:
            start = header_start + m.start(1)
            out.append(Diagnostic(start, start + len(word), f"%%cmpivot has no option {word}", "warning"))
    return out
