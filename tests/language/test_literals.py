"""Literals: timespans, datetimes and strings as the parser reads them and the printer writes them.

Timespans and datetimes are exact integers of nanoseconds (datetimes since 1970-01-01 UTC);
string literals apply KQL escapes leniently, while an entity's string argument keeps its raw text.
"""

from __future__ import annotations

import pytest

from cmpivot_magic.errors import QuerySyntaxError
from cmpivot_magic.language import literals as lit
from cmpivot_magic.language import nodes as n
from cmpivot_magic.language.parser import parse_text
from cmpivot_magic.language.printer import format_expr, format_literal, format_query

NS = 1
US = 1_000
MS = 1_000_000
S = 10**9
MIN = 60 * S
H = 60 * MIN
D = 24 * H


def literal(text: str, dialect: str = "cmpivot") -> n.Literal:
    """The literal on the right of `T | where x == <text>`."""
    where = parse_text(f"T | where x == {text}", dialect).body.operators[0]
    assert isinstance(where, n.Where) and isinstance(where.predicate, n.Binary)
    value = where.predicate.right
    assert isinstance(value, n.Literal), value
    return value


def round_trips(node: n.Literal, dialect: str = "cmpivot") -> str:
    """The printed literal, after checking it reads back as the same literal."""
    text = format_literal(node)
    assert literal(text, dialect) == node, text
    return text


# ------------------------------------------------------------------------------ timespans

UNITS = {
    D: ["d", "day", "days"],
    H: ["h", "hr", "hrs", "hour", "hours"],
    MIN: ["m", "min", "minute", "minutes"],
    S: ["s", "sec", "second", "seconds"],
    MS: ["ms", "milli", "millis", "millisec", "millisecond", "milliseconds"],
    US: ["micro", "micros", "microsec", "microsecond", "microseconds"],
    NS: ["nano", "nanos", "nanosec", "nanosecond", "nanoseconds"],
    100: ["tick", "ticks"],
}


@pytest.mark.parametrize(("unit", "size"), [(u, size) for size, units in UNITS.items() for u in units])
def test_every_kql_timespan_unit(unit: str, size: int) -> None:
    """Each of Kusto's timespan suffixes is a number of that unit, case-insensitively."""
    assert literal(f"3{unit}") == n.Literal(3 * size, "timespan")
    assert literal(f"3{unit.upper()}") == n.Literal(3 * size, "timespan")


@pytest.mark.parametrize(("text", "ns", "printed"), [
    ("1d", D, "1d"),
    ("7d", 7 * D, "7d"),
    ("120d", 120 * D, "120d"),
    ("1day", D, "1d"),
    ("36h", 36 * H, "36h"),
    ("1.5h", 90 * MIN, "90m"),
    ("0.5d", 12 * H, "12h"),
    ("90s", 90 * S, "90s"),
    ("1.25ms", 1250 * US, "1250microsecond"),
    ("150ms", 150 * MS, "150ms"),
    ("15tick", 1500, "15tick"),
    ("7nanoseconds", 7, "7nanosecond"),
    ("0s", 0, "0d"),
])
def test_timespan_literal_value_and_printed_form(text: str, ns: int, printed: str) -> None:
    """A timespan is exact nanoseconds; the printer writes the largest unit that divides it."""
    node = literal(text)
    assert node == n.Literal(ns, "timespan")
    assert round_trips(node) == printed


@pytest.mark.parametrize(("text", "ns"), [
    ("timespan(1d)", D),
    ("time(2h)", 2 * H),
    ("timespan(2)", 2 * D),  # a bare number of days
    ("timespan(1.5)", 36 * H),
    ("timespan(00:30)", 30 * MIN),
    ("timespan(1.02:03:04.5)", D + 2 * H + 3 * MIN + 4 * S + 500 * MS),
    ("timespan(-01:00)", -H),
    ("timespan('12:00:00')", 12 * H),
])
def test_timespan_call_forms(text: str, ns: int) -> None:
    """`timespan(...)`/`time(...)` take a literal, a number of days or d.hh:mm:ss text."""
    node = literal(text, "kql")
    assert node == n.Literal(ns, "timespan")
    round_trips(node, "kql")


