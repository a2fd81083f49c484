"""Plan → rows: runs plan steps on polars LazyFrames and hands pandas out at the boundary.

One method per step kind (``_scan``, ``_filter``, …). Everything stays lazy until the caller
collects, so polars optimises across steps (predicate and projection push-down, top-k for
``sort | limit``). ``to_pandas`` is the only place rows become pandas.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

from ..errors import QuerySemanticError
from ..language.types import ScalarType
from . import plan as p
from .functions import compile_aggregate, compile_expr, polars_dtype
from .ir import Apply, Bound, Col, Context


def execute(
    plan: p.Plan,
    tables: Mapping[Any, pl.LazyFrame],
    ctx: Context,
    steps: tuple[p.PlanStep, ...] | None = None,
    source: pl.LazyFrame | None = None,
) -> pl.LazyFrame:
    """The rows of ``plan`` (or of ``steps``, starting from ``source``) as a LazyFrame."""
    runner = _Runner(tables, ctx, str(plan.dialect))
    lf = source
    for s in plan.steps if steps is None else steps:
        lf = runner.run(s, lf)
    if lf is None:
        raise ValueError("a plan needs a source step")
    return lf


# polars 2 runs a query on its streaming engine by default, which costs a fixed ~0.3-0.6 ms to set
# up; on small inputs (a device's rows, a notebook's table) the in-memory engine finishes 2-4x
# sooner, and from about 30k rows streaming catches up or wins (benchmarks/bench_engine.py --engines).
IN_MEMORY_BELOW = 30_000


def collect(lf: pl.LazyFrame, rows: int | None) -> pl.DataFrame:
    """``lf``'s rows, on the faster engine for a query that reads ``rows`` input rows (None: unknown)."""
    small = rows is not None and rows < IN_MEMORY_BELOW
    return lf.collect(engine="in-memory" if small else "auto")


