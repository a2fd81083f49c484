"""A site's catalog read through the AdminService, once per connection, kept on disk per site.

The entity list of a site is the documented entities plus the inventory classes the site collects
(``catalog.site``; reference §9 decision 17). They are read from ``wmi/SMS_InventoryClass`` and
``wmi/SMS_InventoryReport``; a class listed without its ``Properties`` (the ``wmi`` route may
treat them as lazy) is read again by key — only classes some report enables. What was read is
kept as JSON in ``cache_dir`` (one file per site URL), so the next connection to the same site
costs no request; ``refresh=True`` reads the site again.

Where the classes cannot be read — no Read on Inventory Reports (403), or a site without the
route (404) — the documented list stands in, marked ``open_world`` with a note that says why:
queries on other entity names are then sent as written, and the site is the judge.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ...catalog import DOCUMENTED, Catalog, site_catalog
from ...errors import BackendError, PermissionDeniedError
from .client import AdminServiceClient

FALLBACK = ("the site's inventory classes could not be read ({why}); using the documented entity "
            "list: queries on other entities are sent to the site as written")


def cache_file(cache_dir: Path, base_url: str) -> Path:
    """The file that keeps one site's inventory classes (named by a digest of its URL)."""
    digest = hashlib.sha256(base_url.rstrip("/").lower().encode()).hexdigest()[:16]
    return cache_dir / f"site-{digest}.json"


def read_site_catalog(client: AdminServiceClient, *, cache_dir: Path | None = None,
                      refresh: bool = False) -> Catalog:
    """The site's catalog: from the disk cache unless ``refresh``, else from the site."""
    path = cache_file(cache_dir, client.base) if cache_dir is not None else None
    if path is not None and not refresh:
        kept = _load(path)
        if kept is not None:
            return site_catalog(kept["classes"], kept["reports"])
    try:
        classes, reports = _read(client)
    except PermissionDeniedError as err:
        return DOCUMENTED.fallback(FALLBACK.format(why=f"{err}; it needs Read on Inventory Reports"))
    except BackendError as err:
        if "(404)" not in str(err):
            raise
        return DOCUMENTED.fallback(FALLBACK.format(why=f"this site has no such route: {err}"))
    if path is not None:
        _save(path, {"base": client.base, "read": dt.datetime.now(dt.UTC).isoformat(),
                     "classes": classes, "reports": reports})
    return site_catalog(classes, reports)


def _read(client: AdminServiceClient) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    reports = client.inventory_reports()
    enabled = {str(c.get("SMSClassID") or "").upper() for r in reports for c in r.get("ReportClasses") or ()}
    classes = []
    for record in client.inventory_classes():
        class_id = str(record.get("SMSClassID") or "")
        if class_id.upper() not in enabled:
            continue
        if record.get("Properties") is None:  # lazy on the listing: read by key
            record = client.inventory_class(class_id) or record
        classes.append(record)
    return classes, reports


def _load(path: Path) -> dict[str, Any] | None:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # missing or damaged: read the site again
    ok = isinstance(kept, dict) and isinstance(kept.get("classes"), list) and isinstance(kept.get("reports"), list)
    return kept if ok else None


def _save(path: Path, data: dict[str, Any]) -> None:
    """Write then rename, so a reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(data), encoding="utf-8")
        partial.replace(path)
    except OSError:
        pass  # a cache that cannot be written costs a request next time, nothing more
