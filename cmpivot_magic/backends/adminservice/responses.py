"""HTTP failures of the AdminService, turned into our errors with what to do about them.

The transport calls ``error_for(response, ...)`` once a response is final (retries spent, a
refreshed credential refused again). Each status becomes one error class and one message::

    400  BackendError            the site rejected the query text (KustoParser); FileContent paths
    401  AuthenticationError     NTLM refused since ConfigMgr 2509 → Kerberos; a bearer token refused
                                 (expired, wrong audience, not an admin, 'Admin User' app role)
    403  PermissionDeniedError   Read on the collection + Run CMPivot; tenant attach: 'Admin User'
                                 on the Configuration Manager Microservice app; MFA authentication level
    404  PermissionDeniedError   with an access-denied body (WMI rights on the provider)
         BackendError            a device, collection or route that does not exist
         (not an error)          on CMPivotResult, any other 404 means "not ready yet"
    429  BackendError            throttled: the provider allows 200 requests per client IP
    500  BackendError            SMS_REST_PROVIDER down, or a Kerberos double hop from a CAS
    502/504 BackendError         a gateway (CMG, proxy) between here and the provider failed
    503  BackendError            the AdminService is unavailable (starting, stopped, overloaded)

Connection failures (TLS trust, refused, timed out) get their own messages in ``connection_error``.
"""

from __future__ import annotations

import json
from typing import Any

import requests

from ...errors import AuthenticationError, BackendError, PermissionDeniedError

_ACCESS_DENIED = ("access denied", "access is denied", "accessdenied")
_NO_ROUTE = ("no http resource was found", "no routing convention", "no route")
_NTLM = ("ntlm",)


def server_message(response: requests.Response) -> str:
    """The server's own words: ``error.message`` (OData), ``Message`` (Web API) or the text."""
    text = _text(response)
    try:
        body: Any = json.loads(text) if text.strip() else None
    except ValueError:
        body = None
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict) and err.get("message"):
            inner = err.get("innererror")
            extra = f" ({inner['message']})" if isinstance(inner, dict) and inner.get("message") else ""
            return f"{err['message']}".strip() + extra
        for key in ("Message", "message", "ExceptionMessage"):
            if isinstance(body.get(key), str):
                return str(body[key]).strip()
    return " ".join(text.split())[:300]


def is_access_denied(response: requests.Response) -> bool:
    """A 404 whose body says WMI access was denied (``Access denied  WMI QUERY: ``)."""
    return any(s in _text(response).lower() for s in _ACCESS_DENIED)


def is_pending(response: requests.Response) -> bool:
    """On ``CMPivotResult``, a 404 means "no results yet" unless its body says access was denied
    or that the route itself does not exist."""
    if response.status_code != 404:
        return False
    lowered = _text(response).lower()
    return not any(s in lowered for s in (*_ACCESS_DENIED, *_NO_ROUTE))


def error_for(response: requests.Response, *, action: str, auth_kind: str, profile: str) -> BackendError:
    """The error for a final non-success ``response`` to ``action`` ("run CMPivot on SMS00001")."""
    status = response.status_code
    said = server_message(response)
    quoted = f" The site said: {said}" if said else ""
    if status == 401:
        return AuthenticationError(f"the site refused the credentials (401) to {action}.{quoted}",
                                   hint=_hint_401(response, auth_kind, profile))
    if status == 403 or (status == 404 and is_access_denied(response)):
        return PermissionDeniedError(f"not allowed to {action} ({status}).{quoted}", hint=_hint_403(status, profile))
    if status == 400:
        return BackendError(
            f"the site rejected the request to {action} (400 Bad Request).{quoted}",
            hint="the AdminService's KQL parser refuses some queries that the console runs (FileContent and "
                 "paths are a known case); simplify the query, or check it in the console",
        )
    if status == 404:
        return BackendError(
            f"not found (404) trying to {action}.{quoted}",
            hint="check the device or collection exists (session.devices(), session.collections()); a missing "
                 "route means the site's ConfigMgr is older than the feature (v1.0 CMPivot needs 1910 or later)",
        )
    if status == 429:
        return BackendError(
            f"the site is throttling requests (429) to {action}.{quoted}",
            hint="the AdminService allows 200 requests per client IP; wait a minute, and don't run many "
                 "sessions against one provider from the same machine",
        )
    if status in (500, 503):
        what = "failed (500 Internal Server Error)" if status == 500 else "is unavailable (503 Service Unavailable)"
        return BackendError(
            f"the AdminService {what} trying to {action}.{quoted}",
            hint="the SMS_REST_PROVIDER component may be down: check its status in the console (Monitoring > "
                 "Component Status) and adminservice.log on the SMS Provider. From a CAS with a remote SMS "
                 "Provider or remote SQL, this is the Kerberos double hop: configure constrained delegation",
        )
    if status in (502, 504):
        return BackendError(
            f"a gateway between here and the AdminService failed ({status}) trying to {action}.{quoted}",
            hint="through a cloud management gateway, check the CMG's health and that 'Allow Configuration "
                 "Manager cloud management gateway traffic for administration service' is on; the AdminService "
                 "does not support proxy servers",
        )
    return BackendError(f"unexpected HTTP {status} trying to {action}.{quoted}")


