"""``connect(url) -> Session``: the one pipeline every entry point goes through.

``Session.submit`` composes the stages: parse and plan (errors before anything is sent), apply
the connection's profile rules, resolve the target devices, send each device the device part,
and return an ``Operation`` that streams replies; ``Operation.result()`` evaluates the global
part over the union of the replies. ``Session.run`` is ``submit(...).result()``.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from ._bulk import bulk
from .actions import collections as _collections
from .actions import favorites as _favorites
from .actions import scripts as _scripts
from .backends.base import (
    Backend,
    DeviceRequest,
)
from .backends.cached_rows import cached_rows, needs_cached
from .backends.targets import requested_collection
from .catalog import DOCUMENTED, Catalog
from .catalog.listing import entity_frame
from .engine import frames
from .engine.plan import DEVICE, HIDDEN_DEVICE, Join
from .errors import CMPivotError, QuerySemanticError
from .history import DEFAULT_HISTORY, Default, HistoryStore, default_root, history_option, open_default
from .language.dialect import dialect_named
from .language.limits import recursion_guard
from .operation import Operation, Progress, combine
from .query import Query, evaluate, parse
from .results import QueryResult, set_connector

PROFILES = ("onprem", "tenant-attach")
ONPREM_TIMEOUT = 3600.0  # a CMPivot operation lives one hour on-prem …
TENANT_ATTACH_TIMEOUT = 600.0  # … and ten minutes from the Intune admin center
CONSOLE_ONLY_MESSAGE = "the Intune admin center does not support {what}; it runs only from the ConfigMgr console"


def connect(url: str = "local://", *, profile: str = "onprem",
            history: HistoryStore | Default | str | Path | None = DEFAULT_HISTORY, **options: Any) -> Session:
    """Connect to a site: ``local://`` (this machine), ``demo://?devices=200&seed=7`` (a simulated
    site) or ``https://<provider>/AdminService``. ``profile="tenant-attach"`` applies the Intune
    admin center's rules to every query. ``history`` is where operations are kept
    (``DEFAULT_HISTORY``, also spelled ``"default"``: the user data folder or
    ``$CMPIVOT_MAGIC_HISTORY_DIR``; a path; a ``HistoryStore``; or None for no history).
    ``record="site.json"`` records an AdminService session, scrubbed; ``replay:///abs/site.json``
    replays one offline (keeping no history unless ``history`` is a path)."""
    if profile not in PROFILES:
        raise CMPivotError(f"unknown profile {profile!r}", hint=f"profiles are: {', '.join(PROFILES)}")
    scheme = urlsplit(url).scheme.lower()
    backend: Backend
    if scheme == "demo":
        from .backends.demo import DemoBackend

        backend = DemoBackend.from_url(url, profile=profile, **options)
    elif scheme == "local":
        from .backends.local import LocalBackend

        backend = LocalBackend.from_url(url, profile=profile, **options)
    elif scheme in ("http", "https", "replay"):
        from .backends.adminservice import AdminServiceBackend

        # options: token=, auth="negotiate", verify="root.pem", record="site.json", request_timeout=, ...
        backend = AdminServiceBackend.from_url(url, profile=profile, **options)
    else:
        raise CMPivotError(f"unknown connection {url!r}",
                           hint="use local://, demo:// or https://<provider>/AdminService")
    store = history_option(history)
    if scheme == "replay" and store is DEFAULT_HISTORY:
        store = None  # a replay keeps no history unless given a place for it
    if hasattr(backend, "catalog_cache"):
        backend.catalog_cache = _catalog_cache(store)
    return Session(backend, store)


def _catalog_cache(store: HistoryStore | Default | None) -> Path | None:
    """Where a site's inventory classes are kept: beside the history folder (none without history)."""
    root = store.root if isinstance(store, HistoryStore) else default_root() if store is DEFAULT_HISTORY else None
    return root.parent / "site-catalogs" if root is not None else None


class SiteCatalogWarning(UserWarning):
    """The site's own entity list could not be read: the documented list stands in (said once)."""


