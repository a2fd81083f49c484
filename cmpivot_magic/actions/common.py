"""What every action needs of a session, and the record each write leaves in history."""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from typing import Any, Protocol

from ..backends.base import Target
from ..history import HistoryStore


class Actor(Protocol):
    """The session an action runs through (``Session`` is one)."""

    backend: Any

    @property
    def url(self) -> str: ...

    @property
    def history(self) -> HistoryStore | None: ...


def who(session: Actor) -> str:
    """As whom a write is made: the signed-in user where the credentials know it, else the local login."""
    credentials = getattr(session.backend, "credentials", None)
    user = getattr(credentials, "user", None)
    if isinstance(user, str) and user:
        return user
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in a container
        return "unknown"


def record(session: Actor, action: str, what: str, devices: Iterable[Target] = (), *,
           operation_id: int | None = None, detail: dict[str, object] | None = None) -> None:
    """Keep one write in the history store's actions table (nothing when history is off)."""
    store = session.history
    if store is not None:
        store.record_action(session.url, who(session), action, what, devices, operation_id, detail)
