"""The entity catalog: the 152 documented CMPivot entities, their parameters, columns and types.

The planner resolves entity references and column names against it; backends build their tables
to ``Entity.schema``. ``entities()`` lists them in the docs' order; ``entity(name)`` and
``find_entity(name)`` look one up by case-insensitive name.
"""

from __future__ import annotations

from cmpivot_magic.catalog.catalog import Catalog
from cmpivot_magic.catalog.index import (
    DOCUMENTED,
    DOCUMENTED_ORDER,
    entities,
    entity,
    find_entity,
    suggestions,
)
from cmpivot_magic.catalog.model import UNITS, Column, Entity, EntityKind, Parameter
from cmpivot_magic.catalog.site import site_catalog

__all__ = [
    "DOCUMENTED",
    "DOCUMENTED_ORDER",
    "UNITS",
    "Catalog",
    "Column",
    "Entity",
    "EntityKind",
    "Parameter",
    "entities",
    "entity",
    "find_entity",
    "site_catalog",
    "suggestions",
]
