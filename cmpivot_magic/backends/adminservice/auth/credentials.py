"""Credentials for the AdminService: who the requests say they come from.

Every credential is a ``requests`` auth object (it adds a header, or answers a Negotiate
challenge) with two things more, the seam the Entra ID sign-in builds on:

- ``kind`` — ``"bearer"``, ``"negotiate"`` or ``"none"``, so a 401 can say what to fix;
- ``refresh()`` — get fresh credentials after a 401; the transport retries the request once
  when it returns True. A bearer token from a provider function (``token=callable``) refreshes
  by calling it again; ``auth="msal"`` (``msal.py``) refreshes through MSAL;
- ``refused(error, response)`` — a final 401/403 made more precise by what the credentials know.

``options.credentials_for(url, token=..., auth=...)`` picks one from ``connect()``'s options.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

import requests
from requests.auth import AuthBase

from ...._optional import import_optional
from ....errors import BackendError, CMPivotError


class Credentials(AuthBase):
    """No credentials: requests go out as they are (a 401 then says what to pass)."""

    kind = "none"

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        return r

    def refresh(self) -> bool:
        """Try to get new credentials after a 401; True when the request is worth retrying."""
        return False

    def refused(self, error: BackendError, response: requests.Response) -> BackendError:
        """The error for a final 401 or 403 (after any refresh); credentials that know more than
        the status says (who signed in, for which app) return a better one."""
        return error

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class BearerToken(Credentials):
    """``Authorization: Bearer <token>`` — a token string, or a function that returns a current one
    (called again by ``refresh()`` after a 401)."""

    kind = "bearer"

    def __init__(self, token: str | Callable[[], str]) -> None:
        self._provider = token if callable(token) else None
        self._token = token() if callable(token) else token
        if not self._token or not isinstance(self._token, str):
            raise CMPivotError("token= must be a non-empty string (a bearer token) or a function returning one")

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self._token}"
        return r

    def refresh(self) -> bool:
        if self._provider is None:
            return False
        fresh = self._provider()
        changed = bool(fresh) and fresh != self._token
        self._token = fresh or self._token
        return changed

    def __repr__(self) -> str:  # never print the token itself
        return f"BearerToken(<{len(self._token)} characters>)"


class Negotiate(Credentials):
    """Windows integrated sign-in by Negotiate (Kerberos): requests-negotiate-sspi on Windows (the
    logged-on user), requests-kerberos elsewhere (a ``kinit`` ticket). NTLM is not offered as a
    fallback: ConfigMgr 2509 and later refuse it."""

    kind = "negotiate"

    def __init__(self, inner: AuthBase | None = None) -> None:
        self._inner = inner if inner is not None else _negotiate_backend()

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        result: requests.PreparedRequest = self._inner(r)
        return result

    def __repr__(self) -> str:
        return f"Negotiate({type(self._inner).__name__})"


class Wrapped(Credentials):
    """A plain ``requests`` auth object given by the caller."""

    kind = "custom"

    def __init__(self, inner: AuthBase) -> None:
        self._inner = inner
        self.kind = "negotiate" if "negotiat" in type(inner).__name__.lower() or \
            "kerberos" in type(inner).__name__.lower() else "custom"

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        result: requests.PreparedRequest = self._inner(r)
        return result


def _negotiate_backend() -> AuthBase:
    if sys.platform == "win32":
        try:
            sspi = importlib.import_module("requests_negotiate_sspi")
            inner: AuthBase = sspi.HttpNegotiateAuth()
            return inner
        except ImportError:
            pass  # requests-kerberos (through pyspnego) works on Windows too
    kerberos = import_optional("requests_kerberos", "negotiate", "Windows integrated sign-in (auth='negotiate')")
    inner = kerberos.HTTPKerberosAuth(mutual_authentication=kerberos.OPTIONAL)
    return inner


__all__ = ["BearerToken", "Credentials", "Negotiate", "Wrapped"]
