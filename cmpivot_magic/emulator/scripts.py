"""The emulated site's script library and script runs (Run Script, reference §3.2).

The library is ``SMS_Scripts``, the simulated site's (``backends/demo/scripts.py``, shared with
``demo://``): an approved ``Get free disk space``, ``Unapproved cleanup`` and CMPivot's own script.

A run targets devices; each device answers after its CMPivot latency (scaled by the emulator's
speed), offline devices never answer, and devices that fail every query fail the script too.
``SMS_ScriptsExecutionStatus`` rows report each device's state, exit code and output.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import numpy as np

from ..backends.demo.scripts import (
    APPROVED,
    CMPIVOT_SCRIPT_GUID,
    LIBRARY,
    WAITING,
    Script,
    script,
    script_output,
)
from ..backends.demo.site import DemoSite
from .inventory import iso

SCRIPT_OPERATION_TYPE = 135
SUCCEEDED, FAILED = 0, 1
"""ScriptExecutionState values: a device that has not answered has no row yet."""


class ScriptRun:
    """One run of an approved script on some devices (a client operation of type 135)."""

    def __init__(self, operation_id: int, chosen: Script, parameters: dict[str, str], resource_ids: list[int],
                 site: DemoSite, speed: float, now: dt.datetime) -> None:
        self.id, self.script, self.parameters = operation_id, chosen, parameters
        self.resource_ids, self.site, self.now = resource_ids, site, now
        self.started = time.monotonic()
        latency = site.latency_seconds(resource_ids) / speed if resource_ids else np.zeros(0)
        offline = site.is_offline(resource_ids) if resource_ids else np.zeros(0, bool)
        self._due = {rid: (None if off else float(at)) for rid, at, off in zip(resource_ids, latency, offline, strict=True)}
        self._rows: dict[int, dict[str, Any]] = {}
        """Each answered device's row, made once: every status poll lists them all again."""

    def status_rows(self) -> list[dict[str, Any]]:
        """``SMS_ScriptsExecutionStatus`` rows of the devices that have answered by now."""
        elapsed = time.monotonic() - self.started
        return [self._row(rid, due) for rid, due in self._due.items() if due is not None and due <= elapsed]

    def _row(self, rid: int, due: float) -> dict[str, Any]:
        found = self._rows.get(rid)
        if found is None:
            code, output = script_output(self.site, self.script, self.parameters, rid, self.now)
            found = self._rows[rid] = {
                "ClientOperationId": self.id, "ResourceId": rid, "DeviceName": self.site.fleet.name[self.site.positions([rid])[0]],
                "ScriptGuid": self.script.guid, "ScriptName": self.script.name,
                "ScriptExecutionState": FAILED if code else SUCCEEDED, "ScriptExitCode": code,
                "ScriptOutput": output,
                "LastUpdateTime": iso(self.now + dt.timedelta(seconds=due)),
            }
        return found


__all__ = ["APPROVED", "CMPIVOT_SCRIPT_GUID", "LIBRARY", "SCRIPT_OPERATION_TYPE", "WAITING", "Script", "ScriptRun",
           "script"]
