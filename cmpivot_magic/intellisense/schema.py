"""The columns flowing into a step: the planner's output schema of the pipeline before it.

The planner is reached only through the public front door: ``cmpivot_magic.parse(text)`` on the text
up to the step's ``|`` and ``Query.output_schema``, so ``count_``, renamed and projected columns and
join suffixes are exactly what the planner makes of them. The text is planned against the
connection's catalog, so a site's own classes have the columns (and the aggregate names) running
the cell gives them. Units and origins are read back from the catalog entries of the entities the
text names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..catalog import DOCUMENTED, Catalog, Entity
from ..errors import CMPivotError
from ..query import parse

_SOURCES = re.compile(r"(?:^|\|\s*join\b(?:\s+kind\s*=\s*\w+)?)\s*\(?\s*([A-Za-z_]\w*)", re.IGNORECASE)
_SUFFIX = re.compile(r"^(.*?[A-Za-z_])\d+$")


@dataclass(frozen=True)
class ColumnInfo:
    """A column at a step: its name and type, the unit of its numbers, and the entity it comes from."""

    name: str
    type: str
    unit: str | None = None
    entity: str | None = None
    source_name: str | None = None  # the entity's own name for it, when a join suffixed it (Name1 ← Name)

    @property
    def detail(self) -> str:
        return f"{self.type} ({self.unit})" if self.unit else self.type


def columns_of(text: str, catalog: Catalog = DOCUMENTED) -> tuple[ColumnInfo, ...] | None:
    """The columns of the pipeline ``text``'s result, or None when it does not plan."""
    schema = _schema(text, catalog)
    if schema is None:
        return None
    entities = entities_named(text, catalog)
    return tuple(_info(name, type_, entities) for name, type_ in schema)


def entities_named(text: str, catalog: Catalog = DOCUMENTED) -> list[Entity]:
    """The entities a pipeline text reads: its source and the right sides of its joins, in order."""
    found = []
    for m in _SOURCES.finditer(text):
        entity = catalog.find_entity(m.group(1))
        if entity is not None and entity not in found:
            found.append(entity)
    return found


def _info(name: str, type_: str, entities: list[Entity]) -> ColumnInfo:
    base = _SUFFIX.match(name)
    # a suffixed name (Name1) is a right side's column renamed by a join: look right first
    for key, candidates in ((name, entities), (base.group(1) if base else None, entities[1:] + entities[:1])):
        if key is None:
            continue
        for entity in candidates:
            column = entity.column(key)
            if column is not None and column.type.value == type_:
                renamed = column.name if key != name else None
                return ColumnInfo(name, type_, column.unit, entity.name, renamed)
    return ColumnInfo(name, type_)


@lru_cache(maxsize=256)
def _schema(text: str, catalog: Catalog) -> tuple[tuple[str, str], ...] | None:
    try:
        return tuple(parse(text, catalog=catalog).output_schema.items())
    except CMPivotError:
        return None
