"""An AdminService stand-in over HTTPS on loopback, backed by the demo site — for tests, demos
and trying the connected flow without a ConfigMgr site.

``server.py`` (``Emulator``: TLS, threads, tokens), ``app.py`` (the routes and JSON shapes),
``operations.py`` (CMPivot operations: who answers when, with what), ``inventory.py`` (the classes
devices and collections are read from, and per-collection permissions), ``odata.py`` (``$filter``
and friends), ``faults.py`` (misbehaving on purpose), ``entra.py`` (an Entra ID stand-in whose
JWTs the AdminService verifies), ``cli.py`` (``cmpivot emulator``).
"""

from __future__ import annotations

from .faults import Fault, FaultSwitches
from .server import Emulator, running

__all__ = ["Emulator", "Fault", "FaultSwitches", "running"]
