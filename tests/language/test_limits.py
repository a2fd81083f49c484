"""Long queries parse and print back; deep ones fail with a located error, never a Python one.

Long is ordinary (generated queries, pasted lists): and/or chains of 50,000 conditions, 100,000
``in`` values, 10,000 pipeline steps, thousands of columns or arguments. Nesting deeper than
``limits.MAX_DEPTH`` is refused with a ``QuerySyntaxError`` whose caret is on the construct that
goes too deep. The dialect rules are read from ``Dialect`` objects.
"""

from __future__ import annotations

import pytest

from cmpivot_magic.errors import CMPivotError, QuerySyntaxError
from cmpivot_magic.language import limits
from cmpivot_magic.language import nodes as n
from cmpivot_magic.language.dialect import CMPIVOT, KQL, dialect_named
from cmpivot_magic.language.parser import parse_text
from cmpivot_magic.language.printer import format_query


def chain(op: str, terms: int) -> str:
    return "Process | where " + f" {op} ".join(f"Name == 'n{i}'" for i in range(terms))


def round_trips(q: n.QueryText, dialect: str = "cmpivot") -> None:
    assert parse_text(format_query(q), dialect) == q


@pytest.mark.parametrize("terms", [500, 5_000, 50_000])
@pytest.mark.parametrize("op", ["or", "and"])
def test_long_and_or_chains_are_one_flat_node(op: str, terms: int) -> None:
    q = parse_text(chain(op, terms))
    (where,) = q.body.operators
    assert isinstance(where, n.Where) and isinstance(where.predicate, n.Logical)
    assert where.predicate.op == op and len(where.predicate.operands) == terms
    assert where.predicate.operands[-1] == n.Binary("==", n.Name("Name"), n.Literal(f"n{terms - 1}", "string"))
    round_trips(q)


def test_no_parser_stand_in_is_left_in_the_tree() -> None:
    """Names are plain str, string literals plain Literals, chains Logical nodes: nothing of the
    transformer's own classes (NameStr, StringLit, Chain) leaks out of the parser."""
    q = parse_text("let t = Registry('hklm:\\x') | where a == 'b' or c in ('d', e) and f(g.h, ['i j']);\n"
                   "t | project k = l | where m or n | join kind=inner (o | where p) on q", "kql")
    stack: list[object] = [q]
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            assert type(x) is str, repr(x)
        elif isinstance(x, tuple):
            stack.extend(x)
        elif isinstance(x, n.Node):
            assert type(x).__module__.endswith(("nodes", "expr_nodes")), type(x)
            stack.extend(getattr(x, f) for f in x.__dataclass_fields__)  # type: ignore[attr-defined]


def test_chains_flatten_across_parentheses_and_keep_precedence() -> None:
    q = parse_text("T | where a or (b or c) and (d or e) or f", "kql")
    or_ = n.Logical("or", (n.Name("b"), n.Name("c")))
    assert q.body.operators[0] == n.Where(n.Logical("or", (
        n.Name("a"), n.Logical("and", (or_, n.Logical("or", (n.Name("d"), n.Name("e"))))), n.Name("f"),
    )))
    assert format_query(q) == "T\n| where a or (b or c) and (d or e) or f"


DEEP = {
    "strcat 500": ("Process | project x = " + "strcat(" * 500 + "Name" + ", 'a')" * 500, "strcat("),
    "iif 1000": ("Process | project x = " + "iif(Name == 'a', 'b', " * 1_000 + "Name" + ")" * 1_000, "iif("),
    "+ 5000": ("Process | project x = " + " + ".join(["1"] * 5_000), "+"),
    "unary 300": ("Process | project x = " + "-" * 300 + "1", "-"),
    "subquery 200": ("(" * 200 + "Process" + " | where Name != 'x')" * 200, "("),
    "and/or 400": ("Process | where " + "(Name == 'a' or (Name == 'b' and " * 200 + "true" + "))" * 200, "or|and"),
    "join 200": ("Process" + " | join (Process" * 200 + ")" * 200, "join"),
}


@pytest.mark.parametrize("text, caret", DEEP.values(), ids=DEEP)
def test_nesting_deeper_than_the_limit_is_a_located_syntax_error(text: str, caret: str) -> None:
    for dialect in ("cmpivot", "kql"):
        with pytest.raises(QuerySyntaxError) as info:
            parse_text(text, dialect)
        err = info.value
        assert "nests too deeply" in err.message and f"at most {limits.MAX_DEPTH} levels" in err.message
        assert err.location is not None and err.hint
        assert text[err.location.start : err.location.end] in caret.split("|")
        assert "^" in str(err)


def test_nesting_up_to_the_limit_parses_and_prints_back() -> None:
    depth = limits.MAX_DEPTH - 5  # QueryText, Pipeline, Project and Assign are levels too
    q = parse_text("Process | project x = " + "strcat(" * depth + "Name" + ", 'a')" * depth)
    round_trips(q)