def connection_error(err: requests.RequestException, url: str, *, action: str) -> BackendError:
    """The error for a request that never got a response, after retries."""
    if isinstance(err, requests.exceptions.SSLError):
        return BackendError(
            f"the site's TLS certificate is not trusted ({url}).",
            hint="pass verify='path/to/root.pem': the site's self-signed root (Administration > Security > "
                 "Certificates, 'SMS Issuing'), exported as PEM; or the CA path printed by `cmpivot emulator`",
        )
    if isinstance(err, requests.exceptions.Timeout):
        return BackendError(f"the site did not answer in time trying to {action} ({url}).",
                            hint="the provider may be overloaded; try again, or raise request_timeout=")
    return BackendError(
        f"could not reach the AdminService to {action} ({url}): {type(err).__name__}.",
        hint="check the provider's FQDN and that port 443 is open from here; the AdminService does not "
             "support proxy servers",
    )


def _hint_401(response: requests.Response, auth_kind: str, profile: str) -> str:
    challenge = response.headers.get("WWW-Authenticate", "").lower()
    body = _text(response).lower()
    if auth_kind == "negotiate" or any(s in body for s in _NTLM) or "negotiate" in challenge:
        return ("ConfigMgr 2509 and later reject NTLM, so Windows sign-in must use Kerberos: call the provider "
                "by its FQDN (not an IP address or short name), hold a Kerberos ticket (kinit on Linux and macOS), "
                "and use auth='negotiate' (pip install \"cmpivot-magic[negotiate]\"); or use an Entra ID token "
                "at /AdminService_TokenAuth")
    if auth_kind == "bearer":
        tenant = (" Through the Intune admin center, the user also needs the 'Admin User' role on the "
                  "'Configuration Manager Microservice' enterprise app." if profile == "tenant-attach" else "")
        return ("the bearer token was refused: it may have expired, be for another audience (the ConfigMgr "
                "server app's App ID URI, scope <AppIdURI>/user_impersonation), or belong to a user who is not a "
                "ConfigMgr administrative user; app-only tokens are not accepted, and the Entra app role "
                f"assignment may be missing.{tenant}")
    return "no credentials were sent: pass token='...' (a bearer token) or auth='negotiate' (Kerberos)"


def _hint_403(status: int, profile: str) -> str:
    if status == 404:
        return ("the SMS Provider's WMI refused the query: the account needs to be a ConfigMgr administrative "
                "user with rights on the provider's WMI namespace (root\\SMS\\site_<code>)")
    base = ("your ConfigMgr security role needs Read on the collection and Run CMPivot on it (Run Scripts "
            "includes it), and Read on Inventory Reports; Security Administrator has these")
    if profile == "tenant-attach":
        base += ("; through the Intune admin center the user also needs the 'Admin User' role on the "
                 "'Configuration Manager Microservice' enterprise app (or Intune's 'Run CMPivot query' permission)")
    return base + ("; if the site's SMS Provider authentication level requires Windows Hello for Business, "
                   "a sign-in without its MFA claim is refused")


def _text(response: requests.Response) -> str:
    try:
        return response.text or ""
    except (RuntimeError, UnicodeDecodeError):
        return ""


__all__ = ["connection_error", "error_for", "is_access_denied", "is_pending", "server_message"]
