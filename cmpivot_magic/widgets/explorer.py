"""``ResultsExplorer``: a result's rows, per-device status, chart and plan in tabs — and the next step.

    explorer = ResultsExplorer(_cmpivot, session)
    explorer            # Results | Status | Chart | Query, a pivot bar, a close (X) button

The next steps are CMPivot's: **drill-through**, **create collection** and **run script**
(``drill.py``; writes only after a confirmation that names what and how many devices), **pivot** (pick devices of this result, type the next query, run it
on just those, like the console's Device Pivot) and **retry** (re-query only the devices that
were offline, failed or never answered). Both show the new result in place; *Back* returns to
the previous one. Retry is ``Session.retry(result)`` on the explorer's session: the result keeps
each device's replies, so the merged answer is the whole query re-combined over every device's
rows (``summarize`` and ``top`` included) and devices that answered are never asked again.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w
import pandas as pd

from ..errors import CMPivotError
from ..language.links import query_link
from ..results import QueryResult
from ..session import Operation, Session, connect
from .drill import ActionsPanel
from .picker import DevicePicker, _descendants

RETRY_STATUSES = ("Offline", "Failed", "Pending")
_STATUS_ORDER = {"Failed": 0, "Offline": 1, "Pending": 2, "Truncated": 3, "Completed": 4}
STATUS_ROWS = 1000  # devices listed in the Status tab's table (the frame keeps all of them)
TAB_TITLES = ("Results", "Status", "Chart", "Query")


class ResultsExplorer:
    """Explore ``result`` (a ``QueryResult``, or an ``Operation`` to wait for). ``session`` runs
    pivots and retries; without one, the operation's session does, or a session connected to the
    result's connection URL (a result is a value and holds no session)."""

    def __init__(self, result: QueryResult | Operation, session: Session | None = None, *,
                 chart_size: tuple[float, float] = (8.0, 4.5)) -> None:
        if isinstance(result, Operation):
            owner = result.session
            session = session or (owner if isinstance(owner, Session) else None)
            result = result.result()
        self.session = session
        self.chart_size = chart_size
        self.history: list[QueryResult] = []
        self.result = result
        self.closed = False

        self.title = w.HTML()
        self.back_button = w.Button(description="‹ Back", tooltip="the previous result", layout=w.Layout(width="auto"))
        self.close_button = w.Button(description="✕", tooltip="Close the explorer", layout=w.Layout(width="2.6em"))
        self.close_button.add_class("cmpivot-explorer-close")
        self.results_out = w.Output()
        self.status_out = w.Output()
        self.retry_button = w.Button(description="Retry", button_style="warning", layout=w.Layout(width="auto"))
        self.retry_note = w.HTML()
        self.chart = w.VBox()
        self.query_view = w.HTML()
        self.tabs = w.Tab(children=[
            self.results_out,
            w.VBox([w.HBox([self.retry_button, self.retry_note], layout=w.Layout(align_items="center")),
                    self.status_out]),
            self.chart,
            self.query_view,
        ], titles=TAB_TITLES)
        self.pivot_devices = DevicePicker.from_frame(pd.DataFrame({"Name": []}))
        self.pivot_area = w.VBox([self.pivot_devices.widget])
        self.pivot_query = w.Text(placeholder="next query, e.g. Process | summarize count() by Name",
                                  layout=w.Layout(width="36em"))
        self.pivot_button = w.Button(description="Run on selected devices", button_style="primary",
                                     layout=w.Layout(width="auto"))
        self.message = w.HTML()
        self.message.add_class("cmpivot-explorer-message")
        self.actions = ActionsPanel(self)  # drill-through, create collection, run script (drill.py)
        self.widget = w.VBox([
            w.HBox([self.title, w.HBox([self.back_button, self.close_button])],
                   layout=w.Layout(justify_content="space-between", align_items="center")),
            self.tabs,
            w.HTML("<b>Pivot</b>: pick devices of this result, then run the next query on just those."),
            self.pivot_area,
            w.HBox([self.pivot_query, self.pivot_button], layout=w.Layout(align_items="center")),
            self.actions.widget,
            self.message,
        ], layout=w.Layout(border="1px solid #ddd", padding="0.4em"))
        self.widget.add_class("cmpivot-explorer")

        self.close_button.on_click(lambda _b: self.close())
        self.back_button.on_click(lambda _b: self._guard(self.back))
        self.retry_button.on_click(lambda _b: self._guard(self.retry))
        self.pivot_button.on_click(lambda _b: self._guard(lambda: self.pivot(self.pivot_query.value)))
        self._show(result)

    # --------------------------------------------------------------------------- next steps

    def pivot(self, query: str, devices: tuple[str, ...] | list[str] | None = None) -> QueryResult:
        """Run ``query`` on ``devices`` (default: those selected in the pivot list) and show it."""
        chosen = list(devices) if devices is not None else list(self.pivot_devices.selected)
        if not query.strip():
            raise CMPivotError("type the query to run on the selected devices")
        if not chosen:
            raise CMPivotError("no devices are selected to pivot to",
                               hint="tick devices in the pivot list (search it by name or status)")
        result = self._submit(query, chosen).result()
        self._push(result)
        return result

    def retry_devices(self) -> tuple[str, ...]:
        """The devices a retry re-queries: offline, failed, or still pending."""
        status = self.result.status
        return tuple(status.loc[status["Status"].isin(RETRY_STATUSES), "Device"].astype(str))

    def can_retry(self) -> bool:
        """Whether the result can be retried: it came from a session, so it says where it was sent."""
        return bool(self.result.targets)

    def retry(self) -> QueryResult:
        """Re-run the same query on only the offline, failed and pending devices; show the merged result."""
        if not self.retry_devices():
            raise CMPivotError("every device answered; there is nothing to retry")
        if not self.can_retry():
            raise CMPivotError(_NO_RETRY)
        merged = self._session().retry(self.result, offline=True, failed=True, pending=True)
        self._push(merged)
        return merged

    def back(self) -> None:
        """Show the previous result again."""
        if not self.history:
            raise CMPivotError("this is the first result; there is nothing to go back to")
        self._show(self.history.pop())

    def close(self) -> None:
        """Close the explorer: every widget in it, so its view leaves the notebook."""
        if self.closed:
            return
        self.closed = True
        for widget in _descendants(self.widget):
            widget.close()

    # --------------------------------------------------------------------------- running

    def _session(self) -> Session:
        if self.session is None:
            if not self.result.connection:
                raise CMPivotError("this result does not say which connection it came from",
                                   hint="pass the session: ResultsExplorer(result, session)")
            self.session = connect(self.result.connection)
        return self.session

    def _submit(self, query: Any, devices: list[str]) -> Operation:
        operation = self._session().submit(query, devices=devices)
        for progress in operation.updates():
            self.message.value = f"<span class='cmpivot-progress'>{html.escape(str(progress))}</span>"
        return operation

    def _push(self, result: QueryResult) -> None:
        self.history.append(self.result)
        self._show(result)

    def _guard(self, action: Callable[[], object]) -> None:
        """Run a button's action; show a CMPivotError in the explorer instead of losing it to the log."""
        buttons = (self.retry_button, self.pivot_button, self.back_button, *self.actions.buttons)
        enabled = [not b.disabled for b in buttons]
        for b in buttons:
            b.disabled = True
        self.message.value = "<i>Running…</i>"
        try:
            action()
            self.message.value = ""
        except CMPivotError as err:
            self.message.value = (f"<pre style='color:#c62828;white-space:pre-wrap;margin:0'>"
                                  f"{html.escape(str(err))}</pre>")
        finally:
            if not self.closed:
                for b, was in zip(buttons, enabled, strict=True):
                    b.disabled = not was
                self._update_buttons()

    # --------------------------------------------------------------------------- showing

    def _show(self, result: QueryResult) -> None:
        from ..render.tables import table_html

        self.result = result
        self.title.value = (f"<b>{html.escape(result.summary)}</b><br><small>operation {result.operation_id}"
                            f" · {html.escape(result.connection)}</small>")
        self.results_out.outputs = (_html_output(table_html(result.df, limit=result.display_rows,
                                                            caption=result.caption()), result.caption()),)
        status = result.status.sort_values("Status", key=lambda s: s.map(_STATUS_ORDER).fillna(9), kind="stable")
        counts = ", ".join(f"{int(n)} {str(s).lower()}" for s, n in result.status["Status"].value_counts().items())
        shown = min(len(status), STATUS_ROWS)
        caption = f"{len(status):,} devices: {counts} · showing {shown:,} (problems first)"
        self.status_out.outputs = (_html_output(table_html(status, limit=STATUS_ROWS, caption=caption), caption),)
        self.chart.children = [self._chart(result)]
        self.query_view.value = (
            f"<b>Query</b><pre class='cmpivot-query'>{html.escape(result.query.text.strip())}</pre>"
            f"<b>Plan</b><pre>{html.escape(result.query.explain())}</pre>"
            f"<b>Sent to each device</b><pre>{html.escape(result.query.device_query)}</pre>"
            f"<b>Query link</b> (opens in the console's CMPivot)<pre class='cmpivot-query-link'>"
            f"{html.escape(query_link(result.query.text))}</pre>")
        old_picker = self.pivot_devices
        frame = result.status.rename(columns={"Device": "Name"})[["Name", "Status", "Rows"]].assign(
            IsOnline=lambda f: f["Status"] != "Offline")
        self.pivot_devices = DevicePicker.from_frame(frame, page_size=10, search_columns=("Name", "Status"),
                                                     details=("Status", "Rows"),
                                                     placeholder="Search by name or status")
        self.pivot_area.children = [self.pivot_devices.widget]
        old_picker.close()
        self.actions.refresh(result)
        self._update_buttons()

    def _chart(self, result: QueryResult) -> w.Widget:
        if result.chart_spec is None:
            return w.HTML("<i>This query draws no chart. End it with <code>| render piechart</code> "
                          "(or barchart, columnchart, timechart) to draw one.</i>")
        from ..render.charts import make_figure

        try:
            figure = make_figure(result.df, result.chart_spec, width=self.chart_size[0], height=self.chart_size[1])
        except CMPivotError as err:
            return w.HTML(f"<pre style='color:#c62828;white-space:pre-wrap'>{html.escape(str(err))}</pre>")
        return w.Image(value=figure.to_png(), format="png", layout=w.Layout(max_width="100%"))

    def _update_buttons(self) -> None:
        names = self.retry_devices()
        status = self.result.status["Status"]
        parts = [f"{int((status == s).sum())} {s.lower()}" for s in RETRY_STATUSES if (status == s).any()]
        self.retry_button.description = (f"Retry {len(names)} device{'s' if len(names) != 1 else ''} "
                                          f"({', '.join(parts)})" if names else "Retry")
        self.retry_button.disabled = not names or not self.can_retry()
        self.retry_button.layout.display = None if names else "none"
        self.retry_note.value = ("" if not names or self.can_retry()
                                 else f"<small>{html.escape(_NO_RETRY)}</small>")
        if not names:
            self.retry_note.value = "<small>Every device answered.</small>"
        self.back_button.disabled = not self.history

    # --------------------------------------------------------------------------- display

    def text(self) -> str:
        return "ResultsExplorer (closed)" if self.closed else f"ResultsExplorer\n{self.result!r}"

    def __repr__(self) -> str:
        return self.text()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        from ..render.tables import ensure_offline_tables

        ensure_offline_tables()  # the tables inside need the DataTables library on the page
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.text()
        return bundle


_NO_RETRY = ("This result was not made by a session, so there is no request to repeat; "
             "run the query again with Session.run or %%cmpivot to retry it.")


def _html_output(html_text: str, text: str) -> dict[str, Any]:
    """An Output widget's display_data entry, built without a running shell; HTML shown in an
    Output widget runs its scripts (the itables table), which an HTML widget's would not."""
    return {"output_type": "display_data", "data": {"text/html": html_text, "text/plain": text}, "metadata": {}}