def test_negative_timespan_prints_in_call_form() -> None:
    """`-1h` would read back as minus applied to 1h, so a negative value prints as timespan(-...)."""
    assert round_trips(n.Literal(-H, "timespan")) == "timespan(-01:00:00)"
    assert round_trips(n.Literal(-(D + 100), "timespan")) == "timespan(-1.00:00:00.0000001)"


def test_minus_before_a_timespan_is_an_operator() -> None:
    """`now() - 1h` and `-1h` keep the minus as an operator on a positive literal."""
    where = parse_text("T | where x > -1h").body.operators[0]
    assert isinstance(where, n.Where)
    assert where.predicate == n.Binary(">", n.Name("x"), n.Unary("-", n.Literal(H, "timespan")))


def test_null_timespan_and_datetime() -> None:
    """`timespan(null)` and `datetime(null)` are typed nulls; they print as written."""
    assert literal("timespan(null)") == n.Literal(None, "timespan")
    assert round_trips(n.Literal(None, "timespan")) == "timespan(null)"
    assert literal("datetime(null)") == n.Literal(None, "datetime")
    assert round_trips(n.Literal(None, "datetime")) == "datetime(null)"


@pytest.mark.parametrize("text", ["timespan(abc)", "timespan(1.2.3)", "timespan(25 hours)", "time(1week)"])
def test_bad_timespan_call(text: str) -> None:
    """A timespan(...) that holds no timespan is an error on the whole literal."""
    with pytest.raises(QuerySyntaxError, match="is not a timespan") as info:
        literal(text)
    assert info.value.column == len("T | where x == ") + 1


# ------------------------------------------------------------------------------ datetimes


def _ns(year: int, month: int, day: int, hh: int = 0, mm: int = 0, ss: int = 0, frac_ns: int = 0) -> int:
    import datetime as dt

    delta = dt.datetime(year, month, day, hh, mm, ss) - dt.datetime(1970, 1, 1)
    return (delta.days * 86_400 + delta.seconds) * S + frac_ns


@pytest.mark.parametrize(("inner", "ns", "printed"), [
    ("2015-12-31 23:59:59.9", _ns(2015, 12, 31, 23, 59, 59, 900 * MS), "2015-12-31 23:59:59.9"),
    ("2015-12-31", _ns(2015, 12, 31), "2015-12-31 00:00:00"),
    ("2015-1-5", _ns(2015, 1, 5), "2015-01-05 00:00:00"),
    ("2015-12-31T23:59:59Z", _ns(2015, 12, 31, 23, 59, 59), "2015-12-31 23:59:59"),
    ("2015-12-31T23:59", _ns(2015, 12, 31, 23, 59), "2015-12-31 23:59:00"),
    ("2015-12-31T23:59:59.1234567Z", _ns(2015, 12, 31, 23, 59, 59, 123_456_700), "2015-12-31 23:59:59.1234567"),
    ("2015-12-31 23:59:59.123456789", _ns(2015, 12, 31, 23, 59, 59, 123_456_789), "2015-12-31 23:59:59.123456789"),
    ("2015-12-31 23:59:59 +01:00", _ns(2015, 12, 31, 22, 59, 59), "2015-12-31 22:59:59"),
    ("2015-12-31T20:00:00-0430", _ns(2016, 1, 1, 0, 30), "2016-01-01 00:30:00"),
    ("12-31-2015", _ns(2015, 12, 31), "2015-12-31 00:00:00"),  # US month-day-year
    ("1/2/2015 10:00", _ns(2015, 1, 2, 10), "2015-01-02 10:00:00"),
    ("'2015-12-31'", _ns(2015, 12, 31), "2015-12-31 00:00:00"),
    ("1969-07-20 20:17:40", _ns(1969, 7, 20, 20, 17, 40), "1969-07-20 20:17:40"),
    ("0001-01-01", _ns(1, 1, 1), "0001-01-01 00:00:00"),
    ("9999-12-31 23:59:59.9999999", _ns(9999, 12, 31, 23, 59, 59, 999_999_900), "9999-12-31 23:59:59.9999999"),
])
def test_datetime_formats(inner: str, ns: int, printed: str) -> None:
    """ISO 8601 (space or T, Z, offsets, up to 9 fraction digits) and US M-D-Y read as UTC nanoseconds."""
    node = literal(f"datetime({inner})")
    assert node == n.Literal(ns, "datetime")
    assert round_trips(node) == f"datetime({printed})"


