"""cmpivot-magic: CMPivot queries from Jupyter.

``connect(url)`` gives a ``Session`` that runs queries on devices; ``parse`` and ``evaluate`` are
the engine's front door; ``catalog`` lists the entities.
"""

from __future__ import annotations

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
from .query import Query, evaluate, parse
from .results import QueryResult
from .session import Operation, Session, connect

__version__ = "0.1.0"


def load_ipython_extension(ipython: object) -> None:
    """``%load_ext cmpivot_magic``: register ``%%cmpivot`` and ``%cmpivot``."""
    from .magics import load_ipython_extension as load

    load(ipython)

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
]
