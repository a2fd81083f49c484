"""Charts: the pipeline's last stage for ``render``, drawing a result onto a matplotlib Axes.

``draw(ax, df, spec)`` draws ``spec.kind`` (a ``RenderSpec`` from the plan) onto an Axes it is
given; ``make_figure`` builds a ``ChartFigure`` (a ``matplotlib.figure.Figure`` that IPython shows
as a PNG) to draw on. No pyplot and no global state, so charts work headless, in notebooks, and
side by side in tests. Rendering never changes the rows (§7.3.1). The rules, each pinned by a
test in ``tests/render/test_charts.py``:

* Roles (§7.3): x = ``xcolumn`` or the first column (timechart: the first datetime column);
  y = ``ycolumns`` or every other numeric column; piechart: labels = x, sizes = the first y.
  timechart, linechart, areachart, scatterchart: when one non-numeric column is left beside x and
  a single y, it is the series (one line per value); ``series=`` names it for any kind but pie.
  Rows with the same x and series add up.
* A result whose only column is numeric (``summarize count()``) has no x: one bar per row,
  labelled with the column name when there is one row, else with the row number.
* barchart: horizontal bars, first row on top; columnchart: vertical, first row on the left.
  Bars keep the result's order (sort the query to order them); lines sort by x. ``xtitle`` names
  the category axis and ``ytitle`` the value axis, whichever way the bars run.
* ``kind``: default = unstacked = bars side by side (areas overlap); stacked; stacked100 = each x
  sums to 100 %. Only barchart, columnchart and areachart stack.
* Nulls: a null category is drawn as "(null)"; a null value draws nothing (and adds nothing to
  a stack); rows with a null x are left off lines.
* More than 50 categories (bar, column, pie): the 50 largest (sum of |values| over the series)
  are drawn, in the result's order, and the title ends "(showing 50 of N categories)".
* Legend: shown when there is more than one series unless ``legend=hidden``; ``legend=visible``
  always shows it.
* Also honoured (KQL): ``ymin``/``ymax`` and ``yaxis=log`` on the value axis, ``xaxis=log`` on a
  numeric x, ``accumulate=true``; ``ysplit`` and ``anomalycolumns`` are accepted and ignored; any
  other property name is a ``ChartError`` (a typo should not pass silently).
* No rows: an empty axes saying "no rows". A result that cannot be drawn: ``ChartError``.

Three modules share the work, each a step of ``draw``: ``chart_spec`` reads the spec against the
result (``options``, ``roles_of``; every ``ChartError`` about the query comes from there),
``chart_data`` shapes the rows (x values, one float column per series, labels, the largest
categories), and this module draws them.
"""

from __future__ import annotations

import io
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from ..engine.plan import RenderSpec
from .chart_data import floats, label_of, labels_of, largest, percent, table, utc_naive
from .chart_spec import (
    MAX_CATEGORIES,
    NULL_LABEL,
    SUPPORTED_KINDS,
    ChartError,
    Options,
    Roles,
    describe,
    is_datetime,
    is_numeric,
    options,
    roles_of,
    type_name,
)

__all__ = ["MAX_CATEGORIES", "NULL_LABEL", "SUPPORTED_KINDS", "ChartError", "ChartFigure", "Options", "Roles",
           "describe", "draw", "make_figure", "options", "roles_of"]

# ------------------------------------------------------------------------------------ public


class ChartFigure(Figure):
    """A Figure that IPython's ``display`` shows as a PNG with or without a pyplot backend
    (a bare Figure only displays once the inline backend has registered its formatter)."""

    def to_png(self, dpi: float = 100) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.to_png()


def make_figure(df: pd.DataFrame, spec: RenderSpec, *, width: float = 8, height: float = 4.5) -> ChartFigure:
    """A new Figure (no pyplot) with the chart for ``spec`` drawn on its one Axes."""
    figure = ChartFigure(figsize=(width, height), layout="constrained")
    draw(figure.add_subplot(), df, spec)
    return figure


