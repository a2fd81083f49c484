"""Scalar operators (engine/operators.py): one test per semantic rule, values from the Kusto docs
and the CMPivot language reference (§4, §10.4) where they give them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from exprs import NOW, call, lit

from cmpivot_magic.engine.functions import SignatureError, compile_expr, polars_dtype
from cmpivot_magic.engine.ir import Apply, Bound, Col, Context
from cmpivot_magic.engine.predicates import like_regex
from cmpivot_magic.language.types import ScalarType as T


def run(expr: Apply, frame: pl.DataFrame | None = None, *, ci: bool = True) -> list[Any]:
    """Evaluate over ``frame`` (one dummy row by default), checking the declared dtype."""
    frame = pl.DataFrame({"_": [0]}) if frame is None else frame
    out = frame.with_columns(compile_expr(expr, Context(now=NOW, case_insensitive=ci)).alias("__r"))["__r"]
    assert out.dtype == polars_dtype(expr.type)
    return out.to_list()


def one(name: str, *args: Bound, ci: bool = True) -> Any:
    return run(call(name, *args), ci=ci)[0]


STRINGS = pl.DataFrame({"s": ["aBc", "xyz", None, "ABC", ""]})
S = Col("s", T.STRING)


# ---------------------------------------------------------------------------------- arithmetic


def test_integer_division_truncates_toward_zero_and_zero_divisor_is_null() -> None:
    """Integer `/` truncates toward zero; an integer division by zero is null (not an error)."""
    quotients = {(7, 2): 3, (-7, 2): -3, (7, -2): -3, (6, 2): 3, (7, 0): None}
    assert {k: one("/", *map(lit, k)) for k in quotients} == quotients
    assert one("/", lit(5), lit(0.5)) == 10.0  # kustoloco BinOp_Divide1


def test_modulo_result_is_never_negative() -> None:
    """`%` gives a non-negative remainder for every sign combination (msdocs numerical-operators:
    14 % 12 = 2, -14 % 12 = 10, 14 % -12 = 2, -14 % -12 = 10); a zero divisor is null."""
    pairs = ((14, 12), (-14, 12), (14, -12), (-14, -12))
    assert [one("%", lit(a), lit(b)) for a, b in pairs] == [2, 10, 2, 10]
    assert one("%", lit(2), lit(1)) == 0
    assert one("%", lit(5), lit(0)) is None


def test_arithmetic_result_types() -> None:
    """long op long → long, anything with real → real, int widens to long (kustoloco BinOp_Add2)."""
    assert call("+", lit(1), lit(2)).type == T.LONG
    assert call("+", lit(3), lit(4.0)).type == T.REAL and one("+", lit(3), lit(4.0)) == 7.0
    frame = pl.DataFrame({"i": [2_000_000_000]}, schema={"i": pl.Int32})
    assert run(call("+", Col("i", T.INT), Col("i", T.INT)), frame) == [4_000_000_000]  # no int32 overflow
    assert one("*", lit(4), lit(3.5)) == 14.0 and one("-", lit(4), lit(3.5)) == 0.5


def test_datetime_and_timespan_arithmetic() -> None:
    """datetime ± timespan → datetime, datetime − datetime → timespan, timespan × / number →
    timespan, timespan / timespan → real (kustoloco BinOp_Subtract1, BinOp_Divide1)."""
    t0 = dt.datetime(2022, 3, 6, 20, tzinfo=dt.UTC)
    assert one("-", lit(t0), lit(dt.timedelta(minutes=5))) == dt.datetime(2022, 3, 6, 19, 55, tzinfo=dt.UTC)
    assert one("+", lit(dt.timedelta(days=1)), lit(t0)) == t0 + dt.timedelta(days=1)
    assert one("-", lit(t0), lit(t0 - dt.timedelta(hours=2))) == dt.timedelta(hours=2)
    assert one("-", lit(dt.timedelta(seconds=10)), lit(dt.timedelta(seconds=1))) == dt.timedelta(seconds=9)
    assert one("*", lit(dt.timedelta(seconds=3)), lit(2)) == dt.timedelta(seconds=6)
    assert one("*", lit(1.5), lit(dt.timedelta(seconds=2))) == dt.timedelta(seconds=3)
    assert one("/", lit(dt.timedelta(seconds=3)), lit(2)) == dt.timedelta(seconds=1.5)
    assert one("/", lit(dt.timedelta(milliseconds=15)), lit(dt.timedelta(milliseconds=10))) == 1.5
    assert call("-", lit(t0), lit(t0)).type == T.TIMESPAN


def test_unary_minus() -> None:
    """`neg` negates numbers and timespans and keeps their type (kustoloco UnaryOp_Minus1)."""
    assert one("neg", lit(1)) == -1 and one("+", lit(1), call("neg", lit(3.0))) == -2.0
    assert one("neg", lit(dt.timedelta(hours=1))) == -dt.timedelta(hours=1)
    with pytest.raises(SignatureError, match="number or a timespan"):
        call("neg", lit("a"))


def test_arithmetic_null_propagates() -> None:
    """A null operand makes the arithmetic result null (msdocs null-values L148)."""
    frame = pl.DataFrame({"v": [5, None]}, schema={"v": pl.Int32})
    assert run(call("+", Col("v", T.INT), lit(10)), frame) == [15, None]
    assert run(call("*", Col("v", T.INT), lit(10)), frame) == [50, None]


def test_arithmetic_type_errors() -> None:
    """Operands that cannot combine are rejected by the typer with both types named."""
    with pytest.raises(SignatureError, match="cannot combine string and long"):
        call("+", lit("a"), lit(1))
    with pytest.raises(SignatureError, match="datetime and datetime"):
        call("+", lit(NOW), lit(NOW))


# ---------------------------------------------------------------------------------- comparison


def test_string_comparison_is_case_insensitive_in_cmpivot() -> None:
    """With ctx.case_insensitive (CMPivot, §9.2) `==` `!=` `<` `<=` `>` `>=` compare lower-cased
    strings; the kql dialect compares ordinally (1810 table: "abc" != "ABC")."""
    assert one("==", lit("aBc"), lit("AbC")) is True
    assert one("!=", lit("abc"), lit("ABC")) is False
    assert one("!=", lit("abc"), lit("ABC"), ci=False) is True
    assert one("<", lit("abc"), lit("DEF")) is True
    assert one(">", lit("xyz"), lit("XYZ")) is False and one(">", lit("xyz"), lit("XYZ"), ci=False) is True
    assert one(">=", lit("abc"), lit("ABC")) is True and one("<=", lit("abc"), lit("abc")) is True
    assert run(call("==", S, lit("abc")), STRINGS) == [True, False, None, True, False]
    assert run(call("==", S, lit("abc")), STRINGS, ci=False) == [False, False, None, False, False]
    col_vs_col = pl.DataFrame({"a": ["Ab", "x"], "b": ["aB", "y"]})
    assert run(call("==", Col("a", T.STRING), Col("b", T.STRING)), col_vs_col) == [True, False]


def test_tilde_operators_are_always_case_insensitive() -> None:
    """`=~` and `!~` ignore case whatever the dialect."""
    assert one("=~", lit("WinDefend"), lit("windefend"), ci=False) is True
    assert one("!~", lit("WinDefend"), lit("windefend"), ci=False) is False


def test_comparison_with_null_operand_is_null() -> None:
    """A null operand makes every comparison null — `!=` too — so `where` drops the row (§4.2,
    §9.15). (Kusto itself makes `5 != int(null)` true; CMPivot's rule is used in both dialects.)"""
    frame = pl.DataFrame({"v": [5, None]})
    v = Col("v", T.LONG)
    assert run(call("!=", v, lit(5)), frame) == [False, None]
    assert run(call(">", v, lit(3)), frame) == [True, None]
    assert run(call("==", v, lit(None, T.LONG)), frame) == [None, None]
    assert run(call("!=", S, lit("None")), STRINGS) == [True, True, None, True, True]


def test_string_constant_is_coerced_to_the_column_type() -> None:
    """Comparing a number/bool/datetime column with a string constant converts the constant
    (DataTable-style: `ProductType == '1'`, `EnableSMB1Protocol == 'True'`); a number constant
    against a string column becomes text (`Value == 1`)."""
    frame = pl.DataFrame({"n": [1, 2], "b": [True, False], "s": ["1", "2"]})
    assert run(call("==", Col("n", T.LONG), lit("1")), frame) == [True, False]
    assert run(call("==", Col("b", T.BOOL), lit("True")), frame) == [True, False]
    assert run(call("==", Col("s", T.STRING), lit(1)), frame) == [True, False]
    assert one(">", lit(NOW), lit("2024-01-01")) is True
    with pytest.raises(SignatureError, match="'abc' is not a valid long"):
        call("==", Col("n", T.LONG), lit("abc"))
    with pytest.raises(SignatureError, match="cannot compare long with string"):
        call("==", Col("n", T.LONG), Col("s", T.STRING))


def test_numeric_comparisons_mix_int_and_real() -> None:
    """Numbers compare across int, long and real (kustoloco BinOp_GreaterThan1/2)."""
    frame = pl.DataFrame({"a": [1, 2], "b": [1.5, 1.5]})
    assert run(call(">", Col("a", T.LONG), Col("b", T.REAL)), frame) == [False, True]
    assert one(">", lit(2), lit(1.5)) is True and one("<", lit(1.5), lit(2)) is True


def test_datetime_timespan_and_bool_comparisons() -> None:
    """Datetimes, timespans and bools compare as values."""
    assert one("<", call("ago", lit(dt.timedelta(days=1))), call("now")) is True
    assert one(">", lit(dt.timedelta(hours=1)), lit(dt.timedelta(minutes=59))) is True
    assert one("==", lit(True), lit(True)) is True


# ---------------------------------------------------------------------------------- logic


def test_and_or_are_three_valued() -> None:
    """`and`/`or` follow Kleene logic: false and null = false, true or null = true, otherwise a null
    operand gives null (kustoloco BinOp_Logical*_NullHandling)."""
    null = lit(None, T.BOOL)

    def truth(op: str) -> list[Any]:
        return [one(op, null, other) for other in (null, lit(True), lit(False))]

    assert truth("and") == [None, None, False]
    assert truth("or") == [None, True, None]
    with pytest.raises(SignatureError, match="bool operands"):
        call("and", lit(1), lit(True))


# ---------------------------------------------------------------------------------- strings


def test_string_operators_doc_examples() -> None:
    """The 1810 and overview examples of §10.4 all yield true."""
    cases = [
        ("contains", "abc", "b"), ("contains", "FabriKam", "BRik"), ("!contains", "team", "i"),
        ("!contains", "Fabrikam", "xyz"), ("startswith", "team", "tea"), ("startswith", "Fabrikam", "fab"),
        ("!startswith", "abc", "bc"), ("!startswith", "Fabrikam", "kam"), ("endswith", "abc", "bc"),
        ("endswith", "Fabrikam", "Kam"), ("!endswith", "abc", "a"), ("!endswith", "Fabrikam", "brik"),
        ("like", "abc", "%B%"), ("!like", "abc", "_d_"), ("like", "FabriKam", "%Brik%"), ("!like", "Fabrikam", "%xyz%"),
    ]  # fmt: skip
    for op, left, right in cases:
        assert one(op, lit(left), lit(right)) is True, (op, left, right)


def test_string_operators_case_rules() -> None:
    """Plain string operators ignore case; the `_cs` variants do not (kustoloco BinOp_String*)."""
    needles = pl.DataFrame({"v": ["a", "ac", "bc", "BC"]})
    v = Col("v", T.STRING)
    assert run(call("contains", lit("abcd"), v), needles) == [True, False, True, True]
    assert run(call("!contains_cs", lit("abcd"), v), needles) == [False, True, False, True]
    ends = pl.DataFrame({"v": ["d", "cd", "BCD", "bc"]})
    assert run(call("endswith", lit("abcd"), v), ends) == [True, True, True, False]
    assert run(call("endswith_cs", lit("abcd"), v), ends) == [True, True, False, False]
    starts = pl.DataFrame({"v": ["a", "ab", "ABC", "bc"]})
    assert run(call("!startswith", lit("abcd"), v), starts) == [False, False, False, True]
    assert run(call("startswith_cs", lit("abcd"), v), starts) == [True, True, False, False]
    assert run(call("contains", S, lit("B")), STRINGS) == [True, False, None, True, False]
    assert run(call("contains_cs", S, lit("Bc")), STRINGS) == [True, False, None, False, False]


def test_string_operators_on_null_left_give_null() -> None:
    """A null left operand gives null for a string operator and for its negation alike, so
    `where Name !contains 'x'` drops rows whose Name is null."""
    ops = (
        "contains",
        "!contains",
        "startswith",
        "!endswith",
        "has",
        "!has",
        "like",
        "!like",
        "matches regex",
    )
    for op in ops:
        assert run(call(op, S, lit("b")), STRINGS)[2] is None, op


def test_has_matches_whole_terms() -> None:
    """`has` finds a whole term (maximal run of letters and digits), case-insensitively;
    hasprefix/hassuffix match the start/end of a term."""
    assert one("has", lit("Hello-World foo"), lit("WORLD")) is True
    assert one("has", lit("helloworld"), lit("world")) is False
    assert one("has", lit("North America"), lit("america")) is True
    assert one("has_cs", lit("North America"), lit("america")) is False
    assert one("has", lit("wörld"), lit("w")) is False  # ö is a letter, not a separator
    assert one("!has", lit("a.b"), lit("a")) is False
    assert one("hasprefix", lit("hello-world"), lit("wor")) is True
    assert one("hasprefix", lit("helloworld"), lit("wor")) is False
    assert one("hassuffix", lit("hello-world"), lit("LO")) is True
    terms = pl.DataFrame({"t": ["world", "wor"]})
    assert run(call("has", lit("hello world"), Col("t", T.STRING)), terms) == [True, False]


def test_like_is_whole_string_sql_like() -> None:
    """`like` matches the whole string: `%` any run (possibly empty), `_` exactly one character,
    case-insensitive, `[` `]` and regex characters literal, no escape character (§4.2, §9.3)."""
    assert run(call("like", S, lit("%b%")), STRINGS) == [True, False, None, True, False]
    assert run(call("like", S, lit("a_c")), STRINGS) == [True, False, None, True, False]
    assert run(call("like", S, lit("%")), STRINGS) == [True, True, None, True, True]
    assert one("like", lit("abc"), lit("b")) is False  # not a substring search
    assert one("like", lit("C:\\Users\\x\\AppData\\y"), lit("%users%appdata%")) is True
    assert (
        one("like", lit("a[1].b"), lit("a[1]._")) is True and one("like", lit("a1xb"), lit("a[1]._")) is False
    )
    assert one("like", lit("line1\nline2"), lit("line1_line2")) is True
    assert like_regex("%abc%") == "(?is)abc"
    patterns = pl.DataFrame({"p": ["%B%", "a_", "abc", None]})
    assert run(call("like", lit("abc"), Col("p", T.STRING)), patterns) == [True, False, True, None]


def test_matches_regex_is_a_case_sensitive_search() -> None:
    """`matches regex` searches (unanchored), case-sensitively (kustoloco BinOp_MatchRegex_*); a
    bad constant pattern is a typing error."""
    assert [one("matches regex", lit(s), lit("[0-9]")) for s in ("", "abc", "a1c")] == [False, False, True]
    patterns = pl.DataFrame({"p": ["[0-9]", "[a-z]", ""]})
    assert run(call("matches regex", lit("123abc"), Col("p", T.STRING)), patterns) == [True, True, True]
    assert one("matches regex", lit("ABC"), lit("b")) is False
    with pytest.raises(SignatureError, match="invalid regular expression"):
        call("matches regex", S, lit("("))


def test_string_operators_on_non_strings_use_the_text_form() -> None:
    """A non-string left operand is matched through its tostring() form."""
    assert one("contains", lit(12345), lit("234")) is True
    assert one("startswith", lit(NOW), lit("2024-05-17T")) is True


def test_unicode_case_folding() -> None:
    """Case-insensitive matching folds non-ASCII letters too."""
    assert one("==", lit("ÉCOLE"), lit("école")) is True
    assert one("contains", lit("Straße ÄÖÜ"), lit("äöü")) is True
    assert one("like", lit("ÇA"), lit("ç%")) is True


# ---------------------------------------------------------------------------------- in, between


def test_in_follows_the_equality_rule() -> None:
    """`in` compares like `==` (case-insensitive strings in CMPivot, ordinal in kql); `in~` always
    ignores case; a null left is null and null items never match."""
    assert run(call("in", S, lit("abc"), lit("q")), STRINGS) == [True, False, None, True, False]
    assert run(call("in", S, lit("abc"), lit("q")), STRINGS, ci=False) == [False, False, None, False, False]
    assert run(call("in~", S, lit("abc")), STRINGS, ci=False) == [True, False, None, True, False]
    assert run(call("!in~", S, lit("abc")), STRINGS) == [False, True, None, False, True]
    frame = pl.DataFrame({"n": [1, 2, None]})
    n = Col("n", T.LONG)
    assert run(call("in", n, lit(1), lit(3.0), lit(None, T.LONG)), frame) == [True, False, None]
    assert run(call("!in", n, lit(1)), frame) == [False, True, None]
    assert run(call("in", n, lit("2")), frame) == [False, True, None]  # constants coerced as for ==
    assert run(call("in", n, lit("[2, 3]", T.DYNAMIC)), frame) == [False, True, None]
    cols = pl.DataFrame({"a": ["X", "y"], "b": ["x", "z"]})
    assert run(call("in", Col("a", T.STRING), Col("b", T.STRING), lit("q")), cols) == [True, False]


def test_between_is_inclusive() -> None:
    """`between (lo .. hi)` includes both bounds; for a datetime a timespan `hi` means lo + hi
    (msdocs between-operator, not-between-operator)."""
    frame = pl.DataFrame({"x": [*range(1, 11), None]})
    x = Col("x", T.LONG)
    kept = [v for v, ok in zip(frame["x"], run(call("between", x, lit(5), lit(9)), frame), strict=True) if ok]
    assert kept == [5, 6, 7, 8, 9]
    assert run(call("!between", x, lit(5), lit(9)), frame)[:5] == [True, True, True, True, False]
    assert run(call("!between", x, lit(5), lit(9)), frame)[-1] is None
    day = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    assert one("between", lit(day + dt.timedelta(hours=23)), lit(day), lit(dt.timedelta(days=1))) is True
    assert (
        one("between", lit(dt.timedelta(minutes=5)), lit(dt.timedelta(0)), lit(dt.timedelta(minutes=5)))
        is True
    )
    with pytest.raises(SignatureError, match="numbers, datetimes and timespans"):
        call("between", S, lit("a"), lit("b"))


# ---------------------------------------------------------------------------------- dynamic


def test_member_and_index_return_json_text() -> None:
    """`d.key` and `d[i]` give the element's JSON text (strings keep their quotes until the
    evaluator decodes them); a miss or JSON null is null; negative indexes count from the end."""
    doc = lit('{"a":{"b":"x"},"c":[1,2,3],"n":null}', T.DYNAMIC)
    assert one("member", doc, lit("a")) == '{"b":"x"}'
    assert one("member", call("member", doc, lit("a")), lit("b")) == '"x"'
    assert one("index", call("member", doc, lit("c")), lit(-1)) == "3"
    assert one("index", doc, lit("c")) == "[1,2,3]"
    assert one("member", doc, lit("missing")) is None and one("member", doc, lit("n")) is None
    assert one("==", call("member", call("member", doc, lit("a")), lit("b")), lit("X")) is True
    with pytest.raises(SignatureError, match="needs a dynamic value"):
        call("member", lit("{}"), lit("a"))