class Session:
    """A connection to a site (``connect(url)`` makes one): its devices and collections, and
    queries run on them through one pipeline.

    ``run(query)`` answers a query and ``submit(query)`` returns the ``Operation`` in flight (for
    progress and cancelling); ``resume(operation_id)`` re-attaches to one sent earlier. Every
    operation is kept in ``history`` as its replies stream in, unless history is off.

    Example::

        s = connect("demo://?devices=50", history=None)
        s.run("OS | summarize count() by Caption").df
    """

    def __init__(self, backend: Backend,
                 history: HistoryStore | Default | str | Path | None = DEFAULT_HISTORY) -> None:
        self.backend = backend
        self._history = history_option(history)
        self._catalog: Catalog | None = None

    @property
    def history(self) -> HistoryStore | None:
        """Where operations are persisted as they stream in (None when history is off)."""
        if self._history is DEFAULT_HISTORY:
            self._history = open_default()
        return self._history if isinstance(self._history, HistoryStore) else None

    @property
    def url(self) -> str:
        """The connection URL."""
        return self.backend.url

    @property
    def profile(self) -> str:
        """``"onprem"``, or ``"tenant-attach"`` for the Intune admin center's rules."""
        return self.backend.profile

    def __repr__(self) -> str:
        return f"Session({self.url!r}, profile={self.profile!r})"

    def devices(self) -> pd.DataFrame:
        """The devices you can target: one row each, with Name and ResourceId first."""
        return self.backend.devices()

    def collections(self) -> pd.DataFrame:
        """The collections you can target: CollectionID, Name, MemberCount, ..."""
        return self.backend.collections()

    @property
    def catalog(self) -> Catalog:
        """The entities this connection's queries may name (read once per session): the
        documented ones plus, on a site, its own inventory classes. ``catalog.open_world`` with
        ``catalog.note`` says the site's list could not be read: unknown entities are then sent
        and the site judges them."""
        if self._catalog is None:
            self._catalog = self._read_catalog(refresh=False)
        return self._catalog

    def _noted(self, found: Catalog) -> Catalog:
        if found.open_world and found.note:  # said once per reading of the site's list
            warnings.warn(f"{self.url}: {found.note}", SiteCatalogWarning, stacklevel=4)
        return found

    def refresh_catalog(self) -> Catalog:
        """Read the site's entity list again (``%cmpivot entities --refresh``)."""
        self._catalog = self._read_catalog(refresh=True)
        return self._catalog

    def _read_catalog(self, refresh: bool) -> Catalog:
        try:
            found = self.backend.catalog(refresh)
        except CMPivotError as err:
            found = DOCUMENTED.fallback(f"the site's entity list could not be read ({err.message}); using the "
                                        "documented entity list: queries on other entities are sent as written")
        return self._noted(found)

    def entities(self, pattern: str = "", *, refresh: bool = False) -> pd.DataFrame:
        """The entities a query can start from (``catalog.listing.ENTITY_COLUMNS``): builtin,
        scripted, inventory and, on a site, its custom inventory classes."""
        return entity_frame(self.refresh_catalog() if refresh else self.catalog, pattern)

    def prepare(self, query: str | Query) -> Query:
        """Parse and plan, then apply the profile's rules — everything that can fail before sending."""
        q = query if isinstance(query, Query) else parse(query, catalog=self.catalog)
        if q.catalog is not self.catalog and dialect_named(q.dialect).runs_on_devices:
            q = Query(q.text, q.ast, q.dialect, self.catalog)  # planned against this connection's entities
            q.plan  # noqa: B018  (plan now: errors belong before sending)
        if not dialect_named(q.dialect).runs_on_devices:
            raise CMPivotError("only cmpivot-dialect queries can be sent to devices",
                               hint="use cmpivot_magic.evaluate(..., dialect='kql') for local tables")
        if self.profile == "tenant-attach":
            _check_tenant_attach(q)
        return q

    def submit(self, query: str | Query, *, devices: Sequence[str] | str | None = None,
               collection: str | None = None, timeout: float | None = None, live_only: bool = False) -> Operation:
        """Send a query to devices and return at once with the ``Operation`` in flight.

        ``query`` is CMPivot text (or a parsed ``Query``); syntax and semantic errors are raised
        here, before anything is sent. The query goes to ``devices`` (names, any case) or to the
        members of ``collection`` (an ID such as ``"SMS00001"``, the default), not both.
        ``timeout`` (seconds) is capped by the profile's limit: one hour on-prem, ten minutes for
        tenant attach; devices that have not answered by then stay Pending in the result. Iterate
        ``operation.updates()`` for progress, or call ``operation.result()`` to wait for the answer.
        For an inventory entity, devices that are offline or have not answered by the end answer
        from their last hardware inventory (``status.Inventory`` says when); ``live_only=True``
        keeps only live answers.
        """
        q = self.prepare(query)
        if isinstance(devices, str):
            devices = [devices]
        wanted = list(devices) if devices is not None else None
        with bulk():  # a Target per device: 150,000 on a whole site
            targets = self.backend.resolve(wanted, collection)
        if self.profile == "tenant-attach" and len(targets) != 1:
            raise CMPivotError(
                f"the Intune admin center queries a single device, but {len(targets)} are targeted",
                hint="pass devices=['NAME'] with one device",
            )
        limit = TENANT_ATTACH_TIMEOUT if self.profile == "tenant-attach" else ONPREM_TIMEOUT
        timeout = min(timeout, limit) if timeout is not None else limit
        now = dt.datetime.now(dt.UTC)
        request = DeviceRequest(q, targets, timeout, now, requested_collection(wanted, collection))
        with recursion_guard(q.text, q.ast):  # local backends evaluate the device part right here
            operation = Operation(self, request, self.backend.submit(request), live_only=live_only)
        if self.history is not None:
            with bulk():
                self.history.start(operation.id, self.url, q.text, targets, request.collection, now, timeout)
        return operation

    def resume(self, operation_id: int) -> Operation:
        """Re-attach to an operation started earlier (in this process or before a kernel restart)
        and keep collecting: devices already stored are not asked again."""
        store = self.history
        if store is None:
            raise CMPivotError("history is off, so there is nothing to resume",
                               hint="unset CMPIVOT_MAGIC_HISTORY_DIR=off to keep operations")
        stored = store.operation(operation_id)
        if stored.connection != self.url:
            raise CMPivotError(f"operation {operation_id} ran on {stored.connection}, not {self.url}",
                               hint=f"connect({stored.connection!r}).resume({operation_id})")
        request = DeviceRequest(self.prepare(stored.query), stored.targets, stored.timeout, stored.now,
                                stored.collection)
        done = store.replies(operation_id)
        handle = self.backend.resume(operation_id, request, set(done))
        operation = Operation(self, request, handle, started=stored.now)
        operation.restore(done)
        return operation

    def run(self, query: str | Query, *, devices: Sequence[str] | str | None = None,
            collection: str | None = None, timeout: float | None = None, live_only: bool = False) -> QueryResult:
        """Run a query on devices and return its answer once they have replied (or the timeout
        passed): ``submit(...).result()``.

        The result's ``df`` holds the rows (Device first), ``status`` one row per targeted device
        (Completed, Truncated, Failed with its error, Offline or Pending) and ``summary`` the
        status-bar line. Targets and timeout are as for ``submit``::

            session.run("Disk | where FreeSpace < 10 * 1024 * 1024 * 1024", collection="SMS00001")
        """
        return self.submit(query, devices=devices, collection=collection, timeout=timeout,
                           live_only=live_only).result()

    def retry(self, result: QueryResult, *, offline: bool = True, failed: bool = True, pending: bool = True,
              timeout: float | None = None, live_only: bool = False) -> QueryResult:
        """Ask only the devices of ``result`` that were offline, failed or pending again, through
        this session; a new result with their fresh rows merged in and the whole query re-combined
        over every device's rows (devices that answered before are not queried again). Devices still
        without a live answer answer from inventory, as in ``run``, unless ``live_only``."""
        if not result.targets or result.now is None:
            raise CMPivotError("this result does not say which devices it was sent to, so it cannot be retried",
                               hint="results from Session.run or %%cmpivot can be retried")
        wanted = {s for s, on in (("Offline", offline), ("Failed", failed), ("Pending", pending)) if on}
        again = result.status.loc[result.status["Status"].isin(wanted), "Device"].tolist()
        if not again:
            return result
        op = self.submit(result.query, devices=again, timeout=timeout, live_only=True)  # cached rows: below
        op.result()
        merged = {**result.replies, **op.replies}
        request = DeviceRequest(query=result.query, targets=result.targets, timeout=op.request.timeout, now=result.now)
        # devices still without a live answer keep answering from inventory, as they did before
        cached = {} if live_only else cached_rows(self.backend, request,
                                                  [t for t in result.targets if needs_cached(t, merged)])
        return combine(self, request, op.id, merged, "did not answer the retry before the timeout", cached)

    def requery(self, result: QueryResult, text: str) -> QueryResult:
        """Evaluate another query over the rows ``result``'s devices already sent, without asking
        them again (CMPivot's "Run query" re-evaluation). The rows are the stored query's device
        part, so a query over the same entity can filter, summarize or chart them differently."""
        plan = result.query.plan
        if any(isinstance(s.step, Join) for s in plan.device_part):
            raise CMPivotError("this result joined several entities; requery works on one entity's rows",
                               hint="run the new query on the devices instead")
        entity = next(plan.scans()).table
        q = parse(text, catalog=self.catalog)
        wanted = {s.table for s in q.plan.scans()}
        if wanted != {entity}:
            raise CMPivotError(f"the stored rows are {entity} rows; this query reads {', '.join(sorted(wanted))}",
                               hint="run it on the devices instead")
        rows = frames.union([r.rows for r in result.replies.values() if r.rows is not None], plan.device_schema)
        if plan.device_schema.device == HIDDEN_DEVICE:
            rows = rows.rename({HIDDEN_DEVICE: DEVICE})
        try:
            df = evaluate(q, {entity: rows}, now=result.now)
        except CMPivotError as err:
            raise CMPivotError(f"cannot re-evaluate over the stored rows: {err.message}",
                               hint=f"the stored rows have: {', '.join(c for c in rows.columns)}") from None
        return QueryResult(df=df, status=result.status, query=q, operation_id=result.operation_id,
                           connection=result.connection, chart_spec=q.plan.render, replies=result.replies,
                           targets=result.targets, now=result.now)

    # ------------------------------------------------------------------ acting on results (actions/)

    def favorites(self) -> pd.DataFrame:
        """Saved queries: Name, Query, Tags, Owner, Modified, Store (``site``: the site's CMPivot
        favorites, shared with the console; ``local``: the user data folder). See actions/favorites.py."""
        return _favorites.favorites(self)

    def save_favorite(self, name: str, query: str, tags: Sequence[str] = ()) -> str:
        """Save a query (or a query link) as favorite ``name``; returns ``"site"`` or ``"local"``."""
        return _favorites.save_favorite(self, name, query, tags)

    def delete_favorite(self, name: str) -> str:
        """Delete favorite ``name``; returns the store it was in."""
        return _favorites.delete_favorite(self, name)

    def favorite(self, name: str) -> str:
        """The query text of favorite ``name`` (run it with ``run(session.favorite(name))``)."""
        return _favorites.favorite_query(self, name)

    def create_collection(self, name: str, devices: Sequence[str] | str, limit_to: str = "SMS00001",
                          comment: str = "") -> str:
        """Create a device collection with a direct rule per device (names); its CollectionID.
        From a result: ``session.create_collection(name, result.device_names())`` or
        ``result.create_collection(name, session=session)``. Needs Create on Collection."""
        return _collections.create_collection(self, name, devices, limit_to, comment)

    def scripts(self) -> pd.DataFrame:
        """The site's scripts you may run: Name, Guid, Approval, Approved, Parameters, Description."""
        return _scripts.scripts(self)

    def run_script(self, script: str, *, devices: Sequence[str] | str | None = None, collection: str | None = None,
                   parameters: dict[str, Any] | None = None, timeout: float | None = None) -> _scripts.ScriptOperation:
        """Start an approved script (name or GUID) on devices or a collection; ``.result()`` waits for
        one status row and output per device. Unapproved scripts are refused before sending."""
        return _scripts.run_script(self, script, devices=devices, collection=collection, parameters=parameters,
                                   timeout=timeout)

    def resume_script(self, operation_id: int) -> _scripts.ScriptOperation:
        """Re-attach to a script run kept in history (devices stored already are not asked again)."""
        return _scripts.resume_script(self, operation_id)


def _check_tenant_attach(q: Query) -> None:
    for scan in q.plan.scans():
        entity = (q.catalog or DOCUMENTED).find_entity(scan.table)
        if entity is not None and entity.console_only:
            raise QuerySemanticError(CONSOLE_ONLY_MESSAGE.format(what=f"the {entity.name} entity"),
                                     hint="run it from the ConfigMgr console, or on-prem with profile='onprem'")
    if q.plan.render is not None:
        raise QuerySemanticError(CONSOLE_ONLY_MESSAGE.format(what="render"),
                                 hint="remove '| render ...'; the rows are the same without it")


set_connector(connect)  # QueryResult.create_collection without a session connects to result.connection

__all__ = ["Operation", "Progress", "Session", "SiteCatalogWarning", "connect"]
