"""The device list behind the picker: search, filter and page a site's devices without widgets.

``DeviceIndex`` holds a devices frame (``Session.devices()``: Name, ResourceId, UserName,
OSCaption, Domain, IsOnline, …) as arrays built once, so a keystroke over 20,000 devices is a few
vectorised polars string scans, not a Python loop, and only one page of names ever reaches a
widget. Matching rules, each pinned by a test in ``tests/widgets/test_devices.py``:

* The search text splits on whitespace into terms; a device matches when **every** term occurs,
  case-insensitively and literally (no regex), in its name, user, domain or OS — or in the name
  or ID of a collection it belongs to (``finance`` finds the members of "Finance Laptops").
* The collection filter, "online only" and "selected only" narrow the matches further.
* Matches keep the frame's order (the site's order: by name).
* Device names are case-insensitive, as in ConfigMgr: ``canonical()`` maps any spelling to the
  site's and names the first unknown name in a ``CMPivotError``.
"""

from __future__ import annotations

import difflib
import html
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import polars as pl

from ..errors import CMPivotError

SEARCH_COLUMNS = ("Name", "UserName", "Domain", "OSCaption")
DETAIL_COLUMNS = ("UserName", "OSCaption")
_SEP = "\x1f"  # joins a device's searchable fields; no search term contains it, so no term spans two fields

Members = Callable[[str], "np.ndarray | Sequence[int]"]
"""A collection ID → the ResourceIds of its members."""


@dataclass(frozen=True)
class Page:
    """One page of matches: positions into the index, and where it sits among all matches."""

    positions: np.ndarray
    number: int
    count: int
    matches: int


