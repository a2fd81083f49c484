"""``%%cmpivot`` and ``%cmpivot``: a thin adapter from cell options to ``Session`` and the display.

    %load_ext cmpivot_magic
    %%cmpivot --connection demo:// -o procs
    Process | summarize count() by Name | top 10 by count_

While devices answer, one display updates in place (answered of targeted, offline, failed,
elapsed, partial rows); an interrupt cancels the operation and keeps what arrived. Then: the
status summary, an interactive table with "showing N of M rows from K devices", the per-device
status one click away, and a chart when the query says ``render``. ``_cmpivot`` always holds the
last ``QueryResult``. Errors show as short messages (``CMPivotError._render_traceback_``) and the
cell still fails.

The options are declared with ``magic_arguments``, so ``%cmpivot?`` documents them (and, from
``subcommands.py``, every subcommand). A query goes: options → interpolation → ``Session.submit``
(or ``--on``: the stored result) → ``deliver``, the one place a result is stored and shown.
"""

from __future__ import annotations

import argparse
import html
import re
import shlex
import time
from collections.abc import Sequence
from typing import Any

import pandas as pd
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, kwds, magic_arguments, parse_argstring
from IPython.display import HTML, display
from traitlets import Bool, Float, Int, Unicode

from ..errors import CMPivotError
from ..language.interpolate import interpolate
from ..query import parse
from ..results import QueryResult
from ..session import Operation, Session, connect
from .config import load_settings
from .helptext import help_text
from .subcommands import SUBCOMMANDS, overview

_CAPTURE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*<<\s*(.*)$")


