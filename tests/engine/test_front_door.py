"""The engine's front door: the only way in to evaluation, with failures that name their step.

``cmpivot_magic.engine`` exposes ``plan_query``, ``evaluate``, ``run_device_part`` and
``run_global_part``; they build the evaluation context with ``Context.for_dialect`` and run the
step executor. These tests read the package's source (imports inside functions included) so that
no other module can start building contexts or running steps again, and so that the engine and
the results/session pair stay free of import cycles.
"""

from __future__ import annotations

import ast
import datetime as dt
import typing
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

import cmpivot_magic
from cmpivot_magic import engine
from cmpivot_magic.engine import executor, frames
from cmpivot_magic.engine import plan as p
from cmpivot_magic.errors import CMPivotError, QuerySemanticError
from cmpivot_magic.language.parser import parse_text
from cmpivot_magic.language.types import ScalarType

PACKAGE = Path(cmpivot_magic.__file__).resolve().parent
ENGINE = PACKAGE / "engine"
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


def modules() -> Iterator[tuple[str, ast.Module]]:
    """Each module of the package as (dotted name, syntax tree)."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, ast.parse(path.read_text(encoding="utf-8"), str(path))


def imported(name: str, tree: ast.Module) -> Iterator[tuple[str, str]]:
    """(module, imported name) for every import anywhere in the tree, relative ones resolved."""
    package = name if (PACKAGE.parent / Path(*name.split(".")) / "__init__.py").exists() else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ""
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield base, alias.name


def in_engine(name: str) -> bool:
    return name == "cmpivot_magic.engine" or name.startswith("cmpivot_magic.engine.")


def test_nothing_outside_the_engine_builds_a_context_or_runs_steps() -> None:
    """Outside ``engine/`` no module makes a ``Context`` (by calling it or ``for_dialect``) or
    imports the step executor: evaluation goes through the front door."""
    offences = []
    for name, tree in modules():
        if in_engine(name):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if called in ("Context", "for_dialect"):
                    offences.append(f"{name}:{node.lineno} calls {called}")
        for module, what in imported(name, tree):
            if module == "cmpivot_magic.engine.executor" or (module == "cmpivot_magic.engine" and what == "executor"):
                offences.append(f"{name} imports the step executor")
            if module == "cmpivot_magic.engine.ir" and what == "Context":
                offences.append(f"{name} imports Context")
    assert offences == []


def test_inside_the_engine_only_the_front_door_makes_a_context() -> None:
    """``Context.for_dialect`` is the one way to make a context, and only the front door calls it."""
    calls = []
    for name, tree in modules():
        if not in_engine(name):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if called in ("Context", "for_dialect"):
                    calls.append((name, called))
    assert calls == [("cmpivot_magic.engine", "for_dialect")]


def import_graph() -> dict[str, set[str]]:
    names = {name for name, _ in modules()}
    graph: dict[str, set[str]] = {}
    for name, tree in modules():
        edges = set()
        for module, what in imported(name, tree):
            for target in (f"{module}.{what}", module):
                if target in names and target != name:
                    edges.add(target)
                    break
        graph[name] = edges
    return graph


def cycles_among(graph: dict[str, set[str]], keep: set[str]) -> list[list[str]]:
    """Every import cycle among ``keep`` (each found once, from its first node in DFS order)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, set()) & keep):
            if state.get(nxt) == 1:
                found.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(keep):
        if node not in state:
            visit(node)
    return found


def test_the_engine_and_results_have_no_import_cycle() -> None:
    """No cycle among the engine's modules (``functions`` ↔ its definition modules was one) nor
    through ``results`` (which once called back into ``session``), imports inside functions
    included. A package's ``__init__`` counts as importing what it imports."""
    graph = import_graph()
    keep = {n for n in graph if in_engine(n)} | {"cmpivot_magic.results", "cmpivot_magic.session",
                                                 "cmpivot_magic.query"}
    assert cycles_among(graph, keep) == []
    assert "cmpivot_magic.session" not in graph["cmpivot_magic.results"]


def test_every_step_kind_has_a_handler() -> None:
    assert set(executor._HANDLERS) == set(typing.get_args(p.Step))


def kql_plan(text: str, **columns: ScalarType) -> p.Plan:
    return engine.plan_query(parse_text(text, "kql"), "kql", tables={"T": p.Schema(tuple(columns.items()))})


def test_a_failing_step_is_named_and_keeps_its_error_class() -> None:
    """A CMPivotError raised in a step keeps its class and message and gains the step."""
    plan = kql_plan("T | where x > 1", x=ScalarType.LONG)
    with pytest.raises(QuerySemanticError, match="no rows were given for table 'T'") as caught:
        engine.evaluate(plan, {}, now=NOW)
    assert caught.value.step == "Scan T"  # type: ignore[attr-defined]
    assert "in plan step: Scan T" in caught.value.__notes__


def test_any_other_failure_becomes_a_cmpivot_error_naming_the_step() -> None:
    """Whether a step fails while the plan is built (mv-expand reads its values) or while polars
    computes the rows (a comparison of text given for a long column), the error is a CMPivotError
    whose message names the step — the first one that fails, not the last of the plan."""
    expand = kql_plan("T | mv-expand d", d=ScalarType.DYNAMIC)
    with pytest.raises(CMPivotError, match="step 'MvExpand d' failed"):
        engine.evaluate(expand, {"T": pl.LazyFrame({"d": ["{not json"]})}, now=NOW)
    arithmetic = kql_plan("T | where x > 0 | extend y = x * 2", x=ScalarType.LONG)
    with pytest.raises(CMPivotError, match=r"step 'Filter >\(x, 0\)' failed") as caught:
        engine.evaluate(arithmetic, {"T": pl.LazyFrame({"x": ["a"]})}, now=NOW)
    assert type(caught.value) is CMPivotError


def test_device_part_then_global_part_equals_the_whole_plan() -> None:
    """The split is exact: each device's part, unioned, then the global part, gives the rows of
    the whole plan."""
    text = "Process | where Name != 'idle' | summarize n = count() by Name | order by n desc, Name asc"
    plan = cmpivot_magic.parse(text).plan
    rows = pl.DataFrame({"Device": ["A", "A", "B", "B", "B"], "Name": ["x", "y", "x", "idle", "x"]})
    schema = frames.schema_of_frame(rows, "Device")
    entity_schema = plan.steps[0].schema
    tables = {"Process": frames.normalise_frame(rows.with_columns(
        *(pl.lit(None, frames.polars_dtype(t)).alias(c) for c, t in entity_schema.columns if c not in schema)
    ).select(entity_schema.names), entity_schema)}
    whole = engine.evaluate(plan, tables, now=NOW)
    per_device = engine.run_device_part(plan, tables, now=NOW)
    devices = [per_device.filter(pl.col(plan.device_schema.device or "Device") == d) for d in ("A", "B")]
    assert engine.run_global_part(plan, devices, now=NOW).equals(whole)
    assert whole.rows() == [("x", 3), ("y", 1)]
