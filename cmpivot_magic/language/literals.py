"""Literal text to values and back: strings, timespans and datetimes.

Datetimes are nanoseconds since 1970-01-01 UTC and timespans nanoseconds, as ints: exact to
Kusto's 100 ns tick. The parser reads with these functions and the printer writes with them, so
``parse(str(q)) == q`` holds for every literal.
"""

from __future__ import annotations

import datetime as dt
import json
import re

NS_PER = {
    "d": 86_400 * 10**9,
    "h": 3_600 * 10**9,
    "m": 60 * 10**9,
    "s": 10**9,
    "ms": 10**6,
    "micro": 10**3,
    "tick": 100,
    "nano": 1,
}

_UNIT = {
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "h"),
    **dict.fromkeys(("m", "min", "minute", "minutes"), "m"),
    **dict.fromkeys(("s", "sec", "second", "seconds"), "s"),
    **dict.fromkeys(("ms", "milli", "millis", "millisec", "millisecond", "milliseconds"), "ms"),
    **dict.fromkeys(("micro", "micros", "microsec", "microsecond", "microseconds"), "micro"),
    **dict.fromkeys(("nano", "nanos", "nanosec", "nanosecond", "nanoseconds"), "nano"),
    **dict.fromkeys(("tick", "ticks"), "tick"),
}

_TIMESPAN_RE = re.compile(r"(\d+(?:\.\d+)?)([a-z]+)", re.IGNORECASE)
_CLOCK_RE = re.compile(r"(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?")


class LiteralError(ValueError):
    """The text of a literal is not a valid value; the message says why."""


def timespan_ns(text: str) -> int:
    """``1d`` ``1.5h`` ``30min`` ``100ms`` ``2tick`` → nanoseconds."""
    m = _TIMESPAN_RE.fullmatch(text.strip())
    if not m or m.group(2).lower() not in _UNIT:
        raise LiteralError(f"'{text}' is not a timespan; write a number and a unit such as 1d, 2h, 30m, 10s, 5ms")
    number, unit = m.group(1), NS_PER[_UNIT[m.group(2).lower()]]
    whole, _, frac = number.partition(".")
    ns = int(whole) * unit
    if frac:
        ns += int(frac) * unit // 10 ** len(frac)
    return ns


def clock_timespan_ns(text: str) -> int:
    """``[-][d.]hh:mm[:ss[.fffffff]]`` (Kusto's timespan text) → nanoseconds."""
    m = _CLOCK_RE.fullmatch(text.strip())
    if not m:
        raise LiteralError(f"'{text}' is not a timespan; use d.hh:mm:ss or a literal such as 1d")
    sign, days, hours, minutes, seconds, frac = m.groups()
    ns = ((int(days or 0) * 24 + int(hours)) * 60 + int(minutes)) * 60 * 10**9 + int(seconds or 0) * 10**9
    if frac:
        ns += int(frac.ljust(9, "0"))
    return -ns if sign else ns


def timespan_call_ns(inner: str) -> int | None:
    """The argument of ``timespan(...)`` / ``time(...)``: null, ``25min``, ``1.02:03:04`` or days."""
    inner = inner.strip().strip("'\"")
    if inner.lower() == "null":
        return None
    if ":" in inner:
        return clock_timespan_ns(inner)
    if re.fullmatch(r"\d+(\.\d+)?", inner):
        return timespan_ns(inner + "d")
    return timespan_ns(inner)


def format_timespan(ns: int) -> str:
    """The shortest exact literal for ``ns`` nanoseconds: ``1d``, ``90m``, ``150ms``, ``7tick``."""
    if ns < 0:
        raise LiteralError("negative timespans print as a negated literal")
    for unit, size in (("d", NS_PER["d"]), ("h", NS_PER["h"]), ("m", NS_PER["m"]), ("s", NS_PER["s"]),
                       ("ms", NS_PER["ms"]), ("microsecond", NS_PER["micro"]), ("tick", 100)):
        if ns % size == 0:
            return f"{ns // size}{unit}"
    return f"{ns}nanosecond"


def format_clock_timespan(ns: int) -> str:
    """Kusto's clock text ``[-][d.]hh:mm:ss[.fffffffff]`` for ``ns``; ``clock_timespan_ns`` reads it back.

    Used for negative timespans: ``-1h`` would read back as minus applied to ``1h``."""
    sign, ns = ("-" if ns < 0 else ""), abs(ns)
    seconds, frac = divmod(ns, 10**9)
    minutes, ss = divmod(seconds, 60)
    hours, mm = divmod(minutes, 60)
    days, hh = divmod(hours, 24)
    text = f"{sign}{f'{days}.' if days else ''}{hh:02d}:{mm:02d}:{ss:02d}"
    return text + ("." + f"{frac:09d}".rstrip("0") if frac else "")


_ISO_RE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?"
)
_US_RE = re.compile(
    r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z)?"
)
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _ns_from_parts(year: int, month: int, day: int, hh: int, mm: int, ss: int, frac: str | None) -> int:
    try:
        days = dt.date(year, month, day).toordinal() - _EPOCH_ORDINAL
    except ValueError as err:
        raise LiteralError(f"invalid date: {err}") from None
    if hh > 23 or mm > 59 or ss > 59:
        raise LiteralError("invalid time of day")
    ns = ((days * 24 + hh) * 60 + mm) * 60 * 10**9 + ss * 10**9
    return ns + (int(frac.ljust(9, "0")) if frac else 0)


