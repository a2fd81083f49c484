"""The device-code sign-in prompt, driven headless: MSAL's flow dict in, states out, no token anywhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as w
import pytest

from cmpivot_magic import AuthenticationError
from cmpivot_magic.widgets import DeviceCodePrompt, SignInWidget
from cmpivot_magic.widgets.picker import _descendants

T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
MESSAGE = ("To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter "
           "the code FRZ8QK3LP to authenticate.")
FLOW = {  # the shape of msal.PublicClientApplication.initiate_device_flow()'s answer
    "user_code": "FRZ8QK3LP",
    "device_code": "DAQABAAEAAAD--DLA3VO7QrddgJg7WevrSECRET-DEVICE-CODE",
    "verification_uri": "https://microsoft.com/devicelogin",
    "expires_in": 900,
    "interval": 5,
    "message": MESSAGE,
    "expires_at": T0.timestamp() + 900,
}
ACCESS = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2NtZyJ9.c2lnbmF0dXJlLXBhcnQ"
RESULT = {"token_type": "Bearer", "access_token": ACCESS, "refresh_token": "0.ARwA-REFRESH-SECRET",
          "id_token": "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.x",
          "id_token_claims": {"preferred_username": "alice@contoso.com", "name": "Alice"}, "expires_in": 3599}


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


def every_value(widget: SignInWidget) -> str:
    """Everything the widget would send to a browser or show as text."""
    parts: list[Any] = [widget.text(), repr(widget), widget._repr_mimebundle_()]
    for part in _descendants(widget.widget):
        parts.extend(getattr(part, k) for k in part.keys)
    return repr(parts)


def test_prompt_from_msal_flow_keeps_only_what_a_person_needs() -> None:
    prompt = DeviceCodePrompt.from_flow(FLOW)
    assert prompt == DeviceCodePrompt(MESSAGE, "FRZ8QK3LP", "https://microsoft.com/devicelogin",
                                      T0 + dt.timedelta(seconds=900))
    assert "SECRET-DEVICE-CODE" not in repr(prompt) + str(prompt)
    without_expires_at = {k: v for k, v in FLOW.items() if k != "expires_at"}
    assert DeviceCodePrompt.from_flow(without_expires_at, now=T0).expires_at == T0 + dt.timedelta(minutes=15)


def test_a_flow_that_failed_to_start_or_points_elsewhere_is_an_error() -> None:
    with pytest.raises(AuthenticationError, match="AADSTS7000218"):
        DeviceCodePrompt.from_flow({"error": "invalid_client", "error_description": "AADSTS7000218: bad client"})
    with pytest.raises(AuthenticationError, match="not a web address"):
        DeviceCodePrompt.from_flow({**FLOW, "verification_uri": "javascript:alert(1)"})


def test_widget_shows_message_code_copy_button_link_and_countdown() -> None:
    clock = Clock()
    widget = SignInWidget(FLOW, clock=clock)
    assert widget.state == "waiting"
    assert "microsoft.com/devicelogin and enter the code FRZ8QK3LP" in widget.message.value
    assert ">FRZ8QK3LP</span>" in widget.code.value
    assert "data-code='FRZ8QK3LP'" in widget.code.value and "navigator.clipboard" in widget.code.value
    assert "href='https://microsoft.com/devicelogin' target='_blank'" in widget.link.value
    assert "15:00" in widget.countdown.value
    clock.now = T0 + dt.timedelta(minutes=14, seconds=1)
    assert widget.tick() == 59
    assert "0:59" in widget.countdown.value


def test_the_code_expires() -> None:
    clock = Clock()
    widget = SignInWidget(FLOW, clock=clock)
    clock.now = T0 + dt.timedelta(minutes=16)
    assert widget.tick() == 0
    assert widget.state == "expired" and "expired" in widget.state_label.value
    assert widget.code.value == "" and widget.code.layout.display == "none"
    assert "expired" in widget.text()


def test_success_names_the_user_and_never_shows_a_token() -> None:
    widget = SignInWidget(DeviceCodePrompt.from_flow(FLOW), clock=Clock())
    widget.finish(RESULT)
    assert widget.state == "signed-in" and widget.user == "alice@contoso.com"
    assert "Signed in as alice@contoso.com" in widget.state_label.value
    assert widget.text() == "Signed in as alice@contoso.com."
    everything = every_value(widget)
    for secret in (ACCESS, "REFRESH-SECRET", str(RESULT["id_token"]), "SECRET-DEVICE-CODE", "FRZ8QK3LP"):
        assert secret not in everything


def test_failure_shows_the_reason_without_tokens() -> None:
    widget = SignInWidget(FLOW, clock=Clock())
    widget.finish({"error": "authorization_declined",
                   "error_description": f"AADSTS70000: the user declined; token {ACCESS} was revoked"})
    assert widget.state == "failed"
    assert "AADSTS70000: the user declined" in widget.state_label.value
    assert ACCESS not in every_value(widget) and "[token removed]" in widget.text()
    other = SignInWidget(FLOW, clock=Clock())
    other.fail("network unreachable")
    assert other.text() == "Sign-in failed: network unreachable"


def test_plain_text_fallback_has_everything_needed_to_sign_in() -> None:
    widget = SignInWidget(FLOW, clock=Clock())
    bundle = widget._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    text = bundle["text/plain"]
    assert MESSAGE in text and "code: FRZ8QK3LP" in text and "page: https://microsoft.com/devicelogin" in text
    assert "expires in 15:00" in text


def test_the_countdown_thread_stops_when_settled() -> None:
    widget = SignInWidget(FLOW)  # the real clock: this flow expired long ago
    widget.start_countdown(interval=0.01)
    assert widget._ticker is not None
    widget._ticker.join(timeout=5)
    assert not widget._ticker.is_alive() and widget.state == "expired"
    live = SignInWidget({**FLOW, "expires_at": dt.datetime.now(dt.UTC).timestamp() + 600})
    live.start_countdown(interval=0.01)
    live.succeed("bob")
    assert live._ticker is not None
    live._ticker.join(timeout=5)
    assert not live._ticker.is_alive() and live.state == "signed-in"
    live.close()
    assert isinstance(live.widget, w.VBox) and live.widget.comm is None
