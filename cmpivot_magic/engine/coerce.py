"""Type rules and value conversions shared by operators, scalar functions and aggregations.

Everything here turns a value of one scalar type into another, as polars expressions, so the
three definition modules agree on what ``tostring(x)``, ``toint('12')`` or "compare a long
column with the constant ``'1'``" mean:

* ``promote`` — the numeric result type of arithmetic and of ``case``/``iif`` branches;
* ``to_text`` — Kusto's ``tostring`` (ISO datetimes, ``d.hh:mm:ss`` timespans, ``true``/``false``);
* ``convert`` / ``convert_constant`` — casts between scalar types, parsing text the way Kusto's
  ``todatetime``/``totimespan``/``toint``/``todouble``/``tobool`` do (unparsable text is null);
* ``to_json`` / ``json_scalar_text`` — the bridge to ``dynamic`` values, which the engine stores as
  JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import polars as pl

from ..language.types import ScalarType
from .frames import polars_dtype
from .registry import NOT_CONST

T = ScalarType
NS_PER_TICK = 100
NS_PER_SECOND = 1_000_000_000
NS_PER_DAY = 86_400 * NS_PER_SECOND


class ConversionError(ValueError):
    """A constant that cannot be read as the type it must be compared or combined with."""


def promote(types: Iterable[ScalarType]) -> ScalarType:
    """The numeric type of an arithmetic result: real if any operand is real, else long.

    KQL widens int arithmetic to long; keeping one integer type also spares every caller a
    check for 32-bit overflow. ``dynamic`` operands are read as real.
    """
    return T.REAL if any(t in (T.REAL, T.DYNAMIC) for t in types) else T.LONG


def common_type(types: Iterable[ScalarType], consts: Iterable[Any]) -> ScalarType | None:
    """The type that values of ``types`` share (``case``/``iif``/``coalesce``), or None.

    A null constant fits any type, so ``iif(p, x, long(null))`` takes ``x``'s type.
    Numbers mix (int+int stays int, anything with real is real, else long).
    """
    pairs = list(zip(types, consts, strict=True))
    known = [t for t, c in pairs if c is NOT_CONST or c is not None] or [t for t, _ in pairs]
    distinct = set(known)
    if len(distinct) == 1:
        return known[0]
    if all(t.is_numeric for t in distinct):
        return promote(distinct)
    return None


# --------------------------------------------------------------------------------------------
# text forms


def to_text(expr: pl.Expr, t: ScalarType, *, null_as_empty: bool = False) -> pl.Expr:
    """Kusto's string form of a value of type ``t``; null stays null unless ``null_as_empty``.

    ``tostring(null)`` and ``strcat`` read a null as ``""`` (``null_as_empty``); string operators
    keep the null so that ``where`` still drops the row.
    """
    if t in (T.INT, T.LONG):
        text = expr.cast(pl.String)
    elif t == T.REAL:
        text = format_real(expr)
    elif t == T.BOOL:
        text = expr.cast(pl.String)  # polars spells them "true"/"false", as Kusto does
    elif t == T.DATETIME:
        text = format_datetime(expr)
    elif t == T.TIMESPAN:
        text = format_timespan(expr)
    elif t == T.DYNAMIC:
        text = json_scalar_text(expr)
    else:
        text = expr
    return text.fill_null("") if null_as_empty else text


def format_real(expr: pl.Expr) -> pl.Expr:
    """Shortest round-trip form, without the ``.0`` polars adds to whole numbers (``1.5``, ``3``)."""
    return expr.cast(pl.String).str.strip_suffix(".0")


def format_datetime(expr: pl.Expr) -> pl.Expr:
    """Kusto's ISO 8601 form with seven fractional digits: ``2023-08-30T23:00:00.0000000Z``."""
    # nanosecond datetimes span 1677-2262, so the 9-digit form has a fixed width: cut it to
    # Kusto's 100 ns ticks (one strftime pass is ~30% faster than assembling the parts)
    nanos = expr.dt.strftime("%Y-%m-%dT%H:%M:%S%.9f")
    return pl.concat_str([nanos.str.slice(0, 27), pl.lit("Z")])


