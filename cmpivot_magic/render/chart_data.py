"""Chart rules, part 2: a result's rows shaped for drawing — the x values and one float column
per series, category labels, the largest categories when there are too many, and shares of a total.

Pure functions of pandas objects (no matplotlib); the rules are listed in ``charts.py``'s docstring.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .chart_spec import MAX_CATEGORIES, NULL_LABEL, Roles, is_datetime


def table(df: pd.DataFrame, roles: Roles) -> tuple[pd.Series, pd.DataFrame]:
    """x values and one float column per series (NaN for null), one row per x position."""
    values = pd.DataFrame({c: floats(df[c]) for c in roles.y})
    if roles.x is None:
        name = roles.y[0]
        return pd.Series([name] if len(df) == 1 else np.arange(1, len(df) + 1)), values
    xs = df[roles.x].reset_index(drop=True)
    if roles.series is None:
        return xs, values
    # one column per series value, one row per distinct x, both in order of first appearance
    x_codes, x_values = pd.factorize(xs, use_na_sentinel=False)
    s_codes, s_values = pd.factorize(pd.Series(labels_of(df[roles.series])))
    v = values[roles.y[0]].to_numpy()
    ok = ~np.isnan(v)
    sums = np.zeros((len(x_values), len(s_values)))
    np.add.at(sums, (x_codes[ok], s_codes[ok]), v[ok])
    seen = np.zeros(sums.shape, dtype=bool)
    seen[x_codes[ok], s_codes[ok]] = True
    wide = pd.DataFrame(np.where(seen, sums, np.nan), columns=[str(s) for s in s_values])
    return pd.Series(x_values, name=roles.x), wide


def floats(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype="float64", na_value=np.nan)


def utc_naive(s: pd.Series) -> pd.Series:
    """Datetimes as naive UTC (matplotlib's date axis reads them as UTC)."""
    tz = getattr(s.dt, "tz", None)
    return s.dt.tz_convert("UTC").dt.tz_localize(None) if tz is not None else s


def labels_of(xs: pd.Series) -> list[str]:
    """Category labels: nulls as "(null)", whole floats without ".0", datetimes as dates when all
    fall on midnight, else to the second."""
    if is_datetime(xs):
        ts = utc_naive(xs)
        present = ts.dropna()
        fmt = "%Y-%m-%d" if (present == present.dt.normalize()).all() else "%Y-%m-%d %H:%M:%S"
        return [NULL_LABEL if pd.isna(t) else t.strftime(fmt) for t in ts]
    return [label_of(v) for v in xs]


def label_of(v: Any) -> str:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float | np.floating) and np.isnan(v)):
        return NULL_LABEL
    if isinstance(v, bool | np.bool_):
        return "true" if v else "false"
    if isinstance(v, float | np.floating) and float(v).is_integer():
        return str(int(v))
    return str(v)


def percent(values: pd.DataFrame) -> pd.DataFrame:
    """Each row as a share of its total, in percent (a row totalling 0 draws nothing)."""
    total = values.sum(axis=1)
    return values.div(total.where(total != 0), axis=0) * 100


def largest(labels: list[str], values: pd.DataFrame) -> tuple[list[str], pd.DataFrame, str | None]:
    """The MAX_CATEGORIES largest categories, in their original order, and the note that says so."""
    n = len(labels)
    if n <= MAX_CATEGORIES:
        return labels, values, None
    size = values.abs().sum(axis=1)
    keep = np.sort(size.nlargest(MAX_CATEGORIES, keep="first").index.to_numpy())
    note = f"showing {MAX_CATEGORIES} of {n} categories"
    return [labels[i] for i in keep], values.iloc[keep].reset_index(drop=True), note
