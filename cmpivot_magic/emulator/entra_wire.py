"""Entra ID's side of the wire for the stand-in (``entra.py``), in Entra ID's own shape and words.

``SigningKey`` signs every token RS256 and publishes its JWKS (PyJWT and cryptography, from the
``emulator`` extra). Errors carry the AADSTS number, trace and correlation ids and a timestamp in
``error_description`` as Entra ID writes them, plus ``error_codes``, ``suberror`` and ``claims``,
so msal and ``auth/sign_in_errors.py`` meet what a real tenant sends. A scope for an App ID URI
the tenant lacks gets AADSTS500011 and an unknown client id AADSTS700016 (``check_request``);
``refusal`` is the token endpoint refusing as a misregistered tenant does — ``"consent"``
(AADSTS65001), ``"public_client"`` (AADSTS7000218), ``"mfa"`` (AADSTS50076 unless the sign-in
used MFA), ``"mfa_enroll"`` (AADSTS50079). The pages are the browser's side: the verification
page's text and the form that posts an authorization code back to the app.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import uuid
from collections.abc import Collection
from functools import cached_property
from typing import Any

from .._optional import import_optional
from .routing import Response, error

RESERVED_SCOPES = frozenset({"openid", "profile", "offline_access", "email"})
"""Scopes msal adds to every request; they name no resource."""
PURPOSE = "the emulator's Entra ID stand-in"


class SigningKey:
    """The RSA key every token is signed with (made on first use: 2048-bit keys take a moment)."""

    def __init__(self, kid: str) -> None:
        self.kid = kid

    @cached_property
    def private_key(self) -> Any:
        rsa = import_optional("cryptography.hazmat.primitives.asymmetric.rsa", "emulator", PURPOSE,
                              package="cryptography")
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwks(self) -> dict[str, Any]:
        algorithms = import_optional("jwt.algorithms", "emulator", PURPOSE, package="pyjwt")
        key = json.loads(algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        key.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {"keys": [key]}

    def sign(self, claims: dict[str, Any]) -> str:
        jwt = import_optional("jwt", "emulator", PURPOSE, package="pyjwt")
        return str(jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.kid, "typ": "JWT"}))


def reply_json(obj: Any, status: int = 200) -> Response:
    return Response(status, json.dumps(obj).encode(), {"Content-Type": "application/json; charset=utf-8",
                                                       "Cache-Control": "no-store"})


def aad_error(status: int, code: str, number: int, text: str, *, suberror: str | None = None,
               claims: str | None = None) -> Response:
    """An error in Entra ID's shape: the AADSTS text with trace and correlation ids, and its fields."""
    trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    body: dict[str, Any] = {
        "error": code,
        "error_description": f"AADSTS{number}: {text} Trace ID: {trace} Correlation ID: {correlation} "
                             f"Timestamp: {stamp}",
        "error_codes": [number], "timestamp": stamp, "trace_id": trace, "correlation_id": correlation,
        "error_uri": f"https://login.microsoftonline.com/error?code={number}",
    }
    if suberror:
        body["suberror"] = suberror
    if claims:
        body["claims"] = claims
    return reply_json(body, status)


