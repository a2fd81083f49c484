"""``local://`` — this machine, queried for real at query time (the default connection).

Like CMPivot standalone's "This PC": one device, the host the kernel runs on. Its entity tables
come from ``collectors.py`` (psutil, /proc, systemd, journald; CIM on Windows). An entity with no
equivalent here answers as a Failed device status with the reason, never as an exception.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ... import catalog
from ...errors import CMPivotError
from ..base import Target
from ..tables import TableBackend, Timeline
from ..targets import DEFAULT_COLLECTION, check_target_args
from .collectors import LocalSource


class _ThisMachine:
    """Device facts of the only device: always online, answers at once."""

    def latency_seconds(self, resource_ids: Sequence[int]) -> np.ndarray:
        return np.zeros(len(resource_ids))

    def is_offline(self, resource_ids: Sequence[int]) -> np.ndarray:
        return np.zeros(len(resource_ids), dtype=bool)

    def entity_error(self, entity: catalog.Entity, resource_id: int, args: tuple[object, ...] = ()) -> str | None:
        return None


class LocalBackend(TableBackend):
    """This machine as a one-device site, answering from what ``LocalSource`` collects."""

    @classmethod
    def from_url(cls, url: str, *, profile: str = "onprem", **options: Any) -> LocalBackend:
        if options:
            raise CMPivotError(f"local:// takes no options (got {', '.join(options)})")
        return cls(url or "local://", profile)

    def __init__(self, url: str = "local://", profile: str = "onprem") -> None:
        self.local = LocalSource()
        super().__init__(url, profile, self.local, _ThisMachine(), Timeline("virtual", 1.0, 1))
        name = self.local.device_name
        # a stable pseudo ResourceId in ConfigMgr's range, derived from the host name
        self.target = Target(name, 16_777_216 + zlib.crc32(name.encode()) % 1_000_000)

    def devices(self) -> pd.DataFrame:
        return pd.DataFrame({"Name": [self.target.name], "ResourceId": [self.target.resource_id],
                             "IsOnline": [True]})

    def collections(self) -> pd.DataFrame:
        return pd.DataFrame({"CollectionID": [DEFAULT_COLLECTION], "Name": ["All Systems"], "MemberCount": [1]})

    def resolve(self, devices: Sequence[str] | None, collection: str | None) -> tuple[Target, ...]:
        check_target_args(devices, collection)
        if devices:
            others = [d for d in devices if d.lower() not in (self.target.name.lower(), "localhost", ".")]
            if others:
                raise CMPivotError(f"local:// is this machine ({self.target.name}); it cannot reach {others[0]}",
                                   hint="connect to a site (https://…/AdminService) or demo:// to query other devices")
        if collection not in (None, DEFAULT_COLLECTION):
            raise CMPivotError(f"local:// has only the collection {DEFAULT_COLLECTION} (this machine), not {collection}")
        return (self.target,)
