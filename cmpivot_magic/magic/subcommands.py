"""``%cmpivot SUBCOMMAND``: one function per subcommand, and the table the magic dispatches on.

Each subcommand declares its options with IPython's ``magic_arguments`` decorators, so its
parser is argparse's and its documentation is its docstring: ``%cmpivot help connect`` prints
the generated usage, and ``%cmpivot?`` lists every subcommand with its first line. A subcommand
is ``fn(host, args)``: ``host`` is the magic (the connections it holds, the notebook's namespace,
the display), ``args`` the parsed options. What it returns is the cell's value (a DataFrame shows
as a table). Wrong options are a ``CMPivotError`` naming the subcommand, as every input error is.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd
from IPython.core.error import UsageError
from IPython.core.magic_arguments import argument, magic_arguments

from .. import catalog
from ..catalog.listing import entity_frame
from ..errors import CMPivotError
from ..history import open_default
from ..results import QueryResult
from ..session import Operation, Session
from ..session import connect as open_session
from .helptext import help_text

_HISTORY_OFF = "unset CMPIVOT_MAGIC_HISTORY_DIR to keep operations"


class Host(Protocol):
    """What a subcommand may use of the magic that runs it (``CMPivotMagic``)."""

    sessions: dict[str, Session]
    current: str | None

    @property
    def namespace(self) -> dict[str, Any]: ...

    def session(self, name_or_url: str | None = None) -> Session: ...

    def use(self, name: str, session: Session) -> None: ...

    def history_option(self) -> str | None: ...

    def settings(self) -> list[tuple[str, Any, str]]: ...

    def follow(self, operation: Operation) -> bool: ...

    def deliver(self, result: QueryResult, args: argparse.Namespace | None = None,
                names: Sequence[str | None] = ()) -> None: ...


# ------------------------------------------------------------------------------------ connections


@magic_arguments("cmpivot connect")
@argument("url", nargs="?", help="local://, demo://?devices=500, https://<provider>/AdminService or replay:///site.json")
@argument("--name", help="the name cells use with --connection (default: the URL)")
@argument("--profile", help="onprem (default) or tenant-attach: the Intune admin center's rules")
def connect(host: Host, args: argparse.Namespace, extra: Sequence[str] = ()) -> Session:
    """Open a connection and make it the current one.

    Any other ``--option value`` goes to ``cmpivot_magic.connect`` as it is (values are strings),
    and the backend checks it: ``--token T``, ``--verify ca.pem``, ``--auth negotiate``,
    ``--auth msal --tenant T --client-id C``, ``--record site.json``.
    """
    if not args.url:
        raise CMPivotError("%cmpivot connect needs a URL", hint="for example: %cmpivot connect demo://?devices=500")
    options = backend_options(extra)
    if args.profile is not None:
        options["profile"] = args.profile
    session = open_session(args.url, history=host.history_option(), **options)
    host.use(args.name or args.url, session)
    return session


def backend_options(extra: Sequence[str]) -> dict[str, str]:
    """``--key value`` (or ``--key=value``) pairs that the parser leaves over, as ``connect``'s
    keywords (``--client-id`` → ``client_id``). The magic does not list them: each backend
    checks its own, so a new backend option needs no change here."""
    words = [part for word in extra for part in (word.split("=", 1) if word.startswith("--") else (word,))]
    keys, values = words[0::2], words[1::2]
    for i, key in enumerate(keys):
        if not key.startswith("--") or i >= len(values):
            raise CMPivotError(f"unexpected '{key}'", hint="options are --name N and auth options such as --profile P")
    options = {key[2:].replace("-", "_"): value for key, value in zip(keys, values, strict=True)}
    if "history" in options:
        raise CMPivotError("%cmpivot connect takes no --history", hint="set %config CMPivotMagic.history_dir")
    return options


@magic_arguments("cmpivot use")
@argument("var", nargs="?", help="a variable holding a Session")
@argument("--name", help="the name cells use with --connection (default: the session's URL)")
def use(host: Host, args: argparse.Namespace) -> Session:
    """Make a Session built in Python the current connection (``s = cmpivot_magic.connect(url, token=...)``)."""
    session = host.namespace.get(args.var) if args.var else None
    if not isinstance(session, Session):
        raise CMPivotError("%cmpivot use needs a variable holding a Session",
                           hint="for example: s = cmpivot_magic.connect(url, token=...); %cmpivot use s")
    host.use(args.name or session.url, session)
    return session


@magic_arguments("cmpivot connections")
def connections(host: Host, args: argparse.Namespace) -> pd.DataFrame:
    """The connections opened in this notebook, and which one is current."""
    return pd.DataFrame([{"Name": k, "URL": s.url, "Profile": s.profile, "Current": k == host.current}
                         for k, s in host.sessions.items()], columns=["Name", "URL", "Profile", "Current"])


@magic_arguments("cmpivot devices")
def devices(host: Host, args: argparse.Namespace) -> pd.DataFrame:
    """The current connection's devices, with whether each is online."""
    return host.session().devices()


