"""The one error hierarchy of cmpivot-magic.

Every failure a user can cause or meet is one of these, so a notebook cell fails with a short
message (and a caret under the offending text) instead of a Python traceback::

    CMPivotError                      base; catch this to catch everything of ours
    ├── QuerySyntaxError              the text is not a query: line, column, caret, what was expected
    ├── QuerySemanticError            a valid shape that means nothing: unknown entity, column, type clash
    ├── ChartError                    the result cannot be drawn as ``render`` asks (render/charts.py)
    ├── ReplayMismatchError           a replay was asked for something its recording does not hold
    └── BackendError                  sending or collecting failed
        ├── AuthenticationError       no or rejected credentials (401)
        │   ├── SignInError           Entra ID refused the sign-in (an AADSTS error); subclasses:
        │   │   ├── ConsentRequiredError             no admin consent for user_impersonation
        │   │   ├── PublicClientFlowsDisabledError   the client app does not allow public client flows
        │   │   ├── UnknownAppIdUriError             the scope names an App ID URI the tenant lacks
        │   │   └── MfaRequiredError                 MFA or Windows Hello for Business required
        │   └── NotAdministrativeUserError           a valid token, but the site does not know the user
        └── PermissionDeniedError     signed in, but not allowed (403)

A query's timeout is not an error: devices that have not answered by then stay Pending in the
result, whose status says so for each of them.

Messages are written for the person at the keyboard: what is wrong, then what to do.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
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


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the choice closest to a misspelt ``word`` (ignoring case), if one is close."""
    by_lower = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return f"did you mean '{by_lower[close[0]]}'?" if close else None


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


class ChartError(CMPivotError):
    """The result cannot be drawn the way ``render`` asks; the message says what to change.

    Example::

        ChartError: barchart needs at least one numeric column after the first; this result has columns Caption:string, Version:string
        draw a number per row, as in | summarize count() by Caption, or name the values with with (ycolumns=...)
    """


class ReplayMismatchError(CMPivotError):
    """A replay (``connect("replay:///…")``) was asked for something the recording does not hold.
    Not a ``BackendError``: no site failed, the notebook asked another question than the recorded one::

        ReplayMismatchError: the recording has no answer for GET wmi/SMS_Collection?$filter=… (site.json)
        the nearest recorded request is GET wmi/SMS_Collection?$filter=…; replay the queries and
        targets that were recorded, written with their pseudonyms
    """


class BackendError(CMPivotError):
    """Sending a query or collecting its results failed; the message says what to do."""


class AuthenticationError(BackendError):
    """No credentials, or credentials the site rejected (HTTP 401)."""


class PermissionDeniedError(BackendError):
    """Signed in, but not allowed to run CMPivot on that target (HTTP 403)."""


class SignInError(AuthenticationError):
    """Entra ID refused the sign-in. ``code`` is the AADSTS number; ``trace_id`` and
    ``correlation_id`` are what Entra ID's support (and the sign-in logs) look errors up by.

    Example::

        SignInError: Entra ID refused the sign-in (AADSTS700016): Application with identifier '…' was
        not found in the directory 'contoso'. (trace id 2f…, correlation id 9c…)
        check client_id=: it is the Application (client) ID of the client app registration …
    """

    def __init__(self, message: str, *, hint: str | None = None, code: int | None = None,
                 trace_id: str | None = None, correlation_id: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.code, self.trace_id, self.correlation_id = code, trace_id, correlation_id


class ConsentRequiredError(SignInError):
    """Nobody consented to the client app calling the ConfigMgr server app (AADSTS65001).

    Example::

        ConsentRequiredError: nobody has consented to client app 1b7a… using the ConfigMgr server app
        for alice@contoso.com (AADSTS65001)
        an administrator grants it once: Entra admin center > App registrations > the client app >
        API permissions > add the server app's delegated permission user_impersonation > Grant admin consent
    """


class PublicClientFlowsDisabledError(SignInError):
    """The client app registration does not allow public client flows (AADSTS7000218), so a
    sign-in without a client secret (device code, browser) is refused.

    Example::

        PublicClientFlowsDisabledError: client app 1b7a… does not allow public client flows (AADSTS7000218)
        App registrations > the client app > Authentication > Advanced settings: set 'Allow public
        client flows' to Yes
    """


class UnknownAppIdUriError(SignInError):
    """The scope names an App ID URI that no app in the tenant exposes (AADSTS500011).

    Example::

        UnknownAppIdUriError: tenant contoso has no app with the App ID URI 'https://ConfigMgrSvc'
        (AADSTS500011)
        the scope is <App ID URI>/user_impersonation of the site's ConfigMgr server app: …
    """


class MfaRequiredError(SignInError):
    """Entra ID (AADSTS50076, 50079, …) or the site (the SMS Provider's Windows Hello for Business
    authentication level) wants a stronger sign-in than the one made.

    Example::

        MfaRequiredError: Entra ID requires multi-factor authentication for alice@contoso.com (AADSTS50076)
        sign in again and complete the MFA prompt in the browser: …
    """


class NotAdministrativeUserError(AuthenticationError):
    """Entra ID signed the user in and the token is valid, but the site refused it: the user is
    not a ConfigMgr administrative user (or the token is for another site's server app).

    Example::

        NotAdministrativeUserError: signed in to Entra ID as bob@contoso.com, but the site refused the
        token (401) to list devices
        bob@contoso.com must be a ConfigMgr administrative user: …
    """


__all__ = [
    "AuthenticationError",
    "BackendError",
    "CMPivotError",
    "ChartError",
    "ConsentRequiredError",
    "Location",
    "MfaRequiredError",
    "NotAdministrativeUserError",
    "PermissionDeniedError",
    "PublicClientFlowsDisabledError",
    "QuerySemanticError",
    "QuerySyntaxError",
    "ReplayMismatchError",
    "SignInError",
    "UnknownAppIdUriError",
    "caret_excerpt",
    "locate",
]
