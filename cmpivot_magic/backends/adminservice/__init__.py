"""``https://…/AdminService``: real ConfigMgr sites through the administration service REST API.

``client.py`` speaks the routes and JSON shapes, ``transport.py`` retries and paces requests,
``responses.py`` turns HTTP failures into errors that say what to do, ``auth/`` holds the
credentials and the Entra ID sign-in, ``recording/`` records a site's exchanges under pseudonyms
and replays them offline, ``rows.py`` reads result rows into typed frames, ``operation.py`` polls
an operation and ``backend.py`` ties them into the ``Backend`` protocol.

The names below load on first use (PEP 562): importing a part of this package, such as
``auth.prompt``, does not load requests and the client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .backend import AdminServiceBackend
    from .client import AdminServiceClient
    from .operation import PollPolicy
    from .transport import Policy

_HOMES = {"AdminServiceBackend": "backend", "AdminServiceClient": "client", "PollPolicy": "operation",
          "Policy": "transport"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)


__all__ = ["AdminServiceBackend", "AdminServiceClient", "Policy", "PollPolicy"]
