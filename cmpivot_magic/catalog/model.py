"""The shape of a catalog entry: an entity's columns, parameters and notes.

The planner resolves entity names and column types against these objects, the backends use
``Entity.schema`` to build the tables they return, and error messages quote ``Entity.signature``.
The data itself lives in ``builtin.py`` and the ``inventory_*.py`` modules; ``index.py`` puts it in
the documented order and answers look-ups.

Column specs are written compactly as ``"Name"`` (a string column), ``"Name:type"`` or
``"Name:type:unit"``, several to a string separated by whitespace; ``columns()`` turns them into
``Column`` objects with the implicit ``Device`` column first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

from cmpivot_magic.language.types import ScalarType, type_named

EntityKind = Literal["builtin", "scripted", "hinv", "custom"]

# Units name what a number *is* once CMPivot delivers it (the client's unit modifiers KiloBytes,
# MegaBytes, GigaBytes and Seconds convert live values to the units inventory reports in).
UNITS: frozenset[str] = frozenset(
    {"Bytes", "KiloBytes", "MegaBytes", "GigaBytes", "Milliseconds", "Seconds", "Minutes"}
)

DEVICE = "Device"

# CMPivot has no real-number column type (Real32/Real64 unsupported); numbers are 64-bit integers.
_COLUMN_TYPES = frozenset(
    {ScalarType.BOOL, ScalarType.LONG, ScalarType.STRING, ScalarType.DATETIME, ScalarType.TIMESPAN}
)


@dataclass(frozen=True)
class Column:
    """One column of an entity table: its name, scalar type, unit of numbers, and a note."""

    name: str
    type: ScalarType
    unit: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if self.type not in _COLUMN_TYPES:
            raise ValueError(f"column {self.name}: CMPivot has no {self.type} columns")
        if self.unit is not None and self.unit not in UNITS:
            raise ValueError(f"column {self.name}: unknown unit {self.unit!r}")

    def __repr__(self) -> str:
        unit = f" ({self.unit})" if self.unit else ""
        return f"{self.name}:{self.type}{unit}"


@dataclass(frozen=True)
class Parameter:
    """An argument of a parameterised entity such as ``EventLog('System', 1h)``."""

    name: str
    type: ScalarType
    required: bool
    default: object = None
    description: str = ""

    def __repr__(self) -> str:
        if self.required:
            return f"{self.name}: {self.type}"
        return f"{self.name}: {self.type} = {_literal(self.default)}"


def _literal(value: object) -> str:
    """A default value as a query would write it (``1d`` rather than ``1 day, 0:00:00``)."""
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        for suffix, size in (("d", 86400), ("h", 3600), ("m", 60)):
            if seconds and seconds % size == 0:
                return f"{seconds // size}{suffix}"
        return f"{value.total_seconds():g}s"
    return repr(value)


@dataclass(frozen=True, repr=False)
class Entity:
    """A data source a query starts from: ``Process``, ``Registry('hklm:\\...')``, ...

    ``kind`` says where rows come from: ``builtin`` (the original WMI-backed entities),
    ``scripted`` (a named branch of the client's CMPivot script), ``hinv`` (a default
    hardware-inventory class, whose cached rows the site can return before live ones) or ``custom``
    (a site's own extension of hardware inventory, also cached). ``inventory_class_id`` is the
    site's ``SMSClassID`` for an inventory entity, where a site's catalog was read. ``source`` says where the
    column list comes from; ``since`` is the ConfigMgr version that brought the entity to CMPivot,
    where documented. ``console_only`` entities are unavailable from the Intune admin center
    (tenant attach).
    """

    name: str
    description: str
    kind: EntityKind
    columns: tuple[Column, ...]
    parameters: tuple[Parameter, ...] = ()
    requires_powershell5: bool = False
    console_only: bool = False
    source: str = ""
    wmi_class: str | None = None
    since: str | None = None
    note: str | None = None
    inventory_class_id: str | None = None
    _by_lower: dict[str, Column] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not self.columns or self.columns[0].name != DEVICE or self.columns[0].type != ScalarType.STRING:
            raise ValueError(f"entity {self.name}: the first column must be Device (string)")
        by_lower: dict[str, Column] = {}
        for column in self.columns:
            key = column.name.lower()
            if key in by_lower:
                raise ValueError(f"entity {self.name}: duplicate column {column.name}")
            by_lower[key] = column
        seen_optional = False
        for parameter in self.parameters:
            if parameter.required and seen_optional:
                raise ValueError(f"entity {self.name}: required parameter after an optional one")
            seen_optional = seen_optional or not parameter.required
        object.__setattr__(self, "_by_lower", by_lower)

    def column(self, name: str) -> Column | None:
        """The column called ``name`` (case-insensitive), or None."""
        return self._by_lower.get(name.lower())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def schema(self) -> dict[str, ScalarType]:
        """Column name -> type, in table order (Device first)."""
        return {column.name: column.type for column in self.columns}

    @property
    def signature(self) -> str:
        """How the entity is called: ``EventLog(log: string[, span: timespan = 1d])``."""
        if not self.parameters:
            return self.name
        text = ""
        for index, parameter in enumerate(self.parameters):
            part = f"{', ' if index else ''}{parameter!r}"
            text += part if parameter.required else f"[{part}]"
        return f"{self.name}({text})"

    def __repr__(self) -> str:
        flags = "".join(
            flag
            for flag, on in (
                (", PowerShell 5", self.requires_powershell5),
                (", console only", self.console_only),
            )
            if on
        )
        return f"<Entity {self.signature}: {self.kind}, {len(self.columns)} columns{flags}>"

    @property
    def inventoried(self) -> bool:
        """Whether the site keeps rows of this entity from hardware inventory (cached rows)."""
        return self.kind in ("hinv", "custom")


def columns(*specs: str | Column) -> tuple[Column, ...]:
    """Columns from compact specs, with ``Device`` (string) first.

    Each string holds whitespace-separated ``Name[:type[:unit]]`` specs; a bare name is a string
    column. ``Column`` objects pass through, for columns that carry a note.
    """
    result = [Column(DEVICE, ScalarType.STRING, note="the device the row came from")]
    for spec in specs:
        if isinstance(spec, Column):
            result.append(spec)
            continue
        for item in spec.split():
            name, _, rest = item.partition(":")
            type_name, _, unit = rest.partition(":")
            scalar = type_named(type_name or "string")
            if scalar is None:
                raise ValueError(f"column {name}: unknown type {type_name!r}")
            result.append(Column(name, scalar, unit or None))
    return tuple(result)


def inventory_entity(
    name: str,
    description: str,
    wmi_class: str,
    *specs: str | Column,
    namespace: str = r"root\cimv2",
    source: str | None = None,
    console_only: bool = False,
    note: str | None = None,
) -> Entity:
    """A hardware-inventory entity over ``namespace``\\``wmi_class`` (queryable since 1810)."""
    return Entity(
        name=name,
        description=description,
        kind="hinv",
        columns=columns(*specs),
        console_only=console_only,
        source=source
        or f"ConfigMgr default hardware inventory class {namespace}\\{wmi_class} "
        "(Resource Explorer default inventory classes)",
        wmi_class=wmi_class,
        since="1810",
        note=note,
    )
