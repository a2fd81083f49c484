"""IntelliSense in the kernel: ``%%cmpivot`` cells answered by ``cmpivot_magic.intellisense``.

Installed by ``%load_ext cmpivot_magic`` and removed by ``%unload_ext``:

* **Kernel wrappers.** IPython's completer offers Python names (``print``, ``isinstance``, ``%%svg``)
  whenever a matcher has nothing to say, and ipykernel's inspector sees only the token at the cursor
  (reference: notebook-intellisense.md §1). So the running kernel's ``do_complete`` and ``do_inspect``
  are wrapped by async instance attributes: a ``%%cmpivot`` cell (or a ``%cmpivot`` line) is answered
  here, with ``_jupyter_types_experimental`` types; every other cell goes to the original unchanged.
* **A context matcher** (IPython >= 8.6) for terminal IPython, first in ``custom_matchers``.
* **The ``cmpivot.diagnostics`` comm target.** The JupyterLab extension opens a comm and sends
  ``{"id": N, "code": cell}``; the reply on the same comm is ``{"id": N, "diagnostics": [{"from",
  "to", "message", "severity"}]}``, offsets being code-point indices into ``code``.

Completion uses the current connection's catalog when the connection has one (a site's own classes),
else the documented catalog; it never opens a connection itself.
"""

from __future__ import annotations

import inspect as _inspect
import re
from collections.abc import Callable
from typing import Any

from ..catalog import DOCUMENTED, Catalog
from ..intellisense import complete, diagnostics, inspect

COMM_TARGET = "cmpivot.diagnostics"
_CELL = re.compile(r"[ \t\r\n]*%%cmpivot\b")
_LINE = re.compile(r"[ \t]*%cmpivot\b(?!\S)")
# service item type → the Jupyter type VS Code's mapJupyterKind knows (reference §1: "Who reads what")
JUPYTER_TYPES = {"entity": "class", "column": "field", "operator": "keyword", "keyword": "keyword",
                 "function": "function", "aggregation": "function", "property": "property", "option": "property",
                 "value": "instance"}
_STATE = "_cmpivot_intellisense"


def is_cmpivot_cell(code: str) -> bool:
    return _CELL.match(code) is not None


def on_cmpivot_line(code: str, cursor: int) -> bool:
    """Whether ``cursor`` is on a ``%cmpivot`` line-magic line."""
    return _LINE.match(code, code.rfind("\n", 0, cursor) + 1) is not None


def _on_magic_line(code: str, cursor: int) -> bool:
    """Whether ``cursor`` is on the ``%%cmpivot`` line or a ``%cmpivot`` line."""
    m = _CELL.match(code)
    if m is not None:
        end = code.find("\n", m.end())
        return end < 0 or cursor <= end
    return on_cmpivot_line(code, cursor)


def _ours(code: str, cursor: int) -> bool:
    return is_cmpivot_cell(code) or on_cmpivot_line(code, cursor)


def complete_reply(code: str, cursor: int, catalog: Catalog | None = None) -> dict[str, Any]:
    """The ``complete_reply`` content for a ``%%cmpivot`` cell."""
    found = complete(code, cursor, catalog)
    types = [{"start": found.start, "end": found.end, "text": item.label,
              "type": JUPYTER_TYPES.get(item.type, "keyword"), "signature": item.detail} for item in found.items]
    return {"status": "ok", "matches": found.labels, "cursor_start": found.start, "cursor_end": found.end,
            "metadata": {"_jupyter_types_experimental": types}}


def inspect_reply(code: str, cursor: int, catalog: Catalog | None = None) -> dict[str, Any]:
    """The ``inspect_reply`` content: Markdown and plain text, or ``found: False``."""
    found = inspect(code, cursor, catalog)
    return {"status": "ok", "found": found is not None, "data": found.bundle() if found else {}, "metadata": {}}


def diagnostics_reply(data: Any, catalog: Catalog | None = None) -> dict[str, Any]:
    """The comm reply to ``{"id": N, "code": text}``."""
    request = data if isinstance(data, dict) else {}
    code = request.get("code")
    found = diagnostics(code, catalog) if isinstance(code, str) else []
    return {"id": request.get("id"), "diagnostics": [
        {"from": d.start, "to": d.end, "message": d.message, "severity": d.severity} for d in found]}


# ------------------------------------------------------------------------------------ install


def install(ipython: Any) -> None:
    """Hook completion, inspection and diagnostics into ``ipython`` (idempotent)."""
    if getattr(ipython, _STATE, None) is not None:
        return
    catalog = _catalog_source(ipython)
    state: dict[str, Any] = {"matcher": _install_matcher(ipython, catalog)}
    kernel = getattr(ipython, "kernel", None)
    if kernel is not None and hasattr(kernel, "do_complete"):
        state["kernel"] = kernel
        state["originals"] = _wrap_kernel(kernel, catalog)
        state["comm"] = _register_comm(kernel, catalog)
    setattr(ipython, _STATE, state)


