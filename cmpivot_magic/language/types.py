"""Scalar types of CMPivot and KQL, as the front end names them.

CMPivot's client types (String, Number, Boolean, DateTime, TimeSpan, Device) are a subset of KQL's;
Number is a 64-bit integer (KQL ``long``) and Device is a string column. The engine maps these to
polars dtypes; nothing here knows about polars.
"""

from __future__ import annotations

from enum import StrEnum


class ScalarType(StrEnum):
    BOOL = "bool"
    INT = "int"
    LONG = "long"
    REAL = "real"
    STRING = "string"
    DATETIME = "datetime"
    TIMESPAN = "timespan"
    DYNAMIC = "dynamic"

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return self.value

    @property
    def is_numeric(self) -> bool:
        return self in (ScalarType.INT, ScalarType.LONG, ScalarType.REAL)

    @property
    def is_integer(self) -> bool:
        return self in (ScalarType.INT, ScalarType.LONG)


_ALIASES: dict[str, ScalarType] = {
    "bool": ScalarType.BOOL,
    "boolean": ScalarType.BOOL,
    "int": ScalarType.INT,
    "long": ScalarType.LONG,
    "number": ScalarType.LONG,
    "real": ScalarType.REAL,
    "double": ScalarType.REAL,
    "decimal": ScalarType.REAL,
    "string": ScalarType.STRING,
    "guid": ScalarType.STRING,
    "uniqueid": ScalarType.STRING,
    "device": ScalarType.STRING,
    "datetime": ScalarType.DATETIME,
    "date": ScalarType.DATETIME,
    "timespan": ScalarType.TIMESPAN,
    "time": ScalarType.TIMESPAN,
    "dynamic": ScalarType.DYNAMIC,
}


def type_named(name: str) -> ScalarType | None:
    """The scalar type a KQL or CMPivot type name denotes (case-insensitive), or None."""
    return _ALIASES.get(name.lower())


TYPE_NAMES: tuple[str, ...] = tuple(sorted(_ALIASES))
