"""Scalar functions (engine/scalars.py, engine/coerce.py): one test per semantic rule, with the
expected values of the Kusto docs (msdocs-*) and KustoLoco (kustoloco-*) corpus files."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from exprs import NOW, call, lit

from cmpivot_magic.engine.functions import (
    BOTH,
    KQL_ONLY,
    SignatureError,
    compile_expr,
    fold_constant,
    lookup,
    polars_dtype,
)
from cmpivot_magic.engine.ir import Apply, Col, Const, Context
from cmpivot_magic.language.types import ScalarType as T


def run(expr: Apply, frame: pl.DataFrame | None = None) -> list[Any]:
    """Evaluate over ``frame`` (one dummy row by default), checking the declared dtype."""
    frame = pl.DataFrame({"_": [0]}) if frame is None else frame
    out = frame.with_columns(compile_expr(expr, Context(now=NOW)).alias("__r"))["__r"]
    assert out.dtype == polars_dtype(expr.type)
    return out.to_list()


def one(name: str, *args: Any) -> Any:
    return run(call(name, *(a if isinstance(a, Col | Const | Apply) else lit(a) for a in args)))[0]


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, us, tzinfo=dt.UTC)


def datetimes(**columns: str) -> pl.DataFrame:
    """A one-row frame of nanosecond-precision datetimes parsed from text."""
    frame = pl.DataFrame({k: [v] for k, v in columns.items()})
    return frame.with_columns(pl.col(k).str.to_datetime(time_unit="ns", time_zone="UTC") for k in columns)


def test_dialects_of_the_cmpivot_set() -> None:
    """CMPivot's documented functions are available in both dialects, the KQL extras only in kql."""
    cmpivot = ("ago", "now", "bin", "case", "datetime_add", "datetime_diff", "iif", "iff", "indexof",
               "isnotnull", "isnull", "strcat", "strlen", "substring", "tostring", "not")  # fmt: skip
    kql = ("tolower", "toint", "todatetime", "split", "parse_json", "todynamic", "coalesce", "round", "int")
    for name in cmpivot:
        assert lookup(name).dialects == BOTH, name  # type: ignore[union-attr]
    for name in kql:
        assert lookup(name).dialects == KQL_ONLY, name  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------- time


def test_now_and_ago_read_the_query_clock() -> None:
    """now() and ago() use ctx.now, so one query sees one instant; now(offset) adds the offset."""
    assert one("now") == NOW
    assert one("ago", dt.timedelta(days=1)) == NOW - dt.timedelta(days=1)
    assert one("now", dt.timedelta(hours=-1)) == NOW - dt.timedelta(hours=1)
    assert one(
        "-", call("now", lit(dt.timedelta(days=-2))), call("ago", lit(dt.timedelta(days=2)))
    ) == dt.timedelta(0)


def test_bin_rounds_down_to_a_multiple() -> None:
    """bin() floors numbers (real stays real, ints become long), datetimes relative to 1970-01-01
    and timespans; a null or non-positive size gives null (msdocs bin-function, kustoloco bin_*)."""
    assert one("bin", 4.5, 1) == 4.0 and call("bin", lit(4.5), lit(1)).type == T.REAL
    assert one("bin", utc(1970, 5, 11, 13, 45, 7), dt.timedelta(days=1)) == utc(1970, 5, 11)
    assert one("bin", utc(2022, 3, 2, 23, 4), dt.timedelta(hours=1)) == utc(2022, 3, 2, 23)
    assert one("bin", utc(1969, 12, 31, 13), dt.timedelta(days=1)) == utc(1969, 12, 31)
    assert one("bin", dt.timedelta(minutes=17), dt.timedelta(minutes=5)) == dt.timedelta(minutes=15)
    assert one("bin", -1, 10) == -10
    ints = pl.DataFrame({"a": [9, 10, 11]}, schema={"a": pl.Int32})
    binned = call("bin", Col("a", T.INT), lit(10))
    assert binned.type == T.LONG and run(binned, ints) == [0, 10, 10]
    assert one("bin", 5, 0) is None and one("bin", lit(5), lit(None, T.LONG)) is None
    sizes = pl.DataFrame({"s": [2, 0, None]})
    assert run(call("bin", lit(7), Col("s", T.LONG)), sizes) == [6, None, None]


