"""What went wrong with an Entra ID sign-in, in words that say what to fix.

``sign_in_error(result, ...)`` turns MSAL's error dict (``error``, ``error_description`` with its
AADSTS number, ``error_codes``, ``trace_id``, ``correlation_id``) into one of our errors::

    AADSTS65001                 ConsentRequiredError            grant admin consent for user_impersonation
    AADSTS7000218               PublicClientFlowsDisabledError  'Allow public client flows' = Yes
    AADSTS500011                UnknownAppIdUriError            scope = <server app's App ID URI>/user_impersonation
    AADSTS50076, 50079, 50074,  MfaRequiredError                sign in again and complete MFA
      50072, 50158
    AADSTS700016, 90002, 50011, SignInError                     client id, tenant, redirect URI, Conditional
      53003, expired codes                                      Access, run again

``site_refusal(...)`` does the same for the AdminService refusing a token Entra ID issued: a 401
means the user is not a ConfigMgr administrative user (or the token is for another site's server
app), a 403 naming Windows Hello for Business means the SMS Provider's authentication level.

Every message passes through ``_secrets.redact`` (with the tokens this sign-in has seen), so
tokens never reach an error or a notebook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ...._secrets import redact
from ....errors import (
    AuthenticationError,
    BackendError,
    ConsentRequiredError,
    MfaRequiredError,
    NotAdministrativeUserError,
    PermissionDeniedError,
    PublicClientFlowsDisabledError,
    SignInError,
    UnknownAppIdUriError,
)

MFA_CODES = frozenset({50072, 50074, 50076, 50079, 50158})
_AADSTS = re.compile(r"AADSTS(\d+)")
SIGN_OUT = "session.backend.credentials.sign_out()"


@dataclass(frozen=True)
class Registration:
    """What the sign-in asked for, so a message can name it."""

    client_id: str
    tenant: str
    scope: str
    authority: str

    @property
    def app_id_uri(self) -> str:
        return self.scope.rsplit("/", 1)[0]


def sign_in_error(result: Mapping[str, Any], reg: Registration, *, user: str | None = None,
                  secrets: Iterable[str] = ()) -> AuthenticationError:
    """Our error for MSAL's error ``result`` (a dict with ``error`` and ``error_description``)."""
    secrets = tuple(secrets)
    error = str(result.get("error") or "sign-in failed")
    description = str(result.get("error_description") or "")
    codes = [int(c) for c in result.get("error_codes") or [] if str(c).isdigit()]
    found = _AADSTS.search(description)
    code = codes[0] if codes else (int(found.group(1)) if found else None)
    said = redact(_entra_words(description), secrets)
    ids = {"trace_id": result.get("trace_id") or _id_in(description, "Trace ID"),
           "correlation_id": result.get("correlation_id") or _id_in(description, "Correlation ID")}
    tail = _ids_text(ids)
    who = f" for {user}" if user else ""
    aadsts = f"AADSTS{code}" if code else error

    def make(cls: type[SignInError], message: str, hint: str) -> SignInError:
        return cls(redact(message + tail, secrets), hint=redact(hint, secrets), code=code, **ids)

    if code == 65001 or result.get("suberror") == "consent_required":
        return make(ConsentRequiredError, f"nobody has consented to client app {reg.client_id} using the ConfigMgr "
                    f"server app ({reg.app_id_uri}){who} ({aadsts})",
                    "an administrator grants it once for the tenant: Entra admin center > App registrations > the "
                    "client app > API permissions > Add a permission > My APIs > the ConfigMgr server app > "
                    "Delegated > user_impersonation, then 'Grant admin consent'. ConfigMgr's Azure Services "
                    "wizard does this when it creates the apps; an app registered by hand needs it done")
    if code == 7000218:
        return make(PublicClientFlowsDisabledError, f"client app {reg.client_id} does not allow public client flows "
                    f"({aadsts}), so a sign-in without a client secret (device code, browser) is refused",
                    "Entra admin center > App registrations > the client app > Authentication > Advanced settings: "
                    "set 'Allow public client flows' to Yes (ConfigMgr's native client app needs it for the "
                    "cloud management gateway too)")
    if code == 500011:
        return make(UnknownAppIdUriError, f"tenant {reg.tenant} has no app with the App ID URI '{reg.app_id_uri}' "
                    f"({aadsts})",
                    "the scope is <App ID URI>/user_impersonation of the site's ConfigMgr server app (the web app "
                    "registered for Cloud Management): App registrations > the server app > Expose an API shows it, "
                    "as api://<tenant id>/<name>, https://<verified domain>/<name> or the legacy "
                    "https://ConfigMgrService. Pass app_id_uri='…' (or scope='…/user_impersonation'), and check "
                    "that tenant= is the tenant the site is attached to")
    if code in MFA_CODES:
        enroll = code in (50072, 50079)
        return make(MfaRequiredError, f"Entra ID requires multi-factor authentication{who} ({aadsts})"
                    + (": the account has no MFA method registered yet" if enroll else ""),
                    ("register an MFA method first (your organisation's MFA registration page), then " if enroll
                     else "") + "sign in again and complete the MFA prompt in the browser — on the device-code "
                    "page, or with flow='interactive'; a cached sign-in cannot satisfy a new MFA requirement. "
                    f"To drop the cached sign-in: {SIGN_OUT}")
    if code == 700016:
        hint = (f"check client_id=: the Application (client) ID of the client app (ConfigMgr's native app), "
                f"registered in tenant {reg.tenant}")
    elif code in (90002, 90023) or ("tenant" in said.lower() and "not found" in said.lower()):
        hint = "check tenant=: the Directory (tenant) ID, or a verified domain, of the tenant the site is attached to"
    elif code == 50011:
        hint = ("flow='interactive' needs the redirect URI http://localhost on the client app (Authentication > "
                "Mobile and desktop applications); or use the device-code flow, the default")
    elif code == 53003:
        hint = ("a Conditional Access policy blocked the sign-in: ask your Entra ID administrator; a policy that "
                "covers all cloud apps should exclude the ConfigMgr server app")
    elif error in ("expired_token", "code_expired") or code in (70019, 70020):
        hint = "nobody signed in before the code expired: connect again for a new code"
    elif error == "authorization_declined":
        hint = "the sign-in was declined on the verification page: connect again to retry"
    else:
        hint = ("check tenant=, client_id= and scope= against the app registrations; Entra ID's sign-in logs "
                "find this attempt by its correlation id")
    return make(SignInError, f"Entra ID refused the sign-in{who} ({aadsts}): {said or error}", hint)


