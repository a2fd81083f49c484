"""The plan: a query as a list of typed steps, split into a device part and a global part.

Each step is a small frozen dataclass that says what to do with resolved, typed expressions
(``ir.py``); ``PlanStep`` pairs it with the schema it outputs. ``Plan.explain()`` prints the whole
thing. The evaluator has one method per step kind.

The split is the heart of the design: the first ``device_steps`` steps depend only on one device's
rows (filters, projections, joins on Device, summarize by Device), so ConfigMgr clients can run
them; the rest runs once over the union of the devices' answers. The device part also extends to the
last join with an entity (decision 16), and then may run device by device (``per_device``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..language.dialect import Dialect, dialect_named
from ..language.types import ScalarType
from .ir import Aggregate, Apply, Bound, Col

DEVICE = "Device"
HIDDEN_DEVICE = "__device__"
"""Where a row keeps its device when the query projected ``Device`` away (§9.6)."""


@dataclass(frozen=True)
class Schema:
    """Ordered output columns with their types, and which column (if any) holds the device."""

    columns: tuple[tuple[str, ScalarType], ...]
    device: str | None = None
    _index: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    _types: Mapping[str, ScalarType] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        types = dict(self.columns)
        index: dict[str, str] = {}
        for name, _ in self.columns:
            index.setdefault(name.lower(), name)
        object.__setattr__(self, "_types", types)
        object.__setattr__(self, "_index", index)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    @property
    def visible(self) -> tuple[tuple[str, ScalarType], ...]:
        return tuple(c for c in self.columns if c[0] != HIDDEN_DEVICE)

    def resolve(self, name: str) -> str | None:
        """The column's own spelling for ``name``: exact match first, then case-insensitive."""
        if name in self._types:
            return name
        return self._index.get(name.lower())

    def type_of(self, name: str) -> ScalarType:
        return self._types[name]

    def __contains__(self, name: object) -> bool:
        return name in self._types

    def __str__(self) -> str:
        return ", ".join(f"{n}:{t}" for n, t in self.visible)


# ----------------------------------------------------------------------------------------- steps


@dataclass(frozen=True)
class Scan:
    """Rows of a table: a CMPivot entity (with its arguments) or a table given to ``evaluate``."""

    table: str
    args: tuple[Any, ...] = ()

    def describe(self) -> str:
        args = f"({', '.join(map(repr, self.args))})" if self.args else ""
        return f"Scan {self.table}{args}"


@dataclass(frozen=True)
class Values:
    """Constant rows (``datatable``, ``print``): row-major cells, already typed."""

    rows: tuple[tuple[Any, ...], ...]

    def describe(self) -> str:
        return f"Values {len(self.rows)} row{'s' if len(self.rows) != 1 else ''}"


@dataclass(frozen=True)
class Generate:
    """``range``: start, stop (inclusive) and step, as constants."""

    column: str
    start: Any
    stop: Any
    step: Any

    def size(self) -> int | None:
        """How many rows the range makes (its stop is inclusive, in either direction), or None
        when that cannot be worked out before running it."""
        try:
            if all(isinstance(v, int) and not isinstance(v, bool) for v in (self.start, self.stop, self.step)):
                steps = (self.stop - self.start) // self.step
            else:
                steps = math.floor((self.stop - self.start) / self.step)
        except (TypeError, ZeroDivisionError, OverflowError, ValueError):
            return None
        return max(0, steps + 1)

    def describe(self) -> str:
        return f"Range {self.column} from {self.start!r} to {self.stop!r} step {self.step!r}"


@dataclass(frozen=True)
class Filter:
    predicate: Bound

    def describe(self) -> str:
        return f"Filter {self.predicate}"


@dataclass(frozen=True)
class Select:
    """Output exactly these columns, each computed from the input row."""

    columns: tuple[tuple[str, Bound], ...]

    def describe(self) -> str:
        parts = [name if str(e) == name else f"{name}={e}" for name, e in self.columns]
        return f"Select {', '.join(parts)}"


