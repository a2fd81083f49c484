"""The ``cmpivot`` command: run a CMPivot query from a terminal, or explain how it would run.

    cmpivot "Process | summarize count() by Name | top 5 by count_"        # this machine
    cmpivot --connection demo:// "OS | summarize count() by Caption"        # the simulated site
    cmpivot --connection demo:// --collection SMS00001 --format csv "Disk"
    cmpivot --explain "Process | where Name contains 'svc'"                 # the plan, nothing sent
    cmpivot emulator --devices 500 --speed 10                               # an AdminService stand-in
    cmpivot -c https://127.0.0.1:PORT/AdminService --token T --verify CA "OS"    # ... queried over HTTPS
    cmpivot -c URL --auth msal --tenant T --client-id C --scope S "OS"          # ... with an Entra ID sign-in

Rows go to standard output, the status summary and live progress to standard error, so the
output can be piped. The exit status is 0 on success, 2 for a query or connection error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

import pandas as pd

from .errors import CMPivotError

if TYPE_CHECKING:
    from .results import QueryResult


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cmpivot",
        description="Run a CMPivot query on this machine (local://, the default), the simulated site "
        "(demo://) or a ConfigMgr site, and print the rows and a per-device status summary.",
    )
    parser.add_argument("query", help="the query text, or - to read it from standard input")
    parser.add_argument("-c", "--connection", default="local://", metavar="URL",
                        help="local:// (this machine, default), demo://?devices=200&seed=7, or https://<provider>/AdminService")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("-d", "--device", action="append", metavar="NAME", help="a device to query (repeatable)")
    target.add_argument("--collection", metavar="ID", help="a collection to query, e.g. SMS00001")
    parser.add_argument("-f", "--format", choices=("table", "csv", "json", "parquet"), default="table",
                        help="row output format (csv streams; parquet needs --output)")
    parser.add_argument("-o", "--output", metavar="PATH", help="write the rows to this file instead of stdout")
    parser.add_argument("-t", "--timeout", type=float, metavar="S", help="seconds to wait for devices")
    parser.add_argument("--profile", choices=("onprem", "tenant-attach"), default="onprem",
                        help="tenant-attach applies the Intune admin center's rules")
    parser.add_argument("--dialect", choices=("cmpivot", "kql"), default="cmpivot",
                        help="with --explain: cmpivot (what ConfigMgr runs) or kql (the local superset)")
    parser.add_argument("--explain", action="store_true", help="print the plan and the device query; send nothing")
    parser.add_argument("--status", action="store_true", help="also print the per-device status table")
    parser.add_argument("--live-only", action="store_true",
                        help="only live answers: no rows from the last hardware inventory for offline devices")
    parser.add_argument("--token", metavar="TOKEN", help="AdminService: a bearer token (e.g. the emulator's)")
    parser.add_argument("--auth", choices=("negotiate", "msal"), help="AdminService: how to sign in")
    parser.add_argument("--verify", metavar="CA", help="AdminService: the site's root CA (PEM path), or 'no'")
    entra = parser.add_argument_group("Entra ID sign-in (--auth msal)")
    entra.add_argument("--tenant", metavar="T", help="the Directory (tenant) ID or a verified domain")
    entra.add_argument("--client-id", metavar="C", help="the client (native) app's Application ID")
    entra.add_argument("--scope", metavar="S", help="<App ID URI>/user_impersonation of the ConfigMgr server app")
    entra.add_argument("--app-id-uri", metavar="URI", help="the server app's App ID URI (instead of --scope)")
    entra.add_argument("--authority", metavar="URL", help="default https://login.microsoftonline.com/<tenant>")
    entra.add_argument("--flow", choices=("device_code", "interactive", "silent"),
                       help="device_code (default: a code to enter on any device), interactive (a browser here), "
                            "silent (the token cache only; never prompts)")
    entra.add_argument("--token-cache", metavar="PATH", help="where the sign-in is kept between runs, or 'no'")
    entra.add_argument("--username", metavar="UPN", help="which cached account, when the cache holds several")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["emulator"]:
        from .emulator.cli import main as emulator_main

        return emulator_main(argv[1:], stdout=out, stderr=err)
    args = build_parser().parse_args(argv)
    text = sys.stdin.read() if args.query == "-" else args.query
    try:
        if args.explain:
            return _explain(text, args.dialect, out)
        return _run(text, args, out, err)
    except CMPivotError as e:
        print(f"{type(e).__name__}: {e}", file=err)
        return 2
    except KeyboardInterrupt:
        print("cancelled", file=err)
        return 130


def _explain(text: str, dialect: str, out: TextIO) -> int:
    from .language.dialect import dialect_named
    from .query import parse

    query = parse(text, dialect=dialect)
    print(query.explain(), file=out)
    if dialect_named(dialect).runs_on_devices:
        print(f"\nsent to each device:\n  {query.device_query}", file=out)
    return 0


def _run(text: str, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .session import connect

    options: dict[str, Any] = {}
    if args.token:
        options["token"] = args.token
    if args.auth:
        options["auth"] = args.auth
    if args.verify:
        options["verify"] = False if args.verify.lower() in ("no", "false", "0") else args.verify
    for name in ("tenant", "client_id", "scope", "app_id_uri", "authority", "flow", "username"):
        if getattr(args, name):
            options[name] = getattr(args, name)
    if args.token_cache:
        options["cache"] = args.token_cache
    if args.auth == "msal":  # the device-code prompt goes where progress goes, never among the rows
        from .backends.adminservice.auth.prompt import text_presenter

        options["prompt"] = text_presenter(err)
    session = connect(args.connection, profile=args.profile, **options)
    operation = session.submit(text, devices=args.device, collection=args.collection, timeout=args.timeout,
                               live_only=args.live_only)
    progress = _Progress(err)
    try:
        for update in operation.updates():
            progress.show(str(update))
    except KeyboardInterrupt:
        operation.cancel()
        progress.end()
        print("cancelled: devices that had not answered are Pending", file=err)
    progress.end()
    result = operation.result()
    _write_result(result, args.format, args.output, out)
    print(f"{result.summary} — operation {result.operation_id}, {result.visible_rows} rows", file=err)
    if args.status:
        print(_text_table(result.status), file=err)
    return 0


class _Progress:
    """The live progress line on stderr.

    On a terminal one line updates in place (carriage return, padded over the previous text), and
    only for runs longer than a second. Anywhere else (``2>log``, a pipe, a notebook's captured
    stream) carriage returns would glue the updates and the summary into one line, so only the
    last update is written, as a whole line of its own.
    """

    def __init__(self, stream: TextIO, after: float = 1.0) -> None:
        isatty = getattr(stream, "isatty", None)
        self.stream, self.terminal = stream, bool(isatty and isatty())
        self.started, self.after = time.monotonic(), after
        self.last, self.shown = "", 0  # the newest text; the width of what is on the line

    def show(self, text: str) -> None:
        self.last = text
        if self.terminal and time.monotonic() - self.started > self.after:
            print(f"\r{text.ljust(self.shown)}", end="", file=self.stream, flush=True)
            self.shown = max(self.shown, len(text))

    def end(self) -> None:
        """Close the progress line; after this the stream is at the start of a line."""
        if self.shown:
            print(file=self.stream, flush=True)
        elif not self.terminal and self.last:
            print(self.last, file=self.stream, flush=True)
        self.last, self.shown = "", 0


def _write_result(result: QueryResult, fmt: str, output: str | None, out: TextIO) -> None:
    """Rows out without the whole pandas frame where the format allows: Parquet straight from the
    polars rows, CSV in batches (the same text as one ``to_csv``); table and JSON as before."""
    if fmt == "parquet":
        if not output:
            raise CMPivotError("--format parquet writes a file", hint="add --output rows.parquet")
        result.to_parquet(output)
        return
    if output:
        with open(output, "w", encoding="utf-8", newline="") as f:
            _write_result(result, fmt, None, f)
        return
    if fmt == "csv":
        for i, part in enumerate(result.batches()):
            part.to_csv(out, index=False, header=i == 0)
        return
    _write_rows(result.df, fmt, out)


def _write_rows(df: pd.DataFrame, fmt: str, out: TextIO) -> None:
    if fmt == "csv":
        df.to_csv(out, index=False)
    elif fmt == "json":
        out.write(df.to_json(orient="records", date_format="iso", default_handler=str))
        out.write("\n")
    elif len(df.columns):
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                               "display.max_colwidth", 80):
            print(_text_table(df) if len(df) else "(no rows)", file=out)
    else:
        print("(no columns)", file=out)


def _text_table(df: pd.DataFrame) -> str:
    """A frame as aligned text with nulls as blanks. ``to_string(na_rep="")`` alone is not enough:
    pandas prints ``<NA>`` for the nullable dtypes (Int64, boolean, string) whatever na_rep says."""
    return df.astype(object).where(df.notna(), "").to_string(index=False)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
