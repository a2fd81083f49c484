"""Optional dependencies: the one place that imports a package an extra brings.

The core install runs queries on ``local://`` and ``demo://``; signing in to a site
(``negotiate``, ``entra``) and the emulator (``emulator``) need packages the core does not
install. ``import_optional`` imports one of them, or raises a ``CMPivotError`` that names the
exact ``pip install "cmpivot-magic[extra]"`` to run (polars' ``_dependencies.import_optional``
is the model), so a missing package never surfaces as a bare ``ImportError``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import CMPivotError


def import_optional(module: str, extra: str, purpose: str, *, package: str | None = None) -> ModuleType:
    """Import ``module``, or say which ``pip install`` brings it.

    ``extra`` is the cmpivot-magic extra that installs it, ``purpose`` what needs it (the message
    reads "<purpose> needs the <package> package"), ``package`` its name on PyPI when that is not
    the module's name with dashes (``jwt`` is ``pyjwt``).
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        name = package or module.replace("_", "-")
        raise CMPivotError(f"{purpose} needs the {name} package",
                           hint=f'pip install "cmpivot-magic[{extra}]"') from None


__all__ = ["import_optional"]
