"""The Entra ID stand-in's tokens, and the emulated AdminService checking them: signature, audience,
issuer, expiry, scope and user — as the real site does with Entra ID's."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from cmpivot_magic.emulator import Emulator


def device_code_tokens(emulator: Emulator, user: str | None = None) -> dict[str, Any]:
    """A device-code sign-in done by hand over HTTPS: start, approve by GET, redeem."""
    entra, ca = emulator.entra, emulator.ca_path
    token_url = f"{entra.authority}/oauth2/v2.0/token"
    flow = requests.post(f"{entra.authority}/oauth2/v2.0/devicecode", verify=ca, timeout=10,
                         data={"client_id": entra.client_id, "scope": f"{entra.scope} offline_access openid"}).json()
    grant = {"grant_type": "urn:ietf:params:oauth:grant-type:device_code", "client_id": entra.client_id,
             "device_code": flow["device_code"]}
    pending = requests.post(token_url, data=grant, verify=ca, timeout=10)
    assert pending.status_code == 400 and pending.json()["error"] == "authorization_pending"
    requests.get(flow["verification_uri"], params={"user": user} if user else {}, verify=ca, timeout=10)
    answer: dict[str, Any] = requests.post(token_url, data=grant, verify=ca, timeout=10).json()
    return answer


def devices(emulator: Emulator, token: str) -> requests.Response:
    return requests.get(f"{emulator.url}/v1.0/Device", headers={"Authorization": f"Bearer {token}"},
                        verify=emulator.ca_path, timeout=10)


def test_tokens_verify_against_the_published_keys(emulator: Emulator) -> None:
    """OIDC discovery names the JWKS; its key verifies the access token, whose audience is the
    App ID URI and whose scope is user_impersonation."""
    entra = emulator.entra
    config = requests.get(f"{entra.authority}/v2.0/.well-known/openid-configuration", verify=emulator.ca_path,
                          timeout=10).json()
    keys = requests.get(config["jwks_uri"], verify=emulator.ca_path, timeout=10).json()["keys"]
    access = device_code_tokens(emulator)["access_token"]
    key = jwt.PyJWK(keys[0]).key
    claims = jwt.decode(access, key, algorithms=["RS256"], audience=entra.app_id_uri, issuer=config["issuer"])
    assert claims["scp"] == "user_impersonation" and claims["upn"] == "cmadmin@contoso.example"
    assert claims["appid"] == entra.client_id and claims["exp"] - claims["iat"] == entra.lifetime
    assert devices(emulator, access).status_code == 200


def test_the_site_refuses_tokens_that_do_not_verify(emulator: Emulator) -> None:
    """Wrong signer, wrong audience, expired, no user_impersonation: 401 invalid_token each."""
    entra = emulator.entra
    good = jwt.decode(device_code_tokens(emulator)["access_token"], options={"verify_signature": False})
    own_key = entra._key
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    cases = {
        "signature": (stranger, {}),
        "audience": (own_key, {"aud": "https://ConfigMgrService"}),
        "expired": (own_key, {"iat": now - 100, "nbf": now - 100, "exp": now - 1}),
        "scope": (own_key, {"scp": "User.Read"}),
    }
    for name, (key, changes) in cases.items():
        forged = jwt.encode({**good, **changes}, key, algorithm="RS256", headers={"kid": entra.kid})
        answer = devices(emulator, forged)
        assert answer.status_code == 401, name
        assert 'error="invalid_token"' in answer.headers["WWW-Authenticate"], name


def test_the_site_refuses_a_user_who_is_not_an_administrator(emulator: Emulator) -> None:
    access = device_code_tokens(emulator, user="guest@contoso.example")["access_token"]
    answer = devices(emulator, access)
    assert answer.status_code == 401 and "not a Configuration Manager administrative user" in answer.text


def test_the_static_scripts_token_still_works(emulator: Emulator) -> None:
    assert devices(emulator, emulator.token).status_code == 200


def test_refresh_tokens_rotate(emulator: Emulator) -> None:
    """A refresh token buys one new set of tokens; reusing it is refused (Entra ID's invalid_grant)."""
    entra = emulator.entra
    first = device_code_tokens(emulator)
    grant = {"grant_type": "refresh_token", "client_id": entra.client_id, "refresh_token": first["refresh_token"],
             "scope": entra.scope}
    url = f"{entra.authority}/oauth2/v2.0/token"
    second = requests.post(url, data=grant, verify=emulator.ca_path, timeout=10).json()
    assert second["access_token"] != first["access_token"] and devices(emulator, second["access_token"]).ok
    again = requests.post(url, data=grant, verify=emulator.ca_path, timeout=10)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_failure_switches_are_checked(emulator: Emulator) -> None:
    with pytest.raises(ValueError, match="fail is one of"):
        emulator.entra.fail = "nonsense"
