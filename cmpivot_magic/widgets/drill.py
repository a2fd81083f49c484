"""The results explorer's drill-through and actions (the console's right-click menus, reference §8.4).

On a cell: *Show devices with* / *Show devices without* run the console's ``countif`` queries; on a
column: *Group by* runs ``<Entity> | summarize dcount( Device ) by <Column>``. On devices (the
result's rows, its offline or failed devices, or those ticked in the pivot list): *Create
collection* and *Run script*. A write is never a side effect of a click: the first click shows a
confirmation that says exactly what will happen (name, N devices), and only *Confirm* writes.

Drill-through queries are evaluated over the rows the devices already sent when the stored rows
can answer them (``Session.requery``), and otherwise sent to the result's devices again.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, Protocol

import ipywidgets as w

from ..catalog import find_entity
from ..errors import CMPivotError
from ..language.interpolate import kql_literal
from ..language.literals import quote_raw
from ..results import QueryResult
from ..session import Operation, Session

VALUES_LISTED = 200
"""Distinct values offered for a column (the most frequent first)."""
DEVICE_SETS = (("devices in the rows", "rows"), ("offline devices", "offline"), ("failed devices", "failed"),
               ("devices ticked in the pivot list", "picked"))


def entity_of(result: QueryResult) -> str:
    """The entity a result's query reads, as the console writes it (with its arguments)."""
    scan = next(result.query.plan.scans(), None)
    if scan is None:
        raise CMPivotError("this result reads no entity, so there is nothing to drill into")
    # entity arguments keep their raw body (escapes untouched), as the parser stores them
    args = ", ".join(quote_raw(a) if isinstance(a, str) else kql_literal(a) for a in scan.args)
    return f"{scan.table}({args})" if scan.args else scan.table


def _entity_column(result: QueryResult, column: str) -> str:
    scan = next(result.query.plan.scans(), None)
    entity = find_entity(scan.table) if scan is not None else None
    if entity is not None and column not in {c.name for c in entity.columns}:
        raise CMPivotError(f"'{column}' is not a column of {entity.name}, so the console offers no drill-through on it",
                           hint=f"{entity.name} has: {', '.join(c.name for c in entity.columns[:12])}, …")
    return column


def devices_with(result: QueryResult, column: str, value: Any) -> str:
    """The console's *Show devices with*: devices that have a row with ``column == value``."""
    col = _entity_column(result, column)
    return f"{entity_of(result)} | summarize countif( ({col} == {kql_literal(value)}) ) by Device | where (countif_ > 0)"


def devices_without(result: QueryResult, column: str, value: Any) -> str:
    """The console's *Show devices without*: devices that have no such row."""
    col = _entity_column(result, column)
    return (f"{entity_of(result)} | summarize countif( ({col} == {kql_literal(value)}) ) by Device "
            f"| where (countif_ == 0) | project Device")


def group_by(result: QueryResult, column: str) -> str:
    """The console's *Group by* on a column."""
    return f"{entity_of(result)} | summarize dcount( Device ) by {_entity_column(result, column)}"


class Explorer(Protocol):
    """What the panel uses of the results explorer that holds it (``ResultsExplorer``)."""

    result: QueryResult
    message: w.HTML
    pivot_devices: Any

    def _session(self) -> Session: ...

    def _submit(self, query: Any, devices: list[str]) -> Operation: ...

    def _push(self, result: QueryResult) -> None: ...

    def _guard(self, action: Callable[[], object]) -> None: ...


