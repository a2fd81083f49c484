"""As-you-type errors for ``%%cmpivot`` cells: the kernel end of the ``cmpivot.diagnostics`` comm.

The JupyterLab extension (``labextension/``) opens a comm to the target ``cmpivot.diagnostics`` and
sends ``{"id": n, "code": <the whole cell>}`` a moment after each edit; the reply on the same comm
is ``{"id": n, "diagnostics": [{"from", "to", "message", "severity"}]}``. Offsets are code-point
indices into ``code`` (Python ``str`` indices, as in Jupyter's messaging); the frontend converts them
to UTF-16 positions.

``cell_diagnostics`` is pure: it parses the cell body the way ``%%cmpivot`` would (``parse``, after
``{name}`` placeholders are replaced by literals of the same length, so offsets stay put) and turns
the located ``QuerySyntaxError``/``QuerySemanticError`` into one diagnostic. A language service may
replace its computation later; the comm's message shapes stay.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import CMPivotError, QuerySemanticError, QuerySyntaxError
from ..query import parse
from .interpolate import _PLACEHOLDER

TARGET = "cmpivot.diagnostics"
_MAGIC = re.compile(r"\s*%%cmpivot\b")


def _neutralise(body: str) -> tuple[str, list[tuple[int, int]]]:
    """``body`` with each ``{name}`` replaced by a literal of the same length, and their spans.

    The value is unknown while typing, so a string stands in; errors touching a placeholder are
    dropped rather than guessed (``Count > {n}`` is fine once ``n`` is a number).
    """
    spans: list[tuple[int, int]] = []

    def sub(m: re.Match[str]) -> str:
        token = m.group(0)
        if token in ("{{", "}}"):
            return " " + token[0]  # what interpolate leaves (one brace), padded to keep offsets
        spans.append((m.start(), m.end()))
        before, after = body[m.start() - 1 : m.start()], body[m.end() : m.end() + 1]
        if before and before == after and before in "'\"":
            return "x" * len(token)  # already inside quotes: only the string's body changes
        return "'" + "x" * (len(token) - 2) + "'"

    return _PLACEHOLDER.sub(sub, body), spans


def cell_diagnostics(code: str) -> list[dict[str, Any]]:
    """The diagnostics of a ``%%cmpivot`` cell (none for any other cell), offsets into ``code``."""
    magic = _MAGIC.match(code)
    if magic is None:
        return []
    newline = code.find("\n", magic.end())
    if newline == -1:
        return []
    start = newline + 1
    body, placeholders = _neutralise(code[start:])
    if not body.strip():
        return []
    try:
        parse(body)
    except (QuerySyntaxError, QuerySemanticError) as e:
        loc = e.location
        if loc is None:
            return [_whole_first_line(code, start, body, e.message)]
        if isinstance(e, QuerySemanticError) and any(a < loc.end and loc.start < b for a, b in placeholders):
            return []
        first = min(start + loc.start, len(code))
        last = min(start + max(loc.end, loc.start + 1), len(code))
        if first == last:  # the error is the end of the text: mark its last character
            first = max(start, last - 1)
        message = e.message if e.hint is None else f"{e.message}\n{e.hint}"
        return [{"from": first, "to": last, "message": message, "severity": "error"}]
    except CMPivotError as e:
        return [_whole_first_line(code, start, body, str(e))]
    return []


def _whole_first_line(code: str, start: int, body: str, message: str) -> dict[str, Any]:
    """An error the parser could not place: under the query's first non-blank line."""
    offset = len(body) - len(body.lstrip())
    line_end = body.find("\n", offset)
    end = len(body) if line_end == -1 else line_end
    return {"from": start + offset, "to": start + max(end, offset + 1), "message": message, "severity": "error"}


def _on_open(comm: Any, _open_msg: dict[str, Any]) -> None:
    """A frontend opened the channel: answer each request on it."""

    def on_msg(msg: dict[str, Any]) -> None:
        data = msg.get("content", {}).get("data", {}) or {}
        code = data.get("code")
        found = cell_diagnostics(code) if isinstance(code, str) else []
        comm.send({"id": data.get("id"), "diagnostics": found})

    comm.on_msg(on_msg)


def register(ipython: Any) -> None:
    """Register the comm target when ``ipython`` runs in a kernel (not in terminal IPython)."""
    if getattr(ipython, "kernel", None) is None:
        return
    try:
        from comm import get_comm_manager
    except ImportError:  # an old ipykernel without the comm package: no as-you-type errors
        return
    manager = get_comm_manager()
    if manager is not None:
        manager.register_target(TARGET, _on_open)  # re-registering replaces: %reload_ext is safe