def test_datetime_diff_counts_calendar_boundaries() -> None:
    """datetime_diff(period, d1, d2) counts period boundaries from d2 to d1, with Sunday-start weeks
    (msdocs datetime-diff-function-L57)."""
    cases = [
        ("year", "2017-01-01", "2000-12-31", 17),
        ("quarter", "2017-07-01", "2017-03-30", 2),
        ("month", "2017-01-01", "2015-12-30", 13),
        ("week", "2017-10-29 00:00", "2017-09-30 23:59", 5),
        ("day", "2017-10-29 00:00", "2017-09-30 23:59", 29),
        ("hour", "2017-10-31 01:00", "2017-10-30 23:59", 2),
        ("minute", "2017-10-30 23:05:01", "2017-10-30 23:00:59", 5),
        ("second", "2017-10-30 23:00:10.100", "2017-10-30 23:00:00.900", 10),
        ("millisecond", "2017-10-30 23:00:00.200100", "2017-10-30 23:00:00.100900", 100),
        ("microsecond", "2017-10-30 23:00:00.1009001", "2017-10-30 23:00:00.1008009", 100),
        ("nanosecond", "2017-10-30 23:00:00.0000000", "2017-10-30 23:00:00.0000007", -700),
    ]
    for period, d1, d2, expected in cases:
        frame = datetimes(a=d1, b=d2)
        expr = call("datetime_diff", lit(period), Col("a", T.DATETIME), Col("b", T.DATETIME))
        assert run(expr, frame) == [expected], period
    assert one("datetime_diff", "Day", call("now"), lit(NOW - dt.timedelta(hours=13))) == 1


def test_datetime_period_must_be_a_known_constant() -> None:
    """An unknown or non-constant period is a typing error that lists the valid choices."""
    with pytest.raises(SignatureError, match="one of 'year', 'quarter', 'month', 'week'"):
        call("datetime_diff", lit("fortnight"), lit(NOW), lit(NOW))
    with pytest.raises(SignatureError, match="constant period"):
        call("datetime_add", Col("p", T.STRING), lit(1), lit(NOW))


def test_datetime_add_is_calendar_aware() -> None:
    """Months, quarters and years step the calendar and clamp the day of month; other periods
    add fixed lengths."""
    assert one("datetime_add", "month", 1, utc(2017, 1, 31)) == utc(2017, 2, 28)
    assert one("datetime_add", "Year", -1, utc(2016, 2, 29)) == utc(2015, 2, 28)
    assert one("datetime_add", "quarter", 2, utc(2017, 8, 31)) == utc(2018, 2, 28)
    assert one("datetime_add", "week", 2, utc(2017, 1, 1)) == utc(2017, 1, 15)
    assert one("datetime_add", "minute", -90, utc(2017, 1, 1)) == utc(2016, 12, 31, 22, 30)


# ---------------------------------------------------------------------------------- conditionals


def test_iif_and_case_pick_a_branch_of_a_common_type() -> None:
    """iif/iff/case return the first branch whose predicate is true, else the last argument; a
    null predicate counts as false; the result type is the branches' common type (msdocs
    case-function, logical-operators-L131, kustoloco Iff_*)."""
    sizes = pl.DataFrame({"Size": list(range(1, 16, 2))})
    size = Col("Size", T.LONG)
    bucket = call(
        "case", call("<=", size, lit(3)), lit("Small"), call("<=", size, lit(10)), lit("Medium"), lit("Large")
    )
    assert run(bucket, sizes) == ["Small", "Small", "Medium", "Medium", "Medium", "Large", "Large", "Large"]
    assert one("iif", call("and", lit(None, T.BOOL), lit(True)), True, False) is False
    assert one("iff", lit(False), Const(1, T.INT), Const(2, T.INT)) == 2
    assert call("iff", lit(True), Const(1, T.INT), Const(2, T.INT)).type == T.INT
    assert call("iif", lit(True), lit(1), lit(2.5)).type == T.REAL
    assert call("iif", lit(True), lit("a"), lit(None, T.LONG)).type == T.STRING
    assert one("iif", lit(True), lit(dt.timedelta(seconds=1)), lit(dt.timedelta(seconds=2))) == dt.timedelta(
        seconds=1
    )
    with pytest.raises(SignatureError, match="one type"):
        call("iif", lit(True), lit("a"), lit(1))
    with pytest.raises(SignatureError, match="predicate/value pairs"):
        call("case", lit(True), lit(1))


