"""The external KQL example corpus: where it lives, how to load it, and how to compare with it.

The corpus (``tests/engine/kql_corpus/``, a copy kept in the repository; its README names the sources
and licences) pairs KQL queries
with the output tables their sources publish, cell by cell as markdown text. The engine returns
typed pandas cells. This module reads each published cell *as the type the engine gave that
column* and puts both sides in one canonical form, applying the normalisations the corpus README
asks of a harness: markdown artefacts, null spellings, datetime and timespan spellings, reals
compared numerically, booleans, dynamic values as parsed JSON, ``make_set`` results as sets, and
rows as a multiset unless the item's order is significant.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cmpivot_magic.engine.ir import Col
from cmpivot_magic.engine.plan import Limit, Plan, Select, Sort

ROOT = Path(__file__).resolve().parent / "kql_corpus"

SKIP_CATEGORIES = {
    "erratum": "the published output is wrong (documentation or test error)",
    "nondeterministic": "Kusto may return other rows than the published ones",
    "deviation": "a documented engine decision differs from Kusto",
    "gap": "a known engine gap",
}
OUT_OF_SCOPE = frozenset({"erratum", "nondeterministic"})
"""Categories whose items do not count towards the pass rate: nothing the engine does can pass them."""

_NULLS = frozenset({"", "null", "(null)"})
_SET_AGGREGATIONS = frozenset({"make_set", "make_set_if"})
_ORDERING_OPERATORS = frozenset({"order", "sort", "top"})
_REL_TOL = 1e-6  # published reals are often rounded for display


# ---------------------------------------------------------------------------------- loading


def corpus_root() -> Path:
    """The corpus folder; raise (never skip) when it is missing, so CI cannot pass vacuously."""
    if not (ROOT / "index.json").is_file():
        raise FileNotFoundError(f"KQL corpus not found at {ROOT}: it is part of the repository (git checkout it)")
    return ROOT


def load_items(root: Path) -> list[dict[str, Any]]:
    """Every corpus item, in index order."""
    index = json.loads((root / "index.json").read_text(encoding="utf-8"))
    return [json.loads((root / entry["file"]).read_text(encoding="utf-8")) for entry in index]


@dataclass(frozen=True)
class Skip:
    category: str
    reason: str


def load_skips(path: Path) -> dict[str, Skip]:
    """``{item id: Skip}`` from the skip file: one TOML table per category, ``id = "reason"``."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    skips: dict[str, Skip] = {}
    for category, entries in data.items():
        if category not in SKIP_CATEGORIES:
            raise ValueError(
                f"{path.name}: unknown category [{category}]; use one of {sorted(SKIP_CATEGORIES)}"
            )
        for item_id, reason in entries.items():
            if item_id in skips:
                raise ValueError(f"{path.name}: {item_id} is listed twice")
            skips[item_id] = Skip(category, reason)
    return skips


def order_matters(item: Mapping[str, Any]) -> bool:
    """Whether the published row order is part of the expectation.

    The README defines ``order_sensitive`` as "an order/sort/top decides the final row order".
    KustoLoco items set it on every test because their assertion is an ordered string compare,
    even after a ``summarize`` whose group order Kusto leaves undefined, so for them the query
    must also contain an ordering operator.
    """
    if not item["order_sensitive"]:
        return False
    if item["id"].startswith("kustoloco-"):
        return bool(_ORDERING_OPERATORS & set(item["operators"]))
    return True


def unordered_arrays(item: Mapping[str, Any]) -> bool:
    """``make_set`` does not define its element order: compare arrays as multisets."""
    return bool(_SET_AGGREGATIONS & set(item["functions"]))


def sort_columns(plan: Plan) -> tuple[str, ...] | None:
    """The output columns a plan's final sort orders by, or None when the plan does not end in a
    sort (possibly followed by take and column-dropping projects) on plain output columns."""
    for planned in reversed(plan.steps):
        step = planned.step
        if isinstance(step, Limit):
            continue
        if isinstance(step, Select) and all(
            isinstance(e, Col) and e.name == name for name, e in step.columns
        ):
            continue
        if isinstance(step, Sort) and all(
            isinstance(k.expr, Col) and k.expr.name in plan.schema for k in step.keys
        ):
            return tuple(k.expr.name for k in step.keys if isinstance(k.expr, Col))
        return None
    return None


