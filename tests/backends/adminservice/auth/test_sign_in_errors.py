"""Each way an Entra ID sign-in goes wrong, caused for real on the stand-in, becomes a typed error
whose message names the cause (with Entra ID's AADSTS code) and whose hint says what to do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import cmpivot_magic as cm
from cmpivot_magic.emulator import Emulator
from cmpivot_magic.errors import (
    ConsentRequiredError,
    MfaRequiredError,
    NotAdministrativeUserError,
    PublicClientFlowsDisabledError,
    SignInError,
    UnknownAppIdUriError,
)

Options = Callable[..., dict[str, Any]]


def test_consent_missing(emulator: Emulator, options: Options) -> None:
    """AADSTS65001 → ConsentRequiredError: grant admin consent for user_impersonation."""
    emulator.entra.fail = "consent"
    with pytest.raises(ConsentRequiredError) as caught:
        cm.connect(emulator.url, **options())
    err = caught.value
    assert err.code == 65001 and "AADSTS65001" in err.message and emulator.entra.client_id in err.message
    assert "user_impersonation" in str(err.hint) and "Grant admin consent" in str(err.hint)
    assert err.trace_id and err.correlation_id and err.correlation_id in err.message


def test_public_client_flows_disabled(emulator: Emulator, options: Options) -> None:
    """AADSTS7000218 → PublicClientFlowsDisabledError: set 'Allow public client flows' to Yes."""
    emulator.entra.fail = "public_client"
    with pytest.raises(PublicClientFlowsDisabledError) as caught:
        cm.connect(emulator.url, **options())
    assert "AADSTS7000218" in caught.value.message
    assert "'Allow public client flows' to Yes" in str(caught.value.hint)


def test_wrong_app_id_uri(emulator: Emulator, options: Options) -> None:
    """A scope for an App ID URI the tenant lacks → AADSTS500011 → UnknownAppIdUriError, before any prompt."""
    with pytest.raises(UnknownAppIdUriError) as caught:
        cm.connect(emulator.url, **options(scope=None, app_id_uri="https://ConfigMgrSvc"))
    err = caught.value
    assert "AADSTS500011" in err.message and "'https://ConfigMgrSvc'" in err.message
    assert "Expose an API" in str(err.hint) and "user_impersonation" in str(err.hint)
    assert emulator.entra.counts["devicecode"] == 1 and not emulator.entra.pending()


def test_user_not_a_configmgr_administrator(emulator: Emulator, options: Options,
                                            make_approver: Callable[..., Any]) -> None:
    """Entra ID signs the user in, but the site refuses the valid token (401 even after a refresh):
    NotAdministrativeUserError names the user and the Administrative Users node."""
    session = cm.connect(emulator.url, **options(prompt=make_approver(user="guest@contoso.example")))
    with pytest.raises(NotAdministrativeUserError) as caught:
        session.devices()
    err = caught.value
    assert "guest@contoso.example" in err.message and "(401)" in err.message
    assert "Administrative Users" in str(err.hint) and "UPN" in str(err.hint)
    assert emulator.entra.counts["refresh_token"] == 1  # the one retry with a fresh token


def test_mfa_required_then_satisfied(emulator: Emulator, options: Options, make_approver: Callable[..., Any]) -> None:
    """AADSTS50076 → MfaRequiredError saying to sign in again with MFA; doing so works."""
    emulator.entra.fail = "mfa"
    with pytest.raises(MfaRequiredError) as caught:
        cm.connect(emulator.url, **options())
    assert caught.value.code == 50076 and "multi-factor" in caught.value.message
    assert "complete the MFA prompt" in str(caught.value.hint)
    session = cm.connect(emulator.url, **options(prompt=make_approver(method="mfa")))
    assert len(session.devices()) == 20


def test_mfa_enrollment_required(emulator: Emulator, options: Options) -> None:
    """AADSTS50079 → MfaRequiredError saying to register an MFA method first."""
    emulator.entra.fail = "mfa_enroll"
    with pytest.raises(MfaRequiredError) as caught:
        cm.connect(emulator.url, **options())
    assert "AADSTS50079" in caught.value.message and "register an MFA method" in str(caught.value.hint)


def test_windows_hello_required_by_the_site(emulator: Emulator, options: Options,
                                            make_approver: Callable[..., Any]) -> None:
    """The SMS Provider's Windows Hello for Business authentication level refuses a password sign-in
    (403) → MfaRequiredError saying to sign out and sign in with Windows Hello."""
    emulator.entra.require_windows_hello = True
    session = cm.connect(emulator.url, **options())
    with pytest.raises(MfaRequiredError) as caught:
        session.devices()
    assert "Windows Hello" in caught.value.message and "sign_out()" in str(caught.value.hint)
    session.backend.credentials.sign_out()  # type: ignore[attr-defined]
    again = cm.connect(emulator.url, **options(prompt=make_approver(method="windows_hello")))
    assert len(again.devices()) == 20


def test_unknown_client_id(emulator: Emulator, options: Options) -> None:
    """AADSTS700016 → SignInError pointing at client_id=."""
    with pytest.raises(SignInError) as caught:
        cm.connect(emulator.url, **options(client_id="00000000-0000-0000-0000-000000000000"))
    assert "AADSTS700016" in caught.value.message and "client_id=" in str(caught.value.hint)


def test_missing_options_say_where_to_find_them(emulator: Emulator) -> None:
    with pytest.raises(cm.CMPivotError) as caught:
        cm.connect(emulator.url, auth="msal", tenant="contoso.example", verify=emulator.ca_path, history=None)
    assert "client_id=" in caught.value.message and "app_id_uri=" in caught.value.message
    assert "Application ID" in str(caught.value.hint)


def test_a_scope_without_a_permission_suggests_app_id_uri(emulator: Emulator, options: Options) -> None:
    with pytest.raises(cm.CMPivotError) as caught:
        cm.connect(emulator.url, **options(scope="https://ConfigMgrService"))
    assert "app_id_uri='https://ConfigMgrService'" in str(caught.value.hint)


def test_sign_in_options_without_auth_msal_are_refused(emulator: Emulator) -> None:
    with pytest.raises(cm.CMPivotError, match="only apply to an Entra ID sign-in"):
        cm.connect(emulator.url, token=emulator.token, tenant="contoso.example", verify=emulator.ca_path, history=None)


def test_unknown_tenant(emulator: Emulator, options: Options) -> None:
    with pytest.raises(SignInError, match="no tenant at"):
        cm.connect(emulator.url, **options(authority=f"{emulator.entra.origin}/nosuchtenant", tenant=None))