def invalid_token(description: str) -> Response:
    return error(401, f"Authorization has been denied for this request. {description}",
                 {"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{description}"'})


def form_post(action: str, fields: dict[str, str]) -> Response:
    inputs = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items())
    body = (f'<!doctype html><title>Working...</title><body onload="document.forms[0].submit()">'
            f'<form method="post" action="{html.escape(action)}">{inputs}'
            f'<noscript><button>Continue</button></noscript></form></body>').encode()
    return Response(200, body, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"})


def page(status: int, text: str) -> Response:
    body = (f"<!doctype html><title>Sign in - cmpivot-magic emulator</title>"
            f"<p>{html.escape(text)}</p>").encode()
    return Response(status, body, {"Content-Type": "text/html; charset=utf-8"})


def openid_configuration(origin: str, tenant: str, issuer: str) -> Response:
    """OIDC discovery for ``tenant`` (the path msal asked under: an id, ``organizations`` or ``common``)."""
    base = f"{origin}/{tenant}"
    return reply_json({
        "issuer": issuer, "token_endpoint": f"{base}/oauth2/v2.0/token",
        "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
        "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
        "jwks_uri": f"{base}/discovery/v2.0/keys", "response_types_supported": ["code", "id_token"],
        "subject_types_supported": ["pairwise"], "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "tenant_region_scope": "EU", "cloud_instance_name": "emulator.local",
    })


def instance_discovery(authority: str) -> Response:
    """Instance discovery (msal's ``validate_authority``): where ``authority``'s OIDC document is."""
    return reply_json({"tenant_discovery_endpoint": f"{authority}/v2.0/.well-known/openid-configuration",
                       "api-version": "1.1", "metadata": []})


def check_request(client_id: str, scope: str, *, clients: Collection[str], app_id_uri: str, tenant_name: str,
                  scope_name: str) -> tuple[str, ...] | Response:
    """The resource scope asked for, or Entra ID's answer to a wrong client id or App ID URI."""
    if not client_id:
        return aad_error(400, "invalid_request", 900144, "The request body must contain the following "
                                                           "parameter: 'client_id'.")
    if client_id not in clients:
        return aad_error(400, "unauthorized_client", 700016, f"Application with identifier '{client_id}' was "
                          f"not found in the directory '{tenant_name}'. This can happen if the application "
                          "has not been installed by the administrator of the tenant or consented to by any "
                          "user in the tenant. You may have sent your authentication request to the wrong tenant.")
    wanted = tuple(s for s in scope.split() if s not in RESERVED_SCOPES)
    for item in wanted:
        resource, _, name = item.rpartition("/")
        if resource.rstrip("/").lower() != app_id_uri.lower():
            return aad_error(400, "invalid_resource", 500011, f"The resource principal named {resource or item} "
                              f"was not found in the tenant named {tenant_name}. This can happen if the "
                              "application has not been installed by the administrator of the tenant or consented "
                              "to by any user in the tenant. You might have sent your authentication request to "
                              "the wrong tenant.")
        if name not in (scope_name, ".default"):
            return aad_error(400, "invalid_scope", 70011, f"The provided value for the input parameter 'scope' "
                              f"is not valid. The scope {item} is not valid.")
    if not wanted:
        return aad_error(400, "invalid_scope", 70011, "The provided value for the input parameter 'scope' is "
                                                       "not valid: no resource was named.")
    return (f"{app_id_uri}/{scope_name}",)


def refusal(fail: str | None, amr: tuple[str, ...], client_id: str, server_app_id: str) -> Response | None:
    """What ``fail`` (a misregistered tenant, see ``entra.FAILURES``) makes Entra ID say instead of
    issuing tokens to a sign-in made with the methods ``amr``."""
    if fail == "consent":
        return aad_error(400, "invalid_grant", 65001, f"The user or administrator has not consented to use the "
                          f"application with ID '{client_id}' named 'ConfigMgr client'. Send an interactive "
                          "authorization request for this user and resource.", suberror="consent_required")
    if fail == "public_client":
        return aad_error(401, "invalid_client", 7000218, "The request body must contain the following parameter: "
                                                          "'client_assertion' or 'client_secret'.")
    if fail == "mfa" and "mfa" not in amr:
        return aad_error(400, "invalid_grant", 50076, "Due to a configuration change made by your administrator, "
                          "or because you moved to a new location, you must use multi-factor authentication to "
                          f"access '{server_app_id}'.", suberror="basic_action",
                          claims='{"access_token":{"capolids":{"essential":true,"values":["emulator"]}}}')
    if fail == "mfa_enroll":
        return aad_error(400, "invalid_grant", 50079, "Due to a configuration change made by your administrator, "
                          "or because you moved to a new location, you must enroll in multi-factor authentication "
                          f"to access '{server_app_id}'.", suberror="basic_action")
    return None


__all__ = ["RESERVED_SCOPES", "SigningKey", "aad_error", "check_request", "form_post", "instance_discovery", "invalid_token", "openid_configuration", "page",
           "refusal", "reply_json"]
