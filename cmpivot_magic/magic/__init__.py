"""The IPython magic: ``%%cmpivot`` runs a query, ``%cmpivot SUBCOMMAND`` manages connections
and shows the catalog, the help and the history — the notebook's front end over ``Session``.

* ``magics.py`` — ``CMPivotMagic``: cell options → ``Session`` → the display, and its settings
  (traitlets, so ``%config CMPivotMagic.display_limit = 20`` works);
* ``subcommands.py`` — one function per ``%cmpivot`` subcommand and the table the magic dispatches on;
* ``config.py`` — the settings from pyproject.toml and ``CMPIVOT_MAGIC_*`` variables;
* ``helptext.py`` — ``%cmpivot help`` and its guides;
* ``interpolate.py`` — ``{name}`` in a cell as an escaped KQL literal;
* ``completion.py`` — completion, Shift+Tab help and diagnostics for ``%%cmpivot`` cells in the kernel.

``%load_ext cmpivot_magic`` calls ``load_ipython_extension`` below (through the package's own), and
``%unload_ext`` ``unload_ipython_extension``.
"""

from __future__ import annotations

from typing import Any

from . import completion
from .magics import CMPivotMagic


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%%cmpivot`` and ``%cmpivot`` with ``ipython``, and their IntelliSense."""
    ipython.register_magics(CMPivotMagic)
    completion.install(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """Remove the IntelliSense hooks (IPython keeps registered magics)."""
    completion.uninstall(ipython)


__all__ = ["CMPivotMagic", "load_ipython_extension", "unload_ipython_extension"]