def test_null_tests() -> None:
    """isnull is true only for null ('' is not null); isempty is true for null and ''; not() keeps
    null (kustoloco isnull_Columnar, isempty_Columnar, not_Columnar)."""
    frame = pl.DataFrame({"s": ["", " ", "hello", None], "n": [1, None, 3, None]})
    s, n = Col("s", T.STRING), Col("n", T.LONG)
    assert run(call("isnull", s), frame) == [False, False, False, True]
    assert run(call("isnotnull", n), frame) == [True, False, True, False]
    assert run(call("isempty", s), frame) == [True, False, False, True]
    assert run(call("isnotempty", s), frame) == [False, True, True, False]
    assert one("isnull", lit("null", T.DYNAMIC)) is True
    bools = pl.DataFrame({"v": [True, False, None]})
    assert run(call("not", Col("v", T.BOOL)), bools) == [False, True, None]


def test_coalesce_skips_nulls_and_empty_strings() -> None:
    """coalesce returns the first non-null argument; for strings, the first non-empty one."""
    assert one("coalesce", lit(None, T.STRING), "", "x") == "x"
    assert one("coalesce", lit(None, T.LONG), 2.5) == 2.5


# ---------------------------------------------------------------------------------- strings


def test_tostring_forms() -> None:
    """tostring: null → '', reals shortest (1.5, 3), datetimes ISO with 7 digits and Z, timespans
    [-][d.]hh:mm:ss[.fffffff], bools true/false (kustoloco Cast_ToString_*; the datetime form is
    Kusto's, not KustoLoco's .NET culture form)."""
    frame = pl.DataFrame(
        {
            "a": [123, None],
            "c": [1.5, None],
            "d": [dt.timedelta(seconds=10), None],
            "e": [utc(2023, 8, 30, 23), None],
        },
        schema={"a": pl.Int32, "c": pl.Float64, "d": pl.Duration("ns"), "e": pl.Datetime("ns", "UTC")},
    )
    columns = {"a": T.INT, "c": T.REAL, "d": T.TIMESPAN, "e": T.DATETIME}
    got = {k: run(call("tostring", Col(k, t)), frame) for k, t in columns.items()}
    assert got == {
        "a": ["123", ""],
        "c": ["1.5", ""],
        "d": ["00:00:10", ""],
        "e": ["2023-08-30T23:00:00.0000000Z", ""],
    }
    assert one("tostring", 3.0) == "3" and one("tostring", True) == "true"
    assert (
        one("tostring", dt.timedelta(days=1, hours=2, minutes=3, seconds=4, microseconds=500000))
        == "1.02:03:04.5000000"
    )
    assert one("tostring", -dt.timedelta(minutes=3)) == "-00:03:00"
    assert (
        one("tostring", lit('"b1"', T.DYNAMIC)) == "b1"
        and one("tostring", lit("[1,2]", T.DYNAMIC)) == "[1,2]"
    )


def test_strcat_converts_and_treats_null_as_empty() -> None:
    """strcat joins 1–64 arguments, non-strings via tostring, null as '' (kustoloco strcat_*)."""
    frame = pl.DataFrame({"a": ["a", "b", None], "b": [123, 456, None]})
    joined = call("strcat", Col("a", T.STRING), lit("-"), Col("b", T.LONG))
    assert run(joined, frame) == ["a-123", "b-456", "-"]
    assert one("strcat", "a") == "a" and one("strcat", "hello", " ", "world") == "hello world"
    assert lookup("strcat").max_args == 64  # type: ignore[union-attr]


