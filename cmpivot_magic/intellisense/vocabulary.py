"""The words the service offers and explains, beside the catalog's entities and a step's columns.

Functions and scalar operators come from the engine's function registry (so the list is what runs,
filtered to the cmpivot dialect); signatures for CMPivot's documented functions are written here,
with their parameter names from the language reference, and derived from the registry's arity for
the rest. Table operators, render kinds and properties and join kinds carry their syntax. The magic's
own options and subcommands are read from its argument parsers, imported only when asked for (the
magic imports IPython; the rest of the service does not).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..engine.functions import REGISTRY

DIALECT = "cmpivot"


@dataclass(frozen=True)
class Word:
    """A keyword-like word: what is inserted, its syntax line, and what it does."""

    label: str
    syntax: str
    meaning: str


TABLE_OPERATORS: dict[str, Word] = {w.label.split()[0]: w for w in (
    Word("where", "T | where Predicate", "keep the rows where the predicate is true (null is not true)"),
    Word("project", "T | project Column [, Name = Expression ...]", "choose, rename and compute the columns"),
    Word("summarize", "T | summarize [Name =] Aggregation(...) [, ...] [by Column [, ...]]",
         "one row per group; unnamed aggregates are named count_, dcount_, sum_ ..."),
    Word("count", "T | count", "the number of rows, as one column Count"),
    Word("distinct", "T | distinct Column [, ...]  or  T | distinct *", "the distinct combinations of the columns"),
    Word("join", "T | join [kind=leftouter] (Entity | ...)  or  T | join Entity",
         "add the other table's columns to rows of the same Device; clashing names get 1, 2 ... suffixes"),
    Word("order by", "T | order by Column [asc | desc] [nulls first | last] [, ...]",
         "sort the rows (descending unless asc is given)"),
    Word("take", "T | take N", "any N rows"),
    Word("top", "T | top N by Column [asc | desc]", "the first N rows by the column (descending by default)"),
    Word("render", "T | render barchart [with (title='...', kind=stacked, ...)]",
         "draw the result as a chart; must be the last operator"),
)}

# keywords that follow a table operator's first word, by lark terminal
KEYWORDS: dict[str, tuple[Word, ...]] = {
    "BY": (Word("by", "summarize ... by Column  /  order by Column  /  top N by Column", "the grouping or sort columns"),),
    "ASC": (Word("asc", "order by Column asc", "ascending order"),),
    "DESC": (Word("desc", "order by Column desc", "descending order (the default)"),),
    "NULLS": (Word("nulls first", "order by Column nulls first", "nulls before other values"),
              Word("nulls last", "order by Column nulls last", "nulls after other values")),
    "KIND": (Word("kind=", "join kind=leftouter (...)", "the join kind: inner (default), leftouter, rightouter, "
                  "fullouter, leftanti, rightanti, leftsemi, rightsemi"),),
    "WITH": (Word("with", "render barchart with (title='...')", "the chart's properties"),),
    "AND": (Word("and", "A and B", "true when both are true (false and null is false)"),),
    "OR": (Word("or", "A or B", "true when either is true (true or null is true)"),),
    "TRUE": (Word("true", "true", "the bool literal"),),
    "FALSE": (Word("false", "false", "the bool literal"),),
    "NULL": (Word("null", "null", "the null literal"),),
}

# scalar operators by lark terminal; each is offered if the registry has it for the cmpivot dialect
_OPERATOR_TERMINALS = {
    "CMP_OP": ("==", "!=", "<", "<=", ">", ">=", "=~", "!~"),
    "STRING_OP": ("contains", "!contains", "startswith", "!startswith", "endswith", "!endswith", "like", "!like",
                  "has", "!has", "contains_cs", "!contains_cs", "startswith_cs", "endswith_cs", "hasprefix",
                  "hassuffix"),
    "IN_OP": ("in", "!in", "in~", "!in~"),
    "BETWEEN": ("between", "!between"),
    "MATCHES": ("matches regex",),
}
_OPERATOR_SYNTAX = {
    "like": "Text like 'pattern'  (SQL LIKE on the whole string: % any run, _ one character; ignores case)",
    "in": "Value in ('a', 'b', ...)", "!in": "Value !in ('a', 'b', ...)",
    "in~": "Value in~ ('a', 'b', ...)", "!in~": "Value !in~ ('a', 'b', ...)",
    "between": "Value between (Low .. High)", "!between": "Value !between (Low .. High)",
    "matches regex": "Text matches regex 'pattern'",
}

# CMPivot's documented functions: parameter lists (reference §5) and return types
SIGNATURES: dict[str, str] = {
    "ago": "ago(timespan) → datetime  (now() minus the timespan)", "now": "now([offset: timespan]) → datetime",
    "bin": "bin(value, roundTo) → same type as value",
    "datetime_add": "datetime_add(period: string, amount: long, datetime) → datetime",
    "datetime_diff": "datetime_diff(period: string, datetime1, datetime2) → long",
    "case": "case(predicate1, then1[, predicate2, then2 ...], else)", "iif": "iif(predicate, ifTrue, ifFalse)",
    "iff": "iff(predicate, ifTrue, ifFalse)",
    "indexof": "indexof(source: string, lookup: string[, start: long[, length: long[, occurrence: long]]]) → long",
    "isnull": "isnull(value) → bool", "isnotnull": "isnotnull(value) → bool", "not": "not(bool) → bool",
    "strcat": "strcat(value1, value2, ...) → string", "strlen": "strlen(text: string) → long",
    "substring": "substring(text: string, start: long[, length: long]) → string", "tostring": "tostring(value) → string",
    "avg": "avg(expr) → real", "count": "count() → long", "countif": "countif(predicate) → long",
    "dcount": "dcount(expr[, accuracy]) → long", "max": "max(expr)", "min": "min(expr)",
    "maxif": "maxif(expr, predicate)", "minif": "minif(expr, predicate)",
    "percentile": "percentile(expr, percentile: real)", "sum": "sum(expr)", "sumif": "sumif(expr, predicate)",
    "datetime": "datetime(yyyy-MM-dd [HH:mm:ss]) → datetime literal (UTC)",
}

# registry names that are operators written as words, not functions called with parentheses
_OPERATOR_NAMES = frozenset({"and", "or", "neg", "in", "like", "has", "contains", "startswith", "endswith",
                             "between"})

JOIN_KINDS = ("inner", "leftouter", "rightouter", "fullouter", "leftanti", "rightanti", "leftsemi", "rightsemi",
              "innerunique")
RENDER_KINDS: dict[str, str] = {"barchart": "horizontal bars", "columnchart": "vertical columns",
                                "piechart": "a pie of the first numeric column", "timechart": "a line over time",
                                "areachart": "filled lines", "linechart": "lines", "scatterchart": "points"}
RENDER_PROPERTIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "title": ("the chart's title (a string)", ()), "xtitle": ("the x axis title (a string)", ()),
    "ytitle": ("the y axis title (a string)", ()),
    "kind": ("how series stack", ("default", "unstacked", "stacked", "stacked100")),
    "legend": ("show the legend", ("visible", "hidden")),
    "xcolumn": ("the column on the x axis", ()), "ycolumns": ("the columns on the y axis", ()),
    "series": ("the column that splits series", ()),
}


def scalar_operators(terminals: frozenset[str]) -> list[str]:
    """The scalar operators valid after an expression, for the accepted ``terminals``."""
    return [op for term, ops in _OPERATOR_TERMINALS.items() if term in terminals for op in ops
            if _runs(op)]


def operator_word(op: str) -> Word | None:
    """Syntax and meaning of a scalar operator, from the registry (None if CMPivot lacks it)."""
    fn = REGISTRY.get(op.lower())
    if fn is None or DIALECT not in fn.dialects:
        return None
    return Word(op, _OPERATOR_SYNTAX.get(op.lower(), f"A {op} B"), fn.doc)


def _runs(name: str) -> bool:
    fn = REGISTRY.get(name.lower())
    return fn is not None and DIALECT in fn.dialects


@lru_cache(maxsize=2)
def functions(aggregate: bool) -> tuple[tuple[str, str, str], ...]:
    """(name, signature, meaning) of the cmpivot dialect's functions (or aggregations), by name."""
    out = []
    for key, fn in sorted(REGISTRY.items()):
        if fn.aggregate != aggregate or DIALECT not in fn.dialects or not key.isidentifier():
            continue
        if key in _OPERATOR_NAMES:
            continue  # operators, registered under their keyword
        out.append((key, signature(key), fn.doc))
    if not aggregate:
        out.append(("datetime", SIGNATURES["datetime"], "a datetime literal, always UTC"))
        out.sort()
    return tuple(out)


