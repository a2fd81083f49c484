"""Run Script: the site's approved scripts on a result's devices, streamed like a query.

``scripts(session)`` lists the library a user may pick from (CMPivot's own script and other feature
scripts hidden). ``run_script`` checks before sending that the script is approved and that its
parameters fit, records the run in history (an action with its operation id), and returns a
``ScriptOperation``: ``updates()`` yields ``Progress`` as devices report, ``result()`` a
``ScriptResult`` with one status row per device and each device's output. Replies are stored as
they arrive, so ``resume_script(session, operation_id)`` re-attaches after a kernel restart.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import polars as pl

from ..backends.base import (
    SCRIPT_COLUMNS,
    BackendOperation,
    ScriptInfo,
    Target,
    capability,
)
from ..errors import CMPivotError
from ..operation import ReplyStream
from ..results import status_frame, summarize_status
from .common import Actor, record

DEFAULT_TIMEOUT = 600.0
"""Seconds a notebook waits for a script run (a run on the site lives on: resume it later)."""


def _library(session: Actor) -> list[ScriptInfo]:
    runner: Any = capability(session.backend, "scripts", "running scripts")
    scripts: list[ScriptInfo] = runner.scripts()
    return scripts


def scripts(session: Actor) -> pd.DataFrame:
    """Name, Guid, Approval, Approved, Parameters, Description — feature scripts hidden."""
    rows = [{"Name": s.name, "Guid": s.guid, "Approval": s.approval, "Approved": s.approved,
             "Parameters": ", ".join(f"{n}={d}" if d is not None else f"{n} (required)" for n, _, d in s.parameters),
             "Description": s.description} for s in _library(session) if s.feature == 0]
    return pd.DataFrame(rows, columns=["Name", "Guid", "Approval", "Approved", "Parameters", "Description"])


def find_script(session: Actor, name_or_guid: str) -> ScriptInfo:
    """A script by name (any case) or GUID; feature scripts (CMPivot's own) are never offered."""
    key = name_or_guid.strip().strip("{}").lower()
    library = _library(session)
    found = next((s for s in library if s.guid.lower() == key or s.name.lower() == key), None)
    if found is None or found.feature != 0:
        names = ", ".join(repr(s.name) for s in library if s.feature == 0)
        raise CMPivotError(f"no script '{name_or_guid}' in the site's library", hint=f"scripts: {names}")
    return found


def check_parameters(script: ScriptInfo, parameters: dict[str, Any]) -> dict[str, str]:
    """The parameters to send: given ones checked against the script's, defaults filled in."""
    declared = {n.lower(): (n, d) for n, _, d in script.parameters}
    unknown = [k for k in parameters if k.lower() not in declared]
    if unknown:
        takes = ", ".join(n for n, _, _ in script.parameters) or "no parameters"
        raise CMPivotError(f"script '{script.name}' has no parameter '{unknown[0]}'", hint=f"it takes: {takes}")
    given = {declared[k.lower()][0]: str(v) for k, v in parameters.items()}
    missing = [n for n, d in declared.values() if d is None and n not in given]
    if missing:
        raise CMPivotError(f"script '{script.name}' needs parameter '{missing[0]}'",
                           hint=f"parameters={{'{missing[0]}': ...}}")
    return {n: given.get(n, d or "") for n, d in declared.values()}


def run_script(session: Actor, name_or_guid: str, *, devices: Sequence[str] | str | None = None,
               collection: str | None = None, parameters: dict[str, Any] | None = None,
               timeout: float | None = None) -> ScriptOperation:
    """Start an approved script on ``devices`` (names) or the members of ``collection``."""
    script = find_script(session, name_or_guid)
    if not script.approved:
        raise CMPivotError(f"script '{script.name}' is not approved ({script.approval}), so it was not sent",
                           hint="an approver must approve it in the console (Software Library > Scripts) first")
    values = check_parameters(script, parameters or {})
    if isinstance(devices, str):
        devices = [devices]
    if devices is None and collection is None:
        raise CMPivotError("say where to run the script: devices=[...] or collection='...'")
    targets: tuple[Target, ...] = session.backend.resolve(list(devices) if devices is not None else None, collection)
    timeout = float(timeout or DEFAULT_TIMEOUT)
    now = dt.datetime.now(dt.UTC)
    handle = session.backend.run_script(script, targets, values, timeout)
    record(session, "run script", script.name, targets, operation_id=handle.operation_id,
           detail={"guid": script.guid, "parameters": values, "timeout": timeout, "now": now.isoformat()})
    return ScriptOperation(session, script, values, targets, handle, timeout, now)


def resume_script(session: Actor, operation_id: int) -> ScriptOperation:
    """Re-attach to a script run kept in history: devices already stored are not asked again."""
    store = session.history
    if store is None:
        raise CMPivotError("history is off, so there is no script run to resume",
                           hint="unset CMPIVOT_MAGIC_HISTORY_DIR=off to keep them")
    connection, _, targets, detail = store.action_of(operation_id)
    if connection != session.url:
        raise CMPivotError(f"script run {operation_id} ran on {connection}, not {session.url}")
    script = find_script(session, str(detail["guid"]))
    values = {str(k): str(v) for k, v in dict(detail.get("parameters") or {}).items()}  # type: ignore[call-overload]
    now = dt.datetime.fromisoformat(str(detail["now"]))
    timeout = float(detail.get("timeout") or DEFAULT_TIMEOUT)  # type: ignore[arg-type]
    age = (dt.datetime.now(dt.UTC) - now).total_seconds()
    runner: Any = capability(session.backend, "scripts", "running scripts")
    handle = runner.resume_script(operation_id, script, targets, values, timeout, age)
    operation = ScriptOperation(session, script, values, targets, handle, timeout, now)
    operation.restore(store.replies(operation_id))
    return operation


@dataclass
class ScriptResult:
    """A script run's answer: ``df`` (Device, ExitCode, Output per device that ran it) and
    ``status`` (one row per targeted device: Completed, Failed, Offline or Pending)."""

    df: pd.DataFrame
    status: pd.DataFrame
    script: str
    parameters: dict[str, str]
    operation_id: int
    connection: str
    finished: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def summary(self) -> str:
        return summarize_status(self.status).replace("Query", f"Script '{self.script}'", 1)

    def __repr__(self) -> str:
        body = self.df.to_string(index=False) if len(self.df) else "(no output)"
        return f"{self.summary}\n{body}"

    def _repr_html_(self) -> str:
        return (f"<div><p><b>{html.escape(self.summary)}</b></p>"
                f"{self.status.merge(self.df, on='Device', how='left').to_html(index=False, border=0, na_rep='')}</div>")


class ScriptOperation(ReplyStream):
    """A script run in flight: ``updates()`` for progress, ``result()`` for the answer."""

    def __init__(self, session: Actor, script: ScriptInfo, parameters: dict[str, str], targets: tuple[Target, ...],
                 handle: BackendOperation, timeout: float, now: dt.datetime) -> None:
        super().__init__(session, handle, targets, timeout, started=now)
        self.script, self.parameters, self.targets, self.now = script, parameters, targets, now
        self._result: ScriptResult | None = None

    def cancel(self) -> None:
        """Stop following; devices that have not reported stay Pending (the run goes on on the site)."""
        self.cancelled = True
        self.handle.cancel()

    def result(self) -> ScriptResult:
        """Wait for the devices (up to the timeout), then one status row and one output per device."""
        if self._result is None:
            for _ in self.updates():
                pass
            self._result = self.partial()
        return self._result

    def partial(self) -> ScriptResult:
        frames = [r.rows for r in self.replies.values() if r.rows is not None]
        rows = pl.concat(frames) if frames else pl.DataFrame(schema=dict.fromkeys(SCRIPT_COLUMNS, pl.String))
        order = {t.name: i for i, t in enumerate(self.targets)}
        df = rows.to_pandas().sort_values("Device", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
        status = status_frame(self.targets, self.replies, pending_reason="had not reported when the notebook stopped "
                              "waiting (the run goes on: resume it later)")
        return ScriptResult(df, status, self.script.name, self.parameters, self.id, self.session.url)

    def __repr__(self) -> str:
        return f"ScriptOperation(id={self.id}, script={self.script.name!r}, {self.progress()})"
