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
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter
from pandas.api import types as pdt

from ..engine.plan import RenderSpec
from ..errors import ChartError

SUPPORTED_KINDS = ("barchart", "columnchart", "piechart", "timechart", "areachart", "linechart", "scatterchart")
MAX_CATEGORIES = 50
NULL_LABEL = "(null)"

_LINE_KINDS = ("timechart", "linechart", "areachart", "scatterchart")
_STACKABLE = ("barchart", "columnchart", "areachart")
_STACK_MODES = ("default", "unstacked", "stacked", "stacked100")
_PROPERTIES = ("title", "xtitle", "ytitle", "kind", "legend", "xcolumn", "ycolumns", "series",
               "ymin", "ymax", "xaxis", "yaxis", "accumulate")
_IGNORED = ("ysplit", "anomalycolumns")  # KQL layout hints that mean nothing on one Axes


@dataclass(frozen=True)
class Options:
    """The ``with (...)`` properties, checked and typed."""

    title: str | None = None
    xtitle: str | None = None
    ytitle: str | None = None
    stack: str = "default"
    legend: str | None = None
    xcolumn: str | None = None
    ycolumns: tuple[str, ...] = ()
    series: str | None = None
    ymin: float | None = None
    ymax: float | None = None
    xaxis: str = "linear"
    yaxis: str = "linear"
    accumulate: bool = False

    @property
    def stacked(self) -> bool:
        return self.stack in ("stacked", "stacked100")


@dataclass(frozen=True)
class Roles:
    """Which column plays which part: x (None when the result is one numeric column), y, series."""

    x: str | None
    y: tuple[str, ...]
    series: str | None = None


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
    xs, values = _table(df, roles)
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


def options(spec: RenderSpec, kind: str) -> Options:
    """Check ``spec``'s properties against what ``kind`` can honour."""
    given: dict[str, Any] = {}
    for key, value in spec.properties:
        if key.lower() not in _IGNORED:
            if key.lower() not in _PROPERTIES:
                raise ChartError(f"unknown render property '{key}'; use one of {', '.join(_PROPERTIES)}")
            given[key.lower()] = value

    def choice(key: str, allowed: Sequence[str], default: str) -> str:
        value = str(given.get(key, default)).lower()
        if value not in allowed:
            raise ChartError(f"{key}={given[key]} is not a choice; use {key}= one of {', '.join(allowed)}")
        return value

    def number(key: str) -> float | None:
        value = given.get(key)
        if value is None:
            return None
        try:
            if isinstance(value, bool):
                raise ValueError(value)
            return float(value)
        except ValueError:
            raise ChartError(f"{key}={value!r} is not a number; write it as in {key}=100") from None

    def text(key: str) -> str | None:
        return None if given.get(key) is None else str(given[key])

    stack = choice("kind", _STACK_MODES, "default")
    if stack in ("stacked", "stacked100") and kind not in _STACKABLE:
        raise ChartError(f"kind={stack} does not apply to {kind}; only {', '.join(_STACKABLE)} stack",
                         hint="for stacked values over time, use render areachart with (kind=stacked)")
    accumulate = str(given.get("accumulate", False)).lower()
    if accumulate not in ("true", "false"):
        raise ChartError(f"accumulate={given['accumulate']} is not a choice; use accumulate=true or false")
    ycolumns = tuple(c.strip() for c in str(given.get("ycolumns", "")).split(",") if c.strip())
    limits = number("ymin"), number("ymax")
    return Options(
        title=text("title"), xtitle=text("xtitle"), ytitle=text("ytitle"), stack=stack,
        legend=choice("legend", ("visible", "hidden"), "visible") if "legend" in given else None,
        xcolumn=text("xcolumn"), ycolumns=ycolumns, series=text("series"), ymin=limits[0], ymax=limits[1],
        xaxis=choice("xaxis", ("linear", "log"), "linear"), yaxis=choice("yaxis", ("linear", "log"), "linear"),
        accumulate=accumulate == "true",
    )


