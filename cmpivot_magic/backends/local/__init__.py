"""``local://``: this machine, the default connection."""

from __future__ import annotations

from .backend import LocalBackend

__all__ = ["LocalBackend"]