@magics_class
class CMPivotMagic(Magics):
    """Run CMPivot queries from notebook cells. Settings: ``%config CMPivotMagic.<name> = value``,
    ``[tool.cmpivot_magic]`` in pyproject.toml, or ``CMPIVOT_MAGIC_<NAME>`` environment variables."""

    connection = Unicode("local://", help="connection used when a cell names none").tag(config=True)
    display_limit = Int(50, help="rows shown in the interactive table (all rows stay in the result)").tag(config=True)
    timeout = Float(0.0, help="seconds to wait for devices; 0 means the connection's limit").tag(config=True)
    show_progress = Bool(True, help="show devices answering live while a query runs").tag(config=True)
    progress_interval = Float(0.25, help="seconds between live progress updates").tag(config=True)
    chart_width = Float(8.0, help="chart width in inches").tag(config=True)
    chart_height = Float(4.5, help="chart height in inches").tag(config=True)
    history_dir = Unicode("", help="where operations are kept ('' = the user data folder; 'off' = nowhere)").tag(
        config=True)

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell=shell, **kwargs)
        self.sessions: dict[str, Session] = {}
        self.current: str | None = None
        self.sources: dict[str, str] = {}
        known = {name: type(trait.default_value) for name, trait in self.traits(config=True).items()}
        for name, (value, where) in load_settings(known).items():
            setattr(self, name, value)
            self.sources[name] = where

    # ------------------------------------------------------------------ what subcommands use

    @property
    def namespace(self) -> dict[str, Any]:
        """The notebook's variables (an empty dict without a shell)."""
        return self.shell.user_ns if self.shell is not None else {}

    def session(self, name_or_url: str | None = None) -> Session:
        """The named connection, or the current one (opened from ``connection`` on first use)."""
        key = name_or_url or self.current or self.connection
        if key not in self.sessions:
            self.sessions[key] = connect(key, history=self.history_option())
        if name_or_url is None:
            self.current = key
        return self.sessions[key]

    def use(self, name: str, session: Session) -> None:
        """Keep ``session`` under ``name`` and make it the current connection."""
        self.sessions[name] = session
        self.current = name

    def history_option(self) -> str | None:
        """``history_dir`` as ``connect(history=...)`` takes it."""
        value = self.history_dir.strip()
        if not value:
            return "default"
        return None if value.lower() in ("off", "none", "0") else value

    def settings(self) -> list[tuple[str, Any, str]]:
        """(setting, value, where the value came from) for every setting, by name."""
        return [(k, getattr(self, k), self.sources.get(k, "default")) for k in sorted(self.traits(config=True))]

    # ------------------------------------------------------------------ the magic

    @magic_arguments()
    @kwds(epilog=overview())
    @argument("-c", "--connection", help="URL, or a name given by: cmpivot connect URL --name NAME")
    @argument("-d", "--device", action="append", help="a device to query (repeatable)")
    @argument("--collection", help="a collection ID, e.g. SMS00001")
    @argument("--devices", metavar="VAR", help="a variable holding device names (a list, a DevicePicker, a result)")
    @argument("--on", metavar="VAR", help="re-evaluate over the rows of a stored result (e.g. _cmpivot); ask no device")
    @argument("-t", "--timeout", type=float, help="seconds to wait for devices")
    @argument("-l", "--limit", type=int, help="rows to show (the result keeps all of them)")
    @argument("--explain", action="store_true", help="show the plan and the device query; send nothing")
    @argument("--no-display", action="store_true", help="show only the summary line")
    @argument("--live-only", action="store_true",
              help="only live answers: no rows from the last hardware inventory for offline devices")
    @argument("-o", "--output", metavar="VAR", help="also store the QueryResult in this variable")
    @argument("--favorite", metavar="NAME", help="run the favorite NAME (the cell holds at most a // comment; "
                                                 "or %%cmpivot --favorite NAME on one line)")
    @argument("rest", nargs="*", help="line magic only: a subcommand or a one-line query")
    @line_cell_magic
    def cmpivot(self, line: str, cell: str | None = None) -> Any:
        """Run a CMPivot query: ``%%cmpivot [options]`` then the query, or ``%cmpivot SUBCOMMAND``."""
        capture = None
        m = _CAPTURE.match(line)
        if m:
            capture, line = m.group(1), m.group(2)
        if cell is None:
            first = line.split(maxsplit=1)[0].lower() if line.strip() else ""
            if first in SUBCOMMANDS:
                return SUBCOMMANDS[first](self, _words(line)[1:])
            if not first:
                return help_text()
            if first.startswith("--favorite"):  # %cmpivot --favorite NAME [options]: run a saved query
                return self._query(parse_argstring(self.cmpivot, line), "", capture)
            return self._query(self._defaults(), line, capture)  # a one-line query
        args = parse_argstring(self.cmpivot, line)
        if args.rest:
            raise CMPivotError(f"unexpected '{' '.join(args.rest)}' on the %%cmpivot line",
                               hint="options go on the first line and the query below it; see %cmpivot help")
        return self._query(args, cell, capture)

    def _defaults(self) -> argparse.Namespace:
        return parse_argstring(self.cmpivot, "")

    def _query(self, args: argparse.Namespace, text: str, capture: str | None) -> None:
        if getattr(args, "favorite", None):
            if any(ln.strip() and not ln.strip().startswith("//") for ln in text.splitlines()):
                raise CMPivotError("--favorite runs a saved query; the cell must be empty (or a // comment)",
                                   hint="remove the query below the %%cmpivot line, or drop --favorite")
            name = args.favorite.strip()
            if len(name) > 1 and name[0] == name[-1] and name[0] in "'\"":
                name = name[1:-1]  # IPython's argument splitting keeps single quotes
            text = self.session(args.connection).favorite(name)
        query_text = interpolate(text, self.namespace).strip()
        if not query_text:
            raise CMPivotError("the cell has no query", hint="write the query below the %%cmpivot line")
        if args.explain:  # planned against the connection's entities, once there is a connection
            site = self.session(args.connection) if args.connection or self.current else None
            q = parse(query_text, catalog=site.catalog if site is not None else None)
            display(HTML(f"<pre>{html.escape(q.explain())}\n\nsent to each device:\n  "
                         f"{html.escape(q.device_query)}</pre>"))
            return
        result = self._requery(args.on, query_text, args.connection) if args.on else self._submit(args, query_text)
        self.deliver(result, args, (capture, args.output))

    def _requery(self, var: str, text: str, connection: str | None) -> QueryResult:
        """``--on VAR``: the query over the rows of a stored result; no device is asked."""
        stored = self.namespace.get(var)
        if not isinstance(stored, QueryResult):
            raise CMPivotError(f"--on {var}: no stored result named '{var}'",
                               hint="use _cmpivot, a variable from -o, or %cmpivot history")
        return self.session(connection).requery(stored, text)

    def _submit(self, args: argparse.Namespace, text: str) -> QueryResult:
        """Send the query to the devices the options name, following their answers live."""
        devices = list(args.device) if args.device else None
        session = None
        if args.devices:
            devices = _device_names(args.devices, self.namespace)
            picked = getattr(self.namespace.get(args.devices), "session", None)
            if args.connection is None and isinstance(picked, Session):
                session = picked  # a DevicePicker's devices belong to its own connection
        session = session or self.session(args.connection)
        timeout = args.timeout if args.timeout is not None else (self.timeout or None)
        operation = session.submit(text, devices=devices, collection=args.collection, timeout=timeout,
                                   live_only=bool(getattr(args, "live_only", False)))
        self.follow(operation)
        return operation.result()

    def deliver(self, result: QueryResult, args: argparse.Namespace | None = None,
                names: Sequence[str | None] = ()) -> None:
        """The one place a result reaches the notebook: ``_cmpivot`` and the capture variables
        (``-o VAR``, ``VAR <<``) hold it, then it is shown as the options ask."""
        namespace = self.namespace
        namespace["_cmpivot"] = result
        for var in names:
            if var:
                namespace[var] = result
        self._show(result, args or self._defaults())

    def follow(self, operation: Operation) -> bool:
        """Show progress in one updating display; return True when the user interrupted."""
        handle = display(HTML(_progress_html(operation.progress())), display_id=True) if self.show_progress else None
        last = 0.0
        try:
            for progress in operation.updates(poll=self.progress_interval):
                now = time.monotonic()
                if handle is not None and now - last >= self.progress_interval:
                    handle.update(HTML(_progress_html(progress)))
                    last = now
        except KeyboardInterrupt:
            operation.cancel()
            if handle is not None:
                handle.update(HTML("<b>Cancelled</b> — devices that had not answered are Pending."))
            return True
        if handle is not None:
            handle.update(HTML(_progress_html(operation.progress(), done=True)))
        return False

    def _show(self, result: QueryResult, args: argparse.Namespace) -> None:
        from ..render.tables import ensure_offline_tables, result_html

        limit = args.limit if args.limit is not None else self.display_limit
        if args.no_display:
            display(HTML(f"<b>{html.escape(result.summary)}</b>"))
            return
        ensure_offline_tables()
        display(HTML(result_html(result, limit=limit)))
        if result.chart_spec is not None:
            self._chart(result)

    def _chart(self, result: QueryResult) -> None:
        from ..render.charts import make_figure

        if result.chart_spec is None:
            return
        fig = make_figure(result.df, result.chart_spec, width=self.chart_width, height=self.chart_height)
        # a PNG bundle shows in every front end and in exported HTML, with no pyplot backend
        display({"image/png": fig.to_png(), "text/plain": f"<{result.chart_spec.kind}>"}, raw=True)


