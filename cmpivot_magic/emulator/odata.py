"""The OData query options the emulator understands: ``$filter``, ``$select``, ``$top``, ``$skip``.

Enough of OData v4 for what clients send to the AdminService: comparisons (``eq ne gt ge lt le``),
``and`` / ``or`` / ``not``, parentheses, ``in (...)``, ``startswith`` / ``endswith`` / ``contains``
/ ``tolower`` / ``toupper``, string literals with doubled quotes, numbers, ``true`` / ``false`` /
``null`` and unquoted ISO datetimes. Property names match case-insensitively and strings compare
case-insensitively, as WMI does. An unknown property is a 400, as on a real provider.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

Row = dict[str, Any]
Predicate = Callable[[Row], Any]

_TOKEN = re.compile(r"""\s*(?:
    (?P<string>'(?:[^']|'')*')
  | (?P<datetime>\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<punct>[(),])
  | (?P<word>[A-Za-z_][A-Za-z0-9_./]*)
)""", re.VERBOSE)
_COMPARE = {"eq", "ne", "gt", "ge", "lt", "le"}
_FUNCTIONS = {"startswith", "endswith", "contains", "tolower", "toupper", "substringof"}


class ODataError(ValueError):
    """A query option the emulator (like a provider) refuses: becomes a 400."""


def apply(rows: Sequence[Row], options: dict[str, str], type_name: str) -> list[Row]:
    """``rows`` filtered, paged and projected by the request's OData options."""
    out: list[Row] = list(rows)
    if options.get("$filter"):
        keep = compile_filter(options["$filter"], rows[0] if rows else None, type_name)
        out = [r for r in out if keep(r) is True]
    skip = _int_option(options, "$skip")
    top = _int_option(options, "$top")
    if skip:
        out = out[skip:]
    if top is not None:
        out = out[:top]
    if options.get("$select"):
        out = select(out, options["$select"], rows[0] if rows else None, type_name)
    return out


def select(rows: list[Row], spec: str, sample: Row | None, type_name: str) -> list[Row]:
    names = [n.strip() for n in spec.split(",") if n.strip()]
    if sample is None:
        return rows
    keys = [_resolve(sample, n, type_name) for n in names]
    return [{k: r.get(k) for k in keys} for r in rows]


def compile_filter(text: str, sample: Row | None, type_name: str) -> Predicate:
    tokens = [(kind, value) for kind, value in _tokenize(text)]
    parser = _Parser(tokens, sample, type_name)
    predicate = parser.parse_or()
    if parser.pos != len(tokens):
        raise ODataError(f"syntax error at position {parser.pos} in $filter: {text}")
    return predicate