@dataclass(frozen=True)
class Summarize:
    keys: tuple[tuple[str, Bound], ...]
    aggregates: tuple[tuple[str, Aggregate], ...]

    def describe(self) -> str:
        aggs = ", ".join(f"{name}={a}" for name, a in self.aggregates)
        if not self.keys:
            return f"Summarize {aggs}"
        keys = ", ".join(name if str(e) == name else f"{name}={e}" for name, e in self.keys)
        return f"Summarize {aggs} by {keys}"


@dataclass(frozen=True)
class Distinct:
    columns: tuple[str, ...]

    def describe(self) -> str:
        return f"Distinct {', '.join(self.columns)}"


@dataclass(frozen=True)
class Join:
    """Join with ``right``. ``on`` pairs left and right key columns; ``right_columns`` maps each
    right column kept to its output name. A right key that is not kept (CMPivot's Device, §9.5)
    merges into the left key: outer joins fill it from whichever side has the row."""

    kind: str
    right: Plan
    on: tuple[tuple[str, str], ...]
    right_columns: tuple[tuple[str, str], ...]

    def describe(self) -> str:
        on = ", ".join(a if a == b else f"{a}=={b}" for a, b in self.on)
        return f"Join {self.kind} on {on}"


@dataclass(frozen=True)
class SortKey:
    expr: Bound
    descending: bool
    nulls_last: bool

    def __str__(self) -> str:
        return f"{self.expr} {'desc' if self.descending else 'asc'} nulls {'last' if self.nulls_last else 'first'}"


@dataclass(frozen=True)
class Sort:
    keys: tuple[SortKey, ...]
    stable: bool = True

    def describe(self) -> str:
        return f"Sort {', '.join(map(str, self.keys))}"


@dataclass(frozen=True)
class Limit:
    count: int

    def describe(self) -> str:
        return f"Limit {self.count}"


@dataclass(frozen=True)
class CountRows:
    column: str

    def describe(self) -> str:
        return f"Count as {self.column}"


@dataclass(frozen=True)
class Expand:
    """``mv-expand``: each column's dynamic array (or bag) becomes one row per element."""

    columns: tuple[tuple[str, ScalarType | None], ...]
    kind: str = "bag"
    index: str | None = None
    limit: int | None = None

    def describe(self) -> str:
        return f"MvExpand {', '.join(c for c, _ in self.columns)}" + (
            f" with index {self.index}" if self.index else ""
        )


Step = (
    Scan
    | Values
    | Generate
    | Filter
    | Select
    | Summarize
    | Distinct
    | Join
    | Sort
    | Limit
    | CountRows
    | Expand
)


@dataclass(frozen=True)
class PlanStep:
    step: Step
    schema: Schema
    operator: int
    """Index of the query operator this step comes from (-1 for the source)."""


