"""The one ``redact()`` (``_secrets.py``) and the one ``import_optional`` (``_optional.py``): one rule each."""

from __future__ import annotations

import logging

import pytest

from cmpivot_magic._optional import import_optional
from cmpivot_magic._secrets import REMOVED, SECRET_KEY, redact, redact_logs
from cmpivot_magic.errors import CMPivotError

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJ1cG4iOiJhbGljZUBjb250b3NvLmNvbSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"
REFRESH = "0.ARwA" + "x" * 80
SHA256 = "a" * 64


def test_a_jwt_is_removed_wherever_it_is() -> None:
    assert redact(f"token {JWT}, seen") == f"token {REMOVED}, seen"
    assert redact(f"token {JWT}", thorough=False) == f"token {REMOVED}"


def test_the_value_after_bearer_is_removed_whatever_its_shape() -> None:
    assert redact("Authorization: Bearer 0123456789abcdef0123") == f"Authorization: Bearer {REMOVED}"
    assert redact("bearer abc%2Fdef:ghi", mark="<redacted>", thorough=False) == "bearer <redacted>"


def test_thorough_redaction_also_removes_secret_fields_long_opaque_runs_and_known_values() -> None:
    """In messages and logs: ``refresh_token=…``, a refresh token by its length, a value the caller knows."""
    assert redact("refresh_token=abc123&client_id=x") == f"refresh_token={REMOVED}&client_id=x"
    assert redact('{"password": "hunter22"}') == '{"password": "' + REMOVED + '"}'
    assert redact(f"got {REFRESH} back") == f"got {REMOVED} back"
    assert redact("the secret is s3cr3t-value", secrets=["s3cr3t-value"]) == f"the secret is {REMOVED}"
    assert redact("password=****") == "password=****"  # already masked: left as it is


def test_data_keeps_its_codes_and_hashes() -> None:
    """``thorough=False`` (a site's data, a prompt): ``code: 0`` and a SHA-256 are content, not tokens."""
    text = f"exited with code: 0, SHA256 {SHA256}"
    assert redact(text, thorough=False) == text
    assert redact(text) != text


def test_secret_keys_name_credentials_in_json() -> None:
    assert all(SECRET_KEY.match(k) for k in ("access_token", "refreshToken", "Authorization", "password"))
    assert not any(SECRET_KEY.match(k) for k in ("code", "ExitCode", "TokenCount"))


def test_redacted_logs_never_show_a_token(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("cmpivot_test_library.http")
    redact_logs(("cmpivot_test_library",))
    with caplog.at_level(logging.DEBUG, logger="cmpivot_test_library"):
        logger.debug("POST body: device_code=%s&client_id=1", REFRESH)
    assert REFRESH not in caplog.text and REMOVED in caplog.text


def test_a_missing_optional_package_names_the_pip_install() -> None:
    with pytest.raises(CMPivotError) as err:
        import_optional("cmpivot_no_such_package", "entra", "Entra ID sign-in", package="no-such")
    assert err.value.message == "Entra ID sign-in needs the no-such package"
    assert err.value.hint == 'pip install "cmpivot-magic[entra]"'
    assert import_optional("json", "core", "reading JSON").dumps([]) == "[]"