def signature(name: str) -> str:
    """A function's signature: written for documented ones, from the registry's arity otherwise."""
    key = name.lower()
    if key in SIGNATURES:
        return SIGNATURES[key]
    fn = REGISTRY.get(key)
    if fn is None:
        return f"{name}(...)"
    required = ", ".join(f"arg{i + 1}" for i in range(fn.min_args))
    more = "" if fn.max_args == fn.min_args else ", ..." if fn.max_args is None or fn.max_args > fn.min_args + 2 \
        else "".join(f"[, arg{i + 1}]" for i in range(fn.min_args, fn.max_args))
    return f"{key}({required}{more})".replace("(, ", "(")


def function_doc(name: str) -> tuple[str, str, bool] | None:
    """(signature, meaning, is_aggregation) of a function the cmpivot dialect runs, or None."""
    key = name.lower()
    if key == "datetime":
        return SIGNATURES["datetime"], "a datetime literal, always UTC", False
    fn = REGISTRY.get(key)
    if fn is None or DIALECT not in fn.dialects or not key.isidentifier() or key in _OPERATOR_NAMES:
        return None
    return signature(key), fn.doc, fn.aggregate


@lru_cache(maxsize=1)
def magic_options() -> tuple[tuple[str, str], ...]:
    """(option, help) of ``%%cmpivot``, read from the magic's own argument parser."""
    from ..magic.magics import CMPivotMagic

    parser = CMPivotMagic.cmpivot.parser  # magic_arguments sets it
    out: list[tuple[str, str]] = []
    for action in parser._actions:
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                out.append((option, action.help or ""))
    return tuple(out)


@lru_cache(maxsize=1)
def magic_short_options() -> tuple[str, ...]:
    """The one-letter forms (``-c``, ``-d`` ...) of ``%%cmpivot``'s options."""
    from ..magic.magics import CMPivotMagic

    parser = CMPivotMagic.cmpivot.parser
    return tuple(o for a in parser._actions for o in a.option_strings if not o.startswith("--"))


@lru_cache(maxsize=1)
def subcommands() -> dict[str, tuple[str, tuple[tuple[str, str], ...]]]:
    """``%cmpivot`` subcommands: name → (summary, its --options with their help)."""
    from ..magic.subcommands import SUBCOMMANDS

    out = {}
    for name, command in SUBCOMMANDS.items():
        options = tuple((o, a.help or "") for a in command.parser._actions for o in a.option_strings
                        if o.startswith("--") and o != "--help")
        out[name] = (command.summary, options)
    return out


def help_topics() -> tuple[str, ...]:
    from ..magic.helptext import TOPICS

    return tuple(TOPICS)
