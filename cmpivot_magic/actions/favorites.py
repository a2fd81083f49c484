"""CMPivot favorites: on a site, its ``SMS_CMPivotFavorite`` (shared with the console); elsewhere a
local store.

Where they live:

- an AdminService site: the site's favorites, so one saved here is listed in the console and from
  any later connection. Where the site refuses (an old site without the class, a role without the
  right), favorites go to the local store instead and the listing says so.
- ``local://``, ``demo://`` and refused sites: ``favorites.json`` in the user data folder beside the
  history (``<history folder>/favorites.json``), or ``$CMPIVOT_MAGIC_FAVORITES``; with history off
  and no such variable, favorites are kept in memory for this process.

Tags: ``SMS_CMPivotFavorite`` has no tags (the admin center's tags are not synced to the console),
so the tags of a site favorite are kept in the local store, keyed by site URL and favorite name; the
listing joins them. ``Store`` says where each favorite lives: ``site`` or ``local``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..backends.base import CAPABILITIES
from ..errors import BackendError, CMPivotError, PermissionDeniedError, did_you_mean
from ..language.links import query_text
from .common import Actor, record, who

COLUMNS = ["Name", "Query", "Tags", "Owner", "Modified", "Store"]
ENV = "CMPIVOT_MAGIC_FAVORITES"
_MEMORY: dict[str, Any] = {"favorites": [], "tags": {}}
"""The store when there is no folder for it (history off): this process only."""


def store_path(session: Actor) -> Path | None:
    """``$CMPIVOT_MAGIC_FAVORITES``, else ``favorites.json`` in the history folder, else None (memory)."""
    override = os.environ.get(ENV)
    if override:
        return Path(override).expanduser()
    store = session.history
    return store.root / "favorites.json" if store is not None else None


def _load(path: Path | None) -> dict[str, Any]:
    if path is None:
        return _MEMORY
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"favorites": [], "tags": {}}
    except (OSError, ValueError) as err:
        raise CMPivotError(f"cannot read the favorites in {path}: {err}", hint=f"fix or remove {path}") from None
    return {"favorites": list(data.get("favorites") or []), "tags": dict(data.get("tags") or {})}


def _save(path: Path | None, data: dict[str, Any]) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, path)  # whole file or none


def _site(session: Actor) -> Any | None:
    backend = session.backend
    return backend if all(callable(getattr(backend, m, None)) for m in CAPABILITIES["favorites"]) else None


def _tag_key(session: Actor, name: str) -> str:
    return f"{session.url}|{name.lower()}"


def _site_rows(session: Actor) -> list[dict[str, object]] | None:
    """The site's favorites, or None where the site refuses (then the local store stands in)."""
    site = _site(session)
    if site is None:
        return None
    try:
        rows: list[dict[str, object]] = site.site_favorites()
        return rows
    except BackendError as err:
        if _local_instead(err):
            return None
        raise


def _local_instead(err: BackendError) -> bool:
    """Whether the local store stands in: the site refuses (RBAC) or has no SMS_CMPivotFavorite (404)."""
    return isinstance(err, PermissionDeniedError) or "(404)" in err.message


def favorites(session: Actor) -> pd.DataFrame:
    """Name, Query, Tags, Owner, Modified, Store (``site`` or ``local``), by name."""
    data = _load(store_path(session))
    rows = [{"Name": r["Name"], "Query": r["Query"], "Tags": list(data["tags"].get(_tag_key(session, str(r["Name"])), [])),
             "Owner": r.get("Owner", ""), "Modified": r.get("Modified", ""), "Store": "site"}
            for r in _site_rows(session) or []]
    rows += [{**{k: f.get(k.lower(), "") for k in COLUMNS[:5]}, "Tags": list(f.get("tags") or []), "Store": "local"}
             for f in data["favorites"]]
    return pd.DataFrame(rows, columns=COLUMNS).sort_values("Name", key=lambda s: s.str.lower(),
                                                           kind="stable").reset_index(drop=True)


def save_favorite(session: Actor, name: str, query: str, tags: Sequence[str] = ()) -> str:
    """Save (or update) a favorite; return where it went: ``"site"`` or ``"local"``."""
    name, text = name.strip(), query_text(query)
    if not name or not text.strip():
        raise CMPivotError("a favorite needs a name and a query", hint="save_favorite('Low disk', 'Disk | ...')")
    if isinstance(tags, str):
        tags = [tags]
    path = store_path(session)
    data = _load(path)
    where = "local"
    site = _site(session)
    if site is not None:
        try:
            site.save_site_favorite(name, text)  # written straight away: no read of the site's list first
            where = "site"
            data["tags"][_tag_key(session, name)] = list(tags)
        except BackendError as err:
            if not _local_instead(err):
                raise
    if where == "local":
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        data["favorites"] = [f for f in data["favorites"] if f["name"].lower() != name.lower()]
        data["favorites"].append({"name": name, "query": text, "tags": list(tags), "owner": who(session),
                                  "modified": now})
    _save(path, data)
    record(session, "save favorite", name, detail={"store": where, "query": text, "tags": list(tags)})
    return where


def delete_favorite(session: Actor, name: str) -> str:
    """Delete a favorite by name (the site's first, else the local one); return its store."""
    path = store_path(session)
    data = _load(path)
    for row in _site_rows(session) or []:
        if str(row["Name"]).lower() == name.strip().lower():
            _site(session).delete_site_favorite(int(str(row["Id"])))  # type: ignore[union-attr]
            data["tags"].pop(_tag_key(session, name), None)
            _save(path, data)
            record(session, "delete favorite", str(row["Name"]), detail={"store": "site"})
            return "site"
    kept = [f for f in data["favorites"] if f["name"].lower() != name.strip().lower()]
    if len(kept) == len(data["favorites"]):
        raise CMPivotError(f"no favorite named '{name}'", hint="Session.favorites() or %cmpivot favorites lists them")
    data["favorites"] = kept
    _save(path, data)
    record(session, "delete favorite", name, detail={"store": "local"})
    return "local"


def favorite_query(session: Actor, name: str) -> str:
    """The query of the favorite named ``name`` (any case)."""
    frame = favorites(session)
    found = frame[frame["Name"].str.lower() == name.strip().lower()]
    if found.empty:
        raise CMPivotError(f"no favorite named '{name}'",
                           hint=did_you_mean(name, frame["Name"].tolist()) or "%cmpivot favorites lists them")
    return str(found.iloc[0]["Query"])
