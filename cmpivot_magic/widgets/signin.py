"""The device-code sign-in prompt: Entra ID's "open this page and enter this code", made hard to miss.

The prompt itself, ``DeviceCodePrompt`` (what a person needs from MSAL's device flow, without the
``device_code``), and the ``Presenter`` protocol live with the sign-in
(``backends/adminservice/auth/prompt.py``); ``present`` here implements that protocol for
notebooks, and the package registers it there. ``SignInWidget`` shows the
code large with a copy button, the link, a live countdown, then "Signed in as …" or why it
failed. Everywhere widgets don't render (a terminal, nbconvert, GitHub) the same prompt shows as
plain text, never only as a popup (Kqlmagic #89, vscode-jupyter #6710).

No token ever reaches the widget: ``succeed`` and ``finish`` read only the user's name from an
MSAL result, and any JWT-shaped text in a displayed message is blanked.

    flow = app.initiate_device_flow(scopes=[...])
    prompt = show_device_code(flow)                 # displays it and starts the countdown
    prompt.finish(app.acquire_token_by_device_flow(flow))
"""

from __future__ import annotations

import datetime as dt
import html
import threading
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w

from .._secrets import redact
from ..backends.adminservice.auth.prompt import DeviceCodePrompt, Settle, minutes_seconds

STATES = ("waiting", "signed-in", "failed", "expired")

# Copies the code from the button's data-code attribute: the async clipboard API where the page
# is a secure context (https, localhost), else a hidden textarea and execCommand("copy").
_COPY_JS = (
    "(function(b){var c=b.getAttribute('data-code');"
    "function done(){b.textContent='Copied';setTimeout(function(){b.textContent='Copy code'},2000);}"
    "function old(){var t=document.createElement('textarea');t.value=c;t.style.position='fixed';"
    "t.style.opacity='0';document.body.appendChild(t);t.select();"
    "try{document.execCommand('copy');done();}catch(e){b.textContent='Select the code, press Ctrl+C';}"
    "document.body.removeChild(t);}"
    "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(c).then(done,old);}"
    "else{old();}})(this)"
)