@pytest.mark.parametrize(("inner", "message"), [
    ("2020-13-45", "invalid date: month must be in 1..12"),
    ("2020-02-30", "day is out of range for month"),
    ("2019-02-29", "day is out of range for month"),
    ("2020-01-01 25:00", "invalid time of day"),
    ("2020-01-01 10:61", "invalid time of day"),
    ("yesterday", "'yesterday' is not a datetime"),
    ("2020/01/01", "is not a datetime"),
    ("9999-12-31 23:00 -05:00", "outside the datetime range"),
    ("0001-01-01 00:00 +05:00", "outside the datetime range"),
])
def test_bad_datetimes(inner: str, message: str) -> None:
    """An impossible datetime is a syntax error with the caret on the literal."""
    text = f"T | where x == datetime({inner})"
    with pytest.raises(QuerySyntaxError) as info:
        parse_text(text)
    assert message in info.value.message
    assert info.value.location is not None
    assert text[info.value.location.start : info.value.location.end] == f"datetime({inner})"


def test_datetime_ns_helpers_agree() -> None:
    """ns_to_datetime and datetime_to_ns are inverse to the microsecond."""
    ns = _ns(2024, 2, 29, 12, 30, 15, 123_456_000)
    assert lit.datetime_to_ns(lit.ns_to_datetime(ns)) == ns
    assert lit.ns_to_datetime(ns).isoformat() == "2024-02-29T12:30:15.123456+00:00"


# ------------------------------------------------------------------------------ strings


@pytest.mark.parametrize(("text", "value"), [
    ("'abc'", "abc"),
    ('"abc"', "abc"),
    ("'it\\'s'", "it's"),
    ('"it\'s"', "it's"),
    ("'say \"hi\"'", 'say "hi"'),
    ('"say \\"hi\\""', 'say "hi"'),
    ("'a\\\\b'", "a\\b"),
    ("'line\\nbreak\\ttab\\rcr'", "line\nbreak\ttab\rcr"),
    ("'\\u0041\\x42'", "AB"),
    ("'\\/'", "/"),
    # lenient: an unknown escape keeps its backslash (paths typed with single backslashes)
    ("'hklm:\\SOFTWARE\\Microsoft'", "hklm:\\SOFTWARE\\Microsoft"),
    ("'C:\\Users\\x'", "C:\\Users\\x"),
    # verbatim strings take the text as it stands
    ("@'c:\\temp\\'", "c:\\temp\\"),
    ('@"a\\nb"', "a\\nb"),
    # h / H marks an obfuscated string: same value
    ("h'secret'", "secret"),
    ("H@'c:\\x'", "c:\\x"),
    # adjacent literals concatenate
    ("'a' 'b'", "ab"),
    ("'a' @'\\b' \"c\"", "a\\bc"),
    ("'a'\n  // comment\n  'b'", "ab"),
    ("'http://x'", "http://x"),  # // in a string is not a comment
    ("''", ""),
])
def test_string_literal_values(text: str, value: str) -> None:
    """KQL escapes (\\\\ \\' \\" \\n \\t \\r \\uXXXX), lenient unknown escapes, verbatim @'...', concatenation."""
    node = literal(text)
    assert node == n.Literal(value, "string")
    round_trips(node)


@pytest.mark.parametrize(("value", "printed"), [
    ("abc", "'abc'"),
    ("it's", "'it\\'s'"),
    ('say "hi"', "'say \"hi\"'"),
    ("c:\\temp\\", "'c:\\\\temp\\\\'"),
    ("a\nb\tc\rd", "'a\\nb\\tc\\rd'"),
    ("", "''"),
    ("é\u00a0", "'é\u00a0'"),
])
def test_string_printed_form(value: str, printed: str) -> None:
    """The printer writes single-quoted KQL literals, escaping backslash, quote and line breaks."""
    assert round_trips(n.Literal(value, "string")) == printed


