"""Collections from results: a device collection with direct membership rules (the console's
"create collection" on a result's devices).

``create_collection(session, name, devices)`` creates the collection (limited to ``limit_to``),
adds one direct rule per device in batches, and records the write. ``devices`` are names; a
result gives them with ``QueryResult.device_names`` (its rows' devices, or the console's
"offline" / "failed" sets from its status).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..backends.base import Target, capability
from ..errors import CMPivotError
from .common import Actor, record


def create_collection(session: Actor, name: str, devices: Sequence[str] | str, limit_to: str = "SMS00001",
                      comment: str = "") -> str:
    """Create device collection ``name`` with direct rules for ``devices`` (names); its CollectionID.

    Errors before anything is written: no devices, a name that exists (on the site), an unknown
    device. A role without Create on Collection (or Modify on it) gets a ``PermissionDeniedError``
    naming the right."""
    writer: Any = capability(session.backend, "collections", "creating collections")
    names = [devices] if isinstance(devices, str) else list(devices)
    if not name.strip():
        raise CMPivotError("a collection needs a name")
    if not names:
        raise CMPivotError(f"no devices to put in collection '{name}'",
                           hint="the result found no devices; pass devices= names or a set such as 'offline'")
    targets: tuple[Target, ...] = session.backend.resolve(names, None)
    cid = str(writer.create_collection(name.strip(), limit_to.upper(), comment))
    writer.add_members(cid, targets)
    record(session, "create collection", f"{name.strip()} ({cid})", targets,
           detail={"collection": cid, "limit_to": limit_to.upper(), "comment": comment})
    return cid