def site_refusal(err: BackendError, status: int, server_text: str, *, user: str | None, reg: Registration,
                 secrets: Iterable[str] = ()) -> BackendError:
    """The error for the AdminService refusing a token Entra ID issued (401 after a refresh, or 403)."""
    secrets = tuple(secrets)
    who = user or "this account"
    text = server_text.lower()
    message = redact(err.message, secrets)
    if status == 401 and "audience" in text:
        return AuthenticationError(
            f"the site refused the token for {reg.app_id_uri}, expecting another audience: {message}",
            hint="the scope must name this site's own ConfigMgr server app: use the App ID URI that its Azure "
                 "Services (Cloud Management) registration shows under App registrations > Expose an API")
    if status == 401:
        return NotAdministrativeUserError(
            f"signed in to Entra ID as {who}, but {message}",
            hint=f"{who} must be a ConfigMgr administrative user: add the user, or an AD group holding them, under "
                 "Administration > Security > Administrative Users with a role that may run CMPivot. With an "
                 "Entra ID token the account must be synced from on-prem AD (the cloud UPN matching the on-prem "
                 "one) and found by Azure AD user discovery. If it is an administrative user, the token may be "
                 f"for another site's server app: check scope= ({reg.scope})")
    if status == 403 and any(s in text for s in ("windows hello", "multi-factor", "multifactor", " mfa")):
        return MfaRequiredError(
            f"the site requires a Windows Hello for Business sign-in, and {who} signed in without it: {message}",
            hint=f"sign out ({SIGN_OUT}), connect again and sign in with Windows Hello for Business on the "
                 "device-code page; the SMS Provider's authentication level (Administration > Site Configuration "
                 "> Sites > Hierarchy Settings > Authentication) decides this")
    if status == 403:
        return PermissionDeniedError(f"{message} (signed in as {who})", hint=err.hint)
    return err


def _entra_words(description: str) -> str:
    """Entra ID's sentence without the AADSTS prefix, trace and correlation ids and timestamp."""
    text = re.split(r"\s*(?:Trace ID|Correlation ID|Timestamp):", description, maxsplit=1)[0]
    return " ".join(_AADSTS.sub("", text, count=1).lstrip(": ").split())


def _id_in(description: str, label: str) -> str | None:
    found = re.search(rf"{label}:\s*([0-9a-fA-F-]{{36}})", description)
    return found.group(1) if found else None


def _ids_text(ids: Mapping[str, str | None]) -> str:
    parts = [f"{name.replace('_', ' ')} {value}" for name, value in ids.items() if value]
    return f" ({', '.join(parts)})" if parts else ""


__all__ = ["MFA_CODES", "Registration", "sign_in_error", "site_refusal"]
