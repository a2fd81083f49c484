"""Building typed expressions by hand for the function and operator tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cmpivot_magic.engine.functions import NOT_CONST, lookup
from cmpivot_magic.engine.ir import Apply, Bound, Const
from cmpivot_magic.language.types import ScalarType as T

NOW = dt.datetime(2024, 5, 17, 12, 30, tzinfo=dt.UTC)
_PY_TYPES = {
    bool: T.BOOL,
    int: T.LONG,
    float: T.REAL,
    str: T.STRING,
    dt.datetime: T.DATETIME,
    dt.timedelta: T.TIMESPAN,
}


def lit(value: Any, t: T | None = None) -> Const:
    return Const(value, t or _PY_TYPES[type(value)])


def call(name: str, *args: Bound) -> Apply:
    """A typed Apply, typed by the registry's own typer (as the planner does)."""
    fn = lookup(name)
    assert fn is not None, name
    consts = tuple(a.value if isinstance(a, Const) else NOT_CONST for a in args)
    return Apply(fn.name, args, fn.typer(tuple(a.type for a in args), consts))
