"""Property tests of the front end.

* Any text — random unicode, or a sample query with characters or tokens deleted, inserted,
  duplicated or swapped — either parses or raises a ``CMPivotError`` located inside the text.
* Any syntax tree the parser can make prints to text that parses back to the same tree.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmpivot_magic.errors import CMPivotError, QuerySyntaxError
from cmpivot_magic.language import nodes as n
from cmpivot_magic.language.parser import parse_text
from cmpivot_magic.language.printer import format_query
from language.samples import SAMPLES

SAMPLE_TEXTS = [sample.text for sample in SAMPLES.values()]
DIALECTS = ("cmpivot", "kql")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parses_or_fails_cleanly(text: str) -> None:
    """``parse_text`` returns a tree or raises a located CMPivotError; nothing else escapes."""
    for dialect in DIALECTS:
        try:
            result = parse_text(text, dialect)
        except QuerySyntaxError as err:
            assert err.location is not None
            assert 0 <= err.location.start <= len(text)
            assert err.line is not None and err.line >= 1 and err.column is not None and err.column >= 1
            assert str(err)  # renders, caret and all
        except CMPivotError as err:
            assert str(err)
        else:
            assert isinstance(result, n.QueryText)


# ------------------------------------------------------------------------------ (a) random text

QUERYISH = st.sampled_from([
    *"|()[]{}'\"\\/@!=<>~+-*%.,;:$ \n\t", "where", "project", "summarize", "by", "and", "or", "desc", "asc",
    "join", "kind=", "with", "render", "count", "top", "take", "let", "datatable", "extend", "1d", "1.5", "10",
    "datetime(", "timespan(", "dynamic(", "h'", "@'", "//", "\u00a0", "\ufeff", "é", "in", "between", "..",
    "nulls", "mv-expand", "on", "Device", "Registry('hklm:\\x')", "'a'", "==", "contains", "!contains",
])


@FUZZ
@given(st.text(max_size=80))
def test_random_unicode_parses_or_fails_cleanly(text: str) -> None:
    parses_or_fails_cleanly(text)


@FUZZ
@given(st.lists(QUERYISH, max_size=25).map("".join))
def test_random_query_words_parse_or_fail_cleanly(text: str) -> None:
    parses_or_fails_cleanly(text)


# ------------------------------------------------------------------------------ (b) mutated samples

_TOKEN = re.compile(r"\s+|'[^'\n]*'|\"[^\"\n]*\"|//[^\n]*|\w+|.", re.DOTALL)


@st.composite
def mutated_sample(draw: st.DrawFn) -> str:
    """A sample query with 1-4 edits, each on characters or on (rough) tokens."""
    text = draw(st.sampled_from(SAMPLE_TEXTS))
    for _ in range(draw(st.integers(1, 4))):
        by_token = draw(st.booleans())
        parts = _TOKEN.findall(text) if by_token else list(text)
        if not parts:
            parts = [""]
        i = draw(st.integers(0, len(parts) - 1))
        j = draw(st.integers(0, len(parts) - 1))
        edit = draw(st.sampled_from(["delete", "insert", "duplicate", "swap"]))
        if edit == "delete":
            del parts[i]
        elif edit == "insert":
            parts.insert(i, draw(QUERYISH | st.text(max_size=3)))
        elif edit == "duplicate":
            parts.insert(i, parts[i])
        else:
            parts[i], parts[j] = parts[j], parts[i]
        text = "".join(parts)
    return text


@FUZZ
@given(mutated_sample())
def test_mutated_samples_parse_or_fail_cleanly(text: str) -> None:
    parses_or_fails_cleanly(text)


# ------------------------------------------------------------------------------ (c) printer round trip

IDENT = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
# columns as queries spell them, plus words the grammar also uses as keywords and bracket-only names
NAMES = (
    st.sampled_from(["Device", "Name", "Version", "count_", "Key", "by", "asc", "desc", "kind", "true", "null",
                     "datetime", "print", "let", "Time", "on", "with", "and", "render", "where"])
    | IDENT
    | st.text(st.characters(codec="utf-8", exclude_characters="'\n"), max_size=6)
)
NANOS_PER_DAY = 86_400 * 10**9
STRINGS = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["", "'", '"', "\\", "\\'", "it's", 'say "hi"', "c:\\windows\\", "%Micro%", "\t\r\n", "a//b"]
)
LITERALS = st.one_of(
    STRINGS.map(lambda s: n.Literal(s, "string")),
    st.integers(0, 2**63 - 1).map(lambda i: n.Literal(i, "long")),
    st.floats(min_value=0, allow_nan=False, allow_infinity=False).map(lambda f: n.Literal(f, "real")),
    st.integers(-400 * NANOS_PER_DAY, 400 * NANOS_PER_DAY).map(lambda ns: n.Literal(ns, "timespan")),
    st.sampled_from([1, 100, 10**6, 1800 * 10**9]).map(lambda ns: n.Literal(ns, "timespan")),
    st.integers(-62_135_596_800 * 10**9, 253_402_300_799 * 10**9).map(lambda ns: n.Literal(ns, "datetime")),
    st.booleans().map(lambda b: n.Literal(b, "bool")),
    st.sampled_from(["datetime", "timespan", "dynamic"]).map(lambda t: n.Literal(None, t)),
)
CMP_OPS = ["==", "!=", "<", "<=", ">", ">=", "=~", "!~", "contains", "!contains", "startswith", "!startswith",
           "endswith", "!endswith", "like", "!like", "has", "contains_cs"]
ARITH_OPS = ["+", "-", "*", "/", "%"]
FUNCTIONS = ["ago", "now", "strcat", "iif", "substring", "indexof", "strlen", "tostring", "isnull", "bin",
             "case", "datetime_diff", "count", "countif", "dcount", "sum", "avg"]


def _expressions(leaves: st.SearchStrategy[n.Expr]) -> st.SearchStrategy[n.Expr]:
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.builds(n.Binary, st.sampled_from(CMP_OPS + ARITH_OPS + ["and", "or"]), inner, inner),
            st.builds(n.Unary, st.just("-"), inner),
            st.builds(n.Call, st.sampled_from(FUNCTIONS) | NAMES, st.lists(inner, max_size=3).map(tuple)),
            st.builds(n.InList, st.sampled_from(["in", "!in", "in~"]), inner, st.lists(inner, max_size=3).map(tuple)),
            st.builds(n.Between, inner, inner, inner, st.booleans()),
        ),
        max_leaves=8,
    )


EXPRS = _expressions(LITERALS | NAMES.map(n.Name))
ASSIGN = st.builds(n.Assign, st.none() | NAMES, EXPRS)
SORT_KEY = st.builds(n.SortKey, EXPRS, st.sampled_from([None, "asc", "desc"]),
                     st.sampled_from([None, "first", "last"]))
RAW = st.text(st.characters(codec="utf-8", exclude_characters="\n"), max_size=15)
ENTITY = st.one_of(
    st.builds(n.EntityRef, NAMES, st.just(())),
    st.builds(n.EntityRef, NAMES, st.tuples(RAW.map(lambda r: n.Literal(r, "string")))),
    st.builds(n.EntityRef, NAMES, st.tuples(RAW.map(lambda r: n.Literal(r, "string")),
                                            st.integers(1, 10**15).map(lambda ns: n.Literal(ns, "timespan")))),
)
RENDER_VALUES = st.one_of(STRINGS, IDENT, st.integers(0, 10**6), st.booleans(),
                          st.floats(min_value=0, allow_nan=False, allow_infinity=False))


def _operators(right_side: st.SearchStrategy[n.Pipeline]) -> st.SearchStrategy[n.Operator]:
    return st.one_of(
        st.builds(n.Where, EXPRS),
        st.builds(n.Project, st.lists(ASSIGN, min_size=1, max_size=3).map(tuple)),
        st.builds(n.Summarize, st.lists(ASSIGN, max_size=2).map(tuple), st.lists(ASSIGN, max_size=2).map(tuple)),
        st.builds(n.OrderBy, st.lists(SORT_KEY, min_size=1, max_size=2).map(tuple)),
        st.builds(n.Top, EXPRS, SORT_KEY),
        st.builds(n.Take, EXPRS),
        st.just(n.Count()),
        st.builds(n.Distinct, st.lists(NAMES, min_size=1, max_size=3).map(tuple) | st.just(("*",))),
        st.builds(n.Join, st.sampled_from([None, "inner", "leftouter", "fullouter"]), right_side),
    )


SUBQUERY = st.builds(n.Pipeline, ENTITY, st.lists(_operators(st.builds(n.Pipeline, ENTITY)), max_size=2).map(tuple))
OPERATORS = _operators(SUBQUERY)
RENDER = st.builds(n.Render, st.sampled_from(["barchart", "columnchart", "piechart", "timechart"]),
                   st.lists(st.tuples(st.sampled_from(["kind", "title", "xtitle", "ytitle", "legend"]),
                                      RENDER_VALUES), max_size=3).map(tuple))


@st.composite
def queries(draw: st.DrawFn) -> n.QueryText:
    """A CMPivot query tree: entity, up to five operators, maybe a final render."""
    ops = draw(st.lists(OPERATORS, max_size=5))
    if draw(st.booleans()):
        ops.append(draw(RENDER))
    return n.QueryText((), n.Pipeline(draw(ENTITY), tuple(ops)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries())
def test_printed_trees_parse_back_to_themselves(ast: n.QueryText) -> None:
    text = format_query(ast)
    assert parse_text(text, "cmpivot") == ast, text
    assert format_query(parse_text(text, "cmpivot")) == text


@FUZZ
@given(queries(), st.lists(st.sampled_from([" | ", "\n|", "\n\n  |  // note\n  ", "|", "\t|\u00a0"]), min_size=5,
                           max_size=5))
def test_layout_does_not_change_the_tree(ast: n.QueryText, pipes: list[str]) -> None:
    """Line breaks, comments and odd whitespace around the operator pipes leave the tree as it was."""
    lines = format_query(ast).split("\n| ")
    text = lines[0] + "".join(pipes[i % len(pipes)] + line for i, line in enumerate(lines[1:]))
    assert parse_text(text, "cmpivot") == ast, text


# ---- the kql dialect's extra syntax prints back too

KQL_OPERATORS = st.one_of(
    st.builds(n.Extend, st.lists(ASSIGN, min_size=1, max_size=2).map(tuple)),
    st.builds(n.ProjectAway, st.lists(IDENT | IDENT.map(lambda s: s + "*") | st.just("*"), min_size=1, max_size=2)
              .map(tuple)),
    st.builds(n.ProjectRename, st.lists(st.tuples(NAMES, NAMES), min_size=1, max_size=2).map(tuple)),
    st.builds(n.Count, IDENT),
    st.builds(n.Join, st.sampled_from([None, "leftouter"]), SUBQUERY,
              st.lists(st.builds(lambda a, b: n.JoinKey(a, b), IDENT, IDENT), min_size=1, max_size=2).map(tuple)),
    st.builds(n.Where, st.builds(n.Member, NAMES.map(n.Name) | LITERALS, NAMES)),
    st.builds(n.Where, st.builds(n.Index, NAMES.map(n.Name), EXPRS)),
)
KQL_SOURCES = st.one_of(
    ENTITY,
    st.builds(n.Print, st.lists(ASSIGN, max_size=2).map(tuple)),
    st.builds(n.Range, IDENT, EXPRS, EXPRS, EXPRS),
    st.lists(LITERALS, max_size=4).map(lambda vs: n.DataTable((("a", "long"), ("b", "string"))[: 1 + len(vs) % 2],
                                                              tuple(vs[: len(vs) - len(vs) % (1 + len(vs) % 2)]))),
)


@FUZZ
@given(KQL_SOURCES, st.lists(KQL_OPERATORS | OPERATORS, max_size=4))
def test_kql_trees_parse_back_to_themselves(source: n.Source, ops: list[n.Operator]) -> None:
    ast = n.QueryText((), n.Pipeline(source, tuple(ops)))
    text = format_query(ast)
    assert parse_text(text, "kql") == ast, text
