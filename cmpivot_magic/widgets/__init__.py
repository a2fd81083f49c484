"""Widgets over a ``Session``: pick devices, sign in, and explore results (ipywidgets).

* ``DevicePicker(session)`` — search thousands of devices, pick one or several;
  ``picker.selected`` feeds ``%%cmpivot --devices picker`` and ``session.run(..., devices=...)``.
* ``SignInWidget(prompt)`` / ``show_device_code(flow)`` — the Entra ID device-code prompt.
* ``ResultsExplorer(result, session)`` — Results, Status, Chart and Query tabs; pivot and retry.

Each widget exposes typed values for code and tests (set ``.value`` on its parts, read
``.selected`` / ``.result``) and shows as plain text where widgets do not render.
"""

from __future__ import annotations

from .devices import DeviceIndex
from .explorer import ResultsExplorer
from .picker import DevicePicker, PickerState, forget
from .signin import DeviceCodePrompt, SignInWidget, show_device_code

__all__ = [
    "DeviceCodePrompt",
    "DeviceIndex",
    "DevicePicker",
    "PickerState",
    "ResultsExplorer",
    "SignInWidget",
    "forget",
    "show_device_code",
]
