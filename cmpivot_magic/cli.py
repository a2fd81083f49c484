"""The ``cmpivot`` command: parse, explain and (with a connection) run CMPivot queries.

Until the session layer lands, the command checks a query and prints its plan::

    cmpivot --explain "Process | summarize count() by Name | top 10 by count_"
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .errors import CMPivotError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cmpivot",
        description="Check a CMPivot query and show how it runs: the part each device evaluates "
        "and the part combined over all devices.",
    )
    parser.add_argument("query", help="the query text, or - to read it from standard input")
    parser.add_argument("--dialect", choices=("cmpivot", "kql"), default="cmpivot",
                        help="cmpivot (what ConfigMgr runs, the default) or kql (the local superset)")
    parser.add_argument("--explain", action="store_true", help="print the plan (the default for now)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    text = sys.stdin.read() if args.query == "-" else args.query
    from .query import parse

    try:
        query = parse(text, dialect=args.dialect)
        print(query.explain())
        if args.dialect == "cmpivot":
            print(f"\nsent to each device:\n  {query.device_query}")
    except CMPivotError as err:
        print(f"{type(err).__name__}: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