def test_strlen_counts_code_points() -> None:
    """strlen counts Unicode code points (msdocs strlen-function L42/L59/L76); null stays null."""
    assert one("strlen", "hello") == 5 and one("strlen", "⒦⒰⒮⒯⒪") == 5
    assert one("strlen", "C\u0327edilla") == 8  # C + combining cedilla: two code points
    assert one("strlen", lit(None, T.STRING)) is None
    with pytest.raises(SignatureError, match=r"strlen\(\) expects a string as its first argument, got long"):
        call("strlen", lit(5))


def test_substring_clamps_and_counts_negative_start_from_the_end() -> None:
    """substring is zero-based and cuts ranges to the string; a negative start counts from the end
    (msdocs substring examples: substring('123456', -2, 2) == '56'). KustoLoco's
    substring('abc', -1, 20) == 'abc' contradicts the docs and is not followed."""
    docs = {("123456", 1): "23456", ("123456", 2, 2): "34", ("ABCD", 0, 2): "AB", ("123456", -2, 2): "56"}
    assert {k: one("substring", *k) for k in docs} == docs
    assert one("substring", "abc", -1, 20) == "c"
    expected = {(0, 3): "abc", (1, 2): "bc", (1, 20): "bc", (1, 1): "b", (2, 0): "", (10, 1): ""}
    assert {k: one("substring", "abc", *k) for k in expected} == expected  # kustoloco substring_Scalar
    frame = pl.DataFrame({"a": ["0", "01", "012", "0123", None]})
    assert run(call("substring", Col("a", T.STRING), lit(1), lit(2)), frame) == ["", "1", "12", "12", None]
    assert one("substring", 20231026, 0, 4) == "2023"
    assert one("substring", "abc", 1, -1) == ""


def test_indexof_all_arguments() -> None:
    """indexof(source, lookup[, start[, length[, occurrence]]]) per msdocs indexof-function-L52:
    non-strings are cast, negative start counts from the end, -1 when not found."""
    cases = [
        (("abcdefg", "cde"), 2), (("abcdefg", "cde", 1, 4), 2), (("abcdefg", "cde", 1, 2), -1),
        (("abcdefg", "cde", 3, 4), -1), (("abcdefg", "cde", -5), 2), ((1234567, 5, 1, 4), 4),
        (("abcdefg", "cde", 2, -1), 2), (("abcdefgabcdefg", "cde", 1, 10, 2), 9),
        (("abcdefgabcdefg", "cde", 1, -1, 3), -1),
    ]  # fmt: skip
    for args, expected in cases:
        assert one("indexof", *args) == expected, args
    assert one("indexof", "héllo wörld", "w") == 6  # characters, not UTF-8 bytes
    frame = pl.DataFrame({"s": ["abc", None, "xbx"]})
    assert run(call("indexof", Col("s", T.STRING), lit("b")), frame) == [1, None, 1]
    assert one("indexof", "abc", "b", 0, -2) is None


def test_case_and_split_functions() -> None:
    """tolower/toupper; split gives a dynamic array, one element when indexed (msdocs
    split-function-L42)."""
    assert one("tolower", "ÀBC") == "àbc" and one("toupper", "straße") == "STRASSE"
    assert [one("split", "aa_bb", "_"), one("split", "aaa_bbb_ccc", "_", 1), one("split", "", "_")] == [
        '["aa","bb"]',
        '["bbb"]',
        '[""]',
    ]
    assert one("split", "a__b", "_") == '["a","","b"]' and one("split", "aabbcc", "bb") == '["aa","cc"]'
    assert one("split", "a_b", "_", 5) == "[]" and one("split", 'x"y', "_") == '["x\\"y"]'


def test_parse_json_normalises_and_wraps_plain_text() -> None:
    """parse_json gives compact JSON text; text that is not JSON becomes a JSON string, so
    tostring() of a member holding JSON can be parsed again (msdocs parse-json-function-L101)."""
    d = lit('{"a":123, "b":"{\\"c\\":456}"}')
    inner = call("parse_json", call("tostring", call("member", call("parse_json", d), lit("b"))))
    assert one("member", inner, lit("c")) == "456"
    assert one("parse_json", "not json") == '"not json"' and one("todynamic", "[1, 2]") == "[1,2]"
    assert one("parse_json", 5) == "5"


