"""A connection's catalog: the entities its queries may name, and look-ups over them.

Every connection has one (ARCHITECTURE.md: "the catalog belongs to the connection"): the documented
entities everywhere (``index.DOCUMENTED``), plus a site's own inventory classes where the site can
be asked (``site.site_catalog``). The planner, ``--explain``, ``%cmpivot entities``/``schema`` and
completion read the connection's catalog. Names are case-insensitive (reference §9 item 1).

``open_world`` marks a catalog that does not know everything the site has — the documented list
standing in for a site whose own list could not be read. The site is then the judge of a name the
catalog does not know: such a query is sent, and the site's error comes back per device.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cmpivot_magic.catalog.model import Entity


@dataclass(frozen=True)
class Catalog:
    """An ordered, immutable set of entities; ``source`` says where the list came from."""

    members: tuple[Entity, ...]
    source: str = "documented"
    open_world: bool = False
    note: str | None = None
    _by_lower: dict[str, Entity] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        by_lower: dict[str, Entity] = {}
        for item in self.members:
            key = item.name.lower()
            if key in by_lower:
                raise ValueError(f"catalog: entity {item.name} is defined twice")
            by_lower[key] = item
        object.__setattr__(self, "_by_lower", by_lower)

    def __repr__(self) -> str:
        kinds: dict[str, int] = {}
        for item in self.members:
            kinds[item.kind] = kinds.get(item.kind, 0) + 1
        counts = ", ".join(f"{n} {k}" for k, n in kinds.items())
        return f"<Catalog {self.source}: {len(self.members)} entities ({counts}){' open' if self.open_world else ''}>"

    def __len__(self) -> int:
        return len(self.members)

    def entities(self) -> tuple[Entity, ...]:
        """Every entity, documented ones first in the docs' order, then the site's own."""
        return self.members

    def find_entity(self, name: str) -> Entity | None:
        """The entity called ``name`` (case-insensitive), or None."""
        return self._by_lower.get(name.lower())

    def entity(self, name: str) -> Entity:
        """The entity called ``name``; ``KeyError`` with the nearest names if there is none."""
        found = self._by_lower.get(name.lower())
        if found is None:
            raise KeyError(self.unknown_message(name))
        return found

    def suggestions(self, name: str, limit: int = 3) -> tuple[str, ...]:
        """The entity names nearest to ``name``, best first (for did-you-mean messages)."""
        close = difflib.get_close_matches(name.lower(), list(self._by_lower), n=limit, cutoff=0.6)
        return tuple(self._by_lower[key].name for key in close)

    def unknown_message(self, name: str) -> str:
        where = "" if self.source == "documented" else f" on this {self.source}"
        close = self.suggestions(name)
        if not close:
            return f"unknown entity {name!r}{where}"
        return f"unknown entity {name!r}{where}; did you mean {', '.join(close)}?"

    def extended(self, added: Iterable[Entity], *, inventory_ids: Mapping[str, str] | None = None,
                 source: str) -> Catalog:
        """This catalog plus ``added``; ``inventory_ids`` links entities to a site's class ids."""
        ids = {k.lower(): v for k, v in (inventory_ids or {}).items()}
        members = tuple(dataclasses.replace(e, inventory_class_id=ids[e.name.lower()])
                        if e.name.lower() in ids else e for e in self.members)
        return Catalog((*members, *added), source=source)

    def fallback(self, note: str) -> Catalog:
        """This catalog standing in for a site's list that could not be read (``open_world``)."""
        return dataclasses.replace(self, open_world=True, note=note)
