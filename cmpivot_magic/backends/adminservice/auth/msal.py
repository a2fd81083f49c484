"""``auth="msal"``: sign in to Entra ID with msal's PublicClientApplication and send its access token.

    session = cmpivot_magic.connect(
        "https://cmg.contoso.com/CCM_Proxy_ServerAuth/72186325152220500/AdminService",
        auth="msal", tenant="contoso.onmicrosoft.com", client_id="<client app id>",
        app_id_uri="api://<tenant id>/ConfigMgrService")

A token comes from the first of these that works:

1. the one in memory, while more than a tenth of its life (at most a minute) is left;
2. msal's cache, silently: the cached access token, or a new one for the cached refresh token —
   the persistent cache (``token_cache.py``) makes this work in a new kernel or process;
3. a sign-in by ``flow``: ``"device_code"`` (the default, because it works in remote kernels:
   the person opens a page on any device and types a code) shows a ``DeviceCodePrompt``
   (``prompt.py``) — a widget in a notebook, text in a terminal; ``"interactive"`` opens a browser on this machine
   (a local kernel; the client app needs the redirect URI http://localhost); ``"silent"`` never
   prompts (scripts, scheduled jobs) and fails when the cache holds no sign-in.

After a 401 the transport calls ``refresh()`` — a forced refresh with the refresh token — and
retries once. A refusal that survives that, and every MSAL error dict, becomes an error that
says what to fix (``sign_in_errors.py``).

No token leaves this object except in the ``Authorization`` header: it is held in a ``Secret``
whose repr shows its length only, error messages are redacted (``_secrets.py``, which also
filters msal's own log records), and nothing here logs.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from ...._optional import import_optional
from ...._secrets import redact, redact_logs
from ....errors import AuthenticationError, BackendError, CMPivotError, SignInError
from ..responses import server_message
from .credentials import Credentials
from .prompt import DeviceCodePrompt, Presenter, presenter_for
from .sign_in_errors import Registration, sign_in_error, site_refusal
from .token_cache import CacheInfo, open_token_cache

MSAL_OPTIONS = ("tenant", "client_id", "scope", "app_id_uri", "authority", "flow", "cache", "username", "prompt")
FLOWS = ("device_code", "interactive", "silent")
PUBLIC_CLOUD = "https://login.microsoftonline.com"
ENTRA_HOSTS = frozenset({"login.microsoftonline.com", "login.microsoft.com", "login.windows.net",
                         "login.microsoftonline.us", "login.partner.microsoftonline.cn"})
"""Hosts msal validates against Microsoft's instance discovery; any other authority is taken as given."""
SCOPE_SUFFIXES = ("/user_impersonation", "/.default")


