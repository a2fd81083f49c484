"""cmpivot-magic: CMPivot queries from Jupyter.

``parse`` and ``evaluate`` are the engine's front door; ``catalog`` lists the entities.
"""

from __future__ import annotations

from .errors import (
    AuthenticationError,
    BackendError,
    CMPivotError,
    PermissionDeniedError,
    QuerySemanticError,
    QuerySyntaxError,
    QueryTimeoutError,
)
from .query import Query, evaluate, parse

__version__ = "0.1.0"

__all__ = [
    "AuthenticationError",
    "BackendError",
    "CMPivotError",
    "PermissionDeniedError",
    "Query",
    "QuerySemanticError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "evaluate",
    "parse",
]