def format_timespan(expr: pl.Expr) -> pl.Expr:
    """.NET's constant timespan form ``[-][d.]hh:mm:ss[.fffffff]``: ``00:00:10``, ``1.02:03:04``."""
    ns = expr.dt.total_nanoseconds()
    ticks = ns.abs() // NS_PER_TICK
    seconds = ticks // 10_000_000
    fraction = ticks % 10_000_000
    days = seconds // 86_400

    def two(e: pl.Expr) -> pl.Expr:
        return e.cast(pl.String).str.zfill(2)

    return pl.concat_str(
        [
            pl.when(ns < 0).then(pl.lit("-")).otherwise(pl.lit("")),
            pl.when(days > 0).then(days.cast(pl.String) + ".").otherwise(pl.lit("")),
            two(seconds // 3600 % 24),
            pl.lit(":"),
            two(seconds // 60 % 60),
            pl.lit(":"),
            two(seconds % 60),
            pl.when(fraction > 0).then("." + fraction.cast(pl.String).str.zfill(7)).otherwise(pl.lit("")),
        ]
    )


# --------------------------------------------------------------------------------------------
# dynamic (JSON text)


def map_json(expr: pl.Expr, fn: Callable[[Any], Any], dtype: pl.DataType) -> pl.Expr:
    """Apply ``fn`` to each decoded JSON value (null and invalid JSON give null).

    Dynamic values are JSON text, which polars cannot take apart column-wise when rows differ in
    shape; this is the one place rows go through Python. Repeated texts are decoded once.
    """

    def batch(series: pl.Series) -> pl.Series:
        cache: dict[str, Any] = {}
        out: list[Any] = []
        for text in series.to_list():
            if text is None:
                out.append(None)
                continue
            if text not in cache:
                try:
                    cache[text] = fn(json.loads(text))
                except (ValueError, TypeError, KeyError, IndexError):
                    cache[text] = None
            out.append(cache[text])
        return pl.Series(out, dtype=dtype)

    return expr.map_batches(batch, return_dtype=dtype, is_elementwise=True)


def dumps(value: Any) -> str:
    """Compact JSON text, the engine's spelling of a dynamic value."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def json_scalar_text(expr: pl.Expr) -> pl.Expr:
    """A dynamic value as text: a JSON string gives its content, JSON null gives null, anything else
    its JSON text (``tostring(parse_json('{"a":1}'))`` is ``{"a":1}``)."""

    def text(value: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        return dumps(value)

    return map_json(expr, text, pl.String())


def to_json(expr: pl.Expr, t: ScalarType) -> pl.Expr:
    """The JSON text of a value of type ``t`` (for ``make_list``, ``parse_json(long)``, …)."""
    if t == T.DYNAMIC:
        return expr
    if t in (T.INT, T.LONG, T.BOOL):
        return expr.cast(pl.String)
    if t == T.REAL:
        # JSON has no NaN/Infinity; Kusto writes them as strings
        finite = expr.is_finite()
        return pl.when(finite).then(expr.cast(pl.String)).otherwise('"' + expr.cast(pl.String) + '"')
    # strings, datetimes and timespans are JSON strings
    return json_encode(to_text(expr, t))


def json_encode(expr: pl.Expr, *, nullable: bool = True) -> pl.Expr:
    """The JSON text of each polars value (string, number, list, …); null stays null.

    Polars' JSON writer does the escaping: encode the struct ``{"v": value}`` and cut the value
    back out of ``{"v":…}``. ``nullable=False`` skips the null check for values never null.
    """
    encoded = pl.struct(expr.alias("v")).struct.json_encode().str.slice(5).str.strip_suffix("}")
    return pl.when(expr.is_null()).then(None).otherwise(encoded) if nullable else encoded


# --------------------------------------------------------------------------------------------
# parsing text

# Kusto's todatetime formats (ISO 8601 first, then the US forms the docs show); the first that
# parses wins. A trailing "Z" is dropped beforehand; explicit offsets are converted to UTC.
_DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%m-%d-%Y",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y",
    "%a, %d %b %Y %H:%M:%S",
    "%d %b %Y %H:%M:%S",
)
_OFFSET_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%.f%#z")


def parse_datetime(text: pl.Expr) -> pl.Expr:
    """Text → UTC datetime, null when no supported format matches."""
    s = text.str.strip_chars().str.strip_suffix("Z").str.strip_suffix(" GMT")
    dtype = polars_dtype(T.DATETIME)
    tries = [
        s.str.to_datetime(f, time_unit="ns", time_zone="UTC", strict=False, exact=True)
        for f in _DATETIME_FORMATS
    ]
    tries += [
        s.str.to_datetime(f, time_unit="ns", strict=False, exact=True).dt.convert_time_zone("UTC")
        for f in _OFFSET_FORMATS
    ]
    return pl.coalesce([e.cast(dtype) for e in tries])


_UNIT_NS = {
    "d": NS_PER_DAY,
    "day": NS_PER_DAY,
    "days": NS_PER_DAY,
    "h": 3600 * NS_PER_SECOND,
    "hr": 3600 * NS_PER_SECOND,
    "hrs": 3600 * NS_PER_SECOND,
    "hour": 3600 * NS_PER_SECOND,
    "hours": 3600 * NS_PER_SECOND,
    "m": 60 * NS_PER_SECOND,
    "min": 60 * NS_PER_SECOND,
    "minute": 60 * NS_PER_SECOND,
    "minutes": 60 * NS_PER_SECOND,
    "s": NS_PER_SECOND,
    "sec": NS_PER_SECOND,
    "second": NS_PER_SECOND,
    "seconds": NS_PER_SECOND,
    "ms": 1_000_000,
    "milli": 1_000_000,
    "millis": 1_000_000,
    "millisecond": 1_000_000,
    "milliseconds": 1_000_000,
    "microsecond": 1_000,
    "microseconds": 1_000,
    "tick": NS_PER_TICK,
    "ticks": NS_PER_TICK,
}
_CLOCK = r"^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$"
_LITERAL = r"^(-?\d+(?:\.\d+)?)\s*([a-z]+)$"


def parse_timespan(text: pl.Expr) -> pl.Expr:
    """Text → timespan: the clock form ``[-][d.]hh:mm[:ss[.fffffff]]`` or a literal like ``2d``,
    ``1.5h``, ``30min``, ``100ms``; null otherwise."""
    s = text.str.strip_chars().str.to_lowercase()
    clock = s.str.extract_groups(_CLOCK)

    def part(i: int) -> pl.Expr:
        return clock.struct.field(str(i)).cast(pl.Int64).fill_null(0)

    fraction = clock.struct.field("6").str.pad_end(9, "0").cast(pl.Int64).fill_null(0)
    clock_ns = (
        part(2) * NS_PER_DAY
        + part(3) * 3600 * NS_PER_SECOND
        + part(4) * 60 * NS_PER_SECOND
        + part(5) * NS_PER_SECOND
        + fraction
    )
    # the hours group is mandatory: null means the text is not in clock form
    clock_ns = (
        pl.when(clock.struct.field("3").is_null())
        .then(None)
        .when(clock.struct.field("1") == "-")
        .then(-clock_ns)
        .otherwise(clock_ns)
    )

    literal = s.str.extract_groups(_LITERAL)
    unit = literal.struct.field("2").replace_strict(_UNIT_NS, default=None, return_dtype=pl.Float64)
    literal_ns = (literal.struct.field("1").cast(pl.Float64) * unit).round().cast(pl.Int64)
    return pl.coalesce([clock_ns, literal_ns]).cast(polars_dtype(T.TIMESPAN))


def parse_bool(text: pl.Expr) -> pl.Expr:
    """``true``/``false`` in any case (as .NET's Boolean.Parse); anything else is null."""
    s = text.str.strip_chars().str.to_lowercase()
    return pl.when(s == "true").then(True).when(s == "false").then(False).otherwise(None)


def parse_long(text: pl.Expr) -> pl.Expr:
    """Decimal integer text (surrounding blanks allowed) → long; ``''``, ``'nan'``, ``'1.5'`` → null."""
    return text.str.strip_chars().str.to_integer(strict=False).cast(pl.Int64)


def parse_real(text: pl.Expr) -> pl.Expr:
    """Number text → real; ``'nan'``/``'inf'`` are NaN/∞ (as Kusto's todouble), ``''`` is null."""
    return text.str.strip_chars().cast(pl.Float64, strict=False)


# --------------------------------------------------------------------------------------------
# casts


def convertible(source: ScalarType, target: ScalarType) -> bool:
    """Whether ``convert`` knows how to turn ``source`` values into ``target`` values."""
    if source == target or target in (T.STRING, T.DYNAMIC) or source in (T.STRING, T.DYNAMIC):
        return True
    if target.is_numeric or target == T.BOOL:
        return source.is_numeric or source in (T.BOOL, T.TIMESPAN)
    return False


def convert(expr: pl.Expr, source: ScalarType, target: ScalarType) -> pl.Expr:
    """Cast ``expr`` from ``source`` to ``target``; values that do not convert become null."""
    if source == target:
        return expr
    if target == T.STRING:
        return to_text(expr, source)
    if target == T.DYNAMIC:
        return to_json(expr, source)
    if source == T.DYNAMIC:
        return convert(json_scalar_text(expr), T.STRING, target)
    dtype = polars_dtype(target)
    if source == T.STRING:
        parsed = {
            T.DATETIME: parse_datetime,
            T.TIMESPAN: parse_timespan,
            T.BOOL: parse_bool,
            T.REAL: parse_real,
        }.get(target, parse_long)(expr)
        return parsed.cast(dtype, strict=False)
    if source == T.TIMESPAN and target != T.BOOL:
        # a timespan as a number is its count of 100 ns ticks, as in Kusto
        return (expr.dt.total_nanoseconds() // NS_PER_TICK).cast(dtype, strict=False)
    if target == T.BOOL:
        return expr != 0
    # float → int truncates toward zero; NaN and out-of-range values become null
    return expr.cast(dtype, strict=False)


def convert_constant(value: Any, source: ScalarType, target: ScalarType) -> Any:
    """``value`` of type ``source`` as a ``target`` value, or raise ConversionError."""
    if value is None or source == target:
        return value
    if not convertible(source, target):
        raise ConversionError(f"a {source} value cannot be used as {target}")
    result = pl.select(convert(pl.lit(value, dtype=polars_dtype(source)), source, target).alias("v")).item()
    if result is None:
        raise ConversionError(f"{value!r} is not a valid {target}")
    return result
