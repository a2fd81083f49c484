"""``https://<provider>/AdminService``: the backend for real ConfigMgr sites (and the emulator).

``AdminServiceBackend.from_url(url, token=..., auth=..., verify=...)`` builds a ``requests.Session``
(credentials from ``auth/``, TLS verification on, ``verify=`` the site's root CA) and hands it
to ``AdminServiceClient``; pass ``session=`` to use one of your own (a test double). ``record=``
wraps it in a ``RecordingSession``, and a ``replay://`` URL gets a ``ReplaySession`` instead
(``recording/``): chosen here, before the client is built.

What it sends: only the query's device part (``query.device_query``) — the global part runs in
the session over the union of the devices' rows, as with every backend. Where:

- a collection (``collection="SMS00001"``, the default; ``DeviceRequest.collection``) → one
  collection-route operation;
- devices by name → one device-route operation per device. The AdminService has no multi-device
  route; a temporary collection would need collection-write rights most CMPivot users lack,
  waits for membership evaluation and is left behind if the notebook dies, and a covering
  collection would send the query to devices nobody picked. Selections above
  ``max_device_operations`` devices are refused with a pointer to collections.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import polars as pl
import requests

from ...catalog import Catalog, Entity
from ...errors import CMPivotError
from ..base import DeviceRequest, Target
from ..targets import DEFAULT_COLLECTION, check_target_args, resolve_device_names
from .actions import SiteActions
from .auth.credentials import Credentials
from .auth.options import MSAL_OPTIONS, credentials_for
from .client import AdminServiceClient, get_field
from .inventory import read_inventory_rows
from .operation import AdminServiceOperation, CollectionOperation, DevicesOperation, PollPolicy
from .recording.record import RecordingSession, recording_session
from .recording.replay import replay_options
from .rows import parse_datetime
from .site_catalog import read_site_catalog
from .transport import Policy

OPTIONS = ("token", "auth", "verify", "session", "record", "request_timeout", "retries", "backoff", "max_rate",
           "poll_interval", "max_device_operations", *MSAL_OPTIONS)
DEVICE_COLUMNS = ("Name", "ResourceId", "Domain", "UserName", "OSCaption", "ClientVersion", "IsClient",
                  "IsOnline", "LastActiveTime")


class AdminServiceBackend:
    """Devices, collections and CMPivot operations of one site's AdminService."""

    def __init__(self, url: str, profile: str, client: AdminServiceClient, poll: PollPolicy | None = None,
                 *, max_device_operations: int = 100, recording: RecordingSession | None = None) -> None:
        self.url, self.profile, self.client = url, profile, client
        self.recording = recording
        """The session recording this backend's exchanges (``record=``), else None."""
        self.poll_policy = poll or PollPolicy()
        self.max_device_operations = max_device_operations
        self._devices: pd.DataFrame | None = None
        self.operations: list[AdminServiceOperation] = []
        actions = SiteActions(client)  # collections, favorites, scripts (actions.py)
        self.create_collection, self.add_members = actions.create_collection, actions.add_members
        self.site_favorites, self.save_site_favorite = actions.site_favorites, actions.save_site_favorite
        self.delete_site_favorite, self.scripts = actions.delete_site_favorite, actions.scripts
        self.run_script, self.resume_script = actions.run_script, actions.resume_script
        self.catalog_cache: Path | None = None
        """Where the site's inventory classes are kept between connections (None: not kept)."""
        self._catalog: Catalog | None = None

    def catalog(self, refresh: bool = False) -> Catalog:
        """The documented entities plus the site's inventory classes, read once per connection
        (and kept in ``catalog_cache``); the documented list, open world, where they cannot be read."""
        if self._catalog is None or refresh:
            self._catalog = read_site_catalog(self.client, cache_dir=self.catalog_cache, refresh=refresh)
        return self._catalog

    def inventory_rows(self, entity: Entity, targets: Sequence[Target], now: dt.datetime) -> pl.DataFrame | None:
        """The devices' rows from the site's last hardware inventory, in batches (``inventory.py``)."""
        return read_inventory_rows(self.client, entity, targets)

    @classmethod
    def from_url(cls, url: str, *, profile: str = "onprem", **options: Any) -> AdminServiceBackend:
        """Options (all keyword, all optional):

        - ``token`` — a bearer token, or a function returning a current one (called again on 401);
        - ``auth`` — ``"negotiate"`` (Kerberos; the ``negotiate`` extra), ``"msal"`` (an Entra ID sign-in; the
          ``entra`` extra; with ``tenant``, ``client_id``, ``app_id_uri`` or ``scope``, and optionally
          ``authority``, ``flow``, ``cache``, ``username``, ``prompt`` — see ``auth/msal.py``), or a
          ``requests`` auth object;
        - ``verify`` — True (default: the system's CAs), the path of the site's root CA (PEM), or False;
        - ``session`` — a ``requests.Session`` to use as it is (its auth and verify included);
        - ``record`` — a path (or a ``RecordingSession``) to record the exchanges to, under pseudonyms;
        - ``request_timeout`` — seconds per request, or ``(connect, read)``; default (10, 60);
        - ``retries``, ``backoff``, ``max_rate`` — see ``transport.Policy``;
        - ``poll_interval`` — ``(first, cap)`` seconds between polls; default (2, 10);
        - ``max_device_operations`` — most devices picked by name in one query (default 100).

        ``replay:///abs/path/site.json`` replays a recording instead, offline.
        """
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise CMPivotError(f"unknown AdminService option {unknown[0]!r}", hint=f"options are: {', '.join(OPTIONS)}")
        if urlsplit(url).scheme.lower() == "replay":
            url, options = replay_options(url, options)
        base = base_url(url)
        session: requests.Session | None = options.get("session")
        if session is None:
            session = requests.Session()
            verify = options.get("verify", True)
            session.verify = verify if isinstance(verify, bool) else str(verify)
            session.auth = credentials_for(base, token=options.get("token"), auth=options.get("auth"),
                                           verify=session.verify,
                                           msal={k: options[k] for k in MSAL_OPTIONS if options.get(k) is not None})
            session.headers.update({"Accept": "application/json"})
        recording = session if isinstance(session, RecordingSession) else None
        if options.get("record") is not None:
            session = recording = recording_session(options["record"], session, base)
        timeout = options.get("request_timeout")
        connect, read = (timeout if isinstance(timeout, tuple) else (min(10.0, float(timeout)), float(timeout))) \
            if timeout is not None else (Policy.connect_timeout, Policy.read_timeout)
        policy = Policy(connect_timeout=connect, read_timeout=read,
                        retries=int(options.get("retries", Policy.retries)),
                        backoff=float(options.get("backoff", Policy.backoff)),
                        max_rate=float(options.get("max_rate", Policy.max_rate)))
        first, cap = options.get("poll_interval") or (PollPolicy.first, PollPolicy.cap)
        client = AdminServiceClient(base, session, policy, profile=profile)
        return cls(base, profile, client, PollPolicy(first=float(first), cap=float(cap)),
                   max_device_operations=int(options.get("max_device_operations", 100)), recording=recording)

    def __repr__(self) -> str:
        return f"AdminServiceBackend({self.url!r}, profile={self.profile!r})"

    @property
    def credentials(self) -> Credentials:
        """Who the requests say they come from (after ``auth="msal"``: ``.user``, ``.sign_out()``)."""
        return self.client.transport.credentials

    # --------------------------------------------------------------------------- inventory

    def devices(self) -> pd.DataFrame:
        """One row per device: Name, ResourceId, Domain, UserName, OSCaption, ClientVersion,
        IsClient, IsOnline (``CNIsOnline``), LastActiveTime."""
        states = {}
        for row in self.client.device_states():
            rid = get_field(row, "ResourceID")
            if rid is not None:
                states[int(rid)] = row
        records = []
        for row in self.client.devices():
            rid = get_field(row, "MachineId") if get_field(row, "MachineId") is not None else get_field(row, "ResourceId")
            if rid is None:
                continue
            state = states.get(int(rid), {})

            def pick(*names: str, _row: dict[str, Any] = row, _state: dict[str, Any] = state) -> Any:
                for source in (_state, _row):
                    for name in names:
                        value = get_field(source, name)
                        if value not in (None, ""):
                            return value
                return None

            online = pick("CNIsOnline")
            active = pick("LastActiveTime")
            records.append((str(pick("Name")), int(rid), pick("Domain", "ResourceDomainOrWorkgroup"),
                            pick("UserName", "LastLogonUserName"), pick("DeviceOS", "OperatingSystemNameandVersion"),
                            pick("ClientVersion"), _flag(pick("IsClient", "Client")), _flag(online),
                            parse_datetime(active) if active is not None else None))
        frame = pd.DataFrame.from_records(records, columns=list(DEVICE_COLUMNS))
        frame["ResourceId"] = frame["ResourceId"].astype("int64")
        frame["IsOnline"] = frame["IsOnline"].astype("boolean")
        frame["IsClient"] = frame["IsClient"].astype("boolean")
        frame["LastActiveTime"] = pd.to_datetime(frame["LastActiveTime"], utc=True)
        self._devices = frame
        return frame.copy()

    def collections(self) -> pd.DataFrame:
        rows = self.client.collections()
        records = [(str(get_field(r, "CollectionID")), get_field(r, "Name"), int(get_field(r, "MemberCount") or 0),
                    get_field(r, "Comment")) for r in rows]
        return pd.DataFrame.from_records(records, columns=["CollectionID", "Name", "MemberCount", "Comment"])

    def collection_members(self, collection_id: str) -> tuple[Target, ...]:
        rows = self.client.collection_members(collection_id)
        targets = {int(get_field(r, "ResourceID")): str(get_field(r, "Name")) for r in rows}
        return tuple(Target(name, rid) for rid, name in sorted(targets.items()))

    def resolve(self, devices: Sequence[str] | None, collection: str | None) -> tuple[Target, ...]:
        check_target_args(devices, collection)
        if devices is not None:
            return self._resolve_names(devices)
        collection = (collection or DEFAULT_COLLECTION).upper()
        targets = self.collection_members(collection)
        if not targets:
            if not self.client.collection_exists(collection):
                ids = ", ".join(self.collections()["CollectionID"].head(8))
                raise CMPivotError(f"no collection '{collection}' on {self.url}", hint=f"collections: {ids}, …")
            raise CMPivotError(f"collection '{collection}' has no members", hint="pick another collection")
        return targets

    def _resolve_names(self, names: Sequence[str]) -> tuple[Target, ...]:
        known = self._devices if self._devices is not None else self.devices()
        return resolve_device_names(names, known, self.url)

    # ------------------------------------------------------------------------------ queries

    def submit(self, request: DeviceRequest) -> AdminServiceOperation:
        """One collection-route operation when the request addresses a collection (on-prem), else
        one device-route operation per device (the Intune admin center queries one device)."""
        operation: AdminServiceOperation
        if request.collection is not None and self.profile != "tenant-attach":
            operation = CollectionOperation(self.client, request, request.collection.upper(), self.poll_policy)
        else:
            if len(request.targets) > self.max_device_operations:
                raise CMPivotError(
                    f"{len(request.targets)} devices were picked by name; each needs its own operation on the site",
                    hint=f"query a collection instead (collection='...'), or pick at most "
                         f"{self.max_device_operations} devices (max_device_operations= raises the limit)")
            operation = DevicesOperation(self.client, request, self.poll_policy)
        self.operations.append(operation)
        return operation


    def resume(self, operation_id: int, request: DeviceRequest, answered: set[int]) -> AdminServiceOperation:
        """Re-attach to an operation already on the site (after a kernel restart): its status says
        which collection it targets; results are read again from the start, leaving out the rows of
        the devices in ``answered`` (the session has them)."""
        status = self.client.operation_status([operation_id]).get(operation_id)
        if status is None:
            raise CMPivotError(f"the site no longer knows CMPivot operation {operation_id}",
                               hint="operations expire an hour after they are sent; run the query again")
        operation: AdminServiceOperation
        if status.collection_id:
            operation = CollectionOperation(self.client, request, status.collection_id, self.poll_policy,
                                            operation_id=operation_id, known=answered)
        elif len(request.targets) == 1:
            operation = DevicesOperation(self.client, request, self.poll_policy,
                                         operations={operation_id: request.targets[0]})
        else:
            raise CMPivotError(f"operation {operation_id} was one of {len(request.targets)} device operations; "
                               "only collection and single-device operations can be resumed",
                               hint="run the query again, or target a collection")
        self.operations.append(operation)
        return operation


def base_url(url: str) -> str:
    """``https://cm01`` → ``https://cm01/AdminService``; query and fragment dropped."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/AdminService"
    return urlunsplit((parts.scheme.lower(), parts.netloc, path, "", ""))


def _flag(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


__all__ = ["AdminServiceBackend", "base_url"]
