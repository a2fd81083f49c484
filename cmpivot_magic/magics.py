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
"""

from __future__ import annotations

import html
import re
import shlex
import time
from typing import Any

import pandas as pd
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from IPython.display import HTML, display
from traitlets import Bool, Float, Int, Unicode

from . import catalog
from .config import load_settings
from .errors import CMPivotError
from .helptext import help_text
from .interpolate import interpolate
from .query import parse
from .results import QueryResult
from .session import Session, connect

_CAPTURE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*<<\s*(.*)$")
SUBCOMMANDS = ("connect", "use", "connections", "devices", "collections", "entities", "schema", "help", "config",
               "history", "resume")


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

    # ------------------------------------------------------------------ connections

    def session(self, name_or_url: str | None = None) -> Session:
        key = name_or_url or self.current or self.connection
        if key not in self.sessions:
            self.sessions[key] = connect(key, history=self._history_option())
        if name_or_url is None:
            self.current = key
        return self.sessions[key]

    # ------------------------------------------------------------------ the magic

    @magic_arguments()
    @argument("-c", "--connection", help="URL, or a name given by: cmpivot connect URL --name NAME")
    @argument("-d", "--device", action="append", help="a device to query (repeatable)")
    @argument("--collection", help="a collection ID, e.g. SMS00001")
    @argument("--devices", metavar="VAR", help="a variable holding device names (a list, a DevicePicker, a result)")
    @argument("--on", metavar="VAR", help="re-evaluate over the rows of a stored result (e.g. _cmpivot); ask no device")
    @argument("-t", "--timeout", type=float, help="seconds to wait for devices")
    @argument("-l", "--limit", type=int, help="rows to show (the result keeps all of them)")
    @argument("--explain", action="store_true", help="show the plan and the device query; send nothing")
    @argument("--no-display", action="store_true", help="show only the summary line")
    @argument("-o", "--output", metavar="VAR", help="also store the QueryResult in this variable")
    @argument("rest", nargs="*", help="line magic only: a subcommand or a one-line query")
    @line_cell_magic
    def cmpivot(self, line: str, cell: str | None = None) -> Any:
        """Run a CMPivot query: ``%%cmpivot [options]`` then the query, or ``%cmpivot SUBCOMMAND``."""
        capture = None
        m = _CAPTURE.match(line)
        if m:
            capture, line = m.group(1), m.group(2)
        if cell is None:
            words = shlex.split(line) if line.strip() else []
            if words and words[0].lower() in SUBCOMMANDS:
                return self._subcommand(words[0].lower(), words[1:])
            if not words:
                return help_text()
            return self._run(parse_argstring(self.cmpivot, ""), line, capture)  # a one-line query
        args = parse_argstring(self.cmpivot, line)
        if args.rest:
            raise CMPivotError(f"unexpected '{' '.join(args.rest)}' on the %%cmpivot line",
                               hint="options go on the first line and the query below it; see %cmpivot help")
        return self._run(args, cell, capture)

    def _run(self, args: Any, text: str, capture: str | None) -> QueryResult | None:
        namespace = self.shell.user_ns if self.shell is not None else {}
        query_text = interpolate(text, namespace).strip()
        if not query_text:
            raise CMPivotError("the cell has no query", hint="write the query below the %%cmpivot line")
        if args.explain:
            q = parse(query_text)
            display(HTML(f"<pre>{html.escape(q.explain())}\n\nsent to each device:\n  "
                         f"{html.escape(q.device_query)}</pre>"))
            return None
        if args.on:
            stored = namespace.get(args.on)
            if not isinstance(stored, QueryResult):
                raise CMPivotError(f"--on {args.on}: no stored result named '{args.on}'",
                                   hint="use _cmpivot, a variable from -o, or %cmpivot history")
            result = self.session(args.connection).requery(stored, query_text)
            namespace["_cmpivot"] = result
            for var in (capture, args.output):
                if var:
                    namespace[var] = result
            self._show(result, args, False)
            return None
        devices = list(args.device) if args.device else None
        session = None
        if args.devices:
            devices = _device_names(args.devices, namespace)
            picked = getattr(namespace.get(args.devices), "session", None)
            if args.connection is None and isinstance(picked, Session):
                session = picked  # a DevicePicker's devices belong to its own connection
        session = session or self.session(args.connection)
        timeout = args.timeout if args.timeout is not None else (self.timeout or None)
        operation = session.submit(query_text, devices=devices, collection=args.collection, timeout=timeout)
        cancelled = self._follow(operation)
        result = operation.result()
        if namespace is not None:
            namespace["_cmpivot"] = result
            for var in (capture, args.output):
                if var:
                    namespace[var] = result
        self._show(result, args, cancelled)
        return None

    def _follow(self, operation: Any) -> bool:
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

    def _show(self, result: QueryResult, args: Any, cancelled: bool) -> None:
        from .render.tables import ensure_offline_tables, result_html

        limit = args.limit if args.limit is not None else self.display_limit
        if args.no_display:
            display(HTML(f"<b>{html.escape(result.summary)}</b>"))
            return
        ensure_offline_tables()
        display(HTML(result_html(result, limit=limit)))
        if result.chart_spec is not None:
            self._chart(result)

    def _chart(self, result: QueryResult) -> None:
        from .render.charts import make_figure

        if result.chart_spec is None:
            return
        fig = make_figure(result.df, result.chart_spec, width=self.chart_width, height=self.chart_height)
        # a PNG bundle shows in every front end and in exported HTML, with no pyplot backend
        display({"image/png": fig.to_png(), "text/plain": f"<{result.chart_spec.kind}>"}, raw=True)

    # ------------------------------------------------------------------ subcommands

    def _subcommand(self, name: str, words: list[str]) -> Any:
        if name == "connect":
            return self._connect(words)
        if name == "use":
            return self._use(words)
        if name == "connections":
            return pd.DataFrame([{"Name": k, "URL": s.url, "Profile": s.profile, "Current": k == self.current}
                                 for k, s in self.sessions.items()], columns=["Name", "URL", "Profile", "Current"])
        if name == "devices":
            return self.session().devices()
        if name == "collections":
            return self.session().collections()
        if name == "entities":
            pattern = words[0].lower() if words else ""
            rows = [{"Entity": e.name, "Description": e.description, "Arguments": ", ".join(map(repr, e.parameters)),
                     "Columns": len(e.columns), "PowerShell5": e.requires_powershell5, "ConsoleOnly": e.console_only}
                    for e in catalog.entities() if pattern in e.name.lower() or pattern in e.description.lower()]
            return pd.DataFrame(rows)
        if name == "schema":
            if not words:
                raise CMPivotError("%cmpivot schema needs an entity name", hint="for example: %cmpivot schema Process")
            try:
                entity = catalog.entity(words[0])
            except KeyError as err:
                raise CMPivotError(str(err.args[0])) from None
            return pd.DataFrame([{"Column": c.name, "Type": str(c.type), "Unit": c.unit or "", "Note": c.note or ""}
                                 for c in entity.columns])
        if name == "help":
            print(help_text(words[0] if words else None))
            return None
        if name == "history":
            store = self.session().history
            if store is None:
                raise CMPivotError("history is off", hint="unset CMPIVOT_MAGIC_HISTORY_DIR to keep operations")
            return store.operations(int(words[0]) if words else 20)
        if name == "resume":
            if not words or not words[0].isdigit():
                raise CMPivotError("%cmpivot resume needs an operation id", hint="%cmpivot history lists them")
            from .history import open_default

            store = self.session().history or open_default()
            if store is None:
                raise CMPivotError("history is off", hint="unset CMPIVOT_MAGIC_HISTORY_DIR to keep operations")
            stored = store.operation(int(words[0]))
            operation = self.session(stored.connection).resume(stored.operation_id)
            cancelled = self._follow(operation)
            result = operation.result()
            if self.shell is not None:
                self.shell.user_ns["_cmpivot"] = result
            args = parse_argstring(self.cmpivot, "")
            self._show(result, args, cancelled)
            return None
        if name == "config":
            rows = [{"Setting": k, "Value": getattr(self, k), "From": self.sources.get(k, "default")}
                    for k in sorted(self.traits(config=True))]
            return pd.DataFrame(rows)
        raise CMPivotError(f"unknown subcommand {name}")  # pragma: no cover

    def _use(self, words: list[str]) -> Session:
        """``%cmpivot use VAR [--name N]``: make a Session built in Python the current connection."""
        namespace = self.shell.user_ns if self.shell is not None else {}
        if not words or words[0] not in namespace or not isinstance(namespace[words[0]], Session):
            raise CMPivotError("%cmpivot use needs a variable holding a Session",
                               hint="for example: s = cmpivot_magic.connect(url, token=...); %cmpivot use s")
        session = namespace[words[0]]
        name = words[2] if len(words) >= 3 and words[1] == "--name" else session.url
        self.sessions[name] = session
        self.current = name
        return session

    def _history_option(self) -> str | None:
        value = self.history_dir.strip()
        if not value:
            return "default"
        return None if value.lower() in ("off", "none", "0") else value

    def _connect(self, words: list[str]) -> Session:
        if not words:
            raise CMPivotError("%cmpivot connect needs a URL", hint="for example: %cmpivot connect demo://?devices=500")
        url, rest = words[0], words[1:]
        name, options = url, {}
        i = 0
        while i < len(rest):
            flag = rest[i]
            if not flag.startswith("--") or i + 1 >= len(rest):
                raise CMPivotError(f"unexpected '{flag}'", hint="options are --name N and auth options such as --profile P")
            key, value = flag[2:].replace("-", "_"), rest[i + 1]
            if key == "name":
                name = value
            else:
                options[key] = value
            i += 2
        session = connect(url, history=self._history_option(), **options)
        self.sessions[name] = session
        self.current = name
        return session


def _device_names(var: str, namespace: dict[str, Any]) -> list[str]:
    if var not in namespace:
        raise CMPivotError(f"--devices {var}: no variable named '{var}'")
    value = namespace[var]
    if hasattr(value, "selected"):  # a DevicePicker
        value = value.selected
    if isinstance(value, QueryResult):
        value = value.df["Device"].dropna().unique().tolist() if "Device" in value.df.columns else []
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


def load_ipython_extension(ipython: Any) -> None:
    ipython.register_magics(CMPivotMagic)
