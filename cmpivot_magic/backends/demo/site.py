"""Placeholder while the demo site is being written."""

from __future__ import annotations


class DemoSite:
    pass
