"""The sample corpus of reference §10: every query parses, prints and parses back to the same tree.

The queries live verbatim in ``samples/<ID>.kql`` (copied byte for byte from the reference, trailing
spaces and the no-break space in HUB12 included), each after a ``// expect:`` line that declares
how far it gets; ``language.samples`` reads them. ``R106`` is the reconstructed query of §10.6.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cmpivot_magic.errors import QuerySyntaxError
from cmpivot_magic.language import nodes as n
from cmpivot_magic.language.parser import parse_text
from cmpivot_magic.language.printer import format_query
from language.samples import PARSES, SAMPLES, load
from language.samples import text as sample

# the reference's corpus index; whether each query parses is declared in its file, not here
OFFICIAL = [f"S{i:02d}" for i in range(1, 14)] + ["S13a", "S13b", "S13c", "S13d"]
DOCS = [f"D{i:02d}" for i in range(1, 24)]
HISTORICAL = ["H01", "H02", "H03", "H04"]
HUB = [f"HUB{i:02d}" for i in range(1, 20)]
CORPUS = [*OFFICIAL, *DOCS, *HISTORICAL, *HUB, "R106"]


def parse(text: str) -> n.QueryText:
    return parse_text(text, "cmpivot")


def ops(query: n.QueryText) -> tuple[n.Operator, ...]:
    return query.body.operators


def test_the_corpus_is_complete() -> None:
    """Every ID of the reference's corpus index has a file, and there are no strays."""
    assert sorted(SAMPLES) == sorted(CORPUS)


def test_a_sample_file_reads_its_meta_lines_and_keeps_the_query_verbatim(tmp_path: Path) -> None:
    """The meta lines at the top declare the outcome, title and sentence; the rest is the query, as is."""
    path = tmp_path / "X01.kql"
    path.write_text("// expect: plan-error: unknown column 'Hash'\n// title: T\n// about: A.\n//x: y\nOS \n",
                    encoding="utf-8")
    sample = load(path)
    assert (sample.id, sample.outcome, sample.error, sample.title, sample.about) == (
        "X01", "plan-error", "unknown column 'Hash'", "T", "A.")
    assert sample.text == "//x: y\nOS \n"
    assert sample.parses and not sample.plans and not sample.runs


