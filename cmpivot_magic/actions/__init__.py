"""Acting on what a query found: favorites, collections from results, approved scripts.

The console's next steps after a table (reference site-catalog-and-actions §3-4): keep the query as
a favorite, make a direct-membership collection of the devices found, run an approved script on
them. Each module takes the session (``Actor``: its backend, URL and history) and is reached
through a thin ``Session`` method. Every write is an explicit call and is recorded in the history
store's actions table (what, on which devices, when, as whom).
"""

from __future__ import annotations

from .common import Actor, record, who

__all__ = ["Actor", "record", "who"]