@magic_arguments("cmpivot collections")
def collections(host: Host, args: argparse.Namespace) -> pd.DataFrame:
    """The current connection's collections."""
    return host.session().collections()


# ------------------------------------------------------------------------------------ the language


def _catalog(host: Host) -> catalog.Catalog:
    """The current connection's catalog (its site's own classes included), else the documented one;
    never opens a connection only to list entities."""
    if host.current is None:
        return catalog.DOCUMENTED
    return host.session().catalog


@magic_arguments("cmpivot entities")
@argument("pattern", nargs="?", default="", help="a part of the name or the description")
@argument("--refresh", action="store_true", help="read the site's inventory classes again")
def entities(host: Host, args: argparse.Namespace) -> pd.DataFrame:
    """The entities a query can start from on the current connection, with their kind and descriptions."""
    found = host.session().refresh_catalog() if args.refresh else _catalog(host)
    return entity_frame(found, args.pattern)


@magic_arguments("cmpivot schema")
@argument("entity", nargs="?", help="an entity name, e.g. Process")
def schema(host: Host, args: argparse.Namespace) -> pd.DataFrame:
    """The columns of one entity, with their types and units."""
    if not args.entity:
        raise CMPivotError("%cmpivot schema needs an entity name", hint="for example: %cmpivot schema Process")
    try:
        entity = _catalog(host).entity(args.entity)
    except KeyError as err:
        raise CMPivotError(str(err.args[0])) from None
    return pd.DataFrame([{"Column": c.name, "Type": str(c.type), "Unit": c.unit or "", "Note": c.note or ""}
                         for c in entity.columns])


@magic_arguments("cmpivot help")
@argument("topic", nargs="?", help="a help topic, or a subcommand to show its options")
def help_(host: Host, args: argparse.Namespace) -> None:
    """Print the magic's usage, a guide (operators, functions, entities, permissions, ...) or a subcommand's options."""
    print(help_text(args.topic, {name: command.help for name, command in SUBCOMMANDS.items()}))


@magic_arguments("cmpivot config")
def config(host: Host, args: argparse.Namespace) -> pd.DataFrame:
    """Every setting, its value and where the value came from (%config, pyproject.toml, environment)."""
    return pd.DataFrame([{"Setting": k, "Value": v, "From": where} for k, v, where in host.settings()])


# ------------------------------------------------------------------------------------ history


@magic_arguments("cmpivot history")
@argument("n", nargs="?", type=int, default=20, help="how many operations (default 20)")
@argument("--actions", action="store_true",
          help="the writes instead: collections created, favorites saved, scripts run (what, devices, when, who)")
def history(host: Host, args: argparse.Namespace) -> pd.DataFrame:
    """The latest operations kept, newest first (their ids go to %cmpivot resume); the latest
    writes (collections, favorites, script runs) are shown above them, or alone with --actions."""
    store = host.session().history
    if store is None:
        raise CMPivotError("history is off", hint=_HISTORY_OFF)
    actions = store.actions(args.n)
    if args.actions:
        return actions
    if len(actions):
        from IPython.display import HTML, display

        display(HTML("<b>Writes</b> (collections, favorites, script runs; %cmpivot history --actions)"))
        display(actions)
    return store.operations(args.n)


@magic_arguments("cmpivot resume")
@argument("operation", nargs="?", help="an operation id from %%cmpivot history")
def resume(host: Host, args: argparse.Namespace) -> Any:
    """Follow a kept operation again (on its own connection) and show its result as _cmpivot; a
    script run's id (from %cmpivot history --actions) gives its result back."""
    if not args.operation or not args.operation.isdigit():
        raise CMPivotError("%cmpivot resume needs an operation id", hint="%cmpivot history lists them")
    store = host.session().history or open_default()
    if store is None:
        raise CMPivotError("history is off", hint=_HISTORY_OFF)
    try:
        stored = store.operation(int(args.operation))
    except CMPivotError:  # not a query: a script run (kept as an action) resumes too
        connection = store.action_of(int(args.operation))[0]
        return host.session(connection).resume_script(int(args.operation)).result()
    operation = host.session(stored.connection).resume(stored.operation_id)
    host.follow(operation)
    host.deliver(operation.result())