# ---------------------------------------------------------------------------------- cells


def strip_markdown(text: str) -> str:
    """A published cell without markdown artefacts: `` `x` `` → ``x``, ``\\|`` → ``|``, ``<br>`` → newline."""
    text = text.strip()
    if len(text) >= 2 and text.startswith("`") and text.endswith("`"):
        text = text[1:-1]
    return text.replace("\\|", "|").replace("<br>", "\n")


_TIMESPAN = re.compile(
    r"^(?P<sign>-)?(?:(?P<days>\d+)\.)?(?P<h>\d{1,2}):(?P<m>\d{2}):(?P<s>\d{2})(?:\.(?P<frac>\d{1,7}))?$"
)


def parse_timespan(text: str) -> dt.timedelta:
    """Kusto's timespan text: ``[-][d.]hh:mm:ss[.fffffff]`` (``4.00:00:00``, ``00:03:00``)."""
    m = _TIMESPAN.match(text)
    if m is None:
        raise ValueError(f"not a timespan: {text!r}")
    ticks = int((m["frac"] or "").ljust(7, "0"))  # 100 ns units
    value = dt.timedelta(
        days=int(m["days"] or 0),
        hours=int(m["h"]),
        minutes=int(m["m"]),
        seconds=int(m["s"]),
        microseconds=ticks // 10,
    )
    return -value if m["sign"] else value


def parse_datetime(text: str) -> pd.Timestamp:
    """Any published datetime spelling as a UTC instant (a spelling without a zone is UTC)."""
    stamp = pd.Timestamp(text.replace(" UTC", ""))
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.as_unit("ns")


@dataclass(frozen=True)
class Unordered:
    """A ``make_set`` array: equal to another with the same elements in any order."""

    items: tuple[Any, ...]


def expected_cell(text: str, kind: str, *, sets: bool = False) -> Any:
    """A published cell read as a value of the engine's column type ``kind`` (a Kusto type name).

    Text that cannot be read as that type stays text, so it shows up as a mismatch.
    """
    text = strip_markdown(text)
    if kind == "string":
        return "" if text == "(null)" else text  # Kusto strings are never null: null prints empty
    if text in _NULLS:
        return None
    try:
        if kind == "datetime":
            return parse_datetime(text).value
        if kind == "timespan":
            return pd.Timedelta(parse_timespan(text)).as_unit("ns").value
        if kind in ("int", "long"):
            number = float(text)
            return int(number) if number.is_integer() else number
        if kind in ("real", "decimal"):
            number = float(text.replace("∞", "inf"))
            return None if math.isnan(number) else number  # pandas cannot tell a null real from NaN
        if kind == "bool":
            return {"true": True, "false": False, "1": True, "0": False}[text.lower()]
        if kind == "dynamic":
            return _canonical_json(_parse_json(text), sets=sets)
    except (ValueError, KeyError, OverflowError):
        return text
    return text


def actual_cell(value: Any, kind: str, *, sets: bool = False) -> Any:
    """An engine cell in the same canonical form as ``expected_cell``."""
    if kind == "string":
        return "" if _is_null(value) else str(value)
    if _is_null(value):
        return None
    if kind == "datetime":
        stamp = pd.Timestamp(value)
        return (stamp.tz_convert("UTC") if stamp.tzinfo else stamp.tz_localize("UTC")).as_unit("ns").value
    if kind == "timespan":
        return pd.Timedelta(value).as_unit("ns").value
    if kind in ("int", "long"):
        return int(value)
    if kind in ("real", "decimal"):
        return float(value)
    if kind == "bool":
        return bool(value)
    if kind == "dynamic":
        return _canonical_json(value, sets=sets)
    return value


def _is_null(value: Any) -> bool:
    # pandas spells a missing cell None, NA, NaT or NaN (float and pandas-3 string columns)
    return (
        value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))
    )


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text  # a dynamic string published without quotes