class Secret:
    """A token held where a repr, a log line or a debugger's variable view cannot show it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"<secret: {len(self._value)} characters>"

    __str__ = __repr__


class MsalCredentials(Credentials):
    """An Entra ID sign-in for one client app and scope; see the module docstring."""

    kind = "bearer"

    def __init__(self, registration: Registration, *, flow: str = "device_code", cache: Any = True,
                 username: str | None = None, prompt: str | Presenter = "auto", verify: bool | str = True,
                 timeout: float = 30.0) -> None:
        msal = import_optional("msal", "entra", "Entra ID sign-in (auth='msal')")
        redact_logs(("msal", "msal_extensions"))
        self.registration = registration
        self.flow = _flow(flow)
        self.username = username or None
        self.user: str | None = None
        """Who is signed in (the account's user principal name), once someone is."""
        self.last_source = ""
        """Where the current token came from: cache, refresh, device_code or interactive."""
        self._presenter = presenter_for(prompt)
        self._http = EntraHttp(verify, timeout)
        self._cache, self.cache_info = open_token_cache(cache)
        host = (urlsplit(registration.authority).hostname or "").lower()
        try:
            self._app = msal.PublicClientApplication(
                registration.client_id, authority=registration.authority, token_cache=self._cache,
                http_client=self._http, instance_discovery=None if host in ENTRA_HOSTS else False)
        except ValueError as err:  # msal's OIDC discovery found no tenant there
            raise SignInError(f"Entra ID has no tenant at {registration.authority}",
                              hint=f"check tenant= (the Directory (tenant) ID or a verified domain) and authority=. "
                                   f"msal said: {redact(str(err).split('. ')[0])}") from None
        except requests.RequestException as err:
            raise _unreachable(err, registration.authority) from None
        self._token: Secret | None = None
        self._expires = self._lifetime = 0.0
        self._account: dict[str, Any] | None = None
        self._seen: list[Secret] = []
        self._lock = threading.RLock()

    @classmethod
    def from_options(cls, url: str, *, verify: bool | str = True, **options: Any) -> MsalCredentials:
        """From ``connect()``'s options (``MSAL_OPTIONS``); ``verify`` is the site's TLS setting, used
        for the authority too when it is on the same host (the emulator), else the system's CAs."""
        unknown = sorted(set(options) - set(MSAL_OPTIONS))
        if unknown:
            raise CMPivotError(f"unknown auth='msal' option {unknown[0]!r}", hint=f"options are: {', '.join(MSAL_OPTIONS)}")
        registration = registration_from(**{k: options.get(k) for k in ("tenant", "client_id", "scope", "app_id_uri",
                                                                          "authority")})
        same_host = urlsplit(registration.authority).netloc.lower() == urlsplit(url).netloc.lower()
        return cls(registration, flow=options.get("flow") or "device_code", cache=options.get("cache", True),
                   username=options.get("username"), prompt=options.get("prompt") or "auto",
                   verify=verify if same_host else True)

    # ----------------------------------------------------------------------- the seam

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self._bearer()}"
        return r

    def refresh(self) -> bool:
        """After a 401: a new token from Entra ID (never the cached one); True when it differs."""
        with self._lock:
            before = self._token.reveal() if self._token is not None else None
            self._acquire(force_refresh=True)
            return self._token is not None and self._token.reveal() != before

    def refused(self, error: BackendError, response: requests.Response) -> BackendError:
        return site_refusal(error, response.status_code, server_message(response), user=self.user,
                            reg=self.registration, secrets=self._secrets())

    # ------------------------------------------------------------------- signing in

    def sign_in(self) -> str | None:
        """Get a token now (cache, refresh or a prompt); the signed-in user's name."""
        self._bearer()
        return self.user

    def sign_out(self) -> None:
        """Forget the sign-in here and in the token cache: the next request signs in afresh."""
        with self._lock:
            for account in self._app.get_accounts():
                self._app.remove_account(account)
            self._token, self._account, self.user, self.last_source = None, None, None, ""

    @property
    def expires_in(self) -> float:
        """Seconds the current token has left (0 when there is none)."""
        return max(0.0, self._expires - time.time()) if self._token is not None else 0.0

    def _bearer(self) -> str:
        with self._lock:
            if self._token is None or time.time() >= self._expires - min(60.0, self._lifetime / 10):
                self._acquire(force_refresh=False)
            assert self._token is not None
            return self._token.reveal()

    def _acquire(self, *, force_refresh: bool) -> None:
        result = self._silent(force_refresh)
        if result is not None and "access_token" in result:
            self._store(result, "refresh" if force_refresh or result.get("token_source") != "cache" else "cache")
            return
        if self.flow == "silent":
            if result is not None:
                raise self._error(result)
            raise AuthenticationError(
                f"no Entra ID sign-in for client app {self.registration.client_id} is cached ({self.cache_info})",
                hint="flow='silent' never prompts: sign in once with the default device-code flow (in a notebook "
                     "or `cmpivot --auth msal …` in a terminal) using the same cache, then run this again")
        result = self._device_code() if self.flow == "device_code" else self._browser()
        if "access_token" not in result:
            raise self._error(result)
        self._store(result, self.flow)

    def _silent(self, force_refresh: bool) -> dict[str, Any] | None:
        account = self._account or self._cached_account()
        if account is None:
            return None
        result: dict[str, Any] | None = self._msal(self._app.acquire_token_silent_with_error,
                                                   [self.registration.scope], account, force_refresh=force_refresh)
        return result

    def _cached_account(self) -> dict[str, Any] | None:
        accounts = self._app.get_accounts(username=self.username) if self.username else self._app.get_accounts()
        if len(accounts) > 1:
            names = ", ".join(sorted(str(a.get("username")) for a in accounts))
            raise CMPivotError(f"the token cache holds sign-ins for several accounts: {names}",
                               hint="pass username='…' to pick one (or sign out the others)")
        return accounts[0] if accounts else None

    def _device_code(self) -> dict[str, Any]:
        flow: dict[str, Any] = self._msal(self._app.initiate_device_flow, scopes=[self.registration.scope])
        if "user_code" not in flow:
            return flow
        settle = self._presenter(DeviceCodePrompt.from_flow(flow))
        outcome: dict[str, Any] = {"error": "cancelled", "error_description": "the sign-in was interrupted"}
        try:
            outcome = self._msal(self._app.acquire_token_by_device_flow, flow)
        finally:
            flow.clear()  # the device code, which a poller trades for tokens, goes no further
            if settle is not None:
                settle(outcome)
        return outcome

    def _browser(self) -> dict[str, Any]:
        def announce(**_: Any) -> None:
            print("Opening a browser to sign in to Entra ID…", file=sys.stderr, flush=True)

        result: dict[str, Any] = self._msal(self._app.acquire_token_interactive, [self.registration.scope],
                                            prompt="select_account", login_hint=self.username, timeout=600,
                                            on_before_launching_ui=announce)
        return result

    def _store(self, result: Mapping[str, Any], source: str) -> None:
        self._token = Secret(str(result["access_token"]))
        self._lifetime = float(result.get("expires_in") or 3600)
        self._expires = time.time() + self._lifetime
        self.last_source = source
        for key in ("access_token", "refresh_token", "id_token"):
            if result.get(key):
                self._seen = [*self._seen[-7:], Secret(str(result[key]))]
        claims = result.get("id_token_claims") or {}
        name = claims.get("preferred_username") or claims.get("upn")
        if self._account is None:
            matches = self._app.get_accounts(username=name) if name else []
            self._account = matches[0] if matches else self._cached_account()
        self.user = str(name or (self._account or {}).get("username") or self.user or "") or None

    def _msal(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call msal; a network failure becomes our error (with no request body in it)."""
        try:
            return call(*args, **kwargs)
        except requests.RequestException as err:
            raise _unreachable(err, self.registration.authority) from None

    def _error(self, result: Mapping[str, Any]) -> AuthenticationError:
        return sign_in_error(result, self.registration, user=self.user or self.username, secrets=self._secrets())

    def _secrets(self) -> list[str]:
        return [s.reveal() for s in self._seen]

    def __repr__(self) -> str:
        reg = self.registration
        state = f"signed in as {self.user}" if self._token is not None else "not signed in"
        if self._token is not None:
            state += f", token valid for {int(self.expires_in // 60)} min"
        return (f"MsalCredentials({state}; tenant={reg.tenant!r}, client_id={reg.client_id!r}, scope={reg.scope!r}, "
                f"flow={self.flow!r}, cache={str(self.cache_info)!r})")


class EntraHttp(requests.Session):
    """msal's HTTP client: a timeout on every call, and ``verify`` applied per request (a Session's
    own ``verify`` loses to ``$REQUESTS_CA_BUNDLE``)."""

    def __init__(self, verify: bool | str = True, timeout: float = 30.0) -> None:
        super().__init__()
        self.entra_verify, self.timeout = verify, timeout

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        kwargs.setdefault("verify", self.entra_verify)
        return super().request(method, url, *args, **kwargs)

    def __repr__(self) -> str:
        return f"EntraHttp(verify={self.entra_verify!r}, timeout={self.timeout})"


def registration_from(*, tenant: str | None = None, client_id: str | None = None, scope: str | None = None,
                      app_id_uri: str | None = None, authority: str | None = None) -> Registration:
    """Check and complete the sign-in options: scope from the App ID URI, authority from the tenant."""
    tenant = (tenant or "").strip() or None
    authority = (authority or "").strip().rstrip("/") or None
    if authority and urlsplit(authority).scheme != "https":
        raise CMPivotError(f"authority={authority!r} is not an https URL",
                           hint=f"for example {PUBLIC_CLOUD}/<tenant>")
    if authority and not urlsplit(authority).path.strip("/"):
        if tenant is None:
            raise CMPivotError("authority= has no tenant in its path, and no tenant= was given",
                               hint=f"pass tenant='…' or authority='{authority}/<tenant>'")
        authority = f"{authority}/{tenant}"
    if authority and tenant is None:
        tenant = urlsplit(authority).path.strip("/").split("/")[0]
    scope = (scope or "").strip() or None
    app_id_uri = (app_id_uri or "").strip().rstrip("/") or None
    if scope and not scope.endswith(SCOPE_SUFFIXES):
        raise CMPivotError(f"scope={scope!r} names no permission",
                           hint=f"pass app_id_uri={scope!r} (the scope becomes {scope.rstrip('/')}/user_impersonation) "
                                f"or scope='{scope.rstrip('/')}/user_impersonation'")
    if scope and app_id_uri and scope.rsplit("/", 1)[0] != app_id_uri:
        raise CMPivotError(f"scope={scope!r} is not a scope of app_id_uri={app_id_uri!r}", hint="pass one of them")
    missing = [name for name, value in (("client_id", client_id), ("tenant", tenant),
                                        ("app_id_uri", scope or app_id_uri)) if not value]
    if missing:
        raise CMPivotError(
            f"auth='msal' needs {', '.join(n + '=' for n in missing)}",
            hint="the site's Azure Services (Cloud Management) registration names them: tenant= is the Directory "
                 "(tenant) ID, client_id= the native (client) app's Application ID, app_id_uri= the server (web) "
                 "app's App ID URI (e.g. api://<tenant id>/ConfigMgrService; scope= is it + /user_impersonation)")
    assert client_id is not None and tenant is not None
    return Registration(client_id=str(client_id).strip(), tenant=tenant,
                        scope=scope or f"{app_id_uri}/user_impersonation",
                        authority=authority or f"{PUBLIC_CLOUD}/{tenant}")


def _flow(flow: str) -> str:
    name = str(flow).strip().lower().replace("-", "_")
    name = {"device": "device_code", "devicecode": "device_code", "browser": "interactive"}.get(name, name)
    if name not in FLOWS:
        raise CMPivotError(f"unknown flow={flow!r}", hint=f"flow is one of: {', '.join(FLOWS)}")
    return name


def _unreachable(err: requests.RequestException, authority: str) -> BackendError:
    if isinstance(err, requests.exceptions.SSLError):
        return BackendError(f"Entra ID's TLS certificate at {authority} is not trusted",
                            hint="a TLS-inspecting proxy needs its root in REQUESTS_CA_BUNDLE; against the emulator, "
                                 "pass verify='<its ca.pem>'")
    return BackendError(f"could not reach Entra ID at {authority}: {type(err).__name__}",
                        hint="check the network and any proxy (HTTPS_PROXY); authority= must be reachable from the "
                             "kernel, not only from your browser")


__all__ = ["FLOWS", "MSAL_OPTIONS", "CacheInfo", "EntraHttp", "MsalCredentials", "Secret", "registration_from"]