# ------------------------------------------------------------------------------------ favorites


@magic_arguments("cmpivot favorites")
def favorites(host: Host, args: argparse.Namespace) -> pd.DataFrame:
    """The current connection's favorites: the site's (Store 'site', shared with the console) and the local ones."""
    return host.session().favorites()


@magic_arguments("cmpivot favorite")
@argument("verb", nargs="?", help="save (the last query) or delete")
@argument("name", nargs="?", help="the favorite's name (quote a name with spaces)")
@argument("--tags", help="comma-separated tags (save)")
def favorite(host: Host, args: argparse.Namespace) -> str:
    """Save the last query (``_cmpivot``) as favorite NAME, or delete favorite NAME; run one with
    ``%%cmpivot --favorite NAME``."""
    if args.verb not in ("save", "delete") or not args.name:
        raise CMPivotError("%cmpivot favorite needs 'save NAME' or 'delete NAME'",
                           hint='for example: %cmpivot favorite save "Low disk"')
    session = host.session()
    if args.verb == "delete":
        return f"deleted favorite '{args.name}' ({session.delete_favorite(args.name)})"
    last = host.namespace.get("_cmpivot")
    if not isinstance(last, QueryResult):
        raise CMPivotError("there is no last query to save", hint="run a %%cmpivot cell first")
    tags = [t.strip() for t in (args.tags or "").split(",") if t.strip()]
    where = session.save_favorite(args.name, last.query.text, tags=tags)
    return f"saved favorite '{args.name}' ({where})"


# ------------------------------------------------------------------------------------ the table


@dataclass(frozen=True)
class Subcommand:
    """A subcommand's function and the parser its ``magic_arguments`` built."""

    name: str
    run: Callable[..., Any]
    parser: argparse.ArgumentParser
    takes_extra: bool = False  # connect: options the parser does not declare go to the backend

    @classmethod
    def of(cls, fn: Any, *, takes_extra: bool = False) -> Subcommand:
        parser = fn.parser
        return cls(parser.prog.split()[-1], fn, parser, takes_extra)

    @property
    def usage(self) -> str:
        """``%cmpivot connect [--name NAME] [--profile PROFILE] [url]``."""
        return self.parser.format_usage().removeprefix("::").strip()

    @property
    def summary(self) -> str:
        return (self.parser.description or "").strip().splitlines()[0]

    @property
    def help(self) -> str:
        """The usage, the docstring and the options, as ``%cmpivot help NAME`` prints them."""
        return self.parser.format_help().removeprefix("::").strip()

    def __call__(self, host: Host, words: Sequence[str]) -> Any:
        extra: list[str] = []
        try:
            if self.takes_extra:
                args, extra = self.parser.parse_known_args(list(words))
            else:
                args = self.parser.parse_args(list(words))
        except UsageError as err:  # argparse's message, as a CMPivotError like every input error
            raise CMPivotError(f"%cmpivot {self.name}: {err}",
                               hint=f"%cmpivot help {self.name} shows its options") from None
        return self.run(host, args, extra) if self.takes_extra else self.run(host, args)


SUBCOMMANDS: Mapping[str, Subcommand] = {command.name: command for command in (
    Subcommand.of(connect, takes_extra=True), Subcommand.of(use), Subcommand.of(connections),
    Subcommand.of(devices), Subcommand.of(collections), Subcommand.of(entities), Subcommand.of(schema),
    Subcommand.of(help_), Subcommand.of(config), Subcommand.of(history), Subcommand.of(resume),
    Subcommand.of(favorites), Subcommand.of(favorite),
)}


def overview() -> str:
    """Every subcommand's usage and first docstring line: the end of ``%cmpivot?``."""
    # an empty first line: IPython's help formatter dedents all lines but an unindented first one
    lines = ["", "Subcommands (line magic; %cmpivot help NAME shows one's options):"]
    for command in SUBCOMMANDS.values():
        lines += [f"  {command.usage}", f"      {command.summary}"]
    return "\n".join(lines)