class SignInWidget:
    """The device-code prompt as a widget. ``state`` is one of ``STATES``."""

    def __init__(self, prompt: DeviceCodePrompt | Mapping[str, Any], *,
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        self.prompt = prompt if isinstance(prompt, DeviceCodePrompt) else DeviceCodePrompt.from_flow(prompt)
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.state = "waiting"
        self.user: str | None = None
        self.reason: str | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()  # the countdown thread and the caller settling the prompt
        self._ticker: threading.Thread | None = None

        p = self.prompt
        self.message = w.HTML(f"<div>{html.escape(p.message)}</div>")
        self.code = w.HTML(
            f"<span class='cmpivot-user-code' style='font:600 1.6em monospace;letter-spacing:.12em;"
            f"user-select:all;padding:.1em .4em;border:1px solid #bbb;border-radius:4px'>{html.escape(p.user_code)}</span>"
            f" <button type='button' class='cmpivot-copy' title='Copy the code to the clipboard' "
            f"data-code='{html.escape(p.user_code, quote=True)}' onclick=\"{html.escape(_COPY_JS, quote=True)}\" "
            f"style='font-size:1em;padding:.2em .8em;cursor:pointer'>Copy code</button>")
        self.link = w.HTML(f"Open <a href='{html.escape(p.verification_uri, quote=True)}' target='_blank' "
                           f"rel='noopener noreferrer' style='color:#1a6fd4;text-decoration:underline'>"
                           f"{html.escape(p.verification_uri)}</a> and enter the code.")
        self.countdown = w.HTML()
        self.state_label = w.HTML("<i>Waiting for you to sign in…</i>")
        self.widget = w.VBox([self.message, self.code, self.link, self.countdown, self.state_label],
                             layout=w.Layout(border="1px solid #ccc", padding="0.6em", max_width="46em"))
        self.widget.add_class("cmpivot-signin")
        self.tick()

    # --------------------------------------------------------------------------- time

    def tick(self) -> float:
        """Update the countdown; expire the prompt when the code's time is up. Seconds left."""
        with self._lock:
            if self.state != "waiting":
                return 0.0
            left = self.prompt.remaining(self._clock())
            if left > dt.timedelta(0):
                self.countdown.value = f"The code expires in <b>{minutes_seconds(left)}</b>."
                return left.total_seconds()
        self._finish("expired", "<b>The code has expired.</b> Run the sign-in again for a new one.")
        return 0.0

    def start_countdown(self, interval: float = 1.0) -> None:
        """Tick every ``interval`` seconds on a background thread until the prompt is settled."""
        if self._ticker is not None:
            return

        def run() -> None:
            while self.tick() > 0 and not self._stop.wait(interval):
                pass

        self._ticker = threading.Thread(target=run, name="cmpivot-signin-countdown", daemon=True)
        self._ticker.start()

    # --------------------------------------------------------------------------- outcomes

    def succeed(self, user: str | Mapping[str, Any] | None = None) -> None:
        """Signed in. ``user`` is a name, or MSAL's result (only its ID-token claims' name is read)."""
        name = _user_name(user)
        self.user = name
        self._finish("signed-in", f"<b style='color:#2e7d32'>✔ Signed in{' as ' + html.escape(name) if name else ''}.</b>")

    def fail(self, reason: str | Mapping[str, Any] = "sign-in failed") -> None:
        """Sign-in failed: ``reason`` is text or MSAL's error result (its error description is shown)."""
        if isinstance(reason, Mapping):
            reason = str(reason.get("error_description") or reason.get("error") or "sign-in failed")
        self.reason = redact(reason, thorough=False)
        self._finish("failed", f"<b style='color:#c62828'>✖ Sign-in failed:</b> {html.escape(self.reason)}")

    def finish(self, result: Mapping[str, Any]) -> None:
        """Settle from MSAL's ``acquire_token_by_device_flow`` result: success when it holds a token."""
        if "access_token" in result:
            self.succeed(result)
        else:
            self.fail(result)

    def _finish(self, state: str, html_text: str) -> None:
        with self._lock:
            if self.state != "waiting" and state == "expired":
                return  # settled meanwhile: a sign-in that succeeded does not expire
            self.state = state
            self._stop.set()
            self.state_label.value = html_text
            for part in (self.message, self.code, self.link, self.countdown):  # the code is of no use now
                part.value = ""
                part.layout.display = "none"

    def close(self) -> None:
        self._stop.set()
        for part in (*self.widget.children, self.widget):
            part.close()

    # --------------------------------------------------------------------------- display

    def text(self) -> str:
        """The plain-text prompt, for front ends that show no widgets."""
        if self.state == "signed-in":
            return f"Signed in{' as ' + self.user if self.user else ''}."
        if self.state == "failed":
            return f"Sign-in failed: {self.reason}"
        if self.state == "expired":
            return "The sign-in code has expired. Run the sign-in again for a new one."
        p = self.prompt
        return (f"{p.message}\n  code: {p.user_code}\n  page: {p.verification_uri}\n"
                f"  the code expires in {minutes_seconds(p.remaining(self._clock()))}")

    def __repr__(self) -> str:
        return self.text()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.text()
        return bundle


def present(prompt: DeviceCodePrompt) -> Settle:
    """The ``Presenter`` for notebooks (``auth/prompt.py``): show the widget, settle it with MSAL's outcome."""
    return show_device_code(prompt).finish


def show_device_code(flow: DeviceCodePrompt | Mapping[str, Any]) -> SignInWidget:
    """Display the prompt for MSAL's device flow, start its countdown and return it, so the
    caller can ``finish(result)`` once MSAL returns."""
    from IPython.display import display

    widget = SignInWidget(flow)
    display(widget)
    widget.start_countdown()
    return widget


def _user_name(user: str | Mapping[str, Any] | None) -> str | None:
    if user is None or isinstance(user, str):
        return user
    claims = user.get("id_token_claims") or {}
    for key in ("preferred_username", "upn", "email", "name"):
        if claims.get(key):
            return redact(str(claims[key]), thorough=False)
    return None