class DeviceIndex:
    """A devices frame made searchable. ``members`` resolves a collection ID to ResourceIds."""

    def __init__(self, devices: pd.DataFrame, *, collections: pd.DataFrame | None = None,
                 members: Members | None = None, search_columns: Sequence[str] = SEARCH_COLUMNS,
                 details: Sequence[str] = DETAIL_COLUMNS) -> None:
        if "Name" not in devices.columns:
            raise CMPivotError("the devices frame has no Name column")
        frame = devices.reset_index(drop=True)
        self.frame = frame
        self.names: np.ndarray = frame["Name"].astype(str).to_numpy(dtype=object)
        self._lower = {str(n).lower(): str(n) for n in self.names}
        self.resource_ids: np.ndarray | None = (
            frame["ResourceId"].to_numpy(dtype=np.int64) if "ResourceId" in frame.columns else None)
        self.online: np.ndarray | None = (
            frame["IsOnline"].fillna(False).to_numpy(dtype=bool) if "IsOnline" in frame.columns else None)
        self.details = tuple(c for c in details if c in frame.columns)
        present = [c for c in search_columns if c in frame.columns] or ["Name"]
        parts = [pl.Series(frame[c].fillna("").astype(str).to_numpy(dtype=object), dtype=pl.String)
                 for c in present]
        self._haystack: pl.Series = (
            pl.DataFrame({str(i): p for i, p in enumerate(parts)})
            .select(pl.concat_str(pl.all(), separator=_SEP).str.to_lowercase()).to_series())
        self.collections = collections if collections is not None else pd.DataFrame(
            columns=["CollectionID", "Name", "MemberCount"])
        self._members = members
        self._member_masks: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.names)

    # ------------------------------------------------------------------------- names

    def canonical(self, names: Iterable[str]) -> tuple[str, ...]:
        """The site's spelling of each name, without duplicates; ``CMPivotError`` for an unknown one."""
        out: dict[str, None] = {}
        for raw in names:
            found = self._lower.get(str(raw).strip().lower())
            if found is None:
                close = difflib.get_close_matches(str(raw).upper(), list(self._lower.values()), n=3)
                hint = f"did you mean {', '.join(close)}?" if close else "search the picker, or list them with %cmpivot devices"
                raise CMPivotError(f"unknown device '{raw}': no device of that name on this connection", hint=hint)
            out[found] = None
        return tuple(out)

    def known(self, names: Iterable[str]) -> tuple[str, ...]:
        """The names this index has (in the site's spelling), dropping the rest."""
        return tuple(dict.fromkeys(self._lower[n.lower()] for n in names if n.lower() in self._lower))

    # ------------------------------------------------------------------------- matching

    def match(self, text: str = "", *, collection: str | None = None, online_only: bool = False,
              only: Collection[str] | None = None) -> np.ndarray:
        """Positions of the devices matching the search text and filters, in frame order."""
        mask = np.ones(len(self.names), dtype=bool)
        for term in text.lower().split():
            hit = self._haystack.str.contains(term, literal=True).to_numpy()
            for cid in self._collections_named(term):
                hit = hit | self.in_collection(cid)
            mask &= hit
        if collection:
            mask &= self.in_collection(collection)
        if online_only and self.online is not None:
            mask &= self.online
        if only is not None:
            mask &= np.isin(self.names, np.array(list(only), dtype=object))
        return np.flatnonzero(mask)

    def in_collection(self, collection_id: str) -> np.ndarray:
        """A mask of the devices in a collection (resolved once, then cached)."""
        key = collection_id.upper()
        if key not in self._member_masks:
            if self._members is None or self.resource_ids is None:
                raise CMPivotError(f"no collection '{collection_id}' here: this device list has no collections")
            try:
                ids = np.asarray(self._members(key), dtype=np.int64)
            except KeyError:
                raise CMPivotError(f"no collection '{collection_id}' on this connection") from None
            self._member_masks[key] = np.isin(self.resource_ids, ids)
        return self._member_masks[key]

    def _collections_named(self, term: str) -> list[str]:
        if self._members is None or self.collections.empty:
            return []
        ids = self.collections["CollectionID"].astype(str)
        named = self.collections["Name"].astype(str)
        hit = ids.str.lower().str.contains(term, regex=False) | named.str.lower().str.contains(term, regex=False)
        return ids[hit].tolist()

    # ------------------------------------------------------------------------- paging, labels

    @staticmethod
    def page(matches: np.ndarray, number: int, size: int) -> Page:
        """Page ``number`` (0-based, clamped to the last page) of ``matches``."""
        count = max(1, -(-len(matches) // size))
        number = min(max(0, number), count - 1)
        return Page(matches[number * size:(number + 1) * size], number, count, len(matches))

    def status_of(self, position: int) -> bool | None:
        """True online, False offline, None when the site does not say."""
        return None if self.online is None else bool(self.online[position])

    def detail_html(self, position: int) -> str:
        """The line beside a device's checkbox: an online dot, then its detail columns."""
        online = self.status_of(position)
        if online is None:
            dot = ""
        else:
            colour, word = ("#2e9d46", "online") if online else ("#9a9a9a", "offline")
            dot = (f"<span title='{word}' style='color:{colour};font-size:1.1em'>●</span> "
                   f"<span class='cmpivot-{word}' style='color:{colour}'>{word}</span>")
        row = self.frame.iloc[position]
        parts = [str(row[c]) for c in self.details if pd.notna(row[c]) and str(row[c])]
        text = " · ".join(html.escape(p) for p in parts)
        return f"<span class='cmpivot-device-detail'>{dot}{' · ' if dot and text else ''}{text}</span>"


def collection_members(session: object) -> Members | None:
    """How to list a session's collection members: the demo site's arrays when it has them,
    otherwise the backend's own target resolution (one call per collection, then cached)."""
    backend = getattr(session, "backend", None)
    site = getattr(backend, "site", None)
    if site is not None and hasattr(site, "members"):
        site_members: Members = site.members
        return site_members
    resolve = getattr(backend, "resolve", None)
    if resolve is None:
        return None

    def members(collection_id: str) -> np.ndarray:
        try:
            targets = resolve(None, collection_id)
        except CMPivotError:
            raise KeyError(collection_id) from None
        return np.array([t.resource_id for t in targets], dtype=np.int64)

    return members
