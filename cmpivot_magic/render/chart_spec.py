"""Chart rules, part 1: a ``render`` spec read against the result — the ``with (...)`` properties
checked and typed (``Options``) and which column plays which part (``Roles``).

The rules themselves are listed in ``charts.py``'s docstring; this module raises ``ChartError``
for a spec that asks for something the result cannot give, before anything is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
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
        x = next((c for c in columns if is_datetime(df[c])), "")
        if not x:
            raise ChartError(f"timechart needs a datetime column for its x-axis; this result has {describe(df)}",
                             hint="summarize by a time bucket, as in | summarize count() by bin(LastBootUpTime, 1d), "
                                  "or render linechart or columnchart")
    elif len(columns) == 1 and is_numeric(df[columns[0]]):
        return Roles(None, (columns[0],))
    else:
        x = columns[0]
    if kind == "timechart" and not is_datetime(df[x]):
        raise ChartError(f"timechart needs a datetime x-axis; {x} is {type_name(df[x])}",
                         hint="name a datetime column with xcolumn=, or render linechart")
    series = find(opts.series, "series") if opts.series else None
    if series is not None and kind == "piechart":
        raise ChartError("piechart has no series; its wedges are the x values",
                         hint="render columnchart with (kind=stacked, series=...) to split values by series")
    if opts.ycolumns:
        y = tuple(find(c, "ycolumns") for c in opts.ycolumns)
        for c in y:
            if not is_numeric(df[c]):
                raise ChartError(f"ycolumns names {c}, which is {type_name(df[c])}; values must be numeric")
    else:
        y = tuple(c for c in columns if c not in (x, series) and is_numeric(df[c]))
    if not y:
        where = "after the first" if x == columns[0] else f"besides {x}"
        raise ChartError(f"{kind} needs at least one numeric column {where}; this result has {describe(df)}",
                         hint=f"draw a number per row, as in | summarize count() by {x}, "
                              "or name the values with with (ycolumns=...)")
    if series is None and kind in _LINE_KINDS and len(y) == 1:
        extra = [c for c in columns if c not in (x, *y) and not is_numeric(df[c])]
        if len(extra) == 1:
            series = extra[0]
    return Roles(x, y[:1] if kind == "piechart" else y, series)


def describe(df: pd.DataFrame) -> str:
    """``columns A:string, B:long``: the result's shape, for error messages."""
    return "columns " + ", ".join(f"{c}:{type_name(df[c])}" for c in df.columns)


def is_numeric(s: pd.Series) -> bool:
    return pdt.is_numeric_dtype(s.dtype) and not pdt.is_bool_dtype(s.dtype)


def is_datetime(s: pd.Series) -> bool:
    return pdt.is_datetime64_any_dtype(s.dtype)


def type_name(s: pd.Series) -> str:
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
