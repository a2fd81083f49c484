"""The device-code sign-in prompt: Entra ID's "open this page and enter this code", made hard to miss.

MSAL's device flow gives a dict (``initiate_device_flow``); ``DeviceCodePrompt.from_flow`` keeps
only what a person needs — the message, the user code, the page and when the code expires — and
drops the ``device_code``, which is what a poller trades for a token. ``SignInWidget`` shows the
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
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import ipywidgets as w

from ..errors import AuthenticationError

_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
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


def redact(text: str) -> str:
    """Blank anything shaped like a JWT (an access or ID token) in text meant for display."""
    return _JWT.sub("[token removed]", text)


@dataclass(frozen=True)
class DeviceCodePrompt:
    """What the person signing in needs; ``expires_at`` is timezone-aware UTC."""

    message: str
    user_code: str
    verification_uri: str
    expires_at: dt.datetime

    def __post_init__(self) -> None:
        if urlsplit(self.verification_uri).scheme not in ("https", "http"):
            raise AuthenticationError(f"the sign-in page is not a web address: {self.verification_uri!r}")
        if self.expires_at.tzinfo is None:
            object.__setattr__(self, "expires_at", self.expires_at.replace(tzinfo=dt.UTC))

    @classmethod
    def from_flow(cls, flow: Mapping[str, Any], *, now: dt.datetime | None = None) -> DeviceCodePrompt:
        """From MSAL's device-flow dict (``message``, ``user_code``, ``verification_uri``, and
        ``expires_at`` in epoch seconds or ``expires_in`` seconds from ``now``)."""
        if "user_code" not in flow:
            detail = flow.get("error_description") or flow.get("error") or "no user_code in the device flow"
            raise AuthenticationError(f"could not start the device-code sign-in: {redact(str(detail))}")
        uri = str(flow.get("verification_uri") or flow.get("verification_url") or "")
        if "expires_at" in flow:
            expires = dt.datetime.fromtimestamp(float(flow["expires_at"]), dt.UTC)
        else:
            expires = (now or dt.datetime.now(dt.UTC)) + dt.timedelta(seconds=float(flow.get("expires_in", 900)))
        code = str(flow["user_code"])
        message = str(flow.get("message") or
                      f"To sign in, use a web browser to open the page {uri} and enter the code {code} to authenticate.")
        return cls(redact(message), code, uri, expires)

    def remaining(self, now: dt.datetime | None = None) -> dt.timedelta:
        left = self.expires_at - (now or dt.datetime.now(dt.UTC))
        return max(left, dt.timedelta(0))

    def __str__(self) -> str:
        return f"{self.message}\n(the code expires in {_clock(self.remaining())})"


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
                self.countdown.value = f"The code expires in <b>{_clock(left)}</b>."
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
        self.reason = redact(reason)
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
                f"  the code expires in {_clock(p.remaining(self._clock()))}")

    def __repr__(self) -> str:
        return self.text()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.text()
        return bundle


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
            return redact(str(claims[key]))
    return None


def _clock(left: dt.timedelta) -> str:
    seconds = int(left.total_seconds())
    return f"{seconds // 60}:{seconds % 60:02d}"
