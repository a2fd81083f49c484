"""Credentials for the AdminService: who the requests say they come from.

Every credential is a ``requests`` auth object (it adds a header, or answers a Negotiate
challenge) with two things more, the seam the Entra ID sign-in builds on:

- ``kind`` — ``"bearer"``, ``"negotiate"`` or ``"none"``, so a 401 can say what to fix;
- ``refresh()`` — get fresh credentials after a 401; the transport retries the request once
  when it returns True. A bearer token from a provider function (``token=callable``) refreshes
  by calling it again; ``auth="msal"`` (``msal_auth.py``) refreshes through MSAL;
- ``refused(error, response)`` — a final 401/403 made more precise by what the credentials know.

``credentials_for(url, token=..., auth=...)`` picks one from ``connect()``'s options.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.auth import AuthBase

from ...errors import BackendError, CMPivotError

AUTH_CHOICES = ("negotiate", "msal")


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


def credentials_for(url: str, *, token: str | Callable[[], str] | None = None, auth: Any = None,
                    verify: bool | str = True, msal: Mapping[str, Any] | None = None) -> Credentials:
    """The credentials ``connect()``'s options ask for.

    ``token=`` → a bearer token; ``auth="negotiate"`` → Kerberos; ``auth="msal"`` → an Entra ID
    sign-in (``msal_auth.py``; ``msal`` holds its options, ``verify`` the site's TLS setting), made
    now so the prompt shows where ``connect()`` was called; ``auth=<requests auth object>`` → used
    as it is (a ``Credentials`` keeps its ``refresh``). With neither, a token-auth URL
    (``/AdminService_TokenAuth``, a CMG's ``/CCM_Proxy_ServerAuth/``) needs a token, and an on-prem
    ``/AdminService`` URL uses Negotiate.
    """
    if token is not None and auth not in (None, "bearer"):
        raise CMPivotError("pass either token= or auth=, not both")
    if msal and auth != "msal":
        raise CMPivotError(f"{', '.join(k + '=' for k in msal)} only apply to an Entra ID sign-in",
                           hint="add auth='msal'")
    if auth == "msal":
        from .msal_auth import MsalCredentials

        credentials = MsalCredentials.from_options(url, verify=verify, **dict(msal or {}))
        credentials.sign_in()
        return credentials
    if token is not None:
        return BearerToken(token)
    if isinstance(auth, Credentials):
        return auth
    if isinstance(auth, AuthBase):
        return _Wrapped(auth)
    if auth == "negotiate":
        return Negotiate()
    if auth not in (None, "bearer"):
        raise CMPivotError(f"unknown auth={auth!r}", hint=f"auth is one of: {', '.join(AUTH_CHOICES)}")
    path = urlsplit(url).path.lower()
    if "tokenauth" in path or "ccm_proxy_serverauth" in path:
        raise CMPivotError(f"{url} takes an Entra ID bearer token",
                           hint="pass auth='msal' with tenant=, client_id= and app_id_uri= (an Entra ID sign-in), "
                                "or token='<bearer token>' obtained elsewhere")
    return Negotiate()


class _Wrapped(Credentials):
    """A plain ``requests`` auth object given by the caller."""

    kind = "custom"

    def __init__(self, inner: AuthBase) -> None:
        self._inner = inner
        self.kind = "negotiate" if "negotiat" in type(inner).__name__.lower() or \
            "kerberos" in type(inner).__name__.lower() else "custom"

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        result: requests.PreparedRequest = self._inner(r)
        return result


def import_optional(module: str, extra: str, purpose: str) -> ModuleType:
    """Import an optional dependency, or say exactly which ``pip install`` brings it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise CMPivotError(f"{purpose} needs the {module.replace('_', '-')} package",
                           hint=f'pip install "cmpivot-magic[{extra}]"') from None


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


__all__ = ["AUTH_CHOICES", "BearerToken", "Credentials", "Negotiate", "credentials_for", "import_optional"]
