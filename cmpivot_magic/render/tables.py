"""Result tables as HTML: an interactive itables table that works offline and in exported HTML,
the capped-display caption, and the per-device status one click away (a ``<details>`` element).

itables is optional at import time; without it the same layout uses pandas' static HTML.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from ..results import QueryResult

_OFFLINE_READY = False


def ensure_offline_tables() -> None:
    """Load the DataTables library into the notebook once per kernel (``connected=False``), so the
    tables work without a network and in exported HTML. Displays its own output."""
    global _OFFLINE_READY
    if _OFFLINE_READY:
        return
    try:
        import itables
    except ImportError:  # pragma: no cover - static tables then
        return
    itables.init_notebook_mode(all_interactive=False, connected=False)
    _OFFLINE_READY = True


def table_html(df: pd.DataFrame, *, limit: int, caption: str | None = None) -> str:
    """An interactive table of the first ``limit`` rows (all rows are in ``df``; the caption says so)."""
    shown = df.head(limit)
    try:
        from itables import to_html_datatable

        table = to_html_datatable(shown, caption=None, connected=False, maxBytes=0, showIndex=False,
                                  classes="display compact", warn_on_unexpected_types=False)
    except ImportError:  # pragma: no cover - itables is a dependency; this is the static fallback
        table = shown.to_html(index=False, border=0, na_rep="")
    cap = f'<div class="cmpivot-caption"><small>{html.escape(caption)}</small></div>' if caption else ""
    return f"{table}{cap}"


def status_html(status: pd.DataFrame, *, open_: bool = False) -> str:
    """The per-device status table, folded under a one-line summary of the counts."""
    counts = status["Status"].value_counts()
    label = ", ".join(f"{int(n)} {str(s).lower()}" for s, n in counts.items())
    body = status.astype(object).where(status.notna(), "").to_html(index=False, border=0, classes="cmpivot-status")
    return (f"<details{' open' if open_ else ''}><summary>Device status ({len(status)} devices: "
            f"{html.escape(label)})</summary>{body}</details>")


def result_html(result: QueryResult, *, limit: int, show_table: bool = True) -> str:
    parts = [f"<div class='cmpivot-summary'><b>{html.escape(result.summary)}</b> "
             f"<small>· operation {result.operation_id} · {html.escape(result.connection)}</small></div>"]
    if show_table:
        parts.append(table_html(result.df, limit=limit, caption=result.caption(limit)))
        parts.append(status_html(result.status))
    return "".join(parts)
