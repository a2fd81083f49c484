"""``demo://``: a realistic simulated ConfigMgr site for trying everything without one."""

from __future__ import annotations

from .backend import DemoBackend

__all__ = ["DemoBackend"]
