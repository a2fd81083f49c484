"""auth="msal" end to end: the real msal library signs in against the Entra ID stand-in, and the
emulated AdminService accepts (and verifies) the tokens it issues."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

import cmpivot_magic as cm
from cmpivot_magic.backends.adminservice.auth.msal import MsalCredentials
from cmpivot_magic.emulator import Emulator

Options = Callable[..., dict[str, Any]]
Approver = Any  # conftest.Approver
QUERY = "OS | summarize count() by Caption"


def credentials(session: cm.Session) -> MsalCredentials:
    creds = session.backend.credentials  # type: ignore[attr-defined]
    assert isinstance(creds, MsalCredentials)
    return creds


def test_device_code_sign_in(emulator: Emulator, options: Options, approver: Approver) -> None:
    """connect() signs in with the device-code flow: the prompt has message, code, page and expiry;
    a GET on the page approves the code; the site then accepts the token for that user."""
    session = cm.connect(emulator.url, **options())
    creds = credentials(session)
    assert creds.user == "cmadmin@contoso.example" and creds.last_source == "device_code"
    prompt = approver.prompts[0]
    assert prompt.user_code in prompt.message and prompt.verification_uri == emulator.entra.verification_uri
    assert 0 < prompt.remaining().total_seconds() <= 900
    assert "Signed in as cmadmin@contoso.example" in approver.pages[0]
    assert approver.outcomes == ["signed in"]
    result = session.run(QUERY, collection="SMS00001")
    assert result.df["count_"].sum() > 0
    assert {upn for _, upn in emulator.entra.accepted} == {"cmadmin@contoso.example"}
    assert emulator.entra.counts["devicecode"] == 1 and emulator.entra.counts["refresh_token"] == 0


def test_a_bare_get_on_the_verification_url_approves_the_pending_code(emulator: Emulator, options: Options,
                                                                      make_approver: Callable[..., Approver]) -> None:
    """Scripts need not know the code: opening the verification URL approves what is pending."""
    bare = make_approver()

    def prompt(p: Any) -> None:
        bare.open(p.verification_uri)

    session = cm.connect(emulator.url, **options(prompt=prompt))
    assert credentials(session).user == "cmadmin@contoso.example"
    assert "on 1 device" in bare.pages[0]


def test_silent_reuse_of_the_persisted_cache_in_a_new_process(emulator: Emulator, options: Options,
                                                              cache_path: Path) -> None:
    """The sign-in survives the process: a new one (flow='silent', which never prompts) runs a
    query from the persisted cache; the cache file is readable by its owner only."""
    cm.connect(emulator.url, **options())
    assert emulator.entra.counts["devicecode"] == 1
    if os.name == "posix" and cache_path.exists():
        assert stat.S_IMODE(cache_path.stat().st_mode) == 0o600
        assert stat.S_IMODE(cache_path.parent.stat().st_mode) == 0o700
    child = {k: v for k, v in options(flow="silent").items() if k not in ("prompt", "poll_interval", "request_timeout")}
    script = ("import json, sys\nimport cmpivot_magic as cm\n"
              "options = json.loads(sys.argv[1])\nsession = cm.connect(options.pop('url'), **options)\n"
              f"result = session.run({QUERY!r}, collection='SMS00001')\ncreds = session.backend.credentials\n"
              "print(json.dumps({'user': creds.user, 'source': creds.last_source, 'count': int(result.df['count_'].sum()),"
              " 'repr': repr(creds)}))\n")
    done = subprocess.run([sys.executable, "-c", script, json.dumps({"url": emulator.url, **child})],
                          capture_output=True, text=True, timeout=60, env={**os.environ})
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["user"] == "cmadmin@contoso.example" and answer["source"] == "cache" and answer["count"] > 0
    assert emulator.entra.counts["devicecode"] == 1  # no new sign-in
    for secret in emulator.entra.issued:
        assert secret not in done.stdout + done.stderr


def test_silent_flow_without_a_cached_sign_in_says_how_to_get_one(emulator: Emulator, options: Options) -> None:
    with pytest.raises(cm.AuthenticationError) as caught:
        cm.connect(emulator.url, **options(flow="silent"))
    assert "no Entra ID sign-in" in caught.value.message and "device-code" in str(caught.value.hint)
    assert emulator.entra.counts["devicecode"] == 0


def test_refresh_after_expiry(emulator: Emulator, options: Options) -> None:
    """An expired access token is refused by the site, so the client refreshes it with the refresh
    token before sending — no new prompt."""
    emulator.entra.lifetime = 2
    session = cm.connect(emulator.url, **options())
    creds = credentials(session)
    first = creds._token.reveal() if creds._token is not None else ""
    assert len(session.devices()) == 20
    time.sleep(2.1)
    stale = requests.get(f"{emulator.url}/v1.0/Device", headers={"Authorization": f"Bearer {first}"},
                         verify=emulator.ca_path, timeout=10)
    assert stale.status_code == 401 and "expired" in stale.text
    assert len(session.devices()) == 20
    assert creds.last_source == "refresh" and emulator.entra.counts["refresh_token"] >= 1
    assert emulator.entra.counts["devicecode"] == 1


def test_retry_after_a_401(emulator: Emulator, options: Options) -> None:
    """A 401 makes the transport ask msal for a new token (a forced refresh) and retry once."""
    session = cm.connect(emulator.url, **options())
    before = emulator.requests.get("devices", 0)
    with emulator.fault("status", "devices", status=401, times=1):
        assert len(session.devices()) == 20
    assert emulator.requests["devices"] - before == 2
    assert emulator.entra.counts["refresh_token"] == 1
    jtis = [jti for jti, _ in emulator.entra.accepted]
    assert len(set(jtis[-2:])) == 2  # the retry carried the new token
    assert credentials(session).last_source == "refresh"


def test_interactive_browser_flow(emulator: Emulator, options: Options, monkeypatch: pytest.MonkeyPatch) -> None:
    """flow='interactive': msal opens a browser at the authorize URL; the stand-in signs the user in
    and posts the code back to msal's loopback listener, which trades it (with PKCE) for tokens."""
    import re
    import threading

    opened: list[str] = []

    def browse(url: str, *_: Any, **__: Any) -> bool:
        opened.append(url)

        def person() -> None:
            page = requests.get(url, verify=emulator.ca_path, timeout=10).text
            action = re.search(r'action="([^"]+)"', page)
            fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page))
            assert action is not None
            requests.post(action.group(1).replace("&amp;", "&"), data=fields, timeout=10)

        threading.Thread(target=person, daemon=True).start()
        return True

    monkeypatch.setattr(webbrowser, "open", browse)
    session = cm.connect(emulator.url, **options(flow="interactive", cache=False))
    assert credentials(session).user == "cmadmin@contoso.example"
    assert credentials(session).last_source == "interactive"
    assert opened and "response_mode=form_post" in opened[0] and "code_challenge=" in opened[0]
    assert emulator.entra.counts["authorization_code"] == 1
    assert len(session.devices()) == 20