def draw(ax: Axes, df: pd.DataFrame, spec: RenderSpec) -> Axes:
    """Draw the chart ``spec`` asks for onto ``ax`` and return ``ax``; ``ChartError`` if it can't."""
    kind = spec.kind.lower()
    if kind not in SUPPORTED_KINDS:
        raise ChartError(f"unknown chart kind '{spec.kind}'; use one of {', '.join(SUPPORTED_KINDS)}")
    opts = options(spec, kind)
    if len(df) == 0 or len(df.columns) == 0:
        _notice(ax, "no rows", opts.title)
        ax.set_xlabel(opts.xtitle or "")
        ax.set_ylabel(opts.ytitle or "")
        return ax
    roles = roles_of(df, kind, opts)
    xs, values = table(df, roles)
    if values.isna().all().all():
        _notice(ax, "nothing to draw: every value is null", opts.title)
        return ax
    if kind == "piechart":
        note = _pie(ax, xs, values, opts)
    elif kind in ("barchart", "columnchart"):
        note = _bars(ax, xs, values, roles, opts, horizontal=kind == "barchart")
    else:
        note = _lines(ax, kind, xs, values, roles, opts)
    title = opts.title or ""
    if note:
        title = f"{title} ({note})" if title else note
    ax.set_title(title)
    if kind != "piechart" and (opts.legend == "visible" or (opts.legend is None and values.shape[1] > 1)):
        # outside the plot, so it never hides a bar or a line (constrained layout makes room)
        ax.legend(title=roles.series, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    return ax


# ------------------------------------------------------------------------------------ drawing


def _notice(ax: Axes, message: str, title: str | None) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="0.4")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title or "")


def _value_title(roles: Roles, opts: Options) -> str:
    if opts.ytitle is not None:
        return opts.ytitle
    if opts.stack == "stacked100":
        return "% of total"
    return roles.y[0] if len(roles.y) == 1 else ""


def _category_title(roles: Roles, opts: Options) -> str:
    return opts.xtitle if opts.xtitle is not None else (roles.x or "")


def _bars(ax: Axes, xs: pd.Series, values: pd.DataFrame, roles: Roles, opts: Options, *, horizontal: bool) -> str | None:
    if opts.accumulate:
        values = values.cumsum()
    labels, values, note = largest(labels_of(xs), values)
    if opts.stack == "stacked100":
        values = percent(values)
    pos = np.arange(len(labels), dtype=float)
    k = values.shape[1]
    width = 0.8 if opts.stacked else 0.8 / k
    up, down = np.zeros(len(pos)), np.zeros(len(pos))
    for i, name in enumerate(values.columns):
        v = values[name].to_numpy()
        ok = ~np.isnan(v)
        if not ok.any():
            continue
        if opts.stacked:
            at, base = pos, np.where(v >= 0, up, down)
            up += np.where(ok & (v >= 0), v, 0)
            down += np.where(ok & (v < 0), v, 0)
        else:
            at, base = pos + (i - (k - 1) / 2) * width, np.zeros(len(pos))
        if horizontal:
            ax.barh(at[ok], v[ok], height=width, left=base[ok], label=str(name))
        else:
            ax.bar(at[ok], v[ok], width=width, bottom=base[ok], label=str(name))
    if horizontal:
        _ticks(ax, "y", labels)
        ax.set_ylim(len(labels) - 0.5, -0.5)  # first row on top, as the table reads
        ax.set_ylabel(_category_title(roles, opts))
        ax.set_xlabel(_value_title(roles, opts))
    else:
        _ticks(ax, "x", labels)
        ax.set_xlim(-0.5, len(labels) - 0.5)
        ax.set_xlabel(_category_title(roles, opts))
        ax.set_ylabel(_value_title(roles, opts))
    _value_axis(ax, opts, "x" if horizontal else "y", values)
    return note


def _ticks(ax: Axes, axis: Literal["x", "y"], labels: list[str]) -> None:
    """One tick per category at 0, 1, 2…; smaller when crowded, slanted when long on the x-axis."""
    pos = np.arange(len(labels), dtype=float)
    if axis == "y":
        ax.set_yticks(pos, labels)
    else:
        ax.set_xticks(pos, labels)
    if len(labels) > 20:
        ax.tick_params(axis=axis, labelsize="small")
    if axis == "x" and (len(labels) > 8 or max(map(len, labels), default=0) > 12):
        ax.tick_params(axis="x", labelrotation=45)
        for text in ax.get_xticklabels():
            text.set_horizontalalignment("right")


