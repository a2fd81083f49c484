"""An Entra ID stand-in on the emulator's HTTPS server: enough of the Microsoft identity platform
for the real msal library to sign a user in, refresh, and get RS256-signed access tokens that
the emulated AdminService then verifies (signature, audience, issuer, expiry, scope, user).

Routes (``<tenant>`` is the tenant id, ``organizations`` or ``common``)::

    GET  /<tenant>/v2.0/.well-known/openid-configuration   OIDC discovery
    GET  /<tenant>/discovery/v2.0/keys                      JWKS: the key that signs every token
    GET  /common/discovery/instance                         instance discovery (validate_authority)
    POST /<tenant>/oauth2/v2.0/devicecode                   start a device-code sign-in
    GET  /devicelogin[?code=&user=&method=]                 the verification page: a GET approves
    GET  /<tenant>/oauth2/v2.0/authorize                    the browser flow: posts a code back at once
    POST /<tenant>/oauth2/v2.0/token                        device_code, authorization_code, refresh_token

A GET on the verification page approves the pending code (``code=`` one of them, else all), as
``user`` (default ``default_user``) signing in by ``method`` (``password``, ``mfa`` or
``windows_hello``: the token's ``amr``), so scripts and tests finish the flow without a person.

Entra ID's refusals, with its AADSTS codes and wording, are in ``entra_wire.py``: a wrong App ID URI
or client id by themselves; ``fail`` makes the token endpoint refuse as a misregistered tenant
does (one of ``FAILURES``). ``require_windows_hello`` is the site's side: the SMS Provider's
authentication level refuses tokens without Windows Hello for Business's ``ngcmfa``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .._optional import import_optional
from .entra_wire import (
    PURPOSE,
    SigningKey,
    aad_error,
    check_request,
    form_post,
    instance_discovery,
    invalid_token,
    openid_configuration,
    page,
    refusal,
    reply_json,
)
from .inventory import Grant
from .routing import Response, error

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/cmpivot-magic/emulator")
TENANT_ID = str(uuid.uuid5(NAMESPACE, "tenant"))
CLIENT_ID = str(uuid.uuid5(NAMESPACE, "client app"))
SERVER_APP_ID = str(uuid.uuid5(NAMESPACE, "server app"))
APP_ID_URI = f"api://{TENANT_ID}/ConfigMgrService"
SCOPE_NAME = "user_impersonation"
FAILURES = ("consent", "public_client", "mfa", "mfa_enroll")
METHODS = {"password": ("pwd",), "mfa": ("pwd", "mfa"), "windows_hello": ("ngcmfa", "mfa", "rsa")}
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class EntraUser:
    upn: str
    name: str
    oid: str
    grant: Grant | None
    """The ConfigMgr administrative user this account maps to on the site; None: not an admin."""


@dataclass
class _SignIn:
    """A sign-in in progress or done: a device code, an authorization code or a refresh token."""

    client_id: str
    scopes: tuple[str, ...]
    expires: float
    user: str | None = None
    amr: tuple[str, ...] = ()
    user_code: str = ""
    redirect_uri: str = ""
    challenge: str = ""
    nonce: str = ""


class EntraStandIn:
    """The emulator's identity provider: one tenant, one server app, one client app, a few users."""

    def __init__(self, *, tenant_id: str = TENANT_ID, client_id: str = CLIENT_ID, app_id_uri: str = APP_ID_URI,
                 lifetime: int = 3600) -> None:
        self.tenant_id, self.client_id, self.app_id_uri = tenant_id, client_id, app_id_uri
        self.tenant_name = "contoso.example"
        self.lifetime = lifetime
        """Seconds an access token lives (Entra ID's are 60-90 minutes; tests shorten it)."""
        self.code_lifetime = 900
        self.interval = 1
        """Seconds msal waits between polls of a device code (Entra ID says 5)."""
        self.public_clients = {client_id}
        self.users: dict[str, EntraUser] = {}
        self.default_user = "cmadmin@contoso.example"
        self._fail: str | None = None
        self.require_windows_hello = False
        self.auto_approve = False
        self.origin = ""
        self.counts: Counter[str] = Counter()
        """Requests per kind: discovery, devicecode, approve, authorize, and each token grant."""
        self.accepted: list[tuple[str, str]] = []
        """(jti, upn) of each access token the AdminService accepted, in order."""
        self.issued: list[str] = []
        """Every secret handed out — tokens, device and authorization codes — for leak tests to look for."""
        self._device: dict[str, _SignIn] = {}
        self._codes: dict[str, _SignIn] = {}
        self._refresh: dict[str, _SignIn] = {}
        self._lock = threading.Lock()
        self.signing_key = SigningKey("cmpivot-emulator-" + tenant_id[:8])
        self.add_user("cmadmin@contoso.example", "ConfigMgr Admin", Grant("CONTOSO\\cmadmin"))
        self.add_user("guest@contoso.example", "Guest User", None)

    def __repr__(self) -> str:
        return f"EntraStandIn(tenant={self.tenant_id!r}, client_id={self.client_id!r}, scope={self.scope!r})"

    # ------------------------------------------------------------------------- test API

    @property
    def fail(self) -> str | None:
        """How the token endpoint refuses (one of ``FAILURES``), or None to issue tokens."""
        return self._fail

    @fail.setter
    def fail(self, value: str | None) -> None:
        if value is not None and value not in FAILURES:
            raise ValueError(f"fail is one of {', '.join(FAILURES)}, or None")
        self._fail = value

    @property
    def authority(self) -> str:
        return f"{self.origin}/{self.tenant_id}"

    @property
    def issuer(self) -> str:
        return f"{self.origin}/{self.tenant_id}/v2.0"

    @property
    def scope(self) -> str:
        return f"{self.app_id_uri}/{SCOPE_NAME}"

    @property
    def verification_uri(self) -> str:
        return f"{self.origin}/devicelogin"

    def add_user(self, upn: str, name: str, grant: Grant | None) -> EntraUser:
        """An account in the tenant; ``grant`` is its ConfigMgr role (None: not an administrative user)."""
        user = EntraUser(upn.lower(), name, str(uuid.uuid5(NAMESPACE, upn.lower())), grant)
        self.users[user.upn] = user
        return user

    def pending(self) -> list[str]:
        """User codes waiting for approval."""
        now = time.time()
        with self._lock:
            return [s.user_code for s in self._device.values() if s.user is None and s.expires > now]

    def approve(self, code: str | None = None, user: str | None = None, method: str = "password") -> int:
        """Sign ``user`` in on the pending code ``code`` (or every pending code); how many were approved."""
        upn = (user or self.default_user).lower()
        if upn not in self.users:
            raise KeyError(f"no user {upn} in the emulator's tenant")
        if method not in METHODS:
            raise KeyError(f"method is one of {', '.join(METHODS)}")
        now, approved = time.time(), 0
        with self._lock:
            for pending in self._device.values():
                if pending.user is None and pending.expires > now and code in (None, pending.user_code):
                    pending.user, pending.amr = upn, METHODS[method]
                    approved += 1
        return approved

    def reset(self) -> None:
        """Forget every sign-in, switch and count (the users and keys stay)."""
        with self._lock:
            self._device.clear()
            self._codes.clear()
            self._refresh.clear()
        self.fail, self.require_windows_hello, self.auto_approve = None, False, False
        self.default_user = "cmadmin@contoso.example"
        self.counts.clear()
        self.accepted.clear()
        self.issued.clear()

    # ------------------------------------------------------------------------- keys, tokens

    @property
    def _key(self) -> Any:
        """The RSA private key tokens are signed with (tests forge tokens with it)."""
        return self.signing_key.private_key

    @property
    def kid(self) -> str:
        return self.signing_key.kid

    def _tokens(self, client_id: str, scopes: tuple[str, ...], upn: str, amr: tuple[str, ...],
                nonce: str = "") -> dict[str, Any]:
        user, now = self.users[upn], int(time.time())
        common = {"iss": self.issuer, "iat": now, "nbf": now, "tid": self.tenant_id, "oid": user.oid,
                  "sub": user.oid, "name": user.name, "preferred_username": user.upn}
        sign = self.signing_key.sign
        access = sign({**common, "aud": self.app_id_uri, "exp": now + self.lifetime, "upn": user.upn,
                       "scp": " ".join(s.rsplit("/", 1)[1] for s in scopes), "appid": client_id,
                       "azp": client_id, "amr": list(amr), "ver": "2.0", "jti": secrets.token_hex(8)})
        id_token = sign({**common, "aud": client_id, "exp": now + 3600, "ver": "2.0", **({"nonce": nonce} if nonce else {})})
        refresh = secrets.token_urlsafe(96)
        with self._lock:
            self._refresh[refresh] = _SignIn(client_id, scopes, now + 86_400, upn, amr)
        self.issued.extend((access, id_token, refresh))
        info = base64.urlsafe_b64encode(json.dumps({"uid": user.oid, "utid": self.tenant_id}).encode()).decode()
        return {"token_type": "Bearer", "scope": " ".join(scopes), "expires_in": self.lifetime,
                "ext_expires_in": self.lifetime, "access_token": access, "refresh_token": refresh,
                "id_token": id_token, "client_info": info.rstrip("=")}

    def verify(self, token: str) -> Grant | Response:
        """The AdminService's side: the ConfigMgr role of a valid token's user, or its 401/403."""
        jwt = import_optional("jwt", "emulator", PURPOSE, package="pyjwt")
        try:
            claims = jwt.decode(token, self._key.public_key(), algorithms=["RS256"], audience=self.app_id_uri,
                                issuer=self.issuer, options={"require": ["exp", "iat", "aud", "iss"]})
        except jwt.ExpiredSignatureError:
            return invalid_token("The token expired.")
        except jwt.InvalidAudienceError:
            return invalid_token(f"The audience is invalid: this site's server app is {self.app_id_uri}.")
        except jwt.PyJWTError as err:
            return invalid_token(f"The token is not valid ({type(err).__name__}).")
        if SCOPE_NAME not in str(claims.get("scp", "")).split():
            return invalid_token(f"The token does not carry the {SCOPE_NAME} scope.")
        user = self.users.get(str(claims.get("upn", "")).lower())
        if user is None or user.grant is None:
            return error(401, f"Authorization has been denied for this request: {claims.get('upn')} is not a "
                              "Configuration Manager administrative user.", {"WWW-Authenticate": "Bearer"})
        if self.require_windows_hello and "ngcmfa" not in claims.get("amr", []):
            return error(403, "The SMS Provider authentication level requires Windows Hello for Business: "
                              "the sign-in has no Windows Hello for Business multi-factor claim.")
        with self._lock:
            self.accepted.append((str(claims.get("jti")), user.upn))
        return user.grant

    # ---------------------------------------------------------------------------- routes

    def handles(self, path: str) -> bool:
        first = urlsplit(path).path.strip("/").split("/", 1)[0].lower()
        return first in (self.tenant_id, self.tenant_name, "organizations", "common", "devicelogin")

    def handle(self, method: str, raw_path: str, body: bytes) -> Response:
        parts = urlsplit(raw_path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        form = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        segments = parts.path.strip("/").split("/")
        rest = "/".join(segments[1:])
        if segments[0].lower() == "devicelogin" and method == "GET":
            return self._approve_page(query)
        routes = {
            ("GET", "v2.0/.well-known/openid-configuration"): lambda: self._discovery(segments[0]),
            ("GET", "discovery/v2.0/keys"): lambda: reply_json(self.signing_key.jwks()),
            ("GET", "discovery/instance"): self._instance,
            ("POST", "oauth2/v2.0/devicecode"): lambda: self._devicecode(form),
            ("GET", "oauth2/v2.0/authorize"): lambda: self._authorize(query),
            ("POST", "oauth2/v2.0/token"): lambda: self._token(form),
        }
        route = routes.get((method, rest))
        if route is None:
            return error(404, f"no Entra ID stand-in endpoint {method} {parts.path}")
        return route()

    def _discovery(self, tenant: str) -> Response:
        self.counts["discovery"] += 1
        return openid_configuration(self.origin, tenant, self.issuer)

    def _instance(self) -> Response:
        return instance_discovery(self.authority)

    def _check_request(self, client_id: str, scope: str) -> tuple[str, ...] | Response:
        """The resource scopes asked for, or Entra ID's answer to a wrong client id or App ID URI."""
        return check_request(client_id, scope, clients=self.public_clients, app_id_uri=self.app_id_uri,
                             tenant_name=self.tenant_name, scope_name=SCOPE_NAME)

    def _devicecode(self, form: dict[str, str]) -> Response:
        self.counts["devicecode"] += 1
        scopes = self._check_request(form.get("client_id", ""), form.get("scope", ""))
        if isinstance(scopes, Response):
            return scopes
        device_code = secrets.token_urlsafe(48)
        user_code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(9))
        with self._lock:
            self._device[device_code] = _SignIn(form["client_id"], scopes, time.time() + self.code_lifetime,
                                                user_code=user_code)
        self.issued.append(device_code)
        if self.auto_approve:
            self.approve(user_code)
        return reply_json({"user_code": user_code, "device_code": device_code, "verification_uri": self.verification_uri,
                           "expires_in": self.code_lifetime, "interval": self.interval,
                           "message": f"To sign in, use a web browser to open the page {self.verification_uri} and "
                                      f"enter the code {user_code} to authenticate."})

    def _approve_page(self, query: dict[str, str]) -> Response:
        self.counts["approve"] += 1
        try:
            approved = self.approve(query.get("code") or query.get("user_code"), query.get("user"),
                                    query.get("method", "password"))
        except KeyError as err:
            return page(400, f"Sign-in refused: {err.args[0]}")
        if not approved:
            return page(200, "No sign-in is waiting for a code here.")
        user = (query.get("user") or self.default_user).lower()
        return page(200, f"Signed in as {user} on {approved} device{'s' if approved != 1 else ''}. "
                         "You can close this window.")

    def _authorize(self, query: dict[str, str]) -> Response:
        """The browser flow's sign-in page, already signed in: it posts the code (or Entra ID's error)
        back to the app's loopback redirect URI (``response_mode=form_post``, as msal asks)."""
        self.counts["authorize"] += 1
        redirect = query.get("redirect_uri", "")
        if not redirect.startswith(("http://localhost", "http://127.0.0.1")):
            return page(400, "AADSTS50011: The redirect URI specified in the request does not match the redirect "
                             "URIs configured for the application.")
        scopes = self._check_request(query.get("client_id", ""), query.get("scope", ""))
        if isinstance(scopes, Response):
            body = json.loads(scopes.body)
            return form_post(redirect, {"error": body["error"], "error_description": body["error_description"],
                                    "state": query.get("state", "")})
        code = secrets.token_urlsafe(48)
        user = (query.get("login_hint") or self.default_user).lower()
        if user not in self.users:
            user = self.default_user
        with self._lock:
            self._codes[code] = _SignIn(query["client_id"], scopes, time.time() + 300, user, METHODS["password"],
                                        redirect_uri=redirect, challenge=query.get("code_challenge", ""),
                                        nonce=query.get("nonce", ""))
        self.issued.append(code)
        return form_post(redirect, {"code": code, "state": query.get("state", ""),
                                    "session_state": str(uuid.uuid4())})

    def _token(self, form: dict[str, str]) -> Response:
        grant = form.get("grant_type", "")
        kind = {"urn:ietf:params:oauth:grant-type:device_code": "device_code"}.get(grant, grant)
        self.counts[kind] += 1
        client_id = form.get("client_id", "")
        checked = self._check_request(client_id, form.get("scope", "") or f"{self.scope}")
        if isinstance(checked, Response):
            return checked
        if kind == "device_code":
            return self._redeem_device_code(form.get("device_code", ""), client_id)
        if kind == "authorization_code":
            return self._redeem_code(form, client_id)
        if kind == "refresh_token":
            with self._lock:
                held = self._refresh.pop(form.get("refresh_token", ""), None)
            if held is None or held.expires < time.time() or held.client_id != client_id or held.user is None:
                return aad_error(400, "invalid_grant", 700082, "The refresh token has expired due to inactivity.",
                                 suberror="bad_token")
            return self._issue(held, client_id)
        return aad_error(400, "unsupported_grant_type", 70003, f"The app requested an unsupported grant type "
                                                               f"'{grant}'.")

    def _redeem_device_code(self, device_code: str, client_id: str) -> Response:
        with self._lock:
            pending = self._device.get(device_code)
            if pending is None or pending.client_id != client_id:
                return aad_error(400, "invalid_grant", 70000, "The provided value for the 'device_code' is not valid.")
            if pending.expires < time.time():
                del self._device[device_code]
                return aad_error(400, "expired_token", 70019, "Verification code expired.")
            if pending.user is None:
                return aad_error(400, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization "
                                                                      "is pending. Continue polling.")
            del self._device[device_code]
        return self._issue(pending, client_id)

    def _redeem_code(self, form: dict[str, str], client_id: str) -> Response:
        with self._lock:
            held = self._codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "")
        expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        if held is None or held.expires < time.time() or held.client_id != client_id \
                or held.redirect_uri != form.get("redirect_uri") or (held.challenge and held.challenge != expected):
            return aad_error(400, "invalid_grant", 70008, "The provided authorization code or refresh token has "
                                                          "expired due to inactivity, or is not valid.")
        return self._issue(held, client_id)

    def _issue(self, signed_in: _SignIn, client_id: str) -> Response:
        refused = refusal(self.fail, signed_in.amr, client_id, SERVER_APP_ID)
        if refused is not None:
            return refused
        assert signed_in.user is not None
        return reply_json(self._tokens(client_id, signed_in.scopes, signed_in.user, signed_in.amr, signed_in.nonce))

__all__ = ["APP_ID_URI", "CLIENT_ID", "FAILURES", "METHODS", "TENANT_ID", "EntraStandIn", "EntraUser"]