class _Runner:
    def __init__(self, tables: Mapping[Any, pl.LazyFrame], ctx: Context, dialect: str) -> None:
        self.tables, self.ctx = tables, ctx

    def run(self, s: p.PlanStep, lf: pl.LazyFrame | None) -> pl.LazyFrame:
        method = getattr(self, "_" + type(s.step).__name__.lower())
        result: pl.LazyFrame = method(s.step, s.schema, lf)
        return result

    def expr(self, e: Bound) -> pl.Expr:
        return compile_expr(e, self.ctx)

    # ---- sources
    def _scan(self, step: p.Scan, schema: p.Schema, lf: pl.LazyFrame | None) -> pl.LazyFrame:
        # one entity may be read with different arguments (Registry('A') join Registry('B')):
        # backends key those tables by (entity, args); tables given to evaluate() by name
        frame = self.tables.get((step.table, step.args)) if step.args else None
        if frame is None:
            frame = self.tables.get(step.table)
        if frame is None:
            raise QuerySemanticError(f"no rows were given for table '{step.table}'")
        return frame

    def _values(self, step: p.Values, schema: p.Schema, lf: pl.LazyFrame | None) -> pl.LazyFrame:
        if not schema.columns:  # print: one row to compute the items over
            return pl.LazyFrame({"__row__": [0] * len(step.rows)})
        data = {
            name: pl.Series(name, [row[i] for row in step.rows], dtype=_dtype_for_values(t), strict=False)
            for i, (name, t) in enumerate(schema.columns)
        }
        return pl.LazyFrame(data).with_columns(
            pl.col(name).cast(polars_dtype(t)) for name, t in schema.columns
        )

    def _generate(self, step: p.Generate, schema: p.Schema, lf: pl.LazyFrame | None) -> pl.LazyFrame:
        start, stop, by = step.start, step.stop, step.step
        if not by:
            raise QuerySemanticError("range needs a step that is not zero")
        t = schema.type_of(step.column)
        if all(isinstance(v, int) and not isinstance(v, bool) for v in (start, stop, by)):
            count = step.size() or 0
            _check_range_size(count)
            column = pl.int_range(start, start + count * by, by, dtype=pl.Int64, eager=True)
            return pl.LazyFrame({step.column: column}).with_columns(pl.col(step.column).cast(polars_dtype(t)))
        values: list[Any] = []
        x, ascending = start, by > _zero(by)
        while (x <= stop) if ascending else (x >= stop):
            values.append(x)
            x = x + by
            _check_range_size(len(values))
        return pl.LazyFrame({step.column: pl.Series(values, dtype=_dtype_for_values(t))}).with_columns(
            pl.col(step.column).cast(polars_dtype(t))
        )

    # ---- row operators
    def _filter(self, step: p.Filter, schema: p.Schema, lf: pl.LazyFrame) -> pl.LazyFrame:
        return lf.filter(self.expr(step.predicate))

    def _select(self, step: p.Select, schema: p.Schema, lf: pl.LazyFrame) -> pl.LazyFrame:
        exprs = []
        for name, e in step.columns:
            if isinstance(e, Col) and e.name == name:
                exprs.append(pl.col(name))
            else:
                exprs.append(self.expr(e).alias(name))
        if not any(_reads_columns(e) for _, e in step.columns):
            # polars makes a single row from a select of constants; Kusto keeps one per input row
            tmp = [f"__c{i}" for i in range(len(exprs))]
            return lf.with_columns(e.alias(t) for e, t in zip(exprs, tmp, strict=True)).select(
                pl.col(t).alias(name) for t, (name, _) in zip(tmp, step.columns, strict=True)
            )
        return lf.select(exprs)

    def _summarize(self, step: p.Summarize, schema: p.Schema, lf: pl.LazyFrame) -> pl.LazyFrame:
        aggs = [
            compile_aggregate(a, self.ctx).cast(polars_dtype(a.type)).alias(name)
            for name, a in step.aggregates
        ]
        if not step.keys:
            return lf.select(aggs) if aggs else lf.select().head(1)
        computed = [
            self.expr(e).alias(name) for name, e in step.keys if not (isinstance(e, Col) and e.name == name)
        ]
        if computed:
            lf = lf.with_columns(computed)
        keys = [name for name, _ in step.keys]
        if not aggs:
            return lf.unique(subset=keys, maintain_order=True).select(keys)
        # Groups come out in no particular order, as in Kusto: keeping first-appearance order costs
        # 1.6x on a million-group summarize; `order by` gives a stable order when it matters.
        return lf.group_by(keys).agg(aggs)

    def _distinct(self, step: p.Distinct, schema: p.Schema, lf: pl.LazyFrame) -> pl.LazyFrame:
        return lf.select(step.columns).unique(maintain_order=True)

    def _join(self, step: p.Join, schema: p.Schema, lf: pl.LazyFrame) -> pl.LazyFrame:
        right = execute(step.right, self.tables, self.ctx)
        left_on = [a for a, _ in step.on]
        if step.kind in ("leftsemi", "leftanti"):
            right_keys = right.select([pl.col(b).alias(a) for a, b in step.on])
            return lf.join(right_keys, on=left_on, how="semi" if step.kind == "leftsemi" else "anti")
        if step.kind in ("rightsemi", "rightanti"):
            left_keys = lf.select([pl.col(a).alias(b) for a, b in step.on])
            return right.join(
                left_keys, on=[b for _, b in step.on], how="semi" if step.kind == "rightsemi" else "anti"
            )
        how: Literal["inner", "left", "right", "full"] = {  # type: ignore[assignment]
            "inner": "inner",
            "innerunique": "inner",
            "leftouter": "left",
            "rightouter": "right",
            "fullouter": "full",
        }[step.kind]
        if step.kind == "innerunique":  # Kusto: one left row per key value (the first)
            lf = lf.unique(subset=left_on, keep="first", maintain_order=True)
        renamed = dict(step.right_columns)
        shared = [(a, b) for a, b in step.on if b not in renamed]
        if shared:
            # CMPivot's Device join: the output keeps one key column; coalescing it gives outer
            # joins the device of whichever side has the row (§9.5)
            keep = [pl.col(b).alias(a) for a, b in shared]
            right = right.select(keep + [pl.col(src).alias(out) for src, out in step.right_columns])
            joined = lf.join(right, on=[a for a, _ in shared], how=how, coalesce=True)
        else:
            right = right.select([pl.col(src).alias(out) for src, out in step.right_columns])
            joined = lf.join(
                right, left_on=left_on, right_on=[renamed[b] for _, b in step.on], how=how, coalesce=False
            )
        return joined.select(schema.names)

    def _sort(self, step: p.Sort, schema: p.Schema, lf: pl.LazyFrame) -> pl.LazyFrame:
        exprs = []
        for k in step.keys:
            e = self.expr(k.expr)
            if self.ctx.case_insensitive and k.expr.type == ScalarType.STRING:
                e = e.str.to_lowercase()  # CMPivot orders strings case-insensitively (§9.2)
            exprs.append(e)
        return lf.sort(
            exprs,
            descending=[k.descending for k in step.keys],
            nulls_last=[k.nulls_last for k in step.keys],
            maintain_order=step.stable,  # order by keeps ties in input order; top need not (top-k)
        )

    def _limit(self, step: p.Limit, schema: p.Schema, lf: pl.LazyFrame) -> pl.LazyFrame:
        return lf.head(step.count)

    def _countrows(self, step: p.CountRows, schema: p.Schema, lf: pl.LazyFrame) -> pl.LazyFrame:
        return lf.select(pl.len().cast(pl.Int64).alias(step.column))

    def _expand(self, step: p.Expand, schema: p.Schema, lf: pl.LazyFrame) -> pl.LazyFrame:
        frame = lf.collect()
        cols = [c for c, _ in step.columns]
        out: dict[str, list[Any]] = {name: [] for name in schema.names}
        for row in frame.iter_rows(named=True):
            lists = [_expand_value(row[c], step.kind) for c in cols]
            longest = max((len(v) for v in lists), default=0)
            if step.limit is not None:
                longest = min(longest, step.limit)
            for i in range(longest):
                for name in schema.names:
                    if name in cols:
                        items = lists[cols.index(name)]
                        out[name].append(items[i] if i < len(items) else None)
                    elif name == step.index:
                        out[name].append(i)
                    else:
                        out[name].append(row[name])
        result = {}
        for name, t in schema.columns:
            values = out[name]
            target = dict(step.columns).get(name)
            if name in cols:
                values = [_from_json(v, target) for v in values]
            result[name] = pl.Series(name, values, dtype=_dtype_for_values(t), strict=False)
        return pl.LazyFrame(result).with_columns(pl.col(n).cast(polars_dtype(t)) for n, t in schema.columns)


