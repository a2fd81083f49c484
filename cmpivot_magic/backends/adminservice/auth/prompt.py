"""The device-code prompt of an Entra ID sign-in: what the person signing in needs, and who shows it.

MSAL's device flow gives a dict (``initiate_device_flow``); ``DeviceCodePrompt.from_flow`` keeps
only what a person needs — the message, the user code, the page and when the code expires — and
drops the ``device_code``, which is what a poller trades for a token.

A ``Presenter`` shows a prompt and may return a ``Settle`` function, called with MSAL's outcome
(``msal.py`` calls it, success or not). ``presenter_for(prompt=...)`` picks one: ``"text"`` (plain
text on standard error, for terminals), ``"widget"`` (the notebook presenter), ``"auto"`` (the
notebook presenter in a kernel, else text), or a function of the caller's.

The notebook presenter is the sign-in widget (``widgets/signin.py``), which implements this
protocol. This backend never imports widgets: the package registers the widget here with
``show_in_notebooks`` when it is imported (``cmpivot_magic/__init__.py``, the layer above both).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import urlsplit

from ...._secrets import redact
from ....errors import AuthenticationError, CMPivotError

PROMPTS = ("auto", "widget", "text")
Settle = Callable[[Mapping[str, Any]], None]
"""Told MSAL's outcome of the sign-in a prompt was shown for (a dict; only its names are read)."""


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
            detail = redact(str(detail), thorough=False)
            raise AuthenticationError(f"could not start the device-code sign-in: {detail}")
        uri = str(flow.get("verification_uri") or flow.get("verification_url") or "")
        if "expires_at" in flow:
            expires = dt.datetime.fromtimestamp(float(flow["expires_at"]), dt.UTC)
        else:
            expires = (now or dt.datetime.now(dt.UTC)) + dt.timedelta(seconds=float(flow.get("expires_in", 900)))
        code = str(flow["user_code"])
        message = str(flow.get("message") or
                      f"To sign in, use a web browser to open the page {uri} and enter the code {code} to authenticate.")
        return cls(redact(message, thorough=False), code, uri, expires)  # the code must stay readable

    def remaining(self, now: dt.datetime | None = None) -> dt.timedelta:
        left = self.expires_at - (now or dt.datetime.now(dt.UTC))
        return max(left, dt.timedelta(0))

    def __str__(self) -> str:
        return f"{self.message}\n(the code expires in {minutes_seconds(self.remaining())})"


Presenter = Callable[[DeviceCodePrompt], Settle | None]
"""Shows a prompt; may return the function to tell the outcome."""

_notebook: list[Presenter] = []


def show_in_notebooks(presenter: Presenter) -> None:
    """Make ``presenter`` how a notebook kernel shows the prompt (``prompt="widget"``, and
    ``"auto"`` in a kernel). The package registers the sign-in widget; the last one given wins."""
    _notebook[:] = [presenter]


def presenter_for(prompt: str | Presenter) -> Presenter:
    """How the device-code prompt is shown: ``"auto"`` (the notebook presenter in a notebook kernel,
    else text on standard error), ``"widget"``, ``"text"``, or a function given the
    ``DeviceCodePrompt`` (which may return a function to call with MSAL's outcome)."""
    if callable(prompt):
        return prompt
    mode = str(prompt).strip().lower()
    if mode not in PROMPTS:
        raise CMPivotError(f"unknown prompt={prompt!r}", hint=f"prompt is one of: {', '.join(PROMPTS)}, or a function")

    def present(p: DeviceCodePrompt) -> Settle | None:
        if _notebook and (mode == "widget" or (mode == "auto" and _in_kernel())):
            return _notebook[0](p)
        return text_presenter(sys.stderr)(p)

    return present


def text_presenter(stream: TextIO) -> Presenter:
    """The prompt as plain text on ``stream``, then one line for the outcome — for terminals."""

    def present(p: DeviceCodePrompt) -> Settle:
        print(f"{p}", file=stream, flush=True)

        def settle(result: Mapping[str, Any]) -> None:
            if "access_token" in result:
                claims = result.get("id_token_claims") or {}
                name = claims.get("preferred_username") or claims.get("upn")
                print(f"Signed in{' as ' + redact(str(name)) if name else ''}.", file=stream, flush=True)

        return settle

    return present


def minutes_seconds(left: dt.timedelta) -> str:
    """``m:ss`` of a time left."""
    seconds = int(left.total_seconds())
    return f"{seconds // 60}:{seconds % 60:02d}"


def _in_kernel() -> bool:
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and getattr(shell, "kernel", None) is not None


__all__ = ["PROMPTS", "DeviceCodePrompt", "Presenter", "Settle", "minutes_seconds", "presenter_for",
           "show_in_notebooks", "text_presenter"]
