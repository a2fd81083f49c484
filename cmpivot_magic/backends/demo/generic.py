"""Rows for entities without a hand-written generator, driven by the catalog's columns.

A ``Profile`` (registered with ``profile(...)`` in ``gen_hardware.py`` and friends) says how many
rows a device has and which devices have any, and gives values for some columns: a constant, a
list to choose from (``W`` for weights), ``Seq`` to number rows, ``F`` for a template, or a
function of the ``Draw``. Columns a profile leaves out get plausible values from their name and
type (``Status`` 'OK', ``*Date`` within the last years, ``SystemName`` the device's name, ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from ...catalog import Column, Entity
from ...language.types import ScalarType
from .fleet import Fleet
from .generators import DAY, Draw, Request, expand
from .randomness import alnum_strings, guids, hex_strings


@dataclass(frozen=True)
class W:
    """Choose among ``values`` with ``weights``."""

    values: Sequence[Any]
    weights: Sequence[float]


@dataclass(frozen=True)
class Seq:
    """The k-th row of a device takes ``values[k]`` (cycling)."""

    values: Sequence[Any]


@dataclass(frozen=True)
class F:
    """A string template: ``{k}`` row number within the device, ``{k1}`` from one, ``{name}``
    device name, ``{hexN}`` / ``{numN}`` N random hex digits / decimal digits."""

    template: str


Spec = Any  # constant | list | W | Seq | F | Callable[[Draw], array]


Counts = tuple[int, int] | Callable[[Fleet, np.random.Generator], np.ndarray]


@dataclass(frozen=True)
class Profile:
    rows: Counts = (1, 1)
    where: Callable[[Fleet], np.ndarray] | None = None
    values: dict[str, Spec] = field(default_factory=dict)


PROFILES: dict[str, Profile] = {}


def profile(entity_name: str, /, rows: Counts = (1, 1), where: Callable[[Fleet], np.ndarray] | None = None,
            **values: Spec) -> None:
    """Register how the generic generator fills ``name``: rows per device (a range, or a function
    of the fleet), which devices have rows, and column values."""
    PROFILES[entity_name.lower()] = Profile(rows, where, values)


def fact(attribute: str) -> Callable[[Draw], np.ndarray]:
    """A column that repeats a fleet fact of the row's device."""
    return lambda draw: draw.of(getattr(draw.fleet, attribute))


def generic_rows(request: Request) -> pl.DataFrame:
    entity, fleet = request.entity, request.fleet
    prof = PROFILES.get(entity.name.lower(), Profile())
    rng = request.rng()
    if callable(prof.rows):
        counts = np.asarray(prof.rows(fleet, rng), dtype=np.int64)
    else:
        low, high = prof.rows
        counts = rng.integers(low, high + 1, fleet.n)
    if prof.where is not None:
        counts = np.where(prof.where(fleet), counts, 0)
    dev, k = expand(counts)
    draw = Draw(fleet, dev, k, rng)
    data: dict[str, Any] = {}
    by_lower = {name.lower(): spec for name, spec in prof.values.items()}
    for column in entity.columns[1:]:
        spec = by_lower.get(column.name.lower(), _DEFAULT)
        values = _default(column, entity, draw) if spec is _DEFAULT else evaluate(spec, draw)
        data[column.name] = values
    return draw.frame(data)


_DEFAULT = object()


def evaluate(spec: Spec, draw: Draw) -> Any:
    """Per-row values of a profile's value spec."""
    if isinstance(spec, W):
        return draw.choice(spec.values, spec.weights)
    if isinstance(spec, Seq):
        table = np.asarray(list(spec.values), dtype=object)
        return table[draw.k % len(table)]
    if isinstance(spec, F):
        return template(spec.template, draw)
    if isinstance(spec, list):
        return draw.choice(spec)
    if callable(spec):
        return spec(draw)
    return spec


_FIELD = re.compile(r"\{(k1?|name|user|hex\d+|num\d+)\}")


def template(text: str, draw: Draw) -> pl.Series:
    parts: list[pl.Series | str] = []
    pos = 0
    for match in _FIELD.finditer(text):
        if match.start() > pos:
            parts.append(text[pos:match.start()])
        key = match.group(1)
        if key == "k":
            parts.append(pl.Series(draw.k).cast(pl.String))
        elif key == "k1":
            parts.append(pl.Series(draw.k + 1).cast(pl.String))
        elif key == "name":
            parts.append(pl.Series(draw.of(draw.fleet.name).tolist(), dtype=pl.String))
        elif key == "user":
            parts.append(pl.Series(draw.of(draw.fleet.sam).tolist(), dtype=pl.String).fill_null("Administrator"))
        elif key.startswith("hex"):
            parts.append(pl.Series(hex_strings(draw.rng, draw.n, int(key[3:]))))
        else:
            width = int(key[3:])
            parts.append(pl.Series(draw.rng.integers(0, 10 ** width, draw.n)).cast(pl.String).str.zfill(width))
        pos = match.end()
    if pos < len(text):
        parts.append(text[pos:])
    frame = pl.DataFrame({f"p{i}": p for i, p in enumerate(parts) if isinstance(p, pl.Series)}, height=draw.n)
    exprs: list[pl.Expr] = []
    for i, p in enumerate(parts):
        exprs.append(pl.col(f"p{i}") if isinstance(p, pl.Series) else pl.lit(p))
    if not exprs:
        return pl.Series([text] * draw.n)
    return frame.select(pl.concat_str(exprs).alias("v")).to_series()


