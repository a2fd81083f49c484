"""The two dialects, as data: what each accepts, how it compares and names, and how it words errors.

A query is read in one of two dialects. ``CMPIVOT`` is what ConfigMgr's CMPivot runs on devices;
``KQL`` is the local superset that ``cmpivot_magic.evaluate(..., dialect="kql")`` runs over given
tables with Kusto's rules. Every stage of the pipeline asks its ``Dialect`` instead of comparing
dialect names: the parser for the constructs to reject, the error messages for the words to offer,
the planner for table names, join rules and column names, and the evaluator for string and null
comparison. The public API keeps naming a dialect by string (``dialect="cmpivot"``);
``dialect_named`` turns that string into its ``Dialect``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from . import nodes as n

CMPIVOT_OPERATORS = ("where", "project", "summarize", "count", "distinct", "join", "order", "take", "top", "render")
KQL_OPERATORS = (
    *CMPIVOT_OPERATORS, "extend", "project-away", "project-rename", "project-reorder", "sort", "limit", "mv-expand",
)
CMPIVOT_SCALAR_OPERATORS = (
    "and", "or", "contains", "!contains", "startswith", "!startswith", "endswith", "!endswith", "like", "!like",
)
KQL_SCALAR_OPERATORS = (
    *CMPIVOT_SCALAR_OPERATORS, "contains_cs", "!contains_cs", "startswith_cs", "!startswith_cs", "endswith_cs",
    "!endswith_cs", "has", "!has", "has_cs", "!has_cs", "hasprefix", "!hasprefix", "hassuffix", "!hassuffix",
    "in", "!in", "in~", "!in~", "between", "!between", "matches", "has_any", "has_all",
)

# Which dialects offer a function or operator of the registry (``engine.functions``): sets of names.
BOTH = frozenset({"cmpivot", "kql"})
KQL_ONLY = frozenset({"kql"})

# KQL-only keywords, by lark terminal: (what is not supported, what CMPivot offers instead)
KQL_ONLY_KEYWORDS: Mapping[str, tuple[str, str | None]] = MappingProxyType({
    "LET": ("'let'", None),
    "DATATABLE": ("'datatable'", None),
    "PRINT": ("'print'", None),
    "RANGE": ("'range'", None),
    "EXTEND": ("the 'extend' operator", "project (list every column to keep)"),
    "PROJECT_AWAY": ("the 'project-away' operator", None),
    "PROJECT_RENAME": ("the 'project-rename' operator", None),
    "PROJECT_REORDER": ("the 'project-reorder' operator", None),
    "MV_EXPAND": ("the 'mv-expand' operator", None),
    "SORT": ("'sort by'", "'order by'"),
    "LIMIT": ("'limit'", "'take'"),
    "ON": ("'join ... on'", "a join without 'on' (CMPivot joins always match rows of the same Device)"),
    "AS": ("'count as'", "'summarize Name = count()'"),
})
# node type → the lark terminal of its keyword (the other KQL-only keywords ride on shared nodes)
KQL_ONLY_NODES: Mapping[type, str] = MappingProxyType({
    n.Extend: "EXTEND", n.ProjectAway: "PROJECT_AWAY", n.ProjectRename: "PROJECT_RENAME",
    n.ProjectReorder: "PROJECT_REORDER", n.MvExpand: "MV_EXPAND", n.DataTable: "DATATABLE", n.Print: "PRINT",
    n.Range: "RANGE", n.Let: "LET",
})
# terminals a cmpivot-dialect message never offers ("expected ... or 'mv-expand'")
KQL_ONLY_TERMINALS = frozenset({
    *KQL_ONLY_KEYWORDS, "SEMICOLON", "DOT", "LSQB", "BETWEEN", "IN_OP", "MATCHES", "DYNAMIC", "NULL",
    "BAGEXPANSION", "WITH_ITEMINDEX", "TIMESPAN_LIT", "VERBATIM_STRING", "BRACKET_NAME", "GRANNY_DIR", "TO", "STEP",
    "FROM",
})

MAX_JOINS = 5  # CMPivot's documented limits (§3.2)
MAX_JOIN_COLUMNS = 64

@dataclass(frozen=True, eq=False)
class Dialect:
    """One dialect's rules. Instances are singletons (``CMPIVOT``, ``KQL``): compare with ``is``.

    ``str(dialect)`` is its public name, so messages and ``explain()`` read as before."""

    name: str
    case_insensitive: bool
    """``== != < <= > >=`` on strings ignore case (CMPivot §9.2); Kusto compares them as written."""
    kusto_null_equality: bool
    """Kusto's rule for ``==``/``!=`` with exactly one null side (false / true); CMPivot keeps null."""
    runs_on_devices: bool
    """Queries go to ConfigMgr devices: sources are catalog entities with a Device column, the plan
    has a device part, and a query is planned as soon as it is parsed (errors before sending)."""
    any_table: bool
    """A name may be any table given to ``evaluate``, not only a catalog entity."""
    kusto_names: bool
    """Unnamed columns get Kusto's names (``bin(x)`` → x, ``d.key`` → key, ``sum_x``, ``Column1``);
    CMPivot names a call after its function (``strcat``, ``count_``, ``sum_``)."""
    default_join_kind: str
    max_joins: int | None
    max_join_columns: int | None
    table_operators: tuple[str, ...]
    scalar_operators: tuple[str, ...]
    rejected_keywords: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)
    """KQL-only keywords this dialect refuses, by terminal: (what, what to use instead)."""
    rejected_nodes: Mapping[type, str] = field(default_factory=dict)
    """Node types this dialect refuses, to the terminal of their keyword."""
    hidden_terminals: frozenset[str] = frozenset()
    """Terminals never offered in this dialect's "expected ..." lists."""

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"Dialect({self.name!r})"

    def offers(self, dialects: frozenset[str]) -> bool:
        """Whether a registry function available in ``dialects`` (e.g. ``KQL_ONLY``) is offered here."""
        return self.name in dialects

    def supports(self, terminal: str) -> bool:
        """Whether the keyword with lark terminal ``terminal`` (e.g. ``"ON"``) is accepted."""
        return terminal not in self.rejected_keywords


CMPIVOT = Dialect(
    name="cmpivot", case_insensitive=True, kusto_null_equality=False, runs_on_devices=True, any_table=False,
    kusto_names=False, default_join_kind="inner", max_joins=MAX_JOINS, max_join_columns=MAX_JOIN_COLUMNS,
    table_operators=CMPIVOT_OPERATORS, scalar_operators=CMPIVOT_SCALAR_OPERATORS,
    rejected_keywords=KQL_ONLY_KEYWORDS, rejected_nodes=KQL_ONLY_NODES, hidden_terminals=KQL_ONLY_TERMINALS,
)
KQL = Dialect(
    name="kql", case_insensitive=False, kusto_null_equality=True, runs_on_devices=False, any_table=True,
    kusto_names=True, default_join_kind="innerunique", max_joins=None, max_join_columns=None,
    table_operators=KQL_OPERATORS, scalar_operators=KQL_SCALAR_OPERATORS,
)
DIALECTS: Mapping[str, Dialect] = MappingProxyType({d.name: d for d in (CMPIVOT, KQL)})


def dialect_named(dialect: str | Dialect) -> Dialect:
    """The ``Dialect`` for a public name ("cmpivot" or "kql"); a ``Dialect`` is returned as is."""
    if isinstance(dialect, Dialect):
        return dialect
    found = DIALECTS.get(dialect) if isinstance(dialect, str) else None
    if found is None:
        raise ValueError(f"unknown dialect {dialect!r}; use 'cmpivot' or 'kql'")
    return found
