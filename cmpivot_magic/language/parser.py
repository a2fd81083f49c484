"""Query text → syntax tree (``nodes.QueryText``), or a ``QuerySyntaxError`` with a caret.

The grammar is ``grammar.lark`` (LALR, contextual lexer). The transformer (``builder.py`` and
``builder_exprs.py``) runs inline while lark parses, so no intermediate parse tree is built; each
method gets the rule's children and returns a node whose span covers its tokens. ``finish.py``
then replaces the transformer's stand-ins, enforces the nesting limit (``limits.py``) and rejects
what the dialect does not run. Nothing lark-specific leaves the package: lark's exceptions become
``QuerySyntaxError`` here or in ``syntax_errors.py``, which words them.

Parsing is linear in the query's length: lark's LALR parser keeps its own stack, the transformer
grows lists and chains in place, and ``finish`` walks with its own stack.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import cast

from lark import Lark
from lark.exceptions import UnexpectedInput, VisitError

from .._bulk import bulk
from ..errors import QuerySyntaxError, locate
from . import nodes as n
from .builder import Builder
from .builder_exprs import ParseFailure
from .dialect import CMPIVOT_OPERATORS, KQL_OPERATORS, Dialect, dialect_named
from .dialect import DIALECTS as _DIALECTS
from .finish import check_dialect, finish
from .limits import recursion_guard
from .syntax_errors import syntax_error

DIALECTS = tuple(_DIALECTS)

__all__ = ["CMPIVOT_OPERATORS", "DIALECTS", "KQL_OPERATORS", "ParseFailure", "parse_text"]


@lru_cache(maxsize=1)
def _lark() -> Lark:
    grammar = resources.files(__package__).joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        transformer=Builder(),
        maybe_placeholders=True,
        propagate_positions=False,
        # the LALR tables are cached in the temp folder (keyed by grammar and options): every new
        # kernel or `cmpivot` process then starts its first parse ~0.5 s sooner
        cache=True,
    )


def parse_text(text: str, dialect: str | Dialect = "cmpivot") -> n.QueryText:
    """Parse ``text`` in ``dialect`` ("cmpivot" or "kql") into a syntax tree."""
    rules = dialect_named(dialect)
    if not _strip_comments(text).strip():
        what = "the query is empty" if not text.strip() else "the query has only comments"
        raise QuerySyntaxError(
            f"{what}: start with an entity such as Process, OS or Device", text=text, location=locate(text, 0, 0)
        )
    with recursion_guard(text), bulk():  # recursion_guard: see limits.py; bulk: the tree has no cycles
        query = finish(_parse(text, rules), text)
    check_dialect(query, text, rules)
    return query


def _parse(text: str, rules: Dialect) -> n.QueryText:
    try:
        tree = cast(n.QueryText, _lark().parse(text))
    except VisitError as err:  # a ParseFailure raised in the transformer
        orig = err.orig_exc
        if isinstance(orig, ParseFailure):
            raise _failure(text, orig) from None
        raise
    except ParseFailure as err:
        raise _failure(text, err) from None
    except UnexpectedInput as err:
        raise syntax_error(text, err, rules, _lark()) from None
    return tree


def _failure(text: str, err: ParseFailure) -> QuerySyntaxError:
    return QuerySyntaxError(err.message, text=text, location=locate(text, err.span.start, err.span.end),
                            hint=err.hint)


def _strip_comments(text: str) -> str:
    return re.sub(r"//[^\n]*", "", text) if "//" in text else text