def _words(line: str) -> list[str]:
    """A subcommand line split as a shell would (quotes keep spaces in a value)."""
    try:
        return shlex.split(line)
    except ValueError as err:
        raise CMPivotError(f"cannot read '{line.strip()}': {err}", hint="close the quote") from None


def _device_names(var: str, namespace: dict[str, Any]) -> list[str]:
    if var not in namespace:
        raise CMPivotError(f"--devices {var}: no variable named '{var}'")
    value = namespace[var]
    if hasattr(value, "selected"):  # a DevicePicker
        value = value.selected
    if isinstance(value, QueryResult):
        value = value.device_names()
    if isinstance(value, pd.DataFrame):
        if "Device" not in value.columns and "Name" not in value.columns:
            raise CMPivotError(f"--devices {var}: the DataFrame has no Device or Name column")
        value = value["Device" if "Device" in value.columns else "Name"].dropna().unique().tolist()
    if isinstance(value, str):
        value = [value]
    names = [str(v) for v in value]
    if not names:
        raise CMPivotError(f"--devices {var}: no devices are selected")
    return names


def _progress_html(progress: Any, done: bool = False) -> str:
    state = "Done" if done else "Running"
    targeted = max(progress.targeted, 1)
    pct = int(100 * (progress.answered + progress.failed + progress.offline) / targeted)
    return (f"<div class='cmpivot-progress'><b>{state}</b> — {progress.answered} of {progress.targeted} devices "
            f"answered · {progress.offline} offline · {progress.failed} failed · {progress.pending} pending · "
            f"{progress.rows:,} rows · {progress.elapsed:.1f}s"
            f"<div style='background:#eee;width:300px;height:6px'><div style='background:#2b7bd4;"
            f"width:{pct * 3}px;height:6px'></div></div></div>")