def roles_of(df: pd.DataFrame, kind: str, opts: Options) -> Roles:
    """Column roles per §7.3 (see the module docstring)."""
    columns = [str(c) for c in df.columns]

    def find(name: str, prop: str) -> str:
        found = name if name in columns else next((c for c in columns if c.lower() == name.lower()), None)
        if found is None:
            raise ChartError(f"{prop} '{name}' is not a column of this result; it has {describe(df)}")
        return found

    if opts.xcolumn:
        x = find(opts.xcolumn, "xcolumn")
    elif kind == "timechart":
        x = next((c for c in columns if _is_datetime(df[c])), "")
        if not x:
            raise ChartError(f"timechart needs a datetime column for its x-axis; this result has {describe(df)}",
                             hint="summarize by a time bucket, as in | summarize count() by bin(LastBootUpTime, 1d), "
                                  "or render linechart or columnchart")
    elif len(columns) == 1 and _is_numeric(df[columns[0]]):
        return Roles(None, (columns[0],))
    else:
        x = columns[0]
    if kind == "timechart" and not _is_datetime(df[x]):
        raise ChartError(f"timechart needs a datetime x-axis; {x} is {_type_name(df[x])}",
                         hint="name a datetime column with xcolumn=, or render linechart")
    series = find(opts.series, "series") if opts.series else None
    if series is not None and kind == "piechart":
        raise ChartError("piechart has no series; its wedges are the x values",
                         hint="render columnchart with (kind=stacked, series=...) to split values by series")
    if opts.ycolumns:
        y = tuple(find(c, "ycolumns") for c in opts.ycolumns)
        for c in y:
            if not _is_numeric(df[c]):
                raise ChartError(f"ycolumns names {c}, which is {_type_name(df[c])}; values must be numeric")
    else:
        y = tuple(c for c in columns if c not in (x, series) and _is_numeric(df[c]))
    if not y:
        where = "after the first" if x == columns[0] else f"besides {x}"
        raise ChartError(f"{kind} needs at least one numeric column {where}; this result has {describe(df)}",
                         hint=f"draw a number per row, as in | summarize count() by {x}, "
                              "or name the values with with (ycolumns=...)")
    if series is None and kind in _LINE_KINDS and len(y) == 1:
        extra = [c for c in columns if c not in (x, *y) and not _is_numeric(df[c])]
        if len(extra) == 1:
            series = extra[0]
    return Roles(x, y[:1] if kind == "piechart" else y, series)


def describe(df: pd.DataFrame) -> str:
    """``columns A:string, B:long``: the result's shape, for error messages."""
    return "columns " + ", ".join(f"{c}:{_type_name(df[c])}" for c in df.columns)


# ------------------------------------------------------------------------------------ data


def _table(df: pd.DataFrame, roles: Roles) -> tuple[pd.Series, pd.DataFrame]:
    """x values and one float column per series (NaN for null), one row per x position."""
    values = pd.DataFrame({c: _floats(df[c]) for c in roles.y})
    if roles.x is None:
        name = roles.y[0]
        return pd.Series([name] if len(df) == 1 else np.arange(1, len(df) + 1)), values
    xs = df[roles.x].reset_index(drop=True)
    if roles.series is None:
        return xs, values
    # one column per series value, one row per distinct x, both in order of first appearance
    x_codes, x_values = pd.factorize(xs, use_na_sentinel=False)
    s_codes, s_values = pd.factorize(pd.Series(_labels(df[roles.series])))
    v = values[roles.y[0]].to_numpy()
    ok = ~np.isnan(v)
    sums = np.zeros((len(x_values), len(s_values)))
    np.add.at(sums, (x_codes[ok], s_codes[ok]), v[ok])
    seen = np.zeros(sums.shape, dtype=bool)
    seen[x_codes[ok], s_codes[ok]] = True
    wide = pd.DataFrame(np.where(seen, sums, np.nan), columns=[str(s) for s in s_values])
    return pd.Series(x_values, name=roles.x), wide


def _floats(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype="float64", na_value=np.nan)


def _is_numeric(s: pd.Series) -> bool:
    return pdt.is_numeric_dtype(s.dtype) and not pdt.is_bool_dtype(s.dtype)


def _is_datetime(s: pd.Series) -> bool:
    return pdt.is_datetime64_any_dtype(s.dtype)


