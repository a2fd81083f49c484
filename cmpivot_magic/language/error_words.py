"""What the syntax errors say: terminals in words, keywords' next steps, the dialect message.

``syntax_errors.py`` diagnoses a failed parse; this module holds the vocabulary it words its
messages with: how each lark terminal reads in an "expected ..." list, what a keyword wants next,
which words are keywords somewhere, and the message for a KQL-only construct in the cmpivot
dialect (``dialect_error``, also used by ``finish.check_dialect``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from lark import Token

from ..errors import QuerySyntaxError, locate
from .dialect import KQL_ONLY_KEYWORDS, Dialect

# KQL table operators that neither ConfigMgr nor the local engine runs: named as such, not as typos
UNSUPPORTED_OPERATORS = (
    "union", "parse", "parse-where", "lookup", "make-series", "search", "top-nested", "top-hitters", "as",
    "serialize", "sample", "sample-distinct", "getschema", "evaluate", "invoke", "fork", "facet", "partition",
    "scan", "find", "externaldata", "consume", "reduce", "project-keep", "summarize-by", "mv-apply",
)
CHART_TYPES = ("barchart", "columnchart", "piechart", "timechart")


def dialect_error(text: str, token_type: str, start: int, end: int) -> QuerySyntaxError:
    """``what is not supported by ConfigMgr's CMPivot``, with a hint naming dialect='kql'."""
    what, instead = KQL_ONLY_KEYWORDS[token_type]
    hint = (f"use {instead} instead, or " if instead else "") + (
        "evaluate it locally with dialect='kql' (cmpivot_magic.evaluate(..., dialect='kql'))"
    )
    return QuerySyntaxError(
        f"{what} is not supported by ConfigMgr's CMPivot", text=text, location=locate(text, start, end), hint=hint
    )


# ------------------------------------------------------------------------------ describing terminals

_EXPR_STARTS = frozenset({
    "NAME", "BRACKET_NAME", "INT", "REAL", "STRING", "VERBATIM_STRING", "TIMESPAN", "DATETIME_LIT",
    "TIMESPAN_LIT", "TRUE", "FALSE", "NULL", "DYNAMIC", "ADD_OP", "LPAR", "NOT",
})
_EXPR_TAILS = frozenset({
    "CMP_OP", "STRING_OP", "ADD_OP", "MUL_OP", "STAR", "AND", "OR", "BETWEEN", "IN_OP", "MATCHES", "DOT", "LSQB",
    "LPAR",
})
WORDS = {
    "NAME": "a name", "BRACKET_NAME": "a name", "STRING": "a string", "VERBATIM_STRING": "a string",
    "INT": "a number", "REAL": "a number", "TIMESPAN": "a timespan such as 1d", "LPAR": "'('", "RPAR": "')'",
    "COMMA": "','", "VBAR": "'|'", "EQUAL": "'='", "LSQB": "'['", "RSQB": "']'", "COLON": "':'",
    "SEMICOLON": "';'", "DOT": "'.'", "LBRACE": "'{'", "RBRACE": "'}'", "$END": "the end of the query",
    "CMP_OP": "a comparison such as ==", "STRING_OP": "a string operator such as contains",
    "ADD_OP": "'+' or '-'", "MUL_OP": "'/' or '%'", "DOTDOT": "'..'", "STAR": "'*'",
    "DATETIME_LIT": "a datetime", "TIMESPAN_LIT": "a timespan", "IN_OP": "'in'", "BETWEEN": "'between'",
    "GRANNY_DIR": "'granny-asc'",
}
_EXPRESSION = "an expression (a column, a value or a function call)"
_OPERATOR = "an operator such as ==, contains or and"