def uninstall(ipython: Any) -> None:
    """Undo ``install``: the original kernel methods, no matcher, no comm target."""
    state = getattr(ipython, _STATE, None)
    if state is None:
        return
    matchers = getattr(getattr(ipython, "Completer", None), "custom_matchers", None)
    if matchers is not None and state["matcher"] in matchers:
        matchers.remove(state["matcher"])
    kernel = state.get("kernel")
    if kernel is not None:
        for name, original in state["originals"].items():
            if original is None:
                kernel.__dict__.pop(name, None)  # the class's own method shows through again
            else:
                setattr(kernel, name, original)
        manager, handler = state["comm"]
        if manager is not None:
            manager.unregister_target(COMM_TARGET, handler)
    delattr(ipython, _STATE)


def _catalog_source(ipython: Any) -> Callable[[], Catalog]:
    """The current connection's catalog, when its session has one; never opens a connection."""

    def current() -> Catalog:
        magics = getattr(getattr(ipython, "magics_manager", None), "registry", {}).get("CMPivotMagic")
        if magics is None or magics.current is None:
            return DOCUMENTED
        session = magics.sessions.get(magics.current)
        found = getattr(session, "catalog", None)
        return found if isinstance(found, Catalog) else DOCUMENTED

    return current


def _wrap_kernel(kernel: Any, catalog: Callable[[], Catalog]) -> dict[str, Any]:
    # an instance attribute already there (another extension's wrapper) is put back on uninstall
    originals = {name: kernel.__dict__.get(name) for name in ("do_complete", "do_inspect")}
    complete_original, inspect_original = kernel.do_complete, kernel.do_inspect

    async def do_complete(code: str, cursor_pos: int | None) -> Any:
        cursor = len(code) if cursor_pos is None else cursor_pos
        if _ours(code, cursor):
            return complete_reply(code, cursor, catalog())
        return await _maybe_await(complete_original(code, cursor_pos))

    async def do_inspect(code: str, cursor_pos: int | None, detail_level: int = 0,
                         omit_sections: Any = ()) -> Any:
        cursor = len(code) if cursor_pos is None else cursor_pos
        if _ours(code, cursor):
            reply = inspect_reply(code, cursor, catalog())
            # on the magic's own line, IPython's help for %%cmpivot / %cmpivot is the right answer
            if reply["found"] or not _on_magic_line(code, cursor):
                return reply
        return await _maybe_await(inspect_original(code, cursor_pos, detail_level, omit_sections))

    kernel.do_complete, kernel.do_inspect = do_complete, do_inspect
    return originals


async def _maybe_await(value: Any) -> Any:
    return await value if _inspect.isawaitable(value) else value


def _register_comm(kernel: Any, catalog: Callable[[], Catalog]) -> tuple[Any, Any]:
    manager = getattr(kernel, "comm_manager", None)
    if manager is None:
        return None, None

    def opened(comm: Any, open_msg: dict[str, Any]) -> None:
        def received(msg: dict[str, Any]) -> None:
            comm.send(diagnostics_reply(msg.get("content", {}).get("data"), catalog()))

        comm.on_msg(received)
        data = open_msg.get("content", {}).get("data")
        if isinstance(data, dict) and "code" in data:  # a request may ride on the open message
            comm.send(diagnostics_reply(data, catalog()))

    manager.register_target(COMM_TARGET, opened)
    return manager, opened


def _install_matcher(ipython: Any, catalog: Callable[[], Catalog]) -> Any:
    """A context matcher (IPython >= 8.6) answering ``%%cmpivot`` cells in terminal IPython."""
    completer = getattr(ipython, "Completer", None)
    if completer is None or not hasattr(completer, "custom_matchers"):
        return None
    from IPython.core.completer import SimpleCompletion, context_matcher

    @context_matcher(identifier="cmpivot_magic", priority=100)
    def cmpivot_matcher(context: Any) -> dict[str, Any]:
        text = context.full_text
        lines = text.split("\n")
        cursor = sum(len(line) + 1 for line in lines[:context.cursor_line]) + context.cursor_position
        if not _ours(text, cursor):
            return {"completions": [], "suppress": False}
        found = complete(text, cursor, catalog())
        return {"completions": [SimpleCompletion(item.label, type=item.type) for item in found.items],
                "suppress": True, "ordered": True, "matched_fragment": text[found.start:cursor]}

    completer.custom_matchers.insert(0, cmpivot_matcher)
    return cmpivot_matcher