def _check_range_size(rows: int) -> None:
    if rows > 10_000_000:
        raise QuerySemanticError("range would make more than 10,000,000 rows")


def _zero(value: Any) -> Any:
    return dt.timedelta(0) if isinstance(value, dt.timedelta) else 0


def _dtype_for_values(t: ScalarType) -> pl.DataType:
    """The dtype to build a Series from Python values before casting it to the engine dtype."""
    if t == ScalarType.DATETIME:
        return pl.Datetime("us", "UTC")
    if t == ScalarType.TIMESPAN:
        return pl.Duration("us")
    return polars_dtype(t)


def _reads_columns(e: Bound) -> bool:
    if isinstance(e, Col):
        return True
    if isinstance(e, Apply):
        return any(_reads_columns(a) for a in e.args)
    return False


def _expand_value(text: Any, kind: str) -> list[Any]:
    """A dynamic cell's elements for mv-expand, each as JSON text.

    Kusto (mv-expand, "Returns"): a null value still makes one record, holding null; an empty
    array or bag makes none.
    """
    if text is None:
        return [None]
    value = json.loads(text)
    if isinstance(value, list):
        return [json.dumps(v, separators=(",", ":")) for v in value]
    if isinstance(value, dict):
        if kind == "array":
            return [json.dumps([k, v], separators=(",", ":")) for k, v in value.items()]
        return [json.dumps({k: v}, separators=(",", ":")) for k, v in value.items()]
    return [json.dumps(value)]


