"""The simulated site's script library and what each script prints (Run Script, reference §3.2).

Shared by ``demo://`` (which runs scripts on the simulation) and the emulator (which serves the same
library as ``SMS_Scripts`` and the same outputs as ``SMS_ScriptsExecutionStatus``). The library: an
approved ``Get free disk space`` (one optional parameter, ``Drive``), an approved ``Restart
ConfigMgr client service`` without parameters, ``Unapproved cleanup`` (waiting for approval, so it
never runs) and CMPivot's own script (approved, a feature script that a "run script" picker hides).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from ...catalog import entity
from ..base import APPROVAL_NAMES, DeviceReply, DeviceStatus, ScriptInfo, Target, script_reply
from .site import DemoSite

CMPIVOT_SCRIPT_GUID = "7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14"
APPROVED, WAITING, DENIED = 3, 0, 1


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

    def info(self) -> ScriptInfo:
        return ScriptInfo(self.guid, self.name, self.approval == APPROVED, APPROVAL_NAMES.get(self.approval, "Unknown"),
                          self.parameters, self.feature, self.description)


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


def script_output(site: DemoSite, chosen: Script | ScriptInfo, parameters: dict[str, str], rid: int,
                  now: dt.datetime) -> tuple[int, str]:
    """(exit code, output) of one device's run: a device that fails every query fails the script too."""
    failure = site.failure_message(rid)
    if failure:
        return 1, json.dumps({"Error": failure})
    if chosen.name == "Get free disk space":
        drive = (parameters.get("Drive") or "C:").rstrip("\\").upper()
        disks = site.table(entity("LogicalDisk"), (), [rid], now)
        mine = disks.filter(disks["DeviceID"].str.to_uppercase() == drive)
        if mine.height == 0:
            return 0, json.dumps({"Drive": drive, "Error": "no such drive"})
        row = mine.row(0, named=True)
        return 0, json.dumps({"Drive": drive, "FreeGB": round((row["FreeSpace"] or 0) / 1024, 1),
                              "SizeGB": round((row["Size"] or 0) / 1024, 1)})
    return 0, json.dumps({"Result": "OK"})


def demo_script_replies(site: DemoSite, chosen: ScriptInfo, targets: tuple[Target, ...], parameters: dict[str, str],
                        now: dt.datetime) -> list[tuple[float, DeviceReply]]:
    """Every target's reply with its latency: offline devices at once, the others after their latency."""
    ids = [t.resource_id for t in targets]
    latency = site.latency_seconds(ids)
    offline = site.is_offline(ids)
    out: list[tuple[float, DeviceReply]] = []
    for t, lat, off in zip(targets, latency, offline, strict=True):
        if off:
            out.append((0.0, DeviceReply(t.name, t.resource_id, DeviceStatus.OFFLINE,
                                         error="the device was offline when the script was sent", elapsed=0.0)))
            continue
        code, output = script_output(site, chosen, parameters, t.resource_id, now)
        out.append((float(lat), script_reply(t, code, output, float(lat))))
    return sorted(out, key=lambda r: r[0])
