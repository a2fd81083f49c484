"""The step runner: plan steps → a polars LazyFrame, one handler per step kind.

``_HANDLERS`` maps each step class of ``plan.py`` to the method that runs it (``Scan`` →
``_scan``, ``CountRows`` → ``_count_rows``, …), so a new step kind is one entry and one method,
and a step without a handler is an error at import rather than a missing attribute at run time.
A step that fails is re-raised as a ``CMPivotError`` naming the step (sqlglot's executor does the
same): a ``CMPivotError`` keeps its class and message and gains the step as ``.step`` and a note;
anything else becomes a ``CMPivotError`` whose message names the step.

Everything stays lazy until the caller collects, so polars optimises across steps (predicate and
projection push-down, top-k for ``sort | limit``). Callers outside the engine go through the
front door (``engine/__init__.py``), which builds the ``Context`` and collects.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any, Literal

import polars as pl

from ..errors import CMPivotError, QuerySemanticError
from ..language.types import ScalarType
from . import plan as p
from .frames import polars_dtype
from .functions import compile_aggregate, compile_expr
from .ir import Apply, Bound, Col, Context


def execute(
    plan: p.Plan,
    tables: Mapping[Any, pl.LazyFrame],
    ctx: Context,
    steps: tuple[p.PlanStep, ...] | None = None,
    source: pl.LazyFrame | None = None,
) -> pl.LazyFrame:
    """The rows of ``plan`` (or of ``steps``, starting from ``source``) as a LazyFrame."""
    runner = _Runner(tables, ctx)
    lf = source
    for s in plan.steps if steps is None else steps:
        lf = runner.run(s, lf)
    if lf is None:
        raise CMPivotError("a plan needs a source step")
    return lf


# polars 2 runs a query on its streaming engine by default, which costs a fixed ~0.3-0.6 ms to set
# up; on small inputs (a device's rows, a notebook's table) the in-memory engine finishes 2-4x
# sooner, and from about 30k rows streaming catches up or wins (benchmarks/bench_engine.py --engines).
IN_MEMORY_BELOW = 30_000


def collect(lf: pl.LazyFrame, rows: int | None) -> pl.DataFrame:
    """``lf``'s rows, on the faster engine for a query that reads ``rows`` input rows (None: unknown)."""
    small = rows is not None and rows < IN_MEMORY_BELOW
    return lf.collect(engine="in-memory" if small else "auto")


def run(
    plan: p.Plan,
    tables: Mapping[Any, pl.LazyFrame],
    ctx: Context,
    rows: int | None,
    steps: tuple[p.PlanStep, ...] | None = None,
    source: pl.LazyFrame | None = None,
) -> pl.DataFrame:
    """``execute`` then ``collect``: the rows of ``plan`` (or of ``steps`` from ``source``).

    A failure while polars computes the rows is re-raised naming the first step whose rows
    cannot be computed (found by collecting each prefix of the steps in turn: slow, but only
    once something has already failed)."""
    steps = plan.steps if steps is None else steps
    lf = execute(plan, tables, ctx, steps, source)
    try:
        return collect(lf, rows)
    except CMPivotError:
        raise
    except Exception as err:
        step = _first_failing(plan, tables, ctx, steps, source)
        if step is None:  # no step: the given rows themselves could not be read
            raise CMPivotError(f"the rows could not be read: {err}") from err
        raise _naming(CMPivotError(f"step '{step.describe()}' failed: {err}"), step) from err


def _first_failing(plan: p.Plan, tables: Mapping[Any, pl.LazyFrame], ctx: Context,
                   steps: tuple[p.PlanStep, ...], source: pl.LazyFrame | None) -> p.Step | None:
    for k in range(1, len(steps)):
        try:
            execute(plan, tables, ctx, steps[:k], source).collect()
        except Exception:
            return steps[k - 1].step
    return steps[-1].step if steps else None


class _Runner:
    """Runs steps over ``tables`` (keyed by table name, or by (entity, arguments)) under ``ctx``."""

    def __init__(self, tables: Mapping[Any, pl.LazyFrame], ctx: Context) -> None:
        self.tables, self.ctx = tables, ctx

    def run(self, s: p.PlanStep, lf: pl.LazyFrame | None) -> pl.LazyFrame:
        """``s`` applied to ``lf`` (None before a source step); a failure names the step."""
        handler = _HANDLERS[type(s.step)]
        try:
            return handler(self, s.step, s.schema, lf)
        except CMPivotError as err:
            _naming(err, s.step)
            raise
        except Exception as err:  # polars refusing an expression: still one of our errors
            raise _naming(CMPivotError(f"step '{s.step.describe()}' failed: {err}"), s.step) from err

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

    def _count_rows(self, step: p.CountRows, schema: p.Schema, lf: pl.LazyFrame) -> pl.LazyFrame:
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


# One handler per step kind of plan.py (tests/engine/test_front_door.py checks none is missing).
_HANDLERS: dict[type, Callable[[_Runner, Any, p.Schema, Any], pl.LazyFrame]] = {
    p.Scan: _Runner._scan,
    p.Values: _Runner._values,
    p.Generate: _Runner._generate,
    p.Filter: _Runner._filter,
    p.Select: _Runner._select,
    p.Summarize: _Runner._summarize,
    p.Distinct: _Runner._distinct,
    p.Join: _Runner._join,
    p.Sort: _Runner._sort,
    p.Limit: _Runner._limit,
    p.CountRows: _Runner._count_rows,
    p.Expand: _Runner._expand,
}


def _naming(err: CMPivotError, step: p.Step) -> CMPivotError:
    """``err`` tagged with the step that failed: ``.step`` and a note (the innermost step wins, so
    a failure inside a join's right side names that side's step)."""
    if getattr(err, "step", None) is None:
        err.step = step.describe()  # type: ignore[attr-defined]
        err.add_note(f"in plan step: {err.step}")  # type: ignore[attr-defined]
    return err


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


__all__ = ["IN_MEMORY_BELOW", "collect", "execute", "run"]