def test_entity_arguments_keep_their_raw_text() -> None:
    """CMPivot forwards an entity's string argument verbatim: no escape processing, doubled backslashes stay."""
    query = parse_text("Registry('hklm:\\\\SOFTWARE\\\\*') | join (File(@'c:\\x\\') | take 1)")
    assert query.body.source == n.EntityRef("Registry", (n.Literal("hklm:\\\\SOFTWARE\\\\*", "string"),))
    printed = format_query(query)
    assert printed.startswith("Registry('hklm:\\\\SOFTWARE\\\\*')")
    assert parse_text(printed) == query


@pytest.mark.parametrize("raw", ["a", "a'b", 'a"b', "a\\", "it's \"x\" \\", "\\'", "x'\"\\", "'\"'\""])
def test_raw_entity_arguments_print_back_exactly(raw: str) -> None:
    """quote_raw finds a quoting that reads back as the same raw text, splitting into pieces if it must."""
    query = parse_text(f"E({lit.quote_raw(raw)})")
    assert query.body.source == n.EntityRef("E", (n.Literal(raw, "string"),))


def test_unterminated_string_is_located_at_its_quote() -> None:
    """A string without its closing quote fails at the opening quote."""
    with pytest.raises(QuerySyntaxError, match="unterminated string") as info:
        parse_text("T | where a == 'abc\n| take 1")
    assert (info.value.line, info.value.column) == (1, 16)


# ------------------------------------------------------------------------------ numbers and others


@pytest.mark.parametrize(("text", "node", "printed"), [
    ("0", n.Literal(0, "long"), "0"),
    ("4673", n.Literal(4673, "long"), "4673"),
    ("10240000000", n.Literal(10_240_000_000, "long"), "10240000000"),
    ("9223372036854775807", n.Literal(2**63 - 1, "long"), "9223372036854775807"),
    ("1.5", n.Literal(1.5, "real"), "1.5"),
    ("1.", n.Literal(1.0, "real"), "1.0"),
    (".5", n.Literal(0.5, "real"), "0.5"),
    ("1e3", n.Literal(1000.0, "real"), "1000.0"),
    ("2.5E-3", n.Literal(0.0025, "real"), "0.0025"),
    ("1e300", n.Literal(1e300, "real"), "1e+300"),
    ("true", n.Literal(True, "bool"), "true"),
    ("FALSE", n.Literal(False, "bool"), "false"),
])
def test_numbers_and_booleans(text: str, node: n.Literal, printed: str) -> None:
    """Integers are 64-bit longs, decimals reals; true/false in any case are bools."""
    assert literal(text) == node
    assert round_trips(node) == printed


@pytest.mark.parametrize(("text", "message"), [
    ("9223372036854775808", "too large for a 64-bit long"),
    ("1e999", "too large for a real"),
])
def test_numbers_out_of_range(text: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        literal(text)


@pytest.mark.parametrize(("text", "json_text"), [
    ("dynamic([1, 'a', {\"k\": null}])", '[1,"a",{"k":null}]'),
    ("dynamic({a: -1.5, 'b': [true, false]})", '{"a":-1.5,"b":[true,false]}'),
    ("dynamic(\"x\")", '"x"'),
    ("dynamic(['\\u0008'])", '["\\u0008"]'),  # json.dumps' \b would not read back through KQL escapes
])
def test_dynamic_literals_hold_json_text(text: str, json_text: str) -> None:
    """dynamic(...) (kql) is stored as compact JSON text that prints and reads back unchanged."""
    node = literal(text, "kql")
    assert node == n.Literal(json_text, "dynamic")
    assert format_literal(node) == f"dynamic({json_text})"
    round_trips(node, "kql")


def test_null_is_a_dynamic_null() -> None:
    assert literal("null", "kql") == n.Literal(None, "dynamic")
    assert format_literal(n.Literal(None, "dynamic")) == "dynamic(null)"


def test_member_access_on_an_integer_is_parenthesised() -> None:
    """`(1).x` must not print as `1.x`, which lexes as the real `1.` followed by `x`."""
    node = n.Member(n.Literal(1, "long"), "x")
    assert format_expr(node) == "(1).x"
