"""Malformed queries: each fails with a ``QuerySyntaxError`` at the right place, in plain words.

The table is the specification of the messages: (query, line, column, message substring, hint
substring or None). Columns are 1-based characters; a caret line always follows the offending line.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pytest

from cmpivot_magic.errors import QuerySyntaxError
from cmpivot_magic.language.parser import parse_text


class Case(NamedTuple):
    query: str
    line: int
    column: int
    message: str
    hint: str | None = None
    dialect: str = "cmpivot"


KQL_HINT = "dialect='kql'"
NOT_CMPIVOT = "is not supported by ConfigMgr's CMPivot"

CASES: list[Case] = [
    # ---- unknown table operator, with did-you-mean
    Case("Bios | simmarize count()", 1, 8, "unknown table operator 'simmarize'", "did you mean 'summarize'?"),
    Case("Bios | summarise count() by Device", 1, 8, "unknown table operator 'summarise'", "'summarize'"),
    Case("Bios | projcet Name", 1, 8, "unknown table operator 'projcet'", "did you mean 'project'?"),
    Case("Bios\n// comment\n| wher Name == 'x'", 3, 3, "unknown table operator 'wher'", "did you mean 'where'?"),
    Case("Bios\r\n| wher a == 1", 2, 3, "unknown table operator 'wher'", "'where'"),
    Case("Bios\t| wher a", 1, 8, "unknown table operator 'wher'", "'where'"),
    Case("Bios | union OS", 1, 8, "the 'union' operator is not supported", "table operators are: where"),
    Case("Bios | Registry('x')", 1, 8, "unknown table operator 'Registry'", "use '| join (Registry...)'"),
    Case("Bios | simmarize", 1, 8, "unknown table operator 'simmarize'", "'summarize'", "kql"),
    # ---- misspelt scalar operators
    Case("Bios | where Name contians 'x'", 1, 19, "unknown operator 'contians'", "did you mean 'contains'?"),
    Case("Bios | where Name !contians 'x'", 1, 19, "unknown operator '!contians'", "did you mean '!contains'?"),
    Case("Bios | where Name startwith 'x'", 1, 19, "unknown operator 'startwith'", "did you mean 'startswith'?"),
    Case("Bios | where Name endwith 'x'", 1, 19, "unknown operator 'endwith'", "did you mean 'endswith'?"),
    Case("Bios | where a == 1 adn b == 2", 1, 21, "unexpected 'adn'", "did you mean 'and'?"),
    Case("Bios | where a = 'x'", 1, 16, "use '==' to compare", None),
    Case("Bios | where a == 'x' &&  b == 'y'", 1, 23, "use 'and' instead of '&&'"),
    Case("Bios | where a == 'x' || b == 'y'", 1, 23, "use 'or' instead of '||'"),
    Case("Bios | where a == 'x' or or b", 1, 26, "unexpected 'or': expected an expression"),
    # ---- strings
    Case("Bios | where Name == 'abc", 1, 22, "unterminated string: add the closing quote"),
    Case('Bios | where Name == "abc', 1, 22, "unterminated string"),
    Case("Bios | where a == @'x", 1, 19, "unterminated string"),
    Case("Bios\n| where Name == 'abc\n| take 1", 2, 17, "unterminated string"),
    Case("File('c:\\windows\\') | where a == 1", 1, 6, "unterminated string", "a backslash escapes the quote"),
    # ---- parentheses
    Case("Bios | where (Name == 'x'", 1, 26, "the query ends before ')' closes the '(' at line 1, column 14",
         "add the missing ')'"),
    Case("Bios | summarize count( by Device", 1, 25, "expected ')' to close the '(' at line 1, column 23"),
    Case("Bios | where ((a == 1)\n| project a", 2, 1, "expected ')' to close the '(' at line 1, column 14"),
    Case("Device | join kind=leftouter ( File('x')\n| where A == 'B')\n| project Device, M = iif( isnull(F), 'No'",
         3, 43, "the query ends before ')' closes the '(' at line 3, column 26"),
    Case("Bios | where f(a b)", 1, 18, "unexpected 'b': expected ')', ',' or an operator such as =="),
    Case("Bios | where dcount( Device  by Value", 1, 30, "expected ',' or ')' to close the '(' at line 1, column 20"),
    Case("Bios | where Name == 'x')", 1, 25, "unmatched ')': there is no '(' for it to close", "remove it"),
    Case("Bios | summarize count() by Device)", 1, 35, "unmatched ')'"),
    Case("Bios | where f(a,)", 1, 18, "expected an expression before ')'"),
    Case("Bios | project a, , b", 1, 19, "expected an expression before ','"),
    # ---- empty and comment-only queries
    Case("", 1, 1, "the query is empty: start with an entity"),
    Case("   \n  ", 1, 1, "the query is empty"),
    Case("// only a comment", 1, 1, "the query has only comments"),
    Case("// a\n// b\n", 1, 1, "the query has only comments"),
    Case("| where a", 1, 1, "the query starts with '|': put an entity"),
    # ---- pipes
    Case("Bios |", 1, 7, "the query ends after '|': expected a table operator", "table operators are: where"),
    Case("Bios\n| where a == 1\n|", 3, 2, "the query ends after '|'"),
    Case("Bios | where Name == 'x' // trailing comment\n| ", 2, 2, "the query ends after '|'"),
    Case("Bios | | where x", 1, 8, "expected a table operator between two '|'"),
    # ---- missing pieces
    Case("Bios | where", 1, 13, "the query ends after 'where': expected a condition"),
    Case("// header\nBios | where", 2, 13, "the query ends after 'where'"),
    Case("Bios | where | take 1", 1, 14, "unexpected '|': expected a condition"),
    Case("Bios | where Name ==", 1, 21, "the query ends after '==': expected an expression"),
    Case("Bios | where Name == | take 1", 1, 22, "unexpected '|': expected an expression"),
    Case("Bios | project x = 1, y = ", 1, 26, "the query ends after '=': expected an expression"),
    Case("Bios | summarize count() by", 1, 28, "the query ends after 'by'"),
    Case("Bios | take", 1, 12, "expected the number of rows"),
    Case("Bios | top by x", 1, 12, "unexpected 'by': expected the number of rows"),
    Case("Bios | distinct", 1, 16, "the query ends after 'distinct': expected the columns"),
    Case("Bios | order Name", 1, 14, "unexpected 'Name': expected 'by'"),
    Case("Bios | order by count_ decs", 1, 24, "unexpected 'decs'", "did you mean 'desc'?"),
    Case("Bios | join", 1, 12, "expected the table to join"),
    Case("Bios | join kind= (Device)", 1, 19, "expected a join kind such as inner"),
    Case("Bios | where x in 'a'", 1, 19, "expected a list in parentheses"),
    # ---- literals
    Case("Bios | where x > datetime(2020-13-45)", 1, 18, "invalid date: month must be in 1..12"),
    Case("Bios | where x == datetime(2020-02-30)", 1, 19, "invalid date: day is out of range"),
    Case("Bios | where x == datetime(2020-01-01 25:00)", 1, 19, "invalid time of day"),
    Case("Bios | where x == datetime(yesterday)", 1, 19, "'yesterday' is not a datetime"),
    Case("Bios | where x > timespan(abc)", 1, 18, "'abc' is not a timespan"),
    Case("Bios | where a > 10weeks", 1, 18, "'10weeks' is not a number or a timespan", "no week"),
    Case("Bios | where x > ago(7 d)", 1, 22, "write the timespan without a space: '7d'"),
    Case("OS | where Version == 10.0.17134", 1, 23, "'10.0.17134' is not a number: to compare a version, quote it"),
    Case("Bios | where x == 99999999999999999999", 1, 19, "too large for a 64-bit long"),
    Case("Bios | where a == 1e999", 1, 19, "too large for a real"),
    # ---- characters
    Case("Bios | where a € b", 1, 16, "unexpected character '€'"),
    Case("Bios | where Nàme == 'x'", 1, 15, "unexpected character 'à'", "['Name']"),
    Case("Bios | where a\u200b== 1", 1, 15, "unexpected character U+200B (zero width space)"),
    Case("Bios | where !(a == 1)", 1, 14, "unexpected character '!'", "negated operator"),
    # ---- several queries
    Case("Bios Device", 1, 6, "expected '|' before 'Device'"),
    Case("Bios\nOS", 2, 1, "expected '|' before 'OS'", "one at a time"),
    Case("Bios | where a == 'x'\nDevice", 2, 1, "expected '|' before 'Device'", "one at a time"),
    Case("Bios; Device", 1, 7, "unexpected 'Device' after ';'"),
    # ---- render
    Case("Bios | render", 1, 14, "expected a chart type: barchart, columnchart, piechart or timechart"),
    Case("Bios | where a > 1 |\nrender", 2, 7, "expected a chart type"),
    Case("Bios | render 'barchart'", 1, 15, "the chart type is a bare word"),
    Case("Bios | render barchart with title='x'", 1, 29, "unexpected 'title': expected '(' and the chart properties"),
    Case("Bios | render barchart with (title)", 1, 35, "unexpected ')': expected '='"),
    Case("Bios | render barchart with (title='x' ytitle='y')", 1, 40, "unexpected 'ytitle': expected ')' or ','"),
    Case("Bios | render barchart with (title='x'", 1, 39, "the query ends before ')' closes the '(' at line 1, column 29"),
    # ---- KQL-only constructs in the cmpivot dialect: caret on the keyword, hint names dialect='kql'
    Case("let x = 1; Bios", 1, 1, f"'let' {NOT_CMPIVOT}", KQL_HINT),
    Case("let x = 1", 1, 1, f"'let' {NOT_CMPIVOT}", KQL_HINT),
    Case("datatable(a:long) [1]", 1, 1, f"'datatable' {NOT_CMPIVOT}", KQL_HINT),
    Case("print 1", 1, 1, f"'print' {NOT_CMPIVOT}", KQL_HINT),
    Case("range x from 1 to 3 step 1", 1, 1, f"'range' {NOT_CMPIVOT}", KQL_HINT),
    Case("Bios | extend x = 1", 1, 8, f"the 'extend' operator {NOT_CMPIVOT}", KQL_HINT),
    Case("Bios\n| where a == 1\n| extend b = 2", 3, 3, f"the 'extend' operator {NOT_CMPIVOT}", KQL_HINT),
    Case("Bios | extend", 1, 8, f"the 'extend' operator {NOT_CMPIVOT}", KQL_HINT),
    Case("Bios | project-away Name", 1, 8, f"the 'project-away' operator {NOT_CMPIVOT}", KQL_HINT),
    Case("Bios | where a == 1 | project-rename a = b", 1, 23, f"the 'project-rename' operator {NOT_CMPIVOT}", KQL_HINT),
    Case("Bios | project-reorder a", 1, 8, f"the 'project-reorder' operator {NOT_CMPIVOT}", KQL_HINT),
    Case("Bios | sort by Name", 1, 8, f"'sort by' {NOT_CMPIVOT}", "use 'order by' instead"),
    Case("Bios | limit 10", 1, 8, f"'limit' {NOT_CMPIVOT}", "use 'take' instead"),
    Case("Bios | mv-expand x", 1, 8, f"the 'mv-expand' operator {NOT_CMPIVOT}", KQL_HINT),
    Case("Bios | join (Device) on Device", 1, 22, f"'join ... on' {NOT_CMPIVOT}", KQL_HINT),
    Case("Bios | join kind=leftouter Device on Device", 1, 35, f"'join ... on' {NOT_CMPIVOT}", KQL_HINT),
    Case("Bios | join (Device) on", 1, 22, f"'join ... on' {NOT_CMPIVOT}", KQL_HINT),
    Case("Bios | count as N", 1, 14, f"'count as' {NOT_CMPIVOT}", KQL_HINT),
    Case("Bios\n| join (OS | extend a = 1)", 2, 14, f"the 'extend' operator {NOT_CMPIVOT}", KQL_HINT),
    # ---- kql dialect
    Case("datatable(a:long, b:string) [1, 'x', 2]", 1, 1, "datatable has 2 columns but 3 values", None, "kql"),
    Case("datatable(a:long, b:strin) [1, 'x']", 1, 21, "unknown type 'strin'", "types are bool", "kql"),
    Case("datatable(a) [1]", 1, 12, "unexpected ')': expected ':'", None, "kql"),
    Case("Bios | sort by", 1, 15, "the query ends after 'by'", None, "kql"),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{i:03d}" for i in range(len(CASES))])
def test_syntax_error(case: Case) -> None:
    """The error names the problem, points at it (line, column, caret) and hints where it can."""
    with pytest.raises(QuerySyntaxError) as info:
        parse_text(case.query, case.dialect)
    err = info.value
    assert (err.line, err.column) == (case.line, case.column), str(err)
    assert case.message in err.message, str(err)
    if case.hint is not None:
        assert err.hint is not None and case.hint in err.hint, str(err)
    text = str(err)
    assert f"(line {case.line}, column {case.column})" in text
    assert re.search(r"^ +\^+$", text, re.MULTILINE), text


def test_enough_cases() -> None:
    """The table covers at least sixty malformed queries."""
    assert len(CASES) >= 60


def test_every_kql_only_construct_is_rejected_with_the_dialect_hint() -> None:
    """Each KQL-only keyword (parsed or not) names CMPivot and points at dialect='kql', caret on the keyword."""
    keywords = {
        "let x = 1; Bios": "let", "datatable(a:long) [1]": "datatable", "print 1": "print",
        "range x from 1 to 3 step 1": "range", "Bios | extend x = 1": "extend", "Bios | project-away a": "project-away",
        "Bios | project-rename a = b": "project-rename", "Bios | project-reorder a": "project-reorder",
        "Bios | sort by a": "sort", "Bios | limit 1": "limit", "Bios | mv-expand a": "mv-expand",
        "Bios | join (OS) on Device": "on", "Bios | count as N": "as",
    }
    for query, keyword in keywords.items():
        with pytest.raises(QuerySyntaxError) as info:
            parse_text(query, "cmpivot")
        err = info.value
        assert NOT_CMPIVOT in err.message and err.hint and KQL_HINT in err.hint, query
        assert err.location is not None
        assert query[err.location.start : err.location.end].lower() == keyword, query
        parse_text(query, "kql")  # and the local dialect runs it


def test_error_lists_what_was_expected() -> None:
    """``expected`` carries the plain-words list the message was built from."""
    with pytest.raises(QuerySyntaxError) as info:
        parse_text("Bios | where a == 1 | order by a decs", "cmpivot")
    assert "'desc'" in info.value.expected and "'|'" in info.value.expected


def test_cmpivot_messages_do_not_offer_kql_only_syntax() -> None:
    """In the cmpivot dialect the "expected" list leaves out ';', 'let', member access and the like."""
    with pytest.raises(QuerySyntaxError) as info:
        parse_text("Bios | where Name == 'x')", "cmpivot")
    assert not any("';'" in w for w in info.value.expected)
    with pytest.raises(QuerySyntaxError) as info:
        parse_text("Bios | where a € b", "cmpivot")
    assert "'.'" not in info.value.expected and "'['" not in info.value.expected


def test_unknown_dialect_is_a_value_error() -> None:
    """A dialect other than cmpivot or kql is a programming error, not a query error."""
    with pytest.raises(ValueError, match="unknown dialect"):
        parse_text("Bios", "sql")
