"""cmpivot-magic: CMPivot queries from Jupyter.

``connect(url)`` gives a ``Session`` that runs queries on devices; ``parse`` and ``evaluate`` are
the engine's front door; ``catalog`` lists the entities; ``query_link`` makes the console's
``cmpivot:`` links, which every place that takes a query accepts.
"""

from __future__ import annotations

from .backends.adminservice.auth import prompt as _prompt
from .errors import (
    AuthenticationError,
    BackendError,
    CMPivotError,
    ConsentRequiredError,
    MfaRequiredError,
    NotAdministrativeUserError,
    PermissionDeniedError,
    PublicClientFlowsDisabledError,
    QuerySemanticError,
    QuerySyntaxError,
    SignInError,
    UnknownAppIdUriError,
)
from .language.links import query_link
from .query import Query, evaluate, parse
from .results import QueryResult
from .session import Operation, Session, connect

__version__ = "0.1.0"


def load_ipython_extension(ipython: object) -> None:
    """``%load_ext cmpivot_magic``: register ``%%cmpivot`` and ``%cmpivot``."""
    from .magic import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: object) -> None:
    """``%unload_ext cmpivot_magic``: remove the completion and inspection hooks."""
    from .magic import unload_ipython_extension as unload

    unload(ipython)


def _sign_in_widget(prompt: _prompt.DeviceCodePrompt) -> _prompt.Settle:
    """How a notebook shows the Entra ID device-code prompt: the sign-in widget. Registered here,
    at the top of the house, because the backend must not import widgets (widgets load on first use)."""
    from .widgets.signin import present

    return present(prompt)


_prompt.show_in_notebooks(_sign_in_widget)

__all__ = [
    "AuthenticationError",
    "BackendError",
    "CMPivotError",
    "ConsentRequiredError",
    "MfaRequiredError",
    "NotAdministrativeUserError",
    "Operation",
    "PermissionDeniedError",
    "PublicClientFlowsDisabledError",
    "Query",
    "QueryResult",
    "QuerySemanticError",
    "QuerySyntaxError",
    "Session",
    "SignInError",
    "UnknownAppIdUriError",
    "connect",
    "evaluate",
    "parse",
    "query_link",
]
