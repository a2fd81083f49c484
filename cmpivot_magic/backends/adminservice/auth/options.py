"""``connect()``'s sign-in options → the ``Credentials`` every AdminService request carries.

The one place that knows every kind of credentials, so it sits above them: ``credentials.py``
(none, a bearer token, Negotiate, a caller's ``requests`` auth object) and ``msal.py`` (an Entra
ID sign-in) never import this module, and the backend asks only this one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from requests.auth import AuthBase

from ....errors import CMPivotError
from .credentials import BearerToken, Credentials, Negotiate, Wrapped
from .msal import MSAL_OPTIONS, MsalCredentials

AUTH_CHOICES = ("negotiate", "msal")


def credentials_for(url: str, *, token: str | Callable[[], str] | None = None, auth: Any = None,
                    verify: bool | str = True, msal: Mapping[str, Any] | None = None) -> Credentials:
    """The credentials ``connect()``'s options ask for.

    ``token=`` → a bearer token; ``auth="negotiate"`` → Kerberos; ``auth="msal"`` → an Entra ID
    sign-in (``msal.py``; ``msal`` holds its options, ``verify`` the site's TLS setting), made
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
        credentials = MsalCredentials.from_options(url, verify=verify, **dict(msal or {}))
        credentials.sign_in()
        return credentials
    if token is not None:
        return BearerToken(token)
    if isinstance(auth, Credentials):
        return auth
    if isinstance(auth, AuthBase):
        return Wrapped(auth)
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


__all__ = ["AUTH_CHOICES", "MSAL_OPTIONS", "credentials_for"]