def _tokenize(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        found = _TOKEN.match(text, pos)
        if not found or found.end() == pos:
            raise ODataError(f"syntax error in $filter near {text[pos:pos + 20]!r}")
        kind = found.lastgroup or ""
        out.append((kind, found.group(kind)))
        pos = found.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], sample: Row | None, type_name: str) -> None:
        self.tokens, self.sample, self.type_name, self.pos = tokens, sample, type_name, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def word(self, *words: str) -> str | None:
        tok = self.peek()
        if tok and tok[0] == "word" and tok[1].lower() in words:
            self.pos += 1
            return tok[1].lower()
        return None

    def punct(self, char: str) -> bool:
        tok = self.peek()
        if tok == ("punct", char):
            self.pos += 1
            return True
        return False

    def expect(self, char: str) -> None:
        if not self.punct(char):
            raise ODataError(f"expected {char!r} in $filter")

    def parse_or(self) -> Predicate:
        left = self.parse_and()
        while self.word("or"):
            right = self.parse_and()
            left = (lambda a, b: lambda r: a(r) is True or b(r) is True)(left, right)
        return left

    def parse_and(self) -> Predicate:
        left = self.parse_not()
        while self.word("and"):
            right = self.parse_not()
            left = (lambda a, b: lambda r: a(r) is True and b(r) is True)(left, right)
        return left

    def parse_not(self) -> Predicate:
        if self.word("not"):
            inner = self.parse_not()
            return lambda r: inner(r) is not True
        return self.parse_comparison()

    def parse_comparison(self) -> Predicate:
        left = self.parse_primary()
        op = self.word(*_COMPARE)
        if op is not None:
            right = self.parse_primary()
            return lambda r: _compare(op, left(r), right(r))
        if self.word("in"):
            self.expect("(")
            items = [self.parse_primary()]
            while self.punct(","):
                items.append(self.parse_primary())
            self.expect(")")
            return lambda r: any(_compare("eq", left(r), item(r)) for item in items)
        return left

    def parse_primary(self) -> Predicate:
        tok = self.peek()
        if tok is None:
            raise ODataError("unexpected end of $filter")
        kind, value = tok
        self.pos += 1
        if kind == "punct" and value == "(":
            inner = self.parse_or()
            self.expect(")")
            return inner
        if kind == "string":
            text = value[1:-1].replace("''", "'")
            return lambda r: text
        if kind == "number":
            number: float | int = float(value) if "." in value else int(value)
            return lambda r: number
        if kind == "datetime":
            when = _as_datetime(value)
            return lambda r: when
        if kind == "word":
            lowered = value.lower()
            if lowered in ("true", "false", "null"):
                const = {"true": True, "false": False, "null": None}[lowered]
                return lambda r: const
            if lowered in _FUNCTIONS and self.punct("("):
                args = [self.parse_or()]
                while self.punct(","):
                    args.append(self.parse_or())
                self.expect(")")
                return _function(lowered, args)
            key = _resolve(self.sample, value, self.type_name) if self.sample is not None else value
            return lambda r: r.get(key)
        raise ODataError(f"unexpected {value!r} in $filter")


def _function(name: str, args: list[Predicate]) -> Predicate:
    def text(value: Any) -> str | None:
        return None if value is None else str(value).lower()

    if name in ("tolower", "toupper"):
        arg = args[0]
        return lambda r: None if arg(r) is None else (str(arg(r)).lower() if name == "tolower" else str(arg(r)).upper())
    if len(args) != 2:
        raise ODataError(f"{name} takes two arguments")
    a, b = args
    if name == "substringof":  # OData v3 argument order
        a, b = b, a
    checks: dict[str, Callable[[str, str], bool]] = {
        "startswith": str.startswith, "endswith": str.endswith, "contains": lambda x, y: y in x,
        "substringof": lambda x, y: y in x,
    }
    check = checks[name]

    def run(r: Row) -> bool | None:
        x, y = text(a(r)), text(b(r))
        return None if x is None or y is None else check(x, y)

    return run


def _compare(op: str, left: Any, right: Any) -> bool:
    if isinstance(left, dt.datetime) or isinstance(right, dt.datetime):
        left, right = _as_datetime(left), _as_datetime(right)
    elif isinstance(left, str) and isinstance(right, str):
        left, right = left.lower(), right.lower()
    elif isinstance(left, bool) or isinstance(right, bool):
        left, right = _as_bool(left), _as_bool(right)
    if op == "eq":
        return bool(left == right)
    if op == "ne":
        return bool(left != right)
    if left is None or right is None:
        return False
    try:
        return bool({"gt": left > right, "ge": left >= right, "lt": left < right, "le": left <= right}[op])
    except TypeError:
        return False


def _as_bool(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return value if value is None else bool(value)


def _as_datetime(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    try:
        when = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _resolve(sample: Row | None, name: str, type_name: str) -> str:
    if sample is None or name in sample:
        return name
    lowered = name.lower()
    for key in sample:
        if key.lower() == lowered:
            return key
    raise ODataError(f"Could not find a property named '{name}' on type '{type_name}'.")


def _int_option(options: dict[str, str], name: str) -> int | None:
    if not options.get(name):
        return None
    try:
        return max(0, int(options[name]))
    except ValueError:
        raise ODataError(f"{name} must be a whole number") from None


__all__ = ["ODataError", "apply", "compile_filter", "select"]