@dataclass(frozen=True)
class RenderSpec:
    """``render KIND with (...)``: recorded for the chart layer; rendering never changes rows."""

    kind: str
    properties: tuple[tuple[str, Any], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        return dict(self.properties).get(key, default)


@dataclass(frozen=True)
class Plan:
    steps: tuple[PlanStep, ...]
    dialect: Dialect
    render: RenderSpec | None = None
    device_steps: int = 0
    device_operators: int = 0
    """How many of the query's operators the device part covers (to print it as query text)."""
    device_projection: tuple[str, ...] = ()
    """Columns the device part is narrowed to when the global part reads only these: each
    device then sends just them (``| project ...`` appended to the device query)."""
    per_device: bool = False
    """Whether the device part must run on each device's rows alone: it holds take, top, order by,
    distinct, summarize or count before a join with an entity (decision 16)."""

    @property
    def schema(self) -> Schema:
        return self.steps[-1].schema

    @property
    def output_schema(self) -> dict[str, ScalarType]:
        return dict(self.schema.visible)

    @property
    def device_part(self) -> tuple[PlanStep, ...]:
        return self.steps[: self.device_steps]

    @property
    def global_part(self) -> tuple[PlanStep, ...]:
        return self.steps[self.device_steps :]

    @property
    def device_schema(self) -> Schema:
        return self.steps[max(0, self.device_steps - 1)].schema

    def scans(self) -> Iterator[Scan]:
        """Every table the plan reads, joins included."""
        for s in self.steps:
            if isinstance(s.step, Scan):
                yield s.step
            elif isinstance(s.step, Join):
                yield from s.step.right.scans()

    def rows_made(self) -> int | None:
        """How many rows the plan makes itself (range, datatable, print), joins included; None
        when a range's size cannot be worked out before running it."""
        total = 0
        for s in self.steps:
            made: int | None = 0
            if isinstance(s.step, Values):
                made = len(s.step.rows)
            elif isinstance(s.step, Generate):
                made = s.step.size()
            elif isinstance(s.step, Join):
                made = s.step.right.rows_made()
            if made is None:
                return None
            total += made
        return total

    def explain(self) -> str:
        lines = [f"Plan ({self.dialect} dialect)"]
        has_device = dialect_named(self.dialect).runs_on_devices and any(True for _ in self.scans())
        if has_device:
            lines.append(f"  device part — each device evaluates {self.device_steps} step(s):")
            if self.per_device:
                lines.append("    (over its own rows only: take, top, order by, distinct, summarize and count"
                             " apply per device — marked [per device])")
            lines += _steps(self.device_part, "    ", per_device=self.per_device)
            lines.append("  global part — over the union of the devices' rows:")
            lines += _steps(self.global_part, "    ") or ["    (nothing: the device rows are the result)"]
        else:
            lines += _steps(self.steps, "  ")
        lines.append(f"  output: {self.schema}")
        if self.render:
            props = ", ".join(f"{k}={v!r}" for k, v in self.render.properties)
            lines.append(f"  render: {self.render.kind}" + (f" with ({props})" if props else ""))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.explain()


def referenced_columns(steps: tuple[PlanStep, ...] | list[PlanStep]) -> set[str]:
    """Every input column name the steps' expressions read (joined plans included)."""
    names: set[str] = set()

    def visit(x: Any) -> None:
        if isinstance(x, Col):
            names.add(x.name)
        elif isinstance(x, Apply | Aggregate):
            for a in x.args:
                visit(a)
        elif isinstance(x, SortKey):
            visit(x.expr)
        elif isinstance(x, tuple):
            for y in x:
                visit(y)

    for s in steps:
        step = s.step
        if isinstance(step, Join):
            names |= referenced_columns(step.right.steps)
            names.update(a for a, _ in step.on)
            continue
        if isinstance(step, Distinct):
            names.update(step.columns)
        if isinstance(step, Expand):
            names.update(c for c, _ in step.columns)
        for value in vars(step).values():
            visit(value)
    return names


def _steps(steps: tuple[PlanStep, ...], indent: str, per_device: bool = False) -> list[str]:
    """One line per step; the columns are shown where a step changes them. With ``per_device``,
    steps whose rows depend on which rows they are given are marked ``[per device]``."""
    lines = []
    previous: Schema | None = None
    for s in steps:
        # marked: the steps whose output depends on all the rows they are given
        sees_all = not (device_local(s) or isinstance(s.step, Scan | Values | Generate))
        mark = " [per device]" if per_device and sees_all else ""
        line = f"{indent}{s.step.describe()}{mark}"
        if s.schema != previous:
            cols = [f"{n}:{t}" for n, t in s.schema.visible]
            shown = ", ".join(cols[:8]) + (f", … ({len(cols)} columns)" if len(cols) > 8 else "")
            line += f"  → [{shown}]"
        lines.append(line)
        previous = s.schema
        if isinstance(s.step, Join):
            lines += _steps(s.step.right.steps, indent + "    ", per_device)
    return lines


def device_local(s: PlanStep) -> bool:
    """Whether the step keeps each row with its own device, so it gives the same rows run once over
    many devices' rows as run on each device (``split.py`` cuts the device part by it)."""
    grouped_by_device = isinstance(s.step, Summarize | Distinct) and s.schema.device is not None
    return isinstance(s.step, Filter | Select | Join) or grouped_by_device  # a group is one device's