# ---------------------------------------------------------------------------------- conversions


def test_conversions_from_text_give_null_when_unparsable() -> None:
    """toint/tolong('') and ('nan') are null; todouble('nan') is NaN; real → int truncates
    (kustoloco Cast_*, msdocs toint-function)."""
    frame = pl.DataFrame({"v": ["", "123", "nan", " 42 "]})
    v = Col("v", T.STRING)
    assert run(call("toint", v), frame) == [None, 123, None, 42]
    assert run(call("tolong", v), frame) == [None, 123, None, 42]
    doubles = run(call("todouble", v), frame)
    assert doubles[0] is None and doubles[1] == 123.0 and doubles[2] != doubles[2]  # NaN
    assert one("toreal", "123.5") == 123.5 and one("tolong", 123.5) == 123 and one("toint", 2.3) == 2
    assert one("==", call("toint", lit("123")), lit(123)) is True
    bools = {"True": True, "false": False, "yes": None, 2: True}
    assert {k: one("tobool", k) for k in bools} == bools


def test_todatetime_and_totimespan_parse_kusto_formats() -> None:
    """todatetime reads ISO 8601 (with Z or an offset) and US dates; totimespan reads
    [-][d.]hh:mm[:ss[.f]] and literals like 25min (msdocs todatetime/totimespan-function)."""
    assert one("todatetime", "2014-05-25T08:20:03.123456Z") == utc(2014, 5, 25, 8, 20, 3, 123456)
    assert one("todatetime", "2015-12-31 23:59:59.9") == utc(2015, 12, 31, 23, 59, 59, 900000)
    assert one("todatetime", "2014-05-25T10:20:03+02:00") == utc(2014, 5, 25, 8, 20, 3)
    assert one("todatetime", "12-02-2022") == utc(2022, 12, 2)
    assert one("todatetime", "yesterday") is None
    assert one("totimespan", "0.00:03:00") == dt.timedelta(minutes=3)
    assert one("totimespan", "-1.02:03:04.5") == -dt.timedelta(days=1, hours=2, minutes=3, seconds=4.5)
    assert one("timespan", "25min") == dt.timedelta(minutes=25) and one("totimespan", "4d") == dt.timedelta(
        days=4
    )
    assert one("totimespan", "1.5h") == dt.timedelta(minutes=90) and one("totimespan", "nope") is None


def test_typed_constructors_cast() -> None:
    """int(x), long(x), real(x), bool(x), string(x), guid(x), decimal(x) cast like the to*()
    functions; a conversion that cannot exist is a typing error."""
    assert call("int", lit("5")).type == T.INT and one("int", "5") == 5
    assert one("real", 1) == 1.0 and one("decimal", "2.5") == 2.5 and one("string", 7) == "7"
    assert one("bool", lit(None, T.BOOL)) is None
    with pytest.raises(SignatureError, match="cannot convert datetime to long"):
        call("tolong", lit(NOW))


def test_maths_helpers() -> None:
    """round() rounds half away from zero (also to negative precision), floor() is bin(), abs()
    keeps the type."""
    rounded = {
        (2.5,): 3.0,
        (-2.5,): -3.0,
        (2.15, 1): 2.2,
        (-50.55, -2): -100.0,
        (21.5, -1): 20.0,
        (1234, -2): 1200,
    }
    assert {k: one("round", *k) for k in rounded} == rounded
    assert one("round", 7) == 7
    assert one("floor", 7, 5) == 5 and one("abs", -3) == 3 and one("abs", -dt.timedelta(1)) == dt.timedelta(1)


def test_constant_folding_uses_the_implementations() -> None:
    """fold_constant evaluates an all-constant call once, with the same result."""
    folded = fold_constant(call("strcat", lit("a"), lit(1)), Context(now=NOW))
    assert folded == Const("a1", T.STRING)
