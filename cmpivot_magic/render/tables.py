"""Result tables as HTML: an interactive itables table that works offline and in exported HTML,
the capped-display caption, and the per-device status one click away (a ``<details>`` element).

itables is optional at import time; without it the same layout uses pandas' static HTML.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from ..results import CACHED_ROW_CLASS, CACHED_ROW_STYLE, cached_rows_mask, grey_cached_rows

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

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


def table_html(df: pd.DataFrame, *, limit: int, caption: str | None = None,
               cached: set[str] | None = None) -> str:
    """An interactive table of the first ``limit`` rows (all rows are in ``df``; the caption says so).
    Rows of the ``cached`` devices (answered from their last hardware inventory) are greyed."""
    shown = df.head(limit)
    mask = cached_rows_mask(shown, cached or set())
    try:
        from itables import to_html_datatable

        if any(mask):  # a Styler is rendered by pandas (its own size and type handling)
            # allow_html is safe here: _greyed escapes every cell (device data is never markup)
            table = to_html_datatable(_greyed(shown, mask), caption=None, connected=False, showIndex=False,
                                      classes="display compact", allow_html=True)
        else:
            table = to_html_datatable(shown, caption=None, connected=False, maxBytes=0, showIndex=False,
                                      classes="display compact", warn_on_unexpected_types=False)
    except ImportError:  # pragma: no cover - itables is a dependency; this is the static fallback
        table = grey_cached_rows(shown.to_html(index=False, border=0, na_rep=""), shown, cached or set())
    cap = f'<div class="cmpivot-caption"><small>{html.escape(caption)}</small></div>' if caption else ""
    return f"{table}{cap}"


def _greyed(frame: pd.DataFrame, mask: list[bool]) -> Styler:
    """The frame styled as the console shows cached rows: greyed, with ``CACHED_ROW_CLASS``."""
    classes = pd.DataFrame([[CACHED_ROW_CLASS if m else ""] * frame.shape[1] for m in mask],
                           index=frame.index, columns=frame.columns)
    styles = classes.map(lambda c: CACHED_ROW_STYLE if c else "")
    return (frame.style.format(escape="html", na_rep="").set_td_classes(classes)
            .apply(lambda _: styles, axis=None).hide(axis="index"))


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
        parts.append(table_html(result.df, limit=limit, caption=result.caption(limit), cached=result.inventory_devices))
        parts.append(status_html(result.status))
    return "".join(parts)