class ActionsPanel:
    """The explorer's drill-through and action bar; ``explorer`` runs queries and shows results."""

    def __init__(self, explorer: Explorer) -> None:
        self.explorer = explorer
        self.column = w.Dropdown(description="Column", layout=w.Layout(width="16em"))
        self.value = w.Dropdown(description="Value", layout=w.Layout(width="22em"))
        self.with_button = w.Button(description="Show devices with", layout=w.Layout(width="auto"))
        self.without_button = w.Button(description="Show devices without", layout=w.Layout(width="auto"))
        self.group_button = w.Button(description="Group by", layout=w.Layout(width="auto"))
        self.device_set = w.Dropdown(description="Devices", layout=w.Layout(width="22em"))
        self.collection_name = w.Text(placeholder="new collection name", layout=w.Layout(width="16em"))
        self.collection_button = w.Button(description="Create collection", layout=w.Layout(width="auto"))
        self.script = w.Dropdown(description="Script", options=[], layout=w.Layout(width="22em"))
        self.script_parameters = w.Text(placeholder="parameters, e.g. Drive=C:", layout=w.Layout(width="14em"))
        self.script_button = w.Button(description="Run script", layout=w.Layout(width="auto"))
        self.confirm_text = w.HTML()
        self.confirm_text.layout = w.Layout(flex="1 1 auto")
        self.confirm_button = w.Button(description="Confirm", button_style="danger",
                                       layout=w.Layout(width="auto", min_width="6em", flex="0 0 auto"))
        self.cancel_button = w.Button(description="Cancel", layout=w.Layout(width="auto", min_width="6em",
                                                                            flex="0 0 auto"))
        self.confirm_box = w.HBox([self.confirm_text, self.confirm_button, self.cancel_button],
                                  layout=w.Layout(display="none", align_items="center"))
        self.confirm_box.add_class("cmpivot-confirm")
        for widget, name in ((self.column, "column"), (self.value, "value"), (self.device_set, "devices"),
                             (self.script, "script")):
            widget.add_class(f"cmpivot-drill-{name}")  # for pages and browser tests to find them
        self.output = w.HTML()
        self.pending: Callable[[], object] | None = None
        self.widget = w.VBox([
            w.HTML("<b>Drill through</b>: a value of a column, or group by the column."),
            w.HBox([self.column, self.value, self.with_button, self.without_button, self.group_button]),
            w.HTML("<b>Act on devices</b>: asks you to confirm before anything is written."),
            w.HBox([self.device_set, self.collection_name, self.collection_button]),
            w.HBox([self.script, self.script_parameters, self.script_button]),
            self.confirm_box, self.output,
        ])
        self.column.observe(lambda _c: self._values(), names="value")
        guard = explorer._guard
        self.with_button.on_click(lambda _b: guard(lambda: self.show_devices_with(self.column.value, self.value.value)))
        self.without_button.on_click(lambda _b: guard(lambda: self.show_devices_without(self.column.value,
                                                                                        self.value.value)))
        self.group_button.on_click(lambda _b: guard(lambda: self.group_by(self.column.value)))
        self.collection_button.on_click(lambda _b: guard(lambda: self.ask_create_collection(self.collection_name.value)))
        self.script_button.on_click(lambda _b: guard(self._ask_script))
        self.confirm_button.on_click(lambda _b: guard(self.confirm))
        self.cancel_button.on_click(lambda _b: self.cancel())

    @property
    def buttons(self) -> tuple[w.Button, ...]:
        return (self.with_button, self.without_button, self.group_button, self.collection_button,
                self.script_button, self.confirm_button)

    # --------------------------------------------------------------------------- showing

    def refresh(self, result: QueryResult) -> None:
        """Offer the new result's columns, values and device sets."""
        self.cancel()
        columns = [c for c in result.df.columns if c != "Device"]
        self.column.options = columns
        self.column.value = columns[0] if columns else None
        self._values()
        self._device_sets()

    def _values(self) -> None:
        df = self.explorer.result.df
        col = self.column.value
        values = df[col].dropna().value_counts().index[:VALUES_LISTED].tolist() if col in df.columns else []
        self.value.options = [(str(v), v) for v in values]
        self.value.value = values[0] if values else None

    def _device_sets(self) -> None:
        options = []
        for label, key in DEVICE_SETS:
            try:
                n = len(self.devices(key))
            except CMPivotError:
                continue
            options.append((f"{label} ({n})", key))
        self.device_set.options = options
        self.device_set.value = options[0][1] if options else None

    def devices(self, key: str | None) -> list[str]:
        """The names a device action acts on: a set of the result, or the pivot list's ticks."""
        if key == "picked":
            return list(self.explorer.pivot_devices.selected)
        return self.explorer.result.device_names(None if key in (None, "rows") else key)

    # --------------------------------------------------------------------------- drill-through

    def _run(self, text: str) -> QueryResult:
        result = self.explorer.result
        try:
            answer = self.explorer._session().requery(result, text)
        except CMPivotError:  # the stored rows cannot answer it: ask the result's devices again
            names = [t.name for t in result.targets] or result.status["Device"].astype(str).tolist()
            answer = self.explorer._submit(text, names).result()
        self.explorer._push(answer)
        return answer

    def show_devices_with(self, column: str, value: Any) -> QueryResult:
        return self._run(devices_with(self.explorer.result, column, value))

    def show_devices_without(self, column: str, value: Any) -> QueryResult:
        return self._run(devices_without(self.explorer.result, column, value))

    def group_by(self, column: str) -> QueryResult:
        return self._run(group_by(self.explorer.result, column))

    # --------------------------------------------------------------------------- writes, confirmed

    def _ask(self, text: str, action: Callable[[], object]) -> None:
        self.pending = action
        self.confirm_text.value = f"<span class='cmpivot-confirm-text'>{html.escape(text)}</span>"
        self.confirm_box.layout.display = None

    def cancel(self) -> None:
        self.pending = None
        self.confirm_text.value = ""
        self.confirm_box.layout.display = "none"

    def confirm(self) -> object:
        """Do the confirmed write."""
        if self.pending is None:
            raise CMPivotError("there is nothing to confirm")
        action = self.pending
        self.cancel()
        return action()

    def ask_create_collection(self, name: str, key: str | None = None) -> str:
        """Show the confirmation for creating collection ``name`` of the devices in set ``key``
        (``"rows"``, ``"offline"``, ``"failed"``, ``"picked"``; default: the Devices list's choice)."""
        names = self.devices(key or self.device_set.value)
        if not name.strip():
            raise CMPivotError("type a name for the new collection")
        if not names:
            raise CMPivotError("no devices in this set, so there is no collection to make")
        text = (f"Create device collection '{name.strip()}' (limited to SMS00001) with direct rules for "
                f"{len(names)} device{'s' if len(names) != 1 else ''}: {_listing(names)}")
        self._ask(text, lambda: self._create(name.strip(), names))
        return text

    def _create(self, name: str, names: list[str]) -> str:
        cid = self.explorer._session().create_collection(name, names)
        self.output.value = (f"<span class='cmpivot-action-done'>Created collection {html.escape(name)} "
                             f"({html.escape(cid)}) with {len(names)} devices.</span>")
        return cid

    def _ask_script(self) -> str:
        if not self.script.options:
            library = self.explorer._session().scripts()
            approved = [n for n, ok in zip(library["Name"], library["Approved"], strict=True) if ok]
            self.script.options = [(n, n) for n in approved]
            self.script.value = approved[0] if approved else None
            if approved:
                self.output.value = "<i>Pick a script, then click Run script again.</i>"
                return ""
        return self.ask_run_script(str(self.script.value or ""), _parameters(self.script_parameters.value))

    def ask_run_script(self, script: str, parameters: dict[str, str] | None = None, key: str | None = None) -> str:
        """Show the confirmation for running ``script`` on the devices in set ``key`` (as for
        ``ask_create_collection``); returns its text."""
        names = self.devices(key or self.device_set.value)
        if not script:
            raise CMPivotError("pick a script to run")
        if not names:
            raise CMPivotError("no devices in this set to run the script on")
        shown = ", ".join(f"{k}={v}" for k, v in (parameters or {}).items())
        text = (f"Run script '{script}'{f' with {shown}' if shown else ''} on {len(names)} "
                f"device{'s' if len(names) != 1 else ''}: {_listing(names)}")
        self._ask(text, lambda: self._run_script(script, names, parameters or {}))
        return text

    def _run_script(self, script: str, names: list[str], parameters: dict[str, str]) -> Any:
        result = self.explorer._session().run_script(script, devices=names, parameters=parameters).result()
        self.output.value = result._repr_html_()
        return result


def _listing(names: list[str], shown: int = 8) -> str:
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def _parameters(text: str) -> dict[str, str]:
    pairs = [p.split("=", 1) for p in text.split(",") if p.strip()]
    if any(len(p) != 2 for p in pairs):
        raise CMPivotError("parameters are NAME=VALUE pairs separated by commas", hint="e.g. Drive=C:")
    return {k.strip(): v.strip() for k, v in pairs}