def _type_name(s: pd.Series) -> str:
    """The CMPivot/KQL type name of a column (§2.4)."""
    dtype = s.dtype
    if pdt.is_bool_dtype(dtype):
        return "bool"
    if pdt.is_integer_dtype(dtype):
        return "long"
    if pdt.is_float_dtype(dtype):
        return "real"
    if pdt.is_datetime64_any_dtype(dtype):
        return "datetime"
    if pdt.is_timedelta64_dtype(dtype):
        return "timespan"
    if pdt.is_object_dtype(dtype):
        return "string" if pdt.infer_dtype(s, skipna=True) in ("string", "empty") else "dynamic"
    return "string"


def _utc_naive(s: pd.Series) -> pd.Series:
    """Datetimes as naive UTC (matplotlib's date axis reads them as UTC)."""
    tz = getattr(s.dt, "tz", None)
    return s.dt.tz_convert("UTC").dt.tz_localize(None) if tz is not None else s


def _labels(xs: pd.Series) -> list[str]:
    """Category labels: nulls as "(null)", whole floats without ".0", datetimes as dates when all
    fall on midnight, else to the second."""
    if _is_datetime(xs):
        ts = _utc_naive(xs)
        present = ts.dropna()
        fmt = "%Y-%m-%d" if (present == present.dt.normalize()).all() else "%Y-%m-%d %H:%M:%S"
        return [NULL_LABEL if pd.isna(t) else t.strftime(fmt) for t in ts]
    return [_label(v) for v in xs]


def _label(v: Any) -> str:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float | np.floating) and np.isnan(v)):
        return NULL_LABEL
    if isinstance(v, bool | np.bool_):
        return "true" if v else "false"
    if isinstance(v, float | np.floating) and float(v).is_integer():
        return str(int(v))
    return str(v)


def _percent(values: pd.DataFrame) -> pd.DataFrame:
    """Each row as a share of its total, in percent (a row totalling 0 draws nothing)."""
    total = values.sum(axis=1)
    return values.div(total.where(total != 0), axis=0) * 100


def _largest(labels: list[str], values: pd.DataFrame) -> tuple[list[str], pd.DataFrame, str | None]:
    """The MAX_CATEGORIES largest categories, in their original order, and the note that says so."""
    n = len(labels)
    if n <= MAX_CATEGORIES:
        return labels, values, None
    size = values.abs().sum(axis=1)
    keep = np.sort(size.nlargest(MAX_CATEGORIES, keep="first").index.to_numpy())
    note = f"showing {MAX_CATEGORIES} of {n} categories"
    return [labels[i] for i in keep], values.iloc[keep].reset_index(drop=True), note


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
    labels, values, note = _largest(_labels(xs), values)
    if opts.stack == "stacked100":
        values = _percent(values)
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
    labels, sizes = _labels(xs), values.iloc[:, 0]
    ok = sizes.notna().to_numpy()
    labels, sizes = [lb for lb, keep in zip(labels, ok, strict=True) if keep], sizes[ok].reset_index(drop=True)
    negative = sizes[sizes < 0]
    if len(negative):
        first = negative.index[0]
        raise ChartError(f"piechart cannot draw negative values ({labels[first]}: {_label(negative.iloc[0])})",
                         hint="render barchart or columnchart instead")
    labels, frame, note = _largest(labels, sizes.to_frame())
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
    is_time, is_number = _is_datetime(xs), _is_numeric(xs)
    xv: np.ndarray
    if is_time:
        xv = _utc_naive(xs).to_numpy()
    elif is_number:
        xv = _floats(xs)
    else:
        if opts.xaxis == "log":
            raise ChartError(f"xaxis=log needs a numeric x-axis; {roles.x} is {_type_name(xs)}")
        xv = np.arange(len(xs), dtype=float)
    if is_time or is_number:
        order = np.argsort(xv, kind="stable")
        xv, xs, values = xv[order], xs.iloc[order], values.iloc[order].reset_index(drop=True)
    if opts.accumulate:
        values = values.cumsum()
    if kind == "areachart" and opts.stacked:
        filled = _percent(values) if opts.stack == "stacked100" else values
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
        _ticks(ax, "x", _labels(xs))
    if opts.xaxis == "log":
        ax.set_xscale("log")
    utc = " (UTC)" if is_time and getattr(xs.dt, "tz", None) is not None else ""
    ax.set_xlabel(opts.xtitle if opts.xtitle is not None else (f"{roles.x}{utc}" if roles.x else "row"))
    ax.set_ylabel(_value_title(roles, opts))
    _value_axis(ax, opts, "y", values)
    return None
