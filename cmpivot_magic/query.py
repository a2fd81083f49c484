"""The public front door of the pipeline: ``parse`` a query, ``evaluate`` it over given tables.

``Query`` is parse + plan: its ``explain()`` prints the plan, ``output_schema`` gives the result's
columns, and ``str(query)`` is the canonical text. In the cmpivot dialect the plan is made at
once against the entity catalog, so every error surfaces before anything is sent to a device.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cached_property, lru_cache
from typing import Any

import pandas as pd
import polars as pl

from . import engine
from .catalog import Catalog
from .engine import frames
from .engine.plan import DEVICE, Plan, Schema
from .language import nodes
from .language.dialect import dialect_named
from .language.limits import recursion_guard
from .language.links import query_text
from .language.parser import parse_text
from .language.printer import format_pipeline, format_query


class Query:
    """A parsed query. Compare with ``==`` (same meaning), print with ``str`` (canonical text)."""

    def __init__(self, text: str, ast: nodes.QueryText, dialect: str, catalog: Catalog | None = None) -> None:
        self.text = text
        self.ast = ast
        self.dialect = dialect
        self.catalog = catalog
        """The connection's catalog the query is planned against (None: the documented entities)."""

    @cached_property
    def plan(self) -> Plan:
        """The plan against the entity catalog (and any ``let``-bound or literal tables)."""
        with recursion_guard(self.text, self.ast):
            return engine.plan_query(self.ast, self.dialect, text=self.text, catalog=self.catalog)

    def plan_for(self, tables: Mapping[str, Schema]) -> Plan:
        """The plan against the schemas of tables given at evaluation time."""
        if not tables:
            return self.plan
        with recursion_guard(self.text, self.ast):
            return engine.plan_query(self.ast, self.dialect, tables=tables, text=self.text, catalog=self.catalog)

    @property
    def output_schema(self) -> dict[str, str]:
        """Ordered column name → type name of the query's result."""
        return {name: t.value for name, t in self.plan.output_schema.items()}

    @property
    def device_query(self) -> str:
        """The query text each device evaluates (its device part), as CMPivot would send it."""
        body = self.ast.body
        ops = body.operators[: self.plan.device_operators]
        if self.plan.device_projection:
            items = tuple(nodes.Assign(None, nodes.Name(c)) for c in self.plan.device_projection)
            ops = (*ops, nodes.Project(items))
        return format_pipeline(nodes.Pipeline(body.source, ops), inline=True)

    def explain(self) -> str:
        return self.plan.explain()

    def __str__(self) -> str:
        with recursion_guard(self.text, self.ast):
            return format_query(self.ast)

    def __repr__(self) -> str:
        return f"Query({str(self)!r}, dialect={self.dialect!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Query):
            return False
        with recursion_guard(self.text, self.ast):
            return self.ast == other.ast and self.dialect == other.dialect

    def __hash__(self) -> int:
        return hash((str(self), self.dialect))


@lru_cache(maxsize=256)
def _parse_cached(text: str, dialect: str) -> nodes.QueryText:
    return parse_text(text, dialect)


def parse(text: str, dialect: str = "cmpivot", catalog: Catalog | None = None) -> Query:
    """Parse (and, in the cmpivot dialect, plan) a query; raise a ``CMPivotError`` if it is wrong.

    ``catalog`` is the connection's entity list (``Session.catalog``; default: the documented
    entities). Only the syntax tree is cached, so the same text planned against two catalogs
    gets two plans.

    >>> print(parse("Process | summarize count() by Name | top 5 by count_").output_schema)
    {'Name': 'string', 'count_': 'long'}

    ``text`` may also be a query link (``cmpivot:…``, the console's "Copy query link").
    """
    text = query_text(text)
    query = Query(text, _parse_cached(text, dialect), dialect, catalog)
    if dialect_named(dialect).runs_on_devices:
        query.plan  # noqa: B018  (plan now: errors belong to parse time)
    return query


def evaluate(text: str | Query, tables: Mapping[str, Any] | None = None, *, dialect: str = "cmpivot",
             now: dt.datetime | None = None) -> pd.DataFrame:
    """Run a query over given tables, with no backend, and return a pandas DataFrame.

    ``tables`` maps a table name to a pandas or polars DataFrame; the frame's own columns and
    dtypes are that table's schema. In the cmpivot dialect the names are entities and each needs a
    ``Device`` column. ``now`` fixes the clock that ``now()`` and ``ago()`` read (UTC).
    """
    if not isinstance(text, Query):
        text = query_text(text)
    query = text if isinstance(text, Query) else Query(text, _parse_cached(text, dialect), dialect)
    given, schemas, rows = prepare_tables(tables or {}, query.dialect)
    plan = query.plan_for(schemas)
    with recursion_guard(query.text, query.ast):
        result = engine.evaluate(plan, given, now=_utc(now), input_rows=rows)
    return frames.to_pandas(result, plan.schema)


def prepare_tables(tables: Mapping[str, Any],
                   dialect: str) -> tuple[dict[str, pl.LazyFrame], dict[str, Schema], int]:
    """Given frames → engine LazyFrames, their schemas (entity names canonicalised) and their
    total number of rows."""
    from . import catalog

    lazy: dict[str, pl.LazyFrame] = {}
    schemas: dict[str, Schema] = {}
    rows = 0
    for name, frame in tables.items():
        df = frames.from_pandas(frame)
        rows += df.height
        key, device = name, None
        if dialect_named(dialect).runs_on_devices:
            entity = catalog.find_entity(name)
            key = entity.name if entity is not None else name
            device_col = next((c for c in df.columns if c.lower() == DEVICE.lower()), None)
            if device_col is None:
                frames.ensure_device_column(key, frames.schema_of_frame(df))  # raises, naming the table
            elif device_col != DEVICE:
                df = df.rename({device_col: DEVICE})
            device = DEVICE
        schema = frames.schema_of_frame(df, device)
        lazy[key] = frames.normalise_frame(df, schema)
        schemas[key] = schema
    return lazy, schemas, rows


def _utc(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return dt.datetime.now(dt.UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=dt.UTC)
