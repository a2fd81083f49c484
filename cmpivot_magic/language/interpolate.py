"""``{name}`` in a cell → a properly escaped KQL literal, never raw text.

``where Name == {proc}`` with ``proc = "it's"`` becomes ``where Name == 'it\\'s'``; a list becomes
``('a', 'b')`` for ``in``; datetimes, timespans, numbers and booleans become their literals.
A placeholder already inside quotes (``'{proc}'``) gets the escaped text without extra quotes.
``{{`` and ``}}`` are literal braces; braces that do not hold a Python name are left alone, so
``dynamic({"a": 1})`` needs no escaping.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ..errors import CMPivotError
from .literals import datetime_to_ns, format_datetime, format_timespan, quote

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}")


def kql_literal(value: Any) -> str:
    """The KQL literal for a Python value (a list or set becomes a parenthesised list for ``in``)."""
    if value is None:
        return "dynamic(null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        f = float(value)
        if math.isnan(f) or math.isinf(f):
            raise CMPivotError(f"{value!r} has no KQL literal", hint="pass a finite number")
        return repr(f)
    if isinstance(value, str):
        return quote(value)
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        value = value.to_pydatetime()
    if hasattr(value, "to_pytimedelta"):  # pandas Timedelta
        value = value.to_pytimedelta()
    if isinstance(value, dt.datetime):
        return f"datetime({format_datetime(datetime_to_ns(value))})"
    if isinstance(value, dt.date):
        return f"datetime({value.isoformat()})"
    if isinstance(value, dt.timedelta):
        ns = (value.days * 86_400 + value.seconds) * 10**9 + value.microseconds * 1000
        return format_timespan(ns) if ns >= 0 else f"-{format_timespan(-ns)}"
    if isinstance(value, Mapping):
        raise CMPivotError("a dict has no CMPivot literal", hint="interpolate its values one by one")
    if isinstance(value, Iterable):
        items = [_item_literal(v) for v in value]
        if not items:
            raise CMPivotError("an empty list cannot be used with 'in'", hint="check the list before the query")
        return "(" + ", ".join(items) + ")"
    raise CMPivotError(f"a {type(value).__name__} has no CMPivot literal",
                       hint="interpolate a string, number, bool, datetime, timedelta or a list of those")


def _item_literal(value: Any) -> str:
    """One value of a list: a list in a list has no literal (and a deep one must not recurse)."""
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        raise CMPivotError("a list inside a list has no CMPivot literal",
                           hint="interpolate one flat list of values, as 'in' takes")
    return kql_literal(value)


def _string_body(value: Any, quote_char: str) -> str:
    text = value if isinstance(value, str) else str(value)
    return text.replace("\\", "\\\\").replace(quote_char, "\\" + quote_char).replace("\n", "\\n")


def interpolate(text: str, namespace: Mapping[str, Any]) -> str:
    """Replace each ``{name}`` (or ``{obj.attr}``) with the literal of its value in ``namespace``."""

    def sub(m: re.Match[str]) -> str:
        token = m.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        path = m.group(1).split(".")
        if path[0] not in namespace:
            raise CMPivotError(f"name '{path[0]}' is not defined (in {{{m.group(1)}}})",
                               hint="define it in a cell above, or write {{ and }} for literal braces")
        value = namespace[path[0]]
        for attr in path[1:]:
            value = getattr(value, attr)
        before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
        if before and before == after and before in "'\"":
            return _string_body(value, before)  # already inside quotes
        return kql_literal(value)

    return PLACEHOLDER.sub(sub, text)