def _from_json(text: Any, target: ScalarType | None) -> Any:
    if text is None or target is None or target == ScalarType.DYNAMIC:
        return text
    value = json.loads(text)
    try:
        if target in (ScalarType.INT, ScalarType.LONG):
            return int(value)
        if target == ScalarType.REAL:
            return float(value)
        if target == ScalarType.STRING:
            return value if isinstance(value, str) else json.dumps(value)
        if target == ScalarType.BOOL:
            return bool(value)
    except (TypeError, ValueError):
        return None
    return value


# ---------------------------------------------------------------------------------- boundary

_ARROW_TO_PANDAS: dict[pa.DataType, Any] = {
    pa.int64(): pd.Int64Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}
# pandas' own string dtype for text (``str`` on pandas 3); object on pandas 2, which has no
# ``__from_arrow__`` and takes the generic path below
_TEXT = pa.array([], pa.large_string()).to_pandas().dtype
if hasattr(_TEXT, "__from_arrow__"):
    _ARROW_TO_PANDAS[pa.large_string()] = _ARROW_TO_PANDAS[pa.string()] = _TEXT


def to_pandas(frame: pl.DataFrame, schema: p.Schema) -> pd.DataFrame:
    """The user's DataFrame: hidden columns dropped, nullable integer and boolean dtypes, UTC
    datetimes, timedeltas, and dynamic values decoded from JSON to Python objects.

    Column by column into one ``DataFrame``: the frame ``Table.to_pandas`` gives, without its
    fixed ~0.3 ms of block assembly, which dominated small results (tests/engine/test_boundary.py
    holds the two equal).
    """
    return pd.DataFrame(
        {name: _decoded(frame.get_column(name)) if t == ScalarType.DYNAMIC else _column(frame.get_column(name))
         for name, t in schema.visible},
        copy=False,
    )


def _column(series: pl.Series) -> Any:
    """One column as pandas holds it, in memory the frame owns (so the user can edit it)."""
    dtype = series.dtype
    if dtype.is_float() or isinstance(dtype, pl.Duration):
        return series.to_numpy(writable=True)  # numpy-backed in pandas; nulls are NaN / NaT
    if isinstance(dtype, pl.Datetime):
        values = series.to_numpy(writable=True)  # UTC instants
        if dtype.time_zone is None:
            return values
        instants = pd.DatetimeIndex(values).tz_localize("UTC")
        return (instants if dtype.time_zone == "UTC" else instants.tz_convert(dtype.time_zone)).array
    arrow = series.to_arrow()
    target = _ARROW_TO_PANDAS.get(arrow.type)
    if target is not None:  # integers, booleans, text: pandas builds these from arrow itself
        return target.__from_arrow__(arrow)
    # anything else (not an engine dtype, but a given table's column may be one): pyarrow's own rules
    return pa.table({series.name: arrow}).to_pandas(types_mapper=_ARROW_TO_PANDAS.get)[series.name]


def _decoded(series: pl.Series) -> pd.Series:
    """Dynamic values (JSON text) as Python objects, one per row: lists stay lists (not a 2-D
    array) and a column of only strings stays object (pandas would make it ``str``, nulls NaN)."""
    out = np.empty(len(series), dtype=object)
    for i, text in enumerate(series.to_list()):
        if text is not None:
            out[i] = json.loads(text)
    return pd.Series(out, dtype=object, copy=False)


