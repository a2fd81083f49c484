"""The one error hierarchy of cmpivot-magic.

Every failure a user can cause or meet is one of these, so a notebook cell fails with a short
message (and a caret under the offending text) instead of a Python traceback::

    CMPivotError                      base; catch this to catch everything of ours
    ├── QuerySyntaxError              the text is not a query: line, column, caret, what was expected
    ├── QuerySemanticError            a valid shape that means nothing: unknown entity, column, type clash
    └── BackendError                  sending or collecting failed
        ├── AuthenticationError       no or rejected credentials (401)
        ├── PermissionDeniedError     signed in, but not allowed (403)
        └── QueryTimeoutError         devices did not answer in time

Messages are written for the person at the keyboard: what is wrong, then what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where in the query text a problem is: 0-based offsets, 1-based line and column."""

    start: int
    end: int
    line: int
    column: int


def locate(text: str, start: int, end: int | None = None) -> Location:
    """The line and column of character offset ``start`` in ``text``."""
    start = max(0, min(start, len(text)))
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Location(start, max(start, end if end is not None else start + 1), line, column)


def caret_excerpt(text: str, loc: Location) -> str:
    """The offending line of ``text`` with carets under ``loc`` (at most to the line's end)."""
    line_start = text.rfind("\n", 0, loc.start) + 1
    line_end = text.find("\n", loc.start)
    if line_end == -1:
        line_end = len(text)
    line = text[line_start:line_end].replace("\t", " ")
    width = max(1, min(loc.end, line_end) - loc.start)
    prefix = f"{loc.line:>4} | "
    return f"{prefix}{line}\n{' ' * (len(prefix) + loc.column - 1)}{'^' * width}"


class CMPivotError(Exception):
    """Base of every cmpivot-magic error.

    In IPython the error shows as its message only (``_render_traceback_``); the cell still fails.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


class _QueryError(CMPivotError):
    """An error located in the query text."""

    def __init__(
        self,
        message: str,
        *,
        text: str | None = None,
        location: Location | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.text = text
        self.location = location

    @property
    def line(self) -> int | None:
        return self.location.line if self.location else None

    @property
    def column(self) -> int | None:
        return self.location.column if self.location else None

    def __str__(self) -> str:
        parts = [self.message]
        if self.location is not None:
            parts[0] = f"{self.message} (line {self.location.line}, column {self.location.column})"
            if self.text is not None:
                parts.append(caret_excerpt(self.text, self.location))
        if self.hint:
            parts.append(self.hint)
        return "\n".join(parts)


class QuerySyntaxError(_QueryError):
    """The text is not a query in the chosen dialect.

    Example::

        QuerySyntaxError: unknown table operator 'simmarize' (line 1, column 8)
           1 | Bios | simmarize countif( (Version == 'x') ) by Device
                      ^^^^^^^^^
        did you mean 'summarize'?
    """

    def __init__(
        self,
        message: str,
        *,
        text: str | None = None,
        location: Location | None = None,
        hint: str | None = None,
        expected: Sequence[str] = (),
    ) -> None:
        super().__init__(message, text=text, location=location, hint=hint)
        self.expected = tuple(expected)


class QuerySemanticError(_QueryError):
    """The query is well formed but means nothing against the catalog or the tables given.

    Example::

        QuerySemanticError: unknown column 'Hash' in File (line 3, column 9)
           3 | | where Hash == 'A92056D7...'
                       ^^^^
        did you mean 'SHA256Hash'? File has: Device, FileName, Mode, LastWriteTime, ...
    """


class BackendError(CMPivotError):
    """Sending a query or collecting its results failed; the message says what to do."""


class AuthenticationError(BackendError):
    """No credentials, or credentials the site rejected (HTTP 401)."""


class PermissionDeniedError(BackendError):
    """Signed in, but not allowed to run CMPivot on that target (HTTP 403)."""


class QueryTimeoutError(BackendError):
    """Devices did not answer before the query's timeout; the partial result says which did."""


__all__ = [
    "AuthenticationError",
    "BackendError",
    "CMPivotError",
    "Location",
    "PermissionDeniedError",
    "QuerySemanticError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "caret_excerpt",
    "locate",
]