def _canonical_json(value: Any, *, sets: bool) -> Any:
    """Parsed JSON with hashable containers; arrays of a ``make_set`` as ``Unordered``."""
    if isinstance(value, dict):
        return ("bag", tuple(sorted((k, _canonical_json(v, sets=sets)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        items = tuple(_canonical_json(v, sets=sets) for v in value)
        return Unordered(items) if sets else ("list", items)
    if isinstance(value, float) and value.is_integer():
        return int(value)  # JSON 5 and 5.0 are the same number
    return value


def cells_equal(expected: Any, actual: Any) -> bool:
    """Canonical cells equal; a real (also inside a dynamic value) up to display rounding."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, int) and isinstance(actual, int):
        return expected == actual  # longs, and datetimes and timespans as ns: exact
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        if isinstance(expected, float) and math.isnan(expected):
            return isinstance(actual, float) and math.isnan(actual)
        return math.isclose(expected, actual, rel_tol=_REL_TOL, abs_tol=1e-12)
    if isinstance(expected, Unordered) and isinstance(actual, Unordered):
        return multiset_equal(expected.items, actual.items, cells_equal)
    if isinstance(expected, tuple) and isinstance(actual, tuple):
        return len(expected) == len(actual) and all(map(cells_equal, expected, actual))
    return bool(expected == actual)


def rows_equal(expected: Sequence[Any], actual: Sequence[Any]) -> bool:
    return len(expected) == len(actual) and all(map(cells_equal, expected, actual))


def multiset_equal(expected: Iterable[Any], actual: Iterable[Any], equal: Any = rows_equal) -> bool:
    """Same elements the same number of times, in any order (``equal`` need not be hashable)."""
    left = list(actual)
    for e in expected:
        match = next((i for i, a in enumerate(left) if equal(e, a)), None)
        if match is None:
            return False
        del left[match]
    return not left


# ---------------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Comparison:
    ok: bool
    message: str = ""


def compare(
    item: Mapping[str, Any],
    frame: pd.DataFrame,
    types: Mapping[str, str],
    sort_columns: Sequence[str] | None = None,
) -> Comparison:
    """The engine's result ``frame`` (column types ``types``) against the item's published table.

    When order matters and ``sort_columns`` names the output columns the final sort orders by,
    rows that tie on all of them may come in any order among themselves (Kusto's sort leaves
    their order undefined); without it the order must match row for row.
    """
    expected_columns = [strip_markdown(c) for c in item["expected_columns"]]
    actual_columns = [str(c) for c in frame.columns]
    if actual_columns != expected_columns:
        return Comparison(
            False, f"columns differ\n  expected: {expected_columns}\n  actual:   {actual_columns}"
        )
    sets = unordered_arrays(item)
    kinds = [types.get(c, "string") for c in actual_columns]
    expected = [
        tuple(expected_cell(cell, kind, sets=sets) for cell, kind in zip(row, kinds, strict=False))
        for row in item["expected_rows"]
    ]
    actual = [
        tuple(actual_cell(value, kind, sets=sets) for value, kind in zip(row, kinds, strict=True))
        for row in frame.itertuples(index=False, name=None)
    ]
    if not order_matters(item):
        same, how = multiset_equal(expected, actual), "as a multiset"
    else:
        keys = None if sort_columns is None else [actual_columns.index(c) for c in sort_columns]
        same, how = ordered_equal(expected, actual, keys), "in order"
    if same:
        return Comparison(True)
    return Comparison(
        False,
        f"rows differ ({how}; column types {kinds})\n"
        f"  expected: {_show(expected)}\n  actual:   {_show(actual)}",
    )


def ordered_equal(
    expected: Sequence[tuple[Any, ...]], actual: Sequence[tuple[Any, ...]], keys: Sequence[int] | None = None
) -> bool:
    """Rows equal in order; with sort ``keys`` (column indexes), each run of expected rows that tie
    on every key may match the same positions of ``actual`` in any order."""
    if len(expected) != len(actual) or keys is None:
        return len(expected) == len(actual) and all(map(rows_equal, expected, actual))
    if any(len(row) != len(actual[0]) for row in expected):
        return False  # a short published row: its sort keys cannot be read
    start = 0
    for end in range(1, len(expected) + 1):
        if end < len(expected) and rows_equal(
            [expected[end][k] for k in keys], [expected[start][k] for k in keys]
        ):
            continue
        if not multiset_equal(expected[start:end], actual[start:end]):
            return False
        start = end
    return True


def _show(rows: list[tuple[Any, ...]], limit: int = 25) -> str:
    text = "\n            ".join(map(repr, rows[:limit]))
    return text + (f"\n            … {len(rows) - limit} more" if len(rows) > limit else "")
