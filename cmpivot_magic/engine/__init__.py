"""The engine's front door: plan a query, evaluate a plan, run its device part, run its global part.

Everything outside ``engine/`` that plans or evaluates calls one of these four functions (sqlglot's
``executor/__init__.py`` has the same shape), so the rules of evaluation live in one place:

* ``plan_query(ast, dialect)`` — names resolved, expressions typed, the device/global split made;
* ``evaluate(plan, tables)`` — the whole plan over given tables (``cmpivot_magic.evaluate``, tests);
* ``run_device_part(plan, tables)`` — what each device computes over its own entity rows (the
  table backends and the emulator play the devices);
* ``run_global_part(plan, replies)`` — what the session computes over the union of the devices'
  rows (``Session`` combining replies, the emulator answering a client that sends the whole text).

Why these names and signatures:

* No function is named like a submodule (``plan.py``, ``executor.py``): a package attribute
  ``plan`` would hide the module from ``from cmpivot_magic.engine import plan``. Hence
  ``plan_query``, and the step runner lives in ``executor.py``.

* Each takes a ``Plan``, not query text: parsing belongs to ``language/`` and ``query.parse``, and
  every caller already holds the plan it sent (``DeviceRequest.query.plan``), so the same plan is
  never made twice.
* Each takes the query's clock reading ``now`` and builds the evaluation context itself with
  ``Context.for_dialect(plan.dialect, now)`` — the only place a ``Context`` is made, so a dialect
  rule is added once (tests/engine/test_front_door.py fails if any other module makes one).
* Each returns a polars ``DataFrame``: device rows stay polars on their way to the session, and
  the one conversion to pandas is ``frames.to_pandas`` at the end (the polars/pandas boundary lives
  in ``frames.py``).
* ``tables`` maps a table name — or ``(entity, arguments)`` for an entity read with arguments, such
  as ``Registry('HKLM:\\…')`` — to a LazyFrame already in the engine's dtypes
  (``frames.normalise_frame``). ``input_rows`` says how many rows they hold, if known: below
  ``executor.IN_MEMORY_BELOW`` polars' in-memory engine answers sooner than its streaming one.

A step that fails raises a ``CMPivotError`` that names the step (``executor.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from ..catalog import Catalog
from ..language import nodes
from ..language.dialect import Dialect
from . import executor, frames, per_device
from .ir import Context
from .plan import Plan, Schema
from .planner import Planner


def plan_query(query: nodes.QueryText, dialect: str | Dialect = "cmpivot", *, tables: Mapping[str, Schema] | None = None,
         text: str | None = None, catalog: Catalog | None = None) -> Plan:
    """The plan of a parsed query in ``dialect``.

    ``tables`` maps a table name to the schema of a table given at evaluation time (in the cmpivot
    dialect it replaces that entity's catalog schema; in the kql dialect any name is a table).
    ``text`` is the query's source text, so errors point at it with a caret. ``catalog`` is the
    connection's entity list (default: the documented entities; see ``open_world.py`` for a
    catalog that stands in for a site's unreadable list). Raises ``QuerySemanticError`` for a
    query that parses but means nothing.
    """
    return Planner(dialect, tables, text=text, catalog=catalog).plan(query)


def evaluate(plan: Plan, tables: Mapping[Any, pl.LazyFrame], *, now: dt.datetime | None = None,
             input_rows: int | None = None) -> pl.DataFrame:
    """The rows of the whole ``plan`` over ``tables``, evaluated at clock reading ``now`` (UTC;
    default: the current time).

    ``input_rows`` is how many rows ``tables`` hold (None: unknown); the rows the plan makes itself
    (``range``, ``datatable``, ``print``) are added to it to choose polars' engine.
    """
    made = plan.rows_made()
    rows = None if made is None or input_rows is None else input_rows + made
    if plan.per_device:  # decision 16: the device part runs on each device's rows alone
        ctx = _context(plan, now)
        device_rows = per_device.run(plan, tables, ctx)
        return run_global_part(plan, [device_rows], now=ctx.now)
    return executor.run(plan, tables, _context(plan, now), rows)


def run_device_part(plan: Plan, tables: Mapping[Any, pl.LazyFrame], *, now: dt.datetime,
                    input_rows: int | None = None) -> pl.DataFrame:
    """The rows of ``plan``'s device part over devices' entity ``tables``, at the query's clock
    reading ``now``.

    When every device-part step keeps each row with its device, evaluating it once over many
    devices' rows equals evaluating it on each device and concatenating, and it runs once; a plan
    whose device part holds take, top, ... before an entity join (``plan.per_device``, decision 16)
    runs device by device. The table backends split the result by the device column
    ``plan.device_schema.device``.
    """
    if plan.per_device:
        return per_device.run(plan, tables, _context(plan, now))
    return executor.run(plan, tables, _context(plan, now), input_rows, steps=plan.device_part)


def run_global_part(plan: Plan, replies: Sequence[pl.DataFrame], *, now: dt.datetime) -> pl.DataFrame:
    """The rows of ``plan``'s global part over the union of devices' device-part rows.

    ``replies`` are the devices' rows (columns of ``plan.device_schema``, in any order), unioned in
    the order given: pass them in target order, so the same devices give the same rows in the same
    order however their replies raced (``top`` and ``take`` break ties by it). ``now`` is the
    query's clock reading, the one the devices used.
    """
    schema = plan.device_schema
    union = frames.union(replies, schema)
    source = frames.normalise_frame(union, schema)
    return executor.run(plan, {}, _context(plan, now), union.height, steps=plan.global_part, source=source)


def _context(plan: Plan, now: dt.datetime | None) -> Context:
    return Context.for_dialect(plan.dialect, now)


__all__ = ["evaluate", "plan_query", "run_device_part", "run_global_part"]