def test_deep_dynamic_values_are_refused_not_crashed() -> None:
    text = "print d = dynamic(" + "[" * 5_000 + "]" * 5_000 + ")"
    with pytest.raises(QuerySyntaxError) as info:
        parse_text(text, "kql")
    assert "nests too deeply" in info.value.message and info.value.location is not None
    assert text[info.value.location.start :].startswith("dynamic")


def test_deep_parentheses_around_one_value_add_no_depth() -> None:
    q = parse_text("Process | where " + "(" * 10_000 + "Name == 'a'" + ")" * 10_000)
    assert q.body.operators[0] == n.Where(n.Binary("==", n.Name("Name"), n.Literal("a", "string")))


LONG = {
    "10k where steps": "Process" + " | where Name != 'x'" * 10_000,
    "5k project columns": "Process | project " + ", ".join(f"c{i} = Name" for i in range(5_000)),
    "5k strcat arguments": "Process | project x = strcat(" + ", ".join("Name" for _ in range(5_000)) + ")",
    "100k in strings": "Process | where Name in (" + ", ".join(f"'n{i}'" for i in range(100_000)) + ")",
    "100k in numbers": "Process | where ProcessId in (" + ", ".join(str(i) for i in range(100_000)) + ")",
    "2k in calls": "Process | where Name in (" + ", ".join(f"strcat('n', '{i}')" for i in range(2_000)) + ")",
}


@pytest.mark.parametrize("text", LONG.values(), ids=LONG)
def test_long_lists_parse_and_print_back(text: str) -> None:
    round_trips(parse_text(text))


def test_a_literal_list_reads_as_the_same_tree_value_by_value() -> None:
    """An ``in`` list of plain literals is lexed as one token; a comment forces the per-value path."""
    values = "'a\\'b', \"c\\\"d\", h'e', @'f\\', H@\"g\", 12, 'x,y)', ''"
    fast = parse_text(f"T | where x in ({values})", "kql")
    slow = parse_text(f"T | where x in ({values} // the per-value path\n)", "kql")
    assert fast == slow
    assert [i.value for i in fast.body.operators[0].predicate.items] == [  # type: ignore[union-attr]
        "a'b", 'c"d', "e", "f\\", "g", 12, "x,y)", ""]
    with pytest.raises(QuerySyntaxError) as info:
        parse_text("T | where x in ('a', 99999999999999999999)", "kql")
    assert info.value.location is not None and info.value.location.column == 22


def test_the_recursion_guard_turns_a_recursion_error_into_a_located_one() -> None:
    text = "Process | where strlen(strcat(Name, 'a')) > 1"
    tree = parse_text(text)
    with pytest.raises(QuerySyntaxError) as info, limits.recursion_guard(text, tree):
        raise RecursionError
    loc = info.value.location
    assert loc is not None and text[loc.start : loc.end] == ">"  # the outermost expression on the deepest path
    assert isinstance(info.value, CMPivotError)


def test_interpolating_a_deeply_nested_list_is_an_error_not_a_crash() -> None:
    from cmpivot_magic.language.interpolate import kql_literal

    nested: list[object] = ["a"]
    for _ in range(5_000):
        nested = [nested]
    for value in (nested, [["a", "b"], "c"]):
        with pytest.raises(CMPivotError, match="a list inside a list"):
            kql_literal(value)
    assert kql_literal(["a", 1]) == "('a', 1)"


# ------------------------------------------------------------------------------ dialects

def test_dialects_are_looked_up_by_their_public_names() -> None:
    assert dialect_named("cmpivot") is CMPIVOT and dialect_named("kql") is KQL
    assert dialect_named(KQL) is KQL and str(CMPIVOT) == "cmpivot"
    for bad in ("KQL", "sql", ""):
        with pytest.raises(ValueError, match=r"unknown dialect .*; use 'cmpivot' or 'kql'"):
            parse_text("Process", bad)


def test_dialect_rules_are_attributes() -> None:
    assert CMPIVOT.case_insensitive and not KQL.case_insensitive
    assert KQL.kusto_null_equality and not CMPIVOT.kusto_null_equality
    assert (CMPIVOT.default_join_kind, KQL.default_join_kind) == ("inner", "innerunique")
    assert CMPIVOT.max_joins == 5 and KQL.max_joins is None
    assert not CMPIVOT.supports("SORT") and KQL.supports("SORT")
    assert CMPIVOT.rejected_nodes[n.Extend] == "EXTEND" and not KQL.rejected_nodes
    assert CMPIVOT.offers(frozenset({"cmpivot", "kql"})) and not CMPIVOT.offers(frozenset({"kql"}))
    assert parse_text("T | sort by x", KQL) == parse_text("T | sort by x", "kql")
