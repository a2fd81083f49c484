"""The emulated site's script library and script runs (Run Script, reference §3.2).

The library is ``SMS_Scripts``: an approved ``Get free disk space`` (one optional parameter,
``Drive``), an approved ``Restart ConfigMgr client service`` without parameters, ``Unapproved
cleanup`` (waiting for approval, so it never runs) and CMPivot's own script (approved, a feature
script that a "run script" picker hides).

A run targets devices; each device answers after its CMPivot latency (scaled by the emulator's
speed), offline devices never answer, and devices that fail every query fail the script too.
``SMS_ScriptsExecutionStatus`` rows report each device's state, exit code and output.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..backends.demo.site import DemoSite
from ..catalog import entity
from .inventory import iso

CMPIVOT_SCRIPT_GUID = "7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14"
SCRIPT_OPERATION_TYPE = 135
APPROVED, WAITING, DENIED = 3, 0, 1
SUCCEEDED, FAILED = 0, 1
"""ScriptExecutionState values: a device that has not answered has no row yet."""


@dataclass(frozen=True)
class Script:
    guid: str
    name: str
    approval: int
    parameters: tuple[tuple[str, str, str | None], ...] = ()
    """(name, type, default) of each parameter."""
    feature: int = 0
    description: str = ""

    def row(self) -> dict[str, Any]:
        """The ``SMS_Scripts`` instance."""
        params = [{"Name": n, "Type": t, "DefaultValue": d, "IsRequired": d is None} for n, t, d in self.parameters]
        return {"ScriptGuid": self.guid, "ScriptName": self.name, "ScriptVersion": "1", "ScriptType": 0,
                "ApprovalState": self.approval, "Approver": "CONTOSO\\secadmin" if self.approval == APPROVED else "",
                "Author": "CONTOSO\\cmadmin", "Feature": self.feature, "Comment": self.description,
                "ParameterList": json.dumps(params), "ParamsDefinition": json.dumps(params)}


LIBRARY: tuple[Script, ...] = (
    Script("1B3E7A52-6C1D-4F0E-9F8A-2D5C7E914A01", "Get free disk space", APPROVED,
           (("Drive", "String", "C:"),), description="Free and total space of one drive, in GB"),
    Script("5C0D2F7E-9A41-4B6D-8E33-0F4A9C2B7D12", "Restart ConfigMgr client service", APPROVED,
           description="Restart-Service CcmExec"),
    Script("9E4B1C38-2F7A-4D05-B6C9-71E3A8D0F523", "Unapproved cleanup", WAITING,
           description="Remove-Item $env:TEMP\\* -Recurse (waiting for approval)"),
    Script(CMPIVOT_SCRIPT_GUID, "CMPivot", APPROVED, (("kustoquery", "String", None),), feature=1,
           description="The script CMPivot runs on clients"),
)


def script(guid: str) -> Script | None:
    return next((s for s in LIBRARY if s.guid.upper() == guid.strip("{}").upper()), None)


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

    def status_rows(self) -> list[dict[str, Any]]:
        """``SMS_ScriptsExecutionStatus`` rows of the devices that have answered by now."""
        elapsed = time.monotonic() - self.started
        rows = []
        for rid, due in self._due.items():
            if due is None or due > elapsed:
                continue
            failure = self.site.failure_message(rid)
            rows.append({
                "ClientOperationId": self.id, "ResourceId": rid, "DeviceName": self.site.fleet.name[self.site.positions([rid])[0]],
                "ScriptGuid": self.script.guid, "ScriptName": self.script.name,
                "ScriptExecutionState": FAILED if failure else SUCCEEDED, "ScriptExitCode": 1 if failure else 0,
                "ScriptOutput": json.dumps({"Error": failure}) if failure else self._output(rid),
                "LastUpdateTime": iso(self.now + dt.timedelta(seconds=due)),
            })
        return rows

    def _output(self, rid: int) -> str:
        if self.script.name == "Get free disk space":
            drive = (self.parameters.get("Drive") or "C:").rstrip("\\").upper()
            disks = self.site.table(entity("LogicalDisk"), (), [rid], self.now)
            mine = disks.filter(disks["DeviceID"].str.to_uppercase() == drive)
            if mine.height == 0:
                return json.dumps({"Drive": drive, "Error": "no such drive"})
            row = mine.row(0, named=True)
            return json.dumps({"Drive": drive, "FreeGB": round((row["FreeSpace"] or 0) / 1024, 1),
                               "SizeGB": round((row["Size"] or 0) / 1024, 1)})
        return json.dumps({"Result": "OK"})
