"""Every HTTP error status, and every way a request can fail to get one, becomes our error with a
message that says what to do."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from requests.auth import AuthBase

import cmpivot_magic as cm
from cmpivot_magic.backends.adminservice.responses import is_pending
from cmpivot_magic.emulator import Emulator
from cmpivot_magic.errors import AuthenticationError, BackendError, PermissionDeniedError


class _NTLM(AuthBase):
    """What an NTLM-only client (requests_ntlm) sends first."""

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = "NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw=="
        return r


def test_401_bad_token(connect: Callable[..., cm.Session]) -> None:
    """A refused bearer token: expiry, audience, ConfigMgr admin, Entra app role."""
    with pytest.raises(AuthenticationError) as caught:
        connect(token="not-a-token").collections()
    text = str(caught.value)
    assert "401" in text and "bearer token was refused" in text and "user_impersonation" in text


def test_401_ntlm_is_rejected_since_2509(connect: Callable[..., cm.Session]) -> None:
    """NTLM refused: use Kerberos (FQDN, a ticket, the negotiate extra)."""
    session = requests.Session()
    session.auth = _NTLM()
    session.verify = connect().backend.client.transport.session.verify  # type: ignore[attr-defined]
    with pytest.raises(AuthenticationError) as caught:
        connect(session=session).collections()
    text = str(caught.value)
    assert "Rejecting NTLM authentication." in text
    assert "2509" in text and "Kerberos" in text and "FQDN" in text and "cmpivot-magic[negotiate]" in text


def test_401_refreshes_the_token_once(connect: Callable[..., cm.Session], emulator: Emulator) -> None:
    """A token provider is asked again after a 401, and the request retried with the new token."""
    tokens = iter(["expired-token", emulator.token, emulator.token])
    calls: list[str] = []

    def provider() -> str:
        calls.append("called")
        return next(tokens)

    assert len(connect(token=provider).collections()) > 0
    assert len(calls) == 2


def test_403_outside_the_permitted_collections(connect: Callable[..., cm.Session], emulator: Emulator) -> None:
    """Read on the collection and Run CMPivot; a restricted role gets 403 elsewhere."""
    token = emulator.add_token(run=["CON00011"])
    session = connect(token=token)
    assert len(session.run("OS", collection="CON00011").status) > 0
    with pytest.raises(PermissionDeniedError) as caught:
        session.run("OS", collection="CON00010")
    text = str(caught.value)
    assert "(403)" in text and "Read on the collection and Run CMPivot" in text and "Admin User" not in text
    workstation = str(session.backend.collection_members("CON00010")[0].name)  # type: ignore[attr-defined]
    with pytest.raises(PermissionDeniedError):
        session.run("OS", devices=[workstation])


def test_403_in_tenant_attach_names_the_admin_user_role(connect: Callable[..., cm.Session],
                                                        emulator: Emulator) -> None:
    token = emulator.add_token(run=["CON00011"])
    session = connect(token=token, profile="tenant-attach")
    workstation = str(session.backend.collection_members("CON00010")[0].name)  # type: ignore[attr-defined]
    with pytest.raises(PermissionDeniedError) as caught:
        session.run("OS", devices=[workstation])
    assert "'Admin User' role on the 'Configuration Manager Microservice'" in str(caught.value)


def test_404_with_an_access_denied_body(connect: Callable[..., cm.Session], emulator: Emulator) -> None:
    """A 404 whose body says WMI access was denied is a permission problem, not "not ready"."""
    with (
        emulator.fault("status", "result", status=404, message="Access denied  WMI QUERY: "),
        pytest.raises(PermissionDeniedError) as caught,
    ):
        connect().run("OS", collection="CON00011")
    assert "Access denied" in str(caught.value) and "WMI namespace" in str(caught.value)


def test_404_not_ready_is_polled_through(connect: Callable[..., cm.Session], emulator: Emulator) -> None:
    """CMPivotResult's 404 with no error body (or any other body) means "not ready yet"."""
    with emulator.fault("status", "result", status=404, times=4, message="Operation not ready"):
        result = connect().run("OS", collection="CON00011")
    assert result.devices_answered > 0


def test_404_for_something_missing(connect: Callable[..., cm.Session]) -> None:
    client = connect().backend.client  # type: ignore[attr-defined]
    with pytest.raises(BackendError, match=r"not found \(404\)"):
        client.run_on_device(1234, "OS")
    with pytest.raises(BackendError, match=r"not found \(404\).*No HTTP resource"):
        client.list("v1.0/NoSuchClass", action="list things")