def _value_axis(ax: Axes, opts: Options, axis: str, values: pd.DataFrame) -> None:
    """ymin, ymax, yaxis=log, the percent scale, and whole-number ticks for counts, on whichever
    axis carries the values."""
    set_lim, set_scale = (ax.set_xlim, ax.set_xscale) if axis == "x" else (ax.set_ylim, ax.set_yscale)
    scale = ax.xaxis if axis == "x" else ax.yaxis
    if opts.yaxis == "log":
        set_scale("log")
    if opts.stack == "stacked100":
        set_lim(0, 100)
        scale.set_major_formatter(PercentFormatter(100))
    elif opts.yaxis != "log" and bool(((values % 1 == 0) | values.isna()).all().all()):
        scale.set_major_locator(MaxNLocator(integer=True))  # no 2.5 devices
    if opts.ymin is not None or opts.ymax is not None:
        set_lim(opts.ymin, opts.ymax)


def _pie(ax: Axes, xs: pd.Series, values: pd.DataFrame, opts: Options) -> str | None:
    if opts.xaxis == "log" or opts.yaxis == "log":
        raise ChartError("a piechart has no axes to make logarithmic; drop xaxis= and yaxis=")
    labels, sizes = labels_of(xs), values.iloc[:, 0]
    ok = sizes.notna().to_numpy()
    labels, sizes = [lb for lb, keep in zip(labels, ok, strict=True) if keep], sizes[ok].reset_index(drop=True)
    negative = sizes[sizes < 0]
    if len(negative):
        first = negative.index[0]
        raise ChartError(f"piechart cannot draw negative values ({labels[first]}: {label_of(negative.iloc[0])})",
                         hint="render barchart or columnchart instead")
    labels, frame, note = largest(labels, sizes.to_frame())
    total = frame.iloc[:, 0].sum()
    if total == 0:
        _notice(ax, "nothing to draw: every value is zero", None)
        return note
    wedges = ax.pie(frame.iloc[:, 0].to_numpy(), labels=labels, startangle=90, counterclock=False)[0]
    if opts.legend == "visible":
        ax.legend(wedges, labels)
    return note


def _lines(ax: Axes, kind: str, xs: pd.Series, values: pd.DataFrame, roles: Roles, opts: Options) -> str | None:
    """Lines, areas and points are never cut to fewer x values: no note."""
    keep = xs.notna().to_numpy()
    xs, values = xs[keep].reset_index(drop=True), values[keep].reset_index(drop=True)
    is_time, is_number = is_datetime(xs), is_numeric(xs)
    xv: np.ndarray
    if is_time:
        xv = utc_naive(xs).to_numpy()
    elif is_number:
        xv = floats(xs)
    else:
        if opts.xaxis == "log":
            raise ChartError(f"xaxis=log needs a numeric x-axis; {roles.x} is {type_name(xs)}")
        xv = np.arange(len(xs), dtype=float)
    if is_time or is_number:
        order = np.argsort(xv, kind="stable")
        xv, xs, values = xv[order], xs.iloc[order], values.iloc[order].reset_index(drop=True)
    if opts.accumulate:
        values = values.cumsum()
    if kind == "areachart" and opts.stacked:
        filled = percent(values) if opts.stack == "stacked100" else values
        filled = filled.fillna(0)
        ax.stackplot(xv, *[filled[c].to_numpy() for c in filled.columns], labels=[str(c) for c in filled.columns])
    else:
        for name in values.columns:
            v = values[name].to_numpy()
            ok = ~np.isnan(v)
            if kind == "scatterchart":
                ax.scatter(xv[ok], v[ok], s=16, label=str(name))
            elif kind == "areachart":
                ax.fill_between(xv[ok], v[ok], alpha=0.4, label=str(name))
            else:
                ax.plot(xv[ok], v[ok], label=str(name), marker="o" if ok.sum() <= 30 else None, markersize=3)
    if is_time:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    elif not is_number:
        _ticks(ax, "x", labels_of(xs))
    if opts.xaxis == "log":
        ax.set_xscale("log")
    utc = " (UTC)" if is_time and getattr(xs.dt, "tz", None) is not None else ""
    ax.set_xlabel(opts.xtitle if opts.xtitle is not None else (f"{roles.x}{utc}" if roles.x else "row"))
    ax.set_ylabel(_value_title(roles, opts))
    _value_axis(ax, opts, "y", values)
    return None