def test_cache_false_keeps_the_sign_in_in_memory_only(emulator: Emulator, options: Options, cache_path: Path) -> None:
    session = cm.connect(emulator.url, **options(cache=False))
    assert "memory only" in repr(credentials(session))
    assert not cache_path.exists()
    cm.connect(emulator.url, **options(cache=False))
    assert emulator.entra.counts["devicecode"] == 2  # nothing to reuse


def test_sign_out_forgets_the_cached_sign_in(emulator: Emulator, options: Options) -> None:
    session = cm.connect(emulator.url, **options())
    credentials(session).sign_out()
    with pytest.raises(cm.AuthenticationError, match="no Entra ID sign-in"):
        cm.connect(emulator.url, **options(flow="silent"))


def test_the_emulator_command_prints_the_sign_in_settings(emulator: Emulator) -> None:
    """`cmpivot emulator` names what `--auth msal` needs; msal's OIDC discovery answers there."""
    import io
    import threading

    from cmpivot_magic.emulator import cli as emulator_cli

    out, stop = io.StringIO(), threading.Event()
    thread = threading.Thread(target=emulator_cli.main, args=(["--devices", "5", "--token-lifetime", "60"],),
                              kwargs={"stdout": out, "stop": stop})
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while "scope:" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.02)
        printed = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
        assert printed["scope"].endswith("/user_impersonation") and printed["client_id"]
        config = requests.get(f"{printed['authority']}/v2.0/.well-known/openid-configuration", verify=printed["ca"],
                              timeout=10).json()
        assert config["device_authorization_endpoint"].startswith(printed["authority"])
    finally:
        stop.set()
        thread.join(10)
