"""Tokens never appear in outputs, reprs, logs, exception messages or notebook outputs.

Each test signs in for real, queries, provokes errors, and then looks for every secret the Entra
ID stand-in handed out (access, refresh and ID tokens, device and authorization codes) — and for
anything JWT-shaped — in all the text a person, a log file or a saved notebook would get.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

import pytest

import cmpivot_magic as cm
from cmpivot_magic import cli
from cmpivot_magic.emulator import Emulator
from cmpivot_magic.widgets.signin import SignInWidget

Options = Callable[..., dict[str, Any]]
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.")
LOGGERS = ("", "msal", "msal_extensions", "urllib3", "requests", "cmpivot_magic")


def assert_no_secrets(emulator: Emulator, texts: Iterable[str]) -> None:
    blob = "\n".join(texts)
    secrets = emulator.entra.issued
    assert len(secrets) >= 4, "the test signed in and refreshed, so tokens were issued"
    for secret in secrets:
        assert secret not in blob, f"a secret ({len(secret)} characters) leaked"
    assert not JWT.search(blob), JWT.search(blob)


def error_text(err: BaseException) -> list[str]:
    rendered = err._render_traceback_() if hasattr(err, "_render_traceback_") else []
    return [str(err), repr(err), *rendered, repr(err.args), repr(vars(err))]


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def test_sign_in_query_and_errors_leak_no_token(emulator: Emulator, options: Options, make_approver: Any,
                                                capsys: pytest.CaptureFixture[str],
                                                debug_logs: pytest.LogCaptureFixture) -> None:
    """A full sign-in (the text prompt of terminals), a query, a refresh after a 401, the site
    refusing, and Entra ID refusing: no token in stdout/stderr, reprs, DEBUG logs or errors."""
    stop = threading.Event()
    watcher = make_approver().watch(emulator, stop)
    texts: list[str] = []
    try:
        session = cm.connect(emulator.url, **options(prompt="text"))
        creds = session.backend.credentials  # type: ignore[attr-defined]
        result = session.run("OS | summarize count() by Caption", collection="SMS00001")
        with emulator.fault("status", "devices", status=401, times=1):
            session.devices()
        print(result, result.df, result.status)
        texts += [repr(session), repr(session.backend), repr(creds), repr(vars(creds)), str(creds.cache_info),
                  repr(session.backend.client), repr(result), result._repr_html_() if hasattr(result, "_repr_html_")
                  else ""]
        with emulator.fault("status", "devices", status=401, times=2), pytest.raises(cm.AuthenticationError) as e401:
            session.devices()
        texts += error_text(e401.value)
        emulator.entra.require_windows_hello = True
        with pytest.raises(cm.AuthenticationError) as e403:
            session.devices()
        texts += error_text(e403.value)
        emulator.entra.fail = "consent"
        with pytest.raises(cm.AuthenticationError) as consent:
            cm.connect(emulator.url, **options(prompt="text", cache=False))
        texts += error_text(consent.value)
    finally:
        stop.set()
        watcher.join(5)
    out = capsys.readouterr()
    assert "enter the code" in out.err and "Signed in as cmadmin@contoso.example" in out.err
    logged = [r.getMessage() for r in debug_logs.records] + [repr(r.args) for r in debug_logs.records]
    assert any("/oauth2/v2.0/token" in line for line in logged), "urllib3 logged the token requests"
    assert_no_secrets(emulator, [out.out, out.err, debug_logs.text, *logged, *texts])


def test_notebook_outputs_leak_no_token(emulator: Emulator, make_approver: Any, shell: Any, tmp_path: Any) -> None:
    """The magic in a real IPython shell, with the sign-in widget: every display output and stream
    of the cells (what a saved notebook keeps) is free of tokens."""
    from IPython.utils.capture import capture_output

    entra = emulator.entra
    magic = shell.magics_manager.registry["CMPivotMagic"]
    current = magic.current
    stop = threading.Event()
    watcher = make_approver().watch(emulator, stop)
    try:
        with capture_output() as captured:
            shell.run_line_magic("cmpivot", f"connect {emulator.url} --name entra --auth msal --tenant {entra.tenant_id} "
                                 f"--client-id {entra.client_id} --scope {entra.scope} --authority {entra.authority} "
                                 f"--verify {emulator.ca_path} --cache {tmp_path / 'cache.bin'} --prompt widget")
            run = shell.run_cell("%%cmpivot -c entra --collection SMS00001\nOS | summarize count() by Caption")
    finally:
        stop.set()
        watcher.join(5)
        session = magic.sessions.pop("entra", None)
        magic.current = current  # the shell is shared: later magic tests keep their default connection
    assert run.success, run.error_in_exec
    bundles = [str(value) for output in captured.outputs for value in output.data.values()]
    assert any("application/vnd.jupyter.widget-view+json" in output.data for output in captured.outputs)
    assert any("count_" in text for text in bundles)
    assert_no_secrets(emulator, [captured.stdout, captured.stderr, *bundles, repr(session.backend.credentials)])


def test_the_sign_in_widget_shows_no_token(emulator: Emulator, options: Options) -> None:
    """The prompt object the notebook shows, settled with MSAL's real result, holds no token."""
    widgets: list[SignInWidget] = []
    pages = make_page_opener(emulator)

    def prompt(p: Any) -> Callable[[Any], None]:
        widget = SignInWidget(p)
        widgets.append(widget)
        pages(p.verification_uri)
        return widget.finish

    cm.connect(emulator.url, **options(prompt=prompt))
    widget = widgets[0]
    assert widget.state == "signed-in" and widget.user == "cmadmin@contoso.example"
    assert_no_secrets(emulator, [widget.text(), repr(widget), str(widget._repr_mimebundle_()),
                                 *(str(child.value) for child in widget.widget.children)])


def test_the_command_line_leaks_no_token(emulator: Emulator, make_approver: Any, tmp_path: Any) -> None:
    """`cmpivot --auth msal …`: the prompt goes to standard error, rows to standard output, no token in either."""
    entra = emulator.entra
    stop = threading.Event()
    watcher = make_approver().watch(emulator, stop)
    out, err = io.StringIO(), io.StringIO()
    try:
        code = cli.main(["-c", emulator.url, "--verify", emulator.ca_path, "--auth", "msal", "--tenant", entra.tenant_id,
                         "--client-id", entra.client_id, "--scope", entra.scope, "--authority", entra.authority,
                         "--token-cache", str(tmp_path / "cli-cache.bin"), "--collection", "SMS00001", "-f", "csv",
                         "OS | summarize count() by Caption"], stdout=out, stderr=err)
    finally:
        stop.set()
        watcher.join(5)
    assert code == 0, err.getvalue()
    assert out.getvalue().startswith("Caption,count_")
    assert "enter the code" in err.getvalue() and "Signed in as" in err.getvalue()
    assert_no_secrets(emulator, [out.getvalue(), err.getvalue()])


def make_page_opener(emulator: Emulator) -> Callable[[str], None]:
    import requests

    def open_page(url: str) -> None:
        threading.Thread(target=lambda: requests.get(url, verify=emulator.ca_path, timeout=10), daemon=True).start()

    return open_page