def schema_of_frame(frame: pl.DataFrame | pl.LazyFrame, device: str | None = None) -> p.Schema:
    """A table's schema read off a given frame's own columns and dtypes."""
    schema = frame.collect_schema() if isinstance(frame, pl.LazyFrame) else frame.schema
    return p.Schema(tuple((name, scalar_type_of(dtype)) for name, dtype in schema.items()), device)


def scalar_type_of(dtype: pl.DataType) -> ScalarType:
    """The scalar type a given column's polars dtype holds (anything nested is dynamic)."""
    known = _SCALAR_OF_DTYPE.get(dtype.base_type())
    if known is not None:
        return known
    if dtype.is_integer():  # the wider integers (Int128, UInt128)
        return ScalarType.LONG
    if dtype.is_float():  # Float16
        return ScalarType.REAL
    return ScalarType.DYNAMIC


_SCALAR_OF_DTYPE: dict[type[pl.DataType], ScalarType] = {
    pl.Boolean: ScalarType.BOOL,
    **dict.fromkeys((pl.Int8, pl.Int16, pl.Int32, pl.UInt8, pl.UInt16), ScalarType.INT),
    **dict.fromkeys((pl.Int64, pl.UInt32, pl.UInt64), ScalarType.LONG),
    **dict.fromkeys((pl.Float32, pl.Float64, pl.Decimal), ScalarType.REAL),
    **dict.fromkeys((pl.String, pl.Categorical, pl.Enum, pl.Null), ScalarType.STRING),
    **dict.fromkeys((pl.Datetime, pl.Date), ScalarType.DATETIME),
    pl.Duration: ScalarType.TIMESPAN,
}


def normalise_frame(frame: pl.DataFrame | pl.LazyFrame, schema: p.Schema) -> pl.LazyFrame:
    """Cast a given frame's columns to the engine's dtypes (UTC ns datetimes, JSON dynamics)."""
    lf = frame.lazy()
    current = lf.collect_schema()
    casts = []
    for name, t in schema.columns:
        dtype = current[name]
        target = polars_dtype(t)
        if dtype == target:
            continue
        if t == ScalarType.DYNAMIC:
            casts.append(
                pl.col(name).map_elements(
                    lambda v: (
                        None
                        if v is None
                        else json.dumps(
                            v if not hasattr(v, "to_list") else v.to_list(),
                            default=str,
                            separators=(",", ":"),
                        )
                    ),
                    return_dtype=pl.String,
                )
            )
        elif isinstance(dtype, pl.Datetime) and dtype.time_zone is None:
            casts.append(pl.col(name).dt.replace_time_zone("UTC").cast(target))
        elif t == ScalarType.STRING and dtype != pl.String:
            casts.append(pl.col(name).cast(pl.String))
        else:
            casts.append(pl.col(name).cast(target))
    return lf.with_columns(casts) if casts else lf


def from_pandas(frame: Any) -> pl.DataFrame:
    """A pandas (or polars) frame as polars; object columns of lists and dicts stay objects."""
    if isinstance(frame, pl.DataFrame):
        return frame
    if isinstance(frame, pl.LazyFrame):
        return frame.collect()
    if isinstance(frame, pd.DataFrame):
        try:
            return pl.from_pandas(frame)
        except (TypeError, ValueError, pa.ArrowInvalid):
            data = {c: pl.Series(c, frame[c].tolist(), dtype=pl.Object) for c in frame.columns}
            return pl.DataFrame(data)
    raise TypeError(f"expected a pandas or polars DataFrame, got {type(frame).__name__}")


def ensure_device_column(name: str, schema: p.Schema) -> None:
    if schema.resolve("Device") is None:
        raise QuerySemanticError(
            f"the table given for entity {name} has no Device column",
            hint="CMPivot rows always say which device they came from: add a Device column of device names",
        )


__all__ = ["execute", "from_pandas", "normalise_frame", "schema_of_frame", "to_pandas"]