def test_400_bad_request(connect: Callable[..., cm.Session], emulator: Emulator) -> None:
    with (
        emulator.fault("status", "run", status=400, message="KustoParser: unexpected token"),
        pytest.raises(BackendError) as caught,
    ):
        connect().run("FileContent('c:\\\\windows\\\\SMSCFG.ini')", collection="CON00011")
    assert "400 Bad Request" in str(caught.value) and "KustoParser" in str(caught.value)
    assert "FileContent" in str(caught.value)


@pytest.mark.parametrize(("status", "words"), [
    (429, ["throttling", "200 requests per client IP"]),
    (500, ["500 Internal Server Error", "SMS_REST_PROVIDER", "double hop"]),
    (503, ["503 Service Unavailable", "SMS_REST_PROVIDER", "constrained delegation"]),
    (502, ["gateway", "cloud management gateway"]),
    (504, ["gateway", "proxy"]),
])
def test_server_errors_after_retries(connect: Callable[..., cm.Session], emulator: Emulator, status: int,
                                     words: list[str]) -> None:
    """Retried first; what persists says where to look."""
    before = emulator.requests.get("collections", 0)
    with emulator.fault("status", "collections", status=status), pytest.raises(BackendError) as caught:
        connect(retries=2).collections()
    assert emulator.requests["collections"] - before == 3
    for word in words:
        assert word in str(caught.value)


def test_untrusted_certificate(emulator: Emulator) -> None:
    """TLS verification is on by default; the message says how to pass the site's root."""
    with pytest.raises(BackendError) as caught:
        cm.connect(emulator.url, token=emulator.token, retries=0).collections()
    assert "not trusted" in str(caught.value) and "verify=" in str(caught.value)


def test_dropped_connections_after_retries(connect: Callable[..., cm.Session], emulator: Emulator) -> None:
    with (
        emulator.fault("drop", "collections"),
        pytest.raises(BackendError, match="could not reach the AdminService"),
    ):
        connect(retries=1).collections()


def test_no_answer_in_time(connect: Callable[..., cm.Session], emulator: Emulator) -> None:
    with (
        emulator.fault("slow", "collections", delay=0.3),
        pytest.raises(BackendError, match="did not answer in time"),
    ):
        connect(retries=0, request_timeout=(2.0, 0.1)).collections()


def test_malformed_json_after_retries(connect: Callable[..., cm.Session], emulator: Emulator) -> None:
    with emulator.fault("malformed", "collections"), pytest.raises(BackendError, match="not valid JSON"):
        connect(retries=1).collections()


def test_negotiate_without_its_extra() -> None:
    """auth='negotiate' needs requests-kerberos (or -negotiate-sspi): the message says how to install."""
    try:
        import requests_kerberos  # noqa: F401
    except ImportError:
        with pytest.raises(cm.CMPivotError, match=r'pip install "cmpivot-magic\[negotiate\]"'):
            cm.connect("https://cm01.contoso.com/AdminService", auth="negotiate")
    else:
        session = cm.connect("https://cm01.contoso.com/AdminService", auth="negotiate")
        assert session.backend.client.transport.credentials.kind == "negotiate"  # type: ignore[attr-defined]


def test_auth_choices() -> None:
    with pytest.raises(cm.CMPivotError, match="auth='msal' needs client_id=, tenant=, app_id_uri="):
        cm.connect("https://cm01.contoso.com/AdminService_TokenAuth", auth="msal")  # auth/ signs in for real
    with pytest.raises(cm.CMPivotError, match="takes an Entra ID bearer token"):
        cm.connect("https://cm01.contoso.com/AdminService_TokenAuth")
    with pytest.raises(cm.CMPivotError, match="unknown AdminService option 'tokn'"):
        cm.connect("https://cm01.contoso.com/AdminService", tokn="x")
    session = cm.connect("https://cm01.contoso.com", token="abc")
    assert session.url == "https://cm01.contoso.com/AdminService"
    assert "abc" not in repr(session.backend.client.transport.credentials)  # type: ignore[attr-defined]


def test_pending_404_classification() -> None:
    def response(status: int, body: str) -> requests.Response:
        r = requests.Response()
        r.status_code, r._content = status, body.encode()
        return r

    assert is_pending(response(404, ""))
    assert is_pending(response(404, '{"error":{"code":"404","message":"Operation not ready"}}'))
    assert not is_pending(response(404, '{"error":{"code":"404","message":"Access denied  WMI QUERY: "}}'))
    assert not is_pending(response(404, '{"Message":"No HTTP resource was found that matches the request URI"}'))
    assert not is_pending(response(200, ""))