# ---------------------------------------------------------------------------------------- defaults

_COMPONENT_VENDORS = ["(Standard system devices)", "Microsoft", "Intel Corporation", "Realtek"]


def _default(column: Column, entity: Entity, draw: Draw) -> Any:
    name = column.name.lower()
    t = column.type
    if t == ScalarType.STRING:
        return _default_string(name, entity, draw)
    if t == ScalarType.LONG:
        return _default_long(name, column, draw)
    if t == ScalarType.BOOL:
        if name.startswith(("is", "has", "enable", "supports")) or name.endswith("enabled"):
            return draw.chance(0.7)
        return draw.chance(0.3)
    if t == ScalarType.DATETIME:
        if "last" in name or "time" in name:
            return draw.ages(0.02, 30)
        return draw.ages(30, 1500)
    return None


def _label(entity: Entity) -> str:
    return entity.description


def _default_string(name: str, entity: Entity, draw: Draw) -> Any:
    label = _label(entity)
    if name in ("systemname", "csname", "dnshostname", "encodedcomputername"):
        return draw.of(draw.fleet.name)
    if name in ("name", "caption", "friendlyname", "description", "productname", "product"):
        return template(f"{label} {{k1}}", draw) if draw.k.max(initial=0) > 0 else np.full(draw.n, label, dtype=object)
    if name == "status":
        return np.full(draw.n, "OK", dtype=object)
    if name == "manufacturer" or name.endswith(("vendor", "vendorname")):
        return draw.choice(_COMPONENT_VENDORS, [0.5, 0.25, 0.15, 0.1])
    if name in ("deviceid", "pnpdeviceid", "instanceid"):
        return template(f"ROOT\\{entity.name.upper()}\\{{num4}}", draw)
    if name in ("serialnumber", "tag"):
        return alnum_strings(draw.rng, draw.n, 10)
    if name.endswith(("sid", "securityid")):
        return template("S-1-5-21-1004336348-1177238915-682003330-{num4}", draw)
    if "guid" in name or "clsid" in name or name.endswith(("uuid", "productcode", "upgradecode")):
        return guids(draw.rng, draw.n, braces=True)
    if name.endswith("id") or name.endswith("key") or name.endswith("hash"):
        return hex_strings(draw.rng, draw.n, 16)
    if "version" in name:
        return draw.choice(["10.0.19041.1", "10.0.22621.1", "1.0.0.0", "6.3.9600.16384"], [4, 3, 2, 1])
    if "path" in name or "directory" in name or "folder" in name or "location" in name or "file" in name:
        return draw.choice(["C:\\Windows\\System32", "C:\\Windows", "C:\\Program Files\\Common Files"])
    if "url" in name:
        return np.full(draw.n, "https://www.contoso.com/", dtype=object)
    if name.endswith(("user", "username", "owner")):
        return draw.of(draw.fleet.user)
    if "domain" in name:
        return np.full(draw.n, "CONTOSO", dtype=object)
    return None


def _default_long(name: str, column: Column, draw: Draw) -> Any:
    if name == "availability":
        return np.full(draw.n, 3, dtype=np.int64)
    if name in ("configmanagererrorcode", "lasterrorcode", "errorcode", "exitcode"):
        return np.zeros(draw.n, dtype=np.int64)
    if name == "statusinfo":
        return np.full(draw.n, 3, dtype=np.int64)
    if name == "index":
        return draw.k
    if "count" in name or name.startswith("number"):
        return draw.ints(0, 12)
    if "size" in name or "capacity" in name or "memory" in name:
        scale = {"Bytes": 1 << 30, "KiloBytes": 1 << 20, "MegaBytes": 1 << 10, "GigaBytes": 1}.get(
            column.unit or "", 1 << 10)
        return (draw.rng.uniform(0.05, 4.0, draw.n) * scale).astype(np.int64)
    if "speed" in name:
        return draw.choice([100_000_000, 1_000_000_000, 2_500_000_000])
    if column.unit in ("Minutes", "Seconds", "Milliseconds"):
        return draw.ints(0, 600)
    return draw.ints(0, 8)


def days(values: np.ndarray) -> np.ndarray:
    """Whole-day ages (for dates shown without a time of day)."""
    return (np.asarray(values) // DAY) * DAY