@pytest.mark.parametrize("first_line", ["Bios", "// expect: run", "// expect: runs: extra", "// expect: plan-error"])
def test_a_sample_file_without_a_valid_expect_line_is_refused_by_name(tmp_path: Path, first_line: str) -> None:
    """A file whose first line is not a well-formed `// expect:` line fails loudly, naming the file."""
    path = tmp_path / "X02.kql"
    path.write_text(f"{first_line}\nBios\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"X02\.kql: the first line must be"):
        load(path)


@pytest.mark.parametrize("sample_id", PARSES)
def test_sample_parses_and_round_trips(sample_id: str) -> None:
    """A sample parses; its canonical print parses back to an equal tree and prints identically."""
    ast = parse(sample(sample_id))
    printed = format_query(ast)
    again = parse(printed)
    assert again == ast
    assert format_query(again) == printed


# ------------------------------------------------------------------------------ negative samples


@pytest.mark.parametrize("sample_id", [sid for sid in SAMPLES if not SAMPLES[sid].parses])
def test_sample_declared_a_parse_error_fails_to_parse_saying_so(sample_id: str) -> None:
    """A sample whose file says `// expect: parse-error: …` is rejected by the parser with that message."""
    with pytest.raises(QuerySyntaxError) as info:
        parse(sample(sample_id))
    assert SAMPLES[sample_id].error in info.value.message


def test_h03_typo_is_an_unknown_table_operator() -> None:
    """H03's `simmarize` is reported where it stands, with the operator it should have been."""
    with pytest.raises(QuerySyntaxError) as info:
        parse(sample("H03"))
    err = info.value
    assert (err.line, err.column) == (1, 8)
    assert err.message == "unknown table operator 'simmarize'"
    assert err.hint == "did you mean 'summarize'?"
    assert "^^^^^^^^^" in str(err)


def test_s13_block_is_several_queries_without_a_pipe() -> None:
    """The unsplit S13 block fails at its second entity, saying a '|' is expected there."""
    with pytest.raises(QuerySyntaxError) as info:
        parse(sample("S13"))
    err = info.value
    assert (err.line, err.column) == (5, 1)
    assert "expected '|' before 'RegistryKey'" in err.message
    assert err.hint is not None and "one at a time" in err.hint


# ------------------------------------------------------------------------------ facts about the trees


def test_hub06_join_right_side_projects_only_username() -> None:
    """HUB06: `join (Device | project UserName)` keeps the right side exactly as written."""
    query = parse(sample("HUB06"))
    project, join = ops(query)
    assert isinstance(project, n.Project)
    assert [a.expr for a in project.items] == [n.Name("Device"), n.Name("EstimatedChargeRemaining"), n.Name("Status")]
    assert isinstance(join, n.Join) and join.kind is None and join.on == ()
    assert join.right == n.Pipeline(n.EntityRef("Device"), (n.Project((n.Assign(None, n.Name("UserName")),)),))


def test_s11_left_outer_join_keeps_the_entity_path_verbatim() -> None:
    """S11: an entity's string argument is the raw text between the quotes, backslashes doubled as typed."""
    query = parse(sample("S11"))
    assert query.body.source == n.EntityRef("Device")
    join, project = ops(query)
    assert isinstance(join, n.Join) and join.kind == "leftouter"
    file_ref = join.right.source
    assert file_ref == n.EntityRef("File", (n.Literal("%windir%\\\\system32\\\\*.exe", "string"),))
    assert isinstance(project, n.Project)
    assert project.items[1].name == "MalwareFound"


def test_expression_strings_apply_escapes_but_entity_arguments_do_not() -> None:
    """R106: `'...Indicators\\\\'` in an expression is one trailing backslash; in Registry(...) it stays two."""
    query = parse(sample("R106"))
    registry = query.body.source
    assert isinstance(registry, n.EntityRef) and registry.args[0].value.endswith("Indicators\\\\*\\\\")  # type: ignore[union-attr]
    project = ops(query)[-1]
    assert isinstance(project, n.Project)
    target = project.items[1].expr
    assert isinstance(target, n.Call) and target.name == "substring"
    strings = [a for a in _walk(target) if isinstance(a, n.Literal) and a.type == "string"]
    assert {s.value for s in strings} == {"TargetVersionUpgradeExperienceIndicators\\"}
    assert sum(isinstance(op, n.Join) for op in ops(query)) == 4


def test_comments_are_ignored_wherever_they_stand() -> None:
    """Leading, between-lines, inline and trailing comments leave the same tree as no comments."""
    assert parse(sample("S01")) == parse("OperatingSystem")
    assert parse(sample("S10")) == parse("Bios | where Manufacturer like '%Micro%'")
    assert parse(sample("D15")) == parse(sample("S10"))
    hub17 = parse(sample("HUB17"))
    assert ops(hub17)[0] == n.Where(n.Binary("==", n.Name("ProductType"), n.Literal(1, "long")))
    hub15 = parse(sample("HUB15"))  # 14 comment lines before, 4 after
    assert hub15.body.source == n.EntityRef("OperatingSystem") and len(ops(hub15)) == 5


def test_a_space_may_separate_an_entity_from_its_arguments() -> None:
    """`ccmlog ('x')` (community spelling) is CcmLog with one argument; the name keeps its case."""
    query = parse("ccmlog ('UpdatesDeployment') | take 1")
    assert query.body.source == n.EntityRef("ccmlog", (n.Literal("UpdatesDeployment", "string"),))
    hub18 = parse(sample("HUB18"))
    assert isinstance(hub18.body.source, n.EntityRef) and hub18.body.source.name == "file"


def test_hub03_pipe_at_line_end_before_render() -> None:
    """HUB03: a leading space, a `|` ending the line and `render` on the next one."""
    query = parse(sample("HUB03"))
    summarize, where, render = ops(query)
    assert isinstance(summarize, n.Summarize)
    assert summarize.by == (n.Assign(None, n.Name("ProductVersion")),)
    assert where == n.Where(n.Binary(">", n.Name("countif_"), n.Literal(0, "long")))
    assert render == n.Render("barchart")


def test_sort_directions_and_render_properties() -> None:
    """D19: `order by X desc` and `render ... with (kind=stacked, title='...', ytitle='...')`."""
    query = parse(sample("D19"))
    order, render = ops(query)[-2:]
    assert order == n.OrderBy((n.SortKey(n.Name("SystemStartTime"), "desc"),))
    assert render == n.Render(
        "barchart", (("kind", "stacked"), ("title", "Boot times for MyDevice"), ("ytitle", "Time (ms)"))
    )
    assert ops(parse(sample("S04")))[-1] == n.OrderBy((n.SortKey(n.Name("DeviceID"), "asc"),))


def test_log_entities_take_a_timespan_argument() -> None:
    """S12 `CcmLog('Scripts',1h)` and D11 `WinEvent('...', 1d)`: the second argument is a timespan literal."""
    assert parse(sample("S12")).body.source == n.EntityRef(
        "CcmLog", (n.Literal("Scripts", "string"), n.Literal(3600 * 10**9, "timespan"))
    )
    winevent = parse(sample("D11")).body.source
    assert isinstance(winevent, n.EntityRef) and winevent.args[1] == n.Literal(86_400 * 10**9, "timespan")


def test_hub01_bare_entity_join_and_by_on_its_own_line() -> None:
    """HUB01: `|join Device`, then `summarize avg(BootDuration / 1000)` with `by Model` two lines below."""
    join, summarize, _render = ops(parse(sample("HUB01")))
    assert join == n.Join(None, n.Pipeline(n.EntityRef("Device")))
    assert summarize == n.Summarize(
        (n.Assign(None, n.Call("avg", (n.Binary("/", n.Name("BootDuration"), n.Literal(1000, "long")),))),),
        (n.Assign(None, n.Name("Model")),),
    )


def test_hub12_no_break_space_is_whitespace() -> None:
    """HUB12 has U+00A0 after `OperatingSystem` (pasted from the web); it separates tokens like a space."""
    text = sample("HUB12")
    assert "OperatingSystem\u00a0\n" in text
    assert parse(text).body.source == n.EntityRef("OperatingSystem")


def test_console_parenthesised_predicates() -> None:
    """D03: `countif( (Version == '...') )` and `where (countif_ > 0)`: parentheses leave no trace."""
    summarize, where = ops(parse(sample("D03")))
    assert isinstance(summarize, n.Summarize)
    assert summarize.aggregates[0].expr == n.Call(
        "countif", (n.Binary("==", n.Name("Version"), n.Literal("10.0.17134", "string")),)
    )
    assert where == n.Where(n.Binary(">", n.Name("countif_"), n.Literal(0, "long")))


def test_hub11_boolean_and_datetime_arithmetic() -> None:
    """HUB11: `Special == false and LastUseTime < (now() - 90d)`."""
    (where,) = ops(parse(sample("HUB11")))
    assert where == n.Where(n.Binary(
        "and",
        n.Binary("==", n.Name("Special"), n.Literal(False, "bool")),
        n.Binary("<", n.Name("LastUseTime"),
                 n.Binary("-", n.Call("now", ()), n.Literal(90 * 86_400 * 10**9, "timespan"))),
    ))


def _walk(node: object) -> list[object]:
    """Every node under ``node`` (expressions only), depth first."""
    out: list[object] = [node]
    if isinstance(node, n.Call):
        for a in node.args:
            out += _walk(a)
    elif isinstance(node, n.Binary):
        out += _walk(node.left) + _walk(node.right)
    elif isinstance(node, n.Unary):
        out += _walk(node.operand)
    return out