def describe(accepts: Iterable[str], dialect: Dialect) -> list[str]:
    """Terminal names → the words of an "expected ..." list, grouped and in a readable order."""
    wanted = set(accepts) - dialect.hidden_terminals - {"LITERAL_LIST"}
    groups: list[str] = []
    if "NAME" in wanted and wanted & {"INT", "STRING", "LPAR"}:
        groups.append(_EXPRESSION)
        wanted -= _EXPR_STARTS
    if wanted & {"CMP_OP", "STRING_OP", "AND"}:
        groups.append(_OPERATOR)
        # after a whole expression a string can only continue a string literal ('a' 'b'): not worth offering
        wanted -= _EXPR_TAILS | {"STRING", "VERBATIM_STRING"}
    if "NAME" in wanted and "STAR" in wanted:
        groups.append("a column name or '*'")
        wanted -= {"NAME", "BRACKET_NAME", "STAR"}
    words = sorted(WORDS.get(t, f"'{t.lower().replace('_', '-')}'") for t in wanted - {"VBAR", "$END"})
    tail = [WORDS[t] for t in ("VBAR", "$END") if t in wanted]
    return list(dict.fromkeys([*words, *groups, *tail]))


def or_list(words: Sequence[str]) -> str:
    if not words:
        return "something else"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def show_char(ch: str) -> str:
    """A character as a message shows it: invisible ones by code point and name."""
    if ch.isprintable() and not ch.isspace():
        return f"'{ch}'"
    return f"U+{ord(ch):04X} ({unicodedata.name(ch, 'control character').lower()})"


# What a keyword wants next, in words; used when the failure comes right after that keyword.
AFTER = {
    "RENDER": f"a chart type: {or_list(CHART_TYPES)}",
    "WITH": "'(' and the chart properties, as in with (title='Boot times')",
    "TOP": "the number of rows, as in top 10 by Column",
    "TAKE": "the number of rows, as in take 10",
    "LIMIT": "the number of rows, as in limit 10",
    "JOIN": "the table to join: an entity such as Device, or a query in parentheses",
    "WHERE": "a condition, as in where Name == 'x'",
    "PROJECT": "the columns to keep, as in project Device, Name",
    "SUMMARIZE": "an aggregation such as count(), or 'by' and the columns to group by",
    "DISTINCT": "the columns, as in distinct Device, Name (or *)",
    "IN_OP": "a list in parentheses, as in in ('a', 'b')",
}


def after_keyword(tokens: Sequence[Token]) -> str | None:
    """What the last keyword read wants next, in words (None when no phrase fits)."""
    types = [t.type for t in tokens[-3:]]
    if types[-2:] == ["KIND", "EQUAL"]:
        return f"a join kind such as {or_list(('inner', 'leftouter', 'rightouter', 'fullouter'))}"
    if types == ["KIND", "EQUAL", "NAME"] and len(tokens) > 3 and tokens[-4].type == "JOIN":
        return AFTER["JOIN"]
    return AFTER.get(types[-1]) if types else None


def shown(tok: Token) -> str:
    """A token as a message quotes it: strings already carry their quotes."""
    text = str(tok)
    return text if text[:1] in ("'", '"') else f"'{text}'"


# Words that are keywords somewhere: when one was read as a column name just before a failure, the
# failure is really about that word (`top by X` lacks the count; `a or or b` has one 'or' too many).
KEYWORD_WORDS = frozenset({
    "and", "or", "by", "asc", "desc", "nulls", "with", "kind", "where", "project", "summarize", "distinct",
    "join", "order", "sort", "take", "limit", "top", "render", "extend",
})
TIMESPAN_UNITS = frozenset({
    "d", "day", "days", "h", "hr", "hrs", "hour", "hours", "m", "min", "minute", "minutes", "s", "sec",
    "second", "seconds", "ms", "milli", "millis", "millisec", "millisecond", "milliseconds", "micro", "micros",
    "microsec", "microsecond", "microseconds", "nano", "nanos", "nanosec", "nanosecond", "nanoseconds", "tick",
    "ticks",
})
WORD_RE = re.compile(r"!?[A-Za-z_][A-Za-z0-9_\-]*~?")
QUOTE_RE = re.compile(r"[hH]?@?['\"]")
VERSION_RE = re.compile(r"\d+(?:\.\d+){2,}")
