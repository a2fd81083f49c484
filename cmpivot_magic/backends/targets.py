"""Target resolution shared by every backend: which devices a query goes to.

A query targets either devices picked by name or one collection, never both; with neither it
targets ``DEFAULT_COLLECTION`` (All Systems), as CMPivot does when opened on the site. The
session asks its backend to ``resolve`` a target and records in the ``DeviceRequest`` which
collection (if any) the devices came from (``requested_collection``), so a backend that can
address a collection in one operation knows to. Each backend calls ``check_target_args`` first
and ``resolve_device_names`` for names, so every backend refuses the same mistakes with the same
words and suggests the same close names.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import pandas as pd

from ..errors import CMPivotError
from .base import Target

DEFAULT_COLLECTION = "SMS00001"
"""All Systems: what a query targets when it names neither devices nor a collection."""


def check_target_args(devices: Sequence[str] | None, collection: str | None) -> None:
    """Refuse a target that names devices and a collection at once, or an empty device list."""
    if devices is not None and collection is not None:
        raise CMPivotError("target either devices or a collection, not both")
    if devices is not None and not devices:
        raise CMPivotError("no devices were selected")


def requested_collection(devices: Sequence[str] | None, collection: str | None) -> str | None:
    """The collection a target addresses: the given one, the default when no devices are named,
    None for devices picked by name."""
    if devices is not None:
        return None
    return collection or DEFAULT_COLLECTION


def resolve_device_names(names: Sequence[str], devices: pd.DataFrame, where: str) -> tuple[Target, ...]:
    """Targets for device names (any case) from a frame with Name and ResourceId columns; an
    unknown name is an error that suggests the closest ones. Duplicates are dropped, order kept."""
    by_lower = {str(n).lower(): (str(n), int(r)) for n, r in zip(devices["Name"], devices["ResourceId"], strict=True)}
    targets = []
    for name in names:
        hit = by_lower.get(str(name).lower())
        if hit is None:
            close = difflib.get_close_matches(str(name).lower(), list(by_lower), n=3)
            hint = (f"did you mean {', '.join(by_lower[c][0] for c in close)}?" if close
                    else "session.devices() lists the devices you can see")
            raise CMPivotError(f"no device named '{name}' on {where}", hint=hint)
        targets.append(Target(*hit))
    return tuple(dict.fromkeys(targets))


__all__ = ["DEFAULT_COLLECTION", "check_target_args", "requested_collection", "resolve_device_names"]
