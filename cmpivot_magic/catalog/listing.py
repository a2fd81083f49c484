"""A catalog as a table: what ``Session.entities()`` and ``%cmpivot entities`` show.

One row per entity, in the catalog's order (documented entities first, then the site's own):
``Name``, ``Kind`` — ``builtin`` (WMI-backed, original), ``scripted`` (added with a PowerShell
script), ``inventory`` (a hardware-inventory class: the documented ones and the site's default
classes) or ``custom`` (an extension the site added) — ``Description``, ``Arguments`` (what the
entity takes, e.g. ``FileContent('path')``), ``Columns`` (how many, Device included),
``PowerShell5`` (needs PowerShell 5 on the device), ``ConsoleOnly`` (the console has it, the
AdminService does not) and ``Since`` (the ConfigMgr version that added it, where known).
"""

from __future__ import annotations

import pandas as pd

from cmpivot_magic.catalog.catalog import Catalog
from cmpivot_magic.catalog.model import Entity

ENTITY_COLUMNS = ("Name", "Kind", "Description", "Arguments", "Columns", "PowerShell5", "ConsoleOnly", "Since")
_KINDS = {"hinv": "inventory"}


def kind_label(entity: Entity) -> str:
    """The kind as the entity list names it (``hinv`` is ``inventory``)."""
    return _KINDS.get(entity.kind, entity.kind)


def entity_frame(catalog: Catalog, pattern: str = "") -> pd.DataFrame:
    """The catalog's entities whose name or description contains ``pattern`` (any case)."""
    wanted = pattern.lower()
    rows = [(e.name, kind_label(e), e.description, ", ".join(map(repr, e.parameters)), len(e.columns),
             e.requires_powershell5, e.console_only, e.since)
            for e in catalog.entities() if wanted in e.name.lower() or wanted in e.description.lower()]
    return pd.DataFrame(rows, columns=list(ENTITY_COLUMNS))