# Kusto's datetime range, 0001-01-01 to 9999-12-31 23:59:59.9999999, in ns since the epoch
_MIN_NS = (dt.date(1, 1, 1).toordinal() - _EPOCH_ORDINAL) * 86_400 * 10**9
_MAX_NS = (dt.date(9999, 12, 31).toordinal() - _EPOCH_ORDINAL + 1) * 86_400 * 10**9 - 100


def datetime_ns(text: str) -> int | None:
    """The argument of ``datetime(...)``: ``null``, ISO 8601 (``2015-12-31 23:59:59.9``, ``T``,
    ``Z``, an offset) or US ``MM-DD-YYYY`` → nanoseconds since the epoch, UTC."""
    inner = text.strip().strip("'\"").strip()
    if inner.lower() == "null":
        return None
    m = _ISO_RE.fullmatch(inner)
    if m:
        y, mo, d, hh, mi, ss, frac, tz = m.groups()
        ns = _ns_from_parts(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0), frac)
        if tz and tz != "Z":
            sign = -1 if tz[0] == "+" else 1
            digits = tz[1:].replace(":", "")
            ns += sign * (int(digits[:2]) * 60 + int(digits[2:])) * 60 * 10**9
            if not _MIN_NS <= ns <= _MAX_NS:  # the offset moved it out of years 1..9999
                raise LiteralError(f"'{inner}' is outside the datetime range 0001-01-01 to 9999-12-31 (UTC)")
        return ns
    m = _US_RE.fullmatch(inner)
    if m:
        mo, d, y, hh, mi, ss, frac, _ = m.groups()
        return _ns_from_parts(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0), frac)
    raise LiteralError(
        f"'{inner}' is not a datetime; write it in ISO 8601, e.g. datetime(2024-01-31 13:45:00)"
    )


def json_text(value: object) -> str:
    """JSON text for a ``dynamic`` value that reads back through KQL's string escapes.

    ``json.dumps`` writes backspace and form feed as ``\\b`` and ``\\f``, which KQL strings do
    not know (``\\b`` would stay a backslash and a b); spell them as ``\\u0008`` and ``\\u000c``."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if "\\" not in text:
        return text
    return re.sub(r"\\(.)", lambda m: {"b": "\\u0008", "f": "\\u000c"}.get(m.group(1), m.group(0)), text)


def format_datetime(ns: int) -> str:
    """``2015-12-31 23:59:59.9`` style text (UTC) for nanoseconds since the epoch."""
    seconds, frac = divmod(ns, 10**9)
    days, secs = divmod(seconds, 86_400)
    date = dt.date.fromordinal(_EPOCH_ORDINAL + days)
    hh, rem = divmod(secs, 3600)
    mm, ss = divmod(rem, 60)
    text = f"{date.isoformat()} {hh:02d}:{mm:02d}:{ss:02d}"
    if frac:
        text += "." + f"{frac:09d}".rstrip("0")
    return text


def ns_to_datetime(ns: int) -> dt.datetime:
    """Nanoseconds since the epoch → a tz-aware UTC datetime (to the microsecond)."""
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=ns // 1000)


def datetime_to_ns(value: dt.datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    delta = value - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (delta.days * 86_400 + delta.seconds) * 10**9 + delta.microseconds * 1000


_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "t": "\t", "r": "\r", "0": "\0", "/": "/"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.DOTALL)


def unescape(body: str) -> str:
    r"""KQL escapes in a quoted string's body: ``\\ \' \" \n \t \r \uXXXX``. An unknown escape
    such as ``\S`` keeps its backslash (lenient, as CMPivot queries copied from paths need)."""

    def sub(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc in _ESCAPES:
            return _ESCAPES[esc]
        if len(esc) > 1:
            return chr(int(esc[1:], 16))
        return "\\" + esc

    return _ESCAPE_RE.sub(sub, body) if "\\" in body else body


def string_value(token: str) -> tuple[str, str]:
    """A string token → (value, raw body). Handles ``h`` (obfuscated) and ``@`` (verbatim) prefixes."""
    text = token
    if text[:1] in "hH" and text[1:2] in ("'", '"', "@"):
        text = text[1:]
    verbatim = text.startswith("@")
    if verbatim:
        text = text[1:]
    body = text[1:-1]
    return (body if verbatim else unescape(body)), body


def quote(value: str) -> str:
    """A single-quoted KQL literal for ``value`` that reads back as exactly ``value``."""
    escaped = (
        value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f"'{escaped}'"


_RAW_FORMS = (
    ("'", re.compile(r"(?:\\.|[^'\\\n])*")),
    ('"', re.compile(r'(?:\\.|[^"\\\n])*')),
    ("@'", re.compile(r"[^'\n]*")),
    ('@"', re.compile(r'[^"\n]*')),
)


def quote_raw(raw: str) -> str:
    """Quote an entity argument's raw body so that it reads back as the same raw body.

    The raw body is the text between the quotes, escapes untouched. It may come from several
    adjacent literals (``'a' @'b\\'``), so no single form need fit it: then it is written as
    several adjacent literals, which the parser joins back into the same raw text."""
    for opening, body in _RAW_FORMS:
        if body.fullmatch(raw):
            return f"{opening}{raw}{opening[-1]}"
    # split where a verbatim form stops fitting; each piece fits one of the verbatim forms
    # (a raw body never holds a newline: no string token does)
    pieces, rest = [], raw
    while rest:
        quote = "'" if "'" not in rest[:1] else '"'
        end = rest.find(quote)
        end = len(rest) if end == -1 else end
        pieces.append(f"@{quote}{rest[:end]}{quote}")
        rest = rest[end:]
    return " ".join(pieces)
