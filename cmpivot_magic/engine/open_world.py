"""The schema of an entity the connection's catalog does not know, where the site is the judge.

A site whose inventory classes could not be read (no Read on Inventory Reports, an older site)
gets the documented list marked ``open_world`` (``catalog/catalog.py``). A query on an entity
outside that list may still be right — a custom hardware-inventory class of that site — so it
is planned and sent, and the site's answer (rows, or its error per device) decides.

The planner cannot know such an entity's columns, so it gives it these: ``Device``, then every
name the query uses as a column (``where``, ``project``, ``summarize … by``, ``order by`` …), each
typed ``string``, in the order they first appear. Names bound by ``let`` are not columns. Any
column name is therefore accepted, and the device part is sent as written (the site evaluates it
with the real types); the rows come back with the columns the query names, as text. Columns the
query never names are not kept (``project`` them to see them); the global part (``summarize``
after the device part, ``top``) works on the text values.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..language import nodes as n
from ..language.types import ScalarType
from . import plan as p


def unknown_entity_schema(query: n.QueryText | None) -> p.Schema:
    """``Device`` plus every name ``query`` reads as a column, typed string (see the docstring)."""
    bound = {let.name.lower() for let in query.lets} if query is not None else set()
    names: dict[str, str] = {}
    if query is not None:
        _collect(query.body, names)
    columns = [(p.DEVICE, ScalarType.STRING)]
    columns += [(name, ScalarType.STRING) for key, name in names.items()
                if key not in bound and key != p.DEVICE.lower()]
    return p.Schema(tuple(columns), device=p.DEVICE)


def _collect(node: Any, names: dict[str, str]) -> None:
    if isinstance(node, n.Name):
        names.setdefault(node.name.lower(), node.name)
        return
    if isinstance(node, tuple | list):
        for item in node:
            _collect(item, names)
        return
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            if f.name != "span":
                _collect(getattr(node, f.name), names)
