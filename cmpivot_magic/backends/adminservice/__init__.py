"""``https://…/AdminService``: real ConfigMgr sites through the administration service REST API.

``client.py`` speaks the routes and JSON shapes, ``transport.py`` retries and paces requests,
``errors.py`` turns HTTP failures into errors that say what to do, ``auth.py`` holds credentials
(``msal_auth.py`` signs in to Entra ID, keeping the sign-in in ``token_cache.py`` and explaining
refusals with ``msal_errors.py``),
``rows.py`` reads result rows into typed frames, ``operation.py`` polls an operation and
``backend.py`` ties them into the ``Backend`` protocol.
"""

from __future__ import annotations

from .backend import AdminServiceBackend
from .client import AdminServiceClient
from .operation import PollPolicy
from .transport import Policy

__all__ = ["AdminServiceBackend", "AdminServiceClient", "Policy", "PollPolicy"]
